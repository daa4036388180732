import type { SchedulerClock } from '../scheduler/scheduler-clock';

/** A clock the test moves by hand: timers fire in order as time is advanced, never on their own. */
export class FakeClock implements SchedulerClock {
  #now: number;
  #timers: { id: number; at: number; fire: () => void }[] = [];
  #next = 0;

  constructor(start: Date | string) {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  setTimer(fire: () => void, ms: number): unknown {
    const id = ++this.#next;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), fire });
    return id;
  }

  clearTimer(timer: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== timer);
  }

  /** Moves time forward by `ms`, firing each timer that falls due, at its own instant. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fire();
    }
    this.#now = end;
  }

  /** Moves time forward without firing anything: the machine was asleep. */
  jump(ms: number): void {
    this.#now += ms;
  }

  /** Timers waiting, for assertions. */
  get pending(): number {
    return this.#timers.length;
  }
}
