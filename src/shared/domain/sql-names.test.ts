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

  it('quotes a keyword its engine will not read as a bare name, and leaves other words bare', () => {
    // PostgreSQL: reserved, column-name and type/function-name keywords, as quote_ident does.
    expect(tableName('postgres', 'public', 'order')).toBe('public."order"');
    expect(tableName('postgres', 'user', 'between')).toBe('"user"."between"');
    expect(tableName('postgres', 'app', 'left')).toBe('app."left"');
    expect(tableName('postgres', 'app', 'int')).toBe('app."int"');
    expect(tableName('postgres', 'app', 'json_table')).toBe('app."json_table"');
    expect(tableName('postgres', 'public', 'comment')).toBe('public.comment');
    expect(tableName('postgres', 'public', 'orders')).toBe('public.orders');
    // MySQL/MariaDB: reserved words of either, in any case; keywords that are not reserved stay bare.
    expect(tableName('mysql', null, 'order')).toBe('`order`');
    expect(tableName('mysql', null, 'Select')).toBe('`Select`');
    expect(tableName('mysql', null, 'rank')).toBe('`rank`');
    expect(tableName('mysql', null, 'offset')).toBe('`offset`');
    expect(tableName('mysql', null, 'qualify')).toBe('`qualify`');
    expect(tableName('mysql', null, 'status')).toBe('status');
    expect(tableName('mysql', null, 'user')).toBe('user');
    // SQLite: any of its keywords.
    expect(tableName('sqlite', null, 'Order')).toBe('"Order"');
    expect(tableName('sqlite', null, 'temp')).toBe('"temp"');
    expect(tableName('sqlite', null, 'items')).toBe('items');
  });
});
