import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from './create-core';
import { seedSqliteFile } from './testing/db-fixtures';
import { tempCore, tempDir } from './testing/temp-dir';

let t: ReturnType<typeof tempDir>;
let core: Core;
let changes: { entity: string; id: string | null }[];

beforeEach(async () => {
  t = tempDir('vaultdesk-tested-');
  core = await tempCore(t.dir);
  changes = [];
  core.events.on('config:changed', (c) => changes.push(c));
});
afterEach(() => {
  core.close();
  t.cleanup();
});

const count = (table: string): number => (core.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('test on save', () => {
  it('saves a source whose test passes, with that test as its last one', async () => {
    const file = path.join(t.dir, 'shop.db');
    seedSqliteFile(file, 10);
    const saved = await core.call('sources:create', { engine: 'sqlite', name: 'shop', path: file, test: true });
    expect(saved.lastTest).toMatchObject({ success: true, message: expect.stringContaining(`Opened ${file}`) });
    expect(Date.parse(saved.lastTest!.at)).not.toBeNaN();
    expect((await core.call('sources:get', { id: saved.id })).lastTest).toEqual(saved.lastTest);
  });

  it('saves nothing when the test fails, says why, and saves untested when asked again without the test', async () => {
    const missing = path.join(t.dir, 'nope', 'app.db');
    const refused = await core.invoke('sources:create', { engine: 'sqlite', name: 'app', path: missing, test: true });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'TEST_FAILED',
        message: `The source "app" was not saved: its test failed. The SQLite file cannot be opened: ${missing} does not exist.`,
        details: { test: { at: expect.any(String), success: false, message: `The SQLite file cannot be opened: ${missing} does not exist.` }, cause: 'SOURCE_UNREACHABLE' },
      },
    });
    // Nothing stored, not even the default environment a first source brings.
    expect(count('sources')).toBe(0);
    expect(count('environments')).toBe(0);
    expect(changes).toEqual([]);

    const anyway = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: missing });
    expect(anyway.lastTest).toBeNull();
    expect(count('sources')).toBe(1);
  });

  it('refuses a taken name before testing', async () => {
    await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'a') });
    const taken = await core.invoke('destinations:create', { kind: 'local', name: 'DISK', path: '/proc/nope', test: true });
    expect(taken).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
  });

  it('tests a destination before saving it: a folder it cannot write in is not saved, a writable one is', async () => {
    // /proc exists and takes no file, whoever writes.
    const refused = await core.invoke('destinations:create', { kind: 'local', name: 'procdest', path: '/proc', test: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'TEST_FAILED', details: { test: { success: false } } } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/^The destination "procdest" was not saved: its test failed\. Folder \/proc cannot be used: /);
    expect(count('destinations')).toBe(0);

    const folder = path.join(t.dir, 'backups');
    const saved = await core.call('destinations:create', { kind: 'local', name: 'disk', path: folder, test: true });
    expect(saved.lastTest).toMatchObject({ success: true, message: expect.stringContaining(`Folder ${folder} is writable`) });
  });

  it('an update keeps the last test when only the name changes, and drops it when the connection settings change', async () => {
    const a = path.join(t.dir, 'a');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: a, test: true });
    const renamed = await core.call('destinations:update', { id: dest.id, name: 'disk-one' });
    expect(renamed.lastTest).toEqual(dest.lastTest);
    const moved = await core.call('destinations:update', { id: dest.id, path: path.join(t.dir, 'b') });
    expect(moved.lastTest).toBeNull();
    // Tested on save, an update that fails its test changes nothing.
    const refused = await core.invoke('destinations:update', { id: dest.id, path: '/proc', test: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'TEST_FAILED' } });
    expect((await core.call('destinations:get', { id: dest.id })).config).toMatchObject({ path: path.join(t.dir, 'b') });
    const retested = await core.call('destinations:update', { id: dest.id, path: path.join(t.dir, 'c'), test: true });
    expect(retested.lastTest).toMatchObject({ success: true });
  });
});

describe('the last test of a stored entry', () => {
  it('is kept by sources:test and destinations:test, passed or failed, and the lists are told', async () => {
    const file = path.join(t.dir, 'shop.db');
    seedSqliteFile(file, 10);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'shop', path: file });
    expect(source.lastTest).toBeNull();
    await core.call('sources:test', { id: source.id });
    expect((await core.call('sources:get', { id: source.id })).lastTest).toMatchObject({ success: true });

    // The file goes away: the test is refused with its code, and kept as a failed test.
    const moved = path.join(t.dir, 'moved.db');
    await core.call('sources:update', { id: source.id, path: moved });
    changes = [];
    const refused = await core.invoke('sources:test', { id: source.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SOURCE_UNREACHABLE' } });
    expect((await core.call('sources:list', {}))[0]!.lastTest).toMatchObject({ success: false, message: `The SQLite file cannot be opened: ${moved} does not exist.` });
    expect(changes).toEqual([{ entity: 'source', id: source.id }]);

    // Its folder goes away (a share not mounted): the test fails as a run would, and makes nothing.
    const folder = path.join(t.dir, 'gone');
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: folder });
    rmdirSync(folder);
    const result = await core.call('destinations:test', { id: dest.id });
    expect(result).toEqual({ success: false, message: expect.stringMatching(/^The folder .*gone of destination "disk" does not exist\./) });
    expect(existsSync(folder)).toBe(false);
    expect((await core.call('destinations:list', {}))[0]!.lastTest).toEqual({ at: expect.any(String), success: false, message: result.message });
  });
});

