import { inflateSync } from 'node:zlib';
import * as vectors from 'cctv-age';

export type VectorExpectation = 'success' | 'no match' | 'HMAC failure' | 'header failure' | 'payload failure' | 'armor failure';

/** One C2SP age test vector (see node_modules/cctv-age/README.md for the format). */
export interface AgeVector {
  name: string;
  expect: VectorExpectation;
  /** SHA-256 (hex) of all plaintext an implementation may release, even when it then fails. */
  payloadSha256: string | null;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  /** The age file, already inflated when the vector is stored compressed. */
  file: Buffer;
}

function parseVector(name: string, raw: Uint8Array): AgeVector {
  const bytes = Buffer.from(raw);
  const split = bytes.indexOf('\n\n');
  const fields = bytes
    .subarray(0, split)
    .toString('utf8')
    .split('\n')
    .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] as const);
  const all = (key: string): string[] => fields.filter(([k]) => k === key).map(([, v]) => v);
  const body = bytes.subarray(split + 2);
  return {
    name,
    expect: all('expect')[0] as VectorExpectation,
    payloadSha256: all('payload')[0] ?? null,
    identities: all('identity'),
    passphrases: all('passphrase'),
    armored: all('armored')[0] === 'yes',
    file: all('compressed')[0] === 'zlib' ? inflateSync(body) : body,
  };
}

/** Every vector the cctv-age package ships, sorted by name. */
export function loadAgeVectors(): AgeVector[] {
  return Object.entries(vectors as unknown as Record<string, Uint8Array>)
    .filter(([, value]) => value instanceof Uint8Array)
    .map(([name, value]) => parseVector(name, value))
    .sort((a, b) => a.name.localeCompare(b.name));
}
