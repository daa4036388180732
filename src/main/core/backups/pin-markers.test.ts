import { describe, expect, it } from 'vitest';
import { isPinMarkerKey, parsePinMarker, pinMarkerKey, pinMarkersIn, pinOf } from './pin-markers';

describe('pin markers', () => {
  const key = 'production/shop/nightly/20261203T020000Z.dump.zst.age';

  it('name the backup and the pin\'s end, rounded up to the second, and read back as they were written', () => {
    expect(pinMarkerKey(key, null)).toBe(`${key}.vaultdesk-pin`);
    expect(pinMarkerKey(key, '2027-01-01T00:00:00.250Z')).toBe(`${key}.vaultdesk-pin-until-20270101T000001Z`);
    expect(parsePinMarker(pinMarkerKey(key, '2027-01-01T08:30:00Z'))).toEqual({ marker: `${key}.vaultdesk-pin-until-20270101T083000Z`, key, until: '2027-01-01T08:30:00.000Z' });
    expect(parsePinMarker(`${key}.vaultdesk-pin`)).toEqual({ marker: `${key}.vaultdesk-pin`, key, until: null });
    expect([isPinMarkerKey(key), isPinMarkerKey(`${key}.manifest.json`), isPinMarkerKey(`${key}.vaultdesk-pinned`), isPinMarkerKey('.vaultdesk-pin')]).toEqual([false, false, false, false]);
  });

  it('hold while any of them has not passed, to the furthest end', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const m = (until: string | null) => parsePinMarker(pinMarkerKey(key, until))!;
    expect(pinOf([], now)).toBeNull();
    expect(pinOf([m('2026-12-01T00:00:00Z')], now)).toBeNull();
    expect(pinOf([m('2026-12-01T00:00:00Z'), m('2027-02-01T00:00:00Z'), m('2027-01-01T00:00:00Z')], now)).toEqual({ until: '2027-02-01T00:00:00.000Z' });
    expect(pinOf([m('2027-01-01T00:00:00Z'), m(null)], now)).toEqual({ until: null });
  });

  it('are found in a listing by the backup they pin', () => {
    const at = new Date();
    const found = pinMarkersIn([
      { key, size: 1, modifiedAt: at },
      { key: `${key}.manifest.json`, size: 1, modifiedAt: at },
      { key: `${key}.vaultdesk-pin`, size: 1, modifiedAt: at },
      { key: 'other.dump.vaultdesk-pin-until-20270101T000000Z', size: 1, modifiedAt: at },
    ]);
    expect([...found.keys()].sort()).toEqual(['other.dump', key].sort());
  });
});
