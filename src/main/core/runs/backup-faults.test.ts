import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { createDestinationDriver } from '../destinations/destination';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, seedPgAwkward, seedSqliteFile } from '../testing/db-fixtures';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../testing/s3-server';
import { pgEnv, shouldSkip } from '../testing/services';
import { silentLogger } from '../logger';
import { tempCore, tempDir } from '../testing/temp-dir';
import { pgDumpWrapper } from '../testing/tool-wrapper';
import { findTool } from '../sources/client-tools';
import { closedPort } from '../sources/source-test-helpers';

const skip = shouldSkip('PostgreSQL', await probePostgres());

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.skipIf(skip)('backup runs that fail leave nothing behind', () => {
  const t = tempDir('vaultdesk-faults-');
  const local = path.join(t.dir, 'local');
  const pgDb = scratchName('pg_fault');
  let s3: S3TestServer;
  let core: Core;

  /** What the core warned about, since the last openCore. */
  let warnings: string[] = [];
  const openCore = async (pathPrefix?: string): Promise<Core> => {
    core?.close();
    warnings = [];
    const log = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    core = await tempCore(t.dir, undefined, { toolEnv: { PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH }, minuteMs: 1500, log });
    return core;
  };
  const run = (job: string): Promise<RunDto> => core.runService.start(core.jobs.findByName(job)!.id, 'manual').finished;
  const s3Objects = async (): Promise<string[]> => {
    const dto = core.destinations.findByName('bucket')!;
    const driver = createDestinationDriver(dto, core.destinations.secrets(dto.id));
    try {
      return (await driver.list('')).map((o) => o.key);
    } finally {
      await driver.close();
    }
  };
  const expectNothingLeft = async (): Promise<void> => {
    expect(filesUnder(local)).toEqual([]);
    expect(await s3Objects()).toEqual([]);
    expect(await s3.pendingUploads('backups')).toEqual([]);
    expect(filesUnder(path.join(t.dir, 'data', 'tmp'))).toEqual([]);
  };

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['backups'] });
    await createPgDatabase(pgDb);
    await seedPgAwkward(pgDb);
    const sqliteFile = path.join(t.dir, 'big.db');
    // About 12 MiB of incompressible rows: several 5 MiB parts on S3.
    seedSqliteFile(sqliteFile, 24_000);
    await openCore();
    const pg = await core.call('sources:create', { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: pgDb });
    const lite = await core.call('sources:create', { engine: 'sqlite', name: 'lite', path: sqliteFile });
    const disk = await core.call('destinations:create', { kind: 'local', name: 'disk', path: local });
    const bucket = await core.call('destinations:create', { kind: 's3', name: 'bucket', provider: 'minio', endpoint: s3.endpoint, bucket: 'backups', accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey, partSizeMiB: 5 });
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    await core.call('jobs:create', { name: 'pg-job', sourceId: pg.id, destinationIds: [disk.id, bucket.id], encryption: 'age', profileId: profile.id });
    // With minuteMs shortened to 1.5 s, a one-minute timeout.
    await core.call('jobs:create', { name: 'pg-timeout', sourceId: pg.id, destinationIds: [disk.id, bucket.id], encryption: 'age', profileId: profile.id, timeoutMinutes: 1 });
    await core.call('jobs:create', { name: 'lite-job', sourceId: lite.id, destinationIds: [disk.id, bucket.id], compression: 'none', encryption: 'age', profileId: profile.id });
  });

  afterAll(async () => {
    core?.close();
    await Promise.allSettled([s3?.stop(), dropPgDatabase(pgDb)]);
    t.cleanup();
  });

  it('a dump tool that exits non-zero halfway fails the run at stage dump with its stderr', async () => {
    await openCore(pgDumpWrapper(path.join(t.dir, 'bin-fail'), 'REAL "$@" | head -c 3000\necho "pg_dump: error: simulated crash halfway" >&2\nexit 1'));
    const result = await run('pg-job');
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ stage: 'dump', code: 'DUMP_FAILED' });
    expect(result.error!.message).toContain('simulated crash halfway');
    await expectNothingLeft();
    await openCore();
    expect((await run('pg-job')).status).toBe('succeeded');
    expect(filesUnder(local)).toHaveLength(2);
    for (const f of filesUnder(local)) execFileSync('rm', [f]);
    for (const key of await s3Objects()) {
      const dto = core.destinations.findByName('bucket')!;
      const driver = createDestinationDriver(dto, core.destinations.secrets(dto.id));
      await driver.delete(key);
      await driver.close();
    }
  });

  it('a destination that dies mid-upload fails the run at stage upload and aborts the multipart upload', async () => {
    s3.rules.cutUploadPart = { partNumber: 2, afterBytes: 64 * 1024 };
    const result = await run('lite-job');
    s3.rules.cutUploadPart = null;
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ stage: 'upload', destination: 'bucket' });
    expect(result.error!.code).toMatch(/^DESTINATION_/);
    await expectNothingLeft();
    const again = await run('lite-job');
    expect(again.status).toBe('succeeded');
    expect(again.objects[0]!.size).toBeGreaterThan(10 * 1024 * 1024);
    expect(s3.partsStored).toBeGreaterThanOrEqual(3);
    for (const f of filesUnder(local)) execFileSync('rm', [f]);
    const dto = core.destinations.findByName('bucket')!;
    const driver = createDestinationDriver(dto, core.destinations.secrets(dto.id));
    for (const o of await driver.list('')) await driver.delete(o.key);
    await driver.close();
  });

  it('a cancelled run stops the dump, keeps nothing, and is recorded as cancelled', async () => {
    await openCore(pgDumpWrapper(path.join(t.dir, 'bin-slow'), 'REAL "$@"\nexec sleep 60'));
    const { runId, finished } = core.runService.start(core.jobs.findByName('pg-job')!.id, 'manual');
    await new Promise<void>((resolve) => {
      const off = core.events.on('runs:progress', (p) => {
        if (p.runId === runId && p.bytesDumped > 0) {
          off();
          resolve();
        }
      });
    });
    expect(core.runService.cancel(runId).status).toBe('running');
    const result = await finished;
    expect(result.status).toBe('cancelled');
    expect(result.error).toMatchObject({ code: 'CANCELLED' });
    await expectNothingLeft();
    expect((await core.call('runs:get', { id: runId })).status).toBe('cancelled');
  });

  it('a run past its timeout is stopped and fails with TIMEOUT', async () => {
    await openCore(pgDumpWrapper(path.join(t.dir, 'bin-slow'), 'REAL "$@"\nexec sleep 60'));
    const result = await run('pg-timeout');
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'TIMEOUT' });
    expect(result.error!.message).toMatch(/1-minute timeout/);
    await expectNothingLeft();
  });

  it('a server out of reach, or a pg_dump older than it, leaves nothing at the destinations, not a folder', async () => {
    // The dump starts beside these checks (SourceDriver.dumpChecksItself): the destinations must not
    // hear of it until they pass. expectNothingLeft counts files; a job's folder is a trace too (the
    // earlier tests' failed runs leave theirs: see README, removing them would race another run).
    const foldersOf = (jobName: string): string[] => (existsSync(local) ? readdirSync(local, { recursive: true }).map(String).filter((p) => p.includes(jobName)) : []);
    await openCore();
    const down = await core.call('sources:create', { engine: 'postgres', name: 'pg-down', host: '127.0.0.1', port: await closedPort(), user: pgEnv.user, database: pgDb });
    const job = core.jobs.findByName('pg-job')!;
    await core.call('jobs:create', { name: 'pg-down-job', sourceId: down.id, destinationIds: job.destinationIds, encryption: 'age', profileId: job.profileId! });
    const unreachable = await run('pg-down-job');
    expect(unreachable).toMatchObject({ status: 'failed', error: { stage: 'dump', code: 'SOURCE_UNREACHABLE' }, objects: [] });
    expect(foldersOf('pg-down-job')).toEqual([]);
    // The manifest's reads asked beside the dump failed too; no manifest, so they are not said again.
    expect(warnings.filter((w) => w.includes('for the manifest'))).toEqual([]);
    await expectNothingLeft();

    // An old pg_dump that would dump all the same: refused, and nothing written.
    const tool = path.join(t.dir, 'old-pg_dump');
    const real = findTool('pg_dump', { env: process.env }).path;
    writeFileSync(tool, `#!/bin/sh\ncase "$1" in --version) echo "pg_dump (PostgreSQL) 9.6.24"; exit 0;; esac\nexec "${real}" "$@"\n`, { mode: 0o755 });
    await core.call('jobs:create', { name: 'pg-old-tool-job', sourceId: job.sourceId, destinationIds: job.destinationIds, encryption: 'age', profileId: job.profileId! });
    await core.call('settings:setToolPath', { tool: 'pg_dump', path: tool });
    try {
      const old = await run('pg-old-tool-job');
      expect(old).toMatchObject({ status: 'failed', error: { stage: 'dump', code: 'CLIENT_TOO_OLD' } });
      expect(foldersOf('pg-old-tool-job')).toEqual([]);
      await expectNothingLeft();
    } finally {
      await core.call('settings:setToolPath', { tool: 'pg_dump', path: null });
    }
  });

  it('a locked destination refuses the run before anything starts', async () => {
    await openCore();
    const disk = core.destinations.findByName('disk')!;
    await core.call('destinations:lock', { id: disk.id });
    const result = await run('pg-job');
    expect(result).toMatchObject({ status: 'failed', error: { stage: 'plan', code: 'DESTINATION_LOCKED' } });
    await core.call('destinations:unlock', { id: disk.id });
    await expectNothingLeft();
  });

  it('one run per job at a time', async () => {
    await openCore(pgDumpWrapper(path.join(t.dir, 'bin-slow'), 'REAL "$@"\nexec sleep 60'));
    const job = core.jobs.findByName('pg-job')!;
    const first = core.runService.start(job.id, 'manual');
    expect(() => core.runService.start(job.id, 'manual')).toThrow(expect.objectContaining({ code: 'RUN_IN_PROGRESS' }));
    core.runService.cancel(first.runId);
    expect((await first.finished).status).toBe('cancelled');
  });
});
