import { createHash } from 'node:crypto';
import { Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupVerifyDto } from '../../../shared/domain/backups';
import { AppError } from '../../../shared/ipc/result';
import { formatBytes } from '../destinations/local-files';
import { recipientFingerprint, type BackupManifest } from '../pipeline/manifest';
import type { BackupStateRepository } from '../store/backup-state-repository';
import type { ProfilesRepository } from '../store/profiles-repository';
import { notABackup, type BackupExplorer } from './backup-explorer';

export interface VerifyDeps {
  profiles: ProfilesRepository;
  backupState: BackupStateRepository;
  now: () => Date;
}

/**
 * Reads the stored object back to its end and compares its size and sha256 with the manifest's;
 * when a profile of this data dir holds the identity of one of its age recipients, the same bytes
 * also go through age decryption, so every chunk of the payload is authenticated (the plaintext
 * is thrown away). The verdict is kept with the backup (last verified) and returned; a
 * destination that cannot be read is an error, not a verdict, and nothing is kept.
 */
export async function verifyBackup(explorer: BackupExplorer, deps: VerifyDeps, id: string): Promise<BackupVerifyDto> {
  return explorer.open(id, async ({ destination, driver, entry, backup }) => {
    if (backup.status === 'incomplete') throw notABackup(backup, 'verified');
    const reading = entry.manifest!.reading;
    const manifest = reading.ok ? reading.manifest : null;
    let outcome: Omit<BackupVerifyDto, 'backup' | 'at'>;
    if (!manifest || !entry.object) {
      outcome = { ok: false, bytesRead: 0, sha256: { expected: manifest?.object.sha256 ?? '', actual: null, ok: false }, age: 'not-checked', message: `${backup.problem ?? ''} Nothing was read.`.trim() };
    } else {
      const keys = identitiesFor(manifest, deps.profiles);
      // The age code loads only when a payload is to be authenticated: every command imports this module.
      const check = keys.identities.length > 0 ? new PayloadCheck((await import('../pipeline/age-stream')).createAgeDecryptStream, keys.identities) : null;
      const hash = createHash('sha256');
      let bytesRead = 0;
      const sink = new Writable({
        highWaterMark: 1024 * 1024,
        write(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytesRead += chunk.length;
          if (check) check.feed(chunk).then(() => callback(), callback);
          else callback();
        },
      });
      await pipeline(await driver.get(entry.key), sink);
      const ageFailure = check ? await check.end() : null;
      const actual = hash.digest('hex');
      const shaOk = actual === manifest.object.sha256 && bytesRead === manifest.object.size;
      const age: BackupVerifyDto['age'] = manifest.encryption.kind !== 'age' ? 'not-encrypted' : !check ? 'not-checked' : ageFailure ? 'failed' : 'authenticated';
      outcome = { ok: shaOk && age !== 'failed', bytesRead, sha256: { expected: manifest.object.sha256, actual, ok: shaOk }, age, message: verdictWords(manifest, bytesRead, actual, shaOk, age, keys, ageFailure) };
    }
    const at = deps.now().toISOString();
    deps.backupState.recordVerification(destination.id, entry.key, { at, ok: outcome.ok, message: outcome.message });
    const refreshed = explorer.redescribe(destination, entry);
    return { backup: refreshed, at, ...outcome };
  });
}

interface Identities {
  identities: string[];
  profiles: string[];
  /** Why a profile that matches could not be used (its identity sealed under a key this process lacks). */
  unusable: string[];
}

