import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import { STORED_FILE_MODE, STORED_FOLDER_MODE } from './stored-modes';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that change what we do. */
export const SFTP_NO_SUCH_FILE = 2;
export const SFTP_PERMISSION_DENIED = 3;

export type SftpError = Error & { code?: number | string };

/** An SFTP session and how long it may leave one request unanswered. */
export interface Remote {
  sftp: SFTPWrapper;
  requestMs: number;
}

/**
 * The server kept the connection alive (keepalives are answered by SSH itself) but did not
 * answer a request: an sftp-server stuck on a hung disk or share, or a proxy that lost it.
 */
export class SftpNoAnswerError extends Error {
  constructor(
    readonly request: string,
    readonly ms: number,
  ) {
    super(`no answer to ${request} within ${ms} ms`);
    this.name = 'SftpNoAnswerError';
  }
}

/** Every SFTP server must accept 32 KiB writes; more in flight keeps a long link busy. */
const PIECE = 32 * 1024;
const MAX_IN_FLIGHT = 64;

/** One SFTP request as a promise; with `deadline`, one left unanswered fails with SftpNoAnswerError. */
export function sftpCall<T>(run: (cb: (error: Error | null | undefined, value: T) => void) => void, deadline?: { ms: number; request: string }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = deadline ? setTimeout(() => reject(new SftpNoAnswerError(deadline.request, deadline.ms)), deadline.ms) : undefined;
    try {
      run((error, value) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(error);
    }
  });
}

