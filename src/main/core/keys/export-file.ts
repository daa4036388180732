import { AppError } from '../../../shared/ipc/result';
import { writeSecretFile } from './env-key';

const REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
};

/**
 * Writes a secret the user asked to export into a file only its owner can read. A path that
 * cannot be written is the caller's to fix, so it is reported against the `path` field.
 */
export function exportSecretFile(file: string, content: string, what: string): void {
  try {
    writeSecretFile(file, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = REASONS[code] ?? `the system refused it${code ? ` (${code})` : ''}`;
    throw new AppError('VALIDATION_FAILED', `Cannot write the ${what} to ${file}: ${reason}.`, { field: 'path' });
  }
}
