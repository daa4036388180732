import { AppError } from '../../../shared/ipc/result';

/** Runs one statement on a maintenance connection and gives the first column of its first row (null when none). */
export type FirstValue = (sql: string) => Promise<string | null>;

/** How long ended sessions get to go before the swap is tried anyway (it then says the database is in use). */
const SESSIONS_GONE_MS = 10_000;

export interface EndedSessions {
  ended: number;
  /** Gives connections back, should the swap not happen; null when the database refused them before. */
  reopen: string | null;
}

/**
 * Ends the other sessions on `target` before a swap (restoreStart.endSessions). New connections are
 * refused first (ALLOW_CONNECTIONS false), so an application's pool cannot connect again between
 * the end and the rename; the database that replaces it allows them as it did. pg_terminate_backend
 * only signals a backend: its session is waited for, up to SESSIONS_GONE_MS. `quoted` is the
 * name as an identifier, `literal` as a string literal.
 */
export async function endPgSessions(target: string, quoted: string, literal: string, endpoint: string, first: FirstValue): Promise<EndedSessions> {
  const allowed = (await first(`SELECT datallowconn::text FROM pg_database WHERE datname = ${literal}`)) === 'true';
  const reopen = allowed ? `ALTER DATABASE ${quoted} ALLOW_CONNECTIONS true` : null;
  try {
    if (allowed) await first(`ALTER DATABASE ${quoted} ALLOW_CONNECTIONS false`);
    // The clients' sessions, as the warning counts them (PG_OTHER_SESSIONS): autovacuum's workers the rename stops itself.
    const sessions = `FROM pg_stat_activity WHERE datname = ${literal} AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
    const ended = Number(await first(`SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) ${sessions}`));
    for (const until = Date.now() + SESSIONS_GONE_MS; Date.now() < until; ) {
      if (Number(await first(`SELECT count(*) ${sessions}`)) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { ended, reopen };
  } catch (error) {
    if (reopen) await first(reopen).catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    throw new AppError('RESTORE_FAILED', `Could not end the sessions connected to ${target} on ${endpoint}: ${why}. ${target} was left as it was.`, { database: target, reason: 'end-sessions' });
  }
}

