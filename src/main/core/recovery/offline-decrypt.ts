import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { AppError } from '../../../shared/ipc/result';
import { AGE_MAGIC, findHeaderEnd, headerOpener } from '../pipeline/age-header';
import { MANIFEST_SUFFIX, recipientFingerprint, type BackupManifest } from '../pipeline/manifest';
import { findSevenZip, type SevenZipPathSetting } from '../pipeline/seven-zip-tool';
import { decryptBackupFile, readManifestBeside, type FileKeys, type OfflineDecryptResult } from './decrypt-file';
import { resolveKeyFiles, resolveKitPassphrases, type KeyFile, type ResolvedIdentity, type ResolvedKeys, type ResolvedPassphrase } from './decrypt-keys';

/**
 * Why an offline decryption failed, for a script to branch on (`vaultdesk decrypt` turns each
 * into an exit code of its own); the message says it to a person.
 * - not-age: the file is not an age file (nor a 7-Zip archive).
 * - wrong-key: the identity files or the passphrase given do not open the file.
 * - kit-no-match: nothing in the recovery kit opens the file (no identity, or for a 7-Zip archive no 7-Zip passphrase).
 * - kit-passphrase: the passphrase does not unwrap the kit's (or an identity file's) identities.
 * - truncated: the file ends early.
 * - tampered: the file was modified (a chunk, its header, data appended, or its manifest's sha256).
 */
export type DecryptFailureKind = 'not-age' | 'wrong-key' | 'kit-no-match' | 'kit-passphrase' | 'truncated' | 'tampered';

export interface OfflineDecryptRequest {
  file: string;
  output: { path: string } | { stream: Writable };
  /** `-i`: identity files, passphrase-wrapped identities (.age) and recovery kits (.zip), as read from disk. */
  keyFiles: KeyFile[];
  /** Unwraps the kit or the identity; without key files, the passphrase of the file itself (age or 7-Zip). A 7-Zip archive opens with a kit's 7-Zip passphrases too. */
  passphrase?: string;
  decompress: boolean;
  /** Where 7-Zip is looked for: the host's tool environment. */
  toolEnv: Record<string, string | undefined>;
  /** 7-Zip's path (set in Settings, or `vaultdesk decrypt --7z`), searched for when absent. */
  sevenZipPath?: string;
  /** Where that path is set, for the words of a 7-Zip missing or too old: Settings unless given. */
  sevenZipSetting?: SevenZipPathSetting;
  /** Bytes of the backup file read so far (age files; 7-Zip reads the file itself). */
  onProgress?: (bytesRead: number) => void;
  /** Stops the decryption (Ctrl-C, the UI's cancel): the partial output is removed, and CANCELLED is thrown. */
  signal?: AbortSignal;
}

export interface OfflineDecryptOutcome extends OfflineDecryptResult {
  /** What opened the file, in words (`profile "team" of kit /x/kit.zip`, `passphrase`). */
  openedWith: string;
  format: 'age' | '7z';
}

const SEVEN_ZIP_MAGIC = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);

/** The kind of a failure `decryptOffline` threw, or null for the others (a missing file, a full disk, bad input). */
export function decryptFailureKind(error: unknown): DecryptFailureKind | null {
  const failure = error instanceof AppError ? error.details?.failure : undefined;
  return typeof failure === 'string' ? (failure as DecryptFailureKind) : null;
}

function classified(error: AppError, failure: DecryptFailureKind, message = error.message): AppError {
  return new AppError(error.code, message, { ...error.details, failure });
}

/**
 * `vaultdesk decrypt`: a backup file opened with what a DBA has when Vaultdesk is gone (an
 * identity file, a wrapped identity, a recovery kit, or a passphrase), with no data dir and no
 * keychain. The output is written only once the whole file authenticated and decompressed;
 * every failure of the file or the keys carries a DecryptFailureKind and leaves no output.
 */
