import type mysql from 'mysql2/promise';
import { withMysql } from '../src/main/core/testing/db-fixtures';
import { mysqlEnv } from '../src/main/core/testing/services';
import { countOutput } from './bench-process';
import { GENERATOR_VERSION, planRows, runBatches, SHARES, type BenchDatabase, type TableShare } from './bench-db';

const pick = (values: string[]): string => `ELT(1 + FLOOR(RAND() * ${values.length}), ${values.map((v) => `'${v}'`).join(', ')})`;

/** The same tables as pg-bench-db.ts, in MariaDB's dialect; rows come from the Sequence engine (seq_1_to_N). */
const TABLES: Record<TableShare, { ddl: string; insert: string }> = {
  orders: {
    ddl: `CREATE TABLE orders (id BIGINT NOT NULL, customer_id INT NOT NULL, created_at DATETIME NOT NULL, amount DECIMAL(12,2) NOT NULL,
      quantity INT NOT NULL, status VARCHAR(16) NOT NULL, sku VARCHAR(16) NOT NULL, note TEXT) ENGINE=InnoDB`,
    insert: `INSERT INTO orders SELECT seq, FLOOR(RAND() * 100000), TIMESTAMP'2020-01-01 00:00:00' + INTERVAL FLOOR(RAND() * 157680000) SECOND,
      ROUND(RAND() * 1000, 2), 1 + FLOOR(RAND() * 20), ${pick(['new', 'paid', 'shipped', 'delivered', 'returned'])},
      CONCAT('SKU-', LPAD(FLOOR(RAND() * 50000), 6, '0')),
      IF(RAND() < 0.7, CONCAT('customer asked for ', ${pick(['gift wrap', 'express delivery', 'invoice by mail', 'no plastic', 'a call before delivery'])}, ', ref ', MD5(seq)), NULL)
      FROM seq_FROM_to_TO`,
  },
  events: {
    ddl: 'CREATE TABLE events (id BIGINT NOT NULL, occurred_at DATETIME NOT NULL, payload JSON NOT NULL) ENGINE=InnoDB',
    insert: `INSERT INTO events SELECT seq, TIMESTAMP'2024-01-01 00:00:00' + INTERVAL FLOOR(RAND() * 31536000) SECOND, JSON_OBJECT(
        'user_id', FLOOR(RAND() * 100000), 'action', ${pick(['login', 'logout', 'view', 'purchase', 'search', 'update_profile'])},
        'session', MD5(RAND()), 'duration_ms', FLOOR(RAND() * 5000), 'ok', IF(RAND() < 0.95, TRUE, FALSE),
        'tags', JSON_ARRAY('web', CONCAT('v', 1 + FLOOR(RAND() * 3)), ${pick(['eu', 'us', 'apac'])}),
        'client', JSON_OBJECT('ip', CONCAT('10.', FLOOR(RAND() * 256), '.', FLOOR(RAND() * 256), '.', FLOOR(RAND() * 256)),
          'agent', ${pick(['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)'])}))
      FROM seq_FROM_to_TO`,
  },
  attachments: {
    ddl: 'CREATE TABLE attachments (id BIGINT NOT NULL, name VARCHAR(64) NOT NULL, mime VARCHAR(64) NOT NULL, data LONGBLOB NOT NULL) ENGINE=InnoDB',
    insert: `INSERT INTO attachments SELECT seq, CONCAT('file-', seq, '.bin'), 'application/octet-stream', RANDOM_BLOB FROM seq_FROM_to_TO`,
  },
};

/** Connection arguments as Vaultdesk's MySQL source passes them (with its default TLS mode, "prefer"). */
export function mariadbConnectionArgs(): string[] {
  return [`--host=${mysqlEnv.host}`, `--port=${mysqlEnv.port}`, `--user=${mysqlEnv.user}`, '--protocol=TCP', '--ssl', '--skip-ssl-verify-server-cert'];
}

/** The `mariadb` client reading a dump into `database`, with Vaultdesk's options (mysql-source.ts, mysqlRestoreArgs). */
export function mariadbRestoreArgs(database: string): string[] {
  return [...mariadbConnectionArgs(), '--default-character-set=utf8mb4', '--binary-mode', '--comments', '--max-allowed-packet=1073741824', '--', database];
}

