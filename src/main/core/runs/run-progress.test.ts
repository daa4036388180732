import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto, RunProgressDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { currentProcessIdentity } from '../ownership/process-identity';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, seedPgAwkward, seedSqliteFile } from '../testing/db-fixtures';
import { pgEnv, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { pgDumpWrapper } from '../testing/tool-wrapper';

const skip = shouldSkip('PostgreSQL', await probePostgres());

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip)('a running run says where it is, to any process reading the store', () => {
  const t = tempDir('vaultdesk-progress-');
  const pgDb = scratchName('pg_progress');
  // The real dump, then a tool that does not exit: the run stays at stage dump with bytes counted.
  const slow = pgDumpWrapper(path.join(t.dir, 'bin-slow'), 'REAL "$@"\nexec sleep 60');
  let runner: Core;
  let viewer: Core;

  beforeAll(async () => {
    await createPgDatabase(pgDb);
    await seedPgAwkward(pgDb);
    runner = await tempCore(t.dir, undefined, { toolEnv: { PATH: `${slow}:${process.env.PATH}` }, owner: currentProcessIdentity('test') });
    const pg = await runner.call('sources:create', { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: pgDb });
    const sqliteFile = path.join(t.dir, 'small.db');
    seedSqliteFile(sqliteFile, 50);
    const lite = await runner.call('sources:create', { engine: 'sqlite', name: 'lite', path: sqliteFile });
    const disk = await runner.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'local') });
    await runner.call('jobs:create', { name: 'pg-job', sourceId: pg.id, destinationIds: [disk.id] });
    await runner.call('jobs:create', { name: 'lite-job', sourceId: lite.id, destinationIds: [disk.id] });
    // A second core on the same data dir: what a freshly opened page (or another host) reads.
    viewer = await tempCore(t.dir);
  });

  afterAll(async () => {
    viewer?.close();
    runner?.close();
    await dropPgDatabase(pgDb);
    t.cleanup();
  });

  it('runs:get and runs:list carry the stage and bytes while it runs, and nothing once it has ended', async () => {
    const reports: RunProgressDto[] = [];
    const off = runner.events.on('runs:progress', (p) => reports.push(p));
    const { runId, finished } = runner.runService.start(runner.jobs.findByName('pg-job')!.id, 'manual');
    const seen = await waitFor(
      () => viewer.call('runs:get', { id: runId }),
      (r) => (r.progress?.bytesDumped ?? 0) > 0,
    );
    off();
    expect(seen.status).toBe('running');
    expect(seen.progress).toMatchObject({ runId, jobName: 'pg-job', database: pgDb, objectIndex: 0, objectCount: 1 });
    // What the store keeps is one of the reports the window got as events, not a figure of its own.
    expect(reports).toContainEqual(seen.progress);
    const [listed] = await viewer.call('runs:list', { status: 'running', limit: 10 });
    expect(listed!.id).toBe(runId);
    expect(listed!.progress!.bytesDumped).toBeGreaterThan(0);

    runner.runService.cancel(runId);
    const result = await finished;
    expect(result.status).toBe('cancelled');
    expect(result).not.toHaveProperty('progress');
    expect(await viewer.call('runs:get', { id: runId })).not.toHaveProperty('progress');
    expect(await viewer.call('runs:list', { status: 'running', limit: 10 })).toEqual([]);
  });

  it('runs:list filters by status, with the job filter too', async () => {
    const lite = runner.jobs.findByName('lite-job')!;
    const done: RunDto = await runner.runService.start(lite.id, 'manual').finished;
    expect(done.status).toBe('succeeded');
    const succeeded = await viewer.call('runs:list', { status: 'succeeded', limit: 10 });
    expect(succeeded.map((r) => r.id)).toEqual([done.id]);
    expect((await viewer.call('runs:list', { status: 'cancelled', limit: 10 })).map((r) => r.jobName)).toEqual(['pg-job']);
    expect(await viewer.call('runs:list', { jobId: lite.id, status: 'cancelled', limit: 10 })).toEqual([]);
    await expect(viewer.call('runs:list', { status: 'finished' as never, limit: 10 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
