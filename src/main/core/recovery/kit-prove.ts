import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AppError } from '../../../shared/ipc/result';
import type { SevenZipTool } from '../pipeline/seven-zip-tool';
import { ageDecryptBuffer, ageEncryptBuffer } from './age-buffer';
import type { KitAgeProfile, KitProfile, KitSevenZipProfile } from './kit-build';
import { isAgeEntry, isSevenZipEntry, kitIdentities, kitPassphrases, readRecoveryKit, type RecoveryKit } from './kit-read';

type Refuse = (why: string) => AppError;

/**
 * The kit's own test, on its bytes as they will be written: the zip is read back with the reader
 * `vaultdesk decrypt` uses and each file is unwrapped from it. For an age profile, a canary
 * encrypted to its recipient (to that one alone, so two identities swapped between profiles are
 * caught too) must open with the identity the kit holds for it. For a 7-Zip profile, the kit's
 * copy must be the stored passphrase, and, when a 7-Zip is at hand, a test archive made with the
 * stored passphrase must extract with the kit's copy. Throws INTEGRITY_FAILED naming the profile.
 */
export async function proveKit(bytes: Uint8Array, profiles: readonly KitProfile[], passphrase: string | undefined, sevenZip: { tool: SevenZipTool; tempDir: string } | null = null): Promise<void> {
  const refused: Refuse = (why) => new AppError('INTEGRITY_FAILED', `The recovery kit failed its own test, so it was not written: ${why}`);
  let kit: RecoveryKit;
  try {
    kit = readRecoveryKit(bytes, 'the new kit');
  } catch (error) {
    throw refused(error instanceof Error ? error.message : String(error));
  }
  for (const profile of profiles) {
    if (profile.kind === '7z') await proveSevenZip(kit, profile, passphrase, sevenZip, refused);
    else await proveAge(kit, profile, passphrase, refused);
  }
}

async function proveAge(kit: RecoveryKit, profile: KitAgeProfile, passphrase: string | undefined, refused: Refuse): Promise<void> {
  const canary = randomBytes(32);
  const sealed = await ageEncryptBuffer({ recipients: [profile.recipient] }, canary);
  const entry = kit.entries.filter(isAgeEntry).find((e) => e.key.profile === profile.name && e.key.recipient === profile.recipient);
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

async function proveSevenZip(kit: RecoveryKit, profile: KitSevenZipProfile, passphrase: string | undefined, sevenZip: { tool: SevenZipTool; tempDir: string } | null, refused: Refuse): Promise<void> {
  const entry = kit.entries.filter(isSevenZipEntry).find((e) => e.key.profile === profile.name);
  if (!entry) throw refused(`it has no entry for 7-Zip profile ${JSON.stringify(profile.name)}.`);
  let copy: string;
  try {
    [copy] = (await kitPassphrases(kit, [entry], passphrase)) as [string];
  } catch (error) {
    throw refused(`the passphrase of 7-Zip profile ${JSON.stringify(profile.name)} cannot be read back from it (${error instanceof Error ? error.message : String(error)}).`);
  }
  const stored = Buffer.from(profile.passphrase);
  const held = Buffer.from(copy);
  // Never said which differs, or how: the message must not carry a secret.
  if (held.length !== stored.length || !timingSafeEqual(held, stored)) throw refused(`the passphrase it holds for 7-Zip profile ${JSON.stringify(profile.name)} is not the one stored for the profile.`);
  if (sevenZip) await sevenZipRoundTrip(profile, copy, sevenZip, refused);
}

/** A tiny archive made with the stored passphrase, as a backup is made, opened with the kit's copy, as a DBA would open one. */
async function sevenZipRoundTrip(profile: KitSevenZipProfile, copy: string, { tool, tempDir }: { tool: SevenZipTool; tempDir: string }, refused: Refuse): Promise<void> {
  // Loaded here: a kit of age profiles alone never starts 7-Zip.
  const { createSevenZipArchive, extractSevenZip } = await import('../pipeline/seven-zip');
  const canary = randomBytes(32);
  const name = JSON.stringify(profile.name);
  const why = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  let archive: string;
  try {
    archive = (await createSevenZipArchive(Readable.from([canary]), { tool, passphrase: profile.passphrase, entryName: 'vaultdesk-kit-test', tempDir, level: 0 })).file;
  } catch (error) {
    throw refused(`${tool.path} could not make a test archive with the passphrase of 7-Zip profile ${name} (${why(error)}).`);
  }
  try {
    const parts: Buffer[] = [];
    for await (const chunk of await extractSevenZip(archive, { tool, passphrase: copy })) parts.push(chunk as Buffer);
    const opened = Buffer.concat(parts);
    if (opened.length !== canary.length || !timingSafeEqual(opened, canary)) throw new Error('what it extracted is not what was put in');
  } catch (error) {
    throw refused(`a test archive made by ${tool.path} with the passphrase of 7-Zip profile ${name} does not open with the kit's copy of it (${why(error)}).`);
  } finally {
    await rm(archive, { force: true });
  }
}
