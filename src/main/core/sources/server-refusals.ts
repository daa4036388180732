import { AppError } from '../../../shared/ipc/result';
import type { ToolFamily } from './client-tools';
import { where, type Endpoint } from './connection-errors';
import { pgQuoteIdent } from './postgres-quoting';

/**
 * Logins the server took and then refused for a reason of its own: not the network, nor the user's
 * name or password, so "check the host and port" would send a DBA the wrong way. Recognised by
 * SQLSTATE or MySQL error name from a driver, or by the server's (English) words in a client
 * tool's stderr on an SSH host.
 */
export type ServerRefusal =
  /** PostgreSQL: no CONNECT privilege on the database; MySQL/MariaDB: no privilege on it. */
  | 'database-denied'
  /** PostgreSQL: the database was set ALLOW_CONNECTIONS false. */
  | 'database-closed'
  /** Every connection the server, the role or the database allows is taken. */
  | 'no-connection-left'
  /** Starting up, shutting down or in recovery. */
  | 'not-ready';

const PG_STATES: Record<string, ServerRefusal> = { '42501': 'database-denied', '55000': 'database-closed', '53300': 'no-connection-left', '57P03': 'not-ready' };

/** psql's and pg_dump's words on an SSH host (FATAL: a login's end, not a statement's error). */
const PG_WORDS: [RegExp, ServerRefusal][] = [
  [/FATAL:\s+(?:42501:\s+)?permission denied for database|does not have CONNECT privilege/i, 'database-denied'],
  [/database ".*" is not currently accepting connections/i, 'database-closed'],
  [/too many clients already|too many connections for (?:role|database)|connection slots are reserved/i, 'no-connection-left'],
  [/the database system is (?:starting up|shutting down|in recovery mode|not yet accepting connections|not accepting connections)/i, 'not-ready'],
];

const MYSQL_CODES: Record<string, ServerRefusal> = {
  ER_DBACCESS_DENIED_ERROR: 'database-denied',
  ER_CON_COUNT_ERROR: 'no-connection-left',
  ER_TOO_MANY_USER_CONNECTIONS: 'no-connection-left',
  ER_USER_LIMIT_REACHED: 'no-connection-left',
  ER_SERVER_SHUTDOWN: 'not-ready',
};

const MYSQL_WORDS: [RegExp, ServerRefusal][] = [
  [/ERROR 1044\b|access denied for user .* to database/i, 'database-denied'],
  [/ERROR (?:1040|1203|1226)\b|too many connections|max_user_connections/i, 'no-connection-left'],
  [/ERROR 1053\b|server shutdown in progress/i, 'not-ready'],
];

/** A PostgreSQL refusal of a login, from the driver's SQLSTATE (only a login's: the caller knows it was connecting), or from a tool's words. */
export function pgRefusal(sqlState: unknown, message: string): ServerRefusal | null {
  if (typeof sqlState === 'string') return PG_STATES[sqlState] ?? null;
  return PG_WORDS.find(([words]) => words.test(message))?.[1] ?? null;
}

/** A MySQL/MariaDB refusal from the driver's error name, or from the client's words (`ERROR 1040 ...`). */
export function mysqlRefusal(code: unknown, message: string): ServerRefusal | null {
  if (typeof code === 'string') return MYSQL_CODES[code] ?? null;
  return MYSQL_WORDS.find(([words]) => words.test(message))?.[1] ?? null;
}

/** The database a refusal names (`database "x"`, `to database 'x'`), for a caller that does not know which it connected to. */
function databaseIn(cause: string): string | undefined {
  return /database "([^"]*)"/.exec(cause)?.[1] ?? /to database '([^']*)'/.exec(cause)?.[1];
}

/** The refusal in words that say what to do; `cause` is the server's own message. */
export function refusalError(family: ToolFamily, refusal: ServerRefusal, endpoint: Endpoint, database: string | undefined, cause: string): AppError {
  const db = database ?? databaseIn(cause) ?? '';
  const details = { host: endpoint.host, port: endpoint.port, user: endpoint.user, database: db, refusal };
  const postgres = family === 'postgres';
  switch (refusal) {
    case 'database-denied':
      return new AppError(
        'SOURCE_AUTH_FAILED',
        postgres
          ? `${where(endpoint)} may not connect to database ${db} (${cause}). As its owner or a superuser, run GRANT CONNECT ON DATABASE ${pgQuoteIdent(db)} TO ${pgQuoteIdent(endpoint.user)}, or use a user who may connect.`
          : `${where(endpoint)} has no privileges on database ${db} (${cause}). As an administrator, grant them on \`${db.replace(/`/g, '``')}\`.*: SELECT, SHOW VIEW, TRIGGER, LOCK TABLES and EVENT to back it up, ALL to restore into it.`,
        details,
      );
    case 'database-closed':
      return new AppError(
        'SOURCE_UNREACHABLE',
        `Database ${db} on ${where(endpoint)} does not accept connections (${cause}): it is set ALLOW_CONNECTIONS false. As its owner or a superuser, run ALTER DATABASE ${pgQuoteIdent(db)} ALLOW_CONNECTIONS true to back it up or restore into it.`,
        details,
      );
    case 'no-connection-left':
      return new AppError(
        'SOURCE_UNREACHABLE',
        `${where(endpoint)} has no connection left for this login (${cause}). Try again once fewer sessions are open, or raise the limit (${postgres ? "max_connections, or the role's or the database's CONNECTION LIMIT" : "max_connections, or the user's max_user_connections"}).`,
        details,
      );
    case 'not-ready':
      return new AppError('SOURCE_UNREACHABLE', `${where(endpoint)} does not take connections now (${cause}): it is starting up, shutting down or recovering. Try again once it is running.`, details);
  }
}
