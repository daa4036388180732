import { createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { bech32 } from '@scure/base';
import { AppError } from '../../../shared/ipc/result';
import type { ChunkCipher } from './age-payload';
import { base64NoPad, checkScryptWorkFactor, DEFAULT_SCRYPT_WORK_FACTOR, normalizeRecipients, SCRYPT_LABEL, scryptAsync, type AgeEncryptTarget } from './age-keys';

export interface SealedHeader {
  header: Buffer;
  fileKey: Buffer;
}

/** Who computes the X25519 stanzas: node:crypto where it has X25519 ('auto'), or age-encryption. */
export type X25519Choice = 'auto' | 'node' | 'library';

const FILE_KEY_SIZE = 16;
const X25519_LABEL = 'age-encryption.org/v1/X25519';
/** Stanza bodies are sealed once under a key of their own: the nonce is all zero (age spec). */
const ZERO_NONCE = Buffer.alloc(12);

interface Stanza {
  args: string[];
  body: Buffer;
}

/**
 * A new file key and the age v1 header that wraps it (C2SP age spec, "Header"), written here with
 * node:crypto. age-encryption's module, with the curves and post-quantum code it carries, takes
 * a fresh pipeline worker longer to load, and its first X25519 in JavaScript longer to run, than
 * the dump tool takes to fill its pipe: the tool then waited (README, Performance). The library
 * still reads every header (age-header.ts) and writes X25519 stanzas where node:crypto has no
 * X25519.
 */
export async function sealHeader(target: AgeEncryptTarget, cipher: ChunkCipher, x25519: X25519Choice = 'auto'): Promise<SealedHeader> {
  if ('passphrase' in target) {
    if (target.passphrase.length === 0) throw new AppError('VALIDATION_FAILED', 'The passphrase must not be empty.');
    const logN = checkScryptWorkFactor(target.scryptWorkFactor ?? DEFAULT_SCRYPT_WORK_FACTOR);
    const fileKey = randomBytes(FILE_KEY_SIZE);
    const salt = randomBytes(16);
    const key = await scryptAsync(target.passphrase, Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), logN);
    return { header: headerOf([{ args: ['scrypt', base64NoPad(salt), String(logN)], body: sealed(cipher, key, fileKey) }], fileKey), fileKey };
  }
  const recipients = normalizeRecipients(target.recipients);
  if (x25519 === 'library' || (x25519 === 'auto' && !nodeHasX25519())) {
    return (await import('./age-header')).sealHeaderWithLibrary(recipients);
  }
  if (!nodeHasX25519()) throw new Error('node:crypto does not offer X25519 in this runtime');
  const keys = recipients.map((recipient) => ({ recipient, key: recipientKey(recipient) }));
  const fileKey = randomBytes(FILE_KEY_SIZE);
  return { header: headerOf(keys.map(({ recipient, key }) => x25519Stanza(recipient, key, fileKey, cipher)), fileKey), fileKey };
}

function sealed(cipher: ChunkCipher, key: Buffer, fileKey: Buffer): Buffer {
  return Buffer.concat(cipher.seal(key, ZERO_NONCE, fileKey));
}

/** The recipient's 32-byte public key, from its bech32 text (normalizeRecipients checked the shape). */
function recipientKey(recipient: string): Buffer {
  try {
    const { prefix, bytes } = bech32.decodeToBytes(recipient);
    if (prefix === 'age' && bytes.length === 32) return Buffer.from(bytes);
  } catch {
    // a checksum that does not match: said below
  }
  throw new AppError('VALIDATION_FAILED', `Recipient "${recipient}" is not a valid age recipient: its checksum is wrong (a typo or a truncated copy?).`);
}

/** age's X25519 recipient stanza: an ephemeral share, and the file key sealed under HKDF(shared secret). */
function x25519Stanza(recipient: string, theirs: Buffer, fileKey: Buffer, cipher: ChunkCipher): Stanza {
  const ephemeral = generateKeyPairSync('x25519');
  const share = rawPublicKey(ephemeral.publicKey);
  let secret: Buffer | null = null;
  try {
    secret = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyOf(theirs) });
  } catch {
    // OpenSSL refuses a low-order point (an all-zero secret): said below, as for a zero secret it returned
  }
  if (secret === null || secret.every((byte) => byte === 0)) {
    throw new AppError('VALIDATION_FAILED', `Recipient "${recipient}" is not a usable X25519 public key (a low-order point): nobody could decrypt a file encrypted to it.`);
  }
  const wrapKey = Buffer.from(hkdfSync('sha256', secret, Buffer.concat([share, theirs]), X25519_LABEL, 32));
  return { args: ['X25519', base64NoPad(share)], body: sealed(cipher, wrapKey, fileKey) };
}

function publicKeyOf(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

/**
 * The header's text: the version line, each stanza (`-> args`, then its body in unpadded base64
 * wrapped at 64 columns, the last line always shorter), and the MAC line: HMAC-SHA256 under
 * HKDF(file key, info "header") of everything up to and including "---".
 */
function headerOf(stanzas: Stanza[], fileKey: Buffer): Buffer {
  let text = 'age-encryption.org/v1\n';
  for (const stanza of stanzas) {
    const body = base64NoPad(stanza.body);
    const lines: string[] = [];
    for (let at = 0; at <= body.length; at += 64) lines.push(body.slice(at, at + 64));
    text += `-> ${stanza.args.join(' ')}\n${lines.join('\n')}\n`;
  }
  text += '---';
  const macKey = Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), 'header', 32));
  const mac = createHmac('sha256', macKey).update(text, 'latin1').digest();
  return Buffer.from(`${text} ${base64NoPad(mac)}\n`, 'latin1');
}

let x25519Available: boolean | undefined;

/** Electron's BoringSSL, or an OpenSSL built without it, may lack what this needs: the library then writes the stanzas. */
function nodeHasX25519(): boolean {
  if (x25519Available === undefined) {
    try {
      const [a, b] = [generateKeyPairSync('x25519'), generateKeyPairSync('x25519')];
      x25519Available = diffieHellman({ privateKey: a.privateKey, publicKey: publicKeyOf(rawPublicKey(b.publicKey)) }).length === 32;
    } catch {
      x25519Available = false;
    }
  }
  return x25519Available;
}
