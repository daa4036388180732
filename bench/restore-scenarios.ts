import { availableParallelism } from 'node:os';
import type { ScenarioName } from './bench-options';
import type { BenchDatabase } from './bench-db';
import { shellQuote } from './bench-process';
import { mariadbConnectionArgs, mariadbRestoreArgs, mariadbToolEnv } from './mariadb-bench-db';
import { pgConnectionArgs, pgRestoreArgs, pgTool, pgToolEnv } from './pg-bench-db';
import type { Scenario } from './scenarios';

/**
 * The databases each side restores into, apart so that no side finds another's tables. Before
 * every run, untimed, the shell's and the limit's are dropped and created empty, as `createdb`
 * makes them, and Vaultdesk's is dropped: it restores into a new database as the shell does into
 * its empty one, creating it (timed). The -force scenarios instead replace each side's database
 * on every run: Vaultdesk with --force (a scratch copy restored beside it and swapped in, the
 * replaced one dropped), the shell with a script that does as much (see safeReplace), so that
 * both pay for the drop's checkpoint; the first run, the warm-up, replaces an empty database.
 */
export const RESTORE_TARGETS = { vaultdesk: 'vaultdesk_bench_restore_vd', baseline: 'vaultdesk_bench_restore_sh', limit: 'vaultdesk_bench_restore_limit' } as const;

const command = (args: string[]): string => args.map(shellQuote).join(' ');
const pgSql = (sql: string, extra: string[] = []): string => command(['psql', ...pgConnectionArgs(), '--dbname=postgres', '--quiet', '--set=ON_ERROR_STOP=1', ...extra, `--command=${sql}`]);

interface RestoreEngine {
  label: string;
  /** Drops `database` if it is there (a shell command, arguments quoted). */
  drop(database: string): string;
  /** Drops and creates `database`. */
  recreate(database: string): string;
  /** The restore tool reading a dump on stdin into `database`, as Vaultdesk runs it. */
  restore(database: string): string;
  /** Creates `database` when it is not there (a -force side's target before its first run). */
  ensure(database: string): string;
  /**
   * A replace as safe as `--force`, around a pipeline that restores into its stdin's database:
   * `before` creates the scratch database, `after` swaps it in and drops the replaced one, as
   * Vaultdesk's swap does (PostgreSQL: both renames in one transaction; MySQL/MariaDB: one
   * RENAME TABLE moving the old tables out and the new ones in).
   */
  safeReplace(database: string): { scratch: string; before: string; after: string; clear: string };
  /** Writes out the server's dirty pages, then the OS's (see Scenario.settle). */
  settle: string;
  env(): NodeJS.ProcessEnv;
}

const ENGINES: Record<BenchDatabase['engine'], RestoreEngine> = {
  postgres: {
    label: 'pg_restore --single-transaction ... -d scratch',
    drop: (db) => command(['dropdb', ...pgConnectionArgs(), '--if-exists', db]),
    recreate: (db) => `${ENGINES.postgres.drop(db)} && ${command(['createdb', ...pgConnectionArgs(), db])}`,
    restore: (db) => command([pgTool('pg_restore'), ...pgRestoreArgs(db)]),
    ensure: (db) => `${pgSql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`, ['--tuples-only', '--no-align'])} | grep -q 1 || ${command(['createdb', ...pgConnectionArgs(), db])}`,
    safeReplace: (db) => {
      const [scratch, old] = [`${db}_new`, `${db}_old`];
      return {
        scratch,
        before: command(['createdb', ...pgConnectionArgs(), scratch]),
        after: `${pgSql(`BEGIN; ALTER DATABASE "${db}" RENAME TO "${old}"; ALTER DATABASE "${scratch}" RENAME TO "${db}"; COMMIT;`)} && ${command(['dropdb', ...pgConnectionArgs(), old])}`,
        clear: `${ENGINES.postgres.drop(scratch)} && ${ENGINES.postgres.drop(old)}`,
      };
    },
    settle: `${pgSql('CHECKPOINT')} && sync`,
    env: pgToolEnv,
  },
  mysql: {
    label: 'mariadb --binary-mode --comments ... scratch',
    drop: (db) => command(['mariadb', ...mariadbConnectionArgs(), '-e', `DROP DATABASE IF EXISTS \`${db}\``]),
    recreate: (db) => command(['mariadb', ...mariadbConnectionArgs(), '-e', `DROP DATABASE IF EXISTS \`${db}\`; CREATE DATABASE \`${db}\``]),
    restore: (db) => command(['mariadb', ...mariadbRestoreArgs(db)]),
    ensure: (db) => command(['mariadb', ...mariadbConnectionArgs(), '-e', `CREATE DATABASE IF NOT EXISTS \`${db}\``]),
    safeReplace: (db) => {
      const [scratch, old] = [`${db}_new`, `${db}_old`];
      const moves = `SELECT 1 AS o, CONCAT('\`${db}\`.\`', table_name, '\` TO \`${old}\`.\`', table_name, '\`') AS r FROM information_schema.tables WHERE table_schema = '${db}'
        UNION ALL SELECT 2, CONCAT('\`${scratch}\`.\`', table_name, '\` TO \`${db}\`.\`', table_name, '\`') FROM information_schema.tables WHERE table_schema = '${scratch}'`;
      const swap = `SELECT CONCAT('CREATE DATABASE \`${old}\`; RENAME TABLE ', GROUP_CONCAT(r ORDER BY o SEPARATOR ', '), '; DROP DATABASE \`${old}\`; DROP DATABASE \`${scratch}\`;') FROM (${moves}) m`;
      return {
        scratch,
        before: command(['mariadb', ...mariadbConnectionArgs(), '-e', `CREATE DATABASE \`${scratch}\``]),
        // The statement that moves the tables is written by the server from its own catalog, then run.
        after: `${command(['mariadb', ...mariadbConnectionArgs(), '--batch', '--raw', '--skip-column-names', '-e', swap])} | ${command(['mariadb', ...mariadbConnectionArgs()])}`,
        clear: `${ENGINES.mysql.drop(scratch)} && ${ENGINES.mysql.drop(old)}`,
      };
    },
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
 * PostgreSQL dumps are loaded by two pg_restore at once (the rows dealt out as they stream), with
 * `jobs` by that many (`--jobs`), which the shell pipeline's one pg_restore cannot do; MariaDB dumps
 * by two mariadb clients (the INSERTs dealt out), against the shell's one.
 */
