import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { seedSqliteFile } from '../testing/db-fixtures';
import { bindReadOnly, mountUnavailable } from '../testing/mounts';
import { shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { backupIdOf } from '../backups/backup-id';

/** Every file under a folder, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** An object and its manifest, as files under the destination folder. */
const objectFiles = (key: string): string[] => [key, `${key}.manifest.json`];

describe('retention applied by real runs to a local folder', () => {
  const t = tempDir('vaultdesk-retention-');
  let core: Core;
  let clock = new Date('2026-11-01T03:00:00Z');
  let sourceId: string;

  beforeAll(async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 20);
    // Each run gets its own time, so its object its own name.
    core = await tempCore(t.dir, undefined, { clock: () => clock, timeZone: 'UTC' });
    sourceId = (await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file })).id;
  });
  afterAll(() => {
    core?.close();
    t.cleanup();
  });

  const runAt = async (jobId: string, iso: string): Promise<RunDto> => {
    clock = new Date(iso);
    const run = await core.runService.start(jobId, 'manual').finished;
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    return run;
  };
  const rowsOf = (jobId: string): { object_key: string; pinned: number }[] =>
    core.db
      .prepare('SELECT b.object_key, COALESCE(s.pinned, 0) AS pinned FROM backups b LEFT JOIN backup_state s ON s.destination_id = b.destination_id AND s.object_key = b.object_key WHERE b.job_id = ? ORDER BY b.created_at')
      .all(jobId) as { object_key: string; pinned: number }[];

  it('keep-last 2: the next run deletes the older backups and their manifests, keeps the pinned one and the newest, and says so', async () => {
    const folder = path.join(t.dir, 'disk');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: folder });
    const job = await core.call('jobs:create', { name: 'app-nightly', sourceId, destinationIds: [dest.id] });
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
    const runs: RunDto[] = [];
    for (const day of days) runs.push(await runAt(job.id, `${day}T03:00:00Z`));
    // No policy yet: nothing was deleted, and the runs say retention was not applied.
    expect(runs.map((r) => r.retention)).toEqual([null, null, null, null]);
    const keys = runs.map((r) => r.objects[0]!.key);
    expect(new Set(keys).size).toBe(4);
    expect(filesUnder(folder)).toEqual(keys.flatMap(objectFiles).sort());

    const pinnedRow = core.db.prepare('SELECT id FROM backups WHERE object_key = ?').get(keys[1]) as { id: string };
    core.backups.setPinned(pinnedRow.id, true);
    await core.call('jobs:update', { id: job.id, retention: { keepLast: 2, minimum: 1 } });

    // The dry run says what the next application of the policy would do, and deletes nothing.
    const preview = await core.call('jobs:retentionPreview', { id: job.id });
    expect(preview).toMatchObject({ jobName: 'app-nightly', timeZone: 'UTC', policy: { keepLast: 2, daily: null, minimum: 1 } });
    expect(preview.destinations).toHaveLength(1);
    expect(preview.destinations[0]!.destination).toBe('disk');
    expect(preview.destinations[0]!.databases.flatMap((d) => d.backups.map((b) => [b.key, b.action, b.reasons]))).toEqual([
      [keys[3], 'keep', ['last 2', 'minimum']],
      [keys[2], 'keep', ['last 2']],
      [keys[1], 'keep', ['pinned']],
      [keys[0], 'delete', []],
    ]);
    expect(filesUnder(folder)).toHaveLength(8);
    // A policy not saved yet (a form about to change it) is previewed the same way; the saved one stays.
    const unsaved = await core.call('jobs:retentionPreview', { id: job.id, retention: { keepLast: 1, minimum: 0 } });
    expect(unsaved.policy).toEqual({ keepLast: 1, daily: null, weekly: null, monthly: null, yearly: null, minimum: 0 });
    expect(unsaved.destinations[0]!.databases.flatMap((d) => d.backups.map((b) => [b.key, b.action, b.reasons]))).toEqual([
      [keys[3], 'keep', ['last 1']],
      [keys[2], 'delete', []],
      [keys[1], 'keep', ['pinned']],
      [keys[0], 'delete', []],
    ]);
    const none = await core.call('jobs:retentionPreview', { id: job.id, retention: null });
    expect(none.policy).toBeNull();
    expect(none.destinations[0]!.databases.flatMap((d) => d.backups.map((b) => b.action))).toEqual(['keep', 'keep', 'keep', 'keep']);
    expect((await core.call('jobs:get', { id: job.id })).retention).toMatchObject({ keepLast: 2, minimum: 1 });
    expect(filesUnder(folder)).toHaveLength(8);

    const fifth = await runAt(job.id, '2026-11-05T03:00:00Z');
    const newest = fifth.objects[0]!.key;
    // keep-last 2 keeps the new backup and the one before; the pinned one stays and does not count.
    expect(filesUnder(folder)).toEqual([newest, keys[3]!, keys[1]!].flatMap(objectFiles).sort());
    expect(rowsOf(job.id)).toEqual([
      { object_key: keys[1], pinned: 1 },
      { object_key: keys[3], pinned: 0 },
      { object_key: newest, pinned: 0 },
    ]);
    expect(fifth.status).toBe('succeeded');
    expect(fifth.retention).toEqual([{ destinationId: dest.id, destination: 'disk', kept: 3, deleted: [keys[2], keys[0]], error: null }]);
    expect(fifth.log.map((l) => l.message)).toContainEqual(
      `Retention (keep the last 2; never fewer than the newest 1; pinned backups are always kept) on destination "disk": deleted 2 backup(s) with their manifests (${keys[2]}, ${keys[0]}); 3 kept.`,
    );
    // The record as stored says the same as the one handed back.
    expect((await core.call('runs:get', { id: fifth.id })).retention).toEqual(fifth.retention);
  });

  it('a nightly that runs past midnight counts for the day it was made (its dump started), as the backup list shows it, not the day it finished', async () => {
    const folder = path.join(t.dir, 'midnight');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'midnight', path: folder });
    const job = await core.call('jobs:create', { name: 'app-midnight', sourceId, destinationIds: [dest.id] });
    await runAt(job.id, '2026-11-10T03:00:00Z');
    // Started at 23:59:30 on the 11th, finished on the 12th.
    clock = new Date('2026-11-11T23:59:30Z');
    const { finished } = core.runService.start(job.id, 'manual');
    clock = new Date('2026-11-12T00:00:30Z');
    const late = await finished;
    expect(late.status).toBe('succeeded');
    await runAt(job.id, '2026-11-12T03:00:00Z');
    const listed = await core.call('backups:list', { destinationId: dest.id });
    const lateBackup = listed.backups.find((b) => b.key === late.objects[0]!.key)!;
    expect(lateBackup.createdAt).toBe('2026-11-11T23:59:30.000Z');
    await core.call('jobs:update', { id: job.id, retention: { daily: 3, minimum: 0 } });
    const preview = await core.call('jobs:retentionPreview', { id: job.id });
    const decided = preview.destinations[0]!.databases.flatMap((d) => d.backups.map((b) => [b.createdAt, b.action]));
    // One backup a day for three days: each is its day's, none deleted. Counted by when the runs
    // finished, the 11th had none and the 12th two, and the 23:59 backup was deleted.
    expect(decided).toEqual([
      ['2026-11-12T03:00:00.000Z', 'keep'],
      ['2026-11-11T23:59:30.000Z', 'keep'],
      ['2026-11-10T03:00:00.000Z', 'keep'],
    ]);
  });

  it('a locked destination: the run succeeds, retention records the refusal, and the next run catches up', async () => {
    const folder = path.join(t.dir, 'vault');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'vault', path: folder });
    const job = await core.call('jobs:create', { name: 'app-locked', sourceId, destinationIds: [dest.id], retention: { keepLast: 1, minimum: 1 } });
    const first = await runAt(job.id, '2026-12-01T03:00:00Z');
    expect(first.retention).toEqual([{ destinationId: dest.id, destination: 'vault', kept: 1, deleted: [], error: null }]);

    // Somebody locks the destination while the next run is uploading: the run has planned with it already.
    const off = core.events.on('runs:progress', (p) => {
      if (p.jobName === 'app-locked') core.destinations.setLocked(dest.id, true);
    });
    const second = await runAt(job.id, '2026-12-02T03:00:00Z').finally(off);
    const firstKey = first.objects[0]!.key;
    const secondKey = second.objects[0]!.key;
    expect(second.status).toBe('succeeded');
    expect(second.retention).toEqual([
      {
        destinationId: dest.id,
        destination: 'vault',
        kept: 2,
        deleted: [],
        error: {
          code: 'DESTINATION_LOCKED',
          message: `Could not delete 1 of the 1 backup(s) the retention policy lets go: Destination "vault" is locked, so nothing on it is deleted. Unlock it to delete backup ${firstKey}.`,
        },
      },
    ]);
    expect(second.log.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      `Retention on destination "vault" did not finish: ${second.retention![0]!.error!.message} The backup itself succeeded; retention tries again after the next successful run.`,
    ]);
    expect(filesUnder(folder)).toEqual([firstKey, secondKey].flatMap(objectFiles).sort());
    expect(rowsOf(job.id).map((r) => r.object_key)).toEqual([firstKey, secondKey]);

    core.destinations.setLocked(dest.id, false);
    const third = await runAt(job.id, '2026-12-03T03:00:00Z');
    expect(third.retention![0]).toMatchObject({ kept: 1, deleted: [secondKey, firstKey], error: null });
    expect(filesUnder(folder)).toEqual(objectFiles(third.objects[0]!.key).sort());
  });

  it('a backup pinned at the destination by another install sharing it is kept, said in the run\'s log, and let go once unpinned', async () => {
    const folder = path.join(t.dir, 'shared');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'shared', path: folder });
    const job = await core.call('jobs:create', { name: 'app-shared', sourceId, destinationIds: [dest.id], retention: { keepLast: 1, minimum: 1 } });
    const first = await runAt(job.id, '2026-12-11T03:00:00Z');
    const firstKey = first.objects[0]!.key;
    let secondKey: string;
    const other = await tempCore(path.join(t.dir, 'other-install'));
    try {
      const theirs = (await other.call('destinations:create', { kind: 'local', name: 'nas', path: folder })).id;
      await other.call('backups:pin', { id: backupIdOf(theirs, firstKey) });
      const second = await runAt(job.id, '2026-12-12T03:00:00Z');
      secondKey = second.objects[0]!.key;
      expect(second.retention).toEqual([{ destinationId: dest.id, destination: 'shared', kept: 2, deleted: [], error: null }]);
      expect(second.log.map((l) => l.message)).toContainEqual(
        `Backup ${firstKey} on destination "shared" is pinned at the destination until it is unpinned (by this or another Vaultdesk that uses it), so it is kept. Unpin it first to delete it.`,
      );
      expect(filesUnder(folder)).toContain(firstKey);
      await other.call('backups:unpin', { id: backupIdOf(theirs, firstKey) });
    } finally {
      other.close();
    }
    const third = await runAt(job.id, '2026-12-13T03:00:00Z');
    expect(third.retention![0]).toMatchObject({ kept: 1, deleted: [secondKey, firstKey], error: null });
    expect(filesUnder(folder)).toEqual(objectFiles(third.objects[0]!.key).sort());
  });

  it('a backup pinned at the destination by another install: the preview keeps it as pinned, and it takes no keep-last slot in the preview or the run', async () => {
    const folder = path.join(t.dir, 'shared-slots');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'shared-slots', path: folder });
    const job = await core.call('jobs:create', { name: 'app-slots', sourceId, destinationIds: [dest.id] });
    const keys: string[] = [];
    for (const day of ['2027-02-01', '2027-02-02', '2027-02-03']) keys.push((await runAt(job.id, `${day}T03:00:00Z`)).objects[0]!.key);
    const other = await tempCore(path.join(t.dir, 'other-install-slots'));
    try {
      const theirs = (await other.call('destinations:create', { kind: 'local', name: 'nas', path: folder })).id;
      await other.call('backups:pin', { id: backupIdOf(theirs, keys[2]!) });
    } finally {
      other.close();
    }
    // This data dir has no pin of its own: only the marker at the destination says so.
    expect(rowsOf(job.id).map((r) => r.pinned)).toEqual([0, 0, 0]);
    await core.call('jobs:update', { id: job.id, retention: { keepLast: 2, minimum: 0 } });

    const preview = await core.call('jobs:retentionPreview', { id: job.id });
    expect(preview.destinations[0]!.pinsNotRead).toBeNull();
    expect(preview.destinations[0]!.databases.flatMap((d) => d.backups.map((b) => [b.key, b.pinned, b.action, b.reasons]))).toEqual([
      [keys[2], true, 'keep', ['pinned at the destination']],
      [keys[1], false, 'keep', ['last 2']],
      [keys[0], false, 'keep', ['last 2']],
    ]);

    const fourth = await runAt(job.id, '2027-02-04T03:00:00Z');
    const newest = fourth.objects[0]!.key;
    // keep-last 2 is the new backup and the one before the pinned one; the pinned one stays besides.
    expect(fourth.retention).toEqual([{ destinationId: dest.id, destination: 'shared-slots', kept: 3, deleted: [keys[0]], error: null }]);
    expect(filesUnder(folder).filter((f) => !f.includes('.vaultdesk-pin'))).toEqual([newest, keys[2]!, keys[1]!].flatMap(objectFiles).sort());
    expect(fourth.log.map((l) => l.message)).toContainEqual(
      `Backup ${keys[2]} on destination "shared-slots" is pinned at the destination until it is unpinned (by this or another Vaultdesk that uses it), so it is kept. Unpin it first to delete it.`,
    );
    // The preview after the run agrees with what the run left.
    const after = await core.call('jobs:retentionPreview', { id: job.id });
    expect(after.destinations[0]!.databases.flatMap((d) => d.backups.map((b) => b.action))).toEqual(['keep', 'keep', 'keep']);
  });

  it('a destination whose pins cannot be read: the preview says so and still answers from the data dir', async () => {
    const folder = path.join(t.dir, 'gone');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'gone', path: folder });
    const job = await core.call('jobs:create', { name: 'app-gone', sourceId, destinationIds: [dest.id], retention: { keepLast: 1, minimum: 0 } });
    await runAt(job.id, '2027-03-01T03:00:00Z');
    rmSync(folder, { recursive: true, force: true });
    writeFileSync(folder, 'not a folder');
    try {
      const preview = await core.call('jobs:retentionPreview', { id: job.id });
      expect(preview.destinations[0]!.pinsNotRead).toMatch(/^The pins kept at destination "gone" could not be read \(.+\), so a backup pinned there by another Vaultdesk that shares it is shown as this data dir knows it; a run still keeps it\.$/);
      expect(preview.destinations[0]!.databases.flatMap((d) => d.backups.map((b) => b.action))).toEqual(['keep']);
    } finally {
      rmSync(folder, { force: true });
    }
  });

  describe.skipIf(shouldSkip('a read-only bind mount', mountUnavailable()))('on a read-only file system', () => {
    it('the run succeeds and its record says, in words, that the old backups could not be deleted', async () => {
      const folder = path.join(t.dir, 'nas');
      const dest = await core.call('destinations:create', { kind: 'local', name: 'nas', path: folder });
      const job = await core.call('jobs:create', { name: 'app-ro', sourceId, destinationIds: [dest.id], prefix: 'old/', retention: { keepLast: 1, minimum: 1 } });
      const first = await runAt(job.id, '2027-01-01T03:00:00Z');
      const oldKey = first.objects[0]!.key;
      expect(oldKey.startsWith('old/')).toBe(true);
      // New backups go to a writable folder; the old ones are on a file system that went read-only.
      await core.call('jobs:update', { id: job.id, prefix: 'new/' });
      const oldFolder = path.join(folder, 'old');
      const readOnly = bindReadOnly(oldFolder, oldFolder);
      try {
        const second = await runAt(job.id, '2027-01-02T03:00:00Z');
        expect(second.status).toBe('succeeded');
        expect(second.retention![0]).toMatchObject({ destination: 'nas', kept: 2, deleted: [], error: { code: 'DESTINATION_WRITE_FAILED' } });
        expect(second.retention![0]!.error!.message).toBe(
          `Could not delete 1 of the 1 backup(s) the retention policy lets go: Could not delete ${oldKey}.manifest.json in folder ${folder}: ${folder} is on a read-only file system.`,
        );
        expect(second.retention![0]!.error!.message).not.toMatch(/\bE[A-Z]{3,}\b/);
        expect(filesUnder(folder)).toEqual([oldKey, second.objects[0]!.key].flatMap(objectFiles).sort());
        expect(rowsOf(job.id)).toHaveLength(2);
      } finally {
        readOnly.unmount();
      }
    });
  });
});
