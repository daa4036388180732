import { BY_HAND, notesToDo, type DrillResultDto, type RestoredDatabaseDto, type RestoreStage } from '../../../shared/domain/restores';
import { counted, drillDifferenceWords, tableWords } from '../../../shared/domain/counted';
import type { AppError } from '../../../shared/ipc/result';
import type { PreparedRestore } from './restore-service';

function one(d: RestoredDatabaseDto): string {
  if (d.kind === 'globals') return 'the roles (globals)';
  const replaced = d.replaced ? (d.keptAs ? `, replacing the file there (kept as ${d.keptAs})` : ', replacing the database that was there') : '';
  return `${d.fromDatabase} into ${d.database} (${tableWords(d.tables)})${replaced}`;
}

/**
 * Names every backup it read: a whole run's databases each came from a backup of their own. What is
 * left for a person to do ends every message (notesToDo), not only the notes.
 */
export function successWords(p: Pick<PreparedRestore, 'source' | 'backup' | 'items'>, databases: RestoredDatabaseDto[]): string {
  const keys = p.items.length > 0 ? p.items.map((i) => i.backup.key) : [p.backup.key];
  return [`Restored ${databases.map(one).join('; ')} on "${p.source.name}" from ${keys.join(', ')} at "${p.backup.destination}".`, ...notesToDo(databases)].join(' ');
}

/** What failed and, above all, what state each target was left in. */
export function failureWords(p: PreparedRestore, databases: RestoredDatabaseDto[], stage: RestoreStage, failure: AppError): string {
  // A tool's words often end without a full stop; the sentences after them need one.
  const why = /[.!?]$/.test(failure.message.trim()) ? failure.message.trim() : `${failure.message.trim()}.`;
  const what = failure.code === 'CANCELLED' ? `The ${p.kind} was cancelled during its ${stage} stage.` : `The ${p.kind} failed during its ${stage} stage: ${why}`;
  if (p.kind === 'drill') return [what, 'The source database was not touched.', ...notesToDo(databases)].join(' ');
  const done = databases.filter((d) => d.status === 'restored');
  const left = databases.filter((d) => d.status !== 'restored' && d.kind === 'database');
  const parts = [what];
  if (done.length > 0) parts.push(`Restored before that: ${done.map(one).join('; ')}.`);
  for (const d of left) {
    const item = p.items.find((i) => i.backup.id === d.backupId);
    // A swap whose answer was lost: the failure itself says how to tell which state the target is in.
    if (failure.details?.reason === 'swap-unknown' && failure.details.database === d.database) continue;
    if (d.notes.some((n) => n.startsWith(emptyBefore(d.database)))) continue;
    const asItWas = `${d.database} was left as it was.`;
    // A swap's own refusal may say it already.
    if (item?.existed) {
      if (!why.includes(asItWas)) parts.push(asItWas);
    }
    else if (item) parts.push(`${d.database} did not exist before the restore and is not left behind.`);
  }
  parts.push(...notesToDo(databases));
  return parts.join(' ');
}

const emptyBefore = (database: string): string => `${database} was empty before the restore`;

/**
 * A restore straight into an existing empty database (restore-plan.ts, mode `into`) that failed: what
 * the database holds now when its transaction did not take everything back, `holds` null when that
 * could not be checked (`why`).
 */
export function notRolledBack(database: string, holds: string | null, why = '', engine: 'postgres' | 'mysql' = 'postgres'): string {
  // MySQL/MariaDB commit each CREATE at once: no transaction takes a restore back there, what it made is dropped after it.
  if (engine === 'mysql') {
    return holds === null
      ? `${emptyBefore(database)}, and what the failed restore made in it was to be dropped (MySQL/MariaDB cannot take back the statements that make tables); whether it is empty again could not be checked (${why}): look at it ${BY_HAND}.`
      : `${emptyBefore(database)} and now holds ${holds}, which could not be dropped after the failed restore: drop what it holds ${BY_HAND}.`;
  }
  return holds === null
    ? `${emptyBefore(database)}, which ran in one transaction; whether it is empty again could not be checked (${why}): look at it ${BY_HAND}.`
    : `${emptyBefore(database)} and now holds ${holds}, which the failed restore's transaction did not take back: drop what it holds ${BY_HAND}.`;
}

/** `left`: "the scratch database X on \"S\"". */
export function scratchNotDropped(left: string): string {
  return `${left.charAt(0).toUpperCase()}${left.slice(1)} could not be dropped: drop it ${BY_HAND}.`;
}

/** A SQLite drill's scratch copy is a file in Vaultdesk's temporary folder, not a database on the server. */
export function scratchFileNotRemoved(file: string, reason: string): string {
  return `The drill's scratch file ${file} could not be removed (${reason}): remove it, with any -wal and -shm file beside it, ${BY_HAND}.`;
}

/** A scratch database left behind is named in the drill's notes, which end the message. */
export function drillWords(drill: DrillResultDto, databases: RestoredDatabaseDto[], scratch: 'database' | 'file' = 'database'): string {
  const dropped =
    scratch === 'file'
      ? `the scratch file was ${drill.scratchDropped ? '' : 'not '}removed`
      : `the scratch database was ${drill.scratchDropped ? '' : 'not '}dropped`;
  const words = drill.ok
    ? `Drill passed: ${drill.tables === 1 ? 'the table has' : `all ${drill.tables} tables have`} the same row counts in the backup as in ${drill.comparedWith} now; ${dropped}.`
    : `Drill found ${counted(drill.differences.length, 'table')} whose row counts differ between the backup and ${drill.comparedWith} now (${drillDifferenceWords(drill)}); ${dropped}.`;
  return [words, ...notesToDo(databases)].join(' ');
}
