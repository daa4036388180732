import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Engine, SourceDto } from '../../../shared/domain/dto';
import { mysqlEnv, pgEnv } from './services';

/**
 * Scratch databases for integration tests: unique names per run (parallel runs do not collide),
 * an awkward schema per engine (spaces, quotes, unicode, several schemas, views, triggers,
 * routines, blobs), and fingerprints to compare a database with its restored copy.
 */
export function scratchName(label: string): string {
  return `vd_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A source as the store would return it, pointing at the test servers unless overridden. */
export function testSourceDto(engine: Engine, fields: Partial<SourceDto> = {}): SourceDto {
  const server = engine === 'postgres' ? pgEnv : mysqlEnv;
  const time = new Date(0).toISOString();
  return {
    id: `test-${engine}`,
    name: `test-${engine}`,
    engine,
    environmentId: 'test',
    environmentName: 'test',
    host: engine === 'sqlite' ? null : server.host,
    port: engine === 'sqlite' ? null : server.port,
    user: engine === 'sqlite' ? null : server.user,
    database: null,
    path: null,
    allDatabases: false,
    tlsMode: 'prefer',
    ssh: null,
    hasPassword: false,
    jobNames: [],
    lastTest: null,
    createdAt: time,
    updatedAt: time,
    ...fields,
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// ---------------------------------------------------------------- PostgreSQL

export async function withPg<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...pgEnv, database, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** null when the PostgreSQL test server answers, else why not. */
export async function probePostgres(): Promise<string | null> {
  return withPg('postgres', async () => null).catch((error: Error) => `PostgreSQL at ${pgEnv.host}:${pgEnv.port}: ${error.message}`);
}

export async function createPgDatabase(name: string): Promise<void> {
  await withPg('postgres', (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
}

/** Settings made with ALTER DATABASE name SET, as `name=value`. */
export async function pgDatabaseSettings(name: string): Promise<string[]> {
  return withPg('postgres', async (c) =>
    (await c.query<{ s: string }>('SELECT unnest(s.setconfig) AS s FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1', [name])).rows.map((r) => r.s),
  );
}

/** What a database carries besides its contents, as a DBA looks at it: owner, privileges, settings (`role:name=value;...`), connection limit, comment, whether it is a template. */
export async function pgDatabaseProperties(name: string): Promise<Record<string, unknown>> {
  return withPg('postgres', async (c) =>
    (
      await c.query(
        `SELECT pg_get_userbyid(d.datdba) AS owner, (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(d.datacl) a) AS acl, d.datconnlimit AS "connectionLimit",
          shobj_description(d.oid, 'pg_database') AS comment, d.datistemplate AS template,
          (SELECT array_agg(coalesce(r.rolname, '') || ':' || array_to_string(s.setconfig, ';') ORDER BY r.rolname NULLS FIRST) FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole WHERE s.setdatabase = d.oid) AS settings
        FROM pg_database d WHERE d.datname = $1`,
        [name],
      )
    ).rows[0] as Record<string, unknown>,
  );
}

/**
 * Gives database `name` an owner, privileges (PUBLIC may not connect, `reader` may), settings
 * (a list one with quoted names, one for `reader` only), a connection limit and a comment, and
 * makes it a template (which PostgreSQL will not drop as it is).
 */
export async function givePgDatabaseProperties(name: string, roles: { owner: string; reader: string }): Promise<void> {
  await withPg('postgres', (c) => {
    const db = c.escapeIdentifier(name);
    return c.query(`ALTER DATABASE ${db} OWNER TO ${roles.owner};
      REVOKE ALL ON DATABASE ${db} FROM PUBLIC;
      GRANT CONNECT ON DATABASE ${db} TO ${roles.reader};
      ALTER DATABASE ${db} SET search_path = app, "$user", "My Schema";
      ALTER ROLE ${roles.reader} IN DATABASE ${db} SET work_mem = '16MB';
      ALTER DATABASE ${db} CONNECTION LIMIT 7;
      COMMENT ON DATABASE ${db} IS 'Shop, live';
      ALTER DATABASE ${db} IS_TEMPLATE true;`);
  });
}

/** Drops it, a template too (givePgDatabaseProperties makes one). */
export async function dropPgDatabase(name: string): Promise<void> {
  await withPg('postgres', async (c) => {
    const db = c.escapeIdentifier(name);
    if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [name])).rowCount) await c.query(`ALTER DATABASE ${db} IS_TEMPLATE false`);
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });
}

export const PG_AWKWARD_SCHEMA = String.raw`
CREATE SCHEMA "Sales Dept";
CREATE SCHEMA "ünïcode ☕";
CREATE TABLE public."order items" (
  "item id" serial PRIMARY KEY, "name ""quoted""" text, "café ☕" text, price numeric(12,2),
  created timestamptz, payload bytea, tags text[], meta jsonb);
INSERT INTO public."order items" ("name ""quoted""", "café ☕", price, created, payload, tags, meta)
SELECT 'it''s "item" ' || g || E' with \\ backslash\nnewline\ttab',
       CASE WHEN g % 7 = 0 THEN NULL ELSE 'crème brûlée ☕ 日本 ' || g END,
       g * 1.25, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour',
       decode(repeat(md5(g::text), 32), 'hex') || '\x00ff00'::bytea,
       ARRAY['a b', 'c"d', NULL, 'é'], jsonb_build_object('n', g, 'note', E'quote " and \\ and ☕')
FROM generate_series(1, 2000) g;
CREATE TABLE "Sales Dept"."Q1 ""Report""" (id int PRIMARY KEY, amount bigint, note text);
INSERT INTO "Sales Dept"."Q1 ""Report""" SELECT g, g * 1000, 'note ' || g FROM generate_series(1, 100) g;
CREATE FUNCTION "Sales Dept"."touch note"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := coalesce(NEW.note, '') || ' (touched)'; RETURN NEW; END $$;
CREATE TRIGGER "touch it" BEFORE INSERT ON "Sales Dept"."Q1 ""Report"""
  FOR EACH ROW EXECUTE FUNCTION "Sales Dept"."touch note"();
CREATE TABLE "ünïcode ☕"."日本語 テーブル" (id int PRIMARY KEY, "列 ☕" text, blob bytea);
INSERT INTO "ünïcode ☕"."日本語 テーブル" SELECT g, repeat('ß', g % 10), decode(lpad(to_hex(g), 8, '0'), 'hex') FROM generate_series(1, 300) g;
CREATE VIEW "Sales Dept"."big orders" AS SELECT "item id", price FROM public."order items" WHERE price > 1000;
CREATE FUNCTION public."add tax"(amount numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN round(amount * 1.2, 2); END $$;
SELECT lo_from_bytea(0, convert_to('large object ☕ café', 'UTF8'));
SELECT lo_from_bytea(0, decode(repeat(md5('big'), 4096), 'hex'));
`;

/** A schema with what a restore in parts must still get right: data, sequences, indexes, keys, triggers, a materialized view, comments. */
export const PG_SPLIT_SCHEMA = String.raw`
  CREATE SCHEMA "Sales ""EU""";
  CREATE TABLE "Sales ""EU""".customers (id serial PRIMARY KEY, name text NOT NULL CHECK (name <> ''));
  CREATE TABLE "Sales ""EU""".orders (id bigserial PRIMARY KEY, customer int REFERENCES "Sales ""EU""".customers, note text, at timestamptz DEFAULT now());
  CREATE INDEX orders_note ON "Sales ""EU""".orders (note);
  CREATE TABLE public.empty (id int);
  CREATE TABLE public.log (line text);
  CREATE FUNCTION public.log_it() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO public.log VALUES (NEW.note); RETURN NEW; END$$;
  CREATE TRIGGER log_orders AFTER INSERT ON "Sales ""EU""".orders FOR EACH ROW EXECUTE FUNCTION public.log_it();
  COMMENT ON TABLE "Sales ""EU""".orders IS 'every order';
  INSERT INTO "Sales ""EU""".customers (name) SELECT 'customer ' || g FROM generate_series(1, 300) g;
  ALTER TABLE "Sales ""EU""".orders DISABLE TRIGGER log_orders;
  INSERT INTO "Sales ""EU""".orders (customer, note) SELECT 1 + g % 300, CASE g % 4 WHEN 0 THEN E'tab\there' WHEN 1 THEN E'line\nbreak \\. \r' WHEN 2 THEN 'café ☕ ' || g ELSE NULL END FROM generate_series(1, 20000) g;
  ALTER TABLE "Sales ""EU""".orders ENABLE TRIGGER log_orders;
  CREATE MATERIALIZED VIEW public.per_customer AS SELECT customer, count(*) AS n FROM "Sales ""EU""".orders GROUP BY customer;
`;

export async function seedPgAwkward(database: string): Promise<void> {
  await withPg(database, (c) => c.query(PG_AWKWARD_SCHEMA));
}

export interface DbFingerprint {
  /** "schema.table" -> "rowcount:hash of the ordered rows". */
  tables: Record<string, string>;
  views: string[];
  triggers: string[];
  routines: string[];
  /** PostgreSQL large objects (oid -> md5), MySQL events. */
  extras: string[];
}

const PG_USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

export async function pgFingerprint(database: string): Promise<DbFingerprint> {
  return withPg(database, async (c) => {
    const list = async (sql: string): Promise<string[]> => (await c.query<{ v: string }>(sql)).rows.map((r) => r.v).sort();
    const tables: Record<string, string> = {};
    const { rows } = await c.query<{ s: string; t: string }>(
      `SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND ${PG_USER_SCHEMAS}`,
    );
    for (const { s, t } of rows) {
      const q = `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h FROM ${c.escapeIdentifier(s)}.${c.escapeIdentifier(t)} x`;
      const r = (await c.query<{ n: number; h: string }>(q)).rows[0]!;
      tables[`${s}.${t}`] = `${r.n}:${r.h}`;
    }
    return {
      tables,
      views: await list("SELECT schemaname || '.' || viewname AS v FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"),
      triggers: await list("SELECT c.relname || ':' || t.tgname AS v FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"),
      routines: await list(
        `SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || '):' || md5(p.prosrc) AS v FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${PG_USER_SCHEMAS}`,
      ),
      extras: [
        ...(await list("SELECT 'lo ' || oid::text || ':' || md5(lo_get(oid)) AS v FROM pg_largeobject_metadata")),
        ...(await list("SELECT 'sequence ' || schemaname || '.' || sequencename || ':' || coalesce(last_value, 0) AS v FROM pg_sequences")),
      ],
    };
  });
}

// ---------------------------------------------------------------- MySQL / MariaDB

/** A connection to the test server, as withMysql opens it; the caller ends it. */
export function mysqlConnection(database: string | undefined): Promise<mysql.Connection> {
  return mysql.createConnection({ ...mysqlEnv, database, multipleStatements: true, dateStrings: true, charset: 'utf8mb4', connectTimeout: 5_000 });
}

export async function withMysql<T>(database: string | undefined, use: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysqlConnection(database);
  try {
    return await use(c);
  } finally {
    await c.end();
  }
}

/**
 * Runs `use` with the server's global max_allowed_packet in its hands: `set` changes it (new
 * connections take it), and it is put back after. A server-wide named lock keeps two test files
 * running at once from changing it under each other.
 */
export async function withMysqlMaxPacket<T>(use: (set: (bytes: number) => Promise<void>) => Promise<T>): Promise<T> {
  return withMysql(undefined, async (holder) => {
    const [[locked]] = (await holder.query("SELECT GET_LOCK('vaultdesk_tests_max_allowed_packet', 120) AS got")) as unknown as [[{ got: number | null }]];
    if (locked.got !== 1) throw new Error('another test held the max_allowed_packet lock for two minutes');
    const [[before]] = (await holder.query('SELECT @@GLOBAL.max_allowed_packet AS m')) as unknown as [[{ m: number }]];
    try {
      return await use(async (bytes) => {
        await holder.query('SET GLOBAL max_allowed_packet = ?', [bytes]);
      });
    } finally {
      // Ending the session (withMysql) releases the lock.
      await holder.query('SET GLOBAL max_allowed_packet = ?', [before.m]);
    }
  });
}

export async function probeMysql(): Promise<string | null> {
  return withMysql(undefined, async () => null).catch((error: Error) => `MariaDB/MySQL at ${mysqlEnv.host}:${mysqlEnv.port}: ${error.message}`);
}

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

export async function createMysqlDatabase(name: string): Promise<void> {
  await withMysql(undefined, (c) => c.query(`CREATE DATABASE ${q(name)} CHARACTER SET utf8mb4`));
}

export async function dropMysqlDatabase(name: string): Promise<void> {
  await withMysql(undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${q(name)}`));
}

