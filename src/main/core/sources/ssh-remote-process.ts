import { PassThrough, type Readable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import type { DumpProcess } from './source-driver';

/** How long a cancelled remote tool gets to die from its signal before the channel is closed under it. */
const CLOSE_GRACE_MS = 5_000;
const STDERR_KEEP = 2048;
const CAPTURE_LIMIT = 8 * 1024 * 1024;

export interface RemoteRun {
  client: Client;
  /** The command line for the SSH server (see remoteCommand). */
  command: string;
  /** Written as the first line of stdin: the password the script reads. Never part of `command`. */
  secretLine: string | null;
  /** `pg_dump on user@host:22`, for messages. */
  what: string;
  signal?: AbortSignal | undefined;
  log?: Logger | undefined;
}

/** How the remote process ended: an exit code, a signal, or neither when the connection was lost. */
export interface RemoteExit {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/** Turns a failed exit into the error the caller reports (DUMP_FAILED, RESTORE_FAILED, SOURCE_*...). */
export type FailureMapper = (exit: RemoteExit) => AppError;

/** Opens the exec channel; failures to open are the SSH host's, not the tool's. */
export function openExec(client: Client, command: string, what: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (error, channel) => (error ? reject(execRefused(what, error)) : resolve(channel)));
    } catch (error) {
      reject(execRefused(what, error));
    }
  });
}

/**
 * The remote tool's stdout as a dump stream, with back-pressure: when the consumer is slow, the
 * channel's window is not replenished and the remote tool blocks on write. As with a local tool,
 * the stream ends only after a zero exit status; otherwise it errors with `fail(exit)`.
 */
export async function remoteDump(run: RemoteRun & { fail: FailureMapper }): Promise<DumpProcess> {
  const channel = await openExec(run.client, run.command, run.what);
  const output = new PassThrough();
  output.on('error', () => {});
  // Writes after the server closed the channel: its exit status tells the real story.
  channel.on('error', () => {});
  const stderr = collectStderr(channel);
  if (run.secretLine !== null) channel.write(`${run.secretLine}\n`);
  // stdin stays open: the remote shell takes its end as the sign that the client is gone.
  channel.pipe(output, { end: false });

  let exit: { code: number | null; signal: string | null } | null = null;
  let cancelled: AppError | null = null;
  let closed = false;
  channel.on('exit', (code: number | null, signal?: string) => (exit = { code, signal: signal ?? null }));
  const cancel = (reason: string): void => {
    if (closed || cancelled) return;
    cancelled = new AppError('CANCELLED', reason);
    channel.unpipe(output);
    channel.resume();
    // The signal ends the tool where the server honours signal requests; closing the channel ends
    // the supervising shell's stdin, which kills the tool where it does not.
    trySignal(channel);
    channel.close();
  };
  const onAbort = (): void => cancel(`${run.what} was cancelled.`);
  run.signal?.addEventListener('abort', onAbort, { once: true });
  output.on('close', () => cancel(`${run.what} was stopped because its output was closed before the dump finished.`));

  const done = new Promise<void>((resolve, reject) => {
    channel.on('close', () => {
      closed = true;
      run.signal?.removeEventListener('abort', onAbort);
      const failure = cancelled ?? (exit?.code === 0 ? null : run.fail({ ...(exit ?? { code: null, signal: null }), stderr: stderr() }));
      if (failure) {
        output.destroy(failure);
        reject(failure);
      } else {
        output.end();
        resolve();
      }
    });
  });
  done.catch(() => {});
  if (run.signal?.aborted) onAbort();
  return { stream: output, done, cancel: () => cancel(`${run.what} was cancelled.`) };
}

/**
 * Streams `input` to the remote tool's stdin after the password line. The exit status decides.
 * When the input fails or the caller aborts, the tool is signalled and the channel is only closed
 * once it exited (or after a grace period), so it never sees an end of file it would take for the
 * end of a complete backup.
 */
