import { AppError } from '../../../shared/ipc/result';
import { MAINTENANCE_DB } from '../sources/postgres-source';
import { MYSQL_SYSTEM_DATABASES } from '../sources/mysql-source';

/** Every new PostgreSQL database is copied from one of these: tables restored there would turn up in each. */
const PG_TEMPLATES = new Set(['template0', 'template1']);

/**
 * Refuses a restore into a database the server itself lives on, whatever `--force` says: its
 * templates and, from a backup of another database, its maintenance database; MySQL/MariaDB's
 * system schemas (a swap would move the grant tables out). A typed name should never be able to
 * damage the server. The maintenance database may still be given its own backup back (an
 * all-databases run holds it), as one that holds tables is refused unless --force.
 */
export function refuseSystemDatabase(engine: 'postgres' | 'mysql', target: string, fromDatabase: string): void {
  const refuse = (why: string): never => {
    throw new AppError('VALIDATION_FAILED', `${target} is ${why}, so Vaultdesk does not restore into it. Restore under another name (--database NAME).`, { field: 'database', reason: 'system-database', database: target });
  };
  if (engine === 'postgres') {
    if (PG_TEMPLATES.has(target)) refuse('a template of the PostgreSQL server: every database created after would be a copy of the backup');
    if (target === MAINTENANCE_DB && fromDatabase !== MAINTENANCE_DB) refuse(`the PostgreSQL server's maintenance database and this is a backup of ${fromDatabase}`);
    return;
  }
  if (MYSQL_SYSTEM_DATABASES.has(target.toLowerCase())) refuse('a system schema of the MySQL/MariaDB server, which holds its users, grants and settings');
}