describe('encryption profiles saved outside Vaultdesk', () => {
  it('marks a generated identity until it is exported, and an imported one never', async () => {
    const generated = await core.call('profiles:create', { kind: 'age', name: 'team' });
    expect(generated).toMatchObject({ identityOnlyInVaultdesk: true, identityExportedAt: null });
    const file = path.join(t.dir, 'keys', 'team.txt');
    await core.call('profiles:exportIdentity', { id: generated.id, path: file });
    const exported = (await core.call('profiles:list', {})).find((p) => p.id === generated.id)!;
    expect(exported.identityOnlyInVaultdesk).toBe(false);
    expect(Date.parse(exported.identityExportedAt!)).not.toBeNaN();

    const imported = await core.call('profiles:create', { kind: 'age', name: 'brought', identity: 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX' });
    expect(imported.identityOnlyInVaultdesk).toBe(false);
    const typed = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'a passphrase the user knows' });
    expect(typed.identityOnlyInVaultdesk).toBe(false);

    // An export that cannot be written does not count.
    const other = await core.call('profiles:create', { kind: 'age', name: 'other' });
    expect(await core.invoke('profiles:exportIdentity', { id: other.id, path: '/proc/nope/id.txt' })).toMatchObject({ ok: false, error: { code: 'FILE_WRITE_FAILED' } });
    expect((await core.call('profiles:list', {})).find((p) => p.id === other.id)!.identityOnlyInVaultdesk).toBe(true);

    // Deleting it would lose the only key to its backups: only when the caller says so.
    expect(await core.invoke('profiles:delete', { id: other.id })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { reason: 'identity-not-saved' }, message: expect.stringContaining('was never saved outside Vaultdesk') } });
    expect((await core.call('profiles:list', {})).map((p) => p.name)).toContain('other');
    await core.call('profiles:delete', { id: other.id, discardUnsavedIdentity: true });
    await core.call('profiles:delete', { id: generated.id });
    await core.call('profiles:delete', { id: typed.id });
    expect((await core.call('profiles:list', {})).map((p) => p.name)).toEqual(['brought']);
  });

  it('marks a generated 7-Zip passphrase until it is saved to a 0600 file, which holds it on its last line', async () => {
    const generated = await core.call('profiles:create', { kind: '7z', name: 'zip' });
    expect(generated).toMatchObject({ identityOnlyInVaultdesk: true, identityExportedAt: null });
    // Deleting it would lose the only copy of the passphrase: refused in words about a passphrase.
    const refused = await core.invoke('profiles:delete', { id: generated.id });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The passphrase of 7-Zip profile "zip" was generated by Vaultdesk and never saved outside it: deleting the profile would leave every backup made with it impossible to open, with 7-Zip or anything else. Save the passphrase first, or confirm that those backups may be lost.',
        details: { field: 'id', reason: 'identity-not-saved' },
      },
    });

    changes = [];
    const file = path.join(t.dir, 'keys', 'zip-passphrase.txt');
    expect(await core.call('profiles:exportIdentity', { id: generated.id, path: file })).toEqual({ path: file, kind: '7z', recipient: null });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe(core.profiles.secrets(generated.id).passphrase);
    expect(lines.slice(0, -2).every((l) => l.startsWith('# '))).toBe(true);
    expect(lines[0]).toBe('# Vaultdesk 7-Zip encryption profile "zip": the passphrase of its backups (.7z archives).');
    expect(lines.join('\n')).toContain('7z x BACKUP.7z');
    expect(changes).toEqual([{ entity: 'profile', id: generated.id }]);
    const listed = (await core.call('profiles:list', {})).find((p) => p.id === generated.id)!;
    expect(listed.identityOnlyInVaultdesk).toBe(false);
    expect(Date.parse(listed.identityExportedAt!)).not.toBeNaN();
    await core.call('profiles:delete', { id: generated.id });
    expect(await core.call('profiles:list', {})).toEqual([]);
  });
});

describe('deleting a job while it runs', () => {
  it('is refused, saying so; once the run has ended the job can go', async () => {
    const file = path.join(t.dir, 'shop.db');
    seedSqliteFile(file, 10);
    const backups = path.join(t.dir, 'backups');
    mkdirSync(backups);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'shop', path: file });
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: backups });
    // A pre-run hook that waits keeps the run in progress for as long as the test needs.
    const job = await core.call('jobs:create', { name: 'nightly', sourceId: source.id, destinationIds: [dest.id], preHook: { shell: false, argv: ['sleep', '60'] } });
    const started = core.runService.start(job.id, 'manual');
    const refused = await core.invoke('jobs:delete', { id: job.id });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'RUN_IN_PROGRESS',
        message: expect.stringMatching(/^Job "nightly" is running now \(run [0-9a-f-]{36}, in .+\) and cannot be deleted while it runs\. Cancel the run \(nothing of it is kept; 'vaultdesk run cancel [0-9a-f-]{36}', or Cancel in the app\) or let it finish, then delete the job\.$/),
        details: { runId: started.runId },
      },
    });
    expect((await core.call('jobs:get', { id: job.id })).name).toBe('nightly');

    await core.call('runs:cancel', { id: started.runId });
    expect((await started.finished).status).toBe('cancelled');
    await core.call('jobs:delete', { id: job.id });
    expect(await core.invoke('jobs:get', { id: job.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The run's record stays, under the job's name.
    expect((await core.call('runs:get', { id: started.runId })).jobName).toBe('nightly');
    expect(existsSync(backups)).toBe(true);
  });
});
