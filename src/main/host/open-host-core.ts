import path from 'node:path';
import { createCore, type Core } from '../core/create-core';
import { selectKeyStore } from '../core/keys/select-key-store';
import type { Logger } from '../core/logger';
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
  log: Logger;
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
  return {
    dataDir,
    open: () =>
      createCore({
        dataDir,
        // Selected on open: a malformed key is reported as the core's start-up error.
        keyStore: selectKeyStore({ masterKeyFile, envKey, keychainService: start.keychainService }),
        log: start.log,
        version: start.version,
        toolEnv,
        owner: currentProcessIdentity(start.kind),
        leftoverCleanup: start.leftoverCleanup,
      }),
  };
}

export function openHostCore(start: HostStart): Promise<Core> {
  return prepareHost(start).open();
}
