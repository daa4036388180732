/**
 * Time as the scheduler sees it: the present and timers. The system clock in hosts; tests give
 * one they move by hand, so no test waits for wall-clock minutes.
 */
export interface SchedulerClock {
  now(): Date;
  setTimer(fire: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => new Date(),
  setTimer: (fire, ms) => setTimeout(fire, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
