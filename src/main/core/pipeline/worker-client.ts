import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { BackupPlan, PipelineHooks } from './backup-pipeline';
import { knownWrappers, probeWrappers, type WrapperAnswers } from './bound-child';
import type { FromWorker, StageErrorData, ToWorker, WorkerJob } from './worker-protocol';
import type { RunObjectDto, RunStage } from '../../../shared/domain/runs';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';
import type { Logger } from '../logger';

/**
 * The worker is always the built file: beside this module in a build (out/main), and the
 * build's own out/main/pipeline-worker.js when this module runs from the TypeScript sources
 * (vitest, whose global setup builds first, and the bench's host).
 */
export function pipelineWorkerFile(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../../../out/main/pipeline-worker.js', import.meta.url) : new URL('./pipeline-worker.js', import.meta.url);
}

/** Why a worker ended without saying so itself; every cause but `not-built` may have left its work half done. */
export interface WorkerFailure {
  cause: 'not-built' | 'crashed' | 'exited' | 'cancel-timeout';
  code: ErrorCode;
  message: string;
}

export interface WorkerSession<T> {
  signal: AbortSignal;
  /** How long a cancelled worker gets to stop and clean up before it is stopped outright. */
  cancelGraceMs: number;
  /** The built worker; pipelineWorkerFile() when absent. */
  file?: URL;
  /** What the worker does, in its failures' words: "The backup worker crashed". */
  role: string;
  /** What a cancel says when the signal's reason is not an AppError. */
  cancelMessage: string;
  log?: Logger;
  /** A message of this kind of job; returns its outcome when the message is its last. `post` answers the worker. */
  onMessage(message: FromWorker, post: (message: ToWorker) => void): { outcome: T } | undefined;
  /** The outcome of a worker that is not built, crashed, exited, or did not stop within the grace period of a cancel. */
  failed(failure: WorkerFailure): T;
  /** A worker started ahead for this job (its modules loaded while the host did other work); a fresh one when absent or gone. */
  spare?: SpareWorker;
}

/**
 * A pipeline worker's heap holds little (about 10 MiB), but the Buffers it streams are many: V8
 * counts the ArrayBuffer bytes allocated since its last full collection toward the old generation's
 * limit, which a small heap keeps low, so a worker streaming a backup ran a full collection every few
 * tens of MiB, on the CPU the dump tool and the server need. A larger initial old space raises that
 * limit; the Buffers, short-lived, still go with the young generation's collections. V8 reads the
 * flag when it creates an isolate: set before the first worker starts, it sizes the workers' heaps,
 * not the host's own, which already exists. Figures: README, Performance.
 */
const WORKER_INITIAL_OLD_SPACE_MIB = 64;
let workerHeapSized = false;

