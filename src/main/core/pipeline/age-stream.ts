import { Transform, type TransformCallback } from 'node:stream';
import { checkMagic, decryptFailed, findHeaderEnd, headerOpener, MAX_HEADER_SIZE, type HeaderOpener } from './age-header';
import type { AgeDecryptKeys } from './age-keys';
import { asAppError, HIGH_WATER_MARK, type AgeStreamOptions } from './age-encrypt-stream';
import { derivePayloadKey, PAYLOAD_NONCE_SIZE, SEALED_CHUNK_SIZE, selectChunkCipher, StreamNonce, TAG_SIZE, type ChunkCipher } from './age-payload';

export type { AgeDecryptKeys, AgeEncryptTarget } from './age-keys';
export { parseIdentityFile } from './age-keys';
export type { DecryptFailure } from './age-header';
export { createAgeEncryptStream, type AgeStreamOptions } from './age-encrypt-stream';

type Phase = 'header' | 'nonce' | 'payload';

/**
 * An age v1 file in, plaintext out. Only authenticated chunks are pushed, and at most one
 * sealed chunk is buffered. A stream that ends without an authenticated final chunk errors,
 * so a consumer must treat an error as "everything released so far is incomplete".
 */
class AgeDecryptTransform extends Transform {
  readonly #opener: HeaderOpener;
  readonly #cipher: ChunkCipher;
  readonly #nonce = new StreamNonce();
  readonly #staging = Buffer.allocUnsafe(SEALED_CHUNK_SIZE);
  #phase: Phase = 'header';
  #preamble: Buffer = Buffer.alloc(0);
  #fileKey: Buffer | null = null;
  #key: Buffer | null = null;
  #used = 0;
  /** A chunk flagged final was released: nothing may follow it. */
  #done = false;

  constructor(opener: HeaderOpener, cipher: ChunkCipher) {
    super({ readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: HIGH_WATER_MARK });
    this.#opener = opener;
    this.#cipher = cipher;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#phase === 'payload') {
      try {
        this.#consumePayload(chunk);
        callback();
      } catch (error) {
        callback(asAppError(error, 'DECRYPT_FAILED'));
      }
      return;
    }
    this.#consumePreamble(chunk).then(
      () => callback(),
      (error: unknown) => callback(asAppError(error, 'DECRYPT_FAILED')),
    );
  }

  async #consumePreamble(chunk: Buffer): Promise<void> {
    this.#preamble = this.#preamble.length === 0 ? chunk : Buffer.concat([this.#preamble, chunk]);
    if (this.#phase === 'header') {
      if (!checkMagic(this.#preamble, false)) return;
      const end = findHeaderEnd(this.#preamble);
      if (end < 0) {
        if (this.#preamble.length > MAX_HEADER_SIZE) {
          throw decryptFailed('malformed-header', 'The age header is damaged: no end of header in the first 1 MiB.');
        }
        return;
      }
      this.#fileKey = await this.#opener.open(this.#preamble.subarray(0, end));
      this.#preamble = this.#preamble.subarray(end);
      this.#phase = 'nonce';
    }
    if (this.#preamble.length < PAYLOAD_NONCE_SIZE || this.#fileKey === null) return;
    this.#key = derivePayloadKey(this.#fileKey, this.#preamble.subarray(0, PAYLOAD_NONCE_SIZE));
    this.#fileKey = null;
    const rest = this.#preamble.subarray(PAYLOAD_NONCE_SIZE);
    this.#preamble = Buffer.alloc(0);
    this.#phase = 'payload';
    this.#consumePayload(rest);
  }

  #consumePayload(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#done) throw decryptFailed('appended', 'The file has data appended after the end of its encrypted payload: it was modified.');
      if (this.#used === 0 && chunk.length - offset >= SEALED_CHUNK_SIZE) {
        this.#openFull(chunk.subarray(offset, offset + SEALED_CHUNK_SIZE));
        offset += SEALED_CHUNK_SIZE;
        continue;
      }
      const n = Math.min(SEALED_CHUNK_SIZE - this.#used, chunk.length - offset);
      chunk.copy(this.#staging, this.#used, offset, offset + n);
      this.#used += n;
      offset += n;
      if (this.#used === SEALED_CHUNK_SIZE) {
        this.#openFull(this.#staging);
        this.#used = 0;
      }
    }
  }

  #open(sealed: Buffer, last: boolean): Buffer | null {
    return this.#cipher.open(this.#key!, this.#nonce.setLast(last), sealed);
  }

  /**
   * A full-size chunk is released as soon as it authenticates, as age does: as a middle chunk,
   * or else as a full final chunk, after which any further byte is an error.
   */
  #openFull(sealed: Buffer): void {
    let plaintext = this.#open(sealed, false);
    if (plaintext === null) {
      plaintext = this.#open(sealed, true);
      if (plaintext === null) {
        throw decryptFailed('modified', `The file was modified (authentication failed at payload chunk ${this.#nonce.counter + 1}).`);
      }
      this.#done = true;
    }
    this.push(plaintext);
    this.#nonce.advance();
  }

  /** At end of input: what is left is a short final chunk, or nothing after a full final one. */
  #finish(): void {
    if (this.#done) return;
    if (this.#used === 0) {
      throw decryptFailed(
        'truncated',
        this.#nonce.counter === 0
          ? 'The file is truncated: it ends before its encrypted payload.'
          : 'The file is truncated: its final chunk is missing.',
      );
    }
    const plaintext = this.#used < TAG_SIZE ? null : this.#open(this.#staging.subarray(0, this.#used), true);
    if (plaintext === null) {
      // Cut short is the usual cause (an interrupted copy); the bytes cannot tell it from the rest.
      throw decryptFailed(
        'truncated',
        'The end of the file is damaged: it was truncated, has data appended, or its last chunk was modified (the final chunk does not authenticate).',
      );
    }
    if (plaintext.length === 0 && this.#nonce.counter > 0) {
      throw decryptFailed('modified', 'The file ends with an empty chunk, which age never writes: it was modified.');
    }
    this.push(plaintext);
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.#phase === 'header') {
        if (this.#preamble.length === 0) throw decryptFailed('truncated', 'The file is empty.');
        checkMagic(this.#preamble, true);
        throw decryptFailed('truncated', 'The file is truncated: it ends inside the age header.');
      }
      if (this.#phase === 'nonce') throw decryptFailed('truncated', 'The file is truncated: it ends right after the age header.');
      this.#finish();
      callback();
    } catch (error) {
      callback(asAppError(error, 'DECRYPT_FAILED'));
    }
  }
}

/**
 * A Transform that decrypts an age v1 binary file with identities (`AGE-SECRET-KEY-1...` or
 * identity-file text; hybrid `AGE-SECRET-KEY-PQ-1...` too) or a passphrase. Invalid keys throw
 * VALIDATION_FAILED here; every failure of the file itself is emitted as an AppError with code
 * DECRYPT_FAILED and `details.reason` (see DecryptFailure). ASCII-armored files are refused.
 */
export function createAgeDecryptStream(keys: AgeDecryptKeys, options: AgeStreamOptions = {}): Transform {
  return new AgeDecryptTransform(headerOpener(keys), selectChunkCipher(options.payloadCipher));
}
