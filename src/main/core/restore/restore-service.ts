import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, rm, unlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { BackupDto } from '../../../shared/domain/backups';
import { holdingWords, referencedWarningWords, sessionsWarningWords } from '../../../shared/domain/counted';
import type { SourceDto } from '../../../shared/domain/dto';
import { BY_HAND, DEFAULT_RESTORE_JOBS, type DrillDifferenceDto, type DrillResultDto, type RestoredDatabaseDto, type RestoreDto, type RestoreKind, type RestoreStage, type RestoreTargetDto, type TableCountDto } from '../../../shared/domain/restores';
import type { ParsedInput } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/ipc/result';
import { notABackup, type BackupExplorer, type LocatedBackup } from '../backups/backup-explorer';
import { identitiesFor } from '../backups/verify-backup';
import { fsAppError } from '../files/fs-errors';
import type { CoreEvents } from '../events';
import type { Logger } from '../logger';
import type { HostProcess } from '../ownership/host-process';
import type { BackupManifest } from '../pipeline/manifest';
import { findSevenZip } from '../pipeline/seven-zip-tool';
import { isCreateDenied, type DatabaseAdmin } from '../sources/database-admin';
import { createSourceDriver, type SourceDriver } from '../sources/source-driver';
import type { BackupStateRepository } from '../store/backup-state-repository';
import type { DestinationsRepository } from '../store/destinations-repository';
import type { JobsRepository } from '../store/jobs-repository';
import type { ProfilesRepository } from '../store/profiles-repository';
import type { RestoresRepository, RunningRestore } from '../store/restores-repository';
import type { SettingsRepository } from '../store/settings-repository';
import type { SourcesRepository } from '../store/sources-repository';
import { countWhileDropping } from './after-swap';
import type { BackupKeys } from './backup-plaintext';
import { SpareWorker } from '../pipeline/worker-client';
import { restoreInWorker, workerAbandoned } from './restore-in-worker';
import { sameServer } from './same-server';
import type { LoadedRows, RestoreStreamOp } from './restore-stream';
import { engineWords, keptName, ownSource, resolveTargetSource, scratchName, sqliteRestoreTarget, sqliteTarget, type RestoreItem, type RestoreStartInput } from './restore-plan';
import { sqliteFileUsers } from '../sources/sqlite-file-users';
import { countSqliteRows, inspectSqliteFile } from './sqlite-file-admin';
import { removeSqliteRestoreLeftovers } from './sqlite-leftovers';
import { removeAbandonedSqlitePartials } from '../sources/sqlite-source';
import { messageOf } from '../sources/connection-errors';
import { unlinkIfThere } from '../files/unlink-if-there';
import { withRestoreAdvice } from './restore-advice';
import { refuseSystemDatabase } from './system-databases';
import { drillWords, failureWords, notRolledBack, scratchFileNotRemoved, scratchNotDropped, successWords } from './restore-words';

export interface RestoreDeps {
  explorer: BackupExplorer;
  /** The destination's secrets, for the worker that reads the backup, and the host keys it pins. */
  destinations: DestinationsRepository;
  sources: SourcesRepository;
  jobs: JobsRepository;
  profiles: ProfilesRepository;
  settings: SettingsRepository;
  backupState: BackupStateRepository;
  restores: RestoresRepository;
  events: CoreEvents;
  log: Logger;
  now: () => Date;
  host: HostProcess;
  tempRoot: string;
  toolEnv: Record<string, string | undefined>;
  /** How long a cancelled restore's worker gets to stop on its own before it is stopped outright. */
  cancelGraceMs: number;
  /** The built pipeline worker; the one beside the core when absent. */
  workerFile?: URL;
}

interface Prepared {
  kind: RestoreKind;
  backup: BackupDto;
  source: SourceDto;
  compareWith: SourceDto | null;
  items: RestoreItem[];
  keys: Map<string, BackupKeys>;
  withGlobals: boolean;
  force: boolean;
  /** restoreStart.endSessions: the other sessions on a replaced database are ended at its swap. */
  endSessions: boolean;
  /** Restore tools at once (restore-stream.ts): pg_restore or mariadb/mysql clients; null: not asked for, DEFAULT_RESTORE_JOBS where it applies. */
  jobs: number | null;
  /** What may stop it later, said as it starts (restore:start's answer). */
  warnings: string[];
}

interface Active {
  controller: AbortController;
  done: Promise<RestoreDto>;
}

const PROGRESS_EVENT_MS = 250;
const PROGRESS_SAVE_MS = 1_000;
const CANCEL_POLL_MS = 1_000;
/**
 * A copy just restored, which nothing else uses yet, is counted several tables at a time; the
 * source a drill compares with is a database in use, counted one table at a time.
 */
const RESTORED_COPY = { connections: 3 };

/**
 * Restores and drills. Everything that can be refused is checked before the restore is recorded
 * and started (the backup complete, its keys at hand, the target of the same engine, a target
 * with tables only with `force`); the bytes then stream from the destination through the
 * manifest check, age and the decompressor into the engine's own tool, in the pipeline worker
 * (restore-stream.ts), while the contract call has long returned. What is left here are short
 * SQL calls (inspect, count, swap, drop) and the records.
 */
export class RestoreService {
  readonly #active = new Map<string, Active>();

  constructor(private readonly deps: RestoreDeps) {}

