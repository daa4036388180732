import type mysql from 'mysql2/promise';
import type { TableCountDto } from '../../../shared/domain/restores';
import { AppError } from '../../../shared/ipc/result';
import { messageOf, where } from './connection-errors';
import type { DatabaseAdmin } from './database-admin';
import { mysqlEndpoint, quoteMysqlIdentifier as q, type MysqlTarget } from './mysql-connection';

type WithConnection = <T>(database: string | undefined, use: (connection: mysql.Connection) => Promise<T>) => Promise<T>;

async function baseTables(c: mysql.Connection, database: string): Promise<string[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [database]);
  return rows.map((r) => String(r.t));
}

/** Views, triggers, routines and events: RENAME TABLE cannot move them to another schema. */
async function unmovable(c: mysql.Connection, database: string): Promise<string[]> {
  const found: string[] = [];
  const count = async (sql: string): Promise<number> => Number(((await c.query<mysql.RowDataPacket[]>(sql, [database]))[0][0] as { n: number }).n);
  const views = await count("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'VIEW'");
  const triggers = await count('SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?');
  const routines = await count('SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?');
  const events = await count('SELECT COUNT(*) AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?');
  if (views) found.push(`${views} view${views === 1 ? '' : 's'}`);
  if (triggers) found.push(`${triggers} trigger${triggers === 1 ? '' : 's'}`);
  if (routines) found.push(`${routines} routine${routines === 1 ? '' : 's'}`);
  if (events) found.push(`${events} event${events === 1 ? '' : 's'}`);
  return found;
}

export function createMysqlAdmin(target: MysqlTarget, withConnection: WithConnection): DatabaseAdmin {
  const endpoint = where(mysqlEndpoint(target));
  return {
    maxNameLength: 64,
    async inspect(database) {
      return withConnection(undefined, async (c) => {
        const [schemas] = await c.query<mysql.RowDataPacket[]>('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
        if (schemas.length === 0) return { exists: false, tables: 0 };
        return { exists: true, tables: (await baseTables(c, database)).length };
      });
    },
    async countRows(database) {
      return withConnection(undefined, async (c) => {
        const counts: TableCountDto[] = [];
        for (const table of await baseTables(c, database)) {
          const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${q(database)}.${q(table)}`);
          counts.push({ schema: null, table, rows: Number((rows[0] as { n: number }).n) });
        }
        return counts;
      });
    },
    async drop(database) {
      await withConnection(undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${q(database)}`));
    },
    /**
     * MySQL cannot rename a database; one RENAME TABLE statement moves the old tables out and the
     * restored ones in, atomically. Views, triggers, routines and events do not move that way, so
     * a database holding them (on either side) is refused with both left as they were.
     */
    async swap(targetName, scratch) {
      const old = `${scratch.slice(0, 60)}_old`;
      await withConnection(undefined, async (c) => {
        const blocking = [...(await unmovable(c, targetName)).map((w) => `${targetName} has ${w}`), ...(await unmovable(c, scratch)).map((w) => `the backup has ${w}`)];
        if (blocking.length > 0) {
          throw new AppError(
            'RESTORE_FAILED',
            `${blocking.join(' and ')}, which MySQL/MariaDB cannot move between databases, so ${targetName} on ${endpoint} cannot be replaced in one step; it was left as it was. Restore under a new name (--database), or drop ${targetName} yourself and restore again.`,
            { database: targetName, reason: 'unmovable-objects' },
          );
        }
        const oldTables = await baseTables(c, targetName);
        const newTables = await baseTables(c, scratch);
        await c.query(`CREATE DATABASE ${q(old)}`);
        try {
          const moves = [...oldTables.map((t) => `${q(targetName)}.${q(t)} TO ${q(old)}.${q(t)}`), ...newTables.map((t) => `${q(scratch)}.${q(t)} TO ${q(targetName)}.${q(t)}`)];
          if (moves.length > 0) await c.query(`RENAME TABLE ${moves.join(', ')}`);
        } catch (error) {
          await c.query(`DROP DATABASE IF EXISTS ${q(old)}`).catch(() => undefined);
          throw new AppError('RESTORE_FAILED', `Could not put the restored tables in place of ${targetName}'s on ${endpoint}: ${messageOf(error)}. ${targetName} was left as it was.`, { database: targetName });
        }
        await c.query(`DROP DATABASE IF EXISTS ${q(old)}`);
        await c.query(`DROP DATABASE IF EXISTS ${q(scratch)}`);
      });
    },
  };
}
