import { armor } from 'age-encryption';
import { AppError } from '../../../shared/ipc/result';
import { AGE_MAGIC } from '../pipeline/age-header';
import { parseIdentityFile } from '../pipeline/age-stream';
import { ageDecryptBuffer } from './age-buffer';
import { isAgeEntry, isSevenZipEntry, kitIdentities, kitPassphrases, looksLikeZip, readRecoveryKit, type RecoveryKit } from './kit-read';
import { readKeyOrKitFile, type KeyFileWords } from './key-file-read';

/** A file given with `-i`, as read from disk. */
export interface KeyFile {
  path: string;
  bytes: Buffer;
}

export interface ResolvedIdentity {
  /** Identity-file text (one or more AGE-SECRET-KEY-1... lines). */
  text: string;
  /** Where it came from, in words. */
  origin: string;
  /** The kit it came from, or null for an identity file. */
  kit: string | null;
  profile: string | null;
}

export interface ResolvedKeys {
  identities: ResolvedIdentity[];
}

const KEY_FILE_WORDS: KeyFileWords = {
  field: 'identity',
  what: 'the identity file or kit',
  notAFolder: 'an identity file or a recovery kit',
  tooBig: 'an identity file or a recovery kit: is it the backup itself? The backup comes first, the key after -i.',
};

/** Reads a file named with `-i`. */
export function readKeyFile(path: string): KeyFile {
  return { path, bytes: readKeyOrKitFile(path, KEY_FILE_WORDS) };
}

type Classified = { kind: 'kit'; path: string; kit: RecoveryKit } | { kind: 'wrapped'; path: string; bytes: Buffer } | { kind: 'plain'; path: string; text: string };

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';

function classifyKeyFile(file: KeyFile): Classified {
  if (looksLikeZip(file.bytes)) return { kind: 'kit', path: file.path, kit: readRecoveryKit(file.bytes, file.path) };
  if (file.bytes.subarray(0, AGE_MAGIC.length).equals(AGE_MAGIC)) return { kind: 'wrapped', path: file.path, bytes: file.bytes };
  const text = file.bytes.toString('utf8');
  if (text.trimStart().startsWith(ARMOR_BEGIN)) {
    // `age -p -a` writes a wrapped identity as text; age reads it either way, so we do too.
    try {
      return { kind: 'wrapped', path: file.path, bytes: Buffer.from(armor.decode(text)) };
    } catch {
      throw new AppError('VALIDATION_FAILED', `The identity file ${file.path} looks like an ASCII-armored age file but its armor is damaged.`, { field: 'identity' });
    }
  }
  return { kind: 'plain', path: file.path, text: checkedText(file.path, text) };
}

function checkedText(source: string, text: string): string {
  try {
    parseIdentityFile(text);
  } catch (error) {
    // The parser quotes line numbers, never the secret itself.
    throw new AppError('VALIDATION_FAILED', `${source} is not an identity file, a passphrase-protected identity or a recovery kit: ${error instanceof Error ? error.message : String(error)}`, { field: 'identity' });
  }
  return text;
}

/**
 * Turns what `-i` named into identities. Kits are narrowed to the profiles the backup's manifest
 * names (`wanted`: recipient fingerprints), so a passphrase-protected kit costs one scrypt per
 * identity actually needed; without a manifest every identity in it is unwrapped and tried.
 */
export async function resolveKeyFiles(files: readonly KeyFile[], passphrase: string | undefined, wanted: string[] | null): Promise<ResolvedKeys> {
  const classified = files.map(classifyKeyFile);
  assertPassphraseFits(classified, passphrase);
  const identities: ResolvedIdentity[] = [];
  const unmatchedKits: RecoveryKit[] = [];
  for (const c of classified) {
    if (c.kind === 'plain') {
      identities.push({ text: c.text, origin: `identity file ${c.path}`, kit: null, profile: null });
    } else if (c.kind === 'wrapped') {
      identities.push({ text: await unwrapIdentityFile(c.path, c.bytes, passphrase!), origin: `identity file ${c.path}`, kit: null, profile: null });
    } else {
      const ages = c.kit.entries.filter(isAgeEntry);
      const entries = wanted ? ages.filter((e) => wanted.includes(e.key.fingerprint)) : ages;
      if (entries.length === 0) {
        unmatchedKits.push(c.kit);
        continue;
      }
      const texts = await kitIdentities(c.kit, entries, c.kit.index.passphraseProtected ? passphrase : undefined);
      entries.forEach((e, i) => identities.push({ text: texts[i]!, origin: `profile ${JSON.stringify(e.key.profile)} of recovery kit ${c.path}`, kit: c.path, profile: e.key.profile }));
    }
  }
  if (identities.length === 0) {
    const held = unmatchedKits.flatMap((k) => k.entries.map((e) => (e.key.kind === 'age' ? `${JSON.stringify(e.key.profile)} (${e.key.fingerprint})` : `7-Zip profile ${JSON.stringify(e.key.profile)}`)));
    throw new AppError(
      'DECRYPT_FAILED',
      `No identity in the recovery kit${unmatchedKits.length === 1 ? ` ${unmatchedKits[0]!.source}` : 's given'} opens this backup: ${
        // Without a manifest only a kit of 7-Zip profiles alone has no identity to try.
        wanted ? `its manifest says it was encrypted to the key${wanted.length === 1 ? '' : 's'} with fingerprint ${wanted.join(', ')}, and` : 'it is an age file, and'
      } the kit holds ${held.join(', ')}. Use a kit or identity file of the profile that made it.`,
      { reason: 'kit-no-match' },
    );
  }
  return { identities };
}

