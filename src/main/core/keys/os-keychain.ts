import type { Entry } from '@napi-rs/keyring';
import { AppError } from '../../../shared/ipc/result';
import { decodeMasterKey, type KeyStore } from './key-store';

const SERVICE = 'vaultdesk';

export interface OsKeychain extends KeyStore {
  readonly kind: 'keychain';
  /**
   * Whether the keychain answers, without touching any entry of a data dir: null when it does,
   * else the MASTER_KEY_UNAVAILABLE error saying why in words.
   */
  probe(): Promise<AppError | null>;
}

/** Why the keychain cannot be used, in words: the library's own text goes to `details` only. */
export function keychainUnreachable(platform: NodeJS.Platform, cause: unknown): AppError {
  const why =
    platform === 'linux'
      ? 'No OS keychain can be reached: no Secret Service (such as gnome-keyring or KWallet) answers on this session\'s D-Bus, as on a server or over SSH.'
      : platform === 'darwin'
        ? 'The macOS Keychain cannot be reached from this session.'
        : 'The Windows Credential Manager cannot be reached from this session.';
  return new AppError('MASTER_KEY_UNAVAILABLE', why, { cause: cause instanceof Error ? cause.message : String(cause) });
}

/** The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). */
export function createOsKeychain(service = SERVICE, platform: NodeJS.Platform = process.platform): OsKeychain {
  const unavailable = (error: unknown): AppError => keychainUnreachable(platform, error);
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
      throw new AppError('MASTER_KEY_UNAVAILABLE', 'The OS keychain library could not be loaded on this system.', { cause: error instanceof Error ? error.message : String(error) });
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
    probe: async () => {
      try {
        // An entry no data dir uses: reading it opens the connection and finds nothing.
        await read('reachability-check');
        return null;
      } catch (error) {
        if (error instanceof AppError) return error;
        return unavailable(error);
      }
    },
    load: (account) => read(account),
    save: (account, key) => write(account, key),
    loadPending: (account) => read(`${account}.pending`),
    savePending: (account, key) => write(`${account}.pending`, key),
    clearPending: (account) => remove(`${account}.pending`),
  };
}
