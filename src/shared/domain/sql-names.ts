import type { Engine } from './dto';
import { MYSQL_RESERVED_WORDS, POSTGRES_KEYWORDS, SQLITE_KEYWORDS } from './sql-keywords';

/**
 * A table as its engine writes it in SQL, each part quoted when a bare name would not be read as
 * that name: `public.items`, `"Schéma X"."T.dot"`, `public."order"` (PostgreSQL, as quote_ident
 * does; SQLite the same with its own keywords), `` `T.dot` ``, `` `order` `` (MySQL/MariaDB).
 * Printed bare, `Schéma X.T.dot` cannot be told from a schema `Schéma X.T` with a table `dot`,
 * and `public.order` cannot be pasted into a query.
 */
export function tableName(engine: Engine, schema: string | null, table: string): string {
  return [schema, table]
    .filter((part): part is string => part !== null)
    .map((part) => quoted(engine, part))
    .join('.');
}

function quoted(engine: Engine, name: string): string {
  if (engine === 'mysql') {
    // MySQL's unquoted identifiers: ASCII letters, digits, $, _ and U+0080 on, not digits alone;
    // reserved words in any case.
    const bare = /^[0-9A-Za-z$_\u0080-\uffff]+$/.test(name) && !/^\d+$/.test(name) && !MYSQL_RESERVED_WORDS.has(name.toLowerCase());
    return bare ? name : `\`${name.replace(/`/g, '``')}\``;
  }
  // PostgreSQL folds unquoted names to lower case, and quote_ident quotes anything but
  // [a-z_][a-z0-9_]* and its keywords other than the unreserved ones; SQLite keeps the case of a
  // bare name, reads keywords in any case, and takes the same double quotes.
  const bare = engine === 'postgres' ? /^[a-z_][a-z0-9_]*$/.test(name) && !POSTGRES_KEYWORDS.has(name) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !SQLITE_KEYWORDS.has(name.toLowerCase());
  return bare ? name : `"${name.replace(/"/g, '""')}"`;
}
