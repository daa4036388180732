import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackupPlan, PipelineHooks } from './backup-pipeline';
import { RAW_FDS_UNTRACKED } from '../sources/dump-pipe';
import { sourceWorkerBundle } from './worker-bundle';
import type { FromWorker, StageErrorData, ToWorker } from './worker-protocol';
import type { RunObjectDto } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';

/**
 * Where the worker's code is: beside this module in a build (the bundler emits
 * pipeline-worker.js); run from the TypeScript sources (CLI, serve, tests), a bundle of them
 * (see sourceWorkerBundle), or the sources themselves through tsx if that cannot be built.
 */
async function workerSpec(): Promise<{ url: URL; execArgv: string[] }> {
  if (import.meta.url.endsWith('.ts')) {
    const source = new URL('./worker.ts', import.meta.url);
    const bundle = await sourceWorkerBundle(source);
    if (bundle) return { url: bundle, execArgv: [] };
    const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    return { url: source, execArgv: ['--import', pathToFileURL(path.join(tsxDir, 'dist/loader.mjs')).href] };
  }
  return { url: new URL('./pipeline-worker.js', import.meta.url), execArgv: [] };
}

export interface WorkerOutcome {
  objects: RunObjectDto[];
  error: StageErrorData | null;
  manifests: Record<string, string>;
}

/** Runs a backup plan in a worker thread; the hooks are called on this (the host's) thread. */
export async function runPlanInWorker(plan: BackupPlan, hooks: PipelineHooks): Promise<WorkerOutcome> {
  const spec = await workerSpec();
  // trackUnmanagedFds off: a dump tool's FIFO (dump-pipe.ts) is opened with fs.openSync and then
  // closed by the socket that reads it, not by fs.close, so a tracking worker would close that
  // fd number again when it exits, whatever it then belongs to (seen: another thread's epoll fd,
  // and the process aborted). The pipeline's other files are FileHandles and streams that close
  // themselves.
  const worker = new Worker(spec.url, { execArgv: spec.execArgv, trackUnmanagedFds: false, workerData: { [RAW_FDS_UNTRACKED]: true } });
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
      else if (message.type === 'log') hooks.log?.[message.level](message.message, message.fields);
      else finish({ objects: message.objects, error: message.error, manifests: message.manifests });
    });
    worker.on('error', (error) => finish({ objects: [], manifests: {}, error: { stage: 'plan', code: 'INTERNAL', message: `The backup worker crashed: ${error.message}` } }));
    worker.on('exit', (code) => finish({ objects: [], manifests: {}, error: { stage: 'plan', code: 'INTERNAL', message: `The backup worker exited unexpectedly (code ${code}).` } }));
    worker.postMessage({ type: 'start', plan } satisfies ToWorker);
    if (hooks.signal.aborted) onAbort();
  });
}
