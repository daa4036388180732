import type mysql from 'mysql2/promise';
import type { TableCountDto } from '../../../shared/domain/restores';
import { andList, countedEach } from '../../../shared/domain/counted';
import { AppError } from '../../../shared/ipc/result';
import { messageOf, where } from './connection-errors';
import { afterLostSwap, endedSessionsNote, loadedAsCount, shareOut, type DatabaseAdmin, type LostSwap } from './database-admin';
import { endMysqlSessions } from './mysql-end-sessions';
import { mysqlEndpoint, quoteMysqlIdentifier as q, type MysqlTarget } from './mysql-connection';
import { charsetChange, charsetRefusal, mysqlCharsetSql, parseDatabaseCharset } from './mysql-charset';
import type { DatabaseCharset, MysqlObjectCounts } from '../pipeline/manifest';
import { DEFAULT_LOCK_WAIT_SQL, isLockWaitTimeout, mysqlTargetInUse, retryLockWaits, SHORT_LOCK_WAIT_SQL } from './mysql-lock-wait';
import { connectionSession, makeMysqlObjects, mysqlDropObjectSql, mysqlObjectWords, MysqlObjectNotMade, readMysqlObjects, withPackageDropMode, type MysqlObjectDefinition, type MysqlObjectSession } from './mysql-objects';

type WithConnection = <T>(database: string | undefined, use: (connection: mysql.Connection) => Promise<T>) => Promise<T>;

/*
 * The statements below are shared with the SSH exec admin, which has no placeholders: `schema` is
 * how the database name enters the SQL (`?` here, a hex literal there), `select` what is selected.
 */

export function mysqlSchemaExistsSql(schema: string, select = 'SCHEMA_NAME'): string {
  return `SELECT ${select} FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${schema}`;
}

/**
 * Which of a schema's tables: 'rows', those that hold rows a restore loads and counts (MariaDB lists
 * a system-versioned table under a type of its own); 'all', those and MariaDB's sequences, which a
 * dump creates too: what makes a database not empty, and what a swap moves.
 */
export type MysqlTableKinds = 'rows' | 'all';

const TABLE_TYPES: Record<MysqlTableKinds, string> = {
  rows: "('BASE TABLE', 'SYSTEM VERSIONED')",
  all: "('BASE TABLE', 'SYSTEM VERSIONED', 'SEQUENCE')",
};

/** What mysqlTablesSql's rows are to a person: a sequence, or a table (one that holds rows). */
export const MYSQL_TABLE_OR_SEQUENCE = "IF(TABLE_TYPE = 'SEQUENCE', 'sequence', 'table')";

export function mysqlTablesSql(schema: string, kinds: MysqlTableKinds, select = 'TABLE_NAME AS t'): string {
  return `SELECT ${select} FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE IN ${TABLE_TYPES[kinds]} ORDER BY TABLE_NAME`;
}

/**
 * One row for each object in `schema` (given four times over), the statement that drops it, names
 * quoted: views first, then tables and sequences (their triggers go with them), routines and events.
 * `select` wraps each statement (the exec admin's HEX()).
 */
export function mysqlDropEverythingSql(schema: string, select: (statement: string) => string = (s) => s): string {
  const name = (column: string): string => `'\`', REPLACE(${column}, '\`', '\`\`'), '\`'`;
  return [
    `SELECT 1 AS o, ${select(`CONCAT('DROP VIEW IF EXISTS ', ${name('TABLE_NAME')})`)} AS s FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE = 'VIEW'`,
    `SELECT 2, ${select(`CONCAT(IF(TABLE_TYPE = 'SEQUENCE', 'DROP SEQUENCE', 'DROP TABLE'), ' IF EXISTS ', ${name('TABLE_NAME')})`)} FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE <> 'VIEW'`,
    `SELECT 3, ${select(`CONCAT('DROP ', ROUTINE_TYPE, ' IF EXISTS ', ${name('ROUTINE_NAME')})`)} FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ${schema}`,
    `SELECT 4, ${select(`CONCAT('DROP EVENT IF EXISTS ', ${name('EVENT_NAME')})`)} FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ${schema}`,
  ].join(' UNION ALL ') + ' ORDER BY 1';
}

