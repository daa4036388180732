import type { RunDto } from '../../../../shared/domain/runs';

/** The size of one copy of a run's backup: what was stored of each database, once (not per destination). */
export function backupSize(run: Pick<RunDto, 'objects'>): number {
  return run.objects.reduce((n, o) => n + (o.status === 'succeeded' ? o.size : 0), 0);
}

/** Wall-clock time of a run that ended, in milliseconds. */
export function runMs(run: Pick<RunDto, 'startedAt' | 'finishedAt'>): number | null {
  if (!run.finishedAt) return null;
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

const COLORS = ['blue.6', 'teal.6', 'grape.6', 'orange.6', 'cyan.6', 'pink.6', 'lime.7', 'indigo.6'] as const;

export interface ChartSeriesData {
  /** One point per run, oldest first: `time` (ms since the epoch) and the run's value under its job's series key. */
  data: Record<string, number>[];
  /** One line per job: keys are `s0`, `s1`... because recharts reads dots in a key as a path, and job names may have them. */
  series: { name: string; label: string; color: string }[];
}

/** Runs as chart lines over time, one line per job, for the values `value` gives (runs without one are left out). */
export function chartSeries(runs: readonly RunDto[], value: (run: RunDto) => number | null): ChartSeriesData {
  const jobs = [...new Set(runs.map((r) => r.jobName))].sort((a, b) => a.localeCompare(b));
  const keyOf = new Map(jobs.map((name, i) => [name, `s${i}`]));
  const data = runs
    .map((r) => ({ run: r, time: Date.parse(r.startedAt), v: value(r) }))
    .filter((p): p is { run: RunDto; time: number; v: number } => p.v !== null && Number.isFinite(p.time))
    .sort((a, b) => a.time - b.time)
    .map((p) => ({ time: p.time, [keyOf.get(p.run.jobName)!]: p.v }));
  return { data, series: jobs.map((name, i) => ({ name: keyOf.get(name)!, label: name, color: COLORS[i % COLORS.length]! })) };
}
