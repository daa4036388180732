import type { RunStatus } from '../../../shared/domain/runs';
import { cronOf } from '../scheduler/schedule';

/** How one job is doing. */
export type JobHealth = 'failing' | 'stale' | 'running' | 'ok';
/** What the tray shows: the worst job health, or `paused` when schedules are paused and nothing is worse. */
export type TrayState = JobHealth | 'paused';

/**
 * Worst first. Paused sits below stale and running on purpose: a pause that has let backups go
 * stale is what the user must see, and a run going (started by hand while paused) is news;
 * it sits above ok so that a forgotten pause stays visible.
 */
export const TRAY_STATE_ORDER: readonly TrayState[] = ['failing', 'stale', 'running', 'paused', 'ok'];
const JOB_HEALTH_ORDER: readonly JobHealth[] = ['failing', 'stale', 'running', 'ok'];

/** What the model needs of a run. */
export interface TrayRunFact {
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
}

/** What the model needs of a job, with its relevant runs (any order; its running run, last outcome and last success suffice). */
export interface TrayJobInput {
  id: string;
  name: string;
  schedule: string | null;
  timezone: string | null;
  /** A disabled job is not scheduled, so it is never stale. */
  enabled: boolean;
  createdAt: string;
  runs: readonly TrayRunFact[];
}

export interface TrayInput {
  now: Date;
  /** Every schedule paused (`schedules:pause`). */
  paused: boolean;
  jobs: readonly TrayJobInput[];
}

export interface TrayJobState {
  id: string;
  name: string;
  health: JobHealth;
  /** A run of the job is going, whatever its health says. */
  running: boolean;
  lastSuccessAt: string | null;
  /** "9 h ago", "never". */
  lastSuccessAge: string;
}

/** What a menu entry does; plain data, so the model can be compared and tested. */
export type TrayAction = { kind: 'run'; jobId: string } | { kind: 'pause' } | { kind: 'resume' } | { kind: 'open' } | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'item'; label: string; enabled: boolean; action: TrayAction | null; submenu?: TrayMenuItem[] }
  | { type: 'separator' };

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  jobs: TrayJobState[];
  menu: TrayMenuItem[];
}

/** Windows cuts a tray tooltip at 127 characters. */
export const TOOLTIP_MAX = 127;
const NAMES_IN_TOOLTIP = 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The tray's picture, tooltip and menu for the jobs as they are at `input.now`. */
export function trayModel(input: TrayInput): TrayModel {
  const jobs = input.jobs.map((job) => jobState(job, input.now));
  const worstJob = worst(jobs.map((j) => j.health), JOB_HEALTH_ORDER) ?? 'ok';
  const state: TrayState = input.paused && TRAY_STATE_ORDER.indexOf('paused') < TRAY_STATE_ORDER.indexOf(worstJob) ? 'paused' : worstJob;
  return { state, tooltip: tooltipOf(jobs, input.paused), jobs, menu: menuOf(jobs, input.paused) };
}

/** One job's health at `now`: failing, then stale, then running, else ok. */
export function jobState(job: TrayJobInput, now: Date): TrayJobState {
  const runs = [...job.runs].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  const running = runs.some((r) => r.status === 'running');
  // A cancelled run or a skipped slot says nothing about whether the job works; the last one that does decides.
  const outcome = runs.find((r) => r.status === 'succeeded' || r.status === 'failed' || r.status === 'interrupted');
  const success = runs.find((r) => r.status === 'succeeded');
  const lastSuccessAt = success ? (success.finishedAt ?? success.startedAt) : null;
  const health: JobHealth =
    outcome && outcome.status !== 'succeeded' ? 'failing' : isStale(job, lastSuccessAt, now) ? 'stale' : running ? 'running' : 'ok';
  return { id: job.id, name: job.name, health, running, lastSuccessAt, lastSuccessAge: lastSuccessAt ? ageInWords(lastSuccessAt, now) : 'never' };
}

/**
 * No success for more than twice the schedule's interval. The interval is the gap between the
 * schedule's two latest slots at `now`, so a weekday schedule allows a weekend and an hourly one
 * two hours; a job that never succeeded counts from its creation.
 */
