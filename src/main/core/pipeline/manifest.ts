import { createHash } from 'node:crypto';
import type { Compression, Engine } from '../../../shared/domain/dto';

export const MANIFEST_SUFFIX = '.manifest.json';
export const MANIFEST_FORMAT_VERSION = 1;

/**
 * Written beside every stored object, and written last: it is the commit marker. Whatever has
 * no manifest is not a backup (an interrupted run, or somebody else's file).
 */
export interface BackupManifest {
  formatVersion: typeof MANIFEST_FORMAT_VERSION;
  app: { name: 'vaultdesk'; version: string };
  runId: string;
  createdAt: string;
  job: { id: string; name: string };
  /**
   * What a restore creates the database with, absent in older manifests: `locale` for PostgreSQL
   * databases, `charset` (the database's defaults) for MySQL/MariaDB ones. `objects`, MySQL/MariaDB
   * only, also absent in older manifests: what the dump holds that RENAME TABLE cannot move.
   */
  source: {
    name: string;
    engine: Engine;
    serverVersion: string | null;
    database: string;
    kind: 'database' | 'globals';
    locale?: DatabaseLocale;
    charset?: DatabaseCharset;
    objects?: MysqlObjectCounts;
    /** PostgreSQL, absent in older manifests: what the database carries besides its contents, which a dump of it leaves out. */
    properties?: PgDatabasePropertiesKept;
  };
  dump: { format: 'custom' | 'plain' | 'sqlite'; tool: string; bytes: number };
  compression: { algorithm: Compression; level: number | null };
  encryption:
    | { kind: 'none' }
    | { kind: 'age'; recipients: { recipient: string; fingerprint: string }[] }
    | { kind: '7z'; headersEncrypted: true };
  object: { key: string; size: number; sha256: string };
}

/**
 * A MySQL/MariaDB database's views, triggers, routines and events when it was dumped: RENAME TABLE
 * cannot move them to another schema, so a restore that swaps a copy in makes them again.
 */
export interface MysqlObjectCounts {
  views: number;
  triggers: number;
  routines: number;
  events: number;
}

/**
 * A PostgreSQL database's own settings and its roles' settings in it (`ALTER DATABASE ... SET`,
 * `ALTER ROLE ... IN DATABASE ... SET`), owner, privileges, connection limit and comment, as
 * pg_database had them when it was dumped: pg_dump writes them only with --create, and a restore
 * under any name creates the database itself (postgres-database-properties.ts).
 */
export interface PgDatabasePropertiesKept {
  owner: string;
  /** null: the default privileges. */
  acl: { grantee: string | null; privilege: string; grantable: boolean }[] | null;
  connectionLimit: number;
  comment: string | null;
  /** role null: the database's own; `config` as the catalog keeps it (`name=value`). */
  settings: { role: string | null; config: string[] }[];
}

/** A PostgreSQL database's encoding and locale, as pg_database had them when it was dumped. */
export interface DatabaseLocale {
  encoding: string;
  collate: string;
  ctype: string;
  /** 'libc', 'icu', or another provider by its name ('builtin'). */
  provider: string;
  /** The ICU locale, for the icu provider. */
  icuLocale: string | null;
}

/** A MySQL/MariaDB database's default character set and collation, as information_schema.SCHEMATA had them when it was dumped. */
export interface DatabaseCharset {
  characterSet: string;
  collation: string;
}

/** A short, stable fingerprint of an age recipient, so a manifest says who can open a file. */
export function recipientFingerprint(recipient: string): string {
  return createHash('sha256').update(recipient).digest('hex').slice(0, 16);
}

export function manifestKey(objectKey: string): string {
  return `${objectKey}${MANIFEST_SUFFIX}`;
}

/** `20261126T053000Z`: sorts by time, one name per second. */
export function isManifestKey(key: string): boolean {
  return key.endsWith(MANIFEST_SUFFIX);
}

export function timestampName(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export interface ObjectNameParts {
  /** Template; placeholders {environment}, {database}, {job}, {source}. */
  prefix: string;
  environment: string;
  database: string;
  job: string;
  source: string;
  time: Date;
  /** dump, sql, sqlite, 7z ... */
  extension: string;
  compression: Compression;
  encrypted: 'age' | '7z' | 'none';
  /** 2, 3 ... when an object of the same name exists already (two runs in one second). */
  sequence?: number;
}

export const DEFAULT_PREFIX = '{environment}/{database}/';

/** Path segments come from names a user typed: anything that is not path-safe becomes `_`. */
export function safeSegment(value: string): string {
  const cleaned = value.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '');
  return cleaned.length > 0 ? cleaned.slice(0, 100) : '_';
}

/** `{prefix}{job}/{timestamp}.{dump|sql}.{zst|gz}.age`, with the prefix expanded. */
export function objectName(p: ObjectNameParts): string {
  const values: Record<string, string> = { environment: p.environment, database: p.database, job: p.job, source: p.source };
  const prefix = p.prefix
    .replace(/\{(environment|database|job|source)\}/g, (_, name: string) => safeSegment(values[name]!))
    .split('/')
    .filter((s) => s.length > 0 && s !== '.' && s !== '..')
    .join('/');
  const ext = [p.extension];
  if (p.encrypted === '7z') ext.push('7z');
  else {
    if (p.compression === 'zstd') ext.push('zst');
    if (p.compression === 'gzip') ext.push('gz');
    if (p.encrypted === 'age') ext.push('age');
  }
  const stamp = `${timestampName(p.time)}${p.sequence && p.sequence > 1 ? `-${p.sequence}` : ''}`;
  return `${prefix ? `${prefix}/` : ''}${safeSegment(p.job)}/${stamp}.${ext.join('.')}`;
}
