import { statSync } from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';

/**
 * What went wrong with a path, as a category callers can branch on (a missing object is not a
 * full disk) without reading errno strings themselves.
 */
export type FsProblem = 'missing' | 'not-creatable' | 'denied' | 'read-only' | 'full' | 'not-folder' | 'is-folder' | 'exists' | 'busy' | 'io' | 'gone' | 'too-large' | 'bad-name' | 'too-many-open' | 'other';

export interface FsErrorWords {
  problem: FsProblem;
  /** The system's code (ENOSPC...), for details and logs; never shown alone. */
  errno: string;
  /** One clause naming the path and the problem, e.g. "no space left on the device holding /mnt/backups". */
  words: string;
}

export interface FsErrorPlaces {
  /** The file or folder the call worked on. */
  path: string;
  /**
   * What the user knows the place as (a destination folder, the data dir), named for problems
   * of the whole device rather than of one file: a full disk is "the device holding /backups",
   * not "the device holding /backups/prod/x.dump.partial".
   */
  device?: string;
  /**
   * The call was creating `path` (a file to write). Creating a file where the kernel will not have
   * one (/proc, /sys) answers ENOENT, as a missing folder does: "/proc/x does not exist" would be
   * true and useless, so the words look at the folder instead.
   */
  creating?: boolean;
  /** The contract field the path came in (`out`, `database`), so a form shows the error under it. */
  field?: string;
}

/** Where a path that exists refuses what a normal folder takes. */
export const NOT_A_NORMAL_FOLDER = 'a system folder such as /proc or /sys, or a mount point that is not a normal disk';

/** Thrown by ensureFolder when a folder's parent exists but the kernel will not create it there (/proc, /sys). */
export class FolderNotCreatableError extends Error {
  readonly code = 'ENOENT';
  constructor(
    readonly path: string,
    readonly parent: string,
  ) {
    super(`cannot create ${path}: ${parent} exists but does not accept new folders`);
    this.name = 'FolderNotCreatableError';
  }
}

export function errnoOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Turns a Node file-system error into words that name the path; never a bare errno. */
export function describeFsError(error: unknown, places: FsErrorPlaces): FsErrorWords {
  const p = places.path;
  const device = places.device ?? p;
  const errno = errnoOf(error);
  const is = (problem: FsProblem, words: string): FsErrorWords => ({ problem, errno, words });
  if (error instanceof FolderNotCreatableError) {
    return is('not-creatable', `folder ${error.path} cannot be created: ${error.parent} exists but does not accept new folders (${NOT_A_NORMAL_FOLDER})`);
  }
  switch (errno) {
    case 'ENOENT':
      return places.creating ? notCreated(p, is) : is('missing', `${p} does not exist`);
    case 'EACCES':
    case 'EPERM':
      return is('denied', `permission denied on ${p}: the user running Vaultdesk is not allowed to use it`);
    case 'EROFS':
      return is('read-only', `${device} is on a read-only file system`);
    case 'ENOSPC':
      return is('full', `no space left on the device holding ${device}`);
    case 'EDQUOT':
      return is('full', `the disk quota of the user running Vaultdesk is used up on the device holding ${device}`);
    case 'ENOTDIR':
      return is('not-folder', `part of ${p} is a file where a folder should be`);
    // ERR_FS_EISDIR: fs.rm's own code for a folder given without `recursive`.
    case 'EISDIR':
    case 'ERR_FS_EISDIR':
      return is('is-folder', `${p} is a folder where a file should be`);
    case 'EEXIST':
      return is('exists', `${p} already exists`);
    case 'ENOTEMPTY':
      return is('exists', `${p} is a folder that is not empty`);
    case 'EBUSY':
    case 'ETXTBSY':
      return is('busy', `${p} is busy: another program is using it`);
    case 'EIO':
      return is('io', `input/output error on the device holding ${device}: the disk, the cable or the network share may be failing`);
    case 'ESTALE':
    case 'ENODEV':
    case 'ENXIO':
    case 'EHOSTDOWN':
    case 'ETIMEDOUT':
    case 'ENOTCONN':
      return is('gone', `the device or network share holding ${device} is no longer available: check that it is still connected and mounted`);
    case 'EFBIG':
      return is('too-large', `${p} would be larger than the file system holding ${device} allows (FAT32 stops at 4 GiB)`);
    case 'ENAMETOOLONG':
      return is('bad-name', `${p} is too long a name for its file system`);
    case 'EINVAL':
      return is('bad-name', `${p} is not a valid name on the file system holding ${device} (some file systems refuse characters such as : or ?)`);
    case 'ELOOP':
      return is('bad-name', `${p} goes through too many symbolic links (a link that points to itself?)`);
    case 'EMFILE':
      return is('too-many-open', `Vaultdesk has too many files open to open ${p}: raise its open-file limit (ulimit -n) or run fewer jobs at once`);
    case 'ENFILE':
      return is('too-many-open', `the system has too many files open to open ${p}: close some programs and try again`);
  }
  return is('other', `${p}: ${systemWords(error)}`);
}

/** ENOENT while creating `p`: its folder is missing, or there and refusing new files. */
function notCreated(p: string, is: (problem: FsProblem, words: string) => FsErrorWords): FsErrorWords {
  const folder = path.dirname(p);
  let isFolder: boolean | null;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = null;
  }
  if (isFolder === null) return is('missing', `folder ${folder} does not exist`);
  if (!isFolder) return is('not-folder', `${folder} is a file, not a folder`);
  return is('not-creatable', `${p} cannot be created: folder ${folder} exists but does not accept new files (${NOT_A_NORMAL_FOLDER})`);
}

/** An AppError with `code` whose message is "`doing`: the problem in words.". */
export function fsAppError(error: unknown, code: ErrorCode, doing: string, places: FsErrorPlaces): AppError {
  const d = describeFsError(error, places);
  return new AppError(code, `${doing}: ${d.words}.`, { path: places.path, problem: d.problem, ...(d.errno ? { errno: d.errno } : {}), ...(places.field ? { field: places.field } : {}) });
}

/** Words for an errno this module has no sentence for: the OS's own description, then the code. */
function systemWords(error: unknown): string {
  const e = error as NodeJS.ErrnoException | null;
  const errno = errnoOf(error);
  const describe = (util as { getSystemErrorMessage?: (n: number) => string }).getSystemErrorMessage;
  if (typeof e?.errno === 'number' && e.errno < 0 && describe) {
    try {
      return `${describe(e.errno).toLowerCase()}${errno ? ` (${errno})` : ''}`;
    } catch {
      // An errno the platform does not know: fall through to the message.
    }
  }
  const message = e instanceof Error ? e.message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+ '.*'$/, '') : String(error);
  return errno && !message.includes(errno) ? `${message} (${errno})` : message;
}
