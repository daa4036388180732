import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase, dropMysqlDatabase, probeMysql, probePostgres, scratchName, withMysql, withPg } from '../../main/core/testing/db-fixtures';
import { shouldSkip } from '../../main/core/testing/services';
import { tableName } from './sql-names';

const pgReason = await probePostgres();
const mysqlReason = await probeMysql();

describe.skipIf(shouldSkip('PostgreSQL', pgReason))('PostgreSQL keywords, against the server', () => {
  it('quotes every keyword of the server as its quote_ident does, as a table and as a schema', async () => {
    const keywords = await withPg('postgres', async (c) => (await c.query<{ word: string; quoted: string }>('SELECT word, quote_ident(word) AS quoted FROM pg_get_keywords() ORDER BY word')).rows);
    expect(keywords.length).toBeGreaterThan(400);
    const ours = keywords.map((k) => ({ word: k.word, quoted: tableName('postgres', null, k.word), asSchema: tableName('postgres', k.word, 'items') }));
    expect(ours).toEqual(keywords.map((k) => ({ word: k.word, quoted: k.quoted, asSchema: `${k.quoted}.items` })));
    // Both kinds are there: a reserved word quoted, an unreserved one bare.
    expect(tableName('postgres', 'public', 'order')).toBe('public."order"');
    expect(tableName('postgres', 'public', 'comment')).toBe('public.comment');
  });
});

describe.skipIf(shouldSkip('MariaDB/MySQL', mysqlReason))('MySQL/MariaDB reserved words, against the server', () => {
  const database = scratchName('cli_keywords');
  beforeAll(() => createMysqlDatabase(database));
  afterAll(() => dropMysqlDatabase(database));

  it('quotes every keyword the server refuses as a bare table name, and the quoted name is taken', async () => {
    const refused = await withMysql(database, async (c) => {
      const [rows] = await c.query('SELECT LOWER(word) AS word FROM information_schema.KEYWORDS');
      const words = (rows as { word: string }[]).map((r) => r.word).filter((w) => /^[a-z0-9_]+$/.test(w));
      expect(words.length).toBeGreaterThan(500);
      const refusedWords: string[] = [];
      for (const word of words) {
        try {
          await c.query(`CREATE TABLE ${word} (a int) ENGINE=MEMORY`);
          await c.query(`DROP TABLE \`${word}\``);
        } catch (error) {
          if ((error as { errno?: number }).errno !== 1064) throw error;
          refusedWords.push(word);
          await c.query(`CREATE TABLE ${tableName('mysql', null, word)} (a int) ENGINE=MEMORY`);
          await c.query(`DROP TABLE ${tableName('mysql', null, word)}`);
        }
      }
      return refusedWords;
    });
    expect(refused).toEqual(expect.arrayContaining(['order', 'select', 'offset', 'returning']));
    expect(refused.filter((word) => tableName('mysql', null, word) !== `\`${word}\``)).toEqual([]);
  });
});
