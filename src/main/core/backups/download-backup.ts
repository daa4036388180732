import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupDownloadDto } from '../../../shared/domain/backups';
import { AppError } from '../../../shared/ipc/result';
import { withOutputFolder } from '../files/ensure-folder';
import { fsAppError } from '../files/fs-errors';
import { namesFolder, placeNewOrRefuse, refuseExisting } from '../files/place-new';
import { MANIFEST_SUFFIX, type BackupManifest } from '../pipeline/manifest';
import { notABackup, type BackupExplorer, type LocatedBackup } from './backup-explorer';

/**
 * A local copy of a complete backup, with its manifest beside it (so `vaultdesk decrypt` checks
 * it): the object is streamed to a hidden temporary name in the target folder, its size and
 * sha256 checked against the manifest, and only then renamed into place, manifest last. Any
 * failure removes what was written, and the folders made for it; an existing file is never replaced. `target` may be a
 * folder, or end with a separator (`copies/`), a folder made when missing: the copy then keeps the
 * object's own name.
 */
export async function downloadBackup(explorer: BackupExplorer, id: string, target: string): Promise<BackupDownloadDto> {
  return explorer.open(id, async (located) => {
    const { entry } = located;
    const { text, manifest } = completeManifest(located, 'downloaded');
    const output = namesFolder(target) || (await isFolder(target)) ? path.join(target, path.posix.basename(entry.key)) : target;
    const manifestOutput = `${output}${MANIFEST_SUFFIX}`;
    for (const file of [output, manifestOutput]) refuseExisting(file, 'downloaded');
    const folder = path.dirname(output);
    const writeFailure = (error: unknown): AppError => fsAppError(error, 'FILE_WRITE_FAILED', `Could not write the copy of ${entry.key} to ${output}`, { path: output, device: folder, creating: true });
    const stamp = randomUUID().slice(0, 8);
    const partial = path.join(folder, `.${path.basename(output)}.${stamp}.partial`);
    const partialManifest = path.join(folder, `.${path.basename(manifestOutput)}.${stamp}.partial`);
    // Folders made for the copy go again when it fails (a damaged object, a destination gone).
    return withOutputFolder(folder, (error) => (error instanceof AppError ? error : writeFailure(error)), async () => {
      let placed = false;
      try {
        const sink = createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true });
        const { size, sha256 } = await copyChecked(located, id, manifest, sink, { writeFailure, afterMismatch: 'so nothing was kept' });
        await writeFile(partialManifest, text, { flag: 'wx', mode: 0o600, flush: true }).catch((error: unknown) => Promise.reject(writeFailure(error)));
        // Made meanwhile by someone else (the object or its manifest): kept, and nothing of this copy is left.
        placeNewOrRefuse(partial, output, 'downloaded', writeFailure);
        placed = true;
        placeNewOrRefuse(partialManifest, manifestOutput, 'downloaded', writeFailure);
        return { path: output, manifestPath: manifestOutput, size, sha256 };
      } catch (error) {
        await Promise.all([rm(partial, { force: true }), rm(partialManifest, { force: true }), placed ? rm(output, { force: true }) : undefined]).catch(() => undefined);
        throw error;
      }
    });
  });
}

/** What streamBackup sent: the object's key, and the size and sha256 that matched its manifest. */
export interface StreamedBackup {
  key: string;
  destination: string;
  size: number;
  sha256: string;
}

/**
 * The stored bytes of a complete backup, exactly as stored (still compressed and encrypted), into
 * `sink` as they are read (`vaultdesk backup download ID -o - | age -d ... | pg_restore`), their
 * size and sha256 checked against the manifest on the way. A stream cannot be taken back: a
 * mismatch is found once the bytes have gone, and the INTEGRITY_FAILED it ends with says to
 * discard them.
 */
export async function streamBackup(explorer: BackupExplorer, id: string, sink: Writable, sinkName: string): Promise<StreamedBackup> {
  return explorer.open(id, async (located) => {
    const { manifest } = completeManifest(located, 'streamed');
    const { size, sha256 } = await copyChecked(located, id, manifest, sink, {
      writeFailure: (error) => new AppError('FILE_WRITE_FAILED', `Could not write ${located.entry.key} to ${sinkName}: ${error instanceof Error ? error.message : String(error)}.`, { key: located.entry.key }),
      afterMismatch: `so the bytes already written to ${sinkName} are not this backup: discard them`,
    });
    return { key: located.entry.key, destination: located.destination.name, size, sha256 };
  });
}

/** The manifest of a backup that can be copied; anything else is refused before a byte is read. */
function completeManifest({ entry, backup }: LocatedBackup, action: string): { text: string; manifest: BackupManifest } {
  const text = entry.manifest?.text;
  if (!backup.complete || !entry.manifest?.reading.ok || text == null) throw notABackup(backup, action);
  return { text, manifest: entry.manifest.reading.manifest };
}

/** Reads the object into `sink`, hashing it as it passes, and refuses it (INTEGRITY_FAILED) when it is not what its manifest describes. */
async function copyChecked(
  { destination, driver, entry }: LocatedBackup,
  id: string,
  { object }: BackupManifest,
  sink: Writable,
  words: { writeFailure: (error: unknown) => AppError; afterMismatch: string },
): Promise<{ size: number; sha256: string }> {
  const meter = new Sha256Meter();
  // The first stream to fail says whether reading the backup or writing the copy went wrong.
  let writeError: unknown = null;
  sink.once('error', (error) => (writeError ??= error));
  await pipeline(await driver.get(entry.key), meter, sink).catch((error: unknown) => {
    throw writeError !== null ? words.writeFailure(writeError) : error;
  });
  const sha256 = meter.hash.digest('hex');
  if (meter.bytes !== object.size || sha256 !== object.sha256) {
    throw new AppError(
      'INTEGRITY_FAILED',
      `The stored copy of ${entry.key} on destination "${destination.name}" does not match its manifest (${meter.bytes} bytes with sha256 ${sha256}; the manifest says ${object.size} bytes with sha256 ${object.sha256}), ${words.afterMismatch}. vaultdesk backup verify ${id} records this.`,
      { key: entry.key, destination: destination.name },
    );
  }
  return { size: meter.bytes, sha256 };
}

class Sha256Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

async function isFolder(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}
