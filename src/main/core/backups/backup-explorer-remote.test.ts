import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { createDestinationDriver, type DestinationDriver } from '../destinations/destination';
import { filesUnder, makeBackups, sha256Of, type BackupMaker } from '../testing/backup-fixtures';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../testing/s3-server';
import { shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';
import { backupIdOf } from './backup-id';
import { scanDestination } from './destination-scan';

const skip = shouldSkip('sshd', sshdUnavailable());
const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

describe.skipIf(skip)('the storage explorer on S3 (s3rver) and SFTP (sshd), from another data dir', () => {
  const t = tempDir('vaultdesk-explorer-remote-');
  let s3: S3TestServer;
  let sshd: SshdServer;
  let onS3: BackupMaker;
  let onSftp: BackupMaker;
  let b: Core;
  const ids: Record<'bucket' | 'parent' | 'vault', string> = { bucket: '', parent: '', vault: '' };
  const s3Fields = (): { provider: 'minio'; endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; partSizeMiB: number } => ({
    provider: 'minio',
    endpoint: s3.endpoint,
    bucket: 'backups',
    accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
    secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
    partSizeMiB: 5,
  });

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['backups'] });
    sshd = await startSshd();
    onS3 = await makeBackups(path.join(t.dir, 'a-s3'), { kind: 's3', name: 'bucket', prefix: 'team/vd', ...s3Fields() }, DAYS);
    onSftp = await makeBackups(path.join(t.dir, 'a-sftp'), { kind: 'sftp', name: 'vault', host: sshd.host, port: sshd.port, user: sshd.user, path: path.join(sshd.dir, 'data'), privateKey: sshd.privateKey }, DAYS.slice(0, 2));
    b = await tempCore(path.join(t.dir, 'b'));
    ids.bucket = (await b.call('destinations:create', { kind: 's3', name: 'bucket', prefix: 'team/vd', publicEndpoint: `http://localhost:${s3.port}`, ...s3Fields() })).id;
    // The same bucket one level up: the same backups, under longer keys.
    ids.parent = (await b.call('destinations:create', { kind: 's3', name: 'parent', prefix: 'team', ...s3Fields() })).id;
    ids.vault = (await b.call('destinations:create', { kind: 'sftp', name: 'vault', host: sshd.host, port: sshd.port, user: sshd.user, path: path.join(sshd.dir, 'data'), privateKey: sshd.privateKey })).id;
  });
  afterAll(async () => {
    onS3?.core.close();
    onSftp?.core.close();
    b?.close();
    await Promise.allSettled([s3?.stop(), sshd?.stop()]);
    t.cleanup();
  });

  const s3Key = (i: number): string => onS3.runs[i]!.objects[0]!.key;
  const driverOf = (id: string): DestinationDriver => createDestinationDriver(b.destinations.get(id), b.destinations.secrets(id));

  it('S3: lists the backups under the destination\'s prefix, whatever prefix the maker had; a stray object is incomplete and a manifest without its object broken', async () => {
    const listed = await b.call('backups:list', { destinationId: ids.bucket });
    expect(listed.problems).toEqual([]);
    expect(listed.backups.map((x) => [x.key, x.status, x.job, x.database, x.location])).toEqual(
      [2, 1, 0].map((i) => [s3Key(i), 'complete', 'app-nightly', 'app', `s3://backups/team/vd/${s3Key(i)}`]),
    );
    expect(listed.backups.map((x) => x.sha256)).toEqual([2, 1, 0].map((i) => onS3.runs[i]!.objects[0]!.sha256));
    const parent = await b.call('backups:list', { destinationId: ids.parent });
    expect(parent.backups.map((x) => [x.key, x.id])).toEqual([2, 1, 0].map((i) => [`vd/${s3Key(i)}`, backupIdOf(ids.parent, `vd/${s3Key(i)}`)]));

    const driver = driverOf(ids.bucket);
    try {
      await driver.put('stray/upload.bin', Readable.from([Buffer.from('not a backup')]));
      await driver.delete(s3Key(0));
    } finally {
      await driver.close();
    }
    const again = await b.call('backups:list', { destinationId: ids.bucket, refresh: true });
    const byKey = new Map(again.backups.map((x) => [x.key, x]));
    expect(byKey.get('stray/upload.bin')).toMatchObject({ status: 'incomplete', complete: false, size: 12 });
    expect(byKey.get(s3Key(0))).toMatchObject({ status: 'broken', complete: false, database: 'app' });
  });

  it('S3: a listing reads the manifests, never an object, and a second listing reads nothing', async () => {
    const reads: string[] = [];
    const real = driverOf(ids.parent);
    const counting = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'get') return (key: string, options?: { signal?: AbortSignal }) => (reads.push(key), target.get(key, options));
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    try {
      const dto = b.destinations.get(ids.parent);
      b.db.prepare('DELETE FROM manifest_cache WHERE destination_id = ?').run(ids.parent);
      await scanDestination(counting, dto, b.backupState);
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every((k) => k.endsWith('.manifest.json'))).toBe(true);
      reads.length = 0;
      await scanDestination(counting, dto, b.backupState);
      expect(reads).toEqual([]);
    } finally {
      await real.close();
    }
  });

  it('S3: a presigned URL (through the public endpoint, valid one hour by default) fetched with plain HTTP returns the exact bytes', async () => {
    const id = backupIdOf(ids.bucket, s3Key(2));
    const { url, expiresAt } = await b.call('backups:url', { id });
    expect(url.startsWith(`http://localhost:${s3.port}/backups/team/vd/${s3Key(2)}?`)).toBe(true);
    expect(url).toContain('X-Amz-Expires=3600');
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3590_000);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(onS3.runs[2]!.objects[0]!.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(onS3.runs[2]!.objects[0]!.sha256);
    // A destination without a public endpoint signs for its API endpoint.
    const own = await onS3.core.call('backups:url', { id: backupIdOf(onS3.destinationId, s3Key(2)), expiresInSeconds: 600 });
    expect(own.url.startsWith(`${s3.endpoint}/backups/team/vd/${s3Key(2)}?`)).toBe(true);
    expect(own.url).toContain('X-Amz-Expires=600');
  });

  it('S3: verify and download read the object back', async () => {
    const id = backupIdOf(ids.bucket, s3Key(1));
    expect(await b.call('backups:verify', { id })).toMatchObject({ ok: true, age: 'not-checked', sha256: { ok: true } });
    expect(await onS3.core.call('backups:verify', { id: backupIdOf(onS3.destinationId, s3Key(1)) })).toMatchObject({ ok: true, age: 'authenticated' });
    const out = path.join(t.dir, 'from-s3');
    mkdirSync(out);
    const d = await b.call('backups:download', { id, path: out });
    expect(sha256Of(d.path)).toBe(onS3.runs[1]!.objects[0]!.sha256);
    expect(filesUnder(out)).toEqual([path.basename(s3Key(1)), `${path.basename(s3Key(1))}.manifest.json`]);
  });

  it('SFTP: lists, verifies and downloads the backups another install stored', async () => {
    const key = (i: number): string => onSftp.runs[i]!.objects[0]!.key;
    const listed = await b.call('backups:list', { destinationId: ids.vault });
    expect(listed.problems).toEqual([]);
    expect(listed.backups.map((x) => [x.key, x.status, x.job, x.runId])).toEqual([1, 0].map((i) => [key(i), 'complete', 'app-nightly', onSftp.runs[i]!.id]));
    expect(listed.backups[0]!.location).toBe(`sftp://${sshd.user}@${sshd.host}:${sshd.port}${path.join(sshd.dir, 'data')}/${key(1)}`);
    const id = backupIdOf(ids.vault, key(0));
    expect(await b.call('backups:verify', { id })).toMatchObject({ ok: true, sha256: { ok: true } });
    const d = await b.call('backups:download', { id, path: path.join(t.dir, 'from-sftp.age') });
    expect(sha256Of(d.path)).toBe(onSftp.runs[0]!.objects[0]!.sha256);
    const url = await b.call('backups:url', { id }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(url).toMatchObject({ code: 'VALIDATION_FAILED', message: `Destination "vault" is an SFTP server: download links exist for S3 destinations only. Use vaultdesk backup download ${id} -o PATH instead.` });
  });

  it('lists every destination at once, and the job filter finds both makers\' backups', async () => {
    // refresh: what was deleted behind the explorer's back (above) may still be in a listing of the last seconds.
    const listed = await b.call('backups:list', { job: 'app-nightly', status: 'complete', refresh: true });
    expect(listed.problems).toEqual([]);
    expect(listed.backups.map((x) => x.destination).sort()).toEqual(['bucket', 'bucket', 'parent', 'parent', 'vault', 'vault']);
  });
});
