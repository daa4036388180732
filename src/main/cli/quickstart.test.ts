import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const bin = path.resolve(import.meta.dirname, '../../../bin/vaultdesk.mjs');
const skip = shouldSkip('age and zstd CLIs', probeCommand('age') ?? probeCommand('zstd'));

describe.skipIf(skip)('vaultdesk quickstart', () => {
  const t = tempDir('vaultdesk-quickstart-');
  afterAll(() => t.cleanup());

  it('makes a demo source, destination, profile and job, runs it, and prints an age command that really decrypts it', () => {
    const args = [bin, '--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'key'), 'quickstart', '--backup-dir', path.join(t.dir, 'backups')];
    const r = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH, HOME: t.dir }, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Created job "demo-backup"');
    const command = r.stdout.split('\n').find((l) => l.trim().startsWith('age -d -i'))!.trim();
    expect(command).toMatch(/\| zstd -d > demo-restored\.db$/);
    execFileSync('sh', ['-c', command], { cwd: t.dir });
    const db = new Database(path.join(t.dir, 'demo-restored.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 1000 });
    db.close();
    // A second quickstart reuses what exists and runs again.
    const again = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH, HOME: t.dir }, encoding: 'utf8', timeout: 120_000 });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Reusing job "demo-backup"');
    const runs = spawnSync(process.execPath, [...args.slice(0, 5), 'run', 'list', '--json'], { env: { PATH: process.env.PATH, HOME: t.dir }, encoding: 'utf8' });
    expect((JSON.parse(runs.stdout) as { trigger: string; status: string }[]).map((r) => [r.trigger, r.status])).toEqual([
      ['quickstart', 'succeeded'],
      ['quickstart', 'succeeded'],
    ]);
  });
});
