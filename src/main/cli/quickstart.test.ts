import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../core/testing/cli-runner';
import { probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const skip = shouldSkip('age and zstd CLIs', probeCommand('age') ?? probeCommand('zstd'));

describe.skipIf(skip)('vaultdesk quickstart', () => {
  const t = tempDir('vaultdesk-quickstart-');
  afterAll(() => t.cleanup());

  it('makes a demo source, destination, profile and job, runs it, and prints an age command that really decrypts it', () => {
    const vaultdesk = cliRunner(t.dir, { keyFile: path.join(t.dir, 'key') });
    const quickstart = ['quickstart', '--backup-dir', path.join(t.dir, 'backups')];
    const r = vaultdesk(quickstart);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Created job "demo-backup"');
    const command = r.stdout.split('\n').find((l) => l.trim().startsWith('age -d -i'))!.trim();
    expect(command).toMatch(/\| zstd -d > demo-restored\.db$/);
    execFileSync('sh', ['-c', command], { cwd: t.dir });
    const db = new Database(path.join(t.dir, 'demo-restored.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 1000 });
    db.close();
    // A second quickstart reuses what exists and runs again.
    const again = vaultdesk(quickstart);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Reusing job "demo-backup"');
    const runs = vaultdesk(['run', 'list', '--json']);
    expect((JSON.parse(runs.stdout) as { trigger: string; status: string }[]).map((r) => [r.trigger, r.status])).toEqual([
      ['quickstart', 'succeeded'],
      ['quickstart', 'succeeded'],
    ]);
  });
});