/** A login with a password, for auth tests; drop it with dropMysqlUser. */
export async function createMysqlUser(user: string, password: string, database: string): Promise<void> {
  await withMysql(undefined, async (c) => {
    await c.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await c.query(`GRANT ALL PRIVILEGES ON ${q(database)}.* TO ?@?`, [user, '%']);
    // Dumping routines someone else defined needs this: mysql.proc on MariaDB, SHOW_ROUTINE on MySQL 8.
    await c.query('GRANT SELECT ON mysql.proc TO ?@?', [user, '%']).catch(() => c.query('GRANT SHOW_ROUTINE ON *.* TO ?@?', [user, '%']));
  });
}

export async function dropMysqlUser(user: string): Promise<void> {
  await withMysql(undefined, (c) => c.query('DROP USER IF EXISTS ?@?', [user, '%']));
}

export async function seedMysqlAwkward(database: string, rows = 2000): Promise<void> {
  await withMysql(database, async (c) => {
    await c.query(`
      CREATE TABLE \`order items\` (\`item id\` INT AUTO_INCREMENT PRIMARY KEY, \`name "quoted"\` VARCHAR(200), \`café ☕\` TEXT,
        \`it\`\`s\` INT, price DECIMAL(12,2), created DATETIME(6), payload LONGBLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
      CREATE TABLE \`日本語 ☕\` (id INT PRIMARY KEY, \`列\` TEXT, b BLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;`);
    const items = Array.from({ length: rows }, (_, i) => [
      `it's "item" ${i} with \\ backslash\nnewline\ttab`,
      i % 7 === 0 ? null : `crème brûlée ☕ 日本 ${i}`,
      i,
      (i * 1.25).toFixed(2),
      `2024-01-01 ${String(i % 24).padStart(2, '0')}:00:00.123456`,
      Buffer.concat([randomBytes(1024), Buffer.from([0, 0x27, 0x5c, 0x22, 0])]),
    ]);
    await c.query('INSERT INTO `order items` (`name "quoted"`, `café ☕`, `it``s`, price, created, payload) VALUES ?', [items]);
    await c.query('INSERT INTO `日本語 ☕` VALUES ?', [Array.from({ length: 300 }, (_, i) => [i, 'ß'.repeat(i % 10), randomBytes(i % 50)])]);
    await c.query(`
      CREATE VIEW \`big orders\` AS SELECT \`item id\`, price FROM \`order items\` WHERE price > 1000;
      CREATE TRIGGER \`touch it\` BEFORE INSERT ON \`order items\` FOR EACH ROW /* why: mark rows added by hand */ SET NEW.\`café ☕\` = CONCAT(COALESCE(NEW.\`café ☕\`, ''), ' (touched)');
      CREATE PROCEDURE \`add item\`(IN label VARCHAR(200)) BEGIN
        -- a price of 1 until the shop sets one
        INSERT INTO \`order items\` (\`name "quoted"\`, price) VALUES (label, 1); # and no tax
      END;
      CREATE FUNCTION \`add tax\`(amount DECIMAL(12,2)) RETURNS DECIMAL(12,2) DETERMINISTIC RETURN ROUND(amount * 1.2, 2);
      CREATE EVENT \`nightly cleanup\` ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01 00:00:00' DISABLE DO DELETE FROM \`order items\` WHERE price < 0;`);
  });
}

