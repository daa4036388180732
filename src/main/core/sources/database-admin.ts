import type { TableCountDto } from '../../../shared/domain/restores';
import { counted } from '../../../shared/domain/counted';
import { AppError } from '../../../shared/ipc/result';
import type { DatabaseCharset, PgDatabasePropertiesKept } from '../pipeline/manifest';

const CREATE_DENIED = 'create-denied';

/**
 * The refusal of a restore whose user may not create databases (`why`: the server's words). A
 * restore creates the new database, or a scratch copy beside an existing one (swapped in once
 * complete), so creating the target by hand first does not help, except on PostgreSQL
 * (`intoEmpty`), whose restore goes straight into an existing empty database in one transaction.
 */
export function createDenied(user: string, database: string, why: string, privilege: string, options: { intoEmpty?: boolean } = {}): AppError {
  const advice = options.intoEmpty
    ? `Restore as a user with ${privilege}, such as the server's administrator; or, for a new database, have it created empty for ${user} (CREATE DATABASE name OWNER ${user}) and restore into it: into an existing empty database the restore creates nothing. Replacing a database that is not empty, and a drill, need a scratch copy, which only a user with ${privilege} can make.`
    : `Every restore creates one, the new database or, into an existing one, a scratch copy swapped in once it is complete. Restore as a user with ${privilege}, such as the server's administrator.`;
  return new AppError('RESTORE_FAILED', `User ${user} may not create databases, and the restore had to create ${database} (${why.trim()}). ${advice}`, { database, reason: CREATE_DENIED });
}

/** Whether `error` is createDenied's: the server made no database, so there is none to drop or to name as left. */
export function isCreateDenied(error: unknown): boolean {
  return error instanceof AppError && error.details?.reason === CREATE_DENIED;
}

/** How DatabaseAdmin.swap goes about it (see there). */
export interface SwapOptions {
  charset?: DatabaseCharset | null;
  onNote?: (text: string) => void;
  endSessions?: boolean;
}

/**
 * What a restore needs of a server beyond its tools: look at a database, count its rows, drop a
 * scratch copy and swap a restored copy in for the one it replaces. Implemented by the
 * PostgreSQL and MySQL/MariaDB drivers (through an SSH tunnel too, or with the client on the SSH
 * host in exec mode); SQLite files have their own.
 */
export interface DatabaseAdmin {
  /**
   * Whether the database exists and how many tables it holds (views and system schemas aside).
   * `others`: what else it holds that a restore over it would have to replace, in words (MySQL/
   * MariaDB: views, triggers, routines and events): not empty either.
   * `tablespace` (PostgreSQL): where it lives, when not the server's default (pg_default).
   * `sessions` (PostgreSQL): other clients connected to it now, which a swap cannot replace it under.
   * `referencedBy` (MySQL/MariaDB): other databases' foreign keys to its tables, which a swap refuses (mysqlTargetReferenced).
   */
  inspect(database: string): Promise<{ exists: boolean; tables: number; others: string[]; tablespace?: string | null; sessions?: number; referencedBy?: string[] }>;
  /**
   * Every table with its exact row count, in name order. `connections`: how many tables may be
   * counted at once, each on its own connection (a restored copy: as fast as it can; a source
   * in use: one at a time, the default). Drivers that count in one statement ignore it.
   * `loaded` (PostgreSQL, MySQL/MariaDB): the rows the restore just loaded, counted from its dump;
   * they are the count when the database holds exactly the tables they name, and each is counted
   * otherwise.
   */
  countRows(database: string, options?: { connections?: number; loaded?: TableCountDto[] | null }): Promise<TableCountDto[]>;
  /** Removes it if it is there. */
  drop(database: string): Promise<void>;
  /**
   * MySQL/MariaDB: drops everything in `database`, which a failed restore straight into it (it was
   * empty) left there; PostgreSQL's restore rolls back instead. Whatever it cannot drop, the restore
   * then names as what the database still holds.
   */
  emptyOut?(database: string): Promise<void>;
  /**
   * PostgreSQL: gives `database`, which a restore created, the properties its backup kept (settings,
   * connection limit, comment; with `owners`, its owner and privileges too); returns a note for each
   * it could not give (postgres-database-properties.ts).
   */
  giveProperties?(database: string, kept: PgDatabasePropertiesKept, owners: boolean): Promise<string[]>;
  /**
   * Puts the restored copy `scratch` in place of `target`, which exists, and returns what is left
   * to drop: first the database holding what was replaced (MySQL: then the emptied scratch
   * schema). The caller drops them while it counts the restored rows: dropping a large database
   * takes as long as counting it (PostgreSQL's DROP DATABASE forces a checkpoint).
   * A refusal (the target in use) or a failure on the way leaves both as they were and
   * throws RESTORE_FAILED saying so. `charset` (MySQL/MariaDB, which swap tables, not
   * databases): the backup's default character set, which the target schema takes with the
   * tables, unless the server lacks it (the scratch copy was then made with its default, and the
   * restore's notes say so). PostgreSQL, which swaps databases, first gives the copy what the
   * target carries besides its contents (owner, privileges, settings, connection limit, comment;
   * postgres-database-properties.ts); `onNote` gets what it could not give. `endSessions`: the
   * other sessions on the target are ended first (restoreStart.endSessions), and `onNote` says how many.
   */
  swap(target: string, scratch: string, options?: SwapOptions): Promise<string[]>;
  /**
   * PostgreSQL: whether the restoring user may create databases. One who may not restores into an
   * existing empty database directly, in one transaction, instead of through a scratch copy.
   * Asked on a connection to `connectTo`, a database the user may connect to.
   */
  mayCreateDatabases?(connectTo: string): Promise<boolean>;
  /** The longest database name the server takes. */
  readonly maxNameLength: number;
}

