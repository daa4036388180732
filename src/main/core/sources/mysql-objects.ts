import type mysql from 'mysql2/promise';
import { AppError } from '../../../shared/ipc/result';
import { mysqlNameLiteral, quoteMysqlIdentifier as q } from './mysql-connection';

/*
 * RENAME TABLE moves tables between schemas, but not views, routines or events, and not a table
 * that has triggers. A swap that replaces a database holding them (or brings them from a backup)
 * reads each one's definition as SHOW CREATE gives it, drops them, renames the tables, and makes
 * the backup's again in the target, as mysqldump replays them: under the sql_mode, connection
 * collation and (events) time zone they were made with.
 */

export type MysqlObjectKind = 'routine' | 'view' | 'trigger' | 'event';

/** A view, trigger, routine or event of one schema, as SHOW CREATE gives it with that schema in use. */
export interface MysqlObjectDefinition {
  kind: MysqlObjectKind;
  name: string;
  /** What CREATE and DROP call it: VIEW, TRIGGER, EVENT, PROCEDURE, FUNCTION, PACKAGE, PACKAGE BODY. */
  type: string;
  /** The statement that makes it, names unqualified: it makes it in whichever schema is in use. */
  create: string;
  sqlMode: string | null;
  collationConnection: string | null;
  timeZone: string | null;
}

/**
 * What reading and making objects needs of a server, through the driver's connection or the client
 * on an SSH host: each call one session, with `schema` in use.
 */
export interface MysqlObjectSession {
  /** The rows of one query, each its columns' values as text, NULL as null. */
  rows(schema: string, sql: string): Promise<(string | null)[][]>;
  /** Runs the statements in order; the first the server refuses is thrown with its `errno`. */
  run(schema: string, statements: string[]): Promise<void>;
}

/** A session on the driver's connection. */
export function connectionSession(c: mysql.Connection): MysqlObjectSession {
  return {
    async rows(schema, sql) {
      await c.query(`USE ${q(schema)}`);
      const [rows] = await c.query<mysql.RowDataPacket[][]>({ sql, rowsAsArray: true });
      return (rows as unknown[][]).map((row) => row.map((v) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v))));
    },
    async run(schema, statements) {
      await c.query(`USE ${q(schema)}`);
      for (const statement of statements) await c.query(statement);
    },
  };
}

/** Where SHOW CREATE puts what is read, by column: the statement, sql_mode, collation_connection, time_zone. */
interface ShowCreateColumns {
  create: number;
  sqlMode?: number;
  collation: number;
  timeZone?: number;
}
// A trigger's SHOW CREATE puts them where a routine's does.
const ROUTINE_COLUMNS: ShowCreateColumns = { sqlMode: 1, create: 2, collation: 4 };

/** The order they are made in: routines (views may call functions), views, triggers, events. */
const KINDS: { kind: MysqlObjectKind; list: string; columns: ShowCreateColumns }[] = [
  {
    kind: 'routine',
    // A MariaDB package's body after the package.
    list: "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_TYPE = 'PACKAGE BODY', ROUTINE_NAME",
    columns: ROUTINE_COLUMNS,
  },
  { kind: 'view', list: "SELECT TABLE_NAME, 'VIEW' FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME", columns: { create: 1, collation: 3 } },
  {
    kind: 'trigger',
    // Made again in this order, triggers of the same table, timing and event keep their order.
    list: "SELECT TRIGGER_NAME, 'TRIGGER' FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
    columns: ROUTINE_COLUMNS,
  },
  { kind: 'event', list: "SELECT EVENT_NAME, 'EVENT' FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME", columns: { sqlMode: 1, timeZone: 2, create: 3, collation: 5 } },
];

/**
 * Every view, trigger, routine and event of `schema`, in the order they are made again. A
 * definition the user may not read (SHOW CREATE gives a routine's body only to its definer or a
 * user with the privilege to see it) is an error: nothing has changed yet.
 */
export async function readMysqlObjects(session: MysqlObjectSession, schema: string): Promise<MysqlObjectDefinition[]> {
  const found: MysqlObjectDefinition[] = [];
  for (const { kind, list, columns: at } of KINDS) {
    for (const [name, type] of await session.rows(schema, list)) {
      const [row = []] = await session.rows(schema, `SHOW CREATE ${type!} ${q(name!)}`);
      const create = row[at.create] ?? null;
      if (create === null) {
        throw new AppError('RESTORE_FAILED', `Could not read the definition of ${kind} ${name!} in ${schema}: the server did not show it to this user. Restore as its definer or as a user who may see every routine (the server's administrator).`, {
          database: schema,
        });
      }
      const column = (i: number | undefined): string | null => (i === undefined ? null : (row[i] ?? null));
      found.push({ kind, name: name!, type: type!, create, sqlMode: column(at.sqlMode), collationConnection: column(at.collation), timeZone: column(at.timeZone) });
    }
  }
  return found;
}

