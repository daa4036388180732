import { describe, expect, it } from 'vitest';
import { counted } from './counted';

describe('counted', () => {
  it('says one in the singular and groups the digits', () => {
    expect([counted(0, 'table'), counted(1, 'table'), counted(2, 'table'), counted(1234567, 'row')]).toEqual(['0 tables', '1 table', '2 tables', '1,234,567 rows']);
  });
});