  async inspectTarget(sourceId: string, database: string, fromDatabase = database): Promise<RestoreTargetDto> {
    const source = this.deps.sources.get(sourceId);
    if (source.engine === 'sqlite') {
      const file = sqliteRestoreTarget(source, database);
      const found = inspectSqliteFile(file);
      return { sourceId, database: file, ...found, sessions: found.exists ? sqliteFileUsers(file).length : null, ...this.#restoringInto(source, file) };
    }
    // Refused now as the start would refuse it, not shown as a database the restore creates.
    refuseSystemDatabase(source.engine, database, fromDatabase);
    const driver = openSourceDriver(this.deps, source, this.deps.tempRoot);
    try {
      const admin = adminOf(driver, source);
      refuseLongName(admin, database, source.engine);
      const found = await admin.inspect(database);
      return {
        sourceId,
        database,
        exists: found.exists,
        tables: found.tables,
        others: found.others,
        sessions: found.sessions ?? null,
        ...(found.referencedBy ? { referencedBy: found.referencedBy } : {}),
        ...this.#restoringInto(source, database),
      };
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  async start(input: RestoreStartInput): Promise<{ restoreId: string; warnings: string[] }> {
    return this.#withSpare(async (spare) => {
      const prepared = await this.#prepareRestore(input);
      return { restoreId: this.#launch(prepared, spare), warnings: prepared.warnings };
    });
  }

  async drill(input: ParsedInput<'restore:drill'>): Promise<{ restoreId: string }> {
    return this.#withSpare(async (spare) => ({ restoreId: this.#launch(await this.#prepareDrill(input), spare) }));
  }

  /** The first database's worker starts loading while the backup and the target are checked; a refusal stops it. */
  async #withSpare<T>(launch: (spare: SpareWorker) => Promise<T>): Promise<T> {
    const spare = SpareWorker.start(this.deps.workerFile);
    try {
      return await launch(spare);
    } catch (error) {
      spare.dispose();
      throw error;
    }
  }

  get(id: string): RestoreDto {
    void this.reapDead();
    return this.deps.restores.get(id);
  }

  list(filter: ParsedInput<'restore:list'>): RestoreDto[] {
    void this.reapDead();
    if (filter.backupIdPrefix === undefined) return this.deps.restores.list(filter);
    const prefix = filter.backupIdPrefix.toLowerCase();
    const ids = this.deps.restores.backupIdsStartingWith(prefix);
    if (ids.length > 1) throw new AppError('VALIDATION_FAILED', `${ids.length} backups in the restore history have an id that starts with ${prefix}: give more of the id.`, { field: 'backupIdPrefix', ids });
    return ids.length === 0 ? [] : this.deps.restores.list({ backupId: ids[0]!, limit: filter.limit });
  }

  /**
   * Restores whose process is gone are marked interrupted, and what a SQLite one left beside its
   * target is removed: at every start, and whenever the history is read (the Recovery page asks
   * every few seconds), so a long-running `serve` or app does not show a killed restore as running,
   * with a Cancel button, for good.
   */
  reapDead(): Promise<void> {
    const { deps } = this;
    // Marked at once, before this returns (the records are what a caller reads next); what they left is removed after, and the promise never fails.
    const interrupted = deps.restores.interruptAbandoned((startId) => deps.host.isAlive(startId), deps.now().toISOString());
    return Promise.all(
      interrupted.map(async (r) => {
        deps.log.warn('a restore was interrupted when its process stopped', { restoreId: r.id });
        const removed = await removeSqliteRestoreLeftovers(r).catch(() => []);
        if (removed.length > 0) deps.log.info('removed what an interrupted SQLite restore left beside its target', { restoreId: r.id, files: removed });
      }),
    ).then(() => undefined);
  }

  /** Resolves with the finished record of a restore this process runs; at once for one that is not running here. */
  async wait(id: string): Promise<RestoreDto> {
    return (await this.#active.get(id)?.done) ?? this.deps.restores.get(id);
  }

  async cancel(id: string): Promise<RestoreDto> {
    const restore = this.deps.restores.get(id);
    if (restore.status !== 'running') throw new AppError('VALIDATION_FAILED', `Restore ${id} is not running (it ${restore.status}).`, { field: 'id' });
    const active = this.#active.get(id);
    if (active) {
      active.controller.abort();
      return active.done;
    }
    const owner = this.deps.restores.owner(id);
    if (!this.deps.host.isAlive(owner.startId)) {
      await this.reapDead();
      return this.deps.restores.get(id);
    }
    this.deps.restores.requestCancel(id, this.deps.now().toISOString());
    return this.deps.restores.get(id);
  }

  /** The restores and drills this process is running. */
  activeIds(): string[] {
    return [...this.#active.keys()];
  }

  /** Cancels this process's restores and waits for each to record its end (host shutdown). */
  async stopAll(): Promise<void> {
    const running = [...this.#active.values()];
    for (const a of running) a.controller.abort();
    await Promise.all(running.map((a) => a.done.catch(() => undefined)));
  }

  async #prepareRestore(input: RestoreStartInput): Promise<Prepared> {
    const { deps } = this;
    const { backup, manifest } = await this.#completeBackup(input.backupId, 'restored');
    const source = resolveTargetSource(manifest, input.targetSourceId, deps.jobs, deps.sources, 'restore');
    const members = await this.#members(backup, manifest, input);
    // --jobs as asked for: 1 when not, which refuses nothing.
    const asked = input.jobs ?? 1;
    // Roles go to the server, not into a database: one database and the roles may still take a new name.
    const databases = members.filter((m) => m.manifest.source.kind === 'database').length;
    if (databases > 1 && input.database !== undefined) {
      throw new AppError('VALIDATION_FAILED', `${databases} databases are to be restored, each under its own name: --database names one; pick one with --only DB.`, { field: 'database' });
    }
    if (input.endSessions && !input.force) {
      throw new AppError('VALIDATION_FAILED', 'Ending the sessions on a database applies only when the restore replaces it (--force).', { field: 'endSessions' });
    }
    if (input.endSessions && source.engine === 'sqlite') {
      throw new AppError('VALIDATION_FAILED', 'A SQLite database is a file that programs open, not a server with sessions: there are none to end. Stop the programs using the file instead.', { field: 'endSessions' });
    }
    const driver = openSourceDriver(deps, source, deps.tempRoot);
    const items: RestoreItem[] = [];
    const warnings: string[] = [];
    try {
      for (const m of members) {
        if (m.manifest.source.kind === 'globals') {
          items.push({ backup: m.backup, manifest: m.manifest, kind: 'globals', fromDatabase: 'roles (globals)', target: source.name, mode: 'globals', scratch: null, existed: true });
          continue;
        }
        if (source.engine === 'sqlite') {
          const target = sqliteRestoreTarget(source, input.database);
          this.#refuseRunningInto(source, [target]);
          const found = inspectSqliteFile(target);
          refuseNonEmpty(found, target, source, input.force);
          // The driver looks again just before it replaces the file, and stops if any is still there.
          const users = found.exists ? sqliteFileUsers(target).length : 0;
          if (users > 0) warnings.push(sessionsWarningWords(target, users, 'sqlite'));
          items.push({ backup: m.backup, manifest: m.manifest, kind: 'database', fromDatabase: m.manifest.source.database, target, mode: 'file', scratch: null, existed: found.exists });
          continue;
        }
        const target = input.database ?? m.manifest.source.database;
        refuseSystemDatabase(source.engine, target, m.manifest.source.database);
        const admin = adminOf(driver, source);
        refuseLongName(admin, target, source.engine);
        // A database a running restore writes is that restore's, not a target that holds tables (it may, halfway).
        this.#refuseRunningInto(source, [target]);
        const found = await admin.inspect(target);
        refuseNonEmpty(found, target, source, input.force, databases > 1);
        const into = found.exists && (await directIntoEmpty(admin, target, found, source, asked));
        const mode = found.exists ? (into ? 'into' : 'swap') : 'create';
        if (mode === 'swap' && found.sessions && !input.endSessions) warnings.push(sessionsWarningWords(target, found.sessions));
        if (mode === 'swap' && found.referencedBy && found.referencedBy.length > 0) warnings.push(referencedWarningWords(target, found.referencedBy));
        items.push({
          backup: m.backup,
          manifest: m.manifest,
          kind: 'database',
          fromDatabase: m.manifest.source.database,
          target,
          mode,
          scratch: mode === 'swap' ? scratchName(target, admin.maxNameLength, 'restore') : null,
          tablespace: mode === 'swap' ? (found.tablespace ?? null) : null,
          emptyTarget: found.exists && isEmpty(found),
          existed: found.exists,
        });
      }
    } finally {
      await driver.close().catch(() => undefined);
    }
    if (asked > 1 && (source.engine === 'sqlite' || (source.engine === 'postgres' && items.some((i) => i.kind === 'database' && i.manifest.dump.format !== 'custom')))) {
      throw new AppError('VALIDATION_FAILED', 'A parallel restore (--jobs) works for PostgreSQL custom-format and MySQL/MariaDB backups only: psql reads a plain-format dump in one session, and an SQLite file is copied whole.', { field: 'jobs' });
    }
    if (asked > 1 && source.ssh?.mode === 'exec') {
      // The loaders run here, each with a session of its own; an exec source's tool runs on the SSH host, fed one stream.
      const tool = source.engine === 'postgres' ? 'pg_restore' : 'the mysql client';
      throw new AppError('VALIDATION_FAILED', `Source "${source.name}" runs ${tool} on its SSH host, which gets the backup as one stream: a parallel restore (--jobs) runs its tools on this machine. Restore without --jobs, or through an SSH tunnel.`, {
        field: 'jobs',
      });
    }
    const keys = await this.#keysFor(items);
    return { kind: 'restore', backup, source, compareWith: null, items, keys, withGlobals: input.withGlobals, force: input.force, endSessions: input.endSessions, jobs: input.jobs ?? null, warnings };
  }

  async #prepareDrill(input: ParsedInput<'restore:drill'>): Promise<Prepared> {
    const { deps } = this;
    const { backup, manifest } = await this.#completeBackup(input.backupId, 'drilled');
    if (manifest.source.kind === 'globals') throw new AppError('VALIDATION_FAILED', 'This backup holds PostgreSQL roles (globals), not a database: a drill restores a database backup.', { field: 'backupId' });
    const source = resolveTargetSource(manifest, input.targetSourceId, deps.jobs, deps.sources, 'drill');
    const compareWith = input.compareSourceId ? deps.sources.get(input.compareSourceId) : ownSource(manifest, deps.jobs, deps.sources);
    if (!compareWith) {
      throw new AppError('VALIDATION_FAILED', `The backup's source "${manifest.source.name}" is not a source of this data dir: name the source to compare with.`, { field: 'compareSourceId' });
    }
    if (compareWith.engine !== manifest.source.engine) throw new AppError('VALIDATION_FAILED', `Source "${compareWith.name}" is not ${engineWords(manifest.source.engine)}: a drill compares with the database the backup was made of.`, { field: 'compareSourceId' });
    let scratch: string;
    if (source.engine === 'sqlite') scratch = path.join(deps.tempRoot, `drill-${randomUUID()}.sqlite`);
    else {
      const driver = openSourceDriver(deps, source, deps.tempRoot);
      try {
        const admin = adminOf(driver, source);
        scratch = scratchName(manifest.source.database.slice(0, 30), admin.maxNameLength, 'drill');
        // Logged in to now, as a restore's target is inspected: a refused login fails here, when no scratch
        // database can have been made, not after the drill has been started.
        await admin.inspect(scratch);
      } finally {
        await driver.close().catch(() => undefined);
      }
    }
    await this.#refuseNothingToCompare(compareWith, manifest.source.database);
    const items: RestoreItem[] = [{ backup, manifest, kind: 'database', fromDatabase: manifest.source.database, target: scratch, mode: 'drill', scratch, existed: false }];
    return { kind: 'drill', backup, source, compareWith, items, keys: await this.#keysFor(items), withGlobals: false, force: false, endSessions: false, jobs: null, warnings: [] };
  }

  /**
   * The database a drill compares with must be there, and its source must let Vaultdesk in: found at
   * the end, that would waste a whole restore.
   */
  async #refuseNothingToCompare(compareWith: SourceDto, database: string): Promise<void> {
    const missing = (where: string): AppError =>
      new AppError('NOT_FOUND', `${where} does not exist: a drill compares the restored copy with it, so there is nothing to compare with. Name the source that holds it.`, { field: 'compareSourceId' });
    if (compareWith.engine === 'sqlite') {
      const file = sqliteTarget(compareWith, undefined);
      if (!inspectSqliteFile(file).exists) throw missing(`The file ${file} of source "${compareWith.name}"`);
      return;
    }
    const driver = openSourceDriver(this.deps, compareWith, this.deps.tempRoot);
    try {
      if (!(await adminOf(driver, compareWith).inspect(database)).exists) throw missing(`Database ${database} on "${compareWith.name}"`);
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  async #completeBackup(id: string, action: string): Promise<{ backup: BackupDto; manifest: BackupManifest }> {
    return this.deps.explorer.open(id, async (located) => completeBackup(located, action));
  }

  /** The backups of the request: the one named, or the databases of its run it asks for. */
  async #members(backup: BackupDto, manifest: BackupManifest, input: RestoreStartInput): Promise<{ backup: BackupDto; manifest: BackupManifest }[]> {
    const wantsRun = input.allDatabases || input.only !== undefined || input.withGlobals;
    if (!wantsRun) {
      if (manifest.source.kind === 'globals') {
        throw new AppError('VALIDATION_FAILED', 'This backup holds PostgreSQL roles (globals), not a database: restore its run with --with-globals (with --all-databases or --only DB), or restore it with psql.', { field: 'backupId' });
      }
      return [{ backup, manifest }];
    }
    const listing = await this.deps.explorer.list({ destinationId: backup.destinationId, runId: backup.runId ?? undefined, offset: 0, limit: 10_000, refresh: false, status: 'complete' });
    const run = listing.backups.filter((b) => b.runId === backup.runId && b.jobId === backup.jobId);
    const databases = run.filter((b) => b.kind === 'database');
    let chosen = databases;
    if (input.only !== undefined) {
      chosen = databases.filter((b) => b.database === input.only);
      if (chosen.length === 0) {
        const names = databases.map((b) => b.database).join(', ');
        throw new AppError('VALIDATION_FAILED', `The run that made this backup has no database ${input.only}; it holds: ${names || 'none'}.`, { field: 'only' });
      }
    } else if (!input.allDatabases) chosen = manifest.source.kind === 'database' ? [backup] : [];
    const globals = run.filter((b) => b.kind === 'globals');
    if (input.withGlobals && globals.length === 0) {
      throw new AppError('VALIDATION_FAILED', `The run that made this backup has no roles (globals) backup${manifest.source.engine === 'postgres' ? ': only runs of "all databases" jobs dump them' : `: ${engineWords(manifest.source.engine)} has none`}.`, {
        field: 'withGlobals',
      });
    }
    // Roles first: the databases' objects may name them. Then the databases by name.
    const picked = [...(input.withGlobals ? globals.slice(0, 1) : []), ...[...chosen].sort((a, b) => (a.database ?? '').localeCompare(b.database ?? ''))];
    const others = await this.deps.explorer.openMany(
      picked.filter((b) => b.id !== backup.id).map((b) => b.id),
      async (located) => new Map(located.map((l) => [l.backup.id, completeBackup(l, 'restored')])),
    );
    return picked.map((b) => (b.id === backup.id ? { backup, manifest } : others.get(b.id)!));
  }

  async #keysFor(items: RestoreItem[]): Promise<Map<string, BackupKeys>> {
    const keys = new Map<string, BackupKeys>();
    for (const item of items) {
      const { manifest } = item;
      if (manifest.encryption.kind === 'none') keys.set(item.backup.id, { kind: 'none' });
      else if (manifest.encryption.kind === 'age') {
        const found = identitiesFor(manifest, this.deps.profiles);
        if (found.identities.length === 0) {
          const fingerprints = manifest.encryption.recipients.map((r) => r.fingerprint).join(', ');
          const why = found.unusable.length > 0 ? found.unusable.join('; ') : `no encryption profile here holds the identity of its recipients (fingerprints ${fingerprints})`;
          throw new AppError('DECRYPT_FAILED', `${item.backup.key} cannot be decrypted here: ${why}. Import the profile from your recovery kit (vaultdesk kit import KIT.zip, or Recovery in the app), or decrypt the file with the kit (vaultdesk decrypt) and restore it with the database's tools.`, {
            reason: 'no-key',
          });
        }
        keys.set(item.backup.id, { kind: 'age', identities: found.identities });
      } else {
        const passphrases = this.#sevenZipPassphrases(manifest);
        if (passphrases.length === 0) throw new AppError('DECRYPT_FAILED', `${item.backup.key} is a 7-Zip archive and no 7-Zip encryption profile here holds a passphrase.`, { reason: 'no-key' });
        keys.set(item.backup.id, { kind: '7z', tool: await findSevenZip(this.deps.toolEnv, this.deps.settings.get().toolPaths['7z']), passphrases });
      }
    }
    return keys;
  }

  /** The job's own 7-Zip profile first, then the others: the manifest does not name the passphrase's profile. */
  #sevenZipPassphrases(manifest: BackupManifest): string[] {
    const { deps } = this;
    const jobProfile = deps.jobs.list().find((j) => j.id === manifest.job.id)?.profileId ?? null;
    const profiles = deps.profiles.list().filter((p) => p.kind === '7z' && p.hasSecret);
    profiles.sort((a, b) => Number(b.id === jobProfile) - Number(a.id === jobProfile));
    const found: string[] = [];
    for (const p of profiles) {
      try {
        const passphrase = deps.profiles.secrets(p.id).passphrase;
        if (passphrase) found.push(passphrase);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
    }
    return found;
  }

  /** A restore running now into `target` (any process), which a second one is refused beside: for the wizard to say before it starts. */
  #restoringInto(source: SourceDto, target: string): Pick<RestoreTargetDto, 'restoring'> {
    const other = this.#runningOnServerOf(source).find((r) => r.targets.includes(target));
    return other ? { restoring: { restoreId: other.id, requestedBy: other.requestedBy } } : {};
  }

