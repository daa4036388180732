import type { JobDto, RetentionPolicy } from '../../../shared/domain/dto';
import { describeRetention, type RetentionPreviewDto } from '../../../shared/domain/retention';
import type { RunDto, RunRetentionDto } from '../../../shared/domain/runs';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';
import { deleteBackup, pinnedAtDestinationMessage, type DeleteBackupDeps } from '../backups/delete-backup';
import type { DestinationDriver } from '../destinations/destination';
import { storedDestinationDriver, withStoredDestinationDriver } from '../destinations/stored-destination-driver';
import type { StoredBackup } from '../store/backups-repository';
import type { JobsRepository } from '../store/jobs-repository';
import type { RunsRepository } from '../store/runs-repository';
import type { RetentionDecision } from './retention-policy';
import { decideRetention, PINNED_AT_DESTINATION_REASON, pinsAtDestination } from './retention-selection';

export interface RetentionDeps extends DeleteBackupDeps {
  jobs: JobsRepository;
  runs: RunsRepository;
  now: () => Date;
  /** This machine's time zone: the calendar of jobs that name none, as their schedule runs on it too. */
  timeZone: string;
}

type LogEntry = RunDto['log'][number];

/** After these, the other deletes at the destination would fail the same way (or wait as long): stop. */
const DESTINATION_WIDE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'DESTINATION_UNREACHABLE',
  'DESTINATION_AUTH_FAILED',
  'DESTINATION_LOCKED',
  'HOST_KEY_CHANGED',
  'MASTER_KEY_MISMATCH',
  'MASTER_KEY_MISSING',
  'MASTER_KEY_UNAVAILABLE',
  'SECRET_CORRUPT',
]);

/** A job's retention policy, previewed or applied to its backups at each of its destinations. */
export class RetentionService {
  constructor(private readonly deps: RetentionDeps) {}

  /**
   * What the policy would keep and delete now, per destination and database, with the rules that
   * keep each backup; deletes nothing. `policy` previews another policy than the saved one (a form
   * about to change it); undefined means the saved one.
   */
  async preview(jobId: string, policy?: RetentionPolicy | null): Promise<RetentionPreviewDto> {
    const job = this.deps.jobs.get(jobId);
    const timeZone = this.#timeZoneOf(job);
    const applied = policy === undefined ? job.retention : policy;
    const destinations = await Promise.all(
      job.destinationIds.map(async (destinationId): Promise<RetentionPreviewDto['destinations'][number]> => {
        const destination = this.deps.destinations.get(destinationId);
        const stored = this.deps.backups.listFor(job.id, destinationId);
        let pinned = new Map<string, unknown>();
        let pinsNotRead: string | null = null;
        try {
          pinned = await withStoredDestinationDriver(this.deps, destination, (driver) => pinsAtDestination(driver, stored.map((b) => b.key), this.deps.now()));
        } catch (error) {
          // The run reads each backup's pin again before deleting it, so it keeps such a backup all the same.
          pinsNotRead = `The pins kept at destination "${destination.name}" could not be read (${asAppError(error).message}), so a backup pinned there by another Vaultdesk that shares it is shown as this data dir knows it; a run still keeps it.`;
        }
        const databases = new Map<string, RetentionPreviewDto['destinations'][number]['databases'][number]>();
        for (const d of decideRetention(stored, pinned, applied, timeZone)) {
          const { id, key, database, createdAt, pinned: isPinned } = d.backup;
          if (!databases.has(database)) databases.set(database, { database, backups: [] });
          databases.get(database)!.backups.push({ id, key, database, createdAt, pinned: isPinned, action: d.action, reasons: d.reasons });
        }
        return { destinationId, destination: destination.name, pinsNotRead, databases: [...databases.values()] };
      }),
    );
    return { jobId: job.id, jobName: job.name, policy: applied, timeZone, destinations };
  }

