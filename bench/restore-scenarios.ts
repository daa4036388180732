import { availableParallelism } from 'node:os';
import type { ScenarioName } from './bench-options';
import type { BenchDatabase } from './bench-db';
import { shellQuote } from './bench-process';
import { mariadbConnectionArgs, mariadbRestoreArgs, mariadbToolEnv } from './mariadb-bench-db';
import { pgConnectionArgs, pgRestoreArgs, pgToolEnv } from './pg-bench-db';
import type { Scenario } from './scenarios';

/**
 * The databases each side restores into, apart so that no side finds another's tables. Each
 * side replaces its database on every run: Vaultdesk with --force (a scratch copy swapped in,
 * the old one dropped), the shell and the limit by dropping and creating it first.
 */
export const RESTORE_TARGETS = { vaultdesk: 'vaultdesk_bench_restore_vd', baseline: 'vaultdesk_bench_restore_sh', limit: 'vaultdesk_bench_restore_limit' } as const;

const command = (args: string[]): string => args.map(shellQuote).join(' ');

interface RestoreEngine {
  label: string;
  /** Drops `database` if it is there (a shell command, arguments quoted). */
  drop(database: string): string;
  /** Drops and creates `database`. */
  recreate(database: string): string;
  /** The restore tool reading a dump on stdin into `database`, as Vaultdesk runs it. */
  restore(database: string): string;
  /** Writes out the server's dirty pages, then the OS's (see Scenario.settle). */
  settle: string;
  env(): NodeJS.ProcessEnv;
}

const ENGINES: Record<BenchDatabase['engine'], RestoreEngine> = {
  postgres: {
    label: 'pg_restore --single-transaction ... -d scratch',
    drop: (db) => command(['dropdb', ...pgConnectionArgs(), '--if-exists', db]),
    recreate: (db) => `${ENGINES.postgres.drop(db)} && ${command(['createdb', ...pgConnectionArgs(), db])}`,
    restore: (db) => command(['pg_restore', ...pgRestoreArgs(db)]),
    settle: `${command(['psql', ...pgConnectionArgs(), '--dbname=postgres', '--quiet', '--command=CHECKPOINT'])} && sync`,
    env: pgToolEnv,
  },
  mysql: {
    label: 'mariadb --binary-mode ... scratch',
    drop: (db) => command(['mariadb', ...mariadbConnectionArgs(), '-e', `DROP DATABASE IF EXISTS \`${db}\``]),
    recreate: (db) => command(['mariadb', ...mariadbConnectionArgs(), '-e', `DROP DATABASE IF EXISTS \`${db}\`; CREATE DATABASE \`${db}\``]),
    restore: (db) => command(['mariadb', ...mariadbRestoreArgs(db)]),
    // MariaDB has no CHECKPOINT; InnoDB writes its pages out in the background.
    settle: 'sync',
    env: mariadbToolEnv,
  },
};

/**
 * `pg_restore --jobs` for the parallel scenario: one per core, at least 2 (one would be the
 * streamed restore), at most 4.
 */
export const RESTORE_JOBS = Math.min(4, Math.max(2, availableParallelism()));

/**
 * Restores the same Vaultdesk backup (zstd, age, local folder) three ways: `vaultdesk restore
 * ID --target SOURCE --database NAME --force`, the shell pipeline a DBA would type, and the
 * limit: the restore tool alone reading the already decrypted and decompressed dump from a file.
 * With `jobs`, Vaultdesk restores with `--jobs` (decrypted to a temporary file in the data dir,
 * then `pg_restore --jobs`), which the streaming shell pipeline cannot do.
 */
function restoreScenario(name: ScenarioName, engine: BenchDatabase['engine'], jobs = 1): Scenario {
  const e = ENGINES[engine];
  return {
    name,
    engine,
    kind: 'restore',
    baselineLabel: `age -d -i ID file | zstd -d | ${e.label}`,
    limitLabel: `${e.label} < plain dump file`,
    job: (db) => ({ name, database: db, compression: 'zstd', destination: 'local' }),
    task: (_db, fixture) => ['restore', fixture!.backupId, fixture!.sourceId, RESTORE_TARGETS.vaultdesk, String(jobs)],
    baseline: async (ws, _db, _round, fixture) => ({
      script: `${e.recreate(RESTORE_TARGETS.baseline)} && age -d -i "$1" "$2" | zstd -d -q | ${e.restore(RESTORE_TARGETS.baseline)}`,
      args: [ws.identityFile, fixture!.file],
      env: e.env(),
      storedBytes: async () => fixture!.storedBytes,
    }),
    limit: (_ws, _db, fixture) => ({
      script: `${e.recreate(RESTORE_TARGETS.limit)} && ${e.restore(RESTORE_TARGETS.limit)} < ${shellQuote(fixture!.plainFile)}`,
      env: e.env(),
    }),
    settle: { script: e.settle, env: e.env() },
  };
}

/** Drops the three target databases once a restore scenario is done. */
export function dropRestoreTargets(engine: BenchDatabase['engine']): string {
  return Object.values(RESTORE_TARGETS).map(ENGINES[engine].drop).join(' && ');
}

export const RESTORE_SCENARIOS = {
  'pg-zstd-restore': restoreScenario('pg-zstd-restore', 'postgres'),
  'pg-zstd-restore-jobs': restoreScenario('pg-zstd-restore-jobs', 'postgres', RESTORE_JOBS),
  'mariadb-zstd-restore': restoreScenario('mariadb-zstd-restore', 'mysql'),
} satisfies Partial<Record<ScenarioName, Scenario>>;
