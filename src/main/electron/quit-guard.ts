import type { Logger } from '../core/logger';

/**
 * How a quit was asked for: the app's Quit (menu, Cmd+Q: `before-quit`), closing the last
 * window where that quits, or a signal from the system (SIGTERM at logout, SIGINT in a
 * terminal), which cannot wait for an answer.
 */
export type QuitRequest = 'quit' | 'last-window' | 'signal';

export type QuitPhase = 'open' | 'asking' | 'stopping' | 'done';

export interface QuitGuardDeps {
  /** This process's runs in progress. */
  activeRuns(): readonly string[];
  /** Asks whether to quit and cancel `count` runs; `signal` closes the question as if answered no. */
  confirm(count: number, signal: AbortSignal): Promise<boolean>;
  /** Cancels the runs, waits until each recorded its end, then closes the store. */
  stop(): Promise<void>;
  /** Quits for real (app.quit); the guard lets that one through. */
  quit(): void;
  log: Logger;
  /** Past this, the app quits even though stopping has not finished (a hung store, say). */
  deadlineMs: number;
}

/**
 * Decides what a quit does while backups may run: with none, the store is closed and the app
 * quits; with some, the user is asked first (a signal does not ask), and on yes every run is
 * cancelled and records its end before the store closes and the app quits. Electron's events
 * are preventable only synchronously, so `request` answers at once whether to hold the quit,
 * and finishes the work later, quitting again through `deps.quit` when it is done.
 */
export class QuitGuard {
  #phase: QuitPhase = 'open';
  #question: AbortController | null = null;

  constructor(private readonly deps: QuitGuardDeps) {}

  get phase(): QuitPhase {
    return this.#phase;
  }

  /** True: hold the quit (or the window close) back; false: let it go ahead now. */
  request(how: QuitRequest): boolean {
    switch (this.#phase) {
      case 'done':
        return false;
      case 'stopping':
        // A second Quit while runs wind down changes nothing; a closing window may close.
        return how !== 'last-window';
      case 'asking':
        if (how === 'signal') {
          this.#question?.abort();
          void this.#stop();
        }
        return true;
      case 'open': {
        const runs = this.deps.activeRuns().length;
        if (how === 'last-window') {
          // No run: the window closes, and quitting follows through window-all-closed.
          if (runs === 0) return false;
          this.#ask(runs);
          return true;
        }
        if (runs === 0 || how === 'signal') void this.#stop();
        else this.#ask(runs);
        return true;
      }
    }
  }

  #ask(runs: number): void {
    this.#phase = 'asking';
    const question = new AbortController();
    this.#question = question;
    this.deps.confirm(runs, question.signal).then(
      (yes) => {
        if (this.#phase !== 'asking' || this.#question !== question) return;
        this.#question = null;
        if (yes) void this.#stop();
        else this.#phase = 'open';
      },
      (error: unknown) => {
        this.deps.log.error('could not ask whether to quit', { error: String(error) });
        if (this.#phase === 'asking' && this.#question === question) this.#phase = 'open';
      },
    );
  }

  async #stop(): Promise<void> {
    this.#phase = 'stopping';
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.deps.deadlineMs);
    });
    try {
      const outcome = await Promise.race([this.deps.stop().then(() => 'stopped' as const), deadline]);
      if (outcome === 'late') this.deps.log.error('quitting before the runs finished stopping', { waitedMs: this.deps.deadlineMs });
    } catch (error) {
      this.deps.log.error('stopping the runs failed; quitting anyway', { error: String(error) });
    } finally {
      clearTimeout(timer);
    }
    this.#phase = 'done';
    this.deps.quit();
  }
}

/** The question put before quitting cancels runs; Cancel (keep running) is the default. */
export function quitQuestion(
  runs: number,
  /** How many of `runs` are restores or drills. */
  restores = 0,
): {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
} {
  const one = runs === 1;
  if (restores > 0) {
    const what = restores === runs ? (one ? 'A restore is' : `${runs} restores are`) : `${runs} backups and restores are`;
    return {
      type: 'warning',
      title: 'Quit Vaultdesk',
      message: `${what} running: quit and cancel ${one ? 'it' : 'them'}?`,
      detail: 'A cancelled restore leaves its target database as it was and drops the copy it was restoring; a cancelled backup keeps nothing.',
      buttons: ['Cancel', one ? 'Quit and cancel it' : 'Quit and cancel them'],
      defaultId: 0,
      cancelId: 0,
    };
  }
  return {
    type: 'warning',
    title: 'Quit Vaultdesk',
    message: one ? 'A backup is running: quit and cancel it?' : `${runs} backups are running: quit and cancel them?`,
    detail: `Quitting cancels ${one ? 'the run' : 'every run'}: nothing is kept, and what ${one ? 'it has' : 'they have'} written so far is removed.`,
    buttons: ['Cancel', one ? 'Quit and cancel the backup' : 'Quit and cancel the backups'],
    defaultId: 0,
    cancelId: 0,
  };
}

/** Index of the quit button in `quitQuestion(...).buttons`. */
export const QUIT_BUTTON = 1;
