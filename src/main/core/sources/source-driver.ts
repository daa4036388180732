import type { Readable } from 'node:stream';
import type { SourceDto } from '../../../shared/domain/dto';
import type { Logger } from '../logger';
import type { DatabaseCharset, DatabaseLocale, MysqlObjectCounts, PgDatabasePropertiesKept } from '../pipeline/manifest';
import type { DatabaseAdmin } from './database-admin';
import type { ToolName } from './client-tools';
import { createMysqlSource } from './mysql-source';
import { createPostgresSource } from './postgres-source';
import { createSqliteSource } from './sqlite-source';
import { createSshSource } from './ssh-source';

export type { ToolName } from './client-tools';

export type DumpFormat = 'custom' | 'plain';

export interface DumpProcess {
  /** The dump bytes, streamed, with back-pressure (pause the child's stdout when the consumer is slow). */
  stream: Readable;
  /** Resolves when the tool exited 0; rejects with AppError DUMP_FAILED naming the tool, exit code/signal and its stderr (trimmed, last ~2 KB) otherwise. Success is decided by the exit code, not by the bytes. */
  done: Promise<void>;
  /** Kills the tool (and removes any temp files). */
  cancel(): void;
  /**
   * For a tool started beside its check (dumpChecksItself): true once the check passed, false if
   * it failed (`done` then rejects with its error). Nothing is written to a destination before it
   * passed, so a server out of reach leaves no trace there, as when the check came first.
   * Also false for a tool that could not be started at all: it has nothing to write.
   */
  checked?: Promise<boolean>;
}

export interface TestResult {
  success: boolean;
  serverVersion: string;
  message: string;
}

export interface RestoreOptions {
  /** The target database; for SQLite, the target file path. */
  database: string;
  format: DumpFormat;
  createDatabase?: boolean;
  /** PostgreSQL: the encoding and locale a database it creates gets (the backup's); the server's default when absent. */
  locale?: DatabaseLocale | null;
  /** MySQL/MariaDB: the default character set and collation a database it creates gets (the backup's); the server's default when absent. */
  charset?: DatabaseCharset | null;
  /** PostgreSQL: the tablespace a database it creates goes into (the one of the database it is to replace); the server's default when absent. */
  tablespace?: string | null;
  /**
   * PostgreSQL custom format: give objects their owners and grants as the dump has them, which
   * restores otherwise leave out (the target server may lack the source's roles); asked for when
   * the run's roles were restored first (--with-globals).
   */
  keepOwners?: boolean;
  /**
   * Into a database the restore creates: restore tools loading the streamed dump at once. PostgreSQL
   * custom format: pg_restore processes (postgres-parallel-load.ts); MySQL/MariaDB: clients
   * (mysql-parallel-load.ts). 1 or absent: one tool (PostgreSQL: one transaction).
   */
  loaders?: number;
  /** With `loaders`: where an archive that cannot be loaded in parts goes, instead of one streamed pg_restore. */
  unsplit?: (input: Readable) => Promise<void>;
  signal?: AbortSignal;
}

export interface SourceDriver {
  /**
   * Connects and reports the server version. Connection problems throw (SOURCE_UNREACHABLE,
   * SOURCE_AUTH_FAILED...); `success: false` means connected, but a dump would not work (client
   * tool missing or older than the server), and `message` says what to do.
   */
  test(): Promise<TestResult>;
  /**
   * True when dump() and dumpGlobals() check the server and the tool themselves, beside the tool
   * they start, and fail with test()'s error when that fails: a backup then starts its first dump
   * without waiting for test() (its server version still goes into the manifest).
   */
  readonly dumpChecksItself?: boolean;
  /** User databases only (no templates, no information_schema/mysql/performance_schema/sys). */
  listDatabases(): Promise<string[]>;
  /** `database` null: the source's own database. */
  dump(database: string | null, options: { format: DumpFormat; signal?: AbortSignal }): Promise<DumpProcess>;
  /** PostgreSQL: the database's encoding and locale, for the manifest (null: not found). */
  databaseLocale?(database: string): Promise<DatabaseLocale | null>;
  /** PostgreSQL: the database's settings, owner, privileges, connection limit and comment, for the manifest (null: not found). */
  databaseProperties?(database: string): Promise<PgDatabasePropertiesKept | null>;
  /** MySQL/MariaDB: the database's default character set and collation, for the manifest (null: not found). */
  databaseCharset?(database: string): Promise<DatabaseCharset | null>;
  /** MySQL/MariaDB: the database's views, triggers, routines and events, for the manifest (a restore cannot swap them in). */
  databaseObjects?(database: string): Promise<MysqlObjectCounts | null>;
  /** postgres: pg_dumpall --globals-only (roles, grants). */
  dumpGlobals?(): Promise<DumpProcess>;
  /** Restores a dump read from `input`; the restore tool's exit code decides success (RESTORE_FAILED with its stderr). */
  restore(input: Readable, options: RestoreOptions): Promise<void>;
  /** What a restore needs of the server beyond its tools; absent for SQLite files, which have their own. */
  admin?(): DatabaseAdmin;
  /** PostgreSQL: replays a globals dump (roles) with psql, going on past roles that already exist. */
  restoreGlobals?(input: Readable, signal?: AbortSignal): Promise<void>;
  /**
   * PostgreSQL custom format: restores from a file with `pg_restore --jobs`, which needs to seek
   * and so cannot read a stream. Not one transaction: callers restore into a database they drop on failure.
   */
  restoreFile?(file: string, options: RestoreOptions & { jobs: number }): Promise<void>;
  /** File extension of a dump in this format: 'dump' (pg custom), 'sql' (plain/mysql), 'sqlite'. */
  extension(format: DumpFormat): string;
  close(): Promise<void>;
}

export interface SourceContext {
  /** Where temp files (MySQL defaults files, SQLite snapshots) go; must exist and be private to this user. */
  tempDir: string;
  toolPaths?: Partial<Record<ToolName, string>>;
  log?: Logger;
  /** PATH etc, passed in by the host; core never reads process.env. */
  env?: Record<string, string | undefined>;
  /** SSH sources: the server's host key was accepted on first use; the caller persists it as the source's pinned key. */
  onHostKeyPinned?: (fingerprint: string) => void;
  /** Something a person should read about a restore beside its result (a restore's note), from the driver. */
  onNote?: (text: string) => void;
  /**
   * A restore failed into a database this driver created for it, and the driver could not drop
   * that database (`reason`: the server's words): the host names it in the restore's record.
   */
  onCreatedNotDropped?: (database: string, reason: string) => void;
  /**
   * A restore is about to create `database` (createDatabase), called before the first statement
   * that creates it: a failure the host sees without this had never made the database.
   */
  onCreatingDatabase?: (database: string) => void;
  /** How long pg_dump waits for a table another session has locked (PG_DUMP_LOCK_WAIT_MS when absent; tests shorten it). */
  dumpLockWaitMs?: number;
}

export function createSourceDriver(dto: SourceDto, secrets: Record<string, string>, ctx: SourceContext): SourceDriver {
  if (dto.ssh) return createSshSource(dto, secrets, ctx);
  switch (dto.engine) {
    case 'postgres':
      return createPostgresSource(dto, secrets, ctx);
    case 'mysql':
      return createMysqlSource(dto, secrets, ctx);
    case 'sqlite':
      return createSqliteSource(dto, ctx);
  }
}
