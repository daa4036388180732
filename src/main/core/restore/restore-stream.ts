import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline, Transform, type Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { DestinationDto, SourceDto } from '../../../shared/domain/dto';
import type { TableCountDto } from '../../../shared/domain/restores';
import { AppError } from '../../../shared/ipc/result';
import { createDestinationDriver } from '../destinations/destination';
import { fsAppError } from '../files/fs-errors';
import type { Logger } from '../logger';
import type { BackupManifest } from '../pipeline/manifest';
import { MysqlDumpRowCounter } from '../sources/mysql-dump-rows';
import { PgArchiveRowCounter } from '../sources/pg-archive-rows';
import { createSourceDriver, type DumpFormat, type SourceContext } from '../sources/source-driver';
import { openBackupPlaintext, type BackupKeys } from './backup-plaintext';

/**
 * What goes into the engine's tool.
 * - restore: the dump streamed into `database` (for SQLite, the target file's path); into a database
 *   it creates, by `loaders` tools at once: pg_restore for PostgreSQL's custom format where it can be
 *   split, mariadb/mysql clients for MySQL/MariaDB.
 * - restoreFile: the same with `jobs` loaders; a dump that cannot be split is decrypted to `file`
 *   (private, in the restore's temp folder) for `pg_restore --jobs`.
 * - globals: PostgreSQL roles, replayed with psql.
 */
export type RestoreStreamOp =
  | { op: 'restore'; database: string; format: DumpFormat; createDatabase: boolean; tablespace?: string | null; loaders?: number; keepOwners?: boolean }
  | { op: 'restoreFile'; database: string; format: DumpFormat; createDatabase: boolean; tablespace?: string | null; jobs: number; file: string; keepOwners?: boolean }
  | { op: 'globals' };

/** One database of a restore or drill, as the pipeline worker gets it: everything crosses by postMessage, secrets included. */
export interface RestoreStreamJob {
  destination: { dto: DestinationDto; secrets: Record<string, string> };
  source: { dto: SourceDto; secrets: Record<string, string> };
  /** The source driver's context, less what cannot cross to a worker (the logger, the pin callback). */
  sourceContext: Pick<SourceContext, 'tempDir' | 'env' | 'toolPaths'>;
  manifest: BackupManifest;
  keys: BackupKeys;
  operation: RestoreStreamOp;
}

export interface RestoreStreamHooks {
  signal: AbortSignal;
  /** The stored bytes read so far. */
  onBytes: (bytesRead: number) => void;
  onDestinationHostKeyPinned: (fingerprint: string) => void;
  onSourceHostKeyPinned: (fingerprint: string) => void;
  /** A note for the restore's record, from the source driver (SourceContext.onNote). */
  onNote: (text: string) => void;
  /** SourceContext.onCreatedNotDropped. */
  onCreatedNotDropped?: (database: string, reason: string) => void;
  /** SourceContext.onCreatingDatabase. */
  onCreatingDatabase?: (database: string) => void;
  log?: Logger;
}

/**
 * What a streamed database loaded: every table the dump loads with its rows, counted from a
 * PostgreSQL custom-format archive's COPY data (pg-archive-rows.ts) or a mariadb-dump's INSERT lines
 * (mysql-dump-rows.ts), which the host checks against the restored database's tables before it takes
 * them for a count; null when the dump's rows were not counted.
 */
export type LoadedRows = TableCountDto[] | null;

/**
 * The byte stream of one restored database: the stored object from its destination, through the
 * manifest check, age and the decompressor, into the source driver's restore. The worker opens
 * both drivers itself; the host keeps everything else (the records, the counts, the swap).
 */
export async function runRestoreStream(job: RestoreStreamJob, hooks: RestoreStreamHooks): Promise<LoadedRows> {
  const { signal, log } = hooks;
  const { tempDir } = job.sourceContext;
  const destination = createDestinationDriver(job.destination.dto, job.destination.secrets, { log, onHostKeyPinned: hooks.onDestinationHostKeyPinned });
  const source = createSourceDriver(job.source.dto, job.source.secrets, { ...job.sourceContext, log, onHostKeyPinned: hooks.onSourceHostKeyPinned, onNote: hooks.onNote, onCreatedNotDropped: hooks.onCreatedNotDropped, onCreatingDatabase: hooks.onCreatingDatabase });
  const op = job.operation;
  // A dump's rows are counted on their way to the restore tool: the host need not read every table back.
  const rows = op.op === 'globals' ? null : rowCounter(job.source.dto.engine, op.format);
  const plaintext = async (): Promise<Readable> => {
    const stream = await openBackupPlaintext(destination, job.manifest, job.keys, { signal, tempDir, onBytes: hooks.onBytes });
    return rows ? observed(stream, (chunk) => rows.feed(chunk)) : stream;
  };
  // A database the restore creates gets the backup's encoding and locale (PostgreSQL) or default character set (MySQL/MariaDB); older manifests have none.
  const locale = job.manifest.source.locale ?? null;
  const charset = job.manifest.source.charset ?? null;
  try {
    if (op.op === 'globals') {
      if (!source.restoreGlobals) throw new AppError('VALIDATION_FAILED', `Source "${job.source.dto.name}" has no roles to restore.`);
      await source.restoreGlobals(await plaintext(), signal);
      return null;
    }
    const into = { database: op.database, format: op.format, createDatabase: op.createDatabase, tablespace: op.tablespace ?? null, locale, charset, signal, keepOwners: op.keepOwners === true };
    if (op.op === 'restoreFile' && source.restoreFile) {
      const restoreFile = source.restoreFile.bind(source);
      // pg_restore --jobs seeks in its input: a dump that cannot be loaded in parts is decrypted to a private file first.
      const viaFile = async (dump: Readable): Promise<void> => {
        try {
          await pipelineAsync(dump, createWriteStream(op.file, { mode: 0o600, flags: 'wx' }), { signal });
          // The database is made already: restore() drops it if this fails.
          await restoreFile(op.file, { ...into, createDatabase: false, jobs: op.jobs });
        } catch (error) {
          if (!(error instanceof AppError) && !signal.aborted) throw fsAppError(error, 'RESTORE_FAILED', `Could not write the decrypted dump for a parallel restore in ${tempDir}`, { path: tempDir });
          throw error;
        } finally {
          await rm(op.file, { force: true });
        }
      };
      await source.restore(await plaintext(), { ...into, loaders: op.jobs, unsplit: viaFile });
    } else {
      await source.restore(await plaintext(), { ...into, loaders: op.op === 'restore' ? op.loaders : undefined });
    }
    // The tool has exited 0: what the dump loaded is in the tables.
    return rows?.finish() ?? null;
  } finally {
    await Promise.allSettled([destination.close(), source.close()]);
  }
}

function rowCounter(engine: SourceDto['engine'], format: DumpFormat): { feed: (chunk: Buffer) => void; finish: () => LoadedRows } | null {
  if (engine === 'postgres') return format === 'custom' ? new PgArchiveRowCounter() : null;
  return engine === 'mysql' ? new MysqlDumpRowCounter() : null;
}

/** The plaintext, each chunk seen by `see` on its way; an error or a cancel upstream still reaches the reader. */
function observed(plaintext: Readable, see: (chunk: Buffer) => void): Readable {
  const tap = new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _encoding, callback) {
      see(chunk);
      callback(null, chunk);
    },
  });
  pipeline(plaintext, tap, () => undefined);
  return tap;
}
