import { statSync } from 'node:fs';
import path from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_LEVEL } from '../src/shared/domain/compression-levels';
import { S3RVER_CREDENTIALS } from '../src/main/core/testing/s3-server';
import type { ScenarioName } from './bench-options';
import type { BenchDatabase } from './bench-db';
import { shellQuote } from './bench-process';
import { BUCKET, type BenchWorkspace, type JobSpec } from './bench-setup';
import { mariadbDumpArgs, mariadbToolEnv } from './mariadb-bench-db';
import { pgBaselineDumpArgs, pgTool, pgToolEnv } from './pg-bench-db';
import { RESTORE_SCENARIOS } from './restore-scenarios';

/** The baseline compresses at Vaultdesk's default levels. */
const ZSTD = `zstd -${DEFAULT_LEVEL.zstd} -T1 -q`;
const GZIP = `gzip -${DEFAULT_LEVEL.gzip}`;

export interface Scenario {
  name: ScenarioName;
  engine: 'postgres' | 'mysql';
  /** A backup is made on every run; a restore restores one backup, made once before its runs. */
  kind: 'backup' | 'restore';
  /** The shell pipeline it is compared with, as a DBA would type it. */
  baselineLabel: string;
  /** The job a backup scenario runs; for a restore, the job that makes the backup it restores. */
  job(db: BenchDatabase): JobSpec;
  /** What the Vaultdesk host does on each run (vaultdesk-host.ts). */
  task(db: BenchDatabase, fixture: RestoreFixture | null): string[];
  /** Runs nothing: says which bash script (and its $1.. arguments and environment) is the baseline. */
  baseline(ws: BenchWorkspace, db: BenchDatabase, round: string, fixture: RestoreFixture | null): Promise<BaselineCommand>;
  /** The limit: for a backup the dump tool alone, with Vaultdesk's arguments, writing to /dev/null. */
  limitLabel: string;
  limit(ws: BenchWorkspace, db: BenchDatabase, fixture: RestoreFixture | null): LimitCommand;
  /**
   * Run, untimed, before every run of every side: writes out what the previous run left in
   * memory, so that no side pays another's writes (a restore leaves its database's pages dirty,
   * and the next side would otherwise pay for writing them out, in a checkpoint or in the
   * background). A shell command and its environment.
   */
  settle?: { script: string; env: NodeJS.ProcessEnv };
  /**
   * Run, untimed, before `settle` on every run of that side: puts the side's target where the
   * scenario starts from (a restore into a new database: none there for Vaultdesk, which creates
   * it; an empty one for the shell and the limit, as `createdb` makes it).
   */
  reset?: Partial<Record<'vaultdesk' | 'baseline' | 'limit', { script: string; env: NodeJS.ProcessEnv }>>;
}

/** The backup a restore scenario restores, made once by Vaultdesk, and its plaintext for the limit. */
export interface RestoreFixture {
  backupId: string;
  /** The workspace's source of the backup's engine: the restore goes to the same server. */
  sourceId: string;
  /** The stored object (a local file). */
  file: string;
  /** The same backup decrypted and decompressed: what the restore tool reads. */
  plainFile: string;
  dumpBytes: number;
  storedBytes: number;
}

export interface LimitCommand {
  script: string;
  env: NodeJS.ProcessEnv;
}

export interface BaselineCommand {
  script: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Bytes the baseline stored, read after it ran. */
  storedBytes(): Promise<number>;
}

function toFile(ws: BenchWorkspace, dump: string, compressor: string, env: NodeJS.ProcessEnv, round: string): BaselineCommand {
  const file = path.join(ws.outDir, `baseline-${round}.age`);
  return {
    script: `${dump} | ${compressor} | age -r "$1" > "$2"`,
    args: [ws.recipient, file],
    env,
    storedBytes: async () => statSync(file).size,
  };
}

const pgDump = (db: BenchDatabase): string => [pgTool('pg_dump'), ...pgBaselineDumpArgs(db.name)].map(shellQuote).join(' ');
const mariadbDump = (db: BenchDatabase): string => ['mariadb-dump', ...mariadbDumpArgs(db.name)].map(shellQuote).join(' ');

const DUMPS = {
  postgres: { label: 'pg_dump -Fc -Z0', command: pgDump, env: pgToolEnv },
  mysql: { label: 'mariadb-dump --single-transaction ...', command: mariadbDump, env: mariadbToolEnv },
} as const;

/**
 * No pipeline can back up faster than its dump tool can write, so the dump alone into
 * /dev/null is the ceiling a scenario is read against, measured on the same data in the same run.
 */
function limitOf(engine: Scenario['engine']): Pick<Scenario, 'limitLabel' | 'limit'> {
  const dump = DUMPS[engine];
  return {
    limitLabel: `${dump.label} > /dev/null`,
    limit: (_ws, db) => ({ script: `${dump.command(db)} > /dev/null`, env: dump.env() }),
  };
}

/** Backup to a local folder: the job and its baseline differ only in engine and compressor. */
function localScenario(name: ScenarioName, engine: Scenario['engine'], compression: JobSpec['compression']): Scenario {
  const compressor = compression === 'zstd' ? ZSTD : GZIP;
  const dump = DUMPS[engine];
  return {
    name,
    engine,
    kind: 'backup',
    task: () => ['backup', name],
    baselineLabel: `${dump.label} | ${compressor} | age -r R > file`,
    job: (db) => ({ name, database: db, compression, destination: 'local' }),
    baseline: async (ws, db, round) => toFile(ws, dump.command(db), compressor, dump.env(), round),
    ...limitOf(engine),
  };
}

export const SCENARIO_DEFS: Record<ScenarioName, Scenario> = {
  'pg-zstd-local': localScenario('pg-zstd-local', 'postgres', 'zstd'),
  'pg-gzip-local': localScenario('pg-gzip-local', 'postgres', 'gzip'),
  'pg-zstd-s3': {
    name: 'pg-zstd-s3',
    engine: 'postgres',
    kind: 'backup',
    task: () => ['backup', 'pg-zstd-s3'],
    // aws s3 cp streams stdin as a multipart upload, as Vaultdesk does. A single PUT of a stream
    // (curl -T -, chunked) is accepted by s3rver and MinIO but refused by AWS S3, which needs
    // the length up front; it also spares the server the multipart completion, so it is not
    // what a DBA's pipeline to a real bucket can do.
    baselineLabel: `${DUMPS.postgres.label} | ${ZSTD} | age -r R | aws s3 cp - s3://bucket/key`,
    job: (db) => ({ name: 'pg-zstd-s3', database: db, compression: 'zstd', destination: 's3' }),
    ...limitOf('postgres'),
    baseline: async (ws, db, round) => {
      const key = `baseline/${round}.age`;
      return {
        script: `${pgDump(db)} | ${ZSTD} | age -r "$1" | aws s3 cp - "s3://$2/$3" --endpoint-url "$4" --only-show-errors`,
        args: [ws.recipient, BUCKET, key, ws.s3!.endpoint],
        // Credentials in the environment, never argv; no user config or credentials files.
        env: {
          ...pgToolEnv(),
          AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: path.join(ws.dir, 'no-aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(ws.dir, 'no-aws-credentials'),
          AWS_PAGER: '',
        },
        storedBytes: async () => {
          const client = new S3Client({ region: 'us-east-1', endpoint: ws.s3!.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
          try {
            return (await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength ?? 0;
          } finally {
            client.destroy();
          }
        },
      };
    },
  },
  'mariadb-zstd-local': localScenario('mariadb-zstd-local', 'mysql', 'zstd'),
  ...RESTORE_SCENARIOS,
};
