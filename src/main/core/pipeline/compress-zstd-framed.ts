import { availableParallelism } from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { ZstdFrameTracker } from './compress-zstd-frames';
import { acquireFrame, FRAME_BYTES, isPooledFrame, releaseFrame } from './frame-pool';

/**
 * FRAME_BYTES (1 MiB, frame-pool.ts) is the input per zstd frame: independent frames of known
 * size compress with less CPU than one endless stream, and several can compress at once, as
 * `zstd -T` does (figures: README, Performance).
 */
export { FRAME_BYTES };

/**
 * Frames compressed at once, each on a threadpool thread; more than three would leave no
 * threadpool thread (4 by default) for the file writes that follow.
 */
export function defaultLanes(): number {
  return Math.max(1, Math.min(3, availableParallelism()));
}

interface Frame {
  /** Input waiting for a free lane; null once started. */
  pending: Buffer | null;
  /** The frame buffer the input lives in, given back to the frame pool once the frame is out. */
  buffer: Buffer;
  output: Buffer | null;
  error: Error | null;
}

/**
 * Full frames that may wait for a lane before the input is held back: when the dump tool is
 * the slowest stage (mariadb-dump), every moment it is blocked on a full pipe is lost for good.
 * Costs QUEUED_FRAMES MiB.
 */
const QUEUED_FRAMES = 4;

/**
 * One persistent compressor: reusing its context (tables, window) rather than making one per
 * frame saves CPU. Every write is compressed with ZSTD_e_end, so each write becomes one whole frame; its output is
 * collected until the frame tracker sees that frame end, which does not depend on when zlib
 * emits 'data' relative to the write's callback.
 */
class Lane {
  readonly #engine: zlib.ZstdCompress;
  readonly #tracker = new ZstdFrameTracker();
  #frame: Frame | null = null;
  #parts: Buffer[] = [];

  /** `onDone` hears of each frame once it is out (or failed); only then is its input free. */
  constructor(params: Record<number, number>, frameBytes: number, private readonly onDone: (frame: Frame) => void) {
    // chunkSize: a whole frame's output (compressBound) in one buffer, one threadpool trip.
    this.#engine = zlib.createZstdCompress({ params, flush: zlib.constants.ZSTD_e_end, chunkSize: frameBytes + (frameBytes >> 7) + 64 * 1024 });
    this.#engine.on('data', (chunk: Buffer) => this.#collect(chunk));
    this.#engine.on('error', (error: Error) => this.#finish(null, error));
  }

  get busy(): boolean {
    return this.#frame !== null;
  }

  start(input: Buffer, frame: Frame): void {
    this.#frame = frame;
    this.#engine.write(input);
  }

  close(): void {
    // Never ended: end() would add an empty frame. Destroying frees the context.
    this.#engine.destroy();
  }

  #collect(chunk: Buffer): void {
    this.#parts.push(chunk);
    let ends: number[];
    try {
      ends = this.#tracker.feed(chunk);
    } catch (error) {
      this.#finish(null, error as Error);
      return;
    }
    if (ends.length === 0) return;
    if (ends.length > 1 || ends[0] !== chunk.length) {
      this.#finish(null, new Error('zstd wrote an unexpected frame layout'));
      return;
    }
    this.#finish(this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts), null);
  }

  #finish(output: Buffer | null, error: Error | null): void {
    const frame = this.#frame;
    this.#frame = null;
    this.#parts = [];
    if (!frame) return;
    frame.output = output;
    frame.error = error;
    this.onDone(frame);
  }
}

/**
 * zstd as a sequence of independent frames (RFC 8878 section 3.1: a zstd file is one or more
 * frames; `zstd -d`, Node's decompressor and createDecompressStream read it as one stream).
 * Each frame is compressed in a single pass (ZSTD_e_end with the whole input, so libzstd knows
 * its size), carries its content size and checksum; up to `lanes` compress at once and up to
 * QUEUED_FRAMES more wait for a lane. Output keeps input order. Memory: about
 * (lanes + QUEUED_FRAMES) x FRAME_BYTES of input, plus per lane its output and a context.
 */
export class ZstdFramedCompress extends Transform {
  readonly #params: Record<number, number>;
  readonly #lanes: number;
  readonly #frameBytes: number;
  /** The frame being filled (see #fill). */
  #current: Buffer | null = null;
  #used = 0;
  #frames = 0;
  readonly #inFlight: Frame[] = [];
  readonly #pool: Lane[] = [];
  /** A _transform or _flush callback waiting for a lane to free up or for the last frames. */
  #waiting: (() => boolean) | null = null;