function sizeWorkerHeaps(): void {
  if (workerHeapSized) return;
  setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MIB}`);
  workerHeapSized = true;
}

function spawnPipelineWorker(file: URL): Worker {
  sizeWorkerHeaps();
  return new Worker(file);
}

/** The worker SpareWorker.prewarm started, until a start() takes it. */
let prewarmed: { file: string; spare: SpareWorker } | null = null;

/**
 * A pipeline worker started before its job is known: starting one loads the drivers' modules
 * (a fifth of a second or so), which then overlaps what the host does meanwhile (checking a
 * restore's target, the previous database's stream). Taken once, by runInWorker; one never taken
 * is stopped by dispose. A spare that died while it waited is not handed out.
 */
export class SpareWorker {
  #worker: Worker | null;
  readonly #onGone = (): void => {
    this.#worker = null;
  };

  private constructor(worker: Worker | null) {
    this.#worker = worker;
    worker?.once('error', this.#onGone).once('exit', this.#onGone);
  }

  /**
   * A spare of the built worker; an empty one (take gives null) when it is not built, for
   * runInWorker to say so. The one prewarm() started for this file, if there is one.
   */
  static start(file: URL = pipelineWorkerFile()): SpareWorker {
    if (prewarmed?.file === file.href) {
      const { spare } = prewarmed;
      prewarmed = null;
      return spare;
    }
    const spare = new SpareWorker(existsSync(file) ? spawnPipelineWorker(file) : null);
    // Asked on this thread while the worker loads (see runInWorker).
    void probeWrappers();
    return spare;
  }

  /**
   * Starts a pipeline worker for a job this process is about to run (`vaultdesk backup run`,
   * `vaultdesk restore`), before the core is open: its start (Node's bootstrap of the thread and
   * the worker's modules, a tenth of a second or more) then overlaps the host's own instead of
   * following the run's start, where the dump tool waited for it. The next start() for the same
   * file takes it. It does not keep the process alive: a command that fails before its run (an
   * unknown job) exits as it would without it.
   */
  static prewarm(file: URL = pipelineWorkerFile()): void {
    if (prewarmed || !existsSync(file)) return;
    const worker = spawnPipelineWorker(file);
    worker.unref();
    prewarmed = { file: file.href, spare: new SpareWorker(worker) };
    void probeWrappers();
  }

  take(): Worker | null {
    const worker = this.#worker;
    this.#worker = null;
    worker?.off('error', this.#onGone).off('exit', this.#onGone);
    // A prewarmed worker did not hold the process open while it waited; one at work does.
    worker?.ref();
    return worker;
  }

  dispose(): void {
    void this.take()?.terminate();
  }
}

/** How long a job waits for the host's answers on the wrappers (see runInWorker) before it goes without them. */
const WRAPPERS_WAIT_MS = 500;

function withWrappers(): { wrappers?: WrapperAnswers } {
  const wrappers = knownWrappers();
  return wrappers ? { wrappers } : {};
}

/** How long a worker past its cancel's grace period gets to reap the tools the host killed (see runInWorker's abandon). */
const REAP_WAIT_MS = 1_000;

/**
 * Runs one job in a fresh worker thread; the session's callbacks run on this (the host's) thread.
 * A cancel asks the worker to stop; one that does not within the grace period is stopped
 * outright, and the tools it started (which a terminated worker leaves running) are killed, the
 * worker given a moment to reap them first.
 */
export async function runInWorker<T>(job: WorkerJob, session: WorkerSession<T>): Promise<T> {
  const file = session.file ?? pipelineWorkerFile();
  if (!existsSync(file)) {
    session.spare?.dispose();
    return session.failed({ cause: 'not-built', code: 'INTERNAL', message: `The ${session.role} worker is not built (${fileURLToPath(file)} is missing): run npm run build.` });
  }
  const worker = session.spare?.take() ?? spawnPipelineWorker(file);
  const children = new Set<number>();
  const post = (message: ToWorker): void => worker.postMessage(message);
  const { signal } = session;
  return new Promise((resolve) => {
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let reapTimer: NodeJS.Timeout | undefined;
    /** Set while a worker past its cancel's grace period is given a moment to reap the tools just killed. */
    let reaped: (() => void) | null = null;
    const finish = (value: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(graceTimer);
      clearTimeout(reapTimer);
      reaped = null;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(value);
    };
    const abandon = (failure: WorkerFailure): void => {
      // A worker stopped outright leaves its children running: they must not go on writing.
      for (const pid of children) killQuietly(pid);
      if (settled) return;
      if (failure.cause === 'cancel-timeout' && children.size > 0) {
        // Only the worker's own event loop can reap the tools it started (Node has no waitpid for
        // another thread's children): terminated now, it would leave each killed tool a zombie of
        // the host for as long as the host runs. A worker that is only slow still reaps them and
        // says so ('child', exited); one that is stuck is stopped after REAP_WAIT_MS all the same.
        reaped = () => finish(session.failed(failure));
        reapTimer = setTimeout(reaped, REAP_WAIT_MS);
        return;
      }
      finish(session.failed(failure));
    };
    const onAbort = (): void => {
      const reason: unknown = signal.reason;
      const code = reason instanceof AppError && reason.code === 'TIMEOUT' ? 'TIMEOUT' : 'CANCELLED';
      const message = reason instanceof AppError ? reason.message : session.cancelMessage;
      post({ type: 'cancel', code, message });
      graceTimer = setTimeout(() => abandon({ cause: 'cancel-timeout', code, message }), session.cancelGraceMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'child') {
        if (message.exited) children.delete(message.pid);
        else children.add(message.pid);
        if (reaped && children.size === 0) reaped();
      } else if (message.type === 'log') session.log?.[message.level](message.message, message.fields);
      else {
        const end = session.onMessage(message, post);
        if (end) finish(end.outcome);
      }
    });
    worker.on('error', (error) => abandon({ cause: 'crashed', code: 'INTERNAL', message: `The ${session.role} worker crashed: ${error.message}` }));
    worker.on('exit', (code) => abandon({ cause: 'exited', code: 'INTERNAL', message: `The ${session.role} worker exited unexpectedly (code ${code}).` }));
    // The host's answers go with the job: the worker would otherwise probe them itself, on the
    // thread that is about to start the tool. Not waited for long: a worker without them probes.
    void Promise.race([probeWrappers(), new Promise((resolve) => setTimeout(resolve, WRAPPERS_WAIT_MS))]).then(() => {
      if (!settled) post({ type: 'start', job, ...withWrappers() });
    });
    if (signal.aborted) onAbort();
  });
}

export interface WorkerOutcome {
  objects: RunObjectDto[];
  error: StageErrorData | null;
  manifests: Record<string, string>;
  /**
   * The worker did not end on its own (it crashed, or did not stop within the grace period after
   * a cancel and was stopped outright): whatever it was writing may still be at the destinations.
   */
  abandoned: boolean;
}

export interface WorkerHooks extends PipelineHooks {
  /** How long a cancelled worker gets to stop and clean up before it is stopped outright. */
  cancelGraceMs: number;
  /** The built worker; pipelineWorkerFile() when absent. */
  workerFile?: URL;
  /** A worker started while the run was planned. */
  spare?: SpareWorker;
}

/** Runs a backup plan in a worker thread; the hooks are called on this (the host's) thread. */
export async function runPlanInWorker(plan: BackupPlan, hooks: WorkerHooks): Promise<WorkerOutcome> {
  let stage: RunStage = 'plan';
  return runInWorker<WorkerOutcome>(
    { kind: 'backup', plan },
    {
      signal: hooks.signal,
      cancelGraceMs: hooks.cancelGraceMs,
      file: hooks.workerFile,
      spare: hooks.spare,
      role: 'backup',
      cancelMessage: 'The run was cancelled; nothing was kept.',
      log: hooks.log,
      onMessage: (message, post) => {
        if (message.type === 'progress') {
          stage = message.progress.stage;
          hooks.onProgress?.(message.progress);
        } else if (message.type === 'pinned') hooks.onHostKeyPinned?.(message.destinationId, message.fingerprint);
        else if (message.type === 'source-pinned') hooks.onSourceHostKeyPinned?.(message.fingerprint);
        else if (message.type === 'stage-time') hooks.onStageTime?.(message.stage, message.ms);
        else if (message.type === 'note') hooks.onNote?.(message.text);
        else if (message.type === 'upload-started') {
          const ack = (): void => post({ type: 'ack', seq: message.seq });
          void (hooks.onUploadStarted?.(message.destinationId, message.key, message.uploadId) ?? Promise.resolve()).then(ack, ack);
        } else if (message.type === 'done') return { outcome: { objects: message.objects, error: message.error, manifests: message.manifests, abandoned: false } };
        return undefined;
      },
      // A worker stopped after a cancel was somewhere in its plan; one that crashed is reported at the plan.
      failed: ({ cause, code, message }) => ({ objects: [], manifests: {}, abandoned: cause !== 'not-built', error: { stage: cause === 'cancel-timeout' ? stage : 'plan', code, message } }),
    },
  );
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
