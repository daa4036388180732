import { withPg } from '../src/main/core/testing/db-fixtures';
import { pgEnv } from '../src/main/core/testing/services';
import { countOutput } from './bench-process';
import { GENERATOR_VERSION, planRows, runBatches, SHARES, type BenchDatabase, type TableShare } from './bench-db';
import { findTool } from '../src/main/core/sources/client-tools';

/** Bump GENERATOR_VERSION (bench-db.ts) when these change: older databases are then regenerated. */
const TABLES: Record<TableShare, { ddl: string; insert: string }> = {
  orders: {
    ddl: `CREATE TABLE orders (id bigint NOT NULL, customer_id int NOT NULL, created_at timestamptz NOT NULL, amount numeric(12,2) NOT NULL,
      quantity int NOT NULL, status text NOT NULL, sku text NOT NULL, note text)`,
    insert: `INSERT INTO orders SELECT g, (random() * 100000)::int, timestamptz '2020-01-01' + random() * interval '5 years',
      round((random() * 1000)::numeric, 2), 1 + (random() * 20)::int,
      (ARRAY['new','paid','shipped','delivered','returned'])[1 + (random() * 4)::int],
      'SKU-' || lpad(((random() * 50000)::int)::text, 6, '0'),
      CASE WHEN random() < 0.7 THEN 'customer asked for ' || (ARRAY['gift wrap','express delivery','invoice by mail','no plastic','a call before delivery'])[1 + (random() * 4)::int] || ', ref ' || md5(g::text) END
      FROM generate_series($1::bigint, $2::bigint) g`,
  },
  events: {
    ddl: 'CREATE TABLE events (id bigint NOT NULL, occurred_at timestamptz NOT NULL, payload jsonb NOT NULL)',
    insert: `INSERT INTO events SELECT g, timestamptz '2024-01-01' + random() * interval '365 days', jsonb_build_object(
        'user_id', (random() * 100000)::int,
        'action', (ARRAY['login','logout','view','purchase','search','update_profile'])[1 + (random() * 5)::int],
        'session', md5(random()::text), 'duration_ms', (random() * 5000)::int, 'ok', random() < 0.95,
        'tags', jsonb_build_array('web', 'v' || (1 + (random() * 3)::int), (ARRAY['eu','us','apac'])[1 + (random() * 2)::int]),
        'client', jsonb_build_object('ip', '10.' || (random() * 255)::int || '.' || (random() * 255)::int || '.' || (random() * 255)::int,
          'agent', (ARRAY['Mozilla/5.0 (X11; Linux x86_64)','Mozilla/5.0 (Windows NT 10.0; Win64; x64)','Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)'])[1 + (random() * 2)::int]))
      FROM generate_series($1::bigint, $2::bigint) g`,
  },
  // 2 KiB of random bytes a row: incompressible (pg_dump writes bytea as hex, which compresses 2:1 and no further).
  attachments: {
    ddl: 'CREATE TABLE attachments (id bigint NOT NULL, name text NOT NULL, mime text NOT NULL, data bytea NOT NULL)',
    insert: `INSERT INTO attachments SELECT g, 'file-' || g || '.bin', 'application/octet-stream', RANDOM_BYTES
      FROM generate_series($1::bigint, $2::bigint) g`,
  },
};

function pgDumpArgs(database: string, table?: string): string[] {
  return ['--no-password', '--format=custom', '--compress=0', `--host=${pgEnv.host}`, `--port=${pgEnv.port}`, `--username=${pgEnv.user}`, ...(table ? [`--table=${table}`] : []), database];
}

/**
 * The binary Vaultdesk itself runs for `name` (client-tools.ts): on Debian and Ubuntu the one
 * behind postgresql-common's pg_wrapper, whose Perl start (50-80 ms) Vaultdesk no longer pays,
 * so the shell and the limit do not pay it either.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  return findTool(name, { env: process.env }).path;
}

/** Environment for pg_dump: the password (if any) goes here, never in argv. */
export function pgToolEnv(): NodeJS.ProcessEnv {
  return pgEnv.password ? { ...process.env, PGPASSWORD: pgEnv.password } : { ...process.env };
}

/** Connection arguments for dropdb, createdb and pg_restore. */
export function pgConnectionArgs(): string[] {
  return ['--no-password', `--host=${pgEnv.host}`, `--port=${pgEnv.port}`, `--username=${pgEnv.user}`];
}

