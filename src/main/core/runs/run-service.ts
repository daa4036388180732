import { mkdirSync, rmSync } from 'node:fs';
import { fsAppError } from '../files/fs-errors';
import path from 'node:path';
import type { JobDto } from '../../../shared/domain/dto';
import type { RunDto, RunHooksDto, RunObjectDto, RunProgressDto, RunStage, RunTrigger } from '../../../shared/domain/runs';
import { storedWords } from '../../../shared/domain/run-words';
import { AppError } from '../../../shared/ipc/result';
import type { CoreEvents } from '../events';
import { withFields, type Logger } from '../logger';
import type { Notifier } from '../notifications/notifier';
import { runTempName, type HostProcess } from '../ownership/host-process';
import type { CleanupDeps } from '../ownership/leftover-cleanup';
import { cleanDueLeftovers, interruptedMessage } from '../ownership/run-reaper';
import { backupIdOf } from '../backups/backup-id';
import { manifestKey } from '../pipeline/manifest';
import { runPlanInWorker, SpareWorker, type WorkerOutcome } from '../pipeline/worker-client';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { JobsRepository } from '../store/jobs-repository';
import type { RetentionService } from '../retention/retention-service';
import type { LeftoversRepository } from '../store/leftovers-repository';
import type { RunsRepository } from '../store/runs-repository';
import type { SettingsRepository } from '../store/settings-repository';
import { newRunId, planBackup, type PlannerDeps } from './backup-planner';
import { ProgressSaver } from './progress-saver';
import { HookStop } from '../hooks/hook-runner';
import { keepWhileRunning } from './keep-while-running';
import { runPostHook, runPreHook } from './run-hooks';

export interface RunServiceDeps extends PlannerDeps {
  jobs: JobsRepository;
  runs: RunsRepository;
  leftovers: LeftoversRepository;
  settings: SettingsRepository;
  destinations: DestinationsRepository;
  events: CoreEvents;
  log: Logger;
  now: () => Date;
  appVersion: string;
  host: HostProcess;
  /** Private temp folder root (inside the data dir); each run gets its own folder in it. */
  tempRoot: string;
  /** PATH and friends, for finding the dump tools: given by the host. */
  toolEnv: Record<string, string | undefined>;
  minuteMs: number;
  /** How long a cancelled run's worker gets to stop on its own before it is stopped outright. */
  cancelGraceMs: number;
  /**
   * What a post-run hook gets while the host stops, at least: the rest of the grace period or
   * this, whichever ends later, so a hook releasing a mount runs and the stop still ends.
   */
  stopHookMs: number;
  /** The built pipeline worker; the one beside the core when absent. */
  workerFile?: URL;
  cleanup: CleanupDeps;
  retention: RetentionService;
  /** Webhooks, Healthchecks pings and desktop alerts; never holds a run up. */
  notifier: Notifier;
}

interface ActiveRun {
  runId: string;
  /** The run's: what cancel, the job's timeout and the end of a stop's grace abort. */
  controller: AbortController;
  /** Its post-run hook's, once that runs: a cancel stops it; a stopping host only bounds it. */
  hook: PostHook | null;
  finished: Promise<RunDto>;
}

interface PostHook {
  controller: AbortController;
  startedAt: number;
  deadline?: NodeJS.Timeout;
}

interface Stopping {
  reason: AppError;
  who: string;
  since: number;
  graceEnds: number;
  endGrace: () => void;
}

/** How often this process looks for cancel requests made by other processes while it runs something. */
const CANCEL_POLL_MS = 1000;

/**
 * Starts runs and records them. One run per job at a time is enforced in the store, so it holds
 * across every process sharing the data dir; each run records its owner (this process) and,
 * before a byte is sent, what it is about to create at each destination.
 */
export class RunService {
  readonly #active = new Map<string, ActiveRun>();
  #poll: NodeJS.Timeout | null = null;
  /** Set by stopAll: no run may start while the host closes, and post-run hooks get a deadline. */
  #stopping: Stopping | null = null;

  constructor(private readonly deps: RunServiceDeps) {}

