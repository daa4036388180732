import { randomBytes } from 'node:crypto';
import type { KeyState, KeyStatusDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { getMeta, peekMeta, setMeta, type Db } from '../store/db';
import { SecretBox, checkValueMatches, keyFingerprint } from '../store/secret-box';
import type { KeyStore } from './key-store';

/** Tables whose `secrets` column is sealed under the master key, with `${table}:${id}` as associated data. */
export const SECRET_TABLES = ['sources', 'destinations', 'profiles', 'jobs', 'app_secrets'] as const;

const KCV = 'master_key_check';

/** Whether the store file holds secrets sealed under a master key (its key check value), read without opening the store. */
export function storeHasKeyCheck(dbFile: string): boolean {
  return peekMeta(dbFile, KCV) !== null;
}

export type RotationStep = 'pending-saved' | 'row-reencrypted' | 'reencrypted' | 'key-saved';

/**
 * Owns the master key for one data dir: resolves it at start, answers every request for a
 * secret, and carries out rotation, import and reset.
 */
export class MasterKey {
  #key: Buffer | null = null;
  #state: KeyState = 'missing';

  private constructor(
    private readonly db: Db,
    private readonly store: KeyStore,
    private readonly account: string,
  ) {}

  /**
   * A new store gets a fresh random key. An existing one takes the key that matches its check
   * value, finishing an interrupted rotation if the pending key is the one that matches. A wrong
   * or absent key does not stop the app: it starts, and secret operations report it.
   */
  static async open(db: Db, store: KeyStore, account: string): Promise<MasterKey> {
    const mk = new MasterKey(db, store, account);
    const kcv = getMeta(db, KCV);
    const current = await store.load(account);
    if (kcv === null) {
      const key = current ?? randomBytes(32);
      if (!current) await store.save(account, key);
      setMeta(db, KCV, new SecretBox(key).checkValue());
      mk.#use(key);
      return mk;
    }
    if (current && checkValueMatches(current, kcv)) {
      mk.#use(current);
      await store.clearPending(account).catch(() => undefined);
      return mk;
    }
    const pending = await store.loadPending(account);
    if (pending && checkValueMatches(pending, kcv)) {
      // A rotation re-encrypted the store but stopped before the new key was saved: finish it.
      await store.save(account, pending);
      await store.clearPending(account);
      mk.#use(pending);
      return mk;
    }
    mk.#state = current ? 'mismatch' : 'missing';
    return mk;
  }

  #use(key: Buffer): void {
    this.#key = key;
    this.#state = 'ok';
  }

  get state(): KeyState {
    return this.#state;
  }

  status(): KeyStatusDto {
    const where = this.store.describe();
    const fallback = this.store.fallbackFile ?? null;
    const messages: Record<KeyState, string> = {
      ok: fallback
        ? `The master key is in the ${where}. It protects the stored credentials only as well as that file is protected; move it into a keychain when one is available (vaultdesk key move-to-keychain).`
        : `The master key is in the ${where}.`,
      mismatch: `The master key in the ${where} does not match this database. Import the right key (Settings > Master key, or vaultdesk key import), or reset the key and re-enter every credential (vaultdesk key reset).`,
      missing: `No master key for this database was found in the ${where}. Import it (Settings > Master key, or vaultdesk key import), or reset the key and re-enter every credential (vaultdesk key reset).`,
    };
    return {
      state: this.#state,
      source: this.store.kind,
      location: where,
      fallbackFile: fallback,
      fingerprint: this.#key ? keyFingerprint(this.#key) : null,
      writable: this.store.writable,
      message: messages[this.#state],
    };
  }

  /** The box for sealing and opening secrets; throws MASTER_KEY_MISMATCH / MASTER_KEY_MISSING otherwise. */
  box(): SecretBox {
    if (this.#state === 'ok' && this.#key) return new SecretBox(this.#key);
    const status = this.status();
    throw new AppError(this.#state === 'missing' ? 'MASTER_KEY_MISSING' : 'MASTER_KEY_MISMATCH', status.message);
  }

  /** The raw key, for export only. */
  exportKey(): { key: Buffer; fingerprint: string } {
    this.box();
    return { key: Buffer.from(this.#key!), fingerprint: keyFingerprint(this.#key!) };
  }

  /**
   * New key, every secret re-encrypted in one transaction, key store updated. The new key is
   * parked in the pending slot first, so an interruption at any step leaves a store that opens
   * with the old key (transaction not committed) or the new one (found in pending).
   */
  async rotate(onStep: (step: RotationStep) => void = () => undefined): Promise<{ fingerprint: string; secretsReencrypted: number }> {
    const oldBox = this.box();
    if (!this.store.writable) {
      throw new AppError('KEY_STORE_READONLY', `The master key comes from the ${this.store.describe()}, which Vaultdesk cannot change. Rotate with the OS keychain or --master-key-file.`);
    }
    const next = randomBytes(32);
    const newBox = new SecretBox(next);
    await this.store.savePending(this.account, next);
    onStep('pending-saved');
    let count = 0;
    this.db.transaction(() => {
      count = reseal(this.db, (sealed, aad) => newBox.seal(oldBox.open(sealed, aad), aad), () => onStep('row-reencrypted'));
      setMeta(this.db, KCV, newBox.checkValue());
    })();
    onStep('reencrypted');
    await this.store.save(this.account, next);
    onStep('key-saved');
    await this.store.clearPending(this.account);
    this.#use(next);
    return { fingerprint: keyFingerprint(next), secretsReencrypted: count };
  }

  /**
   * Saves this data dir's key into another key store (the OS keychain, when the key was kept in
   * a file for want of one) and reads it back from there; the caller then removes the old copy.
   */
  async copyTo(target: KeyStore): Promise<{ fingerprint: string }> {
    const { key, fingerprint } = this.exportKey();
    await target.save(this.account, key);
    const stored = await target.load(this.account);
    if (!stored || !stored.equals(key)) {
      throw new AppError('MASTER_KEY_UNAVAILABLE', `The master key was written to the ${target.describe()} but could not be read back from it; it stays where it was.`);
    }
    return { fingerprint };
  }

  /** Puts a known key back (e.g. from an export) after checking it matches this database. */
  async import(key: Buffer): Promise<{ fingerprint: string }> {
    const kcv = getMeta(this.db, KCV);
    if (kcv !== null && !checkValueMatches(key, kcv)) {
      throw new AppError('MASTER_KEY_MISMATCH', `The key ${keyFingerprint(key)} does not match this database; nothing was changed.`);
    }
    await this.store.save(this.account, key);
    await this.store.clearPending(this.account).catch(() => undefined);
    if (kcv === null) setMeta(this.db, KCV, new SecretBox(key).checkValue());
    this.#use(key);
    return { fingerprint: keyFingerprint(key) };
  }

  /**
   * Gives up on the lost key: a new key, and every stored secret dropped (they cannot be read
   * any more). Configuration stays; the user re-enters each credential.
   */
  async reset(): Promise<{ fingerprint: string; secretsCleared: number }> {
    const next = randomBytes(32);
    if (!this.store.writable) {
      throw new AppError('KEY_STORE_READONLY', `The master key comes from the ${this.store.describe()}; set a new key there instead.`);
    }
    let cleared = 0;
    await this.store.savePending(this.account, next);
    this.db.transaction(() => {
      for (const table of SECRET_TABLES) {
        cleared += this.db.prepare(`UPDATE ${table} SET secrets = NULL, secret_names = '[]' WHERE secrets IS NOT NULL`).run().changes;
      }
      setMeta(this.db, KCV, new SecretBox(next).checkValue());
    })();
    await this.store.save(this.account, next);
    await this.store.clearPending(this.account);
    this.#use(next);
    return { fingerprint: keyFingerprint(next), secretsCleared: cleared };
  }
}

function reseal(db: Db, transform: (sealed: string, aad: string) => string, onRow: () => void): number {
  let count = 0;
  for (const table of SECRET_TABLES) {
    const rows = db.prepare(`SELECT id, secrets FROM ${table} WHERE secrets IS NOT NULL`).all() as { id: string; secrets: string }[];
    const update = db.prepare(`UPDATE ${table} SET secrets = ? WHERE id = ?`);
    for (const row of rows) {
      update.run(transform(row.secrets, `${table}:${row.id}`), row.id);
      count++;
      onRow();
    }
  }
  return count;
}
