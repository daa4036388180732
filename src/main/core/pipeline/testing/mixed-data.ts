import { randomBytes } from 'node:crypto';

/**
 * Text and random bytes in alternating runs: cut into frames, some frames take much longer to
 * compress or decompress than others, so frames worked on at once finish out of order.
 */
export function mixed(bytes: number): Buffer {
  const parts: Buffer[] = [];
  for (let size = 0, i = 0; size < bytes; i += 1) {
    const part = i % 3 === 2 ? randomBytes(40_000) : Buffer.from(`row ${i}\t${'customer asked for gift wrap '.repeat(800)}\n`);
    parts.push(part);
    size += part.length;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}
