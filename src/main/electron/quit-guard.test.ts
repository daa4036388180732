import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger';
import { QUIT_BUTTON, QuitGuard, quitQuestion, type QuitGuardDeps } from './quit-guard';

/** A guard over a pretend app: runs, the answer the user will give, and what happened in order. */
function setup(options: { runs?: string[]; stopMs?: number; deadlineMs?: number; stopFails?: boolean } = {}) {
  const runs = [...(options.runs ?? [])];
  const events: string[] = [];
  const answers: { resolve: (yes: boolean) => void; signal: AbortSignal }[] = [];
  const errors: string[] = [];
  const deps: QuitGuardDeps = {
    activeRuns: () => runs,
    confirm: (count, signal) =>
      new Promise<boolean>((resolve) => {
        events.push(`asked ${count}`);
        answers.push({ resolve, signal });
        signal.addEventListener('abort', () => {
          events.push('question closed');
          resolve(false);
        });
      }),
    stop: async () => {
      events.push('stopping');
      await new Promise((r) => setTimeout(r, options.stopMs ?? 0));
      if (options.stopFails) throw new Error('store is locked');
      runs.length = 0;
      events.push('stopped');
    },
    quit: () => events.push('quit'),
    log: { ...silentLogger, error: (message) => void errors.push(message) },
    deadlineMs: options.deadlineMs ?? 5_000,
  };
  const guard = new QuitGuard(deps);
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, (options.stopMs ?? 0) + 20));
  return { guard, events, answers, errors, settle };
}

describe('QuitGuard', () => {
  it('with no run, holds the quit only while the store closes, then quits and lets the second quit through', async () => {
    const { guard, events, settle } = setup();
    expect(guard.request('quit')).toBe(true);
    await settle();
    expect(events).toEqual(['stopping', 'stopped', 'quit']);
    expect(guard.phase).toBe('done');
    expect(guard.request('quit')).toBe(false);
    expect(guard.request('last-window')).toBe(false);
  });

  it('with no run, lets the last window close without asking (quitting follows from window-all-closed)', () => {
    const { guard, events } = setup();
    expect(guard.request('last-window')).toBe(false);
    expect(events).toEqual([]);
    expect(guard.phase).toBe('open');
  });

  it('during a run asks; Cancel keeps the app and the run going, and a later quit asks again', async () => {
    const { guard, events, answers, settle } = setup({ runs: ['r1'] });
    expect(guard.request('quit')).toBe(true);
    expect(guard.phase).toBe('asking');
    // Quit pressed again while the question is up: one question only.
    expect(guard.request('quit')).toBe(true);
    expect(guard.request('last-window')).toBe(true);
    answers[0]!.resolve(false);
    await settle();
    expect(guard.phase).toBe('open');
    expect(events).toEqual(['asked 1']);

    expect(guard.request('last-window')).toBe(true);
    expect(events).toEqual(['asked 1', 'asked 1']);
  });

  it('during runs, on yes cancels them and waits for them to stop before quitting', async () => {
    const { guard, events, answers, settle } = setup({ runs: ['r1', 'r2'], stopMs: 50 });
    expect(guard.request('last-window')).toBe(true);
    answers[0]!.resolve(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(guard.phase).toBe('stopping');
    // Another Quit while stopping is held; the window may close meanwhile.
    expect(guard.request('quit')).toBe(true);
    expect(guard.request('last-window')).toBe(false);
    expect(events).toEqual(['asked 2', 'stopping']);
    await settle();
    expect(events).toEqual(['asked 2', 'stopping', 'stopped', 'quit']);
    expect(guard.request('quit')).toBe(false);
  });

  it('on a signal stops without asking, and a signal while the question is up closes it and stops', async () => {
    const direct = setup({ runs: ['r1'] });
    expect(direct.guard.request('signal')).toBe(true);
    await direct.settle();
    expect(direct.events).toEqual(['stopping', 'stopped', 'quit']);

    const asking = setup({ runs: ['r1'] });
    asking.guard.request('quit');
    expect(asking.guard.request('signal')).toBe(true);
    await asking.settle();
    expect(asking.events).toEqual(['asked 1', 'question closed', 'stopping', 'stopped', 'quit']);
    expect(asking.answers[0]!.signal.aborted).toBe(true);
  });

  it('quits anyway, saying so, when stopping fails or outlasts the deadline', async () => {
    const failing = setup({ stopFails: true });
    failing.guard.request('quit');
    await failing.settle();
    expect(failing.events).toEqual(['stopping', 'quit']);
    expect(failing.errors).toEqual(['stopping the runs failed; quitting anyway']);

    const slow = setup({ runs: ['r1'], stopMs: 500, deadlineMs: 30 });
    slow.guard.request('signal');
    await new Promise((r) => setTimeout(r, 200));
    expect(slow.events).toEqual(['stopping', 'quit']);
    expect(slow.errors).toEqual(['quitting before the runs finished stopping']);
  });
});

describe('quitQuestion', () => {
  it('asks in words, with Cancel as the default and the escape answer', () => {
    const one = quitQuestion(1);
    expect(one.message).toBe('A backup is running: quit and cancel it?');
    expect(one.buttons[one.defaultId]).toBe('Cancel');
    expect(one.cancelId).toBe(one.defaultId);
    expect(one.buttons[QUIT_BUTTON]).toBe('Quit and cancel the backup');
    expect(quitQuestion(3).message).toBe('3 backups are running: quit and cancel them?');
    expect(quitQuestion(1, 1).message).toBe('A restore is running: quit and cancel it?');
    expect(quitQuestion(1, 1).detail).toContain('leaves its target database as it was');
    expect(quitQuestion(3, 1).message).toBe('3 backups and restores are running: quit and cancel them?');
  });
});
