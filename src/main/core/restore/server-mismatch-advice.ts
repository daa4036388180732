import { continued } from '../../../shared/domain/sentences';
import { AppError } from '../../../shared/ipc/result';

/**
 * A dump carries its server's dialect: MySQL 8's collations, which MariaDB lacks (until 11.4.5 for
 * utf8mb4_0900_*), or the settings a newer pg_dump writes into a plain dump. The target server then
 * refuses the dump at that line; the tool's words name what it lacks, and these say why and what to
 * restore into. `madeOn`: the server version the backup's manifest gives.
 */
export function withServerMismatchAdvice(error: unknown, madeOn: string | null): unknown {
  if (!(error instanceof AppError) || error.code !== 'RESTORE_FAILED') return error;
  const where = madeOn ? `made on ${madeOn}` : 'made on another server';
  const advice = adviceFor(error.message, where);
  return advice ? new AppError('RESTORE_FAILED', continued(error.message, advice), { ...error.details, madeOn }) : error;
}

function adviceFor(message: string, where: string): string | null {
  const collation = /Unknown collation: '([^']+)'/.exec(message)?.[1];
  if (collation !== undefined) {
    const mysql8 = collation.startsWith('utf8mb4_0900_') ? ", MySQL 8's default, which MariaDB has only from 11.4.5 on" : '';
    return `The backup was ${where}, and this server does not have its collation ${collation}${mysql8}: restore it into a server of that kind and release, or a newer one.`;
  }
  const charset = /Unknown character set: '([^']+)'/.exec(message)?.[1];
  if (charset !== undefined) return `The backup was ${where}, and this server does not have its character set ${charset}: restore it into a server of that kind and release, or a newer one.`;
  const parameter = /unrecognized configuration parameter "([^"]+)"/.exec(message)?.[1];
  if (parameter !== undefined) {
    return `The dump sets ${parameter}, which this server does not know: it was written by a pg_dump of a newer release than this server (the backup was ${where}). Restore it into a server of that release or a newer one. Backups in custom format do not meet this: pg_restore sets only what the server it restores into knows.`;
  }
  return null;
}
