import { createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { findHeaderEnd } from './age-header';
import { CHUNK_SIZE, SEALED_CHUNK_SIZE } from './age-payload';
import { createAgeDecryptStream, createAgeEncryptStream, parseIdentityFile, type AgeDecryptKeys, type DecryptFailure } from './age-stream';
import { runTransform, transformAll } from './testing/stream-harness';

let alice: string;
let bob: string;
let carol: string;
let aliceR: string;
let bobR: string;

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()]);
  [aliceR, bobR] = await Promise.all([identityToRecipient(alice), identityToRecipient(bob)]);
});

const CIPHERS = ['auto', 'noble'] as const;
const SIZES = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 2 * CHUNK_SIZE + 1, 1_000_003];

async function encrypt(plaintext: Buffer, recipients = [aliceR], piece?: number): Promise<Buffer> {
  return transformAll(await createAgeEncryptStream({ recipients }), plaintext, piece);
}

async function expectDecryptFailure(file: Buffer, keys: AgeDecryptKeys, reason: DecryptFailure, message: RegExp): Promise<Buffer> {
  const { output, error } = await runTransform(createAgeDecryptStream(keys), file, 10_000);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('DECRYPT_FAILED');
  expect((error as AppError).details?.reason).toBe(reason);
  expect((error as AppError).message).toMatch(message);
  return output;
}

/** Opens the payload chunk by chunk with node:crypto alone, to check the layout the spec requires. */
async function payloadLayout(file: Buffer, identity: string): Promise<{ sizes: number[]; lastFlags: boolean[] }> {
  const end = findHeaderEnd(file);
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const fileKey = await decrypter.decryptHeader(file.subarray(0, end));
  const key = Buffer.from(hkdfSync('sha256', fileKey, file.subarray(end, end + 16), 'payload', 32));
  const sizes: number[] = [];
  const lastFlags: boolean[] = [];
  for (let offset = end + 16, counter = 0; offset < file.length; offset += SEALED_CHUNK_SIZE, counter += 1) {
    const sealed = file.subarray(offset, offset + SEALED_CHUNK_SIZE);
    const nonce = Buffer.alloc(12);
    nonce.writeUIntBE(counter, 5, 6);
    nonce[11] = offset + sealed.length === file.length ? 1 : 0;
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    decipher.update(sealed.subarray(0, sealed.length - 16));
    decipher.final();
    sizes.push(sealed.length - 16);
    lastFlags.push(nonce[11] === 1);
  }
  return { sizes, lastFlags };
}

describe('age encrypt/decrypt streams', () => {
  it.each(CIPHERS)('round-trips every chunk-boundary size with the %s payload cipher, decrypted by the other', async (payloadCipher) => {
    const other = payloadCipher === 'noble' ? 'auto' : 'noble';
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      const file = await transformAll(await createAgeEncryptStream({ recipients: [aliceR] }, { payloadCipher }), plaintext, 4099);
      const chunks = Math.max(1, Math.ceil(size / CHUNK_SIZE));
      expect(file.length - findHeaderEnd(file)).toBe(16 + size + 16 * chunks);
      const back = await transformAll(createAgeDecryptStream({ identities: [alice] }, { payloadCipher: other }), file, 3001);
      expect(back.equals(plaintext), `size ${size}`).toBe(true);
    }
  });

  it('writes the STREAM layout of the spec: full middle chunks, last flag on the final one, empty only when alone', async () => {
    const layout = async (size: number) => payloadLayout(await encrypt(randomBytes(size)), alice);
    expect(await layout(0)).toEqual({ sizes: [0], lastFlags: [true] });
    expect(await layout(CHUNK_SIZE)).toEqual({ sizes: [CHUNK_SIZE], lastFlags: [true] });
    expect(await layout(CHUNK_SIZE + 1)).toEqual({ sizes: [CHUNK_SIZE, 1], lastFlags: [false, true] });
    expect(await layout(2 * CHUNK_SIZE)).toEqual({ sizes: [CHUNK_SIZE, CHUNK_SIZE], lastFlags: [false, true] });
  });

  it('encrypts to several recipients: each identity opens the file, a stranger does not', async () => {
    const plaintext = randomBytes(200_000);
    const file = await encrypt(plaintext, [aliceR, bobR, aliceR]);
    expect(file.toString('latin1', 0, findHeaderEnd(file)).match(/^-> X25519 /gm)).toHaveLength(2);
    for (const identity of [alice, bob]) {
      expect((await transformAll(createAgeDecryptStream({ identities: [identity] }), file)).equals(plaintext)).toBe(true);
    }
    expect((await transformAll(createAgeDecryptStream({ identities: [carol, bob] }), file)).equals(plaintext)).toBe(true);
    await expectDecryptFailure(file, { identities: [carol] }, 'no-match', /^Wrong identity: none of the given identities can open this file \(it was encrypted to 2 recipients\)/);
  });

  it('encrypts to a passphrase alone (scrypt) and says which key kind a file needs', async () => {
    const plaintext = randomBytes(70_000);
    const file = await transformAll(await createAgeEncryptStream({ passphrase: 'correct horse battery staple', scryptWorkFactor: 10 }), plaintext);
    expect(file.toString('latin1', 0, findHeaderEnd(file))).toMatch(/^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 10\n[A-Za-z0-9+/]{43}\n--- /);
    expect((await transformAll(createAgeDecryptStream({ passphrase: 'correct horse battery staple' }), file)).equals(plaintext)).toBe(true);
    await expectDecryptFailure(file, { passphrase: 'correct horse battery stapler' }, 'no-match', /^Wrong passphrase/);
    await expectDecryptFailure(file, { identities: [alice] }, 'no-match', /protected by a passphrase, not by an age key/);
    await expectDecryptFailure(await encrypt(plaintext), { passphrase: 'x' }, 'no-match', /encrypted to age keys, not to a passphrase/);
  });

  it('streams with back-pressure: a stalled reader stops the writer within a few chunks', async () => {
    const encryptor = await createAgeEncryptStream({ recipients: [aliceR] });
    const block = randomBytes(16 * 1024);
    let written = 0;
    while (encryptor.write(block)) {
      written += block.length;
      if (written > 64 * 1024 * 1024) break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBeLessThan(8 * SEALED_CHUNK_SIZE);
    expect(encryptor.readableLength + encryptor.writableLength).toBeLessThan(8 * SEALED_CHUNK_SIZE);
    encryptor.destroy();
  });

  it('moves 64 MiB through encrypt and decrypt as a stream, byte-exact', async () => {
    const block = randomBytes(1024 * 1024 + 17);
    const total = 64;
    let sent = 0;
    const source = new Readable({
      read() {
        this.push(sent++ < total ? block : null);
      },
    });
    const expected = createHash('sha256');
    for (let i = 0; i < total; i += 1) expected.update(block);
    const actual = createHash('sha256');
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        actual.update(chunk);
        bytes += chunk.length;
        callback();
      },
    });
    await pipeline(source, await createAgeEncryptStream({ recipients: [bobR] }), createAgeDecryptStream({ identities: [bob] }), sink);
    expect(bytes).toBe(total * block.length);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
  });
});

