import { describe, expect, it } from 'vitest';
import { drillWords } from './restore-words';

describe('drill words', () => {
  it('say one table in the singular and several in the plural', () => {
    const drill = { ok: true, comparedWith: 'shop on "pg"', differences: [], scratchDropped: true };
    expect(drillWords({ ...drill, tables: 1 })).toBe('Drill passed: the table has the same row counts in the backup as in shop on "pg" now; the scratch database was dropped.');
    expect(drillWords({ ...drill, tables: 3 })).toBe('Drill passed: all 3 tables have the same row counts in the backup as in shop on "pg" now; the scratch database was dropped.');
  });
});
