import { createHash, createHmac, webcrypto } from 'node:crypto';

/** What the SDK hashes (@smithy/types SourceData). */
type SourceData = string | ArrayBuffer | ArrayBufferView;

/** Below this, hashing on the calling thread costs less than a trip to the threadpool. */
const OFFLOAD_BYTES = 256 * 1024;

function bytesOf(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * SHA-256 for the S3 client's request signing, computed on the threadpool for large bodies.
 * SigV4 hashes every part's body (16 MiB by default) on the thread that sends it: in the
 * backup worker that is the thread that also reads the dump, encrypts and hashes the stream. crypto.subtle.digest runs on libuv's threadpool.
 * HMACs (the signing key and signature, a few bytes each) stay synchronous.
 */
export class OffThreadSha256 {
  readonly digestLength = 32;
  readonly #secret: Buffer | null;
  #parts: Buffer[] = [];
  #bytes = 0;

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? null : bytesOf(secret);
  }

  update(chunk: SourceData): void {
    const bytes = bytesOf(chunk);
    this.#parts.push(bytes);
    this.#bytes += bytes.length;
  }

  async digest(): Promise<Uint8Array> {
    if (this.#secret !== null || this.#bytes < OFFLOAD_BYTES) {
      const hash = this.#secret !== null ? createHmac('sha256', this.#secret) : createHash('sha256');
      for (const part of this.#parts) hash.update(part);
      return new Uint8Array(hash.digest());
    }
    const data = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#bytes);
    return new Uint8Array(await webcrypto.subtle.digest('SHA-256', data));
  }

  reset(): void {
    this.#parts = [];
    this.#bytes = 0;
  }
}
