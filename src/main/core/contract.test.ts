import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { SourceDto } from '../../shared/domain/dto';
import type { RunDto } from '../../shared/domain/runs';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/ipc/channels';
import { contract, eventContract, type EventPayload, type InvokeInput, type InvokeResult } from '../../shared/ipc/contract';
import { inputSchemas } from '../../shared/ipc/input-schemas';
import * as schemas from '../../shared/ipc/schemas';
import type { Core } from './create-core';
import { createHandlers } from './handlers';
import { tempCore, tempDir } from './testing/temp-dir';

let t: ReturnType<typeof tempDir>;
let core: Core;

/** Every row of every table, so "nothing was written" is checked on the whole store. */
function snapshot(c: Core): string {
  const tables = c.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return JSON.stringify(tables.map(({ name }) => [name, c.db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
}

beforeEach(async () => {
  t = tempDir();
  core = await tempCore(t.dir);
  const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
  const src = await core.call('sources:create', { engine: 'postgres', name: 'pg', host: 'db', user: 'u', database: 'd', password: 'pw' });
  await core.call('jobs:create', { name: 'nightly', sourceId: src.id, destinationIds: [dest.id] });
});
afterEach(() => {
  core.close();
  t.cleanup();
});

// Shapes no channel accepts: wrong types, unknown keys, and an id that is not one.
const MALFORMED: unknown[] = [42, 'text', [], null, true, { unexpected: 1 }, { id: 'not-an-id', name: 7 }];

describe('contract validation', () => {
  it('derives the channel list, the schemas and the handlers from the one map, in its order', () => {
    expect(INVOKE_CHANNELS).toEqual(Object.keys(contract));
    expect(INVOKE_CHANNELS.slice(0, 3)).toEqual(['app:info', 'environments:list', 'environments:create']);
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length);
    expect(Object.keys(inputSchemas)).toEqual(INVOKE_CHANNELS);
    const handlers = createHandlers(core);
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort());
    for (const channel of INVOKE_CHANNELS) {
      expect(inputSchemas[channel], channel).toBe(schemas[contract[channel].input]);
      expect(inputSchemas[channel], channel).toBeInstanceOf(z.ZodType);
      expect(typeof handlers[channel], channel).toBe('function');
      expect(channel, 'channels are named domain:action').toMatch(/^[a-z]+:[a-zA-Z]+$/);
    }
    expect(EVENT_CHANNELS).toEqual(Object.keys(eventContract));
    expect(EVENT_CHANNELS).toEqual(['config:changed', 'runs:progress', 'runs:finished', 'restore:progress', 'restore:finished', 'schedules:changed', 'notifications:alert', 'recovery:decryptProgress']);
    // The result and payload types come out of the map as written, not as unknown.
    expectTypeOf<InvokeResult<'sources:list'>>().toEqualTypeOf<SourceDto[]>();
    expectTypeOf<InvokeResult<'keys:reset'>>().toEqualTypeOf<{ fingerprint: string; secretsCleared: number }>();
    expectTypeOf<InvokeInput<'keys:reset'>>().toEqualTypeOf<{ confirm: 'RESET' }>();
    expectTypeOf<EventPayload<'runs:finished'>>().toEqualTypeOf<RunDto>();
  });

  for (const channel of INVOKE_CHANNELS) {
    it(`${channel}: refuses malformed input with VALIDATION_FAILED and writes nothing`, async () => {
      const before = snapshot(core);
      for (const payload of MALFORMED) {
        const result = await core.invoke(channel, payload);
        expect(result, `${channel} accepted ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      }
      expect(snapshot(core)).toBe(before);
    });
  }

  it('names the failing field path', async () => {
    const result = await core.invoke('sources:create', { engine: 'postgres', name: 'x', host: 'h', user: 'u', database: 'd', port: 99999 });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'port' } } });
    const nested = await core.invoke('sources:create', { engine: 'mysql', name: 'x', host: 'h', user: 'u', database: 'd', ssh: { mode: 'exec', host: 'b', user: '', port: 22 } });
    expect(nested).toMatchObject({ ok: false, error: { details: { field: 'ssh.user' } } });
  });

  it('refuses an unknown channel', async () => {
    expect(await core.invoke('sources:drop', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('enforces destination rules with clear messages', async () => {
    const dest = core.destinations.findByName('disk')!;
    expect(dest.jobNames).toEqual(['nightly']);
    const inUse = await core.invoke('destinations:delete', { id: dest.id });
    expect(inUse).toMatchObject({ ok: false, error: { code: 'DESTINATION_IN_USE', details: { jobs: ['nightly'] } } });
    expect(!inUse.ok && inUse.error.message).toContain('"nightly"');
    await core.call('destinations:lock', { id: dest.id });
    expect(await core.invoke('destinations:delete', { id: dest.id })).toMatchObject({ ok: false, error: { code: 'DESTINATION_LOCKED' } });
    expect(await core.invoke('destinations:create', { kind: 'local', name: 'DISK', path: '/x' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN', message: 'A destination named "DISK" already exists. Choose another name.' } });
    await core.call('profiles:create', { kind: 'age', name: 'team' });
    expect(await core.invoke('profiles:create', { kind: 'age', name: 'Team' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN', message: 'An encryption profile named "Team" already exists. Choose another name.' } });
    expect(await core.invoke('destinations:create', { kind: 'local', name: 'ab', path: '/x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'name' } } });
    expect(await core.invoke('destinations:create', { kind: 'local', name: 'a'.repeat(31), path: '/x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const other = await core.call('destinations:create', { kind: 'local', name: 'spare', path: path.join(t.dir, 'spare'), isDefault: true });
    expect(other.isDefault).toBe(true);
    const again = await core.call('destinations:setDefault', { id: dest.id });
    expect(again.isDefault).toBe(true);
    expect((await core.call('destinations:get', { id: other.id })).isDefault).toBe(false);
    await core.call('destinations:delete', { id: other.id });
    expect(core.destinations.findByName('spare')).toBeNull();
  });

  it('forgets a pinned SFTP host key on request, and when the server changes', async () => {
    const sftp = await core.call('destinations:create', { kind: 'sftp', name: 'vault', host: 'backup.example', user: 'dba', path: '/srv', password: 'pw' });
    core.destinations.pinHostKey(sftp.id, 'SHA256:pinned');
    expect((await core.call('destinations:get', { id: sftp.id })).config).toMatchObject({ hostKeyFingerprint: 'SHA256:pinned' });
    await core.call('destinations:update', { id: sftp.id, path: '/srv/other' });
    expect((await core.call('destinations:get', { id: sftp.id })).config).toMatchObject({ hostKeyFingerprint: 'SHA256:pinned' });
    await core.call('destinations:update', { id: sftp.id, forgetHostKey: true });
    expect((await core.call('destinations:get', { id: sftp.id })).config).toMatchObject({ hostKeyFingerprint: null });
    core.destinations.pinHostKey(sftp.id, 'SHA256:pinned');
    await core.call('destinations:update', { id: sftp.id, host: 'new-backup.example' });
    expect((await core.call('destinations:get', { id: sftp.id })).config).toMatchObject({ hostKeyFingerprint: null });
    const disk = core.destinations.findByName('disk')!;
    expect(await core.invoke('destinations:update', { id: disk.id, forgetHostKey: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('refuses a job whose environment may not use the destination', async () => {
    const disk = core.destinations.findByName('disk')!;
    const offsite = await core.call('destinations:create', { kind: 'local', name: 'offsite', path: path.join(t.dir, 'offsite') });
    const prod = await core.call('environments:create', { name: 'production', allowAllDestinations: false, allowedDestinationIds: [offsite.id] });
    const src = await core.call('sources:create', { engine: 'sqlite', name: 'lite', path: '/data/app.db', environmentId: prod.id });
    const refused = await core.invoke('jobs:create', { name: 'prod-job', sourceId: src.id, destinationIds: [disk.id] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_ALLOWED' } });
    expect(!refused.ok && refused.error.message).toMatch(/environment "production", which may not use destination "disk"/);
    expect(core.jobs.findByName('prod-job')).toBeNull();
    const ok = await core.call('jobs:create', { name: 'prod-job', sourceId: src.id, destinationIds: [offsite.id] });
    expect(ok.destinationNames).toEqual(['offsite']);
  });

  it("refuses a change that would leave a job on a destination its environment may not use: the environment's allowed list, or its source moved; nothing changes", async () => {
    const disk = core.destinations.findByName('disk')!;
    const vault = await core.call('destinations:create', { kind: 'local', name: 'vault', path: path.join(t.dir, 'vault') });
    const staging = await core.call('environments:create', { name: 'staging', allowAllDestinations: true });
    const src = await core.call('sources:create', { engine: 'sqlite', name: 'stage-db', path: '/data/stage.db', environmentId: staging.id });
    await core.call('jobs:create', { name: 'stage-nightly', sourceId: src.id, destinationIds: [disk.id, vault.id] });
    const narrowed = await core.invoke('environments:update', { id: staging.id, allowAllDestinations: false, allowedDestinationIds: [vault.id] });
    expect(narrowed).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_ALLOWED', details: { jobs: ['stage-nightly'], destinations: ['disk'] } } });
    expect(!narrowed.ok && narrowed.error.message).toBe(
      'Environment "staging" would not allow destinations its sources\' jobs store on, so their runs would fail: job "stage-nightly" stores on "disk". Allow those destinations in the environment, or change the jobs\' destinations first.',
    );
    expect((await core.call('environments:list', {})).find((e) => e.id === staging.id)).toMatchObject({ allowAllDestinations: true, allowedDestinationIds: [] });
    // Moving the source into an environment that may use the vault only: refused the same way, the source stays where it was.
    const locked = await core.call('environments:create', { name: 'locked', allowAllDestinations: false, allowedDestinationIds: [vault.id] });
    const moved = await core.invoke('sources:update', { id: src.id, environmentId: locked.id });
    expect(moved).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_ALLOWED', details: { jobs: ['stage-nightly'], destinations: ['disk'] } } });
    expect((await core.call('sources:get', { id: src.id })).environmentId).toBe(staging.id);
    // Allowing both is fine.
    expect(await core.call('environments:update', { id: staging.id, allowAllDestinations: false, allowedDestinationIds: [vault.id, disk.id] })).toMatchObject({ allowAllDestinations: false });
  });

  it('validates schedules, time zones and encryption profiles', async () => {
    const src = core.sources.findByName('pg')!;
    const dest = core.destinations.findByName('disk')!;
    const base = { sourceId: src.id, destinationIds: [dest.id] };
    expect(await core.invoke('jobs:create', { ...base, name: 'a', schedule: 'every day' })).toMatchObject({ ok: false, error: { details: { field: 'schedule' } } });
    expect(await core.invoke('jobs:create', { ...base, name: 'a', schedule: '0 3 * * *', timezone: 'Mars/Olympus' })).toMatchObject({ ok: false, error: { details: { field: 'timezone' } } });
    expect(await core.invoke('jobs:create', { ...base, name: 'a', encryption: 'age' })).toMatchObject({ ok: false, error: { details: { field: 'profileId' } } });
    for (const [compression, level, words] of [['zstd', 20, 'zstd levels go from 1 to 19, not 20.'], ['gzip', 0, 'gzip levels go from 1 to 9, not 0.'], ['none', 3, 'Without compression there is no level to set.']] as const) {
      const refused = await core.invoke('jobs:create', { ...base, name: 'a', compression, compressionLevel: level });
      expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: words, details: { field: 'compressionLevel' } } });
    }
    expect(await core.invoke('jobs:create', { ...base, name: 'a', compressionLevel: 2.5 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(core.jobs.findByName('a')).toBeNull();
    expect(await core.call('jobs:create', { ...base, name: 'b', compressionLevel: 19 })).toMatchObject({ compression: 'zstd', compressionLevel: 19 });
    const seven = await core.call('profiles:create', { kind: '7z', name: 'zip' });
    expect(await core.invoke('jobs:create', { ...base, name: 'a', encryption: 'age', profileId: seven.id })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const job = await core.call('jobs:create', { ...base, name: 'a', encryption: '7z', profileId: seven.id, schedule: '0 3 * * *', timezone: 'Europe/Paris' });
    expect(job).toMatchObject({ encryption: '7z', profileName: 'zip', schedule: '0 3 * * *', timezone: 'Europe/Paris' });
    const updated = await core.call('jobs:update', { id: job.id, encryption: 'none' });
    expect(updated).toMatchObject({ encryption: 'none', profileId: null, schedule: '0 3 * * *' });
  });
});

describe('bounds in words', () => {
  it("a value outside a schema's bounds is said as the forms say it, not in zod's own words; custom messages are kept", async () => {
    const s3 = await core.invoke('destinations:create', { kind: 's3', name: 'tiny-bucket', bucket: 'b', partSizeMiB: 2, buckets: Array.from({ length: 101 }, () => 'abc') });
    expect(!s3.ok && s3.error.message).toBe('Invalid input: bucket: must be at least 3 characters; partSizeMiB: must be at least 5; buckets: must have at most 100 items');
    const empty = await core.invoke('restore:start', { backupId: '00000000-0000-4000-8000-000000000000', database: ' ' });
    expect(!empty.ok && empty.error.message).toBe('Invalid input: database: must not be empty');
  });
});

describe('master key import and reset through the contract', () => {
  it('reset needs the confirmation word, drops every stored secret and announces itself', async () => {
    const before = snapshot(core);
    const cases: [unknown, string][] = [[{}, 'confirm'], [{ confirm: 'reset' }, 'confirm'], [{ confirm: true }, 'confirm'], [{ confirm: 'RESET', extra: 1 }, '']];
    for (const [input, field] of cases) {
      const refused = await core.invoke('keys:reset', input);
      expect(refused, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field } } });
    }
    const missing = await core.invoke('keys:reset', {});
    expect(!missing.ok && missing.error.message).toBe('Invalid input: confirm: must be "RESET": a reset drops every stored password, key and identity');
    expect(snapshot(core)).toBe(before);
    expect(core.sources.findByName('pg')!.hasPassword).toBe(true);

    const announced: unknown[] = [];
    core.events.on('config:changed', (p) => announced.push(p));
    const old = await core.call('keys:status', {});
    const reset = await core.call('keys:reset', { confirm: 'RESET' });
    expect(reset.secretsCleared).toBe(1);
    expect(reset.fingerprint).not.toBe(old.fingerprint);
    expect(announced).toEqual([{ entity: 'key', id: null }]);
    expect(core.sources.findByName('pg')!.hasPassword).toBe(false);
    expect(await core.call('keys:status', {})).toMatchObject({ state: 'ok', fingerprint: reset.fingerprint });
  });

  it('import takes an exported key file\'s text, refuses a key of another store, and changes nothing then', async () => {
    const file = path.join(t.dir, 'exported.key');
    const exported = await core.call('keys:export', { path: file });
    const text = readFileSync(file, 'utf8');
    expect(await core.call('keys:import', { key: `# kept offline\n\n${text}` })).toEqual({ fingerprint: exported.fingerprint });

    const other = await tempCore(path.join(t.dir, 'other'), path.join(t.dir, 'other.key'));
    const otherFile = path.join(t.dir, 'other-exported.key');
    const foreign = await other.call('keys:export', { path: otherFile });
    other.close();
    const keyFileBefore = readFileSync(path.join(t.dir, 'master.key'), 'utf8');
    const refused = await core.invoke('keys:import', { key: readFileSync(otherFile, 'utf8') });
    expect(refused).toEqual({ ok: false, error: { code: 'MASTER_KEY_MISMATCH', message: `The key ${foreign.fingerprint} does not match this database; nothing was changed.` } });
    expect(readFileSync(path.join(t.dir, 'master.key'), 'utf8')).toBe(keyFileBefore);
    expect((await core.call('keys:status', {})).fingerprint).toBe(exported.fingerprint);

    for (const key of ['', 'not a key', Buffer.alloc(16).toString('base64'), 'x'.repeat(5000)]) {
      expect(await core.invoke('keys:import', { key }), key.slice(0, 20)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'key' } } });
    }
  });

  it('exports an age identity to a 0600 file, refuses unwritable paths with words a user can act on', async () => {
    const age = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const file = path.join(t.dir, 'team-identity.txt');
    expect(await core.call('profiles:exportIdentity', { id: age.id, path: file })).toEqual({ path: file, kind: 'age', recipient: age.recipient });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^# Vaultdesk encryption profile "team"\n# public key: ${age.recipient}\nAGE-SECRET-KEY-1[0-9A-Z]+\n$`));

    // A missing folder is made, for its owner only.
    const elsewhere = path.join(t.dir, 'new-folder', 'id.txt');
    expect(await core.call('profiles:exportIdentity', { id: age.id, path: elsewhere })).toEqual({ path: elsewhere, kind: 'age', recipient: age.recipient });
    expect(statSync(path.dirname(elsewhere)).mode & 0o777).toBe(0o700);
    const nowhere = '/proc/x/id.txt';
    expect(await core.invoke('profiles:exportIdentity', { id: age.id, path: nowhere })).toMatchObject({
      ok: false,
      error: { code: 'FILE_WRITE_FAILED', message: expect.stringMatching(/^Could not write \/proc\/x\/id\.txt: folder \/proc\/x cannot be created/), details: { field: 'path' } },
    });
    const folder = await core.invoke('profiles:exportIdentity', { id: age.id, path: t.dir });
    expect(folder).toMatchObject({ ok: false, error: { code: 'FILE_WRITE_FAILED', message: `Could not write ${t.dir}: ${t.dir} is a folder where a file should be.`, details: { field: 'path' } } });
    // The temporary file the identity was first written to is not left behind.
    expect(readdirSync(path.dirname(t.dir)).filter((f) => f.startsWith(`${path.basename(t.dir)}.tmp-`))).toEqual([]);

    const seven = await core.call('profiles:create', { kind: '7z', name: 'zip' });
    await core.call('keys:reset', { confirm: 'RESET' });
    const dropped = await core.invoke('profiles:exportIdentity', { id: age.id, path: path.join(t.dir, 'after-reset.txt') });
    expect(dropped).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('was dropped when the master key was reset') } });
    const droppedPassphrase = await core.invoke('profiles:exportIdentity', { id: seven.id, path: path.join(t.dir, 'zip-after-reset.txt') });
    expect(droppedPassphrase).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'The passphrase of 7-Zip profile "zip" is no longer stored: it was dropped when the master key was reset. Its backups open only with a copy kept elsewhere.' } });
    expect(existsSync(path.join(t.dir, 'zip-after-reset.txt'))).toBe(false);
  });
});
