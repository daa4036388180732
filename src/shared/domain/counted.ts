/** `1 table`, `2 tables`, `1,234 rows`: a count with its noun, singular for one, digits grouped as the tables show them. */
export function counted(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** `3 tables, 1,234 rows` of a restored database; null: its rows could not be counted. */
export function tableWords(tables: readonly { rows: number }[] | null): string {
  if (tables === null) return 'rows not counted';
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  return `${counted(tables.length, 'table')}, ${counted(rows, 'row')}`;
}
