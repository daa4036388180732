import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreDto } from '../../../shared/domain/restores';
import type { Core } from '../create-core';
import { currentProcessIdentity } from '../ownership/process-identity';
import { flipByte, sha256Of } from '../testing/backup-fixtures';
import { seedSqliteFile, sqliteFingerprint } from '../testing/db-fixtures';
import { backUp, backupIdOfRun, deadOwner, drillAndWait, recordRunningRestore, restoreAndWait } from '../testing/restore-fixtures';
import { freeze, immutableUnavailable, thaw } from '../testing/immutable-folder';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('age', probeCommand('age'));

/** Rows written the way the seed writes them, so the ledger still matches the row count. */
function addRows(file: string, n: number): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        db.prepare('INSERT INTO "order items" ("café ☕", payload) VALUES (?, ?)').run(`added ${i}`, randomBytes(64));
        db.prepare('UPDATE ledger SET total = total + 1').run();
      }
    })();
  } finally {
    db.close();
  }
}

describe.skipIf(skip)('restore of a SQLite file (age + zstd, local destination)', () => {
  const t = tempDir('vaultdesk-restore-sqlite-');
  const file = path.join(t.dir, 'app.db');
  let core: Core;
  let backupId: string;
  let jobId: string;
  let destinationId: string;
  let inBackup: ReturnType<typeof sqliteFingerprint>;
  const kept = (): string[] => readdirSync(t.dir).filter((f) => f.startsWith('app.db.bak-'));

  beforeAll(async () => {
    seedSqliteFile(file, 40);
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
    const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    const job = await core.call('jobs:create', { name: 'app-nightly', sourceId: source.id, destinationIds: [destination.id], compression: 'zstd', encryption: 'age', profileId: profile.id });
    [jobId, destinationId] = [job.id, destination.id];
    inBackup = sqliteFingerprint(file);
    backupId = backupIdOfRun(await backUp(core, job.id), destination.id);
    // The source moves on after the backup, so the restored file can be told from the one it replaces.
    addRows(file, 10);
  });

  afterAll(() => {
    core?.close();
    t.cleanup();
  });

  it('refuses to restore over the source\'s own file without force, and leaves it alone', async () => {
    const before = sha256Of(file);
    const refused = await core.call('restore:start', { backupId }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY', details: { database: file, tables: 2 } });
    expect((refused as Error).message).toContain(`The file ${file} on "app" already holds 2 tables`);
    expect(sha256Of(file)).toBe(before);
    expect(kept()).toEqual([]);
  });

  it('with force, puts the backup in place of the file and keeps the old one as FILE.bak-TIME', async () => {
    const old = sqliteFingerprint(file);
    expect(old.rows).toBe(50);
    const done = await restoreAndWait(core, { backupId, force: true });
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    const [keptAs] = kept();
    expect(keptAs).toMatch(/^app\.db\.bak-\d{8}T\d{6}Z$/);
    expect(done.databases[0]).toMatchObject({ status: 'restored', database: file, replaced: true, keptAs: path.join(t.dir, keptAs!) });
    expect(done.databases[0]!.tables).toEqual([
      { schema: null, table: 'ledger', rows: 1 },
      { schema: null, table: 'order items', rows: 40 },
    ]);
    // The new file is sound and holds the backup's rows; the kept one the rows it had.
    expect(sqliteFingerprint(file)).toEqual({ ...inBackup, integrity: 'ok' });
    expect(sqliteFingerprint(path.join(t.dir, keptAs!))).toEqual(old);
    expect(done.message).toContain(`replacing the file there (kept as ${path.join(t.dir, keptAs!)})`);
    expect(readdirSync(t.dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('with force, a damaged backup leaves the file as it was: no .bak kept, no partial file left', async () => {
    const run = await backUp(core, jobId);
    const stored = path.join(t.dir, 'backups', run.objects[0]!.key);
    flipByte(stored, Math.floor(statSync(stored).size / 2));
    const before = sha256Of(file);
    const bakBefore = kept();
    const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), force: true });
    expect(done.status).toBe('failed');
    expect(['INTEGRITY_FAILED', 'DECRYPT_FAILED'], done.error?.message).toContain(done.error?.code);
    expect(done.databases[0]).toMatchObject({ status: 'failed', replaced: false, keptAs: null });
    expect(sha256Of(file)).toBe(before);
    expect(kept()).toEqual(bakBefore);
    expect(readdirSync(t.dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('restores to a new absolute path, and refuses one whose folder does not exist before anything starts', async () => {
    mkdirSync(path.join(t.dir, 'restored'));
    const target = path.join(t.dir, 'restored', 'copy.db');
    const done = await restoreAndWait(core, { backupId, database: target });
    expect(done.error).toBeNull();
    expect(done.databases[0]).toMatchObject({ status: 'restored', database: target, replaced: false, keptAs: null });
    expect(sqliteFingerprint(target)).toEqual({ ...inBackup, integrity: 'ok' });
    expect(readdirSync(path.join(t.dir, 'restored'))).toEqual(['copy.db']);

    const nowhere = path.join(t.dir, 'missing', 'copy.db');
    const history = (await core.call('restore:list', {})).length;
    const refused = await core.call('restore:start', { backupId, database: nowhere }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'database' } });
    expect((refused as Error).message).toBe(`The folder ${path.join(t.dir, 'missing')} does not exist: create it first, or choose a file in another folder.`);
    expect(await core.call('restore:inspectTarget', { sourceId: (await core.call('sources:list', {}))[0]!.id, database: nowhere }).catch((e: unknown) => (e as { code: string }).code)).toBe('VALIDATION_FAILED');
    expect(await core.call('restore:list', {})).toHaveLength(history);
    expect(readdirSync(t.dir)).not.toContain('missing');
  });

  it('a file another program has open: the start says so, and the restore stops before replacing it, leaving it as it was', async () => {
    // A program holding the database open, as an application does between its writes.
    const holder = spawn('sh', ['-c', 'exec 3<"$1"; echo open; exec sleep 60', 'sh', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      const sourceId = core.sources.findByName('app')!.id;
      expect(await core.call('restore:inspectTarget', { sourceId, database: file })).toMatchObject({ exists: true, sessions: 1 });
      const before = sha256Of(file);
      const bakBefore = kept();
      const { restoreId, warnings } = await core.call('restore:start', { backupId, force: true });
      expect(warnings).toEqual([
        `${file} is open in another process now. A restore puts a new file in its place, and a program that keeps the old one open goes on writing to that one, so what it writes would be lost: stop it (or close the database there) before the restore finishes, or it will stop before replacing ${file}, leaving it as it was.`,
      ]);
      const done = await core.restoreService.wait(restoreId);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toBe(
        `${file} is open in sleep (process ${holder.pid}), so it was not replaced: that program would go on writing to the replaced file, and what it wrote would be lost. Stop it (or close the database there) and restore again; ${file} was left as it was.`,
      );
      expect(sha256Of(file)).toBe(before);
      expect(kept()).toEqual(bakBefore);
      expect(readdirSync(t.dir).filter((f) => f.includes('.partial'))).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it.skipIf(shouldSkip('root, to give files to another user', process.getuid?.() === 0 ? null : 'not root'))('the restored file keeps the replaced one\'s owner and permissions, so the application using it can still open it', async () => {
    const target = path.join(t.dir, 'owned.db');
    seedSqliteFile(target, 5);
    chmodSync(target, 0o664);
    chownSync(target, 65534, 65534);
    const done = await restoreAndWait(core, { backupId, database: target, force: true });
    expect(done.error).toBeNull();
    const after = statSync(target);
    expect([after.mode & 0o7777, after.uid, after.gid]).toEqual([0o664, 65534, 65534]);
    expect(sqliteFingerprint(target)).toEqual({ ...inBackup, integrity: 'ok' });
  });

  it('a symbolic link is restored through: the file it leads to is replaced and kept beside itself, the link stays a link', async () => {
    mkdirSync(path.join(t.dir, 'real'));
    const real = path.join(t.dir, 'real', 'linked.db');
    seedSqliteFile(real, 5);
    const old = sqliteFingerprint(real);
    const link = path.join(t.dir, 'link.db');
    symlinkSync(path.join('real', 'linked.db'), link);
    const done = await restoreAndWait(core, { backupId, database: link, force: true });
    expect(done.error).toBeNull();
    expect(done.databases[0]).toMatchObject({ status: 'restored', database: real, replaced: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(sqliteFingerprint(link)).toEqual({ ...inBackup, integrity: 'ok' });
    const keptAs = done.databases[0]!.keptAs!;
    expect(path.dirname(keptAs)).toBe(path.join(t.dir, 'real'));
    expect(lstatSync(keptAs).isFile()).toBe(true);
    expect(sqliteFingerprint(keptAs)).toEqual(old);
  });

  it('a restore whose process was killed outright: the next process to open the data dir removes the partial file and the old file\'s second name it left, and keeps a real kept copy', async () => {
    // What a CLI restore killed mid-write leaves (restore-service, case 'file'): the old file's second
    // name, made before the stream; the hidden partial file beside the target; the record still running.
    const dir = path.join(t.dir, 'killed');
    mkdirSync(dir);
    const target = path.join(dir, 'live.db');
    seedSqliteFile(target, 5);
    const before = sha256Of(target);
    const stray = `${target}.bak-20261203T101500Z`;
    linkSync(target, stray);
    const partial = path.join(dir, `.live.db.vaultdesk-${randomUUID()}.partial`);
    writeFileSync(partial, randomBytes(4096));
    // A copy an earlier restore kept, another file than the live one: it stays.
    const keptEarlier = `${target}.bak-20261101T101500Z`;
    copyFileSync(target, keptEarlier);
    const id = recordRunningRestore(core, {
      backupId,
      destinationId,
      key: 'app.sqlite',
      engine: 'sqlite',
      targetSourceId: core.sources.findByName('app')!.id,
      targetSource: 'app',
      force: true,
      databases: [{ backupId, kind: 'database', fromDatabase: 'app', database: target, status: 'pending', replaced: false, keptAs: null, tables: null, notes: [] }],
      owner: deadOwner(),
    });
    const next = await tempCore(t.dir, undefined, { owner: currentProcessIdentity('cli') });
    try {
      expect((await next.call('restore:get', { id })).status).toBe('interrupted');
      expect(readdirSync(dir).sort()).toEqual(['live.db', 'live.db.bak-20261101T101500Z']);
      expect(existsSync(stray)).toBe(false);
      expect(existsSync(partial)).toBe(false);
      expect(existsSync(keptEarlier)).toBe(true);
      expect(sha256Of(target)).toBe(before);
    } finally {
      next.close();
    }
  });

  it('two restores over the file in the same second keep two old files, the second as FILE.bak-TIME-2', async () => {
    const frozen = await tempCore(t.dir, undefined, { clock: () => new Date('2026-11-30T10:00:00.250Z') });
    try {
      const target = path.join(t.dir, 'twice.db');
      seedSqliteFile(target, 3);
      const first = await restoreAndWait(frozen, { backupId, database: target, force: true });
      const second = await restoreAndWait(frozen, { backupId, database: target, force: true });
      expect([first.error, second.error]).toEqual([null, null]);
      expect([first.databases[0]!.keptAs, second.databases[0]!.keptAs]).toEqual([`${target}.bak-20261130T100000Z`, `${target}.bak-20261130T100000Z-2`]);
      expect(sqliteFingerprint(`${target}.bak-20261130T100000Z`).rows).toBe(3);
      expect(sqliteFingerprint(`${target}.bak-20261130T100000Z-2`)).toEqual({ ...inBackup, integrity: 'ok' });
    } finally {
      frozen.close();
    }
  });

  it('keeps the changes of a WAL-mode file that are still in its -wal beside the .bak, where SQLite finds them', async () => {
    const wal = path.join(t.dir, 'wal.db');
    seedSqliteFile(wal, 5);
    const writer = new Database(wal);
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare('CREATE TABLE late (id int)').run();
      writer.prepare('INSERT INTO late VALUES (1), (2), (3)').run();
      // Kept open: its changes stay in wal.db-wal, not in wal.db.
      const done = await restoreAndWait(core, { backupId, database: wal, force: true });
      expect(done.error).toBeNull();
      const keptAs = done.databases[0]!.keptAs!;
      expect(readdirSync(t.dir)).toEqual(expect.arrayContaining([path.basename(keptAs), `${path.basename(keptAs)}-wal`]));
      const old = new Database(keptAs, { readonly: true });
      try {
        expect(old.prepare('SELECT count(*) AS n FROM late').get()).toEqual({ n: 3 });
      } finally {
        old.close();
      }
    } finally {
      writer.close();
    }
  });

  it('refuses a relative target path with VALIDATION_FAILED before anything starts', async () => {
    const history = (await core.call('restore:list', {})).length;
    const refused = await core.call('restore:start', { backupId, database: 'restored/other.db' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'database' } });
    expect((refused as Error).message).toContain('give its absolute path, not restored/other.db');
    expect(await core.call('restore:list', {})).toHaveLength(history);
  });

  it('refuses, when the target is checked and at the start, a file whose folder is a file, under the database field', async () => {
    const notFolder = path.join(t.dir, 'notes.txt');
    writeFileSync(notFolder, 'a file, not a folder');
    const target = path.join(notFolder, 'copy.db');
    const sourceId = core.sources.findByName('app')!.id;
    const history = (await core.call('restore:list', {})).length;
    for (const refused of [
      await core.call('restore:inspectTarget', { sourceId, database: target }).catch((e: unknown) => e),
      await core.call('restore:start', { backupId, database: target }).catch((e: unknown) => e),
    ]) {
      expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', message: `${notFolder} is a file, not a folder: choose a file in a folder.`, details: { field: 'database' } });
    }
    expect(await core.call('restore:list', {})).toHaveLength(history);
  });

  it.skipIf(shouldSkip('an immutable folder', immutableUnavailable()))('refuses a folder Vaultdesk may not write in before anything starts, under the database field, and writes nothing there', async () => {
    // Root may write anywhere, except in a directory made immutable.
    const folder = path.join(t.dir, 'locked');
    mkdirSync(folder);
    freeze(folder);
    try {
      const target = path.join(folder, 'copy.db');
      const sourceId = core.sources.findByName('app')!.id;
      const history = (await core.call('restore:list', {})).length;
      const said = `Vaultdesk cannot write in the folder ${folder} (permission denied on ${folder}: the user running Vaultdesk is not allowed to use it), where the restore writes the new file before putting it in place: choose a file in another folder.`;
      for (const refused of [
        await core.call('restore:inspectTarget', { sourceId, database: target }).catch((e: unknown) => e),
        await core.call('restore:start', { backupId, database: target }).catch((e: unknown) => e),
      ]) {
        expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', message: said, details: { field: 'database' } });
      }
      expect(await core.call('restore:list', {})).toHaveLength(history);
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      thaw(folder);
    }
  });

  it('a drill of the file after rows were added reports the table that grew, and removes its scratch file', async () => {
    addRows(file, 3);
    const done = await drillAndWait(core, { backupId });
    expect(done.error).toBeNull();
    expect(done.drill).toEqual({
      ok: false,
      comparedWith: 'app on "app"',
      tables: 2,
      differences: [{ schema: null, table: 'order items', inBackup: 40, inSourceNow: 43, difference: 3 }],
      scratchDropped: true,
    });
    expect(done.message).toMatch(/ now \(1 of the 2 tables in the backup\); the scratch file was removed\.$/);
    expect(done.databases[0]!.database).toMatch(/drill-[0-9a-f-]+\.sqlite$/);
    // Nothing of it is left, not even the -wal and -shm that counting its rows made.
    expect(readdirSync(path.dirname(done.databases[0]!.database)).filter((f) => f.startsWith('drill-'))).toEqual([]);
  });

  it.skipIf(shouldSkip('an immutable folder', immutableUnavailable()))('a drill whose scratch file cannot be removed names the file and says to remove it by hand', async () => {
    // Root may remove anything, except from a directory made immutable: done once the drill compares.
    let frozen: string | null = null;
    const off = core.events.on('restore:progress', (p) => {
      if (p.stage !== 'compare' || frozen || !p.database) return;
      frozen = path.dirname(p.database);
      freeze(frozen);
    });
    let done: RestoreDto;
    try {
      done = await drillAndWait(core, { backupId });
    } finally {
      off();
      if (frozen) thaw(frozen);
    }
    expect(frozen).not.toBeNull();
    const scratch = done.databases[0]!.database;
    expect(done.error).toBeNull();
    expect(done.drill).toMatchObject({ scratchDropped: false });
    expect(existsSync(scratch)).toBe(true);
    const said = `The drill's scratch file ${scratch} could not be removed (EPERM: operation not permitted, unlink '${scratch}`;
    expect(done.toDo).toHaveLength(1);
    expect(done.toDo[0]).toContain(said);
    expect(done.toDo[0]).toMatch(/: remove it, with any -wal and -shm file beside it, by hand\.$/);
    expect(done.message).toMatch(/; the scratch file was not removed\. The drill's scratch file /);
    expect(done.message.endsWith(done.toDo[0]!)).toBe(true);
    for (const f of readdirSync(frozen!).filter((f) => f.startsWith(path.basename(scratch)))) rmSync(path.join(frozen!, f));
  });
});
