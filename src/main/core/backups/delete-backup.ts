import { AppError } from '../../../shared/ipc/result';
import { createDestinationDriver, type DestinationDriver } from '../destinations/destination';
import type { Logger } from '../logger';
import { manifestKey } from '../pipeline/manifest';
import type { BackupsRepository, StoredBackup } from '../store/backups-repository';
import type { DestinationsRepository } from '../store/destinations-repository';

export interface DeleteBackupDeps {
  backups: BackupsRepository;
  destinations: DestinationsRepository;
  log: Logger;
}

/**
 * Deletes one stored backup: the one path for retention and for deleting a backup by hand.
 * The manifest goes first, because it is the commit marker: a delete cut off halfway leaves an
 * object without a manifest, which is no backup (and destination cleanup removes it), never a
 * manifest promising an object that is gone. Then the object, then the row. A pinned backup, or
 * one on a locked destination, is refused and nothing is touched. `driver` lets a caller that
 * deletes several backups at one destination reuse its connection; it is not closed here.
 */
export async function deleteBackup(deps: DeleteBackupDeps, backupId: string, options: { driver?: DestinationDriver } = {}): Promise<StoredBackup> {
  const backup = deps.backups.get(backupId);
  const destination = deps.destinations.get(backup.destinationId);
  if (backup.pinned) {
    throw new AppError('BACKUP_PINNED', `Backup ${backup.key} on destination "${destination.name}" is pinned, so it is kept. Unpin it first to delete it.`, { key: backup.key, destination: destination.name });
  }
  if (destination.locked) {
    throw new AppError('DESTINATION_LOCKED', `Destination "${destination.name}" is locked, so nothing on it is deleted. Unlock it to delete backup ${backup.key}.`, { key: backup.key, destination: destination.name });
  }
  const driver =
    options.driver ??
    createDestinationDriver(destination, deps.destinations.secrets(destination.id), { log: deps.log, onHostKeyPinned: (fp) => deps.destinations.pinHostKey(destination.id, fp) });
  try {
    await driver.delete(manifestKey(backup.key));
    await driver.delete(backup.key);
  } finally {
    if (!options.driver) await driver.close().catch(() => undefined);
  }
  deps.backups.delete(backup.id);
  return backup;
}
