import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));
const t = tempDir('vaultdesk-cli-proc-');
afterAll(() => t.cleanup());

/** Generous: the command used to spin for good; this only says it came back on its own. */
const PROMPT_MS = 40_000;

function vaultdesk(args: string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, '--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'master.key'), ...args], {
    env: { PATH: process.env.PATH, HOME: t.dir },
    encoding: 'utf8',
    // A hang is killed here, and then fails the exit-code assertions below.
    timeout: 90_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe('vaultdesk with a destination under /proc', { timeout: 240_000 }, () => {
  it('destination add is accepted; destination test and backup run exit non-zero promptly, in words', () => {
    const add = vaultdesk(['destination', 'add', 'local', '--name', 'procdest', '--path', '/proc/x']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);

    const test = vaultdesk(['destination', 'test', 'procdest']);
    expect(test.code).toBe(1);
    expect(test.stdout).toBe('PROBLEM: Folder /proc/x cannot be used: folder /proc/x cannot be created: /proc exists but does not accept new folders (a system folder such as /proc or /sys, or a mount point that is not a normal disk).\n');
    expect(test.ms).toBeLessThan(PROMPT_MS);

    const db = path.join(t.dir, 'app.db');
    seedSqliteFile(db, 50);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', db]).code).toBe(0);
    expect(vaultdesk(['job', 'add', '--name', 'to-proc', '--source', 'app', '--destination', 'procdest']).code).toBe(0);
    const run = vaultdesk(['backup', 'run', 'to-proc']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/error +stage upload \(procdest\): \[DESTINATION_UNREACHABLE\] Could not write \S+ to folder \/proc\/x: folder \/proc\/x cannot be created/);
    expect(run.ms).toBeLessThan(PROMPT_MS);
  });
});
