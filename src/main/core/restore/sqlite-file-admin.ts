import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { TableCountDto } from '../../../shared/domain/restores';
import { AppError } from '../../../shared/ipc/result';

function userTables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

function openReadOnly<T>(file: string, use: (db: Database.Database) => T): T {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new AppError('RESTORE_FAILED', `${file} cannot be opened as a SQLite database: ${error instanceof Error ? error.message : String(error)}`, { path: file });
  }
  try {
    return use(db);
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A read-only reader cannot roll back the transaction a crashed writer left in its journal.
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_READONLY') && existsSync(`${file}-journal`)) {
      throw new AppError(
        'RESTORE_FAILED',
        `${file} has an unfinished transaction in ${file}-journal (a program writing it stopped halfway), which only a connection that may write the file rolls back: open it once with that program or with sqlite3 (sqlite3 ${file} 'PRAGMA integrity_check'), then restore again.`,
        { path: file, reason: 'hot-journal' },
      );
    }
    throw new AppError('RESTORE_FAILED', `${file} cannot be read as a SQLite database: ${error instanceof Error ? error.message : String(error)}`, { path: file });
  } finally {
    db.close();
  }
}

/** A SQLite restore target: whether the file exists and how many tables it holds. */
export function inspectSqliteFile(file: string): { exists: boolean; tables: number; others: string[] } {
  if (!existsSync(file)) return { exists: false, tables: 0, others: [] };
  return { exists: true, tables: openReadOnly(file, (db) => userTables(db).length), others: [] };
}

export function countSqliteRows(file: string): TableCountDto[] {
  return openReadOnly(file, (db) =>
    userTables(db).map((table) => ({ schema: null, table, rows: Number((db.prepare(`SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`).get() as { n: number }).n) })),
  );
}
