/**
 * Ends the connections on `target` before a swap (SwapOptions.endSessions): those whose current
 * database it is, and those holding a metadata lock on it from another current database (an open
 * transaction that read `target.orders` while in `app`, say). The locks are read where the server
 * shows them: performance_schema.metadata_locks (MySQL 8's default; MariaDB's with
 * performance_schema on and its mdl instrument enabled), and MariaDB's METADATA_LOCK_INFO (its
 * metadata_lock_info plugin). A server with neither shows current databases only; a holder from
 * elsewhere then keeps the swap's short lock waits from ending, which say the database is in use.
 * KILL CONNECTION goes one at a time, since one that ended meanwhile is refused ("Unknown thread
 * id") and the rest must still go. `literal` is the name as a string literal; `column` runs a
 * query and gives its first column. Returns how many were ended.
 */
export async function endMysqlSessions(literal: string, column: (sql: string) => Promise<string[]>): Promise<number> {
  const found = [await column(`SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ${literal} AND ID <> CONNECTION_ID()`)];
  for (const sql of [
    `SELECT t.PROCESSLIST_ID FROM performance_schema.metadata_locks m JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID WHERE m.OBJECT_SCHEMA = ${literal} AND m.LOCK_STATUS = 'GRANTED' AND t.PROCESSLIST_ID <> CONNECTION_ID()`,
    `SELECT THREAD_ID FROM information_schema.METADATA_LOCK_INFO WHERE TABLE_SCHEMA = ${literal} AND THREAD_ID <> CONNECTION_ID()`,
  ]) {
    // The lock views are optional: a server without them (or without the rights to read them) answers with an error.
    found.push(await column(sql).catch((): string[] => []));
  }
  const ids = [...new Set(found.flat().map(Number).filter((id) => Number.isSafeInteger(id) && id > 0))];
  let ended = 0;
  for (const id of ids) {
    if (await column(`KILL CONNECTION ${id}`).then(() => true, () => false)) ended += 1;
  }
  return ended;
}
