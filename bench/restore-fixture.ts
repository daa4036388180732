import { rmSync } from 'node:fs';
import path from 'node:path';
import type { BackupDto } from '../src/shared/domain/backups';
import { createCore } from '../src/main/core/create-core';
import { createFileKeyStore } from '../src/main/core/keys/env-key';
import { runPipeline } from './bench-process';
import type { BenchDatabase } from './bench-db';
import type { BenchWorkspace } from './bench-setup';
import { mariadbToolEnv } from './mariadb-bench-db';
import { pgToolEnv } from './pg-bench-db';
import { dropRestoreTargets } from './restore-scenarios';
import type { RestoreFixture, Scenario } from './scenarios';
import type { HostResult } from './vaultdesk-host';

/**
 * Makes the backup a restore scenario restores (one Vaultdesk run of its job), finds its id as
 * `vaultdesk backup list` would, and decrypts it once into the plain dump the limit reads.
 */
export async function prepareRestore(
  ws: BenchWorkspace,
  scenario: Scenario,
  db: BenchDatabase,
  backup: (task: string[]) => Promise<HostResult>,
): Promise<RestoreFixture> {
  const job = scenario.job(db).name;
  ws.clearOutputs();
  const made = await backup(['backup', job]);
  const core = await createCore({ dataDir: ws.dataDir, keyStore: createFileKeyStore(ws.keyFile), toolEnv: { PATH: process.env.PATH } });
  let found: BackupDto | undefined;
  try {
    found = (await core.call('backups:list', { job })).backups[0];
  } finally {
    core.close();
  }
  if (!found) throw new Error(`the backup made by ${job} is not in the backup list`);
  const plainFile = path.join(ws.dir, `${scenario.name}.plain`);
  await runPipeline('age -d -i "$1" "$2" | zstd -d -q > "$3"', [ws.identityFile, found.location, plainFile], process.env);
  return { backupId: found.id, sourceId: ws.sourceIds[db.engine]!, file: found.location, plainFile, dumpBytes: made.bytesIn, storedBytes: found.size };
}

/** Removes the backup, its plaintext and the databases the scenario restored into. */
export async function cleanUpRestore(ws: BenchWorkspace, scenario: Scenario, fixture: RestoreFixture): Promise<void> {
  rmSync(fixture.plainFile, { force: true });
  ws.clearOutputs();
  await runPipeline(dropRestoreTargets(scenario.engine), [], scenario.engine === 'postgres' ? pgToolEnv() : mariadbToolEnv());
}
