import { Entry } from '@napi-rs/keyring';
import { AppError } from '../../../shared/ipc/result';
import { HOW_TO_PROVIDE_KEY, decodeMasterKey, type KeyStore } from './key-store';

const SERVICE = 'vaultdesk';

/** The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). */
export function createOsKeychain(service = SERVICE): KeyStore {
  // On Linux the Secret Service is required: the library's fallback, the kernel keyring, is
  // in-memory only and would lose the master key (and every secret) at the next reboot.
  const entry = (account: string): Entry => new Entry(service, account, { linux: { store: 'secret-service' } });
  const unavailable = (error: unknown): AppError =>
    new AppError(
      'MASTER_KEY_UNAVAILABLE',
      `The OS keychain cannot be reached (${error instanceof Error ? error.message : String(error)}). ${HOW_TO_PROVIDE_KEY}`,
    );
  const read = (account: string): Buffer | null => {
    let stored: string | null;
    try {
      stored = entry(account).getPassword();
    } catch (error) {
      throw unavailable(error);
    }
    if (stored === null) return null;
    const key = decodeMasterKey(stored);
    if (!key) throw new AppError('MASTER_KEY_UNAVAILABLE', `The keychain entry ${service}/${account} does not hold a valid master key.`);
    return key;
  };
  const write = (account: string, key: Buffer): void => {
    try {
      entry(account).setPassword(key.toString('base64'));
    } catch (error) {
      throw unavailable(error);
    }
  };
  const remove = (account: string): void => {
    try {
      entry(account).deletePassword();
    } catch {
      // Nothing to delete is fine; an unreachable keychain was already reported by read().
    }
  };
  return {
    kind: 'keychain',
    writable: true,
    describe: () => `OS keychain (service "${service}")`,
    load: async (account) => read(account),
    save: async (account, key) => write(account, key),
    loadPending: async (account) => read(`${account}.pending`),
    savePending: async (account, key) => write(`${account}.pending`, key),
    clearPending: async (account) => remove(`${account}.pending`),
  };
}
