import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { createMysqlDatabase, dropMysqlDatabase, dropPgDatabase, createPgDatabase, probeMysql, probePostgres, scratchName, withMysql, withPg } from '../testing/db-fixtures';
import { mysqlEnv, pgEnv, shouldSkip } from '../testing/services';
import { afterLostSwap } from './database-admin';
import { createMysqlAdmin, mysqlOldName } from './mysql-admin';
import { createPostgresAdmin, pgOldName } from './postgres-admin';
import { createMysqlExecAdmin } from './ssh-exec-mysql-admin';
import { createPostgresExecAdmin } from './ssh-exec-postgres-admin';
import type { RemoteContext } from './ssh-remote-errors';
import type { RemoteExit } from './ssh-remote-process';

// A swap's statement reached the server, and then the connection (or the SSH session) went before
// its answer came back. The servers are real; only the loss of the answer is staged.

const failure = (promise: Promise<unknown>): Promise<AppError> =>
  promise.then(
    () => expect.unreachable('the swap should have failed') as never,
    (error: unknown) => (expect(error).toBeInstanceOf(AppError), error as AppError),
  );

const lostConnection = (): Error => Object.assign(new Error('Connection terminated unexpectedly'), { fatal: true });

describe('afterLostSwap', () => {
  const lost = { target: 'shop', endpoint: 'db:5432', cause: 'connection reset', ifSwapped: 'If shop_old exists, shop holds the backup' };

  it('goes on when the swap happened, says "as it was" (after clearing up) when it did not, and says how to tell when it cannot look', async () => {
    await expect(afterLostSwap(async () => true, lost)).resolves.toBeUndefined();
    let cleared = false;
    const notDone = await failure(afterLostSwap(async () => false, { ...lost, whenNot: async () => void (cleared = true) }));
    expect(notDone.message).toBe('The connection to db:5432 was lost while the restored copy was being put in place of shop (connection reset). It did not happen: shop was left as it was.');
    expect(cleared).toBe(true);
    const unknown = await failure(
      afterLostSwap(async () => {
        throw new Error('unreachable');
      }, lost),
    );
    expect(unknown.message).toBe(
      'The connection to db:5432 was lost while the restored copy was being put in place of shop (connection reset), and whether it happened could not be checked. If shop_old exists, shop holds the backup; otherwise shop is as it was.',
    );
    expect(unknown.details).toMatchObject({ database: 'shop', reason: 'swap-unknown' });
  });
});

const pgSkip = shouldSkip('PostgreSQL', await probePostgres());

