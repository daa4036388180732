/**
 * How long pg_dump waits for the lock on a table another session holds exclusively (ALTER TABLE,
 * TRUNCATE, VACUUM FULL, CLUSTER, REINDEX, LOCK TABLE) before the backup fails. Without a limit
 * a nightly backup behind a forgotten transaction waits for ever, failing nothing and notifying
 * no one, and meanwhile holds its locks on the tables it already took, so a DDL on one of those
 * queues behind it and every query on that table behind the DDL.
 */
export const PG_DUMP_LOCK_WAIT_MS = 10 * 60_000;

/** pg_dump's option for it (milliseconds, which every pg_dump since 9.0 reads). */
export function pgDumpLockWaitArg(waitMs: number): string {
  return `--lock-wait-timeout=${Math.max(1, Math.round(waitMs))}`;
}

/**
 * pg_dump's stderr when it gave up on a lock, in words that say which table, why, and what to do;
 * any other stderr as it is. pg_dump runs its LOCK TABLEs under a statement_timeout of the wait,
 * so it says `canceling statement due to statement timeout` and then the statement,
 * `LOCK TABLE schema.name IN ACCESS SHARE MODE`.
 */
export function pgDumpLockWaitWords(stderr: string, waitMs: number): string {
  const table = /canceling statement due to (?:statement|lock) timeout[\s\S]*?LOCK TABLE (.+?) IN ACCESS SHARE MODE/.exec(stderr)?.[1];
  if (table === undefined) return stderr;
  const what = `table ${table}`;
  return (
    `${what} is locked by another session (ALTER TABLE, TRUNCATE, VACUUM FULL, CLUSTER, REINDEX and LOCK TABLE take such a lock), and pg_dump waited ${waitWords(waitMs)} for it: nothing was backed up. ` +
    `pg_locks and pg_stat_activity on the server show which session holds it; run the backup again once it is released. (${stderr.trim()})`
  );
}

function waitWords(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} second${ms === 1000 ? '' : 's'}`;
  return `${ms} ms`;
}
