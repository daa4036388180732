import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AppInfoDto } from '../../shared/domain/dto';
import type { InvokeChannel } from '../../shared/ipc/channels';
import type { InvokeInput, InvokeResult } from '../../shared/ipc/contract';
import { unwrap, type Result } from '../../shared/ipc/result';
import { dispatch } from './dispatch';
import { CoreEvents } from './events';
import { createHandlers } from './handlers';
import type { KeyStore } from './keys/key-store';
import { MasterKey } from './keys/master-key';
import { silentLogger, type Logger } from './logger';
import { getMeta, openDatabase, setMeta, type Db } from './store/db';
import { DestinationsRepository } from './store/destinations-repository';
import { EnvironmentsRepository } from './store/environments-repository';
import { JobsRepository } from './store/jobs-repository';
import { ProfilesRepository } from './store/profiles-repository';
import { RunsRepository } from './store/runs-repository';
import { SettingsRepository } from './store/settings-repository';
import { RunService } from './runs/run-service';
import { SourcesRepository } from './store/sources-repository';

export interface CoreOptions {
  dataDir: string;
  keyStore: KeyStore;
  clock?: () => Date;
  log?: Logger;
  version?: string;
  migrationsDir?: string;
  /** The host's environment for finding dump tools (PATH): the core never reads process.env. */
  toolEnv?: Record<string, string | undefined>;
  /** Length of one minute of a job's timeout, in milliseconds; tests shorten it. */
  minuteMs?: number;
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
  /** Private scratch space inside the data dir (dump tools' temp files). */
  readonly tempRoot: string;
  readonly toolEnv: Record<string, string | undefined>;
  info(): AppInfoDto;
}

export interface Core extends CoreServices {
  /** Validates and runs one contract call; never throws. */
  invoke(channel: unknown, input: unknown): Promise<Result<unknown>>;
  /** Typed convenience for in-process callers (CLI, tests): throws AppError on failure. */
  call<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<InvokeResult<C>>;
  close(): void;
}

export const DB_FILE = 'vaultdesk.db';

/** The composition root: every host (Electron, CLI, serve) builds its core here. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? silentLogger;
  const now = options.clock ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(path.join(options.dataDir, DB_FILE), options.migrationsDir);
  try {
    let instanceId = getMeta(db, 'instance_id');
    if (!instanceId) {
      instanceId = randomUUID();
      setMeta(db, 'instance_id', instanceId);
    }
    const keys = await MasterKey.open(db, options.keyStore, `data-dir-${instanceId}`);
    if (keys.state !== 'ok') log.warn('master key problem', { state: keys.state });
    const environments = new EnvironmentsRepository(db, now);
    const destinations = new DestinationsRepository(db, keys, now);
    const sources = new SourcesRepository(db, keys, environments, now);
    const profiles = new ProfilesRepository(db, keys, now);
    const jobs = new JobsRepository(db, sources, destinations, environments, profiles, now);
    const runs = new RunsRepository(db);
    const settings = new SettingsRepository(db);
    const interrupted = runs.failInterrupted(now().toISOString());
    if (interrupted > 0) log.warn('runs interrupted by the last shutdown were marked failed', { count: interrupted });
    const tempRoot = path.join(options.dataDir, 'tmp');
    // Leftovers of a crashed run (defaults files, SQLite snapshots) must not linger.
    rmSync(tempRoot, { recursive: true, force: true });
    mkdirSync(tempRoot, { recursive: true, mode: 0o700 });
    const events = new CoreEvents();
    const toolEnv = options.toolEnv ?? {};
    const runService = new RunService({ jobs, runs, settings, sources, destinations, environments, profiles, events, log, now, appVersion: options.version ?? '0.0.0', tempRoot, toolEnv, minuteMs: options.minuteMs ?? 60_000 });
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
      tempRoot,
      toolEnv,
      info: () => ({ version: options.version ?? '0.0.0', dataDir: options.dataDir, key: keys.status() }),
    };
    const handlers = createHandlers(services);
    const invoke = (channel: unknown, input: unknown): Promise<Result<unknown>> => dispatch(handlers, log, channel, input);
    return {
      ...services,
      invoke,
      call: async (channel, input) => unwrap(await invoke(channel, input)) as InvokeResult<typeof channel>,
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