  /** RUN_IN_PROGRESS when a live restore writes one of `targets` on the server `source` reaches, through it or another source of that server. */
  #refuseRunningInto(source: SourceDto, targets: string[]): void {
    for (const other of this.#runningOnServerOf(source)) {
      const clash = other.targets.find((t) => targets.includes(t));
      if (clash !== undefined) {
        throw new AppError('RUN_IN_PROGRESS', `A restore into ${clash} on "${source.name}" is already running (restore ${other.id}, by ${other.requestedBy}): wait for it to end, or cancel it.`, {
          restoreId: other.id,
        });
      }
    }
  }

  /** Live restores into the server `source` reaches (same-server.ts); one whose source was deleted since counts by its id alone. */
  #runningOnServerOf(source: SourceDto): RunningRestore[] {
    const { deps } = this;
    const live = deps.restores.running().filter((r) => deps.host.isAlive(r.ownerStartId));
    if (live.every((r) => r.targetSourceId === source.id)) return live;
    const sources = new Map(deps.sources.list().map((s) => [s.id, s]));
    return live.filter((r) => {
      const other = r.targetSourceId === source.id ? source : sources.get(r.targetSourceId);
      return other !== undefined && sameServer(other, source);
    });
  }

  #launch(prepared: Prepared, spare: SpareWorker): string {
    const { deps } = this;
    deps.host.ensureRegistered();
    const id = randomUUID();
    // Two restores into one database would swap over each other: the second waits for the first.
    this.#refuseRunningInto(prepared.source, prepared.items.filter((i) => i.kind === 'database').map((i) => i.target));
    const databases: RestoredDatabaseDto[] = prepared.items.map((i) => ({
      backupId: i.backup.id,
      kind: i.kind,
      fromDatabase: i.fromDatabase,
      database: i.target,
      status: 'pending',
      replaced: false,
      keptAs: null,
      tables: [],
      notes: [],
    }));
    // One database of a run (--only): the record names that database's backup, not the one the run was found by.
    const databaseItems = prepared.items.filter((i) => i.kind === 'database');
    const named = databaseItems.length === 1 ? databaseItems[0]!.backup : prepared.backup;
    deps.restores.create({
      id,
      kind: prepared.kind,
      backupId: named.id,
      destinationId: named.destinationId,
      destination: named.destination,
      key: named.key,
      job: named.job,
      engine: prepared.source.engine,
      targetSourceId: prepared.source.id,
      targetSource: prepared.source.name,
      withGlobals: prepared.withGlobals,
      force: prepared.force,
      requestedBy: requester(deps.host),
      startedAt: deps.now().toISOString(),
      totalBytes: storedBytes(prepared.items),
      databases,
      owner: { startId: deps.host.identity.startId, pid: deps.host.identity.pid },
    });
    const controller = new AbortController();
    const done = new RestoreRun(this.deps, id, prepared, databases, controller, spare).execute().finally(() => this.#active.delete(id));
    this.#active.set(id, { controller, done });
    return id;
  }
}

