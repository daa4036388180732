import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../../../shared/ipc/result';
import { frameDescriptor, SKIPPABLE_MAGIC_HIGH, ZstdFrameTracker } from './compress-zstd-frames';

/** Frames decompressed at once, each on a threadpool thread (4 by default), as the compressor's lanes. */
const IN_FLIGHT = 3;
/**
 * A frame that states a content size up to this is held whole and decompressed in one threadpool
 * trip: the backups' own frames (1 MiB each, compress-zstd-framed.ts). Any other frame (the zstd
 * CLI writes one frame for a whole file, often of unknown size) streams as it comes.
 */
const WHOLE_FRAME_MAX = 16 * 1024 * 1024;
/** The longest frame header that states a content size: magic, descriptor, window, dictionary id, size. */
const HEAD_MAX = 18;

type FrameHead = { kind: 'skippable' } | { kind: 'data'; contentSize: number | null };

/** What a frame's first bytes say (the tracker has checked its magic); 'more' when they are not all there yet. */
export function readFrameHead(head: Buffer): FrameHead | 'more' {
  if (head.length < 4) return 'more';
  if (head.readUInt32LE(0) >>> 4 === SKIPPABLE_MAGIC_HIGH) return { kind: 'skippable' };
  if (head.length < 5) return 'more';
  const { windowBytes, dictBytes, sizeBytes } = frameDescriptor(head[4]!);
  if (sizeBytes === 0) return { kind: 'data', contentSize: null };
  const at = 5 + windowBytes + dictBytes;
  if (head.length < at + sizeBytes) return 'more';
  const size = sizeBytes === 1 ? head[at]! : sizeBytes === 2 ? head.readUInt16LE(at) + 256 : sizeBytes === 4 ? head.readUInt32LE(at) : Number(head.readBigUInt64LE(at));
  return { kind: 'data', contentSize: size };
}

interface Pending {
  output: Promise<Buffer>;
  done: boolean;
}

/**
 * Buffers a whole frame is gathered in, reused: a frame arrives in pieces (age's 64 KiB chunks)
 * and zstd takes it in one piece, so each was copied into a new buffer, a third of what a
 * restore allocated besides the plaintext itself, and every such allocation brings V8's next
 * full collection closer. A buffer goes back once zstd has read it.
 */
const spareHolds: Buffer[] = [];
const HOLD_BYTES = 1024 * 1024 + 128 * 1024;

/** The most a frame stating `contentSize` may take; zstd never writes one longer. */
function holdLimit(contentSize: number): number {
  return contentSize + (contentSize >> 7) + 64 * 1024;
}

function acquireHold(bytes: number): Buffer {
  const i = spareHolds.findIndex((b) => b.length >= bytes);
  if (i >= 0) return spareHolds.splice(i, 1)[0]!;
  return Buffer.allocUnsafeSlow(Math.max(bytes, HOLD_BYTES));
}

function releaseHold(hold: Buffer): void {
  if (spareHolds.length <= IN_FLIGHT && hold.length <= HOLD_BYTES) spareHolds.push(hold);
}

/** One whole frame in one threadpool trip; zstd checks its checksum and stated size. */
function decompressWhole(hold: Buffer, bytes: number, contentSize: number): Pending {
  // zlib calls back on a later tick, once `pending` exists.
  const output = new Promise<Buffer>((resolve, reject) => {
    zlib.zstdDecompress(hold.subarray(0, bytes), { chunkSize: Math.max(64 * 1024, contentSize + 1), maxOutputLength: Math.max(1, contentSize) }, (error, out) => {
      pending.done = true;
      releaseHold(hold);
      if (error) reject(error);
      else resolve(out);
    });
  });
  // Read in order later; a failure before then must not count as unhandled.
  output.catch(() => undefined);
  const pending: Pending = { done: false, output };
  return pending;
}

/**
 * zstd decompression of a stream of frames, several frames at once. A backup's zstd data is
 * independent 1 MiB frames (compress-zstd-framed.ts): each is held whole and decompressed in one
 * threadpool trip, up to IN_FLIGHT at once, and released in order, so decompression is not one
 * thread going 256 KiB at a time. Other frames stream through a decompressor of their own, one
 * frame per decompressor, after everything before them is out. The frame tracker says where
 * frames end and whether the input ended on a frame boundary; zstd checks each frame's checksum.
 * Errors are left raw for the caller to word (compress.ts).
 */
