import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/ipc/result';

const VERSION = 'v1';
const CHECK_LABEL = 'vaultdesk master key check v1';
const FINGERPRINT_LABEL = 'vaultdesk master key fingerprint v1';

/**
 * AES-256-GCM under the master key. A sealed value is `v1:iv:tag:ciphertext` (base64 parts);
 * the associated data binds it to its row, so a ciphertext copied into another row fails.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new AppError('MASTER_KEY_UNAVAILABLE', 'The master key must be 32 bytes.');
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  /** Throws SECRET_CORRUPT: callers check the key first, so a failure here means damaged data. */
  open(sealed: string, aad: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new AppError('SECRET_CORRUPT', `A stored secret (${aad}) is not in a format this version understands.`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(parts[1]!, 'base64'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(parts[2]!, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError(
        'SECRET_CORRUPT',
        `A stored secret (${aad}) is damaged and cannot be decrypted, although the master key is right. Re-enter that credential.`,
      );
    }
  }

  checkValue(): string {
    return keyCheckValue(this.#key);
  }
}

/** HMAC of a fixed label: tells a wrong key from corrupt data without revealing the key. */
export function keyCheckValue(key: Buffer): string {
  return createHmac('sha256', key).update(CHECK_LABEL).digest('hex');
}

export function checkValueMatches(key: Buffer, stored: string): boolean {
  const a = Buffer.from(keyCheckValue(key), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A short, shareable fingerprint of a key: the first 16 bytes of a labelled SHA-256, hex pairs. */
export function keyFingerprint(key: Buffer): string {
  const digest = createHash('sha256').update(FINGERPRINT_LABEL).update(key).digest('hex').slice(0, 32);
  return digest.match(/../g)!.join(':');
}
