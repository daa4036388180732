import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../shared/domain/runs';
import { ageInWords, jobState, trayModel, TOOLTIP_MAX, type JobHealth, type TrayJobInput, type TrayMenuItem, type TrayRunFact, type TrayState } from './tray-model';

const NOW = new Date('2026-03-04T11:00:00.000Z'); // a Wednesday

const run = (status: RunStatus, startedAt: string, finishedAt: string | null = status === 'running' ? null : startedAt): TrayRunFact => ({ status, startedAt, finishedAt });

const job = (name: string, extra: Partial<TrayJobInput> = {}): TrayJobInput => ({
  id: `id-${name}`,
  name,
  schedule: '0 2 * * *',
  timezone: 'UTC',
  enabled: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  runs: [],
  ...extra,
});

describe('one job\'s health', () => {
  const cases: { name: string; job: TrayJobInput; health: JobHealth; running?: boolean; age: string }[] = [
    { name: 'succeeded at its last slot', job: job('a', { runs: [run('succeeded', '2026-03-04T02:00:00Z', '2026-03-04T02:04:00Z')] }), health: 'ok', age: '8 h ago' },
    {
      name: 'last finished run failed, an older success',
      job: job('a', { runs: [run('failed', '2026-03-04T02:00:00Z'), run('succeeded', '2026-03-03T02:00:00Z', '2026-03-03T02:05:00Z')] }),
      health: 'failing',
      age: '32 h ago',
    },
    { name: 'last finished run was interrupted', job: job('a', { runs: [run('interrupted', '2026-03-04T02:00:00Z'), run('succeeded', '2026-03-03T02:00:00Z')] }), health: 'failing', age: '33 h ago' },
    {
      name: 'a cancelled run and a skipped slot after a failure leave it failing',
      job: job('a', { runs: [run('skipped', '2026-03-04T03:00:00Z'), run('cancelled', '2026-03-04T02:30:00Z'), run('failed', '2026-03-04T02:00:00Z')] }),
      health: 'failing',
      age: 'never',
    },
    {
      name: 'a cancelled run after a success leaves it ok',
      job: job('a', { runs: [run('cancelled', '2026-03-04T02:30:00Z'), run('succeeded', '2026-03-04T02:00:00Z', '2026-03-04T02:10:00Z')] }),
      health: 'ok',
      age: '8 h ago',
    },
    {
      name: 'failing while a new run is going stays failing, and says it runs',
      job: job('a', { runs: [run('running', '2026-03-04T10:59:00Z'), run('failed', '2026-03-04T02:00:00Z'), run('succeeded', '2026-03-03T02:00:00Z', '2026-03-03T02:01:00Z')] }),
      health: 'failing',
      running: true,
      age: '32 h ago',
    },
    {
      name: 'running after a recent success',
      job: job('a', { runs: [run('running', '2026-03-04T10:50:00Z'), run('succeeded', '2026-03-04T10:00:00Z', '2026-03-04T10:45:00Z')] }),
      health: 'running',
      running: true,
      age: '15 min ago',
    },
    // Daily at 02:00: twice the interval is 48 h.
    { name: 'daily, last success 47 h 59 min ago: one slot missed, not stale yet', job: job('a', { runs: [run('succeeded', '2026-03-02T11:01:00Z')] }), health: 'ok', age: '47 h ago' },
    { name: 'daily, last success 48 h 1 min ago: stale', job: job('a', { runs: [run('succeeded', '2026-03-02T10:59:00Z')] }), health: 'stale', age: '2 d ago' },
    {
      name: 'stale wins over running (the catch-up run may fail too)',
      job: job('a', { runs: [run('running', '2026-03-04T10:58:00Z'), run('succeeded', '2026-02-20T02:00:00Z')] }),
      health: 'stale',
      running: true,
      age: '12 d ago',
    },
    { name: 'failing wins over stale', job: job('a', { runs: [run('failed', '2026-03-04T02:00:00Z'), run('succeeded', '2026-02-20T02:00:00Z')] }), health: 'failing', age: '12 d ago' },
    { name: 'no schedule is never stale', job: job('a', { schedule: null, runs: [run('succeeded', '2025-01-01T00:00:00Z')] }), health: 'ok', age: '427 d ago' },
    { name: 'a disabled job is never stale', job: job('a', { enabled: false, runs: [run('succeeded', '2025-01-01T00:00:00Z')] }), health: 'ok', age: '427 d ago' },
    { name: 'never succeeded, created two days ago: counted from creation', job: job('a', { createdAt: '2026-03-02T10:00:00Z' }), health: 'stale', age: 'never' },
    { name: 'never succeeded, created yesterday', job: job('a', { createdAt: '2026-03-03T10:00:00Z' }), health: 'ok', age: 'never' },
    // Every 15 minutes: stale after 30 min.
    { name: 'every 15 min, 29 min since success', job: job('a', { schedule: '*/15 * * * *', runs: [run('succeeded', '2026-03-04T10:31:00Z')] }), health: 'ok', age: '29 min ago' },
    { name: 'every 15 min, 31 min since success', job: job('a', { schedule: '*/15 * * * *', runs: [run('succeeded', '2026-03-04T10:29:00Z')] }), health: 'stale', age: '31 min ago' },
  ];

  it.each(cases)('$name: $health, last success $age', (c) => {
    const state = jobState(c.job, NOW);
    expect({ health: state.health, running: state.running, age: state.lastSuccessAge }).toEqual({ health: c.health, running: c.running ?? false, age: c.age });
  });

  it('a weekday schedule is judged by its own slots: a weekend is one interval, a missed Monday and Tuesday are stale', () => {
    const weekdays = (at: string, success: string): JobHealth =>
      jobState(job('w', { schedule: '0 2 * * 1-5', timezone: 'Europe/Berlin', runs: [run('succeeded', success)] }), new Date(at)).health;
    // Friday 01:00Z (02:00 Berlin) succeeded; Monday's slot missed. On Monday the interval is Fri -> Mon, 3 days.
    expect(weekdays('2026-03-02T10:00:00Z', '2026-02-27T01:05:00Z')).toBe('ok');
    // Tuesday after its slot: the interval is one day, and nearly four have passed.
    expect(weekdays('2026-03-03T10:00:00Z', '2026-02-27T01:05:00Z')).toBe('stale');
    // A daily interval everywhere else: Wednesday's success on Thursday morning is fine.
    expect(weekdays('2026-03-05T10:00:00Z', '2026-03-04T01:05:00Z')).toBe('ok');
  });
});

