import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { withOutputFolder } from '../files/ensure-folder';
import { fsAppError } from '../files/fs-errors';
import { placeNewOrRefuse, refuseExisting } from '../files/place-new';
import { createAgeDecryptStream, parseIdentityFile, type AgeDecryptKeys } from '../pipeline/age-stream';
import { createDecompressStream } from '../pipeline/compress';
import { MANIFEST_SUFFIX, type BackupManifest } from '../pipeline/manifest';
import { extractSevenZip, sevenZipPassphraseThatOpens } from '../pipeline/seven-zip-extract';
import type { SevenZipTool } from '../pipeline/seven-zip-tool';

/**
 * The text of identity files (AGE-SECRET-KEY-1... lines, comments allowed), a passphrase, or a
 * 7-Zip archive's passphrases: the one given, or a kit's, tried in turn once the file matched its manifest.
 */
export type FileKeys = { identityText: string[] } | { passphrase: string } | { sevenZip: { tool: SevenZipTool; passphrases: readonly string[] } };

export interface OfflineDecryptOptions {
  keys: FileKeys;
  /** Decompress according to the manifest, else the file name (.zst, .gz), after decrypting. */
  decompress: boolean;
  /** The manifest beside the file, already read (readManifestBeside); undefined: look for it here. */
  manifest?: BackupManifest | null;
  /** Bytes of the backup file read so far, as they are read. */
  onProgress?: (bytesRead: number) => void;
  /** Stops the decryption: the partial output is removed, and CANCELLED is thrown. */
  signal?: AbortSignal;
}

export interface OfflineDecryptResult {
  bytesIn: number;
  bytesOut: number;
  /** Whether a manifest was found beside the file and its sha256 matched. */
  verifiedAgainstManifest: boolean;
  compression: Compression;
  /** A 7-Zip archive: the index of the passphrase that opened it. */
  sevenZipPassphrase?: number;
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
  constructor(private readonly onProgress?: (bytesRead: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onProgress?.(this.bytes);
    cb(null, chunk);
  }
}

/**
 * Where the output is written until it is complete: a hidden name of its own in the output's
 * folder (so the rename is atomic), never a name a user's file may already have.
 */
export function partialName(outPath: string): string {
  return path.join(path.dirname(outPath), `.${path.basename(outPath)}.${randomBytes(6).toString('hex')}.vaultdesk-partial`);
}

/**
 * Decrypts (and decompresses) a downloaded backup with no data dir: what a DBA runs when the
 * app or its configuration is gone. If the manifest is beside the file, the stored bytes are
 * checked against its sha256 too; a mismatch fails and the output is not kept. Written to a
 * partial name and renamed only once every byte authenticated, decompressed and was written.
 */
export async function decryptBackupFile(file: string, output: { path: string } | { stream: Writable }, options: OfflineDecryptOptions): Promise<OfflineDecryptResult> {
  if (!existsSync(file)) throw new AppError('OBJECT_NOT_FOUND', `${file} does not exist.`, { path: file, field: 'file' });
  const manifest = options.manifest === undefined ? readManifestBeside(file) : options.manifest;
  const sevenZip = 'sevenZip' in options.keys ? options.keys.sevenZip : null;
  const compression = sevenZip ? 'none' : (manifest?.compression?.algorithm ?? compressionFromName(file));
  if (sevenZip && manifest) await checkWholeFile(file, manifest);
  const meter = new Sha256Meter(options.onProgress);
  let out = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      out += chunk.length;
      cb(null, chunk);
    },
  });
  const outPath = 'path' in output ? output.path : null;
  const target = outPath === null ? null : partialName(outPath);
  const writeFailure = (error: unknown): AppError => fsAppError(error, 'FILE_WRITE_FAILED', `Could not write ${outPath}`, { path: outPath!, device: path.dirname(outPath!), creating: true, field: 'out' });
  // Never over a file: a decrypted dump written over the backup it came from (or a typo's victim) would lose it.
  if (outPath !== null) refuseExisting(outPath, 'decrypted');
  // Folders made for the output go again if nothing is written in the end (a wrong key, say).
  return withOutputFolder(outPath === null ? null : path.dirname(outPath), writeFailure, async () => {
    // Once one stream fails the pipeline destroys the others with the same error: the first one
    // to fail says whether reading the backup or writing the result went wrong.
    let first: { side: 'read' | 'decrypt' | 'write'; error: unknown } | null = null;
    const watch = <S extends NodeJS.EventEmitter>(stream: S, side: 'read' | 'decrypt' | 'write'): S => stream.once('error', (error: unknown) => (first ??= { side, error }));
    let head: Readable[];
    let opener: number | undefined;
    if ('sevenZip' in options.keys) {
      const { sevenZip: keys } = options.keys;
      opener = await sevenZipOpener(file, keys, options.signal);
      head = [watch(await extractSevenZip(file, { tool: keys.tool, passphrase: keys.passphrases[opener]!, signal: options.signal }), 'decrypt')];
    } else {
      const keys: AgeDecryptKeys = 'passphrase' in options.keys ? { passphrase: options.keys.passphrase } : { identities: options.keys.identityText.flatMap((t) => parseIdentityFile(t)) };
      const decrypt = createAgeDecryptStream(keys);
      head = [watch(createReadStream(file), 'read'), meter, watch(decrypt, 'decrypt')];
    }
    const stages = [...(options.decompress ? [createDecompressStream(compression)] : []), counter].map((stage) => watch(stage, 'decrypt'));
    // `wx`: the partial name is new; anything already there is not ours to overwrite.
    const sink = target ? watch(createWriteStream(target, { mode: 0o600, flags: 'wx' }), 'write') : (output as { stream: Writable }).stream;
    try {
      await pipeline([...head, ...stages, sink], { signal: options.signal });
      let verified = sevenZip !== null && manifest !== null;
      if (!sevenZip && manifest) {
        const digest = meter.hash.digest('hex');
        if (manifest.object.sha256 !== digest) throw integrityFailed(file, digest, manifest.object.sha256);
        verified = true;
      }
      if (target && outPath !== null) {
        // Made meanwhile by someone else: kept, and this one is not put in its place.
        placeNewOrRefuse(target, outPath, 'decrypted', writeFailure);
      }
      return { bytesIn: sevenZip ? statSync(file).size : meter.bytes, bytesOut: out, verifiedAgainstManifest: verified, compression, ...(opener === undefined ? {} : { sevenZipPassphrase: opener }) };
    } catch (error) {
      if (target) await rm(target, { force: true }).catch(() => undefined);
      if (options.signal?.aborted) throw new AppError('CANCELLED', outPath === null ? 'The decryption was cancelled.' : `The decryption was cancelled; nothing was written at ${outPath}.`);
      const failed = first as { side: 'read' | 'decrypt' | 'write'; error: unknown } | null;
      if (failed?.side === 'write' && target) throw writeFailure(failed.error);
      if (failed?.side === 'read' && !(failed.error instanceof AppError)) throw fsAppError(failed.error, 'DECRYPT_FAILED', `Could not read ${file}`, { path: file, field: 'file' });
      throw error;
    }
  });
}

