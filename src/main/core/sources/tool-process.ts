import type { ChildProcess } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import type { ResolvedTool } from './client-tools';
import { probeWrappers, spawnBound } from '../pipeline/bound-child';
import { openDumpPipe } from './dump-pipe';
import type { DumpProcess } from './source-driver';

/** How long a tool gets to exit after SIGTERM before it is killed outright. */
const KILL_GRACE_MS = 5_000;
const STDERR_KEEP = 2048;

export interface ToolRun {
  tool: ResolvedTool;
  args: string[];
  env: Record<string, string>;
  signal?: AbortSignal;
  /** Removes temp files (defaults file...); runs once the tool has exited, whatever the outcome. */
  cleanup?: () => Promise<void>;
  log?: Logger;
  /** A private folder for the dump's socket (dump-pipe.ts); the system's temp folder otherwise. */
  tempDir?: string;
  /** The tool's stderr as its failure tells it, where the tool's own way of saying it is not fit to show as is. */
  stderrWords?: (stderr: string) => string;
  /**
   * A check that runs beside the tool (the server's and the tool's versions): the dump is whole
   * only once it passed, and if it fails the tool is stopped and the dump fails with its error.
   * Started once the tool has been (its connection and `--version` would hold the start back).
   */
  gate?: () => Promise<unknown>;
}

/**
 * Starts a dump tool. Its stdout is forwarded with back-pressure, but the end of the stream is
 * held back until the exit code is known: a tool that fails halfway makes the stream error
 * instead of ending, so no consumer can mistake a truncated dump for a complete one.
 */