  constructor(level: number, options: { lanes?: number; frameBytes?: number } = {}) {
    super();
    this.#params = { [zlib.constants.ZSTD_c_compressionLevel]: level, [zlib.constants.ZSTD_c_checksumFlag]: 1 };
    this.#lanes = Math.max(1, options.lanes ?? defaultLanes());
    this.#frameBytes = options.frameBytes ?? FRAME_BYTES;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // A whole pooled frame (the dump reader's, see dump-pipe.ts) at a frame boundary is
    // compressed where it is, without a copy, and given back to the pool afterwards.
    if (this.#used === 0 && chunk.length === this.#frameBytes && isPooledFrame(chunk)) {
      this.#queue(chunk, chunk.length);
      this.#whenRoom(callback);
      return;
    }
    this.#fill(chunk, 0, callback);
  }

  /**
   * Copies input into the frame being filled and starts it when full. Frame buffers come from
   * the frame pool and go back to it once compressed, rather than a fresh 1 MiB per frame.
   */
  #fill(chunk: Buffer, from: number, callback: TransformCallback): void {
    let offset = from;
    while (offset < chunk.length) {
      const current = (this.#current ??= this.#frameBytes === FRAME_BYTES ? acquireFrame() : Buffer.allocUnsafe(this.#frameBytes));
      const n = Math.min(this.#frameBytes - this.#used, chunk.length - offset);
      chunk.copy(current, this.#used, offset, offset + n);
      this.#used += n;
      offset += n;
      if (this.#used === this.#frameBytes) {
        this.#startCurrent();
        // A chunk may hold more than one frame: the rest waits for room too.
        const rest = offset;
        this.#whenRoom(rest < chunk.length ? () => this.#fill(chunk, rest, callback) : callback);
        return;
      }
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#used > 0) this.#startCurrent();
    // An empty dump still becomes one (empty) frame: a zstd file is at least one frame.
    else if (this.#frames === 0) this.push(zlib.zstdCompressSync(Buffer.alloc(0), { params: this.#params }));
    this.#waiting = () => {
      if (this.#inFlight.length > 0) return false;
      this.#closeLanes();
      callback();
      return true;
    };
    this.#drain();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Frames still compressing are abandoned with their lanes; nothing more is pushed.
    this.#inFlight.length = 0;
    this.#current = null;
    this.#waiting = null;
    this.#closeLanes();
    callback(error);
  }

  #closeLanes(): void {
    for (const lane of this.#pool.splice(0)) lane.close();
  }

  /** Queues the filled frame. */
  #startCurrent(): void {
    const buffer = this.#current!;
    const used = this.#used;
    this.#current = null;
    this.#used = 0;
    this.#queue(buffer, used);
  }

  /** Queues `bytes` of `buffer` as the next frame; it starts at once if a lane is free (see #dispatch). */
  #queue(buffer: Buffer, bytes: number): void {
    this.#inFlight.push({ pending: bytes === buffer.length ? buffer : buffer.subarray(0, bytes), buffer, output: null, error: null });
    this.#frames += 1;
    this.#dispatch();
  }

  /** Starts queued frames, in order, on free lanes (made as needed, up to `lanes`). */
  #dispatch(): void {
    for (const frame of this.#inFlight) {
      if (!frame.pending) continue;
      let lane = this.#pool.find((l) => !l.busy);
      if (!lane && this.#pool.length < this.#lanes) {
        lane = new Lane(this.#params, this.#frameBytes, (done) => this.#frameDone(done));
        this.#pool.push(lane);
      }
      if (!lane) return;
      const input = frame.pending;
      frame.pending = null;
      lane.start(input, frame);
    }
  }

  #frameDone(frame: Frame): void {
    // A frame's end is only written once all its input was read (ZSTD_e_end): its buffer is
    // free. After an error it may still be in zstd's hands, so it is left to the GC.
    if (frame.output) releaseFrame(frame.buffer);
    this.#drain();
  }

  /** Input goes on while fewer than lanes + QUEUED_FRAMES frames are compressing or waiting. */
  #whenRoom(callback: TransformCallback): void {
    this.#waiting = () => {
      if (this.#inFlight.length >= this.#lanes + QUEUED_FRAMES) return false;
      callback();
      return true;
    };
    this.#drain();
  }

  /** Pushes finished frames in order, then lets the waiting callback go on if it can. */
  #drain(): void {
    if (this.destroyed) return;
    while (this.#inFlight.length > 0) {
      const head = this.#inFlight[0]!;
      if (head.error) {
        this.#inFlight.length = 0;
        this.destroy(head.error);
        return;
      }
      if (!head.output) break;
      this.#inFlight.shift();
      this.push(head.output);
    }
    this.#dispatch();
    const waiting = this.#waiting;
    if (!waiting) return;
    // Cleared first: the callback may run _transform again at once, which sets a new one.
    this.#waiting = null;
    if (!waiting()) this.#waiting = waiting;
  }
}