/** The identities of this data dir's profiles that are recipients of the backup, matched by fingerprint. */
export function identitiesFor(manifest: BackupManifest, profiles: ProfilesRepository): Identities {
  const found: Identities = { identities: [], profiles: [], unusable: [] };
  if (manifest.encryption.kind !== 'age') return found;
  const wanted = new Set(manifest.encryption.recipients.map((r) => r.fingerprint));
  for (const p of profiles.list()) {
    if (p.kind !== 'age' || !p.recipient || !p.hasSecret || !wanted.has(recipientFingerprint(p.recipient))) continue;
    try {
      const identity = profiles.secrets(p.id).identity;
      if (identity) {
        found.identities.push(identity);
        found.profiles.push(p.name);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      found.unusable.push(`profile "${p.name}": ${error.message}`);
    }
  }
  return found;
}

function verdictWords(manifest: BackupManifest, bytesRead: number, actual: string, shaOk: boolean, age: BackupVerifyDto['age'], keys: Identities, ageFailure: AppError | null): string {
  const expected = manifest.object;
  const parts: string[] = [];
  if (shaOk) parts.push(`Read all ${formatBytes(bytesRead)} back: the sha256 matches the manifest.`);
  else if (bytesRead !== expected.size) parts.push(`The stored object is ${bytesRead} bytes but the manifest says ${expected.size}: it was cut short or changed after it was stored.`);
  // A payload that authenticates whole was not changed since it was encrypted: the manifest's hash is the likelier culprit.
  else if (age === 'authenticated') parts.push(`The stored bytes do not match the manifest: sha256 ${actual}, expected ${expected.sha256}. The whole age payload authenticated, so the object is as it was encrypted: the manifest beside it was changed or damaged, or belongs to another object.`);
  else parts.push(`The stored bytes do not match the manifest: sha256 ${actual}, expected ${expected.sha256}. The object (or the manifest beside it) was changed or damaged after it was stored.`);
  const who = keys.profiles.map((n) => `"${n}"`).join(', ');
  if (age === 'authenticated') parts.push(`${shaOk ? 'The whole age payload authenticated' : 'It authenticated'} with the identity of profile ${who}.`);
  if (age === 'failed') parts.push(`The age payload failed authentication with the identity of profile ${who}: ${ageFailure!.message}`);
  if (age === 'not-checked') {
    const fingerprints = manifest.encryption.kind === 'age' ? manifest.encryption.recipients.map((r) => r.fingerprint).join(', ') : '';
    parts.push(
      keys.unusable.length > 0
        ? `The age payload was not authenticated: ${keys.unusable.join('; ')}.`
        : `The age payload was not authenticated: no encryption profile here holds the identity of its recipients (fingerprints ${fingerprints}).`,
    );
  }
  if (manifest.encryption.kind === '7z') parts.push('It is a 7-Zip archive: its contents were not opened.');
  return parts.join(' ');
}

/**
 * Feeds the object's bytes through age decryption and discards the plaintext. A failure is kept
 * and the rest of the bytes are no longer fed, so the sha256 beside it still sees them all.
 */
class PayloadCheck {
  readonly #decrypt: Transform;
  #failure: AppError | null = null;
  readonly #settled: Promise<void>;

  constructor(createDecrypt: typeof import('../pipeline/age-stream').createAgeDecryptStream, identities: string[]) {
    this.#decrypt = createDecrypt({ identities });
    this.#settled = new Promise((resolve) => {
      this.#decrypt.once('error', (error: Error) => {
        this.#failure ??= error instanceof AppError ? error : new AppError('DECRYPT_FAILED', error.message);
        resolve();
      });
      this.#decrypt.once('end', () => resolve());
    });
    this.#decrypt.resume();
  }

  async feed(chunk: Buffer): Promise<void> {
    if (this.#failure || this.#decrypt.destroyed) return;
    if (this.#decrypt.write(chunk)) return;
    await Promise.race([new Promise((resolve) => this.#decrypt.once('drain', resolve)), this.#settled]);
  }

  /** The failure, or null once the whole payload, its last chunk included, authenticated. */
  async end(): Promise<AppError | null> {
    if (!this.#failure && !this.#decrypt.destroyed) this.#decrypt.end();
    await this.#settled;
    return this.#failure;
  }
}
