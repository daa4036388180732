import type { RunObjectDto, RunStage } from '../../../shared/domain/runs';
import type { ErrorCode } from '../../../shared/ipc/result';
import type { BackupPlan, PipelineProgress } from './backup-pipeline';

export interface StageErrorData {
  stage: RunStage;
  code: ErrorCode;
  message: string;
  destination?: string;
}

export type ToWorker = { type: 'start'; plan: BackupPlan } | { type: 'cancel'; code: 'CANCELLED' | 'TIMEOUT'; message: string };

export type FromWorker =
  | { type: 'progress'; progress: PipelineProgress }
  | { type: 'pinned'; destinationId: string; fingerprint: string }
  | { type: 'source-pinned'; fingerprint: string }
  | { type: 'stage-time'; stage: RunStage; ms: number }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields: Record<string, unknown> }
  | { type: 'done'; objects: RunObjectDto[]; error: StageErrorData | null; manifests: Record<string, string> };