/** mariadb-dump arguments as Vaultdesk's MySQL source passes them. */
export function mariadbDumpArgs(database: string, table?: string): string[] {
  return [
    ...mariadbConnectionArgs(),
    '--single-transaction',
    '--routines',
    '--triggers',
    '--events',
    '--hex-blob',
    '--no-tablespaces',
    '--default-character-set=utf8mb4',
    '--max-allowed-packet=1073741824',
    '--',
    database,
    ...(table ? [table] : []),
  ];
}

/** Environment for mariadb-dump: a password (if any) goes here, never in argv. */
export function mariadbToolEnv(): NodeJS.ProcessEnv {
  return mysqlEnv.password ? { ...process.env, MYSQL_PWD: mysqlEnv.password } : { ...process.env };
}

async function existing(name: string, targetBytes: number): Promise<number | null> {
  return withMysql(undefined, async (c) => {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT version, target_bytes, dump_bytes FROM `' + name + '`.bench_meta').catch(() => [[]] as unknown as [mysql.RowDataPacket[]]);
    const row = rows[0];
    return row && Number(row.version) === GENERATOR_VERSION && Number(row.target_bytes) === targetBytes ? Number(row.dump_bytes) : null;
  });
}

/** Makes (or reuses) the MariaDB `vaultdesk_bench_<size>`, the same way as the PostgreSQL one. */
export async function ensureMariadbBenchDb(sizeLabel: string, targetBytes: number, log: (line: string) => void): Promise<BenchDatabase> {
  const name = `vaultdesk_bench_${sizeLabel}`;
  const reused = await existing(name, targetBytes);
  if (reused !== null) {
    log(`MariaDB: reusing ${name} (dump of ${(reused / 1024 ** 2).toFixed(0)} MiB)`);
    return { engine: 'mysql', name, dumpBytes: reused };
  }
  log(`MariaDB: generating ${name} (about ${(targetBytes / 1024 ** 2).toFixed(0)} MiB of dump; this takes a few minutes once)`);
  const randomBlob = await withMysql(undefined, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.query(`CREATE DATABASE \`${name}\``);
    const hasRandomBytes = await c.query('SELECT RANDOM_BYTES(16)').then(() => true, () => false);
    // Before MariaDB 10.10: 128 MD5s of RAND() make 2 KiB of random-looking bytes.
    return hasRandomBytes ? 'CONCAT(RANDOM_BYTES(1024), RANDOM_BYTES(1024))' : `UNHEX(CONCAT(${Array.from({ length: 128 }, () => 'MD5(RAND())').join(', ')}))`;
  });
  await withMysql(name, async (c) => {
    for (const table of Object.values(TABLES)) await c.query(table.ddl);
  });
  const insert = (t: TableShare, from: number, to: number): Promise<unknown> =>
    withMysql(name, (c) => c.query(TABLES[t].insert.replace('RANDOM_BLOB', randomBlob).replace('seq_FROM_to_TO', `seq_${from}_to_${to}`)));
  const sampleRows = 5_000;
  const rowBytes: Record<string, number> = {};
  for (const t of Object.keys(SHARES) as TableShare[]) {
    await insert(t, 1, sampleRows);
    rowBytes[t] = (await countOutput('mariadb-dump', mariadbDumpArgs(name, t), mariadbToolEnv())) / sampleRows;
  }
  await runBatches(planRows(targetBytes, rowBytes, sampleRows), insert, log);
  const dumpBytes = await countOutput('mariadb-dump', mariadbDumpArgs(name), mariadbToolEnv());
  await withMysql(name, async (c) => {
    await c.query('CREATE TABLE bench_meta (version INT NOT NULL, target_bytes BIGINT NOT NULL, dump_bytes BIGINT NOT NULL)');
    await c.query('INSERT INTO bench_meta VALUES (?, ?, ?)', [GENERATOR_VERSION, targetBytes, dumpBytes]);
  });
  log(`MariaDB: ${name} ready (dump of ${(dumpBytes / 1024 ** 2).toFixed(0)} MiB)`);
  return { engine: 'mysql', name, dumpBytes };
}
