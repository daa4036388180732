import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, pipeline, Transform, type Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { AppError } from '../../../shared/ipc/result';
import type { DestinationDriver } from '../destinations/destination';
import { formatBytes } from '../destinations/local-files';
import { errnoOf, fsAppError } from '../files/fs-errors';
import type { BackupManifest } from '../pipeline/manifest';
import { createDecompressStream } from '../pipeline/compress';
import { extractSevenZip, sevenZipPassphraseThatOpens } from '../pipeline/seven-zip-extract';
import type { SevenZipTool } from '../pipeline/seven-zip-tool';

/**
 * Plaintext decrypted ahead of the restore tool. The tool reads in bursts (pg_restore sends a
 * table's rows as fast as the server takes them); without a buffer this deep it waits on its
 * stdin while the next bytes go through the file read, age and the decompressor's threadpool.
 */
const READ_AHEAD = 8 * 1024 * 1024;

export type BackupKeys = { kind: 'none' } | { kind: 'age'; identities: string[] } | { kind: '7z'; tool: SevenZipTool; passphrases: string[] };

export interface PlaintextOptions {
  signal: AbortSignal;
  /** Called with the stored bytes read so far. */
  onBytes: (bytesRead: number) => void;
  /** A private folder for the 7-Zip archive, which 7-Zip reads as a file. */
  tempDir: string;
}

/**
 * The dump inside a stored backup, as a stream: the stored bytes are counted and hashed while they
 * are decrypted and decompressed, and the stream fails before its end when their size or sha256
 * differ from the manifest's, or when age authentication fails, so a restore tool reading it
 * never sees the end of a damaged backup and can be stopped before it commits anything.
 */
export async function openBackupPlaintext(driver: DestinationDriver, manifest: BackupManifest, keys: BackupKeys, options: PlaintextOptions): Promise<Readable> {
  if (keys.kind === '7z') return sevenZipPlaintext(driver, manifest, keys, options);
  const stages: (Readable | Transform)[] = [await driver.get(manifest.object.key, { signal: options.signal }), manifestCheck(manifest, options.onBytes)];
  if (keys.kind === 'age') {
    const { createAgeDecryptStream } = await import('../pipeline/age-stream');
    stages.push(createAgeDecryptStream({ identities: keys.identities }));
  }
  if (manifest.compression.algorithm !== 'none') stages.push(createDecompressStream(manifest.compression.algorithm));
  stages.push(new PassThrough({ highWaterMark: READ_AHEAD }));
  return chain(stages, options.signal);
}

/** The stages joined; an error or a cancel in any of them fails the last, which the restore tool reads. */
function chain(stages: (Readable | Transform)[], signal: AbortSignal): Readable {
  if (stages.length === 1) return stages[0]!;
  const last = pipeline(stages as unknown as [Readable, Transform], () => undefined) as unknown as Readable;
  const onAbort = (): void => void last.destroy(new AppError('CANCELLED', 'The restore was cancelled.'));
  signal.addEventListener('abort', onAbort, { once: true });
  last.once('close', () => signal.removeEventListener('abort', onAbort));
  return last;
}

function manifestCheck(manifest: BackupManifest, onBytes: (n: number) => void): Transform {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      onBytes(bytes);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      if (bytes !== manifest.object.size) {
        callback(new AppError('INTEGRITY_FAILED', `The stored backup is ${formatBytes(bytes)} but its manifest says ${formatBytes(manifest.object.size)}: it was cut short or changed after it was stored. Nothing was restored.`, { reason: 'size' }));
      } else if (actual !== manifest.object.sha256) {
        callback(new AppError('INTEGRITY_FAILED', `The stored backup does not match its manifest (sha256 ${actual}, expected ${manifest.object.sha256}): it was changed or damaged after it was stored. Nothing was restored.`, { reason: 'sha256' }));
      } else callback();
    },
  });
}

/** 7-Zip reads archives as files: the object is fetched to a private temporary file, checked against the manifest, then extracted. */
async function sevenZipPlaintext(driver: DestinationDriver, manifest: BackupManifest, keys: Extract<BackupKeys, { kind: '7z' }>, options: PlaintextOptions): Promise<Readable> {
  const file = path.join(options.tempDir, path.posix.basename(manifest.object.key));
  try {
    await pipelineAsync(await driver.get(manifest.object.key, { signal: options.signal }), manifestCheck(manifest, options.onBytes), createWriteStream(file, { mode: 0o600, flags: 'wx' }), { signal: options.signal });
    const opener = await sevenZipPassphraseThatOpens(file, { tool: keys.tool, passphrases: keys.passphrases, signal: options.signal });
    if (opener === null) {
      throw new AppError('DECRYPT_FAILED', 'No 7-Zip profile here opens this backup: its passphrase is not the one of any 7-Zip encryption profile of this data dir. Add a profile with the passphrase it was made with.', { reason: 'no-key' });
    }
    const out = await extractSevenZip(file, { tool: keys.tool, passphrase: keys.passphrases[opener]!, signal: options.signal });
    out.once('close', () => void rm(file, { force: true }));
    return out;
  } catch (error) {
    await rm(file, { force: true });
    // The destination's and the manifest's failures are AppErrors already; what is left is the temporary file's.
    if (!(error instanceof AppError) && !options.signal.aborted && errnoOf(error)) {
      throw fsAppError(error, 'RESTORE_FAILED', `Could not write the 7-Zip archive to open it in ${options.tempDir}`, { path: options.tempDir, device: options.tempDir });
    }
    throw error;
  }
}
