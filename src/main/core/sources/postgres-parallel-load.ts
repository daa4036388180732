import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Logger } from '../logger';
import type { ResolvedTool } from './client-tools';
import { PgArchiveSplitter, splittableArchive, tableDataList } from './pg-archive-split';
import { readArchiveHead, type ArchiveHead } from './pg-archive-toc';
import { inputFailure, runRestore } from './tool-process';

/** A table of contents longer than this is not gathered: the archive goes to one pg_restore as it is. */
const HEAD_MAX = 64 * 1024 * 1024;
/** What each loader's input holds before the splitter waits for one to take some. */
const LOADER_BUFFER = 1024 * 1024;

export interface ParallelLoad {
  tool: ResolvedTool;
  /** pg_restore's connection and safety arguments (no section, no transaction, no input). */
  baseArgs: string[];
  env: Record<string, string>;
  database: string;
  /** pg_restore processes loading rows at once. */
  loaders: number;
  signal?: AbortSignal;
  tempDir?: string;
  log?: Logger;
}

/**
 * Restores a streamed custom-format archive into a database this restore created, with several
 * pg_restore processes at once, each with a server session of its own: the objects first
 * (`--section=pre-data`, from the table of contents alone), then the rows, dealt out as they stream
 * to `loaders` `pg_restore --data-only` (pg-archive-split.ts), then indexes, keys and the rest
 * (`--section=post-data --jobs`, from the table of contents written to a small private file).
 * On one server core a COPY is bound by its backend, so this is what a stream can do that
 * `pg_restore --jobs` needs a seekable file for, and it also splits one large table.
 *
 * Not one transaction: the caller drops the database it created when this fails. An archive this
 * cannot split (pg-archive-split.ts) goes to `single`, with every byte read so far.
 */
export async function loadInParallel(input: Readable, load: ParallelLoad, single: (input: Readable) => Promise<void>): Promise<void> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const gathered: Buffer[] = [];
  let gatheredBytes = 0;
  let head: ArchiveHead | 'more' | null = 'more';
  let bytes = Buffer.alloc(0);
  while (head === 'more' && gatheredBytes <= HEAD_MAX) {
    const next = await chunks.next().catch((error: unknown) => Promise.reject(inputFailure(load.database, error)));
    if (next.done) break;
    gathered.push(next.value);
    gatheredBytes += next.value.length;
    bytes = Buffer.concat(gathered, gatheredBytes);
    head = readArchiveHead(bytes);
  }
  if (head === null || head === 'more' || !splittableArchive(head)) {
    load.log?.info('restoring with one pg_restore: the archive cannot be loaded in parts', { database: load.database });
    return single(Readable.from(replay(bytes, chunks))).catch((error: unknown) => {
      if (!input.readableEnded) input.destroy();
      throw error;
    });
  }
  const headBytes = bytes.subarray(0, head.end);
  const first = bytes.subarray(head.end);
  const dir = load.tempDir ?? tmpdir();
  const list = path.join(dir, `load-${randomUUID()}.list`);
  const toc = path.join(dir, `load-${randomUUID()}.toc`);
  try {
    await writeFile(list, tableDataList(head), { mode: 0o600, flag: 'wx' });
    await writeFile(toc, headBytes, { mode: 0o600, flag: 'wx' });
    const restore = (args: string[], from: Readable, signal?: AbortSignal, file?: string): Promise<void> =>
      runRestore({ tool: load.tool, args: [...args, ...load.baseArgs, ...(file ? [file] : [])], env: load.env, signal, input: from, database: load.database, log: load.log, tempDir: load.tempDir });
    await restore(['--section=pre-data', '--single-transaction'], Readable.from([headBytes]), load.signal);
    load.log?.info('loading rows in parallel', { database: load.database, loaders: load.loaders });
    await loadRows(head, headBytes, first, chunks, load, list, (args, from, signal) => restore(args, from, signal));
    await restore(['--section=post-data', `--jobs=${load.loaders}`], Readable.from([]), load.signal, toc);
  } catch (error) {
    // The upstream stages stop reading the backup, whichever part failed.
    if (!input.readableEnded) input.destroy();
    throw error;
  } finally {
    await Promise.all([rm(list, { force: true }), rm(toc, { force: true })]);
  }
}

/** The loaders, fed by one splitter; the first failure stops the others and the stream. */
async function loadRows(
  head: ArchiveHead,
  headBytes: Buffer,
  first: Buffer,
  chunks: AsyncIterator<Buffer>,
  load: ParallelLoad,
  list: string,
  restore: (args: string[], from: Readable, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  load.signal?.addEventListener('abort', onAbort, { once: true });
  if (load.signal?.aborted) stop.abort();
  const sinks = Array.from({ length: load.loaders }, () => new PassThrough({ highWaterMark: LOADER_BUFFER }));
  let failure: unknown = null;
  // Never rejects: a loader's failure is kept, and stops the others.
  const loaded = Promise.all(
    sinks.map((sink, k) =>
      // The first loader also sets the sequences (the data section's other entries); the rest load table data only.
      restore(['--data-only', '--single-transaction', ...(k === 0 ? [] : [`--use-list=${list}`])], sink, stop.signal).catch((error: unknown) => {
        failure ??= error;
        stop.abort();
      }),
    ),
  );
  let unread: unknown = null;
  const feeding = (async () => {
    const splitter = new PgArchiveSplitter(head, headBytes, sinks);
    if (first.length > 0) splitter.feed(first);
    for (;;) {
      if (stop.signal.aborted) return;
      const next = await chunks.next();
      if (next.done) break;
      splitter.feed(next.value);
      // Loaders that all exited take nothing more: waiting for them to drain would wait forever.
      if (sinks.every((s) => s.writableNeedDrain)) await Promise.race([roomInOne(sinks, stop.signal), loaded]);
    }
    splitter.finish();
    for (const sink of sinks) sink.end();
  })().catch((error: unknown) => {
    // Each loader fails with its input: the restore reports that, as a single pg_restore's would.
    unread = error;
    for (const sink of sinks) sink.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    await loaded;
    if (failure !== null) throw failure;
    await feeding;
    if (unread !== null) throw inputFailure(load.database, unread);
  } finally {
    load.signal?.removeEventListener('abort', onAbort);
  }
}

/** Resolves when one of the sinks has drained, or the load stopped. */
async function roomInOne(sinks: PassThrough[], signal: AbortSignal): Promise<void> {
  const waiting = new AbortController();
  const stopWaiting = (): void => waiting.abort();
  signal.addEventListener('abort', stopWaiting, { once: true });
  try {
    await Promise.race(sinks.map((s) => once(s, 'drain', { signal: waiting.signal })));
  } catch {
    // Aborted: the caller checks the load's signal.
  } finally {
    signal.removeEventListener('abort', stopWaiting);
    waiting.abort();
  }
}

/** The bytes read while looking for the table of contents, then the rest of the stream. */
async function* replay(read: Buffer, chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (read.length > 0) yield read;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await chunks.return?.();
  }
}
