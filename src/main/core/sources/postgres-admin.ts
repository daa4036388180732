import type pg from 'pg';
import type { TableCountDto } from '../../../shared/domain/restores';
import { countedEach } from '../../../shared/domain/counted';
import { AppError } from '../../../shared/ipc/result';
import { messageOf, where } from './connection-errors';
import { afterLostSwap, endedSessionsNote, loadedAsCount, shareOut, type DatabaseAdmin, type LostSwap } from './database-admin';
import { pgEndpoint, type PgTarget } from './postgres-connection';
import { carryPgDatabaseProperties, givePgDatabaseProperties, pgDatabasePropertiesSql } from './postgres-database-properties';
import { endPgSessions } from './postgres-end-sessions';

type WithClient = <T>(database: string, use: (client: pg.Client) => Promise<T>) => Promise<T>;

/** The schema `n` holds what a user made: not the system's catalogs, toast or temporary schemas. */
const USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/** The user tables (partitioned ones as one) of the connected database; shared with the SSH exec admin. */
export const PG_USER_TABLES = `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND ${USER_SCHEMA}`;

export const PG_COUNT_USER_TABLES = `SELECT count(*) AS n ${PG_USER_TABLES}`;

/**
 * The rows of the table itself: a partitioned table's are its partitions' (they are not listed on
 * their own), but a table with inheritance children is listed beside them, and its plain count(*)
 * would count their rows twice.
 */
export const PG_OWN_ROWS = "CASE WHEN c.relkind = 'r' THEN 'ONLY ' ELSE '' END";