export class ZstdUnframe extends Transform {
  readonly #tracker = new ZstdFrameTracker();
  /** The current frame's first bytes, until its header says how it goes. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  #mode: 'undecided' | 'whole' | 'stream' | 'skip' = 'undecided';
  #contentSize = 0;
  /** The current frame, gathered whole ('whole' mode): `#holdBytes` of it are filled. */
  #hold: Buffer | null = null;
  #holdBytes = 0;
  #stream: zlib.ZstdDecompress | null = null;
  readonly #queue: Pending[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#take(chunk).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    // Node's zstd decompressor ends cleanly on a cut frame: the tracker is what knows.
    if (!this.#tracker.complete) {
      callback(truncatedZstd());
      return;
    }
    this.#drain().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#stream?.destroy();
    callback(error);
  }

  async #take(chunk: Buffer): Promise<void> {
    const ends = this.#tracker.feed(chunk);
    let start = 0;
    for (const end of ends) {
      await this.#add(chunk.subarray(start, end), true);
      start = end;
    }
    if (start < chunk.length) await this.#add(chunk.subarray(start), false);
  }

  /** A piece of the current frame; `last`: the frame ends with it. */
  async #add(piece: Buffer, last: boolean): Promise<void> {
    if (this.#mode === 'undecided') {
      this.#held.push(piece);
      this.#heldBytes += piece.length;
      const head = readFrameHead(Buffer.concat(this.#held, Math.min(this.#heldBytes, HEAD_MAX)));
      if (head === 'more' && !last) return;
      await this.#decide(head);
    } else if (this.#mode === 'whole') {
      this.#gather(piece);
    } else if (this.#mode === 'stream') {
      await write(this.#stream!, piece);
    }
    if (last) await this.#endFrame();
  }

  /** Copies a piece of the current frame into its hold. */
  #gather(piece: Buffer): void {
    const hold = this.#hold!;
    // zstd never writes a frame much longer than what it holds; a longer one is damaged, and is not held.
    if (this.#holdBytes + piece.length > holdLimit(this.#contentSize)) throw new AppError('INTEGRITY_FAILED', 'The zstd data is damaged: a frame is longer than the content it says it holds.');
    piece.copy(hold, this.#holdBytes);
    this.#holdBytes += piece.length;
  }

  /** Chooses how the frame goes, and passes on what was held of it. */
  async #decide(head: FrameHead | 'more'): Promise<void> {
    if (head !== 'more' && head.kind === 'skippable') {
      this.#mode = 'skip';
      this.#held = [];
      this.#heldBytes = 0;
      return;
    }
    if (head !== 'more' && head.contentSize !== null && head.contentSize <= WHOLE_FRAME_MAX) {
      this.#mode = 'whole';
      this.#contentSize = head.contentSize;
      this.#hold = acquireHold(holdLimit(head.contentSize));
      this.#holdBytes = 0;
      const held = this.#held;
      this.#held = [];
      this.#heldBytes = 0;
      for (const piece of held) this.#gather(piece);
      return;
    }
    // A frame too short to hold a header also goes here: zstd says what is wrong with it.
    this.#mode = 'stream';
    await this.#drain();
    const stream = zlib.createZstdDecompress({ chunkSize: 256 * 1024 });
    stream.on('data', (out: Buffer) => this.push(out));
    // write() and finish() hear of errors; this keeps one between them from going unhandled.
    stream.on('error', () => undefined);
    this.#stream = stream;
    const held = this.#held;
    this.#held = [];
    this.#heldBytes = 0;
    for (const piece of held) await write(stream, piece);
  }

  async #endFrame(): Promise<void> {
    const mode = this.#mode;
    this.#mode = 'undecided';
    if (mode === 'whole') {
      const hold = this.#hold!;
      this.#hold = null;
      this.#queue.push(decompressWhole(hold, this.#holdBytes, this.#contentSize));
      await this.#release(IN_FLIGHT);
    } else if (mode === 'stream') {
      const stream = this.#stream!;
      this.#stream = null;
      await finish(stream);
    }
  }

  /** Pushes the frames that are done, in order, and waits for the oldest while `limit` or more are in flight. */
  async #release(limit: number): Promise<void> {
    while (this.#queue.length > 0 && (this.#queue[0]!.done || this.#queue.length >= limit)) {
      const output = await this.#queue.shift()!.output;
      if (output.length > 0) this.push(output);
    }
  }

  async #drain(): Promise<void> {
    await this.#release(0);
  }
}

function write(stream: zlib.ZstdDecompress, piece: Buffer): Promise<void> {
  if (piece.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    stream.once('error', onError);
    stream.write(piece, (error) => {
      stream.off('error', onError);
      if (error) reject(error);
      else resolve();
    });
  });
}

function finish(stream: zlib.ZstdDecompress): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('end', () => resolve());
    stream.end();
  });
}

function truncatedZstd(): AppError {
  return new AppError('INTEGRITY_FAILED', 'The zstd data is truncated: it ends in the middle of a frame, so the backup file is incomplete.');
}
