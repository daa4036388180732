import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupDownloadDto } from '../../../shared/domain/backups';
import { AppError } from '../../../shared/ipc/result';
import { ensureFolder } from '../files/ensure-folder';
import { fsAppError } from '../files/fs-errors';
import { namesFolder, placeNewOrRefuse, refuseExisting } from '../files/place-new';
import { MANIFEST_SUFFIX } from '../pipeline/manifest';
import { notABackup, type BackupExplorer } from './backup-explorer';

/**
 * A local copy of a complete backup, with its manifest beside it (so `vaultdesk decrypt` checks
 * it): the object is streamed to a hidden temporary name in the target folder, its size and
 * sha256 checked against the manifest, and only then renamed into place, manifest last. Any
 * failure removes what was written; an existing file is never replaced. `target` may be a
 * folder, or end with a separator (`copies/`), a folder made when missing: the copy then keeps the
 * object's own name.
 */
export async function downloadBackup(explorer: BackupExplorer, id: string, target: string): Promise<BackupDownloadDto> {
  return explorer.open(id, async ({ destination, driver, entry, backup }) => {
    const text = entry.manifest?.text;
    if (!backup.complete || !entry.manifest?.reading.ok || text == null) throw notABackup(backup, 'downloaded');
    const manifest = entry.manifest.reading.manifest;
    const output = namesFolder(target) || (await isFolder(target)) ? path.join(target, path.posix.basename(entry.key)) : target;
    const manifestOutput = `${output}${MANIFEST_SUFFIX}`;
    for (const file of [output, manifestOutput]) refuseExisting(file, 'downloaded');
    const folder = path.dirname(output);
    const writeFailure = (error: unknown): AppError => fsAppError(error, 'FILE_WRITE_FAILED', `Could not write the copy of ${entry.key} to ${output}`, { path: output, device: folder });
    await ensureFolder(folder).catch((error: unknown) => Promise.reject(error instanceof AppError ? error : writeFailure(error)));
    const stamp = randomUUID().slice(0, 8);
    const partial = path.join(folder, `.${path.basename(output)}.${stamp}.partial`);
    const partialManifest = path.join(folder, `.${path.basename(manifestOutput)}.${stamp}.partial`);
    let placed = false;
    try {
      const meter = new Sha256Meter();
      // The first stream to fail says whether reading the backup or writing the copy went wrong.
      let writeError: unknown = null;
      const sink = createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true }).once('error', (error) => (writeError ??= error));
      await pipeline(await driver.get(entry.key), meter, sink).catch((error: unknown) => {
        throw writeError !== null ? writeFailure(writeError) : error;
      });
      const sha256 = meter.hash.digest('hex');
      if (meter.bytes !== manifest.object.size || sha256 !== manifest.object.sha256) {
        throw new AppError(
          'INTEGRITY_FAILED',
          `The stored copy of ${entry.key} on destination "${destination.name}" does not match its manifest (${meter.bytes} bytes with sha256 ${sha256}; the manifest says ${manifest.object.size} bytes with sha256 ${manifest.object.sha256}), so nothing was kept. vaultdesk backup verify ${id} records this.`,
          { key: entry.key, destination: destination.name },
        );
      }
      await writeFile(partialManifest, text, { flag: 'wx', mode: 0o600, flush: true }).catch((error: unknown) => Promise.reject(writeFailure(error)));
      // Made meanwhile by someone else (the object or its manifest): kept, and nothing of this copy is left.
      placeNewOrRefuse(partial, output, 'downloaded', writeFailure);
      placed = true;
      placeNewOrRefuse(partialManifest, manifestOutput, 'downloaded', writeFailure);
      return { path: output, manifestPath: manifestOutput, size: meter.bytes, sha256 };
    } catch (error) {
      await Promise.all([rm(partial, { force: true }), rm(partialManifest, { force: true }), placed ? rm(output, { force: true }) : undefined]).catch(() => undefined);
      throw error;
    }
  });
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
