import type { EventChannel } from '../../shared/ipc/channels';
import type { EventPayload } from '../../shared/ipc/contract';
import type { Core } from '../core/create-core';

export interface FollowBar<P extends EventChannel> {
  format: string;
  /** The bar's fields before the first progress event. */
  initial: Record<string, string>;
  /** Where the bar stands after a progress event. */
  at(progress: EventPayload<P>): { value: number; total: number; fields: Record<string, string> };
}

export interface FollowSpec<F extends EventChannel, P extends EventChannel> {
  /** What is cancelled on Ctrl-C, in words ("run", "restore"). */
  noun: string;
  finished: F;
  finishedId(done: EventPayload<F>): string;
  progress: P;
  progressId(progress: EventPayload<P>): string;
  /** Starts the work; answers its id. */
  start(): Promise<string>;
  /** Asks for a cancel; a thing that ends on its own meanwhile refuses it, and its record says how it ended. */
  cancel(id: string): void;
  /** A progress bar, on a terminal; null elsewhere. */
  bar: FollowBar<P> | null;
}

/** Set once a signal has asked for a cancel: a CANCELLED end then exits 130, as scripts expect of Ctrl-C. */
let interruptedBySignal = false;

/** The exit code of a command whose run or restore ended CANCELLED: 130 when a signal asked for it. */
export function cancelledExitCode(): number {
  return interruptedBySignal ? 130 : 1;
}

/**
 * Starts a run or a restore in this process and waits for its finished event, drawing a progress
 * bar on a terminal; SIGINT and SIGTERM ask for a cancel, and the wait goes on until the record of
 * how it ended arrives. A second signal does not end the process: killed mid-cancel, it would
 * leave what the cancel cleans up (a database created for a restore, a partial upload) and a
 * record the next start calls interrupted. The cancel itself is bounded (the worker's grace period).
 */
export async function followToEnd<F extends EventChannel, P extends EventChannel>(core: Core, spec: FollowSpec<F, P>): Promise<EventPayload<F>> {
  let id: string | null = null;
  // Listen before it starts: a refused or tiny one may finish before the start call answers.
  let resolveFinished: (done: EventPayload<F>) => void = () => undefined;
  const finished = new Promise<EventPayload<F>>((resolve) => (resolveFinished = resolve));
  const early = new Map<string, EventPayload<F>>();
  const offFinished = core.events.on(spec.finished, (done) => {
    const doneId = spec.finishedId(done);
    if (doneId === id) resolveFinished(done);
    else if (id === null) early.set(doneId, done);
  });
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = spec.bar ? new SingleBar({ format: spec.bar.format, hideCursor: true, clearOnComplete: true }, Presets.shades_classic) : null;
  const offProgress = core.events.on(spec.progress, (p) => {
    if (!bar || !spec.bar || spec.progressId(p) !== id) return;
    const at = spec.bar.at(p);
    bar.setTotal(Math.max(1, at.total));
    bar.update(at.value, at.fields);
  });
  let cancelling = false;
  const onSignal = (): void => {
    interruptedBySignal = true;
    if (cancelling) {
      process.stderr.write(`Still cancelling the ${spec.noun}: it is cleaning up what it started, and ends on its own.\n`);
      return;
    }
    cancelling = true;
    process.stderr.write(`\nCancelling the ${spec.noun}...\n`);
    spec.cancel(id!);
  };
  try {
    // Before it has started, a signal ends the command as any other would: nothing is recorded yet.
    id = await spec.start();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const already = early.get(id);
    if (already) resolveFinished(already);
    if (bar && spec.bar) bar.start(1, 0, spec.bar.initial);
    return await finished;
  } finally {
    offFinished();
    offProgress();
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