/**
 * Which of the passphrases opens the archive. One alone is left to the extraction, whose own
 * words say a wrong one; of several, none opening is DECRYPT_FAILED with reason `no-match`.
 */
async function sevenZipOpener(file: string, keys: { tool: SevenZipTool; passphrases: readonly string[] }, signal: AbortSignal | undefined): Promise<number> {
  if (keys.passphrases.length === 1) return 0;
  const opener = await sevenZipPassphraseThatOpens(file, { ...keys, signal });
  if (opener === null) throw new AppError('DECRYPT_FAILED', `None of the ${keys.passphrases.length} 7-Zip passphrases opens ${file}.`, { reason: 'no-match', tried: keys.passphrases.length });
  return opener;
}

function integrityFailed(file: string, digest: string, expected: string): AppError {
  return new AppError('INTEGRITY_FAILED', `${file} does not match its manifest: sha256 ${digest}, expected ${expected}. The file was changed or damaged after it was stored.`, { reason: 'manifest-mismatch' });
}

/** A 7-Zip archive is hashed in a pass of its own before 7-Zip reads it: 7-Zip is handed the file, not a stream. */
async function checkWholeFile(file: string, manifest: BackupManifest): Promise<void> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    throw fsAppError(error, 'DECRYPT_FAILED', `Could not read ${file}`, { path: file, field: 'file' });
  }
  const digest = hash.digest('hex');
  if (digest !== manifest.object.sha256) throw integrityFailed(file, digest, manifest.object.sha256);
}

/** The manifest beside a backup, or null; one that cannot be read or is damaged is said so, not decrypted around. */
export function readManifestBeside(file: string): BackupManifest | null {
  const manifestFile = `${file}${MANIFEST_SUFFIX}`;
  if (!existsSync(manifestFile)) return null;
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch (error) {
    throw fsAppError(error, 'INTEGRITY_FAILED', `Could not read the manifest beside the backup`, { path: manifestFile });
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
      `The manifest beside the backup, ${manifestFile}, is damaged (it is not a Vaultdesk manifest), so the backup's checksum cannot be checked. Move it away to decrypt without that check.`,
      { path: manifestFile, reason: 'manifest-damaged' },
    );
  }
  return manifest as BackupManifest;
}
