import type { Engine } from './dto';

/**
 * A table as its engine writes it in SQL, each part quoted only when it has to be: `public.items`,
 * `"Schéma X"."T.dot"` (PostgreSQL, SQLite), `` `T.dot` `` (MySQL/MariaDB). Printed bare,
 * `Schéma X.T.dot` cannot be told from a schema `Schéma X.T` with a table `dot`, nor pasted into a
 * query. Reserved words (a table named `order`) are left bare: they are not ambiguous here.
 */
export function tableName(engine: Engine, schema: string | null, table: string): string {
  return [schema, table]
    .filter((part): part is string => part !== null)
    .map((part) => quoted(engine, part))
    .join('.');
}

function quoted(engine: Engine, name: string): string {
  // MySQL's unquoted identifiers: ASCII letters, digits, $, _ and U+0080 on, not digits alone.
  if (engine === 'mysql') return /^[0-9A-Za-z$_\u0080-\uffff]+$/.test(name) && !/^\d+$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
  // PostgreSQL folds unquoted names to lower case, and quote_ident quotes anything but [a-z_][a-z0-9_]*;
  // SQLite keeps the case of a bare name and takes the same double quotes.
  const plain = engine === 'postgres' ? /^[a-z_][a-z0-9_]*$/ : /^[A-Za-z_][A-Za-z0-9_]*$/;
  return plain.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
