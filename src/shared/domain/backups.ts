import type { Compression, DestinationKind, Engine } from './dto';
import type { BackupDrillDto } from './restores';
import type { RunTrigger } from './runs';

/**
 * What the explorer found at a key of a destination:
 * - `complete`: a readable manifest beside its object, of the size the manifest gives;
 * - `incomplete`: an object without a manifest (a run that died before its commit marker, or a
 *   file some other tool put there): never a backup;
 * - `broken`: a manifest whose object is missing or is not the size it says;
 * - `unreadable`: a manifest that is damaged or of a format this version does not read.
 */
export const BACKUP_STATUSES = ['complete', 'incomplete', 'broken', 'unreadable'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

export type BackupEncryptionDto =
  | { kind: 'none' }
  /** `profile`: the encryption profile of this data dir whose identity opens it, when there is one. */
  | { kind: 'age'; recipients: { recipient: string; fingerprint: string; profile: string | null }[] }
  | { kind: '7z' };

export interface BackupVerificationDto {
  at: string;
  ok: boolean;
  /** What was checked and found, in words. */
  message: string;
}

/** One entry of the storage explorer: a backup (or what looks like part of one) at one destination. */
export interface BackupDto {
  /** Derived from the destination and the object key: the same in every listing and every process sharing the data dir. */
  id: string;
  status: BackupStatus;
  /** `status === 'complete'`. */
  complete: boolean;
  /** Why it is not complete, in words; null when complete. */
  problem: string | null;
  destinationId: string;
  destination: string;
  destinationKind: DestinationKind;
  /** The object's key under the destination's root. */
  key: string;
  /** Where the object is: a path, s3:// URL or sftp:// URL. */
  location: string;
  /** From the manifest; null when there is none to read. */
  job: string | null;
  jobId: string | null;
  source: string | null;
  engine: Engine | null;
  database: string | null;
  kind: 'database' | 'globals' | null;
  /** The manifest's time; for an object without one, when the object was last written. */
  createdAt: string;
  /** Bytes stored (the object as it is at the destination; the manifest's size when the object is missing). */
  size: number;
  sha256: string | null;
  /** Bytes the dump tool wrote, before compression and encryption. */
  dumpBytes: number | null;
  format: 'custom' | 'plain' | 'sqlite' | null;
  compression: { algorithm: Compression; level: number | null } | null;
  encryption: BackupEncryptionDto | null;
  /** The Vaultdesk version that wrote it. */
  appVersion: string | null;
  serverVersion: string | null;
  /**
   * What a restore gives the database it creates, in words: PostgreSQL, the database's encoding and
   * locale ("encoding UTF8, locale C.UTF-8"); MySQL/MariaDB, its default character set and
   * collation ("character set latin1, collation latin1_german1_ci"). Null for SQLite and older backups.
   */
  locale: string | null;
  /**
   * MySQL/MariaDB: the views, triggers, routines and events its dump holds beside the tables, in
   * words (`1 view`), none when it holds only tables. RENAME TABLE cannot move them, so a restore
   * that replaces a database makes them again in it once the tables are swapped in. Null when the manifest does not say
   * (other engines, older backups).
   */
  holds: string[] | null;
  runId: string | null;
  /** Known when the run that made it is in this data dir's history. */
  trigger: RunTrigger | null;
  pinned: boolean;
  /** A pin with an end; null: pinned until unpinned (or not pinned). */
  pinnedUntil: string | null;
  lastVerified: BackupVerificationDto | null;
  /** The last restore drill of this backup, in this data dir. */
  lastDrill: BackupDrillDto | null;
}

/** A destination the listing could not read; its backups are missing from the answer. */
export interface BackupListProblemDto {
  destinationId: string;
  destination: string;
  code: string;
  message: string;
}

export interface BackupListDto {
  /** This page, newest first. */
  backups: BackupDto[];
  /** Entries matching the filter over every page. */
  total: number;
  offset: number;
  limit: number;
  problems: BackupListProblemDto[];
}

export interface BackupVerifyDto {
  backup: BackupDto;
  ok: boolean;
  at: string;
  bytesRead: number;
  sha256: { expected: string; actual: string | null; ok: boolean };
  /** Whether the whole age payload was authenticated with an identity of this data dir. */
  age: 'authenticated' | 'failed' | 'not-checked' | 'not-encrypted';
  message: string;
}

export interface BackupDownloadDto {
  path: string;
  manifestPath: string;
  size: number;
  sha256: string;
}

export interface BackupUrlDto {
  url: string;
  expiresAt: string;
}
