import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupManifest } from '../pipeline/manifest';
import { tempCore, tempDir } from '../testing/temp-dir';

const COUNT = 10_000;

/** A manifest as a run writes it, for an object of `size` bytes: the listing reads nothing else. */
function fakeManifest(i: number, key: string, size: number): BackupManifest {
  return {
    formatVersion: 1,
    app: { name: 'vaultdesk', version: '0.1.0' },
    runId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    createdAt: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
    job: { id: '11111111-1111-4111-8111-111111111111', name: `job-${i % 20}` },
    source: { name: 'pg', engine: 'postgres', serverVersion: '17.2', database: `db${i % 50}`, kind: 'database' },
    dump: { format: 'custom', tool: 'pg_dump', bytes: size * 3 },
    compression: { algorithm: 'zstd', level: 3 },
    encryption: { kind: 'age', recipients: [{ recipient: 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq', fingerprint: '0123456789abcdef' }] },
    object: { key, size, sha256: 'ab'.repeat(32) },
  };
}

describe('the storage explorer with 10,000 backups on one destination', () => {
  const t = tempDir('vaultdesk-explorer-scale-');
  afterAll(() => t.cleanup());

  it('lists, filters and pages them: the first listing reads every manifest once, later ones read from the cache', { timeout: 600_000 }, async () => {
    const folder = path.join(t.dir, 'disk');
    for (let i = 0; i < COUNT; i++) {
      const key = `prod/db${i % 50}/job-${i % 20}/${String(i).padStart(6, '0')}.dump.zst.age`;
      const file = path.join(folder, key);
      if (i < 1000) mkdirSync(path.dirname(file), { recursive: true });
      const body = Buffer.alloc(16 + (i % 7), 1);
      writeFileSync(file, body);
      writeFileSync(`${file}.manifest.json`, JSON.stringify(fakeManifest(i, key, body.length), null, 2));
    }
    const core = await tempCore(t.dir);
    try {
      const dest = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: folder })).id;
      const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        const result = await work();
        process.stdout.write(`explorer, ${COUNT} backups: ${label}: ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
        return result;
      };
      const first = await timed('first listing (every manifest read)', () => core.call('backups:list', { limit: 100 }));
      expect(first.problems).toEqual([]);
      expect(first.total).toBe(COUNT);
      expect(first.backups).toHaveLength(100);
      expect(first.backups.every((b) => b.complete)).toBe(true);
      // Newest first: the highest i has the latest time.
      expect(first.backups[0]!.key).toBe(`prod/db${(COUNT - 1) % 50}/job-${(COUNT - 1) % 20}/${String(COUNT - 1).padStart(6, '0')}.dump.zst.age`);
      expect((core.db.prepare('SELECT count(*) AS n FROM manifest_cache WHERE destination_id = ?').get(dest) as { n: number }).n).toBe(COUNT);

      const again = await timed('listing again, the folder read again (manifests from the cache)', () => core.call('backups:list', { limit: 100, refresh: true }));
      expect(again.backups.map((b) => b.id)).toEqual(first.backups.map((b) => b.id));
      const last = await timed('last page (the listing of a few seconds ago reused)', () => core.call('backups:list', { offset: COUNT - 100, limit: 100 }));
      expect(last.backups).toHaveLength(100);
      expect(last.backups[99]!.key).toBe('prod/db0/job-0/000000.dump.zst.age');
      const filtered = await timed('one job and one database, refreshed', () => core.call('backups:list', { job: 'job-3', database: 'db3', limit: 10_000, refresh: true }));
      // i % 20 === 3 and i % 50 === 3: i = 3 (mod 100).
      expect(filtered.total).toBe(COUNT / 100);
      const whole = await timed('all 10,000 in one page', () => core.call('backups:list', { limit: 10_000 }));
      expect(whole.backups).toHaveLength(COUNT);
    } finally {
      core.close();
    }
  });
});
