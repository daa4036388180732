import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, seedPgAwkward, testSourceDto, withPg } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { processExists } from '../testing/child-processes';
import { tempDir } from '../testing/temp-dir';
import { findTool, type ToolName } from './client-tools';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { closedPort, collect, processesWith, testContext, waitFor, writeScript } from './source-test-helpers';

const reason = await probePostgres();
const PASSWORD = 'pg-Secret-never-in-argv';

describe.skipIf(shouldSkip('PostgreSQL', reason))('postgres source faults', () => {
  const database = scratchName('pgfault');
  const t = tempDir();
  const realDump = (): string => findTool('pg_dump', { env: process.env }).path;
  const driverWith = (toolPaths: Partial<Record<ToolName, string>> = {}, dto: Partial<SourceDto> = {}): SourceDriver =>
    createSourceDriver(testSourceDto('postgres', { database, ...dto }), { password: PASSWORD }, testContext(t.dir, { toolPaths }));

  beforeAll(async () => {
    await createPgDatabase(database);
    await seedPgAwkward(database);
  });
  afterAll(async () => {
    await dropPgDatabase(database);
    t.cleanup();
  });

  it('a pg_dump that exits 1 halfway: done rejects DUMP_FAILED with its stderr and the stream errors instead of ending', async () => {
    const wrapper = writeScript(
      t.dir,
      'failing-pg_dump',
      `if [ "$1" = "--version" ]; then exec "${realDump()}" --version; fi
"${realDump()}" "$@" | head -c 65536
echo "pg_dump: error: simulated failure: could not write block 42" >&2
exit 1`,
    );
    const dump = await driverWith({ pg_dump: wrapper }).dump(null, { format: 'custom' });
    let received = 0;
    dump.stream.on('data', (chunk: Buffer) => (received += chunk.length));
    const [streamError, doneError] = await Promise.all([collect(dump.stream).catch((e: unknown) => e), dump.done.catch((e: unknown) => e)]);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(65536);
    expect(doneError).toBeInstanceOf(AppError);
    expect(doneError).toMatchObject({ code: 'DUMP_FAILED' });
    expect((doneError as AppError).message).toContain('exited with code 1');
    expect((doneError as AppError).message).toContain('simulated failure: could not write block 42');
    expect(streamError).toBe(doneError);
  });

  it('cancel mid-dump: CANCELLED, the tool is gone, and the password went by environment, never argv', async () => {
    const controller = new AbortController();
    const dump = await driverWith().dump(null, { format: 'plain', signal: controller.signal });
    const first = await new Promise<Buffer>((resolve) => dump.stream.once('data', resolve));
    dump.stream.pause();
    expect(first.length).toBeGreaterThan(0);
    // Back-pressure keeps pg_dump alive and blocked while nobody reads.
    const [proc] = await waitFor(() => {
      const found = processesWith(database).filter((p) => p.argv[0]?.includes('pg_dump'));
      return found.length > 0 ? found : null;
    });
    expect(proc!.argv.join(' ')).not.toContain(PASSWORD);
    expect(readFileSync(`/proc/${proc!.pid}/environ`, 'utf8').split('\0')).toContain(`PGPASSWORD=${PASSWORD}`);
    controller.abort();
    await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' });
    await waitFor(() => processesWith(database).length === 0);
    expect(readdirSync(t.dir).filter((f) => !f.startsWith('failing') && !f.startsWith('old'))).toEqual([]);
  });

  it('a configured path that does not exist: CLIENT_TOOL_MISSING naming the tool and the path', async () => {
    const error = (await driverWith({ pg_dump: '/nonexistent/bin/pg_dump' })
      .dump(null, { format: 'custom' })
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('CLIENT_TOOL_MISSING');
    expect(error.message).toContain('pg_dump was not found at /nonexistent/bin/pg_dump');
    const test = await driverWith({ pg_dump: '/nonexistent/bin/pg_dump' }).test();
    expect(test.success).toBe(false);
    expect(test.message).toContain('Connected to PostgreSQL');
    expect(test.message).toContain('/nonexistent/bin/pg_dump');
  });

  it('a pg_dump older than the server: CLIENT_TOO_OLD with both versions, and a dump that exited 0 is not whole', async () => {
    // Started beside its check (dumpChecksItself): this one prints a line and exits 0 before it.
    const old = writeScript(t.dir, 'old-pg_dump', 'echo "pg_dump (PostgreSQL) 9.6.24"');
    const dump = await driverWith({ pg_dump: old }).dump(null, { format: 'custom' });
    const [streamError, error] = (await Promise.all([collect(dump.stream).catch((e: unknown) => e), dump.done.catch((e: unknown) => e)])) as [AppError, AppError];
    expect(error.code).toBe('CLIENT_TOO_OLD');
    expect(error.message).toMatch(/pg_dump 9\.6 .* older than the PostgreSQL \d+\.\d+ server/);
    expect(error.details).toMatchObject({ clientVersion: '9.6', serverVersion: expect.stringMatching(/^\d+\.\d+$/) });
    expect(streamError).toBe(error);
  });

  it('a check that fails stops the pg_dump started beside it', async () => {
    const pidFile = `${t.dir}/endless.pid`;
    const endless = writeScript(
      t.dir,
      'endless-old-pg_dump',
      `if [ "$1" = --version ]; then sleep 0.3; echo "pg_dump (PostgreSQL) 9.6.24"; exit 0; fi\necho $$ > ${pidFile}\nwhile true; do echo row; sleep 0.05; done`,
    );
    const dump = await driverWith({ pg_dump: endless }).dump(null, { format: 'plain' });
    // This pg_dump never ends on its own: that the dump ends at all says it was stopped.
    const [streamError, error] = (await Promise.all([collect(dump.stream).catch((e: unknown) => e), dump.done.catch((e: unknown) => e)])) as [AppError, AppError];
    expect(error.code).toBe('CLIENT_TOO_OLD');
    expect(streamError).toBe(error);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(processExists(pid)).toBe(false);
  });

  it('an unreachable port: SOURCE_UNREACHABLE naming host:port and user', async () => {
    const port = await closedPort();
    const error = (await driverWith({}, { port })
      .test()
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${port} as user postgres`);
    expect(error.message).toContain('connection refused');
    // pg_dump starts beside the check and fails on its own; the check's words are the dump's.
    const dump = await driverWith({}, { port }).dump(null, { format: 'custom' });
    await expect(dump.done).rejects.toMatchObject({ code: 'SOURCE_UNREACHABLE', message: error.message });
    await expect(collect(dump.stream)).rejects.toMatchObject({ code: 'SOURCE_UNREACHABLE' });
  });

  it('an unknown role: SOURCE_AUTH_FAILED naming the user, without the password', async () => {
    const error = (await driverWith({}, { user: 'vd_no_such_role' })
      .listDatabases()
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('SOURCE_AUTH_FAILED');
    expect(error.message).toContain('127.0.0.1:5432 as user vd_no_such_role');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('honours the TLS mode: disable connects and dumps, require refuses a server without TLS', async () => {
    const plain = driverWith({}, { tlsMode: 'disable' });
    expect((await plain.test()).success).toBe(true);
    const dump = await plain.dump(null, { format: 'custom' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');
    const error = (await driverWith({}, { tlsMode: 'require' })
      .test()
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.message).toContain("does not offer TLS, but this source's TLS mode is require");
  });

  describe('restores that stop halfway', () => {
    let half: Buffer;
    beforeAll(async () => {
      const dump = await driverWith().dump(null, { format: 'plain' });
      const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
      // Cut at an object boundary, so that the first half is a valid script on its own: only
      // the missing end of file keeps psql from committing it.
      half = bytes.subarray(0, bytes.lastIndexOf('\n--\n-- ', Math.floor(bytes.length / 2)) + 1);
    });
    const userTables = (db: string): Promise<number> =>
      withPg(db, async (c) => (await c.query("SELECT 1 FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")).rowCount ?? 0);
    it('a backup stream that fails: the tool is stopped before it sees an end, nothing is committed', async () => {
      const target = scratchName('pghalf');
      await createPgDatabase(target);
      try {
        const input = new PassThrough();
        const restore = driverWith().restore(input, { database: target, format: 'plain' });
        input.write(half);
        // psql has read half the dump and run part of it inside its transaction.
        await waitFor(() => input.readableLength === 0 && input.writableLength === 0);
        await new Promise((r) => setTimeout(r, 300));
        input.destroy(new Error('decrypt failed: bad tag'));
        const error = (await restore.catch((e: unknown) => e)) as AppError;
        expect(error.code).toBe('RESTORE_FAILED');
        expect(error.message).toContain(`The restore into ${target} stopped because reading the backup failed: decrypt failed: bad tag`);
        expect(await userTables(target)).toBe(0);
      } finally {
        await dropPgDatabase(target);
      }
    });

    it('cancel mid-restore: CANCELLED, psql is gone and the database it created is dropped', async () => {
      const target = scratchName('pgcancel');
      const controller = new AbortController();
      const input = new PassThrough();
      const restore = driverWith().restore(input, { database: target, format: 'plain', createDatabase: true, signal: controller.signal });
      input.write(half);
      await waitFor(() => processesWith(target).length > 0);
      await new Promise((r) => setTimeout(r, 300));
      controller.abort();
      await expect(restore).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(processesWith(target)).toEqual([]);
      const exists = await withPg('postgres', (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [target]));
      expect(exists.rowCount).toBe(0);
    });
  });
});