describe('age tamper detection', () => {
  const plaintext = randomBytes(4 * CHUNK_SIZE + 1000);
  let file: Buffer;
  let payloadStart: number;
  beforeAll(async () => {
    file = await encrypt(plaintext);
    payloadStart = findHeaderEnd(file) + 16;
  });
  const keys = (): AgeDecryptKeys => ({ identities: [alice] });
  const chunkAt = (i: number): number => payloadStart + i * SEALED_CHUNK_SIZE;

  it('a file cut at a chunk boundary fails as truncated, after releasing only authenticated chunks', async () => {
    const out = await expectDecryptFailure(file.subarray(0, chunkAt(2)), keys(), 'truncated', /truncated: its final chunk is missing/);
    expect(out.equals(plaintext.subarray(0, 2 * CHUNK_SIZE))).toBe(true);
  });

  it('a file cut inside a chunk, inside the header or right after it fails as truncated', async () => {
    await expectDecryptFailure(file.subarray(0, chunkAt(4) + 500), keys(), 'truncated', /truncated/);
    await expectDecryptFailure(file.subarray(0, chunkAt(1) - 7), keys(), 'truncated', /truncated/);
    await expectDecryptFailure(file.subarray(0, payloadStart - 3), keys(), 'truncated', /ends right after the age header/);
    await expectDecryptFailure(file.subarray(0, payloadStart), keys(), 'truncated', /ends before its encrypted payload/);
    await expectDecryptFailure(file.subarray(0, 40), keys(), 'truncated', /ends inside the age header/);
    await expectDecryptFailure(Buffer.alloc(0), keys(), 'truncated', /The file is empty/);
  });

  it('data appended after the final chunk fails, however much', async () => {
    for (const extra of [Buffer.from([0]), randomBytes(16), randomBytes(40_000)]) {
      await expectDecryptFailure(Buffer.concat([file, extra]), keys(), 'truncated', /end of the file is damaged: .*has data appended/);
    }
    // Enough to fill the last chunk: it no longer authenticates as a middle or a final chunk.
    await expectDecryptFailure(Buffer.concat([file, randomBytes(SEALED_CHUNK_SIZE)]), keys(), 'modified', /chunk 5\)/);
    // After a full final chunk any byte is recognisably extra.
    const full = await encrypt(randomBytes(CHUNK_SIZE));
    await expectDecryptFailure(Buffer.concat([full, Buffer.from('x')]), keys(), 'appended', /data appended after the end/);
  });

  it('a flipped byte in a middle chunk fails there, and nothing of that chunk is released', async () => {
    const damaged = Buffer.from(file);
    damaged[chunkAt(2) + 1234]! ^= 0x01;
    const out = await expectDecryptFailure(damaged, keys(), 'modified', /modified \(authentication failed at payload chunk 3\)/);
    expect(out.equals(plaintext.subarray(0, 2 * CHUNK_SIZE))).toBe(true);
  });

  it('two swapped chunks fail', async () => {
    const c1 = file.subarray(chunkAt(1), chunkAt(2));
    const c2 = file.subarray(chunkAt(2), chunkAt(3));
    const swapped = Buffer.concat([file.subarray(0, chunkAt(1)), c2, c1, file.subarray(chunkAt(3))]);
    const out = await expectDecryptFailure(swapped, keys(), 'modified', /authentication failed at payload chunk 2/);
    expect(out.equals(plaintext.subarray(0, CHUNK_SIZE))).toBe(true);
  });

  it('a changed header fails on its MAC, a changed nonce on the first chunk', async () => {
    const header = Buffer.from(file);
    const bodyLine = header.indexOf('\n', header.indexOf('-> X25519')) + 5;
    header[bodyLine] = header[bodyLine] === 0x41 ? 0x42 : 0x41;
    await expectDecryptFailure(header, keys(), 'no-match', /Wrong identity/);
    const mac = Buffer.from(file);
    const macAt = mac.indexOf('\n--- ') + 8;
    mac[macAt] = mac[macAt] === 0x41 ? 0x42 : 0x41;
    await expectDecryptFailure(mac, keys(), 'header-mac', /header was modified/);
    const nonce = Buffer.from(file);
    nonce[payloadStart - 1]! ^= 0x80;
    await expectDecryptFailure(nonce, keys(), 'modified', /chunk 1\)/);
  });

  it('refuses what is not a binary age v1 file', async () => {
    await expectDecryptFailure(Buffer.from('-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n'), keys(), 'armored', /ASCII-armored/);
    await expectDecryptFailure(randomBytes(1000), keys(), 'not-age', /not an age encrypted file/);
    await expectDecryptFailure(Buffer.from('age-encryption.org/v2\n-> X25519 abc\n'), keys(), 'not-age', /version other than v1/);
    await expectDecryptFailure(Buffer.concat([Buffer.from('age-encryption.org/v1\n'), Buffer.alloc(1_100_000, 0x41)]), keys(), 'malformed-header', /first 1 MiB/);
  });
});

