import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isMainThread, workerData } from 'node:worker_threads';
import { pauseAfterShortRead } from '../pipeline/batch-stream';
import { acquireFrame, FRAME_BYTES } from '../pipeline/frame-pool';

/**
 * workerData key of a worker made with trackUnmanagedFds: false (worker-client.ts). A worker that
 * tracks fds closes every fd opened with fs.open/openSync and not closed with fs.close when it
 * exits: the FIFO's read end is closed by its socket instead, so it would be closed a second
 * time, under whatever now has that number. Elsewhere this module uses an ordinary pipe.
 */
export const RAW_FDS_UNTRACKED = 'vaultdeskRawFdsUntracked';

function rawFdsUntracked(): boolean {
  return isMainThread || (workerData as Record<string, unknown> | null)?.[RAW_FDS_UNTRACKED] === true;
}

export interface DumpPipe {
  /** The write end, for the tool's stdout. Close it in this process once the tool has it. */
  writeFd: number;
  /** The tool's output in whole frames (FRAME_BYTES; the last one shorter), read into pooled buffers. */
  reader: Readable;
}

/**
 * A pipe for a dump tool's stdout whose output is read straight into pooled frame buffers
 * (frame-pool.ts), which the zstd compressor then compresses where they are. A child's stdout
 * from spawn(..., 'pipe') hands over every read (4-64 KiB) in a new buffer, which then went
 * through each stream stage and was copied into a frame. Node has no pipe(2) and no way to
 * choose the buffer of a child's stdout, but a net.Socket over a pipe fd reads into a caller's
 * buffer (`onread`), and a FIFO gives that fd: made with mkfifo in a private folder, both ends
 * opened, the name removed at once. The tool sees an ordinary pipe.
 *
 * Null where this is not possible (Windows, no mkfifo, a temp folder that cannot hold a FIFO, a
 * worker that tracks fds: see RAW_FDS_UNTRACKED): the caller then uses an ordinary pipe.
 */
export function openDumpPipe(tempDir: string = tmpdir()): DumpPipe | null {
  if (process.platform === 'win32' || !rawFdsUntracked()) return null;
  let dir: string | null = null;
  let readFd = -1;
  let writeFd = -1;
  try {
    dir = mkdtempSync(path.join(tempDir, 'dump-pipe-'));
    const fifo = path.join(dir, 'stdout');
    const made = spawnSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore', shell: false, windowsHide: true });
    if (made.status !== 0) return null;
    // The read end first, non-blocking, so that opening the write end does not wait for a reader.
    readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    writeFd = openSync(fifo, constants.O_WRONLY);
    const reader = new PipeFrameReader(readFd);
    readFd = -1;
    return { writeFd, reader };
  } catch {
    if (readFd >= 0) closeSync(readFd);
    if (writeFd >= 0) closeSync(writeFd);
    return null;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads a pipe into pooled frames and pushes each once full (the last one at the end of the
 * pipe, shorter). Back-pressure: when the consumer is full, reading stops (readStop) until it
 * asks for more, and the tool blocks on a full pipe as it would writing to a slow shell pipe.
 */
class PipeFrameReader extends Readable {
  readonly #socket: net.Socket;
  #frame: Buffer | null = null;
  #used = 0;
  /** See BatchOptions.coalesceReads: never on a main thread, where Atomics.wait blocks the host. */
  readonly #coalesce = !isMainThread;

  constructor(fd: number) {
    super({ highWaterMark: FRAME_BYTES });
    // The socket owns the fd from here on and closes it when destroyed.
    this.#socket = new net.Socket({
      fd,
      readable: true,
      writable: false,
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
