import { describe, expect, it } from 'vitest';
import { hashFor, locationFromHash, NAV_ITEMS, routeParam } from './routes';

describe('locationFromHash', () => {
  it('reads the page from the hash, and opens Home when there is none', () => {
    expect(locationFromHash('#/destinations')).toEqual({ page: 'destinations' });
    expect(locationFromHash('#settings')).toEqual({ page: 'settings' });
    expect(locationFromHash('#/jobs/123')).toEqual({ page: 'jobs' });
    expect(locationFromHash('#/runs')).toEqual({ page: 'runs' });
    expect(locationFromHash('#/home')).toEqual({ page: 'home' });
    expect(locationFromHash('')).toEqual({ page: 'home' });
    expect(locationFromHash('#/')).toEqual({ page: 'home' });
    expect(NAV_ITEMS[0]).toMatchObject({ id: 'home', label: 'Home' });
  });

  it('says an unknown page is not found instead of showing another one', () => {
    expect(locationFromHash('#/nope')).toEqual({ page: 'not-found', hash: '#/nope', unavailable: null });
    expect(locationFromHash('#/Sources')).toMatchObject({ page: 'not-found', unavailable: null });
  });

  it('opens the storage explorer and the recovery page, and lists no page as unavailable', () => {
    expect(locationFromHash('#/backups')).toEqual({ page: 'backups' });
    expect(locationFromHash('#/recovery/x')).toEqual({ page: 'recovery' });
    expect(NAV_ITEMS.filter((n) => n.unavailable)).toEqual([]);
  });
});

describe('routeParam', () => {
  it('reads the item a page opens, and round-trips through hashFor', () => {
    expect(routeParam('#/runs/0b6c9a8e-1f2d')).toBe('0b6c9a8e-1f2d');
    expect(routeParam('#/runs')).toBeNull();
    expect(routeParam('#/runs/')).toBeNull();
    expect(routeParam('#/runs/abc?x=1')).toBe('abc');
    expect(hashFor('runs', 'a b')).toBe('#/runs/a%20b');
    expect(routeParam(hashFor('runs', 'a b'))).toBe('a b');
    expect(hashFor('jobs')).toBe('#/jobs');
  });
});
