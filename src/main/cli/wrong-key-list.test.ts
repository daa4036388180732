import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../shared/domain/backups';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { asyncCliRunner } from '../core/testing/cli-runner';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../core/testing/s3-server';
import { tempDir } from '../core/testing/temp-dir';

describe('vaultdesk backup list with another master key than the data dir was made with', { timeout: 180_000 }, () => {
  const t = tempDir('vaultdesk-wrong-key-');
  const rightKey = path.join(t.dir, 'k1.key');
  const wrongKey = path.join(t.dir, 'k2.key');
  let s3: S3TestServer;

  // Not spawnSync: s3rver runs in this process, and a blocked event loop cannot answer the CLI.
  const cli = asyncCliRunner(t.dir);
  const vaultdesk = (key: string, args: string[]): ReturnType<typeof cli> => cli(args, { key, env: { S3_SECRET: S3RVER_CREDENTIALS.secretAccessKey } });

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['backups', 'offsite'] });
    seedSqliteFile(path.join(t.dir, 'app.db'), 30);
    writeFileSync(rightKey, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    writeFileSync(wrongKey, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const s3Destination = (name: string, bucket: string): string[] =>
      ['destination', 'add', 's3', '--name', name, '--provider', 'minio', '--endpoint', s3.endpoint, '--bucket', bucket, '--path-style', '--access-key-id', S3RVER_CREDENTIALS.accessKeyId, '--secret-env', 'S3_SECRET'];
    const setup = [
      ['source', 'add', 'sqlite', '--name', 'app', '--path', path.join(t.dir, 'app.db')],
      ['destination', 'add', 'local', '--name', 'disk', '--path', path.join(t.dir, 'backups')],
      s3Destination('bucket', 'backups'),
      s3Destination('offsite', 'offsite'),
      ['job', 'add', '--name', 'app-nightly', '--source', 'app', '--destination', 'disk', '--destination', 'bucket', '--destination', 'offsite'],
      ['backup', 'run', 'app-nightly'],
    ];
    for (const step of setup) {
      const r = await vaultdesk(rightKey, step);
      expect(r.code, `${step.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });
  afterAll(async () => {
    await s3?.stop();
    t.cleanup();
  });

  it('lists the local folder, which needs no secret, and names the destinations it cannot open together, with the one sentence once', async () => {
    const all = JSON.parse((await vaultdesk(rightKey, ['backup', 'list', '--json'])).stdout) as BackupDto[];
    expect(all.map((b) => b.destination).sort()).toEqual(['bucket', 'disk', 'offsite']);

    const mismatch = `The master key in the key file ${wrongKey} does not match this database. Import the right key (Settings > Master key, or vaultdesk key import), or reset the key and re-enter every credential (vaultdesk key reset).`;
    const listed = await vaultdesk(wrongKey, ['backup', 'list', '--json']);
    expect(listed.code).toBe(1);
    expect((JSON.parse(listed.stdout) as BackupDto[]).map((b) => [b.destination, b.key])).toEqual([['disk', all.find((b) => b.destination === 'disk')!.key]]);
    const lines = listed.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => !l.startsWith('warning: '))).toEqual([`vaultdesk: destinations "bucket" and "offsite" could not be listed [MASTER_KEY_MISMATCH]: ${mismatch}`]);

    // Told by the start of an id found nowhere readable: the destinations named, the sentence once.
    const shown = await vaultdesk(wrongKey, ['backup', 'show', 'ffff']);
    expect(shown.code).toBe(1);
    expect(shown.stderr.split(mismatch)).toHaveLength(2);
    expect(shown.stderr).toContain(`vaultdesk: error [MASTER_KEY_MISMATCH]: No backup id starts with ffff on the destinations that could be listed, and destinations "bucket" and "offsite" could not be listed (${mismatch}):`);

    // A whole id, not found: the core's own words name both, the sentence once.
    const unknown = await vaultdesk(wrongKey, ['backup', 'show', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
    expect(unknown.stderr).toContain(`These destinations could not be read, so it may be on one of them: "bucket", "offsite" (${mismatch})`);
    expect(unknown.stderr.split(mismatch)).toHaveLength(2);

    // The local folder's backup is usable as before: verified by reading it back, no secret needed.
    const verified = await vaultdesk(wrongKey, ['backup', 'verify', all.find((b) => b.destination === 'disk')!.id]);
    expect(verified.code, verified.stderr).toBe(0);
  });
});