/** The backup and its manifest, or the refusal to restore (or drill) what is not a complete backup. */
function completeBackup({ backup, entry }: LocatedBackup, action: string): { backup: BackupDto; manifest: BackupManifest } {
  const reading = entry.manifest?.reading;
  if (backup.status !== 'complete' || !reading?.ok) throw notABackup(backup, action);
  return { backup, manifest: reading.manifest };
}

/** A driver for a source of the store: its secrets, the host's tools and environment, host keys pinned on first use. */
function openSourceDriver(deps: RestoreDeps, source: SourceDto, tempDir: string): SourceDriver {
  return createSourceDriver(source, deps.sources.secrets(source.id), {
    tempDir,
    env: deps.toolEnv,
    toolPaths: deps.settings.get().toolPaths,
    log: deps.log,
    onHostKeyPinned: (fp) => deps.sources.pinHostKey(source.id, fp),
  });
}

/** A name longer than the server takes: it would cut it, or refuse it only after the whole download. */
function refuseLongName(admin: DatabaseAdmin, target: string, engine: SourceDto['engine']): void {
  if (Buffer.byteLength(target) > admin.maxNameLength) {
    throw new AppError('VALIDATION_FAILED', `${target} is longer than the ${admin.maxNameLength} bytes ${engineWords(engine)} allows for a database name.`, { field: 'database' });
  }
}

