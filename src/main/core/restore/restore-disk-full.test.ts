import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { sha256Of } from '../testing/backup-fixtures';
import { createPgDatabase, dropPgDatabase, pgFingerprint, probePostgres, scratchName, seedPgAwkward, seedSqliteFile, testSourceDto, withPg } from '../testing/db-fixtures';
import { mountTmpfs, mountUnavailable } from '../testing/mounts';
import { backUp, backupIdOfRun, pgDatabases, restoreAndWait } from '../testing/restore-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const canMount = mountUnavailable();
const NO_SPACE = /no space left on the device holding /;

describe.skipIf(shouldSkip('mounting test file systems', canMount) || shouldSkip('PostgreSQL and pg_restore', (await probePostgres()) ?? probeCommand('pg_restore')))(
  'a PostgreSQL parallel restore whose decrypted temporary file does not fit',
  () => {
    const t = tempDir('vaultdesk-restore-full-pg-');
    const src = scratchName('rfull_src');
    const kept = scratchName('rfull_kept');
    let core: Core;
    let backupId: string;

    beforeAll(async () => {
      // Large objects: a parallel restore of such a backup needs the seekable temporary file.
      await createPgDatabase(src);
      await seedPgAwkward(src);
      await createPgDatabase(kept);
      await withPg(kept, (c) => c.query('CREATE TABLE still_here (id int); INSERT INTO still_here VALUES (1), (2)'));
      core = await tempCore(t.dir);
      const { host, port, user } = testSourceDto('postgres');
      const source = await core.call('sources:create', { engine: 'postgres', name: 'pg', host: host!, port: port!, user: user!, database: src, tlsMode: 'disable' });
      const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
      const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
      const job = await core.call('jobs:create', { name: 'nightly', sourceId: source.id, destinationIds: [destination.id], compression: 'zstd', encryption: 'age', profileId: profile.id });
      backupId = backupIdOfRun(await backUp(core, job.id), destination.id);
    });

    afterAll(async () => {
      core?.close();
      for (const db of [src, kept, `${kept}_new`]) await dropPgDatabase(db);
      t.cleanup();
    });

    it('fails saying the disk is full, creates no database, replaces nothing and leaves no file; with room again the same restore succeeds', async () => {
      const disk = mountTmpfs(core.tempRoot, '256k');
      try {
        const fresh = await restoreAndWait(core, { backupId, database: `${kept}_new`, jobs: 2 });
        expect(fresh).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
        expect(fresh.error!.message).toMatch(new RegExp(`^Could not write the decrypted dump for a parallel restore in ${core.tempRoot}/restore-[\\w-]+: ${NO_SPACE.source}`));
        expect(fresh.message).toContain(`${kept}_new did not exist before the restore and is not left behind.`);

        const before = await pgFingerprint(kept);
        const replacing = await restoreAndWait(core, { backupId, database: kept, jobs: 2, force: true });
        expect(replacing).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
        expect(replacing.error!.message).toMatch(NO_SPACE);
        expect(replacing.message).toContain(`${kept} was left as it was.`);
        expect(await pgFingerprint(kept)).toEqual(before);
        expect((await pgDatabases()).filter((d) => d.startsWith(`${kept}_`))).toEqual([]);
        expect(readdirSync(disk.dir)).toEqual([]);
      } finally {
        disk.unmount();
      }
      const done = await restoreAndWait(core, { backupId, database: `${kept}_new`, jobs: 2 });
      expect(done.error).toBeNull();
      expect(await pgFingerprint(`${kept}_new`)).toEqual(await pgFingerprint(src));
    });
  },
);

describe.skipIf(shouldSkip('mounting test file systems', canMount) || shouldSkip('age', probeCommand('age')))('a SQLite restore onto a disk without room for the restored copy', () => {
  const t = tempDir('vaultdesk-restore-full-sqlite-');
  const file = path.join(t.dir, 'app.db');
  let core: Core;
  let backupId: string;

  beforeAll(async () => {
    seedSqliteFile(file, 3000);
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
    const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    const job = await core.call('jobs:create', { name: 'app-nightly', sourceId: source.id, destinationIds: [destination.id], compression: 'zstd', encryption: 'age', profileId: profile.id });
    backupId = backupIdOfRun(await backUp(core, job.id), destination.id);
  });

  afterAll(() => {
    core?.close();
    t.cleanup();
  });

  it('with force, fails saying the disk is full; the file it was to replace is as it was, with no .bak and no temporary file beside it', async () => {
    const disk = mountTmpfs(path.join(t.dir, 'small'), '64k');
    try {
      const target = path.join(disk.dir, 'live.db');
      const live = new Database(target);
      live.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
      live.close();
      const notes = (): unknown[] => {
        const db = new Database(target, { readonly: true, fileMustExist: true });
        try {
          return db.prepare('SELECT body FROM notes').all();
        } finally {
          db.close();
        }
      };
      const before = sha256Of(target);
      expect(existsSync(`${target}-wal`)).toBe(false);

      const done = await restoreAndWait(core, { backupId, database: target, force: true });
      expect(done).toMatchObject({ status: 'failed' });
      expect(done.error).toEqual({ code: 'RESTORE_FAILED', message: `The restore into ${target} failed: no space left on the device holding ${disk.dir}.` });
      expect(done.message).toContain(`${target} was left as it was.`);
      expect(sha256Of(target)).toBe(before);
      expect(notes()).toEqual([{ body: 'keep me' }]);
      expect(readdirSync(disk.dir)).toEqual(['live.db']);
    } finally {
      disk.unmount();
    }
  });
});

describe.skipIf(shouldSkip('mounting test file systems', canMount) || shouldSkip('7-Zip (7zz, Debian package 7zip)', probeCommand('7zz', [])))('a 7-Zip backup whose archive does not fit in the temporary folder', () => {
  const t = tempDir('vaultdesk-restore-full-7z-');
  const file = path.join(t.dir, 'app.db');
  let core: Core;
  let backupId: string;

  beforeAll(async () => {
    seedSqliteFile(file, 3000);
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'a 7-Zip passphrase' });
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
    const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    const job = await core.call('jobs:create', { name: 'app-zip', sourceId: source.id, destinationIds: [destination.id], encryption: '7z', profileId: profile.id });
    backupId = backupIdOfRun(await backUp(core, job.id), destination.id);
  });

  afterAll(() => {
    core?.close();
    t.cleanup();
  });

  it('fails saying which folder is full, writes no target and leaves nothing in that folder', async () => {
    const target = path.join(t.dir, 'restored.db');
    const disk = mountTmpfs(core.tempRoot, '64k');
    try {
      const done = await restoreAndWait(core, { backupId, database: target });
      expect(done).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toMatch(new RegExp(`^Could not write the 7-Zip archive to open it in ${core.tempRoot}/restore-[\\w-]+: ${NO_SPACE.source}`));
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(disk.dir)).toEqual([]);
    } finally {
      disk.unmount();
    }
  });
});
