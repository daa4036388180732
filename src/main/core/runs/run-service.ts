import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RunDto, RunObjectDto, RunProgressDto, RunStage, RunTrigger } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';
import type { CoreEvents } from '../events';
import { withFields, type Logger } from '../logger';
import { runPlanInWorker } from '../pipeline/worker-client';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { JobsRepository } from '../store/jobs-repository';
import type { RunsRepository } from '../store/runs-repository';
import type { SettingsRepository } from '../store/settings-repository';
import { newRunId, planBackup, type PlannerDeps } from './backup-planner';

export interface RunServiceDeps extends PlannerDeps {
  jobs: JobsRepository;
  runs: RunsRepository;
  settings: SettingsRepository;
  destinations: DestinationsRepository;
  events: CoreEvents;
  log: Logger;
  now: () => Date;
  appVersion: string;
  /** Private temp folder root (inside the data dir). */
  tempRoot: string;
  /** PATH and friends, for finding the dump tools: given by the host. */
  toolEnv: Record<string, string | undefined>;
  minuteMs: number;
}

interface ActiveRun {
  runId: string;
  controller: AbortController;
  finished: Promise<RunDto>;
}

/** Starts runs (one per job at a time), records them, and reports progress as events. */
export class RunService {
  readonly #active = new Map<string, ActiveRun>();

  constructor(private readonly deps: RunServiceDeps) {}

  /** Starts a run and returns at once; `finished` settles with the final record (never rejects). */
  start(jobId: string, trigger: RunTrigger): { runId: string; finished: Promise<RunDto> } {
    const job = this.deps.jobs.get(jobId);
    const existing = this.#active.get(job.id);
    if (existing) throw new AppError('RUN_IN_PROGRESS', `Job "${job.name}" is already running (run ${existing.runId}).`, { runId: existing.runId });
    const runId = newRunId();
    const startedAt = this.deps.now();
    this.deps.runs.create({ id: runId, jobId: job.id, jobName: job.name, trigger, startedAt: startedAt.toISOString() });
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    if (job.timeoutMinutes) {
      timer = setTimeout(() => controller.abort(new AppError('TIMEOUT', `The run took longer than the job's ${job.timeoutMinutes}-minute timeout and was stopped; nothing was kept.`)), job.timeoutMinutes * this.deps.minuteMs);
    }
    const finished = this.#execute(runId, job.id, startedAt, controller).finally(() => {
      clearTimeout(timer);
      this.#active.delete(job.id);
    });
    this.#active.set(job.id, { runId, controller, finished });
    return { runId, finished };
  }

  cancel(runId: string): RunDto {
    const active = [...this.#active.values()].find((a) => a.runId === runId);
    if (!active) {
      const run = this.deps.runs.get(runId);
      throw new AppError('VALIDATION_FAILED', `Run ${runId} is not running (it ${run.status}).`);
    }
    active.controller.abort(new AppError('CANCELLED', 'The run was cancelled; nothing was kept.'));
    return this.deps.runs.get(runId);
  }

  /** For tests and the CLI: cancel with a given reason (e.g. a timeout in milliseconds). */
  abort(runId: string, reason: AppError): void {
    [...this.#active.values()].find((a) => a.runId === runId)?.controller.abort(reason);
  }

  activeRuns(): string[] {
    return [...this.#active.values()].map((a) => a.runId);
  }

  async #execute(runId: string, jobId: string, startedAt: Date, controller: AbortController): Promise<RunDto> {
    const { deps } = this;
    const job = deps.jobs.get(jobId);
    const log: RunDto['log'] = [];
    const note = (level: 'info' | 'warn' | 'error', message: string): void => {
      log.push({ time: deps.now().toISOString(), level, message });
    };
    const stageMs: Partial<Record<RunStage, number>> = {};
    const tempDir = mkdtempSync(path.join(deps.tempRoot, 'run-'));
    let objects: RunObjectDto[] = [];
    let error: RunDto['error'] = null;
    let manifests: Record<string, string> = {};
    try {
      note('info', `Run started for job "${job.name}".`);
      const plan = await planBackup(deps, job, {
        id: runId,
        startedAt,
        appVersion: deps.appVersion,
        sourceContext: { tempDir, env: deps.toolEnv, toolPaths: deps.settings.get().toolPaths },
        keyTaken: (key) => deps.runs.keyTaken(key),
      });
      note('info', `Backing up ${plan.objects.map((o) => o.label).join(', ')} to ${plan.destinations.map((d) => d.dto.name).join(', ')}.`);
      const objectCount = plan.objects.length;
      if (controller.signal.aborted) throw controller.signal.reason;
      const outcome = await runPlanInWorker(plan, {
        signal: controller.signal,
        onProgress: (p) => deps.events.emit('runs:progress', { runId, jobName: job.name, objectCount, ...p } satisfies RunProgressDto),
        onHostKeyPinned: (destinationId, fingerprint) => {
          deps.destinations.pinHostKey(destinationId, fingerprint);
          note('info', `Pinned the SSH host key ${fingerprint} of destination ${deps.destinations.get(destinationId).name} on first use.`);
        },
        onSourceHostKeyPinned: (fingerprint) => {
          deps.sources.pinHostKey(job.sourceId, fingerprint);
          note('info', `Pinned the SSH host key ${fingerprint} of source ${job.sourceName} on first use.`);
        },
        onStageTime: (stage, ms) => {
          stageMs[stage] = (stageMs[stage] ?? 0) + ms;
        },
        log: withFields(deps.log, { runId }),
      });
      objects = outcome.objects;
      manifests = outcome.manifests;
      if (outcome.error) {
        error = { stage: outcome.error.stage, code: outcome.error.code, message: outcome.error.message, ...(outcome.error.destination ? { destination: outcome.error.destination } : {}) };
      }
    } catch (e) {
      const app = e instanceof AppError ? e : new AppError('RUN_FAILED', e instanceof Error ? e.message : String(e));
      error = { stage: 'plan', code: app.code, message: app.message };
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }
    const status = error === null ? 'succeeded' : error.code === 'CANCELLED' ? 'cancelled' : 'failed';
    if (error) note('error', `Stage ${error.stage} failed${error.destination ? ` on destination ${error.destination}` : ''}: ${error.message}`);
    else note('info', `Stored ${objects.length} object(s) on every destination.`);
    const backups = objects
      .filter((o) => o.status === 'succeeded')
      .flatMap((o) =>
        o.destinations.map((d) => ({ id: newRunId(), jobId: job.id, destinationId: d.destinationId, key: o.key, database: o.database, size: o.size, sha256: o.sha256!, manifest: manifests[o.key] ?? '{}' })),
      );
    const final = deps.runs.finish(runId, { status, finishedAt: deps.now().toISOString(), detail: { stageMs, objects, error, log }, backups });
    deps.events.emit('runs:finished', final);
    if (error) deps.log.warn('run failed', { runId, job: job.name, stage: error.stage, code: error.code });
    return final;
  }
}
