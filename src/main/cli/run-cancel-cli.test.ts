import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../shared/domain/runs';
import { asyncCliRunner, cliRunner, VAULTDESK_BIN } from '../core/testing/cli-runner';
import { filesUnder } from '../core/testing/backup-fixtures';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const t = tempDir('vaultdesk-run-cancel-');
afterAll(() => t.cleanup());

const vaultdesk = cliRunner(t.dir);
const vaultdeskAsync = asyncCliRunner(t.dir);
const folder = path.join(t.dir, 'backups');

describe('vaultdesk run cancel', { timeout: 120_000 }, () => {
  it("cancels a run another process runs: that process ends it (cancelled, nothing kept; exit 1, as 130 is for a signal of its own), and cancel waits for the end and prints it; a run not running is refused", async () => {
    seedSqliteFile(path.join(t.dir, 'app.db'), 20);
    expect(vaultdesk(['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'disk', '--path', folder, '--default']).code).toBe(0);
    // The pre-run hook holds the run long enough to be cancelled from here.
    expect(vaultdesk(['job', 'add', '--name', 'app-slow', '--source', 'app', '--pre-hook', 'sleep 60']).code).toBe(0);
    const running = spawn(process.execPath, [VAULTDESK_BIN, '--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'master.key'), 'backup', 'run', 'app-slow', '--json'], {
      env: { PATH: process.env.PATH, HOME: t.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    running.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
    let id: string | undefined;
    for (const end = Date.now() + 30_000; !id && Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      const list = JSON.parse((await vaultdeskAsync(['run', 'list', '--json'])).stdout) as RunDto[];
      id = list.find((r) => r.status === 'running')?.id;
    }
    expect(id, 'the run should have started').toBeDefined();

    const cancelled = await vaultdeskAsync(['run', 'cancel', id!]);
    expect(cancelled.stderr).toBe('');
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^run +${id}\\njob +app-slow\\nstatus +cancelled\\n`));
    expect(await exited).toBe(1);
    expect((JSON.parse(out) as RunDto).status).toBe('cancelled');
    expect(filesUnder(folder)).toEqual([]);

    const again = await vaultdeskAsync(['run', 'cancel', id!, '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: `Run ${id} is not running (it cancelled).` } });
  });
});
