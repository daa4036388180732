import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationDto, EnvironmentDto, JobDto, ProfileDto, SourceDto } from '../../../shared/domain/dto';
import type { SystemExportDto } from '../../../shared/domain/system';
import type { Core } from '../create-core';
import { ageEncryptBuffer } from '../recovery/age-buffer';
import { flipByte } from '../testing/backup-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { SYSTEM_FORMAT } from './system-document';

/** age's lowest work factor: the test decrypts many times. The CLI test covers the default. */
const FAST = { scryptWorkFactor: 10 };
const PASSPHRASE = 'staple battery horse correct';

/** Everything a data dir holds that a system backup carries, as the contract and the repositories show it. */
function snapshot(core: Core): unknown {
  return {
    environments: core.environments.list(),
    sources: core.sources.list().map((s) => ({ ...s, secrets: core.sources.secrets(s.id) })),
    destinations: core.destinations.list().map((d) => ({ ...d, secrets: core.destinations.secrets(d.id) })),
    profiles: core.profiles.list().map((p) => ({ ...p, secrets: core.profiles.secrets(p.id) })),
    jobs: core.jobs.list().map((j) => ({ ...j, secrets: core.jobs.secrets(j.id) })),
    settings: { ...core.settings.get(), webhookUrl: core.settings.webhookUrl() },
  };
}

function empty(core: Core): boolean {
  return [core.environments.list(), core.sources.list(), core.destinations.list(), core.profiles.list(), core.jobs.list()].every((l) => l.length === 0);
}

const STORED_BACKUP_ID = '7d1c3a52-0b8e-4c41-9f3e-2a6b5c4d3e21';

