import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/ipc/result';
import { createCore, DB_FILE, type Core } from '../core/create-core';
import { storeHasKeyCheck } from '../core/keys/master-key';
import { createOsKeychain } from '../core/keys/os-keychain';
import { selectKeyStore } from '../core/keys/select-key-store';
import { fsAppError } from '../core/files/fs-errors';
import { openLogFile } from '../core/log-file';
import { jsonLogger, silentLogger, teeLogger, type Logger } from '../core/logger';
import { currentProcessIdentity, type HostKind } from '../core/ownership/process-identity';
import { hostDataDir, hostKeyFile, hostToolEnv } from './host-paths';

export interface HostStart {
  kind: Exclude<HostKind, 'test'>;
  /** What the process is, for messages it leaves for others ("vaultdesk run list"); its kind's words when absent. */
  label?: string;
  /**
   * The process environment. VAULTDESK_MASTER_KEY is read from it and then deleted, so no child
   * (dump tools, Chromium's helpers, hooks) inherits the key.
   */
  env: NodeJS.ProcessEnv;
  /** --data-dir, when given. */
  dataDir?: string | undefined;
  /** --master-key-file, when given. */
  masterKeyFile?: string | undefined;
  /** Where the host's own output goes (stderr), at the level it chose. */
  log: Logger;
  /**
   * Long-running hosts also keep a rotating log in the data dir, `logs/<logFile>.log`, at info
   * level (debug with `logLevel`), so an installed app's log can be found; CLI commands keep none.
   */
  logFile?: string | undefined;
  logLevel?: 'debug' | 'info';
  version: string;
  /** Short-lived commands wait for leftovers of dead runs to be removed; long-running hosts do it meanwhile. */
  leftoverCleanup: 'await' | 'background';
  platform?: NodeJS.Platform;
  home?: string;
  /** Keychain service name; tests use their own. */
  keychainService?: string;
  /**
   * 'create': where no keychain can be reached and no key was given, a data dir without a key
   * gets a key file beside it (the desktop app, `npm start`, `vaultdesk quickstart`). 'use'
   * (default): such a file is used when it exists, and otherwise the start fails saying how to
   * give a key, before anything is created.
   */
  keyFileFallback?: 'create' | 'use';
  /** Told the path when this start made the key file beside the data dir, to say so in one line. */
  onKeyFileCreated?: (file: string) => void;
}

/** A host's decisions, made once at start; `open()` then opens the core with them. */
export interface PreparedHost {
  dataDir: string;
  /** Where the master key is kept when no keychain can be reached (whether or not it exists). */
  keyFile: string;
  /** The host's logger: stderr, and the log file when there is one. */
  log: Logger;
  /**
   * The log file's path, or null when the host keeps none (or it could not be opened). Opened by
   * `open()` once a key is at hand, so a start that cannot get one leaves nothing in a new data dir.
   */
  readonly logFile: string | null;
  open(): Promise<Core>;
}

/**
 * The one way every host (the desktop app, `serve`, the daemon, each CLI command) opens the
 * core: data dir, key store, tool environment, logger and process identity are decided here,
 * so the hosts cannot drift apart. Synchronous, so a host calls it first thing and the master
 * key leaves the environment before anything is started.
 */
