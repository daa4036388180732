import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { watchDescendants, type SeenProcess } from '../testing/child-processes';
import { seedSqliteFile, sqliteFingerprint } from '../testing/db-fixtures';
import { backupIdOfRun, restoreAndWait } from '../testing/restore-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { toolWrapper } from '../testing/tool-wrapper';

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

  it('a generated passphrase, saved with export-identity, opens the backup with 7-Zip alone', async () => {
    const dir = path.join(t.dir, 'generated');
    mkdirSync(dir);
    const file = path.join(dir, 'app.db');
    seedSqliteFile(file, 200);
    const core = await tempCore(dir);
    try {
      const src = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(dir, 'backups') });
      const profile = await core.call('profiles:create', { kind: '7z', name: 'zip' });
      const job = await core.call('jobs:create', { name: 'app-7z', sourceId: src.id, destinationIds: [dest.id], encryption: '7z', profileId: profile.id });
      const run = await core.runService.start(job.id, 'manual').finished;
      expect(run.error).toBeNull();
      const saved = path.join(dir, 'zip-passphrase.txt');
      await core.call('profiles:exportIdentity', { id: profile.id, path: saved });
      // What the file's header tells a colleague: the last line, at 7-Zip's password prompt.
      const passphrase = readFileSync(saved, 'utf8').trimEnd().split('\n').at(-1)!;
      const archive = path.join(dir, 'backups', run.objects[0]!.key);
      const out = path.join(dir, 'extracted');
      const opened = spawnSync('7zz', ['x', `-o${out}`, archive], { input: `${passphrase}\n` });
      expect(opened.status).toBe(0);
      expect(sqliteFingerprint(path.join(out, path.basename(archive, '.7z')))).toEqual(sqliteFingerprint(file));
    } finally {
      core.close();
    }
  });

  it('while the backup runs, no 7-Zip process holds the passphrase in its argv or environment', async () => {
    const dir = path.join(t.dir, 'watched');
    mkdirSync(dir);
    const file = path.join(dir, 'big.db');
    // About 17 MiB, mostly random blobs: 7-Zip works on it for a few seconds.
    seedSqliteFile(file, 30_000);
    // The online backup API gives the same bytes for the same database: what the dump must hold.
    const expected = path.join(dir, 'expected.db');
    const reference = new Database(file, { readonly: true, fileMustExist: true });
    await reference.backup(expected);
    reference.close();
    const passphrase = 'watched: correct horse battery staple 7z';
    const core = await tempCore(dir);
    try {
      const src = await core.call('sources:create', { engine: 'sqlite', name: 'big', path: file });
      const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(dir, 'backups') });
      const profile = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase });
      const job = await core.call('jobs:create', { name: 'big-7z', sourceId: src.id, destinationIds: [dest.id], encryption: '7z', profileId: profile.id });
      // The run works in a worker thread; this thread's event loop stays free to look at /proc.
      const watch = watchDescendants(['7zz', '7z', '7za']);
      let seen: SeenProcess[];
      let run: Awaited<ReturnType<typeof core.runService.start>['finished']>;
      try {
        run = await core.runService.start(job.id, 'manual').finished;
      } finally {
        seen = watch.stop();
      }
      expect(run.error).toBeNull();
      const creating = seen.filter((p) => p.argv[1] === 'a');
      expect(creating.length).toBeGreaterThanOrEqual(1);
      for (const p of creating) expect(p.argv).toContain('-p');
      for (const p of seen) {
        expect(p.argv.join(' ')).not.toContain(passphrase);
        expect(p.environ.join('\n')).not.toContain(passphrase);
      }
      const archive = path.join(dir, 'backups', run.objects[0]!.key);
      // 7zz itself, the passphrase answering its prompt on stdin as a DBA would type it.
      const opened = spawnSync('7zz', ['x', '-so', '-sccUTF-8', archive], { input: `${passphrase}\n`, maxBuffer: 64 * 1024 * 1024 });
      expect(opened.status).toBe(0);
      expect(opened.stdout.length).toBe(readFileSync(expected).length);
      expect(opened.stdout.equals(readFileSync(expected))).toBe(true);
      const wrong = spawnSync('7zz', ['x', '-so', '-sccUTF-8', archive], { input: `${passphrase}!\n`, maxBuffer: 64 * 1024 * 1024 });
      expect(wrong.status).not.toBe(0);
      expect(wrong.stdout.length).toBe(0);
      expect(`${wrong.stdout}${wrong.stderr}`).toMatch(/Wrong password/i);
    } finally {
      core.close();
    }
  });

  it('uses the 7-Zip set in Settings for backup, restore and decrypt, and names that path when it is not there', async () => {
    const dir = path.join(t.dir, 'configured');
    mkdirSync(dir);
    const file = path.join(dir, 'app.db');
    seedSqliteFile(file, 200);
    // Off PATH, as a 7-Zip unpacked into a folder of its own: it notes each command, then runs the real one.
    const chosen = toolWrapper(path.join(dir, 'tools', '7zz'), '7zz', `echo "$1" >> "${dir}/calls.log"\nexec REAL "$@"`);
    const core = await tempCore(dir);
    try {
      const src = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(dir, 'backups') });
      const profile = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'configured 7z' });
      const job = await core.call('jobs:create', { name: 'app-7z', sourceId: src.id, destinationIds: [dest.id], encryption: '7z', profileId: profile.id });
      expect(await core.call('settings:setToolPath', { tool: '7z', path: chosen })).toMatchObject({ toolPaths: { '7z': chosen } });
      const run = await core.runService.start(job.id, 'manual').finished;
      expect(run.error).toBeNull();
      const backupId = backupIdOfRun(run, dest.id);
      const target = path.join(dir, 'restored.db');
      const restored = await restoreAndWait(core, { backupId, database: target });
      expect(restored.error).toBeNull();
      expect(sqliteFingerprint(target)).toEqual({ ...sqliteFingerprint(file), integrity: 'ok' });
      // Its version asked, the archive made and checked, then read back by the restore.
      const calls = readFileSync(path.join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
      expect(calls).toContain('a');
      expect(calls).toContain('l');
      expect(calls.filter((c) => c === 'x' || c === 'e').length).toBeGreaterThanOrEqual(1);
      // The Recovery page's decrypt, with the profile's passphrase, goes through it too.
      const before = calls.length;
      const out = path.join(dir, 'decrypted.db');
      const decrypted = await core.call('recovery:decrypt', { file: path.join(dir, 'backups', run.objects[0]!.key), passphrase: 'configured 7z', out });
      expect(decrypted).toMatchObject({ path: out, format: '7z' });
      expect(sqliteFingerprint(out)).toEqual(sqliteFingerprint(file));
      expect(readFileSync(path.join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(before);

      const gone = path.join(dir, 'tools', 'gone', '7zz');
      await core.call('settings:setToolPath', { tool: '7z', path: gone });
      const failed = await core.runService.start(job.id, 'manual').finished;
      expect(failed.error).toMatchObject({ code: 'CLIENT_TOOL_MISSING' });
      expect(failed.error!.message).toContain(`7-Zip was not found at ${gone} (the path set in Settings)`);
      const refused = await restoreAndWait(core, { backupId, database: path.join(dir, 'again.db') }).catch((e: unknown) => e as { code: string; message: string });
      expect(JSON.stringify(refused)).toContain(gone);
      expect(existsSync(path.join(dir, 'again.db'))).toBe(false);
    } finally {
      core.close();
    }
  });
});
