import { openSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import { constants } from 'node:fs';
import { AppError } from '../../../shared/ipc/result';
import { describeFsError } from '../files/fs-errors';
import { ageDecryptBuffer } from '../recovery/age-buffer';
import { systemDocument, systemDocumentHeader, SYSTEM_FORMAT_VERSION, type SystemDocument } from './system-document';

/** Far above any real configuration; a bound so a wrong path (a disk image, a device) is refused rather than read. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads, decrypts and checks a system backup. Each way it can fail has its own code and words:
 * a path that is not a readable file or not an age file (VALIDATION_FAILED), a passphrase that
 * does not open it (DECRYPT_FAILED), a damaged, cut or altered file (INTEGRITY_FAILED), a file
 * from a newer Vaultdesk or something else encrypted to a passphrase (VALIDATION_FAILED).
 */
export async function readSystemFile(file: string, passphrase: string, appVersion: string): Promise<SystemDocument> {
  const bytes = readBounded(file);
  let plaintext: Buffer;
  try {
    plaintext = await ageDecryptBuffer({ passphrase }, bytes);
  } catch (error) {
    throw decryptError(error, file);
  }
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw notSystemBackup(file, 'it decrypts, but what it holds is not JSON');
  } finally {
    plaintext.fill(0);
  }
  const header = systemDocumentHeader.safeParse(value);
  if (!header.success) throw notSystemBackup(file, 'it decrypts, but what it holds is not a Vaultdesk configuration');
  if (header.data.formatVersion > SYSTEM_FORMAT_VERSION) {
    const by = header.data.app?.version ? `Vaultdesk ${header.data.app.version}` : 'a newer Vaultdesk';
    throw new AppError(
      'VALIDATION_FAILED',
      `${file} was written by ${by} in system backup format ${header.data.formatVersion}; this Vaultdesk (${appVersion}) reads format ${SYSTEM_FORMAT_VERSION} only. Update Vaultdesk to import it.`,
      { field: 'path', reason: 'newer-format', formatVersion: header.data.formatVersion },
    );
  }
  const parsed = systemDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // Fields this Vaultdesk does not know, in a format it reads: a later Vaultdesk added them.
    if (issue.code === 'unrecognized_keys') {
      const by = header.data.app?.version ? `Vaultdesk ${header.data.app.version}` : 'another Vaultdesk';
      throw new AppError(
        'VALIDATION_FAILED',
        `${file} holds what this Vaultdesk (${appVersion}) does not know (${issue.keys.join(', ')} at ${issue.path.join('.') || 'the top'}): it was written by ${by}, likely a newer one. Update Vaultdesk to import it. Nothing was imported.`,
        { field: 'path', reason: 'newer-format', formatVersion: header.data.formatVersion },
      );
    }
    throw new AppError('VALIDATION_FAILED', `${file} is not a valid system backup: at ${issue.path.join('.') || 'the top'}, ${issue.message}. Nothing was imported.`, {
      field: 'path',
      reason: 'invalid-document',
    });
  }
  return parsed.data;
}

function readBounded(file: string): Buffer {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO someone named by mistake must not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Cannot read the system backup ${file}: ${describeFsError(error, { path: file }).words}.`, { field: 'path' });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new AppError('VALIDATION_FAILED', `${file} is not a file: give the path of a system backup (vaultdesk system export writes one).`, { field: 'path' });
    if (stat.size > MAX_FILE_BYTES) {
      throw new AppError('VALIDATION_FAILED', `${file} is ${Math.round(stat.size / 1024 / 1024)} MiB, far larger than any system backup: it is not one.`, { field: 'path' });
    }
    return readFileSync(fd);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('VALIDATION_FAILED', `Cannot read the system backup ${file}: ${describeFsError(error, { path: file }).words}.`, { field: 'path' });
  } finally {
    closeSync(fd);
  }
}

function decryptError(error: unknown, file: string): AppError {
  if (!(error instanceof AppError)) return new AppError('DECRYPT_FAILED', `${file} could not be decrypted: ${error instanceof Error ? error.message : String(error)}`, { field: 'path' });
  const reason = typeof error.details?.reason === 'string' ? error.details.reason : null;
  switch (reason) {
    case 'not-age':
    case 'armored':
      return notSystemBackup(file, lowerFirst(error.message).replace(/^this is/, 'it is').replace(/\.$/, ''), 'not-age');
    case 'no-match':
      return new AppError(
        'DECRYPT_FAILED',
        /wrong passphrase/i.test(error.message)
          ? `Wrong passphrase: it does not open the system backup ${file}. Nothing was imported.`
          : `${file} is not a system backup: ${lowerFirst(error.message)}`,
        { field: 'passphrase', reason: 'wrong-passphrase' },
      );
    case 'truncated':
    case 'modified':
    case 'appended':
    case 'header-mac':
    case 'malformed-header':
      return new AppError('INTEGRITY_FAILED', `The system backup ${file} is damaged or was altered (${lowerFirst(error.message).replace(/\.$/, '')}), so nothing was imported. Use another copy of it.`, {
        field: 'path',
        reason: 'damaged',
        detail: reason,
      });
    default:
      return new AppError(error.code, `${file}: ${error.message}`, { ...error.details, field: 'path' });
  }
}

function notSystemBackup(file: string, why: string, reason = 'not-system-backup'): AppError {
  return new AppError('VALIDATION_FAILED', `${file} is not a Vaultdesk system backup: ${why}. Nothing was imported.`, { field: 'path', reason });
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
