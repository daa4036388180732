import { scrypt } from 'node:crypto';
// Types only: the library is loaded by the decrypting side (age-header.ts), never for encryption.
import type { Identity, Stanza } from 'age-encryption';
import { AppError } from '../../../shared/ipc/result';
import type { ChunkCipher } from './age-payload';

/** What a file is encrypted to: X25519 recipients, or one passphrase (scrypt must be alone). */
export type AgeEncryptTarget = { recipients: string[] } | { passphrase: string; scryptWorkFactor?: number };

/** What opens a file: identities (`AGE-SECRET-KEY-1...`, or identity-file text) or a passphrase. */
export type AgeDecryptKeys = { identities: string[] } | { passphrase: string };

/** age's own default; the decrypting side (age-encryption) refuses more than 2^20. */
export const DEFAULT_SCRYPT_WORK_FACTOR = 18;
export const MIN_SCRYPT_WORK_FACTOR = 10;
export const MAX_SCRYPT_WORK_FACTOR = 20;

const X25519_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
const X25519_IDENTITY = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;
const HYBRID_IDENTITY = /^AGE-SECRET-KEY-PQ-1[02-9AC-HJ-NP-Z]+$/;

/**
 * Trimmed, de-duplicated X25519 recipients. Post-quantum, tag, plugin and SSH recipients are
 * refused: the promise is that any standard `age` (1.1+) or `rage` decrypts what we write.
 */
export function normalizeRecipients(recipients: readonly string[]): string[] {
  const out = [...new Set(recipients.map((r) => r.trim()).filter((r) => r.length > 0))];
  if (out.length === 0) throw new AppError('VALIDATION_FAILED', 'Encryption needs at least one age recipient (age1...).');
  for (const [index, r] of out.entries()) {
    if (X25519_RECIPIENT.test(r)) continue;
    if (/^age-secret-key-/i.test(r)) {
      throw new AppError('VALIDATION_FAILED', 'A secret key was given where a recipient (public key, age1...) is expected; use `age-keygen -y` to get its recipient.');
    }
    const kind = /^age1(pq|tag|tagpq)1/.test(r)
      ? 'a post-quantum or tag recipient, which age 1.1 cannot decrypt'
      : r.startsWith('ssh-')
        ? 'an SSH key'
        : /^age1[a-z0-9]+1/.test(r)
          ? 'a plugin recipient'
          : 'not a valid X25519 recipient';
    // Quote only what looks like a public key: a mistyped field may hold a secret.
    const shown = /^(age1|ssh-)/.test(r) ? ` "${r.length > 80 ? `${r.slice(0, 77)}...` : r}"` : '';
    throw new AppError('VALIDATION_FAILED', `Recipient ${index + 1}${shown} is ${kind}. Vaultdesk encrypts to X25519 age recipients (age1 followed by 58 characters).`);
  }
  return out;
}

/**
 * The identities in an age identity file (or a single key): one per line, `#` comments and
 * blank lines ignored. Secrets are never quoted in errors, only line numbers.
 */
export function parseIdentityFile(text: string): string[] {
  const identities: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (X25519_IDENTITY.test(line) || HYBRID_IDENTITY.test(line)) {
      identities.push(line);
      continue;
    }
    const what = line.startsWith('age1')
      ? 'is a recipient (public key); decryption needs the secret key (AGE-SECRET-KEY-1...)'
      : line.startsWith('AGE-PLUGIN-')
        ? 'is an age plugin identity, which Vaultdesk does not support'
        : line.startsWith('-----BEGIN')
          ? 'is a PEM/SSH key, which Vaultdesk does not support'
          : 'is not an age identity (AGE-SECRET-KEY-1...)';
    throw new AppError('VALIDATION_FAILED', `Identity line ${index + 1} ${what}.`);
  }
  if (identities.length === 0) throw new AppError('VALIDATION_FAILED', 'No age identity (AGE-SECRET-KEY-1...) was found in the identity text.');
  return identities;
}

export function checkScryptWorkFactor(logN: number): number {
  if (!Number.isInteger(logN) || logN < MIN_SCRYPT_WORK_FACTOR || logN > MAX_SCRYPT_WORK_FACTOR) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The scrypt work factor must be a whole number from ${MIN_SCRYPT_WORK_FACTOR} to ${MAX_SCRYPT_WORK_FACTOR} (got ${String(logN)}).`,
    );
  }
  return logN;
}

export const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';

export function base64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

export function scryptAsync(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  // Node's default maxmem (32 MiB) stops at N = 2^14; scrypt needs 128 * N * r bytes.
  const maxmem = 128 * N * 8 + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, 32, { N, r: 8, p: 1, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Canonical unpadded base64, as age writes it; anything else is refused, as age-encryption does. */
function strictBase64NoPad(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return base64NoPad(bytes) === text ? bytes : null;
}

/**
 * The age scrypt identity, as the library's own (the same checks, in the same order), but with
 * scrypt on libuv's pool: the library's pure-JS scrypt holds the event loop for a second or more
 * at age's default work factor, which in the app's main process or `serve` freezes every window.
 */
export class NodeScryptIdentity implements Identity {
  readonly #passphrase: string;
  readonly #cipher: ChunkCipher;

  constructor(passphrase: string, cipher: ChunkCipher) {
    if (passphrase.length === 0) throw new AppError('VALIDATION_FAILED', 'The passphrase must not be empty.');
    this.#passphrase = passphrase;
    this.#cipher = cipher;
  }

  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    for (const s of stanzas) {
      if (s.args.length < 1 || s.args[0] !== 'scrypt') continue;
      if (stanzas.length !== 1) throw new Error('scrypt recipient is not the only one in the header');
      if (s.args.length !== 3 || !/^[1-9][0-9]*$/.test(s.args[2]!)) throw new Error('invalid scrypt stanza');
      const salt = strictBase64NoPad(s.args[1]!);
      if (salt === null || salt.length !== 16) throw new Error('invalid scrypt stanza');
      const logN = Number(s.args[2]);
      if (logN > MAX_SCRYPT_WORK_FACTOR) throw new Error('scrypt work factor is too high');
      if (s.body.length !== 32) throw new Error('invalid stanza');
      const key = await scryptAsync(this.#passphrase, Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), logN);
      const fileKey = this.#cipher.open(key, Buffer.alloc(12), s.body);
      if (fileKey !== null) return fileKey;
    }
    return null;
  }
}
