import type { ProfileSecretExportDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { exportSecretFile } from '../keys/export-file';
import type { ProfilesRepository } from '../store/profiles-repository';

/**
 * Writes a profile's secret (an age identity, or a 7-Zip passphrase) to a new 0600 file on the
 * host and marks it saved outside Vaultdesk. The secret itself is never returned: a page or a
 * stolen `serve` token learns where it went, not what it is.
 */
export function exportProfileSecret(profiles: ProfilesRepository, request: { id: string; path: string }): ProfileSecretExportDto {
  const profile = profiles.get(request.id);
  const secrets = profiles.secrets(request.id);
  if (profile.kind === '7z') {
    const passphrase = secrets.passphrase;
    if (!passphrase) {
      throw new AppError('NOT_FOUND', `The passphrase of 7-Zip profile "${profile.name}" is no longer stored: it was dropped when the master key was reset. Its backups open only with a copy kept elsewhere.`);
    }
    exportSecretFile(request.path, sevenZipPassphraseFile(profile.name, passphrase));
    profiles.markExported(request.id);
    return { path: request.path, kind: '7z', recipient: null };
  }
  const identity = secrets.identity;
  if (!identity || !profile.recipient) {
    throw new AppError('NOT_FOUND', `The identity of profile "${profile.name}" is no longer stored: it was dropped when the master key was reset. Backups encrypted to it open only with a copy kept elsewhere.`);
  }
  // The layout age-keygen writes, so `age -d -i FILE` and people read it alike.
  exportSecretFile(request.path, `# Vaultdesk encryption profile "${profile.name}"\n# public key: ${profile.recipient}\n${identity}\n`);
  profiles.markExported(request.id);
  return { path: request.path, kind: 'age', recipient: profile.recipient };
}

/**
 * What a colleague with 7-Zip and no Vaultdesk needs: the passphrase alone on the last line (a
 * script takes `tail -n 1`), after comment lines saying what it opens and how. Typing it at
 * 7-Zip's prompt is shown first: `-pPASSPHRASE` puts it in the process list.
 */
function sevenZipPassphraseFile(name: string, passphrase: string): string {
  return [
    `# Vaultdesk 7-Zip encryption profile "${name}": the passphrase of its backups (.7z archives).`,
    '# It is the last line of this file, whole. Anyone who has it can open every backup of this profile: keep it apart from them.',
    '# In 7-Zip: open the .7z archive (or Extract) and paste it when 7-Zip asks for the password.',
    '# On a command line: 7z x BACKUP.7z, then paste it at the "Enter password" prompt (or 7z x -pPASSPHRASE BACKUP.7z, which other users of the machine can see).',
    passphrase,
    '',
  ].join('\n');
}