/** Views, triggers, routines and events, each counted (in that order): what a database holds beside its tables, which RENAME TABLE cannot move (swapObjects). */
export function mysqlObjectCountsSql(schema: string): string[] {
  return [
    `SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE = 'VIEW'`,
    `SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ${schema}`,
    `SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ${schema}`,
    `SELECT COUNT(*) AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ${schema}`,
  ];
}

/** mysqlObjectCountsSql's four counts as the columns of one SELECT (the SSH exec client's one round trip). */
export function mysqlObjectCountColumns(schema: string): string {
  return mysqlObjectCountsSql(schema)
    .map((sql) => `(${sql})`)
    .join(', ');
}

/** The counts of mysqlObjectCountsSql in words: `1 view`, `2 triggers`. */
export function objectCountWords(counts: number[]): string[] {
  return countedEach(counts, ['view', 'trigger', 'routine', 'event']);
}

/** The counts of mysqlObjectCountsSql, as a manifest keeps them. */
export function mysqlObjectCounts(counts: number[]): MysqlObjectCounts {
  const [views = 0, triggers = 0, routines = 0, events = 0] = counts;
  return { views, triggers, routines, events };
}

/** What a backup's manifest says its dump holds beside its tables, in words; none for an older manifest, which does not say. */
export function backupObjectWords(objects: MysqlObjectCounts | undefined): string[] {
  return objects ? objectCountWords([objects.views, objects.triggers, objects.routines, objects.events]) : [];
}

/** Where the replaced tables are moved, within the 64-character limit. */
export function mysqlOldName(scratch: string): string {
  return `${scratch.slice(0, 60)}_old`;
}

/** The one statement that moves the old tables out and the restored ones in; null when neither side has a table. */
export function mysqlSwapRenameSql(target: string, scratch: string, old: string, oldTables: string[], newTables: string[]): string | null {
  const moves = [...oldTables.map((t) => `${q(target)}.${q(t)} TO ${q(old)}.${q(t)}`), ...newTables.map((t) => `${q(scratch)}.${q(t)} TO ${q(target)}.${q(t)}`)];
  return moves.length > 0 ? `RENAME TABLE ${moves.join(', ')}` : null;
}

/**
 * The foreign keys of other schemas' tables that refer to `schema`'s tables, in words (`shop.orders
 * (fk_customer) -> customers`); `name` wraps each (HEX for the client on an SSH host). InnoDB moves
 * such a key with the table it refers to: a swap would leave it pointing at the replaced table,
 * in the old schema, which it then keeps from being dropped.
 */
export function mysqlReferencedFromSql(schema: string, name: (words: string) => string = (w) => w): string {
  return `SELECT ${name("CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME, ' (', CONSTRAINT_NAME, ') -> ', REFERENCED_TABLE_NAME)")} FROM information_schema.REFERENTIAL_CONSTRAINTS
    WHERE UNIQUE_CONSTRAINT_SCHEMA = ${schema} AND CONSTRAINT_SCHEMA <> ${schema} ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`;
}

/** The swap refused, before anything changed, because tables of other schemas refer to the target's. */
export function mysqlTargetReferenced(target: string, endpoint: string, references: string[]): AppError {
  return new AppError(
    'RESTORE_FAILED',
    `Could not put the restored tables in place of ${target}'s on ${endpoint}: tables of other databases refer to them by foreign key (${references.join(', ')}), and MySQL/MariaDB would move those keys along with the tables the swap moves out, to be dropped. ${target} was left as it was. Drop those foreign keys (and make them again once the restore is done), or restore under another name.`,
    { database: target, reason: 'referenced', references },
  );
}

export function mysqlSwapFailed(target: string, endpoint: string, cause: string): AppError {
  return new AppError('RESTORE_FAILED', `Could not put the restored tables in place of ${target}'s on ${endpoint}: ${cause}. ${target} was left as it was.`, { database: target });
}

