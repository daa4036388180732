import type { ProfileDto } from '../../../shared/domain/dto';
import type { KitContentsDto, KitImportDto, KitStanding } from '../../../shared/domain/recovery';
import { AppError } from '../../../shared/ipc/result';
import { parseIdentityFile } from '../pipeline/age-stream';
import { recipientFingerprint } from '../pipeline/manifest';
import type { ProfilesRepository } from '../store/profiles-repository';
import { nameKey } from '../store/names';
import type { KitAgeKey, KitKey, KitSevenZipKey } from './kit-format';
import { isAgeEntry, isSevenZipEntry, kitIdentities, kitPassphrases, looksLikeZip, readRecoveryKit, type KitEntry, type RecoveryKit } from './kit-read';
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
 * A kit's profile against the profiles here: the same kind and the same key (an age recipient,
 * or a 7-Zip passphrase) is the same profile, whatever its name here; otherwise a name taken here
 * (in any case, as the store compares names) is a clash. `passphrase` is a 7-Zip profile's, once
 * unwrapped; without it (a protected kit read for its index alone) a 7-Zip profile whose name a
 * 7-Zip profile here has is `unsure`.
 */
function standingHere(key: KitKey, here: readonly HereProfile[], passphrase?: string): { standing: KitStanding; profile: string | null } {
  const same = key.kind === 'age' ? here.find((p) => p.kind === 'age' && p.recipient === key.recipient) : passphrase === undefined ? undefined : here.find((p) => p.kind === '7z' && p.passphrase === passphrase);
  if (same) return { standing: 'present', profile: same.name };
  const named = here.find((p) => nameKey(p.name) === nameKey(key.profile));
  if (!named) return { standing: 'new', profile: null };
  return { standing: key.kind === '7z' && named.kind === '7z' && passphrase === undefined ? 'unsure' : 'clash', profile: named.name };
}

/** A profile here, with its 7-Zip passphrase when it has one: a kit's 7-Zip profile is the same one when the passphrase is. */
type HereProfile = ProfileDto & { passphrase?: string };

function profilesHere(profiles: ProfilesRepository, withPassphrases: boolean): HereProfile[] {
  return profiles.list().map((p) => {
    if (!withPassphrases || p.kind !== '7z' || !p.hasSecret) return p;
    try {
      return { ...p, passphrase: profiles.secrets(p.id).passphrase };
    } catch (error) {
      // A secret this master key cannot open is no match for anything.
      if (error instanceof AppError) return p;
      throw error;
    }
  });
}

/** A kit's profiles as keys.json lists them, each with where it stands here: what an import would do. Nothing is unwrapped. */
export function inspectRecoveryKit(deps: KitImportDeps, request: { path: string }): KitContentsDto {
  const kit = readKitAt(request.path);
  // A plain kit's 7-Zip passphrases are read as they are: where they stand is then known, not guessed.
  const sevenZipHere = !kit.index.passphraseProtected && kit.entries.some(isSevenZipEntry);
  return contentsOf(kit, profilesHere(deps.profiles, sevenZipHere));
}

/** The same against no profiles, for a data dir not made yet, where an import makes every profile. */
export function kitContents(path: string, here: readonly ProfileDto[]): KitContentsDto {
  return contentsOf(readKitAt(path), here);
}

function contentsOf(kit: RecoveryKit, here: readonly HereProfile[]): KitContentsDto {
  return {
    path: kit.source,
    passphraseProtected: kit.index.passphraseProtected,
    exportedAt: kit.index.createdAt,
    appVersion: kit.index.app.version,
    profiles: kit.entries.map((entry) => {
      const { key } = entry;
      const passphrase = isSevenZipEntry(entry) && !kit.index.passphraseProtected ? plainPassphrase(entry) : undefined;
      return {
        name: key.profile,
        kind: key.kind,
        recipient: key.kind === 'age' ? key.recipient : null,
        fingerprint: key.kind === 'age' ? key.fingerprint : null,
        created: key.created,
        extraRecipients: key.kind === 'age' ? (key.extraRecipients ?? []) : [],
        ...standingHere(key, here, passphrase),
      };
    }),
  };
}

