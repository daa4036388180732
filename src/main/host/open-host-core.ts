import path from 'node:path';
import { createCore, type Core } from '../core/create-core';
import { selectKeyStore } from '../core/keys/select-key-store';
import { openLogFile } from '../core/log-file';
import { jsonLogger, teeLogger, type Logger } from '../core/logger';
import { currentProcessIdentity, type HostKind } from '../core/ownership/process-identity';
import { hostDataDir, hostToolEnv } from './host-paths';

export interface HostStart {
  kind: Exclude<HostKind, 'test'>;
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
}

/** A host's decisions, made once at start; `open()` then opens the core with them. */
export interface PreparedHost {
  dataDir: string;
  /** The host's logger: stderr, and the log file when there is one. */
  log: Logger;
  /** The log file's path, or null when the host keeps none (or it could not be opened). */
  logFile: string | null;
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
  const { log, logFile } = hostLogger(start, dataDir);
  return {
    dataDir,
    log,
    logFile,
    open: async () => {
      const core = await createCore({
        dataDir,
        // Selected on open: a malformed key is reported as the core's start-up error.
        keyStore: selectKeyStore({ masterKeyFile, envKey, keychainService: start.keychainService }),
        log,
        logFile,
        version: start.version,
        toolEnv,
        owner: currentProcessIdentity(start.kind),
        leftoverCleanup: start.leftoverCleanup,
      });
      // Marks each start in the log file, so one host's lines can be told from the next one's.
      log.info('Vaultdesk started', { host: start.kind, version: start.version, pid: process.pid });
      return core;
    },
  };
}

/**
 * The host's logger plus, when asked, a log file in the data dir. A data dir where the file
 * cannot be made (read-only, full) must not stop the host: it logs to stderr alone and says so.
 */
function hostLogger(start: HostStart, dataDir: string): { log: Logger; logFile: string | null } {
  if (!start.logFile) return { log: start.log, logFile: null };
  try {
    const file = openLogFile({ dir: path.join(dataDir, 'logs'), name: `${start.logFile}.log` });
    return { log: teeLogger(start.log, jsonLogger(file.write, start.logLevel ?? 'info')), logFile: file.path };
  } catch (error) {
    start.log.warn('no log file: it could not be created in the data folder', { dir: path.join(dataDir, 'logs'), code: (error as NodeJS.ErrnoException).code ?? null });
    return { log: start.log, logFile: null };
  }
}

export function openHostCore(start: HostStart): Promise<Core> {
  return prepareHost(start).open();
}
