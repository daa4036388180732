import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../../../shared/ipc/result';
import { assertUsablePassphrase, collectStderr, killSevenZip, spawnFailed, sevenZipFailed } from './seven-zip-process';
import type { SevenZipTool } from './seven-zip-tool';

export { findSevenZip, parseSevenZipVersion, SEVEN_ZIP_MIN_MAJOR, type SevenZipTool } from './seven-zip-tool';
export { extractSevenZip } from './seven-zip-extract';

/** 7-Zip's own default. Pass 0 (store) when the input is already compressed: LZMA2 gains nothing on zstd output. */
const DEFAULT_LEVEL = 5;

export interface SevenZipArchiveOptions {
  tool: SevenZipTool;
  passphrase: string;
  /** The name a DBA sees when opening the archive, e.g. `20261126T053007Z.dump`. */
  entryName: string;
  /** Where the archive is written; the caller uploads it and removes it. */
  tempDir: string;
  /** 0 (store) to 9 (ultra). */
  level?: number;
  signal?: AbortSignal;
}

/**
 * Reads `input` (the dump stream) and writes a 7z archive with ONE entry named `entryName`,
 * AES-256, encrypted headers (-mhe=on, so not even the entry name shows without the
 * passphrase), into a new file in `tempDir` (mode 0600). Resolves with the archive path and size
 * once 7-Zip exited 0; on any failure or abort, kills 7-Zip, removes the file and rejects
 * (ENCRYPT_FAILED / CANCELLED with 7-Zip's stderr; an input that fails with an AppError rejects
 * with that error). The input is destroyed on failure so upstream stages stop.
 *
 * Known, accepted exposure: 7-Zip reads the data from stdin here, so it can only take the
 * passphrase as `-p<passphrase>` in its argv, which other local users can read (`ps`, /proc)
 * while it runs. It never appears in a log or an error message.
 *
 * 7-Zip is spawned directly rather than through `node-7z`: node-7z neither exposes the child's
 * stdin (needed for `-si`) nor passes back-pressure, and it parses stdout as text lines.
 */
export async function createSevenZipArchive(input: Readable, options: SevenZipArchiveOptions): Promise<{ file: string; size: number }> {
  const level = options.level ?? DEFAULT_LEVEL;
  try {
    assertUsablePassphrase(options.passphrase, 'ENCRYPT_FAILED');
    assertEntryName(options.entryName);
    if (!Number.isInteger(level) || level < 0 || level > 9) throw new AppError('ENCRYPT_FAILED', `The 7-Zip compression level must be a whole number from 0 to 9, not ${level}.`);
    if (options.signal?.aborted) throw cancelled();
  } catch (error) {
    input.destroy();
    throw error;
  }
  // 7-Zip creates the archive with the process umask (often 0644) and a worker thread cannot
  // change it, so it writes inside a fresh 0700 folder and the file leaves it as 0600.
  let workDir: string;
  try {
    workDir = await mkdtemp(path.join(options.tempDir, 'vaultdesk-7z-'));
  } catch (error) {
    input.destroy();
    throw new AppError('ENCRYPT_FAILED', `7-Zip needs a temporary file, but none could be created in ${options.tempDir}: ${(error as Error).message}. Check that the folder exists and has free space.`, { tempDir: options.tempDir });
  }
  const staging = path.join(workDir, 'archive.7z');
  const file = `${workDir}.7z`;
  try {
    await runArchiver(input, staging, level, options);
    await chmod(staging, 0o600);
    await rename(staging, file);
    return { file, size: (await stat(file)).size };
  } catch (error) {
    await rm(file, { force: true });
    if (!input.readableEnded) input.destroy();
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function runArchiver(input: Readable, archive: string, level: number, options: SevenZipArchiveOptions): Promise<void> {
  const { tool, passphrase, signal } = options;
  const args = [
    'a',
    '-t7z',
    `-mx=${level}`,
    '-mhe=on',
    `-si${options.entryName}`,
    '-y',
    '-bso0',
    '-bsp0',
    '-sccUTF-8',
    `-p${passphrase}`,
    '--',
    archive,
  ];
  let child: ChildProcess;
  try {
    child = spawn(tool.path, args, { shell: false, env: tool.env ?? {}, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
  } catch (error) {
    return Promise.reject(spawnFailed('ENCRYPT_FAILED', tool.path, error, passphrase));
  }
  const stdin = child.stdin!;
  const stderr = collectStderr(child, passphrase);
  let inputError: unknown = null;
  let aborted = false;
  // EPIPE once 7-Zip has gone: its exit code and stderr tell the real story.
  stdin.on('error', () => {});
  // The dump can fail after 7-Zip has gone (a cancel reaches both): its error reaches the run
  // through the dump's own promise, and must not be an uncaught 'error' that kills the worker.
  input.on('error', () => {});
  // On an input failure or abort 7-Zip is killed before it can see end-of-file, so it never
  // finishes an archive of a truncated dump.
  const onInputError = (error: unknown): void => {
    inputError ??= error;
    killSevenZip(child);
  };
  const onAbort = (): void => {
    aborted = true;
    killSevenZip(child);
  };
  const onEnd = (): void => {
    stdin.end();
  };
  input.on('error', onInputError);
  input.once('end', onEnd);
  input.pipe(stdin, { end: false });
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();

  return new Promise<void>((resolve, reject) => {
    let spawnError: unknown = null;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      input.removeListener('error', onInputError);
      input.removeListener('end', onEnd);
      input.unpipe(stdin);
      if (aborted) return reject(cancelled());
      if (spawnError) return reject(spawnFailed('ENCRYPT_FAILED', tool.path, spawnError, passphrase));
      if (inputError) return reject(inputFailure(inputError));
      if (code !== 0) return reject(sevenZipFailed('ENCRYPT_FAILED', 'Encrypting with 7-Zip failed', code, exitSignal, stderr()));
      resolve();
    });
  });
}

/** One plain file name: 7-Zip would turn separators into folders inside the archive. */
function assertEntryName(name: string): void {
  // eslint-disable-next-line no-control-regex
  const bad = name.length === 0 || name.length > 255 || name === '.' || name === '..' || /[/\\*?\u0000-\u001f]/.test(name);
  if (bad) throw new AppError('ENCRYPT_FAILED', `"${name}" cannot be the name of the file inside the 7-Zip archive: use a plain file name without / \\ * ? or control characters.`);
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'Encrypting with 7-Zip was cancelled; the partial archive was removed.', { tool: '7z' });
}

function inputFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('ENCRYPT_FAILED', `Encrypting with 7-Zip stopped because reading the data failed: ${message}`, { tool: '7z' });
}
