import { localMinuteWords } from '../../../shared/domain/time-words';
import { AppError } from '../../../shared/ipc/result';
import type { DestinationDriver } from '../destinations/destination';
import { storedDestinationDriver } from '../destinations/stored-destination-driver';
import type { Logger } from '../logger';
import { manifestKey } from '../pipeline/manifest';
import type { BackupStateRepository } from '../store/backup-state-repository';
import type { BackupsRepository, StoredBackup } from '../store/backups-repository';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { RestoresRepository } from '../store/restores-repository';
import { backupIdOf } from './backup-id';
import { pinMarkersOf, pinOf, removePinMarkers } from './pin-markers';

export interface DeleteBackupDeps {
  backups: BackupsRepository;
  backupState: BackupStateRepository;
  destinations: DestinationsRepository;
  log: Logger;
  now: () => Date;
  /** The restore history: a backup a restore or drill reads now is not deleted under it. */
  restores: Pick<RestoresRepository, 'readingBackup'>;
}

/** Retention's way in: a backup of the run history, by its record's id. */
export async function deleteBackup(deps: DeleteBackupDeps, backupId: string, options: { driver?: DestinationDriver } = {}): Promise<StoredBackup> {
  const backup = deps.backups.get(backupId);
  await deleteBackupAt(deps, backup.destinationId, backup.key, options);
  return backup;
}

/**
 * Deletes one stored backup, by where it is: the one path for retention and for deleting a
 * backup by hand, whether or not this data dir's run history knows it (the explorer finds
 * backups of other installs and deleted jobs too). The manifest goes first, because it is the
 * commit marker: a delete cut off halfway leaves an object without a manifest, which is no
 * backup (and destination cleanup removes it), never a manifest promising an object that is
 * gone. Then the object, then the record and what is kept about it. A pinned backup, or one on a
 * locked destination, is refused and nothing is touched. `driver` lets a caller that deletes
 * several backups at one destination reuse its connection; it is not closed here.
 */
export async function deleteBackupAt(deps: DeleteBackupDeps, destinationId: string, key: string, options: { driver?: DestinationDriver } = {}): Promise<void> {
  const destination = deps.destinations.get(destinationId);
  if (deps.backupState.get(destinationId, key).pinned) {
    throw new AppError('BACKUP_PINNED', `Backup ${key} on destination "${destination.name}" is pinned, so it is kept. Unpin it first to delete it.`, { key, destination: destination.name });
  }
  const reading = deps.restores.readingBackup(backupIdOf(destinationId, key));
  if (reading) {
    throw new AppError(
      'IN_USE',
      `Backup ${key} on destination "${destination.name}" is being read by a ${reading.kind} now (${reading.kind} ${reading.id}, by ${reading.requestedBy}), so it is kept: delete it once that has ended.`,
      { key, destination: destination.name, restoreId: reading.id },
    );
  }
  if (destination.locked) {
    throw new AppError('DESTINATION_LOCKED', `Destination "${destination.name}" is locked, so nothing on it is deleted. Unlock it to delete backup ${key}.`, { key, destination: destination.name });
  }
  const driver = options.driver ?? storedDestinationDriver(deps, destination);
  try {
    // A pin kept at the destination, by this install or another that shares it (a daemon, another workstation).
    const markers = await pinMarkersOf(driver, key);
    const held = pinOf(markers, deps.now());
    if (held) throw new AppError('BACKUP_PINNED', pinnedAtDestinationMessage(key, destination.name, held.until), { key, destination: destination.name });
    await driver.delete(manifestKey(key));
    await driver.delete(key);
    // Pins that have passed go with the backup.
    await removePinMarkers(driver, key, markers);
  } finally {
    if (!options.driver) await driver.close().catch(() => undefined);
  }
  deps.backups.deleteAt(destinationId, key);
  deps.backupState.forget(destinationId, key);
}

/** Why a backup pinned by a marker at its destination is kept: the words of delete and of retention. */
export function pinnedAtDestinationMessage(key: string, destination: string, until: string | null): string {
  const end = until === null ? 'until it is unpinned' : `until ${localMinuteWords(until)}`;
  return `Backup ${key} on destination "${destination}" is pinned at the destination ${end} (by this or another Vaultdesk that uses it), so it is kept. Unpin it first to delete it.`;
}
