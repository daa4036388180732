import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableCountDto } from '../../../shared/domain/restores';
import { createMysqlDatabase, dropMysqlDatabase, probeMysql, scratchName, seedMysqlAwkward, testSourceDto, withMysql } from '../testing/db-fixtures';
import { mysqlEnv, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { MysqlDumpRowCounter } from './mysql-dump-rows';
import { createSourceDriver } from './source-driver';
import { collect, testContext } from './source-test-helpers';

const run = promisify(execFile);
const reason = await probeMysql();

/** Feeds the dump in pieces of `size` bytes (the last one shorter). */
function countInPieces(dump: Buffer, size: number): TableCountDto[] | null {
  const counter = new MysqlDumpRowCounter();
  for (let at = 0; at < dump.length; at += size) counter.feed(dump.subarray(at, at + size));
  return counter.finish();
}

/** Every table that holds rows, with COUNT(*), in name order. */
async function sqlCounts(database: string): Promise<TableCountDto[]> {
  return withMysql(database, async (c) => {
    const [tables] = await c.query<mysql.RowDataPacket[]>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME",
      [database],
    );
    const counts: TableCountDto[] = [];
    for (const { t } of tables as { t: string }[]) {
      const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${t.replaceAll('`', '``')}\``);
      counts.push({ schema: null, table: t, rows: Number((rows[0] as { n: number }).n) });
    }
    return counts;
  });
}

const sorted = (counts: TableCountDto[] | null): TableCountDto[] | null => counts && [...counts].sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));

