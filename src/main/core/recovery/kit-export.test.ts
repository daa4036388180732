import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileDto } from '../../../shared/domain/dto';
import type { Core } from '../create-core';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { toolWrapper } from '../testing/tool-wrapper';
import { isAgeEntry, isSevenZipEntry, kitIdentities, kitPassphrases, readRecoveryKit } from './kit-read';

const no7zz = shouldSkip('7-Zip (7zz)', probeCommand('7zz', ['i']));
const ZIP_PASSPHRASE = 'a long 7-Zip passphrase';

describe('recovery:exportKit', () => {
  const t = tempDir('vaultdesk-kit-export-');
  let core: Core;
  let team: ProfileDto;
  let ops: ProfileDto;
  let zip: ProfileDto;
  const changed: string[] = [];

  beforeAll(async () => {
    core = await tempCore(t.dir);
    team = await core.call('profiles:create', { kind: 'age', name: 'team' });
    ops = await core.call('profiles:create', { kind: 'age', name: 'ops' });
    zip = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: ZIP_PASSPHRASE });
    core.events.on('config:changed', (e) => changed.push(`${e.entity}:${e.id}`));
  });
  afterAll(() => {
    core.close();
    t.cleanup();
  });

  it('writes a 0600 kit of every profile, age and 7-Zip, proven, and marks them saved outside Vaultdesk', async () => {
    expect(team.identityOnlyInVaultdesk).toBe(true);
    const file = path.join(t.dir, 'kits', 'all.zip');
    const r = await core.call('recovery:exportKit', { path: file });
    expect(r).toMatchObject({ path: file, passphraseProtected: false, skipped: [] });
    expect(r.profiles.map((p) => [p.name, p.kind, p.recipient])).toEqual([
      ['ops', 'age', ops.recipient],
      ['team', 'age', team.recipient],
      ['zip', '7z', null],
    ]);
    expect(r.bytes).toBe(statSync(file).size);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(r)).not.toContain('AGE-SECRET-KEY');
    expect(JSON.stringify(r)).not.toContain(ZIP_PASSPHRASE);
    const kit = readRecoveryKit(readFileSync(file), file);
    const identities = await kitIdentities(kit, kit.entries.filter(isAgeEntry), undefined);
    expect(identities.map((text) => text.match(/^AGE-SECRET-KEY-1\S+$/m)?.[0])).toEqual([core.profiles.secrets(ops.id).identity, core.profiles.secrets(team.id).identity]);
    const sevenZips = kit.entries.filter(isSevenZipEntry);
    expect(sevenZips.map((e) => e.key)).toEqual([{ kind: '7z', profile: 'zip', created: zip.createdAt, passphraseFile: 'passphrases/zip.txt' }]);
    expect(await kitPassphrases(kit, sevenZips, undefined)).toEqual([ZIP_PASSPHRASE]);
    const listed = await core.call('profiles:list', {});
    for (const name of ['team', 'ops', 'zip']) expect(listed.find((p) => p.name === name)).toMatchObject({ identityOnlyInVaultdesk: false, identityExportedAt: expect.any(String) });
    expect(changed).toEqual(expect.arrayContaining([`profile:${team.id}`, `profile:${ops.id}`, `profile:${zip.id}`]));
  });

  it('wraps the chosen profiles with the passphrase, a 7-Zip passphrase as an identity is', async () => {
    const file = path.join(t.dir, 'kits', 'team.zip');
    const r = await core.call('recovery:exportKit', { path: file, profileIds: [team.id, zip.id], passphrase: 'correct horse battery staple' });
    expect(r.profiles.map((p) => p.name)).toEqual(['team', 'zip']);
    expect(r.passphraseProtected).toBe(true);
    const kit = readRecoveryKit(readFileSync(file), file);
    expect(kit.entries.map((e) => (e.key.kind === 'age' ? e.key.identityFile : e.key.passphraseFile))).toEqual(['identities/team.age', 'passphrases/zip.age']);
    expect(readFileSync(file).includes(Buffer.from('AGE-SECRET-KEY'))).toBe(false);
    expect(readFileSync(file).includes(Buffer.from(ZIP_PASSPHRASE))).toBe(false);
    expect((await kitIdentities(kit, kit.entries.filter(isAgeEntry), 'correct horse battery staple'))[0]).toContain(core.profiles.secrets(team.id).identity!);
    expect(await kitPassphrases(kit, kit.entries.filter(isSevenZipEntry), 'correct horse battery staple')).toEqual([ZIP_PASSPHRASE]);
  });

  it.skipIf(no7zz)('proves each 7-Zip passphrase with a test archive of the 7-Zip found, and writes nothing when that archive does not open', async () => {
    const file = path.join(t.dir, 'kits', 'zip-only.zip');
    const r = await core.call('recovery:exportKit', { path: file, profileIds: [zip.id] });
    expect(r.sevenZipTestedWith).toMatch(/\/7zz$/);
    // A 7-Zip that makes archives but cannot extract them: the kit's copy is not shown to open one.
    const bin = path.join(t.dir, 'broken-7z');
    toolWrapper(path.join(bin, '7zz'), '7zz', 'if [ "$1" = "x" ]; then echo "ERROR: Data Error" >&2; exit 2; fi\nexec REAL "$@"');
    const broken = await tempCore(path.join(t.dir, 'broken'), undefined, { toolEnv: { PATH: `${bin}:${process.env.PATH}` } });
    try {
      const mine = await broken.call('profiles:create', { kind: '7z', name: 'mine', passphrase: ZIP_PASSPHRASE });
      const folder = path.join(t.dir, 'broken-out');
      mkdirSync(folder);
      await expect(broken.call('recovery:exportKit', { path: path.join(folder, 'kit.zip') })).rejects.toMatchObject({
        code: 'INTEGRITY_FAILED',
        message: expect.stringMatching(/^The recovery kit failed its own test, so it was not written: a test archive made by \S+broken-7z\/7zz with the passphrase of 7-Zip profile "mine" does not open with the kit's copy of it/),
      });
      expect(readdirSync(folder)).toEqual([]);
      expect(broken.profiles.get(mine.id)).toMatchObject({ identityExportedAt: null });
      expect(readdirSync(path.join(t.dir, 'broken', 'data', 'tmp'))).toEqual([]);
    } finally {
      broken.close();
    }
  });

  it('without any 7-Zip the kit is still written: its 7-Zip passphrases are compared with the stored ones', async () => {
    const bare = await tempCore(path.join(t.dir, 'bare'), undefined, { toolEnv: { PATH: path.join(t.dir, 'no-tools') } });
    try {
      await bare.call('profiles:create', { kind: '7z', name: 'nightly', passphrase: ZIP_PASSPHRASE });
      const file = path.join(t.dir, 'kits', 'bare.zip');
      const r = await bare.call('recovery:exportKit', { path: file });
      expect(r).toMatchObject({ sevenZipTestedWith: null, profiles: [{ name: 'nightly', kind: '7z' }] });
      const kit = readRecoveryKit(readFileSync(file), file);
      expect(await kitPassphrases(kit, kit.entries.filter(isSevenZipEntry), undefined)).toEqual([ZIP_PASSPHRASE]);
    } finally {
      bare.close();
    }
  });

  it('refuses short passphrases and unknown profiles, writing nothing', async () => {
    const folder = path.join(t.dir, 'refused');
    mkdirSync(folder);
    const file = path.join(folder, 'kit.zip');
    await expect(core.call('recovery:exportKit', { path: file, passphrase: 'short' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(core.call('recovery:exportKit', { path: file, profileIds: ['3f1c1d2e-0000-4000-8000-000000000000'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a path already taken is refused before any of the kit is made (the request is not even read further), the file kept', async () => {
    const file = path.join(t.dir, 'taken.zip');
    writeFileSync(file, 'mine');
    // An unknown profile would be refused while the kit is put together: the path is said first.
    await expect(core.call('recovery:exportKit', { path: file, profileIds: ['3f1c1d2e-0000-4000-8000-000000000000'] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `${file} already exists: choose another path, or remove it first. Nothing was written.`,
      details: { field: 'path' },
    });
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('a profile whose stored identity does not match its public key fails the kit\'s test: no file, no profile marked', async () => {
    const broken = await core.call('profiles:create', { kind: 'age', name: 'broken' });
    // A damaged row: the public key of another profile beside this identity.
    core.db.prepare('UPDATE profiles SET recipient = ? WHERE id = ?').run(team.recipient, broken.id);
    const folder = path.join(t.dir, 'canary');
    mkdirSync(folder);
    await expect(core.call('recovery:exportKit', { path: path.join(folder, 'kit.zip'), profileIds: [ops.id, broken.id] })).rejects.toMatchObject({
      code: 'INTEGRITY_FAILED',
      message: expect.stringContaining('The recovery kit failed its own test, so it was not written: the identity it holds for profile "broken" does not open a test file'),
    });
    expect(readdirSync(folder)).toEqual([]);
    expect((await core.call('profiles:list', {})).find((p) => p.name === 'broken')).toMatchObject({ identityExportedAt: null, identityOnlyInVaultdesk: true });
  });
});