/** pg_restore of a custom-format dump with Vaultdesk's options (postgres-source.ts, pgRestoreArgs). */
export function pgRestoreArgs(database: string): string[] {
  return [...pgConnectionArgs(), '--no-owner', '--no-acl', '--single-transaction', '--exit-on-error', `--dbname=${database}`];
}

/** pg_dump -Fc -Z0 arguments for the baseline, as Vaultdesk runs it. */
export function pgBaselineDumpArgs(database: string): string[] {
  return pgDumpArgs(database);
}

async function existing(name: string, targetBytes: number): Promise<number | null> {
  const found = await withPg('postgres', (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
  if (found.rowCount === 0) return null;
  return withPg(name, async (c) => {
    const meta = await c.query<{ version: number; target_bytes: string; dump_bytes: string }>('SELECT version, target_bytes, dump_bytes FROM bench_meta').catch(() => null);
    const row = meta?.rows[0];
    return row && row.version === GENERATOR_VERSION && Number(row.target_bytes) === targetBytes ? Number(row.dump_bytes) : null;
  });
}

/**
 * Makes (or reuses) `vaultdesk_bench_<size>`: rows are generated by the server with
 * generate_series, two tables at a time, then frozen so every dump reads the same pages.
 * `bench_meta` is written last: a database without it is incomplete and is rebuilt.
 */
export async function ensurePgBenchDb(sizeLabel: string, targetBytes: number, log: (line: string) => void): Promise<BenchDatabase> {
  const name = `vaultdesk_bench_${sizeLabel}`;
  const reused = await existing(name, targetBytes);
  if (reused !== null) {
    log(`PostgreSQL: reusing ${name} (dump of ${(reused / 1024 ** 2).toFixed(0)} MiB)`);
    return { engine: 'postgres', name, dumpBytes: reused };
  }
  log(`PostgreSQL: generating ${name} (about ${(targetBytes / 1024 ** 2).toFixed(0)} MiB of dump; this takes a few minutes once)`);
  await withPg('postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
  });
  const randomBytes = await withPg(name, async (c) => {
    const ok = await c.query('CREATE EXTENSION IF NOT EXISTS pgcrypto').then(() => true, () => false);
    // Without pgcrypto: md5 of random() gives 16 random-looking bytes; 128 of them make 2 KiB.
    return ok ? 'gen_random_bytes(1024) || gen_random_bytes(1024)' : "(SELECT decode(string_agg(md5(random()::text || g::text || i::text), ''), 'hex') FROM generate_series(1, 128) i)";
  });
  await withPg(name, async (c) => {
    for (const table of Object.values(TABLES)) await c.query(table.ddl);
  });
  const sql = (t: TableShare): string => TABLES[t].insert.replace('RANDOM_BYTES', randomBytes);
  const insert = (t: TableShare, from: number, to: number): Promise<unknown> =>
    withPg(name, async (c) => {
      await c.query('SET synchronous_commit = off');
      await c.query(sql(t), [from, to]);
    });
  const sampleRows = 5_000;
  const rowBytes: Record<string, number> = {};
  for (const t of Object.keys(SHARES) as TableShare[]) {
    await insert(t, 1, sampleRows);
    rowBytes[t] = (await countOutput('pg_dump', pgDumpArgs(name, t), pgToolEnv())) / sampleRows;
  }
  await runBatches(planRows(targetBytes, rowBytes, sampleRows), insert, log);
  await withPg(name, (c) => c.query('VACUUM (FREEZE, ANALYZE)'));
  const dumpBytes = await countOutput('pg_dump', pgDumpArgs(name), pgToolEnv());
  await withPg(name, async (c) => {
    await c.query('CREATE TABLE bench_meta (version int NOT NULL, target_bytes bigint NOT NULL, dump_bytes bigint NOT NULL)');
    await c.query('INSERT INTO bench_meta VALUES ($1, $2, $3)', [GENERATOR_VERSION, targetBytes, dumpBytes]);
  });
  log(`PostgreSQL: ${name} ready (dump of ${(dumpBytes / 1024 ** 2).toFixed(0)} MiB)`);
  return { engine: 'postgres', name, dumpBytes };
}
