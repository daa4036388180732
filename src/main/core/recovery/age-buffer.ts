import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createAgeDecryptStream, createAgeEncryptStream, type AgeDecryptKeys, type AgeEncryptTarget } from '../pipeline/age-stream';

/** A small age file (a canary, a wrapped identity) made in memory with the same code as backups. */
export async function ageEncryptBuffer(target: AgeEncryptTarget, plaintext: Uint8Array): Promise<Buffer> {
  return buffer(Readable.from([Buffer.from(plaintext)]).pipe(await createAgeEncryptStream(target)));
}

/** The plaintext of a small age file, authenticated to its end; failures are the stream's AppErrors. */
export async function ageDecryptBuffer(keys: AgeDecryptKeys, file: Uint8Array): Promise<Buffer> {
  const decrypt = createAgeDecryptStream(keys);
  const source = Readable.from([Buffer.from(file)]);
  source.on('error', (error) => decrypt.destroy(error));
  return buffer(source.pipe(decrypt));
}