describe.skipIf(shouldSkip('MariaDB', reason))('MysqlDumpRowCounter on real mariadb-dump output', () => {
  const database = scratchName('myrows');
  const t = tempDir();
  let dump: Buffer;

  /** The dump as the driver makes it, or mariadb-dump with extra arguments. */
  async function dumpOf(name: string, extra: string[] = []): Promise<Buffer> {
    if (extra.length === 0) {
      const driver = createSourceDriver(testSourceDto('mysql', { database: name }), {}, testContext(t.dir));
      try {
        const d = await driver.dump(name, { format: 'plain' });
        const [bytes] = await Promise.all([collect(d.stream), d.done]);
        return bytes;
      } finally {
        await driver.close();
      }
    }
    const args = [`--host=${mysqlEnv.host}`, `--port=${mysqlEnv.port}`, `--user=${mysqlEnv.user}`, '--protocol=TCP', '--single-transaction', '--hex-blob', ...extra, '--', name];
    const { stdout } = await run('mariadb-dump', args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }

  beforeAll(async () => {
    await createMysqlDatabase(database);
    // Views, a trigger, a procedure whose body holds an INSERT line, an event.
    await seedMysqlAwkward(database, 700);
    await withMysql(database, async (c) => {
      await c.query(String.raw`
        CREATE TABLE empty (id INT);
        CREATE TABLE lookalikes (id INT PRIMARY KEY, s TEXT);
        INSERT INTO lookalikes VALUES (1, 'a),\n(b'), (2, 'ends with a backslash \\'), (3, ');\nUNLOCK TABLES;\n'), (4, '\n(\n'), (5, '-- Dumping data for table \`empty\`');
        CREATE TABLE generated (id INT PRIMARY KEY, a INT, doubled INT AS (a * 2) VIRTUAL);
        INSERT INTO generated (id, a) VALUES (1, 1), (2, 2), (3, 3);
        CREATE TABLE ledger (id INT PRIMARY KEY) WITH SYSTEM VERSIONING;
        INSERT INTO ledger VALUES (1), (2);
        DELETE FROM ledger WHERE id = 2;
        CREATE SEQUENCE tickets;
        CREATE TABLE wide (id INT PRIMARY KEY, body LONGTEXT);
        INSERT INTO wide SELECT seq, REPEAT(MD5(seq), 20000) FROM seq_1_to_40;
        CREATE PROCEDURE refill() BEGIN
        INSERT INTO empty VALUES (1);
        END;`);
      // A trigger made under NO_BACKSLASH_ESCAPES: the dump sets that mode for it alone, and still escapes its data with backslashes.
      await c.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
      await c.query("CREATE TRIGGER stamp BEFORE INSERT ON lookalikes FOR EACH ROW SET NEW.s = CONCAT(NEW.s, ' \\ stamped')");
    });
    // As the driver dumps, but without the versioned table's history (see the last test here).
    dump = await dumpOf(database, ['--routines', '--triggers', '--events']);
  });

  afterAll(async () => {
    await dropMysqlDatabase(database);
    t.cleanup();
  });

  it('counts every table the dump loads, as COUNT(*) finds them, in any piece size', async () => {
    const expected = await sqlCounts(database);
    expect(expected).toContainEqual({ schema: null, table: 'order items', rows: 700 });
    expect(expected).toContainEqual({ schema: null, table: 'empty', rows: 0 });
    expect(expected).toContainEqual({ schema: null, table: 'ledger', rows: 1 });
    // mariadb-dump writes one INSERT per 1 MiB or so: the wide table's rows span several statements.
    expect(dump.toString('latin1').split('INSERT INTO `wide` VALUES').length).toBeGreaterThan(2);
    for (const size of [dump.length, 1024 * 1024, 65_536, 4099, 7, 1]) expect(sorted(countInPieces(dump, size)), `pieces of ${size}`).toEqual(sorted(expected));
  });

  it('counts the column-list form mariadb-dump writes with --complete-insert, first row on the INSERT line, one-row statements too', async () => {
    const complete = await dumpOf(database, ['--complete-insert']);
    expect(complete.includes("INSERT INTO `lookalikes` (`id`, `s`) VALUES (1,'a),\\n(b'),\n(2,")).toBe(true);
    expect(complete.includes('INSERT INTO `ledger` (`id`) VALUES (1);\n')).toBe(true);
    for (const size of [complete.length, 65_536, 7, 1]) expect(sorted(countInPieces(complete, size)), `pieces of ${size}`).toEqual(sorted(await sqlCounts(database)));
  });

  it('does not count a dump cut short, in the middle of a table or before its end', () => {
    const inData = dump.indexOf(Buffer.from('crème brûlée'));
    expect(inData).toBeGreaterThan(0);
    expect(countInPieces(dump.subarray(0, inData), 4096)).toBeNull();
    // Cut just after a table's data section: every line is whole, but the dump did not say it completed.
    const afterSection = dump.indexOf(Buffer.from('UNLOCK TABLES;\n')) + 'UNLOCK TABLES;\n'.length;
    expect(countInPieces(dump.subarray(0, afterSection), 4096)).toBeNull();
  });

  it("counts a statement's rows written on one line, as MySQL's mysqldump writes them, and one statement per row; not INSERT IGNORE", async () => {
    const expected = sorted(await sqlCounts(database));
    // The same dump with each statement's rows on one line: `VALUES (1,...),(2,...);`.
    const oneLine = Buffer.from(dump.toString('latin1').replaceAll('VALUES\n(', 'VALUES (').replaceAll('),\n(', '),('), 'latin1');
    expect(oneLine.includes('INSERT INTO `generated` VALUES (1,1,2),(2,2,4),(3,3,6);\n')).toBe(true);
    for (const size of [oneLine.length, 65_536, 4099, 7, 1]) expect(sorted(countInPieces(oneLine, size)), `pieces of ${size}`).toEqual(expected);
    const perRow = await dumpOf(database, ['--skip-extended-insert']);
    expect(perRow.includes("INSERT INTO `generated` VALUES (1,1,2);\n")).toBe(true);
    expect(sorted(countInPieces(perRow, 65_536))).toEqual(expected);
    expect(countInPieces(await dumpOf(database, ['--insert-ignore']), 65_536)).toBeNull();
  });

  it("does not count the driver's dump, which holds the versioned table's history: every version of its rows is an INSERT row, and COUNT(*) sees the current ones", async () => {
    const withHistory = await dumpOf(database);
    expect(withHistory.includes('system_versioning_insert_history=1')).toBe(true);
    expect(withHistory.toString('latin1')).toMatch(/INSERT INTO `ledger` \(`id`, row_start, row_end\) VALUES/);
    for (const size of [withHistory.length, 4099, 7]) expect(countInPieces(withHistory, size), `pieces of ${size}`).toBeNull();
  });

  it('does not count a dump whose strings are not escaped with backslashes', () => {
    expect(dump.includes("NO_BACKSLASH_ESCAPES")).toBe(true);
    const marker = "SQL_MODE='NO_AUTO_VALUE_ON_ZERO'";
    expect(dump.includes(marker)).toBe(true);
    expect(countInPieces(Buffer.from(dump.toString('latin1').replace(marker, "SQL_MODE='NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES'"), 'latin1'), 65_536)).toBeNull();
  });
});

describe('MysqlDumpRowCounter on bytes that are not a dump', () => {
  it('does not count an empty stream, stray bytes or a section it does not know', () => {
    expect(new MysqlDumpRowCounter().finish()).toBeNull();
    expect(countInPieces(Buffer.alloc(1024, 0xff), 100)).toBeNull();
    const section = (line: string): Buffer => Buffer.from(`--\n-- Dumping data for table \`t\`\n--\n\nLOCK TABLES \`t\` WRITE;\n${line}\nUNLOCK TABLES;\n-- Dump completed on 2026-12-01 10:00:00\n`);
    expect(countInPieces(section('INSERT INTO `t` VALUES\n(1),\n(2);'), 5)).toEqual([{ schema: null, table: 't', rows: 2 }]);
    expect(countInPieces(section('INSERT INTO `t` VALUES\n(1),\n2;'), 5)).toBeNull();
    // Strings that end in escaped backslashes, hold escaped quotes, or look like a row's end.
    const tricky = String.raw`INSERT INTO ${'`t`'} VALUES (1,'a\\'),(2,'\''),(3,'),('),(4,'x\\\''),(5,NULL),(6,0x29272C28),(7,'(');`;
    for (const size of [1, 2, 3, 5, 1000]) expect(countInPieces(section(tricky), size), `pieces of ${size}`).toEqual([{ schema: null, table: 't', rows: 7 }]);
    expect(countInPieces(section("INSERT INTO `t` VALUES (1,'unterminated);"), 5)).toBeNull();
    expect(countInPieces(section('INSERT INTO `t` (`a`) VALUES (1),(2);'), 3)).toEqual([{ schema: null, table: 't', rows: 2 }]);
    expect(countInPieces(section('INSERT INTO `t` VALUES (1) (2);'), 3)).toBeNull();
    expect(countInPieces(section('INSERT INTO `u` VALUES\n(1);'), 5)).toBeNull();
    expect(countInPieces(section('REPLACE INTO `t` VALUES\n(1);'), 5)).toBeNull();
    expect(countInPieces(section('set autocommit=0;'), 5)).toBeNull();
  });
});
