import type { TableCountDto } from '../../../shared/domain/restores';
import { where } from './connection-errors';
import { afterLostSwap, endedSessionsNote, loadedAsCount, type DatabaseAdmin } from './database-admin';
import {
  maintenanceFor,
  PG_OTHER_OBJECT_COUNTS,
  PG_COUNT_USER_TABLES,
  PG_OTHER_SESSIONS,
  pgOtherWords,
  PG_MAY_CREATE_DATABASES,
  PG_OBJECT_IN_USE,
  PG_OWN_ROWS,
  PG_USER_TABLES,
  pgDatabaseExistsSql,
  pgDatabaseTablespaceSql,
  pgTablespaceOf,
  pgDropDatabaseSql,
  pgLostSwap,
  pgOldName,
  pgSessionsSql,
  pgSwapFailed,
  pgSwapRenames,
  pgTargetInUse,
} from './postgres-admin';
import { carryPgDatabaseProperties, givePgDatabaseProperties, pgDatabasePropertiesSql } from './postgres-database-properties';
import { endPgSessions } from './postgres-end-sessions';
import { pgQuoteIdent } from './postgres-quoting';
import { remoteQueryFailed, type RemoteContext } from './ssh-remote-errors';
import type { RemoteExit } from './ssh-remote-process';

/** What the admin needs of the exec source: psql on the SSH host. */
export interface RemotePsql {
  remote: RemoteContext;
  /** One line per row of `sql` run in `database`; a failure throws (SOURCE_*, NOT_FOUND, or psql's words). */
  query(database: string, sql: string): Promise<string[]>;
  /** psql's exit as it is, each error with its SQLSTATE (VERBOSITY=verbose), for failures worded by the caller. */
  attempt(database: string, sql: string): Promise<RemoteExit & { stdout: Buffer }>;
  serverMajor(): Promise<number>;
}

/** A name as a SQL literal: hex, decoded by the server, so none of its characters is ever SQL text. */
export function pgNameLiteral(name: string): string {
  return `convert_from(decode('${Buffer.from(name, 'utf8').toString('hex')}', 'hex'), 'UTF8')`;
}

const hexOf = (column: string): string => `encode(convert_to(${column}, 'UTF8'), 'hex')`;

/** A table's schema and name, each in hex, a space between. */
const TABLE_IN_HEX = `${hexOf('n.nspname')} || ' ' || ${hexOf('c.relname')}`;

/** Every user table, names in hex. */
const LIST_TABLES = `SELECT ${TABLE_IN_HEX} ${PG_USER_TABLES} ORDER BY n.nspname, c.relname`;

const fromHex = (hex: string): string => Buffer.from(hex, 'hex').toString('utf8');

/**
 * Every user table with its exact count in one statement (one SSH round trip, whatever the number
 * of tables): query_to_xml runs the count built for each. Names in hex: they may hold spaces and line breaks.
 */
const COUNT_ROWS = `SELECT ${TABLE_IN_HEX} || ' ' ||
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s%I.%I', ${PG_OWN_ROWS}, n.nspname, c.relname), false, true, '')))[1]::text
  ${PG_USER_TABLES} ORDER BY n.nspname, c.relname`;

/**
 * The DatabaseAdmin of a PostgreSQL source whose tools run on the SSH host: the same statements as
 * the direct admin (postgres-admin.ts), run by psql there. Database names enter the SQL as hex
 * literals or double-quoted identifiers, never as they were typed.
 */
