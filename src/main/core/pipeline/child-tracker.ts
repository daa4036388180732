import type { ChildProcess } from 'node:child_process';

type ChildListener = (event: { pid: number; exited: boolean }) => void;

let listener: ChildListener | null = null;

/**
 * The pipeline worker tells the host which processes it started (dump tools, 7-Zip): a worker
 * that has to be stopped outright does not take its children with it, so the host kills them.
 */
export function setChildListener(next: ChildListener | null): void {
  listener = next;
}

export function trackChild(child: ChildProcess): void {
  const report = listener;
  if (!report || child.pid === undefined) return;
  const pid = child.pid;
  report({ pid, exited: false });
  child.once('exit', () => report({ pid, exited: true }));
}
