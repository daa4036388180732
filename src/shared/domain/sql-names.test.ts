import { describe, expect, it } from 'vitest';
import { tableName } from './sql-names';

describe('tableName', () => {
  it('quotes a part only when the engine would have to, in its own quotes', () => {
    expect(tableName('postgres', 'public', 'items')).toBe('public.items');
    expect(tableName('postgres', 'Schéma X', 'T.dot')).toBe('"Schéma X"."T.dot"');
    expect(tableName('postgres', 'sales', 'Orders')).toBe('sales."Orders"');
    expect(tableName('postgres', 'app', 'say "hi"')).toBe('app."say ""hi"""');
    expect(tableName('mysql', null, 'orders')).toBe('orders');
    expect(tableName('mysql', null, 'T.dot')).toBe('`T.dot`');
    expect(tableName('mysql', null, 'Café_2024')).toBe('Café_2024');
    expect(tableName('mysql', null, 'back`tick')).toBe('`back``tick`');
    expect(tableName('mysql', null, '2024')).toBe('`2024`');
    expect(tableName('sqlite', null, 'Items')).toBe('Items');
    expect(tableName('sqlite', null, 'line items')).toBe('"line items"');
  });
});
