/** `1 table`, `2 tables`, `1,234 rows`: a count with its noun, singular for one, digits grouped as the tables show them. */
export function counted(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
