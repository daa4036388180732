import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';

/** Host, port and user of a server source, or VALIDATION_FAILED naming what is missing. */
export function serverTarget(dto: SourceDto, defaultPort: number): { host: string; port: number; user: string } {
  if (!dto.host || !dto.user) throw new AppError('VALIDATION_FAILED', `Source ${dto.name} needs a host and a user.`, { sourceId: dto.id });
  return { host: dto.host, port: dto.port ?? defaultPort, user: dto.user };
}

/** CANCELLED right away when the caller gave up before anything started. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AppError('CANCELLED', `${what} was cancelled before it started.`);
}
