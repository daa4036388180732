import { strToU8, zipSync, type Zippable } from 'fflate';
import { AppError } from '../../../shared/ipc/result';
import { recipientFingerprint } from '../pipeline/manifest';
import type { SevenZipTool } from '../pipeline/seven-zip-tool';
import { ageEncryptBuffer } from './age-buffer';
import { identityFileNames, identityFileText, KIT_FORMAT, KIT_FORMAT_VERSION, KIT_INDEX, KIT_README, passphraseFileNames, passphraseFileText, type KitIndex, type KitKey } from './kit-format';
import { proveKit } from './kit-prove';
import { kitReadme } from './kit-readme';

/** One age profile's key material, as the store holds it. */
export interface KitAgeProfile {
  kind: 'age';
  name: string;
  recipient: string;
  identity: string;
  createdAt: string;
  /** Written to keys.json beside the profile's own key, when it has any. */
  extraRecipients?: readonly string[];
}

/** One 7-Zip profile's passphrase, as the store holds it. */
export interface KitSevenZipProfile {
  kind: '7z';
  name: string;
  passphrase: string;
  createdAt: string;
}

export type KitProfile = KitAgeProfile | KitSevenZipProfile;

export interface KitBuildOptions {
  /** Wraps each identity and 7-Zip passphrase with age's scrypt passphrase encryption. */
  passphrase?: string;
  now: Date;
  version: string;
  /** age's default (18) unless a test needs it faster. */
  scryptWorkFactor?: number;
  /** The 7-Zip that proves each 7-Zip passphrase with a test archive; null: none was found, the kit's copies are only compared with the stored ones. */
  sevenZip?: { tool: SevenZipTool; tempDir: string } | null;
}

export interface BuiltKit {
  bytes: Uint8Array;
  /** keys.json's entries, in the order of the profiles given. */
  keys: KitKey[];
}

/** Unix mode bits in the zip's external attributes: `unzip` gives the identity and passphrase files 0600. */
const SECRET_FILE = { os: 3, attrs: (0o100600 << 16) >>> 0 };
const PLAIN_FILE = { os: 3, attrs: (0o100644 << 16) >>> 0 };

/**
 * Builds the kit zip in memory, then proves it before anyone can rely on it (proveKit): a kit
 * that fails is never returned (INTEGRITY_FAILED), so it is never written. Age profiles' files
 * go under identities/, 7-Zip profiles' passphrases under passphrases/, each wrapped with the
 * kit's passphrase when it has one.
 */
export async function buildRecoveryKit(profiles: readonly KitProfile[], options: KitBuildOptions): Promise<BuiltKit> {
  if (profiles.length === 0) throw new AppError('VALIDATION_FAILED', 'A recovery kit needs at least one encryption profile with its identity or passphrase.', { field: 'profileIds' });
  const wrapped = options.passphrase !== undefined;
  const ages = profiles.filter((p) => p.kind === 'age');
  const sevenZips = profiles.filter((p) => p.kind === '7z');
  const identityNames = identityFileNames(
    ages.map((p) => p.name),
    wrapped,
  );
  const passphraseNames = passphraseFileNames(
    sevenZips.map((p) => p.name),
    wrapped,
  );
  const fileOf = new Map<KitProfile, string>([...ages.map((p, i) => [p, identityNames[i]!] as const), ...sevenZips.map((p, i) => [p, passphraseNames[i]!] as const)]);
  const createdAt = options.now.toISOString();
  const keys: KitKey[] = profiles.map((p) =>
    p.kind === '7z'
      ? { kind: '7z', profile: p.name, created: p.createdAt, passphraseFile: fileOf.get(p)! }
      : {
          kind: 'age',
          profile: p.name,
          recipient: p.recipient,
          ...(p.extraRecipients?.length ? { extraRecipients: [...p.extraRecipients] } : {}),
          fingerprint: recipientFingerprint(p.recipient),
          created: p.createdAt,
          identityFile: fileOf.get(p)!,
        },
  );
  const files: Zippable = {};
  const mtime = options.now;
  files[KIT_README] = [strToU8(kitReadme(keys, { passphraseProtected: wrapped, createdAt, version: options.version })), { ...PLAIN_FILE, mtime }];
  const index: KitIndex = { format: KIT_FORMAT, formatVersion: KIT_FORMAT_VERSION, createdAt, app: { name: 'vaultdesk', version: options.version }, passphraseProtected: wrapped, keys };
  files[KIT_INDEX] = [strToU8(`${JSON.stringify(index, null, 2)}\n`), { ...PLAIN_FILE, mtime }];
  for (const p of profiles) {
    const text = Buffer.from(p.kind === '7z' ? passphraseFileText(p.passphrase) : identityFileText(p.name, p.recipient, p.createdAt, p.identity));
    const content = wrapped ? await ageEncryptBuffer({ passphrase: options.passphrase!, scryptWorkFactor: options.scryptWorkFactor }, text) : text;
    // Already encrypted, or a few hundred bytes: deflate gains nothing worth a second code path when reading.
    files[fileOf.get(p)!] = [new Uint8Array(content), { ...SECRET_FILE, mtime, level: 0 }];
  }
  const bytes = zipSync(files, { level: 6 });
  await proveKit(bytes, profiles, options.passphrase, options.sevenZip ?? null);
  return { bytes, keys };
}