describe('age keys and their validation', () => {
  it('parses identity files as age-keygen writes them, several keys, CRLF and comments', () => {
    const text = `# created: 2025-01-01T00:00:00Z\r\n# public key: ${aliceR}\r\n${alice}\r\n\r\n# second\n  ${bob}  \n`;
    expect(parseIdentityFile(text)).toEqual([alice, bob]);
  });

  it('refuses bad identities without quoting them', () => {
    const broken = `${alice.slice(0, -1)}${alice.endsWith('Q') ? 'P' : 'Q'}`;
    for (const [identities, message] of [
      [[aliceR], /line 1 is a recipient \(public key\)/],
      [['# only a comment'], /No age identity/],
      [['AGE-PLUGIN-YUBIKEY-1QQQ'], /plugin identity/],
      [[`# header\n${broken}`], /Identity 1 is not a valid age secret key/],
    ] as const) {
      let thrown: unknown;
      try {
        createAgeDecryptStream({ identities: [...identities] });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('VALIDATION_FAILED');
      expect((thrown as AppError).message).toMatch(message);
      expect((thrown as AppError).message).not.toContain(broken);
    }
  });

  it('refuses recipients that standard age 1.1 could not decrypt, and bad passphrase settings', async () => {
    const cases: [Parameters<typeof createAgeEncryptStream>[0], RegExp][] = [
      [{ recipients: [] }, /at least one age recipient/],
      [{ recipients: ['age1pq1qqqqqqqqqqqqqqqqqq'] }, /post-quantum or tag recipient/],
      [{ recipients: ['age1yubikey1qqqqqqqqqqqqqqqqqq'] }, /plugin recipient/],
      [{ recipients: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA'] }, /an SSH key/],
      [{ recipients: [alice] }, /secret key was given where a recipient/],
      [{ recipients: [`${aliceR.slice(0, -1)}${aliceR.endsWith('q') ? 'p' : 'q'}`] }, /is not a valid age recipient: its checksum is wrong/],
      [{ passphrase: '' }, /must not be empty/],
      [{ passphrase: 'x', scryptWorkFactor: 21 }, /work factor must be a whole number from 10 to 20/],
      [{ passphrase: 'x', scryptWorkFactor: 9 }, /work factor/],
    ];
    for (const [target, message] of cases) {
      const attempt = createAgeEncryptStream(target);
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toThrow(message);
    }
  });
});
