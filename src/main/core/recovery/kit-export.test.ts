import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileDto } from '../../../shared/domain/dto';
import type { Core } from '../create-core';
import { tempCore, tempDir } from '../testing/temp-dir';
import { kitIdentities, readRecoveryKit } from './kit-read';

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
    zip = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'a long 7-Zip passphrase' });
    core.events.on('config:changed', (e) => changed.push(`${e.entity}:${e.id}`));
  });
  afterAll(() => {
    core.close();
    t.cleanup();
  });

  it('writes a 0600 kit of every age profile, proven, and marks them saved outside Vaultdesk', async () => {
    expect(team.identityOnlyInVaultdesk).toBe(true);
    const file = path.join(t.dir, 'kits', 'all.zip');
    const r = await core.call('recovery:exportKit', { path: file });
    expect(r).toMatchObject({ path: file, passphraseProtected: false, skipped: [] });
    expect(r.profiles.map((p) => [p.name, p.recipient])).toEqual([
      ['ops', ops.recipient],
      ['team', team.recipient],
    ]);
    expect(r.bytes).toBe(statSync(file).size);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(r)).not.toContain('AGE-SECRET-KEY');
    const kit = readRecoveryKit(readFileSync(file), file);
    const identities = await kitIdentities(kit, kit.entries, undefined);
    expect(identities.map((text) => text.match(/^AGE-SECRET-KEY-1\S+$/m)?.[0])).toEqual([core.profiles.secrets(ops.id).identity, core.profiles.secrets(team.id).identity]);
    const listed = await core.call('profiles:list', {});
    for (const name of ['team', 'ops']) expect(listed.find((p) => p.name === name)).toMatchObject({ identityOnlyInVaultdesk: false, identityExportedAt: expect.any(String) });
    expect(changed).toEqual(expect.arrayContaining([`profile:${team.id}`, `profile:${ops.id}`]));
  });

  it('wraps the chosen profiles with the passphrase', async () => {
    const file = path.join(t.dir, 'kits', 'team.zip');
    const r = await core.call('recovery:exportKit', { path: file, profileIds: [team.id], passphrase: 'correct horse battery staple' });
    expect(r.profiles.map((p) => p.name)).toEqual(['team']);
    expect(r.passphraseProtected).toBe(true);
    const kit = readRecoveryKit(readFileSync(file), file);
    expect(kit.entries.map((e) => e.key.identityFile)).toEqual(['identities/team.age']);
    expect(readFileSync(file).includes(Buffer.from('AGE-SECRET-KEY'))).toBe(false);
    expect((await kitIdentities(kit, kit.entries, 'correct horse battery staple'))[0]).toContain(core.profiles.secrets(team.id).identity!);
  });

  it('refuses 7-Zip profiles, short passphrases and unknown profiles, writing nothing', async () => {
    const folder = path.join(t.dir, 'refused');
    mkdirSync(folder);
    const file = path.join(folder, 'kit.zip');
    await expect(core.call('recovery:exportKit', { path: file, profileIds: [zip.id] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('Profile "zip" is a 7-Zip profile') });
    await expect(core.call('recovery:exportKit', { path: file, passphrase: 'short' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(core.call('recovery:exportKit', { path: file, profileIds: ['3f1c1d2e-0000-4000-8000-000000000000'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a path already taken is refused before any of the kit is made (the request is not even read further), the file kept', async () => {
    const file = path.join(t.dir, 'taken.zip');
    writeFileSync(file, 'mine');
    // A 7-Zip profile would be refused while the kit is put together: the path is said first.
    await expect(core.call('recovery:exportKit', { path: file, profileIds: [zip.id] })).rejects.toMatchObject({
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