/**
 * Whether one RENAME TABLE, which moves the target's tables (`replaced`) into the old schema and
 * the restored ones (`restored`) into the target, happened, from the tables now in scratch and old.
 */
export function mysqlRenamed(before: { replaced: string[]; restored: string[] }, inScratch: string[], inOld: string[]): boolean {
  return before.restored.length > 0 ? inScratch.length === 0 : inOld.length === before.replaced.length;
}

export function mysqlLostSwap(target: string, scratch: string, old: string, endpoint: string, cause: string, dropOld: () => Promise<void>): LostSwap {
  return { target, endpoint, cause, ifSwapped: `If ${scratch} holds no tables, ${target} holds the backup and ${old} the tables it replaced`, whenNot: dropOld };
}

/** What a swap with views, triggers, routines or events did with them, for the restore's notes. */
export function objectsSwappedNote(target: string, objects: { replaced: MysqlObjectDefinition[]; restored: MysqlObjectDefinition[] }): string {
  const words = (list: MysqlObjectDefinition[]): string => {
    const counted = objectCountWords((['view', 'trigger', 'routine', 'event'] as const).map((kind) => list.filter((o) => o.kind === kind).length));
    return counted.length > 0 ? andList(counted) : 'none';
  };
  return `MySQL/MariaDB cannot move views, triggers, routines or events between databases: ${target}'s own (${words(objects.replaced)}) were dropped, and the backup's (${words(objects.restored)}) made in ${target} right after its tables were swapped in.`;
}

const isConnectionLost = (error: unknown): boolean => (error as { fatal?: unknown }).fatal === true || typeof (error as { sqlState?: unknown }).sqlState !== 'string';

export interface ObjectSwap {
  target: string;
  scratch: string;
  old: string;
  endpoint: string;
  rename: string | null;
  tables: { replaced: string[]; restored: string[] };
  objects: { replaced: MysqlObjectDefinition[]; restored: MysqlObjectDefinition[] };
  /** The restore ended the sessions it found on the target first (SwapOptions.endSessions). */
  sessionsEnded: boolean;
}

/** What swapObjects needs of a server beyond MysqlObjectSession: the tables a schema holds. */
export interface MysqlSwapSession extends MysqlObjectSession {
  tables(schema: string): Promise<string[]>;
}

/**
 * The swap when either side has views, triggers, routines or events: the scratch copy's triggers
 * and everything of the kind in the target are dropped (a table with triggers cannot change
 * schema), the tables renamed in one statement, and the backup's objects made in the target. A
 * failure on the way puts the target back as it was (putBack, on a `fresh` session, as the
 * connection may be what failed) and says so; `undo` then drops the old schema, and the caller
 * the scratch copy.
 */
