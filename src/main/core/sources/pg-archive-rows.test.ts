import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableCountDto } from '../../../shared/domain/restores';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, seedPgAwkward, testSourceDto, withPg } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { PgArchiveRowCounter } from './pg-archive-rows';
import { createSourceDriver } from './source-driver';
import { collect, testContext } from './source-test-helpers';

const run = promisify(execFile);
const reason = await probePostgres();

/** Feeds the archive in pieces of `size` bytes (the last one shorter). */
function countInPieces(archive: Buffer, size: number): TableCountDto[] | null {
  const counter = new PgArchiveRowCounter();
  for (let at = 0; at < archive.length; at += size) counter.feed(archive.subarray(at, at + size));
  return counter.finish();
}

/** Every user table with count(*), as the restore's SQL count lists them. */
async function sqlCounts(database: string): Promise<TableCountDto[]> {
  return withPg(database, async (c) => {
    const { rows } = await c.query<{ s: string; t: string }>(
      "SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
    );
    const counts: TableCountDto[] = [];
    for (const { s, t } of rows) counts.push({ schema: s, table: t, rows: Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${c.escapeIdentifier(s)}.${c.escapeIdentifier(t)}`)).rows[0]!.n) });
    return counts;
  });
}

const sorted = (counts: TableCountDto[] | null): TableCountDto[] | null =>
  counts && [...counts].sort((a, b) => (a.schema ?? '').localeCompare(b.schema ?? '') || a.table.localeCompare(b.table));

describe.skipIf(shouldSkip('PostgreSQL', reason))('PgArchiveRowCounter on real pg_dump archives', () => {
  const database = scratchName('pgrows');
  const t = tempDir();
  let archive: Buffer;

  /** pg_dump run as the driver runs it, or with extra arguments. */
  async function dump(name: string, extra: string[] = []): Promise<Buffer> {
    if (extra.length === 0) {
      const driver = createSourceDriver(testSourceDto('postgres', { database: name }), {}, testContext(t.dir));
      try {
        const d = await driver.dump(name, { format: 'custom' });
        const [bytes] = await Promise.all([collect(d.stream), d.done]);
        return bytes;
      } finally {
        await driver.close();
      }
    }
    const { stdout } = await run('pg_dump', ['--format=custom', '--host=127.0.0.1', '--username=postgres', ...extra, name], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }

  beforeAll(async () => {
    await createPgDatabase(database);
    await seedPgAwkward(database);
    await withPg(database, (c) =>
      c.query(String.raw`
        CREATE TABLE public.empty (id int);
        CREATE UNLOGGED TABLE public.scratchpad (line text);
        INSERT INTO public.scratchpad SELECT E'line\n' || g || E'\r\\.' FROM generate_series(1, 50) g;
        CREATE TABLE public.wide (id int, body text);
        INSERT INTO public.wide SELECT g, repeat(md5(g::text), 9000) FROM generate_series(1, 40) g;
      `),
    );
    archive = await dump(database);
  });

  afterAll(async () => {
    await dropPgDatabase(database);
    t.cleanup();
  });

  it('counts every table the archive creates, as count(*) finds them, in any piece size', async () => {
    const expected = await sqlCounts(database);
    expect(expected.find((c) => c.table === 'order items')?.rows).toBe(2000);
    expect(expected.find((c) => c.table === 'empty')?.rows).toBe(0);
    for (const size of [archive.length, 1024 * 1024, 65_536, 4099, 7, 1]) expect(sorted(countInPieces(archive, size)), `pieces of ${size}`).toEqual(sorted(expected));
  });

  it('does not count an archive cut short, in the middle of a table or of the contents', () => {
    const firstData = archive.indexOf(Buffer.from('crème brûlée'));
    expect(firstData).toBeGreaterThan(0);
    expect(countInPieces(archive.subarray(0, firstData + 100), 4096)).toBeNull();
    expect(countInPieces(archive.subarray(0, 200), 64)).toBeNull();
    expect(countInPieces(archive.subarray(0, archive.length - 1), 4096)).toBeNull();
  });

  it('does not count what is not an uncompressed custom archive', async () => {
    expect(countInPieces(Buffer.from('-- PostgreSQL database dump\nCOPY t FROM stdin;\n1\n\\.\n'), 16)).toBeNull();
    expect(countInPieces(await dump(database, ['--compress=1']), 65_536)).toBeNull();
    // --inserts: the data are INSERT statements, whose lines are not rows.
    expect(countInPieces(await dump(database, ['--compress=0', '--inserts']), 65_536)).toBeNull();
  });

  it("does not count tables whose count(*) includes other tables' rows", async () => {
    const nested = scratchName('pgrowsnest');
    await createPgDatabase(nested);
    try {
      await withPg(nested, (c) => c.query('CREATE TABLE parent (id int); CREATE TABLE child () INHERITS (parent); INSERT INTO child VALUES (1), (2);'));
      expect(countInPieces(await dump(nested), 65_536)).toBeNull();
      await withPg(nested, (c) =>
        c.query('DROP TABLE child, parent; CREATE TABLE measures (at date, v int) PARTITION BY RANGE (at); CREATE TABLE measures_2026 PARTITION OF measures FOR VALUES FROM (\'2026-01-01\') TO (\'2027-01-01\'); INSERT INTO measures VALUES (\'2026-03-01\', 1);'),
      );
      expect(countInPieces(await dump(nested), 65_536)).toBeNull();
    } finally {
      await dropPgDatabase(nested);
    }
  });
});

describe('PgArchiveRowCounter on bytes that are not an archive', () => {
  it('does not count an empty stream or stray bytes', () => {
    expect(new PgArchiveRowCounter().finish()).toBeNull();
    expect(countInPieces(Buffer.from('PGDMP'), 1)).toBeNull();
    expect(countInPieces(Buffer.alloc(1024, 0xff), 100)).toBeNull();
  });
});
