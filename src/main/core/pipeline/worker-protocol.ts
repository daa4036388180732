import type { RunObjectDto, RunStage } from '../../../shared/domain/runs';
import type { ErrorCode, Result } from '../../../shared/ipc/result';
import type { OfflineDecryptOutcome, OfflineDecryptRequest } from '../recovery/offline-decrypt';
import type { LoadedRows, RestoreStreamJob } from '../restore/restore-stream';
import type { BackupPlan, PipelineProgress } from './backup-pipeline';
import type { WrapperAnswers } from './bound-child';

export interface StageErrorData {
  stage: RunStage;
  code: ErrorCode;
  message: string;
  destination?: string;
}

/** `recovery:decrypt`'s stream: the request of decryptOffline, written to a file (a stream cannot cross to the worker). */
export type WorkerDecryptRequest = Omit<OfflineDecryptRequest, 'output' | 'onProgress' | 'signal'> & { output: { path: string } };

/**
 * What one worker does, from its start to its `done` (backup) or `finished` (the others): one
 * built file, out/main/pipeline-worker.js, runs all three.
 * - backup: a run's plan (dump, compress, encrypt, store).
 * - restore: one database of a restore or drill, from the stored object into the engine's tool.
 * - decrypt: `recovery:decrypt`, a backup file decrypted (and decompressed) to a file.
 */
export type WorkerJob = { kind: 'backup'; plan: BackupPlan } | { kind: 'restore'; job: RestoreStreamJob } | { kind: 'decrypt'; request: WorkerDecryptRequest };

export type ToWorker =
  /** `wrappers`: the host's answers (bound-child.ts), when it has them. */
  | { type: 'start'; job: WorkerJob; wrappers?: WrapperAnswers }
  | { type: 'cancel'; code: 'CANCELLED' | 'TIMEOUT'; message: string }
  /** The host recorded what an `upload-started` message reported. */
  | { type: 'ack'; seq: number };

export type FromWorker =
  | { type: 'progress'; progress: PipelineProgress }
  | { type: 'pinned'; destinationId: string; fingerprint: string }
  | { type: 'source-pinned'; fingerprint: string }
  | { type: 'stage-time'; stage: RunStage; ms: number }
  | { type: 'upload-started'; seq: number; destinationId: string; key: string; uploadId: string }
  | { type: 'child'; pid: number; exited: boolean }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields: Record<string, unknown> }
  | { type: 'done'; objects: RunObjectDto[]; error: StageErrorData | null; manifests: Record<string, string> }
  /** Something the source driver says a person should read: for a restore's record, or a backup run's log. */
  | { type: 'note'; text: string }
  /** Restore: the driver could not drop the database it created for the failed restore (SourceContext.onCreatedNotDropped). */
  | { type: 'created-not-dropped'; database: string; reason: string }
  /** Restore: the driver is about to create this database (SourceContext.onCreatingDatabase). */
  | { type: 'creating'; database: string }
  /** Restore and decrypt: the stored bytes read so far (the last count is always sent before `finished`). */
  | { type: 'bytes'; bytesRead: number }
  /** Restore and decrypt: the end; an error keeps the AppError's code, message and details. */
  | { type: 'finished'; result: Result<StreamJobOutcome> };

/** What a restore or decrypt job ends with, when it succeeds. */
export type StreamJobOutcome = { kind: 'restored'; loaded: LoadedRows } | { kind: 'decrypted'; outcome: OfflineDecryptOutcome };
