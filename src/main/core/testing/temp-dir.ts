import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../create-core';
import { createFileKeyStore } from '../keys/env-key';

/** A fresh folder per test, removed by the returned cleanup. */
export function tempDir(prefix = 'vaultdesk-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real core on a temp data dir, with its master key in a key file beside it. */
export async function tempCore(dir: string, keyFile = path.join(dir, 'master.key'), options: Partial<CoreOptions> = {}): Promise<Core> {
  return createCore({ dataDir: path.join(dir, 'data'), keyStore: createFileKeyStore(keyFile), toolEnv: { PATH: process.env.PATH }, ...options });
}