function adminOf(driver: SourceDriver, source: SourceDto): DatabaseAdmin {
  if (!driver.admin) throw new AppError('VALIDATION_FAILED', `Source "${source.name}" cannot be restored into from here: Vaultdesk has no SQL connection to it.`, { field: 'targetSourceId' });
  return driver.admin();
}

/** What a restore reads from the destination: the stored size of each backup it restores. */
function storedBytes(items: RestoreItem[]): number {
  return items.reduce((n, i) => n + i.manifest.object.size, 0);
}

const isEmpty = (found: { tables: number; others: string[] }): boolean => found.tables === 0 && found.others.length === 0;

function refuseNonEmpty(found: { exists: boolean; tables: number; others: string[] }, target: string, source: SourceDto, force: boolean, ofSeveral = false): void {
  const holds = holdingWords(found);
  if (!found.exists || holds === '' || force) return;
  const where = `${source.engine === 'sqlite' ? 'The file' : 'Database'} ${target} on "${source.name}"`;
  throw new AppError(
    'RESTORE_TARGET_NOT_EMPTY',
    `${where} already holds ${holds}. Restore ${ofSeveral ? 'that database alone under another name (--only DB --database NAME)' : 'under another name (--database NAME)'}, or replace it (--force): the restored copy is put in its place only once it is complete.`,
    { database: target, tables: found.tables, others: found.others },
  );
}

/**
 * Whether an existing database is restored into directly rather than through a scratch copy: only
 * where the copy cannot be made (a PostgreSQL user without CREATEDB) and need not be, the target
 * being empty and pg_restore's one transaction rolling a failure back. `--jobs` runs pg_restore
 * without that transaction, so it is refused there.
 */
async function directIntoEmpty(admin: DatabaseAdmin, target: string, found: { tables: number; others: string[] }, source: SourceDto, jobs: number): Promise<boolean> {
  if (!admin.mayCreateDatabases || !isEmpty(found)) return false;
  if (await admin.mayCreateDatabases(target)) return false;
  if (jobs > 1) {
    throw new AppError(
      'VALIDATION_FAILED',
      `User ${source.user} may not create databases, so it restores into the existing empty database ${target} directly, in one transaction that rolls a failure back, which a parallel restore (--jobs) does not run in. Restore without --jobs, or as a user with CREATEDB.`,
      { field: 'jobs' },
    );
  }
  return true;
}

/** `name`, or `name-2`, `name-3`... when a restore of the same second already kept a file under it. */
function freeName(name: string): string {
  let candidate = name;
  for (let n = 2; existsSync(candidate) || existsSync(`${candidate}-wal`); n++) candidate = `${name}-${n}`;
  return candidate;
}

function requester(host: HostProcess): string {
  let user = 'unknown user';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (a container): the host name still says where.
  }
  return `${user}@${host.identity.hostname} (${host.identity.kind === 'test' ? 'cli' : host.identity.kind})`;
}

/** One restore or drill being carried out. */
class RestoreRun {
  #stage: RestoreStage = 'check';
  #bytesBefore = 0;
  #bytesRead = 0;
  readonly #totalBytes: number;
  #lastEvent = 0;
  #lastSave = 0;
  #scratchLeft: string | null = null;
  /** Databases a worker's driver created for a failed restore and could not drop (SourceContext.onCreatedNotDropped). */
  readonly #notDropped = new Set<string>();
  /** Databases a worker's driver began to create (SourceContext.onCreatingDatabase). */
  readonly #creating = new Set<string>();
  #drill: DrillResultDto | null = null;
  readonly #tempDir: string;
  /** The worker of the next stream, started ahead; null once none is left. */
  #spare: SpareWorker | null;

  constructor(
    private readonly deps: RestoreDeps,
    private readonly id: string,
    private readonly prepared: Prepared,
    private readonly databases: RestoredDatabaseDto[],
    private readonly controller: AbortController,
    spare: SpareWorker,
  ) {
    this.#tempDir = path.join(deps.tempRoot, `restore-${id}`);
    this.#totalBytes = storedBytes(prepared.items);
    this.#spare = spare;
  }

