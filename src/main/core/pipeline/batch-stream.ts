import { Transform, type TransformCallback } from 'node:stream';
import { isMainThread } from 'node:worker_threads';

/** Chunk size to gather before gzip (and no compression): fewer, larger writes cost less CPU; larger than 1 MiB gains little. */
export const BATCH_BYTES = 1024 * 1024;

/** Before zstd, which copies its input into reused frame buffers: nothing gathered, no copy. */
export const ZSTD_BATCH_BYTES = 0;

/** A chunk shorter than this is one of the writer's own 4-8 KiB writes, read as soon as it landed. */
const SHORT_READ = 32 * 1024;
const COALESCE_MS = 0.25;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * After a short read of a dump tool's pipe, sleeps 0.25 ms so the tool's next writes pile up
 * (see BatchOptions.coalesceReads). Blocks the thread: never call it on a host's main thread.
 */
export function pauseAfterShortRead(bytesRead: number): void {
  if (bytesRead < SHORT_READ) Atomics.wait(sleeper, 0, 0, COALESCE_MS);
}

export interface BatchOptions {
  /** Chunk size to gather (the last chunk may be shorter). */
  bytes?: number;
  /**
   * For a dump tool's stdout read by this worker thread: after a short chunk, sleep 0.25 ms so
   * the tool's next writes pile up in the pipe and come in one read. pg_dump and mariadb-dump
   * write 4-8 KiB at a time, and reading each as it lands costs CPU and wakes the tool up as
   * often. Once the pipe holds more than a read takes, chunks are long and nothing sleeps, so
   * this never limits the rate. Not
   * for streams whose chunks stay short however fast they come (an SSH channel's packets), and
   * never on a host's main thread: Atomics.wait blocks the thread.
   */
  coalesceReads?: boolean;
}

/**
 * Gathers small chunks into chunks of at least `bytes`. A dump tool's pipe delivers 4-16 KiB
 * at a time; every write into a zlib stream is a round trip to the threadpool and back, and
 * every chunk a trip through each later stage. Holds at most `bytes` plus one chunk.
 */
class BatchStream extends Transform {
  #held: Buffer[] = [];
  #heldBytes = 0;

  constructor(
    private readonly bytes: number,
    private readonly coalesce: boolean,
  ) {
    super({ readableHighWaterMark: Math.max(bytes, 64 * 1024) });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#held.push(chunk);
    this.#heldBytes += chunk.length;
    if (this.#heldBytes >= this.bytes) this.#release();
    if (this.coalesce) pauseAfterShortRead(chunk.length);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#heldBytes > 0) this.#release();
    callback();
  }

  #release(): void {
    this.push(this.#held.length === 1 ? this.#held[0] : Buffer.concat(this.#held, this.#heldBytes));
    this.#held = [];
    this.#heldBytes = 0;
  }
}

/** Put right after the dump: see BatchStream and BatchOptions. */
export function createBatchStream(options: BatchOptions = {}): Transform {
  return new BatchStream(options.bytes ?? BATCH_BYTES, options.coalesceReads === true && !isMainThread);
}
