import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackupPlan, PipelineHooks } from './backup-pipeline';
import { RAW_FDS_UNTRACKED } from '../sources/dump-pipe';
import type { FromWorker, StageErrorData, ToWorker } from './worker-protocol';
import type { RunObjectDto, RunStage } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';

/**
 * The worker is always the built file: beside this module in a build (out/main), and the
 * build's own out/main/pipeline-worker.js when this module runs from the TypeScript sources
 * (vitest, whose global setup builds first, and the bench's host).
 */
function workerFile(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../../../out/main/pipeline-worker.js', import.meta.url) : new URL('./pipeline-worker.js', import.meta.url);
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
}

/** Runs a backup plan in a worker thread; the hooks are called on this (the host's) thread. */
export async function runPlanInWorker(plan: BackupPlan, hooks: WorkerHooks): Promise<WorkerOutcome> {
  const file = workerFile();
  if (!existsSync(file)) {
    return { objects: [], manifests: {}, abandoned: false, error: { stage: 'plan', code: 'INTERNAL', message: `The backup worker is not built (${fileURLToPath(file)} is missing): run npm run build.` } };
  }
  // trackUnmanagedFds off: a dump tool's FIFO (dump-pipe.ts) is opened with fs.openSync and then
  // closed by the socket that reads it, not by fs.close, so a tracking worker would close that
  // fd number again when it exits, whatever it then belongs to (seen: another thread's epoll fd,
  // and the process aborted). The pipeline's other files are FileHandles and streams that close
  // themselves.
  const worker = new Worker(file, { trackUnmanagedFds: false, workerData: { [RAW_FDS_UNTRACKED]: true } });
  const children = new Set<number>();
  let stage: RunStage = 'plan';
  return new Promise((resolve) => {
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (value: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(graceTimer);
      hooks.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(value);
    };
    const abandon = (error: StageErrorData): void => {
      // A worker stopped outright leaves its children running: they must not go on writing.
      for (const pid of children) killQuietly(pid);
      finish({ objects: [], manifests: {}, error, abandoned: true });
    };
    const onAbort = (): void => {
      const reason: unknown = hooks.signal.reason;
      const code = reason instanceof AppError && reason.code === 'TIMEOUT' ? 'TIMEOUT' : 'CANCELLED';
      const message = reason instanceof AppError ? reason.message : 'The run was cancelled; nothing was kept.';
      worker.postMessage({ type: 'cancel', code, message } satisfies ToWorker);
      graceTimer = setTimeout(() => abandon({ stage, code, message }), hooks.cancelGraceMs);
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'progress') {
        stage = message.progress.stage;
        hooks.onProgress?.(message.progress);
      } else if (message.type === 'pinned') hooks.onHostKeyPinned?.(message.destinationId, message.fingerprint);
      else if (message.type === 'source-pinned') hooks.onSourceHostKeyPinned?.(message.fingerprint);
      else if (message.type === 'stage-time') hooks.onStageTime?.(message.stage, message.ms);
      else if (message.type === 'child') {
        if (message.exited) children.delete(message.pid);
        else children.add(message.pid);
      } else if (message.type === 'upload-started') {
        const ack = (): void => worker.postMessage({ type: 'ack', seq: message.seq } satisfies ToWorker);
        void (hooks.onUploadStarted?.(message.destinationId, message.key, message.uploadId) ?? Promise.resolve()).then(ack, ack);
      } else if (message.type === 'log') hooks.log?.[message.level](message.message, message.fields);
      else finish({ objects: message.objects, error: message.error, manifests: message.manifests, abandoned: false });
    });
    worker.on('error', (error) => abandon({ stage: 'plan', code: 'INTERNAL', message: `The backup worker crashed: ${error.message}` }));
    worker.on('exit', (code) => abandon({ stage: 'plan', code: 'INTERNAL', message: `The backup worker exited unexpectedly (code ${code}).` }));
    worker.postMessage({ type: 'start', plan } satisfies ToWorker);
    if (hooks.signal.aborted) onAbort();
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
