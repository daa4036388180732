import type pg from 'pg';
import type { TableCountDto } from '../../../shared/domain/restores';
import { AppError } from '../../../shared/ipc/result';
import { messageOf, where } from './connection-errors';
import type { DatabaseAdmin } from './database-admin';
import { pgEndpoint, type PgTarget } from './postgres-connection';

type WithClient = <T>(database: string, use: (client: pg.Client) => Promise<T>) => Promise<T>;

const USER_TABLES = `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

/** A database to connect to while `database` itself is renamed or dropped (it cannot be the one connected to). */
function maintenanceFor(database: string): string {
  return database === 'postgres' ? 'template1' : 'postgres';
}

export function createPostgresAdmin(target: PgTarget, withClient: WithClient, serverMajor: () => Promise<number>): DatabaseAdmin {
  const endpoint = where(pgEndpoint(target));
  return {
    maxNameLength: 63,
    async inspect(database) {
      const exists = await withClient(maintenanceFor(database), async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1);
      if (!exists) return { exists: false, tables: 0 };
      const tables = await withClient(database, async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n ${USER_TABLES}`)).rows[0]!.n));
      return { exists: true, tables };
    },
    async countRows(database) {
      return withClient(database, async (c) => {
        const names = (await c.query<{ schema: string; table: string }>(`SELECT n.nspname AS schema, c.relname AS table ${USER_TABLES} ORDER BY 1, 2`)).rows;
        const counts: TableCountDto[] = [];
        for (const t of names) {
          const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${c.escapeIdentifier(t.schema)}.${c.escapeIdentifier(t.table)}`);
          counts.push({ schema: t.schema, table: t.table, rows: Number(r.rows[0]!.n) });
        }
        return counts;
      });
    },
    async drop(database) {
      // WITH (FORCE) (PostgreSQL 13+): a killed restore tool's session may still be closing.
      const force = (await serverMajor().catch(() => 0)) >= 13 ? ' WITH (FORCE)' : '';
      await withClient(maintenanceFor(database), (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(database)}${force}`));
    },
    async swap(targetName, scratch) {
      const old = `${scratch.slice(0, 55)}_old`;
      await withClient(maintenanceFor(targetName), async (c) => {
        // ALTER DATABASE ... RENAME is transactional: both renames happen, or neither.
        await c.query('BEGIN');
        try {
          await c.query(`ALTER DATABASE ${c.escapeIdentifier(targetName)} RENAME TO ${c.escapeIdentifier(old)}`);
          await c.query(`ALTER DATABASE ${c.escapeIdentifier(scratch)} RENAME TO ${c.escapeIdentifier(targetName)}`);
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK').catch(() => undefined);
          if ((error as { code?: unknown }).code === '55006') {
            const sessions = await c
              .query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [targetName])
              .then((r) => Number(r.rows[0]!.n))
              .catch(() => null);
            throw new AppError(
              'RESTORE_FAILED',
              `Database ${targetName} on ${endpoint} is in use${sessions ? ` by ${sessions} session${sessions === 1 ? '' : 's'}` : ''}, so it cannot be replaced; it was left as it was. Close those connections (or stop the application using it) and restore again.`,
              { database: targetName, reason: 'in-use' },
            );
          }
          throw new AppError('RESTORE_FAILED', `Could not put the restored copy in place of ${targetName} on ${endpoint}: ${messageOf(error)}. ${targetName} was left as it was.`, { database: targetName });
        }
      });
      await this.drop(old);
    },
  };
}