export async function decryptOffline(request: OfflineDecryptRequest): Promise<OfflineDecryptOutcome> {
  const { file } = request;
  const start = fileStart(file);
  const manifest = readManifestBeside(file);
  if (start.subarray(0, SEVEN_ZIP_MAGIC.length).equals(SEVEN_ZIP_MAGIC)) return decryptSevenZip(request, manifest);
  let keys: FileKeys;
  let resolved: ResolvedKeys | null = null;
  if (request.keyFiles.length === 0) {
    if (request.passphrase === undefined) throw new AppError('VALIDATION_FAILED', 'Give an identity file or recovery kit (-i FILE), or the passphrase the file was encrypted to.', { field: 'identity' });
    keys = { passphrase: request.passphrase };
  } else {
    const wanted = manifest?.encryption?.kind === 'age' && Array.isArray(manifest.encryption.recipients) ? manifest.encryption.recipients.map((r) => recipientFingerprintOf(r)) : null;
    try {
      resolved = await resolveKeyFiles(request.keyFiles, request.passphrase, wanted);
    } catch (error) {
      if (error instanceof AppError && error.details?.reason === 'kit-passphrase') throw classified(error, 'kit-passphrase');
      if (error instanceof AppError && error.details?.reason === 'kit-no-match') throw classified(error, 'kit-no-match');
      throw error;
    }
    const opener = resolved.identities.length > 1 ? await identityThatOpens(file, resolved.identities) : null;
    if (opener) resolved = { identities: [opener] };
    keys = { identityText: resolved.identities.map((i) => i.text) };
  }
  try {
    const result = await decryptBackupFile(file, request.output, { keys, decompress: request.decompress, manifest, onProgress: request.onProgress, signal: request.signal });
    return { ...result, openedWith: resolved ? openedWith(resolved) : 'the passphrase', format: 'age' };
  } catch (error) {
    throw classify(error, file, resolved, manifest);
  }
}

/** The first bytes, to tell a 7-Zip archive from an age file; a file that cannot be opened is said so here. */
function fileStart(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('OBJECT_NOT_FOUND', `${file} does not exist.`, { path: file, field: 'file' });
    if (code === 'EISDIR') throw new AppError('VALIDATION_FAILED', `${file} is a folder, not a backup file.`, { path: file, field: 'file' });
    throw new AppError('DECRYPT_FAILED', `Could not read ${file}: ${(error as Error).message}.`, { path: file, field: 'file' });
  }
  try {
    const buffer = Buffer.alloc(AGE_MAGIC.length);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new AppError('VALIDATION_FAILED', `${file} is a folder, not a backup file.`, { path: file, field: 'file' });
    throw new AppError('DECRYPT_FAILED', `Could not read ${file}: ${(error as Error).message}.`, { path: file, field: 'file' });
  } finally {
    closeSync(fd);
  }
}

/**
 * Of several identities (a whole kit, without a manifest to narrow it), the one whose stanza the
 * header opens, so the output can say which profile it was. Opening a header is cheap once the
 * identities are unwrapped. Null when none does or the header cannot be read: the decryption
 * itself then fails in words.
 */
async function identityThatOpens(file: string, identities: ResolvedIdentity[]): Promise<ResolvedIdentity | null> {
  let head: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(64 * 1024);
      head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const end = findHeaderEnd(head);
  if (end < 0) return null;
  for (const identity of identities) {
    try {
      await headerOpener({ identities: [identity.text] }).open(head.subarray(0, end));
      return identity;
    } catch {
      // Not this one.
    }
  }
  return null;
}

/** A manifest is read from storage nobody vouches for: a recipient entry that is not one is skipped. */
function recipientFingerprintOf(entry: unknown): string {
  const r = entry as { recipient?: unknown; fingerprint?: unknown } | null;
  if (r && typeof r.fingerprint === 'string') return r.fingerprint;
  if (r && typeof r.recipient === 'string') return recipientFingerprint(r.recipient);
  return '';
}

function openedWith(resolved: ResolvedKeys): string {
  const used = resolved.identities;
  if (used.length === 1) return used[0]!.origin;
  return `one of ${used.length} identities (${used.map((u) => u.origin).join('; ')})`;
}

