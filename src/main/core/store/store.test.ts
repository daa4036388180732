import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { DB_FILE } from '../create-core';
import { createFileKeyStore } from '../keys/env-key';
import type { RotationStep } from '../keys/master-key';
import { tempCore, tempDir } from '../testing/temp-dir';
import { defaultMigrationsDir, loadMigrations, migrate, openDatabase } from './db';

const PG_PASSWORD = 'pg-Pa55word-never-in-the-file';
const S3_SECRET = 's3-secret-key-never-in-the-file';
const SFTP_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----never-in-the-file';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

async function seed(dir: string) {
  const core = await tempCore(dir);
  const source = await core.call('sources:create', { engine: 'postgres', name: 'prod-pg', host: '127.0.0.1', user: 'app', database: 'shop', password: PG_PASSWORD });
  const s3 = await core.call('destinations:create', { kind: 's3', name: 'bucket', provider: 'minio', endpoint: 'http://127.0.0.1:9000', bucket: 'backups', accessKeyId: 'AKIA', secretAccessKey: S3_SECRET });
  await core.call('destinations:create', { kind: 'sftp', name: 'vault-host', host: 'backup.example', user: 'dba', path: '/srv/backups', privateKey: SFTP_KEY });
  const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
  return { core, source, s3, profile };
}

function storeBytes(dir: string): Buffer {
  const base = path.join(dir, 'data', DB_FILE);
  return Buffer.concat([base, `${base}-wal`, `${base}-shm`].filter(existsSync).map((f) => readFileSync(f)));
}

