import { AppError } from '../../../shared/ipc/result';
import { formatDuration, withDeadline } from '../deadline';
import { createDestinationDriver, type DestinationDriver } from '../destinations/destination';
import type { Logger } from '../logger';
import { isManifestKey, manifestKey } from '../pipeline/manifest';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { Leftover, LeftoversRepository } from '../store/leftovers-repository';
import type { RunsRepository } from '../store/runs-repository';

export interface CleanupDeps {
  leftovers: LeftoversRepository;
  runs: RunsRepository;
  destinations: DestinationsRepository;
  now: () => Date;
  log: Logger;
  /** Bound on one destination's cleanup (connect, list, remove). */
  deadlineMs: number;
}

/**
 * Removes what runs that did not finish left at their destinations, from what they recorded
 * before writing: `.partial` files, multipart uploads, and an object whose manifest was never
 * written (no manifest, no backup). A committed manifest means a complete backup: it stays.
 * Each run's log says what was done; what could not be reached is retried later.
 */
export async function cleanUpLeftovers(deps: CleanupDeps, entries: Leftover[]): Promise<{ removed: number; failed: number }> {
  const byDestination = new Map<string, Leftover[]>();
  for (const e of entries) byDestination.set(e.destinationId, [...(byDestination.get(e.destinationId) ?? []), e]);
  const outcomes = await Promise.all([...byDestination].map(([id, list]) => cleanDestination(deps, id, list)));
  return outcomes.reduce((sum, o) => ({ removed: sum.removed + o.removed, failed: sum.failed + o.failed }), { removed: 0, failed: 0 });
}

async function cleanDestination(deps: CleanupDeps, destinationId: string, entries: Leftover[]): Promise<{ removed: number; failed: number }> {
  const done: Leftover[] = [];
  let name = destinationId;
  let driver: DestinationDriver | null = null;
  try {
    const dto = deps.destinations.get(destinationId);
    name = dto.name;
    driver = createDestinationDriver(dto, deps.destinations.secrets(destinationId), { log: deps.log });
    const open = driver;
    const work = async (): Promise<void> => {
      // Object keys before their manifests: whether an object is committed depends on its manifest.
      for (const entry of [...entries].sort((a, b) => Number(isManifestKey(a.key)) - Number(isManifestKey(b.key)))) {
        await open.discard(entry.key, { uploadId: entry.uploadId });
        if (!isManifestKey(entry.key) && (await open.stat(entry.key)) && !(await open.stat(manifestKey(entry.key)))) await open.delete(entry.key);
        deps.leftovers.removed(entry);
        done.push(entry);
      }
    };
    await withDeadline(work(), deps.deadlineMs, () => new AppError('DESTINATION_UNREACHABLE', `Destination "${name}" did not answer within ${formatDuration(deps.deadlineMs)}.`));
  } catch (error) {
    const message = error instanceof AppError ? error.message : String(error);
    const left = entries.filter((e) => !done.includes(e));
    const when = new Map<string, Date>();
    for (const e of left) when.set(e.runId, deps.leftovers.failed(e, message, deps.now()));
    for (const [runId, next] of when) {
      note(deps, runId, 'warn', `Could not remove what this run left unfinished on destination "${name}": ${message} Vaultdesk tries again when it next starts after ${next.toISOString()}, or run vaultdesk destination cleanup ${name}.`);
    }
    deps.log.warn('leftover cleanup failed', { destination: name, error: message });
  } finally {
    await driver?.close().catch(() => undefined);
  }
  for (const runId of new Set(done.map((e) => e.runId))) {
    if (!entries.some((e) => e.runId === runId && !done.includes(e))) note(deps, runId, 'info', `Removed what this run left unfinished on destination "${name}".`);
  }
  return { removed: done.length, failed: entries.length - done.length };
}

function note(deps: CleanupDeps, runId: string, level: 'info' | 'warn', message: string): void {
  try {
    deps.runs.appendLog(runId, { time: deps.now().toISOString(), level, message });
  } catch {
    // The run record may be gone (deleted job's run pruned); the cleanup itself is what matters.
  }
}
