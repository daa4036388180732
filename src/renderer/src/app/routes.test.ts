import { describe, expect, it } from 'vitest';
import { hashFor, NAV_ITEMS, routeFromHash, routeParam } from './routes';

describe('routeFromHash', () => {
  it('reads the page from the hash and falls back to Sources', () => {
    expect(routeFromHash('#/destinations')).toBe('destinations');
    expect(routeFromHash('#settings')).toBe('settings');
    expect(routeFromHash('#/jobs/123')).toBe('jobs');
    expect(routeFromHash('#/runs')).toBe('runs');
    expect(routeFromHash('')).toBe('sources');
    expect(routeFromHash('#/nope')).toBe('sources');
  });

  it('never lands on a page that is not available yet', () => {
    expect(routeFromHash('#/backups')).toBe('sources');
    expect(routeFromHash('#/recovery')).toBe('sources');
    expect(NAV_ITEMS.filter((n) => n.unavailable).map((n) => [n.label, n.unavailable])).toEqual([
      ['Backups', 'Arrives with the backup explorer (browse, verify, download)'],
      ['Recovery', 'Arrives with restore and the recovery kit (meanwhile, decrypt a backup with the vaultdesk decrypt command)'],
    ]);
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
