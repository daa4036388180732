import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import type { RestoreDto } from '../../../shared/domain/restores';
import type { RunDto } from '../../../shared/domain/runs';
import type { InvokeInput } from '../../../shared/ipc/contract';
import { backupIdOf } from '../backups/backup-id';
import type { Core } from '../create-core';
import { currentProcessIdentity } from '../ownership/process-identity';
import type { NewRestore } from '../store/restores-repository';
import { mysqlConnection, withMysql, withPg } from './db-fixtures';
import type { SshdServer } from './sshd-server';

/** Runs a job to its end; a failed run fails the test with its error, since nothing after it means anything. */
export async function backUp(core: Core, jobId: string): Promise<RunDto> {
  const run = await core.runService.start(jobId, 'manual').finished;
  if (run.status !== 'succeeded') throw new Error(`the backup run failed: ${JSON.stringify(run.error)}`);
  return run;
}

/**
 * A server reached two ways: `direct`, which a job backs up (its run returned), and the same
 * server through `sshd` in exec mode (its tools run on the SSH host), named `${name}-exec` and
 * set to `execDatabase`.
 */
export async function directAndExecSources(
  core: Core,
  sshd: SshdServer,
  direct: Extract<InvokeInput<'sources:create'>, { engine: 'postgres' | 'mysql' }>,
  execDatabase: string,
  backupsDir: string,
): Promise<{ execId: string; run: RunDto; destinationId: string }> {
  const source = await core.call('sources:create', direct);
  const exec = await core.call('sources:create', {
    ...direct,
    name: `${direct.name}-exec`,
    database: execDatabase,
    ssh: { mode: 'exec', host: sshd.host, port: sshd.port, user: sshd.user, privateKey: sshd.privateKey },
  });
  const destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: backupsDir })).id;
  const job = await core.call('jobs:create', { name: 'nightly', sourceId: source.id, destinationIds: [destinationId], encryption: 'none' });
  const run = await backUp(core, job.id);
  return { execId: exec.id, run, destinationId };
}

/** The explorer's id of the run's (first) object at a destination. */
export function backupIdOfRun(run: RunDto, destinationId: string, database?: string): string {
  const object = database === undefined ? run.objects[0] : run.objects.find((o) => o.database === database);
  if (!object) throw new Error(`the run has no object${database === undefined ? '' : ` for ${database}`}`);
  return backupIdOf(destinationId, object.key);
}

/** Starts a restore through the contract and waits for its record to be final. */
export async function restoreAndWait(core: Core, input: InvokeInput<'restore:start'>): Promise<RestoreDto> {
  const { restoreId } = await core.call('restore:start', input);
  return core.restoreService.wait(restoreId);
}

export async function drillAndWait(core: Core, input: InvokeInput<'restore:drill'>): Promise<RestoreDto> {
  const { restoreId } = await core.call('restore:drill', input);
  return core.restoreService.wait(restoreId);
}

/** Every database on the MariaDB test server (what a scratch copy left behind would show up in). */
export async function mysqlDatabases(): Promise<string[]> {
  return withMysql(undefined, async (c) => {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW DATABASES');
    return rows.map((r) => String(r.Database)).sort();
  });
}

/** Table -> row count of the base tables of a MariaDB database. */
export async function mysqlRowCounts(database: string): Promise<Record<string, number>> {
  return withMysql(database, async (c) => {
    const [tables] = await c.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [database]);
    const counts: Record<string, number> = {};
    for (const { t } of tables) {
      const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${String(t).replace(/`/g, '``')}\``);
      counts[String(t)] = Number((rows[0] as { n: number }).n);
    }
    return counts;
  });
}

const ORDERS = "CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)) ENGINE=InnoDB; INSERT INTO orders VALUES (1, 'kept');";

/**
 * A MariaDB database to replace: one table, `orders`, with one row, and `objects` on it (a view over
 * it, a trigger on it); then `use` runs while another session holds that table, as an application's
 * open transaction that read it does (it keeps the table's metadata lock), and commits after.
 */
