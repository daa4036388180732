import type { BackupDto, BackupListDto, BackupListProblemDto, BackupUrlDto } from '../../../shared/domain/backups';
import type { DestinationDto } from '../../../shared/domain/dto';
import type { RunTrigger } from '../../../shared/domain/runs';
import { sameProblems } from '../../../shared/domain/destination-problems';
import { localMinuteWords } from '../../../shared/domain/time-words';
import type { ParsedInput } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/ipc/result';
import type { DestinationDriver } from '../destinations/destination';
import { storedDestinationDriver, withStoredDestinationDriver } from '../destinations/stored-destination-driver';
import type { Logger } from '../logger';
import { recipientFingerprint } from '../pipeline/manifest';
import type { BackupStateRepository } from '../store/backup-state-repository';
import type { BackupsRepository } from '../store/backups-repository';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { JobsRepository } from '../store/jobs-repository';
import type { ProfilesRepository } from '../store/profiles-repository';
import type { RestoresRepository } from '../store/restores-repository';
import type { RunsRepository } from '../store/runs-repository';
import { nameKey } from '../store/names';
import { deleteBackupAt } from './delete-backup';
import { describeBackup, type DescribeContext } from './describe-backup';
import { examineKey, listIds, rootOf, scanDestination, type ScannedEntry } from './destination-scan';
import { pinMarkersOf, pinNote, removePinMarkers, writePinMarker } from './pin-markers';

export interface ExplorerDeps {
  destinations: DestinationsRepository;
  backups: BackupsRepository;
  backupState: BackupStateRepository;
  /** This data dir's jobs: a job filter names one of them by its name now. */
  jobs: JobsRepository;
  runs: RunsRepository;
  profiles: ProfilesRepository;
  /** A backup a restore reads now is not deleted under it (deleteBackupAt). */
  restores: RestoresRepository;
  log: Logger;
  now: () => Date;
}

/** One backup, looked at now, with its destination open. */
export interface LocatedBackup {
  destination: DestinationDto;
  driver: DestinationDriver;
  entry: ScannedEntry;
  backup: BackupDto;
}

export type BackupsListInput = ParsedInput<'backups:list'>;

/**
 * How long a destination's listing is reused by the next page: paging through 10,000 backups
 * must not list the bucket again per page. Pins and verifications are read fresh every time;
 * `refresh` and anything done through the explorer (delete) drop it.
 */
const SNAPSHOT_MS = 15_000;

/**
 * The storage explorer: backups as the destinations hold them (see scanDestination), whoever
 * made them, with what this data dir knows added (run trigger, pins, last verification).
 */
export class BackupExplorer {
  readonly #snapshots = new Map<string, { root: string; at: number; entries: ScannedEntry[] }>();

  constructor(private readonly deps: ExplorerDeps) {}

