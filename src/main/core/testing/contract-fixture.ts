import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { InvokeChannel } from '../../../shared/ipc/channels';
import { backupIdOf } from '../backups/backup-id';
import { DB_FILE, type Core } from '../create-core';
import { seedSqliteFile } from './db-fixtures';
import { tempCore } from './temp-dir';

/**
 * A store with one of everything the contract talks about, for the contract fuzz test. Every
 * path in it is inside `sandbox`, and nothing in it points at a reachable server: the SQL
 * sources are `.invalid` hosts, the S3 endpoint a closed loopback port.
 */
export interface ContractFixture {
  /** The only folder valid generated paths may point into. */
  sandbox: string;
  ids: {
    envProd: string;
    envStaging: string;
    envEmpty: string;
    srcSqlite: string;
    srcMissing: string;
    srcPg: string;
    destLocal: string;
    destLocked: string;
    destS3: string;
    destSftp: string;
    destSpare: string;
    profAge: string;
    prof7z: string;
    profSpare: string;
    jobNightly: string;
    jobWeekly: string;
    run: string;
    /** The run's backup on the local destination. */
    backup: string;
  };
  names: string[];
  recipient: string;
  /** The run's backup file and the identity file of its profile, for offline decryption; a recovery kit of the age profiles. */
  files: { backup: string; identity: string; kit: string };
}

/** The fixture's own system backup (in the sandbox), which `system:import` reads. */
const SYSTEM_BACKUP = 'system-backup.age';
const SYSTEM_PASSPHRASE = 'fuzz system passphrase';
/** age's lowest scrypt work factor: the fuzz exports and decrypts hundreds of times. */
const FAST_SCRYPT = { scryptWorkFactor: 10 };

/** Builds the fixture in `dir/template` (with a real SQLite backup run) and returns it. */
export async function buildContractFixture(dir: string): Promise<ContractFixture> {
  const sandbox = path.join(dir, 'sandbox');
  mkdirSync(path.join(sandbox, 'backups'), { recursive: true });
  seedSqliteFile(path.join(sandbox, 'app.db'), 50);
  const core = await tempCore(path.join(dir, 'template'), undefined, FAST_SCRYPT);
  try {
    const destLocal = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(sandbox, 'backups') });
    const destLocked = await core.call('destinations:create', { kind: 'local', name: 'locked', path: path.join(sandbox, 'locked') });
    await core.call('destinations:lock', { id: destLocked.id });
    const destS3 = await core.call('destinations:create', { kind: 's3', name: 's3dest', provider: 'minio', endpoint: 'http://127.0.0.1:9', bucket: 'backups', accessKeyId: 'AKIAFUZZ', secretAccessKey: 'fuzz-s3-secret' });
    const destSftp = await core.call('destinations:create', { kind: 'sftp', name: 'vault', host: 'sftp.invalid', user: 'dba', path: '/srv/backups', privateKey: 'not-a-real-key', passphrase: 'fuzz-passphrase' });
    const destSpare = await core.call('destinations:create', { kind: 'local', name: 'spare', path: path.join(sandbox, 'spare') });
    // No `default` environment: a refused sources:create must not leave one behind.
    const envProd = await core.call('environments:create', { name: 'production', allowAllDestinations: false, allowedDestinationIds: [destLocal.id] });
    const envStaging = await core.call('environments:create', { name: 'staging' });
    const envEmpty = await core.call('environments:create', { name: 'empty', description: 'no sources' });
    const srcSqlite = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: path.join(sandbox, 'app.db'), environmentId: envProd.id });
    const srcMissing = await core.call('sources:create', { engine: 'sqlite', name: 'gone', path: path.join(sandbox, 'missing.db'), environmentId: envStaging.id });
    const srcPg = await core.call('sources:create', {
      engine: 'postgres',
      name: 'pg',
      host: 'db.invalid',
      user: 'backup',
      database: 'shop',
      password: 'fuzz-pg-password',
      environmentId: envStaging.id,
      ssh: { mode: 'tunnel', host: 'bastion.invalid', user: 'ops', privateKey: 'not-a-real-key' },
    });
    const profAge = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const prof7z = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'fuzz 7z passphrase' });
    const profSpare = await core.call('profiles:create', { kind: 'age', name: 'unused' });
    const jobNightly = await core.call('jobs:create', { name: 'nightly', sourceId: srcSqlite.id, destinationIds: [destLocal.id], encryption: 'age', profileId: profAge.id });
    const jobWeekly = await core.call('jobs:create', { name: 'weekly', sourceId: srcPg.id, destinationIds: [destS3.id, destSftp.id], encryption: '7z', profileId: prof7z.id, schedule: '0 3 * * 0', timezone: 'Europe/Paris' });
    const run = await core.runService.start(jobNightly.id, 'manual').finished;
    if (run.status !== 'succeeded') throw new Error(`fixture backup failed: ${JSON.stringify(run.error)}`);
    const identity = (await core.call('profiles:exportIdentity', { id: profAge.id, path: path.join(sandbox, 'keys', 'team-identity.txt') })).path;
    const kit = (await core.call('recovery:exportKit', { path: path.join(sandbox, 'keys', 'kit.zip') })).path;
    await core.call('system:export', { path: path.join(sandbox, SYSTEM_BACKUP), passphrase: SYSTEM_PASSPHRASE });
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    return {
      sandbox,
      ids: {
        envProd: envProd.id,
        envStaging: envStaging.id,
        envEmpty: envEmpty.id,
        srcSqlite: srcSqlite.id,
        srcMissing: srcMissing.id,
        srcPg: srcPg.id,
        destLocal: destLocal.id,
        destLocked: destLocked.id,
        destS3: destS3.id,
        destSftp: destSftp.id,
        destSpare: destSpare.id,
        profAge: profAge.id,
        prof7z: prof7z.id,
        profSpare: profSpare.id,
        jobNightly: jobNightly.id,
        jobWeekly: jobWeekly.id,
        run: run.id,
        backup: backupIdOf(destLocal.id, run.objects[0]!.key),
      },
      names: ['production', 'staging', 'empty', 'app', 'gone', 'pg', 'disk', 'locked', 's3dest', 'vault', 'spare', 'team', 'zip', 'unused', 'nightly', 'weekly'],
      recipient: profAge.recipient!,
      files: { backup: run.objects[0]!.destinations[0]!.location!, identity, kit },
    };
  } finally {
    core.close();
  }
}

