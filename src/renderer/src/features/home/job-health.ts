import type { JobDto } from '../../../../shared/domain/dto';
import type { RunDto } from '../../../../shared/domain/runs';
import { formatDuration } from '../../lib/format';

/**
 * How a job is doing, as the home page (and the tray, from its own copy in core) shows it.
 * `new`: no backup of it has succeeded yet and nothing has failed either.
 */
export type JobState = 'running' | 'failing' | 'paused' | 'stale' | 'ok' | 'new';

export interface JobHealthInput {
  now: Date;
  /** The job's latest runs, newest first; ten or so are plenty. */
  recentRuns: readonly Pick<RunDto, 'status' | 'startedAt' | 'finishedAt'>[];
  /** When the job's latest successful run ended (it may be older than `recentRuns`). */
  lastSuccessAt: string | null;
  /** The job has a schedule. */
  scheduled: boolean;
  /** False: the job's schedule is switched off (it runs only by hand). */
  enabled: boolean;
  /** Every schedule of the data dir is paused. */
  schedulesPaused: boolean;
  /** The longest gap between the schedule's next runs (see `scheduleInterval`); null without a schedule. */
  intervalMs: number | null;
}

export interface JobHealth {
  state: JobState;
  /** Why, in words: "the last run failed", "no successful backup for 3 days". */
  reason: string;
}

/** The outcomes that say something about a job's health: a cancel is the DBA's own doing, a skipped slot ran nothing. */
const OUTCOMES = new Set<RunDto['status']>(['succeeded', 'failed', 'interrupted']);

/**
 * A job's state, worst first: running, failing (its last run that ended failed or was
 * interrupted), paused (its schedule will not fire), stale (no success for more than twice the
 * schedule's interval), ok. A failure outranks a pause: pausing does not make it go away.
 */
export function jobHealth(input: JobHealthInput): JobHealth {
  if (input.recentRuns.some((r) => r.status === 'running')) return { state: 'running', reason: 'a backup is running now' };
  const last = input.recentRuns.find((r) => OUTCOMES.has(r.status));
  if (last && last.status !== 'succeeded') {
    return { state: 'failing', reason: last.status === 'interrupted' ? 'the last run was interrupted before it finished' : 'the last run failed' };
  }
  if (input.scheduled && !input.enabled) return { state: 'paused', reason: "this job's schedule is switched off" };
  if (input.scheduled && input.schedulesPaused) return { state: 'paused', reason: 'every schedule is paused' };
  if (!input.lastSuccessAt) return { state: 'new', reason: 'no backup has been made yet' };
  const since = input.now.getTime() - Date.parse(input.lastSuccessAt);
  if (input.scheduled && input.intervalMs !== null && since > 2 * input.intervalMs) {
    return { state: 'stale', reason: `no successful backup for ${formatDuration(since)}, more than twice the schedule's interval (${formatDuration(input.intervalMs)})` };
  }
  return { state: 'ok', reason: 'the last backup succeeded' };
}

/**
 * How far apart a schedule's runs are, from its next few runs (ISO instants): the longest gap,
 * so a weekday schedule is not called stale over a weekend. Null with fewer than two runs.
 */
export function scheduleInterval(next: readonly string[]): number | null {
  const times = next.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t));
  let longest: number | null = null;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > 0 && (longest === null || gap > longest)) longest = gap;
  }
  return longest;
}

/** Words and colours for each state, shared by the cards and the summary. */
export const STATE_LABELS: Record<JobState, string> = {
  running: 'running',
  failing: 'failing',
  paused: 'paused',
  stale: 'stale',
  ok: 'ok',
  new: 'no backup yet',
};

export const STATE_COLORS: Record<JobState, string> = {
  running: 'blue',
  failing: 'red',
  paused: 'gray',
  stale: 'orange',
  ok: 'teal',
  new: 'gray',
};

/**
 * The job's last success: its newest successful run, or the newest backup of it this data dir
 * knows that is newer (a system import brings a job's backups but not its runs).
 */
export function lastSuccessOf(item: { job: Pick<JobDto, 'lastBackupAt'>; successes: readonly Pick<RunDto, 'id' | 'finishedAt'>[] }): { at: string; runId: string | null } | null {
  const run = item.successes[0];
  const runAt = run?.finishedAt ?? null;
  const stored = item.job.lastBackupAt;
  if (stored !== null && (runAt === null || Date.parse(stored) > Date.parse(runAt))) return { at: stored, runId: null };
  return runAt === null ? null : { at: runAt, runId: run!.id };
}
