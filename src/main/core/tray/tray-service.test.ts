import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { seedSqliteFile } from '../testing/db-fixtures';
import { FakeClock } from '../testing/fake-clock';
import { tempCore, tempDir } from '../testing/temp-dir';

describe('the tray model read from a real store', () => {
  const t = tempDir('vaultdesk-tray-');
  const clock = new FakeClock('2026-03-04T11:00:00Z');
  let core: Core;
  const ids: Record<string, string> = {};

  /** A finished run as a process would record it: created running, then finished. */
  const recordRun = (job: string, status: Exclude<RunStatus, 'running'> | 'running', startedAt: string, finishedAt = startedAt): string => {
    const id = randomUUID();
    core.runs.create(
      { id, jobId: ids[job]!, jobName: job, trigger: 'schedule', startedAt, owner: { startId: core.host.identity.startId, pid: process.pid } },
      { alive: () => true, describe: () => 'this test', interruptedMessage: () => '' },
    );
    if (status !== 'running') core.runs.finish(id, { status, finishedAt, detail: { stageMs: {}, objects: [], error: null, log: [] }, backups: [] });
    return id;
  };

  beforeAll(async () => {
    // Jobs are created a week before "now", so one that never succeeded is stale.
    const created = new FakeClock('2026-02-25T11:00:00Z');
    core = await tempCore(t.dir, undefined, { clock: () => created.now(), schedulerClock: clock });
    core.host.ensureRegistered();
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 5);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'app', path: file });
    const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    for (const name of ['shop-nightly', 'crm', 'wiki', 'adhoc']) {
      const schedule = name === 'adhoc' ? null : '0 2 * * *';
      ids[name] = (await core.call('jobs:create', { name, sourceId: source.id, destinationIds: [destination.id], schedule, timezone: schedule ? 'UTC' : null })).id;
    }
    core.close();
    core = await tempCore(t.dir, undefined, { schedulerClock: clock });
    core.host.ensureRegistered();
  });

  afterAll(() => {
    core.close();
    t.cleanup();
  });

  it('judges each job by its runs in the store: the last outcome, the last success, a run going', async () => {
    // shop-nightly: succeeded on Tuesday, failed today; a cancelled run after that changes nothing.
    recordRun('shop-nightly', 'succeeded', '2026-03-03T02:00:00.000Z', '2026-03-03T02:05:00.000Z');
    recordRun('shop-nightly', 'failed', '2026-03-04T02:00:00.000Z');
    recordRun('shop-nightly', 'cancelled', '2026-03-04T09:00:00.000Z');
    // crm: failed yesterday, succeeded today, and runs now.
    recordRun('crm', 'failed', '2026-03-03T02:00:00.000Z');
    recordRun('crm', 'succeeded', '2026-03-04T02:00:00.000Z', '2026-03-04T02:30:00.000Z');
    recordRun('crm', 'running', '2026-03-04T10:58:00.000Z');
    // wiki: a skipped slot only; created a week ago, never succeeded. adhoc: no schedule, no run.
    recordRun('wiki', 'skipped', '2026-03-04T02:00:00.000Z');

    const model = core.trayModel();
    expect(model.jobs.map((j) => [j.name, j.health, j.running, j.lastSuccessAge])).toEqual(
      expect.arrayContaining([
        ['shop-nightly', 'failing', false, '32 h ago'],
        ['crm', 'running', true, '8 h ago'],
        ['wiki', 'stale', false, 'never'],
        ['adhoc', 'ok', false, 'never'],
      ]),
    );
    expect(model.state).toBe('failing');
    expect(model.tooltip).toBe('Vaultdesk: 1 job failing (shop-nightly), 1 stale (wiki), 1 running (crm), 1 ok');
    expect(model.menu.find((i) => i.type === 'item' && i.label.startsWith('shop-nightly'))).toMatchObject({
      label: 'shop-nightly: 32 h ago — failing',
      submenu: [{ label: 'Run now', enabled: true, action: { kind: 'run', jobId: ids['shop-nightly'] } }],
    });
  });

  it('follows pause and resume, and the clock', async () => {
    await core.call('schedules:pause', {});
    expect(core.trayModel().menu).toContainEqual({ type: 'item', label: 'Resume all schedules', enabled: true, action: { kind: 'resume' } });
    expect(core.trayModel().tooltip).toMatch(/^Vaultdesk: schedules paused; /);
    await core.call('schedules:resume', {});
    expect(core.trayModel().menu).toContainEqual({ type: 'item', label: 'Pause all schedules', enabled: true, action: { kind: 'pause' } });
    clock.advance(2 * 3_600_000);
    expect(core.trayModel().jobs.find((j) => j.name === 'crm')?.lastSuccessAge).toBe('10 h ago');
  });

  it('stores start at login for the data dir, and says which host answers', async () => {
    expect((await core.call('settings:get', {})).startAtLogin).toBe(false);
    expect(await core.call('settings:setStartAtLogin', { enabled: true })).toMatchObject({ startAtLogin: true });
    core.close();
    core = await tempCore(t.dir, undefined, { schedulerClock: clock });
    expect((await core.call('settings:get', {})).startAtLogin).toBe(true);
    // A test core has no window, like a CLI command.
    expect((await core.call('app:info', {})).host).toBe('cli');
  });
});