describe('the tray: worst state, tooltip, menu', () => {
  const ok = (name: string): TrayJobInput => job(name, { runs: [run('succeeded', '2026-03-04T02:00:00Z', '2026-03-04T02:03:00Z')] });
  const failing = (name: string): TrayJobInput => job(name, { runs: [run('failed', '2026-03-04T02:00:00Z'), run('succeeded', '2026-03-03T02:00:00Z', '2026-03-03T03:00:00Z')] });
  const stale = (name: string): TrayJobInput => job(name, { runs: [run('succeeded', '2026-02-28T02:00:00Z')] });
  const running = (name: string): TrayJobInput => job(name, { runs: [run('running', '2026-03-04T10:55:00Z'), run('succeeded', '2026-03-04T02:00:00Z', '2026-03-04T02:03:00Z')] });

  const cases: { name: string; jobs: TrayJobInput[]; paused?: boolean; state: TrayState; tooltip: string }[] = [
    { name: 'nothing configured', jobs: [], state: 'ok', tooltip: 'Vaultdesk: no jobs yet' },
    { name: 'all ok', jobs: [ok('a'), ok('b')], state: 'ok', tooltip: 'Vaultdesk: 2 jobs ok' },
    { name: 'one failing among ok ones', jobs: [ok('a'), failing('shop-nightly'), ok('b'), ok('c')], state: 'failing', tooltip: 'Vaultdesk: 1 job failing (shop-nightly), 3 ok' },
    { name: 'failing beats stale and running', jobs: [running('r'), stale('s'), failing('f')], state: 'failing', tooltip: 'Vaultdesk: 1 job failing (f), 1 stale (s), 1 running (r)' },
    { name: 'stale beats running', jobs: [running('r'), stale('s1'), stale('s2')], state: 'stale', tooltip: 'Vaultdesk: 2 jobs stale (s1, s2), 1 running (r)' },
    { name: 'running', jobs: [ok('a'), running('r')], state: 'running', tooltip: 'Vaultdesk: 1 job running (r), 1 ok' },
    { name: 'paused with every job ok', jobs: [ok('a')], paused: true, state: 'paused', tooltip: 'Vaultdesk: schedules paused; 1 job ok' },
    { name: 'paused, but a job went stale meanwhile', jobs: [ok('a'), stale('s')], paused: true, state: 'stale', tooltip: 'Vaultdesk: schedules paused; 1 job stale (s), 1 ok' },
    { name: 'paused, a run started by hand', jobs: [running('r')], paused: true, state: 'running', tooltip: 'Vaultdesk: schedules paused; 1 job running (r)' },
    { name: 'paused, no jobs', jobs: [], paused: true, state: 'paused', tooltip: 'Vaultdesk: schedules paused; no jobs yet' },
    {
      name: 'more than three names',
      jobs: ['a', 'b', 'c', 'd', 'e'].map(failing),
      state: 'failing',
      tooltip: 'Vaultdesk: 5 jobs failing (a, b, c and 2 more)',
    },
  ];

  it.each(cases)('$name: $state, "$tooltip"', (c) => {
    const model = trayModel({ now: NOW, paused: c.paused ?? false, jobs: c.jobs });
    expect(model.state).toBe(c.state);
    expect(model.tooltip).toBe(c.tooltip);
  });

  it('cuts a long tooltip to what Windows shows', () => {
    const long = trayModel({ now: NOW, paused: true, jobs: ['x'.repeat(60), 'y'.repeat(60)].map(failing) }).tooltip;
    expect(long).toHaveLength(TOOLTIP_MAX);
    expect(long.startsWith('Vaultdesk: schedules paused; 2 jobs failing (xxx')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
  });

  it('lists each job with the age of its last success, marks the ones not ok, and offers Run now unless it runs', () => {
    const model = trayModel({ now: NOW, paused: false, jobs: [failing('shop-nightly'), ok('crm'), stale('wiki'), running('erp'), job('new', { createdAt: '2026-03-04T10:00:00Z' })] });
    const runNow = (jobId: string, enabled = true): TrayMenuItem[] => [{ type: 'item', label: enabled ? 'Run now' : 'Running…', enabled, action: { kind: 'run', jobId } }];
    expect(model.menu).toEqual([
      { type: 'item', label: 'shop-nightly: 32 h ago — failing', enabled: true, action: null, submenu: runNow('id-shop-nightly') },
      { type: 'item', label: 'crm: 8 h ago', enabled: true, action: null, submenu: runNow('id-crm') },
      { type: 'item', label: 'wiki: 4 d ago — stale', enabled: true, action: null, submenu: runNow('id-wiki') },
      { type: 'item', label: 'erp: 8 h ago — running', enabled: true, action: null, submenu: runNow('id-erp', false) },
      { type: 'item', label: 'new: never', enabled: true, action: null, submenu: runNow('id-new') },
      { type: 'separator' },
      { type: 'item', label: 'Pause all schedules', enabled: true, action: { kind: 'pause' } },
      { type: 'item', label: 'Open Vaultdesk', enabled: true, action: { kind: 'open' } },
      { type: 'separator' },
      { type: 'item', label: 'Quit Vaultdesk', enabled: true, action: { kind: 'quit' } },
    ]);
  });

  it('offers Resume when paused, says when there are no jobs, and marks a failing job that runs again', () => {
    const empty = trayModel({ now: NOW, paused: true, jobs: [] });
    expect(empty.menu.slice(0, 3)).toEqual([
      { type: 'item', label: 'No jobs yet', enabled: false, action: null },
      { type: 'separator' },
      { type: 'item', label: 'Resume all schedules', enabled: true, action: { kind: 'resume' } },
    ]);
    const retrying = job('shop', { runs: [run('running', '2026-03-04T10:59:00Z'), run('failed', '2026-03-04T02:00:00Z')] });
    expect(trayModel({ now: NOW, paused: false, jobs: [retrying] }).menu[0]).toMatchObject({ label: 'shop: never — failing, running', submenu: [{ label: 'Running…', enabled: false }] });
  });
});

describe('ages in words', () => {
  it.each([
    ['2026-03-04T11:00:30Z', 'just now'],
    ['2026-03-04T11:05:00Z', 'just now'], // a clock a little ahead
    ['2026-03-04T10:59:00Z', '1 min ago'],
    ['2026-03-04T10:00:01Z', '59 min ago'],
    ['2026-03-04T10:00:00Z', '1 h ago'],
    ['2026-03-02T11:00:01Z', '47 h ago'],
    ['2026-03-02T11:00:00Z', '2 d ago'],
    ['2025-03-04T11:00:00Z', '365 d ago'],
  ])('%s -> %s', (at, words) => {
    expect(ageInWords(at, NOW)).toBe(words);
  });
});
