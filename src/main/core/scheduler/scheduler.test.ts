import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentProcessIdentity } from '../ownership/process-identity';
import { FakeClock } from '../testing/fake-clock';
import { SchedulerHarness } from '../testing/scheduler-harness';
import { describeSchedule, slotsBetween } from './schedule';
import { TICK_MS } from './scheduler';

const iso = (d: Date): string => d.toISOString();

describe('schedules across daylight saving time (croner rules)', () => {
  const berlin = { schedule: '30 2 * * *', timezone: 'Europe/Berlin' };

  it('a time skipped by spring forward runs at the first instant after the gap; one repeated by fall back runs once', () => {
    expect(slotsBetween(berlin, new Date('2026-03-27T12:00:00Z'), new Date('2026-03-30T12:00:00Z')).map(iso)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
    expect(slotsBetween(berlin, new Date('2026-10-24T12:00:00Z'), new Date('2026-10-26T12:00:00Z')).map(iso)).toEqual([
      '2026-10-25T00:30:00.000Z', // the first 02:30 (CEST); the second one (CET) does not run again
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('an hourly schedule runs at every real hour of the fall-back night', () => {
    const hourly = { schedule: '0 * * * *', timezone: 'Europe/Berlin' };
    expect(slotsBetween(hourly, new Date('2026-10-24T23:30:00Z'), new Date('2026-10-25T02:30:00Z')).map(iso)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z', // 02:00 CEST, then 02:00 CET
      '2026-10-25T02:00:00.000Z',
    ]);
  });

  it('gives the same slots whatever was asked before (crons and their last answers are shared)', () => {
    const spec = { schedule: '30 2 * * *', timezone: 'Europe/Berlin' };
    const fresh = new Cron(spec.schedule, { paused: true, timezone: spec.timezone });
    const start = Date.parse('2026-03-27T00:00:00Z');
    // Forward in steps, back again, and across the spring-forward slot and exactly at slots.
    const moments = [0, 5, 3_600, 90_000, 89_000, 91_800, 91_799, 91_801, 172_800, 10, 174_600, 174_600].map((s) => new Date(start + s * 1000));
    for (const at of moments) {
      const day = new Date(at.getTime() + 86_400_000);
      expect(slotsBetween(spec, at, day).map(iso), at.toISOString()).toEqual(fresh.nextRuns(5, at).filter((d) => d <= day).map(iso));
    }
  });

  it('reads a schedule back in words with its next runs in its time zone', () => {
    expect(describeSchedule(berlin, new Date('2026-11-30T12:00:00Z')).summary).toBe('At 02:30 (Europe/Berlin); next: Tue 1 Dec 02:30, Wed 2 Dec 02:30, Thu 3 Dec 02:30');
  });
});

describe('the scheduler, on an injected clock, with real runs', () => {
  const h = new SchedulerHarness('vaultdesk-scheduler-');
  const { open, job, runsOf, settle } = h;

  beforeAll(() => h.setup());
  afterAll(() => h.cleanup());

  it('runs a job at its slots across a spring-forward night, with the schedule trigger', async () => {
    const clock = new FakeClock('2026-03-28T00:00:00Z');
    const core = await open(clock);
    const id = await job(core, 'berlin-nightly', '30 2 * * *', { timezone: 'Europe/Berlin' });
    core.scheduler.start();
    expect(core.scheduler.holding).toBe(true);
    for (let step = 0; step < 5; step++) {
      clock.advance(6 * 3_600_000);
      await settle(core);
    }
    const runs = runsOf(core, id);
    expect(runs.map((r) => [r.startedAt, r.trigger, r.status])).toEqual([
      ['2026-03-28T01:30:00.000Z', 'schedule', 'succeeded'],
      ['2026-03-29T01:00:00.000Z', 'schedule', 'succeeded'],
    ]);
    core.scheduler.stop();
    await core.call('jobs:delete', { id });
  });

  it('records a slot that finds the job still running (in another process) as skipped, with the reason', async () => {
    const clock = new FakeClock('2026-02-01T00:59:55Z');
    const other = await open(clock);
    const core = await open(clock);
    const id = await job(core, 'busy', '0 * * * *');
    other.host.ensureRegistered();
    const held = other.runs.create(
      { id: randomUUID(), jobId: id, jobName: 'busy', trigger: 'manual', startedAt: clock.now().toISOString(), owner: { startId: other.host.identity.startId, pid: process.pid } },
      { alive: () => true, describe: () => '', interruptedMessage: () => '' },
    ).run;
    core.scheduler.start();
    clock.advance(10_000);
    const [skipped] = runsOf(core, id).filter((r) => r.status === 'skipped');
    expect(skipped).toMatchObject({ trigger: 'schedule', error: { code: 'RUN_IN_PROGRESS' } });
    expect(skipped!.error!.message).toBe(`Skipped the Sun 1 Feb 01:00 run: the previous run (${held.id}) was still running.`);
    expect(core.runs.running().map((r) => r.id)).toEqual([held.id]);
    core.scheduler.stop();
    other.runs.finish(held.id, { status: 'cancelled', finishedAt: clock.now().toISOString(), detail: { stageMs: {}, objects: [], error: null, log: [] }, backups: [] });
    await core.call('jobs:delete', { id });
  });

  it('a run whose process was killed does not hold the next slot: it is marked interrupted and the slot runs', async () => {
    const clock = new FakeClock('2026-02-03T00:59:55Z');
    const core = await open(clock);
    const id = await job(core, 'orphaned', '0 * * * *');
    // A CLI run killed outright while this process (a daemon, the app) kept running: its record still says running.
    const dead = { ...currentProcessIdentity('cli', spawnSync('true').pid!), procStart: '1' };
    const held = core.runs.create(
      { id: randomUUID(), jobId: id, jobName: 'orphaned', trigger: 'manual', startedAt: clock.now().toISOString(), owner: { startId: dead.startId, pid: dead.pid } },
      { alive: () => true, describe: () => '', interruptedMessage: () => '' },
    ).run;
    core.scheduler.start();
    clock.advance(10_000);
    await settle(core);
    const runs = runsOf(core, id);
    expect(runs.map((r) => [r.id === held.id ? 'killed' : 'slot', r.trigger, r.status])).toEqual([
      ['killed', 'manual', 'interrupted'],
      ['slot', 'schedule', 'succeeded'],
    ]);
    core.scheduler.stop();
    await core.call('jobs:delete', { id });
  });

  it('runs at most the concurrency limit at once and queues the rest in slot order', async () => {
    const clock = new FakeClock('2026-02-02T03:59:55Z');
    const core = await open(clock);
    const ids = [await job(core, 'four-a', '0 4 * * *'), await job(core, 'four-b', '0 4 * * *'), await job(core, 'four-c', '0 4 * * *')];
    expect((await core.call('schedules:setConcurrency', { limit: 2 })).maxConcurrentRuns).toBe(2);
    core.scheduler.start();
    clock.advance(10_000);
    expect(core.runs.running()).toHaveLength(2);
    expect(core.scheduler.queued()).toHaveLength(1);
    await settle(core);
    expect(core.scheduler.queued()).toEqual([]);
    for (const id of ids) expect(runsOf(core, id).map((r) => [r.trigger, r.status])).toEqual([['schedule', 'succeeded']]);
    core.scheduler.stop();
    for (const id of ids) await core.call('jobs:delete', { id });
  });

  it('catches up a missed slot once (not once per slot) on start and after the machine slept, unless turned off', async () => {
    const clock = new FakeClock('2026-02-03T00:00:00Z');
    const setup = await open(clock);
    const hourly = await job(setup, 'hourly', '0 * * * *');
    const quiet = await job(setup, 'no-catch-up', '0 * * * *', { catchUp: false });
    setup.close();
    // The app was closed for five hours and ten minutes.
    clock.jump(5 * 3_600_000 + 600_000);
    const core = await open(clock);
    core.scheduler.start();
    await settle(core);
    expect(runsOf(core, hourly).map((r) => [r.startedAt, r.trigger])).toEqual([['2026-02-03T05:10:00.000Z', 'catch-up']]);
    expect(runsOf(core, quiet)).toEqual([]);
    // Asleep for three hours: the timer fires late; one catch-up, then the schedule goes on.
    clock.jump(3 * 3_600_000);
    clock.advance(TICK_MS);
    await settle(core);
    expect(runsOf(core, hourly).map((r) => r.trigger)).toEqual(['catch-up', 'catch-up']);
    clock.advance(3_600_000);
    await settle(core);
    expect(runsOf(core, hourly).map((r) => r.trigger)).toEqual(['catch-up', 'catch-up', 'schedule']);
    expect(runsOf(core, quiet).map((r) => r.trigger)).toEqual(['schedule']);
    core.scheduler.stop();
    for (const id of [hourly, quiet]) await core.call('jobs:delete', { id });
  });

  // Review finding (fails as of 67921d4): catch-up skips a missed slot whenever the job was saved
  // after it, whatever changed. The guard is meant for a new or rescheduled job (its past slots
  // were never promised), but it also drops the missed nightly of a job whose retention, hooks or
  // name were edited while nothing ran the schedules, so that night has no backup.
  it('catches up a nightly slot missed while nothing ran, although only its retention was changed since', async () => {
    const clock = new FakeClock('2026-02-10T00:00:00Z');
    const setup = await open(clock);
    const id = await job(setup, 'edited-nightly', '0 3 * * *');
    // Nothing runs the schedules over the 03:00 slot; at 09:00 the DBA changes only the retention.
    clock.jump(9 * 3_600_000);
    await setup.call('jobs:update', { id, retention: { keepLast: 7, daily: null, weekly: null, monthly: null, yearly: null, minimum: 1 } });
    setup.close();
    clock.jump(60_000);
    const core = await open(clock);
    core.scheduler.start();
    try {
      await settle(core);
      expect(runsOf(core, id).map((r) => r.trigger)).toEqual(['catch-up']);
    } finally {
      // While it fails, the tests after it still get a data dir without this job.
      core.scheduler.stop();
      await core.call('jobs:delete', { id });
    }
  });

  it('told the machine sleeps, it stops ticking; told it woke up, it catches up once', async () => {
    const clock = new FakeClock('2026-02-06T00:00:30Z');
    const core = await open(clock);
    const id = await job(core, 'sleepy', '0 * * * *');
    core.scheduler.start();
    await settle(core);
    expect(clock.pending).toBe(1);
    core.scheduler.suspended();
    expect(clock.pending).toBe(0);
    clock.jump(3 * 3_600_000 + 60_000);
    core.scheduler.resumed();
    await settle(core);
    expect(runsOf(core, id).map((r) => [r.startedAt, r.trigger])).toEqual([['2026-02-06T03:01:30.000Z', 'catch-up']]);
    expect(clock.pending).toBe(1);
    core.scheduler.stop();
    await core.call('jobs:delete', { id });
  });

  it('one scheduler per data dir: the second stands by, and takes over when the holder dies', async () => {
    const start = '2026-02-04T00:00:00Z';
    const aClock = new FakeClock(start);
    const bClock = new FakeClock(start);
    const a = await open(aClock);
    const b = await open(bClock);
    a.scheduler.start();
    b.scheduler.start();
    expect([a.scheduler.holding, b.scheduler.holding]).toEqual([true, false]);
    expect((await b.call('schedules:status', {})).holder).toMatchObject({ who: `a test process (pid ${process.pid})`, self: false });
    bClock.advance(3 * TICK_MS);
    expect(b.scheduler.holding).toBe(false);
    // The holder's process dies: it neither renews nor lets go, and its process record goes.
    a.host.close();
    bClock.advance(TICK_MS);
    expect(b.scheduler.holding).toBe(true);
    expect((await b.call('schedules:status', {})).holder).toMatchObject({ self: true });
    b.scheduler.stop();
    expect((await b.call('schedules:status', {})).holder).toBeNull();
  });

  it('pause is kept in the store: no scheduled run while paused, and a slot missed meanwhile is not caught up', async () => {
    const clock = new FakeClock('2026-02-05T00:59:00Z');
    const core = await open(clock);
    const id = await job(core, 'paused-job', '0 * * * *');
    expect((await core.call('schedules:pause', {})).paused).toBe(true);
    core.scheduler.start();
    clock.advance(2 * 3_600_000);
    await settle(core);
    expect(runsOf(core, id)).toEqual([]);
    const again = await open(clock);
    expect((await again.call('schedules:status', {})).paused).toBe(true);
    again.close();
    expect((await core.call('schedules:resume', {})).paused).toBe(false);
    clock.advance(TICK_MS);
    await settle(core);
    expect(runsOf(core, id)).toEqual([]);
    clock.advance(3_600_000);
    await settle(core);
    expect(runsOf(core, id).map((r) => r.trigger)).toEqual(['schedule']);
    core.scheduler.stop();
    await core.call('jobs:delete', { id });
  });

  it('a slot missed while paused is not caught up by a scheduler started after the resume; one missed after it is', async () => {
    const clock = new FakeClock('2026-02-07T00:59:00Z');
    const daemon = await open(clock);
    const id = await job(daemon, 'pause-restart', '0 * * * *');
    daemon.scheduler.start();
    clock.advance(20_000);
    expect((await daemon.call('schedules:pause', {})).paused).toBe(true);
    // The 01:00 slot passes while paused; the daemon is stopped, schedules resumed from a command, the daemon started again.
    clock.advance(3 * 60_000);
    daemon.scheduler.stop();
    daemon.close();
    const cli = await open(clock);
    expect((await cli.call('schedules:resume', {})).paused).toBe(false);
    cli.close();
    clock.jump(60_000);
    const restarted = await open(clock);
    restarted.scheduler.start();
    await settle(restarted);
    expect(runsOf(restarted, id)).toEqual([]);
    restarted.scheduler.stop();
    // Closed (not paused) over the 02:00 slot: that one is caught up as before.
    clock.jump(3_600_000);
    restarted.scheduler.start();
    await settle(restarted);
    expect(runsOf(restarted, id).map((r) => [r.startedAt, r.trigger])).toEqual([['2026-02-07T02:03:20.000Z', 'catch-up']]);
    restarted.scheduler.stop();
    await restarted.call('jobs:delete', { id });
  });
});
