import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { seedSqliteFile } from '../testing/db-fixtures';
import { bindReadOnly, mountTmpfs, mountUnavailable, type Mounted, type MountedTmpfs } from '../testing/mounts';
import { shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

/** Every file under `dir`, relative (folders left out: a run may leave its empty job folder). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const BARE_ERRNO = /\bE[A-Z]{3,}\b/;
/** Generous: a hang runs into the test timeout; this only says "fails at once, not after minutes". */
const PROMPT_MS = 30_000;

/** Real runs (worker thread, SQLite source, age) to local folders that cannot take the backup. */
describe('backup runs to a local folder that cannot take them', () => {
  const t = tempDir('vaultdesk-disk-faults-');
  let core: Core;
  const mounts: Mounted[] = [];
  const run = (job: string): Promise<RunDto> => core.runService.start(core.jobs.findByName(job)!.id, 'manual').finished;
  const backupRows = (): number => core.db.prepare('SELECT COUNT(*) FROM backups').pluck().get() as number;
  const jobTo = async (name: string, destination: string): Promise<void> => {
    const dest = await core.call('destinations:create', { kind: 'local', name: `${name}-dest`, path: destination });
    await core.call('jobs:create', { name, sourceId: core.sources.findByName('lite')!.id, destinationIds: [dest.id], compression: 'none', encryption: 'age', profileId: core.profiles.findByName('team')!.id });
  };

  beforeAll(async () => {
    core = await tempCore(t.dir);
    const sqliteFile = path.join(t.dir, 'big.db');
    // About 12 MiB of incompressible rows: three times what the small disk holds.
    seedSqliteFile(sqliteFile, 24_000);
    await core.call('sources:create', { engine: 'sqlite', name: 'lite', path: sqliteFile });
    await core.call('profiles:create', { kind: 'age', name: 'team' });
  });
  afterAll(() => {
    core?.close();
    // Unmount even when a test failed, before the temp folder goes.
    for (const m of mounts.reverse()) m.unmount();
    t.cleanup();
  });

  it('/proc: the run fails promptly at stage upload, in words', async () => {
    // /proc/x itself is refused when saved (local-root.test.ts); /proc is saved, and takes no folder.
    await jobTo('to-proc', '/proc');
    const started = Date.now();
    const result = await run('to-proc');
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ stage: 'upload', destination: 'to-proc-dest', code: 'DESTINATION_UNREACHABLE' });
    expect(result.error!.message).toMatch(/^Could not write .+ to folder \/proc: folder \/proc\/\S+ cannot be created: \/proc exists but does not accept new folders/);
    expect(result.error!.message).not.toMatch(BARE_ERRNO);
    expect(backupRows()).toBe(0);
  });

  describe.skipIf(shouldSkip('mounting test file systems', mountUnavailable()))('on mounted file systems', () => {
    let small: MountedTmpfs;

    it('a disk that fills up mid-write: fails at stage upload naming the folder, commits nothing, and the next run succeeds once there is space', async () => {
      small = mountTmpfs(path.join(t.dir, 'small'), '4m');
      mounts.push(small);
      const root = path.join(small.dir, 'backups');
      await jobTo('to-small', root);
      const result = await run('to-small');
      expect(result.status).toBe('failed');
      expect(result.error).toMatchObject({ stage: 'upload', destination: 'to-small-dest', code: 'DESTINATION_WRITE_FAILED' });
      expect(result.error!.message).toMatch(new RegExp(`^Could not write \\S+ to folder ${root}: no space left on the device holding ${root}\\.$`));
      expect(result.objects[0]).toMatchObject({ status: 'failed', size: 0, destinations: [{ ok: false, location: null }] });
      // How far the dump got: more than the 4 MiB disk took before it filled; nothing counts as stored.
      expect(result.objects[0]!.bytesIn).toBeGreaterThan(4 * 1024 * 1024);
      expect(result).toMatchObject({ bytesIn: result.objects[0]!.bytesIn, bytesOut: 0 });
      expect(filesUnder(root)).toEqual([]);
      expect(backupRows()).toBe(0);
      expect(filesUnder(path.join(t.dir, 'data', 'tmp'))).toEqual([]);

      small.resize('64m');
      const again = await run('to-small');
      expect(again.status).toBe('succeeded');
      const key = again.objects[0]!.key;
      expect(filesUnder(root)).toEqual([key, `${key}.manifest.json`].map((k) => path.join(...k.split('/'))).sort());
      expect(backupRows()).toBe(1);
    });

    it('a read-only bind mount: fails at stage upload with "read-only file system", nothing left', async () => {
      const folder = path.join(t.dir, 'rw');
      mkdirSync(folder);
      const ro = bindReadOnly(folder, path.join(t.dir, 'ro'));
      mounts.push(ro);
      await jobTo('to-ro', ro.dir);
      const started = Date.now();
      const result = await run('to-ro');
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
      expect(result.status).toBe('failed');
      expect(result.error).toMatchObject({ stage: 'upload', destination: 'to-ro-dest', code: 'DESTINATION_WRITE_FAILED' });
      expect(result.error!.message).toMatch(new RegExp(`^Could not write \\S+ to folder ${ro.dir}: ${ro.dir} is on a read-only file system\\.$`));
      expect(readdirSync(folder)).toEqual([]);
      expect(backupRows()).toBe(1);
    });
  });
});
