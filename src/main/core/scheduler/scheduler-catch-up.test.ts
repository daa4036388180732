import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobCreate } from '../../../shared/ipc/schemas';
import type { Core } from '../create-core';
import { currentProcessIdentity } from '../ownership/process-identity';
import { FakeClock } from '../testing/fake-clock';
import { SchedulerHarness } from '../testing/scheduler-harness';
import { TICK_MS } from './scheduler';

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('catch-up: which missed slots are owed a run at the next start', () => {
  const h = new SchedulerHarness('vaultdesk-catch-up-');
  const { open, job, runsOf, settle } = h;
  const outcomes = (core: Core, id: string): [string, string][] => runsOf(core, id).map((r) => [r.trigger, r.status]);
  beforeAll(() => h.setup());
  afterAll(() => h.cleanup());

  /** A pre-run hook that holds the job's first run for 30 s (long enough to stop it mid-run); later runs go straight on. */
  const slowFirstRun = (name: string): { hook: JobCreate['preHook']; started: () => boolean } => {
    const marker = path.join(h.dir, `${name}.first-run`);
    return { hook: { shell: false, argv: ['sh', '-c', 'if [ ! -e "$1" ]; then : > "$1"; exec sleep 30; fi', 'sh', marker] }, started: () => existsSync(marker) };
  };
  /** A run record owned by a process that is gone (killed outright, its machine off): the next start finds it interrupted. */
  const deadRun = (core: Core, jobId: string, trigger: 'schedule' | 'catch-up', startedAt: string): void => {
    const dead = { ...currentProcessIdentity('daemon', spawnSync('true').pid!), procStart: '1' };
    core.runs.create(
      { id: randomUUID(), jobId, jobName: core.jobs.get(jobId).name, trigger, startedAt, owner: { startId: dead.startId, pid: dead.pid } },
      { alive: () => false, describe: () => '', interruptedMessage: () => 'Its process was killed.' },
    );
  };
  /** A daemon on its own clock whose run of the job's 00:05 slot is in its slow pre-run hook. */
  const midRun = async (name: string, day: string): Promise<{ clock: FakeClock; daemon: Core; id: string }> => {
    const clock = new FakeClock(`${day}T00:04:55Z`);
    const daemon = await open(clock);
    const slow = slowFirstRun(name);
    const id = await job(daemon, name, '5 * * * *', { preHook: slow.hook });
    daemon.scheduler.start();
    clock.advance(10_000);
    await until('the 00:05 run to be in its pre-run hook', slow.started);
    return { clock, daemon, id };
  };
  /** `ms` later, a new process starts the schedules; `check` looks once its runs ended, then the jobs go. */
  const startedAgain = async (clock: FakeClock, ms: number, ids: string[], check: (core: Core) => Promise<void>): Promise<void> => {
    clock.jump(ms);
    const core = await open(clock);
    core.scheduler.start();
    try {
      await settle(core);
      await check(core);
    } finally {
      core.scheduler.stop();
      for (const id of ids) await core.call('jobs:delete', { id });
    }
  };

  it('does not catch up a slot from before the schedule was set (rescheduled, moved to another time zone, enabled again, catch-up turned on); other edits keep it owed', async () => {
    const clock = new FakeClock('2026-03-10T00:00:00Z');
    const setup = await open(clock);
    const ids = {
      rescheduled: await job(setup, 'rescheduled', '0 3 * * *'),
      moved: await job(setup, 'moved', '0 3 * * *'),
      reenabled: await job(setup, 'reenabled', '0 3 * * *', { enabled: false }),
      'catch-up-on': await job(setup, 'catch-up-on', '0 3 * * *', { catchUp: false }),
      renamed: await job(setup, 'renamed', '0 3 * * *'),
    };
    // Nothing runs the schedules over the 03:00 slot; at 09:00 each job is edited.
    clock.jump(9 * 3_600_000);
    await setup.call('jobs:update', { id: ids.rescheduled, schedule: '0 4 * * *' });
    await setup.call('jobs:update', { id: ids.moved, timezone: 'Europe/Berlin' });
    await setup.call('jobs:update', { id: ids.reenabled, enabled: true });
    await setup.call('jobs:update', { id: ids['catch-up-on'], catchUp: true });
    await setup.call('jobs:update', { id: ids.renamed, name: 'renamed-nightly', timeoutMinutes: 90, postHook: { shell: false, argv: ['true'] } });
    setup.close();
    await startedAgain(clock, 60_000, Object.values(ids), async (core) => {
      expect(Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, outcomes(core, id)]))).toEqual({
        rescheduled: [],
        moved: [],
        reenabled: [],
        'catch-up-on': [],
        renamed: [['catch-up', 'succeeded']],
      });
    });
  });

  it('catches up a slot whose run was cancelled because its daemon stopped, once', async () => {
    const { clock, daemon, id } = await midRun('stopped-mid-run', '2026-04-01');
    await daemon.shutdown('vaultdesk daemon was stopped', 0);
    await startedAgain(clock, 60_000, [id], async (restarted) => {
      expect(outcomes(restarted, id)).toEqual([
        ['schedule', 'cancelled'],
        ['catch-up', 'succeeded'],
      ]);
      expect(runsOf(restarted, id)[0]!.error!.message).toBe('vaultdesk daemon was stopped: the run was cancelled; nothing was kept.');
      // Started again before the next slot: that slot has had its run.
      restarted.scheduler.stop();
      clock.jump(60_000);
      restarted.scheduler.start();
      await settle(restarted);
      expect(outcomes(restarted, id)).toHaveLength(2);
    });
  });

  it('does not catch up a slot whose run a person cancelled', async () => {
    const { clock, daemon, id } = await midRun('cancelled-by-hand', '2026-04-02');
    await daemon.call('runs:cancel', { id: runsOf(daemon, id)[0]!.id });
    await settle(daemon);
    await daemon.shutdown('vaultdesk daemon was stopped', 0);
    await startedAgain(clock, 60_000, [id], async (restarted) => {
      expect(outcomes(restarted, id)).toEqual([['schedule', 'cancelled']]);
      expect(runsOf(restarted, id)[0]!.error!.message).toBe('The run was cancelled; nothing was kept.');
    });
  });

  it('catches up a slot whose run was interrupted (its process killed), but not again once the catch-up was interrupted too', async () => {
    const clock = new FakeClock('2026-04-04T05:50:00Z');
    const setup = await open(clock);
    const killed = await job(setup, 'killed-once', '0 6 * * *');
    const killedTwice = await job(setup, 'killed-twice', '0 6 * * *');
    deadRun(setup, killed, 'schedule', '2026-04-04T06:00:00.000Z');
    deadRun(setup, killedTwice, 'schedule', '2026-04-04T06:00:00.000Z');
    deadRun(setup, killedTwice, 'catch-up', '2026-04-04T06:05:00.000Z');
    setup.close();
    await startedAgain(clock, 20 * 60_000, [killed, killedTwice], async (restarted) => {
      expect(outcomes(restarted, killed)).toEqual([
        ['schedule', 'interrupted'],
        ['catch-up', 'succeeded'],
      ]);
      // A run that takes its host down with it is not started again at every restart.
      expect(outcomes(restarted, killedTwice)).toEqual([
        ['schedule', 'interrupted'],
        ['catch-up', 'interrupted'],
      ]);
    });
  });

  it('a process taking over from a daemon that is stopping waits for the slot run it cancels, then catches the slot up (not skipped)', async () => {
    const { clock: aClock, daemon: a, id } = await midRun('handed-over', '2026-04-03');
    const bClock = new FakeClock(aClock.now());
    const b = await open(bClock);
    b.scheduler.start();
    try {
      expect([a.scheduler.holding, b.scheduler.holding]).toEqual([true, false]);
      // SIGTERM with a long grace: the lease is let go at once, the run goes on meanwhile.
      const stopping = a.shutdown('vaultdesk daemon was stopped', 600_000);
      bClock.advance(TICK_MS);
      expect(b.scheduler.holding).toBe(true);
      expect(outcomes(b, id)).toEqual([['schedule', 'running']]);
      // A second SIGTERM ends the grace: the run is cancelled, and the slot is owed its run.
      expect(a.runService.endGrace()).toBe(true);
      await stopping;
      bClock.advance(TICK_MS);
      await settle(b);
      expect(outcomes(b, id)).toEqual([
        ['schedule', 'cancelled'],
        ['catch-up', 'succeeded'],
      ]);
    } finally {
      b.scheduler.stop();
      await b.call('jobs:delete', { id });
    }
  });
});
