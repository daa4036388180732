import { randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../../shared/ipc/result';
import type { AgeEncryptTarget } from './age-keys';
import { CHUNK_SIZE, derivePayloadKey, PAYLOAD_NONCE_SIZE, SEALED_CHUNK_SIZE, selectChunkCipher, StreamNonce, type ChunkCipher, type PayloadCipherChoice } from './age-payload';
import { sealHeader, type X25519Choice } from './age-seal';

// Encryption only, without age-encryption's module (see age-seal.ts): a backup's worker loads this.
export interface AgeStreamOptions {
  /**
   * Payload cipher: 'auto' (default) uses node:crypto's ChaCha20-Poly1305 when the runtime has
   * it and the pure-JS one otherwise; 'noble' forces the pure-JS path.
   */
  payloadCipher?: PayloadCipherChoice;
  /** Who writes X25519 stanzas when encrypting (age-seal.ts): 'auto' (default) is node:crypto where it has X25519. */
  x25519?: X25519Choice;
}

/** Enough buffering for a couple of sealed chunks each side, so the cipher never waits on I/O. */
export const HIGH_WATER_MARK = 2 * SEALED_CHUNK_SIZE;

export function asAppError(error: unknown, code: 'ENCRYPT_FAILED' | 'DECRYPT_FAILED'): AppError {
  if (error instanceof AppError) return error;
  const what = code === 'ENCRYPT_FAILED' ? 'Encryption' : 'Decryption';
  return new AppError(code, `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Plaintext in, a complete age v1 file out (header, payload nonce, STREAM chunks). Holds at
 * most one 64 KiB chunk: a full chunk is sealed as non-final only once more input arrives,
 * so an input that ends on a chunk boundary ends with a full final chunk, as the spec requires.
 */
class AgeEncryptTransform extends Transform {
  readonly #cipher: ChunkCipher;
  readonly #key: Buffer;
  readonly #nonce = new StreamNonce();
  readonly #staging = Buffer.allocUnsafe(CHUNK_SIZE);
  #used = 0;
  #preamble: Buffer | null;

  constructor(header: Buffer, payloadNonce: Buffer, key: Buffer, cipher: ChunkCipher) {
    super({ readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: HIGH_WATER_MARK });
    this.#preamble = Buffer.concat([header, payloadNonce]);
    this.#key = key;
    this.#cipher = cipher;
  }

  /** Sealed chunks (and the preamble) of the current write, pushed as one buffer by #release. */
  #out: Buffer[] = [];
  #outBytes = 0;

  #add(part: Buffer): void {
    this.#out.push(part);
    this.#outBytes += part.length;
  }

  #seal(plaintext: Buffer, last: boolean): void {
    for (const part of this.#cipher.seal(this.#key, this.#nonce.setLast(last), plaintext)) this.#add(part);
    this.#nonce.advance();
  }

  #pushPreamble(): void {
    if (this.#preamble === null) return;
    this.#add(this.#preamble);
    this.#preamble = null;
  }

  /**
   * One push per write rather than two per 64 KiB chunk (body and tag): every push is a trip
   * through each later stage and, at a file, a write of its own when the writer is idle.
   */
  #release(): void {
    if (this.#out.length === 0) return;
    this.push(this.#out.length === 1 ? this.#out[0] : Buffer.concat(this.#out, this.#outBytes));
    this.#out = [];
    this.#outBytes = 0;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#pushPreamble();
      let offset = 0;
      while (offset < chunk.length) {
        if (this.#used === CHUNK_SIZE) {
          this.#seal(this.#staging, false);
          this.#used = 0;
        }
        if (this.#used === 0 && chunk.length - offset > CHUNK_SIZE) {
          // More input follows this whole chunk, so it is not the last: seal it in place.
          this.#seal(chunk.subarray(offset, offset + CHUNK_SIZE), false);
          offset += CHUNK_SIZE;
          continue;
        }
        const n = Math.min(CHUNK_SIZE - this.#used, chunk.length - offset);
        chunk.copy(this.#staging, this.#used, offset, offset + n);
        this.#used += n;
        offset += n;
      }
      this.#release();
      callback();
    } catch (error) {
      callback(asAppError(error, 'ENCRYPT_FAILED'));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#pushPreamble();
      // Empty input is a single empty final chunk; otherwise the final chunk is never empty.
      this.#seal(this.#staging.subarray(0, this.#used), true);
      this.#release();
      callback();
    } catch (error) {
      callback(asAppError(error, 'ENCRYPT_FAILED'));
    }
  }
}

/**
 * A Transform that encrypts to X25519 recipients (one or more `age1...`) or to one passphrase
 * (scrypt, alone as the spec requires). Async because wrapping the file key is. Errors are
 * AppError: VALIDATION_FAILED for bad recipients or passphrase, ENCRYPT_FAILED otherwise.
 */
export async function createAgeEncryptStream(target: AgeEncryptTarget, options: AgeStreamOptions = {}): Promise<Transform> {
  const cipher = selectChunkCipher(options.payloadCipher);
  const { header, fileKey } = await sealHeader(target, cipher, options.x25519);
  const payloadNonce = randomBytes(PAYLOAD_NONCE_SIZE);
  return new AgeEncryptTransform(header, payloadNonce, derivePayloadKey(fileKey, payloadNonce), cipher);
}
