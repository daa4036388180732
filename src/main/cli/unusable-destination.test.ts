import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner, type CliResult } from '../core/testing/cli-runner';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-cli-proc-');
afterAll(() => t.cleanup());

/** Generous: the command used to spin for good; this only says it came back on its own. */
const PROMPT_MS = 40_000;

const cli = cliRunner(t.dir);

function vaultdesk(args: string[]): CliResult & { ms: number } {
  const started = Date.now();
  // A hang is killed by the runner's timeout, and then fails the exit-code assertions below.
  return { ...cli(args), ms: Date.now() - started };
}

describe('vaultdesk with a destination under /proc', { timeout: 240_000 }, () => {
  it('destination add of a folder it cannot make is refused; one on /proc is accepted, and its test and a run exit non-zero promptly, in words', () => {
    const refused = vaultdesk(['destination', 'add', 'local', '--name', 'procx', '--path', '/proc/x']);
    expect([refused.code, refused.stderr]).toEqual([
      1,
      'vaultdesk: error [DESTINATION_WRITE_FAILED]: Destination "procx" cannot be saved: folder /proc/x cannot be created: /proc exists but does not accept new folders (a system folder such as /proc or /sys, or a mount point that is not a normal disk).\n',
    ]);
    expect(refused.ms).toBeLessThan(PROMPT_MS);

    const add = vaultdesk(['destination', 'add', 'local', '--name', 'procdest', '--path', '/proc']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);

    const test = vaultdesk(['destination', 'test', 'procdest']);
    expect(test.code).toBe(1);
    expect(test.stdout).toBe('PROBLEM: Folder /proc cannot be used: it exists but does not accept new files (a system folder such as /proc or /sys, or a mount point that is not a normal disk).\n');
    expect(test.ms).toBeLessThan(PROMPT_MS);

    const db = path.join(t.dir, 'app.db');
    seedSqliteFile(db, 50);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', db]).code).toBe(0);
    expect(vaultdesk(['job', 'add', '--name', 'to-proc', '--source', 'app', '--destination', 'procdest']).code).toBe(0);
    const run = vaultdesk(['backup', 'run', 'to-proc']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/error +stage upload \(procdest\): \[DESTINATION_UNREACHABLE\] Could not write \S+ to folder \/proc: folder \/proc\/\S+ cannot be created: \/proc exists but does not accept new folders/);
    expect(run.ms).toBeLessThan(PROMPT_MS);
  });
});
