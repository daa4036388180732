import type mysql from 'mysql2/promise';
import { AppError } from '../../../shared/ipc/result';
import { quoteMysqlIdentifier as q } from './mysql-connection';

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

/** The order they are made in: routines (views may call functions), views, triggers, events. */
const KINDS: { kind: MysqlObjectKind; list: string }[] = [
  {
    kind: 'routine',
    // A MariaDB package's body after the package.
    list: "SELECT ROUTINE_NAME AS n, ROUTINE_TYPE AS t FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE = 'PACKAGE BODY', ROUTINE_NAME",
  },
  { kind: 'view', list: "SELECT TABLE_NAME AS n, 'VIEW' AS t FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME" },
  {
    kind: 'trigger',
    // Made again in this order, triggers of the same table, timing and event keep their order.
    list: "SELECT TRIGGER_NAME AS n, 'TRIGGER' AS t FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
  },
  { kind: 'event', list: "SELECT EVENT_NAME AS n, 'EVENT' AS t FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME" },
];

/** SHOW CREATE's column with the statement: `Create View`, `Create Procedure`, `SQL Original Statement` (triggers)... */
function createColumn(row: Record<string, unknown>): string | null {
  const key = Object.keys(row).find((k) => k.startsWith('Create ') || k === 'SQL Original Statement');
  const value = key === undefined ? null : row[key];
  return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Every view, trigger, routine and event of `schema`, in the order they are made again. Leaves
 * `schema` in use on `c`. A definition the user may not read (SHOW CREATE gives a routine's body
 * only to its definer or a user with the privilege to see it) is an error: nothing has changed yet.
 */
export async function readMysqlObjects(c: mysql.Connection, schema: string): Promise<MysqlObjectDefinition[]> {
  await c.query(`USE ${q(schema)}`);
  const found: MysqlObjectDefinition[] = [];
  for (const { kind, list } of KINDS) {
    const [names] = await c.query<mysql.RowDataPacket[]>(list, [schema]);
    for (const { n, t } of names as { n: string; t: string }[]) {
      const [rows] = await c.query<mysql.RowDataPacket[]>(`SHOW CREATE ${t} ${q(n)}`);
      const row = (rows[0] ?? {}) as Record<string, unknown>;
      const create = createColumn(row);
      if (create === null) {
        throw new AppError('RESTORE_FAILED', `Could not read the definition of ${kind} ${n} in ${schema}: the server did not show it to this user. Restore as its definer or as a user who may see every routine (the server's administrator).`, {
          database: schema,
        });
      }
      found.push({ kind, name: n, type: t, create, sqlMode: text(row.sql_mode), collationConnection: text(row.collation_connection), timeZone: text(row.time_zone) });
    }
  }
  return found;
}

/** The statement that drops `object` from `schema`; a view or a routine whatever holds it, a trigger with its table. */
export function mysqlDropObjectSql(schema: string, object: Pick<MysqlObjectDefinition, 'type' | 'name'>): string {
  return `DROP ${object.type} IF EXISTS ${q(schema)}.${q(object.name)}`;
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
 * MysqlObjectNotMade at the first it cannot make. Leaves `schema` in use, and the session's
 * sql_mode, collation and time zone as the last object's.
 */
export async function makeMysqlObjects(c: mysql.Connection, schema: string, objects: MysqlObjectDefinition[]): Promise<void> {
  await c.query(`USE ${q(schema)}`);
  const make = async (o: MysqlObjectDefinition): Promise<void> => {
    const settings = [
      ...(o.sqlMode !== null ? [['sql_mode', o.sqlMode]] : []),
      ...(o.collationConnection !== null ? [['collation_connection', o.collationConnection]] : []),
      ...(o.timeZone !== null ? [['time_zone', o.timeZone]] : []),
    ];
    try {
      if (settings.length > 0) await c.query(`SET ${settings.map(([name]) => `SESSION ${name} = ?`).join(', ')}`, settings.map(([, value]) => value));
      await c.query(o.create);
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
