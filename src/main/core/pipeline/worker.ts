// The pipeline's worker thread: the dump, compression, encryption and hashing run here so the
// host's event loop (the UI bridge, the scheduler) stays responsive during a backup.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import { runBackupPlan } from './backup-pipeline';
import { setChildListener } from './child-tracker';
import type { FromWorker, ToWorker } from './worker-protocol';

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
  void runBackupPlan(message.plan, {
    signal: controller.signal,
    onProgress: (progress) => send({ type: 'progress', progress }),
    onHostKeyPinned: (destinationId, fingerprint) => send({ type: 'pinned', destinationId, fingerprint }),
    onSourceHostKeyPinned: (fingerprint) => send({ type: 'source-pinned', fingerprint }),
    onStageTime: (stage, ms) => send({ type: 'stage-time', stage, ms }),
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
});