  /** Starts a run and returns at once; `finished` settles with the final record (never rejects). */
  start(jobId: string, trigger: RunTrigger): { runId: string; finished: Promise<RunDto> } {
    const { deps } = this;
    if (this.#stopping) throw new AppError('CANCELLED', 'Vaultdesk is shutting down: no new run can start.');
    const job = deps.jobs.get(jobId);
    deps.host.ensureRegistered();
    const runId = newRunId();
    const startedAt = deps.now();
    const { interrupted } = deps.runs.create(
      { id: runId, jobId: job.id, jobName: job.name, trigger, startedAt: startedAt.toISOString(), owner: { startId: deps.host.identity.startId, pid: deps.host.identity.pid } },
      { alive: (id) => deps.host.isAlive(id), describe: (id) => deps.host.describe(id), interruptedMessage: (r) => interruptedMessage(r, deps.host) },
    );
    for (const r of interrupted) {
      deps.notifier.runEnded(deps.runs.get(r.id));
      rmSync(path.join(deps.tempRoot, runTempName(r.id)), { recursive: true, force: true });
      void cleanDueLeftovers(deps.cleanup, r.id).catch((error: unknown) => deps.log.warn('leftover cleanup failed', { runId: r.id, error: String(error) }));
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    if (job.timeoutMinutes) {
      timer = setTimeout(() => controller.abort(new AppError('TIMEOUT', `The run took longer than the job's ${job.timeoutMinutes}-minute timeout and was stopped; nothing was kept.`)), job.timeoutMinutes * deps.minuteMs);
    }
    const finished = this.#execute(runId, job.id, startedAt, controller).finally(() => {
      clearTimeout(timer);
      this.#active.delete(job.id);
      this.#pollCancels();
    });
    this.#active.set(job.id, { runId, controller, hook: null, finished });
    this.#pollCancels();
    return { runId, finished };
  }

