import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobDto } from '../../../shared/domain/dto';
import type { JobCreate } from '../../../shared/ipc/schemas';
import type { Core } from '../create-core';
import { processRunning } from '../testing/child-processes';
import { seedSqliteFile } from '../testing/db-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('RunService.stopAll', () => {
  const t = tempDir('vaultdesk-shutdown-');
  afterAll(() => t.cleanup());

  it('refuses runs asked for once the host has started stopping, so none starts on a store about to close', async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 10);
    const core = await tempCore(t.dir);
    try {
      const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
      const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
      const job = await core.call('jobs:create', { name: 'app', sourceId: source.id, destinationIds: [destination.id], compression: 'none' });
      const stopping = core.runService.stopAll('Vaultdesk was quit');
      await expect(core.call('jobs:run', { id: job.id })).rejects.toMatchObject({ code: 'CANCELLED', message: 'Vaultdesk is shutting down: no new run can start.' });
      await stopping;
      expect(await core.call('runs:list', {})).toEqual([]);
    } finally {
      core.close();
    }
  });
});

describe('post-run hooks while the host stops', () => {
  let t: ReturnType<typeof tempDir>;
  let core: Core;
  let job: (fields: Partial<JobCreate>) => Promise<JobDto>;
  beforeEach(async () => {
    t = tempDir('vaultdesk-shutdown-hooks-');
    core = await tempCore(t.dir, undefined, { toolEnv: { PATH: process.env.PATH }, stopHookMs: 1_000 });
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 10);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
    const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    let n = 0;
    job = (fields) => core.call('jobs:create', { name: `job-${++n}`, sourceId: source.id, destinationIds: [destination.id], compression: 'none', ...fields });
  });
  afterEach(() => {
    core.close();
    t.cleanup();
  });

  // A pre-run hook that takes a while keeps the run going when the stop comes.
  const slowStart = (seconds: number): JobCreate['preHook'] => ({ shell: false, argv: ['sleep', String(seconds)] });
  const recordStatus = (file: string): JobCreate['postHook'] => ({ shell: true, script: `printf %s "$VAULTDESK_STATUS" > "${file}"` });

  it('a run that finishes within the grace period runs its post-run hook, told it succeeded', async () => {
    const marker = path.join(t.dir, 'post-status');
    const j = await job({ preHook: slowStart(0.5), postHook: recordStatus(marker) });
    const started = core.runService.start(j.id, 'schedule');
    await core.runService.stopAll('vaultdesk daemon was stopped', 20_000);
    const run = await started.finished;
    expect(run.status).toBe('succeeded');
    expect(run.hooks.post).toMatchObject({ outcome: 'succeeded' });
    expect(readFileSync(marker, 'utf8')).toBe('succeeded');
  });

  it('a run cancelled when the grace runs out still runs its post-run hook, told it was cancelled', async () => {
    const marker = path.join(t.dir, 'post-status');
    const j = await job({ preHook: slowStart(60), postHook: recordStatus(marker) });
    const started = core.runService.start(j.id, 'schedule');
    await new Promise((r) => setTimeout(r, 200));
    await core.runService.stopAll('vaultdesk daemon was stopped', 300);
    const run = await started.finished;
    expect(run.status).toBe('cancelled');
    expect(run.error!.message).toBe('vaultdesk daemon was stopped: the run was cancelled; nothing was kept.');
    expect(run.hooks.post).toMatchObject({ outcome: 'succeeded' });
    expect(readFileSync(marker, 'utf8')).toBe('cancelled');
  });

  it('a post-run hook is stopped once the grace and its own allowance are over, in words that keep the run as it was', async () => {
    const pidFile = path.join(t.dir, 'post.pid');
    const j = await job({ postHook: { shell: false, argv: ['sh', '-c', `echo $$ > "${pidFile}"; exec sleep 600`] } });
    const started = core.runService.start(j.id, 'schedule');
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const since = Date.now();
    await core.runService.stopAll('vaultdesk daemon was stopped', 2_000);
    const run = await started.finished;
    // The grace (2 s) ends after the hook's own second from the stop: the hook had until then.
    expect(Date.now() - since).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - since).toBeLessThan(10_000);
    expect(run.status).toBe('succeeded');
    expect(run.hooks.post).toMatchObject({ outcome: 'cancelled' });
    expect(run.hooks.post!.message).toMatch(/^The post-run hook `sh -c .*` was stopped: vaultdesk daemon was stopped, and a post-run hook may then run only until the grace period ends or for 1 s, whichever is later\.$/);
    expect(run.log.at(-1)!.message).toContain('whichever is later; the run stays succeeded.');
    expect(processRunning(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('ending the grace early (a second SIGTERM) cancels the run at once; its post-run hook still runs', async () => {
    const marker = path.join(t.dir, 'post-status');
    const j = await job({ preHook: slowStart(60), postHook: recordStatus(marker) });
    const started = core.runService.start(j.id, 'schedule');
    await new Promise((r) => setTimeout(r, 200));
    const since = Date.now();
    const stopping = core.runService.stopAll('vaultdesk daemon was stopped', 600_000);
    expect(core.runService.endGrace()).toBe(true);
    await stopping;
    expect(Date.now() - since).toBeLessThan(10_000);
    expect((await started.finished).status).toBe('cancelled');
    expect(existsSync(marker) && readFileSync(marker, 'utf8')).toBe('cancelled');
  });
});