/** A fresh copy of the fixture's store (database and key file) in `dir`, opened as a real core. */
export async function openFixtureCopy(fixtureDir: string, dir: string): Promise<Core> {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  copyFileSync(path.join(fixtureDir, 'template', 'data', DB_FILE), path.join(dir, 'data', DB_FILE));
  copyFileSync(path.join(fixtureDir, 'template', 'master.key'), path.join(dir, 'master.key'));
  return tempCore(dir, undefined, FAST_SCRYPT);
}

/**
 * The store's bytes: the database file and its write-ahead log. Any committed write, even one
 * that writes back the same values, appends frames to the WAL, so equal bytes mean nothing was
 * committed. The `-shm` file is left out: it is the WAL's index, which readers update too.
 * The WAL is checkpointed (and emptied) before each call, so this reads one small file.
 */
export function storeBytes(core: Core): string {
  const file = path.join(core.dataDir, DB_FILE);
  const hash = createHash('sha256').update(readFileSync(file));
  try {
    hash.update(readFileSync(`${file}-wal`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return hash.digest('hex');
}

/** Valid input per channel, built on the fixture; the fuzz mutates these one field at a time. */
export function validInputs(f: ContractFixture): Record<InvokeChannel, Record<string, unknown>[]> {
  const { ids, sandbox } = f;
  const byId = (...list: string[]): Record<string, unknown>[] => list.map((id) => ({ id }));
  return {
    'app:info': [{}],
    'environments:list': [{}],
    'environments:create': [{ name: 'qa', description: 'quality', allowAllDestinations: false, allowedDestinationIds: [ids.destLocal, ids.destS3] }],
    'environments:update': [{ id: ids.envProd, name: 'prod', description: 'p', allowAllDestinations: true, allowedDestinationIds: [ids.destS3] }],
    'environments:delete': byId(ids.envEmpty, ids.envStaging),
    'sources:list': [{}],
    'sources:get': byId(ids.srcPg),
    'sources:create': [
      { engine: 'postgres', name: 'shop', host: 'db2.invalid', port: 5433, user: 'u', database: 'd', allDatabases: false, tlsMode: 'require', password: 'pw', ssh: { mode: 'exec', host: 'b.invalid', port: 22, user: 'u', privateKey: 'k', passphrase: 'p' } },
      { engine: 'mysql', name: 'crm', host: 'db3.invalid', user: 'u', allDatabases: true, environmentId: ids.envStaging },
      { engine: 'sqlite', name: 'lite', path: path.join(sandbox, 'app.db') },
    ],
    'sources:update': [
      { id: ids.srcPg, name: 'pg2', host: 'h.invalid', port: null, user: 'x', database: 'y', allDatabases: false, tlsMode: 'disable', password: null, ssh: null },
      { id: ids.srcSqlite, name: 'app2', path: path.join(sandbox, 'other.db'), environmentId: ids.envProd },
      { id: ids.srcPg, forgetHostKey: true },
    ],
    'sources:delete': byId(ids.srcMissing, ids.srcPg),
    'sources:test': byId(ids.srcSqlite, ids.srcMissing),
    'sources:databases': byId(ids.srcSqlite, ids.srcMissing),
    'destinations:list': [{}],
    'destinations:get': byId(ids.destS3),
    'destinations:create': [
      { kind: 'local', name: 'disk2', path: path.join(sandbox, 'd2'), isDefault: true },
      { kind: 's3', name: 'bucket2', provider: 'r2', account: 'acct', bucket: 'bkt', region: 'auto', prefix: 'a/b', partSizeMiB: 5, buckets: ['bkt'], accessKeyId: 'k', secretAccessKey: 's' },
      { kind: 'sftp', name: 'sftp2', host: 'h.invalid', port: 2222, user: 'u', path: '/srv', password: 'pw' },
    ],
    'destinations:update': [
      { id: ids.destS3, name: 's3b', bucket: 'other', endpoint: 'http://127.0.0.1:10', prefix: 'x', secretAccessKey: null },
      { id: ids.destSftp, host: 'h2.invalid', port: 23, passphrase: null, forgetHostKey: true },
      { id: ids.destLocal, path: path.join(sandbox, 'moved') },
    ],
    'destinations:delete': byId(ids.destSpare, ids.destLocked, ids.destSftp),
    'destinations:lock': byId(ids.destLocal),
    'destinations:unlock': byId(ids.destLocked),
    'destinations:setDefault': byId(ids.destS3),
    'destinations:test': byId(ids.destLocal, ids.destLocked),
    'destinations:cleanup': [{ id: ids.destLocal, olderThanHours: 0, dryRun: true }, { id: ids.destLocal }],
    'profiles:list': [{}],
    'profiles:create': [
      { kind: 'age', name: 'break', extraRecipients: [f.recipient] },
      { kind: '7z', name: 'zip2', passphrase: 'another long passphrase' },
    ],
    'profiles:update': [{ id: ids.profAge, name: 'team2', extraRecipients: [f.recipient] }],
    'profiles:delete': byId(ids.profSpare, ids.profAge, ids.prof7z),
    'profiles:exportIdentity': [{ id: ids.profAge, path: path.join(sandbox, 'identity.txt') }],
    // No passphrase here: each accepted one costs two scrypt runs per profile (seconds), and the fuzz makes dozens.
    'recovery:decrypt': [
      { file: f.files.backup, identity: f.files.identity, out: path.join(sandbox, 'decrypted', 'app.db') },
      { file: f.files.backup, passphrase: 'a passphrase', out: path.join(sandbox, 'decrypted', 'x.db'), decompress: false },
    ],
    'recovery:exportKit': [{ path: path.join(sandbox, 'kit.zip') }, { path: path.join(sandbox, 'team-kit.zip'), profileIds: [ids.profAge] }],
    'recovery:importKit': [{ path: f.files.kit }, { path: f.files.kit, profiles: ['team'] }, { path: f.files.identity }],
    'recovery:inspectKit': [{ path: f.files.kit }, { path: f.files.identity }],
    'jobs:list': [{}],
    'jobs:get': byId(ids.jobWeekly),
    'jobs:create': [
      {
        name: 'hourly',
        sourceId: ids.srcPg,
        destinationIds: [ids.destS3],
        databases: ['a', 'b'],
        format: 'plain',
        compression: 'gzip',
        compressionLevel: 6,
        encryption: '7z',
        profileId: ids.prof7z,
        schedule: '0 * * * *',
        timezone: 'UTC',
        timeoutMinutes: 30,
        prefix: '{environment}/{job}',
        retention: { keepLast: 3, daily: 7, weekly: null, monthly: 1, yearly: null, minimum: 1 },
        enabled: false,
      },
    ],
    'jobs:update': [{ id: ids.jobWeekly, name: 'weekly2', encryption: 'none', profileId: null, schedule: null, timezone: null, destinationIds: [ids.destSftp] }],
    'jobs:delete': byId(ids.jobWeekly),
    'jobs:run': byId(ids.jobNightly),
    'jobs:retentionPreview': [
      ...byId(ids.jobNightly, ids.jobWeekly),
      { id: ids.jobNightly, retention: { keepLast: 2, daily: 7, weekly: null, monthly: 1, yearly: null, minimum: 1 } },
      { id: ids.jobWeekly, retention: null },
    ],
    'runs:list': [{ jobId: ids.jobNightly, limit: 5 }],
    'runs:get': byId(ids.run),
    'runs:cancel': byId(ids.run),
    'backups:list': [{ destinationId: ids.destLocal }, { destinationId: ids.destLocal, job: 'NIGHTLY', runId: ids.run, from: '2020-01-01T00:00:00Z', to: '2999-01-01T00:00:00+01:00', status: 'complete', offset: 0, limit: 5, refresh: true }],
    'backups:get': byId(ids.backup),
    'backups:verify': byId(ids.backup),
    'backups:download': [{ id: ids.backup, path: path.join(sandbox, 'download') }],
    'backups:url': [{ id: ids.backup, expiresInSeconds: 600 }],
    'backups:pin': [{ id: ids.backup, until: '2999-01-01T00:00:00Z' }, { id: ids.backup, until: null }],
    'backups:unpin': byId(ids.backup),
    'backups:delete': byId(ids.backup),
    'restore:start': [{ backupId: ids.backup }, { backupId: ids.backup, targetSourceId: ids.srcSqlite, database: path.join(sandbox, 'restored.db'), force: true }],
    'restore:drill': [{ backupId: ids.backup }],
    'restore:get': byId(ids.run),
    'restore:list': [{}, { backupId: ids.backup, limit: 5 }],
    'restore:cancel': byId(ids.run),
    'restore:inspectTarget': [{ sourceId: ids.srcSqlite, database: path.join(sandbox, 'target.db') }],
    'settings:get': [{}],
    'settings:tools': [{}],
    'settings:setToolPath': [{ tool: 'pg_dump', path: path.join(sandbox, 'pg_dump') }, { tool: 'mysql', path: null }],
    'settings:setWebhook': [{ url: 'https://hooks.invalid/services/T0/B0/secret', format: 'slack' }, { url: null }],
    'settings:setStartAtLogin': [{ enabled: true }, { enabled: false }],
    'notifications:test': [{}, { jobId: ids.jobNightly }],
    'schedules:status': [{}],
    'schedules:pause': [{}],
    'schedules:resume': [{}],
    'schedules:setConcurrency': [{ limit: 3 }],
    'schedules:preview': [{ schedule: '0 2 * * *', timezone: 'Europe/Berlin', count: 3 }, { schedule: '*/15 * * * *' }],
    'keys:status': [{}],
    'keys:export': [{ path: path.join(sandbox, 'exported.key') }],
    'keys:rotate': [{}],
    'keys:import': [{ key: Buffer.alloc(32, 7).toString('base64') }],
    'keys:reset': [{ confirm: 'RESET' }],
    'system:export': [{ path: path.join(sandbox, 'exported-system.age'), passphrase: SYSTEM_PASSPHRASE }],
    'system:import': [
      { path: path.join(sandbox, SYSTEM_BACKUP), passphrase: SYSTEM_PASSPHRASE, merge: true },
      { path: path.join(sandbox, SYSTEM_BACKUP), passphrase: SYSTEM_PASSPHRASE },
    ],
  };
}
