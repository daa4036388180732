import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import type { BackupManifest } from '../pipeline/manifest';
import { createPgDatabase, dropPgDatabase, pgFingerprint, probePostgres, scratchName, seedPgAwkward, createMysqlDatabase, dropMysqlDatabase, mysqlFingerprint, probeMysql, seedMysqlAwkward } from '../testing/db-fixtures';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../testing/s3-server';
import { probeCommand, pgEnv, mysqlEnv, shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('PostgreSQL, MariaDB, age, zstd and sshd', (await probePostgres()) ?? (await probeMysql()) ?? probeCommand('age') ?? probeCommand('zstd') ?? sshdUnavailable());

/** Every file under a folder, relative, sorted: "nothing left behind" is checked on all of it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.skipIf(skip)('backup runs against real servers', () => {
  const t = tempDir('vaultdesk-run-');
  let core: Core;
  let s3: S3TestServer;
  let sshd: SshdServer;
  const pgDb = scratchName('pg_src');
  const pgRestore = scratchName('pg_dst');
  const myDb = scratchName('my_src');
  const myRestore = scratchName('my_dst');
  const local = path.join(t.dir, 'local-backups');
  let identityFile: string;
  let extraIdentityFile: string;

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['backups'] });
    sshd = await startSshd();
    await createPgDatabase(pgDb);
    await seedPgAwkward(pgDb);
    await createPgDatabase(pgRestore);
    await createMysqlDatabase(myDb);
    await seedMysqlAwkward(myDb, 500);
    await createMysqlDatabase(myRestore);
    core = await tempCore(t.dir);
    // A team break-glass key: every backup is also encrypted to it.
    const extra = execFileSync('age-keygen', [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    extraIdentityFile = path.join(t.dir, 'breakglass.txt');
    writeFileSync(extraIdentityFile, extra);
    const extraRecipient = /public key: (age1\S+)/.exec(extra)?.[1] ?? execFileSync('age-keygen', ['-y', extraIdentityFile], { encoding: 'utf8' }).trim();
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team', extraRecipients: [extraRecipient] });
    identityFile = path.join(t.dir, 'identity.txt');
    writeFileSync(identityFile, `${core.profiles.secrets(profile.id).identity}\n`);
    const pg = await core.call('sources:create', { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: pgDb });
    const my = await core.call('sources:create', { engine: 'mysql', name: 'maria', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: myDb });
    const disk = await core.call('destinations:create', { kind: 'local', name: 'disk', path: local });
    const bucket = await core.call('destinations:create', { kind: 's3', name: 'bucket', provider: 'minio', endpoint: s3.endpoint, bucket: 'backups', prefix: 'vd', accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey, partSizeMiB: 5 });
    const sftp = await core.call('destinations:create', { kind: 'sftp', name: 'vault', host: sshd.host, port: sshd.port, user: sshd.user, path: path.join(sshd.dir, 'data'), privateKey: sshd.privateKey });
    await core.call('jobs:create', { name: 'pg-nightly', sourceId: pg.id, destinationIds: [disk.id, bucket.id], encryption: 'age', profileId: profile.id });
    await core.call('jobs:create', { name: 'maria-nightly', sourceId: my.id, destinationIds: [sftp.id], compression: 'gzip', encryption: 'age', profileId: profile.id });
    await core.call('jobs:create', { name: 'pg-plain', sourceId: pg.id, destinationIds: [disk.id], format: 'plain', compression: 'none' });
  });

  afterAll(async () => {
    core?.close();
    await Promise.allSettled([s3?.stop(), sshd?.stop(), dropPgDatabase(pgDb), dropPgDatabase(pgRestore), dropMysqlDatabase(myDb), dropMysqlDatabase(myRestore)]);
    t.cleanup();
  });

  const run = async (job: string): Promise<RunDto> => core.runService.start(core.jobs.findByName(job)!.id, 'manual').finished;

  it('PostgreSQL custom format -> zstd -> age -> a local folder and S3; restores with age, zstd and pg_restore', async () => {
    const result = await run('pg-nightly');
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    const [object] = result.objects;
    expect(object!.key).toMatch(/^default\/vd_pg_src_[a-z0-9_]+\/pg-nightly\/\d{8}T\d{6}Z\.dump\.zst\.age$/);
    const file = path.join(local, object!.key);
    // The manifest is beside the object and describes exactly the stored bytes.
    const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as BackupManifest;
    expect(manifest).toMatchObject({ formatVersion: 1, source: { engine: 'postgres', database: pgDb }, compression: { algorithm: 'zstd' }, encryption: { kind: 'age' }, object: { size: readFileSync(file).length, sha256: sha256(file) } });
    expect(manifest.source.serverVersion).toMatch(/\d+/);
    if (manifest.encryption.kind === 'age') expect(manifest.encryption.recipients).toHaveLength(2);
    // The S3 copy is byte-identical and no multipart upload is left open.
    const s3File = path.join(s3.dir, 'backups', 'vd', object!.key);
    expect(existsSync(s3File) || filesUnder(path.join(s3.dir, 'backups')).some((f) => f.includes(path.basename(object!.key)))).toBe(true);
    expect(await s3.pendingUploads('backups')).toEqual([]);
    // Standard tools restore it.
    execFileSync('sh', ['-c', `age -d -i "$1" "$2" | zstd -d | pg_restore --no-owner -h "$3" -p "$4" -U "$5" -d "$6"`, 'sh', identityFile, file, pgEnv.host, String(pgEnv.port), pgEnv.user, pgRestore]);
    expect(await pgFingerprint(pgRestore)).toEqual(await pgFingerprint(pgDb));
    // The run is on record, with a backup row per destination.
    const rows = core.db.prepare('SELECT d.name FROM backups b JOIN destinations d ON d.id = b.destination_id WHERE b.run_id = ? ORDER BY d.name').all(result.id);
    expect(rows).toEqual([{ name: 'bucket' }, { name: 'disk' }]);
  });

  it('MariaDB -> gzip -> age -> SFTP; the break-glass key decrypts it and mysql restores it', async () => {
    const result = await run('maria-nightly');
    expect(result.error).toBeNull();
    const object = result.objects[0]!;
    expect(object.key).toMatch(/\.sql\.gz\.age$/);
    const file = path.join(sshd.dir, 'data', object.key);
    expect(existsSync(`${file}.manifest.json`)).toBe(true);
    expect(filesUnder(path.join(sshd.dir, 'data')).filter((f) => f.endsWith('.partial'))).toEqual([]);
    // The SFTP server's host key was pinned on first use.
    expect(core.destinations.findByName('vault')!.config).toMatchObject({ hostKeyFingerprint: sshd.hostKeyFingerprint });
    execFileSync('sh', ['-c', `age -d -i "$1" "$2" | gzip -d | mysql --binary-mode --comments -h "$3" -P "$4" -u "$5" "$6"`, 'sh', extraIdentityFile, file, mysqlEnv.host, String(mysqlEnv.port), mysqlEnv.user, myRestore]);
    expect(await mysqlFingerprint(myRestore)).toEqual(await mysqlFingerprint(myDb));
  });

  it('PostgreSQL plain SQL without compression or encryption restores with psql', async () => {
    const result = await run('pg-plain');
    expect(result.error).toBeNull();
    const file = path.join(local, result.objects[0]!.key);
    expect(file).toMatch(/\.sql$/);
    expect(readFileSync(file, 'utf8')).toContain('PostgreSQL database dump');
    const target = scratchName('pg_plain');
    await createPgDatabase(target);
    try {
      const r = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-h', pgEnv.host, '-p', String(pgEnv.port), '-U', pgEnv.user, '-d', target, '-f', file], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect((await pgFingerprint(target)).tables).toEqual((await pgFingerprint(pgDb)).tables);
    } finally {
      await dropPgDatabase(target);
    }
  });
});
