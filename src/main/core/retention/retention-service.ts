import type { JobDto, RetentionPolicy } from '../../../shared/domain/dto';
import { describeRetention, type RetentionPreviewDto } from '../../../shared/domain/retention';
import type { RunDto, RunRetentionDto } from '../../../shared/domain/runs';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';
import { deleteBackup, type DeleteBackupDeps } from '../backups/delete-backup';
import { createDestinationDriver, type DestinationDriver } from '../destinations/destination';
import type { JobsRepository } from '../store/jobs-repository';
import type { RunsRepository } from '../store/runs-repository';
import { applyRetentionPolicy } from './retention-policy';

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
  preview(jobId: string, policy?: RetentionPolicy | null): RetentionPreviewDto {
    const job = this.deps.jobs.get(jobId);
    const timeZone = this.#timeZoneOf(job);
    const applied = policy === undefined ? job.retention : policy;
    return {
      jobId: job.id,
      jobName: job.name,
      policy: applied,
      timeZone,
      destinations: job.destinationIds.map((destinationId) => {
        const databases = new Map<string, RetentionPreviewDto['destinations'][number]['databases'][number]>();
        for (const d of applyRetentionPolicy(this.deps.backups.listFor(job.id, destinationId), applied, timeZone)) {
          const { id, key, database, createdAt, pinned } = d.backup;
          if (!databases.has(database)) databases.set(database, { database, backups: [] });
          databases.get(database)!.backups.push({ id, key, database, createdAt, pinned, action: d.action, reasons: d.reasons });
        }
        return { destinationId, destination: this.deps.destinations.get(destinationId).name, databases: [...databases.values()] };
      }),
    };
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
    const doomed = applyRetentionPolicy(stored, job.retention, this.#timeZoneOf(job))
      .filter((d) => d.action === 'delete' && d.backup.runId !== runId)
      .map((d) => d.backup);
    const result: RunRetentionDto = { destinationId, destination: destination.name, kept: stored.length, deleted: [], error: null };
    if (doomed.length === 0) {
      note('info', `Retention (${describeRetention(job.retention)}) on destination "${destination.name}": all ${stored.length} backup(s) kept, none is due for deletion.`);
      return result;
    }
    let failure: AppError | null = null;
    let driver: DestinationDriver | null = null;
    try {
      if (!destination.locked) {
        driver = createDestinationDriver(destination, deps.destinations.secrets(destinationId), { log: deps.log, onHostKeyPinned: (fp) => deps.destinations.pinHostKey(destinationId, fp) });
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