export async function whileOrdersHeld(database: string, objects: ('view' | 'trigger')[], use: (holder: mysql.Connection) => Promise<void>): Promise<void> {
  await withMysql(database, async (c) => {
    await c.query(ORDERS);
    if (objects.includes('view')) await c.query('CREATE VIEW recent AS SELECT id FROM orders');
    if (objects.includes('trigger')) await c.query("CREATE TRIGGER stamp BEFORE INSERT ON orders FOR EACH ROW SET NEW.label = CONCAT(NEW.label, ' (stamped)')");
  });
  await withMysql(database, async (holder) => {
    await holder.query('START TRANSACTION');
    await holder.query('SELECT * FROM orders');
    await use(holder);
    await holder.query('COMMIT');
  });
}

/**
 * As whileOrdersHeld (the table alone), for a `use` that ends the holding session
 * (restore --end-sessions): throws if the session is still there afterwards.
 */
export async function whileOrdersHeldUntilEnded(database: string, use: () => Promise<void>): Promise<void> {
  await withMysql(database, (c) => c.query(ORDERS));
  const holder = await mysqlConnection(database);
  // Killed, the connection says so with an 'error' event, which must not end the test process.
  holder.on('error', () => undefined);
  try {
    await holder.query('START TRANSACTION');
    await holder.query('SELECT * FROM orders');
    await use();
    if (await holder.query('SELECT 1').then(() => true, () => false)) throw new Error('the session holding orders was not ended');
  } finally {
    holder.destroy();
  }
}

/** Every database on the PostgreSQL test server. */
export async function pgDatabases(): Promise<string[]> {
  return withPg('postgres', async (c) => (await c.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname')).rows.map((r) => r.datname));
}

/** "schema.table" -> row count of the ordinary tables of a PostgreSQL database. */
export async function pgRowCounts(database: string): Promise<Record<string, number>> {
  return withPg(database, async (c) => {
    const { rows } = await c.query<{ s: string; t: string }>(
      "SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1, 2",
    );
    const counts: Record<string, number> = {};
    for (const { s, t } of rows) counts[`${s}.${t}`] = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${c.escapeIdentifier(s)}.${c.escapeIdentifier(t)}`)).rows[0]!.n;
    return counts;
  });
}

/**
 * A stand-in for the client tool `command` (e.g. `mariadb`, `pg_restore`) at `dir/command`, for
 * Settings' tool path: it answers --version as the real one does, then runs `body`, where REAL
 * is the real tool: a restore tool that dies or hangs halfway, for real.
 */
export function restoreToolWrapper(dir: string, command: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const real = execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
  const file = path.join(dir, command);
  writeFileSync(file, `#!/bin/sh\ncase "$1" in --version|-V) exec ${real} "$@";; esac\n${body.replaceAll('REAL', real)}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** An owner that is gone: a process that has exited, with a start time no process has. */
export function deadOwner(): { startId: string; pid: number } {
  const dead = { ...currentProcessIdentity('cli', spawnSync('true').pid!), procStart: '1' };
  return { startId: dead.startId, pid: dead.pid };
}

/**
 * A restore recorded as running, as its process writes it when it starts, without running it: what
 * another process (killed, or still at work) left in the shared data dir. Returns its id.
 */
export function recordRunningRestore(core: Core, restore: Pick<NewRestore, 'backupId' | 'destinationId' | 'key' | 'engine' | 'targetSourceId' | 'owner'> & Partial<NewRestore>): string {
  const id = restore.id ?? randomUUID();
  core.restores.create({
    kind: 'restore',
    destination: 'disk',
    job: null,
    targetSource: 'target',
    withGlobals: false,
    force: false,
    requestedBy: 'someone@elsewhere (cli)',
    startedAt: new Date().toISOString(),
    totalBytes: 1,
    databases: [],
    ...restore,
    id,
  });
  return id;
}
