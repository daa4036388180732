import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { version } from '../../../package.json';
import { AppError, toErrorPayload } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import { describeFsError } from '../core/files/fs-errors';
import { namesFolder } from '../core/files/place-new';
import { hostDataDir } from '../host/host-paths';
import { cancelledExitCode } from './follow-to-end';

export interface GlobalOptions {
  dataDir?: string;
  masterKeyFile?: string;
  verbose?: boolean;
  logFormat?: 'text' | 'json';
}

// Inlined by the bundler: the built CLI has no package.json at a fixed path beside it.
export const VERSION: string = version;

export function resolveDataDir(opts: GlobalOptions): string {
  return hostDataDir({ dataDir: opts.dataDir, env: process.env });
}

export interface OpenOptions {
  /** 'create' for the commands that may make the key file beside a new data dir (quickstart, serve started by npm start). */
  keyFileFallback?: 'create' | 'use';
  /** A command that runs a backup or a restore: its pipeline worker starts while the core opens (SpareWorker.prewarm). */
  pipeline?: boolean;
  /** The command, as "vaultdesk run list", for what this process leaves in the store (who found an interrupted run). */
  label?: string;
}

/**
 * The CLI is a host like Electron: it opens the core through the one host bootstrap. The core
 * (SQLite, the keychain, zod, the drivers it imports) loads here, not at start-up, so `--help`
 * and commands without a data dir do not pay for it.
 */
export async function openCore(opts: GlobalOptions, kind: 'cli' | 'serve' | 'daemon' = 'cli', open: OpenOptions = {}): Promise<Core> {
  const [{ openHostCore }, { jsonLogger, sentenceLogger }] = await Promise.all([import('../host/open-host-core'), import('../core/logger')]);
  const write = (line: string): void => void process.stderr.write(line);
  return openHostCore({
    kind,
    label: open.label,
    env: process.env,
    dataDir: opts.dataDir,
    masterKeyFile: opts.masterKeyFile,
    // A person at a terminal reads sentences, each once; JSON lines are asked for, or in the log file.
    log: opts.verbose ? jsonLogger(write, 'debug') : opts.logFormat === 'json' ? jsonLogger(write, 'warn') : sentenceLogger(write),
    // A server's stderr is often gone (nohup, a closed terminal, a container without log
    // capture), and its Settings page should point somewhere real; a command's is the terminal.
    logFile: kind === 'cli' ? undefined : kind,
    logLevel: opts.verbose ? 'debug' : 'info',
    version: VERSION,
    // A command must find what a killed run left removed; a server cleans up while it serves.
    leftoverCleanup: kind === 'cli' ? 'await' : 'background',
    keyFileFallback: open.keyFileFallback ?? 'use',
    onKeyFileCreated: (file) => write(`${keyFileNotice(file)}\n`),
  });
}

/** The one line a start that made the key file beside the data dir prints. */
export function keyFileNotice(file: string): string {
  return `No OS keychain could be reached, so the master key was saved in ${file} (readable by you only): it protects the stored credentials only as well as that file is protected. Once a keychain is available, move the key into it with: vaultdesk key move-to-keychain`;
}

/**
 * Wraps a commander action: opens a core from the global options, runs, closes, and turns
 * any error into `error [CODE]: message` on stderr with a non-zero exit code.
 * Commander passes the command itself as the last argument.
 */
export function action<A extends unknown[]>(run: (core: Core, ...args: A) => Promise<void>, open: OpenOptions = {}): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals<GlobalOptions & { json?: boolean }>();
    let core: Core | null = null;
    try {
      if (open.pipeline) (await import('../core/pipeline/worker-client')).SpareWorker.prewarm();
      core = await openCore(globals, 'cli', { ...open, label: commandPath(command) });
      await run(core, ...(args as A));
    } catch (error) {
      reportError(error, globals.json === true);
    } finally {
      // A failed backup's notifications are the point of it: they are delivered (with their retries) before the command exits.
      let saying: NodeJS.Timeout | undefined;
      await core?.drainNotifications(Infinity, () => {
        // A delivery that goes through at once is not worth a line; one being retried may take a minute,
        // which cron's mail or a CI log should explain. JSON logs say how each delivery went in their own lines.
        if (globals.verbose || globals.logFormat === 'json') return;
        saying = setTimeout(() => process.stderr.write('Delivering notifications (a failed delivery is retried for about a minute)...\n'), 1_000);
      });
      clearTimeout(saying);
      core?.close();
    }
  };
}

/** "vaultdesk run list": the command's names from the program down. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function reportError(error: unknown, json: boolean): void {
  const payload = toErrorPayload(error);
  if (json) process.stderr.write(`${JSON.stringify({ error: payload })}\n`);
  else {
    process.stderr.write(`vaultdesk: error [${payload.code}]: ${payload.message}\n`);
    // What to do next, when the message is one a script matches on and the advice would blur it.
    if (typeof payload.details?.hint === 'string') process.stderr.write(`${payload.details.hint}\n`);
  }
  process.exitCode = payload.code === 'VALIDATION_FAILED' ? 2 : payload.code === 'CANCELLED' ? cancelledExitCode() : 1;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseInteger(name: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new AppError('VALIDATION_FAILED', `${name} must be a whole number, got "${value}".`, { field: name });
    return Number(value);
  };
}

let stdinUsed = false;

/** Reads one secret from stdin (a trailing newline is dropped); only one secret per command may come this way. */
export async function readStdinSecret(what: string): Promise<string> {
  if (stdinUsed) throw new AppError('VALIDATION_FAILED', 'Only one secret can be read from standard input per command.');
  stdinUsed = true;
  if (process.stdin.isTTY) process.stderr.write(`${what}: `);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const value = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!value) throw new AppError('VALIDATION_FAILED', `No ${what} was given on standard input.`);
  return value;
}

/** A secret from `--x-stdin` or `--x-env VAR`, never from argv itself. */
export async function secretFrom(what: string, opts: { stdin?: boolean; env?: string }): Promise<string | undefined> {
  if (opts.stdin && opts.env) throw new AppError('VALIDATION_FAILED', `Give the ${what} either on stdin or in an environment variable, not both.`);
  if (opts.stdin) return readStdinSecret(what);
  if (opts.env) {
    const value = process.env[opts.env];
    if (!value) throw new AppError('VALIDATION_FAILED', `The environment variable ${opts.env} (for the ${what}) is not set.`);
    return value;
  }
  return undefined;
}

/**
 * A file the user named on the command line (a key, an identity), as text; one that cannot be
 * read is VALIDATION_FAILED naming the file, the option and the problem in words.
 */
export function readUserFile(file: string, what: string, field: string): string {
  const full = path.resolve(file);
  try {
    return readFileSync(full, 'utf8');
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Cannot read the ${what} ${full}: ${describeFsError(error, { path: full }).words}.`, { field });
  }
}


/**
 * The absolute path of a file to write, as typed after `option`; `out/` names a folder, not a file,
 * and is refused in words rather than written as a file named `out`.
 */
export function fileToWrite(given: string, option = '-o'): string {
  if (namesFolder(given)) throw new AppError('VALIDATION_FAILED', `${option} ${given} names a folder: give the name of the file to write (${path.join(given, 'NAME')}).`, { field: option.replace(/^-+/, '') });
  return path.resolve(given);
}
