import type { AppError } from '../../shared/ipc/result';

/**
 * Runs `work` but gives up after `ms`: the result is `timeout()`'s error, and `work`'s signal is
 * aborted so it can stop what it started. For operations on storage or networks that may never
 * answer; the work itself may go on in the background until its own timeouts end it.
 */
export async function withDeadline<T>(ms: number, timeout: () => AppError, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = timeout();
      controller.abort(error);
      reject(error);
    }, ms);
  });
  const running = work(controller.signal);
  // A late failure of the abandoned work must not surface as an unhandled rejection.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}
