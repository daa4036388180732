import type { TableCountDto } from '../../../shared/domain/restores';
import type { Logger } from '../logger';
import { messageOf } from '../sources/connection-errors';
import type { DatabaseAdmin } from '../sources/database-admin';

export interface AfterSwap {
  /** null: the rows could not be counted (a note says why). */
  tables: TableCountDto[] | null;
  notes: string[];
}

/**
 * Once the restored copy is in place the restore is complete: it is counted under its own name
 * while what it replaced (`leftovers`, as swap() returned them) is dropped, the two at once
 * because each takes about as long as the other on a large database. A failure of either is a
 * note on a restore that succeeded, never a failed restore: the target already holds the backup.
 */
export async function countWhileDropping(
  admin: Pick<DatabaseAdmin, 'countRows' | 'drop'>,
  target: string,
  leftovers: string[],
  options: { where: string; log: Logger; connections: number; loaded?: TableCountDto[] | null },
): Promise<AfterSwap> {
  const { where, log } = options;
  const [counts, ...drops] = await Promise.allSettled([admin.countRows(target, { connections: options.connections, loaded: options.loaded }), ...leftovers.map((database) => admin.drop(database))]);
  const notes: string[] = [];
  if (counts.status === 'rejected') notes.push(`Its rows could not be counted once it was in place: ${messageOf(counts.reason)}`);
  drops.forEach((drop, i) => {
    if (drop.status === 'fulfilled') return;
    const database = leftovers[i]!;
    // The note, with the reason, is what a person reads (the message, the CLI, the UI); a warning would say it twice.
    log.info('could not drop a database a restore replaced', { database, error: messageOf(drop.reason) });
    notes.push(
      i === 0
        ? `The database it replaced was left as ${database} ${where} (it could not be dropped: ${messageOf(drop.reason)}): drop it by hand once you no longer need it.`
        : `The empty database ${database} ${where}, left by the swap, could not be dropped (${messageOf(drop.reason)}): drop it by hand.`,
    );
  });
  return { tables: counts.status === 'fulfilled' ? counts.value : null, notes };
}