export async function spawnDump(run: ToolRun): Promise<DumpProcess> {
  const output = new PassThrough();
  // The same error reaches `done`; an unread stream must not crash the host with it.
  output.on('error', () => {});
  // The wrappers' probes (bound-child.ts) run while the socket is made, not after it.
  const [pipe] = await Promise.all([openDumpPipe(run.tempDir), probeWrappers()]);
  if (!pipe && process.platform !== 'win32') run.log?.info('no socket for the dump output (a temporary folder that cannot hold one?): reading an ordinary pipe', { tool: run.tool.name });
  let child: ChildProcess;
  try {
    child = spawnBound(run.tool.path, run.args, { shell: false, env: run.env, stdio: ['ignore', pipe ? pipe.writer : 'pipe', 'pipe'], windowsHide: true }, { bufferStdout: true });
  } catch (error) {
    pipe?.reader.destroy();
    // A failed check (a server out of reach) is said before a tool that would not start.
    const done = (run.gate?.() ?? Promise.resolve())
      .then(
        () => spawnFailure(run.tool, error),
        (refusal: unknown) => checkFailure(run.tool, refusal),
      )
      .then(async (failure) => {
        output.destroy(failure);
        await run.cleanup?.();
        throw failure;
      });
    done.catch(() => {});
    // Nothing will come out of it: no destination is to be written either.
    return { stream: output, done, cancel: () => {}, checked: Promise.resolve(false) };
  } finally {
    // The tool has its own copy now: the stream ends when the tool (and any child of it) exits.
    pipe?.writer.destroy();
  }
  // The check starts now that the tool has (see ToolRun.gate).
  const gate = run.gate?.() ?? null;
  const stdout = pipe ? pipe.reader : (child.stdout as Readable);
  const stderr = collectStderr(child);
  stdout.pipe(output, { end: false });
  // A read error (rare: EIO) fails the dump like a failing tool would; the tool is stopped.
  let readError: Error | null = null;
  stdout.on('error', (error) => {
    readError ??= error;
    terminate(child);
  });
  // 'close' on the child waits for its stdio pipes, but not for the dump socket's reader: wait for it here.
  const stdoutClosed = new Promise<void>((resolve) => {
    if (stdout.closed) resolve();
    else stdout.once('close', () => resolve());
  });

  let exited = false;
  let cancelled: AppError | null = null;
  let refused: unknown = null;
  const stop = (): void => {
    stdout.unpipe(output);
    stdout.destroy();
    terminate(child);
  };
  const cancel = (reason = `${run.tool.executable} was cancelled.`): void => {
    if (exited || cancelled || refused) return;
    cancelled = new AppError('CANCELLED', reason, { tool: run.tool.name });
    stop();
  };
  const gated = (gate ?? Promise.resolve()).then(
    () => true,
    (error: unknown) => {
      refused = error;
      if (!exited && !cancelled) stop();
      return false;
    },
  );
  const onAbort = (): void => cancel();
  run.signal?.addEventListener('abort', onAbort, { once: true });
  // A consumer that destroys the stream will never read the rest: stop the tool rather than let it block.
  output.on('close', () => cancel(`${run.tool.executable} was stopped because its output was closed before the dump finished.`));

  const done = new Promise<void>((resolve, reject) => {
    let spawnError: unknown = null;
    child.on('error', (error) => {
      spawnError = error;
    });
    /** What the way the tool ended says about the dump: null when it is whole. */
    const exitFailure = (code: number | null, signal: NodeJS.Signals | null): AppError | null => {
      if (spawnError) return spawnFailure(run.tool, spawnError);
      if (code !== 0) return toolFailed('DUMP_FAILED', run.tool, code, signal, run.stderrWords ? run.stderrWords(stderr()) : stderr());
      if (readError) return new AppError('DUMP_FAILED', `The output of ${run.tool.executable} could not be read: ${readError.message}`, { tool: run.tool.name });
      return null;
    };
    child.on('close', (code, signal) => {
      exited = true;
      run.signal?.removeEventListener('abort', onAbort);
      void Promise.all([stdoutClosed, gated])
        .then(() => run.cleanup?.())
        .catch((error: unknown) => run.log?.warn('could not remove a temporary file', { tool: run.tool.name, error: String(error) }))
        .then(() => {
          // A failed check says why the tool was stopped, or why it failed on its own (a server out of reach).
          const failure = cancelled ?? (refused === null ? null : checkFailure(run.tool, refused)) ?? exitFailure(code, signal);
          if (failure) {
            output.destroy(failure);
            reject(failure);
          } else {
            output.end();
            resolve();
          }
        });
    });
  });
  done.catch(() => {});
  if (run.signal?.aborted) cancel();
  return { stream: output, done, cancel: () => cancel(), ...(gate ? { checked: gated } : {}) };
}

/**
 * Feeds `input` to a restore tool's stdin (its stdout to `onStdout`, ignored otherwise). The exit code decides. If the input fails, the tool is
 * killed before it can see an end of file, so a half-read backup is never committed as if whole.
 */