export async function mysqlFingerprint(database: string): Promise<DbFingerprint> {
  return withMysql(database, async (c) => {
    const list = async (sql: string): Promise<string[]> => {
      const [rows] = await c.query<mysql.RowDataPacket[]>(sql, [database]);
      return rows.map((r) => String(r.v)).sort();
    };
    const tables: Record<string, string> = {};
    for (const name of await list("SELECT TABLE_NAME AS v FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'")) {
      const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT * FROM ${q(name)}`);
      const lines = rows.map((r) => JSON.stringify(Object.entries(r), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort();
      tables[name] = `${rows.length}:${hash(lines.join('\n'))}`;
    }
    return {
      tables,
      views: await list("SELECT TABLE_NAME AS v FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?"),
      triggers: await list("SELECT CONCAT(TRIGGER_NAME, ':', ACTION_TIMING, ' ', EVENT_MANIPULATION, ':', ACTION_STATEMENT) AS v FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?"),
      routines: await list("SELECT CONCAT(ROUTINE_TYPE, ' ', ROUTINE_NAME, ':', ROUTINE_DEFINITION) AS v FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?"),
      extras: await list("SELECT CONCAT('event ', EVENT_NAME, ':', STATUS, ':', EVENT_DEFINITION) AS v FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?"),
    };
  });
}

// ---------------------------------------------------------------- SQLite

/** A WAL-mode file with `rows` blob rows and a ledger whose total always equals the row count. */
export function seedSqliteFile(file: string, rows: number): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE "order items" (id INTEGER PRIMARY KEY, "café ☕" TEXT, payload BLOB); CREATE TABLE ledger (total INTEGER NOT NULL); INSERT INTO ledger VALUES (0);');
    const insert = db.prepare('INSERT INTO "order items" ("café ☕", payload) VALUES (?, ?)');
    const bump = db.prepare('UPDATE ledger SET total = total + 1');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        insert.run(`row ${i} ☕ "quoted"`, randomBytes(512));
        bump.run();
      }
    })();
  } finally {
    db.close();
  }
}

export function sqliteFingerprint(file: string): { rows: number; ledger: number; integrity: string; hash: string } {
  const db = new Database(file, { fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, "café ☕" AS c, hex(payload) AS p FROM "order items" ORDER BY id').all() as { id: number; c: string; p: string }[];
    return {
      rows: rows.length,
      ledger: Number(db.prepare('SELECT total FROM ledger').pluck().get()),
      integrity: String(db.pragma('integrity_check', { simple: true })),
      hash: hash(rows.map((r) => `${r.id}|${r.c}|${r.p}`).join('\n')),
    };
  } finally {
    db.close();
  }
}

const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
const insert = db.prepare('INSERT INTO "order items" ("café ☕", payload) VALUES (?, randomblob(512))');
const bump = db.prepare('UPDATE ledger SET total = total + 1');
const write = db.transaction((i) => { insert.run('written ' + i); bump.run(); });
let written = 0;
let stop = false;
parentPort.on('message', () => { stop = true; });
(function loop() {
  if (stop) { db.close(); parentPort.postMessage({ written }); return; }
  for (let k = 0; k < 20; k++) write(written++);
  if (written === 20) parentPort.postMessage({ started: true });
  setImmediate(loop);
})();
`;

/** Another thread inserting rows (each with its ledger bump, in one transaction) until stopped; `stop` resolves to the rows written. */
export function startSqliteWriter(file: string): { started: Promise<void>; stop: () => Promise<number> } {
  const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { file, module: createRequire(import.meta.url).resolve('better-sqlite3') } });
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  const result = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: { started?: boolean; written?: number }) => (m.started ? onStarted() : resolve(m.written ?? 0)));
    worker.once('error', reject);
  });
  return {
    started,
    stop: async () => {
      worker.postMessage('stop');
      const written = await result;
      await worker.terminate();
      return written;
    },
  };
}
