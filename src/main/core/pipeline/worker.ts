// The pipeline's worker thread: a backup's dump, compression, encryption and hashing, a
// restore's stream into the engine's tool, and recovery:decrypt's decryption run here, so the
// host's event loop (the UI bridge, the scheduler) stays responsive while they do.
import { parentPort } from 'node:worker_threads';
import { AppError, type ErrorPayload, type Result } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import { runBackupPlan, type BackupPlan } from './backup-pipeline';
import { adoptWrappers } from './bound-child';
import { setChildListener } from './child-tracker';
import type { FromWorker, StreamJobOutcome, ToWorker, WorkerDecryptRequest } from './worker-protocol';
import type { RestoreStreamJob } from '../restore/restore-stream';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const controller = new AbortController();
const send = (message: FromWorker): void => port.postMessage(message);
const acks = new Map<number, () => void>();
let seq = 0;
setChildListener(({ pid, exited }) => send({ type: 'child', pid, exited }));
// Log fields cross to the host as JSON: whatever a driver passes must survive postMessage.
const forward =
  (level: 'debug' | 'info' | 'warn' | 'error') =>
  (message: string, fields?: Record<string, unknown>): void =>
    send({ type: 'log', level, message, fields: JSON.parse(JSON.stringify(fields ?? {})) as Record<string, unknown> });
const log: Logger = { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };

/** The host redraws at most four times a second (restore:progress); ten counts a second are plenty. */
const BYTES_EVERY_MS = 100;

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    controller.abort(new AppError(message.code, message.message));
    return;
  }
  if (message.type === 'ack') {
    acks.get(message.seq)?.();
    acks.delete(message.seq);
    return;
  }
  const { job } = message;
  if (message.wrappers) adoptWrappers(message.wrappers);
  if (job.kind === 'backup') {
    runBackup(job.plan);
    return;
  }
  const bytes = byteCounter();
  void runStreamJob(job.kind === 'restore' ? () => runRestore(job.job, bytes.count) : () => runDecrypt(job.request, bytes.count)).then((result) => {
    bytes.flush();
    send({ type: 'finished', result });
  });
});

/** A byte count a few times a second, not one message per chunk; flush sends the last count if it was held back. */
function byteCounter(): { count: (n: number) => void; flush: () => void } {
  let last = 0;
  let sent = 0;
  let at = 0;
  return {
    count: (n) => {
      last = n;
      const now = Date.now();
      if (now - at < BYTES_EVERY_MS) return;
      at = now;
      sent = n;
      send({ type: 'bytes', bytesRead: n });
    },
    flush: () => {
      if (last !== sent) send({ type: 'bytes', bytesRead: last });
    },
  };
}

function runBackup(plan: BackupPlan): void {
  void runBackupPlan(plan, {
    signal: controller.signal,
    onProgress: (progress) => send({ type: 'progress', progress }),
    onHostKeyPinned: (destinationId, fingerprint) => send({ type: 'pinned', destinationId, fingerprint }),
    onSourceHostKeyPinned: (fingerprint) => send({ type: 'source-pinned', fingerprint }),
    onStageTime: (stage, ms) => send({ type: 'stage-time', stage, ms }),
    onNote: (text) => send({ type: 'note', text }),
    log,
    onUploadStarted: (destinationId, key, uploadId) =>
      new Promise<void>((resolve) => {
        const id = ++seq;
        acks.set(id, resolve);
        send({ type: 'upload-started', seq: id, destinationId, key, uploadId });
      }),
  }).then(
    (outcome) =>
      send({
        type: 'done',
        objects: outcome.objects,
        manifests: outcome.manifests,
        error: outcome.error ? { stage: outcome.error.stage, code: outcome.error.code, message: outcome.error.message, ...(outcome.error.destination ? { destination: outcome.error.destination } : {}) } : null,
      }),
    (error: unknown) =>
      send({ type: 'done', objects: [], manifests: {}, error: { stage: 'plan', code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } }),
  );
}

/** The job's outcome as a value: an AppError crosses with its code, message and details; anything else is INTERNAL. */
async function runStreamJob(run: () => Promise<StreamJobOutcome>): Promise<Result<StreamJobOutcome>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: payloadOf(error) };
    if (controller.signal.aborted) return { ok: false, error: { code: 'CANCELLED', message: 'The restore was cancelled.' } };
    log.warn('a restore or decryption failed unexpectedly', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return { ok: false, error: { code: 'INTERNAL', message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

/** Details cross as JSON, like log fields: whatever a driver put there must survive postMessage. */
function payloadOf(error: AppError): ErrorPayload {
  const payload = error.toPayload();
  return payload.details === undefined ? payload : { ...payload, details: JSON.parse(JSON.stringify(payload.details)) as Record<string, unknown> };
}

// Loaded on first use: a backup's worker does not load the restore's and the recovery's modules.
async function runRestore(job: RestoreStreamJob, onBytes: (n: number) => void): Promise<StreamJobOutcome> {
  const { runRestoreStream } = await import('../restore/restore-stream');
  const loaded = await runRestoreStream(job, {
    signal: controller.signal,
    onBytes,
    onDestinationHostKeyPinned: (fingerprint) => send({ type: 'pinned', destinationId: job.destination.dto.id, fingerprint }),
    onSourceHostKeyPinned: (fingerprint) => send({ type: 'source-pinned', fingerprint }),
    onNote: (text) => send({ type: 'note', text }),
    onCreatedNotDropped: (database, reason) => send({ type: 'created-not-dropped', database, reason }),
    onCreatingDatabase: (database) => send({ type: 'creating', database }),
    log,
  });
  return { kind: 'restored', loaded };
}

async function runDecrypt(request: WorkerDecryptRequest, onProgress: (n: number) => void): Promise<StreamJobOutcome> {
  const { decryptOffline } = await import('../recovery/offline-decrypt');
  // A Buffer arrives as a plain Uint8Array: the key readers use Buffer's methods.
  const keyFiles = request.keyFiles.map((k) => ({ path: k.path, bytes: Buffer.from(k.bytes.buffer, k.bytes.byteOffset, k.bytes.byteLength) }));
  return { kind: 'decrypted', outcome: await decryptOffline({ ...request, keyFiles, onProgress, signal: controller.signal }) };
}
