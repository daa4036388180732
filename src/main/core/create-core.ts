import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { AppHost, AppInfoDto } from '../../shared/domain/dto';
import type { InvokeChannel } from '../../shared/ipc/channels';
import type { InvokeInput, InvokeResult } from '../../shared/ipc/contract';
import { AppError, unwrap, type Result } from '../../shared/ipc/result';
import { dispatch } from './dispatch';
import { CoreEvents } from './events';
import { createHandlers } from './handlers';
import type { KeyStore } from './keys/key-store';
import { MasterKey } from './keys/master-key';
import { silentLogger, type Logger } from './logger';
import { ensureFolderSync } from './files/ensure-folder';
import { fsAppError } from './files/fs-errors';
import { getMeta, openDatabase, setMeta, type Db } from './store/db';
import { storeFailure } from './store/store-errors';
import { DestinationsRepository } from './store/destinations-repository';
import { EnvironmentsRepository } from './store/environments-repository';
import { JobsRepository } from './store/jobs-repository';
import { ProfilesRepository } from './store/profiles-repository';
import { DEFAULT_DELIVERY, type DeliveryPolicy } from './notifications/deliver';
import { Notifier } from './notifications/notifier';
import { HostProcess } from './ownership/host-process';
import type { CleanupDeps } from './ownership/leftover-cleanup';
import { currentProcessIdentity, type HostKind, type ProcessIdentity } from './ownership/process-identity';
import { cleanDueLeftovers, reapAbandoned, type ReaperDeps } from './ownership/run-reaper';
import { restoreTempVerdict } from './restore/restore-temp-sweep';
import { Scheduler } from './scheduler/scheduler';
import { systemClock, type SchedulerClock } from './scheduler/scheduler-clock';
import { SchedulerLease } from './scheduler/scheduler-lease';
import { LeftoversRepository } from './store/leftovers-repository';
import { ProcessesRepository } from './store/processes-repository';
import { RunsRepository } from './store/runs-repository';
import { SettingsRepository } from './store/settings-repository';
import { RetentionService } from './retention/retention-service';
import { RunService } from './runs/run-service';
import { BackupsRepository } from './store/backups-repository';
import { BackupStateRepository } from './store/backup-state-repository';
import { BackupExplorer } from './backups/backup-explorer';
import { streamBackup, type StreamedBackup } from './backups/download-backup';
import { SourcesRepository } from './store/sources-repository';
import { RestoresRepository } from './store/restores-repository';
import { RestoreService } from './restore/restore-service';
import { pipelineWorkerFile } from './pipeline/worker-client';
import { SystemBackup } from './system/system-backup';
import { currentTrayModel } from './tray/tray-service';
import type { TrayModel } from './tray/tray-model';
import { DB_FILE } from './paths';

export interface CoreOptions {
  dataDir: string;
  keyStore: KeyStore;
  clock?: () => Date;
  log?: Logger;
  /** Where the host keeps its log file, shown in Settings; null or absent when it keeps none. */
  logFile?: string | null;
  version?: string;
  migrationsDir?: string;
  /** The host's environment for finding dump tools (PATH): the core never reads process.env. */
  toolEnv: Record<string, string | undefined>;
  /** Who this process is to the others sharing the data dir; a fresh identity of kind 'test' if not given. */
  owner?: ProcessIdentity;
  /**
   * At start, runs of processes that are gone are marked interrupted at once; what they left at
   * their destinations is removed before createCore returns ('await', for short-lived commands
   * that must find a clean state), or while the host goes on ('background').
   */
  leftoverCleanup?: 'await' | 'background';
  /** Length of one minute of a job's timeout, in milliseconds; tests shorten it. */
  minuteMs?: number;
  /** How long a cancelled run or restore gets to stop on its own before its worker is stopped outright. */
  cancelGraceMs?: number;
  /** What a post-run hook gets at least while the host stops (RunServiceDeps.stopHookMs); tests shorten it. */
  stopHookMs?: number;
  /** The built pipeline worker (backups, restores, recovery:decrypt); the one beside the core by default. */
  workerFile?: URL;
  /** Bound on cleaning one destination of what an unfinished run left there. */
  cleanupDeadlineMs?: number;
  /** Time and timers for the scheduler (tests move it by hand); its `now` is the core's clock unless `clock` is given. */
  schedulerClock?: SchedulerClock;
  /** The calendar retention counts days on for jobs without a time zone; this machine's by default. */
  timeZone?: string;
  /** How notifications are retried; tests shorten the waits. */
  notificationDelivery?: Partial<DeliveryPolicy>;
  /** age's scrypt work factor for files the core encrypts to a passphrase (system backups); tests lower it. */
  scryptWorkFactor?: number;
}