function classify(error: unknown, file: string, resolved: ResolvedKeys | null, manifest: BackupManifest | null): unknown {
  if (!(error instanceof AppError)) return error;
  if (error.code === 'INTEGRITY_FAILED' && error.details?.reason === 'manifest-mismatch') return classified(error, 'tampered');
  if (error.code !== 'DECRYPT_FAILED') return error;
  switch (error.details?.reason) {
    case 'not-age':
    case 'armored':
      return classified(error, 'not-age', `${file}: ${error.message}`);
    case 'truncated':
      return endDamaged(error, file, manifest);
    case 'malformed-header':
    case 'header-mac':
    case 'modified':
    case 'appended':
      return classified(error, 'tampered', `${file}: ${error.message}`);
    case 'no-match':
      return noMatch(error, file, resolved);
    default:
      return error;
  }
}

/**
 * A last chunk that does not authenticate reads the same whether the file was cut short or its
 * end was modified. The manifest's size tells them apart when it is beside the file.
 */
function endDamaged(error: AppError, file: string, manifest: BackupManifest | null): AppError {
  const expected = manifest?.object?.size;
  let size: number | null = null;
  try {
    size = statSync(file).size;
  } catch {
    // Said without the sizes.
  }
  if (typeof expected !== 'number' || size === null) return classified(error, 'truncated', `${file}: ${error.message}`);
  if (size < expected) return classified(error, 'truncated', `${file} is truncated: it has ${size} of the ${expected} bytes its manifest gives. Use a complete copy of this backup.`);
  if (size === expected) return classified(error, 'tampered', `${file} was modified: it has the size its manifest gives, but its last chunk does not authenticate. Use another copy of this backup.`);
  return classified(error, 'tampered', `${file} was modified: it has ${size} bytes, more than the ${expected} its manifest gives. Use another copy of this backup.`);
}

/** "Nothing opened it", said for what was tried: a kit's profiles, identity files, or a passphrase. */
function noMatch(error: AppError, file: string, resolved: ResolvedKeys | null): AppError {
  if (resolved === null || error.details?.passphraseFile === true) return classified(error, 'wrong-key', `${file}: ${error.message}`);
  const n = typeof error.details?.recipients === 'number' ? error.details.recipients : 0;
  const to = `it was encrypted to ${n} recipient${n === 1 ? '' : 's'}`;
  if (resolved.identities.every((i) => i.kit !== null)) {
    const kits = [...new Set(resolved.identities.map((i) => i.kit!))];
    const profiles = resolved.identities.map((i) => JSON.stringify(i.profile)).join(', ');
    return classified(
      error,
      'kit-no-match',
      `No identity in the recovery kit${kits.length === 1 ? ` ${kits[0]}` : `s ${kits.join(', ')}`} opens ${file} (tried profile${resolved.identities.length === 1 ? '' : 's'} ${profiles}; ${to}). It was made with a profile this kit does not hold: use a kit or identity file of that profile.`,
    );
  }
  return classified(error, 'wrong-key', `Wrong key: none of the identities given (${resolved.identities.map((i) => i.origin).join('; ')}) opens ${file}; ${to}. Use the identity of the profile that made the backup.`);
}

/**
 * A 7-Zip backup opens with its profile's passphrase: given alone, or, from kits given with -i,
 * each of their 7-Zip passphrases in turn (the manifest does not name the profile) until one opens it.
 */
