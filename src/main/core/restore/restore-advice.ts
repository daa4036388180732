import { continued } from '../../../shared/domain/sentences';
import { AppError } from '../../../shared/ipc/result';

/**
 * Why a target server refused a dump at one of its lines, where the tool's words name only what it
 * lacks: the dump carries its server's dialect (MySQL 8's collations, which MariaDB lacks until
 * 11.4.5 for utf8mb4_0900_*; the settings a newer pg_dump writes into a plain dump), its objects'
 * definers, which only a privileged user may set, or an extension the target server lacks.
 * `madeOn`: the server version the backup's manifest gives.
 */
export function withRestoreAdvice(error: unknown, madeOn: string | null): unknown {
  if (!(error instanceof AppError) || error.code !== 'RESTORE_FAILED') return error;
  const where = madeOn ? `made on ${madeOn}` : 'made on another server';
  const advice = adviceFor(error.message, where);
  return advice ? new AppError('RESTORE_FAILED', continued(error.message, advice), { ...error.details, madeOn }) : error;
}

function adviceFor(message: string, where: string): string | null {
  const collation = /Unknown collation: '([^']+)'/.exec(message)?.[1];
  if (collation !== undefined) {
    const whose = collation === 'utf8mb4_0900_ai_ci' ? "MySQL 8's default" : "one of MySQL 8's";
    const mysql8 = collation.startsWith('utf8mb4_0900_') ? `, ${whose}, which MariaDB has only from 11.4.5 on` : '';
    return `The backup was ${where}, and this server does not have its collation ${collation}${mysql8}: restore it into a server of that kind and release, or a newer one.`;
  }
  const charset = /Unknown character set: '([^']+)'/.exec(message)?.[1];
  if (charset !== undefined) return `The backup was ${where}, and this server does not have its character set ${charset}: restore it into a server of that kind and release, or a newer one.`;
  const parameter = /unrecognized configuration parameter "([^"]+)"/.exec(message)?.[1];
  if (parameter !== undefined) {
    return `The dump sets ${parameter}, which this server does not know: it was written by a pg_dump of a newer release than this server (the backup was ${where}). Restore it into a server of that release or a newer one. Backups in custom format do not meet this: pg_restore sets only what the server it restores into knows.`;
  }
  const extension = /extension "([^"]+)" is not available/.exec(message)?.[1] ?? /could not open extension control file "[^"]*\/([^/"]+)\.control"/.exec(message)?.[1];
  if (extension !== undefined) {
    return `The backup uses the extension ${extension}, which is not installed on this server: install it there (its package for the server's PostgreSQL release), then restore again.`;
  }
  if (/Unknown column 'row_(?:start|end)' in 'INSERT INTO'/.test(message)) {
    return `The backup holds the history of its system-versioned tables (every version of their rows, with the time each was current; it was ${where}), which MariaDB takes back from 10.11 on: restore it into a MariaDB 10.11 or later.`;
  }
  if (/ERROR 1227 \(42000\).*\b(SUPER|SET USER)\b/.test(message)) {
    const definer = /DEFINER=(`(?:[^`]|``)*`@`(?:[^`]|``)*`)/.exec(message)?.[1];
    return `The dump gives its views, triggers, routines and events the definer they had on the source (${definer ? `here ${definer}` : 'DEFINER=...'}), and only a user with the SET USER privilege (SUPER on MySQL and older MariaDB) may create an object for another user: restore as a user that has it, such as the server's administrator.`;
  }
  return null;
}
