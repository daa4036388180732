import { AppError } from '../../../shared/ipc/result';
import { fsErrorReason } from '../fs-errors';
import { writeSecretFile } from './env-key';

/**
 * Writes a secret the user asked to export into a file only its owner can read. A path that
 * cannot be written is the caller's to fix, so it is reported against the `path` field.
 */
export function exportSecretFile(file: string, content: string, what: string): void {
  try {
    writeSecretFile(file, content);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Cannot write the ${what} to ${file}: ${fsErrorReason(error)}.`, { field: 'path' });
  }
}