describe('system export and import', () => {
  const t = tempDir('vaultdesk-system-');
  let a: Core;
  const file = path.join(t.dir, 'out', 'vaultdesk-system.age');
  const made = {} as { prod: EnvironmentDto; staging: EnvironmentDto; disk: DestinationDto; bucket: DestinationDto; pg: SourceDto; app: SourceDto; team: ProfileDto; zip: ProfileDto; nightly: JobDto; weekly: JobDto };
  const cores: Core[] = [];
  let exported: SystemExportDto;
  const fresh = async (name: string): Promise<Core> => {
    const core = await tempCore(path.join(t.dir, name), undefined, FAST);
    cores.push(core);
    return core;
  };

  beforeAll(async () => {
    a = await fresh('a');
    made.disk = await a.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups'), isDefault: true });
    made.bucket = await a.call('destinations:create', {
      kind: 's3',
      name: 'bucket',
      provider: 'minio',
      endpoint: 'http://127.0.0.1:9',
      bucket: 'backups',
      accessKeyId: 'AKIASYSTEMTEST',
      secretAccessKey: 's3-secret-key/with+chars',
      prefix: 'vault',
    });
    await a.call('destinations:lock', { id: made.bucket.id });
    made.prod = await a.call('environments:create', { name: 'production', description: 'the real thing', allowAllDestinations: false, allowedDestinationIds: [made.disk.id, made.bucket.id] });
    made.staging = await a.call('environments:create', { name: 'staging' });
    made.pg = await a.call('sources:create', {
      engine: 'postgres',
      name: 'pg',
      host: 'db.example.invalid',
      user: 'backup',
      database: 'shop',
      password: 'pg-password with spaces',
      environmentId: made.prod.id,
      ssh: { mode: 'tunnel', host: 'bastion.example.invalid', user: 'ops', privateKey: 'not-a-real-key', passphrase: 'key passphrase' },
    });
    made.app = await a.call('sources:create', { engine: 'sqlite', name: 'app', path: path.join(t.dir, 'app.db'), environmentId: made.staging.id });
    made.team = await a.call('profiles:create', { kind: 'age', name: 'team' });
    made.zip = await a.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'the 7-Zip passphrase' });
    made.nightly = await a.call('jobs:create', {
      name: 'nightly',
      sourceId: made.pg.id,
      destinationIds: [made.bucket.id, made.disk.id],
      encryption: 'age',
      profileId: made.team.id,
      schedule: '0 2 * * *',
      timezone: 'Europe/Paris',
      retention: { keepLast: 3, daily: 7, weekly: 4, monthly: 12, yearly: null, minimum: 2 },
      preHook: { shell: false, argv: ['/usr/bin/true', 'before'] },
      postHook: { shell: true, script: 'echo "$VAULTDESK_STATUS"' },
      webhookUrl: 'https://hooks.example.invalid/services/T000/B000/secret-token',
      webhookFormat: 'slack',
      healthchecksUrl: 'https://hc.example.invalid/ping/1234-uuid',
    });
    made.weekly = await a.call('jobs:create', { name: 'weekly', sourceId: made.app.id, destinationIds: [made.disk.id], encryption: '7z', profileId: made.zip.id, enabled: false });
    await a.call('settings:setWebhook', { url: 'https://global.example.invalid/hook?token=abc', format: 'discord' });
    await a.call('settings:setToolPath', { tool: 'pg_dump', path: '/opt/pg/bin/pg_dump' });
    await a.call('schedules:setConcurrency', { limit: 3 });
    a.backupState.setPinned(made.disk.id, 'nightly/shop/20261130T020000Z.dump.zst.age', true, null);
    a.backupState.setPinned(made.bucket.id, 'vault/nightly/shop/20261129T020000Z.dump.zst.age', true, '2099-01-01T00:00:00.000Z');
    // A backup a run of nightly stored: the history of runs stays behind, this does not.
    a.db
      .prepare('INSERT INTO backups (id, run_id, job_id, destination_id, object_key, database_name, size, sha256, manifest, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(STORED_BACKUP_ID, made.nightly.id, made.disk.id, 'nightly/shop/20261130T020000Z.dump.zst.age', 'shop', 1234, 'a'.repeat(64), '{"formatVersion":1}', '2026-11-30T02:00:00.000Z');
    exported = await a.call('system:export', { path: file, passphrase: PASSPHRASE });
  });
  afterAll(() => {
    for (const c of cores) c.close();
    t.cleanup();
  });

  it('writes one 0600 age file to the passphrase, with every secret inside and only counts coming back', async () => {
    expect(exported).toEqual({ path: file, bytes: statSync(file).size, counts: { environments: 2, sources: 2, destinations: 2, profiles: 2, jobs: 2, pins: 2 } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    expect(bytes.toString('latin1')).toMatch(/^-> scrypt \S+ 10$/m);
    for (const secret of ['pg-password', 's3-secret-key', 'AGE-SECRET-KEY', 'the 7-Zip passphrase', 'secret-token', SYSTEM_FORMAT]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('refuses to write a file every credential depends on with a passphrase shorter than 12 characters, writing nothing', async () => {
    const short = path.join(t.dir, 'short.age');
    await expect(a.call('system:export', { path: short, passphrase: 'hunter2-ok' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('at least 12 characters') });
    expect(existsSync(short)).toBe(false);
  });

  // age reads a passphrase from the terminal only: `script` gives it one, fed from stdin.
  it.skipIf(shouldSkip('age CLI and script', probeCommand('age', ['--version']) ?? probeCommand('script', ['--version'])))('opens with the standard age tool and the passphrase', () => {
    const out = path.join(t.dir, 'age-decrypted.json');
    const r = spawnSync('script', ['-qec', `age -d -o ${out} ${file}`, '/dev/null'], { input: `${PASSPHRASE}\n`, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stdout).toBe(0);
    const document = JSON.parse(readFileSync(out, 'utf8')) as { format: string; formatVersion: number; sources: { secrets: Record<string, string> }[] };
    expect([document.format, document.formatVersion]).toEqual([SYSTEM_FORMAT, 1]);
    expect(document.sources.map((s) => s.secrets.password)).toContain('pg-password with spaces');
  });

  it('recreates every row and every secret in an empty data dir with another master key, ids kept', async () => {
    const b = await fresh('b');
    expect(b.keys.status().fingerprint).not.toBe(a.keys.status().fingerprint);
    const changes: string[] = [];
    b.events.on('config:changed', (c) => changes.push(c.entity));
    const r = await b.call('system:import', { path: file, passphrase: PASSPHRASE });
    expect(r).toMatchObject({ path: file, merged: false, appVersion: '0.0.0', counts: { environments: 2, sources: 2, destinations: 2, profiles: 2, jobs: 2, pins: 2 }, skipped: [], settings: 'imported' });
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(b.jobs.get(made.nightly.id)).toMatchObject({ hasWebhook: true, webhookHost: expect.stringContaining('hooks.example.invalid'), hasHealthchecks: true, destinationIds: [made.bucket.id, made.disk.id] });
    expect(b.backupState.get(made.disk.id, 'nightly/shop/20261130T020000Z.dump.zst.age')).toMatchObject({ pinned: true, pinnedUntil: null });
    expect(b.backupState.get(made.bucket.id, 'vault/nightly/shop/20261129T020000Z.dump.zst.age')).toMatchObject({ pinned: true, pinnedUntil: '2099-01-01T00:00:00.000Z' });
    expect(new Set(changes)).toEqual(new Set(['environment', 'source', 'destination', 'profile', 'job', 'settings']));
    // The backups the job's runs stored are its own here too: its retention counts them.
    expect(b.backups.listFor(made.nightly.id, made.disk.id).map((x) => [x.id, x.key])).toEqual([[STORED_BACKUP_ID, 'nightly/shop/20261130T020000Z.dump.zst.age']]);
    // The home page's last success for the job: its runs stayed behind, its backups did not.
    expect(b.jobs.get(made.nightly.id).lastBackupAt).toBe('2026-11-30T02:00:00.000Z');
    expect(b.jobs.get(made.weekly.id).lastBackupAt).toBeNull();
    const preview = await b.call('jobs:retentionPreview', { id: made.nightly.id });
    expect(preview.destinations.find((d) => d.destinationId === made.disk.id)!.databases.flatMap((d) => d.backups.map((x) => x.key))).toEqual(['nightly/shop/20261130T020000Z.dump.zst.age']);
    // Sealed under B's key: B's store holds none of them in clear, and A's key does not open them.
    const stored = b.db.prepare("SELECT secrets FROM sources WHERE name = 'pg'").get() as { secrets: string };
    expect(stored.secrets).toMatch(/^v1:/);
    expect(() => a.keys.box().open(stored.secrets, `sources:${made.pg.id}`)).toThrow();
  });

  it('imports names the store holds apart, "Ärger" beside "ärger" (its NOCASE folds ASCII only)', async () => {
    const from = await fresh('accented-from');
    await from.call('environments:create', { name: 'Ärger' });
    await from.call('environments:create', { name: 'ärger' });
    const accented = path.join(t.dir, 'out', 'accented.age');
    await from.call('system:export', { path: accented, passphrase: PASSPHRASE });
    const to = await fresh('accented-to');
    await to.call('system:import', { path: accented, passphrase: PASSPHRASE });
    expect((await to.call('environments:list', {})).map((e) => e.name).sort()).toEqual((await from.call('environments:list', {})).map((e) => e.name).sort());
  });

  it('refuses a data dir that is not empty, saying what is there, and changes nothing', async () => {
    const c = await fresh('c');
    await c.call('sources:create', { engine: 'sqlite', name: 'mine', path: path.join(t.dir, 'mine.db') });
    const before = snapshot(c);
    await expect(c.call('system:import', { path: file, passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'DATA_DIR_NOT_EMPTY',
      message: expect.stringContaining('1 source ("mine")'),
    });
    expect(snapshot(c)).toEqual(before);
    // The `default` environment the store made by itself for that source does not count; the source does.
    expect(c.environments.list().map((e) => e.name)).toEqual(['default']);
  });

  it('merges: whatever has a name used here is left out and listed with what depends on it, nothing here changes', async () => {
    const d = await fresh('d');
    await d.call('environments:create', { name: 'Production', description: 'mine', allowAllDestinations: true });
    await d.call('destinations:create', { kind: 'local', name: 'DISK', path: path.join(t.dir, 'd-backups'), isDefault: true });
    await d.call('sources:create', { engine: 'postgres', name: 'pg', host: 'mine.invalid', user: 'me', database: 'mine', password: 'my own password' });
    const before = snapshot(d) as { environments: unknown[]; sources: unknown[]; destinations: unknown[] };
    const r = await d.call('system:import', { path: file, passphrase: PASSPHRASE, merge: true });
    expect(r.merged).toBe(true);
    expect(r.settings).toBe('kept');
    expect(r.counts).toEqual({ environments: 1, sources: 1, destinations: 1, profiles: 2, jobs: 0, pins: 1 });
    expect(r.skipped).toEqual([
      { kind: 'environment', name: 'production', reason: 'an environment named "Production" exists here: its sources join that one, whose settings are kept' },
      { kind: 'destination', name: 'disk', reason: 'a destination named "DISK" exists here' },
      { kind: 'source', name: 'pg', reason: 'a source named "pg" exists here' },
      { kind: 'job', name: 'nightly', reason: 'its source "pg" and its destination "disk" were left out' },
      { kind: 'job', name: 'weekly', reason: 'its destination "disk" was left out' },
      { kind: 'pin', name: 'nightly/shop/20261130T020000Z.dump.zst.age', reason: 'its destination "disk" was left out' },
    ]);
    const after = snapshot(d) as typeof before;
    // What was here is as it was (a source gains nothing, a destination is still the default).
    for (const kind of ['sources', 'destinations'] as const) for (const row of before[kind]) expect(after[kind]).toContainEqual(row);
    expect((after.environments as EnvironmentDto[]).find((e) => e.name === 'Production')).toEqual((before.environments as EnvironmentDto[]).find((e) => e.name === 'Production'));
    expect(d.settings.webhookUrl()).toBeNull();
    // What came in has its secrets, and the bucket is not made the default beside DISK.
    expect(d.destinations.secrets(made.bucket.id)).toEqual({ secretAccessKey: 's3-secret-key/with+chars' });
    expect(d.destinations.get(made.bucket.id).isDefault).toBe(false);
    expect(d.sources.get(made.app.id).environmentName).toBe('staging');
    expect(d.profiles.secrets(made.team.id)).toEqual(a.profiles.secrets(made.team.id));

    // Merged again, everything is there already: nothing is added.
    const again = await d.call('system:import', { path: file, passphrase: PASSPHRASE, merge: true });
    expect(again.counts).toEqual({ environments: 0, sources: 0, destinations: 0, profiles: 0, jobs: 0, pins: 0 });
  });

  it('merges: a destination, source or profile of a name used here that is the same thing here is joined, and the jobs and pins that need it come in', async () => {
    const g = await fresh('joined');
    const disk = await g.call('destinations:create', { kind: 'local', name: 'Disk', path: path.join(t.dir, 'backups') });
    const app = await g.call('sources:create', { engine: 'sqlite', name: 'app', path: path.join(t.dir, 'app.db') });
    const team = await g.call('profiles:create', { kind: 'age', name: 'team', identity: a.profiles.secrets(made.team.id).identity! });
    await g.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'another 7-Zip passphrase' });
    const r = await g.call('system:import', { path: file, passphrase: PASSPHRASE, merge: true });
    expect(r.counts).toEqual({ environments: 2, sources: 1, destinations: 1, profiles: 0, jobs: 1, pins: 2 });
    expect(r.skipped).toEqual([
      { kind: 'destination', name: 'disk', reason: 'a destination named "Disk" exists here and stores to the same place: its jobs and pins use that one, whose settings and credentials are kept' },
      { kind: 'source', name: 'app', reason: 'a source named "app" exists here and connects to the same database: its jobs use that one, whose settings and credentials are kept' },
      { kind: 'profile', name: 'team', reason: 'an encryption profile named "team" exists here and encrypts the same way: its jobs use that one' },
      // The same name, another passphrase: not the same profile, so the job that needs it stays out.
      {
        kind: 'profile',
        name: 'zip',
        reason:
          'an encryption profile named "zip" exists here with another key: its passphrase is not imported, so backups made with the file\'s "zip" do not open here (rename one of the two, on either install, and import again)',
      },
      { kind: 'job', name: 'weekly', reason: 'its encryption profile "zip" was left out' },
    ]);
    const nightly = g.jobs.findByName('nightly')!;
    expect(nightly.profileId).toBe(team.id);
    expect(nightly.destinationIds).toEqual([made.bucket.id, disk.id]);
    // The pin on the joined destination holds here too: retention and delete honour it.
    expect(g.backupState.get(disk.id, 'nightly/shop/20261130T020000Z.dump.zst.age').pinned).toBe(true);
    // What was here keeps its own: the source stays in its environment, the destination its name.
    expect(g.sources.get(app.id).environmentName).toBe('default');
    expect(g.destinations.get(disk.id).name).toBe('Disk');
  });

  it('keeps ids that are free and gives new ones where a row of another name holds the id', async () => {
    const b2 = await fresh('b2');
    await b2.call('system:import', { path: file, passphrase: PASSPHRASE });
    await b2.call('profiles:update', { id: made.zip.id, name: 'zip-renamed' });
    const r = await b2.call('system:import', { path: file, passphrase: PASSPHRASE, merge: true });
    expect(r.counts).toMatchObject({ profiles: 1, jobs: 0 });
    const copy = b2.profiles.findByName('zip')!;
    expect(copy.id).not.toBe(made.zip.id);
    // Sealed under its new id: the associated data follows the row.
    expect(b2.profiles.secrets(copy.id)).toEqual({ passphrase: 'the 7-Zip passphrase' });
    expect(b2.profiles.get(made.zip.id).name).toBe('zip-renamed');
  });

  it('refuses a wrong passphrase, a changed byte, a cut file, a file that is not age and a newer format, importing nothing', async () => {
    const e = await fresh('e');
    const bytes = readFileSync(file);
    const variant = (name: string, content: Uint8Array): string => {
      const p = path.join(t.dir, name);
      writeFileSync(p, content);
      return p;
    };
    const tampered = variant('tampered.age', bytes);
    flipByte(tampered, bytes.length - 40);
    // In the header's MAC: a changed byte in the scrypt stanza itself reads as a wrong passphrase, as it does to age.
    const header = variant('header.age', bytes);
    flipByte(header, bytes.indexOf('\n--- ') + 8);
    const cases: [string, string, Record<string, unknown>][] = [
      [file, 'wrong passphrase', { code: 'DECRYPT_FAILED', message: `Wrong passphrase: it does not open the system backup ${file}. Nothing was imported.` }],
      [tampered, PASSPHRASE, { code: 'INTEGRITY_FAILED', details: expect.objectContaining({ reason: 'damaged' }), message: expect.stringMatching(/is damaged or was altered \(.+\), so nothing was imported\. Use another copy of it\.$/) }],
      [header, PASSPHRASE, { code: 'INTEGRITY_FAILED', details: expect.objectContaining({ reason: 'damaged' }) }],
      [variant('cut.age', bytes.subarray(0, bytes.length - 100)), PASSPHRASE, { code: 'INTEGRITY_FAILED', details: expect.objectContaining({ detail: 'truncated' }) }],
      [variant('plain.json', Buffer.from('{"format":"vaultdesk-system-backup"}')), PASSPHRASE, { code: 'VALIDATION_FAILED', details: expect.objectContaining({ reason: 'not-age' }), message: expect.stringContaining('is not a Vaultdesk system backup: it is not an age encrypted file') }],
      [
        variant('newer.age', await ageEncryptBuffer({ passphrase: PASSPHRASE, ...FAST }, Buffer.from(JSON.stringify({ format: SYSTEM_FORMAT, formatVersion: 2, app: { version: '9.1.0' } })))),
        PASSPHRASE,
        { code: 'VALIDATION_FAILED', message: expect.stringContaining('was written by Vaultdesk 9.1.0 in system backup format 2; this Vaultdesk (0.0.0) reads format 1 only. Update Vaultdesk') },
      ],
      [
        variant('other.age', await ageEncryptBuffer({ passphrase: PASSPHRASE, ...FAST }, Buffer.from('just some notes'))),
        PASSPHRASE,
        { code: 'VALIDATION_FAILED', message: expect.stringContaining('it decrypts, but what it holds is not JSON') },
      ],
      [path.join(t.dir, 'missing.age'), PASSPHRASE, { code: 'VALIDATION_FAILED', message: expect.stringContaining('Cannot read the system backup') }],
      [t.dir, PASSPHRASE, { code: 'VALIDATION_FAILED', message: expect.stringContaining('is not a file') }],
    ];
    for (const [p, passphrase, expected] of cases) {
      await expect(e.call('system:import', { path: p, passphrase }), p).rejects.toMatchObject(expected);
      expect(empty(e)).toBe(true);
    }
  });

  it('refuses a decrypted document that breaks the schema or its own references, importing nothing', async () => {
    const e = await fresh('f');
    const { collectSystemDocument } = await import('./system-export');
    const good = collectSystemDocument({ ...a, version: '0.0.0' }) as Record<string, unknown[]> & { jobs: { sourceId: string }[]; sources: { config: { port: unknown } }[] };
    const write = async (name: string, doc: unknown): Promise<string> => {
      const p = path.join(t.dir, name);
      writeFileSync(p, await ageEncryptBuffer({ passphrase: PASSPHRASE, ...FAST }, Buffer.from(JSON.stringify(doc))));
      return p;
    };
    const badPort = structuredClone(good);
    badPort.sources[0]!.config.port = 'five';
    const dangling = structuredClone(good);
    dangling.jobs[0]!.sourceId = '00000000-0000-4000-8000-000000000000';
    await expect(e.call('system:import', { path: await write('bad-port.age', badPort), passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/is not a valid system backup: at sources\.0\.config\.port, /),
    });
    await expect(e.call('system:import', { path: await write('dangling.age', dangling), passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('job "nightly" backs up a source that is not in the file'),
    });
    // A field a later Vaultdesk added, in the format this one reads: said as such, not as a damaged file.
    const later = { ...structuredClone(good), app: { name: 'vaultdesk', version: '9.2.0' }, futureField: true };
    await expect(e.call('system:import', { path: await write('later.age', later), passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { reason: 'newer-format' },
      message: expect.stringContaining('does not know (futureField at the top): it was written by Vaultdesk 9.2.0, likely a newer one. Update Vaultdesk to import it.'),
    });
    expect(empty(e)).toBe(true);
  });

  it('leaves nothing half-imported when the store refuses a row part way through', async () => {
    const g = await fresh('g');
    // A real refusal from SQLite itself, after environments, destinations, sources and profiles went in.
    g.db.exec("CREATE TRIGGER refuse_jobs BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'no jobs today'); END");
    await expect(g.system.import({ path: file, passphrase: PASSPHRASE, merge: false })).rejects.toThrow('no jobs today');
    expect(empty(g)).toBe(true);
    expect(g.settings.webhookUrl()).toBeNull();
    expect(g.backupState.get(made.disk.id, 'nightly/shop/20261130T020000Z.dump.zst.age').pinned).toBe(false);
  });
});