export async function swapObjects(swap: ObjectSwap, session: MysqlSwapSession, fresh: (use: (s: MysqlSwapSession) => Promise<void>) => Promise<void>, undo: () => Promise<void>): Promise<void> {
  let step = 'drop the views, triggers, routines and events in the way';
  let making = false;
  // Each step that needs the target's tables waits for them briefly and is tried again (mysql-lock-wait.ts); the drops are IF EXISTS.
  const briefly = waitingBriefly(session);
  const trigger = (o: MysqlObjectDefinition): boolean => o.kind === 'trigger';
  try {
    // Every table of the target first, not only those with triggers: one that another session holds (an open transaction
    // that read it) was found only by the rename, once every view, trigger, routine and event had been dropped, and the
    // application ran without them (its inserts without their triggers) until they were put back.
    await waitForTables(briefly, swap.target, swap.tables.replaced);
    // Triggers first: they need their tables, so a table another session holds stops the swap before anything else is dropped.
    const drops = [...swap.objects.restored.filter(trigger).map((o) => mysqlDropObjectSql(swap.scratch, o)), ...[...swap.objects.replaced.filter(trigger), ...swap.objects.replaced.filter((o) => !trigger(o))].map((o) => mysqlDropObjectSql(swap.target, o))];
    await retryLockWaits(() => briefly.run(swap.target, withPackageDropMode(drops)));
    step = 'move the tables';
    if (swap.rename) await retryLockWaits(() => briefly.run(swap.target, [swap.rename!]));
    making = true;
    // The new tables are the application's the moment they are in: making a trigger on one waits for its sessions too.
    await retryLockWaits(() => makeMissing(briefly, swap.target, swap.objects.restored));
  } catch (error) {
    const cause = error instanceof MysqlObjectNotMade ? `could not make the backup's ${mysqlObjectWords(error.object)} in ${swap.target}: ${messageOf(error.cause)}` : `could not ${step}: ${messageOf(error)}`;
    const back = await fresh((s) => putBack(waitingBriefly(s), swap, making)).then(
      () => null,
      (e: unknown) => messageOf(e),
    );
    if (back !== null) {
      throw new AppError(
        'RESTORE_FAILED',
        `Could not put the restored tables in place of ${swap.target}'s on ${swap.endpoint}: ${cause}. Putting ${swap.target} back as it was failed too (${back}): ${swap.old} holds whichever of ${swap.target}'s own tables were moved out (SHOW TABLES FROM ${q(swap.old)}), and some of its views, triggers, routines or events may be missing. Nothing of it was dropped.`,
        { database: swap.target, reason: 'swap-unknown' },
      );
    }
    await undo().catch(() => undefined);
    throw isLockWaitTimeout(error) ? mysqlTargetInUse(swap.target, swap.endpoint, swap.sessionsEnded) : mysqlSwapFailed(swap.target, swap.endpoint, cause);
  }
}

/**
 * Waits, briefly and a few times (mysql-lock-wait.ts), until no other session holds any of `tables`
 * of `schema`, by locking them all for writing and letting go at once; throws the last lock wait's
 * timeout. A user without the LOCK TABLES privilege is not held up: the rename finds such a session too.
 */
async function waitForTables(session: MysqlSwapSession, schema: string, tables: string[]): Promise<void> {
  if (tables.length === 0) return;
  const lock = `LOCK TABLES ${tables.map((t) => `${q(schema)}.${q(t)} WRITE`).join(', ')}`;
  try {
    await retryLockWaits(() => session.run(schema, [lock, 'UNLOCK TABLES']));
  } catch (error) {
    if (isLockWaitTimeout(error)) throw error;
  }
}

/** `session` whose statements wait for another session's lock briefly (mysql-lock-wait.ts), its reads as they were. */
function waitingBriefly(session: MysqlSwapSession): MysqlSwapSession {
  return { ...session, run: (schema, statements) => session.run(schema, [SHORT_LOCK_WAIT_SQL, ...statements, DEFAULT_LOCK_WAIT_SQL]) };
}

/**
 * After a failed swapObjects, from wherever it stopped: once making the backup's objects began,
 * they are dropped from the target with its own (they may share names); the tables are moved back
 * if they were moved; and the target's own objects that are not there are made again. One that a
 * lock kept from being dropped is still there, as it was, and is left alone. Each step waits for
 * locks briefly and is tried again, so that this too ends.
 */
async function putBack(session: MysqlSwapSession, swap: ObjectSwap, making: boolean): Promise<void> {
  if (making) await retryLockWaits(() => session.run(swap.target, withPackageDropMode([...swap.objects.restored, ...swap.objects.replaced].map((o) => mysqlDropObjectSql(swap.target, o)))));
  if (mysqlRenamed(swap.tables, await session.tables(swap.scratch), await session.tables(swap.old))) {
    const back = mysqlSwapRenameSql(swap.target, swap.old, swap.scratch, swap.tables.restored, swap.tables.replaced);
    if (back) await retryLockWaits(() => session.run(swap.target, [back]));
  }
  await retryLockWaits(() => makeMissing(session, swap.target, swap.objects.replaced));
}

