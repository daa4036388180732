import type { Logger } from '../logger';

/**
 * Writes part of a running run's record as it happens (a log line, a stage's time, the pre-run
 * hook), so that a run whose process is killed keeps how far it got. A store that cannot be
 * written (a full disk) must not fail a run writing elsewhere: the final record has it all again.
 */
export function keepWhileRunning(log: Logger, runId: string, what: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    log.debug(`could not record a run's ${what}`, { runId, error: String(error) });
  }
}
