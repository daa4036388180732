import { describe, expect, it } from 'vitest';
import type { RunDto } from '../../../../shared/domain/runs';
import { jobHealth, lastSuccessOf, scheduleInterval, type JobHealthInput } from './job-health';

const now = new Date('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Run = Pick<RunDto, 'status' | 'startedAt' | 'finishedAt'>;
function run(status: RunDto['status'], hoursAgo: number): Run {
  const at = new Date(now.getTime() - hoursAgo * HOUR).toISOString();
  return { status, startedAt: at, finishedAt: status === 'running' ? null : at };
}

function health(fields: Partial<JobHealthInput>): ReturnType<typeof jobHealth> {
  return jobHealth({ now, recentRuns: [], lastSuccessAt: null, scheduled: true, enabled: true, schedulesPaused: false, intervalMs: DAY, ...fields });
}

describe('jobHealth', () => {
  it('is running while a run of the job runs, whatever came before', () => {
    expect(health({ recentRuns: [run('running', 0), run('failed', 24)] }).state).toBe('running');
    expect(health({ recentRuns: [run('running', 0)], schedulesPaused: true }).state).toBe('running');
  });

  it('is failing when the last run that ended failed or was interrupted; cancels and skipped slots do not count', () => {
    expect(health({ recentRuns: [run('failed', 1), run('succeeded', 25)], lastSuccessAt: run('succeeded', 25).finishedAt })).toEqual({ state: 'failing', reason: 'the last run failed' });
    expect(health({ recentRuns: [run('interrupted', 1)] })).toEqual({ state: 'failing', reason: 'the last run was interrupted before it finished' });
    expect(health({ recentRuns: [run('cancelled', 1), run('skipped', 2), run('failed', 3)] }).state).toBe('failing');
    expect(health({ recentRuns: [run('cancelled', 1), run('succeeded', 3)], lastSuccessAt: run('succeeded', 3).finishedAt }).state).toBe('ok');
  });

  it('says failing before paused: pausing does not fix a failure', () => {
    expect(health({ recentRuns: [run('failed', 1)], schedulesPaused: true }).state).toBe('failing');
    expect(health({ recentRuns: [run('failed', 1)], enabled: false }).state).toBe('failing');
  });

  it('is paused when the schedules are paused or the job is switched off, but only for a scheduled job', () => {
    const ok = { recentRuns: [run('succeeded', 1)], lastSuccessAt: run('succeeded', 1).finishedAt };
    expect(health({ ...ok, schedulesPaused: true })).toEqual({ state: 'paused', reason: 'every schedule is paused' });
    expect(health({ ...ok, enabled: false })).toEqual({ state: 'paused', reason: "this job's schedule is switched off" });
    // Weeks without a backup are expected while paused: not called stale.
    expect(health({ recentRuns: [run('succeeded', 500)], lastSuccessAt: run('succeeded', 500).finishedAt, schedulesPaused: true }).state).toBe('paused');
    expect(health({ ...ok, scheduled: false, intervalMs: null, schedulesPaused: true }).state).toBe('ok');
  });

  it('is stale after more than twice the interval without a success, and ok up to that', () => {
    const at = (h: number): Partial<JobHealthInput> => ({ recentRuns: [run('succeeded', h)], lastSuccessAt: run('succeeded', h).finishedAt });
    expect(health(at(47)).state).toBe('ok');
    expect(health(at(48)).state).toBe('ok');
    expect(health(at(49)).state).toBe('stale');
    expect(health(at(49)).reason).toBe("no successful backup for 49 h, more than twice the schedule's interval (24 h)");
    // The last success may be older than the runs listed: only skipped slots since.
    expect(health({ recentRuns: [run('skipped', 1)], lastSuccessAt: run('succeeded', 80).finishedAt }).state).toBe('stale');
    // A job without a schedule runs when the DBA says so: never stale.
    expect(health({ ...at(5000), scheduled: false, intervalMs: null }).state).toBe('ok');
  });

  it('is new when nothing has succeeded or failed yet', () => {
    expect(health({})).toEqual({ state: 'new', reason: 'no backup has been made yet' });
    expect(health({ recentRuns: [run('cancelled', 1)] }).state).toBe('new');
  });
});

describe('scheduleInterval', () => {
  it('is the longest gap between the next runs, so a weekday schedule allows for the weekend', () => {
    expect(scheduleInterval(['2026-12-01T02:00:00Z', '2026-12-02T02:00:00Z', '2026-12-03T02:00:00Z'])).toBe(DAY);
    // Thursday, Friday, then Monday.
    expect(scheduleInterval(['2026-12-03T02:00:00Z', '2026-12-04T02:00:00Z', '2026-12-07T02:00:00Z'])).toBe(3 * DAY);
    expect(scheduleInterval(['2026-12-01T02:00:00Z'])).toBeNull();
    expect(scheduleInterval([])).toBeNull();
  });
});

describe('lastSuccessOf', () => {
  const run = { id: 'r1', finishedAt: '2026-12-01T02:00:00Z' };
  it('is the newest successful run, or the newest known backup when that is newer (a system import brings backups, not runs)', () => {
    expect(lastSuccessOf({ job: { lastBackupAt: null }, successes: [] })).toBeNull();
    expect(lastSuccessOf({ job: { lastBackupAt: '2026-12-01T01:59:00Z' }, successes: [run] })).toEqual({ at: run.finishedAt, runId: 'r1' });
    expect(lastSuccessOf({ job: { lastBackupAt: '2026-11-30T02:00:00Z' }, successes: [] })).toEqual({ at: '2026-11-30T02:00:00Z', runId: null });
    expect(lastSuccessOf({ job: { lastBackupAt: '2026-12-02T02:00:00Z' }, successes: [run] })).toEqual({ at: '2026-12-02T02:00:00Z', runId: null });
  });
});
