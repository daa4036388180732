import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { AppError } from '../../../shared/ipc/result';
import { assertUsablePassphrase, collectStderr, killSevenZip, spawnFailed, sevenZipFailed } from './seven-zip-process';
import type { SevenZipTool } from './seven-zip-tool';
import { spawnBound } from './bound-child';

export interface SevenZipEntry {
  name: string;
  size: number | null;
}

export interface SevenZipListing {
  entries: SevenZipEntry[];
  /** 7-Zip's `Method` line, e.g. `LZMA2:24 7zAES`. */
  method: string | null;
}

/**
 * For restore/verify and tests: extracts the archive's single entry to a stream. Resolves once
 * the passphrase has opened the archive (a wrong one rejects with DECRYPT_FAILED here, not
 * halfway through a restore); the stream ends only after 7-Zip exited 0 (so CRC checks passed)
 * and errors otherwise: INTEGRITY_FAILED for damaged data, CANCELLED, or DECRYPT_FAILED. Destroying the stream stops 7-Zip.
 *
 * Stdin is free when extracting, so the passphrase answers 7-Zip's password prompt there and
 * never appears in argv. 7-Zip is spawned directly: node-7z parses stdout as text lines, so it
 * cannot hand on the entry's bytes from `-so`.
 */
export async function extractSevenZip(file: string, options: { tool: SevenZipTool; passphrase: string; signal?: AbortSignal }): Promise<Readable> {
  const listing = await listSevenZip(file, options);
  if (listing.entries.length !== 1) {
    throw new AppError('DECRYPT_FAILED', `${file} holds ${listing.entries.length} files; a Vaultdesk 7-Zip backup holds exactly one. Open it with 7-Zip to see what it is.`, {
      entries: listing.entries.map((e) => e.name),
    });
  }
  if (options.signal?.aborted) throw cancelled(file);
  return spawnExtract(file, options);
}

/**
 * Opens the archive with the passphrase and lists it. 7-Zip is spawned here and `node-7z`
 * parses its listing (attached with `$defer` + `$childProcess`, so stdin stays ours for the
 * passphrase). With encrypted headers a wrong passphrase cannot even list the archive.
 */
