import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/ipc/result';
import { ensureFolderSync } from '../files/ensure-folder';
import { describeFsError, fsAppError } from '../files/fs-errors';
import { placeNew } from '../files/place-new';
import { decodeMasterKey, type KeyStore } from './key-store';

/** A key given by the host's environment (VAULTDESK_MASTER_KEY). Read-only by nature. */
export function createEnvKeyStore(value: string, variable = 'VAULTDESK_MASTER_KEY'): KeyStore {
  const key = decodeMasterKey(value);
  if (!key) throw new AppError('MASTER_KEY_UNAVAILABLE', `${variable} must be the base64 encoding of exactly 32 bytes.`);
  const readonly = async (): Promise<never> => {
    throw new AppError(
      'KEY_STORE_READONLY',
      `The master key comes from ${variable}, which Vaultdesk cannot change. Use --master-key-file FILE or the OS keychain to rotate or import keys.`,
    );
  };
  return {
    kind: 'env',
    writable: false,
    describe: () => `environment variable ${variable}`,
    load: async () => key,
    save: readonly,
    loadPending: async () => null,
    savePending: readonly,
    clearPending: async () => undefined,
  };
}

/**
 * Writes the file under a temporary name and renames it, so a crash leaves the old key or the
 * new one, and a failed write (a full disk) leaves no half-written copy of the secret. With
 * `createFolder`, missing folders above it are made (mode 0700). Fails with FILE_WRITE_FAILED
 * saying what went wrong with which path. `noReplace`: a file already at `file` is kept and the
 * write fails (EEXIST).
 */
export function writeSecretFile(file: string, content: string | Uint8Array, options: { createFolder?: boolean; noReplace?: boolean } = {}): void {
  const tmp = `${file}.tmp-${process.pid}`;
  let created = false;
  try {
    if (options.createFolder) ensureFolderSync(path.dirname(file), { mode: 0o700 });
    const fd = openSync(tmp, 'w', 0o600);
    created = true;
    try {
      // writeFileSync on a descriptor loops until every byte is written; writeSync may stop short.
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.noReplace) placeNew(tmp, file);
    else renameSync(tmp, file);
  } catch (error) {
    if (created) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // The write's own failure is the one to report.
      }
    }
    throw fsAppError(error, 'FILE_WRITE_FAILED', `Could not write ${file}`, { path: file, device: path.dirname(file), creating: true });
  }
}

function readKeyFile(file: string, required: boolean): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('MASTER_KEY_UNAVAILABLE', `Cannot read the master key file ${file}: ${describeFsError(error, { path: file }).words}.`);
  }
  const key = decodeMasterKey(text);
  if (!key) throw new AppError('MASTER_KEY_UNAVAILABLE', `The master key file ${file} must hold the base64 encoding of exactly 32 bytes.`);
  return key;
}

/**
 * A key file given with --master-key-file: created on first start if missing, rotated in place.
 * With `createFolder`, a missing folder above it is made (mode 0700), as for the key file kept
 * beside the data dir.
 */
export function createFileKeyStore(file: string, options: { createFolder?: boolean } = {}): KeyStore {
  const pending = `${file}.pending`;
  return {
    kind: 'file',
    writable: true,
    describe: () => `key file ${file}`,
    load: async () => readKeyFile(file, false),
    save: async (_account, key) => writeSecretFile(file, `${key.toString('base64')}\n`, options),
    loadPending: async () => readKeyFile(pending, false),
    savePending: async (_account, key) => writeSecretFile(pending, `${key.toString('base64')}\n`, options),
    clearPending: async () => rmSync(pending, { force: true }),
  };
}
