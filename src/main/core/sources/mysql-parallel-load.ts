import type { PassThrough, Readable } from 'node:stream';
import type { Logger } from '../logger';
import type { ResolvedTool } from './client-tools';
import { MysqlDumpSplitter, type MysqlLoader } from './mysql-dump-split';
import { runLoaders } from './parallel-loaders';
import { runRestore } from './tool-process';

export interface MysqlParallelLoad {
  tool: ResolvedTool;
  /** The client's arguments, with `extra` options before its `--` and the database. */
  args: (extra: string[]) => string[];
  database: string;
  env: Record<string, string>;
  /** Clients loading rows at once. */
  loaders: number;
  signal?: AbortSignal;
  tempDir?: string;
  log?: Logger;
  stderrWords?: (stderr: string) => string;
}

/**
 * Restores a streamed MySQL/MariaDB dump with several clients at once, each with a server session
 * of its own: the dump's INSERTs are dealt out as they stream (mysql-dump-split.ts). One client
 * keeps the server busy on one core, whatever feeds it.
 *
 * Not one transaction, as a single client's restore is not either: the caller drops the database
 * it created when this fails.
 */
export async function loadMysqlInParallel(input: Readable, load: MysqlParallelLoad): Promise<void> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const made: { splitter?: MysqlDumpSplitter } = {};
  const marked = new Map<PassThrough, MarkedLoader>();
  const loaderOf = (from: PassThrough): MarkedLoader => {
    let loader = marked.get(from);
    if (!loader) marked.set(from, (loader = new MarkedLoader(from)));
    return loader;
  };
  load.log?.info('loading rows in parallel', { database: load.database, loaders: load.loaders });
  try {
    await runLoaders(
      {
        loaders: load.loaders,
        database: load.database,
        signal: load.signal,
        start: (_k, from, signal) => {
          const loader = loaderOf(from);
          // --unbuffered: the client prints each mark as soon as its statement has run.
          const args = load.args(['--unbuffered', '--skip-column-names']);
          return runRestore({ tool: load.tool, args, env: load.env, signal, input: from, database: load.database, log: load.log, tempDir: load.tempDir, stderrWords: load.stderrWords, onStdout: (chunk) => loader.printed(chunk) }).finally(() =>
            loader.exited(),
          );
        },
        splitter: (inputs) => {
          const splitter = (made.splitter = new MysqlDumpSplitter(inputs.map(loaderOf)));
          return { feed: (chunk) => splitter.feed(chunk), finish: () => splitter.finish(), open: () => splitter.open().map((l) => (l as MarkedLoader).input) };
        },
      },
      Buffer.alloc(0),
      chunks,
    );
    load.log?.info('rows loaded in parallel', { database: load.database, statements: made.splitter?.statements });
  } catch (error) {
    // The upstream stages stop reading the backup, whichever part failed.
    if (!input.readableEnded) input.destroy();
    throw error;
  }
}

/**
 * A client's input with marks: `SELECT 'vaultdesk-mark-N'` written after its statements, printed by
 * the client once the statements before it have run.
 */
class MarkedLoader implements MysqlLoader {
  #asked = 0;
  #seen = 0;
  #tail = '';
  #gone = false;
  readonly #waiting: { mark: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(readonly input: PassThrough) {}

  get writableLength(): number {
    return this.input.writableLength;
  }

  write(chunk: Buffer): void {
    this.input.write(chunk);
  }

  executed(): Promise<void> {
    if (this.#gone) return Promise.reject(new Error('the client exited'));
    const mark = ++this.#asked;
    this.input.write(`SELECT 'vaultdesk-mark-${mark}';\n`);
    return new Promise((resolve, reject) => this.#waiting.push({ mark, resolve, reject }));
  }

  printed(chunk: Buffer): void {
    const text = this.#tail + chunk.toString('latin1');
    for (const m of text.matchAll(MARK)) this.#seen = Math.max(this.#seen, Number(m[1]));
    // A mark cut between two chunks is read whole with the next.
    this.#tail = text.slice(-MARK_TAIL);
    for (let i = this.#waiting.length - 1; i >= 0; i--) {
      const w = this.#waiting[i]!;
      if (w.mark <= this.#seen) {
        this.#waiting.splice(i, 1);
        w.resolve();
      }
    }
  }

  exited(): void {
    this.#gone = true;
    for (const w of this.#waiting.splice(0)) w.reject(new Error('the client exited'));
  }
}

const MARK = /vaultdesk-mark-(\d+)\n/g;
const MARK_TAIL = 40;
