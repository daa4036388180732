import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ageWithPassphrase } from '../pipeline/testing/age-cli';
import { createSevenZipArchive, findSevenZip } from '../pipeline/seven-zip';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { toolWrapper } from '../testing/tool-wrapper';
import { buildRecoveryKit, type KitAgeProfile, type KitSevenZipProfile } from './kit-build';
import { proveKit } from './kit-prove';
import { isSevenZipEntry, kitPassphrases, readRecoveryKit } from './kit-read';

const skip = shouldSkip('age, unzip, script(1) and 7-Zip (7zz)', probeCommand('age') ?? probeCommand('unzip', ['-v']) ?? probeCommand('script', ['--version']) ?? probeCommand('7zz', ['i']));
const KIT_PASSPHRASE = 'kit passphrase, never in argv';
const SEVEN_ZIP_PASSPHRASE = 'the nightly 7-Zip passphrase: spaces & $igns';
const NOW = new Date('2026-03-01T03:00:00Z');
const nightly: KitSevenZipProfile = { kind: '7z', name: 'nightly', passphrase: SEVEN_ZIP_PASSPHRASE, createdAt: '2026-01-20T10:00:00.000Z' };

async function ageProfile(name: string): Promise<KitAgeProfile> {
  const identity = await generateX25519Identity();
  return { kind: 'age', name, identity, recipient: await identityToRecipient(identity), createdAt: '2026-01-15T10:00:00.000Z' };
}

