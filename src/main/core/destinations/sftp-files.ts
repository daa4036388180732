import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that change what we do. */
export const SFTP_NO_SUCH_FILE = 2;
export const SFTP_PERMISSION_DENIED = 3;

export type SftpError = Error & { code?: number | string };

/** Every SFTP server must accept 32 KiB writes; more in flight keeps a long link busy. */
const PIECE = 32 * 1024;
const MAX_IN_FLIGHT = 64;

export function sftpCall<T>(run: (cb: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      run((error, value) => (error ? reject(error) : resolve(value)));
    } catch (error) {
      reject(error);
    }
  });
}

export function isNoSuchFile(error: unknown): boolean {
  return (error as SftpError | null)?.code === SFTP_NO_SUCH_FILE;
}

export async function statOrNull(sftp: SFTPWrapper, file: string): Promise<Stats | null> {
  try {
    return await sftpCall<Stats>((cb) => sftp.stat(file, cb));
  } catch (error) {
    if (isNoSuchFile(error)) return null;
    throw error;
  }
}

/** `mkdir -p`: creates each missing folder, tolerating one made concurrently by someone else. */
export async function mkdirp(sftp: SFTPWrapper, dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (current !== '/' && current !== '.' && current !== '') {
    const st = await statOrNull(sftp, current);
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`${current} exists and is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(current);
    current = path.posix.dirname(current);
  }
  for (const folder of missing) {
    try {
      await sftpCall<void>((cb) => sftp.mkdir(folder, (error) => cb(error, undefined)));
    } catch (error) {
      if (!(await statOrNull(sftp, folder))?.isDirectory()) throw error;
    }
  }
}

/**
 * Writes `body` to `file` with a bounded number of outstanding SFTP writes: back-pressure comes
 * from the server's acknowledgements, so memory stays constant whatever the size. fsyncs where
 * the server offers `fsync@openssh.com`. Returns the number of bytes written.
 */
export async function writeFile(sftp: SFTPWrapper, file: string, body: Readable, onProgress?: (bytes: number) => void): Promise<number> {
  const handle = await sftpCall<Buffer>((cb) => sftp.open(file, 'w', cb));
  let position = 0;
  let acknowledged = 0;
  let inFlight = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const settle = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
  const done = (error: Error | null | undefined, length: number): void => {
    inFlight -= 1;
    if (error && !failure) failure = error;
    if (!error) {
      acknowledged += length;
      onProgress?.(acknowledged);
    }
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
    while (inFlight > 0) await settle();
    if (failure) throw failure;
    await fsyncIfOffered(sftp, handle);
  } catch (error) {
    while (inFlight > 0) await settle();
    await sftpCall<void>((cb) => sftp.close(handle, (e) => cb(e, undefined))).catch(() => undefined);
    throw error;
  }
  await sftpCall<void>((cb) => sftp.close(handle, (e) => cb(e, undefined)));
  return position;
}

async function fsyncIfOffered(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
  try {
    await sftpCall<unknown>((cb) => sftp.ext_openssh_fsync(handle, (error, info) => cb(error, info)));
  } catch (error) {
    // ssh2 throws synchronously when the server lacks the extension: then durability is the server's business.
    if ((error as Error).message.includes('does not support')) return;
    throw error;
  }
}

/** Atomic replace where the server offers `posix-rename@openssh.com`, plain SFTP rename elsewhere. */
export async function renameInto(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  try {
    await sftpCall<void>((cb) => sftp.ext_openssh_rename(from, to, (e) => cb(e, undefined)));
  } catch (error) {
    if (!(error as Error).message.includes('does not support')) throw error;
    await sftpCall<void>((cb) => sftp.rename(from, to, (e) => cb(e, undefined)));
  }
}

export async function unlinkIfPresent(sftp: SFTPWrapper, file: string): Promise<void> {
  try {
    await sftpCall<void>((cb) => sftp.unlink(file, (e) => cb(e, undefined)));
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
export async function walk(sftp: SFTPWrapper, root: string, folder: string, prefix: string, out: RemoteFile[]): Promise<void> {
  let entries;
  try {
    entries = await sftpCall<FileEntryWithStats[]>((cb) => sftp.readdir(folder === '' ? root : path.posix.join(root, folder), cb));
  } catch (error) {
    if (isNoSuchFile(error)) return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.filename === '.' || entry.filename === '..') continue;
    const relative = folder === '' ? entry.filename : `${folder}/${entry.filename}`;
    if (entry.attrs.isDirectory()) {
      if (relative.startsWith(prefix) || prefix.startsWith(`${relative}/`)) await walk(sftp, root, relative, prefix, out);
    } else if (entry.attrs.isFile() && relative.startsWith(prefix)) {
      out.push({ relative, size: entry.attrs.size, mtime: entry.attrs.mtime });
    }
  }
}
