import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createBatchStream } from './batch-stream';
import { sliced } from './testing/stream-harness';

async function chunksOf(input: Buffer, pieceSize: number, bytes: number, coalesceReads = false): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  await pipeline(sliced(input, pieceSize), createBatchStream({ bytes, coalesceReads }), sink);
  return out;
}

describe('createBatchStream', () => {
  it('gathers small pieces into chunks of at least the batch size, the last one shorter, bytes unchanged', async () => {
    const input = randomBytes(1_000_000);
    const out = await chunksOf(input, 4093, 100_000);
    expect(Buffer.concat(out).equals(input)).toBe(true);
    for (const chunk of out.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(100_000);
      expect(chunk.length).toBeLessThan(100_000 + 4093);
    }
    expect(out.at(-1)!.length).toBeLessThanOrEqual(100_000 + 4093);
    expect(out.length).toBe(Math.ceil(1_000_000 / (Math.ceil(100_000 / 4093) * 4093)));
  });

  it('passes an empty stream through as nothing, and a short one as one chunk', async () => {
    expect(await chunksOf(Buffer.alloc(0), 10, 1000)).toEqual([]);
    const short = await chunksOf(Buffer.from('0123456789'), 3, 1000);
    expect(short.map((c) => c.toString())).toEqual(['0123456789']);
  });

  it('gives the same bytes with read coalescing on (a worker-only pause between short reads)', async () => {
    const input = randomBytes(300_000);
    const out = await chunksOf(input, 5000, 64 * 1024, true);
    expect(Buffer.concat(out).equals(input)).toBe(true);
  });
});
