import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { Core } from '../create-core';
import type { ProfilesRepository } from '../store/profiles-repository';
import { tempCore, tempDir } from '../testing/temp-dir';
import { importRecoveryKit } from './kit-import';

const PASSPHRASE = 'correct horse battery staple';
/** An offline key every backup of "team" is also encrypted to. */
const BREAK_GLASS = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

describe('recovery:importKit', () => {
  const t = tempDir('vaultdesk-kit-import-');
  /** The install that made the backups and the kit. */
  let old: Core;
  let team: ProfileDto;
  let ops: ProfileDto;
  const kit = path.join(t.dir, 'kits', 'kit.zip');
  const plainKit = path.join(t.dir, 'kits', 'plain.zip');
  let install = 0;
  const fresh = async (): Promise<Core> => tempCore(path.join(t.dir, `install-${++install}`));
  const opened: Core[] = [];
  const newInstall = async (): Promise<Core> => {
    const core = await fresh();
    opened.push(core);
    return core;
  };
  const names = async (core: Core): Promise<string[]> => (await core.call('profiles:list', {})).map((p) => p.name);

  beforeAll(async () => {
    old = await tempCore(path.join(t.dir, 'old'));
    team = await old.call('profiles:create', { kind: 'age', name: 'team', extraRecipients: [BREAK_GLASS] });
    ops = await old.call('profiles:create', { kind: 'age', name: 'ops' });
    await old.call('recovery:exportKit', { path: kit, passphrase: PASSPHRASE });
    await old.call('recovery:exportKit', { path: plainKit });
  });
  afterAll(() => {
    old.close();
    for (const core of opened) core.close();
    t.cleanup();
  });

  it('a new install: every profile of a passphrase-protected kit, under its name, with its identity, counted as saved outside Vaultdesk', async () => {
    const core = await newInstall();
    const changed: string[] = [];
    core.events.on('config:changed', (e) => changed.push(`${e.entity}:${e.id}`));
    const r = await core.call('recovery:importKit', { path: kit, passphrase: PASSPHRASE });
    expect(r).toMatchObject({ path: kit, passphraseProtected: true, present: [], clashes: [] });
    expect(r.created.map((p) => [p.name, p.recipient])).toEqual([
      ['ops', ops.recipient],
      ['team', team.recipient],
    ]);
    expect(JSON.stringify(r)).not.toContain('AGE-SECRET-KEY');
    for (const p of r.created) {
      const original = p.name === 'team' ? team : ops;
      expect(core.profiles.secrets(p.id).identity).toBe(old.profiles.secrets(original.id).identity);
      expect(core.profiles.get(p.id)).toMatchObject({ kind: 'age', recipient: original.recipient, identityOnlyInVaultdesk: false, extraRecipients: original.extraRecipients });
    }
    expect(core.profiles.get(r.created.find((p) => p.name === 'team')!.id).extraRecipients).toEqual([BREAK_GLASS]);
    expect(changed.sort()).toEqual(r.created.map((p) => `profile:${p.id}`).sort());

    // Again: nothing new, each named as here already.
    const again = await core.call('recovery:importKit', { path: plainKit });
    expect(again.created).toEqual([]);
    expect(again.present).toEqual([
      { name: 'ops', kind: 'age', recipient: ops.recipient, profile: 'ops' },
      { name: 'team', kind: 'age', recipient: team.recipient, profile: 'team' },
    ]);
    expect(await names(core)).toEqual(['ops', 'team']);
  });

  it('the passphrase: wrong, missing or given to a kit without one, each refused in words, nothing made', async () => {
    const core = await newInstall();
    await expect(core.call('recovery:importKit', { path: kit, passphrase: 'not the kit passphrase' })).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
      message: expect.stringContaining(`Wrong passphrase for the recovery kit ${kit}`),
    });
    await expect(core.call('recovery:importKit', { path: kit })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: `The recovery kit ${kit} is protected by a passphrase: give its passphrase (the Passphrase field on the Recovery page, or --passphrase-stdin on the command line).` });
    await expect(core.call('recovery:importKit', { path: plainKit, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('is not protected by a passphrase') });
    expect(await names(core)).toEqual([]);
  });

  it('chosen profiles only; a name the kit lacks is refused naming those it holds', async () => {
    const core = await newInstall();
    const r = await core.call('recovery:importKit', { path: plainKit, profiles: ['team'] });
    expect(r.created.map((p) => p.name)).toEqual(['team']);
    await expect(core.call('recovery:importKit', { path: plainKit, profiles: ['ops', 'nobody'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `The recovery kit ${plainKit} holds no profile named "nobody"; it holds "ops", "team".`,
    });
    expect(await names(core)).toEqual(['team']);
  });

  it('a name used here by another key is left out and named; nothing here is replaced', async () => {
    const core = await newInstall();
    const mine = await core.call('profiles:create', { kind: 'age', name: 'OPS' });
    const r = await core.call('recovery:importKit', { path: plainKit });
    expect(r.created.map((p) => p.name)).toEqual(['team']);
    expect(r.clashes).toEqual([{ name: 'ops', kind: 'age', recipient: ops.recipient, profile: 'OPS' }]);
    expect(core.profiles.get(mine.id).recipient).toBe(mine.recipient);
    expect(await names(core)).toEqual(['OPS', 'team']);
  });

  it('names clash as the store compares them: ASCII case only, so "ärger" is free beside "Ärger"', async () => {
    const source = await newInstall();
    await source.call('profiles:create', { kind: 'age', name: 'ärger' });
    const accented = path.join(t.dir, 'kits', 'accented.zip');
    await source.call('recovery:exportKit', { path: accented });

    const core = await newInstall();
    await core.call('profiles:create', { kind: 'age', name: 'Ärger' });
    expect((await core.call('recovery:inspectKit', { path: accented })).profiles.map((p) => [p.name, p.standing])).toEqual([['ärger', 'new']]);
    const r = await core.call('recovery:importKit', { path: accented });
    expect(r.created.map((p) => p.name)).toEqual(['ärger']);
    expect((await names(core)).sort()).toEqual(['Ärger', 'ärger'].sort());
  });

  it('inspect: each profile of the kit with where it stands here, before any passphrase, making nothing', async () => {
    const core = await newInstall();
    const fresh = await core.call('recovery:inspectKit', { path: kit });
    expect(fresh).toMatchObject({ path: kit, passphraseProtected: true, appVersion: expect.any(String) });
    expect(Date.parse(fresh.exportedAt)).not.toBeNaN();
    expect(fresh.profiles).toEqual([
      { name: 'ops', kind: 'age', recipient: ops.recipient, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), created: ops.createdAt, extraRecipients: [], standing: 'new', profile: null },
      { name: 'team', kind: 'age', recipient: team.recipient, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), created: team.createdAt, extraRecipients: [BREAK_GLASS], standing: 'new', profile: null },
    ]);
    expect(await names(core)).toEqual([]);

    // One imported under the kit's name, one name taken here by another key: the inspection follows.
    await core.call('recovery:importKit', { path: plainKit, profiles: ['team'] });
    await core.call('profiles:create', { kind: 'age', name: 'Ops' });
    const later = await core.call('recovery:inspectKit', { path: plainKit });
    expect(later.passphraseProtected).toBe(false);
    expect(later.profiles.map((p) => [p.name, p.standing, p.profile])).toEqual([
      ['ops', 'clash', 'Ops'],
      ['team', 'present', 'team'],
    ]);
    // The same tells a missing file and a file that is not a kit as import does.
    await expect(core.call('recovery:inspectKit', { path: path.join(t.dir, 'gone.zip') })).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(core.call('recovery:inspectKit', { path: path.join(t.dir, 'kits') })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('is a folder, not a recovery kit') });
  });

  it('refuses what is not a kit, and a kit whose identity is not the one its index names, making nothing', async () => {
    const core = await newInstall();
    const folder = path.join(t.dir, 'not-kits');
    mkdirSync(folder, { recursive: true });
    const text = path.join(folder, 'identity.txt');
    writeFileSync(text, 'AGE-SECRET-KEY-1QQQQ\n');
    await expect(core.call('recovery:importKit', { path: text })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: `${text} is not a Vaultdesk recovery kit: it is not a zip.` });
    await expect(core.call('recovery:importKit', { path: path.join(folder, 'gone.zip') })).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(core.call('recovery:importKit', { path: folder })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('is a folder, not a recovery kit') });

    // keys.json with the two recipients swapped: each identity is then not the one it names.
    const files = unzipSync(readFileSync(plainKit));
    const index = JSON.parse(strFromU8(files['keys.json']!)) as { keys: { recipient: string; fingerprint: string }[] };
    const [a, b] = index.keys;
    [a!.recipient, b!.recipient] = [b!.recipient, a!.recipient];
    files['keys.json'] = strToU8(JSON.stringify(index));
    const swapped = path.join(folder, 'swapped.zip');
    writeFileSync(swapped, zipSync(files));
    await expect(core.call('recovery:importKit', { path: swapped })).rejects.toMatchObject({
      code: 'INTEGRITY_FAILED',
      message: expect.stringMatching(/^The recovery kit \S+swapped\.zip is damaged: the identity of profile "ops" \(identities\/ops\.txt\) is not the one whose recipient keys\.json gives .* Nothing was imported\.$/),
    });
    expect(await names(core)).toEqual([]);
  });

  it('all or nothing: a profile that cannot be made takes back those made before it', async () => {
    const core = await newInstall();
    let made = 0;
    const failing = new Proxy(core.profiles, {
      get(target, key, receiver) {
        if (key === 'create') {
          return async (input: Parameters<ProfilesRepository['create']>[0]) => {
            if (++made === 2) throw new AppError('NAME_TAKEN', 'An encryption profile named "team" exists already.');
            return target.create(input);
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(importRecoveryKit({ profiles: failing }, { path: plainKit })).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    expect(made).toBe(2);
    expect(await names(core)).toEqual([]);
  });

  it('7-Zip profiles: made with their passphrase, here already when a 7-Zip profile has the same passphrase under any name, left out when the name is taken', async () => {
    const source = await newInstall();
    await source.call('profiles:create', { kind: '7z', name: 'nightly', passphrase: 'the nightly 7-Zip passphrase' });
    await source.call('profiles:create', { kind: '7z', name: 'weekly', passphrase: 'the weekly 7-Zip passphrase' });
    await source.call('profiles:create', { kind: '7z', name: 'monthly', passphrase: 'the monthly 7-Zip passphrase' });
    const zipKit = path.join(t.dir, 'kits', '7z.zip');
    const wrappedKit = path.join(t.dir, 'kits', '7z-wrapped.zip');
    await source.call('recovery:exportKit', { path: zipKit });
    await source.call('recovery:exportKit', { path: wrappedKit, passphrase: PASSPHRASE });

    const core = await newInstall();
    // The same passphrase under another name; another passphrase under the kit's name; an age profile with the kit's name.
    const same = await core.call('profiles:create', { kind: '7z', name: 'nightly-here', passphrase: 'the nightly 7-Zip passphrase' });
    await core.call('profiles:create', { kind: '7z', name: 'Weekly', passphrase: 'not the weekly passphrase' });
    await core.call('profiles:create', { kind: 'age', name: 'monthly' });
    const standings = async (kitPath: string): Promise<unknown[]> => (await core.call('recovery:inspectKit', { path: kitPath })).profiles.map((p) => [p.name, p.kind, p.fingerprint, p.standing, p.profile]);
    expect(await standings(zipKit)).toEqual([
      ['monthly', '7z', null, 'clash', 'monthly'],
      ['nightly', '7z', null, 'present', 'nightly-here'],
      ['weekly', '7z', null, 'clash', 'Weekly'],
    ]);
    // Without the kit's passphrase, a 7-Zip name taken by a 7-Zip profile here is known only on import.
    expect(await standings(wrappedKit)).toEqual([
      ['monthly', '7z', null, 'clash', 'monthly'],
      ['nightly', '7z', null, 'new', null],
      ['weekly', '7z', null, 'unsure', 'Weekly'],
    ]);
    await expect(core.call('recovery:importKit', { path: wrappedKit })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('is protected by a passphrase') });
    const r = await core.call('recovery:importKit', { path: wrappedKit, passphrase: PASSPHRASE });
    expect(r).toMatchObject({
      created: [],
      present: [{ name: 'nightly', kind: '7z', recipient: null, profile: 'nightly-here' }],
      clashes: [
        { name: 'monthly', kind: '7z', recipient: null, profile: 'monthly' },
        { name: 'weekly', kind: '7z', recipient: null, profile: 'Weekly' },
      ],
    });
    expect(core.profiles.get(same.id).name).toBe('nightly-here');

    const fresh = await newInstall();
    const made = await fresh.call('recovery:importKit', { path: wrappedKit, passphrase: PASSPHRASE, profiles: ['weekly'] });
    expect(made.created).toEqual([{ id: expect.any(String), name: 'weekly', kind: '7z', recipient: null, fingerprint: null }]);
    expect(fresh.profiles.secrets(made.created[0]!.id).passphrase).toBe('the weekly 7-Zip passphrase');
    expect(fresh.profiles.get(made.created[0]!.id)).toMatchObject({ kind: '7z', hasSecret: true, identityOnlyInVaultdesk: false });
    expect(JSON.stringify(made)).not.toContain('the weekly 7-Zip passphrase');
  });
});
