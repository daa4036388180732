import { describe, expect, it } from 'vitest';
import { NAV_ITEMS, routeFromHash } from './routes';

describe('routeFromHash', () => {
  it('reads the page from the hash and falls back to Sources', () => {
    expect(routeFromHash('#/destinations')).toBe('destinations');
    expect(routeFromHash('#settings')).toBe('settings');
    expect(routeFromHash('#/jobs/123')).toBe('jobs');
    expect(routeFromHash('')).toBe('sources');
    expect(routeFromHash('#/nope')).toBe('sources');
  });

  it('never lands on a page that is not available yet', () => {
    expect(routeFromHash('#/backups')).toBe('sources');
    expect(routeFromHash('#/recovery')).toBe('sources');
    expect(NAV_ITEMS.filter((n) => n.unavailable).map((n) => [n.label, n.unavailable])).toEqual([
      ['Backups', 'Arrives with the backup pipeline'],
      ['Recovery', 'Arrives with the backup pipeline'],
    ]);
  });
});