describe.skipIf(pgSkip)('a PostgreSQL swap whose answer was lost', () => {
  const made: string[] = [];
  afterEach(async () => {
    for (const d of made.splice(0)) await dropPgDatabase(d);
  });

  /** A target holding table `was`, a scratch copy holding `restored`. */
  async function pair(): Promise<{ target: string; scratch: string; old: string }> {
    const target = scratchName('lost_t');
    const scratch = `${target}_vdnew_1`;
    made.push(target, scratch, pgOldName(scratch));
    await createPgDatabase(target);
    await createPgDatabase(scratch);
    await withPg(target, (c) => c.query('CREATE TABLE was (id int)'));
    await withPg(scratch, (c) => c.query('CREATE TABLE restored (id int)'));
    return { target, scratch, old: pgOldName(scratch) };
  }
  const tablesOf = (database: string): Promise<string[]> => withPg(database, async (c) => (await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.t));
  const exists = (database: string): Promise<boolean> => withPg('postgres', async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1);

  /** Connections whose COMMIT reaches the server (when `commits`) and whose answer is then lost. */
  function losingCommit(commits: boolean) {
    let armed = true;
    return async <T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> =>
      withPg(database, (client) => {
        const query = client.query.bind(client) as (sql: string) => Promise<unknown>;
        const staged = Object.assign(Object.create(client) as pg.Client, {
          query: async (sql: string, ...rest: unknown[]) => {
            if (sql === 'COMMIT' && armed) {
              armed = false;
              if (commits) await query('COMMIT');
              else await query('ROLLBACK');
              throw lostConnection();
            }
            return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
          },
        });
        return use(staged);
      });
  }

  it('direct: finds the COMMIT went through and goes on as swapped', async () => {
    const { target, scratch, old } = await pair();
    const admin = createPostgresAdmin({ ...pgEnv, tlsMode: 'disable' } as never, losingCommit(true), async () => 15);
    expect(await admin.swap(target, scratch)).toEqual([old]);
    expect(await tablesOf(target)).toEqual(['restored']);
    expect(await tablesOf(old)).toEqual(['was']);
  });

  it('direct: finds it did not, and says the target was left as it was', async () => {
    const { target, scratch } = await pair();
    const admin = createPostgresAdmin({ ...pgEnv, tlsMode: 'disable' } as never, losingCommit(false), async () => 15);
    const error = await failure(admin.swap(target, scratch));
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(new RegExp(`^The connection to .+ was lost while the restored copy was being put in place of ${target} \\(Connection terminated unexpectedly\\)\\. It did not happen: ${target} was left as it was\\.$`));
    expect(await tablesOf(target)).toEqual(['was']);
    expect(await tablesOf(scratch)).toEqual(['restored']);
  });

  const remote: RemoteContext = { family: 'postgres', endpoint: { host: pgEnv.host, port: pgEnv.port }, ssh: 'dba@bastion:22' } as RemoteContext;
  const rowsAsLines = (database: string, sql: string): Promise<string[]> =>
    withPg(database, async (c) => (await c.query<Record<string, unknown>>(sql)).rows.map((r) => Object.values(r).join(' ')));

  it('exec: the SSH session dropped after psql ran the renames; the swap is found done. When it cannot look either, it says how to tell', async () => {
    const { target, scratch, old } = await pair();
    const gone = { code: null, signal: null, stderr: '', stdout: Buffer.alloc(0) };
    const admin = createPostgresExecAdmin({
      remote,
      query: rowsAsLines,
      attempt: async (database, sql) => (await withPg(database, (c) => c.query(sql)), gone),
      serverMajor: async () => 15,
    });
    expect(await admin.swap(target, scratch)).toEqual([old]);
    expect(await tablesOf(target)).toEqual(['restored']);
    expect(await exists(scratch)).toBe(false);

    // The SSH host answers until the swap is sent (the target's properties are read first), then no more.
    let answers = 1;
    const blind = createPostgresExecAdmin({
      remote,
      query: async (database, sql) => {
        if (answers-- > 0) return rowsAsLines(database, sql);
        throw new Error('no SSH');
      },
      attempt: async () => gone,
      serverMajor: async () => 15,
    });
    const error = await failure(blind.swap(old, target));
    expect(error.details).toMatchObject({ reason: 'swap-unknown', database: old });
    expect(error.message).toContain(`If a database named ${pgOldName(target)} exists, ${old} holds the backup and ${pgOldName(target)} the database it replaced; otherwise ${old} is as it was.`);
  });
});

const mysqlSkip = shouldSkip('MariaDB/MySQL', await probeMysql());

