import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { ensureFolder } from '../files/ensure-folder';
import { fsAppError } from '../files/fs-errors';
import { createAgeDecryptStream, parseIdentityFile, type AgeDecryptKeys } from './age-stream';
import { createDecompressStream } from './compress';
import { MANIFEST_SUFFIX, type BackupManifest } from './manifest';

export interface OfflineDecryptOptions {
  /** The text of identity files (AGE-SECRET-KEY-1... lines, comments allowed), or a passphrase. */
  keys: { identityText: string[] } | { passphrase: string };
  /** Decompress according to the file name (.zst, .gz) after decrypting. */
  decompress: boolean;
}

export interface OfflineDecryptResult {
  bytesIn: number;
  bytesOut: number;
  /** Whether a manifest was found beside the file and its sha256 matched. */
  verifiedAgainstManifest: boolean;
  compression: Compression;
}

/** `.dump.zst.age` -> zstd; the name is all there is when no manifest is at hand. */
export function compressionFromName(file: string): Compression {
  const name = file.replace(/\.age$/, '');
  if (name.endsWith('.zst')) return 'zstd';
  if (name.endsWith('.gz')) return 'gzip';
  return 'none';
}

class Sha256Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

/**
 * Decrypts (and decompresses) a downloaded backup with no data dir: what a DBA runs when the
 * app or its configuration is gone. If the manifest is beside the file, the stored bytes are
 * checked against its sha256 too; a mismatch fails and the output is not kept.
 */
export async function decryptBackupFile(file: string, output: { path: string } | { stream: Writable }, options: OfflineDecryptOptions): Promise<OfflineDecryptResult> {
  if (!existsSync(file)) throw new AppError('OBJECT_NOT_FOUND', `${file} does not exist.`);
  const keys: AgeDecryptKeys = 'passphrase' in options.keys ? { passphrase: options.keys.passphrase } : { identities: options.keys.identityText.flatMap((t) => parseIdentityFile(t)) };
  const manifestFile = `${file}${MANIFEST_SUFFIX}`;
  const manifest = existsSync(manifestFile) ? readManifest(manifestFile) : null;
  const compression = manifest?.compression?.algorithm ?? compressionFromName(file);
  const meter = new Sha256Meter();
  let out = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      out += chunk.length;
      cb(null, chunk);
    },
  });
  const outPath = 'path' in output ? output.path : null;
  const target = outPath === null ? null : `${outPath}.partial`;
  const writeFailure = (error: unknown): AppError => fsAppError(error, 'FILE_WRITE_FAILED', `Could not write ${outPath}`, { path: outPath!, device: path.dirname(outPath!) });
  if (outPath !== null) await ensureFolder(path.dirname(outPath)).catch((error: unknown) => Promise.reject(writeFailure(error)));
  // Once one stream fails the pipeline destroys the others with the same error: the first one
  // to fail says whether reading the backup or writing the result went wrong.
  let first: { side: 'read' | 'decrypt' | 'write'; error: unknown } | null = null;
  const watch = <S extends NodeJS.EventEmitter>(stream: S, side: 'read' | 'decrypt' | 'write'): S => stream.once('error', (error: unknown) => (first ??= { side, error }));
  const input = watch(createReadStream(file), 'read');
  const stages = [createAgeDecryptStream(keys), ...(options.decompress ? [createDecompressStream(compression)] : []), counter].map((stage) => watch(stage, 'decrypt'));
  const sink = target ? watch(createWriteStream(target, { mode: 0o600 }), 'write') : (output as { stream: Writable }).stream;
  try {
    await pipeline([input, meter, ...stages, sink]);
    const digest = meter.hash.digest('hex');
    if (manifest && manifest.object.sha256 !== digest) {
      throw new AppError('INTEGRITY_FAILED', `${file} does not match its manifest: sha256 ${digest}, expected ${manifest.object.sha256}. The file was changed or damaged after it was stored.`);
    }
    if (target && outPath !== null) await rename(target, outPath).catch((error: unknown) => Promise.reject(writeFailure(error)));
    return { bytesIn: meter.bytes, bytesOut: out, verifiedAgainstManifest: manifest !== null, compression };
  } catch (error) {
    if (target) await rm(target, { force: true }).catch(() => undefined);
    const failed = first as { side: 'read' | 'decrypt' | 'write'; error: unknown } | null;
    if (failed?.side === 'write' && target) throw writeFailure(failed.error);
    if (failed?.side === 'read' && !(failed.error instanceof AppError)) throw fsAppError(failed.error, 'DECRYPT_FAILED', `Could not read ${file}`, { path: file });
    throw error;
  }
}

/** The manifest beside a backup; one that cannot be read or is damaged is said so, not decrypted around. */
function readManifest(file: string): BackupManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fsAppError(error, 'INTEGRITY_FAILED', `Could not read the manifest beside the backup`, { path: file });
  }
  let manifest: Partial<BackupManifest> | null;
  try {
    manifest = JSON.parse(text) as Partial<BackupManifest> | null;
  } catch {
    manifest = null;
  }
  if (!manifest || typeof manifest.object?.sha256 !== 'string') {
    throw new AppError(
      'INTEGRITY_FAILED',
      `The manifest beside the backup, ${file}, is damaged (it is not a Vaultdesk manifest), so the backup's checksum cannot be checked. Move it away to decrypt without that check.`,
      { path: file },
    );
  }
  return manifest as BackupManifest;
}
