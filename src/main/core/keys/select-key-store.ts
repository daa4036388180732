import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/ipc/result';
import { createEnvKeyStore, createFileKeyStore } from './env-key';
import { HOW_TO_PROVIDE_KEY, type KeyStore } from './key-store';
import { createOsKeychain } from './os-keychain';

export interface KeySelection {
  /** --master-key-file */
  masterKeyFile?: string | undefined;
  /** The value of VAULTDESK_MASTER_KEY, read by the host. */
  envKey?: string | undefined;
  /** Keychain service name; tests use their own. */
  keychainService?: string | undefined;
  platform?: NodeJS.Platform | undefined;
  /**
   * Where the master key is kept when no keychain can be reached and none was given: a file in
   * a folder of its own beside the data dir. The host bootstrap decides where, so every host
   * finds the same one.
   */
  fallbackFile: string;
  /**
   * Whether this start may make that file for a data dir that has no key yet (`npm start`, the
   * desktop app, `vaultdesk quickstart`). Other commands use one that exists and otherwise
   * stop, saying how to give a key, before anything is created.
   */
  createFallback: boolean;
  /** Whether the data dir already holds secrets sealed under a key (its key check value). */
  storeHasKey: () => boolean;
}

/**
 * Where this start takes the master key from: a key file given with --master-key-file, else
 * VAULTDESK_MASTER_KEY, else the key file kept beside the data dir when there is one, else the
 * OS keychain. Where no keychain answers, a data dir that has no key yet gets the key file
 * beside it (when the host may make it); otherwise start-up fails with MASTER_KEY_UNAVAILABLE
 * saying how to give a key, and nothing has been created.
 */
export async function selectKeyStore(selection: KeySelection): Promise<KeyStore> {
  if (selection.masterKeyFile) return createFileKeyStore(selection.masterKeyFile);
  if (selection.envKey) return createEnvKeyStore(selection.envKey);
  const fallback = selection.fallbackFile;
  if (existsSync(fallback)) return createFallbackKeyStore(fallback);
  const keychain = createOsKeychain(selection.keychainService, selection.platform);
  if (selection.storeHasKey()) return withAdvice(keychain, existingStoreAdvice(fallback));
  const unreachable = await keychain.probe();
  if (!unreachable) return keychain;
  if (selection.createFallback) return createFallbackKeyStore(fallback);
  throw new AppError('MASTER_KEY_UNAVAILABLE', `${unreachable.message} No master key was given either, so nothing was created. ${HOW_TO_PROVIDE_KEY} (npm start and vaultdesk quickstart make one for you in ${path.dirname(fallback)}.)`, unreachable.details);
}

/** The key file beside the data dir, described so a status screen says why it is there and what it means. */
export function createFallbackKeyStore(file: string): KeyStore {
  const store = createFileKeyStore(file, { createFolder: true });
  return { ...store, fallbackFile: file, describe: () => `key file ${file}, kept beside the data dir because no OS keychain could be reached` };
}

function existingStoreAdvice(fallback: string): string {
  return `This data dir's master key is kept in the OS keychain: run Vaultdesk where the keychain is unlocked, or give the key with --master-key-file FILE or VAULTDESK_MASTER_KEY (vaultdesk key export --out FILE writes it where the keychain can be reached; a key file at ${fallback} is found without any option).`;
}

/** The same store, whose "cannot be reached" errors also say what to do about it. */
function withAdvice(store: KeyStore, advice: string): KeyStore {
  const advised =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (error instanceof AppError && error.code === 'MASTER_KEY_UNAVAILABLE') throw new AppError(error.code, `${error.message} ${advice}`, error.details);
        throw error;
      }
    };
  return { ...store, load: advised(store.load), loadPending: advised(store.loadPending), save: advised(store.save), savePending: advised(store.savePending) };
}
