import type { DatabaseCharset } from '../pipeline/manifest';
import { messageOf } from './connection-errors';

/**
 * A MySQL/MariaDB database's default character set and collation, as `charset collation`:
 * what tables created in it later get. A dump of one database does not carry them (only
 * `--databases` writes a CREATE DATABASE), so the manifest does. `name`: a placeholder or a literal.
 */
export function mysqlCharsetSql(name: string): string {
  return `SELECT CONCAT(DEFAULT_CHARACTER_SET_NAME, ' ', DEFAULT_COLLATION_NAME) AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${name}`;
}

/** Character set and collation names are words; anything else is never put into SQL. */
const NAME = /^[A-Za-z0-9_]{1,64}$/;

/** mysqlCharsetSql's `charset collation`, or null when it is not that. */
export function parseDatabaseCharset(line: string | undefined): DatabaseCharset | null {
  const [characterSet, collation, ...rest] = (line ?? '').trim().split(' ');
  if (!characterSet || !collation || rest.length > 0 || !NAME.test(characterSet) || !NAME.test(collation)) return null;
  return { characterSet, collation };
}

/** ` CHARACTER SET x COLLATE y` for CREATE/ALTER DATABASE; empty for no charset or one whose names are not words (a hand-edited manifest). */
export function charsetClause(charset: DatabaseCharset | null | undefined): string {
  if (!charset || !NAME.test(charset.characterSet) || !NAME.test(charset.collation)) return '';
  return ` CHARACTER SET ${charset.characterSet} COLLATE ${charset.collation}`;
}

/** "character set latin1, collation latin1_german1_ci" */
export function charsetInWords(charset: DatabaseCharset): string {
  return `character set ${charset.characterSet}, collation ${charset.collation}`;
}

/**
 * The server's error numbers for a character set or collation it lacks (MySQL 8's
 * utf8mb4_0900_ai_ci on a MariaDB before 11.4.5), or one that does not go with the set: the
 * database is then created with the server's default.
 */
const CHARSET_REFUSALS = new Set([1115, 1273, 1253]);

/** The server's words when a mysql2 error is such a refusal; null for any other error. */
export function charsetRefusal(error: unknown): string | null {
  return CHARSET_REFUSALS.has(Number((error as { errno?: unknown }).errno)) ? messageOf(error) : null;
}

/** The same for the mysql client's `ERROR 1273 (HY000) at line 1: Unknown collation ...` on its stderr. */
export function charsetRefusalIn(stderr: string): string | null {
  const match = /^ERROR (\d+) \([0-9A-Z]{5}\)(?: at line \d+)?: (.*)$/m.exec(stderr);
  return match && CHARSET_REFUSALS.has(Number(match[1])) ? match[2]!.trim() : null;
}

/**
 * The note of a restore whose database was created with the server's default because the server
 * refused the backup's (`why`: its words).
 */
export function charsetNotKeptNote(charset: DatabaseCharset, why: string): string {
  return (
    `The backup's database had the default ${charsetInWords(charset)}, which this server refused (${why}): the restored database has the server's default instead. ` +
    'Its tables keep the character sets the backup gives them; tables created in it later get the server\'s default. To keep the original, set it with ALTER DATABASE once that collation is available.'
  );
}

/**
 * A swap keeps the target schema and moves the restored tables into it, so the schema's defaults
 * would stay those of what it replaced: the statements that give it the backup's (`wanted`), and
 * put back what it had (`was`) when the swap is refused. Null when nothing is to change.
 */
export function charsetChange(target: string, was: DatabaseCharset | null, wanted: DatabaseCharset | null | undefined): { alter: string; revert: string } | null {
  if (!wanted || !was || !charsetClause(wanted) || !charsetClause(was)) return null;
  if (was.characterSet === wanted.characterSet && was.collation === wanted.collation) return null;
  return { alter: `ALTER DATABASE ${target}${charsetClause(wanted)}`, revert: `ALTER DATABASE ${target}${charsetClause(was)}` };
}
