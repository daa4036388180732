/**
 * Blocks this thread (no timers, no I/O callbacks, no messages) until `check` holds or `limitMs`
 * passed; true when `check` held. For tests that prove work runs on another thread: blocked
 * here, only a worker can make `check` true.
 */
export function blockUntil(check: () => boolean, limitMs: number): boolean {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) return false;
    Atomics.wait(cell, 0, 0, 20);
  }
  return true;
}
