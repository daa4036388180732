import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { seedSqliteFile } from '../testing/db-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';

describe('two installs that share a destination and store a backup under the same name', () => {
  const t = tempDir('vaultdesk-shared-name-');
  const cores: Core[] = [];
  afterAll(() => {
    for (const c of cores) c.close();
    t.cleanup();
  });

  it('one stores it, the other fails saying why, and the stored backup is left whole', async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 2_000);
    const folder = path.join(t.dir, 'nas');
    // The same job in two data dirs (an old install and its system import on a new machine), started in the same second.
    const at = new Date('2026-12-03T16:32:15Z');
    const jobs: string[] = [];
    for (const name of ['old', 'new']) {
      const core = await tempCore(path.join(t.dir, name), undefined, { clock: () => at });
      cores.push(core);
      const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const destination = await core.call('destinations:create', { kind: 'local', name: 'nas', path: folder });
      jobs.push((await core.call('jobs:create', { name: 'nightly', sourceId: source.id, destinationIds: [destination.id], compression: 'zstd' })).id);
    }
    const runs = await Promise.all(cores.map((core, i) => core.runService.start(jobs[i]!, 'manual').finished));
    const [stored, refused] = runs[0]!.status === 'succeeded' ? [runs[0]!, runs[1]!] : [runs[1]!, runs[0]!];
    expect([stored.status, refused.status]).toEqual(['succeeded', 'failed']);
    const key = stored.objects[0]!.key;
    expect(refused.error?.message).toBe(
      `Could not write ${key} to folder ${folder}: another run is storing, or has just stored, a backup under that name (another Vaultdesk that uses this folder, started in the same second), so this one was not stored and that one was left alone. Run it again.`,
    );
    // The backup the first run reported is there, whole: its manifest, and an object that verifies.
    const dir = path.join(folder, path.dirname(key));
    expect(readdirSync(dir).sort()).toEqual([path.basename(key), `${path.basename(key)}.manifest.json`]);
    const owner = cores[runs.indexOf(stored)]!;
    const listed = (await owner.call('backups:list', { refresh: true })).backups;
    expect(listed.map((b) => [b.key, b.status])).toEqual([[key, 'complete']]);
    expect((await owner.call('backups:verify', { id: listed[0]!.id })).ok).toBe(true);
  });
});
