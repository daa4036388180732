import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../shared/ipc/channels';
import { inputSchemas } from '../../shared/ipc/contract';
import type { Core } from './create-core';
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
  const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: '/srv/backups' });
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
  it('has a schema for every channel', () => {
    expect(Object.keys(inputSchemas).sort()).toEqual([...INVOKE_CHANNELS].sort());
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
    expect(await core.invoke('destinations:create', { kind: 'local', name: 'DISK', path: '/x' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
    expect(await core.invoke('destinations:create', { kind: 'local', name: 'ab', path: '/x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'name' } } });
    expect(await core.invoke('destinations:create', { kind: 'local', name: 'a'.repeat(31), path: '/x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const other = await core.call('destinations:create', { kind: 'local', name: 'spare', path: '/y', isDefault: true });
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
    const offsite = await core.call('destinations:create', { kind: 'local', name: 'offsite', path: '/z' });
    const prod = await core.call('environments:create', { name: 'production', allowAllDestinations: false, allowedDestinationIds: [offsite.id] });
    const src = await core.call('sources:create', { engine: 'sqlite', name: 'lite', path: '/data/app.db', environmentId: prod.id });
    const refused = await core.invoke('jobs:create', { name: 'prod-job', sourceId: src.id, destinationIds: [disk.id] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'DESTINATION_NOT_ALLOWED' } });
    expect(!refused.ok && refused.error.message).toMatch(/environment "production", which may not use destination "disk"/);
    expect(core.jobs.findByName('prod-job')).toBeNull();
    const ok = await core.call('jobs:create', { name: 'prod-job', sourceId: src.id, destinationIds: [offsite.id] });
    expect(ok.destinationNames).toEqual(['offsite']);
  });

  it('validates schedules, time zones and encryption profiles', async () => {
    const src = core.sources.findByName('pg')!;
    const dest = core.destinations.findByName('disk')!;
    const base = { sourceId: src.id, destinationIds: [dest.id] };
    expect(await core.invoke('jobs:create', { ...base, name: 'a', schedule: 'every day' })).toMatchObject({ ok: false, error: { details: { field: 'schedule' } } });
    expect(await core.invoke('jobs:create', { ...base, name: 'a', schedule: '0 3 * * *', timezone: 'Mars/Olympus' })).toMatchObject({ ok: false, error: { details: { field: 'timezone' } } });
    expect(await core.invoke('jobs:create', { ...base, name: 'a', encryption: 'age' })).toMatchObject({ ok: false, error: { details: { field: 'profileId' } } });
    const seven = await core.call('profiles:create', { kind: '7z', name: 'zip' });
    expect(await core.invoke('jobs:create', { ...base, name: 'a', encryption: 'age', profileId: seven.id })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const job = await core.call('jobs:create', { ...base, name: 'a', encryption: '7z', profileId: seven.id, schedule: '0 3 * * *', timezone: 'Europe/Paris' });
    expect(job).toMatchObject({ encryption: '7z', profileName: 'zip', schedule: '0 3 * * *', timezone: 'Europe/Paris' });
    const updated = await core.call('jobs:update', { id: job.id, encryption: 'none' });
    expect(updated).toMatchObject({ encryption: 'none', profileId: null, schedule: '0 3 * * *' });
  });
});