const notOf = (catalog: string, oid: string, deptypes: string): string => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype IN (${deptypes}))`;
const OTHER_RELATIONS: [kind: string, noun: string][] = [
  ['v', 'view'],
  ['m', 'materialized view'],
  ['S', 'sequence'],
  ['f', 'foreign table'],
];

/**
 * One row, one column: the other clients connected to the database this runs in, which ALTER DATABASE
 * ... RENAME refuses to run beside (autovacuum's workers it stops itself, so they are not counted).
 */
export const PG_OTHER_SESSIONS = "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'";

/**
 * What else the connected database holds that replacing it would drop, as columns of one row, in the
 * order of pgOtherWords: views, materialized views, sequences (a table's own serial or identity
 * aside), foreign tables, functions and procedures, types, domains and empty schemas besides `public`. An extension's own objects are not counted:
 * they come back with it, and a database made from a template that has one is still empty.
 */
export const PG_OTHER_OBJECT_COUNTS = [
  ...OTHER_RELATIONS.map(
    ([kind]) =>
      `(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = '${kind}' AND ${USER_SCHEMA} AND ${notOf('pg_class', 'c.oid', kind === 'S' ? "'e', 'a', 'i'" : "'e'")})`,
  ),
  `(SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA} AND ${notOf('pg_proc', 'p.oid', "'e'")})`,
  // Enums, ranges and CREATE TYPE ... AS (...): a table's own row type, arrays and a range's multirange come with what made them.
  `(SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMA} AND ${notOf('pg_type', 't.oid', "'e'")}
    AND (t.typtype IN ('e', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))))`,
  `(SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND ${USER_SCHEMA} AND ${notOf('pg_type', 't.oid', "'e'")})`,
  // A schema of its own that holds nothing counted above (what it holds says enough); `public` comes with every new database.
  `(SELECT count(*) FROM pg_namespace n WHERE n.nspname <> 'public' AND ${USER_SCHEMA} AND ${notOf('pg_namespace', 'n.oid', "'e'")}
    AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid) AND NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid)
    AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid))`,
].join(', ');

/** The counts of PG_OTHER_OBJECT_COUNTS in words: `1 view`, `2 functions`. */
export function pgOtherWords(counts: number[]): string[] {
  return countedEach(counts, [...OTHER_RELATIONS.map(([, noun]) => noun), 'function', 'type', 'domain', 'empty schema']);
}

/** One row when the database exists: its tablespace's name in hex; `name` is the name as a SQL literal or parameter. */
export function pgDatabaseTablespaceSql(name: string): string {
  return `SELECT encode(convert_to(t.spcname, 'UTF8'), 'hex') FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace WHERE d.datname = ${name}`;
}

/** A tablespace as inspect reports it: null for the server's default. */
export function pgTablespaceOf(hex: string): string | null {
  const name = Buffer.from(hex.trim(), 'hex').toString('utf8');
  return name === 'pg_default' ? null : name;
}

/** One row when the database exists; `name` is the name as a SQL literal or parameter. */
export function pgDatabaseExistsSql(name: string): string {
  return `SELECT 1 FROM pg_database WHERE datname = ${name}`;
}

/** A database to connect to while `database` itself is renamed or dropped (it cannot be the one connected to). */
export function maintenanceFor(database: string): string {
  return database === 'postgres' ? 'template1' : 'postgres';
}

/** One row, one column: whether the connected user may create databases. */
export const PG_MAY_CREATE_DATABASES = 'SELECT (rolcreatedb OR rolsuper)::text FROM pg_roles WHERE rolname = current_user';

/** One statement on `c`: null when it ran, the server's words when it refused; losing the connection throws. */
function statementOn(c: pg.Client): (sql: string) => Promise<string | null> {
  return (sql) =>
    c.query(sql).then(
      () => null,
      (error: unknown) => {
        if (isServerError(error)) return messageOf(error);
        throw error;
      },
    );
}

export function createPostgresAdmin(target: PgTarget, withClient: WithClient, serverMajor: () => Promise<number>): DatabaseAdmin {
  const endpoint = where(pgEndpoint(target));
  return {
    maxNameLength: 63,
    async inspect(database) {
      const found = await withClient(maintenanceFor(database), async (c) => (await c.query<string[]>({ text: pgDatabaseTablespaceSql('$1'), values: [database], rowMode: 'array' })).rows[0]?.[0]);
      if (found === undefined) return { exists: false, tables: 0, others: [] };
      return withClient(database, async (c) => {
        const tables = Number((await c.query<{ n: string }>(PG_COUNT_USER_TABLES)).rows[0]!.n);
        const [sessions = 0, ...others] = (await c.query<string[]>({ text: `SELECT (${PG_OTHER_SESSIONS}), ${PG_OTHER_OBJECT_COUNTS}`, rowMode: 'array' })).rows[0]!.map(Number);
        return { exists: true, tables, others: pgOtherWords(others), tablespace: pgTablespaceOf(found), sessions };
      });
    },
    async mayCreateDatabases(connectTo) {
      return withClient(connectTo, async (c) => (await c.query<string[]>({ text: PG_MAY_CREATE_DATABASES, rowMode: 'array' })).rows[0]?.[0] === 'true');
    },
    async countRows(database, options = {}) {
      const names = await withClient(database, async (c) => (await c.query<{ schema: string; table: string; only: string }>(`SELECT n.nspname AS schema, c.relname AS table, ${PG_OWN_ROWS} AS only ${PG_USER_TABLES} ORDER BY 1, 2`)).rows);
      const loaded = loadedAsCount(names, options.loaded);
      if (loaded) return loaded;
      const rows: number[] = [];
      await shareOut(names, options.connections ?? 1, (next) =>
        withClient(database, async (c) => {
          for (let t = next(); t; t = next()) {
            const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t.item.only}${c.escapeIdentifier(t.item.schema)}.${c.escapeIdentifier(t.item.table)}`);
            rows[t.index] = Number(r.rows[0]!.n);
          }
        }),
      );
      return names.map((t, i): TableCountDto => ({ schema: t.schema, table: t.table, rows: rows[i]! }));
    },
    async giveProperties(database, kept, owners) {
      return withClient(maintenanceFor(database), (c) => givePgDatabaseProperties(kept, database, owners, statementOn(c)));
    },
    async drop(database) {
      const major = await serverMajor().catch(() => 0);
      await withClient(maintenanceFor(database), (c) => c.query(pgDropDatabaseSql(c.escapeIdentifier(database), major)));
    },
    async swap(targetName, scratch, options = {}) {
      const old = pgOldName(scratch);
      const lost = await withClient(maintenanceFor(targetName), async (c) => {
        const carried = await carryPgDatabaseProperties(targetName, scratch, endpoint, {
          read: async (target) => (await c.query<string[]>({ text: pgDatabasePropertiesSql('$1'), values: [target], rowMode: 'array' })).rows[0]?.[0] ?? null,
          run: statementOn(c),
        });
        for (const note of carried.notes) options.onNote?.(note);
        const first = async (sql: string): Promise<string | null> => {
          const value = (await c.query<unknown[]>({ text: sql, rowMode: 'array' })).rows[0]?.[0];
          return value === undefined || value === null ? null : String(value);
        };
        const ended = options.endSessions ? await endPgSessions(targetName, c.escapeIdentifier(targetName), c.escapeLiteral(targetName), endpoint, first) : null;
        if (ended) options.onNote?.(endedSessionsNote(targetName, ended.ended));
        // ALTER DATABASE ... RENAME is transactional: both renames happen, or neither.
        await c.query('BEGIN');
        try {
          for (const rename of pgSwapRenames(c.escapeIdentifier(targetName), c.escapeIdentifier(scratch), c.escapeIdentifier(old), carried.template)) await c.query(rename);
          await c.query('COMMIT');
          return null;
        } catch (error) {
          // Not the server's answer: the connection dropped, perhaps once the COMMIT had gone through.
          if (!isServerError(error)) {
            // Harmless if the swap did happen: the name then holds the restored copy, which allows connections.
            if (ended?.reopen) await withClient(maintenanceFor(targetName), (fresh) => fresh.query(ended.reopen!)).catch(() => undefined);
            return messageOf(error);
          }
          await c.query('ROLLBACK').catch(() => undefined);
          if (ended?.reopen) await c.query(ended.reopen).catch(() => undefined);
          if ((error as { code?: unknown }).code === PG_OBJECT_IN_USE) {
            const sessions = await c
              .query<{ n: string }>(pgSessionsSql('$1'), [targetName])
              .then((r) => Number(r.rows[0]!.n))
              .catch(() => null);
            throw pgTargetInUse(targetName, endpoint, sessions);
          }
          throw pgSwapFailed(targetName, endpoint, messageOf(error));
        }
      });
      if (lost !== null) {
        await afterLostSwap(() => withClient(maintenanceFor(targetName), async (c) => (await c.query(pgDatabaseExistsSql('$1'), [old])).rowCount === 1), pgLostSwap(targetName, old, endpoint, lost));
      }
      return [old];
    },
  };
}

