import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { STAGE_WORDS } from '../../../shared/domain/runs';
import type { Logger } from '../logger';
import type { LeftoversRepository } from '../store/leftovers-repository';
import type { RunningRun, RunsRepository } from '../store/runs-repository';
import { cleanUpLeftovers, type CleanupDeps } from './leftover-cleanup';
import type { HostProcess } from './host-process';
import type { RestoreTempVerdict } from '../restore/restore-temp-sweep';

export interface ReaperDeps extends CleanupDeps {
  runs: RunsRepository;
  leftovers: LeftoversRepository;
  host: HostProcess;
  tempRoot: string;
  log: Logger;
  /** Which temporary entries are restores', and whether they go (restore-temp-sweep.ts). */
  restoreTemp: RestoreTempVerdict;
}

/** Temp entries that belong to no run (a connection check's, older versions' files) go after this. */
const FOREIGN_TEMP_MS = 60 * 60_000;

/** The words an interrupted run is left with. */
export function interruptedMessage(run: RunningRun, host: HostProcess): string {
  const who = run.ownerPid === null ? 'the process running it' : `the process running it (pid ${run.ownerPid})`;
  const stage = run.stage ? ` while ${STAGE_WORDS[run.stage]}` : '';
  return `The run did not finish: ${who} stopped${stage} (killed, crashed, or the machine went down). Found by ${host.describeSelf()}; anything it left unfinished at its destinations is removed.`;
}

/**
 * What every host does at start, and what makes several processes on one data dir safe: only
 * runs whose owner is gone are marked interrupted, only their temp folders, those of restores no
 * process runs (`restoreTemp`) and old ones nobody owns are removed. A run whose owner is alive is never touched. Synchronous and local;
 * the destinations are cleaned by `cleanDueLeftovers`.
 */
export function reapAbandoned(deps: ReaperDeps): RunningRun[] {
  const { runs, host, now } = deps;
  const interrupted = runs.interruptAbandoned((id) => host.isAlive(id), now().toISOString(), (r) => interruptedMessage(r, host));
  for (const r of interrupted) deps.log.warn('a run was interrupted when its process stopped', { runId: r.id, job: r.jobName, pid: r.ownerPid });
  host.pruneDead();
  sweepTempFolders(deps, new Set(runs.running().map((r) => r.id)));
  return interrupted;
}

function sweepTempFolders(deps: ReaperDeps, running: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(deps.tempRoot);
  } catch {
    return;
  }
  for (const name of entries) {
    const full = path.join(deps.tempRoot, name);
    const run = /^run-(.+)$/.exec(name);
    const restore = deps.restoreTemp(name);
    // A run's or a restore's entry goes with it; anything else (a connection check's, older versions') once it is old.
    const remove = run ? !running.has(run[1]!) : restore !== null ? restore === 'remove' : isOlderThan(full, FOREIGN_TEMP_MS, deps.now());
    if (!remove) continue;
    try {
      rmSync(full, { recursive: true, force: true });
    } catch (error) {
      // One entry that cannot go must not keep the others, or the destinations' cleanup after, from running.
      deps.log.warn('could not remove a temporary file nobody owns', { path: full, error: String(error) });
    }
  }
}

function isOlderThan(file: string, ms: number, now: Date): boolean {
  try {
    return now.getTime() - statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

/** Cleans the destinations of runs that did not finish, where due (optionally only one run's). */
export async function cleanDueLeftovers(deps: CleanupDeps, runId?: string): Promise<void> {
  const due = deps.leftovers.claimDue(deps.now(), runId);
  if (due.length > 0) await cleanUpLeftovers(deps, due);
}
