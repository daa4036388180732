import type { DatabaseLocale } from '../pipeline/manifest';

/**
 * A PostgreSQL database's encoding and locale, as one line of JSON (psql prints it as it is):
 * locale providers exist from 15, and 17 renamed the ICU locale's column. `name`: a parameter
 * placeholder or a quoted literal.
 */
export function pgDatabaseLocaleSql(major: number, name: string): string {
  const provider = major >= 15 ? 'datlocprovider::text' : "'c'";
  const locale = major >= 17 ? 'datlocale' : major >= 15 ? 'daticulocale' : 'NULL';
  return `SELECT json_build_object('encoding', pg_encoding_to_char(encoding), 'collate', datcollate, 'ctype', datctype, 'provider', ${provider}, 'locale', ${locale})::text AS locale FROM pg_database WHERE datname = ${name}`;
}

const PROVIDERS: Record<string, string> = { c: 'libc', i: 'icu', b: 'builtin' };

/** pgDatabaseLocaleSql's line, or null when it is not one. */
export function parseDatabaseLocale(line: string | undefined): DatabaseLocale | null {
  if (!line) return null;
  const row = JSON.parse(line) as { encoding?: unknown; collate?: unknown; ctype?: unknown; provider?: unknown; locale?: unknown };
  if (typeof row.encoding !== 'string' || typeof row.collate !== 'string' || typeof row.ctype !== 'string' || typeof row.provider !== 'string') return null;
  const provider = PROVIDERS[row.provider] ?? row.provider;
  return { encoding: row.encoding, collate: row.collate, ctype: row.ctype, provider, icuLocale: provider === 'icu' && typeof row.locale === 'string' ? row.locale : null };
}

/** Whether CREATE DATABASE can ask for this locale: libc, or ICU with its locale known (PostgreSQL 17's builtin provider is not asked for). */
export function recreatable(locale: DatabaseLocale): boolean {
  return locale.provider === 'libc' || (locale.provider === 'icu' && locale.icuLocale !== null);
}

/** "encoding LATIN1, locale de_DE.ISO-8859-1", with the character classes and the ICU locale when they differ. */
export function localeInWords(locale: { encoding: string; collate: string; ctype: string; provider?: string; icuLocale?: string | null }): string {
  const ctype = locale.ctype === locale.collate ? '' : ` (character classes ${locale.ctype})`;
  const provider = locale.provider === 'icu' ? `, ICU locale ${locale.icuLocale ?? 'unknown'}` : locale.provider && locale.provider !== 'libc' ? `, ${locale.provider} locale provider` : '';
  return `encoding ${locale.encoding}, locale ${locale.collate}${ctype}${provider}`;
}

/** TEMPLATE1_SETTINGS_SQL's `encoding|collate|ctype`, or null when it is not whole (template1 unreadable). */
export function template1Settings(settings: string | null): { encoding: string; collate: string; ctype: string } | null {
  const [encoding, collate, ctype] = settings?.split('|') ?? [];
  return encoding && collate && ctype ? { encoding, collate, ctype } : null;
}

/** The backup's locale when CREATE DATABASE can ask for it (see recreatable), else null: the server's default. */
export function askedLocale(locale: DatabaseLocale | null): DatabaseLocale | null {
  return locale && recreatable(locale) ? locale : null;
}

/**
 * The note of a restore whose database did not get the backup's encoding and locale: the server
 * refused them (`refused`, its words), or askedLocale left them out. Null when it got them, or
 * when the backup recorded none.
 */
export function localeNote(locale: DatabaseLocale | null, refused: string | null, settings: string | null): string | null {
  if (!locale || (refused === null && askedLocale(locale))) return null;
  return localeNotKeptNote(locale, refused ?? 'Vaultdesk cannot create a database with that locale provider', settings);
}

/**
 * The note of a restore whose database could not be created with the backup's encoding and locale
 * (`why`: the server's refusal), and was created with the server's default (`settings`, as
 * TEMPLATE1_SETTINGS_SQL gives it) instead.
 */
export function localeNotKeptNote(locale: DatabaseLocale, why: string, settings: string | null): string {
  const server = template1Settings(settings);
  const instead = server ? `the server's default, ${localeInWords(server)}` : "the server's default encoding and locale";
  return (
    `The backup's database had ${localeInWords(locale)}, which this server could not give the restored database (${why}): it has ${instead}, ` +
    'so text may sort and compare differently than in the original. To keep the original behaviour, make that locale available on the server and restore again.'
  );
}
