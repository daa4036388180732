import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { writeScript } from './source-test-helpers';
import { REMOTE_DEFAULTS_PREFIX, remoteCommand, shQuote } from './ssh-remote-script';

/**
 * The scripts run here under the local /bin/sh exactly as an SSH server would run them (the
 * login shell gets the command line); the SSH source tests cover the same scripts over sshd.
 */
describe.skipIf(process.platform === 'win32')('remote shell scripts', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  // The scripts' TMPDIR, a folder of this test's own: /tmp holds other test files' remote defaults files meanwhile.
  const tmp = (): string => path.join(t.dir, 'tmp');
  const defaultsFiles = (): string[] => readdirSync(tmp()).filter((f) => f.startsWith(REMOTE_DEFAULTS_PREFIX));

  it('quotes any argument so that the shell passes it through unchanged', () => {
    const values = [`it's`, `"double"`, '$(touch nope) `id` $HOME ${x}', 'back\\slash\\', 'line\nbreak\ttab', '!history *glob* ~tilde', '☕ ünïcode', '', "''"];
    const result = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${values.map(shQuote).join(' ')}`], { encoding: 'utf8', cwd: t.dir });
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(values);
    expect(readdirSync(t.dir)).toEqual([]);
  });

  it('hands the password from stdin to the tool as PGPASSWORD, never as an argument, and clears inherited connection variables', () => {
    const command = remoteCommand({ mode: 'query', tool: '/usr/bin/env', args: [], secret: 'pg-env', env: { PGSSLMODE: 'prefer' }, unset: ['PGHOST'] });
    expect(command).not.toContain('s3cret');
    const result = spawnSync('/bin/sh', ['-c', command], { input: "s3cret 'with' $(spaces)\n", encoding: 'utf8', env: { PATH: '/usr/bin:/bin', PGHOST: 'elsewhere', LC_ALL: 'de_DE' } });
    const env = result.stdout.split('\n');
    expect(env).toContain("PGPASSWORD=s3cret 'with' $(spaces)");
    expect(env).toContain('PGSSLMODE=prefer');
    expect(env).toContain('LC_MESSAGES=C');
    expect(env.some((line) => line.startsWith('PGHOST=') || line.startsWith('LC_ALL='))).toBe(false);
  });

  it('a supervised dump reports the tool’s exit status and removes the defaults file, on success and failure', () => {
    mkdirSync(tmp(), { mode: 0o700 });
    for (const [body, status] of [
      ['cat "${1#--defaults-file=}"; dirname "${1#--defaults-file=}" >&2', 0],
      ['echo "failed halfway" >&2; exit 3', 3],
    ] as const) {
      const tool = writeScript(t.dir, `tool-${status}`, body);
      const command = remoteCommand({ mode: 'dump', tool, args: [], secret: 'mysql-defaults' });
      // stdin stays open until the tool is done, as the SSH client keeps it.
      const result = spawnSync('/bin/sh', ['-c', `(printf '%s\\n' 'pass\\"word'; sleep 1) | ${command}`], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp() } });
      expect(result.status).toBe(status);
      if (status === 0) expect([result.stdout, result.stderr]).toEqual(['[client]\npassword="pass\\"word"\n', `${tmp()}\n`]);
      else expect(result.stderr).toBe('failed halfway\n');
    }
    expect(defaultsFiles()).toEqual([]);
  });

  it('kills a dumping tool when its stdin closes (the client is gone)', async () => {
    const pidFile = `${t.dir}/tool.pid`;
    const tool = writeScript(t.dir, 'slow-tool', `echo $$ > '${pidFile}'; exec sleep 30`);
    const child = spawn('/bin/sh', ['-c', remoteCommand({ mode: 'dump', tool, args: [], secret: null })], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    child.stdin.end();
    expect(await exited).toBe(143);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(`/proc/${readFileSync(pidFile, 'utf8').trim()}`)).toBe(false);
  });
});
