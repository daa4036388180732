import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSqliteFile, sqliteFingerprint } from '../testing/db-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('7-Zip (7zz)', probeCommand('7zz', ['i']));

describe.skipIf(skip)('7-Zip encrypted backups ("open with 7-Zip")', () => {
  const t = tempDir('vaultdesk-7z-');
  afterAll(() => t.cleanup());

  it('stores an AES-256 archive with encrypted headers that 7-Zip opens with the profile passphrase', async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 500);
    const core = await tempCore(t.dir);
    try {
      const src = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
      const profile = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'correct horse battery staple' });
      const job = await core.call('jobs:create', { name: 'app-7z', sourceId: src.id, destinationIds: [dest.id], encryption: '7z', profileId: profile.id });
      const run = await core.runService.start(job.id, 'manual').finished;
      expect(run.error).toBeNull();
      const key = run.objects[0]!.key;
      expect(key).toMatch(/\/\d{8}T\d{6}Z\.sqlite\.7z$/);
      const archive = path.join(t.dir, 'backups', key);
      const manifest = JSON.parse(readFileSync(`${archive}.manifest.json`, 'utf8'));
      expect(manifest).toMatchObject({ encryption: { kind: '7z', headersEncrypted: true }, object: { size: readFileSync(archive).length } });
      // Without the passphrase, not even the entry name is readable.
      expect(() => execFileSync('7zz', ['l', '-p', archive], { stdio: 'pipe' })).toThrow();
      const out = path.join(t.dir, 'extracted');
      execFileSync('7zz', ['x', `-pcorrect horse battery staple`, `-o${out}`, archive], { stdio: 'pipe' });
      const [entry] = readdirSync(out);
      expect(entry).toBe(path.basename(key, '.7z'));
      expect(sqliteFingerprint(path.join(out, entry!))).toEqual(sqliteFingerprint(file));
      // The temporary archive is gone.
      expect(readdirSync(path.join(t.dir, 'data', 'tmp'))).toEqual([]);
      expect(existsSync(`${archive}.partial`)).toBe(false);
    } finally {
      core.close();
    }
  });
});
