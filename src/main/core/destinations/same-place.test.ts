import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConfig, DestinationDto, S3DestinationConfig } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { seedSqliteFile } from '../testing/db-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';
import { assertDistinctPlaces, placeOf } from './same-place';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const s3: S3DestinationConfig = { provider: 'minio', bucket: 'backups', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', publicEndpoint: null, pathStyle: true, accessKeyId: 'AKIA', prefix: 'db/', partSizeMiB: 16, buckets: [], account: null };

function dto(name: string, config: DestinationConfig): DestinationDto {
  return { id: name, name, kind: config.kind, config, locked: false, isDefault: false, hasSecret: false, hasPassphrase: false, hasPassword: false, hasPrivateKey: false, jobNames: [], lastTest: null, createdAt: '', updatedAt: '' };
}

function refusal(destinations: DestinationDto[]): AppError | null {
  try {
    assertDistinctPlaces(destinations);
    return null;
  } catch (error) {
    return error as AppError;
  }
}

describe('destinations on the same place', () => {
  it('takes a trailing slash, a .. and a symbolic link for the folder they name', () => {
    const folder = path.join(t.dir, 'd1');
    mkdirSync(path.join(folder, 'sub'), { recursive: true });
    symlinkSync(folder, path.join(t.dir, 'link'));
    const nas = dto('nas', { kind: 'local', path: folder });
    for (const other of [`${folder}/`, path.join(folder, 'sub') + '/..', path.join(t.dir, 'link')]) {
      const error = refusal([nas, dto('other', { kind: 'local', path: other })]);
      expect(error?.code, other).toBe('VALIDATION_FAILED');
      expect(error?.details).toMatchObject({ field: 'destinationIds', destinations: ['nas', 'other'] });
      expect(error?.message).toBe(`Destinations "nas" and "other" are the same place (folder ${folder}): a job writing to both would write each backup twice under one name, and fail. Keep one of them.`);
    }
    // A missing folder is compared as written, after resolving.
    expect(refusal([dto('a', { kind: 'local', path: '/mnt/gone/x' }), dto('b', { kind: 'local', path: '/mnt/gone/y/../x/' })])?.code).toBe('VALIDATION_FAILED');
  });

  it('lets a folder inside another through: the job folder under each keeps their files apart', () => {
    const folder = path.join(t.dir, 'd1');
    expect(refusal([dto('outer', { kind: 'local', path: folder }), dto('inner', { kind: 'local', path: path.join(folder, 'nas') })])).toBeNull();
  });

  it('compares S3 by endpoint, bucket and prefix', () => {
    const a = dto('minio', { kind: 's3', ...s3 });
    expect(refusal([a, dto('same', { kind: 's3', ...s3, endpoint: 'HTTP://127.0.0.1:9000/', prefix: '/db', accessKeyId: 'OTHER', partSizeMiB: 64 })])?.message).toContain(
      '"minio" and "same" are the same place (bucket backups, prefix db/ at http://127.0.0.1:9000)',
    );
    expect(refusal([a, dto('prefix', { kind: 's3', ...s3, prefix: 'db2/' })])).toBeNull();
    expect(refusal([a, dto('bucket', { kind: 's3', ...s3, bucket: 'other' })])).toBeNull();
    expect(refusal([a, dto('endpoint', { kind: 's3', ...s3, endpoint: 'http://127.0.0.1:9001' })])).toBeNull();
    // A bucket name is global on AWS: two regions named for it are still one bucket.
    const aws: S3DestinationConfig = { ...s3, provider: 'aws', endpoint: null };
    expect(refusal([dto('east', { kind: 's3', ...aws }), dto('west', { kind: 's3', ...aws, region: 'eu-west-1' })])?.code).toBe('VALIDATION_FAILED');
  });

  it('compares SFTP by host, port and folder, and by user where the folder is relative to the home', () => {
    const sftp = { host: 'Vault.example', port: 22, user: 'dba', path: '/srv/backups', hostKeyFingerprint: null };
    const a = dto('vault', { kind: 'sftp', ...sftp });
    expect(placeOf(dto('x', { kind: 'sftp', ...sftp, host: 'vault.example', path: '/srv/./backups/', user: 'other' }))).toBe(placeOf(a));
    expect(refusal([a, dto('port', { kind: 'sftp', ...sftp, port: 2222 })])).toBeNull();
    expect(placeOf(dto('home', { kind: 'sftp', ...sftp, path: 'backups' }))).not.toBe(placeOf(dto('home2', { kind: 'sftp', ...sftp, path: 'backups', user: 'other' })));
  });

  it('refuses a job on two names for one folder when it is saved, as the contract answers it', async () => {
    const core = await tempCore(t.dir);
    try {
      const folder = path.join(t.dir, 'd1');
      const source = await core.call('sources:create', { engine: 'sqlite', name: 'demo', path: path.join(t.dir, 'demo.sqlite') });
      const nas = await core.call('destinations:create', { kind: 'local', name: 'nas', path: folder });
      const slash = await core.call('destinations:create', { kind: 'local', name: 'nas-slash', path: `${folder}/` });
      const error = await core.call('jobs:create', { name: 'j', sourceId: source.id, destinationIds: [nas.id, slash.id] }).catch((e: unknown) => e as AppError);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'destinationIds' } });
      expect((error as AppError).message).toContain(`"nas" and "nas-slash" are the same place (folder ${folder})`);
      // Adding the second one to an existing job is refused the same way.
      const job = await core.call('jobs:create', { name: 'j', sourceId: source.id, destinationIds: [nas.id] });
      await expect(core.call('jobs:update', { id: job.id, destinationIds: [nas.id, slash.id] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'destinationIds' } });
    } finally {
      core.close();
    }
  });

  it('fails a run, before anything is dumped, when a destination was moved onto the folder of another of the job', async () => {
    const core = await tempCore(t.dir);
    try {
      const file = path.join(t.dir, 'shop.db');
      seedSqliteFile(file, 5);
      const source = await core.call('sources:create', { engine: 'sqlite', name: 'shop', path: file });
      const nas = await core.call('destinations:create', { kind: 'local', name: 'nas', path: path.join(t.dir, 'd1') });
      const other = await core.call('destinations:create', { kind: 'local', name: 'other', path: path.join(t.dir, 'd2') });
      const job = await core.call('jobs:create', { name: 'j', sourceId: source.id, destinationIds: [nas.id, other.id] });
      await core.call('destinations:update', { id: other.id, path: `${path.join(t.dir, 'd1')}/` });
      const run = await core.runService.start(job.id, 'manual').finished;
      expect(run.status).toBe('failed');
      expect(run.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(`"nas" and "other" are the same place (folder ${path.join(t.dir, 'd1')})`) });
      expect(readdirSync(path.join(t.dir, 'd1'))).toEqual([]);
    } finally {
      core.close();
    }
  });
});