/** An error the server sent (it has a severity), as against the connection failing. */
/** The server's answer (an ErrorResponse), not a lost connection or a client-side failure. */
export function isServerError(error: unknown): boolean {
  return typeof (error as { severity?: unknown } | null)?.severity === 'string';
}

/** Only the swap makes `old`, so finding it tells that the swap happened. */
export function pgLostSwap(target: string, old: string, endpoint: string, cause: string): LostSwap {
  return { target, endpoint, cause, ifSwapped: `If a database named ${old} exists, ${target} holds the backup and ${old} the database it replaced` };
}

/** SQLSTATE of ALTER DATABASE on a database with open sessions. */
export const PG_OBJECT_IN_USE = '55006';

/** `quoted`: the identifier, quoted. WITH (FORCE) (PostgreSQL 13+): a killed restore tool's session may still be closing. */
export function pgDropDatabaseSql(quoted: string, serverMajor: number): string {
  return `DROP DATABASE IF EXISTS ${quoted}${serverMajor >= 13 ? ' WITH (FORCE)' : ''}`;
}

/**
 * The target out of the way, the restored copy in its place; in one transaction, so both or
 * neither. Arguments quoted. A template's flag goes with its name: the restored copy becomes the
 * template, and the replaced one, which DROP DATABASE would refuse as a template, stops being one.
 * Both take the rights the renames take (the owner's), so they add no refusal of their own.
 */
export function pgSwapRenames(target: string, scratch: string, old: string, template: boolean): string[] {
  const renames = [`ALTER DATABASE ${target} RENAME TO ${old}`, `ALTER DATABASE ${scratch} RENAME TO ${target}`];
  return template ? [...renames, `ALTER DATABASE ${old} IS_TEMPLATE false`, `ALTER DATABASE ${target} IS_TEMPLATE true`] : renames;
}

/** `name`: the database name as a SQL literal or parameter. */
export function pgSessionsSql(name: string): string {
  return `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ${name}`;
}

/** Where the replaced database is kept until it is dropped, within the 63-byte limit. */
export function pgOldName(scratch: string): string {
  return `${scratch.slice(0, 55)}_old`;
}

export function pgTargetInUse(target: string, endpoint: string, sessions: number | null): AppError {
  return new AppError(
    'RESTORE_FAILED',
    `Database ${target} on ${endpoint} is in use${sessions ? ` by ${sessions} session${sessions === 1 ? '' : 's'}` : ''}, so it cannot be replaced; it was left as it was. Close those connections (or stop the application using it) and restore again, or let the restore end them at the swap (vaultdesk restore --end-sessions; in the app, "End its sessions at the swap").`,
    { database: target, reason: 'in-use' },
  );
}

export function pgSwapFailed(target: string, endpoint: string, cause: string): AppError {
  return new AppError('RESTORE_FAILED', `Could not put the restored copy in place of ${target} on ${endpoint}: ${cause}. ${target} was left as it was.`, { database: target });
}
