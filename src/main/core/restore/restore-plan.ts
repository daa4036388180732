import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BackupDto } from '../../../shared/domain/backups';
import type { SourceDto } from '../../../shared/domain/dto';
import type { ParsedInput } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/ipc/result';
import { describeFsError } from '../files/fs-errors';
import type { BackupManifest } from '../pipeline/manifest';
import type { JobsRepository } from '../store/jobs-repository';
import type { SourcesRepository } from '../store/sources-repository';

/** One backup to bring back, and where. */
export interface RestoreItem {
  backup: BackupDto;
  manifest: BackupManifest;
  kind: 'database' | 'globals';
  fromDatabase: string;
  /** The database name, or the SQLite file, it goes to; for globals, the server. */
  target: string;
  /**
   * - `create`: the target does not exist: created, restored into, dropped again on failure;
   * - `swap`: the target exists: a scratch copy is restored beside it and swapped in at the end;
   * - `into`: the target exists and is empty, and no scratch copy can serve: restored into directly.
   *   PostgreSQL, for a user who may not create databases: in pg_restore's (or psql's) one
   *   transaction, which a failure rolls back. (A MySQL/MariaDB `swap` whose scratch copy the
   *   server refuses to create does the same: a failure drops what it made.)
   * - `file`: SQLite: a checked temporary file renamed over the target, the old one kept;
   * - `globals`: PostgreSQL roles, replayed with psql;
   * - `drill`: a scratch database (or file) that is dropped after the counts are compared.
   */
  mode: 'create' | 'swap' | 'into' | 'file' | 'globals' | 'drill';
  scratch: string | null;
  /** PostgreSQL, `swap`: the target's tablespace, where its scratch copy is made too; null: the server's default. */
  tablespace?: string | null;
  /** The target was there and empty before the restore: a MySQL/MariaDB user who may not create its scratch copy restores straight into it. */
  emptyTarget?: boolean;
  /** The target was there before the restore. */
  existed: boolean;
}

export type RestoreStartInput = ParsedInput<'restore:start'>;

/** The source a backup came from in this data dir: its job's source, else a source of the name the manifest gives. */
export function ownSource(manifest: BackupManifest, jobs: JobsRepository, sources: SourcesRepository): SourceDto | null {
  const job = jobs.list().find((j) => j.id === manifest.job.id);
  if (job) return sources.get(job.sourceId);
  return sources.findByName(manifest.source.name);
}

export function resolveTargetSource(manifest: BackupManifest, targetSourceId: string | undefined, jobs: JobsRepository, sources: SourcesRepository, what: 'restore' | 'drill'): SourceDto {
  const source = targetSourceId ? sources.get(targetSourceId) : ownSource(manifest, jobs, sources);
  if (!source) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The backup's source "${manifest.source.name}" is not a source of this data dir: choose the source to ${what} into (--target SOURCE, a ${engineWords(manifest.source.engine)} source).`,
      { field: 'targetSourceId' },
    );
  }
  if (source.engine !== manifest.source.engine) {
    throw new AppError('VALIDATION_FAILED', `Source "${source.name}" is ${engineWords(source.engine)}, but the backup is of ${engineWords(manifest.source.engine)}: choose a ${engineWords(manifest.source.engine)} source.`, {
      field: 'targetSourceId',
    });
  }
  return source;
}

export function engineWords(engine: string): string {
  return engine === 'postgres' ? 'PostgreSQL' : engine === 'mysql' ? 'MySQL/MariaDB' : 'SQLite';
}

/** A name beside `base` for a scratch copy, within the server's limit (bytes, not characters). */
export function scratchName(base: string, maxBytes: number, tag: 'restore' | 'drill'): string {
  const suffix = `_vd${tag === 'drill' ? 'drill' : 'new'}_${randomBytes(4).toString('hex')}`;
  let head = base;
  while (Buffer.byteLength(head + suffix) > maxBytes) head = head.slice(0, -1);
  return head + suffix;
}

/** `shop.db` -> `shop.db.bak-20261130T101500Z`: the replaced SQLite file, kept. */
export function keptName(file: string, at: Date): string {
  return `${file}.bak-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export function sqliteTarget(source: SourceDto, database: string | undefined): string {
  const target = database ?? source.path;
  if (!target) throw new AppError('VALIDATION_FAILED', `Source "${source.name}" has no file path: give the file to restore into (--database /path/file.db).`, { field: 'database' });
  if (!path.isAbsolute(target)) throw new AppError('VALIDATION_FAILED', `For a SQLite source the target is a file: give its absolute path, not ${target}.`, { field: 'database' });
  const file = linkedFile(target);
  const folder = path.dirname(file);
  if (!existsSync(folder)) throw new AppError('VALIDATION_FAILED', `The folder ${folder} does not exist: create it first, or choose a file in another folder.`, { field: 'database' });
  if (!statSync(folder).isDirectory()) throw new AppError('VALIDATION_FAILED', `${folder} is a file, not a folder: choose a file in a folder.`, { field: 'database' });
  return file;
}

/**
 * The SQLite file a restore writes, checked before anything starts: the new file is written beside
 * it, in its folder, then renamed into place; a folder that is a file, or that Vaultdesk may not
 * write in, would only fail once the whole backup was downloaded and decrypted. (A drill's compare
 * with the source's file reads it: sqliteTarget alone.)
 */
export function sqliteRestoreTarget(source: SourceDto, database: string | undefined): string {
  const file = sqliteTarget(source, database);
  const folder = path.dirname(file);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const { words } = describeFsError(error, { path: folder });
    throw new AppError('VALIDATION_FAILED', `Vaultdesk cannot write in the folder ${folder} (${words}), where the restore writes the new file before putting it in place: choose a file in another folder.`, {
      field: 'database',
    });
  }
  return file;
}

/**
 * The file a symbolic link leads to (through every link on the way): a restore replaces the
 * database the application opens through the link, and keeps the old one beside it, rather than
 * putting a file in the link's place. Not a link: the path as given.
 */
function linkedFile(file: string): string {
  let at = file;
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(at).isSymbolicLink()) return at;
      link = readlinkSync(at);
    } catch {
      // Nothing there (a new file, or a link to a file not made yet): the path as it stands.
      return at;
    }
    at = path.resolve(path.dirname(at), link);
  }
  throw new AppError('VALIDATION_FAILED', `${file} is a symbolic link that leads round in a circle: give the file itself.`, { field: 'database' });
}
