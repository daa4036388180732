import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { countedEach } from '../../../shared/domain/counted';
import type { TableCountDto } from '../../../shared/domain/restores';
import { AppError } from '../../../shared/ipc/result';
import { where } from './connection-errors';
import { afterLostSwap, endedSessionsNote, loadedAsCount, type DatabaseAdmin } from './database-admin';
import { endMysqlSessions } from './mysql-end-sessions';
import {
  mysqlDropEverythingSql,
  MYSQL_TABLE_OR_SEQUENCE,
  mysqlReferencedFromSql,
  mysqlTargetReferenced,
  mysqlTablesSql,
  mysqlLostSwap,
  mysqlOldName,
  mysqlRenamed,
  mysqlSchemaExistsSql,
  mysqlSwapFailed,
  mysqlSwapRenameSql,
  mysqlObjectCountColumns,
  objectsSwappedNote,
  swapObjects,
  objectCountWords,
  type MysqlSwapSession,
} from './mysql-admin';
import { ER_LOCK_WAIT_TIMEOUT, MYSQL_SWAP_LOCK_WAIT, mysqlTargetInUse, SHORT_LOCK_WAIT_SQL } from './mysql-lock-wait';
import { readMysqlObjects, withPackageDropMode } from './mysql-objects';
import { charsetChange, charsetRefusalIn, mysqlCharsetSql, parseDatabaseCharset } from './mysql-charset';
import { mysqlNameLiteral, quoteMysqlIdentifier as q } from './mysql-connection';
import { remoteQueryFailed, type RemoteContext } from './ssh-remote-errors';
import type { RemoteExit } from './ssh-remote-process';

/** What the admin needs of the exec source: the mariadb/mysql client on the SSH host. */
export interface RemoteMysqlClient {
  remote: RemoteContext;
  /**
   * Runs `sql` with the client in batch mode (--batch --skip-column-names), fed on its stdin, so no
   * length limit of a command line applies (a RENAME TABLE of a large schema); the client stops at
   * the first failing statement.
   */
  run(sql: string): Promise<RemoteExit & { stdout: Buffer }>;
}

const fromHex = (hex: string): string => Buffer.from(hex, 'hex').toString('utf8');

/**
 * The DatabaseAdmin of a MySQL/MariaDB source whose tools run on the SSH host: the statements of
 * the direct admin (mysql-admin.ts), run by the client there. Names go in as hex literals or
 * backtick-quoted identifiers and come back hex-encoded (HEX()), since batch output escapes tabs,
 * line breaks and backslashes.
 */
