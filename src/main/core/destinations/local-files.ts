import type { Stats, WriteStream } from 'node:fs';
import { lstat, open, unlink, type FileHandle } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { errnoOf } from '../files/fs-errors';
import { PARTIAL_IN_USE_MS } from './object-key';
import { STORED_FILE_MODE } from './stored-modes';

/**
 * Opens `name.partial` as a new file. A leftover of a killed run is replaced; `wx` also means
 * an existing FIFO or device under that name is never opened (opening a FIFO for writing
 * waits for a reader, forever).
 */
export async function openPartial(partial: string, now = Date.now(), look: (file: string) => Promise<Stats> = lstat): Promise<FileHandle> {
  try {
    return await open(partial, 'wx', STORED_FILE_MODE);
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
  }
  // A file written lately is another run's upload of the same name (another install sharing the
  // folder, started in the same second): not ours to take. Anything else there (a FIFO, a
  // partial file a crash left long ago) is replaced.
  const inUse = (): Error => Object.assign(new Error(`${partial} is being written`), { code: 'EEXIST' });
  let found: Stats;
  try {
    found = await look(partial);
  } catch (error) {
    // Gone between the open and the look: the other run has just committed it (or given up).
    if (errnoOf(error) === 'ENOENT') throw inUse();
    throw error;
  }
  if (found.isFile() && now - found.mtimeMs < PARTIAL_IN_USE_MS) throw inUse();
  await unlink(partial).catch((error: unknown) => {
    if (errnoOf(error) !== 'ENOENT') throw error;
  });
  return open(partial, 'wx', STORED_FILE_MODE);
}

/**
 * Syncs the file every WRITEBACK_BYTES while it is written, so the fsync before the rename has
 * little left to do. The kernel starts writing back only once gigabytes are dirty: a 1 GiB dump
 * (370 MiB stored) took 0.43-0.53 s from the dump tool's exit to the commit with one fsync at
 * the end, 0.08-0.11 s with these. Writing goes on while a sync runs (the sync covers what was
 * written before it), so the disk's answer never holds up the dump; at most one sync is in
 * flight, a second waits for it, and the stream ends only once the last one answered. A sync
 * that fails fails the stream.
 */
const WRITEBACK_BYTES = 64 * 1024 * 1024;

export class Writeback extends Transform {
  #since = 0;
  #inFlight: Promise<void> | null = null;
  #failed: Error | null = null;

  constructor(private readonly handle: FileHandle) {
    super();
  }

  /** A datasync is in flight: the disk owes an answer. */
  get syncing(): boolean {
    return this.#inFlight !== null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#failed) {
      callback(this.#failed);
      return;
    }
    this.#since += chunk.length;
    if (this.#since < WRITEBACK_BYTES) {
      callback(null, chunk);
      return;
    }
    this.#since = 0;
    // A sync that has not answered in the time 64 MiB took to write is waited for before the next.
    void this.#settled().then((error) => {
      if (error) {
        callback(error);
        return;
      }
      this.#sync();
      callback(null, chunk);
    });
  }

  override _flush(callback: TransformCallback): void {
    void this.#settled().then((error) => callback(error));
  }

  #sync(): void {
    this.#inFlight = this.handle
      .datasync()
      .then(
        () => undefined,
        (error: unknown) => {
          this.#failed ??= error as Error;
        },
      )
      .finally(() => {
        this.#inFlight = null;
      });
  }

  /** Waits for the sync in flight; the error of any that failed. */
  async #settled(): Promise<Error | null> {
    await this.#inFlight;
    return this.#failed;
  }
}

/**
 * Calls `onStall` once when the file system has owed the sink an answer (bytes handed over but
 * not written, a sync or the closing fsync pending) for `ms` without writing anything: a disk
 * or share that stopped answering. A slow input does not count, since then nothing is owed.
 * Returns the function that stops watching.
 */
export function watchSink(sink: WriteStream, writeback: Writeback, ms: number, onStall: () => void): () => void {
  let owedSince: number | null = null;
  let written = sink.bytesWritten;
  const timer = setInterval(
    () => {
      const owed = sink.writableLength > 0 || writeback.syncing || (sink.writableEnded && !sink.closed);
      if (!owed || sink.bytesWritten !== written) {
        written = sink.bytesWritten;
        owedSince = owed ? Date.now() : null;
        return;
      }
      owedSince ??= Date.now();
      if (Date.now() - owedSince >= ms) {
        clearInterval(timer);
        onStall();
      }
    },
    Math.max(50, Math.min(1000, ms / 4)),
  );
  return () => clearInterval(timer);
}

/** Makes a rename durable: the folder entry itself must reach the disk. */
export async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
