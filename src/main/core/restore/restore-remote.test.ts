import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeInput } from '../../../shared/ipc/contract';
import type { Core } from '../create-core';
import { createPgDatabase, dropPgDatabase, pgFingerprint, probePostgres, scratchName, seedPgAwkward } from '../testing/db-fixtures';
import { backUp, pgDatabases, pgRowCounts, restoreAndWait } from '../testing/restore-fixtures';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../testing/s3-server';
import { pgEnv, probeCommand, shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('PostgreSQL, age and sshd', (await probePostgres()) ?? probeCommand('age') ?? sshdUnavailable());

describe.skipIf(skip)('restores from S3 (s3rver) and SFTP (sshd) of backups another data dir made', () => {
  const t = tempDir('vaultdesk-restore-remote-');
  const source = scratchName('rrem_src');
  const fromS3 = scratchName('rrem_s3');
  const fromSftp = scratchName('rrem_sftp');
  let s3: S3TestServer;
  let sshd: SshdServer;
  let a: Core;
  let b: Core;
  const ids = { bucket: '', vault: '', warehouse: '' };
  const destinations = (): InvokeInput<'destinations:create'>[] => [
    { kind: 's3', name: 'bucket', provider: 'minio', endpoint: s3.endpoint, bucket: 'backups', prefix: 'team', accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey, partSizeMiB: 5 },
    { kind: 'sftp', name: 'vault', host: sshd.host, port: sshd.port, user: sshd.user, path: path.join(sshd.dir, 'data'), privateKey: sshd.privateKey },
  ];

  beforeAll(async () => {
    [s3, sshd] = await Promise.all([startS3Server({ buckets: ['backups'] }), startSshd()]);
    await createPgDatabase(source);
    await seedPgAwkward(source);

    // Install A makes the backups: one run, to both destinations.
    a = await tempCore(path.join(t.dir, 'a'));
    const profile = await a.call('profiles:create', { kind: 'age', name: 'team' });
    const pg = await a.call('sources:create', { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: source });
    const made = await Promise.all(destinations().map((d) => a.call('destinations:create', d)));
    const job = await a.call('jobs:create', { name: 'pg-nightly', sourceId: pg.id, destinationIds: made.map((d) => d.id), encryption: 'age', profileId: profile.id });
    await backUp(a, job.id);

    // Install B, with its own master key, knows only the destinations and the team's identity.
    b = await tempCore(path.join(t.dir, 'b'));
    await b.call('profiles:create', { kind: 'age', name: 'team (imported)', identity: a.profiles.secrets(profile.id).identity });
    const [bucket, vault] = await Promise.all(destinations().map((d) => b.call('destinations:create', d)));
    ids.bucket = bucket!.id;
    ids.vault = vault!.id;
    ids.warehouse = (await b.call('sources:create', { engine: 'postgres', name: 'warehouse', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: 'postgres' })).id;
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await Promise.allSettled([s3?.stop(), sshd?.stop(), dropPgDatabase(source), dropPgDatabase(fromS3), dropPgDatabase(fromSftp)]);
    t.cleanup();
  });

  it('B is another install: its own master key, and only the imported identity', () => {
    expect(readFileSync(path.join(t.dir, 'b', 'master.key'))).not.toEqual(readFileSync(path.join(t.dir, 'a', 'master.key')));
    expect(b.profiles.list().map((p) => p.name)).toEqual(['team (imported)']);
  });

  for (const [name, target] of [
    ['bucket', fromS3],
    ['vault', fromSftp],
  ] as const) {
    it(`${name === 'bucket' ? 'S3' : 'SFTP'}: B lists the backup A made and restores it into a new database with the same rows`, async () => {
      const destinationId = name === 'bucket' ? ids.bucket : ids.vault;
      const listed = await b.call('backups:list', { destinationId, refresh: true });
      expect(listed.problems).toEqual([]);
      expect(listed.backups.map((x) => [x.status, x.job, x.source, x.engine, x.database])).toEqual([['complete', 'pg-nightly', 'pg', 'postgres', source]]);
      const backupId = listed.backups[0]!.id;

      // B has no source named as A's: where to restore must be said.
      await expect(b.call('restore:start', { backupId, database: target })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'targetSourceId' } });

      const done = await restoreAndWait(b, { backupId, targetSourceId: ids.warehouse, database: target });
      expect(done.error).toBeNull();
      expect(done).toMatchObject({ status: 'succeeded', destination: name, targetSource: 'warehouse', job: 'pg-nightly' });
      expect(done.databases[0]).toMatchObject({ status: 'restored', database: target, fromDatabase: source, replaced: false });
      const counts = await pgRowCounts(source);
      expect(Object.keys(counts).length).toBeGreaterThanOrEqual(3);
      expect(await pgRowCounts(target)).toEqual(counts);
      expect(Object.fromEntries(done.databases[0]!.tables!.map((x) => [`${x.schema}.${x.table}`, x.rows]))).toEqual(counts);
      expect(await pgFingerprint(target)).toEqual(await pgFingerprint(source));
      expect(done.bytesRead).toBe(listed.backups[0]!.size);
    });
  }

  it('a drill from B, compared with the source database named explicitly, passes and leaves no scratch database', async () => {
    const [backup] = (await b.call('backups:list', { destinationId: ids.vault })).backups;
    const { restoreId } = await b.call('restore:drill', { backupId: backup!.id, targetSourceId: ids.warehouse, compareSourceId: ids.warehouse });
    const done = await b.restoreService.wait(restoreId);
    expect(done.error).toBeNull();
    expect(done.drill).toMatchObject({ ok: true, differences: [], scratchDropped: true, comparedWith: `${source} on "warehouse"` });
    // The scratch database is named after the source's (other tests share the server: only those names are looked at).
    expect(done.databases[0]!.database).toMatch(/_vddrill_[0-9a-f]{8}$/);
    expect((await pgDatabases()).filter((d) => d.startsWith(source.slice(0, 30)))).toEqual([source]);
  });
});
