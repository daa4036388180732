import { randomBytes } from 'node:crypto';
import { bech32 } from '@scure/base';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { createAgeEncryptStream } from './age-encrypt-stream';
import { selectChunkCipher } from './age-payload';
import { sealHeader } from './age-seal';
import { createAgeDecryptStream } from './age-stream';
import { transformAll } from './testing/stream-harness';

let alice: string;
let bob: string;
let aliceR: string;
let bobR: string;

beforeAll(async () => {
  [alice, bob] = await Promise.all([generateIdentity(), generateIdentity()]);
  [aliceR, bobR] = await Promise.all([identityToRecipient(alice), identityToRecipient(bob)]);
});

const STANZA = String.raw`-> X25519 ([A-Za-z0-9+/]{43})\n[A-Za-z0-9+/]{43}\n`;
const TWO_RECIPIENTS = new RegExp(String.raw`^age-encryption\.org/v1\n${STANZA}${STANZA}--- [A-Za-z0-9+/]{43}\n$`);

async function openedBy(identity: string, header: Buffer): Promise<Buffer> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  return Buffer.from(await decrypter.decryptHeader(header));
}

describe('age header sealing', () => {
  it.each(['node', 'library'] as const)('X25519 stanzas written by %s open with age-encryption, each to its own recipient, under a fresh share', async (x25519) => {
    const first = await sealHeader({ recipients: [aliceR, bobR] }, selectChunkCipher(), x25519);
    const second = await sealHeader({ recipients: [aliceR, bobR] }, selectChunkCipher(), x25519);
    const text = first.header.toString('latin1');
    expect(text).toMatch(TWO_RECIPIENTS);
    expect(first.fileKey).toHaveLength(16);
    for (const identity of [alice, bob]) expect((await openedBy(identity, first.header)).equals(first.fileKey)).toBe(true);
    const shares = [text, second.header.toString('latin1')].flatMap((t) => [...t.matchAll(/^-> X25519 (\S+)$/gm)].map((m) => m[1]));
    expect(new Set(shares).size).toBe(4);
    expect(first.fileKey.equals(second.fileKey)).toBe(false);
  });

  it('a header whose MAC or stanza was changed is refused by age-encryption', async () => {
    const { header } = await sealHeader({ recipients: [aliceR] }, selectChunkCipher(), 'node');
    const stanzaAt = header.indexOf('\n', header.indexOf('-> X25519')) + 5;
    for (const at of [stanzaAt, header.length - 5]) {
      const changed = Buffer.from(header);
      changed[at] = changed[at] === 0x41 ? 0x42 : 0x41;
      await expect(openedBy(alice, changed)).rejects.toThrow();
    }
  });

  it('a recipient that is a low-order point is refused before anything is written, in words', async () => {
    const zero = bech32.encodeFromBytes('age', new Uint8Array(32));
    const attempt = createAgeEncryptStream({ recipients: [aliceR, zero] }, { x25519: 'node' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^Recipient "age1q{52}[a-z0-9]{6}" is not a usable X25519 public key \(a low-order point\)/) as unknown });
  });

  it('a whole file sealed by node:crypto decrypts with the stream age-encryption opens, and with a passphrase', async () => {
    const plaintext = randomBytes(150_000);
    const file = await transformAll(await createAgeEncryptStream({ recipients: [aliceR] }, { x25519: 'node' }), plaintext);
    expect((await transformAll(createAgeDecryptStream({ identities: [alice] }), file)).equals(plaintext)).toBe(true);
    const byPassphrase = await transformAll(await createAgeEncryptStream({ passphrase: 'sealed here', scryptWorkFactor: 10 }), plaintext);
    expect((await transformAll(createAgeDecryptStream({ passphrase: 'sealed here' }), byPassphrase)).equals(plaintext)).toBe(true);
  });
});
