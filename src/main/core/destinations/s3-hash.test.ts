import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OffThreadSha256 } from './s3-hash';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('OffThreadSha256', () => {
  it('gives SHA-256 for small and large bodies, in one piece or several', async () => {
    const large = randomBytes(3 * 1024 * 1024 + 7);
    for (const pieces of [[Buffer.alloc(0)], [Buffer.from('abc')], [large], [large.subarray(0, 1000), large.subarray(1000)]]) {
      const hash = new OffThreadSha256();
      for (const piece of pieces) hash.update(piece);
      expect(hex(await hash.digest())).toBe(createHash('sha256').update(Buffer.concat(pieces)).digest('hex'));
    }
    const text = new OffThreadSha256();
    text.update('abc');
    expect(hex(await text.digest())).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives HMAC-SHA256 when made with a secret, and starts over after reset', async () => {
    const hmac = new OffThreadSha256('key');
    hmac.update('The quick brown fox jumps over the lazy dog');
    expect(hex(await hmac.digest())).toBe('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
    hmac.reset();
    hmac.update(new Uint8Array([1, 2, 3]));
    expect(hex(await hmac.digest())).toBe(createHmac('sha256', 'key').update(Buffer.from([1, 2, 3])).digest('hex'));
  });
});
