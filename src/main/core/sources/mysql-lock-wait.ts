import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../shared/ipc/result';

/**
 * How the swap waits for the target's tables. RENAME TABLE and DROP TRIGGER need every other
 * session off those tables (an open transaction that read one keeps its metadata lock until it
 * ends), and while they wait every new query on those tables queues behind them: with the
 * server's default lock_wait_timeout (a year) an application would stall for as long as one idle
 * transaction stays open, and the restore with it. So, as online schema tools do at their
 * cut-over, each try waits briefly, the queued queries run between tries, and after the last one
 * the restore fails, the target as it was.
 */
export const MYSQL_SWAP_LOCK_WAIT = { seconds: 2, tries: 4, pauseMs: 1000 };

/** The statements that bound, then give back, a session's wait for a table's lock. */
export const SHORT_LOCK_WAIT_SQL = `SET SESSION lock_wait_timeout = ${MYSQL_SWAP_LOCK_WAIT.seconds}`;
export const DEFAULT_LOCK_WAIT_SQL = 'SET SESSION lock_wait_timeout = DEFAULT';

/** ER_LOCK_WAIT_TIMEOUT, which a metadata lock's wait ends with too. */
export const ER_LOCK_WAIT_TIMEOUT = 1205;

/** Also when wrapped (MysqlObjectNotMade keeps the server's error as its cause). */
export function isLockWaitTimeout(error: unknown): boolean {
  const e = error as { errno?: unknown; cause?: unknown } | null;
  return e?.errno === ER_LOCK_WAIT_TIMEOUT || (e?.cause !== undefined && isLockWaitTimeout(e.cause));
}

/** Runs `step` again while another session's lock makes it time out, up to the tries, pausing between them. */
export async function retryLockWaits<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!isLockWaitTimeout(error) || attempt >= MYSQL_SWAP_LOCK_WAIT.tries) throw error;
      await sleep(MYSQL_SWAP_LOCK_WAIT.pauseMs);
    }
  }
}

/**
 * The swap gave up on another session's lock: RESTORE_FAILED, reason in-use, as PostgreSQL's open
 * sessions are. `sessionsEnded`: the restore had ended the sessions it could find
 * (endMysqlSessions), so the holder is one this server does not show.
 */
export function mysqlTargetInUse(target: string, endpoint: string, sessionsEnded = false): AppError {
  const { tries, seconds } = MYSQL_SWAP_LOCK_WAIT;
  const held = `The swap waited for them ${tries} times for ${seconds} s, and no longer, since every other query on those tables waits behind it meanwhile. ${target} was left as it was.`;
  return new AppError(
    'RESTORE_FAILED',
    sessionsEnded
      ? `Database ${target} on ${endpoint} is in use: a session still holds a lock on its tables after the restore ended those it could find (whose current database is ${target}, and the lock holders the server shows). ${held} A connection holding them from another current database is not shown by a server without performance_schema's metadata locks (performance_schema on, instrument wait/lock/metadata/sql/mdl) or MariaDB's metadata_lock_info plugin: turn one on, or end the open transactions yourself (information_schema.INNODB_TRX lists them), and restore again.`
      : `Database ${target} on ${endpoint} is in use: another session holds a lock on its tables (an open transaction, or a query still running). ${held} End those transactions (information_schema.INNODB_TRX lists the open ones), or stop the application using it, and restore again; or let the restore end the connections using ${target} at the swap (vaultdesk restore --end-sessions; in the app, "End its sessions at the swap").`,
    { database: target, reason: 'in-use' },
  );
}
