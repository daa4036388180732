import { randomBytes, timingSafeEqual } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { AppError } from '../../../shared/ipc/result';
import { recipientFingerprint } from '../pipeline/manifest';
import { ageDecryptBuffer, ageEncryptBuffer } from './age-buffer';
import { identityFileNames, identityFileText, KIT_FORMAT, KIT_FORMAT_VERSION, KIT_INDEX, KIT_README, type KitIndex, type KitKey } from './kit-format';
import { kitReadme } from './kit-readme';
import { kitIdentities, readRecoveryKit } from './kit-read';

/** One profile's key material, as the store holds it. */
export interface KitProfile {
  name: string;
  recipient: string;
  identity: string;
  createdAt: string;
  /** Written to keys.json beside the profile's own key, when it has any. */
  extraRecipients?: readonly string[];
}

export interface KitBuildOptions {
  /** Wraps each identity with age's scrypt passphrase encryption. */
  passphrase?: string;
  now: Date;
  version: string;
  /** age's default (18) unless a test needs it faster. */
  scryptWorkFactor?: number;
}

export interface BuiltKit {
  bytes: Uint8Array;
  keys: KitKey[];
}

/** Unix mode bits in the zip's external attributes: `unzip` gives the identity files 0600. */
const SECRET_FILE = { os: 3, attrs: (0o100600 << 16) >>> 0 };
const PLAIN_FILE = { os: 3, attrs: (0o100644 << 16) >>> 0 };

/**
 * Builds the kit zip in memory, then proves it before anyone can rely on it: the zip is read
 * back with the reader `vaultdesk decrypt` uses, each identity is unwrapped from it, and a
 * canary encrypted to each profile's recipient (to that one alone, so two identities swapped
 * between profiles are caught too) must open with the identity the kit holds for it. A kit that
 * fails is never returned (INTEGRITY_FAILED), so it is never written.
 */
export async function buildRecoveryKit(profiles: readonly KitProfile[], options: KitBuildOptions): Promise<BuiltKit> {
  if (profiles.length === 0) throw new AppError('VALIDATION_FAILED', 'A recovery kit needs at least one age profile with its identity.', { field: 'profileIds' });
  const wrapped = options.passphrase !== undefined;
  const names = identityFileNames(
    profiles.map((p) => p.name),
    wrapped,
  );
  const createdAt = options.now.toISOString();
  const keys: KitKey[] = profiles.map((p, i) => ({
    profile: p.name,
    recipient: p.recipient,
    ...(p.extraRecipients?.length ? { extraRecipients: [...p.extraRecipients] } : {}),
    fingerprint: recipientFingerprint(p.recipient),
    created: p.createdAt,
    identityFile: names[i]!,
  }));
  const files: Zippable = {};
  const mtime = options.now;
  files[KIT_README] = [strToU8(kitReadme(keys, { passphraseProtected: wrapped, createdAt, version: options.version })), { ...PLAIN_FILE, mtime }];
  const index: KitIndex = { format: KIT_FORMAT, formatVersion: KIT_FORMAT_VERSION, createdAt, app: { name: 'vaultdesk', version: options.version }, passphraseProtected: wrapped, keys };
  files[KIT_INDEX] = [strToU8(`${JSON.stringify(index, null, 2)}\n`), { ...PLAIN_FILE, mtime }];
  for (const [i, p] of profiles.entries()) {
    const text = Buffer.from(identityFileText(p.name, p.recipient, p.createdAt, p.identity));
    const content = wrapped ? await ageEncryptBuffer({ passphrase: options.passphrase!, scryptWorkFactor: options.scryptWorkFactor }, text) : text;
    // Already encrypted, or a few hundred bytes: deflate gains nothing worth a second code path when reading.
    files[names[i]!] = [new Uint8Array(content), { ...SECRET_FILE, mtime, level: 0 }];
  }
  const bytes = zipSync(files, { level: 6 });
  await proveKit(bytes, profiles, options.passphrase);
  return { bytes, keys };
}

/** The kit's own test (see buildRecoveryKit); throws INTEGRITY_FAILED naming the profile that failed. */
export async function proveKit(bytes: Uint8Array, profiles: readonly KitProfile[], passphrase: string | undefined): Promise<void> {
  const refused = (why: string): AppError => new AppError('INTEGRITY_FAILED', `The recovery kit failed its own test, so it was not written: ${why}`);
  let kit;
  try {
    kit = readRecoveryKit(bytes, 'the new kit');
  } catch (error) {
    throw refused(error instanceof Error ? error.message : String(error));
  }
  for (const profile of profiles) {
    const canary = randomBytes(32);
    const sealed = await ageEncryptBuffer({ recipients: [profile.recipient] }, canary);
    const entry = kit.entries.find((e) => e.key.profile === profile.name && e.key.recipient === profile.recipient);
    if (!entry) throw refused(`it has no entry for profile ${JSON.stringify(profile.name)}.`);
    let opened: Buffer;
    try {
      const identities = await kitIdentities(kit, [entry], passphrase);
      opened = await ageDecryptBuffer({ identities }, sealed);
    } catch (error) {
      throw refused(
        `the identity it holds for profile ${JSON.stringify(profile.name)} does not open a test file encrypted to that profile's public key ${profile.recipient} (${error instanceof Error ? error.message : String(error)}). The identity stored for the profile does not belong to its public key: backups made with it may not open with it either.`,
      );
    }
    if (opened.length !== canary.length || !timingSafeEqual(opened, canary)) throw refused(`the test file decrypted with profile ${JSON.stringify(profile.name)}'s identity came back different.`);
  }
}
