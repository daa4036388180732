import { chmodSync, closeSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface LogFileOptions {
  /** The folder, created 0700 if missing (logs/ in the data dir). */
  dir: string;
  /** File name, e.g. `vaultdesk.log`; old files are `vaultdesk.log.1` (newest) to `.N`. */
  name: string;
  /** Size after which the file is moved aside before the next line. */
  maxBytes?: number;
  /** Old files kept beside the current one. */
  keep?: number;
}

/** An append-only log file that rotates itself by size. */
export interface LogFile {
  readonly path: string;
  /** Appends one line (a newline is added if missing). Never throws: a log must not stop the app. */
  write(line: string): void;
  close(): void;
}

export const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_FILES_KEPT = 3;

/**
 * Opens (creating with mode 0600, in a 0700 folder) a log file that is rotated when the next
 * line would take it past `maxBytes`: `name` becomes `name.1`, `name.1` becomes `name.2`, and
 * the oldest beyond `keep` is deleted. Each line is written whole, in one call, before or
 * after a rotation, never across one. Throws only when the file cannot be opened at all.
 */
export function openLogFile(options: LogFileOptions): LogFile {
  const maxBytes = options.maxBytes ?? LOG_FILE_MAX_BYTES;
  const keep = Math.max(0, options.keep ?? LOG_FILES_KEPT);
  const file = path.join(options.dir, options.name);
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  // A folder or file that already existed keeps its mode otherwise; logs name hosts and paths.
  if (process.platform !== 'win32') chmodSync(options.dir, 0o700);
  let fd: number | null = open(file);
  let size = fstatSync(fd).size;
  let closed = false;

  const rotate = (): void => {
    if (fd !== null) closeSync(fd);
    fd = null;
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) renameIfPresent(`${file}.${i}`, `${file}.${i + 1}`);
    if (keep > 0) renameIfPresent(file, `${file}.1`);
    else rmSync(file, { force: true });
    fd = open(file);
    size = 0;
  };

  return {
    path: file,
    write(line: string): void {
      const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
      if (closed) return;
      try {
        if (fd === null) {
          // A rotation that failed halfway (a rename refused) is retried with the next line.
          fd = open(file);
          size = fstatSync(fd).size;
        }
        if (size > 0 && size + bytes.length > maxBytes) rotate();
        if (fd === null) return;
        let written = 0;
        while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
        size += bytes.length;
      } catch {
        // A full disk or a removed folder: the line still went to stderr; the app goes on.
      }
    },
    close(): void {
      closed = true;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function open(file: string): number {
  const fd = openSync(file, 'a', 0o600);
  if (process.platform !== 'win32') fchmodSync(fd, 0o600);
  return fd;
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
