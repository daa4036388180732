/** `1 table`, `2 tables`, `1,234 rows`: a count with its noun, singular for one, digits grouped as the tables show them. */
export function counted(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** Each non-zero count with its noun, in order: `[1, 0, 2]` of view, trigger, routine -> `1 view`, `2 routines`. */
export function countedEach(counts: readonly number[], nouns: readonly string[]): string[] {
  return counts.flatMap((n, i) => (n > 0 ? [counted(n, nouns[i]!)] : []));
}

/**
 * What a restore target holds, in words: `2 tables`, `1 view and 2 routines`; empty when nothing a
 * restore into it would replace. `others`: what else it holds (MySQL/MariaDB's views, routines,
 * events, which a replacing restore cannot keep), already in words.
 */
export function holdingWords(target: { tables: number; others: readonly string[] }): string {
  return andList([...(target.tables > 0 ? [counted(target.tables, 'table')] : []), ...target.others]);
}

/** `a`, `a and b`, `a, b and c`; empty for none. */
export function andList(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}` : (words[0] ?? '');
}

/** `3 tables, 1,234 rows` of a restored database; null: its rows could not be counted. */
export function tableWords(tables: readonly { rows: number }[] | null): string {
  if (tables === null) return 'rows not counted';
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  return `${counted(tables.length, 'table')}, ${counted(rows, 'row')}`;
}

/**
 * A PostgreSQL database a restore is to replace, with `sessions` other clients connected: the swap at
 * the restore's end refuses it while any is, so they must be gone by then. Said as the restore starts
 * and in the wizard's review.
 */
export function sessionsWarningWords(database: string, sessions: number, engine: 'postgres' | 'sqlite' = 'postgres'): string {
  if (engine === 'sqlite')
    return `${database} is open in ${sessions === 1 ? 'another process' : `${sessions.toLocaleString('en-US')} other processes`} now. A restore puts a new file in its place, and a program that keeps the old one open goes on writing to that one, so what it writes would be lost: stop ${sessions === 1 ? 'it' : 'them'} (or close the database there) before the restore finishes, or it will stop before replacing ${database}, leaving it as it was.`;
  return `${database} has ${counted(sessions, 'other session')} connected now. PostgreSQL cannot replace a database while any session is connected to it: close ${sessions === 1 ? 'it' : 'them'} (or stop the application using it) before the restore finishes, or it will stop at the swap, leaving ${database} as it was.`;
}

/** What a restore replacing `database` says while other databases' foreign keys to its tables can still be dropped (MySQL/MariaDB refuse the swap otherwise). */
export function referencedWarningWords(database: string, references: readonly string[]): string {
  return `Tables of other databases refer to ${database}'s tables by foreign key (${references.join(', ')}): MySQL/MariaDB would move those keys with the tables a swap moves out, so the restore will not put its copy in place of ${database} while they do. Drop them before it finishes, or restore under another name.`;
}

/**
 * Which tables of a drill differ, in words: `1 of the 2 tables in the backup`, and the tables only
 * the source has now (made since the backup), which the backup's count does not include.
 */
export function drillDifferenceWords(drill: { tables: number; differences: readonly { inBackup: number | null }[] }): string {
  const inBackup = drill.differences.filter((d) => d.inBackup !== null).length;
  const onlyNow = drill.differences.length - inBackup;
  const fromBackup = inBackup > 0 || onlyNow === 0 ? `${inBackup} of the ${counted(drill.tables, 'table')} in the backup` : '';
  const since = onlyNow > 0 ? `${counted(onlyNow, 'table')} not in it` : '';
  return [fromBackup, since].filter(Boolean).join(' and ');
}

/** What the restore wizard says of a target another restore is writing into now (restore:start refuses a second one). */
export function restoringWarningWords(database: string, restoring: { restoreId: string; requestedBy: string }): string {
  return `A restore into ${database} is running now (restore ${restoring.restoreId}, by ${restoring.requestedBy}): a second one is refused until it ends. Wait for it, or cancel it in the restore history on the Recovery page.`;
}