/** Makes those of `objects` that `schema` does not hold: run again after a lock wait, it goes on where it stopped. */
async function makeMissing(session: MysqlSwapSession, schema: string, objects: MysqlObjectDefinition[]): Promise<void> {
  const present = await readMysqlObjects(session, schema);
  await makeMysqlObjects(session, schema, objects.filter((o) => !present.some((p) => p.type === o.type && p.name === o.name)));
}

/** A swap session on the driver's connection. */
function connectionSwapSession(c: mysql.Connection): MysqlSwapSession {
  return { ...connectionSession(c), tables: (schema) => tablesOf(c, schema) };
}

async function tablesOf(c: mysql.Connection, database: string, kinds: MysqlTableKinds = 'all'): Promise<string[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(mysqlTablesSql('?', kinds), [database]);
  return rows.map((r) => String(r.t));
}

async function referencesTo(c: mysql.Connection, database: string): Promise<string[]> {
  const [rows] = await c.query({ sql: mysqlReferencedFromSql('?'), rowsAsArray: true }, [database, database]);
  return (rows as [string][]).map(([words]) => words);
}

async function schemaCharset(c: mysql.Connection, database: string): Promise<DatabaseCharset | null> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(mysqlCharsetSql('?'), [database]);
  return parseDatabaseCharset((rows[0] as { c?: string } | undefined)?.c);
}

/** mysqlObjectCountsSql's counts for `database`. */
export async function countObjects(c: mysql.Connection, database: string): Promise<number[]> {
  const counts: number[] = [];
  for (const sql of mysqlObjectCountsSql('?')) counts.push(Number(((await c.query<mysql.RowDataPacket[]>(sql, [database]))[0][0] as { n: number }).n));
  return counts;
}

async function objectsIn(c: mysql.Connection, database: string): Promise<string[]> {
  return objectCountWords(await countObjects(c, database));
}

