import Database from 'better-sqlite3';
import { statfsSync } from 'node:fs';
import { AppError } from '../../../shared/ipc/result';

/**
 * The store's own failures (a full disk, a read-only or failing data dir, a lock held too long)
 * in words that name the data dir, instead of SQLite's "database or disk is full". null for
 * anything else, which keeps its own error.
 */
export function storeFailure(error: unknown, dataDir: string): AppError | null {
  if (!(error instanceof Database.SqliteError)) return null;
  const code = error.code;
  const details = { dataDir, sqlite: code };
  const database = `the Vaultdesk database in the data dir ${dataDir}`;
  if (code === 'SQLITE_FULL') {
    return new AppError('STORE_WRITE_FAILED', `Could not save the change: the disk holding the data dir ${dataDir} is full. Free some space on it and try again.`, details);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new AppError('STORE_WRITE_FAILED', `Could not save the change: ${database} is read-only (the file, its folder or its file system). Check the permissions and the mount of ${dataDir}.`, details);
  }
  if ((code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') && fullDisk(dataDir)) {
    // SQLite says "disk I/O error" when it cannot make its working files (-wal, -shm) on a full disk, even to read.
    return new AppError('STORE_WRITE_FAILED', `Could not open or write ${database}: the disk holding it is full, and SQLite needs a little room to work even to read it. Free some space on it and try again.`, details);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new AppError('STORE_WRITE_FAILED', `Could not read or write ${database}: input/output error. The disk holding it may be failing, or the network share it is on may be gone.`, details);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('STORE_WRITE_FAILED', `Could not save the change: another Vaultdesk process kept ${database} locked for more than 5 seconds. Try again.`, details);
  }
  return null;
}

/** Whether the file system holding `dir` has (next to) no room left for this process: less than 1 MiB. */
function fullDisk(dir: string): boolean {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}