  /**
   * Cancels a run, whichever process runs it: this one's at once; another live process's at
   * its next look at the store (within a second or so); a run whose process is gone is marked
   * interrupted and cleaned up here.
   */
  cancel(runId: string): RunDto {
    const { deps } = this;
    const active = [...this.#active.values()].find((a) => a.runId === runId);
    if (active) {
      active.controller.abort(new AppError('CANCELLED', 'The run was cancelled; nothing was kept.'));
      active.hook?.controller.abort(new HookStop('the run was cancelled while it ran'));
      return deps.runs.get(runId);
    }
    const run = deps.runs.get(runId);
    const owner = deps.runs.running().find((r) => r.id === runId);
    if (run.status !== 'running' || !owner) throw new AppError('VALIDATION_FAILED', `Run ${runId} is not running (it ${run.status}).`);
    if (deps.host.isAlive(owner.ownerStartId)) {
      deps.runs.requestCancel(runId, deps.now().toISOString());
    } else this.reapDead();
    return deps.runs.get(runId);
  }

  /**
   * Runs whose process is gone (killed, crashed, its machine off) are marked interrupted, told to
   * the notifications, and what they left is cleaned up. Every start does this; the scheduler asks
   * at each tick too, so a run killed under a process that keeps running (a daemon, the app) does
   * not hold its job's next slots as "still running".
   */
  reapDead(): RunDto[] {
    const { deps } = this;
    const interrupted = deps.runs.interruptAbandoned((id) => deps.host.isAlive(id), deps.now().toISOString(), (r) => interruptedMessage(r, deps.host));
    return interrupted.map((r) => {
      deps.log.warn('a run was interrupted when its process stopped', { runId: r.id, job: r.jobName, pid: r.ownerPid });
      const run = deps.runs.get(r.id);
      deps.notifier.runEnded(run);
      rmSync(path.join(deps.tempRoot, runTempName(r.id)), { recursive: true, force: true });
      void cleanDueLeftovers(deps.cleanup, r.id).catch(() => undefined);
      return run;
    });
  }

  /** For the CLI: cancel with a given reason (e.g. interrupted from the terminal). */
  abort(runId: string, reason: AppError): void {
    const active = [...this.#active.values()].find((a) => a.runId === runId);
    active?.controller.abort(reason);
    active?.hook?.controller.abort(new HookStop('the run was cancelled while it ran'));
  }

  activeRuns(): string[] {
    return [...this.#active.values()].map((a) => a.runId);
  }

  /**
   * Lets this process's runs finish for up to `graceMs`, then cancels the rest and waits for each
   * to record its end and run its post-run hook (hosts call it on SIGTERM and quit). `who` says
   * why, as in "vaultdesk daemon was stopped". A post-run hook, whatever the run's outcome, runs
   * until the grace ends or for `stopHookMs`, whichever is later (and never past its own timeout).
   */
  async stopAll(who: string, graceMs = 0): Promise<void> {
    if (this.#stopping) {
      await this.#settled();
      return;
    }
    const reason = new AppError('CANCELLED', `${who}: the run was cancelled; nothing was kept.`);
    const since = performance.now();
    let endGrace!: () => void;
    const graceOver = new Promise<void>((resolve) => (endGrace = resolve));
    this.#stopping = { reason, who, since, graceEnds: since + graceMs, endGrace };
    for (const a of this.#active.values()) if (a.hook) this.#boundHook(a.hook);
    if (graceMs > 0 && this.#active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#settled(), graceOver, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    for (const a of this.#active.values()) a.controller.abort(reason);
    await this.#settled();
  }

  /**
   * Ends the grace of a stop under way now (a second SIGTERM): the runs are cancelled at once, and
   * post-run hooks keep only their `stopHookMs`. False when no stop is under way.
   */
  endGrace(): boolean {
    const stopping = this.#stopping;
    if (!stopping) return false;
    stopping.graceEnds = Math.min(stopping.graceEnds, performance.now());
    stopping.endGrace();
    for (const a of this.#active.values()) if (a.hook) this.#boundHook(a.hook);
    return true;
  }

  #settled(): Promise<unknown> {
    return Promise.all([...this.#active.values()].map((a) => a.finished));
  }

  /** A post-run hook of a stopping host is stopped at the later of the grace's end and `stopHookMs` after the stop reached it. */
  #boundHook(hook: PostHook): void {
    const stopping = this.#stopping;
    if (!stopping) return;
    clearTimeout(hook.deadline);
    const at = Math.max(stopping.graceEnds, Math.max(hook.startedAt, stopping.since) + this.deps.stopHookMs);
    const seconds = Math.round(this.deps.stopHookMs / 1000);
    const why = `${stopping.who}, and a post-run hook may then run only until the grace period ends or for ${seconds} s, whichever is later`;
    hook.deadline = setTimeout(() => hook.controller.abort(new HookStop(why)), Math.max(0, at - performance.now()));
  }

  #pollCancels(): void {
    if (this.#active.size === 0) {
      if (this.#poll) clearInterval(this.#poll);
      this.#poll = null;
      return;
    }
    this.#poll ??= setInterval(() => {
      try {
        for (const id of this.deps.runs.cancelRequested(this.activeRuns())) {
          this.abort(id, new AppError('CANCELLED', 'The run was cancelled from another Vaultdesk window or command; nothing was kept.'));
        }
      } catch (error) {
        this.deps.log.debug('could not look for cancel requests', { error: String(error) });
      }
    }, CANCEL_POLL_MS);
    this.#poll.unref();
  }

  async #execute(runId: string, jobId: string, startedAt: Date, controller: AbortController): Promise<RunDto> {
    const { deps } = this;
    const job = deps.jobs.get(jobId);
    const log: RunDto['log'] = [];
    const note = (level: 'info' | 'warn' | 'error', message: string): void => {
      const entry = { time: deps.now().toISOString(), level, message };
      log.push(entry);
      keepWhileRunning(deps.log, runId, 'log line', () => deps.runs.recordLog(runId, entry));
    };
    const stageMs: Partial<Record<RunStage, number>> = {};
    const tempDir = path.join(deps.tempRoot, runTempName(runId));
    let objects: RunObjectDto[] = [];
    let error: RunDto['error'] = null;
    let manifests: Record<string, string> = {};
    let abandoned = false;
    const hooks: RunHooksDto = {};
    let spare: SpareWorker | null = null;
    try {
      try {
        mkdirSync(tempDir, { recursive: true, mode: 0o700 });
      } catch (cause) {
        throw fsAppError(cause, 'STORE_WRITE_FAILED', 'Could not make the run\'s temporary folder in the data dir', { path: tempDir, device: deps.tempRoot });
      }
      note('info', `Run started for job "${job.name}".`);
      deps.notifier.runStarted(job.id, runId);
      if (job.preHook) await runPreHook(deps, job, runId, controller.signal, hooks, note);
      // The worker loads its modules while the source is asked what to dump and with which tools.
      spare = SpareWorker.start(deps.workerFile);
      const plan = await planBackup(deps, job, {
        id: runId,
        startedAt,
        appVersion: deps.appVersion,
        sourceContext: { tempDir, env: deps.toolEnv, toolPaths: deps.settings.get().toolPaths },
        keyTaken: (key) => deps.runs.keyTaken(key),
      });
      note('info', `Backing up ${plan.objects.map((o) => o.label).join(', ')} to ${plan.destinations.map((d) => d.dto.name).join(', ')}.`);
      if (controller.signal.aborted) throw controller.signal.reason;
      // Before the first byte: should this process die, whoever finds the run knows what to remove.
      deps.leftovers.record(
        runId,
        plan.destinations.flatMap((d) => plan.objects.flatMap((o) => [o.key, manifestKey(o.key)].map((key) => ({ destinationId: d.dto.id, key })))),
      );
      const outcome = await this.#runWorker(plan, runId, job, controller, stageMs, note, spare);
      objects = outcome.objects;
      manifests = outcome.manifests;
      abandoned = outcome.abandoned;
      if (outcome.error) {
        error = { stage: outcome.error.stage, code: outcome.error.code, message: outcome.error.message, ...(outcome.error.destination ? { destination: outcome.error.destination } : {}) };
      }
    } catch (e) {
      const app = e instanceof AppError ? e : new AppError('RUN_FAILED', e instanceof Error ? e.message : String(e));
      error = { stage: hooks.pre && hooks.pre.outcome !== 'succeeded' ? 'pre-hook' : 'plan', code: app.code, message: app.message };
    } finally {
      // Planning failed or was cancelled: the worker started for it has nothing to do.
      spare?.dispose();
      rmSync(tempDir, { recursive: true, force: true });
    }
    // A worker that ended on its own removed what failed; one that was stopped outright did not.
    if (!abandoned) deps.leftovers.forget(runId);
    const status = error === null ? 'succeeded' : error.code === 'CANCELLED' ? 'cancelled' : 'failed';
    if (error) note('error', `Stage ${error.stage} failed${error.destination ? ` on destination ${error.destination}` : ''}: ${error.message}`);
    else note('info', storedWords(objects));
    const backups = objects
      .filter((o) => o.status === 'succeeded')
      .flatMap((o) =>
        o.destinations.map((d) => ({ id: backupIdOf(d.destinationId, o.key), jobId: job.id, destinationId: d.destinationId, key: o.key, database: o.database, size: o.size, sha256: o.sha256!, manifest: manifests[o.key] ?? '{}' })),
      );
    // Cancelled by this host's stop (not by a person, whose cancel came first if both did): the
    // record says so, and the scheduler still owes the run's slot a run (catch-up at the next start).
    const hostStopped = status === 'cancelled' && this.#stopping !== null && controller.signal.reason === this.#stopping.reason;
    const detail = { stageMs, objects, error, log, hooks, ...(hostStopped ? { hostStopped: true as const } : {}) };
    let final = deps.runs.finish(runId, { status, finishedAt: deps.now().toISOString(), detail, backups });
    if (abandoned) {
      await cleanDueLeftovers(deps.cleanup, runId).catch((e: unknown) => deps.log.warn('leftover cleanup failed', { runId, error: String(e) }));
      final = deps.runs.get(runId);
    }
    // Only after a success, and never failing it: what retention did is added to the run's record.
    if (final.status === 'succeeded') final = await deps.retention.afterRun(final);
    // After retention: a post-run hook may release what the destinations needed (a mount, a tunnel).
    if (job.postHook) {
      const hook: PostHook = { controller: new AbortController(), startedAt: performance.now() };
      const active = this.#active.get(job.id);
      if (active) active.hook = hook;
      this.#boundHook(hook);
      try {
        final = await runPostHook(deps, job, final, hook.controller.signal);
      } finally {
        clearTimeout(hook.deadline);
      }
    }
    deps.events.emit('runs:finished', final);
    deps.notifier.runEnded(final);
    // Every host reports a run's end with its error (the CLI prints the record, the daemon a line,
    // the app a notification): a warning here would say it a second time on a terminal.
    if (error) deps.log.info('run failed', { runId, job: job.name, stage: error.stage, code: error.code });
    return final;
  }

  #runWorker(
    plan: Awaited<ReturnType<typeof planBackup>>,
    runId: string,
    job: JobDto,
    controller: AbortController,
    stageMs: Partial<Record<RunStage, number>>,
    note: (level: 'info' | 'warn' | 'error', message: string) => void,
    spare: SpareWorker,
  ): Promise<WorkerOutcome> {
    const { deps } = this;
    const objectCount = plan.objects.length;
    const saver = new ProgressSaver((p) => deps.runs.recordProgress(runId, p), deps.log);
    return runPlanInWorker(plan, {
      signal: controller.signal,
      cancelGraceMs: deps.cancelGraceMs,
      workerFile: deps.workerFile,
      spare,
      onProgress: (p) => {
        const report = { runId, jobName: job.name, objectCount, ...p } satisfies RunProgressDto;
        saver.offer(report);
        deps.events.emit('runs:progress', report);
      },
      onHostKeyPinned: (destinationId, fingerprint) => {
        deps.destinations.pinHostKey(destinationId, fingerprint);
        note('info', `Pinned the SSH host key ${fingerprint} of destination ${deps.destinations.get(destinationId).name} on first use.`);
      },
      onSourceHostKeyPinned: (fingerprint) => {
        deps.sources.pinHostKey(job.sourceId, fingerprint);
        note('info', `Pinned the SSH host key ${fingerprint} of source ${job.sourceName} on first use.`);
      },
      onStageTime: (s, ms) => {
        const total = (stageMs[s] = (stageMs[s] ?? 0) + ms);
        keepWhileRunning(deps.log, runId, 'stage time', () => deps.runs.recordStageTime(runId, s, total));
      },
      onUploadStarted: async (destinationId, key, uploadId) => deps.leftovers.setUploadId(runId, destinationId, key, uploadId),
      onNote: (text) => note('warn', text),
      log: withFields(deps.log, { runId }),
    }).finally(() => saver.stop());
  }
}

