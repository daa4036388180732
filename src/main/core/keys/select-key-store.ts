import type { KeyStore } from './key-store';
import { createEnvKeyStore, createFileKeyStore } from './env-key';
import { createOsKeychain } from './os-keychain';

export interface KeySelection {
  /** --master-key-file */
  masterKeyFile?: string | undefined;
  /** The value of VAULTDESK_MASTER_KEY, read by the host. */
  envKey?: string | undefined;
  /** Keychain service name; tests use their own. */
  keychainService?: string | undefined;
}

/**
 * A key file wins over the environment, which wins over the OS keychain. There is no
 * plaintext fallback: without a keychain and without a key, start-up fails with
 * MASTER_KEY_UNAVAILABLE and says how to provide one.
 */
export function selectKeyStore(selection: KeySelection): KeyStore {
  if (selection.masterKeyFile) return createFileKeyStore(selection.masterKeyFile);
  if (selection.envKey) return createEnvKeyStore(selection.envKey);
  return createOsKeychain(selection.keychainService);
}
