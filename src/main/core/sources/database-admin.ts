import type { TableCountDto } from '../../../shared/domain/restores';

/**
 * What a restore needs of a server beyond its tools: look at a database, count its rows, drop a
 * scratch copy and swap a restored copy in for the one it replaces. Implemented by the
 * PostgreSQL and MySQL/MariaDB drivers (through an SSH tunnel too, or with the client on the SSH
 * host in exec mode); SQLite files have their own.
 */
export interface DatabaseAdmin {
  /** Whether the database exists and how many tables it holds (views and system schemas aside). */
  inspect(database: string): Promise<{ exists: boolean; tables: number }>;
  /** Every table with its exact row count, in name order. */
  countRows(database: string): Promise<TableCountDto[]>;
  /** Removes it if it is there. */
  drop(database: string): Promise<void>;
  /**
   * Puts the restored copy `scratch` in place of `target`, which exists, and drops the old one.
   * A refusal (the target in use, objects that cannot be moved) leaves both as they were and
   * throws RESTORE_FAILED saying so.
   */
  swap(target: string, scratch: string): Promise<void>;
  /** The longest database name the server takes. */
  readonly maxNameLength: number;
}
