import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import type { Core } from '../create-core';
import { tempCore, tempDir } from '../testing/temp-dir';
import { deleteBackup } from './delete-backup';

describe('deleteBackup', () => {
  let t: ReturnType<typeof tempDir>;
  let core: Core;
  let folder: string;
  let destinationId: string;
  let jobId: string;

  beforeEach(async () => {
    t = tempDir('vaultdesk-delete-');
    core = await tempCore(t.dir);
    folder = path.join(t.dir, 'disk');
    destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: folder })).id;
    const src = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: path.join(t.dir, 'app.db') });
    jobId = (await core.call('jobs:create', { name: 'app', sourceId: src.id, destinationIds: [destinationId] })).id;
  });
  afterEach(() => {
    core.close();
    t.cleanup();
  });

  /** A committed backup as a run leaves it: object, manifest, row. */
  const stored = (key: string, options: { pinned?: boolean } = {}): string => {
    const file = path.join(folder, key);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'dump bytes');
    writeFileSync(`${file}.manifest.json`, '{}');
    const id = randomUUID();
    core.db
      .prepare('INSERT INTO backups (id, job_id, destination_id, object_key, database_name, size, sha256, manifest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, jobId, destinationId, key, 'app', 10, 'ab'.repeat(32), '{}', '2026-11-01T03:00:00.000Z');
    if (options.pinned) core.backups.setPinned(id, true);
    return id;
  };
  const rowExists = (id: string): boolean => core.db.prepare('SELECT 1 FROM backups WHERE id = ?').get(id) !== undefined;
  const failure = async (promise: Promise<unknown>): Promise<AppError> => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('removes the manifest, the object and the row', async () => {
    const id = stored('default/app/app/20261101T030000Z.sqlite.zst');
    await deleteBackup(core, id);
    expect(existsSync(path.join(folder, 'default/app/app/20261101T030000Z.sqlite.zst'))).toBe(false);
    expect(existsSync(path.join(folder, 'default/app/app/20261101T030000Z.sqlite.zst.manifest.json'))).toBe(false);
    expect(rowExists(id)).toBe(false);
  });

  it('refuses a pinned backup and touches nothing', async () => {
    const key = 'default/app/app/20261102T030000Z.sqlite.zst';
    const id = stored(key, { pinned: true });
    const error = await failure(deleteBackup(core, id));
    expect(error.code).toBe('BACKUP_PINNED');
    expect(error.message).toBe(`Backup ${key} on destination "disk" is pinned, so it is kept. Unpin it first to delete it.`);
    expect([existsSync(path.join(folder, key)), existsSync(path.join(folder, `${key}.manifest.json`)), rowExists(id)]).toEqual([true, true, true]);
  });

  it('refuses on a locked destination and touches nothing', async () => {
    const key = 'default/app/app/20261103T030000Z.sqlite.zst';
    const id = stored(key);
    await core.call('destinations:lock', { id: destinationId });
    const error = await failure(deleteBackup(core, id));
    expect(error.code).toBe('DESTINATION_LOCKED');
    expect([existsSync(path.join(folder, key)), existsSync(path.join(folder, `${key}.manifest.json`)), rowExists(id)]).toEqual([true, true, true]);
  });

  it('takes the manifest first and the row last: a delete cut off after the manifest leaves no backup that claims to be whole', async () => {
    const key = 'default/app/app/20261104T030000Z.sqlite.zst';
    const id = stored(key);
    // Where the object should be is a folder with something in it, so only the object's removal fails.
    const object = path.join(folder, key);
    rmSync(object);
    mkdirSync(object);
    writeFileSync(path.join(object, 'inside'), 'x');
    const error = await failure(deleteBackup(core, id));
    expect(error.code).toBe('DESTINATION_WRITE_FAILED');
    expect(error.message).toBe(`Could not delete ${key} in folder ${folder}: ${object} is a folder where a file should be.`);
    expect(existsSync(`${object}.manifest.json`)).toBe(false);
    expect(existsSync(path.join(object, 'inside'))).toBe(true);
    // Still on record, so the next retention (or a delete by hand) finishes the job.
    expect(rowExists(id)).toBe(true);
  });

  it('says which backup does not exist', async () => {
    const error = await failure(deleteBackup(core, '00000000-0000-4000-8000-000000000000'));
    expect(error.code).toBe('NOT_FOUND');
  });
});
