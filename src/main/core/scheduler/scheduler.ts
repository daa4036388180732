import type { JobDto } from '../../../shared/domain/dto';
import type { RunTrigger } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';
import type { CoreEvents } from '../events';
import type { Logger } from '../logger';
import { newRunId } from '../runs/backup-planner';
import type { RunService } from '../runs/run-service';
import type { JobsRepository } from '../store/jobs-repository';
import type { RunsRepository } from '../store/runs-repository';
import type { SchedulePause, SettingsRepository } from '../store/settings-repository';
import { lastSlotAtOrBefore, slotInWords, slotsBetween, type ScheduleSpec } from './schedule';
import type { SchedulerClock } from './scheduler-clock';
import type { SchedulerLease } from './scheduler-lease';

export interface SchedulerDeps {
  jobs: JobsRepository;
  runs: RunsRepository;
  runService: Pick<RunService, 'start' | 'reapDead'>;
  settings: SettingsRepository;
  lease: SchedulerLease;
  clock: SchedulerClock;
  events: CoreEvents;
  log: Logger;
}

/** The lease is renewed, and schedules looked at, at least this often. */
export const TICK_MS = 10_000;
/** A tick this much later than planned means the machine slept (or the process was stopped). */
const WOKE_UP_MS = 60_000;

interface Queued {
  jobId: string;
  slot: Date;
  trigger: Extract<RunTrigger, 'schedule' | 'catch-up'>;
}

/**
 * Runs jobs on their cron schedules while this process holds the data dir's scheduler lease.
 * One run per job (a slot that finds the job running is recorded as skipped), at most
 * `maxConcurrentRuns` scheduled runs at once over every process (the rest wait in slot order),
 * and a slot missed while the app was closed or the machine asleep is run once on start or
 * wake-up (catch-up), never once per missed slot; so is a slot whose run was ended by its host
 * stopping (cancelled at shutdown, or interrupted when its process died).
 */
