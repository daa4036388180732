import { mkdirSync, statSync } from 'node:fs';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { errnoOf, FolderNotCreatableError } from './fs-errors';

/**
 * `mkdir -p` for paths a user typed, instead of `mkdir(dir, { recursive: true })`: Node's
 * recursive mkdir never returns for a path such as /proc/x (mkdir answers ENOENT although
 * /proc exists, so it makes the parent and retries, forever, inside a libuv thread that no
 * timeout can stop). Here each missing folder, from the nearest existing ancestor down, is
 * created once: a folder whose parent exists but which still cannot be made is an error
 * (FolderNotCreatableError), and every other failure is the system's error for that folder.
 * Errors carry an errno `code`, for describeFsError.
 */
/**
 * Returns the folders it made, outermost first (see withOutputFolder). `within`: a folder above
 * `dir` that must exist already: only folders below it are made, and its absence is an ENOENT
 * error naming it (a destination's root, which is never made at backup time).
 */
export async function ensureFolder(dir: string, options: { mode?: number; within?: string } = {}): Promise<string[]> {
  const within = options.within === undefined ? null : path.resolve(options.within);
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const kind = await kindOf(current);
    if (kind === 'folder') break;
    if (kind === 'file') throw notAFolder(current);
    if (current === within) throw Object.assign(new Error(`${current} does not exist`), { code: 'ENOENT', path: current });
    missing.unshift(current);
    if (path.dirname(current) === current) throw noRoot(current);
  }
  const made: string[] = [];
  for (const folder of missing) {
    try {
      await mkdir(folder, { mode: options.mode });
      made.push(folder);
    } catch (error) {
      // Made meanwhile by someone else (two runs starting together): fine if it is a folder.
      if (errnoOf(error) === 'EEXIST' && (await kindOf(folder)) === 'folder') continue;
      throw creationFailure(error, folder);
    }
  }
  return made;
}

/**
 * `work`, which writes a file into `dir`, with `dir` made first as ensureFolder makes it (null:
 * nothing to make). When `work` fails, the folders made for it are removed again, so an output
 * that was never written (a wrong key, a damaged backup, a cancel) leaves no folder behind; a
 * folder that was there before stays. A failure to make `dir` is thrown as `folderFailure` says.
 */
export async function withOutputFolder<T>(dir: string | null, folderFailure: (error: unknown) => unknown, work: () => Promise<T>): Promise<T> {
  const made = dir === null ? [] : await ensureFolder(dir).catch((error: unknown) => Promise.reject(folderFailure(error)));
  try {
    return await work();
  } catch (error) {
    await removeMadeFolders(made);
    throw error;
  }
}

/** Removes the folders ensureFolder made (its answer), deepest first, each only while it is empty. */
async function removeMadeFolders(made: readonly string[]): Promise<void> {
  for (const folder of [...made].reverse()) {
    if ((await rmdir(folder).then(() => true, () => false)) === false) return;
  }
}

/** ensureFolder for the few callers that must stay synchronous (host start-up, CLI set-up). */
export function ensureFolderSync(dir: string, options: { mode?: number } = {}): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const kind = kindOfSync(current);
    if (kind === 'folder') break;
    if (kind === 'file') throw notAFolder(current);
    missing.unshift(current);
    if (path.dirname(current) === current) throw noRoot(current);
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: options.mode });
    } catch (error) {
      if (errnoOf(error) === 'EEXIST' && kindOfSync(folder) === 'folder') continue;
      throw creationFailure(error, folder);
    }
  }
}

type Kind = 'folder' | 'file' | 'missing';

async function kindOf(p: string): Promise<Kind> {
  try {
    return (await stat(p)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    return missingOrThrow(error);
  }
}

function kindOfSync(p: string): Kind {
  try {
    return statSync(p).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    return missingOrThrow(error);
  }
}

function missingOrThrow(error: unknown): Kind {
  // ENOTDIR: a file further up; walking up finds it and reports it by name.
  const code = errnoOf(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  throw error;
}

function creationFailure(error: unknown, folder: string): unknown {
  // The parent exists (it was found or just made), so ENOENT means the kernel refuses the name there.
  return errnoOf(error) === 'ENOENT' ? new FolderNotCreatableError(folder, path.dirname(folder)) : error;
}

function notAFolder(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${p} is not a folder`), { code: 'ENOTDIR', path: p });
}

function noRoot(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${p} does not exist`), { code: 'ENOENT', path: p });
}
