import type { ProfileDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { refuseExisting } from '../files/place-new';
import { exportSecretFile } from '../keys/export-file';
import type { ProfilesRepository } from '../store/profiles-repository';
import { buildRecoveryKit, type KitProfile } from './kit-build';

export interface KitExportRequest {
  /** Where the zip goes on the host (written 0600, through a temporary name). */
  path: string;
  /** The age profiles to put in; all those with an identity when absent. */
  profileIds?: string[];
  passphrase?: string;
}

export interface KitExportResult {
  path: string;
  passphraseProtected: boolean;
  bytes: number;
  profiles: { id: string; name: string; recipient: string; fingerprint: string }[];
  /** Age profiles left out because their identity is no longer stored (dropped by a master key reset). */
  skipped: { id: string; name: string }[];
}

export interface KitExportDeps {
  profiles: ProfilesRepository;
  now: () => Date;
  version: string;
  /** Tests only: a faster scrypt than age's default. */
  scryptWorkFactor?: number;
}

/**
 * Writes a recovery kit for the chosen profiles (see buildRecoveryKit for what it holds and how
 * it proves itself) and marks each profile's identity as saved outside Vaultdesk. Nothing is
 * written, and no profile marked, unless the kit passed its test.
 */
export async function exportRecoveryKit(deps: KitExportDeps, request: KitExportRequest): Promise<KitExportResult> {
  // Before the scrypt wrapping and the kit's self-test, seconds of work: a path that is taken is said at once.
  refuseExisting(request.path, 'written');
  const all = deps.profiles.list();
  const chosen: ProfileDto[] = request.profileIds ? [...new Set(request.profileIds)].map((id) => deps.profiles.get(id)) : all.filter((p) => p.kind === 'age');
  const material: KitProfile[] = [];
  const included: ProfileDto[] = [];
  const skipped: { id: string; name: string }[] = [];
  for (const profile of chosen) {
    if (profile.kind !== 'age' || !profile.recipient) {
      throw new AppError(
        'VALIDATION_FAILED',
        `Profile "${profile.name}" is a 7-Zip profile: it has a passphrase, not an age identity, and a recovery kit holds age identities only. Save its passphrase to a file instead (Save passphrase… in Settings, or vaultdesk profile export-identity).`,
        { field: 'profileIds' },
      );
    }
    const identity = profile.hasSecret ? deps.profiles.secrets(profile.id).identity : undefined;
    if (!identity) {
      if (request.profileIds) {
        throw new AppError('NOT_FOUND', `The identity of profile "${profile.name}" is no longer stored: it was dropped when the master key was reset, so no kit can hold it.`, { field: 'profileIds' });
      }
      skipped.push({ id: profile.id, name: profile.name });
      continue;
    }
    material.push({ name: profile.name, recipient: profile.recipient, identity, createdAt: profile.createdAt, extraRecipients: profile.extraRecipients });
    included.push(profile);
  }
  if (material.length === 0) {
    throw new AppError('VALIDATION_FAILED', all.some((p) => p.kind === 'age') ? 'None of the age profiles still has its identity stored: there is nothing to put in a recovery kit.' : 'There is no age encryption profile: there is nothing to put in a recovery kit.', {
      field: 'profileIds',
    });
  }
  const kit = await buildRecoveryKit(material, { passphrase: request.passphrase, now: deps.now(), version: deps.version, scryptWorkFactor: deps.scryptWorkFactor });
  exportSecretFile(request.path, kit.bytes);
  for (const profile of included) deps.profiles.markExported(profile.id);
  return {
    path: request.path,
    passphraseProtected: request.passphrase !== undefined,
    bytes: kit.bytes.byteLength,
    profiles: included.map((p, i) => ({ id: p.id, name: p.name, recipient: p.recipient!, fingerprint: kit.keys[i]!.fingerprint })),
    skipped,
  };
}