/** The statement that drops `object` from `schema`; a view or a routine whatever holds it, a trigger with its table. */
export function mysqlDropObjectSql(schema: string, object: Pick<MysqlObjectDefinition, 'type' | 'name'>): string {
  return `DROP ${object.type} IF EXISTS ${q(schema)}.${q(object.name)}`;
}

/**
 * `statements` with each DROP PACKAGE (or PACKAGE BODY) run under sql_mode ORACLE: MariaDB before
 * 11.4 parses it in no other mode (SET STATEMENT does not reach the parser), and gives the session
 * its own mode back after. For one session: the mode is kept in a session variable meanwhile.
 */
export function withPackageDropMode(statements: string[]): string[] {
  return statements.flatMap((statement) =>
    /^DROP PACKAGE /i.test(statement) ? ['SET @vaultdesk_sql_mode = @@SESSION.sql_mode', "SET SESSION sql_mode = 'ORACLE'", statement, 'SET SESSION sql_mode = @vaultdesk_sql_mode'] : [statement],
  );
}

/** The SET that gives a session what `object` was made under, or none. */
export function mysqlObjectSettingsSql(object: Pick<MysqlObjectDefinition, 'sqlMode' | 'collationConnection' | 'timeZone'>): string[] {
  const settings = [
    ...(object.sqlMode !== null ? [`SESSION sql_mode = ${mysqlNameLiteral(object.sqlMode)}`] : []),
    ...(object.collationConnection !== null ? [`SESSION collation_connection = ${mysqlNameLiteral(object.collationConnection)}`] : []),
    ...(object.timeZone !== null ? [`SESSION time_zone = ${mysqlNameLiteral(object.timeZone)}`] : []),
  ];
  return settings.length > 0 ? [`SET ${settings.join(', ')}`] : [];
}

/** ER_NO_SUCH_TABLE: a view over a view not made yet (or a table that is gone). */
const NO_SUCH_TABLE = 1146;

/** The server's refusal to make one object (`cause`). */
export class MysqlObjectNotMade extends Error {
  constructor(
    readonly object: MysqlObjectDefinition,
    override readonly cause: unknown,
  ) {
    super(`could not make ${mysqlObjectWords(object)}`);
  }
}

/**
 * Makes `objects` (readMysqlObjects's, from another schema) in `schema`, in their order; views
 * that select from views not made yet are tried again once others are made. Throws
 * MysqlObjectNotMade at the first it cannot make.
 */
export async function makeMysqlObjects(session: MysqlObjectSession, schema: string, objects: MysqlObjectDefinition[]): Promise<void> {
  const make = async (o: MysqlObjectDefinition): Promise<void> => {
    try {
      await session.run(schema, [...mysqlObjectSettingsSql(o), o.create]);
    } catch (error) {
      throw new MysqlObjectNotMade(o, error);
    }
  };
  let views: MysqlObjectDefinition[] = [];
  for (const o of objects) {
    if (o.kind === 'view') {
      views.push(o);
      continue;
    }
    await makeViews(views, make);
    views = [];
    await make(o);
  }
  await makeViews(views, make);
}

/** Makes every view, in passes while any is made; the first error of a pass that made none is thrown. */
async function makeViews(views: MysqlObjectDefinition[], make: (o: MysqlObjectDefinition) => Promise<void>): Promise<void> {
  let pending = views;
  while (pending.length > 0) {
    const waiting: MysqlObjectDefinition[] = [];
    let first: unknown = null;
    for (const view of pending) {
      try {
        await make(view);
      } catch (error) {
        if (((error as MysqlObjectNotMade).cause as { errno?: unknown }).errno !== NO_SUCH_TABLE) throw error;
        first ??= error;
        waiting.push(view);
      }
    }
    if (waiting.length === pending.length) throw first;
    pending = waiting;
  }
}

/** `view recent`, `procedure refresh`: what an object is called in a message. */
export function mysqlObjectWords(object: Pick<MysqlObjectDefinition, 'kind' | 'type' | 'name'>): string {
  const kind = object.kind === 'routine' ? object.type.toLowerCase() : object.kind;
  return `${kind} ${object.name}`;
}
