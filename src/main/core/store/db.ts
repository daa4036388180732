import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export type Db = Database.Database;

/** Where the numbered SQL files are; bundlers copy the folder next to the built module. */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('./migrations', import.meta.url));
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/** Opens the store: WAL, foreign keys on, and every migration newer than `user_version` applied. */
export function openDatabase(file: string, migrationsDir = defaultMigrationsDir()): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Secrets are re-encrypted in place on key rotation; zeroing freed pages keeps old ciphertext out of the file.
  db.pragma('secure_delete = ON');
  migrate(db, loadMigrations(migrationsDir));
  return db;
}

export function migrate(db: Db, migrations: Migration[]): number {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > version());
  if (pending.length === 0) return 0;
  let applied = 0;
  // SQLite's procedure for rebuilding a table others refer to: foreign keys off (it cannot change
  // inside a transaction), so dropping the old table does not cascade, then checked before commit.
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of pending) {
      // Each migration and its version bump commit together, and the version is read again under
      // the write lock: another process opening the same data dir may have just applied it.
      db.transaction(() => {
        if (version() >= m.version) return;
        db.exec(m.sql);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`Migration ${m.name} left ${broken.length} broken foreign key reference(s).`);
        db.pragma(`user_version = ${m.version}`);
        applied++;
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return applied;
}

/**
 * A value of `meta` in an existing store, read without creating or migrating anything: null when
 * there is no store file, no such key, or (a store from before `meta`) no such table.
 */
export function peekMeta(file: string, key: string): string | null {
  let db: Db;
  try {
    // Read-write: a read-only connection would leave the -wal and -shm files behind.
    db = new Database(file, { fileMustExist: true });
  } catch {
    return null;
  }
  try {
    db.pragma('busy_timeout = 5000');
    return getMeta(db, key);
  } catch {
    return null;
  } finally {
    db.close();
  }
}

const preparedOn = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * `sql` prepared once per connection, for the statements the scheduler's tick runs every ten
 * seconds (settings, jobs, running runs, its lease): preparing one costs more than running it.
 * Only for fixed SQL run with get, all or run: a shared statement must never be switched to
 * pluck, raw or expand.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let bySql = preparedOn.get(db);
  if (!bySql) preparedOn.set(db, (bySql = new Map()));
  let prepared = bySql.get(sql);
  if (!prepared) bySql.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}

export function getMeta(db: Db, key: string): string | null {
  const row = statement(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  statement(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