export async function remoteRestore(run: RemoteRun & { input: Readable; database: string; fail: FailureMapper }): Promise<void> {
  const { input } = run;
  let channel: ClientChannel;
  try {
    channel = await openExec(run.client, run.command, run.what);
  } catch (error) {
    input.destroy();
    throw error;
  }
  const stderr = collectStderr(channel);
  channel.resume();
  channel.on('error', () => {});
  let exit: { code: number | null; signal: string | null } | null = null;
  let inputError: unknown = null;
  let cancelled: AppError | null = null;
  channel.on('exit', (code: number | null, signal?: string) => (exit = { code, signal: signal ?? null }));
  const stop = (): void => {
    input.unpipe(channel);
    trySignal(channel);
    const timer = setTimeout(() => channel.close(), CLOSE_GRACE_MS);
    timer.unref();
    channel.once('close', () => clearTimeout(timer));
  };
  const onInputError = (error: unknown): void => {
    inputError = error;
    stop();
  };
  const onAbort = (): void => {
    cancelled = new AppError('CANCELLED', `The restore into ${run.database} was cancelled.`);
    stop();
  };
  if (run.secretLine !== null) channel.write(`${run.secretLine}\n`);
  input.on('error', onInputError);
  input.once('end', () => channel.end());
  input.pipe(channel, { end: false });
  run.signal?.addEventListener('abort', onAbort, { once: true });
  if (run.signal?.aborted) onAbort();

  return new Promise<void>((resolve, reject) => {
    channel.on('close', () => {
      run.signal?.removeEventListener('abort', onAbort);
      input.removeListener('error', onInputError);
      input.unpipe(channel);
      let failure: AppError | null = null;
      if (cancelled) failure = cancelled;
      else if (inputError) failure = inputFailure(run.database, inputError);
      else if (exit?.code !== 0) failure = run.fail({ ...(exit ?? { code: null, signal: null }), stderr: stderr() });
      if (!failure) return resolve();
      if (!input.readableEnded) input.destroy();
      reject(failure);
    });
  });
}

/**
 * Runs a short command and collects its output (tool lookups, version queries, database lists).
 * `input` follows the password line on stdin: statements too long for a command line.
 */
export async function remoteCapture(run: RemoteRun & { input?: string }): Promise<RemoteExit & { stdout: Buffer }> {
  const channel = await openExec(run.client, run.command, run.what);
  channel.on('error', () => {});
  const stderr = collectStderr(channel);
  const chunks: Buffer[] = [];
  let size = 0;
  channel.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= CAPTURE_LIMIT) chunks.push(chunk);
  });
  let exit: { code: number | null; signal: string | null } | null = null;
  channel.on('exit', (code: number | null, signal?: string) => (exit = { code, signal: signal ?? null }));
  const stdin = `${run.secretLine !== null ? `${run.secretLine}\n` : ''}${run.input ?? ''}`;
  channel.end(stdin.length > 0 ? stdin : undefined);
  return new Promise((resolve) => {
    channel.on('close', () => resolve({ ...(exit ?? { code: null, signal: null }), stderr: stderr(), stdout: Buffer.concat(chunks) }));
  });
}

/** "exited with code 1", "was killed by SIGTERM", or the connection loss. */
export function describeExit(exit: RemoteExit): string {
  // The supervising shell reports a tool killed by signal N as 128 + N (137: SIGKILL, often the OOM killer).
  if (exit.code !== null && exit.code > 128 && exit.code < 160) return `exited with code ${exit.code} (killed by signal ${exit.code - 128})`;
  if (exit.code !== null) return `exited with code ${exit.code}`;
  if (exit.signal) return `was killed by SIG${exit.signal}`;
  return 'did not report how it ended because the SSH connection was lost';
}

function trySignal(channel: ClientChannel): void {
  try {
    channel.signal('TERM');
  } catch {
    // Already closing: closing the channel ends the tool instead.
  }
}

function collectStderr(channel: ClientChannel): () => string {
  let kept = Buffer.alloc(0);
  channel.stderr.on('data', (chunk: Buffer) => {
    kept = Buffer.concat([kept, chunk]);
    if (kept.length > STDERR_KEEP * 2) kept = kept.subarray(kept.length - STDERR_KEEP * 2);
  });
  return () => {
    const text = kept.subarray(Math.max(0, kept.length - STDERR_KEEP)).toString('utf8').trim();
    return kept.length > STDERR_KEEP ? `...${text}` : text;
  };
}

function execRefused(what: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('SOURCE_UNREACHABLE', `Could not start ${what}: the SSH server refused to run a command (${message}). Check that this SSH user may run commands (no forced command, no sftp-only restriction).`);
}

function inputFailure(database: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AppError) return new AppError(error.code, `The restore into ${database} stopped: ${message}`, error.details);
  return new AppError('RESTORE_FAILED', `The restore into ${database} stopped because reading the backup failed: ${message}`);
}
