import type { Entry } from '@napi-rs/keyring';
import { AppError } from '../../../shared/ipc/result';
import { HOW_TO_PROVIDE_KEY, decodeMasterKey, type KeyStore } from './key-store';

const SERVICE = 'vaultdesk';

/** The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). */
export function createOsKeychain(service = SERVICE): KeyStore {
  const unavailable = (error: unknown): AppError =>
    new AppError(
      'MASTER_KEY_UNAVAILABLE',
      `The OS keychain cannot be reached (${error instanceof Error ? error.message : String(error)}). ${HOW_TO_PROVIDE_KEY}`,
    );
  // Loaded on first use: a host given a key file or VAULTDESK_MASTER_KEY must start even where
  // the library's native binary for this platform is missing.
  let library: Promise<typeof import('@napi-rs/keyring')> | null = null;
  const entry = async (account: string): Promise<Entry> => {
    library ??= import('@napi-rs/keyring');
    let Entry: typeof import('@napi-rs/keyring').Entry;
    try {
      ({ Entry } = await library);
    } catch (error) {
      library = null;
      throw new AppError('MASTER_KEY_UNAVAILABLE', `The OS keychain library could not be loaded (${error instanceof Error ? error.message : String(error)}). ${HOW_TO_PROVIDE_KEY}`);
    }
    // On Linux the Secret Service is required: the library's fallback, the kernel keyring, is
    // in-memory only and would lose the master key (and every secret) at the next reboot.
    try {
      return new Entry(service, account, { linux: { store: 'secret-service' } });
    } catch (error) {
      // Linux opens the Secret Service connection here: no session bus fails already.
      throw unavailable(error);
    }
  };
  const read = async (account: string): Promise<Buffer | null> => {
    const found = await entry(account);
    let stored: string | null;
    try {
      stored = found.getPassword();
    } catch (error) {
      throw unavailable(error);
    }
    if (stored === null) return null;
    const key = decodeMasterKey(stored);
    if (!key) throw new AppError('MASTER_KEY_UNAVAILABLE', `The keychain entry ${service}/${account} does not hold a valid master key.`);
    return key;
  };
  const write = async (account: string, key: Buffer): Promise<void> => {
    const found = await entry(account);
    try {
      found.setPassword(key.toString('base64'));
    } catch (error) {
      throw unavailable(error);
    }
  };
  const remove = async (account: string): Promise<void> => {
    try {
      (await entry(account)).deletePassword();
    } catch {
      // Nothing to delete is fine; an unreachable keychain was already reported by read().
    }
  };
  return {
    kind: 'keychain',
    writable: true,
    describe: () => `OS keychain (service "${service}")`,
    load: (account) => read(account),
    save: (account, key) => write(account, key),
    loadPending: (account) => read(`${account}.pending`),
    savePending: (account, key) => write(`${account}.pending`, key),
    clearPending: (account) => remove(`${account}.pending`),
  };
}
