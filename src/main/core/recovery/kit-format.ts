import { z } from 'zod';
import { safeSegment } from '../pipeline/manifest';

/** What a recovery kit zip holds, by name. The layout is documented in the kit's README.txt. */
export const KIT_README = 'README.txt';
export const KIT_INDEX = 'keys.json';
export const KIT_IDENTITY_FOLDER = 'identities';
/** 7-Zip profiles' passphrases, one file each: the passphrase alone on one line. */
export const KIT_PASSPHRASE_FOLDER = 'passphrases';
export const KIT_FORMAT = 'vaultdesk-recovery-kit';
export const KIT_FORMAT_VERSION = 1;

/** Far above a real kit (a few KiB per profile): a file this big is not a kit, and is not read. */
export const MAX_KIT_BYTES = 8 * 1024 * 1024;
/** Per entry, before it is inflated: a zip bomb is refused from its header. */
export const MAX_KIT_ENTRY_BYTES = 1024 * 1024;
export const MAX_KIT_KEYS = 1_000;

const ageRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/);
const kitPath = (folder: string): z.ZodString =>
  z
    .string()
    .max(300)
    .regex(new RegExp(`^${folder}/[^/\\\\]+$`), `must be a file in ${folder}/`);

/** An age profile's entry. `kind` is absent in kits made before 7-Zip profiles could be in one: those are all age. */
const ageKey = z.object({
  kind: z.literal('age').default('age'),
  profile: z.string().max(200),
  recipient: ageRecipient,
  /** The profile's extra recipients (public keys only), for an import to carry on encrypting to them; absent in kits before 2026-12-05. */
  extraRecipients: z.array(ageRecipient).max(100).optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  created: z.string(),
  identityFile: kitPath(KIT_IDENTITY_FOLDER),
});

/**
 * A 7-Zip profile's entry. No fingerprint of the passphrase: a hash of it beside a kit wrapped
 * with a passphrase would let anyone test guesses at it without the kit's scrypt in the way.
 */
const sevenZipKey = z.object({
  kind: z.literal('7z'),
  profile: z.string().max(200),
  created: z.string(),
  passphraseFile: kitPath(KIT_PASSPHRASE_FOLDER),
});

/** keys.json: read from a file Vaultdesk does not control, so it is checked like contract input. */
export const kitIndexSchema = z.object({
  format: z.literal(KIT_FORMAT),
  formatVersion: z.literal(KIT_FORMAT_VERSION),
  createdAt: z.string(),
  app: z.object({ name: z.string(), version: z.string() }),
  passphraseProtected: z.boolean(),
  keys: z.array(z.union([sevenZipKey, ageKey])).min(1).max(MAX_KIT_KEYS),
});

export type KitIndex = z.infer<typeof kitIndexSchema>;
export type KitKey = KitIndex['keys'][number];
export type KitAgeKey = Extract<KitKey, { kind: 'age' }>;
export type KitSevenZipKey = Extract<KitKey, { kind: '7z' }>;

/** The zip file that holds an entry's secret: an identity, or a 7-Zip passphrase. */
export function kitFileOf(key: KitKey): string {
  return key.kind === '7z' ? key.passphraseFile : key.identityFile;
}

/**
 * `identities/team.txt`, or `team.age` when wrapped: one file per profile, named after it so a
 * person picks the right one. Names that clean up alike get `-2`, `-3`.
 */
export function identityFileNames(profiles: readonly string[], wrapped: boolean): string[] {
  return kitFileNames(KIT_IDENTITY_FOLDER, profiles, wrapped);
}

/** `passphrases/nightly.txt`, or `nightly.age` when wrapped, named as identity files are. */
export function passphraseFileNames(profiles: readonly string[], wrapped: boolean): string[] {
  return kitFileNames(KIT_PASSPHRASE_FOLDER, profiles, wrapped);
}

function kitFileNames(folder: string, profiles: readonly string[], wrapped: boolean): string[] {
  const taken = new Set<string>();
  return profiles.map((profile) => {
    const base = safeSegment(profile);
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(name.toLowerCase());
    return `${folder}/${name}.${wrapped ? 'age' : 'txt'}`;
  });
}

/**
 * A 7-Zip passphrase file: the passphrase alone and a line break, so that `age -d FILE` prints
 * it and nothing else, and `7z x -so BACKUP.7z < FILE` (or `age -d FILE | 7z x ...`) hands it to
 * 7-Zip's prompt on standard input. The README says what it is.
 */
export function passphraseFileText(passphrase: string): string {
  return `${passphrase}\n`;
}

/** The layout age-keygen writes, so `age -d -i FILE` and people read it alike. */
export function identityFileText(profile: string, recipient: string, created: string, identity: string): string {
  // JSON quoting: a name with a line break must not end the comment and become a key line.
  return `# Vaultdesk encryption profile ${JSON.stringify(profile)}\n# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
}
