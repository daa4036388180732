import { readFileSync, statSync } from 'node:fs';
import { AppError } from '../../../shared/ipc/result';
import { describeFsError } from '../files/fs-errors';
import { MAX_KIT_BYTES } from './kit-format';

/** How one caller names the file it asked for, in its own errors. */
export interface KeyFileWords {
  /** The contract field the path came in. */
  field: string;
  /** "the recovery kit", "the identity file or kit": after "Cannot read". */
  what: string;
  /** The end of "PATH is a folder, not ...". */
  notAFolder: string;
  /** What follows "PATH is N bytes, far more than ...". */
  tooBig: string;
  /** A missing file as its own error (OBJECT_NOT_FOUND), rather than one more unreadable file. */
  missing?: (path: string) => AppError;
}

/**
 * Reads a kit or identity file whole. One far bigger than any kit is refused unread: it is most
 * likely a backup given in the wrong place, and reading it would fill memory for nothing.
 */
export function readKeyOrKitFile(path: string, words: KeyFileWords): Buffer {
  const unreadable = (error: unknown): AppError => new AppError('VALIDATION_FAILED', `Cannot read ${words.what} ${path}: ${describeFsError(error, { path }).words}.`, { field: words.field });
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new AppError('VALIDATION_FAILED', `${path} is a folder, not ${words.notAFolder}.`, { field: words.field });
    size = stat.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (words.missing && (error as NodeJS.ErrnoException).code === 'ENOENT') throw words.missing(path);
    throw unreadable(error);
  }
  if (size > MAX_KIT_BYTES) throw new AppError('VALIDATION_FAILED', `${path} is ${size} bytes, far more than ${words.tooBig}`, { field: words.field });
  try {
    return readFileSync(path);
  } catch (error) {
    throw unreadable(error);
  }
}