describe('config store', () => {
  it('applies migrations once and re-runs cleanly', async () => {
    const file = path.join(t.dir, 'x.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(defaultMigrationsDir()).length);
    expect(migrate(db, loadMigrations(defaultMigrationsDir()))).toBe(0);
    db.close();
    const again = openDatabase(file);
    expect(again.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'jobs'").get()).toEqual({ n: 1 });
    again.close();
  });

  it('migration 007 takes a job\'s last save as when its schedule was set; from then on only a schedule change moves it', async () => {
    const { core, source, s3 } = await seed(t.dir);
    const job = await core.call('jobs:create', { name: 'nightly', sourceId: source.id, destinationIds: [s3.id], schedule: '0 3 * * *', timezone: 'UTC' });
    core.close();
    // The store as version 6 left it: no schedule_set_at, the job last saved at 09:00.
    const file = path.join(t.dir, 'data', DB_FILE);
    const old = openDatabase(file);
    old.prepare("UPDATE jobs SET updated_at = '2026-02-10T09:00:00.000Z'").run();
    old.exec('ALTER TABLE jobs DROP COLUMN schedule_set_at');
    old.pragma('user_version = 6');
    old.close();
    const upgraded = await tempCore(t.dir);
    try {
      expect(upgraded.jobs.scheduleSetAt(job.id)).toBe('2026-02-10T09:00:00.000Z');
      await upgraded.call('jobs:update', { id: job.id, retention: { keepLast: 3, daily: null, weekly: null, monthly: null, yearly: null, minimum: 1 } });
      expect(upgraded.jobs.scheduleSetAt(job.id)).toBe('2026-02-10T09:00:00.000Z');
      const rescheduled = await upgraded.call('jobs:update', { id: job.id, schedule: '0 4 * * *' });
      expect(upgraded.jobs.scheduleSetAt(job.id)).toBe(rescheduled.updatedAt);
    } finally {
      upgraded.close();
    }
  });

  it('never writes a secret in clear to the database files', async () => {
    const { core, profile } = await seed(t.dir);
    const identity = core.profiles.secrets(profile.id).identity!;
    expect(identity).toMatch(/^AGE-SECRET-KEY-1/);
    // Secrets are there and readable through the core...
    expect(core.sources.secrets(core.sources.list()[0]!.id).password).toBe(PG_PASSWORD);
    const bytes = storeBytes(t.dir);
    core.close();
    // ...but no plaintext in the main file, the WAL or the shared-memory file.
    for (const secret of [PG_PASSWORD, S3_SECRET, SFTP_KEY, identity]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    expect(storeBytes(t.dir).includes(Buffer.from(PG_PASSWORD))).toBe(false);
  });

  it('reports secrets as flags, never values, through the contract', async () => {
    const { core } = await seed(t.dir);
    const all = JSON.stringify([await core.call('sources:list', {}), await core.call('destinations:list', {}), await core.call('profiles:list', {})]);
    for (const secret of [PG_PASSWORD, S3_SECRET, SFTP_KEY, 'AGE-SECRET-KEY']) expect(all).not.toContain(secret);
    const source = (await core.call('sources:list', {}))[0]!;
    expect(source.hasPassword).toBe(true);
    core.close();
  });

  it('starts with a wrong master key and refuses secret operations with MASTER_KEY_MISMATCH', async () => {
    const { core, source } = await seed(t.dir);
    core.close();
    writeFileSync(path.join(t.dir, 'other.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);
    const wrong = await tempCore(t.dir, path.join(t.dir, 'other.key'));
    expect(wrong.keys.state).toBe('mismatch');
    expect((await wrong.call('sources:list', {})).map((s) => s.name)).toEqual(['prod-pg']);
    const refused = await wrong.invoke('sources:update', { id: source.id, password: 'new' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MASTER_KEY_MISMATCH' } });
    expect(!refused.ok && refused.error.message).toMatch(/does not match this database/);
    expect(() => wrong.sources.secrets(source.id)).toThrow(AppError);
    const status = await wrong.call('keys:status', {});
    expect(status.state).toBe('mismatch');
    wrong.close();
  });

  it('tells corrupt data apart from a wrong key', async () => {
    const { core, source } = await seed(t.dir);
    const sealed = (core.db.prepare('SELECT secrets FROM sources WHERE id = ?').get(source.id) as { secrets: string }).secrets;
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[3]!, 'base64');
    ct[0]! ^= 0xff;
    core.db.prepare('UPDATE sources SET secrets = ? WHERE id = ?').run([parts[0], parts[1], parts[2], ct.toString('base64')].join(':'), source.id);
    expect(core.keys.state).toBe('ok');
    expect(() => core.sources.secrets(source.id)).toThrow(/damaged/);
    core.close();
  });

  it('refuses a sealed secret copied into another row', async () => {
    const { core, source } = await seed(t.dir);
    const other = await core.call('sources:create', { engine: 'mysql', name: 'other', host: 'h', user: 'u', database: 'd', password: 'x' });
    core.db.prepare('UPDATE sources SET secrets = (SELECT secrets FROM sources WHERE id = ?) WHERE id = ?').run(source.id, other.id);
    expect(() => core.sources.secrets(other.id)).toThrow(expect.objectContaining({ code: 'SECRET_CORRUPT' }));
    core.close();
  });

  it('rotates the key and re-encrypts every secret', async () => {
    const { core, source, profile } = await seed(t.dir);
    const identity = core.profiles.secrets(profile.id).identity;
    const before = (await core.call('keys:status', {})).fingerprint;
    const result = await core.call('keys:rotate', {});
    expect(result.secretsReencrypted).toBe(4);
    expect(result.fingerprint).not.toBe(before);
    core.close();
    const reopened = await tempCore(t.dir);
    expect(reopened.keys.state).toBe('ok');
    expect(reopened.sources.secrets(source.id).password).toBe(PG_PASSWORD);
    expect(reopened.profiles.secrets(profile.id).identity).toBe(identity);
    reopened.close();
  });

  const steps: RotationStep[] = ['pending-saved', 'row-reencrypted', 'reencrypted', 'key-saved'];
  for (const step of steps) {
    it(`survives a rotation interrupted at "${step}"`, async () => {
      const { core, source, s3, profile } = await seed(t.dir);
      const identity = core.profiles.secrets(profile.id).identity;
      await expect(core.keys.rotate((s) => {
        if (s === step) throw new Error(`injected failure at ${step}`);
      })).rejects.toThrow(/injected/);
      core.close();
      // The process "crashed": a fresh start must open with the old or the new key and lose nothing.
      const reopened = await tempCore(t.dir);
      expect(reopened.keys.state).toBe('ok');
      expect(reopened.sources.secrets(source.id).password).toBe(PG_PASSWORD);
      expect(reopened.destinations.secrets(s3.id).secretAccessKey).toBe(S3_SECRET);
      expect(reopened.profiles.secrets(profile.id).identity).toBe(identity);
      expect(existsSync(path.join(t.dir, 'master.key.pending'))).toBe(false);
      // And it can rotate again afterwards.
      await reopened.call('keys:rotate', {});
      expect(reopened.sources.secrets(source.id).password).toBe(PG_PASSWORD);
      reopened.close();
    });
  }

  it('exports the key to a 0600 file and imports it into a store that lost it', async () => {
    const { core, source } = await seed(t.dir);
    const out = path.join(t.dir, 'export.key');
    const exported = await core.call('keys:export', { path: out });
    expect(readFileSync(out, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const { statSync } = await import('node:fs');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    core.close();
    const lostKey = path.join(t.dir, 'lost.key');
    const lost = await tempCore(t.dir, lostKey);
    expect(lost.keys.state).toBe('missing');
    await expect(lost.keys.import(Buffer.alloc(32, 1))).rejects.toMatchObject({ code: 'MASTER_KEY_MISMATCH' });
    const imported = await lost.keys.import(Buffer.from(readFileSync(out, 'utf8').trim(), 'base64'));
    expect(imported.fingerprint).toBe(exported.fingerprint);
    expect(lost.sources.secrets(source.id).password).toBe(PG_PASSWORD);
    expect(readFileSync(lostKey, 'utf8')).toBe(readFileSync(out, 'utf8'));
    lost.close();
  });

  it('exports the key into a folder it creates (0700), and says in words where it cannot', async () => {
    const core = await tempCore(t.dir);
    const { readdirSync, statSync } = await import('node:fs');
    const out = path.join(t.dir, 'safe', 'keys', 'vaultdesk.key');
    await core.call('keys:export', { path: out });
    expect(statSync(path.join(t.dir, 'safe')).mode & 0o777).toBe(0o700);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(await core.invoke('keys:export', { path: '/proc/x/vaultdesk.key' })).toEqual({
      ok: false,
      error: {
        code: 'FILE_WRITE_FAILED',
        message: 'Could not write /proc/x/vaultdesk.key: folder /proc/x cannot be created: /proc exists but does not accept new folders (a system folder such as /proc or /sys, or a mount point that is not a normal disk).',
        details: { path: '/proc/x/vaultdesk.key', problem: 'not-creatable', errno: 'ENOENT', field: 'path' },
      },
    });
    // A folder where the file should go: refused, and no temporary copy of the key left beside it.
    const folder = path.join(t.dir, 'safe', 'keys');
    const refused = await core.invoke('keys:export', { path: folder });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FILE_WRITE_FAILED', message: `Could not write ${folder}: ${folder} is a folder where a file should be.` } });
    expect(readdirSync(path.join(t.dir, 'safe'))).toEqual(['keys']);
    expect(readdirSync(folder)).toEqual(['vaultdesk.key']);
    core.close();
  });

  it('resets a lost key: secrets dropped, configuration kept, credentials can be re-entered', async () => {
    const { core, source } = await seed(t.dir);
    core.close();
    const lost = await tempCore(t.dir, path.join(t.dir, 'new.key'));
    const reset = await lost.keys.reset();
    expect(reset.secretsCleared).toBe(4);
    const src = await lost.call('sources:get', { id: source.id });
    expect(src.hasPassword).toBe(false);
    await lost.call('sources:update', { id: source.id, password: 'again' });
    expect(lost.sources.secrets(source.id).password).toBe('again');
    lost.close();
  });

  it('key files are created 0600 on first start', async () => {
    const core = await tempCore(t.dir);
    const { statSync } = await import('node:fs');
    expect(statSync(path.join(t.dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(createFileKeyStore(path.join(t.dir, 'master.key')).kind).toBe('file');
    core.close();
  });
});
