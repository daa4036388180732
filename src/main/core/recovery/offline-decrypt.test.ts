import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { ageWithPassphrase } from '../pipeline/testing/age-cli';
import { seedSqliteFile, sqliteFingerprint } from '../testing/db-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { readKeyFile } from './decrypt-keys';
import { decryptFailureKind, decryptOffline, type DecryptFailureKind, type OfflineDecryptRequest } from './offline-decrypt';

const skip = shouldSkip('age, zstd and 7zz CLIs', probeCommand('age') ?? probeCommand('zstd') ?? probeCommand('7zz', []));
const skipPty = skip || shouldSkip('script(1) for a pseudo-terminal', probeCommand('script', ['--version']));
const KIT_PASSPHRASE = 'the kit passphrase, kept apart';
const ROWS = 300;

describe.skipIf(skip)('offline decryption with kits, identity files and passphrases', () => {
  const t = tempDir('vaultdesk-offline-');
  const env = { PATH: process.env.PATH };
  const source = path.join(t.dir, 'app.db');
  let team: ProfileDto;
  let other: ProfileDto;
  /** Backups Vaultdesk made, each with its manifest beside it. */
  let ageBackup: string;
  let sevenZipBackup: string;
  let sevenZipPassphrase: string;
  const kits = { team: '', other: '', both: '', sevenZip: '', spare: '', spareOnly: '' };
  const identityOf = { team: '', other: '' };
  /** Made by the standard tools from the same SQLite file: zstd, then `age -r`; no manifest. */
  let ageMade: string;

  beforeAll(async () => {
    seedSqliteFile(source, ROWS);
    const core = await tempCore(path.join(t.dir, 'install'));
    try {
      const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'store') });
      const src = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: source });
      team = await core.call('profiles:create', { kind: 'age', name: 'team' });
      other = await core.call('profiles:create', { kind: 'age', name: 'other' });
      const zip = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'the 7-Zip profile passphrase' });
      sevenZipPassphrase = 'the 7-Zip profile passphrase';
      const backup = async (profileId: string, encryption: 'age' | '7z'): Promise<string> => {
        const job = await core.call('jobs:create', { name: `job-${encryption}`, sourceId: src.id, destinationIds: [dest.id], encryption, profileId });
        const run = await core.runService.start(job.id, 'manual').finished;
        if (run.status !== 'succeeded') throw new Error(`backup failed: ${JSON.stringify(run.error)}`);
        return run.objects[0]!.destinations[0]!.location!;
      };
      ageBackup = await backup(team.id, 'age');
      sevenZipBackup = await backup(zip.id, '7z');
      kits.team = (await core.call('recovery:exportKit', { path: path.join(t.dir, 'keys', 'team-kit.zip'), profileIds: [team.id], passphrase: KIT_PASSPHRASE })).path;
      kits.other = (await core.call('recovery:exportKit', { path: path.join(t.dir, 'keys', 'other-kit.zip'), profileIds: [other.id] })).path;
      kits.both = (await core.call('recovery:exportKit', { path: path.join(t.dir, 'keys', 'both-kit.zip') })).path;
      // The spare 7-Zip passphrase first: the one that opens the backup is found by trying each.
      const spare = await core.call('profiles:create', { kind: '7z', name: 'spare', passphrase: 'a spare 7-Zip passphrase' });
      kits.sevenZip = (await core.call('recovery:exportKit', { path: path.join(t.dir, 'keys', '7z-kit.zip'), profileIds: [spare.id, zip.id, team.id], passphrase: KIT_PASSPHRASE })).path;
      kits.spare = (await core.call('recovery:exportKit', { path: path.join(t.dir, 'keys', 'spare-kit.zip'), profileIds: [spare.id, other.id] })).path;
      kits.spareOnly = (await core.call('recovery:exportKit', { path: path.join(t.dir, 'keys', 'spare-only-kit.zip'), profileIds: [spare.id] })).path;
      identityOf.team = (await core.call('profiles:exportIdentity', { id: team.id, path: path.join(t.dir, 'keys', 'team.txt') })).path;
      identityOf.other = (await core.call('profiles:exportIdentity', { id: other.id, path: path.join(t.dir, 'keys', 'other.txt') })).path;
    } finally {
      // Everything below runs with the install gone: no core, no data dir, no keychain.
      core.close();
    }
    mkdirSync(path.join(t.dir, 'made'));
    ageMade = path.join(t.dir, 'made', 'app.sqlite.zst.age');
    execFileSync('sh', ['-c', 'zstd -q -c "$1" | age -r "$2" -o "$3"', 'sh', source, team.recipient!, ageMade]);
  }, 120_000);
  afterAll(() => t.cleanup());

  const outFolder = (): string => mkdtempSync(path.join(t.dir, 'out-'));
  const request = (file: string, out: string, fields: Partial<OfflineDecryptRequest>): OfflineDecryptRequest => ({ file, output: { path: out }, keyFiles: [], decompress: true, toolEnv: env, ...fields });
  const keys = (...files: string[]): OfflineDecryptRequest['keyFiles'] => files.map(readKeyFile);
  const restoredRows = (file: string): { rows: number; integrity: string } => {
    const f = sqliteFingerprint(file);
    return { rows: f.rows, integrity: f.integrity };
  };

  it('a Vaultdesk backup opens with the kit: the manifest picks the profile, its sha256 is checked, the SQLite file comes back whole', async () => {
    const folder = outFolder();
    const out = path.join(folder, 'app.sqlite');
    const r = await decryptOffline(request(ageBackup, out, { keyFiles: keys(kits.team), passphrase: KIT_PASSPHRASE }));
    expect(r).toMatchObject({ format: 'age', compression: 'zstd', verifiedAgainstManifest: true, openedWith: `profile "team" of recovery kit ${kits.team}` });
    expect(readdirSync(folder)).toEqual(['app.sqlite']);
    expect(restoredRows(out)).toEqual({ rows: ROWS, integrity: 'ok' });
  });

  it('a file `age -r` made opens with a kit of several profiles: the one that opens it is found and named', async () => {
    const out = path.join(outFolder(), 'app.sqlite');
    const r = await decryptOffline(request(ageMade, out, { keyFiles: keys(kits.both) }));
    expect(r).toMatchObject({ compression: 'zstd', verifiedAgainstManifest: false, openedWith: `profile "team" of recovery kit ${kits.both}` });
    expect(restoredRows(out)).toEqual({ rows: ROWS, integrity: 'ok' });
    const plain = path.join(outFolder(), 'app.sqlite');
    await decryptOffline(request(ageMade, plain, { keyFiles: keys(identityOf.team) }));
    expect(readFileSync(plain).equals(readFileSync(out))).toBe(true);
  });

  it.skipIf(skipPty)('a passphrase-wrapped identity (.age, binary or armored) and a file `age -p` made', async () => {
    const folder = outFolder();
    const wrapped = path.join(folder, 'team.age');
    writeFileSync(wrapped, unzipSync(readFileSync(kits.team))['identities/team.age']!);
    const out = path.join(folder, 'one.sqlite');
    await decryptOffline(request(ageMade, out, { keyFiles: keys(wrapped), passphrase: KIT_PASSPHRASE }));
    expect(restoredRows(out)).toEqual({ rows: ROWS, integrity: 'ok' });
    const armored = path.join(folder, 'team-armored.age');
    expect((await ageWithPassphrase(['-p', '-a', '-o', armored, identityOf.team], 'armor passphrase')).code).toBe(0);
    const out2 = path.join(folder, 'two.sqlite');
    await decryptOffline(request(ageMade, out2, { keyFiles: keys(armored), passphrase: 'armor passphrase' }));
    expect(readFileSync(out2).equals(readFileSync(out))).toBe(true);

    const byPassphrase = path.join(folder, 'app.sqlite.zst.age');
    const zst = path.join(folder, 'app.sqlite.zst');
    execFileSync('zstd', ['-q', source, '-o', zst]);
    expect((await ageWithPassphrase(['-p', '-o', byPassphrase, zst], 'file passphrase')).code).toBe(0);
    const out3 = path.join(folder, 'three.sqlite');
    const r = await decryptOffline(request(byPassphrase, out3, { passphrase: 'file passphrase' }));
    expect(r.openedWith).toBe('the passphrase');
    expect(readFileSync(out3).equals(readFileSync(out))).toBe(true);
  });

  it('a 7-Zip backup opens with its passphrase, checked against its manifest', async () => {
    const out = path.join(outFolder(), 'app.sqlite');
    const r = await decryptOffline(request(sevenZipBackup, out, { passphrase: sevenZipPassphrase }));
    expect(r).toMatchObject({ format: '7z', verifiedAgainstManifest: true, openedWith: 'the 7-Zip passphrase' });
    expect(restoredRows(out)).toEqual({ rows: ROWS, integrity: 'ok' });
  });

  it('a 7-Zip backup opens with a kit: each of its 7-Zip passphrases is tried, the one that opens it is named, the manifest checked', async () => {
    const out = path.join(outFolder(), 'app.sqlite');
    const r = await decryptOffline(request(sevenZipBackup, out, { keyFiles: keys(kits.sevenZip), passphrase: KIT_PASSPHRASE }));
    expect(r).toMatchObject({ format: '7z', verifiedAgainstManifest: true, openedWith: `7-Zip profile "zip" of recovery kit ${kits.sevenZip}` });
    expect(restoredRows(out)).toEqual({ rows: ROWS, integrity: 'ok' });
    const plain = path.join(outFolder(), 'app.sqlite');
    expect((await decryptOffline(request(sevenZipBackup, plain, { keyFiles: keys(kits.both) }))).openedWith).toBe(`7-Zip profile "zip" of recovery kit ${kits.both}`);
  });

  it('a 7-Zip backup and a kit that cannot open it: the kit\'s passphrase wrong, no 7-Zip passphrase that opens it, or none at all, each in words, nothing left', async () => {
    expectFailure(await refused(sevenZipBackup, { keyFiles: keys(kits.sevenZip), passphrase: 'not the kit passphrase' }), 'kit-passphrase', `Wrong passphrase for the recovery kit ${kits.sevenZip}: it does not unwrap the passphrase of 7-Zip profile "spare".`);
    expectFailure(
      await refused(sevenZipBackup, { keyFiles: keys(kits.spare) }),
      'kit-no-match',
      `No 7-Zip passphrase in the recovery kit ${kits.spare} opens ${sevenZipBackup} (tried 7-Zip profile "spare"). It was made with a 7-Zip profile this kit does not hold: use a kit of that profile, or give its passphrase alone. The file matches its manifest, so it is not damaged.`,
    );
    expectFailure(
      await refused(sevenZipBackup, { keyFiles: keys(kits.other) }),
      'kit-no-match',
      `No 7-Zip passphrase in the recovery kit ${kits.other} opens ${sevenZipBackup}: it is a 7-Zip archive, and the kit holds age profiles only ("other"). Use a kit exported with the 7-Zip profile that made it, or give its passphrase alone.`,
    );
    // An age file and a kit of 7-Zip profiles alone: no identity to try, with or without a manifest.
    expectFailure(await refused(ageMade, { keyFiles: keys(kits.spareOnly) }), 'kit-no-match', `No identity in the recovery kit ${kits.spareOnly} opens this backup: it is an age file, and the kit holds 7-Zip profile "spare". Use a kit or identity file of the profile that made it.`);
  });

  /** Runs a decryption that must fail, and returns the error after checking that the output folder is still empty. */
  async function refused(file: string, fields: Partial<OfflineDecryptRequest>): Promise<AppError> {
    const folder = outFolder();
    let caught: unknown = null;
    try {
      await decryptOffline(request(file, path.join(folder, 'out.sqlite'), fields));
    } catch (error) {
      caught = error;
    }
    expect(caught, 'the decryption should have failed').toBeInstanceOf(AppError);
    expect(readdirSync(folder), 'what the failed decryption left in the output folder').toEqual([]);
    return caught as AppError;
  }

  /** A copy of a file, alone in a folder of its own (so no manifest is beside it), changed by `damage`. */
  function damagedCopy(file: string, damage: (bytes: Buffer) => Buffer): string {
    const copy = path.join(mkdtempSync(path.join(t.dir, 'in-')), path.basename(file));
    writeFileSync(copy, damage(readFileSync(file)));
    return copy;
  }

  const expectFailure = (error: AppError, kind: DecryptFailureKind, message: string | RegExp): void => {
    expect(decryptFailureKind(error)).toBe(kind);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  };

  it('each failure has its own kind and words, and leaves nothing in the output folder', async () => {
    expectFailure(await refused(ageMade, { keyFiles: keys(identityOf.other) }), 'wrong-key', `Wrong key: none of the identities given (identity file ${identityOf.other}) opens ${ageMade}; it was encrypted to 1 recipient. Use the identity of the profile that made the backup.`);
    // With the manifest, the kit is known not to match before anything is unwrapped or read.
    expectFailure(await refused(ageBackup, { keyFiles: keys(kits.other) }), 'kit-no-match', new RegExp(`^No identity in the recovery kit ${kits.other} opens this backup: its manifest says it was encrypted to the key with fingerprint [0-9a-f]{16}, and the kit holds "other" \\([0-9a-f]{16}\\)\\.`));
    expectFailure(await refused(ageMade, { keyFiles: keys(kits.other) }), 'kit-no-match', `No identity in the recovery kit ${kits.other} opens ${ageMade} (tried profile "other"; it was encrypted to 1 recipient). It was made with a profile this kit does not hold: use a kit or identity file of that profile.`);
    expectFailure(await refused(ageBackup, { keyFiles: keys(kits.team), passphrase: 'not the kit passphrase' }), 'kit-passphrase', `Wrong passphrase for the recovery kit ${kits.team}: it does not unwrap the identity of profile "team".`);
    const half = damagedCopy(ageMade, (b) => b.subarray(0, Math.floor(b.length / 2)));
    expectFailure(await refused(half, { keyFiles: keys(identityOf.team) }), 'truncated', /^\S+: The end of the file is damaged: it was truncated/);
    // Past the header, inside the first 64 KiB chunk, which is a full one: the file is larger.
    expect(readFileSync(ageMade).length).toBeGreaterThan(2 * 64 * 1024);
    const flipped = damagedCopy(ageMade, (b) => {
      const copy = Buffer.from(b);
      copy[1_000]! ^= 0x01;
      return copy;
    });
    expectFailure(await refused(flipped, { keyFiles: keys(identityOf.team) }), 'tampered', `${flipped}: The file was modified (authentication failed at payload chunk 1).`);
    const notAge = damagedCopy(source, (b) => b);
    expectFailure(await refused(notAge, { keyFiles: keys(identityOf.team) }), 'not-age', `${notAge}: This is not an age encrypted file (it does not start with "age-encryption.org/v1").`);
    expectFailure(
      await refused(sevenZipBackup, { passphrase: 'not the 7-Zip passphrase' }),
      'wrong-key',
      `The 7-Zip passphrase does not open ${sevenZipBackup}: it is not the passphrase of the profile that made this backup. The file matches its manifest, so it is not damaged.`,
    );
    const cut7z = damagedCopy(sevenZipBackup, (b) => b.subarray(0, Math.floor(b.length / 2)));
    expectFailure(await refused(cut7z, { passphrase: sevenZipPassphrase }), 'truncated', `${cut7z} is truncated: 7-Zip finds the archive cut short ("Unexpected end of archive"). Use a complete copy of this backup.`);
    const flipped7z = damagedCopy(sevenZipBackup, (b) => {
      const copy = Buffer.from(b);
      copy[100]! ^= 0x01;
      return copy;
    });
    expectFailure(await refused(flipped7z, { passphrase: sevenZipPassphrase }), 'tampered', /^The 7-Zip archive .* is damaged: the passphrase opens it but its contents fail 7-Zip's checks/);
  });

  it("a 7-Zip archive's damaged headers: the start header's check fails as damage; the encrypted header reads as a wrong passphrase, said so without the manifest", async () => {
    const bytes = readFileSync(sevenZipBackup);
    // The start header: the next header's offset (after these 32 bytes), and it is last in the file.
    const nextHeader = 32 + Number(bytes.readBigUInt64LE(12));
    expect(nextHeader + Number(bytes.readBigUInt64LE(20))).toBe(bytes.length);
    const flip = (at: number) => (b: Buffer): Buffer => {
      const copy = Buffer.from(b);
      copy[at]! ^= 0x01;
      return copy;
    };
    const header = damagedCopy(sevenZipBackup, flip(bytes.length - 2));
    expectFailure(await refused(header, { passphrase: sevenZipPassphrase }), 'tampered', `The 7-Zip archive ${header} is damaged: its headers fail 7-Zip's checks before any passphrase is tried. Use another copy of this backup.`);
    // Just before it: the packed header, encrypted, whose damage 7-Zip takes for a wrong passphrase.
    const packed = damagedCopy(sevenZipBackup, flip(nextHeader - 4));
    const hint = `7-Zip cannot tell a damaged archive from a wrong passphrase: put the backup's manifest beside the file (${path.basename(packed)}.manifest.json, which \`vaultdesk backup download\` writes) to have the file checked first.`;
    expectFailure(await refused(packed, { passphrase: sevenZipPassphrase }), 'wrong-key', `The 7-Zip passphrase does not open ${packed}: wrong passphrase, or the archive is damaged. ${hint}`);
    expectFailure(await refused(packed, { keyFiles: keys(kits.sevenZip), passphrase: KIT_PASSPHRASE }), 'kit-no-match', new RegExp(`^No 7-Zip passphrase in the recovery kit .* opens .*\\. ${hint.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
    // With its manifest beside it, the same damage is found before 7-Zip is asked.
    copyFileSync(`${sevenZipBackup}.manifest.json`, `${packed}.manifest.json`);
    expectFailure(await refused(packed, { passphrase: sevenZipPassphrase }), 'tampered', new RegExp(`^${packed.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not match its manifest`));
  });

  it('a file that authenticates but is not the one its manifest describes is tampered with, and nothing is kept', async () => {
    const folder = mkdtempSync(path.join(t.dir, 'in-'));
    const file = path.join(folder, path.basename(ageBackup));
    copyFileSync(ageBackup, file);
    const manifest = JSON.parse(readFileSync(`${ageBackup}.manifest.json`, 'utf8')) as { object: { sha256: string } };
    writeFileSync(`${file}.manifest.json`, JSON.stringify({ ...manifest, object: { ...manifest.object, sha256: 'f'.repeat(64) } }));
    const error = await refused(file, { keyFiles: keys(identityOf.team) });
    expect(error.code).toBe('INTEGRITY_FAILED');
    expectFailure(error, 'tampered', new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not match its manifest: sha256 [0-9a-f]{64}, expected f{64}\\.`));
  });

  it('with the manifest beside it, a damaged end is told apart: cut short (truncated) or changed at the same size (tampered)', async () => {
    const copyWithManifest = (damage: (bytes: Buffer) => Buffer): string => {
      const file = path.join(mkdtempSync(path.join(t.dir, 'in-')), path.basename(ageBackup));
      writeFileSync(file, damage(readFileSync(ageBackup)));
      copyFileSync(`${ageBackup}.manifest.json`, `${file}.manifest.json`);
      return file;
    };
    const cut7z = path.join(mkdtempSync(path.join(t.dir, 'in-')), path.basename(sevenZipBackup));
    writeFileSync(cut7z, readFileSync(sevenZipBackup).subarray(0, 1_000));
    copyFileSync(`${sevenZipBackup}.manifest.json`, `${cut7z}.manifest.json`);
    expectFailure(await refused(cut7z, { passphrase: sevenZipPassphrase }), 'truncated', new RegExp(`is truncated: it has 1000 of the \\d+ bytes its manifest gives\\.`));
    const size = readFileSync(ageBackup).length;
    const cut = copyWithManifest((b) => b.subarray(0, b.length - 10));
    expectFailure(await refused(cut, { keyFiles: keys(identityOf.team) }), 'truncated', `${cut} is truncated: it has ${size - 10} of the ${size} bytes its manifest gives. Use a complete copy of this backup.`);
    const changed = copyWithManifest((b) => {
      const copy = Buffer.from(b);
      copy[copy.length - 5]! ^= 0x01;
      return copy;
    });
    expectFailure(await refused(changed, { keyFiles: keys(identityOf.team) }), 'tampered', `${changed} was modified: it has the size its manifest gives, but its last chunk does not authenticate. Use another copy of this backup.`);
  });

  it('refuses keys that cannot apply, in words, before reading the backup', async () => {
    await expect(decryptOffline(request(ageBackup, path.join(outFolder(), 'x'), { keyFiles: keys(kits.team) }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `The recovery kit ${kits.team} is protected by a passphrase: give its passphrase (the Passphrase field on the Recovery page, or --passphrase-stdin for vaultdesk decrypt).`,
    });
    await expect(decryptOffline(request(ageBackup, path.join(outFolder(), 'x'), { keyFiles: keys(kits.other), passphrase: 'unneeded' }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('no identity file or kit given with -i is protected by one') });
    await expect(decryptOffline(request(sevenZipBackup, path.join(outFolder(), 'x'), { keyFiles: keys(identityOf.team) }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `${sevenZipBackup} is a 7-Zip archive: it opens with its 7-Zip profile's passphrase, not with an age identity such as ${identityOf.team}. Give a recovery kit that holds the profile, or the passphrase alone.`,
    });
    expect(() => readKeyFile(path.join(t.dir, 'keys'))).toThrow(`${path.join(t.dir, 'keys')} is a folder, not an identity file or a recovery kit.`);
    await expect(decryptOffline(request(ageBackup, path.join(outFolder(), 'x'), { keyFiles: keys(source) }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `${source} is not an identity file, a passphrase-protected identity or a recovery kit: Identity line 1 is not an age identity (AGE-SECRET-KEY-1...).`,
    });
  });
});
