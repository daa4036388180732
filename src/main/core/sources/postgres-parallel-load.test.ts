import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import { createPgDatabase, dropPgDatabase, PG_SPLIT_SCHEMA, pgFingerprint, probePostgres, scratchName, seedPgAwkward, testSourceDto, withPg } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { collect, interruptedHalfway, processesWith, testContext, waitFor } from './source-test-helpers';

const run = promisify(execFile);
const reason = await probePostgres();

/** The objects of a database as pg_dump writes them, for comparing two restores. */
async function schemaOf(database: string): Promise<string> {
  const { stdout } = await run('pg_dump', ['--schema-only', '--host=127.0.0.1', '--username=postgres', database], { maxBuffer: 64 * 1024 * 1024 });
  // pg_dump's \\restrict key is new in every dump.
  return stdout.replace(/^-- Dumped (from|by) .*$/gm, '').replace(/^\\(un)?restrict .*$/gm, '');
}

async function databaseExists(name: string): Promise<boolean> {
  const { rowCount } = await withPg('postgres', (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
  return rowCount === 1;
}

describe.skipIf(shouldSkip('PostgreSQL', reason))('PostgreSQL restore with several loaders', () => {
  const source = scratchName('pgpar');
  const awkward = scratchName('pgparlo');
  const created: string[] = [source, awkward];
  const t = tempDir();
  const said: string[] = [];
  const log: Logger = { debug() {}, info: (m) => said.push(m), warn: (m) => said.push(m), error: (m) => said.push(m) };
  let driver: SourceDriver;
  let archive: Buffer;

  async function dumpOf(database: string): Promise<Buffer> {
    const dump = await driver.dump(database, { format: 'custom' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    return bytes;
  }

  const leftovers = (): string[] => readdirSync(t.dir).filter((f) => f.startsWith('load-'));

  beforeAll(async () => {
    await createPgDatabase(source);
    await withPg(source, (c) => c.query(PG_SPLIT_SCHEMA));
    await createPgDatabase(awkward);
    await seedPgAwkward(awkward);
    driver = createSourceDriver(testSourceDto('postgres', { database: source }), {}, testContext(t.dir, { log }));
    archive = await dumpOf(source);
  });

  afterAll(async () => {
    await driver?.close();
    for (const name of created) await dropPgDatabase(name);
    t.cleanup();
  });

  it('restores rows, sequences, keys, indexes, triggers and a materialized view as one pg_restore does', async () => {
    const [parts, whole] = [scratchName('pgparts'), scratchName('pgwhole')];
    created.push(parts, whole);
    said.length = 0;
    await driver.restore(Readable.from([archive]), { database: parts, format: 'custom', createDatabase: true, loaders: 3 });
    expect(said).toContain('loading rows in parallel');
    await driver.restore(Readable.from([archive]), { database: whole, format: 'custom', createDatabase: true });
    expect(await pgFingerprint(parts)).toEqual(await pgFingerprint(source));
    expect(await schemaOf(parts)).toBe(await schemaOf(whole));
    expect(leftovers()).toEqual([]);
    await withPg(parts, async (c) => {
      expect((await c.query('SELECT sum(n)::int AS n FROM public.per_customer')).rows[0].n).toBe(20000);
      // The sequence went on from the backup's value, and the trigger and the key work.
      const added = await c.query(`INSERT INTO "Sales ""EU""".orders (customer, note) VALUES (7, 'after') RETURNING id`);
      expect(Number(added.rows[0].id)).toBe(20001);
      expect((await c.query(`SELECT count(*)::int AS n FROM public.log WHERE line = 'after'`)).rows[0].n).toBe(1);
      await expect(c.query(`INSERT INTO "Sales ""EU""".orders (customer) VALUES (9999)`)).rejects.toThrow(/foreign key/);
      expect((await c.query(`SELECT obj_description('"Sales ""EU""".orders'::regclass) AS d`)).rows[0].d).toBe('every order');
    });
  });

  it('gives an archive it cannot split (large objects) to one pg_restore, with every byte', async () => {
    const target = scratchName('pgparone');
    created.push(target);
    said.length = 0;
    await driver.restore(Readable.from([await dumpOf(awkward)]), { database: target, format: 'custom', createDatabase: true, loaders: 2 });
    expect(said).toContain('restoring with one pg_restore: the archive cannot be loaded in parts');
    expect(await pgFingerprint(target)).toEqual(await pgFingerprint(awkward));
  });

  it('drops the database when the stream ends inside a table, and leaves no tool running', async () => {
    const target = scratchName('pgparcut');
    const cut = archive.subarray(0, archive.indexOf(Buffer.from('café ☕ 1002')));
    const error = (await driver.restore(Readable.from([cut]), { database: target, format: 'custom', createDatabase: true, loaders: 2 }).catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toContain(target);
    expect(await databaseExists(target)).toBe(false);
    expect(processesWith(target)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  const interrupted = (target: string, act: (tools: { pid: number }[], stop: AbortController) => void): Promise<AppError> =>
    interruptedHalfway((input, signal) => driver.restore(input, { database: target, format: 'custom', createDatabase: true, loaders: 2, signal }), archive, target, '--data-only', 2, act) as Promise<AppError>;

  it('stops every loader and drops the database when one loader is killed halfway', async () => {
    const target = scratchName('pgparkill');
    const error = await interrupted(target, (loaders) => process.kill(loaders[1]!.pid, 'SIGKILL'));
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(/pg_restore was killed by SIGKILL/);
    expect(await databaseExists(target)).toBe(false);
    await waitFor(() => processesWith(target).length === 0);
    expect(leftovers()).toEqual([]);
  });

  it('is cancelled halfway like a single restore: CANCELLED, the database dropped', async () => {
    const target = scratchName('pgparstop');
    const error = await interrupted(target, (_loaders, stop) => stop.abort());
    expect(error.code).toBe('CANCELLED');
    expect(await databaseExists(target)).toBe(false);
    await waitFor(() => processesWith(target).length === 0);
  });
});
