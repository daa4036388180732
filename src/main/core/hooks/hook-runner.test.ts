import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hookCommandFromLine } from '../../../shared/domain/hook-command';
import { processExists } from '../testing/child-processes';
import { waitFor } from '../sources/source-test-helpers';
import { tempDir } from '../testing/temp-dir';
import { HOOK_OUTPUT_KEEP, hookEnv, hookWorkingDir, runHook } from './hook-runner';

const here = path.dirname(new URL(import.meta.url).pathname);

const base = { which: 'pre' as const, timeoutMs: 30_000, env: hookEnv({ PATH: process.env.PATH }, {}), now: () => new Date() };

describe('hook commands typed on a command line', () => {
  it('split into a program and its arguments like a shell would, without one', () => {
    expect(hookCommandFromLine(`pg_ctl -D "/var/lib/my data" -m 'fast' stop`, false)).toEqual({ command: { shell: false, argv: ['pg_ctl', '-D', '/var/lib/my data', '-m', 'fast', 'stop'] } });
    expect(hookCommandFromLine(String.raw`/opt/hooks/notify\ me.sh --tag 'a $literal'`, false)).toEqual({ command: { shell: false, argv: ['/opt/hooks/notify me.sh', '--tag', 'a $literal'] } });
  });

  it('refuse what only a shell can do, naming the way out', () => {
    expect(hookCommandFromLine('pg_dumpall | gzip > /tmp/x', false)).toEqual({ error: 'it uses the shell operator |: add --hook-shell to run it with a shell, or put it in a script', needsShell: true });
    expect(hookCommandFromLine('mount && echo ok', false)).toMatchObject({ error: expect.stringContaining('&&') });
    expect(hookCommandFromLine('rm /tmp/*.lock', false)).toMatchObject({ error: expect.stringContaining('wildcard /tmp/*.lock') });
    expect(hookCommandFromLine('echo $HOME', false)).toMatchObject({ error: expect.stringContaining('$HOME') });
    expect(hookCommandFromLine('   ', false)).toEqual({ error: 'the command is empty', needsShell: false });
  });

  it('refuse a quote never closed, which a shell refuses too, rather than run other arguments than the ones written', () => {
    expect(hookCommandFromLine(`/bin/echo "it's unterminated`, false)).toEqual({
      error: `the " before it's unterminated is never closed, and a shell would refuse the line too: close it, or write \\" where a " is part of an argument`,
      needsShell: false,
    });
    expect(hookCommandFromLine(`/bin/echo 'unterminated "x"`, false)).toMatchObject({ error: expect.stringMatching(/^the ' before unterminated "x" is never closed/), needsShell: false });
    expect(hookCommandFromLine(`/bin/echo trailing"`, false)).toMatchObject({ error: expect.stringMatching(/^the " at the end is never closed/) });
    expect(hookCommandFromLine('/bin/echo dangling\\', false)).toMatchObject({ error: expect.stringMatching(/^it ends with a backslash/) });
    // Quotes closed, escaped or inside the other kind, and a comment, are what a shell reads them as.
    expect(hookCommandFromLine(String.raw`/bin/echo "it's" 'say "hi"' don\'t "a \" b" # it's a comment`, false)).toEqual({ command: { shell: false, argv: ['/bin/echo', "it's", 'say "hi"', "don't", 'a " b'] } });
  });

  it('refuse a word starting with ~, which only a shell expands, and whose home it is depends on who runs the job', () => {
    expect(hookCommandFromLine('~/bin/prep.sh --fast', false)).toEqual({
      error: '~/bin/prep.sh starts with ~, which only a shell turns into a home folder, that of the user the job runs as: write the full path, or add --hook-shell to run it with a shell',
      needsShell: true,
    });
    expect(hookCommandFromLine('/opt/prep.sh --config ~backup/prep.conf', false)).toMatchObject({ error: expect.stringMatching(/^~backup\/prep\.conf starts with ~/) });
    // Quoted, escaped or inside a word, ~ is a letter to a shell too.
    expect(hookCommandFromLine(String.raw`/opt/prep.sh '~/x' \~/y a~b`, false)).toEqual({ command: { shell: false, argv: ['/opt/prep.sh', '~/x', '~/y', 'a~b'] } });
    expect(hookCommandFromLine('~/bin/prep.sh', true)).toEqual({ command: { shell: true, script: '~/bin/prep.sh' } });
  });

  it('keep a shell hook as the script it is', () => {
    expect(hookCommandFromLine(' mount /mnt/b && echo "$HOME" ', true)).toEqual({ command: { shell: true, script: 'mount /mnt/b && echo "$HOME"' } });
  });
});

describe('running a hook', () => {
  it('runs in the home directory, whichever folder the host was started from', async () => {
    const result = await runHook({ ...base, command: { shell: false, argv: ['pwd'] }, signal: new AbortController().signal });
    expect(result.outcome).toBe('succeeded');
    expect(result.output.trim()).toBe(homedir());
    expect(hookWorkingDir('/no/such/home')).toBe('/');
  });

  it('keeps only the last 64 KiB of a long output, and says it was cut', async () => {
    const result = await runHook({ ...base, command: { shell: false, argv: ['sh', '-c', 'i=0; while [ $i -lt 4000 ]; do echo "line $i of the output, padded to be long enough"; i=$((i+1)); done; echo last-line >&2'] }, signal: new AbortController().signal });
    expect(result.outcome).toBe('succeeded');
    expect(result.outputTruncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBe(HOOK_OUTPUT_KEEP);
    expect(result.output.endsWith('line 3999 of the output, padded to be long enough\nlast-line\n')).toBe(true);
  });

  it('does not wait for a background child that keeps its output open', async () => {
    const result = await runHook({ ...base, command: { shell: true, script: 'sleep 20 & echo "$!"; echo tunnel up' }, signal: new AbortController().signal });
    expect(result.outcome).toBe('succeeded');
    expect(result.durationMs).toBeLessThan(15_000);
    expect(result.output).toMatch(/^\d+\ntunnel up\n$/);
    process.kill(Number(result.output.split('\n')[0]), 'SIGKILL');
  });

  it('says which signal ended a hook that was killed from outside', async () => {
    const result = await runHook({ ...base, command: { shell: false, argv: ['sh', '-c', 'kill -9 $$'] }, signal: new AbortController().signal });
    expect(result).toMatchObject({ outcome: 'failed', exitCode: null, signal: 'SIGKILL' });
    expect(result.message).toBe("The pre-run hook `sh -c 'kill -9 $$'` was ended by signal SIGKILL.");
  });
});

describe.skipIf(process.platform === 'win32')('a hook whose host is killed outright', () => {
  const t = tempDir();
  const hosts = new Set<ChildProcess>();
  const started: number[] = [];
  afterAll(() => {
    // A failed assertion must not leave the host or the hooks' sleeps behind.
    for (const host of hosts) host.kill('SIGKILL');
    for (const pid of started) if (processExists(pid)) process.kill(pid, 'SIGKILL');
    t.cleanup();
  });

  it('is stopped with everything it started; a hook that ended keeps what it left running', async () => {
    const pids = path.join(t.dir, 'pids');
    const script = path.join(t.dir, 'host.mts');
    writeFileSync(
      script,
      `import { runHook, hookEnv } from ${JSON.stringify(path.join(here, 'hook-runner.ts'))};
       const base = { which: 'pre', timeoutMs: 600_000, env: hookEnv({ PATH: process.env.PATH }, {}), now: () => new Date(), signal: new AbortController().signal };
       // One that ends at once, leaving a tunnel up on purpose; then one that runs until the host dies.
       await runHook({ ...base, command: { shell: true, script: 'sleep 297 & echo "$!" > ${pids}.kept' } });
       await runHook({ ...base, command: { shell: true, script: 'sleep 298 & echo "$$ $!" > ${pids}.tmp; mv ${pids}.tmp ${pids}; sleep 299' } });`,
    );
    const host = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(here, '../../../..'), stdio: 'ignore' });
    hosts.add(host);
    const running = (await waitFor(() => (existsSync(pids) ? readFileSync(pids, 'utf8').trim() : ''), 20_000)).split(' ').map(Number);
    const kept = Number(readFileSync(`${pids}.kept`, 'utf8').trim());
    started.push(...running, kept);
    expect(running.every(processExists)).toBe(true);
    await new Promise<void>((resolve) => {
      host.once('exit', () => resolve());
      host.kill('SIGKILL');
    });
    // The shell and the background sleep: the whole group, not only its leader.
    await waitFor(() => running.every((pid) => !processExists(pid)), 10_000);
    expect(processExists(kept)).toBe(true);
  });
});
