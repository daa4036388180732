import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, statSync, type ReadStream } from 'node:fs';
import { chmod, chown, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { SourceDto } from '../../../shared/domain/dto';
import { counted } from '../../../shared/domain/counted';
import { BY_HAND } from '../../../shared/domain/restores';
import { AppError } from '../../../shared/ipc/result';
import { describeFsError, fsAppError } from '../files/fs-errors';
import { openByWords } from '../files/open-by';
import { sqliteFileUsers } from './sqlite-file-users';
import { messageOf } from './connection-errors';
import type { DumpFormat, DumpProcess, RestoreOptions, SourceContext, SourceDriver, TestResult } from './source-driver';
import { throwIfAborted } from './source-target';

/**
 * better-sqlite3, loaded on first use: this module is in every pipeline worker, and the native
 * module's load took 16-19 ms of the start of each PostgreSQL or MariaDB backup, which never use it.
 */
let sqlite: typeof Database | null = null;
function openSqlite(file: string, options: Database.Options): Database.Database {
  sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  return new sqlite(file, options);
}

/** Pages per backup step (4 MiB at the default page size): the event loop breathes between steps. */
const BACKUP_STEP_PAGES = 1024;
const ALL_PAGES = 0x7fffffff;

export function createSqliteSource(dto: SourceDto, ctx: SourceContext): SourceDriver {
  if (!dto.path) throw new AppError('VALIDATION_FAILED', `Source ${dto.name} needs the path of its SQLite file.`, { sourceId: dto.id });
  return new SqliteSource(dto.path, ctx);
}

class SqliteSource implements SourceDriver {
  constructor(
    private readonly file: string,
    private readonly ctx: SourceContext,
  ) {}

  async test(): Promise<TestResult> {
    const db = this.#open();
    try {
      const version = String(db.prepare('SELECT sqlite_version()').pluck().get());
      const tables = Number(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get());
      return { success: true, serverVersion: `SQLite ${version}`, message: `Opened ${this.file} (${counted(tables, 'table')}) with SQLite ${version}.` };
    } catch (error) {
      throw this.#openError(error);
    } finally {
      db.close();
    }
  }

  /** A SQLite file is one database; it is named after the file. */
  async listDatabases(): Promise<string[]> {
    await stat(this.file).catch((error: unknown) => {
      throw this.#openError(error);
    });
    return [path.basename(this.file).replace(/\.(sqlite3?|db3?)$/i, '')];
  }

  /** A consistent snapshot via the online backup API into the temp dir, streamed out, then removed. */
  async dump(_database: string | null, options: { format: DumpFormat; signal?: AbortSignal }): Promise<DumpProcess> {
    throwIfAborted(options.signal, `The dump of ${this.file}`);
    const db = this.#open();
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
    } catch (error) {
      db.close();
      throw this.#openError(error);
    }
    const snapshot = path.join(this.ctx.tempDir, `vaultdesk-sqlite-${randomUUID()}.sqlite`);
    const output = new PassThrough();
    // The same error reaches `done`; an unread stream must not crash the host with it.
    output.on('error', () => {});
    let settled = false;
    let cancelled: AppError | null = null;
    let reader: ReadStream | null = null;
    const cancel = (reason = `The dump of ${this.file} was cancelled.`): void => {
      if (settled || cancelled) return;
      cancelled = new AppError('CANCELLED', reason);
      reader?.destroy();
    };
    const onAbort = (): void => cancel();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    output.on('close', () => cancel(`The dump of ${this.file} was stopped because its output was closed before it finished.`));

    const run = async (): Promise<void> => {
      let allAtOnce = false;
      let previous = Infinity;
      await db.backup(snapshot, {
        progress: ({ remainingPages }) => {
          if (cancelled) throw cancelled;
          // A write through another connection restarts the copy. Against a busy writer, small steps
          // would restart forever, so after one restart the rest goes in a single step (one read lock).
          allAtOnce ||= remainingPages >= previous;
          previous = remainingPages;
          return allAtOnce ? ALL_PAGES : BACKUP_STEP_PAGES;
        },
      });
      db.close();
      if (cancelled) throw cancelled;
      const source = createReadStream(snapshot);
      reader = source;
      source.pipe(output, { end: false });
      await finished(source);
    };
    const done = run()
      .then(
        () => null,
        (error: unknown) => error,
      )
      .then(async (error) => {
        if (db.open) db.close();
        await rm(snapshot, { force: true });
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        const failure = cancelled ?? (error ? dumpFailed(this.file, error, this.ctx.tempDir) : null);
        if (!failure) return void output.end();
        output.destroy(failure);
        throw failure;
      });
    done.catch(() => {});
    return { stream: output, done, cancel: () => cancel() };
  }

  /** Writes the file beside the target, checks it is a sound SQLite database, then renames it into place. */
  async restore(input: Readable, options: RestoreOptions): Promise<void> {
    const target = options.database;
    if (!path.isAbsolute(target)) throw new AppError('VALIDATION_FAILED', `The restore target must be an absolute file path, not ${target}.`);
    throwIfAborted(options.signal, `The restore into ${target}`);
    const dir = path.dirname(target);
    const partial = path.join(dir, `${partialPrefix(target)}${randomUUID()}${PARTIAL_SUFFIX}`);
    try {
      await pipeline(input, createWriteStream(partial, { flags: 'wx', mode: 0o600 }), { signal: options.signal });
      const handle = await open(partial, 'r+');
      await handle.sync().finally(() => handle.close());
      verifySqliteFile(partial, target);
      // A program with the old file open would go on writing to it once it is replaced: its writes lost.
      const users = sqliteFileUsers(target);
      if (users.length > 0) {
        throw new AppError(
          'RESTORE_FAILED',
          `${target} is open in ${openByWords(users)}, so it was not replaced: that program would go on writing to the replaced file, and what it wrote would be lost. Stop it (or close the database there) and restore again; ${target} was left as it was.`,
          { path: target, reason: 'in-use' },
        );
      }
      await this.#keepOwnerAndMode(partial, target);
      // A journal or WAL left by the old file would be replayed onto the new one and corrupt it.
      await Promise.all(['-wal', '-shm', '-journal'].map((suffix) => rm(`${target}${suffix}`, { force: true })));
      await rename(partial, target);
      await syncDir(dir);
    } catch (error) {
      await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${partial}${suffix}`, { force: true })));
      if (options.signal?.aborted) throw new AppError('CANCELLED', `The restore into ${target} was cancelled.`);
      if (error instanceof AppError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      // The file written first is hidden beside the target: the words name the target and its folder.
      if (code) throw fsAppError(error, 'RESTORE_FAILED', `The restore into ${target} failed`, { path: target, device: dir, creating: true });
      throw new AppError('RESTORE_FAILED', `The restore into ${target} failed: ${messageOf(error)}`);
    }
  }

  extension(_format: DumpFormat): string {
    return 'sqlite';
  }

  /**
   * The restored file gets the replaced one's permissions and owner, so the application that used
   * it can still open it (it is written 0600, by this user). An owner this user may not give is a
   * note with the command that gives it.
   */
  async #keepOwnerAndMode(partial: string, target: string): Promise<void> {
    const old = await stat(target).catch(() => null);
    if (!old) return;
    await chmod(partial, old.mode & 0o7777);
    const uid = process.getuid?.();
    if (uid === undefined || (old.uid === uid && old.gid === process.getgid?.())) return;
    await chown(partial, old.uid, old.gid).catch(() =>
      this.ctx.onNote?.(`${target} belonged to user ${old.uid} and group ${old.gid}; the restored file belongs to the user Vaultdesk runs as (${uid}), who may not give it away: run chown ${old.uid}:${old.gid} ${target} ${BY_HAND} if the application using it runs as another user.`),
    );
  }

  async close(): Promise<void> {}

  #open(): Database.Database {
    try {
      // The driver's own words for a missing folder are a TypeError without a code; the system's are clearer.
      statSync(this.file);
      return openSqlite(this.file, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw this.#openError(error);
    }
  }

  #openError(error: unknown): AppError {
    if (error instanceof AppError) return error;
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') return new AppError('SOURCE_UNREACHABLE', `${this.file} is not a SQLite database.`, { path: this.file });
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      return new AppError('SOURCE_UNREACHABLE', `The SQLite file cannot be opened: ${describeFsError(error, { path: this.file }).words}.`, { path: this.file });
    }
    if (code === 'SQLITE_CANTOPEN')
      return new AppError('SOURCE_UNREACHABLE', `The SQLite file ${this.file} does not exist or cannot be opened. Check the path and that this user may read it.`, { path: this.file });
    return new AppError('SOURCE_UNREACHABLE', `The SQLite file ${this.file} cannot be read: ${messageOf(error)}`, { path: this.file });
  }
}

function verifySqliteFile(file: string, target: string): void {
  let db: Database.Database | null = null;
  try {
    // Read-write so that closing removes the -wal/-shm files SQLite creates beside a WAL-mode file.
    db = openSqlite(file, { fileMustExist: true });
    const check = String(db.pragma('integrity_check', { simple: true }));
    if (check !== 'ok') throw new AppError('RESTORE_FAILED', `The backup for ${target} is not a sound SQLite database (integrity_check: ${check}). ${target} was left unchanged.`);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('RESTORE_FAILED', `The backup for ${target} is not a SQLite database (${messageOf(error)}). ${target} was left unchanged.`);
  } finally {
    db?.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; the rename is as durable as it gets there.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  await handle.sync().finally(() => handle.close());
}

function dumpFailed(file: string, error: unknown, tempDir: string): AppError {
  if (error instanceof AppError) return error;
  // The snapshot is what is written, in the temporary folder: the database itself is only read.
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return fsAppError(Object.assign(new Error('database or disk is full'), { code: 'ENOSPC' }), 'DUMP_FAILED', `The SQLite backup of ${file} could not write its snapshot in ${tempDir}`, { path: tempDir, device: tempDir });
  }
  return new AppError('DUMP_FAILED', `The SQLite backup of ${file} failed: ${messageOf(error)}`, { path: file });
}

const PARTIAL_SUFFIX = '.partial';

/** A restore's temporary file is this, a random id and PARTIAL_SUFFIX, beside the target (hidden). */
function partialPrefix(target: string): string {
  return `.${path.basename(target)}.vaultdesk-`;
}

/**
 * Removes what a restore into `target` left when it could not clean up itself (its worker was
 * stopped outright): the temporary file with its -wal, -shm and -journal. Only one restore writes
 * a target at a time (the restore refuses a second), so every such file beside it is that one's.
 */
export async function removeAbandonedSqlitePartials(target: string): Promise<string[]> {
  const dir = path.dirname(target);
  const prefix = partialPrefix(target);
  const names = await readdir(dir).catch(() => [] as string[]);
  const left = names.filter((n) => n.startsWith(prefix) && /\.partial(-wal|-shm|-journal)?$/.test(n.slice(prefix.length)));
  await Promise.all(left.map((n) => rm(path.join(dir, n), { force: true })));
  return left.map((n) => path.join(dir, n));
}
