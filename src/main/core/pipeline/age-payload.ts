import { createCipheriv, createDecipheriv, getCiphers, hkdfSync } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

/** age v1 STREAM parameters (C2SP age spec, "Payload"). */
export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const PAYLOAD_NONCE_SIZE = 16;

const AEAD = 'chacha20-poly1305';

export type PayloadCipherChoice = 'auto' | 'node' | 'noble';

/**
 * One ChaCha20-Poly1305 seal/open per STREAM chunk. Two implementations: node:crypto (OpenSSL,
 * ~10x faster) and @noble/ciphers (pure JS, the same code age-encryption uses) for runtimes
 * whose OpenSSL lacks the cipher.
 */
export interface ChunkCipher {
  readonly name: 'node' | 'noble';
  /** Ciphertext followed by the tag; returned as parts so callers can push them without a copy. */
  seal(key: Buffer, nonce: Buffer, plaintext: Uint8Array): Buffer[];
  /** The plaintext, or null when authentication fails. Never returns unauthenticated bytes. */
  open(key: Buffer, nonce: Buffer, sealed: Uint8Array): Buffer | null;
}

const nodeCipher: ChunkCipher = {
  name: 'node',
  seal(key, nonce, plaintext) {
    const cipher = createCipheriv(AEAD, key, nonce, { authTagLength: TAG_SIZE });
    const body = cipher.update(plaintext);
    cipher.final();
    return [body, cipher.getAuthTag()];
  },
  open(key, nonce, sealed) {
    if (sealed.length < TAG_SIZE) return null;
    const split = sealed.length - TAG_SIZE;
    const decipher = createDecipheriv(AEAD, key, nonce, { authTagLength: TAG_SIZE });
    decipher.setAuthTag(sealed.subarray(split));
    // update() releases bytes before the tag is checked: they only leave this function after final().
    const plaintext = decipher.update(sealed.subarray(0, split));
    try {
      decipher.final();
    } catch {
      return null;
    }
    return plaintext;
  },
};

const nobleCipher: ChunkCipher = {
  name: 'noble',
  seal(key, nonce, plaintext) {
    const sealed = chacha20poly1305(key, nonce).encrypt(plaintext);
    return [Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)];
  },
  open(key, nonce, sealed) {
    if (sealed.length < TAG_SIZE) return null;
    try {
      const plaintext = chacha20poly1305(key, nonce).decrypt(sealed);
      return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
    } catch {
      return null;
    }
  },
};

let nodeHasAead: boolean | undefined;

/** node:crypto when its OpenSSL offers ChaCha20-Poly1305, else the pure-JS fallback. */
export function selectChunkCipher(choice: PayloadCipherChoice = 'auto'): ChunkCipher {
  if (choice === 'noble') return nobleCipher;
  nodeHasAead ??= getCiphers().includes(AEAD);
  if (choice === 'node' && !nodeHasAead) throw new Error(`node:crypto does not offer ${AEAD} in this runtime`);
  return nodeHasAead ? nodeCipher : nobleCipher;
}

/** payload key = HKDF-SHA256(ikm = file key, salt = payload nonce, info = "payload"). */
export function derivePayloadKey(fileKey: Uint8Array, payloadNonce: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', fileKey, payloadNonce, 'payload', 32));
}

/** Largest counter we write: 2^48 chunks of 64 KiB is 16 EiB, far beyond any dump. */
const MAX_COUNTER = 2 ** 48 - 1;

/**
 * The 12-byte STREAM nonce: an 11-byte big-endian chunk counter and a last-chunk flag byte.
 * The top 5 counter bytes stay zero (see MAX_COUNTER).
 */
export class StreamNonce {
  readonly bytes = Buffer.alloc(12);
  #counter = 0;

  get counter(): number {
    return this.#counter;
  }

  setLast(last: boolean): Buffer {
    this.bytes[11] = last ? 1 : 0;
    return this.bytes;
  }

  advance(): void {
    if (this.#counter >= MAX_COUNTER) throw new Error('age STREAM chunk counter overflow');
    this.#counter += 1;
    this.bytes.writeUIntBE(this.#counter, 5, 6);
  }
}
