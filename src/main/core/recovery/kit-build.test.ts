import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ageWithPassphrase } from '../pipeline/testing/age-cli';
import { recipientFingerprint } from '../pipeline/manifest';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { buildRecoveryKit, type KitAgeProfile } from './kit-build';
import { proveKit } from './kit-prove';
import { isAgeEntry, kitIdentities, readRecoveryKit } from './kit-read';

const skip = shouldSkip('age, zstd and unzip CLIs', probeCommand('age') ?? probeCommand('zstd') ?? probeCommand('unzip', ['-v']));
const skipPty = skip || shouldSkip('script(1) for a pseudo-terminal', probeCommand('script', ['--version']));
const PASSPHRASE = 'kit passphrase, never in argv';
const NOW = new Date('2026-03-01T03:00:00Z');

async function profile(name: string): Promise<KitAgeProfile> {
  const identity = await generateX25519Identity();
  return { kind: 'age', name, identity, recipient: await identityToRecipient(identity), createdAt: '2026-01-15T10:00:00.000Z' };
}

describe.skipIf(skip)('recovery kit: what it holds, and the standard tools open backups with it', () => {
  const t = tempDir('vaultdesk-kit-');
  afterAll(() => t.cleanup());
  const sh = (script: string, cwd: string): string => execFileSync('sh', ['-c', script], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('without a passphrase: plain identity files, keys.json, and a README whose own commands decrypt a backup', async () => {
    const team = await profile('team');
    const ops = await profile('ops night/shift');
    const kit = await buildRecoveryKit([team, ops], { now: NOW, version: '9.9.9' });
    const dir = path.join(t.dir, 'plain');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'vaultdesk-kit.zip'), kit.bytes);
    // The README's own step 2, with the Info-ZIP tool a DBA has.
    sh('unzip -q vaultdesk-kit.zip -d kit', dir);
    expect(readdirSync(path.join(dir, 'kit')).sort()).toEqual(['README.txt', 'identities', 'keys.json']);
    expect(readdirSync(path.join(dir, 'kit', 'identities')).sort()).toEqual(['ops_night_shift.txt', 'team.txt']);
    expect(statSync(path.join(dir, 'kit', 'identities', 'team.txt')).mode & 0o777).toBe(0o600);
    const index = JSON.parse(readFileSync(path.join(dir, 'kit', 'keys.json'), 'utf8')) as Record<string, unknown>;
    expect(index).toEqual({
      format: 'vaultdesk-recovery-kit',
      formatVersion: 1,
      createdAt: NOW.toISOString(),
      app: { name: 'vaultdesk', version: '9.9.9' },
      passphraseProtected: false,
      keys: [
        { kind: 'age', profile: 'team', recipient: team.recipient, fingerprint: recipientFingerprint(team.recipient), created: team.createdAt, identityFile: 'identities/team.txt' },
        { kind: 'age', profile: 'ops night/shift', recipient: ops.recipient, fingerprint: recipientFingerprint(ops.recipient), created: ops.createdAt, identityFile: 'identities/ops_night_shift.txt' },
      ],
    });
    expect(readFileSync(path.join(dir, 'kit', 'identities', 'team.txt'), 'utf8')).toBe(`# Vaultdesk encryption profile "team"\n# created: ${team.createdAt}\n# public key: ${team.recipient}\n${team.identity}\n`);

    // A backup as age and zstd make it, under the README's example name.
    const dump = Buffer.from('-- PostgreSQL database dump\n'.repeat(20_000));
    writeFileSync(path.join(dir, 'dump'), dump);
    sh(`zstd -q -c dump | age -r ${team.recipient} > 20260301T030000Z.dump.zst.age`, dir);
    const readme = readFileSync(path.join(dir, 'kit', 'README.txt'), 'utf8');
    const step4 = readme.slice(readme.indexOf('4. DECRYPT AND DECOMPRESS'), readme.indexOf('  age checks every chunk'));
    const commands = step4
      .split('\n')
      .filter((line) => /^ {4}(age|zstd) /.test(line))
      .map((line) => line.replace(/#.*$/, '').trim());
    expect(commands).toEqual(['age -d -i kit/identities/team.txt -o backup.dump.zst 20260301T030000Z.dump.zst.age', 'zstd -d backup.dump.zst -o backup.dump']);
    for (const command of commands) sh(command, dir);
    expect(readFileSync(path.join(dir, 'backup.dump')).equals(dump)).toBe(true);
    for (const named of ['pg_restore -h HOST -U USER -d shop_restored --no-owner backup.dump', 'psql -h HOST -U USER -d shop_restored -v ON_ERROR_STOP=1 -f backup.sql', 'mariadb -h HOST -u USER -p --binary-mode --comments --max-allowed-packet=1G shop_restored < backup.sql', 'SET GLOBAL max_allowed_packet = 1073741824;', 'sqlite3 backup.sqlite "PRAGMA integrity_check"', 'gzip -dc backup.sql.gz > backup.sql', 'sha256sum 20260301T030000Z.dump.zst.age', 'vaultdesk decrypt 20260301T030000Z.dump.zst.age -i vaultdesk-kit.zip -o backup.dump', 'vaultdesk kit import vaultdesk-kit.zip\n']) {
      expect(readme).toContain(named);
    }
    expect(readme).not.toContain('--passphrase-stdin');
    for (const p of [team, ops]) expect(readme).toContain(recipientFingerprint(p.recipient));
    expect(readme).not.toContain('AGE-SECRET-KEY');
  });

  it.skipIf(skipPty)('with a passphrase: `age -d` unwraps each identity, and age uses the wrapped file directly', async () => {
    const team = await profile('team');
    const ops = await profile('ops');
    const kit = await buildRecoveryKit([team, ops], { now: NOW, version: '9.9.9', passphrase: PASSPHRASE });
    const dir = path.join(t.dir, 'wrapped');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'kit.zip'), kit.bytes);
    sh('unzip -q kit.zip -d kit', dir);
    expect(readdirSync(path.join(dir, 'kit', 'identities')).sort()).toEqual(['ops.age', 'team.age']);
    const wrapped = readFileSync(path.join(dir, 'kit', 'identities', 'team.age'));
    expect(wrapped.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    expect(wrapped.includes(Buffer.from('AGE-SECRET-KEY'))).toBe(false);
    expect((JSON.parse(readFileSync(path.join(dir, 'kit', 'keys.json'), 'utf8')) as { passphraseProtected: boolean }).passphraseProtected).toBe(true);

    // The README's step 3, as the standard tool runs it.
    const unwrapped = path.join(dir, 'team.txt');
    const r = await ageWithPassphrase(['-d', '-o', unwrapped, path.join(dir, 'kit', 'identities', 'team.age')], PASSPHRASE);
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(unwrapped, 'utf8')).toContain(`\n${team.identity}\n`);

    const plain = Buffer.from('INSERT INTO orders VALUES (1);\n'.repeat(5_000));
    writeFileSync(path.join(dir, 'plain.sql'), plain);
    sh(`age -r ${ops.recipient} -o backup.sql.age plain.sql`, dir);
    const out = path.join(dir, 'restored.sql');
    const direct = await ageWithPassphrase(['-d', '-i', path.join(dir, 'kit', 'identities', 'ops.age'), '-o', out, path.join(dir, 'backup.sql.age')], PASSPHRASE);
    expect(direct.code, direct.output).toBe(0);
    expect(readFileSync(out).equals(plain)).toBe(true);

    const readme = readFileSync(path.join(dir, 'kit', 'README.txt'), 'utf8');
    expect(readme).toContain('(umask 077; age -d -o kit/identities/team.txt kit/identities/team.age)');
    expect(readme).toContain('vaultdesk decrypt 20260301T030000Z.dump.zst.age -i vaultdesk-kit.zip --passphrase-stdin -o backup.dump');
    expect(readme).toContain('vaultdesk kit import vaultdesk-kit.zip --passphrase-stdin\n');

    const read = readRecoveryKit(kit.bytes, 'kit.zip');
    await expect(kitIdentities(read, read.entries.filter(isAgeEntry), 'not the passphrase')).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
      message: 'Wrong passphrase for the recovery kit kit.zip: it does not unwrap the identity of profile "team".',
      details: { reason: 'kit-passphrase' },
    });
  });

  it('refuses to produce a kit whose identity does not open its own profile\'s files', async () => {
    const team = await profile('team');
    const other = await profile('other');
    // The store's identity and public key disagree (a damaged row): the kit would hold a key that opens nothing.
    const damaged = { ...team, identity: other.identity };
    await expect(buildRecoveryKit([damaged], { now: NOW, version: '1' })).rejects.toMatchObject({
      code: 'INTEGRITY_FAILED',
      message: expect.stringMatching(/^The recovery kit failed its own test, so it was not written: the identity it holds for profile "team" does not open a test file encrypted to that profile's public key age1/),
    });
    // Two identities swapped between profiles: each opens something, but not its own profile's files.
    const swapped = [
      { ...team, identity: other.identity },
      { ...other, identity: team.identity },
    ];
    await expect(buildRecoveryKit(swapped, { now: NOW, version: '1', passphrase: PASSPHRASE, scryptWorkFactor: 10 })).rejects.toMatchObject({ code: 'INTEGRITY_FAILED' });
    // A good kit, proven against a profile list it was not made for (the seam: a kit corrupted after packing).
    const good = await buildRecoveryKit([team], { now: NOW, version: '1' });
    await expect(proveKit(good.bytes, [{ ...team, recipient: other.recipient }], undefined)).rejects.toMatchObject({ code: 'INTEGRITY_FAILED', message: expect.stringContaining('it has no entry for profile "team"') });
    const corrupted = Buffer.from(good.bytes);
    const at = corrupted.indexOf(Buffer.from(team.identity.slice(20, 40)));
    corrupted[at] = corrupted[at] === 0x51 ? 0x50 : 0x51;
    await expect(proveKit(corrupted, [team], undefined)).rejects.toMatchObject({ code: 'INTEGRITY_FAILED' });
  });

  it('reads only what a kit holds: no index, a foreign index and an inflating entry are each refused in words', () => {
    const zip = (files: Record<string, Uint8Array>): Uint8Array => zipSync(files, { level: 9 });
    expect(() => readRecoveryKit(zip({ 'README.txt': strToU8('hi') }), 'a.zip')).toThrow('a.zip is not a Vaultdesk recovery kit: it has no keys.json.');
    expect(() => readRecoveryKit(zip({ 'keys.json': strToU8('{"format":"something else"}') }), 'b.zip')).toThrow(/^b\.zip is not a Vaultdesk recovery kit: its keys\.json is not a kit index \(format: /);
    // 64 MiB of zeros deflate to a few dozen KiB: the reader stops at its entry limit.
    const bomb = zip({ 'identities/x.txt': new Uint8Array(64 * 1024 * 1024) });
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    expect(() => readRecoveryKit(bomb, 'bomb.zip')).toThrow('bomb.zip is not a Vaultdesk recovery kit: identities/x.txt is larger than any kit file.');
    expect(() => readRecoveryKit(Buffer.from('PK\u0003\u0004 not really a zip'), 'c.zip')).toThrow(/^c\.zip is not a Vaultdesk recovery kit: /);
  });
});