export class Scheduler {
  #running = false;
  #holding = false;
  #timer: unknown = null;
  /** Slots up to this instant have been dealt with. */
  #checkedUpTo: Date | null = null;
  #plannedTickAt = 0;
  readonly #queue: Queued[] = [];
  /**
   * Jobs whose catch-up waits for a run of the missed slot still running (in a process that is
   * stopping, say, while this one took over): looked at again each tick until that run ends.
   */
  readonly #awaiting = new Set<string>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Starts scheduling (or standing by while another process holds the lease). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#tick();
  }

  /** Stops scheduling and lets another process take over; runs already started go on. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.deps.clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#queue.length = 0;
    this.#awaiting.clear();
    if (this.#holding) {
      this.#holding = false;
      try {
        this.deps.lease.release();
      } catch (error) {
        this.deps.log.warn('could not release the scheduler lease', { error: String(error) });
      }
      this.#changed();
    }
  }

  /** The machine is going to sleep: no tick until it wakes (then `resumed` catches up). */
  suspended(): void {
    if (!this.#running) return;
    this.deps.log.info('the machine is going to sleep: schedules wait until it wakes up');
    this.deps.clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  /** The machine woke up: what was missed meanwhile is caught up now. */
  resumed(): void {
    if (!this.#running) return;
    this.deps.log.info('the machine woke up: looking for schedules missed meanwhile');
    this.deps.clock.clearTimer(this.#timer);
    this.#tick(true);
  }

  get holding(): boolean {
    return this.#holding;
  }

  /** Jobs waiting for a free slot under the concurrency limit, in the order they will start. */
  queued(): { jobId: string; slot: string; trigger: RunTrigger }[] {
    return this.#queue.map((q) => ({ jobId: q.jobId, slot: q.slot.toISOString(), trigger: q.trigger }));
  }

  /** Looks at the schedules now (after a job was saved, schedules were paused or resumed). */
  poke(): void {
    if (!this.#running) return;
    this.deps.clock.clearTimer(this.#timer);
    this.#tick();
  }

  #tick(woke = false): void {
    this.#timer = null;
    if (!this.#running) return;
    const now = this.deps.clock.now();
    let jobs: JobDto[] = [];
    try {
      const held = this.deps.lease.tryHold();
      if (held !== this.#holding) {
        this.#holding = held;
        this.#changed();
        this.deps.log.info(held ? 'this process now runs the schedules' : 'another process runs the schedules');
      }
      if (held) {
        jobs = this.deps.jobs.list().filter((j) => j.enabled && j.schedule !== null);
        this.#schedule(jobs, now, woke || (this.#plannedTickAt > 0 && now.getTime() - this.#plannedTickAt > WOKE_UP_MS));
      } else this.#checkedUpTo = null;
    } catch (error) {
      this.deps.log.error('the scheduler could not look at the schedules', { error: String(error) });
    }
    this.#arm(now, jobs);
  }

  #schedule(jobs: JobDto[], now: Date, woke: boolean): void {
    // A run whose process was killed would otherwise be "still running" to every later slot of its job.
    this.deps.runService.reapDead();
    const paused = this.deps.settings.get().schedulesPaused;
    const awaiting = new Set(this.#awaiting);
    this.#awaiting.clear();
    if (this.#checkedUpTo === null || woke) {
      // Just took over, started, or woke up: a slot missed meanwhile runs once (catch-up).
      if (!paused) for (const job of jobs) this.#catchUp(job, now);
    } else if (!paused) {
      for (const job of jobs) {
        const due = slotsBetween(spec(job), this.#checkedUpTo, now);
        // A new slot takes the place of one whose catch-up was waiting: only the latest is run.
        if (due.length > 0) this.#enqueue(job, due[due.length - 1]!, 'schedule');
        else if (awaiting.has(job.id)) this.#catchUp(job, now);
      }
    }
    this.#checkedUpTo = now;
    if (paused) this.#queue.length = 0;
    this.#drain();
  }

  #catchUp(job: JobDto, now: Date): void {
    if (!job.catchUp) return;
    const slot = lastSlotAtOrBefore(spec(job), now);
    // Slots before the job's schedule was set (created, rescheduled, enabled again, catch-up turned
    // on) were never promised; other edits since (retention, hooks, name) leave the slot owed.
    if (!slot || slot.getTime() < Date.parse(this.deps.jobs.scheduleSetAt(job.id))) return;
    // Paused then: not run at its time, and not caught up either, whichever process saw the pause.
    if (this.deps.settings.schedulePauses().some((p) => within(slot, p))) return;
    // A run ended by its host stopping (cancelled at shutdown, or interrupted) still owes the slot
    // its run; one still running (its process stopping while this one took over) is waited for,
    // rather than recorded as a skipped slot that would then never be caught up.
    const state = this.deps.runs.slotState(job.id, slot.toISOString());
    if (state === 'running') this.#awaiting.add(job.id);
    if (state !== 'owed') return;
    this.#enqueue(job, slot, slot.getTime() === now.getTime() ? 'schedule' : 'catch-up');
  }

  #enqueue(job: JobDto, slot: Date, trigger: Queued['trigger']): void {
    if (this.#queue.some((q) => q.jobId === job.id)) return;
    const running = this.deps.runs.running().find((r) => r.jobId === job.id);
    if (running) {
      this.#skip(job, slot, `Skipped the ${slotInWords(slot, job.timezone)} run: the previous run (${running.id}) was still running.`);
      return;
    }
    this.#queue.push({ jobId: job.id, slot, trigger });
    this.#queue.sort((a, b) => a.slot.getTime() - b.slot.getTime());
  }

  /** Starts queued runs, oldest slot first, while fewer than the limit run (in any process). */
  #drain(): void {
    const limit = this.deps.settings.get().maxConcurrentRuns;
    while (this.#queue.length > 0 && this.deps.runs.running().length < limit) {
      const next = this.#queue.shift()!;
      let job: JobDto;
      try {
        job = this.deps.jobs.get(next.jobId);
      } catch {
        continue; // deleted meanwhile
      }
      try {
        const { finished } = this.deps.runService.start(job.id, next.trigger);
        void finished.then(() => {
          if (this.#running && this.#holding) this.#drain();
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'RUN_IN_PROGRESS') this.#skip(job, next.slot, `Skipped the ${slotInWords(next.slot, job.timezone)} run: ${error.message}`);
        else this.deps.log.error('a scheduled run could not start', { job: job.name, error: String(error) });
      }
    }
  }

  #skip(job: JobDto, slot: Date, message: string): void {
    const record = this.deps.runs.recordSkipped({ id: newRunId(), jobId: job.id, jobName: job.name, at: this.deps.clock.now().toISOString(), message });
    this.deps.log.warn('a scheduled run was skipped', { job: job.name, slot: slot.toISOString() });
    this.deps.events.emit('runs:finished', record);
  }

  /** Wakes at the next slot of any job, or at the next lease renewal, whichever comes first. */
  #arm(now: Date, jobs: JobDto[]): void {
    if (!this.#running) return;
    let wait = TICK_MS;
    if (this.#holding) {
      for (const job of jobs) {
        const [next] = slotsBetween(spec(job), now, new Date(now.getTime() + TICK_MS), 1);
        if (next) wait = Math.min(wait, Math.max(0, next.getTime() - now.getTime()));
      }
    }
    this.#plannedTickAt = now.getTime() + wait;
    this.#timer = this.deps.clock.setTimer(() => this.#tick(), wait);
  }

  #changed(): void {
    this.deps.events.emit('schedules:changed', { holding: this.#holding });
  }
}

/** Whether the slot passed while schedules were paused; an end not known is taken as the resume being later. */
function within(slot: Date, pause: SchedulePause): boolean {
  const at = slot.getTime();
  return (pause.from === null || Date.parse(pause.from) <= at) && (pause.to === null || at < Date.parse(pause.to));
}

function spec(job: JobDto): ScheduleSpec {
  return { schedule: job.schedule!, timezone: job.timezone };
}