export function createMysqlExecAdmin(client: RemoteMysqlClient): DatabaseAdmin {
  const endpoint = where(client.remote.endpoint);
  const lines = (exit: { stdout: Buffer }): string[] => exit.stdout.toString('utf8').split('\n').filter((line) => line.length > 0);
  const query = async (statements: string[]): Promise<string[]> => {
    const exit = await client.run(script(statements));
    if (exit.code !== 0) throw remoteQueryFailed(client.remote, 'the mysql client', exit);
    return lines(exit);
  };
  const rowTablesOf = async (database: string): Promise<string[]> => (await query([mysqlTablesSql(mysqlNameLiteral(database), 'rows', 'HEX(TABLE_NAME)')])).map(fromHex);

  return {
    maxNameLength: 64,
    async inspect(database) {
      const name = mysqlNameLiteral(database);
      const others = `SELECT 'others', ${mysqlObjectCountColumns(name)}`;
      const found = await query([mysqlSchemaExistsSql(name, "'schema'"), mysqlTablesSql(name, 'all', MYSQL_TABLE_OR_SEQUENCE), others, mysqlReferencedFromSql(name, (w) => `'ref', HEX(${w})`)]);
      if (!found.includes('schema')) return { exists: false, tables: 0, others: [] };
      const counts = (found.find((line) => line.startsWith('others\t')) ?? '').split('\t').slice(1).map(Number);
      const referencedBy = found.filter((line) => line.startsWith('ref\t')).map((line) => fromHex(line.slice('ref\t'.length)));
      const sequences = found.filter((line) => line === 'sequence').length;
      return { exists: true, tables: found.filter((line) => line === 'table').length, others: [...countedEach([sequences], ['sequence']), ...objectCountWords(counts)], ...(referencedBy.length > 0 ? { referencedBy } : {}) };
    },
    async countRows(database, options = {}) {
      const tables = await rowTablesOf(database);
      const loaded = loadedAsCount(
        tables.map((table) => ({ schema: null, table })),
        options.loaded,
      );
      if (loaded) return loaded;
      if (tables.length === 0) return [];
      // One statement for all the counts: one round trip, each row tagged with its table's index.
      const union = tables.map((t, i) => `SELECT ${i}, COUNT(*) FROM ${q(database)}.${q(t)}`).join(' UNION ALL ');
      const rows = new Map((await query([union])).map((line) => line.split('\t').map(Number) as [number, number]));
      return tables.map((table, i): TableCountDto => {
        const n = rows.get(i);
        if (n === undefined) throw new AppError('INTERNAL', `The mysql client on the SSH host ${client.remote.ssh} gave no row count for table ${table} of ${database}.`, { database, table });
        return { schema: null, table, rows: n };
      });
    },
    async drop(database) {
      await query([`DROP DATABASE IF EXISTS ${q(database)}`]);
    },
    async emptyOut(database) {
      const drops = (await query([mysqlDropEverythingSql(mysqlNameLiteral(database), (s) => `HEX(${s})`)])).map((line) => fromHex(line.split('\t')[1] ?? ''));
      if (drops.length > 0) await query(['SET FOREIGN_KEY_CHECKS = 0', `USE ${q(database)}`, ...withPackageDropMode(drops)]);
    },
    /**
     * As the direct admin: one RENAME TABLE, or, when either side has views, triggers, routines or
     * events, swapObjects with each step a run of the client.
     */
    async swap(target, scratch, options = {}) {
      const old = mysqlOldName(scratch);
      const counts = (database: string): string => mysqlObjectCountColumns(mysqlNameLiteral(database));
      const seen = (
        await query([
          `SELECT 'objects', ${counts(target)}, ${counts(scratch)}`,
          mysqlTablesSql(mysqlNameLiteral(target), 'all', "'old', HEX(TABLE_NAME)"),
          mysqlTablesSql(mysqlNameLiteral(scratch), 'all', "'new', HEX(TABLE_NAME)"),
          mysqlReferencedFromSql(mysqlNameLiteral(target), (w) => `'ref', HEX(${w})`),
        ])
      ).map((line) => line.split('\t'));
      const references = seen.filter(([tag]) => tag === 'ref').map(([, hex = '']) => fromHex(hex));
      if (references.length > 0) throw mysqlTargetReferenced(target, endpoint, references);
      const objectCounts = (seen.find(([tag]) => tag === 'objects') ?? []).slice(1).map(Number);
      const session = execSession(client, query);
      const objects = objectCounts.some((n) => n > 0) ? { replaced: await readMysqlObjects(session, target), restored: await readMysqlObjects(session, scratch) } : null;
      const side = (tag: string): string[] => seen.filter(([t]) => t === tag).map(([, hex = '']) => fromHex(hex));
      const rename = mysqlSwapRenameSql(target, scratch, old, side('old'), side('new'));

      let change = options.charset ? charsetChange(q(target), parseDatabaseCharset((await query([mysqlCharsetSql(mysqlNameLiteral(target))]))[0]), options.charset) : null;
      if (change) {
        const altered = await client.run(script([change.alter]));
        if (altered.code !== 0) {
          // A character set this server lacks: the scratch copy was made with the server's default, and the restore's notes say so.
          if (charsetRefusalIn(altered.stderr) === null) throw mysqlSwapFailed(target, endpoint, serverError(altered.stderr) ?? remoteQueryFailed(client.remote, 'the mysql client', altered).message);
          change = null;
        }
      }
      const revert = async (): Promise<void> => {
        if (change) await query([change.revert]).catch(() => undefined);
      };
      if (options.endSessions) options.onNote?.(endedSessionsNote(target, await endMysqlSessions(mysqlNameLiteral(target), (sql) => query([sql]))));

      if (objects) {
        await query([`CREATE DATABASE ${q(old)}`]).catch(async (error: unknown) => {
          await revert();
          throw error;
        });
        const swap = { target, scratch, old, endpoint, rename, tables: { replaced: side('old'), restored: side('new') }, objects, sessionsEnded: options.endSessions === true };
        await swapObjects(swap, session, (use) => use(session), () => query([`DROP DATABASE IF EXISTS ${q(old)}`]).then(revert));
        options.onNote?.(objectsSwappedNote(target, objects));
        return [old, scratch];
      }

      // Markers say how far the client got: it stops at the first statement that fails.
      const renaming = [...(rename ? [SHORT_LOCK_WAIT_SQL, rename] : []), "SELECT 'renamed'"];
      let exit = await client.run(script([`CREATE DATABASE ${q(old)}`, "SELECT 'created'", ...renaming]));
      // Another session's lock on the target's tables: the rename alone again, a few times (mysql-lock-wait.ts).
      for (let tries = 1; exit.code !== 0 && lines(exit).includes('created') && serverRefusal(exit.stderr)?.errno === ER_LOCK_WAIT_TIMEOUT && tries < MYSQL_SWAP_LOCK_WAIT.tries; tries += 1) {
        await sleep(MYSQL_SWAP_LOCK_WAIT.pauseMs);
        exit = await client.run(script(["SELECT 'created'", ...renaming]));
      }
      if (exit.code === 0) return [old, scratch];
      const reached = lines(exit);
      const refused = serverRefusal(exit.stderr);
      // The server refused a statement (the client stops there): the CREATE, so nothing was made,
      // or the rename, so the old database is empty. After a lost connection the rename may have
      // happened, and the old tables would be in it: that is looked at below.
      if (refused && !reached.includes('renamed')) {
        if (reached.includes('created')) await query([`DROP DATABASE IF EXISTS ${q(old)}`]).catch(() => undefined);
        await revert();
        throw refused.errno === ER_LOCK_WAIT_TIMEOUT ? mysqlTargetInUse(target, endpoint, options.endSessions) : mysqlSwapFailed(target, endpoint, refused.message);
      }
      // Not the server's refusal: the client or the SSH session went away, perhaps once the rename had happened.
      const before = { replaced: side('old'), restored: side('new') };
      const tablesOf = async (database: string): Promise<string[]> => (await query([mysqlTablesSql(mysqlNameLiteral(database), 'all', 'TABLE_NAME')])).filter((l) => l.length > 0);
      await afterLostSwap(
        async () => mysqlRenamed(before, await tablesOf(scratch), await tablesOf(old)),
        mysqlLostSwap(target, scratch, old, endpoint, remoteQueryFailed(client.remote, 'the mysql client', exit).message, () => query([`DROP DATABASE IF EXISTS ${q(old)}`]).then(revert)),
      );
      return [old, scratch];
    },
  };
}

