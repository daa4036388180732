import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../shared/domain/runs';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, withPg } from '../core/testing/db-fixtures';
import { restoreToolWrapper } from '../core/testing/restore-fixtures';
import { pgEnv, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const skip = shouldSkip('PostgreSQL', await probePostgres());
const bin = fileURLToPath(new URL('../../../bin/vaultdesk.mjs', import.meta.url));

describe.skipIf(skip)('a backup run whose process is killed outright', { timeout: 120_000 }, () => {
  const t = tempDir('vaultdesk-run-killed-');
  const first = scratchName('rk_a');
  const second = scratchName('rk_b');

  function vaultdesk(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [bin, '--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'master.key'), ...args], {
      input: '',
      env: { PATH: process.env.PATH, HOME: t.dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  beforeAll(async () => {
    for (const name of [first, second]) {
      await createPgDatabase(name);
      await withPg(name, (c) => c.query('CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 500)'));
    }
  });
  afterAll(async () => {
    await Promise.allSettled([dropPgDatabase(first), dropPgDatabase(second)]);
    t.cleanup();
  });

  it('keeps its pre-run hook, its stage times and its log lines in the record the next process marks interrupted', async () => {
    for (const step of [
      ['source', 'add', 'postgres', '--name', 'pg', '--host', pgEnv.host, '--port', String(pgEnv.port), '--user', pgEnv.user, '--database', first],
      ['destination', 'add', 'local', '--name', 'disk', '--path', path.join(t.dir, 'backups'), '--default'],
      ['job', 'add', '--name', 'two', '--source', 'pg', '--database', first, '--database', second, '--encryption', 'none', '--pre-hook', 'true', '--no-schedule'],
    ]) {
      const r = vaultdesk(step);
      expect(r.code, r.stderr).toBe(0);
    }
    // pg_dump of the second database says it started, then hangs: the first object is done by then.
    const started = path.join(t.dir, 'second.started');
    const tools = path.dirname(restoreToolWrapper(path.join(t.dir, 'bin'), 'pg_dump', `case "$* $PGDATABASE" in *${second}*) touch ${started}; exec sleep 600;; esac\nexec REAL "$@"`));
    const child = spawn(process.execPath, [bin, '--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'master.key'), 'backup', 'run', 'two'], {
      env: { PATH: `${tools}:${process.env.PATH}`, HOME: t.dir },
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      for (let waited = 0; !existsSync(started); waited += 50) {
        if (waited > 60_000) throw new Error('the second dump did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    } finally {
      // What it left running (the hanging dump) goes too.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    const listed = vaultdesk(['run', 'list', '--job', 'two', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const [run] = JSON.parse(listed.stdout) as RunDto[];
    expect(run).toMatchObject({ status: 'interrupted', error: { code: 'INTERRUPTED' } });
    expect(run!.hooks.pre).toMatchObject({ outcome: 'succeeded' });
    // The first database's stages, timed before the kill.
    expect(run!.stageMs.dump).toBeGreaterThan(0);
    expect(run!.stageMs.manifest).toBeGreaterThanOrEqual(0);
    expect(run!.log.map((l) => l.message)).toContain(`Backing up ${first}, ${second} to disk.`);
  });
});
