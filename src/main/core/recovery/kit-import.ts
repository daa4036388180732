import type { ProfileDto } from '../../../shared/domain/dto';
import type { KitContentsDto, KitImportDto, KitStanding } from '../../../shared/domain/recovery';
import { AppError } from '../../../shared/ipc/result';
import { parseIdentityFile } from '../pipeline/age-stream';
import { recipientFingerprint } from '../pipeline/manifest';
import type { ProfilesRepository } from '../store/profiles-repository';
import { nameKey } from '../store/names';
import type { KitKey } from './kit-format';
import { kitIdentities, looksLikeZip, readRecoveryKit, type RecoveryKit } from './kit-read';
import { readKeyOrKitFile, type KeyFileWords } from './key-file-read';

export interface KitImportRequest {
  /** The kit zip on the host. */
  path: string;
  /** Unwraps the kit's identities when it was exported with one. */
  passphrase?: string;
  /** The kit's profiles to import, by name; all of them when absent. */
  profiles?: string[];
}

export interface KitImportDeps {
  profiles: ProfilesRepository;
}

const KIT_WORDS: KeyFileWords = {
  field: 'path',
  what: 'the recovery kit',
  notAFolder: 'a recovery kit (the .zip that vaultdesk kit export wrote)',
  tooBig: 'a recovery kit: is it a backup?',
  missing: (path) => new AppError('OBJECT_NOT_FOUND', `${path} does not exist.`, { path }),
};

function readKitAt(path: string): RecoveryKit {
  const bytes = readKeyOrKitFile(path, KIT_WORDS);
  if (!looksLikeZip(bytes)) throw new AppError('VALIDATION_FAILED', `${path} is not a Vaultdesk recovery kit: it is not a zip.`, { field: 'path' });
  return readRecoveryKit(bytes, path);
}

/**
 * A kit's profile against the profiles here: the same recipient is the same key, whatever its
 * name here; otherwise a name taken here (in any case, as the store compares names) is a clash.
 */
function standingHere(key: KitKey, here: readonly ProfileDto[]): { standing: KitStanding; profile: string | null } {
  const same = here.find((p) => p.kind === 'age' && p.recipient === key.recipient);
  if (same) return { standing: 'present', profile: same.name };
  const named = here.find((p) => nameKey(p.name) === nameKey(key.profile));
  return named ? { standing: 'clash', profile: named.name } : { standing: 'new', profile: null };
}

/** A kit's profiles as keys.json lists them, each with where it stands here: what an import would do. Nothing is unwrapped. */
export function inspectRecoveryKit(deps: KitImportDeps, request: { path: string }): KitContentsDto {
  return kitContents(request.path, deps.profiles.list());
}

/** The same against a list of profiles: an empty one for a data dir not made yet, where an import makes every profile. */
export function kitContents(path: string, here: readonly ProfileDto[]): KitContentsDto {
  const kit = readKitAt(path);
  return {
    path,
    passphraseProtected: kit.index.passphraseProtected,
    exportedAt: kit.index.createdAt,
    appVersion: kit.index.app.version,
    profiles: kit.entries.map(({ key }) => ({
      name: key.profile,
      recipient: key.recipient,
      fingerprint: key.fingerprint,
      created: key.created,
      extraRecipients: key.extraRecipients ?? [],
      ...standingHere(key, here),
    })),
  };
}

/**
 * Makes an encryption profile of each identity in a recovery kit, so that a new install (a
 * machine rebuilt, a data dir lost with its master key) restores, verifies and drills the
 * backups those profiles made through Vaultdesk itself rather than by hand with `age`.
 *
 * Each profile keeps the kit's name. A profile with the same recipient that is here already is
 * left as it is (`present`); a name used here by a profile with another recipient is left out
 * and named (`clashes`): nothing here is replaced or renamed. Every identity to import is
 * unwrapped and checked against the recipient keys.json gives before the first profile is made,
 * and a failure while making them removes those made: a kit is imported whole or not at all.
 * The profiles made count as saved outside Vaultdesk (the kit is that copy), and keep the extra
 * recipients the kit lists (kits exported before 2026-12-05 list none).
 */
export async function importRecoveryKit(deps: KitImportDeps, request: KitImportRequest): Promise<KitImportDto> {
  const kit = readKitAt(request.path);
  const wanted = request.profiles ? [...new Set(request.profiles)] : null;
  const entries = wanted
    ? wanted.map((name) => {
        const entry = kit.entries.find((e) => e.key.profile === name);
        if (!entry) {
          throw new AppError('NOT_FOUND', `The recovery kit ${request.path} holds no profile named ${JSON.stringify(name)}; it holds ${kit.entries.map((e) => JSON.stringify(e.key.profile)).join(', ')}.`, { field: 'profiles' });
        }
        return entry;
      })
    : kit.entries;

  const present: KitImportDto['present'] = [];
  const clashes: KitImportDto['clashes'] = [];
  const toMake: { key: KitKey; file: Buffer }[] = [];
  const here = deps.profiles.list();
  for (const entry of entries) {
    const { standing, profile } = standingHere(entry.key, here);
    if (standing === 'present') present.push({ name: entry.key.profile, recipient: entry.key.recipient, profile: profile! });
    else if (standing === 'clash') clashes.push({ name: entry.key.profile, recipient: entry.key.recipient, profile: profile! });
    else toMake.push(entry);
  }

  // Unwrapped only when some are to be made: a passphrase costs a scrypt per identity.
  const texts = toMake.length > 0 ? await kitIdentities(kit, toMake, request.passphrase) : [];
  // kitIdentities has parsed each already: one identity line, without the file's comments.
  const identities = texts.map((text) => parseIdentityFile(text)[0]!);
  const { identityToRecipient } = await import('age-encryption');
  for (const [i, entry] of toMake.entries()) {
    if ((await identityToRecipient(identities[i]!)) !== entry.key.recipient) {
      throw new AppError(
        'INTEGRITY_FAILED',
        `The recovery kit ${request.path} is damaged: the identity of profile ${JSON.stringify(entry.key.profile)} (${entry.key.identityFile}) is not the one whose recipient keys.json gives (${entry.key.recipient}). Nothing was imported.`,
        { field: 'path' },
      );
    }
  }

  const created: KitImportDto['created'] = [];
  try {
    for (const [i, entry] of toMake.entries()) {
      const profile = await deps.profiles.create({ kind: 'age', name: entry.key.profile, extraRecipients: entry.key.extraRecipients ?? [], identity: identities[i]! });
      created.push({ id: profile.id, name: profile.name, recipient: entry.key.recipient, fingerprint: recipientFingerprint(entry.key.recipient) });
    }
  } catch (error) {
    // Another process took a name meanwhile, or the store refused: the kit is imported whole or not at all.
    for (const c of created) deps.profiles.delete(c.id);
    throw error;
  }
  return { path: request.path, passphraseProtected: kit.index.passphraseProtected, created, present, clashes };
}