export function runRestore(run: ToolRun & { input: Readable; database: string; onStdout?: (chunk: Buffer) => void }): Promise<void> {
  const { input } = run;
  let child: ChildProcess;
  try {
    child = spawnBound(run.tool.path, run.args, { shell: false, env: run.env, stdio: ['pipe', run.onStdout ? 'pipe' : 'ignore', 'pipe'], windowsHide: true });
    if (run.onStdout) child.stdout!.on('data', run.onStdout);
  } catch (error) {
    input.destroy();
    return (run.cleanup?.() ?? Promise.resolve()).then(() => Promise.reject(spawnFailure(run.tool, error)));
  }
  const stdin = child.stdin!;
  const stderr = collectStderr(child);
  let inputError: unknown = null;
  let cancelled: AppError | null = null;
  // EPIPE when the tool exits early: its exit code and stderr tell the real story.
  stdin.on('error', () => {});
  const onInputError = (error: unknown): void => {
    inputError = error;
    terminate(child);
  };
  const onAbort = (): void => {
    cancelled = new AppError('CANCELLED', `The restore into ${run.database} was cancelled.`, { tool: run.tool.name });
    terminate(child);
  };
  input.on('error', onInputError);
  // A stream that failed before the tool was started (a small damaged backup is read whole while the
  // database is created) emits no error again: without this the tool would wait for input forever.
  if (input.errored) onInputError(input.errored);
  else if (input.destroyed && !input.readableEnded) onInputError(new Error('the backup stream was closed before its end'));
  input.once('end', () => stdin.end());
  input.pipe(stdin, { end: false });
  run.signal?.addEventListener('abort', onAbort, { once: true });
  if (run.signal?.aborted) onAbort();

  return new Promise<void>((resolve, reject) => {
    let spawnError: unknown = null;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      run.signal?.removeEventListener('abort', onAbort);
      input.removeListener('error', onInputError);
      input.unpipe(stdin);
      void (run.cleanup?.() ?? Promise.resolve())
        .catch((error: unknown) => run.log?.warn('could not remove a temporary file', { tool: run.tool.name, error: String(error) }))
        .then(() => {
          let failure: AppError | null = null;
          if (cancelled) failure = cancelled;
          else if (spawnError) failure = spawnFailure(run.tool, spawnError);
          else if (inputError) failure = inputFailure(run.database, inputError);
          else if (code !== 0) failure = toolFailed('RESTORE_FAILED', run.tool, code, signal, run.stderrWords ? run.stderrWords(stderr()) : stderr(), run.database);
          if (!failure) return resolve();
          // Upstream stages stop when the stream they feed is gone.
          if (!input.readableEnded) input.destroy();
          reject(failure);
        });
    });
  });
}

/** SIGTERM, then SIGKILL if the tool ignores it. */
export function terminate(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, KILL_GRACE_MS);
  timer.unref();
  child.once('exit', () => clearTimeout(timer));
}

/** Keeps the tail of stderr (where tools put the error that matters) and drains the rest. */
function collectStderr(child: ChildProcess): () => string {
  let kept = Buffer.alloc(0);
  child.stderr?.on('data', (chunk: Buffer) => {
    kept = Buffer.concat([kept, chunk]);
    if (kept.length > STDERR_KEEP * 2) kept = kept.subarray(kept.length - STDERR_KEEP * 2);
  });
  return () => {
    const text = kept.subarray(Math.max(0, kept.length - STDERR_KEEP)).toString('utf8').trim();
    return kept.length > STDERR_KEEP ? `...${text}` : text;
  };
}

function toolFailed(
  code: 'DUMP_FAILED' | 'RESTORE_FAILED',
  tool: ResolvedTool,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  database?: string,
): AppError {
  const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal ?? 'a signal'}`;
  const what = code === 'RESTORE_FAILED' ? `The restore into ${database} failed: ${tool.executable} ${how}` : `${tool.executable} ${how}`;
  return new AppError(code, stderr ? `${what}: ${stderr}` : `${what} without an error message.`, {
    tool: tool.name,
    exitCode,
    signal,
    stderr,
  });
}

/** A gate's error as the dump's failure: its own where it is one of ours. */
function checkFailure(tool: ResolvedTool, error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('DUMP_FAILED', `${tool.executable} was stopped because its check failed: ${error instanceof Error ? error.message : String(error)}`, { tool: tool.name });
}

function spawnFailure(tool: ResolvedTool, error: unknown): AppError {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'ENOENT' || err.code === 'EACCES')
    return new AppError('CLIENT_TOOL_MISSING', `${tool.executable} could not be started from ${tool.path} (${err.code}). Check the path in Settings.`, {
      tool: tool.name,
      path: tool.path,
    });
  return new AppError('INTERNAL', `${tool.executable} could not be started: ${err.message}`, { tool: tool.name });
}

/** A restore stopped by its input: the backup's own failure (INTEGRITY_FAILED...) keeps its code. */
export function inputFailure(database: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AppError) return new AppError(error.code, `The restore into ${database} stopped: ${message}`, error.details);
  return new AppError('RESTORE_FAILED', `The restore into ${database} stopped because reading the backup failed: ${message}`);
}