/** sftpCall on `remote`, with its deadline. */
export function remoteCall<T>(remote: Remote, request: string, run: (sftp: SFTPWrapper, cb: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return sftpCall<T>((cb) => run(remote.sftp, cb), { ms: remote.requestMs, request });
}

export function isNoSuchFile(error: unknown): boolean {
  return (error as SftpError | null)?.code === SFTP_NO_SUCH_FILE;
}

export async function statOrNull(remote: Remote, file: string): Promise<Stats | null> {
  try {
    return await remoteCall<Stats>(remote, `stat ${file}`, (sftp, cb) => sftp.stat(file, cb));
  } catch (error) {
    if (isNoSuchFile(error)) return null;
    throw error;
  }
}

/** `mkdir -p`: creates each missing folder, tolerating one made concurrently by someone else. */
export async function mkdirp(remote: Remote, dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (current !== '/' && current !== '.' && current !== '') {
    const st = await statOrNull(remote, current);
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`${current} exists and is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(current);
    current = path.posix.dirname(current);
  }
  for (const folder of missing) {
    try {
      await remoteCall<void>(remote, `mkdir ${folder}`, (sftp, cb) => sftp.mkdir(folder, { mode: STORED_FOLDER_MODE }, (error) => cb(error, undefined)));
    } catch (error) {
      if (error instanceof SftpNoAnswerError || !(await statOrNull(remote, folder))?.isDirectory()) throw error;
    }
  }
}

/**
 * Writes `body` to `file` with a bounded number of outstanding SFTP writes: back-pressure comes
 * from the server's acknowledgements, so memory stays constant whatever the size. fsyncs where
 * the server offers `fsync@openssh.com`. Returns the number of bytes written.
 */
export async function writeFile(remote: Remote, file: string, body: Readable, onProgress?: (bytes: number) => void, onCreated?: () => void): Promise<number> {
  const { sftp } = remote;
  // Exclusive: a file of that name is another writer's, never written into (or emptied) by this one.
  const handle = await remoteCall<Buffer>(remote, `open ${file}`, (s, cb) => s.open(file, 'wx', { mode: STORED_FILE_MODE }, cb));
  onCreated?.();
  let position = 0;
  let acknowledged = 0;
  let inFlight = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | undefined;
  // Waits for the next acknowledgement; none within the deadline fails the write.
  const settle = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(() => {
        failure ??= new SftpNoAnswerError(`write to ${file}`, remote.requestMs);
        wake = null;
        resolve();
      }, remote.requestMs);
    });
  const done = (error: Error | null | undefined, length: number): void => {
    inFlight -= 1;
    if (error && !failure) failure = error;
    if (!error) {
      acknowledged += length;
      onProgress?.(acknowledged);
    }
    clearTimeout(timer);
    const resume = wake;
    wake = null;
    resume?.();
  };
  try {
    for await (const chunk of body) {
      const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      for (let offset = 0; offset < data.length; offset += PIECE) {
        while (inFlight >= MAX_IN_FLIGHT && !failure) await settle();
        if (failure) throw failure;
        const piece = data.subarray(offset, offset + PIECE);
        inFlight += 1;
        sftp.write(handle, piece, 0, piece.length, position, (error) => done(error, piece.length));
        position += piece.length;
      }
    }
    while (inFlight > 0 && !failure) await settle();
    if (failure) throw failure;
    await fsyncIfOffered(remote, handle, file);
  } catch (error) {
    // A server that stopped answering will not acknowledge the rest either: the caller drops the connection.
    const silent = (): SftpNoAnswerError | null => ((failure as Error | null) instanceof SftpNoAnswerError ? (failure as SftpNoAnswerError) : null);
    if (!(error instanceof SftpNoAnswerError)) {
      while (inFlight > 0 && !silent()) await settle();
      await remoteCall<void>(remote, `close ${file}`, (s, cb) => s.close(handle, (e) => cb(e, undefined))).catch(() => undefined);
    }
    clearTimeout(timer);
    throw silent() ?? error;
  }
  await remoteCall<void>(remote, `close ${file}`, (s, cb) => s.close(handle, (e) => cb(e, undefined)));
  return position;
}

async function fsyncIfOffered(remote: Remote, handle: Buffer, file: string): Promise<void> {
  try {
    await remoteCall<unknown>(remote, `fsync ${file}`, (sftp, cb) => sftp.ext_openssh_fsync(handle, (error, info) => cb(error, info)));
  } catch (error) {
    // ssh2 throws synchronously when the server lacks the extension: then durability is the server's business.
    if ((error as Error).message.includes('does not support')) return;
    throw error;
  }
}

/**
 * The plain SFTP rename, not `posix-rename@openssh.com`: it does not replace a file at `to`
 * (OpenSSH makes it a hard link and an unlink), so another writer's object of that name is kept.
 */
export async function renameNew(remote: Remote, from: string, to: string): Promise<void> {
  await remoteCall<void>(remote, `rename ${from}`, (sftp, cb) => sftp.rename(from, to, (e) => cb(e, undefined)));
}

export async function unlinkIfPresent(remote: Remote, file: string): Promise<void> {
  try {
    await remoteCall<void>(remote, `remove ${file}`, (sftp, cb) => sftp.unlink(file, (e) => cb(e, undefined)));
  } catch (error) {
    if (!isNoSuchFile(error)) throw error;
  }
}

export interface RemoteFile {
  /** Relative to the walk's root, slash-separated. */
  relative: string;
  size: number;
  mtime: number;
}

/** Every regular file under `root/folder`, descending only into folders that can match `prefix`. */
export async function walk(remote: Remote, root: string, folder: string, prefix: string, out: RemoteFile[]): Promise<void> {
  let entries;
  const dir = folder === '' ? root : path.posix.join(root, folder);
  try {
    entries = await remoteCall<FileEntryWithStats[]>(remote, `list ${dir}`, (sftp, cb) => sftp.readdir(dir, cb));
  } catch (error) {
    if (isNoSuchFile(error)) return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.filename === '.' || entry.filename === '..') continue;
    const relative = folder === '' ? entry.filename : `${folder}/${entry.filename}`;
    if (entry.attrs.isDirectory()) {
      if (relative.startsWith(prefix) || prefix.startsWith(`${relative}/`)) await walk(remote, root, relative, prefix, out);
    } else if (entry.attrs.isFile() && relative.startsWith(prefix)) {
      out.push({ relative, size: entry.attrs.size, mtime: entry.attrs.mtime });
    }
  }
}
