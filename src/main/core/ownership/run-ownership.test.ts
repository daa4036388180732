import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { manifestKey } from '../pipeline/manifest';
import { ProcessesRepository } from '../store/processes-repository';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, seedPgAwkward, seedSqliteFile } from '../testing/db-fixtures';
import { pgEnv, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { pgDumpWrapper } from '../testing/tool-wrapper';
import { hungMountUnavailable, mountHung } from '../testing/hung-mount';
import { currentProcessIdentity, type ProcessIdentity } from './process-identity';

const skip = shouldSkip('PostgreSQL', await probePostgres());

/** An identity whose process is gone: the pid of a child that has exited. */
function deadProcess(): ProcessIdentity {
  const pid = spawnSync('true').pid!;
  return { ...currentProcessIdentity('cli', pid), procStart: '1' };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe.skipIf(skip)('runs owned by processes sharing one data dir', () => {
  const t = tempDir('vaultdesk-ownership-');
  const local = path.join(t.dir, 'local');
  const pgDb = scratchName('pg_owner');
  const slow = pgDumpWrapper(path.join(t.dir, 'bin-slow'), 'REAL "$@"\nexec sleep 60');
  const cores: Core[] = [];
  const open = async (options: Parameters<typeof tempCore>[2] = {}): Promise<Core> => {
    const core = await tempCore(t.dir, undefined, { toolEnv: { PATH: `${slow}:${process.env.PATH}` }, owner: currentProcessIdentity('test'), ...options });
    cores.push(core);
    return core;
  };
  const progressed = (core: Core, runId: string): Promise<void> =>
    new Promise((resolve) => {
      const off = core.events.on('runs:progress', (p) => {
        if (p.runId === runId && p.bytesDumped > 0) {
          off();
          resolve();
        }
      });
    });

  beforeAll(async () => {
    await createPgDatabase(pgDb);
    await seedPgAwkward(pgDb);
    const core = await open();
    const pg = await core.call('sources:create', { engine: 'postgres', name: 'pg', host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: pgDb });
    const sqliteFile = path.join(t.dir, 'small.db');
    seedSqliteFile(sqliteFile, 50);
    const lite = await core.call('sources:create', { engine: 'sqlite', name: 'lite', path: sqliteFile });
    const disk = await core.call('destinations:create', { kind: 'local', name: 'disk', path: local });
    // An SFTP server that does not exist: its cleanup must be retried later.
    const gone = await core.call('destinations:create', { kind: 'sftp', name: 'gone', host: '127.0.0.1', port: 9, user: 'u', path: '/srv', password: 'pw' });
    await core.call('jobs:create', { name: 'pg-job', sourceId: pg.id, destinationIds: [disk.id] });
    await core.call('jobs:create', { name: 'lite-job', sourceId: lite.id, destinationIds: [disk.id], compression: 'none' });
    await core.call('jobs:create', { name: 'gone-job', sourceId: lite.id, destinationIds: [gone.id], compression: 'none' });
  });

  afterAll(async () => {
    for (const core of cores) core.close();
    await dropPgDatabase(pgDb);
    t.cleanup();
  });

  it("a second process cannot start a job that another live process runs; opening the data dir leaves that run and its files alone, and cancelling it there stops it", async () => {
    const app = await open();
    const job = app.jobs.findByName('pg-job')!;
    const first = app.runService.start(job.id, 'manual');
    await progressed(app, first.runId);
    const tmp = path.join(t.dir, 'data', 'tmp', `run-${first.runId}`);
    expect(existsSync(tmp)).toBe(true);

    const cli = await open();
    expect((await cli.call('runs:get', { id: first.runId })).status).toBe('running');
    expect(existsSync(tmp)).toBe(true);
    const refused = await cli.invoke('jobs:run', { id: job.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RUN_IN_PROGRESS' } });
    expect(!refused.ok && refused.error.message).toMatch(new RegExp(`already running \\(run ${first.runId}, in a test process \\(pid ${process.pid}\\)\\)`));

    // Cancelled from the other process: the owner sees the request and stops its run.
    expect((await cli.call('runs:cancel', { id: first.runId })).status).toBe('running');
    const result = await first.finished;
    expect(result.status).toBe('cancelled');
    expect(result.error!.message).toContain('from another Vaultdesk window or command');
    expect(existsSync(tmp)).toBe(false);
    expect(filesUnder(local)).toEqual([]);
    app.close();
    cli.close();
  });

  it('a run whose process died is marked interrupted by the next process to open the data dir, which removes its partial file, its uncommitted object and its temp folder', async () => {
    const first = await open();
    const dead = deadProcess();
    const processes = new ProcessesRepository(first.db);
    processes.register(dead, new Date().toISOString());
    const job = first.jobs.findByName('lite-job')!;
    const { run } = first.runs.create(
      { id: randomUUID(), jobId: job.id, jobName: job.name, trigger: 'schedule', startedAt: new Date().toISOString(), owner: { startId: dead.startId, pid: dead.pid } },
      { alive: () => true, describe: () => '', interruptedMessage: () => '' },
    );
    first.runs.setStage(run.id, 'upload');
    const disk = first.destinations.findByName('disk')!;
    const key = 'prod/lite/lite-job/20261130T010000Z.sqlite';
    const other = 'prod/lite/lite-job/20261130T010000Z-2.sqlite';
    first.leftovers.record(run.id, [key, manifestKey(key), other, manifestKey(other)].map((k) => ({ destinationId: disk.id, key: k })));
    mkdirSync(path.join(local, 'prod/lite/lite-job'), { recursive: true });
    writeFileSync(path.join(local, `${key}.partial`), 'half a backup');
    // Committed, but its manifest was never written: not a backup.
    writeFileSync(path.join(local, other), 'a whole object');
    writeFileSync(path.join(local, `${manifestKey(other)}.partial`), '{');
    // A complete backup of an earlier run stays.
    writeFileSync(path.join(local, 'prod/lite/lite-job/20261129T010000Z.sqlite'), 'older');
    writeFileSync(path.join(local, manifestKey('prod/lite/lite-job/20261129T010000Z.sqlite')), '{}');
    const tmpRoot = path.join(t.dir, 'data', 'tmp');
    mkdirSync(path.join(tmpRoot, `run-${run.id}`));
    writeFileSync(path.join(tmpRoot, `run-${run.id}`, 'snapshot.db'), 'x');
    first.close();

    const next = await open({ leftoverCleanup: 'await' });
    const after = await next.call('runs:get', { id: run.id });
    expect(after.status).toBe('interrupted');
    expect(after.error).toMatchObject({ code: 'INTERRUPTED', stage: 'upload' });
    expect(after.error!.message).toContain(`the process running it (pid ${dead.pid}) stopped while uploading`);
    expect(after.log.map((l) => l.message)).toContain('Removed what this run left unfinished on destination "disk".');
    expect(filesUnder(local).sort()).toEqual(['prod/lite/lite-job/20261129T010000Z.sqlite', 'prod/lite/lite-job/20261129T010000Z.sqlite.manifest.json']);
    expect(readdirSync(tmpRoot)).toEqual([]);
    expect(next.leftovers.forRun(run.id)).toEqual([]);
    expect(new ProcessesRepository(next.db).get(dead.startId)).toBeNull();
    next.close();
    spawnSync('rm', ['-r', path.join(local, 'prod')]);
  });

  it('where a destination cannot be reached, the cleanup is kept, the run says so, and it is retried only when due', async () => {
    const first = await open();
    const dead = deadProcess();
    const job = first.jobs.findByName('gone-job')!;
    const gone = first.destinations.findByName('gone')!;
    const runId = randomUUID();
    first.runs.create(
      { id: runId, jobId: job.id, jobName: job.name, trigger: 'manual', startedAt: new Date().toISOString(), owner: { startId: dead.startId, pid: dead.pid } },
      { alive: () => true, describe: () => '', interruptedMessage: () => '' },
    );
    first.leftovers.record(runId, [{ destinationId: gone.id, key: 'a/b.sqlite' }]);
    first.close();

    const next = await open({ leftoverCleanup: 'await', cleanupDeadlineMs: 10_000 });
    const run = await next.call('runs:get', { id: runId });
    expect(run.status).toBe('interrupted');
    const [entry] = next.leftovers.forRun(runId);
    expect(entry).toMatchObject({ attempts: 1, key: 'a/b.sqlite' });
    expect(entry!.lastError).toMatch(/127\.0\.0\.1|refused|reach/i);
    expect(run.log.at(-1)!.message).toMatch(/^Could not remove what this run left unfinished on destination "gone": .* Vaultdesk tries again when it next starts after .*vaultdesk destination cleanup gone/);
    next.close();

    const again = await open({ leftoverCleanup: 'await' });
    expect(again.leftovers.forRun(runId)).toMatchObject([{ attempts: 1 }]);
    again.close();
  });

  it.skipIf(shouldSkip('a FUSE test mount', hungMountUnavailable()))(
    'a cancelled run whose worker is stuck on a share that stopped answering is stopped outright; what it left is recorded for a later cleanup',
    async () => {
      const mount = await mountHung(path.join(t.dir, 'hung'), 'writes-hang');
      try {
        const core = await open({ cancelGraceMs: 1500, cleanupDeadlineMs: 1500 });
        const hung = await core.call('destinations:create', { kind: 'local', name: 'hung-share', path: path.join(mount.dir, 'backups') });
        const job = await core.call('jobs:create', { name: 'hung-job', sourceId: core.sources.findByName('lite')!.id, destinationIds: [hung.id], compression: 'none' });
        const { runId, finished } = core.runService.start(job.id, 'manual');
        // The write of the first bytes never comes back: the worker's put waits in the kernel.
        await new Promise((r) => setTimeout(r, 2500));
        const stopping = Date.now();
        core.runService.cancel(runId);
        const result: RunDto = await finished;
        expect(Date.now() - stopping).toBeLessThan(15_000);
        expect(result.status).toBe('cancelled');
        expect(result.log.at(-1)!.message).toMatch(/^Could not remove what this run left unfinished on destination "hung-share": Destination "hung-share" did not answer within 2 s\. Vaultdesk tries again/);
        expect(core.leftovers.forRun(runId).length).toBeGreaterThan(0);
        expect(core.leftovers.forRun(runId)[0]).toMatchObject({ attempts: 1 });
        // The host stays usable meanwhile.
        expect((await core.call('jobs:list', {})).map((j) => j.name)).toContain('hung-job');
      } finally {
        await mount.release();
      }
    },
  );
});
