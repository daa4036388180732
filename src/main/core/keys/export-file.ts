import { AppError } from '../../../shared/ipc/result';
import { refuseExisting } from '../files/place-new';
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
