import { describe, expect, it } from 'vitest';
import { inputSchemas } from '../../../../shared/ipc/input-schemas';
import { emptyJobValues, timeZones, toCreateInput } from './job-form';

const SOURCE = '7d1f0e8a-3a52-4c1e-9a6f-0d2c4b8e9f10';
const DEST = '0b6c9a8e-1f2d-4e3c-8b7a-6d5e4f3a2b1c';
const PROFILE = '5e4f3a2b-1c0d-4e9f-8a7b-6c5d4e3f2a1b';

describe('job form', () => {
  it('pre-fills the default destination', () => {
    expect(emptyJobValues(DEST, 'UTC').destinationIds).toEqual([DEST]);
    expect(emptyJobValues(null, 'UTC').destinationIds).toEqual([]);
  });

  it('sends a time zone only with a schedule, and a profile only with encryption', () => {
    const base = { ...emptyJobValues(DEST, 'Europe/Paris'), name: 'nightly', sourceId: SOURCE, profileId: PROFILE };
    const manual = toCreateInput(base);
    expect(manual).toMatchObject({ schedule: null, timezone: null, profileId: null, encryption: 'none' });
    expect(inputSchemas['jobs:create'].safeParse(manual).success).toBe(true);
    const scheduled = toCreateInput({ ...base, schedule: ' 0 3 * * * ', encryption: 'age', timeoutMinutes: 90 });
    expect(scheduled).toMatchObject({ schedule: '0 3 * * *', timezone: 'Europe/Paris', profileId: PROFILE, timeoutMinutes: 90 });
    expect(inputSchemas['jobs:create'].safeParse(scheduled).success).toBe(true);
  });

  it('drops the database list when all databases are chosen', () => {
    const v = { ...emptyJobValues(DEST, 'UTC'), name: 'all', sourceId: SOURCE, databases: ['a', ' ', 'b '] };
    expect(toCreateInput(v).databases).toEqual(['a', 'b']);
    expect(toCreateInput({ ...v, allDatabases: true }).databases).toEqual([]);
  });

  it('lists each time zone once, the local one first', () => {
    for (const local of ['UTC', 'Europe/Paris']) {
      const zones = timeZones(local);
      expect(zones[0]).toBe(local);
      expect(new Set(zones).size).toBe(zones.length);
      expect(zones).toContain('UTC');
    }
  });
});
