import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSqliteFile } from '../testing/db-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';

describe('object names of consecutive runs', () => {
  const t = tempDir('vaultdesk-names-');
  afterAll(() => t.cleanup());

  it('two runs in the same second never overwrite each other', async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 50);
    const frozen = new Date('2026-11-26T03:00:00Z');
    const core = await tempCore(t.dir, undefined, { clock: () => frozen });
    try {
      const src = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
      const job = await core.call('jobs:create', { name: 'app', sourceId: src.id, destinationIds: [dest.id] });
      const first = await core.runService.start(job.id, 'manual').finished;
      const second = await core.runService.start(job.id, 'manual').finished;
      expect([first.error, second.error]).toEqual([null, null]);
      expect(first.objects[0]!.key).toBe('default/app/app/20261126T030000Z.sqlite.zst');
      expect(second.objects[0]!.key).toBe('default/app/app/20261126T030000Z-2.sqlite.zst');
      expect(readdirSync(path.join(t.dir, 'backups', 'default', 'app', 'app')).sort()).toEqual([
        '20261126T030000Z-2.sqlite.zst',
        '20261126T030000Z-2.sqlite.zst.manifest.json',
        '20261126T030000Z.sqlite.zst',
        '20261126T030000Z.sqlite.zst.manifest.json',
      ]);
      expect(core.db.prepare('SELECT COUNT(*) AS n FROM backups').get()).toEqual({ n: 2 });
    } finally {
      core.close();
    }
  });
});