export function isStale(job: Pick<TrayJobInput, 'schedule' | 'timezone' | 'enabled' | 'createdAt'>, lastSuccessAt: string | null, now: Date): boolean {
  if (!job.enabled || job.schedule === null) return false;
  const interval = scheduleInterval(job.schedule, job.timezone, now);
  if (interval === null) return false;
  return now.getTime() - Date.parse(lastSuccessAt ?? job.createdAt) > 2 * interval;
}

function scheduleInterval(schedule: string, timezone: string | null, now: Date): number | null {
  let slots: Date[];
  try {
    const cron = cronOf({ schedule, timezone });
    slots = cron.previousRuns(2, new Date(now.getTime() + 1000));
    if (slots.length < 2) slots = cron.nextRuns(2, now);
  } catch {
    // Schedules are checked when saved; one that no longer parses (a time zone the runtime dropped) cannot be judged.
    return null;
  }
  return slots.length < 2 ? null : Math.abs(slots[0]!.getTime() - slots[1]!.getTime());
}

/** "just now", "12 min ago", "9 h ago" (up to two days), "3 d ago". */
export function ageInWords(at: string, now: Date): string {
  const ms = now.getTime() - Date.parse(at);
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / (24 * HOUR))} d ago`;
}

function worst<T>(values: readonly T[], order: readonly T[]): T | undefined {
  return [...values].sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
}

/** "Vaultdesk: 1 job failing (shop-nightly), 3 ok"; "Vaultdesk: schedules paused; 2 jobs ok". */
export function tooltipOf(jobs: readonly TrayJobState[], paused: boolean): string {
  const parts: string[] = [];
  for (const health of JOB_HEALTH_ORDER) {
    const these = jobs.filter((j) => j.health === health);
    if (these.length === 0) continue;
    const noun = parts.length === 0 ? (these.length === 1 ? ' job' : ' jobs') : '';
    const names = health === 'ok' ? '' : ` (${namesOf(these.map((j) => j.name))})`;
    parts.push(`${these.length}${noun} ${health}${names}`);
  }
  const body = jobs.length === 0 ? 'no jobs yet' : parts.join(', ');
  const text = `Vaultdesk: ${paused ? `schedules paused; ${body}` : body}`;
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

function namesOf(names: string[]): string {
  const shown = names.slice(0, NAMES_IN_TOOLTIP).join(', ');
  return names.length > NAMES_IN_TOOLTIP ? `${shown} and ${names.length - NAMES_IN_TOOLTIP} more` : shown;
}

const HEALTH_MARK: Record<JobHealth, string> = { failing: ' — failing', stale: ' — stale', running: ' — running', ok: '' };

/** One entry per job (its last success, marked when not ok, with Run now), then Pause/Resume all, Open, Quit. */
export function menuOf(jobs: readonly TrayJobState[], paused: boolean): TrayMenuItem[] {
  const jobItems: TrayMenuItem[] =
    jobs.length === 0
      ? [{ type: 'item', label: 'No jobs yet', enabled: false, action: null }]
      : jobs.map((j) => {
          // A failing or stale job that is running again says both.
          const mark = HEALTH_MARK[j.health] + (j.running && j.health !== 'running' ? ', running' : '');
          return {
            type: 'item',
            label: `${j.name}: ${j.lastSuccessAge}${mark}`,
            enabled: true,
            action: null,
            submenu: [{ type: 'item', label: j.running ? 'Running…' : 'Run now', enabled: !j.running, action: { kind: 'run', jobId: j.id } }],
          };
        });
  return [
    ...jobItems,
    { type: 'separator' },
    paused
      ? { type: 'item', label: 'Resume all schedules', enabled: true, action: { kind: 'resume' } }
      : { type: 'item', label: 'Pause all schedules', enabled: true, action: { kind: 'pause' } },
    { type: 'item', label: 'Open Vaultdesk', enabled: true, action: { kind: 'open' } },
    { type: 'separator' },
    { type: 'item', label: 'Quit Vaultdesk', enabled: true, action: { kind: 'quit' } },
  ];
}
