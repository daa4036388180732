import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { probeCommand, shouldSkip } from '../testing/services';
import { compressionExtension, createCompressStream, createDecompressStream, type Compression } from './compress';
import { runTransform, transformAll } from './testing/stream-harness';

/**
 * Looks like a SQL dump: repetitive text with some noise, so levels make a difference. The noise
 * is the same every run: a few bits of a zstd stream are never read (bitstream padding), so with
 * random noise a flip in the damage test below would now and then land on one and change nothing.
 */
function dumpLike(bytes: number): Buffer {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const noise = createHash('sha256').update(String(i)).digest('hex').slice(0, 12);
    const row = `INSERT INTO public.orders (id, customer, note) VALUES (${i}, 'customer-${i % 977}', '${noise}');\n`;
    rows.push(row);
    size += row.length;
  }
  return Buffer.from(rows.join('')).subarray(0, bytes);
}

const SAMPLE = dumpLike(3 * 1024 * 1024 + 123);
/** For the slow high levels (zstd 19 runs at a few MB/s). */
const SMALL_SAMPLE = SAMPLE.subarray(0, 1024 * 1024);
const KINDS: Compression[] = ['zstd', 'gzip', 'none'];

describe('compression streams', () => {
  it.each(KINDS)('%s round-trips empty, tiny and multi-MiB inputs', async (kind) => {
    for (const input of [Buffer.alloc(0), Buffer.from('x'), randomBytes(70_000), SAMPLE]) {
      const packed = await transformAll(createCompressStream(kind), input, 10_007);
      expect((await transformAll(createDecompressStream(kind), packed, 4093)).equals(input)).toBe(true);
    }
  });

  it('names the extension each kind adds', () => {
    expect(compressionExtension('zstd')).toBe('zst');
    expect(compressionExtension('gzip')).toBe('gz');
    expect(compressionExtension('none')).toBeNull();
  });

  it('applies the level: zstd 19 and gzip 9 are smaller than level 1', async () => {
    const size = async (kind: Compression, level: number): Promise<number> => (await transformAll(createCompressStream(kind, level), SMALL_SAMPLE)).length;
    const [z1, z19, g1, g9] = await Promise.all([size('zstd', 1), size('zstd', 19), size('gzip', 1), size('gzip', 9)]);
    expect(z19).toBeLessThan(z1 * 0.9);
    expect(g9).toBeLessThan(g1);
  });

  it('refuses levels outside each format and unknown kinds', () => {
    for (const [kind, level] of [['zstd', 0], ['zstd', 23], ['gzip', 10], ['gzip', 2.5]] as const) {
      expect(() => createCompressStream(kind, level)).toThrow(AppError);
      expect(() => createCompressStream(kind, level)).toThrow(/compression level must be a whole number/);
    }
    expect(() => createCompressStream('lz4' as Compression)).toThrow(/Unknown compression "lz4"/);
  });

  it('fails with INTEGRITY_FAILED on damaged or truncated input instead of ending cleanly', async () => {
    for (const kind of ['zstd', 'gzip'] as const) {
      const packed = await transformAll(createCompressStream(kind), SAMPLE);
      const cuts = [1, 4, 9, 3000, packed.length - 20];
      const flips = Array.from({ length: 24 }, (_, i) => 20 + Math.floor(((packed.length - 21) * i) / 23));
      const variants = [
        ...cuts.map((cut) => packed.subarray(0, packed.length - cut)),
        ...flips.map((at) => {
          const damaged = Buffer.from(packed);
          damaged[at]! ^= 0x10;
          return damaged;
        }),
        Buffer.alloc(0),
        Buffer.from('plain text, not compressed at all'),
      ];
      for (const variant of variants) {
        // Bytes already released may even be right (a cut checksum): what matters is the error at the end.
        const { error } = await runTransform(createDecompressStream(kind), variant, 8191);
        expect(error, `${kind} variant of ${variant.length} bytes`).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('INTEGRITY_FAILED');
      }
    }
  });

  it('zstd reads concatenated and skippable frames whole, even when one read holds several frames', async () => {
    const a = await transformAll(createCompressStream('zstd'), SAMPLE.subarray(0, 100_000));
    const b = await transformAll(createCompressStream('zstd', 9), SAMPLE.subarray(100_000));
    const skippable = Buffer.concat([Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('vault')]);
    const joined = Buffer.concat([skippable, a, b]);
    for (const piece of [joined.length, 65536, 997]) {
      expect((await transformAll(createDecompressStream('zstd'), joined, piece)).equals(SAMPLE)).toBe(true);
    }
  });
});

const CLI: Record<'zstd' | 'gzip', string> = { zstd: 'zstd', gzip: 'gzip' };

describe.each(['zstd', 'gzip'] as const)('%s CLI interop', (kind) => {
  const skip = shouldSkip(`${kind} CLI`, probeCommand(CLI[kind], ['--version']));

  it.skipIf(skip)(`the ${kind} CLI decompresses our output, at default and high levels`, async () => {
    for (const [level, input] of [[undefined, SAMPLE], [kind === 'zstd' ? 19 : 9, SMALL_SAMPLE]] as const) {
      const packed = await transformAll(createCompressStream(kind, level), input);
      const unpacked = execFileSync(CLI[kind], ['-d', '-c'], { input: packed, maxBuffer: 64 * 1024 * 1024 });
      expect(unpacked.equals(input)).toBe(true);
    }
  });

  it.skipIf(skip)(`we decompress what the ${kind} CLI writes`, async () => {
    for (const args of [['-c'], ['-c', '-9']]) {
      const packed = execFileSync(CLI[kind], args, { input: SAMPLE, maxBuffer: 64 * 1024 * 1024 });
      expect((await transformAll(createDecompressStream(kind), packed)).equals(SAMPLE)).toBe(true);
    }
  });
});

describe('zstd CLI on frame boundaries', () => {
  it.skipIf(shouldSkip('zstd CLI', probeCommand('zstd', ['--version'])))('agrees that concatenated frames are one stream and a cut frame is an error', async () => {
    const frame = execFileSync('zstd', ['-c'], { input: SAMPLE.subarray(0, 5000) });
    const both = Buffer.concat([frame, frame]);
    const expected = Buffer.concat([SAMPLE.subarray(0, 5000), SAMPLE.subarray(0, 5000)]);
    expect(execFileSync('zstd', ['-dc'], { input: both }).equals(expected)).toBe(true);
    expect((await transformAll(createDecompressStream('zstd'), both)).equals(expected)).toBe(true);
    const cut = frame.subarray(0, frame.length - 4);
    expect(() => execFileSync('zstd', ['-dc'], { input: cut, stdio: ['pipe', 'pipe', 'ignore'] })).toThrow();
    await expect(transformAll(createDecompressStream('zstd'), cut)).rejects.toThrow(/truncated/);
  });
});
