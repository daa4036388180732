import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { AppError } from '../../../shared/ipc/result';
import { AGE_MAGIC } from '../pipeline/age-header';
import { parseIdentityFile } from '../pipeline/age-stream';
import { assertUsablePassphrase } from '../pipeline/seven-zip-process';
import { ageDecryptBuffer } from './age-buffer';
import { KIT_IDENTITY_FOLDER, KIT_INDEX, KIT_PASSPHRASE_FOLDER, kitFileOf, kitIndexSchema, MAX_KIT_BYTES, MAX_KIT_ENTRY_BYTES, MAX_KIT_KEYS, type KitAgeKey, type KitIndex, type KitKey, type KitSevenZipKey } from './kit-format';

export interface RecoveryKit {
  /** Where it was read from, for messages. */
  source: string;
  index: KitIndex;
  /** keys.json's entries, each with its file's bytes (an identity or a 7-Zip passphrase; plain text, or a passphrase-wrapped age file). */
  entries: KitEntry[];
}

export interface KitEntry<K extends KitKey = KitKey> {
  key: K;
  file: Buffer;
}

export function isAgeEntry(entry: KitEntry): entry is KitEntry<KitAgeKey> {
  return entry.key.kind === 'age';
}

export function isSevenZipEntry(entry: KitEntry): entry is KitEntry<KitSevenZipKey> {
  return entry.key.kind === '7z';
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function looksLikeZip(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4)).equals(ZIP_MAGIC);
}

function notAKit(source: string, why: string): AppError {
  return new AppError('VALIDATION_FAILED', `${source} is not a Vaultdesk recovery kit: ${why}.`, { field: 'identity' });
}

/**
 * The kit's files, inflated a slice at a time so that an entry inflating past its limit (a zip
 * bomb) is stopped there rather than after it has filled memory. Only keys.json and files under
 * identities/ and passphrases/ are kept; README.txt and anything else are skipped unread.
 */
