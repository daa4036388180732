import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { createPgDatabase, dropPgDatabase, pgFingerprint, probePostgres, scratchName, seedPgAwkward } from '../testing/db-fixtures';
import { pgEnv, shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('PostgreSQL and sshd', (await probePostgres()) ?? sshdUnavailable());

describe.skipIf(skip)('a job whose source is reached over SSH', () => {
  const t = tempDir('vaultdesk-ssh-run-');
  const db = scratchName('pg_ssh');
  const restored = scratchName('pg_ssh_dst');
  let sshd: SshdServer;
  let core: Core;

  beforeAll(async () => {
    sshd = await startSshd();
    await createPgDatabase(db);
    await seedPgAwkward(db);
    await createPgDatabase(restored);
    core = await tempCore(t.dir);
  });
  afterAll(async () => {
    core?.close();
    await Promise.allSettled([sshd?.stop(), dropPgDatabase(db), dropPgDatabase(restored)]);
    t.cleanup();
  });

  it('runs pg_dump on the SSH host, pins its host key in the source, and the backup restores', async () => {
    const source = await core.call('sources:create', {
      engine: 'postgres',
      name: 'remote-pg',
      host: pgEnv.host,
      port: pgEnv.port,
      user: pgEnv.user,
      database: db,
      ssh: { mode: 'exec', host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.privateKey },
    });
    expect(source.ssh).toMatchObject({ hostKeyFingerprint: null, hasPrivateKey: true });
    const tested = await core.call('sources:test', { id: source.id });
    expect(tested.success).toBe(true);
    expect((await core.call('sources:get', { id: source.id })).ssh!.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
    const dest = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const job = await core.call('jobs:create', { name: 'remote-nightly', sourceId: source.id, destinationIds: [dest.id], encryption: 'age', profileId: profile.id });
    const run = await core.runService.start(job.id, 'manual').finished;
    expect(run.error).toBeNull();
    const identity = path.join(t.dir, 'id.txt');
    writeFileSync(identity, `${core.profiles.secrets(profile.id).identity}\n`);
    const file = run.objects[0]!.destinations[0]!.location!;
    execFileSync('sh', ['-c', `age -d -i "$1" "$2" | zstd -d | pg_restore --no-owner -h "$3" -p "$4" -U "$5" -d "$6"`, 'sh', identity, file, pgEnv.host, String(pgEnv.port), pgEnv.user, restored]);
    expect(await pgFingerprint(restored)).toEqual(await pgFingerprint(db));
  });

  it('refuses a run once the SSH host presents another key', async () => {
    await sshd.restartWithNewHostKey();
    const run = await core.runService.start(core.jobs.findByName('remote-nightly')!.id, 'manual').finished;
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'HOST_KEY_CHANGED' });
    expect(run.error!.message).toContain('vaultdesk source forget-host-key');
    // After the DBA checked the new key: forget the pin, and the next run pins the new key.
    const source = core.sources.findByName('remote-pg')!;
    await core.call('sources:update', { id: source.id, forgetHostKey: true });
    expect((await core.call('sources:get', { id: source.id })).ssh!.hostKeyFingerprint).toBeNull();
    const again = await core.runService.start(core.jobs.findByName('remote-nightly')!.id, 'manual').finished;
    expect(again.error).toBeNull();
    expect((await core.call('sources:get', { id: source.id })).ssh!.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
  });
});
