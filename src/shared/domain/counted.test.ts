import { describe, expect, it } from 'vitest';
import { counted, holdingWords } from './counted';

describe('counted', () => {
  it('says one in the singular and groups the digits', () => {
    expect([counted(0, 'table'), counted(1, 'table'), counted(2, 'table'), counted(1234567, 'row')]).toEqual(['0 tables', '1 table', '2 tables', '1,234,567 rows']);
  });
});

describe('holdingWords', () => {
  it('names the tables and what else a target holds, and nothing for an empty one', () => {
    expect(holdingWords({ tables: 0, others: [] })).toBe('');
    expect(holdingWords({ tables: 1, others: [] })).toBe('1 table');
    expect(holdingWords({ tables: 0, others: ['1 view', '2 routines'] })).toBe('1 view and 2 routines');
    expect(holdingWords({ tables: 3, others: ['1 event'] })).toBe('3 tables and 1 event');
    expect(holdingWords({ tables: 2, others: ['1 view', '1 trigger', '2 routines'] })).toBe('2 tables, 1 view, 1 trigger and 2 routines');
  });
});
