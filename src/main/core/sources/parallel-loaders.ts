import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { inputFailure } from './tool-process';

/** What each loader's input holds before the splitter waits for one to take some. */
const LOADER_BUFFER = 1024 * 1024;

/** Deals a dump's bytes out to the loaders' inputs (pg-archive-split.ts, mysql-dump-split.ts). */
export interface DumpSplitter {
  /** Throws (or rejects) on what the dump format does not allow; may wait for the loaders (a barrier). */
  feed(chunk: Buffer): void | Promise<void>;
  /** After the last chunk: throws when the stream stopped where no dump ends. */
  finish(): void | Promise<void>;
  /** The inputs the next bytes may go to: the feed waits while every one of them is full. */
  open(): readonly PassThrough[];
}

export interface LoaderRun {
  loaders: number;
  database: string;
  signal?: AbortSignal;
  /** Starts loader `k` reading `input`; resolves when it exited 0, rejects with its failure. */
  start(k: number, input: PassThrough, signal: AbortSignal): Promise<void>;
  splitter(inputs: readonly PassThrough[]): DumpSplitter;
}

/**
 * Runs `loaders` restore tools at once, fed by one splitter from `chunks` (after `first`, bytes
 * already read). The first failure stops the other loaders and the stream: a loader's failure is
 * reported as it is, and a stream that fails is reported as the input's failure, as a single
 * tool's would be. Never one transaction: callers restore into a database they drop on failure.
 */
export async function runLoaders(run: LoaderRun, first: Buffer, chunks: AsyncIterator<Buffer>): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  run.signal?.addEventListener('abort', onAbort, { once: true });
  if (run.signal?.aborted) stop.abort();
  const inputs = Array.from({ length: run.loaders }, () => new PassThrough({ highWaterMark: LOADER_BUFFER }));
  let failure: unknown = null;
  // Never rejects: a loader's failure is kept, and stops the others.
  const loaded = Promise.all(
    inputs.map((input, k) =>
      run.start(k, input, stop.signal).catch((error: unknown) => {
        failure ??= error;
        stop.abort();
      }),
    ),
  );
  let unread: unknown = null;
  const feeding = (async () => {
    const splitter = run.splitter(inputs);
    if (first.length > 0) await splitter.feed(first);
    for (;;) {
      if (stop.signal.aborted) return;
      const next = await chunks.next();
      if (next.done) break;
      await splitter.feed(next.value);
      // Loaders that all exited take nothing more: waiting for them to drain would wait forever.
      const open = splitter.open();
      if (open.every((s) => s.writableNeedDrain)) await Promise.race([roomInOne(open, stop.signal), loaded]);
    }
    await splitter.finish();
    for (const input of inputs) input.end();
  })().catch((error: unknown) => {
    // Each loader fails with its input: the restore reports that, as a single tool's would.
    unread = error;
    for (const input of inputs) input.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    await loaded;
    if (failure !== null) throw failure;
    await feeding;
    if (unread !== null) throw inputFailure(run.database, unread);
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
  }
}

/** Resolves when one of the inputs has drained, or the load stopped. */
async function roomInOne(inputs: readonly PassThrough[], signal: AbortSignal): Promise<void> {
  const waiting = new AbortController();
  const stopWaiting = (): void => waiting.abort();
  signal.addEventListener('abort', stopWaiting, { once: true });
  try {
    await Promise.race(inputs.map((s) => once(s, 'drain', { signal: waiting.signal })));
  } catch {
    // Aborted: the caller checks the load's signal.
  } finally {
    signal.removeEventListener('abort', stopWaiting);
    waiting.abort();
  }
}
