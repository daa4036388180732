import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { AppError } from '../../../shared/ipc/result';
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

/** Writes the file under a temporary name and renames it, so a crash leaves the old key or the new one. */
export function writeSecretFile(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    // The temporary file holds the secret: it must not outlive a failed write.
    rmSync(tmp, { force: true });
    throw error;
  }
}

function readKeyFile(file: string, required: boolean): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('MASTER_KEY_UNAVAILABLE', `Cannot read the master key file ${file}: ${(error as Error).message}`);
  }
  const key = decodeMasterKey(text);
  if (!key) throw new AppError('MASTER_KEY_UNAVAILABLE', `The master key file ${file} must hold the base64 encoding of exactly 32 bytes.`);
  return key;
}

/** A key file given with --master-key-file: created on first start if missing, rotated in place. */
export function createFileKeyStore(file: string): KeyStore {
  const pending = `${file}.pending`;
  return {
    kind: 'file',
    writable: true,
    describe: () => `key file ${file}`,
    load: async () => readKeyFile(file, false),
    save: async (_account, key) => writeSecretFile(file, `${key.toString('base64')}\n`),
    loadPending: async () => readKeyFile(pending, false),
    savePending: async (_account, key) => writeSecretFile(pending, `${key.toString('base64')}\n`),
    clearPending: async () => rmSync(pending, { force: true }),
  };
}
