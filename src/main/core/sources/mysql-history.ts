import type { ServerVersion, ToolVersion } from './client-tools';

/**
 * The history of MariaDB's system-versioned tables (`WITH SYSTEM VERSIONING`: every row a table
 * ever held, with the time it held it) is data a DBA keeps on purpose, for audits and for
 * `FOR SYSTEM_TIME AS OF`, and mariadb-dump leaves it out unless asked (`--dump-history`, 10.11 and
 * later). Asked, it writes every row version with its period and turns on
 * `system_versioning_insert_history` around the table's rows, so the restore puts them back as
 * they were, on MariaDB 10.11 and later: the history is dumped only from such a server, so that
 * the server a backup was made of (or a newer one) always takes it back. It refuses the whole dump
 * when one table keeps transaction-precise history (its period in transaction ids, which mean
 * nothing on another server). Where the history is left out, the run says so.
 */

/** The database's system-versioned tables, and whether each keeps transaction-precise history (its ROW START a BIGINT). `schema`: a literal or placeholder. */
export function mysqlVersionedTablesSql(schema: string): string {
  return (
    "SELECT t.TABLE_NAME AS name, MAX(c.DATA_TYPE = 'bigint') AS precise FROM information_schema.TABLES t " +
    "LEFT JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.GENERATION_EXPRESSION = 'ROW START' " +
    `WHERE t.TABLE_SCHEMA = ${schema} AND t.TABLE_TYPE = 'SYSTEM VERSIONED' GROUP BY t.TABLE_NAME ORDER BY t.TABLE_NAME`
  );
}

export interface VersionedTable {
  name: string;
  precise: boolean;
}

export interface HistoryPlan {
  /** Whether mariadb-dump runs with --dump-history. */
  dumpHistory: boolean;
  /** What the run's log says when history is left out; null when there is none, or all of it is in. */
  note: string | null;
}

export const NO_HISTORY: HistoryPlan = { dumpHistory: false, note: null };

export function historyPlan(tables: readonly VersionedTable[], tool: { executable: string; version: ToolVersion }, server: ServerVersion): HistoryPlan {
  if (tables.length === 0 || server.flavor !== 'mariadb') return NO_HISTORY;
  const named = (list: readonly VersionedTable[]): string => list.map((t) => `\`${t.name}\``).join(', ');
  const lost = 'the backup holds their current rows, and a restore starts their history anew';
  if (!from1011(server.parts)) {
    return { dumpHistory: false, note: `System-versioned tables keep their history (${named(tables)}), which MariaDB takes back into a table only from 10.11 on, and this server is ${server.parts.join('.')}: ${lost}.` };
  }
  if (tool.version.flavor !== 'mariadb' || !from1011(tool.version.parts)) {
    return { dumpHistory: false, note: `System-versioned tables keep their history (${named(tables)}), which ${tool.executable} ${tool.version.parts.join('.')} cannot dump (mariadb-dump 10.11 and later can): ${lost}.` };
  }
  const precise = tables.filter((t) => t.precise);
  if (precise.length > 0) {
    return {
      dumpHistory: false,
      note: `${named(precise)} keep${precise.length === 1 ? 's' : ''} transaction-precise history, which mariadb-dump cannot dump, and it then dumps no table's history: of the system-versioned tables (${named(tables)}), ${lost}.`,
    };
  }
  return { dumpHistory: true, note: null };
}

function from1011([major = 0, minor = 0]: readonly number[]): boolean {
  return major > 10 || (major === 10 && minor >= 11);
}
