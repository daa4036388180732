import { lstatSync, type Stats } from 'node:fs';
import { AppError } from '../../../shared/ipc/result';
import { writeSecretFile } from './env-key';

/**
 * Writes a secret the user asked to export into a file only its owner can read, making missing
 * folders (0700). A path that cannot be written is the caller's to fix: the error (in words,
 * FILE_WRITE_FAILED) is reported against the `path` field so a form shows it there.
 */
export function exportSecretFile(file: string, content: string | Uint8Array): void {
  refuseExisting(file, 'written');
  try {
    writeSecretFile(file, content, { createFolder: true, noReplace: true });
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, error.message, { ...error.details, field: 'path' });
    throw error;
  }
}

/**
 * An export never replaces a file: a second kit written over the first (for fewer profiles) or a
 * decrypted dump over the backup it came from would lose what was there. VALIDATION_FAILED on the
 * `path` field, as `backup download` says it. `done`: what did not happen (`written`, `decrypted`).
 */
export function refuseExisting(file: string, done: string): void {
  let found: Stats;
  try {
    found = lstatSync(file);
  } catch {
    return;
  }
  // A folder: the write itself says so, in the words every file it cannot write gets.
  if (found.isDirectory()) return;
  throw new AppError('VALIDATION_FAILED', `${file} already exists: choose another path, or remove it first. Nothing was ${done}.`, { field: 'path', path: file });
}
