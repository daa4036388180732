import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { AppError } from '../../../shared/ipc/result';
import { AGE_MAGIC } from '../pipeline/age-header';
import { parseIdentityFile } from '../pipeline/age-stream';
import { ageDecryptBuffer } from './age-buffer';
import { KIT_INDEX, kitIndexSchema, MAX_KIT_BYTES, MAX_KIT_ENTRY_BYTES, MAX_KIT_KEYS, type KitIndex, type KitKey } from './kit-format';

export interface RecoveryKit {
  /** Where it was read from, for messages. */
  source: string;
  index: KitIndex;
  /** keys.json's entries, each with its identity file's bytes (plain text, or a passphrase-wrapped age file). */
  entries: { key: KitKey; file: Buffer }[];
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
 * identities/ are kept; README.txt and anything else are skipped unread.
 */
function unzipKit(bytes: Uint8Array, source: string): Map<string, Buffer> {
  if (bytes.byteLength > MAX_KIT_BYTES) throw notAKit(source, `it is ${bytes.byteLength} bytes, far more than a kit holds`);
  const files = new Map<string, Buffer>();
  let problem: string | null = null;
  const unzip = new Unzip((file) => {
    if (problem !== null) return;
    if (file.name !== KIT_INDEX && !file.name.startsWith('identities/')) return;
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
 * Reads a recovery kit zip: keys.json checked against its schema, and each key's identity file.
 * Nothing is unwrapped here: a passphrase costs a scrypt per identity, so only the identities
 * needed are unwrapped, by `kitIdentities`.
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
    const file = files.get(key.identityFile);
    if (!file) throw notAKit(source, `${KIT_INDEX} names ${key.identityFile}, which is not in the zip`);
    const wrapped = file.subarray(0, AGE_MAGIC.length).equals(AGE_MAGIC);
    if (wrapped !== index.passphraseProtected) {
      throw notAKit(source, `${key.identityFile} is ${wrapped ? 'passphrase-protected' : 'not passphrase-protected'}, unlike what ${KIT_INDEX} says`);
    }
    return { key, file };
  });
  return { source, index, entries };
}

/**
 * The identity text of the given entries, unwrapped with the passphrase when the kit has one.
 * A passphrase that does not open the first one is a wrong passphrase (`kit-passphrase`):
 * every identity of a kit is wrapped with the same one.
 */
export async function kitIdentities(kit: RecoveryKit, entries: readonly { key: KitKey; file: Buffer }[], passphrase: string | undefined): Promise<string[]> {
  if (!kit.index.passphraseProtected) {
    if (passphrase !== undefined) {
      throw new AppError('VALIDATION_FAILED', `The recovery kit ${kit.source} is not protected by a passphrase, but one was given: leave it out.`, { field: 'passphrase' });
    }
    return entries.map((e) => checkedIdentity(kit, e.key, e.file.toString('utf8')));
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
        throw new AppError('DECRYPT_FAILED', `Wrong passphrase for the recovery kit ${kit.source}: it does not unwrap the identity of profile ${JSON.stringify(entry.key.profile)}.`, { reason: 'kit-passphrase' });
      }
      throw notAKit(kit.source, `${entry.key.identityFile} cannot be unwrapped (${error instanceof Error ? error.message : String(error)})`);
    }
    out.push(checkedIdentity(kit, entry.key, text.toString('utf8')));
  }
  return out;
}

function checkedIdentity(kit: RecoveryKit, key: KitKey, text: string): string {
  try {
    parseIdentityFile(text);
  } catch (error) {
    throw notAKit(kit.source, `${key.identityFile} does not hold an age identity (${error instanceof Error ? error.message : String(error)})`);
  }
  return text;
}
