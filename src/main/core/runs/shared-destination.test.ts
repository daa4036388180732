import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InvokeInput } from '../../../shared/ipc/contract';
import type { Core } from '../create-core';
import { seedSqliteFile } from '../testing/db-fixtures';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../testing/s3-server';
import { shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';

describe('two installs that share a destination and store a backup under the same name', () => {
  const t = tempDir('vaultdesk-shared-name-');
  const cores: Core[] = [];
  let sshd: SshdServer | null = null;
  let s3: S3TestServer | null = null;
  afterAll(async () => {
    for (const c of cores) c.close();
    await sshd?.stop();
    await s3?.stop();
    t.cleanup();
  });

  /**
   * The same job in two data dirs (an old install and its system import on a new machine), started
   * in the same second, storing to one place: one stores it, the other fails saying why, and the
   * stored backup is left whole. Returns where the files are.
   */
  const race = async (name: string, destination: InvokeInput<'destinations:create'>, folder: string | null, where: string): Promise<void> => {
    const file = path.join(t.dir, `${name}.db`);
    seedSqliteFile(file, 2_000);
    const at = new Date('2026-12-03T16:32:15Z');
    const pair: Core[] = [];
    const jobs: string[] = [];
    for (const install of ['old', 'new']) {
      const core = await tempCore(path.join(t.dir, `${name}-${install}`), undefined, { clock: () => at });
      cores.push(core);
      pair.push(core);
      const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const dest = await core.call('destinations:create', destination);
      jobs.push((await core.call('jobs:create', { name: 'nightly', sourceId: source.id, destinationIds: [dest.id], compression: 'zstd' })).id);
    }
    const runs = await Promise.all(pair.map((core, i) => core.runService.start(jobs[i]!, 'manual').finished));
    const [stored, refused] = runs[0]!.status === 'succeeded' ? [runs[0]!, runs[1]!] : [runs[1]!, runs[0]!];
    expect([stored.status, refused.status]).toEqual(['succeeded', 'failed']);
    const key = stored.objects[0]!.key;
    expect(refused.error?.message).toBe(
      `Could not write ${key} to ${where}: another run is storing, or has just stored, a backup under that name (another Vaultdesk that uses this folder, started in the same second), so this one was not stored and that one was left alone. Run it again.`,
    );
    // The backup the first run reported is there, whole: its manifest, and an object that verifies.
    if (folder) expect(readdirSync(path.join(folder, path.dirname(key))).sort()).toEqual([path.basename(key), `${path.basename(key)}.manifest.json`]);
    const owner = pair[runs.indexOf(stored)]!;
    const listed = (await owner.call('backups:list', { refresh: true })).backups;
    expect(listed.map((b) => [b.key, b.status])).toEqual([[key, 'complete']]);
    expect((await owner.call('backups:verify', { id: listed[0]!.id })).ok).toBe(true);
  };

  it('a local folder: one stores it, the other fails saying why, and the stored backup is left whole', async () => {
    const folder = path.join(t.dir, 'nas');
    await race('local', { kind: 'local', name: 'nas', path: folder }, folder, `folder ${folder}`);
  });

  it.skipIf(shouldSkip('OpenSSH sshd', sshdUnavailable()))('an SFTP folder: the same, and neither writes into the other\'s partial file', async () => {
    sshd = await startSshd();
    const folder = path.join(sshd.dir, 'data');
    await race('sftp', { kind: 'sftp', name: 'vault', host: sshd.host, port: sshd.port, user: sshd.user, path: folder, privateKey: sshd.privateKey }, folder, `${folder} on ${sshd.user}@${sshd.host}:${sshd.port}`);
  });

  it('an S3 bucket that refuses a second write of a key (If-None-Match, as AWS S3 does): the same', async () => {
    s3 = await startS3Server({ buckets: ['vault'] });
    s3.rules.conditionalWrites = 'enforced';
    const bucket = { kind: 's3', name: 'vault', provider: 'minio', bucket: 'vault', endpoint: s3.endpoint, pathStyle: true, accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey } as const;
    await race('s3', bucket, null, `bucket vault at ${s3.endpoint}`);
  });
});