  /**
   * After a successful run of a job with a policy: at each of the job's destinations, deletes the
   * backups the policy lets go, never the ones this run made, and records on the run what was
   * kept, deleted or could not be deleted. Never throws and never fails the run.
   */
  async afterRun(run: RunDto): Promise<RunDto> {
    if (run.status !== 'succeeded' || run.jobId === null) return run;
    try {
      const job = this.deps.jobs.get(run.jobId);
      if (!job.retention) return run;
      const log: LogEntry[] = [];
      const results: RunRetentionDto[] = [];
      for (const destinationId of job.destinationIds) results.push(await this.#applyAt(job, destinationId, run.id, log));
      return this.deps.runs.recordRetention(run.id, results, log);
    } catch (error) {
      // The job was deleted meanwhile, or the store cannot be written (a full disk): the backup is
      // recorded all the same, and retention waits for the next successful run.
      this.deps.log.warn('retention could not be applied', { runId: run.id, error: String(error) });
      return run;
    }
  }

  async #applyAt(job: JobDto, destinationId: string, runId: string, log: LogEntry[]): Promise<RunRetentionDto> {
    const { deps } = this;
    const destination = deps.destinations.get(destinationId);
    const note = (level: LogEntry['level'], message: string): void => {
      log.push({ time: deps.now().toISOString(), level, message });
    };
    const stored = deps.backups.listFor(job.id, destinationId);
    const result: RunRetentionDto = { destinationId, destination: destination.name, kept: stored.length, deleted: [], error: null };
    const timeZone = this.#timeZoneOf(job);
    const decide = (pinned: ReadonlyMap<string, unknown>): RetentionDecision<StoredBackup>[] =>
      decideRetention(stored, pinned, job.retention, timeZone).filter((d) => d.backup.runId !== runId);
    const allKept = (): RunRetentionDto => {
      note('info', `Retention (${describeRetention(job.retention)}) on destination "${destination.name}": all ${stored.length} backup(s) kept, none is due for deletion.`);
      return result;
    };
    // Pins at the destination only ever keep more, so when the data dir's own pins let nothing go the destination is not asked.
    let doomed = decide(new Map()).filter((d) => d.action === 'delete').map((d) => d.backup);
    if (doomed.length === 0) return allKept();
    let failure: AppError | null = null;
    let driver: DestinationDriver | null = null;
    try {
      // On a locked destination nothing is deleted (deleteBackup says so), so its pins are not read.
      if (!destination.locked) {
        driver = storedDestinationDriver(deps, destination);
        const pinned = await pinsAtDestination(driver, stored.map((b) => b.key), deps.now());
        const decisions = decide(pinned);
        for (const d of decisions) {
          const pin = pinned.get(d.backup.key);
          if (pin && d.reasons.includes(PINNED_AT_DESTINATION_REASON)) note('info', pinnedAtDestinationMessage(d.backup.key, destination.name, pin.until));
        }
        doomed = decisions.filter((d) => d.action === 'delete').map((d) => d.backup);
        if (doomed.length === 0) return allKept();
      }
      for (const backup of doomed) {
        try {
          await deleteBackup(deps, backup.id, driver ? { driver } : {});
          result.deleted.push(backup.key);
        } catch (error) {
          // Pinned at the destination (by another install that shares it, say), or read by a restore now: kept, and said.
          if (error instanceof AppError && (error.code === 'BACKUP_PINNED' || error.code === 'IN_USE')) {
            note('info', error.message);
            continue;
          }
          failure ??= asAppError(error);
          if (error instanceof AppError && DESTINATION_WIDE.has(error.code)) break;
        }
      }
    } catch (error) {
      failure ??= asAppError(error);
    } finally {
      await driver?.close().catch(() => undefined);
    }
    result.kept = stored.length - result.deleted.length;
    if (result.deleted.length > 0) {
      note('info', `Retention (${describeRetention(job.retention)}) on destination "${destination.name}": deleted ${result.deleted.length} backup(s) with their manifests (${result.deleted.join(', ')}); ${result.kept} kept.`);
    }
    if (failure) {
      const left = doomed.length - result.deleted.length;
      result.error = { code: failure.code, message: `Could not delete ${left} of the ${doomed.length} backup(s) the retention policy lets go: ${failure.message}` };
      note('warn', `Retention on destination "${destination.name}" did not finish: ${result.error.message} The backup itself succeeded; retention tries again after the next successful run.`);
      deps.log.warn('retention did not finish', { destination: destination.name, code: failure.code });
    }
    return result;
  }

  #timeZoneOf(job: JobDto): string {
    return job.timezone ?? this.deps.timeZone;
  }
}

function asAppError(error: unknown): AppError {
  // Drivers turn what they meet into AppErrors; anything else is a bug, reported as one.
  return error instanceof AppError ? error : new AppError('INTERNAL', `Unexpected error while deleting: ${error instanceof Error ? error.message : String(error)}`);
}
