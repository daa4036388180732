import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../shared/domain/runs';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, seedPgAwkward } from '../core/testing/db-fixtures';
import { pgEnv, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';
import { pgDumpWrapper } from '../core/testing/tool-wrapper';

const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));
const skip = shouldSkip('PostgreSQL', await probePostgres());

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((e) => !e.isDirectory()).map((e) => e.name);
}

describe.skipIf(skip)('stopping vaultdesk daemon twice', { timeout: 120_000 }, () => {
  const t = tempDir('vaultdesk-daemon-stop-');
  const dataDir = path.join(t.dir, 'data');
  const keyFile = path.join(t.dir, 'master.key');
  const local = path.join(t.dir, 'local');
  const pgDb = scratchName('pg_daemon_stop');
  // The real dump, then a pause before the tool exits: the run is mid-write, its .partial file at the destination.
  const lingering = pgDumpWrapper(path.join(t.dir, 'bin-linger'), 'REAL "$@"\nexec sleep 120');
  const env = { PATH: `${lingering}:${process.env.PATH}`, HOME: t.dir };
  const children: ChildProcess[] = [];
  const args = (rest: string[]): string[] => [bin, '--data-dir', dataDir, '--master-key-file', keyFile, ...rest];
  const vaultdesk = (rest: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, args(rest), { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  const until = async <T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 60_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    await createPgDatabase(pgDb);
    await seedPgAwkward(pgDb);
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await dropPgDatabase(pgDb);
    t.cleanup();
  });

  it('a second SIGTERM during the grace period cancels the running backup at once, cleanly: no run left running, no .partial file, and its post-run hook runs', async () => {
    const postStatus = path.join(t.dir, 'post-status');
    for (const step of [
      ['source', 'add', 'postgres', '--name', 'pg', '--host', pgEnv.host, '--port', String(pgEnv.port), '--user', pgEnv.user, '--database', pgDb],
      ['destination', 'add', 'local', '--name', 'disk', '--path', local],
      ['job', 'add', '--name', 'often', '--source', 'pg', '--destination', 'disk', '--compression', 'none', '--schedule', '*/2 * * * * *', '--timezone', 'UTC', '--hook-shell', '--post-hook', `printf %s "$VAULTDESK_STATUS" > "${postStatus}"`],
    ]) {
      expect((await vaultdesk(step)).code).toBe(0);
    }
    const child = spawn(process.execPath, args(['daemon', '--grace', '10m']), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await until('the run to be writing its .partial file', () => filesUnder(local).some((f) => f.endsWith('.partial')));
    child.kill('SIGTERM');
    await until('the daemon to start stopping', () => output.includes('stopping: running backups may finish for up to 600 s'));
    const second = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - second).toBeLessThan(30_000);
    expect(output).toContain('second signal: cancelling the running backups now');

    // Slots that came while the run went on are recorded as skipped; the run itself was cancelled.
    const runs = (JSON.parse((await vaultdesk(['run', 'list', '--job', 'often', '--json'])).stdout) as RunDto[]).filter((r) => r.status !== 'skipped');
    expect(runs.map((r) => r.status)).toEqual(['cancelled']);
    expect(runs[0]!.error!.message).toBe('vaultdesk daemon was stopped: the run was cancelled; nothing was kept.');
    expect(filesUnder(local)).toEqual([]);
    expect(readFileSync(postStatus, 'utf8')).toBe('cancelled');
  });
});