function unzipKit(bytes: Uint8Array, source: string): Map<string, Buffer> {
  if (bytes.byteLength > MAX_KIT_BYTES) throw notAKit(source, `it is ${bytes.byteLength} bytes, far more than a kit holds`);
  const files = new Map<string, Buffer>();
  let problem: string | null = null;
  const unzip = new Unzip((file) => {
    if (problem !== null) return;
    if (file.name !== KIT_INDEX && !file.name.startsWith(`${KIT_IDENTITY_FOLDER}/`) && !file.name.startsWith(`${KIT_PASSPHRASE_FOLDER}/`)) return;
    if (files.size > MAX_KIT_KEYS + 1) {
      problem = 'it holds too many files';
      return;
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, chunk, final) => {
      if (problem !== null) return;
      if (error) {
        problem = `${file.name} cannot be read (${error.message})`;
        return;
      }
      size += chunk.byteLength;
      if (size > MAX_KIT_ENTRY_BYTES) {
        problem = `${file.name} is larger than any kit file`;
        file.terminate();
        return;
      }
      parts.push(chunk);
      if (final) files.set(file.name, Buffer.concat(parts));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  const SLICE = 16 * 1024;
  try {
    for (let offset = 0; offset < bytes.byteLength && problem === null; offset += SLICE) {
      unzip.push(bytes.subarray(offset, offset + SLICE), offset + SLICE >= bytes.byteLength);
    }
  } catch (error) {
    problem ??= `the zip is damaged (${error instanceof Error ? error.message : String(error)})`;
  }
  if (problem !== null) throw notAKit(source, problem);
  return files;
}

/**
 * Reads a recovery kit zip: keys.json checked against its schema, and each key's file.
 * Nothing is unwrapped here: a passphrase costs a scrypt per file, so only the identities
 * and 7-Zip passphrases needed are unwrapped, by `kitIdentities` and `kitPassphrases`.
 */
export function readRecoveryKit(bytes: Uint8Array, source: string): RecoveryKit {
  const files = unzipKit(bytes, source);
  const indexBytes = files.get(KIT_INDEX);
  if (!indexBytes) throw notAKit(source, `it has no ${KIT_INDEX}`);
  let json: unknown;
  try {
    json = JSON.parse(indexBytes.toString('utf8'));
  } catch {
    throw notAKit(source, `its ${KIT_INDEX} is not JSON`);
  }
  const parsed = kitIndexSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw notAKit(source, `its ${KIT_INDEX} is not a kit index (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  const index = parsed.data;
  const entries = index.keys.map((key) => {
    const name = kitFileOf(key);
    const file = files.get(name);
    if (!file) throw notAKit(source, `${KIT_INDEX} names ${name}, which is not in the zip`);
    const wrapped = file.subarray(0, AGE_MAGIC.length).equals(AGE_MAGIC);
    if (wrapped !== index.passphraseProtected) {
      throw notAKit(source, `${name} is ${wrapped ? 'passphrase-protected' : 'not passphrase-protected'}, unlike what ${KIT_INDEX} says`);
    }
    return { key, file };
  });
  return { source, index, entries };
}

/**
 * The identity text of the given entries, unwrapped with the passphrase when the kit has one.
 * A passphrase that does not open the first one is a wrong passphrase (`kit-passphrase`):
 * every file of a kit is wrapped with the same one.
 */
export async function kitIdentities(kit: RecoveryKit, entries: readonly KitEntry<KitAgeKey>[], passphrase: string | undefined): Promise<string[]> {
  const texts = await unwrapped(kit, entries, passphrase, (key) => `the identity of profile ${JSON.stringify(key.profile)}`);
  return texts.map((text, i) => checkedIdentity(kit, entries[i]!.key, text));
}

/** The 7-Zip passphrases of the given entries, unwrapped as kitIdentities unwraps identities. */
export async function kitPassphrases(kit: RecoveryKit, entries: readonly KitEntry<KitSevenZipKey>[], passphrase: string | undefined): Promise<string[]> {
  const texts = await unwrapped(kit, entries, passphrase, (key) => `the passphrase of 7-Zip profile ${JSON.stringify(key.profile)}`);
  return texts.map((text, i) => checkedPassphrase(kit, entries[i]!.key, text));
}

async function unwrapped<K extends KitKey>(kit: RecoveryKit, entries: readonly KitEntry<K>[], passphrase: string | undefined, what: (key: K) => string): Promise<string[]> {
  if (!kit.index.passphraseProtected) {
    if (passphrase !== undefined) {
      throw new AppError('VALIDATION_FAILED', `The recovery kit ${kit.source} is not protected by a passphrase, but one was given: leave it out.`, { field: 'passphrase' });
    }
    return entries.map((e) => e.file.toString('utf8'));
  }
  if (passphrase === undefined) {
    throw new AppError('VALIDATION_FAILED', `The recovery kit ${kit.source} is protected by a passphrase: give its passphrase (the Passphrase field on the Recovery page, or --passphrase-stdin on the command line).`, { field: 'passphrase' });
  }
  const out: string[] = [];
  for (const entry of entries) {
    let text: Buffer;
    try {
      text = await ageDecryptBuffer({ passphrase }, entry.file);
    } catch (error) {
      if (error instanceof AppError && error.details?.reason === 'no-match') {
        throw new AppError('DECRYPT_FAILED', `Wrong passphrase for the recovery kit ${kit.source}: it does not unwrap ${what(entry.key)}.`, { reason: 'kit-passphrase' });
      }
      throw notAKit(kit.source, `${kitFileOf(entry.key)} cannot be unwrapped (${error instanceof Error ? error.message : String(error)})`);
    }
    out.push(text.toString('utf8'));
  }
  return out;
}

function checkedIdentity(kit: RecoveryKit, key: KitAgeKey, text: string): string {
  try {
    parseIdentityFile(text);
  } catch (error) {
    throw notAKit(kit.source, `${key.identityFile} does not hold an age identity (${error instanceof Error ? error.message : String(error)})`);
  }
  return text;
}

/** The longest passphrase a profile takes (the contract's limit). */
const MAX_PASSPHRASE = 1024;

/** One line, as passphraseFileText writes it; a passphrase 7-Zip could not take is a damaged kit, never quoted. */
function checkedPassphrase(kit: RecoveryKit, key: KitSevenZipKey, text: string): string {
  const passphrase = text.endsWith('\n') ? text.slice(0, -1) : text;
  try {
    assertUsablePassphrase(passphrase, 'DECRYPT_FAILED');
    if (passphrase.length > MAX_PASSPHRASE) throw new Error('too long');
  } catch {
    throw notAKit(kit.source, `${key.passphraseFile} does not hold a 7-Zip passphrase on one line`);
  }
  return passphrase;
}
