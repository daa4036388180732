import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { createPgDatabase, dropPgDatabase, givePgDatabaseProperties, pgDatabaseProperties, pgDatabaseSettings, probePostgres, scratchName, withPg } from '../testing/db-fixtures';
import { backUp, backupIdOfRun, directAndExecSources, drillAndWait, pgDatabases, pgRowCounts, restoreAndWait } from '../testing/restore-fixtures';
import { pgEnv, probeCommand, shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('PostgreSQL, pg_restore and sshd', (await probePostgres()) ?? probeCommand('pg_restore') ?? sshdUnavailable());

describe.skipIf(skip)('restore and drill into PostgreSQL through a source whose tools run on its SSH host', () => {
  const t = tempDir('vaultdesk-restore-pg-exec-');
  const hex = randomBytes(3).toString('hex');
  const marker = `/tmp/vd-injected-${hex}`;
  const src = scratchName('rpx_src');
  // Quotes, a command substitution and unicode: each layer between here and psql on the SSH host must keep it literal.
  const target = `vd 'q' "d" $(touch ${marker}) ☕ ${hex}`;
  /** As much of target as its scratch and old copies keep: up to its marker's random hex, which another test file's awkward names do not share. */
  const TARGET_PREFIX = `vd 'q' "d" $(touch ${marker}`.length;
  let sshd: SshdServer;
  let core: Core;
  let run: RunDto;
  let destinationId: string;
  let execId: string;

  beforeAll(async () => {
    sshd = await startSshd();
    await createPgDatabase(src);
    await withPg(src, (c) =>
      c.query(`CREATE SCHEMA "Sales Dept";
        CREATE TABLE public.orders (id int PRIMARY KEY, label text); INSERT INTO public.orders SELECT g, 'order ' || g FROM generate_series(1, 50) g;
        CREATE TABLE "Sales Dept"."Q1 ""Report"" ☕" (id int); INSERT INTO "Sales Dept"."Q1 ""Report"" ☕" SELECT generate_series(1, 20);`),
    );
    core = await tempCore(t.dir);
    ({ execId, run, destinationId } = await directAndExecSources(
      core,
      sshd,
      { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: src },
      'postgres',
      path.join(t.dir, 'backups'),
    ));
  });

  afterAll(async () => {
    core?.close();
    const left = (await pgDatabases()).filter((d) => d.startsWith(src.slice(0, 20)) || d.startsWith(target.slice(0, TARGET_PREFIX)));
    await Promise.allSettled([src, target, ...left].map(dropPgDatabase));
    await sshd?.stop();
    rmSync(marker, { force: true });
    t.cleanup();
  });

  it('restores a backup made through a direct source into a new database through the exec source, with the row counts of the source', async () => {
    const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target });
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', targetSource: 'pg-exec' });
    expect(done.databases[0]).toMatchObject({ status: 'restored', database: target, replaced: false });
    const counts = await pgRowCounts(src);
    expect(counts).toEqual({ 'Sales Dept.Q1 "Report" ☕': 20, 'public.orders': 50 });
    expect(await pgRowCounts(target)).toEqual(counts);
    // Counted by psql on the SSH host, in name order.
    expect(done.databases[0]!.tables).toEqual([
      { schema: 'Sales Dept', table: 'Q1 "Report" ☕', rows: 20 },
      { schema: 'public', table: 'orders', rows: 50 },
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('sees the restored database as not empty and refuses to restore over it without force, changing nothing', async () => {
    expect(await core.call('restore:inspectTarget', { sourceId: execId, database: target })).toMatchObject({ exists: true, tables: 2 });
    expect(await core.call('restore:inspectTarget', { sourceId: execId, database: `${target} missing` })).toMatchObject({ exists: false, tables: 0 });
    await withPg(target, (c) => c.query('INSERT INTO public.orders VALUES (1000, $1)', ['after the restore']));
    const refused = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY', details: { database: target, tables: 2 } });
    expect((refused as Error).message).toContain(`Database ${target} on "pg-exec" already holds 2 tables`);
    expect((await pgRowCounts(target))['public.orders']).toBe(51);
  });

  it('with force, swaps the restored copy in: rows and tables added since are gone, no scratch or old copy is left', async () => {
    await withPg(target, (c) => c.query('CREATE TABLE extra (id int); INSERT INTO extra VALUES (1)'));
    const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target, force: true });
    expect(done.error).toBeNull();
    expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: true });
    expect(await pgRowCounts(target)).toEqual(await pgRowCounts(src));
    expect((await pgDatabases()).filter((d) => d.startsWith(target.slice(0, TARGET_PREFIX)))).toEqual([target]);
    expect(await pgDatabaseSettings(target)).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it("with force, the replaced database's owner, privileges, settings, connection limit, comment and being a template stay with its name (the replaced template dropped), given by psql on the SSH host", async () => {
    const kept = `${target} kept`;
    const [owner, reader] = [scratchName('rpx_owner'), scratchName('rpx_reader')];
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${owner}; CREATE ROLE ${reader}`));
    try {
      await createPgDatabase(kept);
      await givePgDatabaseProperties(kept, { owner, reader });
      const before = await pgDatabaseProperties(kept);
      expect(before).toMatchObject({ owner, connectionLimit: 7, template: true });
      const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: kept, force: true });
      expect(done.error).toBeNull();
      expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: true, notes: [] });
      expect(await pgRowCounts(kept)).toEqual(await pgRowCounts(src));
      expect(await pgDatabaseProperties(kept)).toEqual(before);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await dropPgDatabase(kept);
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${owner}; DROP ROLE IF EXISTS ${reader}`));
    }
  });

  it("backed up and restored through the exec source, a new database gets the backed-up one's settings, connection limit and comment, read and given by psql on the SSH host", async () => {
    const props = `${target} pp`;
    const copy = `${target} pc`;
    const [owner, reader] = [scratchName('rpx_powner'), scratchName('rpx_preader')];
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${owner}; CREATE ROLE ${reader}`));
    try {
      await createPgDatabase(props);
      await withPg(props, (c) => c.query('CREATE TABLE t (id int); INSERT INTO t VALUES (1)'));
      await givePgDatabaseProperties(props, { owner, reader });
      const original = await pgDatabaseProperties(props);
      const job = await core.call('jobs:create', { name: 'props-exec', sourceId: execId, databases: [props], destinationIds: [destinationId], encryption: 'none' });
      const backedUp = await backUp(core, job.id);
      const done = await restoreAndWait(core, { backupId: backupIdOfRun(backedUp, destinationId), targetSourceId: execId, database: copy });
      expect(done.error).toBeNull();
      expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: false, notes: [] });
      expect(await pgDatabaseProperties(copy)).toEqual({ ...original, owner: pgEnv.user, acl: null, template: false });
      expect(existsSync(marker)).toBe(false);
    } finally {
      await Promise.allSettled([props, copy].map((d) => dropPgDatabase(d)));
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${owner}; DROP ROLE IF EXISTS ${reader}`));
    }
  });

  it('does not replace a database in use: RESTORE_FAILED naming the sessions, the target as it was, no scratch copy left', async () => {
    const client = new pg.Client({ host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: target });
    await client.connect();
    try {
      await client.query('CREATE TABLE in_use_marker (id int)');
      const before = await pgRowCounts(target);
      // Counted by psql on the SSH host, its own session aside, and said as the restore starts.
      expect(await core.call('restore:inspectTarget', { sourceId: execId, database: target })).toMatchObject({ exists: true, sessions: 1 });
      const started = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target, force: true });
      expect(started.warnings).toEqual([expect.stringMatching(/^.+ has 1 other session connected now\. PostgreSQL cannot replace a database while any session is connected to it/)]);
      const done = await core.restoreService.wait(started.restoreId);
      expect(done).toMatchObject({ status: 'failed', stage: 'swap', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toMatch(/is in use by 1 session, so it cannot be replaced; it was left as it was/);
      expect(await pgRowCounts(target)).toEqual(before);
      expect((await pgDatabases()).filter((d) => d.startsWith(target.slice(0, TARGET_PREFIX)))).toEqual([target]);
      // Asked to, psql on the SSH host ends the session at the swap, and the copy goes in.
      const ended = new Promise<Error>((resolve) => client.on('error', resolve));
      const replaced = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target, force: true, endSessions: true });
      expect(replaced.error).toBeNull();
      expect(replaced.databases[0]!.notes).toContain(`Ended 1 other session connected to ${target} before replacing it.`);
      expect((await ended).message).toMatch(/terminat/);
      expect(Object.keys(await pgRowCounts(target))).not.toContain('public.in_use_marker');
      expect((await pgDatabases()).filter((d) => d.startsWith(target.slice(0, TARGET_PREFIX)))).toEqual([target]);
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('a drill through the exec source, compared through it too, finds the rows added since the backup and drops its scratch database', async () => {
    const backupId = backupIdOfRun(run, destinationId);
    const clean = await drillAndWait(core, { backupId, targetSourceId: execId, compareSourceId: execId });
    expect(clean.error).toBeNull();
    expect(clean.drill).toMatchObject({ ok: true, tables: 2, differences: [], scratchDropped: true, comparedWith: `${src} on "pg-exec"` });

    await withPg(src, (c) => c.query("INSERT INTO public.orders VALUES (51, 'since'), (52, 'since')"));
    const drill = await drillAndWait(core, { backupId, targetSourceId: execId, compareSourceId: execId });
    expect(drill.drill).toMatchObject({ ok: false, scratchDropped: true });
    expect(drill.drill!.differences).toEqual([{ schema: 'public', table: 'orders', inBackup: 50, inSourceNow: 52, difference: 2 }]);
    expect((await pgDatabases()).filter((d) => d.includes('_vddrill_') && d.startsWith(src.slice(0, 20)))).toEqual([]);
  });

  it('a user who may not create databases, through the exec source: the same words as a direct one, nothing created, no scratch named as left', async () => {
    const role = scratchName('nocreate');
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${role} LOGIN NOCREATEDB`));
    try {
      const ssh = { mode: 'exec' as const, host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.privateKey };
      const limited = await core.call('sources:create', { engine: 'postgres', name: 'pg-exec-no-create', host: pgEnv.host, port: pgEnv.port, user: role, database: 'postgres', ssh });
      const fresh = `${target} nc`;
      const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: limited.id, database: fresh });
      expect(done).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toContain(`User ${role} may not create databases, and the restore had to create ${fresh} (`);
      expect(done.error!.message).toContain('permission denied to create database');
      expect(done.error!.message).toContain(
        `). Restore as a user with CREATEDB, such as the server's administrator; or, for a new database, have it created empty for ${role} (CREATE DATABASE name OWNER ${role}) and restore into it: into an existing empty database the restore creates nothing.`,
      );
      expect(await pgDatabases()).not.toContain(fresh);
      expect(done.databases[0]!.notes).toEqual([]);
      expect(existsSync(marker)).toBe(false);
      // As the message says: created empty for the user, it restores straight into it.
      await withPg('postgres', (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(fresh)} OWNER ${role}`));
      const into = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: limited.id, database: fresh });
      expect(into.error).toBeNull();
      expect(into.databases[0]).toMatchObject({ status: 'restored', replaced: false });
      expect(into.databases[0]!.notes[0]).toContain(`User ${role} may not create databases, so the backup was restored straight into the existing empty database ${fresh}, in one transaction`);
      expect(await pgRowCounts(fresh)).toEqual({ 'public.orders': 50, 'Sales Dept.Q1 "Report" ☕': 20 });
      expect((await pgDatabases()).filter((d) => d.startsWith(fresh.slice(0, TARGET_PREFIX)) && d !== fresh && d.includes('_vdnew_'))).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await dropPgDatabase(`${target} nc`);
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    }
  });

  it('an SSH host gone before the restore reached its server (swap and drill): failed in the words of the lost connection, no scratch database named as left, none made', async () => {
    const victim = `${target} gone`;
    await createPgDatabase(victim);
    await withPg(victim, (c) => c.query('CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2), (3)'));
    for (const kind of ['swap', 'drill'] as const) {
      const going = await startSshd();
      try {
        const ssh = { mode: 'exec' as const, host: going.host, port: going.port, user: going.user, privateKey: going.privateKey };
        const vanishing = await core.call('sources:create', { engine: 'postgres', name: `pg-exec-going-${kind}`, host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: 'postgres', ssh });
        const input = { backupId: backupIdOfRun(run, destinationId), targetSourceId: vanishing.id };
        // The start checked the target through the host; the restore's own connections find it gone.
        const { restoreId } = kind === 'swap' ? await core.call('restore:start', { ...input, database: victim, force: true }) : await core.call('restore:drill', input);
        await going.stop();
        const done = await core.restoreService.wait(restoreId);
        expect(done.status).toBe('failed');
        expect(done.error?.message).toContain(`${going.host}:${going.port}`);
        expect(done.databases[0]!.notes).toEqual([]);
        expect(done.message).not.toContain('could not be dropped');
        expect(await pgRowCounts(victim)).toEqual({ 'public.kept': 3 });
        // Its own scratch names only (the victim's for the swap, the backed-up database's for the drill): other test files restore on this server meanwhile.
        expect((await pgDatabases()).filter((d) => (d.startsWith(victim.slice(0, 20)) && d.includes('_vdnew_')) || (d.startsWith(src) && d.includes('_vddrill_')))).toEqual([]);
      } finally {
        await going.stop();
      }
    }
    await dropPgDatabase(victim);
  });

  it('refuses a parallel restore (--jobs) into the exec source before anything starts', async () => {
    const refused = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: `${src}_j`, jobs: 2 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'jobs' } });
    expect((refused as Error).message).toContain('runs pg_restore on its SSH host');
    expect(await pgDatabases()).not.toContain(`${src}_j`);
  });
});
