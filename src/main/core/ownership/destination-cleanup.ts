import type { DestinationCleanupDto, StrayUploadDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { formatDuration, withDeadline } from '../deadline';
import { createDestinationDriver, type UnfinishedUpload } from '../destinations/destination';
import { cleanUpLeftovers, type CleanupDeps } from './leftover-cleanup';

/**
 * `vaultdesk destination cleanup`: lists and removes what no run accounts for at a destination,
 * stray `.partial` files and S3 multipart uploads under its prefix, older than a limit. What a
 * running run (of any process) is writing is kept; leftovers recorded by runs that did not
 * finish are removed too, whatever their retry schedule.
 */
export async function cleanUpDestination(deps: CleanupDeps, input: { id: string; olderThanHours: number; dryRun: boolean }): Promise<DestinationCleanupDto> {
  const dto = deps.destinations.get(input.id);
  const driver = createDestinationDriver(dto, deps.destinations.secrets(dto.id), { log: deps.log });
  const timeout = (): AppError => new AppError('DESTINATION_UNREACHABLE', `Destination "${dto.name}" did not answer within ${formatDuration(deps.deadlineMs)}.`);
  try {
    const found = await withDeadline(driver.listUnfinished(), deps.deadlineMs, timeout);
    const running = new Set(deps.runs.running().map((r) => r.id));
    const inUse = new Map(deps.leftovers.forDestination(dto.id).filter((l) => running.has(l.runId)).map((l) => [l.key, l.runId]));
    const cutoff = deps.now().getTime() - input.olderThanHours * 3_600_000;
    const items: StrayUploadDto[] = [];
    for (const upload of found) {
      const item = (action: StrayUploadDto['action'], reason: string | null): StrayUploadDto => ({ ...describe(upload), action, reason });
      const owner = inUse.get(upload.key);
      if (owner) items.push(item('kept', `run ${owner} is writing it`));
      else if (upload.since.getTime() > cutoff) items.push(item('kept', `newer than ${input.olderThanHours} h: it may still be in progress`));
      else if (input.dryRun) items.push(item('would-remove', null));
      else {
        try {
          await withDeadline(driver.discard(upload.key, { uploadId: upload.uploadId }), deps.deadlineMs, timeout);
          items.push(item('removed', null));
        } catch (error) {
          items.push(item('failed', error instanceof AppError ? error.message : String(error)));
        }
      }
    }
    let recordedRemoved = 0;
    if (!input.dryRun) {
      const recorded = deps.leftovers.forDestination(dto.id).filter((l) => !running.has(l.runId));
      if (recorded.length > 0) recordedRemoved = (await cleanUpLeftovers(deps, recorded)).removed;
    }
    return { destination: dto.name, dryRun: input.dryRun, items, recordedRemoved };
  } finally {
    await driver.close().catch(() => undefined);
  }
}

function describe(u: UnfinishedUpload): Omit<StrayUploadDto, 'action' | 'reason'> {
  return { key: u.key, kind: u.kind, uploadId: u.uploadId, since: u.since.toISOString(), size: u.size };
}