describe.skipIf(skip)('a recovery kit with 7-Zip profiles: their passphrases, and the standard tools open 7-Zip backups with them', () => {
  const t = tempDir('vaultdesk-kit-7z-');
  afterAll(() => t.cleanup());
  /** `7z` as the README names it: Debian's 7zip package calls it 7zz. */
  const bin = path.dirname(toolWrapper(path.join(t.dir, 'bin', '7z'), '7zz', 'exec REAL "$@"'));
  const sh = (script: string, cwd: string): string => execFileSync('sh', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] });
  const dump = Buffer.from('-- PostgreSQL database dump\n'.repeat(20_000));

  /** A 7-Zip backup as the pipeline makes one (AES-256, encrypted headers, the passphrase on 7-Zip's stdin), under the README's example name. */
  async function sevenZipBackup(dir: string): Promise<string> {
    const tool = await findSevenZip({ PATH: process.env.PATH });
    const made = await createSevenZipArchive(Readable.from([dump]), { tool, passphrase: SEVEN_ZIP_PASSPHRASE, entryName: '20260301T030000Z.dump', tempDir: dir, level: 1 });
    const file = path.join(dir, '20260301T030000Z.dump.7z');
    renameSync(made.file, file);
    return file;
  }

  it('without a passphrase: passphrases/ beside identities/, keys.json with each kind, and the README\'s own 7-Zip commands open a backup', async () => {
    const team = await ageProfile('team');
    const kit = await buildRecoveryKit([team, nightly], { now: NOW, version: '9.9.9' });
    const dir = path.join(t.dir, 'plain');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'vaultdesk-kit.zip'), kit.bytes);
    sh('unzip -q vaultdesk-kit.zip -d kit', dir);
    expect(readdirSync(path.join(dir, 'kit')).sort()).toEqual(['README.txt', 'identities', 'keys.json', 'passphrases']);
    expect(readFileSync(path.join(dir, 'kit', 'passphrases', 'nightly.txt'), 'utf8')).toBe(`${SEVEN_ZIP_PASSPHRASE}\n`);
    const index = JSON.parse(readFileSync(path.join(dir, 'kit', 'keys.json'), 'utf8')) as { keys: unknown[] };
    expect(index.keys).toEqual([
      expect.objectContaining({ kind: 'age', profile: 'team', recipient: team.recipient, identityFile: 'identities/team.txt' }),
      { kind: '7z', profile: 'nightly', created: nightly.createdAt, passphraseFile: 'passphrases/nightly.txt' },
    ]);

    await sevenZipBackup(dir);
    const readme = readFileSync(path.join(dir, 'kit', 'README.txt'), 'utf8');
    expect(readme).toContain('3. (NOTHING TO UNWRAP');
    expect(readme).toContain('4. DECRYPT AND DECOMPRESS');
    const step = readme.slice(readme.indexOf('5. OPEN A 7-ZIP BACKUP (.7z)'), readme.indexOf('6. RESTORE'));
    expect(step).toContain('    cat kit/passphrases/nightly.txt\n');
    expect(step).toContain('Then restore as in step 6.');
    const piped = step.split('\n').filter((line) => /^ {4}7z x -so /.test(line));
    expect(piped).toEqual(['    7z x -so 20260301T030000Z.dump.7z < kit/passphrases/nightly.txt > backup.dump']);
    sh(piped[0]!, dir);
    expect(readFileSync(path.join(dir, 'backup.dump')).equals(dump)).toBe(true);
    // Shown as what never to do, never with the passphrase itself.
    expect(readme).not.toContain(SEVEN_ZIP_PASSPHRASE);
    expect(readme).toContain('Never give it on the command line (7z x -pPASSPHRASE ...)');
    expect(readme).toContain('vaultdesk decrypt 20260301T030000Z.dump.7z -i vaultdesk-kit.zip -o backup.dump');
    expect(readme).toContain('7. OR WITH VAULTDESK');
    expect(readme).toContain('the `vaultdesk` command (step 7)');
  });

  it('with a passphrase: `age -d` prints the 7-Zip passphrase, which opens a backup on 7-Zip\'s standard input; a kit of 7-Zip profiles alone has no age steps', async () => {
    const kit = await buildRecoveryKit([nightly], { now: NOW, version: '9.9.9', passphrase: KIT_PASSPHRASE, scryptWorkFactor: 10 });
    const dir = path.join(t.dir, 'wrapped');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'vaultdesk-kit.zip'), kit.bytes);
    sh('unzip -q vaultdesk-kit.zip -d kit', dir);
    expect(readdirSync(path.join(dir, 'kit', 'passphrases'))).toEqual(['nightly.age']);
    const wrapped = readFileSync(path.join(dir, 'kit', 'passphrases', 'nightly.age'));
    expect(wrapped.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    expect(wrapped.includes(Buffer.from(SEVEN_ZIP_PASSPHRASE))).toBe(false);

    const printed = path.join(dir, 'printed.txt');
    const r = await ageWithPassphrase(['-d', '-o', printed, path.join(dir, 'kit', 'passphrases', 'nightly.age')], KIT_PASSPHRASE);
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(printed, 'utf8')).toBe(`${SEVEN_ZIP_PASSPHRASE}\n`);
    // What `age -d ... | 7z x -so ...` hands 7-Zip: the printed line on its standard input.
    await sevenZipBackup(dir);
    sh('7z x -so 20260301T030000Z.dump.7z < printed.txt > backup.dump', dir);
    expect(readFileSync(path.join(dir, 'backup.dump')).equals(dump)).toBe(true);

    const readme = readFileSync(path.join(dir, 'kit', 'README.txt'), 'utf8');
    // No age steps in a kit without age profiles; the steps after the 7-Zip one are numbered on from it.
    expect([readme.includes('DECRYPT AND DECOMPRESS'), readme.includes('identities/')]).toEqual([false, false]);
    const wanted = [
      'It holds the 7-Zip passphrases\nthat decrypt',
      '3. OPEN A 7-ZIP BACKUP (.7z)',
      '    age -d kit/passphrases/nightly.age\n',
      '    age -d kit/passphrases/nightly.age | 7z x -so 20260301T030000Z.dump.7z > backup.dump\n',
      'vaultdesk decrypt 20260301T030000Z.dump.7z -i vaultdesk-kit.zip --passphrase-stdin -o backup.dump',
      '5. OR WITH VAULTDESK',
    ];
    expect(wanted.filter((line) => !readme.includes(line))).toEqual([]);

    const read = readRecoveryKit(kit.bytes, 'kit.zip');
    await expect(kitPassphrases(read, read.entries.filter(isSevenZipEntry), 'not the passphrase')).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
      message: 'Wrong passphrase for the recovery kit kit.zip: it does not unwrap the passphrase of 7-Zip profile "nightly".',
      details: { reason: 'kit-passphrase' },
    });
  });

  it('the self-test refuses a kit whose 7-Zip passphrase is not the stored one, or missing', async () => {
    const good = await buildRecoveryKit([nightly], { now: NOW, version: '1' });
    await expect(proveKit(good.bytes, [{ ...nightly, passphrase: 'another passphrase entirely' }], undefined)).rejects.toMatchObject({
      code: 'INTEGRITY_FAILED',
      message: 'The recovery kit failed its own test, so it was not written: the passphrase it holds for 7-Zip profile "nightly" is not the one stored for the profile.',
    });
    await expect(proveKit(good.bytes, [{ ...nightly, name: 'weekly' }], undefined)).rejects.toMatchObject({ code: 'INTEGRITY_FAILED', message: expect.stringContaining('it has no entry for 7-Zip profile "weekly"') });
  });

  it('reads a kit from before 7-Zip profiles (no kind) as age, and refuses a passphrase file of several lines', async () => {
    const team = await ageProfile('team');
    const files = unzipSync((await buildRecoveryKit([team, nightly], { now: NOW, version: '1' })).bytes);
    const index = JSON.parse(strFromU8(files['keys.json']!)) as { keys: { kind?: string }[] };
    delete index.keys[0]!.kind;
    const old = zipSync({ ...files, 'keys.json': strToU8(JSON.stringify(index)) });
    expect(readRecoveryKit(old, 'old.zip').entries.map((e) => e.key.kind)).toEqual(['age', '7z']);
    const twoLines = zipSync({ ...files, 'passphrases/nightly.txt': strToU8('first line\nsecond line\n') });
    const kit = readRecoveryKit(twoLines, 'two.zip');
    await expect(kitPassphrases(kit, kit.entries.filter(isSevenZipEntry), undefined)).rejects.toThrow('two.zip is not a Vaultdesk recovery kit: passphrases/nightly.txt does not hold a 7-Zip passphrase on one line.');
  });
});
