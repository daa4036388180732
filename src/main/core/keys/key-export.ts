import path from 'node:path';
import { AppError } from '../../../shared/ipc/result';
import { writeSecretFile } from './env-key';
import { refuseExisting } from '../files/place-new';
import type { MasterKey } from './master-key';

/** Writes the master key to a 0600 file; a path that cannot take it is refused in words, with nothing left behind. */
export function exportKeyFile(keys: MasterKey, file: string): { path: string; fingerprint: string } {
  const { key, fingerprint } = keys.exportKey();
  refuseExisting(file, 'written');
  try {
    writeSecretFile(file, `${key.toString('base64')}\n`, { noReplace: true });
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Cannot write the master key to ${file}: ${reason(error, file)}.`, { field: 'path' });
  }
  return { path: file, fingerprint };
}

function reason(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `the folder ${path.dirname(file)} does not exist`;
    case 'EISDIR':
      return 'that is a folder; give the name of a file to create';
    case 'ENOTDIR':
      return 'a part of that path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'this user may not write there';
    case 'ENAMETOOLONG':
      return 'the path or one of its names is too long';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space is left on the device';
    default:
      return `the system refused it (${code ?? 'unknown error'})`;
  }
}
