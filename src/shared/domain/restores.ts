import type { Engine } from './dto';

/** `interrupted`: the process that ran it stopped before it finished (found so at a later host start). */
export const RESTORE_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RestoreStatus = (typeof RESTORE_STATUSES)[number];

/** A restore puts a backup back; a drill restores it into a scratch database, compares counts and drops it. */
export type RestoreKind = 'restore' | 'drill';

/**
 * pg_restore processes loading a PostgreSQL custom-format dump at once, into a database the restore
 * creates, when no --jobs is asked for: one COPY is bound by its server backend's one core, and two
 * sessions are a modest share of a server that is also doing other work. The wizard says it too.
 */
export const DEFAULT_RESTORE_JOBS = 2;

/**
 * - `check`: manifest read, target looked at (refusals happen here);
 * - `restore`: the bytes read, checked, decrypted, decompressed and fed to the engine's tool;
 * - `count`: rows counted in the restored copy;
 * - `swap`: the restored copy put in place of the target;
 * - `compare`: (drill) counts compared with the source database now;
 * - `cleanup`: scratch databases dropped.
 */
export type RestoreStage = 'check' | 'restore' | 'count' | 'swap' | 'compare' | 'cleanup';

export interface TableCountDto {
  /** PostgreSQL schema; null for MySQL/MariaDB and SQLite. */
  schema: string | null;
  table: string;
  rows: number;
}

export interface RestoredDatabaseDto {
  /** The backup restored. */
  backupId: string;
  kind: 'database' | 'globals';
  /** The database as the backup names it. */
  fromDatabase: string;
  /** Where it went (for SQLite, a file path; for globals, the server). */
  database: string;
  status: 'pending' | 'restored' | 'failed' | 'cancelled';
  /** An existing database of that name was replaced. */
  replaced: boolean;
  /** SQLite: the file that was replaced, kept under this name. */
  keptAs: string | null;
  /** null: the restore succeeded but its rows could not be counted (a note says why). */
  tables: TableCountDto[] | null;
  /** Notes in words (roles that already existed, what was left and where). */
  notes: string[];
}

export interface DrillDifferenceDto {
  schema: string | null;
  table: string;
  /** null: the table is not in the backup. */
  inBackup: number | null;
  /** null: the table is no longer in the source database. */
  inSourceNow: number | null;
  /** inSourceNow - inBackup, when both are known. */
  difference: number | null;
}

export interface DrillResultDto {
  ok: boolean;
  /** The source database the counts were compared with. */
  comparedWith: string;
  tables: number;
  differences: DrillDifferenceDto[];
  /** Whether the scratch database was dropped again. */
  scratchDropped: boolean;
}

export interface RestoreDto {
  id: string;
  kind: RestoreKind;
  status: RestoreStatus;
  stage: RestoreStage;
  backupId: string;
  destinationId: string;
  destination: string;
  key: string;
  job: string | null;
  engine: Engine;
  targetSourceId: string;
  targetSource: string;
  databases: RestoredDatabaseDto[];
  withGlobals: boolean;
  force: boolean;
  /** Who asked: the OS user and host, and which Vaultdesk host (cli, serve, desktop, daemon). */
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
  bytesRead: number;
  totalBytes: number;
  drill: DrillResultDto | null;
  error: { code: string; message: string } | null;
  /** What happened, in words. */
  message: string;
  /**
   * What is left for a person to do, one sentence each (a database the server would not drop, one an
   * interrupted restore may have left): also said at the end of `message`, listed here so no view cuts it.
   */
  toDo: string[];
}

/** The core words every note that asks a person to act with this; such notes are the restore's `toDo`. */
export const BY_HAND = 'by hand';

/** The notes of `databases` that ask a person to act, in order. */
export function notesToDo(databases: RestoredDatabaseDto[]): string[] {
  return databases.flatMap((d) => d.notes.filter((n) => n.includes(BY_HAND)));
}

/** The sentence an interrupted restore's message ends with when it may have left a scratch database. */
export function mayHaveLeft(scratch: string): string {
  return `It may have left ${scratch}: drop it ${BY_HAND}.`;
}

export interface RestoreProgressDto {
  restoreId: string;
  stage: RestoreStage;
  database: string | null;
  bytesRead: number;
  totalBytes: number;
}

/** What the wizard shows before a restore: whether the target database exists, and the tables and other objects it holds. */
export interface RestoreTargetDto {
  sourceId: string;
  database: string;
  exists: boolean;
  tables: number;
  /** What else it holds that a restore into it would replace, in words (`1 view`, `2 routines`, PostgreSQL `1 function`). */
  others: string[];
  /** PostgreSQL: other clients connected to it now, which a restore replacing it needs gone by its end; null elsewhere. */
  sessions: number | null;
  /** MySQL/MariaDB: other databases' foreign keys to its tables (`shop.lines (fk) -> orders`), which a swap refuses; absent when none. */
  referencedBy?: string[];
  /** A restore running into it now (this process or another), which a second restore is refused beside; absent when none. */
  restoring?: { restoreId: string; requestedBy: string };
}

/** A drill's last outcome, kept with the backup. */
export interface BackupDrillDto {
  at: string;
  /** Restored, and every table's rows as in the source now. */
  ok: boolean;
  /**
   * Restored and counted, whatever the counts: false when the drill failed or was cancelled. A
   * restored drill that is not `ok` found tables that changed since the backup, which on a
   * database in use is what a good backup shows.
   */
  restored: boolean;
  restoreId: string;
  message: string;
}