async function decryptSevenZip(request: OfflineDecryptRequest, manifest: BackupManifest | null): Promise<OfflineDecryptOutcome> {
  let fromKits: ResolvedPassphrase[] | null = null;
  if (request.keyFiles.length > 0) {
    try {
      fromKits = await resolveKitPassphrases(request.keyFiles, request.passphrase, request.file);
    } catch (error) {
      if (error instanceof AppError && (error.details?.reason === 'kit-passphrase' || error.details?.reason === 'kit-no-match')) throw classified(error, error.details.reason);
      throw error;
    }
  } else if (request.passphrase === undefined) {
    throw new AppError('VALIDATION_FAILED', `${request.file} is a 7-Zip archive: give the passphrase of the 7-Zip profile that made it, or a recovery kit that holds the profile.`, { field: 'passphrase' });
  }
  const passphrases = fromKits ? fromKits.map((p) => p.passphrase) : [request.passphrase!];
  const tool = await findSevenZip(request.toolEnv, request.sevenZipPath, request.sevenZipSetting);
  try {
    const result = await decryptBackupFile(request.file, request.output, { keys: { sevenZip: { tool, passphrases } }, decompress: false, manifest, signal: request.signal });
    const opener = fromKits?.[result.sevenZipPassphrase ?? 0];
    return { ...result, openedWith: opener ? `7-Zip profile ${JSON.stringify(opener.profile)} of recovery kit ${opener.kit}` : 'the 7-Zip passphrase', format: '7z' };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'INTEGRITY_FAILED' && error.details?.reason === 'manifest-mismatch') {
      const expected = manifest?.object?.size;
      const size = statSync(request.file).size;
      if (typeof expected === 'number' && size < expected) {
        return Promise.reject(classified(error, 'truncated', `${request.file} is truncated: it has ${size} of the ${expected} bytes its manifest gives. Use a complete copy of this backup.`));
      }
    }
    if (error.code === 'INTEGRITY_FAILED') return Promise.reject(classified(error, 'tampered'));
    if (error.code === 'DECRYPT_FAILED' && (error.details?.reason === 'no-match' || error.details?.reason === 'wrong-passphrase') && fromKits) return Promise.reject(sevenZipKitNoMatch(error, request.file, fromKits, manifest !== null));
    if (error.code === 'DECRYPT_FAILED' && error.details?.reason === 'wrong-passphrase') {
      return Promise.reject(classified(error, 'wrong-key', `The 7-Zip passphrase does not open ${request.file}: ${manifest ? 'it is not the passphrase of the profile that made this backup' : 'wrong passphrase, or the archive is damaged'}. ${intactOrNot(request.file, manifest !== null)}`));
    }
    // An archive cut short cannot even be listed: 7-Zip says so in these words.
    if (error.code === 'DECRYPT_FAILED' && /Unexpected end of archive/i.test(error.message)) {
      return Promise.reject(classified(error, 'truncated', `${request.file} is truncated: 7-Zip finds the archive cut short ("Unexpected end of archive"). Use a complete copy of this backup.`));
    }
    throw error;
  }
}

/**
 * 7-Zip's encrypted headers carry no check of their own that a damaged byte fails before the
 * passphrase is tried: a damaged archive and a wrong passphrase read the same. The manifest, when
 * beside the file, was checked first (checkWholeFile), and then rules the damage out.
 */
function intactOrNot(file: string, checked: boolean): string {
  if (checked) return 'The file matches its manifest, so it is not damaged.';
  return `7-Zip cannot tell a damaged archive from a wrong passphrase: put the backup's manifest beside the file (${path.basename(file)}${MANIFEST_SUFFIX}, which \`vaultdesk backup download\` writes) to have the file checked first.`;
}

/** No 7-Zip passphrase of the kits opens the archive: the age case's kit-no-match, in 7-Zip's terms. */
function sevenZipKitNoMatch(error: AppError, file: string, tried: readonly ResolvedPassphrase[], checked: boolean): AppError {
  const kits = [...new Set(tried.map((t) => t.kit))];
  const profiles = tried.map((t) => JSON.stringify(t.profile)).join(', ');
  return classified(
    error,
    'kit-no-match',
    `No 7-Zip passphrase in the recovery kit${kits.length === 1 ? ` ${kits[0]}` : `s ${kits.join(', ')}`} opens ${file} (tried 7-Zip profile${tried.length === 1 ? '' : 's'} ${profiles}). It was made with a 7-Zip profile this kit does not hold: use a kit of that profile, or give its passphrase alone. ${intactOrNot(file, checked)}`,
  );
}
