import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreDto } from '../../../shared/domain/restores';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { watchDescendants } from '../testing/child-processes';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../testing/private-postgres';
import { backupIdOfRun, drillAndWait, restoreAndWait } from '../testing/restore-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('a private PostgreSQL server, pg_restore and psql', privatePostgresUnavailable() ?? probeCommand('pg_restore') ?? probeCommand('psql'));

/** Quotes, a backslash, spaces and a colon: what a password file or a connection string would mangle. */
const PASSWORD = `it's a "pass:word" \\ with spaces`;
const TOOLS = ['pg_dump', 'pg_dumpall', 'pg_restore', 'psql'];

/**
 * The shared test server trusts every login: a tool that was not given the password would still
 * connect there. This server checks it on every connection (scram-sha-256), as servers do.
 */
describe.skipIf(skip)('a PostgreSQL server that checks passwords', { timeout: 240_000 }, () => {
  const t = tempDir('vaultdesk-restore-password-');
  let server: PrivatePostgres;
  let core: Core;
  let sourceId: string;
  let diskId: string;

  const sql = <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => server.sql<T>(database, text);
  const databases = async (): Promise<string[]> => (await sql<{ datname: string }>('postgres', 'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1')).map((r) => r.datname);
  const rowsOf = (done: RestoreDto, database: string): number | undefined => done.databases.find((d) => d.database === database)?.tables?.find((x) => x.table === 'orders')?.rows;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    server.requirePassword(PASSWORD);
    await sql('postgres', 'CREATE DATABASE shop');
    await sql('shop', 'CREATE TABLE orders (id int PRIMARY KEY, note text); INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 250) g');
    await sql('postgres', "CREATE ROLE shop_reader LOGIN PASSWORD 'reader-pass'");
    core = await tempCore(t.dir);
    sourceId = (await core.call('sources:create', { engine: 'postgres', name: 'checked', host: server.host, port: server.port, user: server.user, password: PASSWORD, allDatabases: true })).id;
    diskId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') })).id;
  });
  afterAll(async () => {
    core?.close();
    await server?.stop();
    t.cleanup();
  });

  it('is refused without the password: the shared server would not have said so', async () => {
    await expect(new pg.Client({ host: server.host, port: server.port, user: server.user, database: 'postgres', password: 'not it' }).connect()).rejects.toThrow(/password authentication failed/);
  });

  it('every tool gets the password, never in its command line: the roles, a custom and a plain backup, restored in parallel, through psql and with the roles, and drilled', async () => {
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const everything = await core.call('jobs:create', { name: 'everything', sourceId, allDatabases: true, destinationIds: [diskId], encryption: 'age', profileId: profile.id });
    const plain = await core.call('jobs:create', { name: 'plain', sourceId, databases: ['shop'], format: 'plain', compression: 'gzip', destinationIds: [diskId], encryption: 'none' });
    const watch = watchDescendants(TOOLS);
    let runs: RunDto[];
    let restored: RestoreDto[];
    let drill: RestoreDto;
    try {
      runs = [await core.runService.start(everything.id, 'manual').finished, await core.runService.start(plain.id, 'manual').finished];
      for (const run of runs) expect(run.error, JSON.stringify(run.error)).toBeNull();
      await sql('postgres', 'DROP ROLE shop_reader');
      restored = [
        // Two pg_restore sessions into a database the restore creates, and the roles first, through psql.
        await restoreAndWait(core, { backupId: backupIdOfRun(runs[0]!, diskId, 'shop'), database: 'shop_custom', jobs: 2, withGlobals: true }),
        await restoreAndWait(core, { backupId: backupIdOfRun(runs[1]!, diskId, 'shop'), database: 'shop_plain' }),
      ];
      drill = await drillAndWait(core, { backupId: backupIdOfRun(runs[0]!, diskId, 'shop') });
    } finally {
      const seen = watch.stop();
      for (const p of seen) expect(p.argv.join(' ')).not.toContain(PASSWORD);
      expect(new Set(seen.map((p) => path.basename(p.argv[0]!)))).toEqual(new Set(TOOLS));
    }
    for (const done of restored) expect(done.error, JSON.stringify(done.error)).toBeNull();
    expect(rowsOf(restored[0]!, 'shop_custom')).toBe(250);
    expect(rowsOf(restored[1]!, 'shop_plain')).toBe(250);
    expect(await sql<{ n: string }>('shop_custom', 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '250' }]);
    expect(await sql<{ n: string }>('shop_plain', 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '250' }]);
    // The role came back with its own password, which the server checks too.
    const reader = new pg.Client({ host: server.host, port: server.port, user: 'shop_reader', password: 'reader-pass', database: 'postgres' });
    await reader.connect();
    await reader.end();
    expect(drill.error, JSON.stringify(drill.error)).toBeNull();
    expect(drill.status).toBe('succeeded');
  });

  it('a wrong password: the source test, a backup and a restore each say the login was refused, name the user, never a password, and leave nothing', async () => {
    const job = await core.call('jobs:create', { name: 'shop-only', sourceId, databases: ['shop'], destinationIds: [diskId], encryption: 'none' });
    const good = await core.runService.start(job.id, 'manual').finished;
    expect(good.error).toBeNull();
    const backupId = backupIdOfRun(good, diskId);
    const wrong = 'a wrong "password"';
    await core.call('sources:update', { id: sourceId, password: wrong });
    try {
      const tested = await core.call('sources:test', { id: sourceId }).catch((e: unknown) => e as { code: string; message: string });
      expect(tested).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
      expect(tested.message).toContain('as user postgres refused the login: password authentication failed');
      expect(tested.message).not.toContain(wrong);
      expect((await core.call('sources:get', { id: sourceId })).lastTest).toMatchObject({ success: false });

      const objectsBefore = (await core.call('backups:list', { refresh: true })).backups.length;
      const failed = await core.runService.start(job.id, 'manual').finished;
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
      expect(failed.error!.message).toContain('postgres');
      expect(JSON.stringify(failed)).not.toContain(wrong);
      expect(JSON.stringify(failed)).not.toContain(PASSWORD);
      expect((await core.call('backups:list', { refresh: true })).backups.length).toBe(objectsBefore);

      const before = await databases();
      const refused = await restoreAndWait(core, { backupId, database: 'shop_refused' }).catch((e: unknown) => e as { code: string; message: string });
      const error = 'databases' in refused ? refused.error : refused;
      expect(error).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
      expect(JSON.stringify(refused)).not.toContain(wrong);
      expect(await databases()).toEqual(before);

      // A drill is refused as it is asked for, with no scratch database to drop by hand: none was made.
      const history = (await core.call('restore:list', {})).length;
      const drill = await core.call('restore:drill', { backupId }).then(
        () => ({ code: 'started', message: '' }),
        (e: unknown) => e as { code: string; message: string },
      );
      expect(drill).toMatchObject({ code: 'SOURCE_AUTH_FAILED', message: expect.stringContaining('refused the login') });
      expect(drill.message).not.toContain('by hand');
      expect(await core.call('restore:list', {})).toHaveLength(history);
      expect(await databases()).toEqual(before);
    } finally {
      await core.call('sources:update', { id: sourceId, password: PASSWORD });
    }
  });

  it('a drill whose compare source refuses the login, or lacks the database, is refused before anything is restored', async () => {
    const job = await core.call('jobs:create', { name: 'shop-drill', sourceId, databases: ['shop'], destinationIds: [diskId], encryption: 'none' });
    const backupId = backupIdOfRun(await core.runService.start(job.id, 'manual').finished, diskId);
    const locked = await core.call('sources:create', { engine: 'postgres', name: 'locked', host: server.host, port: server.port, user: server.user, password: 'not it', database: 'postgres' });
    const elsewhere = await core.call('sources:create', { engine: 'postgres', name: 'elsewhere', host: server.host, port: server.port, user: server.user, password: PASSWORD, database: 'postgres' });
    await sql('postgres', 'DROP DATABASE IF EXISTS shop_moved');
    const before = await databases();
    const history = (await core.call('restore:list', {})).length;
    await expect(core.call('restore:drill', { backupId, compareSourceId: locked.id })).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    await sql('postgres', 'ALTER DATABASE shop RENAME TO shop_moved');
    try {
      await expect(core.call('restore:drill', { backupId, compareSourceId: elsewhere.id })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'Database shop on "elsewhere" does not exist: a drill compares the restored copy with it, so there is nothing to compare with. Name the source that holds it.',
      });
    } finally {
      await sql('postgres', 'ALTER DATABASE shop_moved RENAME TO shop');
    }
    expect(await core.call('restore:list', {})).toHaveLength(history);
    expect(await databases()).toEqual(before);
  });
});