export interface CoreServices {
  readonly dataDir: string;
  readonly db: Db;
  readonly keys: MasterKey;
  readonly events: CoreEvents;
  readonly log: Logger;
  readonly environments: EnvironmentsRepository;
  readonly sources: SourcesRepository;
  readonly destinations: DestinationsRepository;
  readonly profiles: ProfilesRepository;
  readonly jobs: JobsRepository;
  readonly runs: RunsRepository;
  readonly settings: SettingsRepository;
  readonly runService: RunService;
  readonly backups: BackupsRepository;
  /** Pins, last verifications and cached manifests, by destination and object key. */
  readonly backupState: BackupStateRepository;
  /** The storage explorer: backups as the destinations hold them. */
  readonly explorer: BackupExplorer;
  /** The restore history. */
  readonly restores: RestoresRepository;
  /** Restores and drills. */
  readonly restoreService: RestoreService;
  /** Retention policies: previewed, and applied after each successful run. */
  readonly retention: RetentionService;
  /** Webhooks, Healthchecks pings and desktop alerts about runs. */
  readonly notifier: Notifier;
  /** The whole configuration to one passphrase-encrypted file, and back. */
  readonly system: SystemBackup;
  readonly leftovers: LeftoversRepository;
  /** This process, as the others sharing the data dir see it. */
  readonly host: HostProcess;
  /** What removing unfinished uploads at destinations needs. */
  readonly cleanup: CleanupDeps;
  /** Runs jobs on their schedules once a host calls `start()` (the app, the daemon); CLI commands never do. */
  readonly scheduler: Scheduler;
  readonly lease: SchedulerLease;
  /** Private scratch space inside the data dir: one folder per process and per run. */
  readonly tempRoot: string;
  readonly toolEnv: Record<string, string | undefined>;
  /** The built pipeline worker that backups, restores and recovery:decrypt run in. */
  readonly workerFile: URL;
  /** The core's clock. */
  now(): Date;
  info(): AppInfoDto;
  /** Each job's health, the worst of them, the tooltip and the menu, for the desktop app's tray to draw. */
  trayModel(): TrayModel;
}

export interface Core extends CoreServices {
  /** Validates and runs one contract call; never throws. */
  invoke(channel: unknown, input: unknown): Promise<Result<unknown>>;
  /** Typed convenience for in-process callers (CLI, tests): throws AppError on failure. */
  call<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<InvokeResult<C>>;
  /**
   * Stops scheduling, lets this process's runs finish for up to `graceMs`, cancels the rest,
   * waits until each has recorded its end and run its post-run hook (RunService.stopAll) and, for
   * a few seconds, for notifications still being delivered, then closes.
   */
  shutdown(reason?: string, graceMs?: number): Promise<void>;
  /**
   * Waits for notifications still being delivered, retries included, up to `limitMs` (a CLI
   * command before it exits); `onWait` is called first when there are any. True when all ended.
   */
  drainNotifications(limitMs?: number, onWait?: () => void): Promise<boolean>;
  /**
   * The stored bytes of a complete backup into `sink` as they are read, their size and sha256
   * checked against its manifest on the way (streamBackup): what a pipe needs
   * (`vaultdesk backup download ID -o -`), and no contract result can carry.
   */
  streamBackup(id: string, sink: Writable, sinkName: string): Promise<StreamedBackup>;
  close(): void;
}

