import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';

/** bin/vaultdesk.mjs: the built CLI (vitest's global setup builds it from the current sources). */
export const VAULTDESK_BIN = path.resolve(import.meta.dirname, '../../../../bin/vaultdesk.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  stdin?: string;
  /** Besides PATH and HOME (the test's folder): nothing else of this process's environment reaches the command. */
  env?: Record<string, string>;
  /** Another master key file than the runner's. */
  key?: string;
  /** The working directory, for relative paths on the command line (this process's by default). */
  cwd?: string;
}

/**
 * Where the commands find their data dir and master key: inside the runner's folder unless given;
 * null leaves the option out (a command run where there is no data dir or no key file, such as
 * `decrypt` on a rebuilt machine, or a key given as VAULTDESK_MASTER_KEY).
 */
export interface CliRunnerOptions {
  dataDir?: string | null;
  keyFile?: string | null;
}

function globalsOf(dir: string, options: CliRunnerOptions, run: CliRunOptions): string[] {
  const dataDir = options.dataDir === undefined ? path.join(dir, 'data') : options.dataDir;
  const keyFile = run.key ?? (options.keyFile === undefined ? path.join(dir, 'master.key') : options.keyFile);
  return [...(dataDir === null ? [] : ['--data-dir', dataDir]), ...(keyFile === null ? [] : ['--master-key-file', keyFile])];
}

/** `vaultdesk ...` as a script runs it, against a data dir of the test's (see CliRunnerOptions), waiting for it to end. */
export function cliRunner(dir: string, options: CliRunnerOptions = {}): (args: string[], run?: CliRunOptions) => CliResult {
  return (args, run = {}) => {
    const r = spawnSync(process.execPath, [VAULTDESK_BIN, ...globalsOf(dir, options, run), ...args], {
      input: run.stdin ?? '',
      env: { PATH: process.env.PATH, HOME: dir, ...run.env },
      cwd: run.cwd,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/**
 * The same without blocking this process: a test that serves the command itself (s3rver, sshd in
 * this process) must keep its event loop free to answer.
 */
export function asyncCliRunner(dir: string, options: CliRunnerOptions = {}): (args: string[], run?: CliRunOptions) => Promise<CliResult> {
  return (args, run = {}) =>
    new Promise((resolve) => {
      const child = execFile(process.execPath, [VAULTDESK_BIN, ...globalsOf(dir, options, run), ...args], { env: { PATH: process.env.PATH, HOME: dir, ...run.env }, cwd: run.cwd, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end(run.stdin ?? '');
    });
}

/** For commands that must succeed without a word on stderr: `args` run with --json, their output parsed. */
export function jsonOutput(run: (args: string[]) => CliResult): <T>(args: string[]) => T {
  return <T>(args: string[]): T => {
    const r = run([...args, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
}
