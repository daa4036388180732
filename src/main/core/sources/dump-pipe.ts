import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isMainThread } from 'node:worker_threads';
import { pauseAfterShortRead } from '../pipeline/batch-stream';
import { acquireFrame, FRAME_BYTES } from '../pipeline/frame-pool';

export interface DumpPipe {
  /**
   * The tool's end, for its stdout (spawn gives the tool a copy). Destroy it here once the tool
   * has it, never end() it: a shutdown would close the tool's copy too.
   */
  writer: net.Socket;
  /** The tool's output in whole frames (FRAME_BYTES; the last one shorter), read into pooled buffers. */
  reader: Readable;
}

/** A socket's path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS), its end included. */
const MAX_SOCKET_PATH = 100;

/**
 * A connected pair of Unix sockets for a dump tool's stdout, whose output is read straight into
 * pooled frame buffers (frame-pool.ts), which the zstd compressor then compresses where they are.
 * A child's stdout from spawn(..., 'pipe') hands over every read (4-64 KiB) in a new buffer, which
 * then went through each stream stage and was copied into a frame; a socket made here reads into
 * a caller's buffer (`onread`). A socket rather than a FIFO: a pipe holds 64 KiB, which a dump
 * tool writing 200 MB/s fills in a third of a millisecond, so every moment the worker spent
 * compressing, encrypting or hashing held the tool up; a Unix socket holds about 200 KiB
 * (net.core.wmem_default), and Node cannot enlarge a pipe (F_SETPIPE_SZ). Figures: README,
 * Performance. The pair is made through a listening socket in a private folder (mode 0700),
 * removed once connected; the tool sees an ordinary stream socket.
 *
 * Null where this is not possible (Windows, a folder that cannot hold a socket): the caller then
 * uses an ordinary pipe.
 */
export async function openDumpPipe(tempDir: string = tmpdir()): Promise<DumpPipe | null> {
  if (process.platform === 'win32') return null;
  let dir: string | null = null;
  // Paused: this end is the tool's, and nothing here may read from it.
  const server = net.createServer({ pauseOnConnect: true });
  let reader: PipeFrameReader | null = null;
  try {
    const parent = path.join(tempDir, 'dump-pipe-XXXXXX', 's').length <= MAX_SOCKET_PATH ? tempDir : tmpdir();
    dir = mkdtempSync(path.join(parent, 'dump-pipe-'));
    const address = path.join(dir, 's');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address, () => resolve());
    });
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const made = new PipeFrameReader(address);
    reader = made;
    const writer = await Promise.race([accepted, new Promise<never>((_, reject) => made.once('error', reject))]);
    return { writer, reader: made };
  } catch {
    reader?.destroy();
    return null;
  } finally {
    server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads the tool's socket into pooled frames and pushes each once full (the last one at the end of the
 * pipe, shorter). Back-pressure: when the consumer is full, reading stops (readStop) until it
 * asks for more, and the tool blocks on a full pipe as it would writing to a slow shell pipe.
 */
class PipeFrameReader extends Readable {
  readonly #socket: net.Socket;
  #frame: Buffer | null = null;
  #used = 0;
  /** See BatchOptions.coalesceReads: never on a main thread, where Atomics.wait blocks the host. */
  readonly #coalesce = !isMainThread;

  constructor(address: string) {
    super({ highWaterMark: FRAME_BYTES });
    // Half-open: the tool's end closing is the dump's end; this end writes nothing.
    this.#socket = net.connect({
      path: address,
      allowHalfOpen: true,
      onread: { buffer: () => this.#space(), callback: (n: number) => this.#filled(n) },
    });
    this.#socket.on('end', () => this.#ended());
    this.#socket.on('error', (error) => this.destroy(error));
  }

  /** Where the next read goes: the rest of the frame being filled. */
  #space(): Buffer {
    this.#frame ??= acquireFrame();
    return this.#frame.subarray(this.#used);
  }

  /** Returns false to stop reading until _read. */
  #filled(n: number): boolean {
    this.#used += n;
    if (this.#used < FRAME_BYTES) {
      // pg_dump and mariadb-dump write 4-8 KiB at a time; reading each as it lands wakes the
      // tool (and this thread) up for every write. A pause lets its next writes pile up in the
      // pipe; once the pipe holds more than a read takes, no read is short and nothing sleeps.
      if (this.#coalesce) pauseAfterShortRead(n);
      return true;
    }
    const frame = this.#frame!;
    this.#frame = null;
    this.#used = 0;
    return this.push(frame);
  }

  #ended(): void {
    if (this.#frame && this.#used > 0) this.push(this.#frame.subarray(0, this.#used));
    this.#frame = null;
    this.push(null);
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy();
    callback(error);
  }
}
