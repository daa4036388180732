import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../../shared/ipc/result';
import { DB_FILE, type Core } from '../create-core';
import { fillUp, mountTmpfs, mountUnavailable, type Mounted } from '../testing/mounts';
import { shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

describe.skipIf(shouldSkip('mounting test file systems', mountUnavailable()))('a data dir whose disk is full', () => {
  const t = tempDir('vaultdesk-store-full-');
  let disk: Mounted | null = null;
  let core: Core | null = null;
  afterAll(() => {
    core?.close();
    disk?.unmount();
    t.cleanup();
  });

  it('a store write fails with STORE_WRITE_FAILED naming the data dir, and the database stays whole and readable', async () => {
    disk = mountTmpfs(path.join(t.dir, 'disk'), '2m');
    // The key file lives elsewhere: only the store is on the small disk.
    core = await tempCore(disk.dir, path.join(t.dir, 'master.key'));
    const dataDir = path.join(disk.dir, 'data');
    const saved: string[] = [];
    for (const name of ['before-1', 'before-2', 'before-3']) {
      await core.call('destinations:create', { kind: 'local', name, path: path.join(t.dir, name) });
      saved.push(name);
    }
    fillUp(path.join(disk.dir, 'filler'));

    // The WAL may still have room in pages it already holds: write until the disk says no.
    let refused: ErrorPayload | null = null;
    for (let i = 0; i < 5000 && refused === null; i++) {
      const name = `after-${i}-${'x'.repeat(16)}`;
      // SFTP: saving one touches no file system (a local one would make its folder), only the store.
      const result = await core.invoke('destinations:create', { kind: 'sftp', name, host: 'backup.invalid', user: 'dba', path: `/far/away/${name}`.padEnd(900, 'p') });
      if (result.ok) saved.push(name);
      else refused = result.error;
    }
    expect(refused).toEqual({
      code: 'STORE_WRITE_FAILED',
      message: `Could not save the change: the disk holding the data dir ${dataDir} is full. Free some space on it and try again.`,
      details: { dataDir, sqlite: 'SQLITE_FULL' },
    });
    // Reads still work in the same process, and show exactly what was saved.
    expect((await core.call('destinations:list', {})).map((d) => d.name).sort()).toEqual([...saved].sort());
    core.close();
    core = null;

    // Another connection, still on the full disk, reads the same rows and a sound file.
    const reader = new Database(path.join(dataDir, DB_FILE), { readonly: true });
    try {
      expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((reader.prepare('SELECT name FROM destinations ORDER BY name').pluck().all() as string[])).toEqual([...saved].sort());
    } finally {
      reader.close();
    }

    // Space again: the same data dir opens, and takes writes.
    rmSync(path.join(disk.dir, 'filler'));
    core = await tempCore(disk.dir, path.join(t.dir, 'master.key'));
    await core.call('destinations:create', { kind: 'local', name: 'after-space', path: path.join(t.dir, 'after-space') });
    expect((await core.call('destinations:list', {})).map((d) => d.name).sort()).toEqual([...saved, 'after-space'].sort());
  });

  it('a data dir on a full disk that SQLite cannot even open (no room for its working files) is said to be on a full disk, not a failing one', async () => {
    const small = mountTmpfs(path.join(t.dir, 'small'), '2m');
    try {
      const opened = await tempCore(small.dir, path.join(t.dir, 'small.key'));
      await opened.call('destinations:create', { kind: 'local', name: 'kept', path: path.join(t.dir, 'kept') });
      opened.close();
      fillUp(path.join(small.dir, 'filler'));
      const dataDir = path.join(small.dir, 'data');
      const refused = await tempCore(small.dir, path.join(t.dir, 'small.key')).then(
        (c) => {
          c.close();
          return null;
        },
        (e: unknown) => e as { code: string; message: string },
      );
      expect(refused).toMatchObject({
        code: 'STORE_WRITE_FAILED',
        message: `Could not open or write the Vaultdesk database in the data dir ${dataDir}: the disk holding it is full, and SQLite needs a little room to work even to read it. Free some space on it and try again.`,
      });
    } finally {
      small.unmount();
    }
  });
});
