/**
 * Where the master key lives. `account` identifies the data dir (its instance id), so two
 * data dirs on one machine keep two keys. The pending slot holds a key while a rotation is
 * in flight: on start, whichever of the two matches the database wins.
 */
export interface KeyStore {
  readonly kind: 'keychain' | 'env' | 'file';
  /** False where the key is given from outside (environment variable): rotation must go elsewhere. */
  readonly writable: boolean;
  /** A sentence for status screens: where the key is. */
  describe(): string;
  /**
   * Set for the key file Vaultdesk made beside the data dir because no keychain could be
   * reached: its path, for status screens and for moving the key into a keychain later.
   */
  readonly fallbackFile?: string;
  load(account: string): Promise<Buffer | null>;
  save(account: string, key: Buffer): Promise<void>;
  loadPending(account: string): Promise<Buffer | null>;
  savePending(account: string, key: Buffer): Promise<void>;
  clearPending(account: string): Promise<void>;
}

export const HOW_TO_PROVIDE_KEY =
  'Give the master key with --master-key-file FILE or the VAULTDESK_MASTER_KEY environment variable: the base64 of 32 random bytes, which head -c 32 /dev/urandom | base64 prints.';

/** Decodes a base64 master key and insists on 32 bytes, so a truncated paste is caught early. */
export function decodeMasterKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : null;
}
