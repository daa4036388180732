import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackupPlan, PipelineHooks } from './backup-pipeline';
import { RAW_FDS_UNTRACKED } from '../sources/dump-pipe';
import type { FromWorker, StageErrorData, ToWorker } from './worker-protocol';
import type { RunObjectDto } from '../../../shared/domain/runs';
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
}

/** Runs a backup plan in a worker thread; the hooks are called on this (the host's) thread. */
export async function runPlanInWorker(plan: BackupPlan, hooks: PipelineHooks): Promise<WorkerOutcome> {
  const file = workerFile();
  if (!existsSync(file)) {
    return { objects: [], manifests: {}, error: { stage: 'plan', code: 'INTERNAL', message: `The backup worker is not built (${fileURLToPath(file)} is missing): run \`npm run build\`.` } };
  }
  // trackUnmanagedFds off: a dump tool's FIFO (dump-pipe.ts) is opened with fs.openSync and then
  // closed by the socket that reads it, not by fs.close, so a tracking worker would close that
  // fd number again when it exits, whatever it then belongs to (seen: another thread's epoll fd,
  // and the process aborted). The pipeline's other files are FileHandles and streams that close
  // themselves.
  const worker = new Worker(file, { trackUnmanagedFds: false, workerData: { [RAW_FDS_UNTRACKED]: true } });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      hooks.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(value);
    };
    const onAbort = (): void => {
      const reason: unknown = hooks.signal.reason;
      const code = reason instanceof AppError && reason.code === 'TIMEOUT' ? 'TIMEOUT' : 'CANCELLED';
      const message = reason instanceof AppError ? reason.message : 'The run was cancelled; nothing was kept.';
      worker.postMessage({ type: 'cancel', code, message } satisfies ToWorker);
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'progress') hooks.onProgress?.(message.progress);
      else if (message.type === 'pinned') hooks.onHostKeyPinned?.(message.destinationId, message.fingerprint);
      else if (message.type === 'source-pinned') hooks.onSourceHostKeyPinned?.(message.fingerprint);
      else if (message.type === 'stage-time') hooks.onStageTime?.(message.stage, message.ms);
      else finish({ objects: message.objects, error: message.error, manifests: message.manifests });
    });
    worker.on('error', (error) => finish({ objects: [], manifests: {}, error: { stage: 'plan', code: 'INTERNAL', message: `The backup worker crashed: ${error.message}` } }));
    worker.on('exit', (code) => finish({ objects: [], manifests: {}, error: { stage: 'plan', code: 'INTERNAL', message: `The backup worker exited unexpectedly (code ${code}).` } }));
    worker.postMessage({ type: 'start', plan } satisfies ToWorker);
    if (hooks.signal.aborted) onAbort();
  });
}