  async execute(): Promise<RestoreDto> {
    const { deps, prepared } = this;
    const poll = setInterval(() => {
      try {
        if (deps.restores.cancelRequested(this.id)) this.controller.abort();
      } catch {
        // The store busy or full: the next poll asks again.
      }
    }, CANCEL_POLL_MS);
    poll.unref();
    let failure: AppError | null = null;
    let source: SourceDriver | null = null;
    try {
      await mkdir(this.#tempDir, { recursive: true, mode: 0o700 });
      // The host's own driver, for the short SQL calls; the worker opens its own for the stream.
      source = openSourceDriver(deps, prepared.source, this.#tempDir);
      for (const [index, item] of prepared.items.entries()) {
        this.#throwIfCancelled();
        await this.#restoreItem(item, this.databases[index]!, source);
        this.#bytesBefore += item.manifest.object.size;
      }
    } catch (error) {
      failure = this.controller.signal.aborted ? new AppError('CANCELLED', `The ${prepared.kind} was cancelled.`) : asAppError(error, deps.log);
      for (const d of this.databases) if (d.status === 'pending') d.status = failure.code === 'CANCELLED' ? 'cancelled' : 'failed';
    } finally {
      clearInterval(poll);
      // A failure or a cancel before the last stream leaves a worker started for nothing.
      this.#spare?.dispose();
      this.#spare = null;
      await source?.close().catch(() => undefined);
      await rm(this.#tempDir, { recursive: true, force: true }).catch(() => undefined);
    }
    return this.#finish(failure);
  }

  async #restoreItem(item: RestoreItem, record: RestoredDatabaseDto, source: SourceDriver): Promise<void> {
    const { deps, prepared } = this;
    // The run's roles restored first (--with-globals), its databases get their owners and grants back too.
    const owned = (operation: RestoreStreamOp): RestoreStreamOp => (operation.op === 'globals' || !prepared.withGlobals ? operation : { ...operation, keepOwners: true });
    const stream = (operation: RestoreStreamOp): Promise<LoadedRows> =>
      this.#streamInWorker(item, record, owned(operation)).catch((error: unknown) => Promise.reject(withRestoreAdvice(error, item.manifest.source.serverVersion)));
    const format = item.manifest.dump.format === 'custom' ? 'custom' : 'plain';
    // Asked for, parallel loading falls back to a decrypted file for pg_restore --jobs; by default, to one streamed pg_restore.
    const intoDatabase = (database: string, tablespace: string | null = null): Promise<LoadedRows> =>
      prepared.jobs !== null && prepared.jobs > 1 && source.restoreFile
        ? stream({ op: 'restoreFile', database, format, createDatabase: true, tablespace, jobs: prepared.jobs, file: path.join(this.#tempDir, `${item.backup.id}.dump`) })
        : stream({ op: 'restore', database, format, createDatabase: true, tablespace, loaders: prepared.jobs ?? DEFAULT_RESTORE_JOBS });
    this.#setStage('restore', record.database);
    try {
      switch (item.mode) {
        case 'globals': {
          // The worker's driver refuses a source without roles, as VALIDATION_FAILED.
          await stream({ op: 'globals' });
          record.notes.push('Roles that already existed on the server kept their place; their attributes and passwords were set as they were in the backup.');
          break;
        }
        case 'file': {
          const existed = inspectSqliteFile(item.target).exists;
          const kept = existed ? freeName(keptName(item.target, deps.now())) : null;
          // A second name for the old file (and its WAL, which holds changes not yet in it, and
          // which SQLite finds by the name): the rename over the target leaves them there, complete.
          const keptFiles: string[] = [];
          try {
            if (kept) {
              await link(item.target, kept).catch((error: unknown) => Promise.reject(fsAppError(error, 'RESTORE_FAILED', `Could not keep ${item.target} as ${kept}; it was left as it was`, { path: kept })));
              keptFiles.push(kept);
              if (existsSync(`${item.target}-wal`)) {
                await link(`${item.target}-wal`, `${kept}-wal`).catch((error: unknown) =>
                  Promise.reject(fsAppError(error, 'RESTORE_FAILED', `Could not keep ${item.target}-wal as ${kept}-wal; ${item.target} was left as it was`, { path: `${kept}-wal` })),
                );
                keptFiles.push(`${kept}-wal`);
              }
            }
            await stream({ op: 'restore', database: item.target, format, createDatabase: false });
          } catch (error) {
            await Promise.all(keptFiles.map((f) => unlink(f).catch(() => undefined)));
            // A worker stopped outright could not remove the file it was writing beside the target.
            if (workerAbandoned(error)) await removeAbandonedSqlitePartials(item.target);
            throw error;
          }
          record.replaced = existed;
          record.keptAs = kept;
          this.#setStage('count', record.database);
          record.tables = countSqliteRows(item.target);
          break;
        }
        case 'create': {
          // Recorded for the history: a process killed outright leaves the half-restored database, which nothing else names.
          this.#scratchLeft = `the database ${item.target} on "${prepared.source.name}", which it was creating`;
          this.#progress(record.database, this.#bytesRead, true);
          const loaded = await intoDatabase(item.target).catch(async (error: unknown) => {
            // The driver drops what it created; #dropAbandoned tries again what a stopped worker's driver, or one that could not, left: a note says if that failed too.
            this.#scratchLeft = null;
            if (workerAbandoned(error) || this.#notDropped.has(item.target)) await this.#dropAbandoned(item.target, record, source);
            throw error;
          });
          this.#scratchLeft = null;
          await this.#giveProperties(item, record, source);
          this.#setStage('count', record.database);
          record.tables = await source.admin!().countRows(item.target, { ...RESTORED_COPY, loaded });
          break;
        }
        case 'into':
          await this.#restoreInto(item, record, source, stream, format);
          break;
        case 'swap': {
          const admin = source.admin!();
          this.#scratchLeft = `the scratch database ${item.scratch} on "${prepared.source.name}"`;
          let leftovers: string[];
          let loaded: LoadedRows;
          try {
            loaded = await intoDatabase(item.scratch!, item.tablespace ?? null);
            this.#throwIfCancelled();
            // Killed during the swap, either may be left: the copy, or what the target held, moved aside.
            this.#scratchLeft = `the scratch database ${item.scratch} on "${prepared.source.name}", or, if the swap got that far, ${item.scratch}_old holding what ${item.target} held (look at both before dropping either)`;
            this.#setStage('swap', record.database);
            leftovers = await admin.swap(item.target, item.scratch!, { charset: item.manifest.source.charset ?? null, onNote: (text) => record.notes.push(text), endSessions: this.prepared.endSessions });
            this.#scratchLeft = null;
          } catch (error) {
            if (isCreateDenied(error)) {
              this.#scratchLeft = null;
              // A MySQL/MariaDB user who may use this database but not create others: straight into it, as it is empty.
              if (item.emptyTarget && prepared.source.engine === 'mysql') {
                await this.#restoreInto(item, record, source, stream, format);
                break;
              }
            } else if (!this.#mayHaveCreated(item.scratch!, error)) {
              this.#scratchLeft = null;
            } else {
              // A swap that failed put the target back: what is left to drop is the copy alone.
              this.#scratchLeft = `the scratch database ${item.scratch} on "${prepared.source.name}"`;
              await admin.drop(item.scratch!).then(
                () => (this.#scratchLeft = null),
                (dropError: unknown) => deps.log.warn('could not drop a scratch database', { database: item.scratch, error: String(dropError) }),
              );
            }
            throw error;
          }
          record.replaced = true;
          this.#setStage('count', record.database);
          const after = await countWhileDropping(admin, item.target, leftovers, { where: `on "${prepared.source.name}"`, log: deps.log, connections: RESTORED_COPY.connections, loaded });
          record.tables = after.tables;
          record.notes.push(...after.notes);
          break;
        }
        case 'drill':
          await this.#drillItem(item, record, source, stream, format);
          break;
      }
      record.status = 'restored';
    } catch (error) {
      record.status = this.controller.signal.aborted ? 'cancelled' : 'failed';
      if (this.#scratchLeft) record.notes.push(scratchNotDropped(this.#scratchLeft));
      throw error;
    }
  }

  /** Straight into an existing empty database (restore-plan.ts, mode `into`, or a MySQL/MariaDB swap refused its scratch copy): the copy one the user may not create. */
  async #restoreInto(item: RestoreItem, record: RestoredDatabaseDto, source: SourceDriver, stream: (operation: RestoreStreamOp) => Promise<LoadedRows>, format: 'custom' | 'plain'): Promise<void> {
    const mysql = this.prepared.source.engine === 'mysql';
    const loaded = await stream({ op: 'restore', database: item.target, format, createDatabase: false }).catch(async (error: unknown) => {
      const left = await this.#leftInEmptied(item.target, source);
      if (left) record.notes.push(left);
      throw error;
    });
    const how = mysql ? 'rather than into a copy swapped in' : 'in one transaction, rather than into a copy swapped in';
    const kept = mysql ? 'its own default character set and collation' : 'its own owner, privileges, encoding and locale';
    record.notes.push(`User ${this.prepared.source.user} may not create databases, so the backup was restored straight into the existing empty database ${item.target}, ${how}: ${item.target} keeps ${kept}.`);
    // PostgreSQL refuses --jobs here before restoring (directIntoEmpty); MySQL/MariaDB restores with one client, and says so.
    const asked = this.prepared.jobs ?? 1;
    if (mysql && asked > 1) record.notes.push(`One client loaded it, not the ${asked} asked for (--jobs): clients load a dump in parallel only into a database the restore creates.`);
    this.#setStage('count', record.database);
    record.tables = await source.admin!().countRows(item.target, { ...RESTORED_COPY, loaded });
  }

  /**
   * A PostgreSQL database this restore created gets what its backup kept beside the dump: settings
   * (an application's search_path), connection limit, comment, and with the run's roles its owner
   * and privileges. What the server refuses is a note; the restore stands.
   */
  async #giveProperties(item: RestoreItem, record: RestoredDatabaseDto, source: SourceDriver): Promise<void> {
    const kept = item.manifest.source.properties;
    const admin = source.admin!();
    if (!kept || !admin.giveProperties) return;
    try {
      record.notes.push(...(await admin.giveProperties(item.target, kept, this.prepared.withGlobals)));
    } catch (error) {
      record.notes.push(`${item.target} could not be given the backed-up database's settings, connection limit and comment (${messageOf(error)}): set them ${BY_HAND} as the original had them.`);
    }
  }

  #engine(): 'postgres' | 'mysql' {
    return this.prepared.source.engine === 'mysql' ? 'mysql' : 'postgres';
  }

  /** After a failed restore straight into an empty database: what it made dropped again (MySQL/MariaDB); null when it is empty again, else a note saying what it holds. */
  async #leftInEmptied(database: string, source: SourceDriver): Promise<string | null> {
    try {
      await source.admin!().emptyOut?.(database);
      const holds = holdingWords(await source.admin!().inspect(database));
      return holds === '' ? null : notRolledBack(database, holds, '', this.#engine());
    } catch (error) {
      return notRolledBack(database, null, messageOf(error), this.#engine());
    }
  }

  async #drillItem(item: RestoreItem, record: RestoredDatabaseDto, source: SourceDriver, stream: (operation: RestoreStreamOp) => Promise<LoadedRows>, format: 'custom' | 'plain'): Promise<void> {
    const { deps, prepared } = this;
    const sqlite = prepared.source.engine === 'sqlite';
    const scratch = item.scratch!;
    this.#scratchLeft = sqlite ? null : `the scratch database ${scratch} on "${prepared.source.name}"`;
    // Whether the scratch database may exist: not when the server refused to create it.
    let made = true;
    let failedAt: RestoreStage | null = null;
    try {
      const loaded = await stream({ op: 'restore', database: scratch, format, createDatabase: !sqlite, loaders: DEFAULT_RESTORE_JOBS }).catch((error: unknown) => {
        made = !isCreateDenied(error) && (sqlite || this.#mayHaveCreated(scratch, error));
        throw error;
      });
      this.#setStage('count', record.database);
      record.tables = sqlite ? countSqliteRows(scratch) : await source.admin!().countRows(scratch, { ...RESTORED_COPY, loaded });
      this.#throwIfCancelled();
      this.#setStage('compare', record.database);
      const now = await this.#countsNow(item.manifest);
      this.#drill = { ok: false, comparedWith: `${item.manifest.source.database} on "${prepared.compareWith!.name}"`, tables: record.tables.length, differences: differences(record.tables, now), scratchDropped: false };
      this.#drill.ok = this.#drill.differences.length === 0;
    } catch (error) {
      failedAt = this.#stage;
      throw error;
    } finally {
      this.#setStage('cleanup', record.database);
      // Counting a SQLite scratch file opens it read-only, which leaves its -wal and -shm behind: they go with it,
      // and so does the file a worker stopped outright was writing.
      const dropped =
        !made ||
        (sqlite
          ? await Promise.all([...['', '-wal', '-shm', '-journal'].map((suffix) => unlinkIfThere(`${scratch}${suffix}`)), removeAbandonedSqlitePartials(scratch)]).then(
              () => true,
              (error: unknown) => (record.notes.push(scratchFileNotRemoved(scratch, messageOf(error))), false),
            )
          : await source.admin!()
              .drop(scratch)
              .then(
                () => true,
                (error: unknown) => (deps.log.warn('could not drop the drill database', { database: scratch, error: messageOf(error) }), false),
              ));
      if (!dropped && this.#scratchLeft) record.notes.push(scratchNotDropped(this.#scratchLeft));
      // Said once: the note the enclosing catch adds for a scratch still left would say it again.
      this.#scratchLeft = null;
      if (this.#drill) this.#drill.scratchDropped = dropped;
      // The words of a failed or cancelled drill name the stage it stopped in, not the cleanup that followed.
      if (failedAt) this.#stage = failedAt;
    }
  }

  /** The tables of the database the backup was made of, counted now, on the source compared with. */
  async #countsNow(manifest: BackupManifest): Promise<TableCountDto[]> {
    const { deps, prepared } = this;
    const compare = prepared.compareWith!;
    if (compare.engine === 'sqlite') return countSqliteRows(sqliteTarget(compare, undefined));
    const driver = openSourceDriver(deps, compare, this.#tempDir);
    try {
      return await adminOf(driver, compare).countRows(manifest.source.database);
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  /** One database's bytes, from the destination into the tool, in the pipeline worker; its errors are thrown here as they were there. */
  async #streamInWorker(item: RestoreItem, record: RestoredDatabaseDto, operation: RestoreStreamOp): Promise<LoadedRows> {
    const { deps, prepared } = this;
    const { destinationId } = prepared.backup;
    const spare = this.#spare ?? undefined;
    // Every item (a database, the roles, a drill's scratch copy) streams once: the next one's worker loads while this one streams.
    this.#spare = item !== prepared.items.at(-1) ? SpareWorker.start(deps.workerFile) : null;
    return restoreInWorker(
      {
        destination: { dto: deps.destinations.get(destinationId), secrets: deps.destinations.secrets(destinationId) },
        source: { dto: prepared.source, secrets: deps.sources.secrets(prepared.source.id) },
        sourceContext: { tempDir: this.#tempDir, env: deps.toolEnv, toolPaths: deps.settings.get().toolPaths },
        manifest: item.manifest,
        keys: prepared.keys.get(item.backup.id)!,
        operation,
      },
      {
        signal: this.controller.signal,
        cancelGraceMs: deps.cancelGraceMs,
        workerFile: deps.workerFile,
        spare,
        onBytes: (n) => this.#progress(record.database, this.#bytesBefore + n),
        onDestinationHostKeyPinned: (fp) => deps.destinations.pinHostKey(destinationId, fp),
        onSourceHostKeyPinned: (fp) => deps.sources.pinHostKey(prepared.source.id, fp),
        onNote: (text) => record.notes.push(text),
        // A swap's or a drill's scratch copy is dropped again here whatever the worker did; a new database is, when this says so.
        onCreatedNotDropped: (database) => this.#notDropped.add(database),
        onCreatingDatabase: (database) => this.#creating.add(database),
        log: deps.log,
      },
    );
  }

  /** A database that did not exist before, which a worker stopped outright, or its driver failing to drop it, left. */
  async #dropAbandoned(database: string, record: RestoredDatabaseDto, source: SourceDriver): Promise<void> {
    const { deps, prepared } = this;
    const admin = source.admin!();
    try {
      if ((await admin.inspect(database)).exists) await admin.drop(database);
    } catch (error) {
      deps.log.warn('could not drop a database a failed restore created', { database, error: String(error) });
      record.notes.push(`The database ${database} on "${prepared.source.name}", created for this restore, could not be dropped (${messageOf(error)}): drop it ${BY_HAND}.`);
    }
  }

  /**
   * Whether a database this restore's worker was to create may be on the server after `error`: not
   * when the worker ended in its own words without having begun to create it (the SSH host or the
   * destination gone before), whose message would have come before its end. A worker stopped outright
   * may have lost it.
   */
  #mayHaveCreated(database: string, error: unknown): boolean {
    return workerAbandoned(error) || this.#creating.has(database);
  }

  #throwIfCancelled(): void {
    if (this.controller.signal.aborted) throw new AppError('CANCELLED', `The ${this.prepared.kind} was cancelled.`);
  }

  #setStage(stage: RestoreStage, database: string | null): void {
    this.#stage = stage;
    this.#progress(database, this.#bytesRead, true);
  }

  #progress(database: string | null, bytesRead: number, force = false): void {
    const { deps } = this;
    this.#bytesRead = bytesRead;
    const at = Date.now();
    if (force || at - this.#lastEvent >= PROGRESS_EVENT_MS) {
      this.#lastEvent = at;
      deps.events.emit('restore:progress', { restoreId: this.id, stage: this.#stage, database, bytesRead, totalBytes: this.#totalBytes });
    }
    if (force || at - this.#lastSave >= PROGRESS_SAVE_MS) {
      this.#lastSave = at;
      try {
        deps.restores.progress(this.id, { stage: this.#stage, bytesRead, databases: this.databases, scratch: this.#scratchLeft });
      } catch (error) {
        // A full data dir must not stop a restore that writes elsewhere; the end is recorded again.
        deps.log.warn('could not record a restore\'s progress', { error: String(error) });
      }
    }
  }

  #finish(failure: AppError | null): RestoreDto {
    const { deps, prepared } = this;
    const status = failure === null ? 'succeeded' : failure.code === 'CANCELLED' ? 'cancelled' : 'failed';
    const message = failure
      ? failureWords(prepared, this.databases, this.#stage, failure)
      : prepared.kind === 'drill'
        ? drillWords(this.#drill!, this.databases, prepared.source.engine === 'sqlite' ? 'file' : 'database')
        : successWords(prepared, this.databases);
    const record = deps.restores.finish(this.id, {
      status,
      stage: this.#stage,
      finishedAt: deps.now().toISOString(),
      bytesRead: this.#bytesRead,
      databases: this.databases,
      drill: this.#drill,
      error: failure ? { code: failure.code, message: failure.message } : null,
      message,
    });
    if (prepared.kind === 'drill') {
      const restored = failure === null && this.#drill !== null;
      deps.backupState.recordDrill(prepared.backup.destinationId, prepared.backup.key, { at: record.finishedAt!, ok: restored && this.#drill!.ok, restored, restoreId: this.id, message });
    }
    deps.log.info(`${prepared.kind} ${status}`, { restoreId: this.id, backup: prepared.backup.key, target: prepared.source.name });
    deps.events.emit('restore:finished', record);
    return record;
  }
}

function differences(inBackup: TableCountDto[], now: TableCountDto[]): DrillDifferenceDto[] {
  const key = (t: TableCountDto): string => `${t.schema ?? ''}\u0000${t.table}`;
  const backup = new Map(inBackup.map((t) => [key(t), t]));
  const current = new Map(now.map((t) => [key(t), t]));
  const out: DrillDifferenceDto[] = [];
  for (const k of [...new Set([...backup.keys(), ...current.keys()])].sort()) {
    const b = backup.get(k);
    const c = current.get(k);
    if (b && c && b.rows === c.rows) continue;
    const t = (b ?? c)!;
    out.push({ schema: t.schema, table: t.table, inBackup: b?.rows ?? null, inSourceNow: c?.rows ?? null, difference: b && c ? c.rows - b.rows : null });
  }
  return out;
}

function asAppError(error: unknown, log: Logger): AppError {
  if (error instanceof AppError) return error;
  log.warn('a restore failed unexpectedly', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return new AppError('INTERNAL', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}

export type { Prepared as PreparedRestore };
