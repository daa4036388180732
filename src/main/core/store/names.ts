import { AppError } from '../../../shared/ipc/result';
import type { Db } from './db';

/**
 * A name as the store compares it: SQLite's NOCASE folds ASCII letters only, so "Ä" and "ä" are two
 * names there. Code outside SQL that decides whether two names clash must fold the same way.
 */
export const nameKey = (name: string): string => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Friendly NAME_TAKEN before the UNIQUE constraint would fire (names compare case-insensitively). */
export function assertNameFree(db: Db, table: string, label: string, name: string, exceptId?: string): void {
  const row = db.prepare(`SELECT id FROM ${table} WHERE name = ? COLLATE NOCASE`).get(name) as { id: string } | undefined;
  if (row && row.id !== exceptId) {
    throw new AppError('NAME_TAKEN', `${/^[aeiou]/i.test(label) ? 'An' : 'A'} ${label} named "${name}" already exists. Choose another name.`, { field: 'name' });
  }
}

export function notFound(label: string, id: string): AppError {
  return new AppError('NOT_FOUND', `No ${label} with id ${id}.`, { id });
}