export async function listSevenZip(file: string, options: { tool: SevenZipTool; passphrase: string; signal?: AbortSignal }): Promise<SevenZipListing> {
  const { tool, passphrase, signal } = options;
  assertUsablePassphrase(passphrase, 'DECRYPT_FAILED');
  if (signal?.aborted) throw cancelled(file);
  await assertFile(file);
  // Loaded here rather than with the module: a worker that never lists an archive skips it.
  const { default: Seven } = await import('node-7z');
  let child: ChildProcess;
  try {
    child = spawnBound(tool.path, ['l', '-y', '-sccUTF-8', '--', file], { shell: false, env: tool.env ?? {}, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  } catch (error) {
    throw spawnFailed('DECRYPT_FAILED', tool.path, error, passphrase);
  }
  const stderr = collectStderr(child, passphrase);
  answerPrompt(child, passphrase);
  const entries: SevenZipEntry[] = [];
  const stream = Seven.list(file, { $defer: true, $childProcess: child });
  stream.on('data', (data) => entries.push({ name: data.file, size: data.size ?? null }));
  // Its error is 7-Zip's stderr again; the exit code and our scrubbed copy decide below.
  stream.on('error', () => {});
  Seven.listen(stream);
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    killSevenZip(child);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const { code, exitSignal, spawnError } = await exited(child);
  signal?.removeEventListener('abort', onAbort);
  if (aborted) throw cancelled(file);
  if (spawnError) throw spawnFailed('DECRYPT_FAILED', tool.path, spawnError, passphrase);
  if (code !== 0) throw openFailed(file, code, exitSignal, stderr());
  return { entries, method: stream.info.get('Method') ?? null };
}

/**
 * Of several passphrases (the 7-Zip profiles here, or a kit's), the index of the first that opens
 * the archive, or null when 7-Zip refuses each as wrong. The manifest does not say which 7-Zip
 * profile made a backup, so each is tried: one listing per passphrase. Any other failure (an
 * archive cut short, no 7-Zip, a cancel) is thrown as listSevenZip throws it, not taken for a
 * wrong passphrase.
 */
export async function sevenZipPassphraseThatOpens(file: string, options: { tool: SevenZipTool; passphrases: readonly string[]; signal?: AbortSignal }): Promise<number | null> {
  for (const [i, passphrase] of options.passphrases.entries()) {
    try {
      await listSevenZip(file, { tool: options.tool, passphrase, signal: options.signal });
      return i;
    } catch (error) {
      if (!(error instanceof AppError && error.details?.reason === 'wrong-passphrase')) throw error;
    }
  }
  return null;
}

function spawnExtract(file: string, options: { tool: SevenZipTool; passphrase: string; signal?: AbortSignal }): Readable {
  const { tool, passphrase, signal } = options;
  const output = new PassThrough();
  // The same failure is what the consumer sees when it reads; an unread stream must not crash the host.
  output.on('error', () => {});
  let child: ChildProcess;
  try {
    child = spawnBound(tool.path, ['x', '-so', '-y', '-bso0', '-bsp0', '-sccUTF-8', '--', file], { shell: false, env: tool.env ?? {}, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  } catch (error) {
    output.destroy(spawnFailed('DECRYPT_FAILED', tool.path, error, passphrase));
    return output;
  }
  const stderr = collectStderr(child, passphrase);
  answerPrompt(child, passphrase);
  const stdout = child.stdout!;
  // The end is held back until the exit code is known: a CRC error or a killed 7-Zip must not look like a whole file.
  stdout.pipe(output, { end: false });
  let stopped: AppError | null = null;
  let exitedYet = false;
  const stop = (reason: AppError): void => {
    if (exitedYet || stopped) return;
    stopped = reason;
    stdout.unpipe(output);
    stdout.destroy();
    killSevenZip(child);
  };
  const onAbort = (): void => stop(cancelled(file));
  signal?.addEventListener('abort', onAbort, { once: true });
  output.on('close', () => stop(new AppError('CANCELLED', `Extracting ${file} was stopped because its output was closed before the end.`, { tool: '7z' })));
  void exited(child).then(({ code, exitSignal, spawnError }) => {
    exitedYet = true;
    signal?.removeEventListener('abort', onAbort);
    const failure = stopped ?? (spawnError ? spawnFailed('DECRYPT_FAILED', tool.path, spawnError, passphrase) : code === 0 ? null : extractFailed(file, code, exitSignal, stderr()));
    if (failure) output.destroy(failure);
    else output.end();
  });
  if (signal?.aborted) onAbort();
  return output;
}

/** 7-Zip asks once per archive; one line answers it. Archives without a password never ask. */
function answerPrompt(child: ChildProcess, passphrase: string): void {
  // EPIPE when 7-Zip exits without reading it.
  child.stdin?.on('error', () => {});
  child.stdin?.end(`${passphrase}\n`);
}

function exited(child: ChildProcess): Promise<{ code: number | null; exitSignal: NodeJS.Signals | null; spawnError: unknown }> {
  return new Promise((resolve) => {
    let spawnError: unknown = null;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, exitSignal) => resolve({ code, exitSignal, spawnError }));
  });
}

function openFailed(file: string, code: number | null, exitSignal: NodeJS.Signals | null, stderr: string): AppError {
  if (/wrong password/i.test(stderr)) {
    return new AppError('DECRYPT_FAILED', `The 7-Zip passphrase does not open ${file}: wrong passphrase (or the archive is damaged). Use the passphrase of the profile that made this backup.`, {
      tool: '7z',
      exitCode: code,
      stderr,
      reason: 'wrong-passphrase',
    });
  }
  // The start header's CRC covers the (encrypted) header: 7-Zip checks it before asking for a passphrase.
  if (/Cannot open the file as .*archive/i.test(stderr) && /Headers Error/i.test(stderr)) {
    return new AppError('INTEGRITY_FAILED', `The 7-Zip archive ${file} is damaged: its headers fail 7-Zip's checks before any passphrase is tried. Use another copy of this backup.`, {
      tool: '7z',
      exitCode: code,
      stderr,
      reason: 'headers',
    });
  }
  return sevenZipFailed('DECRYPT_FAILED', `Opening ${file} with 7-Zip failed`, code, exitSignal, stderr);
}

/**
 * The listing already proved the passphrase, so 7-Zip's "CRC Failed in encrypted file. Wrong
 * password?" here means the data was altered or cut short, not a wrong passphrase.
 */
function extractFailed(file: string, code: number | null, exitSignal: NodeJS.Signals | null, stderr: string): AppError {
  if (/CRC Failed|Data Error|Unexpected end|Headers Error/i.test(stderr)) {
    return new AppError('INTEGRITY_FAILED', `The 7-Zip archive ${file} is damaged: the passphrase opens it but its contents fail 7-Zip's checks (${stderr.split('\n')[0]}). Use another copy of this backup.`, {
      tool: '7z',
      exitCode: code,
      stderr,
    });
  }
  return sevenZipFailed('DECRYPT_FAILED', `Extracting ${file} with 7-Zip failed`, code, exitSignal, stderr);
}

async function assertFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) return;
  } catch {
    // Reported below in the same words.
  }
  throw new AppError('OBJECT_NOT_FOUND', `The 7-Zip archive ${file} does not exist or is not a file.`, { path: file });
}

function cancelled(file: string): AppError {
  return new AppError('CANCELLED', `Extracting ${file} with 7-Zip was cancelled.`, { tool: '7z' });
}
