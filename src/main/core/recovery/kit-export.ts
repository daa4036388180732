import type { ProfileDto } from '../../../shared/domain/dto';
import type { KitExportDto } from '../../../shared/domain/recovery';
import { AppError } from '../../../shared/ipc/result';
import { refuseExisting } from '../files/place-new';
import { exportSecretFile } from '../keys/export-file';
import { findSevenZip, type SevenZipTool } from '../pipeline/seven-zip-tool';
import type { ProfilesRepository } from '../store/profiles-repository';
import { buildRecoveryKit, type KitProfile } from './kit-build';

export interface KitExportRequest {
  /** Where the zip goes on the host (written 0600, through a temporary name). */
  path: string;
  /** The profiles to put in (age and 7-Zip); all those with a stored secret when absent. */
  profileIds?: string[];
  passphrase?: string;
}

export interface KitExportDeps {
  profiles: ProfilesRepository;
  now: () => Date;
  version: string;
  /** Where 7-Zip is looked for, to prove 7-Zip passphrases with a test archive: the host's tool environment. */
  toolEnv: Record<string, string | undefined>;
  /** 7-Zip's path as set in Settings, searched for when absent. */
  sevenZipPath?: string;
  /** Where that test archive is made and removed (the data dir's own tmp). */
  tempDir: string;
  /** Tests only: a faster scrypt than age's default. */
  scryptWorkFactor?: number;
}

/**
 * Writes a recovery kit for the chosen profiles (see buildRecoveryKit for what it holds and how
 * it proves itself) and marks each profile's identity or passphrase as saved outside Vaultdesk.
 * Nothing is written, and no profile marked, unless the kit passed its test.
 */
export async function exportRecoveryKit(deps: KitExportDeps, request: KitExportRequest): Promise<KitExportDto> {
  // Before the scrypt wrapping and the kit's self-test, seconds of work: a path that is taken is said at once.
  refuseExisting(request.path, 'written');
  const all = deps.profiles.list();
  const chosen: ProfileDto[] = request.profileIds ? [...new Set(request.profileIds)].map((id) => deps.profiles.get(id)) : all;
  const material: KitProfile[] = [];
  const included: ProfileDto[] = [];
  const skipped: KitExportDto['skipped'] = [];
  for (const profile of chosen) {
    const secret = secretOf(deps.profiles, profile);
    if (!secret) {
      if (request.profileIds) {
        throw new AppError('NOT_FOUND', `The ${profile.kind === '7z' ? 'passphrase' : 'identity'} of profile "${profile.name}" is no longer stored: it was dropped when the master key was reset, so no kit can hold it.`, { field: 'profileIds' });
      }
      skipped.push({ id: profile.id, name: profile.name });
      continue;
    }
    material.push(secret);
    included.push(profile);
  }
  if (material.length === 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      all.length > 0 ? 'None of the encryption profiles still has its identity or passphrase stored: there is nothing to put in a recovery kit.' : 'There is no encryption profile: there is nothing to put in a recovery kit.',
      { field: 'profileIds' },
    );
  }
  const sevenZip = material.some((p) => p.kind === '7z') ? await sevenZipIfAny(deps) : null;
  const kit = await buildRecoveryKit(material, {
    passphrase: request.passphrase,
    now: deps.now(),
    version: deps.version,
    scryptWorkFactor: deps.scryptWorkFactor,
    sevenZip: sevenZip && { tool: sevenZip, tempDir: deps.tempDir },
  });
  exportSecretFile(request.path, kit.bytes);
  for (const profile of included) deps.profiles.markExported(profile.id);
  return {
    path: request.path,
    passphraseProtected: request.passphrase !== undefined,
    bytes: kit.bytes.byteLength,
    profiles: included.map((p, i) => {
      const key = kit.keys[i]!;
      return { id: p.id, name: p.name, kind: key.kind, recipient: key.kind === 'age' ? key.recipient : null, fingerprint: key.kind === 'age' ? key.fingerprint : null };
    }),
    sevenZipTestedWith: sevenZip?.path ?? null,
    skipped,
  };
}

/** What the kit holds of a profile, or null when its secret is no longer stored (dropped by a master key reset). */
function secretOf(profiles: ProfilesRepository, profile: ProfileDto): KitProfile | null {
  if (!profile.hasSecret) return null;
  const secrets = profiles.secrets(profile.id);
  if (profile.kind === '7z') return secrets.passphrase ? { kind: '7z', name: profile.name, passphrase: secrets.passphrase, createdAt: profile.createdAt } : null;
  if (!secrets.identity || !profile.recipient) return null;
  return { kind: 'age', name: profile.name, recipient: profile.recipient, identity: secrets.identity, createdAt: profile.createdAt, extraRecipients: profile.extraRecipients };
}

/** A kit is for the day Vaultdesk is gone: it is written without a 7-Zip too, its passphrases then compared with the stored ones only. */
async function sevenZipIfAny(deps: KitExportDeps): Promise<SevenZipTool | null> {
  try {
    return await findSevenZip(deps.toolEnv, deps.sevenZipPath);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}