export { DB_FILE };
/**
 * What a post-run hook gets at least while the host stops: enough to release a mount or close a
 * tunnel, and inside the minute the README's systemd unit leaves after its grace period.
 */
const STOP_HOOK_MS = 30_000;
/** How long a closing host waits for notifications still being delivered. */
const SHUTDOWN_NOTIFY_MS = 5_000;

/**
 * Runs whose process is gone are marked interrupted, and temp folders nobody owns removed; a
 * store that cannot be written (full disk, read-only data dir) must not stop the host from
 * reading it, so a failure here is logged. Destinations are cleaned as `mode` says.
 */
async function startUpSweep(deps: ReaperDeps & { notifier: Notifier }, mode: 'await' | 'background'): Promise<void> {
  try {
    for (const r of reapAbandoned(deps)) deps.notifier.runEnded(deps.runs.get(r.id));
  } catch (error) {
    deps.log.warn('could not check for interrupted runs', { error: String(error) });
    return;
  }
  const cleaning = cleanDueLeftovers(deps).catch((error: unknown) => deps.log.warn('leftover cleanup failed', { error: String(error) }));
  if (mode === 'await') await cleaning;
}

/** The composition root: every host (Electron, CLI, serve) builds its core here. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? silentLogger;
  const schedulerClock = options.schedulerClock ?? systemClock;
  const now = options.clock ?? (() => schedulerClock.now());
  const db = openStore(options.dataDir, options.migrationsDir);
  try {
    let instanceId = getMeta(db, 'instance_id');
    if (!instanceId) {
      instanceId = randomUUID();
      setMeta(db, 'instance_id', instanceId);
    }
    const keys = await MasterKey.open(db, options.keyStore, `data-dir-${instanceId}`);
    if (keys.state !== 'ok') {
      const problem = keys.state === 'mismatch' ? 'the master key does not match this data dir' : 'no master key for this data dir was found';
      log.warn(`${problem}: whatever needs a stored credential fails until the right key is imported; vaultdesk key status says more`, { state: keys.state, where: keys.status().location });
    }
    const environments = new EnvironmentsRepository(db, now);
    const destinations = new DestinationsRepository(db, keys, now);
    const sources = new SourcesRepository(db, keys, environments, now);
    const profiles = new ProfilesRepository(db, keys, now);
    const jobs = new JobsRepository(db, sources, destinations, environments, profiles, keys, now);
    const runs = new RunsRepository(db);
    const leftovers = new LeftoversRepository(db);
    const settings = new SettingsRepository(db, keys);
    const tempRoot = path.join(options.dataDir, 'tmp');
    ensureFolderSync(tempRoot, { mode: 0o700 });
    const host = new HostProcess(options.owner ?? currentProcessIdentity('test'), new ProcessesRepository(db), now, log);
    const cleanup = { leftovers, runs, destinations, now, log, deadlineMs: options.cleanupDeadlineMs ?? 20_000 };
    const events = new CoreEvents();
    const toolEnv = options.toolEnv;
    const workerFile = options.workerFile ?? pipelineWorkerFile();
    const cancelGraceMs = options.cancelGraceMs ?? 5_000;
    const backups = new BackupsRepository(db, now);
    const backupState = new BackupStateRepository(db, now);
    const restores = new RestoresRepository(db);
    const explorer = new BackupExplorer({ destinations, backups, backupState, jobs, runs, profiles, restores, log, now });
    const retention = new RetentionService({ backups, backupState, destinations, jobs, runs, restores, log, now, timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone });
    const notifier = new Notifier({ jobs, runs, settings, events, log, now, delivery: { ...DEFAULT_DELIVERY, ...options.notificationDelivery }, host: hostOf(host.identity.kind) });
    const runService = new RunService({
      jobs,
      runs,
      leftovers,
      settings,
      sources,
      destinations,
      environments,
      profiles,
      events,
      log,
      now,
      appVersion: options.version ?? '0.0.0',
      host,
      tempRoot,
      toolEnv,
      minuteMs: options.minuteMs ?? 60_000,
      cancelGraceMs,
      stopHookMs: options.stopHookMs ?? STOP_HOOK_MS,
      workerFile,
      cleanup,
      retention,
      notifier,
    });
    const restoreService = new RestoreService({ explorer, destinations, sources, jobs, profiles, settings, backupState, restores, events, log, now, host, tempRoot, toolEnv, cancelGraceMs, workerFile });
    let running: { id: string; targets: string[] }[] | null = null;
    try {
      await restoreService.reapDead();
      running = restores.running();
    } catch (error) {
      log.warn('could not check for interrupted restores', { error: String(error) });
    }
    await startUpSweep({ ...cleanup, host, tempRoot, notifier, restoreTemp: restoreTempVerdict(tempRoot, running) }, options.leftoverCleanup ?? 'background');
    const lease = new SchedulerLease(db, host, now);
    const scheduler = new Scheduler({ jobs, runs, runService, settings, lease, clock: schedulerClock, events, log });
    const services: CoreServices = {
      dataDir: options.dataDir,
      db,
      keys,
      events,
      log,
      environments,
      sources,
      destinations,
      profiles,
      jobs,
      runs,
      settings,
      runService,
      backups,
      backupState,
      explorer,
      restores,
      restoreService,
      retention,
      notifier,
      system: new SystemBackup({ db, keys, sources, destinations, profiles, jobs, settings, now, version: options.version ?? '0.0.0', scryptWorkFactor: options.scryptWorkFactor }),
      leftovers,
      host,
      cleanup,
      scheduler,
      lease,
      tempRoot,
      toolEnv,
      workerFile,
      now,
      info: () => ({ version: options.version ?? '0.0.0', dataDir: options.dataDir, logFile: options.logFile ?? null, key: keys.status(), host: hostOf(host.identity.kind) }),
      trayModel: () => currentTrayModel({ jobs, runs, settings, now }),
    };
    const handlers = createHandlers(services);
    const invoke = (channel: unknown, input: unknown): Promise<Result<unknown>> => dispatch(handlers, log, channel, input);
    return {
      ...services,
      invoke,
      call: async (channel, input) => unwrap(await invoke(channel, input)) as InvokeResult<typeof channel>,
      shutdown: async (reason = 'Vaultdesk is shutting down', graceMs = 0) => {
        scheduler.stop();
        await runService.stopAll(reason, graceMs);
        await restoreService.stopAll();
        if (!(await notifier.drain(SHUTDOWN_NOTIFY_MS))) log.warn('notifications still being retried were given up at shutdown', { pending: notifier.pending });
        notifier.close();
        host.close();
        db.close();
      },
      streamBackup: (id, sink, sinkName) => streamBackup(explorer, id, sink, sinkName),
      drainNotifications: async (limitMs, onWait) => {
        if (notifier.pending === 0) return true;
        onWait?.();
        return notifier.drain(limitMs);
      },
      close: () => {
        scheduler.stop();
        notifier.close();
        host.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw storeFailure(error, options.dataDir) ?? error;
  }
}

/** Which host the renderer talks to; a test's in-process core has no window, like the CLI. */
function hostOf(kind: HostKind): AppHost {
  return kind === 'test' ? 'cli' : kind;
}

/** The data dir and its database, or an error in words: a path that cannot hold it, a full or read-only disk. */
function openStore(dataDir: string, migrationsDir: string | undefined): Db {
  try {
    ensureFolderSync(dataDir, { mode: 0o700 });
  } catch (error) {
    throw error instanceof AppError ? error : fsAppError(error, 'STORE_WRITE_FAILED', `Could not create the data dir ${dataDir}`, { path: dataDir });
  }
  try {
    return openDatabase(path.join(dataDir, DB_FILE), migrationsDir);
  } catch (error) {
    throw storeFailure(error, dataDir) ?? error;
  }
}
