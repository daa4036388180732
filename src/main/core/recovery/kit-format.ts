import { z } from 'zod';
import { safeSegment } from '../pipeline/manifest';

/** What a recovery kit zip holds, by name. The layout is documented in the kit's README.txt. */
export const KIT_README = 'README.txt';
export const KIT_INDEX = 'keys.json';
export const KIT_IDENTITY_FOLDER = 'identities';
export const KIT_FORMAT = 'vaultdesk-recovery-kit';
export const KIT_FORMAT_VERSION = 1;

/** Far above a real kit (a few KiB per profile): a file this big is not a kit, and is not read. */
export const MAX_KIT_BYTES = 8 * 1024 * 1024;
/** Per entry, before it is inflated: a zip bomb is refused from its header. */
export const MAX_KIT_ENTRY_BYTES = 1024 * 1024;
export const MAX_KIT_KEYS = 1_000;

const ageRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/);
const kitPath = z
  .string()
  .max(300)
  .regex(/^identities\/[^/\\]+$/, 'must be a file in identities/');

/** keys.json: read from a file Vaultdesk does not control, so it is checked like contract input. */
export const kitIndexSchema = z.object({
  format: z.literal(KIT_FORMAT),
  formatVersion: z.literal(KIT_FORMAT_VERSION),
  createdAt: z.string(),
  app: z.object({ name: z.string(), version: z.string() }),
  passphraseProtected: z.boolean(),
  keys: z
    .array(
      z.object({
        profile: z.string().max(200),
        recipient: ageRecipient,
        /** The profile's extra recipients (public keys only), for an import to carry on encrypting to them; absent in kits before 2026-12-05. */
        extraRecipients: z.array(ageRecipient).max(100).optional(),
        fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
        created: z.string(),
        identityFile: kitPath,
      }),
    )
    .min(1)
    .max(MAX_KIT_KEYS),
});

export type KitIndex = z.infer<typeof kitIndexSchema>;
export type KitKey = KitIndex['keys'][number];

/**
 * `identities/team.txt`, or `team.age` when wrapped: one file per profile, named after it so a
 * person picks the right one. Names that clean up alike get `-2`, `-3`.
 */
export function identityFileNames(profiles: readonly string[], wrapped: boolean): string[] {
  const taken = new Set<string>();
  return profiles.map((profile) => {
    const base = safeSegment(profile);
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(name.toLowerCase());
    return `${KIT_IDENTITY_FOLDER}/${name}.${wrapped ? 'age' : 'txt'}`;
  });
}

/** The layout age-keygen writes, so `age -d -i FILE` and people read it alike. */
export function identityFileText(profile: string, recipient: string, created: string, identity: string): string {
  // JSON quoting: a name with a line break must not end the comment and become a key line.
  return `# Vaultdesk encryption profile ${JSON.stringify(profile)}\n# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
}
