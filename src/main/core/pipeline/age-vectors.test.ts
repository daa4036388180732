import { createHash } from 'node:crypto';
import { generateIdentity } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import type { AgeDecryptKeys, DecryptFailure } from './age-stream';
import { createAgeDecryptStream } from './age-stream';
import { loadAgeVectors, type AgeVector, type VectorExpectation } from './testing/cctv-vectors';
import { runTransform } from './testing/stream-harness';

const vectors = loadAgeVectors();
const binary = vectors.filter((v) => !v.armored);
const armored = vectors.filter((v) => v.armored);

/** Which of our failure reasons are a faithful reading of each expectation of the test kit. */
const REASONS: Record<Exclude<VectorExpectation, 'success'>, DecryptFailure[]> = {
  'no match': ['no-match'],
  'HMAC failure': ['header-mac'],
  'header failure': ['malformed-header', 'not-age', 'truncated'],
  'payload failure': ['truncated', 'modified', 'appended'],
  'armor failure': ['armored', 'not-age'],
};

/** Every way the vector says it may be opened; a vector with no key still gets a (wrong) one. */
async function keySets(vector: AgeVector): Promise<AgeDecryptKeys[]> {
  const sets: AgeDecryptKeys[] = vector.passphrases.map((passphrase) => ({ passphrase }));
  if (vector.identities.length > 0) sets.unshift({ identities: vector.identities });
  if (sets.length === 0) sets.push({ identities: [await generateIdentity()] });
  return sets;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

// Each binary vector runs with both payload ciphers (node:crypto and the pure-JS fallback).
describe('C2SP age test vectors (cctv-age)', () => {
  it('covers the whole kit: binary vectors are run, armored ones are refused and counted', () => {
    expect(vectors).toHaveLength(143);
    expect(binary).toHaveLength(110);
    expect(armored).toHaveLength(33);
    expect(binary.filter((v) => v.expect === 'success')).toHaveLength(19);
    expect(armored.filter((v) => v.expect === 'success')).toHaveLength(7);
  });

  it.each(binary.map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
    const attempts = (await keySets(vector)).flatMap((keys) => (['auto', 'noble'] as const).map((payloadCipher) => ({ keys, payloadCipher })));
    for (const { keys, payloadCipher } of attempts) {
      // Odd slices so chunk and header boundaries never line up with reads.
      const { output, error } = await runTransform(createAgeDecryptStream(keys, { payloadCipher }), vector.file, 4099);
      if (vector.expect === 'success') {
        expect(error).toBeNull();
        expect(sha256(output)).toBe(vector.payloadSha256);
        continue;
      }
      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expect(appError.code).toBe('DECRYPT_FAILED');
      expect(REASONS[vector.expect]).toContain(appError.details?.reason);
      // Only authenticated plaintext may have been released before the failure.
      expect(sha256(output)).toBe(vector.payloadSha256 ?? sha256(Buffer.alloc(0)));
    }
  });

  it('refuses every ASCII-armored vector with an error that says so', async () => {
    let refusedAsArmored = 0;
    for (const vector of armored) {
      const keys = (await keySets(vector))[0]!;
      const { output, error } = await runTransform(createAgeDecryptStream(keys), vector.file);
      expect(output).toHaveLength(0);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('DECRYPT_FAILED');
      if ((error as AppError).details?.reason === 'armored') {
        expect((error as AppError).message).toMatch(/ASCII-armored/);
        refusedAsArmored += 1;
      }
    }
    // The other 4 do not start like an armored file (garbage before it, lowercase, spaces, wrong type)
    // and fail as "not an age file"; every armored success vector is refused as armored.
    expect(refusedAsArmored).toBe(29);
    expect(armored.filter((v) => v.expect === 'success').every((v) => v.file.toString('latin1').trimStart().startsWith('-----BEGIN AGE ENCRYPTED FILE-----'))).toBe(true);
  });
});
