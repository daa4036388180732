import { availableParallelism } from 'node:os';
import type { ScenarioName } from './bench-options';
import type { BenchDatabase } from './bench-db';
import { shellQuote } from './bench-process';
import { mariadbConnectionArgs, mariadbRestoreArgs, mariadbToolEnv } from './mariadb-bench-db';
import { pgConnectionArgs, pgRestoreArgs, pgToolEnv } from './pg-bench-db';
import type { Scenario } from './scenarios';

/**
 * The databases each side restores into, apart so that no side finds another's tables. Before
 * every run, untimed, the shell's and the limit's are dropped and created empty, as `createdb`
 * makes them, and Vaultdesk's is dropped: it restores into a new database as the shell does into
 * its empty one, creating it (timed). The -force scenarios instead replace Vaultdesk's database
 * on every run with --force (a scratch copy restored beside it and swapped in, the replaced one
 * dropped), which is more than the shell pipeline does.
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
 * ID --target SOURCE --database NAME` (with `force`, `--force` over the previous run's
 * database), the shell pipeline a DBA would type, and the
 * limit: the restore tool alone reading the already decrypted and decompressed dump from a file.
 * With `jobs`, Vaultdesk restores with `--jobs` (decrypted to a temporary file in the data dir,
 * then `pg_restore --jobs`), which the streaming shell pipeline cannot do.
 */
function restoreScenario(name: ScenarioName, engine: BenchDatabase['engine'], options: { jobs?: number; force?: boolean } = {}): Scenario {
  const e = ENGINES[engine];
  const { jobs = 1, force = false } = options;
  return {
    name,
    engine,
    kind: 'restore',
    baselineLabel: `age -d -i ID file | zstd -d | ${e.label}`,
    limitLabel: `${e.label} < plain dump file`,
    job: (db) => ({ name, database: db, compression: 'zstd', destination: 'local' }),
    task: (_db, fixture) => ['restore', fixture!.backupId, fixture!.sourceId, RESTORE_TARGETS.vaultdesk, String(jobs), ...(force ? ['force'] : [])],
    baseline: async (ws, _db, _round, fixture) => ({
      script: `age -d -i "$1" "$2" | zstd -d -q | ${e.restore(RESTORE_TARGETS.baseline)}`,
      args: [ws.identityFile, fixture!.file],
      env: e.env(),
      storedBytes: async () => fixture!.storedBytes,
    }),
    limit: (_ws, _db, fixture) => ({
      script: `${e.restore(RESTORE_TARGETS.limit)} < ${shellQuote(fixture!.plainFile)}`,
      env: e.env(),
    }),
    settle: { script: e.settle, env: e.env() },
    reset: {
      baseline: { script: e.recreate(RESTORE_TARGETS.baseline), env: e.env() },
      limit: { script: e.recreate(RESTORE_TARGETS.limit), env: e.env() },
      // With --force the previous run's database stays, to be replaced; the first run (the warm-up) creates it.
      ...(force ? {} : { vaultdesk: { script: e.drop(RESTORE_TARGETS.vaultdesk), env: e.env() } }),
    },
  };
}

/** Drops the three target databases once a restore scenario is done. */
export function dropRestoreTargets(engine: BenchDatabase['engine']): string {
  return Object.values(RESTORE_TARGETS).map(ENGINES[engine].drop).join(' && ');
}

export const RESTORE_SCENARIOS = {
  'pg-zstd-restore': restoreScenario('pg-zstd-restore', 'postgres'),
  'pg-zstd-restore-jobs': restoreScenario('pg-zstd-restore-jobs', 'postgres', { jobs: RESTORE_JOBS }),
  'pg-zstd-restore-force': restoreScenario('pg-zstd-restore-force', 'postgres', { force: true }),
  'mariadb-zstd-restore': restoreScenario('mariadb-zstd-restore', 'mysql'),
  'mariadb-zstd-restore-force': restoreScenario('mariadb-zstd-restore-force', 'mysql', { force: true }),
} satisfies Partial<Record<ScenarioName, Scenario>>;