export function prepareHost(start: HostStart): PreparedHost {
  const envKey = start.env.VAULTDESK_MASTER_KEY;
  delete start.env.VAULTDESK_MASTER_KEY;
  const dataDir = hostDataDir(start);
  const toolEnv = hostToolEnv(start.env, start.platform);
  const masterKeyFile = start.masterKeyFile ? path.resolve(start.masterKeyFile) : undefined;
  const logs = hostLogger(start, dataDir);
  const log = logs.log;
  const keyFile = hostKeyFile(dataDir);
  return {
    dataDir,
    keyFile,
    log,
    get logFile() {
      return logs.path();
    },
    open: async () => {
      const hadKeyFile = existsSync(keyFile);
      // Selected on open: a malformed key is reported as the core's start-up error.
      const keyStore = await selectKeyStore({
        masterKeyFile,
        envKey,
        keychainService: start.keychainService,
        platform: start.platform,
        fallbackFile: keyFile,
        createFallback: start.keyFileFallback === 'create',
        storeHasKey: () => storeHasKeyCheck(path.join(dataDir, DB_FILE)),
      }).catch((error: unknown) => {
        if (error instanceof AppError && typeof error.details?.cause === 'string') log.debug('the OS keychain answered', { error: error.details.cause });
        throw error;
      });
      logs.open();
      const core = await createCore({
        dataDir,
        keyStore,
        log,
        logFile: logs.path(),
        version: start.version,
        toolEnv,
        owner: { ...currentProcessIdentity(start.kind), ...(start.label ? { label: start.label } : {}) },
        leftoverCleanup: start.leftoverCleanup,
      });
      // Marks each start in the log file, so one host's lines can be told from the next one's.
      log.info('Vaultdesk started', { host: start.kind, version: start.version, pid: process.pid });
      if (keyStore.fallbackFile && !hadKeyFile && existsSync(keyFile)) {
        log.info('no OS keychain could be reached: the master key was saved in a key file beside the data dir', { file: keyFile });
        start.onKeyFileCreated?.(keyFile);
      }
      return core;
    },
  };
}

/**
 * The host's logger plus, when asked, a log file in the data dir, opened by `open()`. A data dir
 * where the file cannot be made (read-only, full) must not stop the host: it logs to stderr alone
 * and says so.
 */
function hostLogger(start: HostStart, dataDir: string): { log: Logger; open(): void; path(): string | null } {
  let file: Logger | null = null;
  let filePath: string | null = null;
  const log = teeLogger(start.log, {
    debug: (m, f) => file?.debug(m, f),
    info: (m, f) => file?.info(m, f),
    warn: (m, f) => file?.warn(m, f),
    error: (m, f) => file?.error(m, f),
  });
  const open = (): void => {
    if (!start.logFile || file) return;
    try {
      const opened = openLogFile({ dir: path.join(dataDir, 'logs'), name: `${start.logFile}.log` });
      file = jsonLogger(opened.write, start.logLevel ?? 'info');
      filePath = opened.path;
    } catch (error) {
      start.log.warn('no log file: it could not be created in the data folder', { dir: path.join(dataDir, 'logs'), code: (error as NodeJS.ErrnoException).code ?? null });
      file = silentLogger;
    }
  };
  return { log, open, path: () => filePath };
}

export function openHostCore(start: HostStart): Promise<Core> {
  return prepareHost(start).open();
}

export interface KeyMoved {
  fingerprint: string;
  /** Where the key was taken from. */
  from: string;
  /** The key file removed (the one kept beside the data dir), or null when the key came from a file or variable the user gave. */
  removed: string | null;
}

/**
 * Moves the master key into the OS keychain: saved there and read back, then the key file kept
 * beside the data dir is removed (with its folder when nothing else is in it), so later starts
 * find the key in the keychain. A key given with --master-key-file or VAULTDESK_MASTER_KEY is
 * copied and its file left alone: it is the user's.
 */
export async function moveKeyToKeychain(core: Core, keychainService?: string): Promise<KeyMoved> {
  const status = core.keys.status();
  if (status.source === 'keychain') throw new AppError('VALIDATION_FAILED', `The master key is already in the ${status.location}.`);
  const keychain = createOsKeychain(keychainService);
  const unreachable = await keychain.probe();
  if (unreachable) throw new AppError('MASTER_KEY_UNAVAILABLE', `${unreachable.message} The master key stays in the ${status.location}.`, unreachable.details);
  const { fingerprint } = await core.keys.copyTo(keychain);
  const file = status.fallbackFile;
  if (file) {
    try {
      rmSync(file);
      rmSync(`${file}.pending`, { force: true });
      if (readdirSync(path.dirname(file)).length === 0) rmdirSync(path.dirname(file));
    } catch (error) {
      throw fsAppError(error, 'FILE_WRITE_FAILED', `The master key is now in the OS keychain too, but its key file could not be removed; remove it by hand (it would still be used first)`, { path: file });
    }
  }
  return { fingerprint, from: status.location, removed: file };
}