  async list(filter: BackupsListInput): Promise<BackupListDto> {
    const { deps } = this;
    if (filter.from && filter.to && Date.parse(filter.from) >= Date.parse(filter.to)) {
      throw new AppError('VALIDATION_FAILED', `The time range is empty: "from" (${filter.from}) must be before "to" (${filter.to}).`, { field: 'from' });
    }
    const destinations = filter.destinationId ? [deps.destinations.get(filter.destinationId)] : deps.destinations.list();
    const problems: BackupListProblemDto[] = [];
    const found: BackupDto[] = [];
    const profileOf = this.#profileLookup();
    await Promise.all(
      destinations.map(async (destination) => {
        try {
          const entries = await this.#entries(destination, filter.refresh);
          const ctx = this.#context(destination, profileOf);
          for (const entry of entries) found.push(describeBackup(entry, ctx));
        } catch (error) {
          // One destination's failure, whatever it is, must not hide the others' backups.
          if (!(error instanceof AppError)) deps.log.warn('listing a destination failed unexpectedly', { destination: destination.name, error: String(error) });
          const e = error instanceof AppError ? error : new AppError('INTERNAL', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
          problems.push({ destinationId: destination.id, destination: destination.name, code: e.code, message: e.message });
        }
      }),
    );
    const matching = found.filter(matches(filter, deps.jobs.list())).sort(newestFirst);
    return {
      backups: matching.slice(filter.offset, filter.offset + filter.limit),
      total: matching.length,
      offset: filter.offset,
      limit: filter.limit,
      problems: problems.sort((a, b) => a.destination.localeCompare(b.destination)),
    };
  }

  /** One backup, looked at now at its destination. */
  async get(id: string): Promise<BackupDto> {
    return this.open(id, async (located) => located.backup);
  }

  /** Finds the backup, opens its destination and looks at its object and manifest now; the driver is closed when `use` settles. */
  async open<T>(id: string, use: (located: LocatedBackup) => Promise<T>): Promise<T> {
    return this.openMany([id], (located) => use(located[0]!));
  }

  /**
   * `open` for several backups of one destination (the databases of one run), through one
   * driver: an SFTP destination is connected to once, not once per backup.
   */
  async openMany<T>(ids: readonly string[], use: (located: LocatedBackup[]) => Promise<T>): Promise<T> {
    const places = await Promise.all(ids.map(async (id) => ({ id, ...(await this.#locate(id)) })));
    const destination = places[0]?.destination;
    if (!destination) return use([]);
    const elsewhere = places.find((p) => p.destination.id !== destination.id);
    if (elsewhere) throw new AppError('VALIDATION_FAILED', `Backup ${elsewhere.id} is at destination "${elsewhere.destination.name}", not "${destination.name}": these backups are opened together only from one destination.`);
    const driver = this.#driver(destination);
    try {
      const ctx = this.#context(destination, this.#profileLookup());
      const located: LocatedBackup[] = [];
      for (const { id, key } of places) {
        const entry = await examineKey(driver, destination, key);
        if (!entry) {
          this.#snapshots.delete(destination.id);
          throw new AppError('NOT_FOUND', `Backup ${id} (${key}) is no longer at destination "${destination.name}": it was deleted.`, { id, key, destination: destination.name });
        }
        located.push({ destination, driver, entry, backup: describeBackup(entry, ctx) });
      }
      return await use(located);
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  /** Pins a complete backup: retention keeps it, and delete refuses it, until it is unpinned or `until` has passed. */
  async pin(id: string, until: string | null): Promise<BackupDto> {
    if (until !== null && Date.parse(until) <= this.deps.now().getTime()) {
      throw new AppError('VALIDATION_FAILED', `A pin must end in the future: ${localMinuteWords(until)} has passed.`, { field: 'until', until });
    }
    return this.open(id, async ({ destination, driver, entry, backup }) => {
      if (!backup.complete) throw notABackup(backup, 'pinned');
      const end = until === null ? null : new Date(until).toISOString();
      // At the destination first: every install sharing it honours the pin from then on.
      await writePinMarker(driver, entry.key, end, pinNote(entry.key, end, this.deps.now()));
      this.deps.backupState.setPinned(destination.id, entry.key, true, end);
      this.#snapshots.delete(destination.id);
      return this.redescribe(destination, { ...entry, pins: await pinMarkersOf(driver, entry.key) });
    });
  }

  async unpin(id: string): Promise<BackupDto> {
    return this.open(id, async ({ destination, driver, entry }) => {
      await removePinMarkers(driver, entry.key, entry.pins);
      this.deps.backupState.setPinned(destination.id, entry.key, false);
      this.#snapshots.delete(destination.id);
      return this.redescribe(destination, { ...entry, pins: [] });
    });
  }

  /** S3: a GET URL for the object, through the destination's public endpoint when it has one. */
  async url(id: string, expiresInSeconds: number): Promise<BackupUrlDto> {
    return this.open(id, async ({ destination, driver, entry, backup }) => {
      if (destination.kind !== 's3' || !driver.presign) {
        const what = destination.kind === 'local' ? 'a local folder' : 'an SFTP server';
        throw new AppError('VALIDATION_FAILED', `Destination "${destination.name}" is ${what}: download links exist for S3 destinations only. Use vaultdesk backup download ${id} -o PATH instead.`, { field: 'id' });
      }
      if (!entry.object) throw new AppError('OBJECT_NOT_FOUND', `Backup ${backup.key} on destination "${destination.name}" has no object to link to: ${backup.problem ?? 'it is missing'}`, { key: backup.key });
      const url = await driver.presign(entry.key, expiresInSeconds);
      return { url, expiresAt: new Date(this.deps.now().getTime() + expiresInSeconds * 1000).toISOString() };
    });
  }

  /** Deletes the manifest first, then the object (see deleteBackupAt); pinned backups and locked destinations are refused. */
  async delete(id: string): Promise<{ id: string }> {
    await this.open(id, async ({ destination, driver, entry }) => {
      try {
        await deleteBackupAt(this.deps, destination.id, entry.key, { driver });
      } finally {
        this.#snapshots.delete(destination.id);
      }
    });
    return { id };
  }

  /** Looked at again after a change kept here (a pin, a verification), without reading the destination again. */
  redescribe(destination: DestinationDto, entry: ScannedEntry): BackupDto {
    return describeBackup(entry, this.#context(destination, this.#profileLookup()));
  }

  async #entries(destination: DestinationDto, refresh: boolean): Promise<ScannedEntry[]> {
    const root = rootOf(destination);
    const snapshot = this.#snapshots.get(destination.id);
    if (!refresh && snapshot && snapshot.root === root && Date.now() - snapshot.at < SNAPSHOT_MS) return snapshot.entries;
    const entries = await this.#withDriver(destination, (driver) => scanDestination(driver, destination, this.deps.backupState));
    this.#snapshots.set(destination.id, { root, at: Date.now(), entries });
    return entries;
  }

  /**
   * Where an id points: the run history, then manifests listed before, then (an object without
   * a manifest, or a backup never listed in this data dir) every destination's listing.
   */
  async #locate(id: string): Promise<{ destination: DestinationDto; key: string }> {
    const { deps } = this;
    const known = deps.backups.find(id) ?? deps.backupState.locate(id);
    // Both tables lose their rows with their destination (ON DELETE CASCADE).
    if (known) return { destination: deps.destinations.get(known.destinationId), key: known.key };
    const unreadable: { destination: string; code: string; message: string }[] = [];
    for (const destination of deps.destinations.list()) {
      const snapshot = this.#snapshots.get(destination.id);
      const cached = snapshot?.root === rootOf(destination) ? snapshot.entries.find((e) => e.id === id) : undefined;
      if (cached) return { destination, key: cached.key };
      try {
        const key = (await this.#withDriver(destination, (driver) => listIds(driver, destination))).get(id);
        if (key !== undefined) return { destination, key };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        unreadable.push({ destination: destination.name, code: error.code, message: error.message });
      }
    }
    // Destinations that failed alike (a wrong master key) are named together, the sentence once.
    const groups = sameProblems(unreadable).map((p) => `${p.destinations.map((n) => `"${n}"`).join(', ')} (${p.message})`);
    const unsure = groups.length > 0 ? ` These destinations could not be read, so it may be on one of them: ${groups.join('; ')}` : '';
    throw new AppError('NOT_FOUND', `No backup with the id ${id} at any destination (vaultdesk backup list shows them).${unsure}`, { id });
  }

  #context(destination: DestinationDto, profileOf: (fingerprint: string) => string | null): DescribeContext {
    const states = this.deps.backupState.allAt(destination.id);
    const triggers = new Map<string, RunTrigger | null>();
    return {
      destination,
      stateOf: (key) => states.get(key),
      triggerOf: (runId) => {
        if (!triggers.has(runId)) triggers.set(runId, this.deps.runs.triggerOf(runId));
        return triggers.get(runId)!;
      },
      profileOf,
      now: this.deps.now(),
    };
  }

  /** Profiles whose identity this data dir holds, by their recipient's fingerprint. */
  #profileLookup(): (fingerprint: string) => string | null {
    const byFingerprint = new Map<string, string>();
    for (const p of this.deps.profiles.list()) if (p.kind === 'age' && p.recipient && p.hasSecret) byFingerprint.set(recipientFingerprint(p.recipient), p.name);
    return (fingerprint) => byFingerprint.get(fingerprint) ?? null;
  }

  /** A destination of this data dir, by id. */
  destinationOf(id: string): DestinationDto {
    return this.deps.destinations.get(id);
  }

  /** A driver for the destination, with its secrets; the caller closes it. */
  openDriver(destination: DestinationDto): DestinationDriver {
    return this.#driver(destination);
  }

  #driver(destination: DestinationDto): DestinationDriver {
    return storedDestinationDriver(this.deps, destination);
  }

  #withDriver<T>(destination: DestinationDto, use: (driver: DestinationDriver) => Promise<T>): Promise<T> {
    return withStoredDestinationDriver(this.deps, destination, use);
  }
}

/** Refuses an action that only makes sense for a complete backup. */
export function notABackup(backup: BackupDto, action: string): AppError {
  // The problem, when there is one, says why it is not a complete backup: said once.
  return new AppError('VALIDATION_FAILED', `${backup.key} on destination "${backup.destination}" cannot be ${action}: ${backup.problem ? `${backup.problem.charAt(0).toLowerCase()}${backup.problem.slice(1)}` : 'it is not a complete backup.'}`, {
    field: 'id',
    status: backup.status,
  });
}

/**
 * A job filter is a job of this data dir when it names one (by its name now, or its id): its
 * backups are those with its id, whatever name their manifests recorded (it may have been
 * renamed since), and those under that name made elsewhere (another install, before a
 * reinstall), but not another job's here that had the name before. Otherwise the name (or id)
 * as the manifests record it.
 */
function jobMatcher(asked: string, jobs: readonly { id: string; name: string }[]): (b: BackupDto) => boolean {
  const key = nameKey(asked);
  const byName = (b: BackupDto): boolean => b.jobId === asked || (b.job !== null && nameKey(b.job) === key);
  const own = jobs.find((j) => j.id === asked) ?? jobs.find((j) => nameKey(j.name) === key);
  if (!own) return byName;
  const here = new Set(jobs.map((j) => j.id));
  return (b) => b.jobId === own.id || (b.job !== null && nameKey(b.job) === nameKey(own.name) && !(b.jobId !== null && here.has(b.jobId)));
}

function matches(filter: BackupsListInput, jobs: readonly { id: string; name: string }[]): (b: BackupDto) => boolean {
  const from = filter.from ? Date.parse(filter.from) : null;
  const to = filter.to ? Date.parse(filter.to) : null;
  const job = filter.job ? jobMatcher(filter.job, jobs) : null;
  const part = filter.databaseContains ? nameKey(filter.databaseContains) : null;
  return (b) => {
    if (job !== null && !job(b)) return false;
    if (filter.database !== undefined && b.database !== filter.database) return false;
    if (part !== null && (b.database === null || !nameKey(b.database).includes(part))) return false;
    if (filter.runId !== undefined && b.runId !== filter.runId) return false;
    if (filter.status !== undefined && b.status !== filter.status) return false;
    const at = Date.parse(b.createdAt);
    if (from !== null && at < from) return false;
    if (to !== null && at >= to) return false;
    return true;
  };
}

function newestFirst(a: BackupDto, b: BackupDto): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.destination !== b.destination) return a.destination < b.destination ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
