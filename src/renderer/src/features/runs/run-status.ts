import { STAGE_WORDS, type RunDto, type RunErrorDto, type RunProgressDto, type RunStage, type RunStatus, type RunTrigger } from '../../../../shared/domain/runs';
import { errorHeadline } from '../../lib/error-words';
import { formatAge, formatDuration } from '../../lib/format';

export const STAGE_LABELS: Record<RunStage, string> = STAGE_WORDS;

export const STATUS_COLORS: Record<RunStatus, string> = {
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'gray',
  interrupted: 'orange',
  skipped: 'gray',
};

export const TRIGGER_LABELS: Record<RunTrigger, string> = {
  manual: 'started by hand',
  schedule: 'on schedule',
  'catch-up': 'catch-up after a missed schedule',
  quickstart: 'quickstart',
};

/** How long ago the run ended ("3 min ago"); for a running run, when it started. */
export function runAge(run: Pick<RunDto, 'startedAt' | 'finishedAt'>, now: Date): string {
  return formatAge(run.finishedAt ?? run.startedAt, now);
}

/** "succeeded 3 min ago", "failed just now", "running, started 2 min ago". */
export function runSummary(run: Pick<RunDto, 'status' | 'startedAt' | 'finishedAt'>, now: Date): string {
  return run.status === 'running' ? `running, started ${runAge(run, now)}` : `${run.status} ${runAge(run, now)}`;
}

/** Wall-clock time of the run; a running run counts up to now. */
export function runDuration(run: Pick<RunDto, 'startedAt' | 'finishedAt'>, now: Date): string {
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
  return formatDuration(end - start);
}

export interface ErrorText {
  /** "Destination locked, while planning (destination nas)" */
  headline: string;
  /** The core's message, written for a DBA. */
  message: string;
}

/** A run's error, in words: what kind of problem, at which stage, on which destination, and the core's message. */
export function describeRunError(error: RunErrorDto): ErrorText {
  const where = `while ${STAGE_LABELS[error.stage] ?? error.stage}`;
  const destination = error.destination ? `, destination ${error.destination}` : '';
  return { headline: `${errorHeadline(error.code)} (${where}${destination})`, message: error.message };
}

/**
 * Why a run that ended did not succeed, in words: its error, its interruption, the DBA's cancel,
 * or the scheduled slot it skipped (and why). Null for a run that succeeded or still runs.
 */
export function describeRunOutcome(run: Pick<RunDto, 'status' | 'error'>): ErrorText | null {
  if (run.status === 'succeeded' || run.status === 'running' || !run.error) return null;
  if (run.status === 'skipped') return { headline: 'Skipped: the job was still running', message: run.error.message };
  return describeRunError(run.error);
}

/** "database 2 of 3: sales" or, for a single object, just its name. */
export function progressObject(p: Pick<RunProgressDto, 'database' | 'objectIndex' | 'objectCount'>): string {
  const name = p.database ?? 'database';
  return p.objectCount > 1 ? `${name} (${p.objectIndex + 1} of ${p.objectCount})` : name;
}

/** What a running run is doing: "dumping sales (2 of 3)", or the stage alone before any database (the pre-run hook). */
export function progressWords(p: Pick<RunProgressDto, 'stage' | 'database' | 'objectIndex' | 'objectCount'>): string {
  return p.database === null && p.objectCount === 0 ? STAGE_LABELS[p.stage] : `${STAGE_LABELS[p.stage]} ${progressObject(p)}`;
}

/**
 * A coarse completion figure for the progress bar: whole objects done, plus a share of the
 * current one by stage. Sizes are unknown until the dump ends, so bytes cannot drive it.
 */
export function progressPercent(p: Pick<RunProgressDto, 'stage' | 'objectIndex' | 'objectCount'>): number {
  const count = Math.max(1, p.objectCount);
  const within: Record<RunStage, number> = { 'pre-hook': 0, plan: 0, dump: 0.1, compress: 0.4, encrypt: 0.5, upload: 0.6, manifest: 0.9 };
  const done = Math.min(count, p.objectIndex + (within[p.stage] ?? 0));
  return Math.round((done / count) * 100);
}