/**
 * Hands the items out, in order, to up to `sessions` workers running at once (each typically on a
 * connection of its own): `next` gives a worker the next item and its index, undefined once none
 * is left.
 */
export async function shareOut<T>(items: readonly T[], sessions: number, worker: (next: () => { item: T; index: number } | undefined) => Promise<void>): Promise<void> {
  let taken = 0;
  const next = (): { item: T; index: number } | undefined => (taken < items.length ? { item: items[taken]!, index: taken++ } : undefined);
  await Promise.all(Array.from({ length: Math.max(0, Math.min(Math.floor(sessions), items.length)) }, () => worker(next)));
}

/** What a swap whose answer was lost is about: `ifSwapped` tells a person how to see that it happened. */
export interface LostSwap {
  target: string;
  endpoint: string;
  /** The words of what was lost (the connection's error, the client's exit). */
  cause: string;
  ifSwapped: string;
  /** When it did not happen: clears what the swap made before it (MySQL: the empty schema for the old tables). */
  whenNot?: () => Promise<void>;
}

/**
 * A swap whose answer never came (the connection or the SSH session dropped once the statement
 * was sent) may have happened: the rename is atomic, but the client cannot know whether the
 * server committed it. `look` checks on a new connection: true, it happened, and the caller goes
 * on as swapped (the target holds the backup); false, it did not, and the target is as it was.
 * When even that cannot be checked, the error says so and how to tell, never "as it was".
 */
export async function afterLostSwap(look: () => Promise<boolean>, lost: LostSwap): Promise<void> {
  const swapped = await look().catch(() => null);
  if (swapped === true) return;
  const what = `The connection to ${lost.endpoint} was lost while the restored copy was being put in place of ${lost.target} (${lost.cause})`;
  if (swapped === false) {
    await lost.whenNot?.().catch(() => undefined);
    throw new AppError('RESTORE_FAILED', `${what}. It did not happen: ${lost.target} was left as it was.`, { database: lost.target });
  }
  throw new AppError('RESTORE_FAILED', `${what}, and whether it happened could not be checked. ${lost.ifSwapped}; otherwise ${lost.target} is as it was.`, {
    database: lost.target,
    reason: 'swap-unknown',
  });
}

/**
 * The rows a restore loaded, as the count of `tables` (the database's own list, in its order),
 * or null unless they name exactly those tables: a table the dump did not create (an extension's)
 * is counted with SQL, and so is everything else then.
 */
export function loadedAsCount(tables: { schema: string | null; table: string }[], loaded: TableCountDto[] | null | undefined): TableCountDto[] | null {
  if (!loaded || loaded.length !== tables.length) return null;
  const rows = new Map(loaded.map((t) => [`${t.schema ?? ''}\u0000${t.table}`, t.rows]));
  const counted: TableCountDto[] = [];
  for (const t of tables) {
    const n = rows.get(`${t.schema ?? ''}\u0000${t.table}`);
    if (n === undefined) return null;
    counted.push({ schema: t.schema, table: t.table, rows: n });
  }
  return counted;
}

/** The restore's note once the other sessions on `target` were ended before its swap (SwapOptions.endSessions). */
export function endedSessionsNote(target: string, ended: number): string {
  return ended === 0 ? `No other session was connected to ${target} at the swap.` : `Ended ${counted(ended, 'other session')} connected to ${target} before replacing it.`;
}