export function createMysqlAdmin(target: MysqlTarget, withConnection: WithConnection): DatabaseAdmin {
  const endpoint = where(mysqlEndpoint(target));
  return {
    maxNameLength: 64,
    async inspect(database) {
      return withConnection(undefined, async (c) => {
        const [schemas] = await c.query<mysql.RowDataPacket[]>(mysqlSchemaExistsSql('?'), [database]);
        if (schemas.length === 0) return { exists: false, tables: 0, others: [] };
        const referencedBy = await referencesTo(c, database);
        // MariaDB's sequences are tables to the server, but named apart, as PostgreSQL's are: `1 table and 1 sequence`.
        const kinds = (await c.query<mysql.RowDataPacket[]>(mysqlTablesSql('?', 'all', `${MYSQL_TABLE_OR_SEQUENCE} AS k`), [database]))[0].map((r) => String(r.k));
        const tables = kinds.filter((k) => k === 'table').length;
        const sequences = kinds.length - tables;
        return { exists: true, tables, others: [...countedEach([sequences], ['sequence']), ...(await objectsIn(c, database))], ...(referencedBy.length > 0 ? { referencedBy } : {}) };
      });
    },
    async countRows(database, options = {}) {
      const tables = await withConnection(undefined, (c) => tablesOf(c, database, 'rows'));
      const loaded = loadedAsCount(
        tables.map((table) => ({ schema: null, table })),
        options.loaded,
      );
      if (loaded) return loaded;
      const counted: number[] = [];
      await shareOut(tables, options.connections ?? 1, (next) =>
        withConnection(undefined, async (c) => {
          for (let t = next(); t; t = next()) {
            const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${q(database)}.${q(t.item)}`);
            counted[t.index] = Number((rows[0] as { n: number }).n);
          }
        }),
      );
      return tables.map((table, i): TableCountDto => ({ schema: null, table, rows: counted[i]! }));
    },
    async drop(database) {
      await withConnection(undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${q(database)}`));
    },
    async emptyOut(database) {
      await withConnection(database, async (c) => {
        const [rows] = await c.query({ sql: mysqlDropEverythingSql('?'), rowsAsArray: true }, [database, database, database, database]);
        // Tables may refer to each other.
        await c.query('SET FOREIGN_KEY_CHECKS = 0');
        for (const drop of withPackageDropMode((rows as [number, string][]).map(([, statement]) => statement))) await c.query(drop);
      });
    },
    /**
     * MySQL cannot rename a database; one RENAME TABLE statement moves the old tables out and the
     * restored ones in, atomically. Views, triggers, routines and events do not move that way
     * (swapObjects): when either side has them, they are dropped around the rename and the
     * backup's made again in the target.
     */
    async swap(targetName, scratch, options = {}) {
      const old = mysqlOldName(scratch);
      let change: { alter: string; revert: string } | null = null;
      const undo = async (c: mysql.Connection): Promise<void> => {
        await c.query(`DROP DATABASE IF EXISTS ${q(old)}`).catch(() => undefined);
        if (change) await c.query(change.revert).catch(() => undefined);
      };
      const lost = await withConnection(undefined, async (c) => {
        const references = await referencesTo(c, targetName);
        if (references.length > 0) throw mysqlTargetReferenced(targetName, endpoint, references);
        const session = connectionSwapSession(c);
        const objects = { replaced: await readMysqlObjects(session, targetName), restored: await readMysqlObjects(session, scratch) };
        const [replaced, restored] = [await tablesOf(c, targetName), await tablesOf(c, scratch)];
        const rename = mysqlSwapRenameSql(targetName, scratch, old, replaced, restored);
        change = charsetChange(q(targetName), await schemaCharset(c, targetName), options.charset);
        if (change) {
          const refused = await c.query(change.alter).then(
            () => false,
            (error: unknown) => {
              // A character set this server lacks: the scratch copy was made with the server's default, and the restore's notes say so.
              if (charsetRefusal(error) !== null) return true;
              throw mysqlSwapFailed(targetName, endpoint, messageOf(error));
            },
          );
          if (refused) change = null;
        }
        await c.query(`CREATE DATABASE ${q(old)}`).catch(async (error: unknown) => {
          if (change) await c.query(change.revert).catch(() => undefined);
          throw error;
        });
        if (options.endSessions) {
          const column = async (sql: string): Promise<string[]> => {
            const [rows] = await c.query({ sql, rowsAsArray: true });
            return Array.isArray(rows) ? (rows as unknown[][]).map((r) => String(r[0])) : [];
          };
          options.onNote?.(endedSessionsNote(targetName, await endMysqlSessions(c.escape(targetName), column)));
        }
        if (objects.replaced.length + objects.restored.length > 0) {
          await swapObjects(
            { target: targetName, scratch, old, endpoint, rename, tables: { replaced, restored }, objects, sessionsEnded: options.endSessions === true },
            session,
            (use) => withConnection(undefined, (fresh) => use(connectionSwapSession(fresh))),
            () => withConnection(undefined, undo),
          );
          options.onNote?.(objectsSwappedNote(targetName, objects));
          return null;
        }
        try {
          if (rename) {
            await c.query(SHORT_LOCK_WAIT_SQL);
            await retryLockWaits(() => c.query(rename));
          }
          return null;
        } catch (error) {
          // Not the server's refusal: the connection went, perhaps once the rename had happened.
          if (isConnectionLost(error)) return { cause: messageOf(error), replaced, restored };
          await undo(c);
          throw isLockWaitTimeout(error) ? mysqlTargetInUse(targetName, endpoint, options.endSessions) : mysqlSwapFailed(targetName, endpoint, messageOf(error));
        }
      });
      if (lost) {
        await afterLostSwap(
          () => withConnection(undefined, async (c) => mysqlRenamed(lost, await tablesOf(c, scratch), await tablesOf(c, old))),
          mysqlLostSwap(targetName, scratch, old, endpoint, lost.cause, () => withConnection(undefined, undo)),
        );
      }
      return [old, scratch];
    },
  };
}
