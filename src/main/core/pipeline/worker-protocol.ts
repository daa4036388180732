import type { RunObjectDto, RunStage } from '../../../shared/domain/runs';
import type { ErrorCode } from '../../../shared/ipc/result';
import type { BackupPlan, PipelineProgress } from './backup-pipeline';

export interface StageErrorData {
  stage: RunStage;
  code: ErrorCode;
  message: string;
  destination?: string;
}

export type ToWorker =
  | { type: 'start'; plan: BackupPlan }
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
  | { type: 'done'; objects: RunObjectDto[]; error: StageErrorData | null; manifests: Record<string, string> };
