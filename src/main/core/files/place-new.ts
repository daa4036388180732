import { existsSync, linkSync, lstatSync, renameSync, rmSync, type Stats } from 'node:fs';
import { link, lstat, rename, rm } from 'node:fs/promises';
import { AppError } from '../../../shared/ipc/result';

/** What link() answers on a file system without hard links (FAT, exFAT, some shares). */
const NO_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'];

/**
 * What Vaultdesk writes for a person (an export, a decrypted dump, a downloaded backup) never
 * replaces a file: a second kit written over the first (for fewer profiles) or a decrypted dump over
 * the backup it came from would lose what was there. VALIDATION_FAILED on the `path` field, in the
 * words every such refusal has. `done`: what did not happen (`written`, `decrypted`, `downloaded`).
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
  throw existsRefusal(file, done);
}

/**
 * Puts the finished `tmp` at `file` unless something is there (EEXIST): a hard link fails on an
 * existing name where a rename would replace it, so a file made there after the caller looked is
 * kept too. A file system without links (FAT, exFAT: a USB stick for a recovery kit) gets a look
 * first, then the rename.
 */
export function placeNew(tmp: string, file: string): void {
  try {
    linkSync(tmp, file);
    rmSync(tmp, { force: true });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // A folder there is told as a rename would tell it.
    if (code === 'EEXIST' && isFolder(file)) throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' });
    if (!NO_LINKS.includes(code)) throw error;
  }
  if (existsSync(file)) throw Object.assign(new Error(`${file} already exists`), { code: 'EEXIST' });
  renameSync(tmp, file);
}

/** placeNew with the promise API, for callers that bound each call's time (a destination on a share that may hang). */
export async function placeNewAsync(tmp: string, file: string): Promise<void> {
  try {
    await link(tmp, file);
    await rm(tmp, { force: true });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST' && (await lstat(file).then((s) => s.isDirectory(), () => false))) throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' });
    if (!NO_LINKS.includes(code)) throw error;
  }
  if (await lstat(file).then(() => true, () => false)) throw Object.assign(new Error(`${file} already exists`), { code: 'EEXIST' });
  await rename(tmp, file);
}

/**
 * placeNew, with a file found at `file` refused in refuseExisting's words and any other failure
 * given to `failure` for the caller's words (which file could not be written, on which device).
 */
export function placeNewOrRefuse(tmp: string, file: string, done: string, failure: (error: unknown) => AppError): void {
  try {
    placeNew(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsRefusal(file, done);
    throw failure(error);
  }
}

/** Whether a path as typed ends with a folder separator (`out/`), which path.resolve would drop. */
export function namesFolder(given: string): boolean {
  return /[\\/]$/.test(given);
}

function existsRefusal(file: string, done: string): AppError {
  return new AppError('VALIDATION_FAILED', `${file} already exists: choose another path, or remove it first. Nothing was ${done}.`, { field: 'path', path: file });
}

function isFolder(file: string): boolean {
  try {
    return lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}
