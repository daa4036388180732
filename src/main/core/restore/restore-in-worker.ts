import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import { runInWorker, type SpareWorker } from '../pipeline/worker-client';
import type { LoadedRows, RestoreStreamJob } from './restore-stream';

export interface RestoreWorkerHooks {
  signal: AbortSignal;
  cancelGraceMs: number;
  /** The built worker; the one beside the core when absent. */
  workerFile?: URL;
  /** A worker started ahead for this database; a fresh one is started when absent. */
  spare?: SpareWorker;
  onBytes: (bytesRead: number) => void;
  onDestinationHostKeyPinned: (fingerprint: string) => void;
  onSourceHostKeyPinned: (fingerprint: string) => void;
  onNote: (text: string) => void;
  /** The driver could not drop the database it created for this failed restore. */
  onCreatedNotDropped?: (database: string, reason: string) => void;
  /** The driver is about to create this database: sent before the statement, so a worker that ended without it made none. */
  onCreatingDatabase?: (database: string) => void;
  log: Logger;
}

/**
 * runRestoreStream in the pipeline worker: resolves, with the rows the dump loaded when they were
 * counted, when the tool has exited 0; throws the AppError the worker ended with (its code, message
 * and details as they were there).
 *
 * One worker per database, not one per restore: each stream stays the one-job worker backups use,
 * started, cancelled or abandoned alone, with nothing kept between databases to go stale. Its
 * start-up (loading the drivers, see README Performance) is hidden rather than shared: the
 * restore service starts each database's worker ahead (`spare`), the first while it checks the
 * backup and the target, the next while the previous database streams.
 */
export async function restoreInWorker(job: RestoreStreamJob, hooks: RestoreWorkerHooks): Promise<LoadedRows> {
  const outcome = await runInWorker<AppError | { loaded: LoadedRows }>(
    { kind: 'restore', job },
    {
      signal: hooks.signal,
      cancelGraceMs: hooks.cancelGraceMs,
      file: hooks.workerFile,
      spare: hooks.spare,
      role: 'restore',
      cancelMessage: 'The restore was cancelled.',
      log: hooks.log,
      onMessage: (message) => {
        if (message.type === 'bytes') hooks.onBytes(message.bytesRead);
        else if (message.type === 'pinned') hooks.onDestinationHostKeyPinned(message.fingerprint);
        else if (message.type === 'source-pinned') hooks.onSourceHostKeyPinned(message.fingerprint);
        else if (message.type === 'note') hooks.onNote(message.text);
        else if (message.type === 'created-not-dropped') hooks.onCreatedNotDropped?.(message.database, message.reason);
        else if (message.type === 'creating') hooks.onCreatingDatabase?.(message.database);
        else if (message.type === 'finished') {
          const { result } = message;
          if (!result.ok) return { outcome: AppError.fromPayload(result.error) };
          return { outcome: result.data.kind === 'restored' ? { loaded: result.data.loaded } : new AppError('INTERNAL', 'The worker answered a restore with a decryption.') };
        }
        return undefined;
      },
      failed: ({ cause, code, message }) => new AppError(code, message, cause === 'not-built' ? undefined : { workerAbandoned: cause }),
    },
  );
  if (outcome instanceof AppError) throw outcome;
  return outcome.loaded;
}

/**
 * The worker was stopped (or crashed) before it could clean up: a database its driver created
 * for the restore (createDatabase) may still be there, and only the host can drop it now.
 */
export function workerAbandoned(error: unknown): boolean {
  return error instanceof AppError && typeof error.details?.workerAbandoned === 'string';
}