function restoreScenario(name: ScenarioName, engine: BenchDatabase['engine'], options: { jobs?: number; force?: boolean } = {}): Scenario {
  const e = ENGINES[engine];
  const { jobs, force = false } = options;
  const pipeline = (database: string): string => `age -d -i "$1" "$2" | zstd -d -q | ${e.restore(database)}`;
  const safe = force ? e.safeReplace(RESTORE_TARGETS.baseline) : null;
  return {
    name,
    engine,
    kind: 'restore',
    baselineLabel: safe
      ? `create scratch && age -d -i ID file | zstd -d | ${e.label} && swap it in (${engine === 'postgres' ? 'ALTER DATABASE ... RENAME' : 'RENAME TABLE'}) && drop the old one`
      : `age -d -i ID file | zstd -d | ${e.label}`,
    limitLabel: `${e.label} < plain dump file`,
    job: (db) => ({ name, database: db, compression: 'zstd', destination: 'local' }),
    task: (_db, fixture) => ['restore', fixture!.backupId, fixture!.sourceId, RESTORE_TARGETS.vaultdesk, jobs === undefined ? 'default' : String(jobs), ...(force ? ['force'] : [])],
    baseline: async (ws, _db, _round, fixture) => ({
      script: safe ? `${safe.before} && ${pipeline(safe.scratch)} && ${safe.after}` : pipeline(RESTORE_TARGETS.baseline),
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
      // With -force, the previous run's database stays, to be replaced, and what a failed run may have left goes.
      baseline: { script: safe ? `${safe.clear} && ${e.ensure(RESTORE_TARGETS.baseline)}` : e.recreate(RESTORE_TARGETS.baseline), env: e.env() },
      limit: { script: e.recreate(RESTORE_TARGETS.limit), env: e.env() },
      // With --force the previous run's database stays, to be replaced; the first run (the warm-up) creates it.
      ...(force ? {} : { vaultdesk: { script: e.drop(RESTORE_TARGETS.vaultdesk), env: e.env() } }),
    },
  };
}

/** Drops the three target databases once a restore scenario is done. */
export function dropRestoreTargets(engine: BenchDatabase['engine']): string {
  return [...Object.values(RESTORE_TARGETS).map(ENGINES[engine].drop), ENGINES[engine].safeReplace(RESTORE_TARGETS.baseline).clear].join(' && ');
}

export const RESTORE_SCENARIOS = {
  'pg-zstd-restore': restoreScenario('pg-zstd-restore', 'postgres'),
  'pg-zstd-restore-jobs': restoreScenario('pg-zstd-restore-jobs', 'postgres', { jobs: RESTORE_JOBS }),
  'pg-zstd-restore-force': restoreScenario('pg-zstd-restore-force', 'postgres', { force: true }),
  'mariadb-zstd-restore': restoreScenario('mariadb-zstd-restore', 'mysql'),
  'mariadb-zstd-restore-force': restoreScenario('mariadb-zstd-restore-force', 'mysql', { force: true }),
} satisfies Partial<Record<ScenarioName, Scenario>>;
