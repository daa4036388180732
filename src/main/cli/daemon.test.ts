import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScheduleStatusDto } from '../../shared/domain/dto';
import type { RunDto } from '../../shared/domain/runs';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { tempDir } from '../core/testing/temp-dir';

const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));

describe('vaultdesk daemon (on the real clock)', { timeout: 180_000 }, () => {
  const t = tempDir('vaultdesk-daemon-');
  const dataDir = path.join(t.dir, 'data');
  const keyFile = path.join(t.dir, 'master.key');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    t.cleanup();
  });

  const args = (rest: string[]): string[] => [bin, '--data-dir', dataDir, '--master-key-file', keyFile, ...rest];
  const vaultdesk = (rest: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, args(rest), { env: { PATH: process.env.PATH, HOME: t.dir }, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  const daemon = (): { child: ChildProcess; output: () => string; exited: Promise<number | null> } => {
    const child = spawn(process.execPath, args(['daemon', '--grace', '5s']), { env: { PATH: process.env.PATH, HOME: t.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    return { child, output: () => output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  };
  const until = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const status = async (): Promise<ScheduleStatusDto> => JSON.parse((await vaultdesk(['schedule', 'status', '--json'])).stdout) as ScheduleStatusDto;

  it('runs a scheduled job by itself, hands the schedules to a second daemon when it dies, and stops cleanly on SIGTERM', async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 20);
    for (const step of [
      ['source', 'add', 'sqlite', '--name', 'app', '--path', file],
      ['destination', 'add', 'local', '--name', 'disk', '--path', path.join(t.dir, 'backups')],
      // Every five seconds (croner reads a sixth field as seconds), so the test waits seconds, not minutes.
      ['job', 'add', '--name', 'often', '--source', 'app', '--destination', 'disk', '--compression', 'none', '--schedule', '*/5 * * * * *', '--timezone', 'UTC'],
    ]) {
      expect((await vaultdesk(step)).code).toBe(0);
    }
    expect((await status()).holder).toBeNull();

    const first = daemon();
    const ran = await until('a scheduled run', async () => {
      const runs = JSON.parse((await vaultdesk(['run', 'list', '--job', 'often', '--json'])).stdout) as RunDto[];
      return runs.find((r) => r.trigger === 'schedule' && r.status === 'succeeded');
    });
    expect(ran.objects[0]!.destinations[0]!.ok).toBe(true);
    expect(first.output()).toContain('running the schedules');
    expect((await status()).holder).toMatchObject({ who: `vaultdesk daemon (pid ${first.child.pid})` });

    const second = daemon();
    await until('the second daemon to stand by', async () => second.output().includes('standing by'));
    first.child.kill('SIGKILL');
    await first.exited;
    await until('the second daemon to take over', async () => (await status()).holder?.who === `vaultdesk daemon (pid ${second.child.pid})`, 45_000);

    const stopping = Date.now();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(20_000);
    expect((await status()).holder).toBeNull();
  });
});