/** A passphrase given where nothing is protected, or none where something is: said before anything is unwrapped. */
function assertPassphraseFits(classified: readonly Classified[], passphrase: string | undefined): void {
  const protectedOnes = classified.filter((c) => c.kind === 'wrapped' || (c.kind === 'kit' && c.kit.index.passphraseProtected));
  if (passphrase !== undefined && protectedOnes.length === 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      'A passphrase was given, but no identity file or kit given with -i is protected by one. Leave the passphrase out, or leave out -i if the backup itself was encrypted to a passphrase.',
      { field: 'passphrase' },
    );
  }
  if (passphrase === undefined && protectedOnes.length > 0) {
    const what = protectedOnes[0]!.kind === 'kit' ? 'The recovery kit' : 'The identity file';
    throw new AppError('VALIDATION_FAILED', `${what} ${protectedOnes[0]!.path} is protected by a passphrase: give its passphrase (the Passphrase field on the Recovery page, or --passphrase-stdin for vaultdesk decrypt).`, { field: 'passphrase' });
  }
}

/** A 7-Zip passphrase of a kit, with where it came from. */
export interface ResolvedPassphrase {
  passphrase: string;
  kit: string;
  profile: string;
}

/**
 * The 7-Zip passphrases of the kits named with `-i`, for a 7-Zip backup, unwrapped with the
 * kit's passphrase when it has one. An identity file cannot open a 7-Zip archive, so it is
 * refused in words; kits that hold no 7-Zip profile are `kit-no-match` (nothing in them opens it).
 */
export async function resolveKitPassphrases(files: readonly KeyFile[], passphrase: string | undefined, archive: string): Promise<ResolvedPassphrase[]> {
  const classified = files.map(classifyKeyFile);
  const notKit = classified.find((c) => c.kind !== 'kit');
  if (notKit) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${archive} is a 7-Zip archive: it opens with its 7-Zip profile's passphrase, not with an age identity such as ${notKit.path}. Give a recovery kit that holds the profile, or the passphrase alone.`,
      { field: 'identity' },
    );
  }
  const kits = classified.map((c) => (c as Extract<Classified, { kind: 'kit' }>).kit);
  const withSevenZip = kits.filter((kit) => kit.entries.some(isSevenZipEntry));
  if (withSevenZip.length === 0) {
    const held = kits.flatMap((k) => k.entries.map((e) => JSON.stringify(e.key.profile)));
    throw new AppError(
      'DECRYPT_FAILED',
      `No 7-Zip passphrase in the recovery kit${kits.length === 1 ? ` ${kits[0]!.source}` : 's given'} opens ${archive}: it is a 7-Zip archive, and the kit holds age profiles only (${held.join(', ')}). Use a kit exported with the 7-Zip profile that made it, or give its passphrase alone.`,
      { reason: 'kit-no-match' },
    );
  }
  assertPassphraseFits(classified, passphrase);
  const found: ResolvedPassphrase[] = [];
  for (const kit of withSevenZip) {
    const entries = kit.entries.filter(isSevenZipEntry);
    const passphrases = await kitPassphrases(kit, entries, kit.index.passphraseProtected ? passphrase : undefined);
    entries.forEach((e, i) => found.push({ passphrase: passphrases[i]!, kit: kit.source, profile: e.key.profile }));
  }
  return found;
}

async function unwrapIdentityFile(path: string, bytes: Buffer, passphrase: string): Promise<string> {
  let text: Buffer;
  try {
    text = await ageDecryptBuffer({ passphrase }, bytes);
  } catch (error) {
    if (error instanceof AppError && error.details?.reason === 'no-match') {
      if (error.details.passphraseFile === false) {
        throw new AppError('VALIDATION_FAILED', `${path} is an age file encrypted to age keys, not a passphrase-protected identity: give an identity file or a recovery kit with -i.`, { field: 'identity' });
      }
      throw new AppError('DECRYPT_FAILED', `Wrong passphrase for the identity file ${path}: it does not unwrap it.`, { reason: 'kit-passphrase' });
    }
    throw new AppError('VALIDATION_FAILED', `The passphrase-protected identity file ${path} cannot be unwrapped: ${error instanceof Error ? error.message : String(error)}`, { field: 'identity' });
  }
  return checkedText(`The identity unwrapped from ${path}`, text.toString('utf8'));
}
