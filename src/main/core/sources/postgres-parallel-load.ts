import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Logger } from '../logger';
import type { ResolvedTool } from './client-tools';
import { HeadGatherer } from './head-gatherer';
import { PgArchiveSplitter, splittableArchive, tableDataList } from './pg-archive-split';
import { readArchiveHead, type ArchiveHead } from './pg-archive-toc';
import { runLoaders } from './parallel-loaders';
import { inputFailure, runRestore } from './tool-process';

/** A table of contents longer than this is not gathered: the archive goes to one pg_restore as it is. */
const HEAD_MAX = 64 * 1024 * 1024;

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
  const gatherer = new HeadGatherer(readArchiveHead, HEAD_MAX);
  let head: ArchiveHead | 'more' | null = 'more';
  while (head === 'more' && !gatherer.tooLong) {
    const next = await chunks.next().catch((error: unknown) => Promise.reject(inputFailure(load.database, error)));
    if (next.done) {
      head = gatherer.last();
      break;
    }
    head = gatherer.add(next.value);
  }
  const bytes = gatherer.bytes;
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
    await runLoaders(
      {
        loaders: load.loaders,
        database: load.database,
        signal: load.signal,
        // The first loader also sets the sequences (the data section's other entries); the rest load table data only.
        start: (k, from, signal) => restore(['--data-only', '--single-transaction', ...(k === 0 ? [] : [`--use-list=${list}`])], from, signal),
        splitter: (inputs) => {
          const splitter = new PgArchiveSplitter(head, headBytes, inputs);
          return { feed: (chunk) => splitter.feed(chunk), finish: () => splitter.finish(), open: () => inputs };
        },
      },
      first,
      chunks,
    );
    await restore(['--section=post-data', `--jobs=${load.loaders}`], Readable.from([]), load.signal, toc);
  } catch (error) {
    // The upstream stages stop reading the backup, whichever part failed.
    if (!input.readableEnded) input.destroy();
    throw error;
  } finally {
    await Promise.all([rm(list, { force: true }), rm(toc, { force: true })]);
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
