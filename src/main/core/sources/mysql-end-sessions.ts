/**
 * Ends the connections whose current database is `target` before a swap (SwapOptions.endSessions):
 * KILL CONNECTION for each, one at a time, since one that ended meanwhile is refused ("Unknown
 * thread id") and the rest must still go. A connection that holds a lock on its tables from
 * another current database is not found this way; the swap's short lock waits then say it is in
 * use. `literal` is the name as a string literal; `column` runs a query and gives its first column.
 * Returns how many were ended.
 */
export async function endMysqlSessions(literal: string, column: (sql: string) => Promise<string[]>): Promise<number> {
  const ids = (await column(`SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ${literal} AND ID <> CONNECTION_ID()`)).map(Number).filter(Number.isSafeInteger);
  let ended = 0;
  for (const id of ids) {
    if (await column(`KILL CONNECTION ${id}`).then(() => true, () => false)) ended += 1;
  }
  return ended;
}