/** A plain kit's passphrase file, for a comparison only: one that is not a usable passphrase matches nothing, and the import says why. */
function plainPassphrase(entry: KitEntry<KitSevenZipKey>): string {
  return entry.file.toString('utf8').replace(/\n$/, '');
}

/**
 * Makes an encryption profile of each identity and 7-Zip passphrase in a recovery kit, so that a
 * new install (a machine rebuilt, a data dir lost with its master key) restores, verifies and
 * drills the backups those profiles made through Vaultdesk itself rather than by hand.
 *
 * Each profile keeps the kit's name. A profile of the same kind with the same key (recipient, or
 * 7-Zip passphrase) that is here already is left as it is (`present`); a name used here by
 * another profile is left out and named (`clashes`): nothing here is replaced or renamed. Every
 * identity to import is unwrapped and checked against the recipient keys.json gives, and every
 * 7-Zip passphrase unwrapped, before the first profile is made, and a failure while making them
 * removes those made: a kit is imported whole or not at all. The profiles made count as saved
 * outside Vaultdesk (the kit is that copy), and keep the extra recipients the kit lists (kits
 * exported before 2026-12-05 list none).
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

  const sevenZipEntries = entries.filter(isSevenZipEntry);
  const here = profilesHere(deps.profiles, sevenZipEntries.length > 0);
  const present: KitImportDto['present'] = [];
  const clashes: KitImportDto['clashes'] = [];
  const ageToMake: KitEntry<KitAgeKey>[] = [];
  const sevenZipToMake: { entry: KitEntry<KitSevenZipKey>; passphrase: string }[] = [];
  // A 7-Zip profile's place here depends on its passphrase: each is unwrapped (a scrypt each, with a kit passphrase).
  const passphrases = sevenZipEntries.length > 0 ? await kitPassphrases(kit, sevenZipEntries, request.passphrase) : [];
  for (const entry of entries) {
    const passphrase = isSevenZipEntry(entry) ? passphrases[sevenZipEntries.indexOf(entry)]! : undefined;
    const { standing, profile } = standingHere(entry.key, here, passphrase);
    const recipient = entry.key.kind === 'age' ? entry.key.recipient : null;
    if (standing === 'present') present.push({ name: entry.key.profile, kind: entry.key.kind, recipient, profile: profile! });
    else if (standing === 'clash') clashes.push({ name: entry.key.profile, kind: entry.key.kind, recipient, profile: profile! });
    else if (isSevenZipEntry(entry)) sevenZipToMake.push({ entry, passphrase: passphrase! });
    else if (isAgeEntry(entry)) ageToMake.push(entry);
  }

  // Unwrapped only when some are to be made: a passphrase costs a scrypt per identity.
  const texts = ageToMake.length > 0 ? await kitIdentities(kit, ageToMake, request.passphrase) : [];
  // kitIdentities has parsed each already: one identity line, without the file's comments.
  const identities = texts.map((text) => parseIdentityFile(text)[0]!);
  const { identityToRecipient } = await import('age-encryption');
  for (const [i, entry] of ageToMake.entries()) {
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
    for (const [i, entry] of ageToMake.entries()) {
      const profile = await deps.profiles.create({ kind: 'age', name: entry.key.profile, extraRecipients: entry.key.extraRecipients ?? [], identity: identities[i]! });
      created.push({ id: profile.id, name: profile.name, kind: 'age', recipient: entry.key.recipient, fingerprint: recipientFingerprint(entry.key.recipient) });
    }
    for (const { entry, passphrase } of sevenZipToMake) {
      const profile = await deps.profiles.create({ kind: '7z', name: entry.key.profile, passphrase });
      created.push({ id: profile.id, name: profile.name, kind: '7z', recipient: null, fingerprint: null });
    }
  } catch (error) {
    // Another process took a name meanwhile, or the store refused: the kit is imported whole or not at all.
    for (const c of created) deps.profiles.delete(c.id);
    throw error;
  }
  return { path: request.path, passphraseProtected: kit.index.passphraseProtected, created, present, clashes };
}
