import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { DestinationDto, SourceDto } from '../../../shared/domain/dto';
import type { RunStage } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';

/** An AppError that also says which stage (and destination) failed. */
export class StageError extends AppError {
  constructor(
    readonly stage: RunStage,
    cause: AppError,
    readonly destination?: string,
  ) {
    super(cause.code, cause.message, { ...cause.details, stage, ...(destination ? { destination } : {}) });
  }
}

export function stageError(stage: RunStage, error: unknown, destination?: string): StageError {
  if (error instanceof StageError) return error;
  const app = error instanceof AppError ? error : new AppError('RUN_FAILED', error instanceof Error ? error.message : String(error));
  return new StageError(stage, app, destination);
}

/** Counts and hashes the bytes going by. */
export class Meter extends Transform {
  bytes = 0;
  readonly #hash = createHash('sha256');
  constructor(private readonly onBytes: (n: number) => void, private readonly hash: boolean) {
    super({ highWaterMark: 1024 * 1024 });
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.hash) this.#hash.update(chunk);
    this.onBytes(this.bytes);
    cb(null, chunk);
  }
  digest(): string {
    return this.#hash.digest('hex');
  }
}

export function interrupted(signal: AbortSignal): StageError {
  const reason: unknown = signal.reason;
  if (reason instanceof AppError) return stageError('dump', reason);
  return stageError('dump', new AppError('CANCELLED', 'The run was cancelled; nothing was kept.'));
}

export function toolName(source: SourceDto, kind: 'database' | 'globals'): string {
  if (source.engine === 'postgres') return kind === 'globals' ? 'pg_dumpall' : 'pg_dump';
  if (source.engine === 'mysql') return 'mariadb-dump';
  return 'sqlite-online-backup';
}

/** A human-readable place for the run record: the path, s3:// or sftp:// URL of the object. */
export function locationOf(dto: DestinationDto, key: string): string {
  const c = dto.config;
  if (c.kind === 'local') return `${c.path.replace(/\/+$/, '')}/${key}`;
  if (c.kind === 's3') return `s3://${c.bucket}/${c.prefix ? `${c.prefix}/` : ''}${key}`;
  return `sftp://${c.user}@${c.host}:${c.port}${c.path.startsWith('/') ? '' : '/'}${c.path.replace(/\/+$/, '')}/${key}`;
}
