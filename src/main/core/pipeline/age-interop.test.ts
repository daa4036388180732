import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { CHUNK_SIZE } from './age-payload';
import { createAgeDecryptStream, createAgeEncryptStream, parseIdentityFile } from './age-stream';
import { ageWithPassphrase } from './testing/age-cli';
import { runTransform, transformAll } from './testing/stream-harness';

const SIZES = [0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * 1024 * 1024 + 5];
const PASSPHRASE = 'interop passphrase: never in argv';

const skipAge = shouldSkip('age CLI', probeCommand('age', ['--version']) ?? probeCommand('age-keygen', ['--version']));
const skipPty = skipAge || shouldSkip('script(1) for a pseudo-terminal', probeCommand('script', ['--version']));

describe.skipIf(skipAge)('age CLI interop (age 1.1)', () => {
  let t: ReturnType<typeof tempDir>;
  const keys: { file: string; identity: string; recipient: string }[] = [];

  beforeAll(() => {
    t = tempDir('vaultdesk-age-');
    for (const name of ['one', 'two']) {
      const file = path.join(t.dir, `${name}.key`);
      // age-keygen writes the identity file with its comment lines; parseIdentityFile must read it.
      execFileSync('age-keygen', ['-o', file], { stdio: 'ignore' });
      const text = readFileSync(file, 'utf8');
      const identity = parseIdentityFile(text)[0]!;
      keys.push({ file, identity: text, recipient: execFileSync('age-keygen', ['-y', file]).toString().trim() });
      expect(identity).toMatch(/^AGE-SECRET-KEY-1/);
    }
  });
  afterAll(() => t.cleanup());

  const file = (name: string, bytes: Buffer): string => {
    const target = path.join(t.dir, name);
    writeFileSync(target, bytes);
    return target;
  };

  it.each(SIZES)('`age -d -i` decrypts what we encrypt (%i bytes)', async (size) => {
    const plaintext = randomBytes(size);
    const encrypted = await transformAll(await createAgeEncryptStream({ recipients: [keys[0]!.recipient] }), plaintext, 5003);
    const out = execFileSync('age', ['-d', '-i', keys[0]!.file, file(`ours-${size}.age`, encrypted)], { maxBuffer: 64 * 1024 * 1024 });
    expect(out.equals(plaintext)).toBe(true);
  });

  it.each(SIZES)('we decrypt what `age -e -r` encrypts (%i bytes)', async (size) => {
    const plaintext = randomBytes(size);
    const encrypted = execFileSync('age', ['-e', '-r', keys[0]!.recipient, file(`plain-${size}`, plaintext)], { maxBuffer: 64 * 1024 * 1024 });
    const back = await transformAll(createAgeDecryptStream({ identities: [keys[0]!.identity] }), encrypted, 7001);
    expect(back.equals(plaintext)).toBe(true);
  });

  it('two recipients both ways: each identity opens the other side’s file', async () => {
    const plaintext = randomBytes(300_000);
    const recipients = keys.map((k) => k.recipient);
    const ours = file('multi-ours.age', await transformAll(await createAgeEncryptStream({ recipients }), plaintext));
    const theirs = execFileSync('age', ['-e', '-r', recipients[0]!, '-r', recipients[1]!, file('multi-plain', plaintext)]);
    for (const key of keys) {
      expect(execFileSync('age', ['-d', '-i', key.file, ours]).equals(plaintext)).toBe(true);
      expect((await transformAll(createAgeDecryptStream({ identities: [key.identity] }), theirs)).equals(plaintext)).toBe(true);
    }
  });

  it('`age -d` decrypts the X25519 stanzas of either writer: node:crypto (the default here) and age-encryption (where node:crypto has no X25519)', async () => {
    const plaintext = randomBytes(100_000);
    const recipients = keys.map((k) => k.recipient);
    for (const x25519 of ['node', 'library'] as const) {
      const ours = file(`multi-${x25519}.age`, await transformAll(await createAgeEncryptStream({ recipients }, { x25519 }), plaintext));
      for (const key of keys) expect(execFileSync('age', ['-d', '-i', key.file, ours]).equals(plaintext), `${x25519}, ${key.file}`).toBe(true);
    }
  });

  it('age and we agree on refusing a truncated file and a wrong identity', async () => {
    const encrypted = await transformAll(await createAgeEncryptStream({ recipients: [keys[0]!.recipient] }), randomBytes(200_000));
    const cut = file('cut.age', encrypted.subarray(0, encrypted.length - 100));
    expect(() => execFileSync('age', ['-d', '-i', keys[0]!.file, cut], { stdio: 'ignore' })).toThrow();
    const { error } = await runTransform(createAgeDecryptStream({ identities: [keys[0]!.identity] }), readFileSync(cut));
    expect((error as AppError).code).toBe('DECRYPT_FAILED');
    expect(() => execFileSync('age', ['-d', '-i', keys[1]!.file, file('full.age', encrypted)], { stdio: 'ignore' })).toThrow();
    const wrong = await runTransform(createAgeDecryptStream({ identities: [keys[1]!.identity] }), encrypted);
    expect((wrong.error as AppError).message).toMatch(/^Wrong identity/);
  });

  it.skipIf(skipPty)('passphrase files both ways, with age reading the passphrase from a pseudo-terminal', async () => {
    const plaintext = randomBytes(150_000);
    const ours = file('pass-ours.age', await transformAll(await createAgeEncryptStream({ passphrase: PASSPHRASE, scryptWorkFactor: 15 }), plaintext));
    const decrypted = path.join(t.dir, 'pass-ours.out');
    const d = await ageWithPassphrase(['-d', '-o', decrypted, ours], PASSPHRASE);
    expect(d.code, d.output).toBe(0);
    expect(readFileSync(decrypted).equals(plaintext)).toBe(true);

    const theirs = path.join(t.dir, 'pass-theirs.age');
    const e = await ageWithPassphrase(['-e', '-p', '-o', theirs, file('pass-plain', plaintext)], PASSPHRASE);
    expect(e.code, e.output).toBe(0);
    const encrypted = readFileSync(theirs);
    expect(encrypted.toString('latin1', 0, 40)).toMatch(/^age-encryption\.org\/v1\n-> scrypt /);
    expect((await transformAll(createAgeDecryptStream({ passphrase: PASSPHRASE }), encrypted)).equals(plaintext)).toBe(true);
    // age's own work factor (2^18) costs seconds in pure-JS scrypt: check the wrong passphrase on ours.
    const wrong = await runTransform(createAgeDecryptStream({ passphrase: `${PASSPHRASE}!` }), readFileSync(ours));
    expect((wrong.error as AppError).message).toMatch(/^Wrong passphrase/);
  });
});