describe.skipIf(mysqlSkip)('a MySQL swap whose answer was lost', () => {
  const made: string[] = [];
  afterEach(async () => {
    for (const d of made.splice(0)) await dropMysqlDatabase(d);
  });

  async function pair(): Promise<{ target: string; scratch: string; old: string }> {
    const target = scratchName('lost_t');
    const scratch = `${target}_vdnew_1`;
    made.push(target, scratch, mysqlOldName(scratch));
    await createMysqlDatabase(target);
    await createMysqlDatabase(scratch);
    await withMysql(target, (c) => c.query('CREATE TABLE was (id int)'));
    await withMysql(scratch, (c) => c.query('CREATE TABLE restored (id int)'));
    return { target, scratch, old: mysqlOldName(scratch) };
  }
  const tablesOf = (database: string): Promise<string[]> =>
    withMysql(undefined, async (c) => ((await c.query<mysql.RowDataPacket[]>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database]))[0] as { t: string }[]).map((r) => r.t));
  const exists = async (database: string): Promise<boolean> =>
    withMysql(undefined, async (c) => ((await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]))[0] as unknown[]).length === 1);

  /** Connections whose RENAME TABLE runs (when `runs`) and whose answer is then lost; with `once`, only the first. */
  function losingRename(runs: boolean, once = false) {
    let lost = 0;
    return async <T>(database: string | undefined, use: (c: mysql.Connection) => Promise<T>): Promise<T> =>
      withMysql(database, (c) => {
        const query = c.query.bind(c) as (sql: string | { sql: string }, ...rest: unknown[]) => Promise<unknown>;
        const staged = Object.assign(Object.create(c) as mysql.Connection, {
          // A statement comes as text, or as options with its text (rowsAsArray).
          query: async (sql: string | { sql: string }, ...rest: unknown[]) => {
            if (typeof sql === 'string' && sql.startsWith('RENAME TABLE') && !(once && lost > 0)) {
              lost += 1;
              if (runs) await query(sql);
              throw lostConnection();
            }
            return query(sql, ...rest);
          },
        });
        return use(staged);
      });
  }

  it('direct: finds the tables moved and goes on as swapped', async () => {
    const { target, scratch, old } = await pair();
    const admin = createMysqlAdmin({ ...mysqlEnv } as never, losingRename(true));
    expect(await admin.swap(target, scratch)).toEqual([old, scratch]);
    expect(await tablesOf(target)).toEqual(['restored']);
    expect(await tablesOf(old)).toEqual(['was']);
  });

  for (const runs of [true, false]) {
    it(`direct, with a view on each side: the rename ${runs ? 'done' : 'not done'} and its answer lost, the target is put back on a new connection, view and all`, async () => {
      const { target, scratch, old } = await pair();
      await withMysql(target, (c) => c.query('CREATE VIEW mine AS SELECT id FROM was'));
      await withMysql(scratch, (c) => c.query('CREATE VIEW theirs AS SELECT id FROM restored'));
      const admin = createMysqlAdmin({ ...mysqlEnv } as never, losingRename(runs, true));
      const error = await failure(admin.swap(target, scratch));
      expect(error.message).toContain(`could not move the tables: `);
      expect(error.message).toMatch(new RegExp(`${target} was left as it was\\.$`));
      expect((await tablesOf(target)).sort()).toEqual(['mine', 'was']);
      expect((await tablesOf(scratch)).sort()).toEqual(['restored', 'theirs']);
      expect(await exists(old)).toBe(false);
    });
  }

  it('direct: finds they did not, drops the empty schema made for the old tables, and says the target was left as it was', async () => {
    const { target, scratch, old } = await pair();
    const admin = createMysqlAdmin({ ...mysqlEnv } as never, losingRename(false));
    const error = await failure(admin.swap(target, scratch));
    expect(error.message).toContain(`It did not happen: ${target} was left as it was.`);
    expect(await tablesOf(target)).toEqual(['was']);
    expect(await tablesOf(scratch)).toEqual(['restored']);
    expect(await exists(old)).toBe(false);
  });

  const remote = { family: 'mysql', endpoint: { host: mysqlEnv.host, port: mysqlEnv.port }, ssh: 'dba@bastion:22' } as RemoteContext;
  /** A script run here as the client on the SSH host would run it, its rows printed as batch mode prints them. */
  async function batch(sql: string): Promise<RemoteExit & { stdout: Buffer }> {
    const results = await withMysql(undefined, async (c) => (await c.query(sql))[0]);
    const sets = (Array.isArray(results) && Array.isArray(results[0]) ? results : [results]) as unknown[];
    const lines = sets.filter(Array.isArray).flatMap((rows) => (rows as Record<string, unknown>[]).map((r) => Object.values(r).join('\t')));
    return { code: 0, signal: null, stderr: '', stdout: Buffer.from(lines.map((l) => `${l}\n`).join('')) };
  }

  it('exec: the SSH session dropped after the client ran the script; the swap is found done', async () => {
    const { target, scratch, old } = await pair();
    let scripts = 0;
    const admin = createMysqlExecAdmin({
      remote,
      run: async (sql) => {
        const answer = await batch(sql);
        // The first script looks (tables, views...); the second makes the old schema and renames; its answer is lost.
        return ++scripts === 2 ? { code: null, signal: null, stderr: '', stdout: Buffer.alloc(0) } : answer;
      },
    });
    expect(await admin.swap(target, scratch)).toEqual([old, scratch]);
    expect(await tablesOf(target)).toEqual(['restored']);
    expect(await tablesOf(old)).toEqual(['was']);
  });

  it("exec: a server's refusal of the first statement is a refused swap, not a lost one: nothing looked at, nothing made", async () => {
    const { target, scratch, old } = await pair();
    const scripts: string[] = [];
    const admin = createMysqlExecAdmin({
      remote,
      run: async (sql) => {
        scripts.push(sql);
        if (scripts.length === 2) return { code: 1, signal: null, stderr: "ERROR 1044 (42000) at line 1: Access denied for user 'dba'@'%' to database 'x'", stdout: Buffer.alloc(0) };
        return batch(sql);
      },
    });
    const error = await failure(admin.swap(target, scratch));
    expect(error.message).toMatch(new RegExp(`^Could not put the restored tables in place of ${target}'s on .+: Access denied for user 'dba'@'%' to database 'x'\\. ${target} was left as it was\\.$`));
    expect(scripts).toHaveLength(2);
    expect(await exists(old)).toBe(false);
    expect(await tablesOf(scratch)).toEqual(['restored']);
  });
});
