import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreDto } from '../../../shared/domain/restores';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { currentProcessIdentity } from '../ownership/process-identity';
import { flipByte } from '../testing/backup-fixtures';
import { createMysqlDatabase, dropMysqlDatabase, probeMysql, scratchName, withMysql } from '../testing/db-fixtures';
import { backUp, backupIdOfRun, deadOwner, mysqlDatabases, mysqlRowCounts, recordRunningRestore, restoreAndWait, restoreToolWrapper } from '../testing/restore-fixtures';
import { mysqlEnv, probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('MariaDB and age', (await probeMysql()) ?? probeCommand('age'));

const EXPECTED = { a_small: 10, b_big: 3000 };

/** A small table, then one big enough (about a megabyte of SQL) that a tool stopped halfway has read part of it. */
async function seed(database: string): Promise<void> {
  await withMysql(database, async (c) => {
    await c.query('CREATE TABLE a_small (id INT PRIMARY KEY, label VARCHAR(50)) ENGINE=InnoDB; CREATE TABLE b_big (id INT PRIMARY KEY, body TEXT) ENGINE=InnoDB;');
    await c.query('INSERT INTO a_small VALUES ?', [Array.from({ length: EXPECTED.a_small }, (_, i) => [i, `small ${i}`])]);
    await c.query('INSERT INTO b_big VALUES ?', [Array.from({ length: EXPECTED.b_big }, (_, i) => [i, `row ${i} `.padEnd(300, 'x')])]);
  });
}

async function until(what: string, check: () => boolean, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip)('restores that fail, are cancelled or are cut off leave the target as it was (MariaDB)', () => {
  const t = tempDir('vaultdesk-restore-failures-');
  const source = scratchName('rfail_src');
  const fresh = scratchName('rfail_new');
  const local = path.join(t.dir, 'backups');
  let core: Core;
  let destinationId: string;
  let sealedJob: string;
  let openJob: string;
  let sealed: RunDto;

  const backupId = (run: RunDto = sealed): string => backupIdOfRun(run, destinationId);
  const databasesLike = async (prefix: string): Promise<string[]> => (await mysqlDatabases()).filter((d) => d.startsWith(prefix));
  /** The target is exactly as seeded and no scratch copy of it is left on the server. */
  const expectTargetIntact = async (): Promise<void> => {
    expect(await mysqlRowCounts(source)).toEqual(EXPECTED);
    expect(await databasesLike(source)).toEqual([source]);
  };

  beforeAll(async () => {
    await createMysqlDatabase(source);
    await seed(source);
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const maria = await core.call('sources:create', { engine: 'mysql', name: 'maria', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: source });
    destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: local })).id;
    sealedJob = (await core.call('jobs:create', { name: 'sealed', sourceId: maria.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'age', profileId: profile.id })).id;
    // Plain SQL as stored: a changed byte in a row's text is still valid SQL, so only the manifest's sha256 can catch it.
    openJob = (await core.call('jobs:create', { name: 'open', sourceId: maria.id, destinationIds: [destinationId], compression: 'none' })).id;
    sealed = await backUp(core, sealedJob);
  });

  afterEach(async () => {
    await core.call('settings:setToolPath', { tool: 'mysql', path: null });
  });

  afterAll(async () => {
    core?.close();
    await Promise.allSettled([dropMysqlDatabase(source), dropMysqlDatabase(fresh)]);
    t.cleanup();
  });

  it('a restore tool killed halfway (with force, over a database with rows): failed, the old rows still there, no scratch database left', async () => {
    // The real client gets the first 300 kB, applies what it can of them to the scratch copy, then the tool dies.
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-killed'), 'mariadb', 'head -c 300000 | REAL "$@"\nkill -9 $$');
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    const done = await restoreAndWait(core, { backupId: backupId(), force: true });
    expect(done.status).toBe('failed');
    expect(done.stage).toBe('restore');
    expect(done.error?.code).toBe('RESTORE_FAILED');
    expect(done.databases[0]).toMatchObject({ status: 'failed', replaced: false });
    expect(done.message).toContain(`${source} was left as it was.`);
    expect(done.message).not.toContain('by hand');
    await expectTargetIntact();
  });

  it('restore:cancel while the tool is busy: cancelled, the target as it was, no scratch database left', async () => {
    const started = path.join(t.dir, 'cancel-started');
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-slow'), 'mariadb', `head -c 300000 | REAL "$@"\ntouch ${started}\nexec sleep 60`);
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    const { restoreId } = await core.call('restore:start', { backupId: backupId(), force: true });
    await until('the restore tool to have taken part of the backup', () => existsSync(started));
    expect((await core.call('restore:get', { id: restoreId })).status).toBe('running');
    // A second restore into the same database is refused while the first runs: they would swap over each other.
    const second = await core.call('restore:start', { backupId: backupId(), force: true }).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: 'RUN_IN_PROGRESS', details: { restoreId } });
    expect((second as Error).message).toContain(`A restore into ${source} on `);
    // Without --force too: the database is the running restore's, not a target to refuse as holding tables.
    expect(await core.call('restore:start', { backupId: backupId() }).catch((e: unknown) => e)).toMatchObject({ code: 'RUN_IN_PROGRESS', details: { restoreId } });
    // The wizard's check of the target says so before anything is started.
    const sourceId = core.sources.findByName('maria')!.id;
    expect(await core.call('restore:inspectTarget', { sourceId, database: source })).toMatchObject({ exists: true, restoring: { restoreId } });
    // Another source of the same server (another name, the loopback by another name) is the same database.
    const admin = await core.call('sources:create', { engine: 'mysql', name: 'maria-admin', host: mysqlEnv.host === '127.0.0.1' ? 'localhost' : mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, allDatabases: true });
    try {
      expect(await core.call('restore:inspectTarget', { sourceId: admin.id, database: source })).toMatchObject({ exists: true, restoring: { restoreId } });
      const beside = await core.call('restore:start', { backupId: backupId(), targetSourceId: admin.id, database: source, force: true }).catch((e: unknown) => e);
      expect(beside).toMatchObject({ code: 'RUN_IN_PROGRESS', details: { restoreId } });
      expect((beside as Error).message).toBe(`A restore into ${source} on "maria-admin" is already running (restore ${restoreId}, by ${(await core.call('restore:get', { id: restoreId })).requestedBy}): wait for it to end, or cancel it.`);
    } finally {
      await core.call('sources:delete', { id: admin.id });
    }
    const stopping = Date.now();
    const done = await core.call('restore:cancel', { id: restoreId });
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(done).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(done.databases[0]).toMatchObject({ status: 'cancelled', replaced: false });
    expect(done.message).toContain('The restore was cancelled during its restore stage.');
    expect(done.message).toContain(`${source} was left as it was.`);
    await expectTargetIntact();
    expect(await core.call('restore:inspectTarget', { sourceId, database: source })).not.toHaveProperty('restoring');
    // It is no longer running: a second cancel is refused in words.
    const again = await core.call('restore:cancel', { id: restoreId }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((again as Error).message).toContain(`Restore ${restoreId} is not running`);
  });

  it('restore:cancel from another process sharing the data dir stops the restore its owner runs', async () => {
    const started = path.join(t.dir, 'remote-cancel-started');
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-slow-2'), 'mariadb', `head -c 300000 | REAL "$@"\ntouch ${started}\nexec sleep 60`);
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    const { restoreId } = await core.call('restore:start', { backupId: backupId(), force: true });
    await until('the restore tool to have taken part of the backup', () => existsSync(started));
    const other = await tempCore(t.dir, undefined, { owner: currentProcessIdentity('cli') });
    try {
      // The other process can only ask: the record stays running until the owner has stopped.
      expect((await other.call('restore:cancel', { id: restoreId })).status).toBe('running');
      const done: RestoreDto = await core.restoreService.wait(restoreId);
      expect(done.status).toBe('cancelled');
      expect((await other.call('restore:get', { id: restoreId })).status).toBe('cancelled');
    } finally {
      other.close();
    }
    await expectTargetIntact();
  });

  it('an encrypted backup with one flipped byte (small: read whole before the tool starts): failed with INTEGRITY_FAILED or DECRYPT_FAILED, and the new database was not created', async () => {
    const run = await backUp(core, sealedJob);
    const file = path.join(local, run.objects[0]!.key);
    const manifest = readFileSync(`${file}.manifest.json`, 'utf8');
    flipByte(file, Math.floor(statSync(file).size / 2));
    const done = await restoreAndWait(core, { backupId: backupId(run), database: fresh });
    expect(done.status).toBe('failed');
    expect(['INTEGRITY_FAILED', 'DECRYPT_FAILED']).toContain(done.error?.code);
    expect(done.message).toContain(`${fresh} did not exist before the restore and is not left behind.`);
    expect(await mysqlDatabases()).not.toContain(fresh);
    // The manifest was left as it was: the check is against what was stored when the backup was made.
    expect(readFileSync(`${file}.manifest.json`, 'utf8')).toBe(manifest);
  });

  it('a plain backup with one changed byte inside a row (still valid SQL) is caught by the sha256 before the swap: INTEGRITY_FAILED, the target as it was', async () => {
    const run = await backUp(core, openJob);
    const file = path.join(local, run.objects[0]!.key);
    const sql = readFileSync(file);
    const at = sql.indexOf('row 2999 ');
    expect(at).toBeGreaterThan(0);
    // `r` -> `s`: the dump still loads, with one row's text different from the backup's.
    flipByte(file, at);
    expect(readFileSync(file).subarray(at, at + 8).toString()).toBe('sow 2999');
    const done = await restoreAndWait(core, { backupId: backupId(run), force: true });
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'INTEGRITY_FAILED' });
    expect(done.error?.message).toContain('does not match its manifest');
    expect(done.message).toContain(`${source} was left as it was.`);
    await expectTargetIntact();
    expect(await withMysql(source, async (c) => ((await c.query('SELECT body FROM b_big WHERE id = 2999'))[0] as { body: string }[])[0]!.body.startsWith('row 2999 '))).toBe(true);
  });

  it('a drill whose restore tool is killed halfway says it failed in its restore stage, not in the cleanup after it, and drops its scratch database', async () => {
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-killed-drill'), 'mariadb', 'head -c 300000 | REAL "$@"\nkill -9 $$');
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    const { restoreId } = await core.call('restore:drill', { backupId: backupId() });
    const done = await core.restoreService.wait(restoreId);
    expect(done).toMatchObject({ status: 'failed', kind: 'drill', stage: 'restore', error: { code: 'RESTORE_FAILED' } });
    expect(done.message).toContain('The drill failed during its restore stage');
    expect(done.message).not.toContain('cleanup');
    // Kept with the backup as a drill that did not restore, not as one whose counts changed.
    expect((await core.call('backups:get', { id: backupId() })).lastDrill).toMatchObject({ ok: false, restored: false, restoreId });
    await expectTargetIntact();
  });

  it('a restore into a new database records that database while it loads: a process killed then leaves it named in the history, to drop by hand', async () => {
    const started = path.join(t.dir, 'create-started');
    const release = path.join(t.dir, 'create-release');
    // Takes part of the dump, then holds until released, and fails.
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-held-create'), 'mariadb', `head -c 300000 | REAL "$@"\ntouch ${started}\nwhile [ ! -e ${release} ]; do sleep 0.1; done\nexit 1`);
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    // One client: a held client would hold up the marks by which several share out the dump.
    const { restoreId } = await core.call('restore:start', { backupId: backupId(), database: fresh, jobs: 1 });
    try {
      await until('the restore tool to have taken part of the backup', () => existsSync(started));
      expect(await mysqlDatabases()).toContain(fresh);
      // What the next process to open the data dir does when this one is gone (killed outright, its machine off).
      const [found] = core.restores.interruptAbandoned(() => false, new Date().toISOString()).filter((r) => r.id === restoreId);
      expect(found).toMatchObject({ status: 'interrupted', stage: 'restore' });
      expect(found!.toDo).toEqual([`It may have left the database ${fresh} on "maria", which it was creating: drop it by hand.`]);
    } finally {
      writeFileSync(release, '');
      await core.restoreService.wait(restoreId).catch(() => undefined);
    }
    // Failed in this process, which still runs, the database it made is dropped.
    expect(await databasesLike(fresh)).toEqual([]);
  });

  it('a failed restore into a new database that the server then will not drop names it, with the server\'s words, to drop by hand', async () => {
    const started = path.join(t.dir, 'undroppable-started');
    const release = path.join(t.dir, 'undroppable-release');
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-undroppable'), 'mariadb', `head -c 300000 | REAL "$@"\ntouch ${started}\nwhile [ ! -e ${release} ]; do sleep 0.1; done\nexit 1`);
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    const { restoreId } = await core.call('restore:start', { backupId: backupId(), database: fresh, jobs: 1 });
    // A file the server does not know in the database's folder: DROP DATABASE cannot remove the folder, and says so.
    const datadir = await withMysql(undefined, async (c) => ((await c.query('SELECT @@datadir AS d')) as unknown as [{ d: string }[]])[0][0]!.d);
    const stray = path.join(datadir, fresh, 'left-by-someone.txt');
    try {
      await until('the restore tool to have taken part of the backup', () => existsSync(started));
      writeFileSync(stray, 'x');
    } finally {
      writeFileSync(release, '');
    }
    try {
      const done = await core.restoreService.wait(restoreId);
      expect(done).toMatchObject({ status: 'failed', stage: 'restore' });
      expect(done.toDo).toHaveLength(1);
      expect(done.toDo[0]).toMatch(new RegExp(`^The database ${fresh} on "maria", created for this restore, could not be dropped \\(.*(rmdir|Directory not empty|errno: 39).*\\): drop it by hand\\.$`));
      expect(await databasesLike(fresh)).toEqual([fresh]);
    } finally {
      rmSync(stray, { force: true });
      await dropMysqlDatabase(fresh);
    }
  });

  it('a restore killed after its swap, seen by a process that was running all along: interrupted when the history is read, saying the target holds the backup now', async () => {
    const owner = deadOwner();
    const replaced = [{ backupId: backupId(), kind: 'database' as const, fromDatabase: source, database: source, status: 'pending' as const, replaced: true, keptAs: null, tables: null, notes: [] }];
    const where = { backupId: backupId(), destinationId, key: sealed.objects[0]!.key, engine: 'mysql' as const, targetSourceId: core.sources.findByName('maria')!.id, targetSource: 'maria', force: true, owner };
    const id = recordRunningRestore(core, { ...where, databases: replaced });
    core.restores.progress(id, { stage: 'count', bytesRead: 10, databases: replaced, scratch: null });
    // This process (a serve, the app) has been running since before: the history it answers is right all the same.
    const listed = (await core.call('restore:list', {})).find((r) => r.id === id)!;
    expect(listed).toMatchObject({ status: 'interrupted', stage: 'count', error: { code: 'INTERRUPTED' } });
    expect(listed.message).toBe(
      `The process running this restore (pid ${owner.pid}) stopped during its count stage. The restored copy had already been put in place of ${source}, which holds the backup now. What it replaced may be left beside it, as ${source}_vdnew_…_old: drop it by hand.`,
    );
    // Killed during the swap itself: either may be so, and the words say to look.
    const during = recordRunningRestore(core, where);
    core.restores.progress(during, { stage: 'swap', bytesRead: 10, databases: [], scratch: `the scratch database ${source}_vdnew_0bad0bad on "maria", or, if the swap got that far, ${source}_vdnew_0bad0bad_old holding what ${source} held (look at both before dropping either)` });
    expect((await core.call('restore:get', { id: during })).message).toBe(
      `The process running this restore (pid ${owner.pid}) stopped during its swap stage. It stopped while putting its restored copy in place of the target: look at the target to see whether it holds the backup or what it held before. It may have left the scratch database ${source}_vdnew_0bad0bad on "maria", or, if the swap got that far, ${source}_vdnew_0bad0bad_old holding what ${source} held (look at both before dropping either): drop it by hand.`,
    );
  });

  it('a restore whose process died is marked interrupted, with the scratch database it may have left named, by the next process to open the data dir', async () => {
    const dead = deadOwner();
    const scratch = `${source}_vdnew_deadbeef`;
    const id = recordRunningRestore(core, {
      backupId: backupId(),
      destinationId,
      key: sealed.objects[0]!.key,
      job: 'sealed',
      engine: 'mysql',
      targetSourceId: core.sources.findByName('maria')!.id,
      targetSource: 'maria',
      force: true,
      totalBytes: sealed.objects[0]!.size,
      owner: dead,
    });
    core.restores.progress(id, { stage: 'restore', bytesRead: 10, databases: [], scratch: `the scratch database ${scratch} on "maria"` });
    // As stored: no process has looked yet.
    expect(core.restores.get(id).status).toBe('running');

    const next = await tempCore(t.dir, undefined, { owner: currentProcessIdentity('cli') });
    try {
      const after = await next.call('restore:get', { id });
      expect(after).toMatchObject({ status: 'interrupted', stage: 'restore', error: { code: 'INTERRUPTED' } });
      expect(after.finishedAt).not.toBeNull();
      expect(after.message).toBe(
        `The process running this restore (pid ${dead.pid}) stopped during its restore stage. The target database was not replaced: a restore swaps its copy in only at its end. It may have left the scratch database ${scratch} on "maria": drop it by hand.`,
      );
      // Listed apart too, so the history shows it whole however long the message.
      expect(after.toDo).toEqual([`It may have left the scratch database ${scratch} on "maria": drop it by hand.`]);
      await expect(next.call('restore:cancel', { id })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    } finally {
      next.close();
    }
  });
});
