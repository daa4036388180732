import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreDto } from '../../../shared/domain/restores';
import type { RunDto } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';
import type { Core } from '../create-core';
import type { BackupManifest } from '../pipeline/manifest';
import { restoreToolWrapper } from '../testing/restore-fixtures';
import { createPgDatabase, dropPgDatabase, givePgDatabaseProperties, PG_SPLIT_SCHEMA, pgDatabaseProperties, pgDatabaseSettings, pgFingerprint, probePostgres, scratchName, seedPgAwkward, withPg } from '../testing/db-fixtures';
import { pgEnv, probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

/** The server's own user here, for a tablespace folder it can write; null where PostgreSQL does not run on this machine. */
const postgresUid = ((): number | null => {
  try {
    return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
})();

const skip = shouldSkip('PostgreSQL and pg_restore', (await probePostgres()) ?? probeCommand('pg_restore'));

async function databasesLike(fragment: string): Promise<string[]> {
  return withPg('postgres', async (c) => (await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [`%${fragment}%`])).rows.map((r) => r.datname));
}

async function rowsIn(database: string, table: string): Promise<number> {
  return withPg(database, async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n));
}

const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe.skipIf(skip)('restore and drill into PostgreSQL', () => {
  const t = tempDir('vaultdesk-restore-pg-');
  let core: Core;
  const src = scratchName('rs_src');
  const other = scratchName('rs_other');
  const copy = scratchName('rs_copy');
  const plainCopy = scratchName('rs_plain');
  let custom: RunDto;
  let plain: RunDto;
  let pair: RunDto;
  let sourceId: string;

  const run = async (job: string): Promise<RunDto> => core.runService.start(core.jobs.findByName(job)!.id, 'manual').finished;
  const backupOf = async (r: RunDto, database = src): Promise<string> => {
    const key = r.objects.find((o) => o.database === database)!.key;
    const listed = await core.call('backups:list', { refresh: true });
    return listed.backups.find((b) => b.key === key)!.id;
  };
  const restore = async (input: Parameters<Core['call']>[1] & object): Promise<RestoreDto> => {
    const { restoreId } = await core.call('restore:start', input as never);
    return core.restoreService.wait(restoreId);
  };
  /** A run of `job` whose dump went through `filter` (a shell pipeline stage): pg_dump as set in Settings for that run only. */
  const runFiltered = async (job: string, name: string, filter: string): Promise<RunDto> => {
    const wrapper = path.join(t.dir, name);
    writeFileSync(wrapper, `#!/bin/sh\ncase "$1" in --version|-V) exec pg_dump "$@";; esac\npg_dump "$@" | ${filter}\n`);
    chmodSync(wrapper, 0o755);
    await core.call('settings:setToolPath', { tool: 'pg_dump', path: wrapper });
    try {
      const r = await run(job);
      expect(r.status).toBe('succeeded');
      return r;
    } finally {
      await core.call('settings:setToolPath', { tool: 'pg_dump', path: null });
    }
  };

  beforeAll(async () => {
    await createPgDatabase(src);
    await seedPgAwkward(src);
    await createPgDatabase(other);
    await withPg(other, (c) => c.query('CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 7)'));
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    sourceId = (await core.call('sources:create', { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: src })).id;
    const disk = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    await core.call('jobs:create', { name: 'custom', sourceId, destinationIds: [disk.id], encryption: 'age', profileId: profile.id });
    await core.call('jobs:create', { name: 'plain', sourceId, destinationIds: [disk.id], format: 'plain', compression: 'gzip', encryption: 'none' });
    await core.call('jobs:create', { name: 'pair', sourceId, databases: [src, other], destinationIds: [disk.id], encryption: 'age', profileId: profile.id });
    custom = await run('custom');
    plain = await run('plain');
    pair = await run('pair');
    for (const r of [custom, plain, pair]) expect(r.status).toBe('succeeded');
  });

  afterAll(async () => {
    core?.close();
    const left = [...(await databasesLike('_vdnew_')), ...(await databasesLike('_vddrill_'))].filter((d) => d.startsWith('rs_'));
    await Promise.allSettled([src, other, copy, plainCopy, `${other}_2`, ...left].map((d) => dropPgDatabase(d)));
    t.cleanup();
  });

  it('restores a custom-format, zstd, age backup into a new database: every table, row and object as in the source, with the row counts reported and kept in the history', async () => {
    const id = await backupOf(custom);
    const r = await restore({ backupId: id, database: copy });
    expect(r.error).toBeNull();
    expect(r).toMatchObject({ status: 'succeeded', kind: 'restore', targetSource: 'pg', backupId: id });
    expect(await pgFingerprint(copy)).toEqual(await pgFingerprint(src));
    const db = r.databases[0]!;
    const dbTables = db.tables ?? [];
    expect(db).toMatchObject({ fromDatabase: src, database: copy, status: 'restored', replaced: false });
    const counted = await withPg(src, async (c) => {
      const tables = dbTables.map((x) => x.rows);
      // One query at a time: pg deprecates queueing queries on one client (a warning in every CI run).
      const real: number[] = [];
      for (const x of dbTables) real.push(Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${c.escapeIdentifier(x.schema!)}.${c.escapeIdentifier(x.table)}`)).rows[0]!.n));
      return { tables, real };
    });
    expect(dbTables.length).toBeGreaterThan(1);
    expect(counted.tables).toEqual(counted.real);
    expect(r.bytesRead).toBe(custom.objects[0]!.size);
    expect(r.message).toContain(`Restored ${src} into ${copy}`);
    expect(await pgDatabaseSettings(copy)).toEqual([]);
    const history = await core.call('restore:list', { backupId: id });
    expect(history[0]).toMatchObject({ id: r.id, status: 'succeeded', requestedBy: expect.stringMatching(/@.+ \(cli\)$/) });
  });

  it('counts the rows a custom-format dump loads as it streams, reading no restored table back; tables whose count(*) includes others are counted with SQL', async () => {
    const flat = scratchName('rs_flat');
    const nested = scratchName('rs_nest');
    const copies = [`${flat}_r`, `${nested}_r`];
    /** Sequential scans of the database's tables: a count(*) is one per table. */
    const seqScans = async (database: string): Promise<number> =>
      withPg(database, async (c) => Number((await c.query<{ n: string }>('SELECT coalesce(sum(seq_scan), 0) AS n FROM pg_stat_user_tables')).rows[0]!.n));
    try {
      await createPgDatabase(flat);
      await createPgDatabase(nested);
      await withPg(flat, (c) => c.query(String.raw`CREATE TABLE a (v text); INSERT INTO a SELECT E'line
' || g FROM generate_series(1, 500) g; CREATE TABLE b (v int);`));
      await withPg(nested, (c) => c.query('CREATE TABLE parent (v int); CREATE TABLE child () INHERITS (parent); INSERT INTO parent VALUES (1); INSERT INTO child VALUES (2), (3);'));
      await core.call('jobs:create', { name: 'scans', sourceId, databases: [flat, nested], destinationIds: core.jobs.findByName('custom')!.destinationIds, encryption: 'none' });
      const r = await run('scans');
      expect(r.status).toBe('succeeded');
      const fromStream = await restore({ backupId: await backupOf(r, flat), database: copies[0] });
      expect(fromStream.databases[0]!.tables).toEqual([
        { schema: 'public', table: 'a', rows: 500 },
        { schema: 'public', table: 'b', rows: 0 },
      ]);
      const withSql = await restore({ backupId: await backupOf(r, nested), database: copies[1] });
      // Each table's own rows (a parent's count(*) would count its children's again), counted with SQL all the same.
      expect(withSql.databases[0]!.tables).toEqual([
        { schema: 'public', table: 'child', rows: 2 },
        { schema: 'public', table: 'parent', rows: 1 },
      ]);
      // The SQL count's scans show once the counting sessions have ended; by then the first restore's would have too.
      for (let i = 0; i < 50 && (await seqScans(copies[1]!)) === 0; i++) await new Promise((done) => setTimeout(done, 100));
      expect(await seqScans(copies[1]!)).toBeGreaterThan(0);
      expect(await seqScans(copies[0]!)).toBe(0);
    } finally {
      await Promise.allSettled([flat, nested, ...copies].map((d) => dropPgDatabase(d)));
    }
  });

  it('restores a plain-format, gzip, unencrypted backup with psql', async () => {
    const r = await restore({ backupId: await backupOf(plain), database: plainCopy });
    expect(r.error).toBeNull();
    expect(await pgFingerprint(plainCopy)).toEqual(await pgFingerprint(src));
  });

  it('restores a custom-format backup in parallel (pg_restore --jobs from a decrypted temporary file, removed afterwards); refuses --jobs for a plain dump', async () => {
    const parallel = `${plainCopy}_j`;
    try {
      const r = await restore({ backupId: await backupOf(custom), database: parallel, jobs: 3 });
      expect(r.error).toBeNull();
      expect(await pgFingerprint(parallel)).toEqual(await pgFingerprint(src));
      expect(readdirSync(core.tempRoot).filter((f) => f.startsWith('restore-'))).toEqual([]);
      const refused = await failure(core.call('restore:start', { backupId: await backupOf(plain), database: `${parallel}_x`, jobs: 2 }));
      expect(refused).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(refused.message).toContain('A parallel restore (--jobs) works for PostgreSQL custom-format and MySQL/MariaDB backups only: psql reads a plain-format dump in one session');
    } finally {
      await dropPgDatabase(parallel);
    }
  });

  it('loads a backup without large objects by several pg_restore at once, by default and with --jobs, new or replacing: the same rows, objects and counts, no temporary file', async () => {
    const split = scratchName('rs_split');
    const copies = [`${split}_a`, `${split}_b`];
    await createPgDatabase(split);
    try {
      await withPg(split, (c) => c.query(PG_SPLIT_SCHEMA));
      const splitSource = await core.call('sources:create', { engine: 'postgres', name: 'pg-split', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: split });
      const disk = (await core.call('destinations:list', {})).find((d) => d.name === 'disk')!;
      const profile = (await core.call('profiles:list', {})).find((p) => p.name === 'team')!;
      await core.call('jobs:create', { name: 'split', sourceId: splitSource.id, destinationIds: [disk.id], encryption: 'age', profileId: profile.id });
      const id = await backupOf(await run('split'), split);
      const expected = await pgFingerprint(split);
      const byDefault = await restore({ backupId: id, database: copies[0] });
      const byJobs = await restore({ backupId: id, database: copies[1], jobs: 3 });
      for (const [r, database] of [[byDefault, copies[0]!], [byJobs, copies[1]!]] as const) {
        expect(r.error).toBeNull();
        expect(r.databases[0]!.tables).toContainEqual({ schema: 'Sales "EU"', table: 'orders', rows: 20000 });
        expect(await pgFingerprint(database)).toEqual(expected);
      }
      expect(readdirSync(core.tempRoot).filter((f) => f.startsWith('restore-'))).toEqual([]);
      // Over a database with tables: the scratch copy is loaded in parts, then swapped in.
      await withPg(copies[0]!, (c) => c.query(`DELETE FROM "Sales ""EU""".orders WHERE id > 10`));
      const forced = await restore({ backupId: id, database: copies[0], force: true });
      expect(forced.error).toBeNull();
      expect(await pgFingerprint(copies[0]!)).toEqual(expected);
      await withPg(copies[0]!, async (c) => expect((await c.query('SELECT sum(n)::int AS n FROM public.per_customer')).rows[0].n).toBe(20000));
    } finally {
      await Promise.allSettled([split, ...copies].map((d) => dropPgDatabase(d)));
    }
  });

  it('refuses a target that holds tables, naming it, and changes nothing; the wizard sees it as not empty', async () => {
    const id = await backupOf(custom);
    const before = await pgFingerprint(copy);
    const seen = await core.call('restore:inspectTarget', { sourceId, database: copy });
    expect(seen).toMatchObject({ exists: true });
    expect(seen.tables).toBeGreaterThan(0);
    expect(await core.call('restore:inspectTarget', { sourceId, database: 'rs_no_such_db' })).toMatchObject({ exists: false, tables: 0 });
    const refused = await failure(core.call('restore:start', { backupId: id, database: copy }));
    expect(refused.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(refused.message).toContain(`Database ${copy} on "pg" already holds ${seen.tables} tables`);
    expect(await pgFingerprint(copy)).toEqual(before);
    expect((await core.call('restore:list', { backupId: id })).filter((x) => x.status === 'running')).toEqual([]);
  });

  it("refuses the server's templates, and its maintenance database for another database's backup, even with force; nothing is started", async () => {
    const id = await backupOf(custom);
    const relations = async (database: string): Promise<number> => withPg(database, async (c) => Number((await c.query("SELECT count(*) AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace")).rows[0].n));
    const before = { template1: await relations('template1'), postgres: await relations('postgres') };
    const history = (await core.call('restore:list', {})).length;
    for (const database of ['template1', 'template0', 'postgres']) {
      const refused = await failure(core.call('restore:start', { backupId: id, database, force: true }));
      expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'database', reason: 'system-database' } });
      expect(refused.message).toMatch(new RegExp(`^${database} is .*, so Vaultdesk does not restore into it\\. Restore under another name \\(--database NAME\\)\\.$`));
    }
    expect({ template1: await relations('template1'), postgres: await relations('postgres') }).toEqual(before);
    expect(await core.call('restore:list', {})).toHaveLength(history);
  });

  it('checking a target refuses what the start would, in the same words: a template, the maintenance database for another database, a name too long', async () => {
    const id = await backupOf(custom);
    for (const database of ['template1', 'template0', 'postgres']) {
      const started = await failure(core.call('restore:start', { backupId: id, database, force: true }));
      const checked = await failure(core.call('restore:inspectTarget', { sourceId, database, fromDatabase: src }));
      expect(checked).toMatchObject({ code: 'VALIDATION_FAILED', message: started.message, details: { field: 'database', reason: 'system-database' } });
    }
    // The maintenance database's own backup may go back there: checking it without the backup's database says what it holds.
    expect(await core.call('restore:inspectTarget', { sourceId, database: 'postgres' })).toMatchObject({ exists: true });
    const long = `rs_${'x'.repeat(61)}`;
    const started = await failure(core.call('restore:start', { backupId: id, database: long }));
    const checked = await failure(core.call('restore:inspectTarget', { sourceId, database: long, fromDatabase: src }));
    expect(checked).toMatchObject({ code: 'VALIDATION_FAILED', message: `${long} is longer than the 63 bytes PostgreSQL allows for a database name.`, details: { field: 'database' } });
    expect(checked.message).toBe(started.message);
  });

  it('a database holding no table but views, a sequence and functions is not empty: refused without force, naming them, and kept; an extension alone leaves it empty', async () => {
    const [codeOnly, withExtension] = [scratchName('rs_code_only'), scratchName('rs_ext_only')];
    const objects = async (database: string): Promise<string[]> =>
      withPg(database, async (c) =>
        (
          await c.query<{ o: string }>(
            "SELECT relname || ':' || relkind::text AS o FROM pg_class WHERE relnamespace = 'public'::regnamespace UNION ALL SELECT proname || ':f' FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
          )
        ).rows.map((r) => r.o),
      );
    try {
      await createPgDatabase(codeOnly);
      // Before, this database was taken as empty: the restore was swapped in and the database holding these dropped.
      await withPg(codeOnly, (c) =>
        c.query(`CREATE VIEW answers AS SELECT 42 AS n; CREATE MATERIALIZED VIEW cached AS SELECT 1 AS n; CREATE SEQUENCE tickets;
          CREATE FUNCTION fee(n numeric) RETURNS numeric LANGUAGE sql AS 'SELECT n * 0.1'; CREATE PROCEDURE tidy() LANGUAGE sql AS 'SELECT 1';
          CREATE TYPE mood AS ENUM ('ok', 'late'); CREATE TYPE pair AS (a int, b int); CREATE DOMAIN positive AS int CHECK (VALUE > 0); CREATE SCHEMA reporting;`),
      );
      const before = await objects(codeOnly);
      const seen = await core.call('restore:inspectTarget', { sourceId, database: codeOnly });
      expect(seen).toEqual({ sourceId, database: codeOnly, exists: true, tables: 0, others: ['1 view', '1 materialized view', '1 sequence', '2 functions', '2 types', '1 domain', '1 empty schema'], sessions: 0 });
      const refused = await failure(core.call('restore:start', { backupId: await backupOf(custom), database: codeOnly }));
      expect(refused.code).toBe('RESTORE_TARGET_NOT_EMPTY');
      expect(refused.message).toContain(`Database ${codeOnly} on "pg" already holds 1 view, 1 materialized view, 1 sequence, 2 functions, 2 types, 1 domain and 1 empty schema. Restore under another name`);
      expect(await objects(codeOnly)).toEqual(before);
      expect(await databasesLike(codeOnly)).toEqual([codeOnly]);

      // An extension's functions and domains (earthdistance's earth), and a table's own serial sequence, are not counted as more.
      await createPgDatabase(withExtension);
      await withPg(withExtension, (c) => c.query('CREATE EXTENSION pgcrypto; CREATE EXTENSION earthdistance CASCADE'));
      expect(await core.call('restore:inspectTarget', { sourceId, database: withExtension })).toMatchObject({ exists: true, tables: 0, others: [] });
      await withPg(withExtension, (c) => c.query('CREATE TABLE numbered (id serial PRIMARY KEY, n int GENERATED ALWAYS AS IDENTITY)'));
      expect(await core.call('restore:inspectTarget', { sourceId, database: withExtension })).toMatchObject({ exists: true, tables: 1, others: [] });
    } finally {
      await Promise.allSettled([codeOnly, withExtension].map(dropPgDatabase));
    }
  });

  it('with force, replaces the database by the backup once the restored copy is complete, and drops the scratch copy and the old one', async () => {
    await withPg(copy, (c) => c.query('CREATE TABLE extra (id int); INSERT INTO extra VALUES (1)'));
    const r = await restore({ backupId: await backupOf(custom), database: copy, force: true });
    expect(r.error).toBeNull();
    expect(r.databases[0]).toMatchObject({ replaced: true, status: 'restored' });
    expect(await pgFingerprint(copy)).toEqual(await pgFingerprint(src));
    expect(await databasesLike(`${copy}_vdnew_`)).toEqual([]);
    expect(await pgDatabaseSettings(copy)).toEqual([]);
  });

  it("with force, the replaced database's owner, privileges, settings, connection limit, comment and being a template stay with its name (the replaced template dropped)", async () => {
    const kept = `${copy}_kept`;
    const [owner, reader] = [scratchName('rs_owner'), scratchName('rs_reader')];
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${owner}; CREATE ROLE ${reader}`));
    try {
      await createPgDatabase(kept);
      await withPg(kept, (c) => c.query('CREATE TABLE extra (id int)'));
      await givePgDatabaseProperties(kept, { owner, reader });
      const before = await pgDatabaseProperties(kept);
      expect(before).toMatchObject({ owner, connectionLimit: 7, comment: 'Shop, live', template: true });
      const r = await restore({ backupId: await backupOf(custom), database: kept, force: true });
      expect(r.error).toBeNull();
      expect(r.databases[0]).toMatchObject({ replaced: true, status: 'restored', notes: [] });
      expect(await pgFingerprint(kept)).toEqual(await pgFingerprint(src));
      expect(await pgDatabaseProperties(kept)).toEqual(before);
      expect(await databasesLike(`${kept}_vdnew_`)).toEqual([]);
    } finally {
      await dropPgDatabase(kept);
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${owner}; DROP ROLE IF EXISTS ${reader}`));
    }
  });

  it.skipIf(postgresUid === null)('with force, the restored copy is made in the tablespace of the database it replaces; a user who may not create there is refused before anything is restored', async () => {
    // A tablespace is a folder of the server's: this needs the server on this machine, run as user postgres.
    const dir = mkdtempSync(path.join(tmpdir(), 'vd-tablespace-'));
    chownSync(dir, postgresUid!, postgresUid!);
    const ts = scratchName('rs_ts');
    const placed = `${copy}_ts`;
    const role = scratchName('rs_nots');
    await withPg('postgres', (c) => c.query(`CREATE TABLESPACE ${ts} LOCATION '${dir}'`));
    try {
      await withPg('postgres', (c) => c.query(`CREATE DATABASE ${placed} TABLESPACE ${ts}`));
      await withPg(placed, (c) => c.query('CREATE TABLE extra (id int)'));
      const backupId = await backupOf(custom);
      const r = await restore({ backupId, database: placed, force: true });
      expect(r.error).toBeNull();
      expect(r.databases[0]).toMatchObject({ replaced: true, notes: [] });
      expect(await pgFingerprint(placed)).toEqual(await pgFingerprint(src));
      const tablespaceOf = async (db: string): Promise<string> =>
        withPg('postgres', async (c) => (await c.query<{ t: string }>('SELECT t.spcname AS t FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace WHERE d.datname = $1', [db])).rows[0]!.t);
      expect(await tablespaceOf(placed)).toBe(ts);

      await withPg(placed, (c) => c.query('CREATE TABLE extra (id int)'));
      await withPg('postgres', (c) => c.query(`CREATE ROLE ${role} LOGIN CREATEDB`));
      const limited = await core.call('sources:create', { engine: 'postgres', name: 'pg-no-tablespace', host: pgEnv.host, port: pgEnv.port, user: role, database: placed });
      const refused = await restore({ backupId, targetSourceId: limited.id, database: placed, force: true });
      expect(refused).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(refused.error!.message).toMatch(new RegExp(`^User ${role} may not create databases in tablespace ${ts} \\(permission denied for tablespace ${ts}\\), where the database to be replaced is, so ${placed}_vdnew_\\w+, the copy to restore beside it, could not be made there\\. Nothing was restored\\. Grant ${role} CREATE on tablespace ${ts}, or restore as a user who has it\\.$`));
      expect(refused.message).toContain(`${placed} was left as it was.`);
      expect(await withPg(placed, async (c) => (await c.query("SELECT 1 FROM pg_class WHERE relname = 'extra'")).rowCount)).toBe(1);
      expect(await databasesLike(`${placed}_vdnew_`)).toEqual([]);
    } finally {
      await dropPgDatabase(placed);
      await withPg('postgres', async (c) => {
        await c.query(`DROP TABLESPACE IF EXISTS ${ts}`);
        await c.query(`DROP ROLE IF EXISTS ${role}`);
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a database a restore creates gets the backed-up database's settings (its own and its roles' in it), connection limit and comment, which a dump leaves out; not its owner or privileges without the run's roles", async () => {
    const kept = scratchName('rs_props');
    const copies = [`${kept}_new`, `${kept}_plain`];
    const [owner, reader] = [scratchName('rs_powner'), scratchName('rs_preader')];
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${owner}; CREATE ROLE ${reader}`));
    try {
      await createPgDatabase(kept);
      await withPg(kept, (c) => c.query('CREATE TABLE t (id int); INSERT INTO t VALUES (1)'));
      await givePgDatabaseProperties(kept, { owner, reader });
      const original = await pgDatabaseProperties(kept);
      const disk = core.jobs.findByName('custom')!.destinationIds;
      await core.call('jobs:create', { name: 'props', sourceId, databases: [kept], destinationIds: disk, encryption: 'none' });
      await core.call('jobs:create', { name: 'props-plain', sourceId, databases: [kept], destinationIds: disk, format: 'plain', encryption: 'none' });
      const [customRun, plainRun] = [await run('props'), await run('props-plain')];
      expect([customRun.status, plainRun.status]).toEqual(['succeeded', 'succeeded']);
      const manifest = JSON.parse(readFileSync(path.join(t.dir, 'backups', `${customRun.objects[0]!.key}.manifest.json`), 'utf8')) as BackupManifest;
      expect(manifest.source.properties).toMatchObject({ owner, connectionLimit: 7, comment: 'Shop, live', acl: expect.arrayContaining([{ grantee: reader, privilege: 'CONNECT', grantable: false }]) });

      for (const [i, r] of [customRun, plainRun].entries()) {
        const done = await restore({ backupId: await backupOf(r, kept), database: copies[i] });
        expect(done.error).toBeNull();
        expect(done.databases[0]!.notes).toEqual([]);
        expect(await pgDatabaseProperties(copies[i]!)).toEqual({
          ...original,
          // Left out, as the objects' are, unless the run's roles are restored with it; and a restored copy is no template.
          owner: pgEnv.user,
          acl: null,
          template: false,
        });
      }
      // An application connecting to the copy finds its schemas as in the original.
      const searchPath = await withPg(copies[0]!, async (c) => (await c.query<{ search_path: string }>('SHOW search_path')).rows[0]!.search_path);
      expect(searchPath).toBe('app, "$user", "My Schema"');
    } finally {
      await Promise.allSettled([kept, ...copies].map((d) => dropPgDatabase(d)));
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${owner}; DROP ROLE IF EXISTS ${reader}`));
    }
  });

  it('a user who may not create databases is told that every restore creates one, into a new name or over an existing database, and nothing is left', async () => {
    const role = scratchName('nocreate');
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`));
    try {
      const limited = await core.call('sources:create', { engine: 'postgres', name: 'pg-limited', host: pgEnv.host, port: pgEnv.port, user: role, database: src });
      const backupId = await backupOf(custom);
      const target = `${copy}_limited`;
      const fresh = await restore({ backupId, targetSourceId: limited.id, database: target });
      expect(fresh).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      // Creating it by hand first would not help: the restore would then need a scratch copy beside it.
      expect(fresh.error!.message).toBe(
        `User ${role} may not create databases, and the restore had to create ${target} (permission denied to create database). Restore as a user with CREATEDB, such as the server's administrator; or, for a new database, have it created empty for ${role} (CREATE DATABASE name OWNER ${role}) and restore into it: into an existing empty database the restore creates nothing. Replacing a database that is not empty, and a drill, need a scratch copy, which only a user with CREATEDB can make.`,
      );
      expect(await databasesLike(target)).toEqual([]);
      const before = await pgFingerprint(copy);
      const over = await restore({ backupId, targetSourceId: limited.id, database: copy, force: true });
      expect(over).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(over.error!.message).toContain(`User ${role} may not create databases, and the restore had to create ${copy}_vdnew_`);
      expect(await pgFingerprint(copy)).toEqual(before);
      expect(await databasesLike(`${copy}_vdnew_`)).toEqual([]);
      // No scratch database was made, so none is named as left behind, here or after a drill.
      expect(over.databases[0]!.notes).toEqual([]);
      const drill = await core.restoreService.wait((await core.call('restore:drill', { backupId, targetSourceId: limited.id })).restoreId);
      expect(drill).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(drill.error!.message).toContain(`User ${role} may not create databases`);
      expect(drill.databases[0]!.notes).toEqual([]);
      expect(drill.toDo).toEqual([]);
    } finally {
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    }
  });

  it('a user who may not create databases restores straight into an existing empty database it owns, in one transaction: restored, its owner kept; a failure halfway leaves it empty', async () => {
    const role = scratchName('owner_nc');
    const own = `${copy}_own`;
    await withPg('postgres', async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
      await c.query(`CREATE DATABASE ${own} OWNER ${role}`);
    });
    try {
      const limited = await core.call('sources:create', { engine: 'postgres', name: 'pg-owner', host: pgEnv.host, port: pgEnv.port, user: role, database: own });
      const backupId = await backupOf(custom);
      // pg_restore gets the archive up to halfway through its data, then the end of its input.
      const dumpBytes = (JSON.parse(readFileSync(path.join(t.dir, 'backups', `${custom.objects[0]!.key}.manifest.json`), 'utf8')) as { dump: { bytes: number } }).dump.bytes;
      const cut = restoreToolWrapper(path.join(t.dir, 'bin-cut'), 'pg_restore', `head -c ${Math.floor(dumpBytes * 0.6)} | REAL "$@"`);
      await core.call('settings:setToolPath', { tool: 'pg_restore', path: cut });
      let failed: RestoreDto;
      try {
        failed = await restore({ backupId, targetSourceId: limited.id, database: own });
      } finally {
        await core.call('settings:setToolPath', { tool: 'pg_restore', path: null });
      }
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(failed.message).toContain(`${own} was left as it was.`);
      expect(failed.databases[0]!.notes).toEqual([]);
      expect(await core.call('restore:inspectTarget', { sourceId: limited.id, database: own })).toMatchObject({ exists: true, tables: 0, others: [] });

      const r = await restore({ backupId, targetSourceId: limited.id, database: own });
      expect(r.error).toBeNull();
      expect(r.databases[0]).toMatchObject({ status: 'restored', replaced: false });
      expect(r.databases[0]!.notes).toEqual([
        `User ${role} may not create databases, so the backup was restored straight into the existing empty database ${own}, in one transaction, rather than into a copy swapped in: ${own} keeps its own owner, privileges, encoding and locale.`,
      ]);
      expect(await pgFingerprint(own)).toEqual(await pgFingerprint(src));
      expect((await pgDatabaseProperties(own)).owner).toBe(role);
      expect(await databasesLike(`${own}_vdnew_`)).toEqual([]);
      // Not empty now: replacing it needs a scratch copy, which this user cannot make; --jobs cannot run in one transaction.
      const over = await restore({ backupId, targetSourceId: limited.id, database: own, force: true });
      expect(over.error!.message).toContain(`User ${role} may not create databases, and the restore had to create ${own}_vdnew_`);
      expect(await pgFingerprint(own)).toEqual(await pgFingerprint(src));
      await dropPgDatabase(own);
      await withPg('postgres', (c) => c.query(`CREATE DATABASE ${own} OWNER ${role}`));
      const jobs = await core.call('restore:start', { backupId, targetSourceId: limited.id, database: own, jobs: 2 }).catch((e: unknown) => e);
      expect(jobs).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'jobs' } });
      expect((jobs as Error).message).toContain(`so it restores into the existing empty database ${own} directly, in one transaction`);
    } finally {
      await dropPgDatabase(own);
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    }
  });

  it("pg_restore runs with the server's own settings, as it would from a shell (backend_flush_after made restores slower), and the restored database keeps no setting of Vaultdesk's", async () => {
    // pg_restore as configured in Settings, which first asks, as a session of the database it restores into, what that session gets.
    const seen = path.join(t.dir, 'flush-seen');
    const wrapper = path.join(t.dir, 'pg_restore');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in --dbname=*) psql --no-psqlrc -XAt -c "SELECT current_setting('backend_flush_after')" "\${a#--dbname=}" >> ${seen};; esac; done\nexec pg_restore "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    await core.call('settings:setToolPath', { tool: 'pg_restore', path: wrapper });
    try {
      const r = await restore({ backupId: await backupOf(custom), database: copy, force: true });
      expect(r.error).toBeNull();
      const serverOwn = await withPg('postgres', async (c) => (await c.query<{ v: string }>("SELECT current_setting('backend_flush_after') AS v")).rows[0]!.v);
      expect(readFileSync(seen, 'utf8')).toBe(`${serverOwn}\n`);
    } finally {
      await core.call('settings:setToolPath', { tool: 'pg_restore', path: null });
    }
    expect(await pgFingerprint(copy)).toEqual(await pgFingerprint(src));
    expect(await pgDatabaseSettings(copy)).toEqual([]);
  });

  it('does not replace a database that is in use: said as the restore starts and in the wizard, the restore fails at the swap saying so, the target is as it was, and no scratch copy is left', async () => {
    const client = new pg.Client({ host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: copy });
    await client.connect();
    try {
      await client.query('CREATE TABLE in_use_marker (id int)');
      const before = await pgFingerprint(copy);
      // The inspection's own session is not counted.
      expect(await core.call('restore:inspectTarget', { sourceId, database: copy })).toMatchObject({ exists: true, sessions: 1 });
      const started = await core.call('restore:start', { backupId: await backupOf(custom), database: copy, force: true });
      expect(started.warnings).toEqual([
        `${copy} has 1 other session connected now. PostgreSQL cannot replace a database while any session is connected to it: close it (or stop the application using it) before the restore finishes, or it will stop at the swap, leaving ${copy} as it was.`,
      ]);
      const r = await core.restoreService.wait(started.restoreId);
      expect(r.status).toBe('failed');
      expect(r.stage).toBe('swap');
      expect(r.error).toMatchObject({ code: 'RESTORE_FAILED' });
      expect(r.error!.message).toMatch(new RegExp(`Database ${copy} on .* is in use by \\d+ session`));
      expect(r.message).toContain(`${copy} was left as it was.`);
      expect(await pgFingerprint(copy)).toEqual(before);
      expect(await databasesLike(`${copy}_vdnew_`)).toEqual([]);
    } finally {
      await client.end();
    }
    expect(await core.call('restore:inspectTarget', { sourceId, database: copy })).toMatchObject({ exists: true, sessions: 0 });
    const fresh = await core.call('restore:start', { backupId: await backupOf(plain), database: `${copy}_fresh` });
    expect(fresh.warnings).toEqual([]);
    expect((await core.restoreService.wait(fresh.restoreId)).status).toBe('succeeded');
    await dropPgDatabase(`${copy}_fresh`);
  });

  it('with endSessions, replaces a database in use: its other sessions are ended at the swap, said in the notes, and the restored database takes connections', async () => {
    const client = new pg.Client({ host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: copy });
    await client.connect();
    const ended = new Promise<Error>((resolve) => client.on('error', resolve));
    try {
      await client.query('CREATE TABLE ended_session_marker (id int)');
      const started = await core.call('restore:start', { backupId: await backupOf(custom), database: copy, force: true, endSessions: true });
      // Nothing to warn of: the sessions will be ended.
      expect(started.warnings).toEqual([]);
      const r = await core.restoreService.wait(started.restoreId);
      expect(r.status, r.message ?? '').toBe('succeeded');
      expect(r.databases[0]!.notes).toContain(`Ended 1 other session connected to ${copy} before replacing it.`);
      expect((await ended).message).toMatch(/terminat/);
      // The backup's tables, not the marker the ended session made; and new connections are taken.
      expect(await withPg(copy, async (c) => (await c.query<{ t: string | null }>("SELECT to_regclass('ended_session_marker') AS t")).rows[0]!.t)).toBeNull();
      expect(await pgFingerprint(copy)).toEqual(await pgFingerprint(src));
      expect(await databasesLike(`${copy}_vdnew_`)).toEqual([]);
    } finally {
      await client.end().catch(() => undefined);
    }
    const refused = await failure(core.call('restore:start', { backupId: await backupOf(custom), database: `${copy}_new`, endSessions: true }));
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'endSessions' } });
  });

  it('restores the databases of one run: --all-databases each under its own name (refused where one holds tables), --only one of them', async () => {
    const id = await backupOf(pair, other);
    const refused = await failure(core.call('restore:start', { backupId: id, allDatabases: true }));
    expect(refused.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    // The way out it names is one --all-databases takes: --database alone is refused there.
    expect(refused.message).toContain('Restore that database alone under another name (--only DB --database NAME), or replace it (--force)');
    const named = await failure(core.call('restore:start', { backupId: id, allDatabases: true, database: 'x' }));
    expect(named.message).toContain('2 databases are to be restored, each under its own name');
    const missing = await failure(core.call('restore:start', { backupId: id, only: 'nope' }));
    expect(missing.message).toContain(`The run that made this backup has no database nope; it holds: `);

    await withPg(other, (c) => c.query('INSERT INTO t VALUES (100)'));
    const both = await restore({ backupId: id, allDatabases: true, force: true });
    expect(both.error).toBeNull();
    expect(both.databases.map((d) => d.database).sort()).toEqual([src, other].sort());
    expect(await rowsIn(other, 't')).toBe(7);

    await withPg(other, (c) => c.query('INSERT INTO t VALUES (101)'));
    const one = await restore({ backupId: await backupOf(pair, src), only: other, force: true });
    expect(one.databases.map((d) => d.database)).toEqual([other]);
    // The history names the backup restored, not the one of the same run it was found by, and lists it under it.
    expect(one).toMatchObject({ backupId: await backupOf(pair, other), key: pair.objects.find((o) => o.database === other)!.key });
    expect((await core.call('restore:list', { backupId: await backupOf(pair, other), limit: 5 })).map((r) => r.id)).toContain(one.id);
    expect(await rowsIn(other, 't')).toBe(7);
  });

  it('a backup written by a newer pg_dump than pg_restore reads is refused in words that say which tools to use, and leaves no database behind', async () => {
    // A pg_dump set in Settings whose archives claim format 1.99, as a pg_dump from a later release would write.
    const future = await runFiltered('custom', 'pg_dump_future', "{ dd bs=1 count=5 2>/dev/null; printf '\\001\\143\\000'; dd bs=1 count=3 of=/dev/null 2>/dev/null; cat; }");
    const target = `${copy}_future`;
    const r = await restore({ backupId: await backupOf(future), database: target });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('RESTORE_FAILED');
    expect(r.error?.message).toContain('unsupported version (1.99) in file header');
    expect(r.error?.message).toMatch(/The backup was written by a newer pg_dump than \/\S*pg_restore, which cannot read its archive format 1\.99\. Restore it with the PostgreSQL client tools of the release that made it or a newer one: install them, and if Vaultdesk does not find them on its own, set pg_restore's path in Settings\. Nothing was kept\.$/);
    expect(await databasesLike(target)).toEqual([]);
  });

  it('a plain dump that sets a parameter this server does not know (as pg_dump 17 writes transaction_timeout) is refused in words that say why, and leaves no database behind', async () => {
    const newer = await runFiltered('plain', 'pg_dump_17_plain', "sed 's/^SET statement_timeout = 0;$/&\\nSET transaction_timeout = 0;/'");
    const backupId = await backupOf(newer);
    const madeOn = (await core.call('backups:get', { id: backupId })).serverVersion;
    const target = `${plainCopy}_17`;
    const r = await restore({ backupId, database: target });
    expect(r).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
    expect(r.error!.message).toContain('unrecognized configuration parameter "transaction_timeout"');
    expect(r.error!.message).toContain(
      `. The dump sets transaction_timeout, which this server does not know: it was written by a pg_dump of a newer release than this server (the backup was made on ${madeOn}). Restore it into a server of that release or a newer one. Backups in custom format do not meet this`,
    );
    expect(await databasesLike(target)).toEqual([]);
  });

  it('a plain dump that opens with \\restrict, restored by a psql from before that command, is refused in words that say which tools to update, and leaves no database behind', async () => {
    // The filter puts a \restrict line first, as pg_dump does from 15.14 (and 17.6, 16.10 ...) on, whichever pg_dump is installed.
    const guarded = await runFiltered('plain', 'pg_dump_restrict', String.raw`awk 'NR == 1 { print "\\restrict vdTestKey" } { print }'`);
    // No older psql is installed here: this one answers as psql 15.13 does, stopping at its first \restrict line (ON_ERROR_STOP, exit 3).
    const oldPsql = path.join(t.dir, 'psql_15_13');
    writeFileSync(
      oldPsql,
      String.raw`#!/bin/sh
case "$1" in --version|-V) echo "psql (PostgreSQL) 15.13"; exit 0;; esac
n=0
while IFS= read -r line; do
  n=$((n+1))
  case "$line" in '\restrict '*) printf 'psql:<stdin>:%s: error: invalid command \\restrict\n' "$n" >&2; exit 3;; esac
done
`,
    );
    chmodSync(oldPsql, 0o755);
    const target = `${plainCopy}_restrict`;
    await core.call('settings:setToolPath', { tool: 'psql', path: oldPsql });
    let r: RestoreDto;
    try {
      r = await restore({ backupId: await backupOf(guarded), database: target });
    } finally {
      await core.call('settings:setToolPath', { tool: 'psql', path: null });
    }
    expect(r).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
    expect(r.error!.message).toContain('error: invalid command \\restrict');
    expect(r.error!.message).toContain(
      `The dump opens with \\restrict, which pg_dump and pg_dumpall write into plain dumps from their releases of August 2025 on (17.6, 16.10, 15.14, 14.19, 13.22 and later), and ${oldPsql} is older than those: update the PostgreSQL client tools here (a minor update of the same release is enough), or set psql's path in Settings to a newer one. Nothing was kept.`,
    );
    expect(await databasesLike(target)).toEqual([]);
  });

  it('a backup using an extension this server does not have is refused naming it and what to install, and leaves no database behind', async () => {
    // A pg_dump set in Settings whose plain dumps create an extension that is not installed here, as a source with PostGIS would.
    const withExtension = await runFiltered('plain', 'pg_dump_extension', "sed 's/^SET statement_timeout = 0;$/&\\nCREATE EXTENSION IF NOT EXISTS vd_missing_ext;/'");
    const target = `${plainCopy}_ext`;
    const r = await restore({ backupId: await backupOf(withExtension), database: target });
    expect(r).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
    expect(r.error!.message).toMatch(/extension "vd_missing_ext" is not available|could not open extension control file/);
    expect(r.error!.message).toContain("The backup uses the extension vd_missing_ext, which is not installed on this server: install it there (its package for the server's PostgreSQL release), then restore again.");
    expect(await databasesLike(target)).toEqual([]);
  });

  it('a drill whose scratch database the server will not drop names it, in its notes, its message and its toDo', async () => {
    // pg_restore as configured in Settings, which leaves a subscription in the database it restored: DROP DATABASE refuses that.
    // A restore in parts runs it for the objects, the rows and the rest: the last one leaves it.
    const wrapper = path.join(t.dir, 'pg_restore_holding');
    writeFileSync(
      wrapper,
      `#!/bin/sh\npg_restore "$@" || exit $?\ncase " $* " in *" --data-only "*|*" --section=pre-data "*) exit 0;; esac\nfor a in "$@"; do case "$a" in --dbname=*) psql --no-psqlrc -Xq -c "CREATE SUBSCRIPTION vd_hold CONNECTION 'host=127.0.0.1 port=1 dbname=none' PUBLICATION none WITH (connect = false, slot_name = NONE)" "\${a#--dbname=}" || exit 1;; esac; done\n`,
    );
    chmodSync(wrapper, 0o755);
    await core.call('settings:setToolPath', { tool: 'pg_restore', path: wrapper });
    let left: string[] = [];
    try {
      const drill = await core.restoreService.wait((await core.call('restore:drill', { backupId: await backupOf(pair, other) })).restoreId);
      left = (await databasesLike('_vddrill_')).filter((d) => d.startsWith(other.slice(0, 20)));
      expect(left).toHaveLength(1);
      const note = `The scratch database ${left[0]} on "pg" could not be dropped: drop it by hand.`;
      expect(drill).toMatchObject({ status: 'succeeded', toDo: [note] });
      expect(drill.drill).toMatchObject({ scratchDropped: false });
      expect(drill.databases[0]!.notes).toEqual([note]);
      expect(drill.message).toMatch(/; the scratch database was not dropped\. The scratch database .* drop it by hand\.$/);
      expect(drill.message.endsWith(note)).toBe(true);
    } finally {
      await core.call('settings:setToolPath', { tool: 'pg_restore', path: null });
      for (const d of left) {
        await withPg(d, (c) => c.query('DROP SUBSCRIPTION IF EXISTS vd_hold'));
        await dropPgDatabase(d);
      }
    }
  });

  it('a drill restores into a scratch database, finds a table with rows added since the backup, drops the scratch database and keeps the verdict with the backup', async () => {
    const id = await backupOf(pair, other);
    const clean = await core.restoreService.wait((await core.call('restore:drill', { backupId: id })).restoreId);
    expect(clean.error).toBeNull();
    expect(clean.drill).toMatchObject({ ok: true, differences: [], scratchDropped: true, tables: 1 });

    await withPg(other, (c) => c.query('INSERT INTO t VALUES (8), (9), (10)'));
    const drill = await core.restoreService.wait((await core.call('restore:drill', { backupId: id })).restoreId);
    expect(drill).toMatchObject({ status: 'succeeded', kind: 'drill' });
    expect(drill.drill).toMatchObject({ ok: false, scratchDropped: true, comparedWith: `${other} on "pg"` });
    expect(drill.drill!.differences).toEqual([{ schema: 'public', table: 't', inBackup: 7, inSourceNow: 10, difference: 3 }]);
    expect(drill.message).toContain('Drill found 1 table whose row counts differ');
    expect((await databasesLike('_vddrill_')).filter((d) => d.startsWith(other.slice(0, 20)))).toEqual([]);
    const backup = await core.call('backups:get', { id });
    expect(backup.lastDrill).toMatchObject({ ok: false, restored: true, restoreId: drill.id, message: drill.message });
    // The source itself is untouched by a drill.
    expect(await rowsIn(other, 't')).toBe(10);
  });
});
