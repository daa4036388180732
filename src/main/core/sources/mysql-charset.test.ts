import { describe, expect, it } from 'vitest';
import { charsetChange, charsetClause, charsetRefusal, charsetRefusalIn, parseDatabaseCharset } from './mysql-charset';

describe('a MySQL database default character set', () => {
  it('is read from the server\'s line, and anything but two words is none', () => {
    expect(parseDatabaseCharset('latin1 latin1_german1_ci')).toEqual({ characterSet: 'latin1', collation: 'latin1_german1_ci' });
    expect(parseDatabaseCharset('utf8mb4 utf8mb4_uca1400_ai_ci\n')).toEqual({ characterSet: 'utf8mb4', collation: 'utf8mb4_uca1400_ai_ci' });
    for (const line of [undefined, '', 'latin1', 'latin1 a b', 'latin1 x;DROP', 'NULL']) expect(parseDatabaseCharset(line)).toBeNull();
  });

  it('goes into SQL only as words: a hand-edited manifest with anything else asks for the server default', () => {
    expect(charsetClause({ characterSet: 'latin1', collation: 'latin1_german1_ci' })).toBe(' CHARACTER SET latin1 COLLATE latin1_german1_ci');
    expect(charsetClause({ characterSet: 'latin1', collation: "x' OR 1; DROP DATABASE y; --" })).toBe('');
    expect(charsetClause({ characterSet: 'latin1 ', collation: 'latin1_bin' })).toBe('');
    expect(charsetClause(null)).toBe('');
  });

  it('is changed by a swap only when the target has other defaults, with the statement that puts them back', () => {
    const latin = { characterSet: 'latin1', collation: 'latin1_german1_ci' };
    const utf8 = { characterSet: 'utf8mb4', collation: 'utf8mb4_general_ci' };
    expect(charsetChange('`t`', utf8, latin)).toEqual({
      alter: 'ALTER DATABASE `t` CHARACTER SET latin1 COLLATE latin1_german1_ci',
      revert: 'ALTER DATABASE `t` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci',
    });
    expect(charsetChange('`t`', latin, { ...latin })).toBeNull();
    expect(charsetChange('`t`', utf8, null)).toBeNull();
    expect(charsetChange('`t`', null, latin)).toBeNull();
  });

  it("is said refused only for the server's character set and collation errors, in the server's words", () => {
    expect(charsetRefusalIn("ERROR 1273 (HY000) at line 1: Unknown collation: 'utf8mb4_0900_ai_ci'\n")).toBe("Unknown collation: 'utf8mb4_0900_ai_ci'");
    expect(charsetRefusalIn("ERROR 1115 (42000): Unknown character set: 'x'")).toBe("Unknown character set: 'x'");
    expect(charsetRefusalIn("ERROR 1007 (HY000) at line 1: Can't create database 'd'; database exists")).toBeNull();
    expect(charsetRefusalIn('ERROR 2013 (HY000): Lost connection to server during query')).toBeNull();
    expect(charsetRefusal(Object.assign(new Error("Unknown collation: 'x'"), { errno: 1273 }))).toBe("Unknown collation: 'x'");
    expect(charsetRefusal(Object.assign(new Error('Access denied'), { errno: 1044 }))).toBeNull();
  });
});
