import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { probeCommand, shouldSkip } from '../testing/services';
import { createDecompressStream } from './compress';
import { ZstdFramedCompress } from './compress-zstd-framed';
import { readFrameHead } from './compress-zstd-unframe';
import { mixed } from './testing/mixed-data';
import { runTransform, transformAll } from './testing/stream-harness';

const INPUT = mixed(3 * 1024 * 1024 + 4321);

describe('zstd decompression, several frames at once', () => {
  it('puts many small frames back in order, however the input is cut', async () => {
    const packed = await transformAll(new ZstdFramedCompress(3, { frameBytes: 48 * 1024 }), INPUT);
    for (const piece of [packed.length, 65_536, 4093, 7]) {
      expect((await transformAll(createDecompressStream('zstd'), packed, piece)).equals(INPUT), `pieces of ${piece}`).toBe(true);
    }
  });

  it('two streams at once, with backup-sized frames, each get their own bytes back (the buffers frames are gathered in are shared and reused)', async () => {
    const a = mixed(6 * 1024 * 1024 + 17);
    const b = Buffer.from(a).reverse();
    const [packedA, packedB] = await Promise.all([transformAll(new ZstdFramedCompress(3), a), transformAll(new ZstdFramedCompress(3), b)]);
    const [outA, outB] = await Promise.all([transformAll(createDecompressStream('zstd'), packedA, 65_552), transformAll(createDecompressStream('zstd'), packedB, 300_001)]);
    expect(outA.equals(a)).toBe(true);
    expect(outB.equals(b)).toBe(true);
  });

  it('streams a frame that states no size or a large one, in its place between frames held whole', async () => {
    const large = mixed(17 * 1024 * 1024);
    const stated = zlib.zstdCompressSync(large);
    expect(readFrameHead(stated)).toEqual({ kind: 'data', contentSize: large.length });
    const small = INPUT.subarray(0, 200_000);
    const ours = await transformAll(new ZstdFramedCompress(3, { frameBytes: 64 * 1024 }), small);
    const joined = Buffer.concat([ours, stated, ours]);
    expect((await transformAll(createDecompressStream('zstd'), joined, 65_536)).equals(Buffer.concat([small, large, small]))).toBe(true);
  });

  it('a frame longer than the size it states is damaged, and is not held to the end', async () => {
    const packed = await transformAll(new ZstdFramedCompress(3), INPUT.subarray(0, 1024 * 1024));
    const head = readFrameHead(packed);
    expect(head).toEqual({ kind: 'data', contentSize: 1024 * 1024 });
    // The backups' frames state their size in 4 bytes after a 5-byte start (single segment, no dictionary).
    const lying = Buffer.from(packed);
    lying.writeUInt32LE(1024, 5);
    const { error } = await runTransform(createDecompressStream('zstd'), lying, 8191);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'INTEGRITY_FAILED', message: 'The zstd data is damaged: a frame is longer than the content it says it holds.' });
  });

  it('reads a frame header only once it is all there', () => {
    const packed = zlib.zstdCompressSync(Buffer.from('x'.repeat(1000)));
    expect(readFrameHead(packed.subarray(0, 3))).toBe('more');
    expect(readFrameHead(packed.subarray(0, 5))).toBe('more');
    expect(readFrameHead(packed)).toEqual({ kind: 'data', contentSize: 1000 });
    expect(readFrameHead(Buffer.from([0x50, 0x2a, 0x4d, 0x18]))).toEqual({ kind: 'skippable' });
  });

  const skip = shouldSkip('zstd CLI', probeCommand('zstd', ['--version']));
  it.skipIf(skip)('streams what the zstd CLI writes from a pipe (one frame, no size stated)', async () => {
    const packed = execFileSync('zstd', ['-c', '-q'], { input: INPUT, maxBuffer: 64 * 1024 * 1024 });
    expect(readFrameHead(packed)).toEqual({ kind: 'data', contentSize: null });
    expect((await transformAll(createDecompressStream('zstd'), packed, 10_007)).equals(INPUT)).toBe(true);
  });
});
