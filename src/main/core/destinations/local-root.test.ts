import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { seedSqliteFile } from '../testing/db-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';

let t: ReturnType<typeof tempDir>;
let core: Core;
beforeEach(async () => {
  t = tempDir('vaultdesk-local-root-');
  core = await tempCore(t.dir);
});
afterEach(() => {
  core.close();
  t.cleanup();
});

const missingWords = (root: string, name: string): string =>
  `The folder ${root} of destination "${name}" does not exist. If it is on a disk or share that is not mounted, mount it; Vaultdesk does not create it at backup time, so that backups never land on the disk underneath.`;

describe("a local destination's folder", () => {
  it('is made when the destination is added and its parent exists, and the result says so', async () => {
    const root = path.join(t.dir, 'nas');
    const added = await core.call('destinations:create', { kind: 'local', name: 'nas', path: root, test: true });
    expect(added.createdFolder).toBe(root);
    expect(added.lastTest).toMatchObject({ success: true });
    expect(readdirSync(root)).toEqual([]);
    // One that exists is not "created".
    const again = await core.call('destinations:create', { kind: 'local', name: 'nas-too', path: root });
    expect(again.createdFolder).toBeUndefined();
  });

  it('is refused, and nothing made or stored, when its parent is missing too (a typo, a share not mounted)', async () => {
    const root = path.join(t.dir, 'x-nonexist', 'nas');
    for (const test of [true, false]) {
      const refused = await core.invoke('destinations:create', { kind: 'local', name: 'mnt', path: root, test });
      expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'path', reason: 'root-missing', path: root } } });
      expect((refused as { error: { message: string } }).error.message).toBe(
        `The folder ${root} does not exist, nor its parent ${path.dirname(root)}. Vaultdesk makes only the last folder of a destination's path, so that a typo or a share that is not mounted never becomes a folder on the disk underneath: create ${path.dirname(root)}, or mount the disk or share it is on.`,
      );
    }
    expect(existsSync(path.dirname(root))).toBe(false);
    expect(await core.call('destinations:list', {})).toEqual([]);
  });

  it('where the kernel takes no folder (/proc) is refused on save, in words', async () => {
    const refused = await core.invoke('destinations:create', { kind: 'local', name: 'procdest', path: '/proc/nope', test: true });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'DESTINATION_WRITE_FAILED',
        message: 'Destination "procdest" cannot be saved: folder /proc/nope cannot be created: /proc exists but does not accept new folders (a system folder such as /proc or /sys, or a mount point that is not a normal disk).',
        details: { field: 'path' },
      },
    });
  });

  it('is made by an update that moves the destination, not by one that keeps its path', async () => {
    const dest = await core.call('destinations:create', { kind: 'local', name: 'nas', path: path.join(t.dir, 'a') });
    const moved = await core.call('destinations:update', { id: dest.id, path: path.join(t.dir, 'b') });
    expect(moved.createdFolder).toBe(path.join(t.dir, 'b'));
    rmdirSync(path.join(t.dir, 'b'));
    // Renamed while its folder is gone (a share not mounted): nothing is made behind the DBA's back.
    const renamed = await core.call('destinations:update', { id: dest.id, name: 'nas-two' });
    expect(renamed.createdFolder).toBeUndefined();
    expect(existsSync(path.join(t.dir, 'b'))).toBe(false);
  });

  it("gone from under a saved destination: its test and a run fail in the same words and make nothing; mounted again, a run makes the job's folders", async () => {
    const root = path.join(t.dir, 'mnt', 'nas');
    mkdirSync(path.dirname(root));
    const dest = await core.call('destinations:create', { kind: 'local', name: 'nas', path: root });
    const file = path.join(t.dir, 'shop.db');
    seedSqliteFile(file, 5);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'shop', path: file });
    const job = await core.call('jobs:create', { name: 'shop-nightly', sourceId: source.id, destinationIds: [dest.id] });
    rmdirSync(root);

    const test = await core.call('destinations:test', { id: dest.id });
    expect(test).toEqual({ success: false, message: missingWords(root, 'nas') });
    const run = await core.runService.start(job.id, 'manual').finished;
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'DESTINATION_UNREACHABLE', message: expect.stringContaining(missingWords(root, 'nas')) });
    expect(existsSync(root)).toBe(false);
    expect(readdirSync(path.dirname(root))).toEqual([]);

    mkdirSync(root);
    const ok = await core.runService.start(job.id, 'manual').finished;
    expect(ok.error).toBeNull();
    // The folders below the root (environment, source...) are made as before, with the backup in them.
    expect(readdirSync(root)).toEqual(['default']);
    expect(readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.manifest.json'))).toHaveLength(1);
  });
});