function script(statements: string[]): string {
  return statements.map((sql) => `${sql};\n`).join('');
}

/**
 * Statements for the client, with `schema` in use, and a delimiter of their own: a routine's or
 * trigger's body holds semicolons, which the client would otherwise take as the end of the
 * statement. USE comes first, with the usual one: the client reads it as a command of its own, to
 * the end of the line, and does not take another delimiter off it.
 */
function delimitedScript(schema: string, statements: string[]): string {
  // The client keeps at most 16 characters of a delimiter.
  const delimiter = `$vd_${randomBytes(4).toString('hex')}$`;
  return `USE ${q(schema)};\nDELIMITER ${delimiter}\n${statements.map((sql) => `${sql}${delimiter}\n`).join('')}`;
}

/** A value of the client's batch output: it writes a newline, tab, NUL and backslash as \n, \t, \0 and \\, and NULL as NULL. */
function unbatch(value: string): string | null {
  if (value === 'NULL') return null;
  return value.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === '0' ? '\0' : c));
}

/** A session of swapObjects through the client on the SSH host: each call one run of it. */
function execSession(client: RemoteMysqlClient, query: (statements: string[]) => Promise<string[]>): MysqlSwapSession {
  return {
    async rows(schema, sql) {
      return (await query([`USE ${q(schema)}`, sql])).map((line) => line.split('\t').map(unbatch));
    },
    async run(schema, statements) {
      const exit = await client.run(delimitedScript(schema, statements));
      if (exit.code === 0) return;
      const refused = serverRefusal(exit.stderr);
      throw refused ? Object.assign(new Error(refused.message), { errno: refused.errno }) : remoteQueryFailed(client.remote, 'the mysql client', exit);
    },
    async tables(schema) {
      return (await query([mysqlTablesSql(mysqlNameLiteral(schema), 'all', 'HEX(TABLE_NAME)')])).map(fromHex);
    },
  };
}

/**
 * The words of an error the server returned (`ERROR 1050 (42S01) at line 3: Table 'x' already
 * exists`); null for the client's own errors (2000-2999: connection lost, server gone), after
 * which nothing is known of the statement.
 */
export function serverError(stderr: string): string | null {
  return serverRefusal(stderr)?.message ?? null;
}

/** serverError's words with the server's error number. */
function serverRefusal(stderr: string): { errno: number; message: string } | null {
  const match = /^ERROR (\d+) \([0-9A-Z]{5}\)(?: at line \d+)?: (.*)$/m.exec(stderr);
  if (!match) return null;
  const errno = Number(match[1]);
  return errno >= 2000 && errno < 3000 ? null : { errno, message: match[2]!.trim() };
}