export function createPostgresExecAdmin(psql: RemotePsql): DatabaseAdmin {
  const endpoint = where(psql.remote.endpoint);
  /** One statement: null when it ran, the server's words when it refused; psql or the session failing throws. */
  const attemptStatement = async (database: string, sql: string): Promise<string | null> => {
    const exit = await psql.attempt(database, sql);
    if (exit.code === 0) return null;
    const failed = statementError(exit.stderr);
    if (!failed) throw remoteQueryFailed(psql.remote, 'psql', exit, database);
    return failed.message;
  };
  return {
    maxNameLength: 63,
    async inspect(database) {
      const [found] = await psql.query(maintenanceFor(database), pgDatabaseTablespaceSql(pgNameLiteral(database)));
      if (found === undefined) return { exists: false, tables: 0, others: [] };
      // One statement, one line: the other sessions, the tables, then the other objects' counts.
      const [sessions = '0', tables = '0', ...others] = ((await psql.query(database, `SELECT concat_ws(' ', (${PG_OTHER_SESSIONS}), (${PG_COUNT_USER_TABLES}), ${PG_OTHER_OBJECT_COUNTS})`))[0] ?? '').split(' ');
      return { exists: true, tables: Number(tables), others: pgOtherWords(others.map(Number)), tablespace: pgTablespaceOf(found), sessions: Number(sessions) };
    },
    async mayCreateDatabases(connectTo) {
      return (await psql.query(connectTo, PG_MAY_CREATE_DATABASES))[0] === 'true';
    },
    async countRows(database, options = {}) {
      if (options.loaded) {
        const names = (await psql.query(database, LIST_TABLES)).map((line) => {
          const [schema = '', table = ''] = line.split(' ');
          return { schema: fromHex(schema), table: fromHex(table) };
        });
        const loaded = loadedAsCount(names, options.loaded);
        if (loaded) return loaded;
      }
      const lines = await psql.query(database, COUNT_ROWS);
      return lines.map((line): TableCountDto => {
        const [schema = '', table = '', rows = ''] = line.split(' ');
        return { schema: fromHex(schema), table: fromHex(table), rows: Number(rows) };
      });
    },
    async giveProperties(database, kept, owners) {
      return givePgDatabaseProperties(kept, database, owners, (sql) => attemptStatement(maintenanceFor(database), sql));
    },
    async drop(database) {
      const major = await psql.serverMajor().catch(() => 0);
      await psql.query(maintenanceFor(database), pgDropDatabaseSql(pgQuoteIdent(database), major));
    },
    async swap(target, scratch, options = {}) {
      const old = pgOldName(scratch);
      const maintenance = maintenanceFor(target);
      const carried = await carryPgDatabaseProperties(target, scratch, endpoint, {
        read: async (name) => (await psql.query(maintenance, pgDatabasePropertiesSql(pgNameLiteral(name))))[0] ?? null,
        run: (sql) => attemptStatement(maintenance, sql),
      });
      for (const note of carried.notes) options.onNote?.(note);
      const ended = options.endSessions ? await endPgSessions(target, pgQuoteIdent(target), pgNameLiteral(target), endpoint, async (sql) => (await psql.query(maintenance, sql))[0] ?? null) : null;
      if (ended) options.onNote?.(endedSessionsNote(target, ended.ended));
      // One query string with its own BEGIN and COMMIT: a failed rename ends it, and the transaction with it.
      const renames = pgSwapRenames(pgQuoteIdent(target), pgQuoteIdent(scratch), pgQuoteIdent(old), carried.template);
      const exit = await psql.attempt(maintenance, `BEGIN; ${renames.join('; ')}; COMMIT`);
      // Harmless if the swap did happen (a lost session): the name then holds the restored copy, which allows connections.
      if (exit.code !== 0 && ended?.reopen) await psql.attempt(maintenance, ended.reopen).catch(() => undefined);
      if (exit.code !== 0) {
        const failed = statementError(exit.stderr);
        // No statement error: psql or the SSH session went away, perhaps once the COMMIT had gone through.
        if (!failed) {
          const cause = remoteQueryFailed(psql.remote, 'psql', exit, maintenance).message;
          await afterLostSwap(async () => (await psql.query(maintenance, pgDatabaseExistsSql(pgNameLiteral(old)))).length > 0, pgLostSwap(target, old, endpoint, cause));
          return [old];
        }
        if (failed.sqlstate === PG_OBJECT_IN_USE) {
          const sessions = await psql
            .query(maintenance, pgSessionsSql(pgNameLiteral(target)))
            .then(([n]) => Number(n))
            .catch(() => null);
          throw pgTargetInUse(target, endpoint, sessions);
        }
        throw pgSwapFailed(target, endpoint, failed.message);
      }
      return [old];
    },
  };
}

/**
 * The server's error for a statement psql ran, as VERBOSITY=verbose prints it
 * (`ERROR:  55006: database "x" is being accessed by other users`, the severity word in the
 * server's language); null when psql failed before running anything.
 */
export function statementError(stderr: string): { sqlstate: string; message: string } | null {
  // Every SQLSTATE holds a digit; a severity word of five capitals (ERROR) never does.
  const match = /^(?:\S+: )?\S+:\s+((?=[A-Z]*\d)[0-9A-Z]{5}):\s+(.*)$/m.exec(stderr);
  return match ? { sqlstate: match[1]!, message: match[2]!.trim() } : null;
}
