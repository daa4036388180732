import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createDecompressStream } from './compress';
import { ZstdFramedCompress } from './compress-zstd-framed';
import { ZstdFrameTracker } from './compress-zstd-frames';
import { acquireFrame, FRAME_BYTES, isPooledFrame, releaseFrame } from './frame-pool';
import { mixed } from './testing/mixed-data';
import { transformAll } from './testing/stream-harness';

/** Splits a zstd stream into its frames. */
function frames(packed: Buffer): Buffer[] {
  const ends = new ZstdFrameTracker().feed(packed);
  return ends.map((end, i) => packed.subarray(i === 0 ? 0 : ends[i - 1], end));
}

describe('ZstdFramedCompress', () => {
  it('writes independent frames of the chosen size, in input order, whatever the lanes', async () => {
    const input = mixed(3 * 1024 * 1024 + 5);
    // Pieces smaller and larger than a frame (one piece may fill several frames).
    for (const [lanes, piece] of [[1, 10_007], [2, 10_007], [3, 10_007], [2, 700_001]] as const) {
      const packed = await transformAll(new ZstdFramedCompress(3, { lanes, frameBytes: 256 * 1024 }), input, piece);
      const parts = frames(packed);
      // Exactly 256 KiB per frame, whatever the pieces it came in; the last holds the 5 left over.
      expect(parts.length).toBe(13);
      const decoded = parts.map((frame) => zlib.zstdDecompressSync(frame));
      expect(decoded.map((d) => d.length)).toEqual([...Array<number>(12).fill(256 * 1024), 5]);
      expect(Buffer.concat(decoded).equals(input)).toBe(true);
      expect((await transformAll(createDecompressStream('zstd'), packed, 4093)).equals(input)).toBe(true);
    }
  });

  it('gives every frame its content size and checksum, and an empty input one empty frame', async () => {
    const packed = await transformAll(new ZstdFramedCompress(3, { frameBytes: 64 * 1024 }), mixed(200_000));
    for (const frame of frames(packed)) {
      // Frame header descriptor (RFC 8878 3.1.1.1.1): bit 2 = content checksum; the content
      // size is present when the size flag (bits 6-7) or the single-segment flag (bit 5) is set.
      const descriptor = frame[4]!;
      expect(descriptor & 0x04).toBe(0x04);
      expect(descriptor >> 6 !== 0 || (descriptor & 0x20) !== 0).toBe(true);
    }
    const empty = await transformAll(new ZstdFramedCompress(3), Buffer.alloc(0));
    expect(frames(empty)).toHaveLength(1);
    expect(zlib.zstdDecompressSync(empty).length).toBe(0);
  });

  it('holds at most `lanes` frames in flight while the reader is slow, and none after destroy', async () => {
    const frameBytes = 128 * 1024;
    const compress = new ZstdFramedCompress(3, { lanes: 2, frameBytes });
    let fed = 0;
    const source = new Readable({
      read() {
        fed += frameBytes;
        this.push(fed > 64 * frameBytes ? null : mixed(frameBytes));
      },
    });
    let received = 0;
    const slowSink = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        received += 1;
        setTimeout(callback, 20);
      },
    });
    const flow = pipeline(source, compress, slowSink);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Input taken so far = frames written out + queued in the streams' buffers + in flight:
    // bounded, however much the source could give.
    const taken = Math.floor(fed / frameBytes);
    expect(taken).toBeLessThan(received + 12);
    compress.destroy(new Error('stop'));
    await expect(flow).rejects.toThrow('stop');
    const after = received;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toBe(after);
  });
  it('compresses whole pooled frames where they are and gives them back to the pool once compressed', async () => {
    const data = mixed(3 * FRAME_BYTES + 1000);
    // As the dump reader hands them over: pooled 1 MiB frames, then a shorter last piece.
    const inputs: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const frame = acquireFrame();
      data.copy(frame, 0, i * FRAME_BYTES, (i + 1) * FRAME_BYTES);
      inputs.push(frame);
    }
    const tail = data.subarray(3 * FRAME_BYTES);
    const out: Buffer[] = [];
    await pipeline(Readable.from([...inputs, tail]), new ZstdFramedCompress(3), new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
    const packed = Buffer.concat(out);
    expect(zlib.zstdDecompressSync(packed).equals(data)).toBe(true);
    expect(frames(packed).map((f) => zlib.zstdDecompressSync(f).length)).toEqual([FRAME_BYTES, FRAME_BYTES, FRAME_BYTES, 1000]);
    // Each input frame came back: the pool hands them out again instead of new buffers (with
    // the compressor's own frame for the tail, and whatever earlier tests gave back).
    const again = Array.from({ length: 16 }, () => acquireFrame());
    for (const frame of inputs) expect(again).toContain(frame);
    for (const frame of again) releaseFrame(frame);
  });

  it('copies a pooled frame that does not start a frame, and leaves it to the GC', async () => {
    const data = mixed(FRAME_BYTES + 10);
    const frame = acquireFrame();
    data.copy(frame, 0, 10);
    const out: Buffer[] = [];
    await pipeline(Readable.from([data.subarray(0, 10), frame]), new ZstdFramedCompress(3), new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
    expect(zlib.zstdDecompressSync(Buffer.concat(out)).equals(data)).toBe(true);
    // Not compressed in place, so never given back: the next frames handed out are others.
    const next = Array.from({ length: 20 }, () => acquireFrame());
    expect(next).not.toContain(frame);
    expect(isPooledFrame(frame)).toBe(true);
    for (const f of next) releaseFrame(f);
  });
});
