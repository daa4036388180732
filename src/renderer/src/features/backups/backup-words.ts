import type { BackupDto, BackupStatus } from '../../../../shared/domain/backups';
import { formatDateTime } from '../../lib/format';
import { andList } from '../../../../shared/domain/counted';

export const BACKUP_STATUS_COLORS: Record<BackupStatus, string> = {
  complete: 'teal',
  incomplete: 'orange',
  broken: 'red',
  unreadable: 'red',
};

/** What each status means, for the filter and the badge's title. */
export const BACKUP_STATUS_WORDS: Record<BackupStatus, string> = {
  complete: 'complete',
  incomplete: 'incomplete (no manifest)',
  broken: 'broken (object missing or wrong size)',
  unreadable: 'unreadable manifest',
};

/** "Backup of shop (nightly) at Nov 30, 2026, 09:14:25 on local-disk": how a dialog names a backup. */
export function backupName(b: Pick<BackupDto, 'database' | 'job' | 'createdAt' | 'destination' | 'key'>): string {
  const what = b.database ? `${b.database}${b.job ? ` (${b.job})` : ''}` : b.key;
  return `${what} of ${formatDateTime(b.createdAt)} at ${b.destination}`;
}

/**
 * Each backup's name for the row's buttons, unique on the page: two backups of one job, database
 * and destination made within the same second would otherwise share it (and so their controls'
 * accessible names), so those also get their object's file name.
 */
export function rowNames(list: Pick<BackupDto, 'id' | 'database' | 'job' | 'createdAt' | 'destination' | 'key'>[]): Map<string, string> {
  const named = list.map((b) => ({ b, name: backupName(b) }));
  const count = new Map<string, number>();
  for (const { name } of named) count.set(name, (count.get(name) ?? 0) + 1);
  return new Map(named.map(({ b, name }) => [b.id, (count.get(name) ?? 0) > 1 ? `${name} (${b.key.split('/').pop() ?? b.key})` : name]));
}

/** "verified ok, Nov 30…" / "verify failed, …" / "never verified". */
export function verifiedWords(b: Pick<BackupDto, 'lastVerified'>): { text: string; color: string | undefined } {
  const v = b.lastVerified;
  if (!v) return { text: 'not verified', color: 'dimmed' };
  return v.ok ? { text: `verified ${formatDateTime(v.at)}`, color: 'teal' } : { text: `verify failed ${formatDateTime(v.at)}`, color: 'red' };
}

/**
 * The last restore drill, when there was one: "drill ok …"; "drill restored …, counts changed" when it
 * restored but tables have gained or lost rows since (a database in use does), not a failure;
 * "drill failed …" when the backup did not restore.
 */
export function drillWords(b: Pick<BackupDto, 'lastDrill'>): { text: string; color: string } | null {
  const d = b.lastDrill;
  if (!d) return null;
  if (d.ok) return { text: `drill ok ${formatDateTime(d.at)}`, color: 'teal' };
  return d.restored ? { text: `drill restored ${formatDateTime(d.at)}, counts changed`, color: 'yellow' } : { text: `drill failed ${formatDateTime(d.at)}`, color: 'red' };
}

/** "pinned", "pinned until …", or null when not pinned (or the pin has passed). */
export function pinnedWords(b: Pick<BackupDto, 'pinned' | 'pinnedUntil'>): string | null {
  if (!b.pinned) return null;
  return b.pinnedUntil ? `pinned until ${formatDateTime(b.pinnedUntil)}` : 'pinned';
}

/**
 * Where the dump came from, what a restore creates the database with, and what else a MySQL dump
 * holds: "PostgreSQL 15.20 · encoding UTF8, locale C.UTF-8", "MariaDB 10.11.19 · ... · with 1
 * view". Null when the manifest says none of it (SQLite, older backups, no manifest).
 */
export function originWords(b: Pick<BackupDto, 'serverVersion' | 'locale' | 'holds'>): string | null {
  const parts = [b.serverVersion, b.locale, b.holds && b.holds.length > 0 ? `with ${andList(b.holds)}` : null].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** How the object is encrypted, in words; null when there is no manifest to say. */
export function encryptionWords(b: Pick<BackupDto, 'encryption'>): string | null {
  const e = b.encryption;
  if (!e) return null;
  if (e.kind === 'none') return 'not encrypted';
  if (e.kind === '7z') return '7-Zip AES-256';
  const profiles = e.recipients.map((r) => r.profile ?? r.fingerprint);
  return `age, to ${profiles.join(', ')}`;
}

/**
 * The end of the day a pin's date field names, in the local time zone, as an instant: a pin
 * "until 2026-12-31" holds through that whole day. Null for an empty or malformed date.
 */
export function pinUntilInstant(date: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m) return null;
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  if (Number.isNaN(end.getTime()) || end.getDate() !== Number(m[3])) return null;
  return end.toISOString();
}
