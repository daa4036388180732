import { spawnSync } from 'node:child_process';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { createPgDatabase, dropPgDatabase, probeMysql, probePostgres, scratchName, testSourceDto, withMysql, withPg } from '../testing/db-fixtures';
import { mysqlEnv, pgEnv, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { connectMysql } from './mysql-connection';
import { createSourceDriver } from './source-driver';
import { testContext } from './source-test-helpers';
import { remoteConnectionError, type RemoteContext } from './ssh-remote-errors';

const pgReason = await probePostgres();
const mysqlReason = await probeMysql();

/** What the source's test says, as an AppError, for a source of the login in `dto`, with no password. */
async function testFails(dir: string, dto: SourceDto): Promise<AppError> {
  const error = await createSourceDriver(dto, {}, testContext(dir))
    .test()
    .then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** A client tool's stderr, as the exec driver would read it from the SSH host (in English). */
function toolStderr(command: string, args: string[]): string {
  const run = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C', PGCONNECT_TIMEOUT: '5' }, timeout: 15_000 });
  expect(run.status).not.toBe(0);
  return run.stderr;
}

const remote = (family: 'postgres' | 'mysql', user: string): RemoteContext => ({
  family,
  endpoint: { product: family === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB', host: '127.0.0.1', port: family === 'postgres' ? pgEnv.port : mysqlEnv.port, user },
  ssh: 'dba@bastion:22',
});

describe.skipIf(shouldSkip('PostgreSQL', pgReason))('a PostgreSQL login the server refuses for a reason of its own', () => {
  const t = tempDir();
  const closed = scratchName('refuse_closed');
  const locked = scratchName('refuse_locked');
  const [outsider, limited] = [scratchName('refuse_outsider'), scratchName('refuse_limited')];
  const pgSource = (user: string, database: string): SourceDto => testSourceDto('postgres', { user, database, tlsMode: 'disable' });
  const psqlAs = (user: string, database: string): string => toolStderr('psql', ['-h', '127.0.0.1', '-p', String(pgEnv.port), '-U', user, '-d', database, '-w', '-c', 'SELECT 1']);

  beforeAll(async () => {
    await createPgDatabase(closed);
    await createPgDatabase(locked);
    await withPg('postgres', (c) =>
      c.query(`CREATE ROLE ${outsider} LOGIN; CREATE ROLE ${limited} LOGIN CONNECTION LIMIT 0;
        REVOKE CONNECT ON DATABASE ${locked} FROM PUBLIC;
        ALTER DATABASE ${closed} ALLOW_CONNECTIONS false;`),
    );
  });
  afterAll(async () => {
    await withPg('postgres', (c) => c.query(`ALTER DATABASE ${closed} ALLOW_CONNECTIONS true`)).catch(() => undefined);
    await dropPgDatabase(closed);
    await dropPgDatabase(locked);
    await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${outsider}; DROP ROLE IF EXISTS ${limited}`));
    t.cleanup();
  });

  it('no CONNECT privilege on the database: SOURCE_AUTH_FAILED with the GRANT that gives it, not advice about the network', async () => {
    const error = await testFails(t.dir, pgSource(outsider, locked));
    expect(error.code).toBe('SOURCE_AUTH_FAILED');
    expect(error.message).toBe(
      `PostgreSQL at 127.0.0.1:${pgEnv.port} as user ${outsider} may not connect to database ${locked} (permission denied for database "${locked}"). As its owner or a superuser, run GRANT CONNECT ON DATABASE "${locked}" TO "${outsider}", or use a user who may connect.`,
    );
    expect(error.details).toMatchObject({ database: locked, refusal: 'database-denied' });
    // psql on an SSH host says the same in its own words.
    const remoteError = remoteConnectionError(remote('postgres', outsider), { code: 2, signal: null, stderr: psqlAs(outsider, locked) }, locked);
    expect(remoteError).toMatchObject({ code: 'SOURCE_AUTH_FAILED', details: { database: locked, refusal: 'database-denied' } });
    expect(remoteError!.message).toContain(`run GRANT CONNECT ON DATABASE "${locked}" TO "${outsider}"`);
  });

  it('a database set ALLOW_CONNECTIONS false: says so and how to allow them, for a source test and a restore into it alike', async () => {
    const error = await testFails(t.dir, pgSource(pgEnv.user, closed));
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.message).toBe(
      `Database ${closed} on PostgreSQL at 127.0.0.1:${pgEnv.port} as user ${pgEnv.user} does not accept connections (database "${closed}" is not currently accepting connections): it is set ALLOW_CONNECTIONS false. As its owner or a superuser, run ALTER DATABASE "${closed}" ALLOW_CONNECTIONS true to back it up or restore into it.`,
    );
    expect(error.message).not.toMatch(/host and port|firewall/);
    const remoteError = remoteConnectionError(remote('postgres', pgEnv.user), { code: 2, signal: null, stderr: psqlAs(pgEnv.user, closed) });
    expect(remoteError).toMatchObject({ code: 'SOURCE_UNREACHABLE', details: { database: closed, refusal: 'database-closed' } });
  });

  it('a role at its connection limit: no connection left, and which limits to raise', async () => {
    const error = await testFails(t.dir, pgSource(limited, 'postgres'));
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.message).toBe(
      `PostgreSQL at 127.0.0.1:${pgEnv.port} as user ${limited} has no connection left for this login (too many connections for role "${limited}"). Try again once fewer sessions are open, or raise the limit (max_connections, or the role's or the database's CONNECTION LIMIT).`,
    );
    const remoteError = remoteConnectionError(remote('postgres', limited), { code: 2, signal: null, stderr: psqlAs(limited, 'postgres') });
    expect(remoteError).toMatchObject({ code: 'SOURCE_UNREACHABLE', details: { refusal: 'no-connection-left' } });
  });

  it('the words of a server starting up or in recovery, as psql prints them, are "not now", not the network', () => {
    const stderr = `psql: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  the database system is starting up`;
    const error = remoteConnectionError(remote('postgres', 'dba'), { code: 2, signal: null, stderr }, 'shop');
    expect(error).toMatchObject({ code: 'SOURCE_UNREACHABLE', details: { refusal: 'not-ready' } });
    expect(error!.message).toContain('does not take connections now');
  });

  it('a statement refused in a database the login may use is not taken for a refused login', () => {
    const stderr = 'psql:<stdin>:1: ERROR:  42501: permission denied for database shop';
    expect(remoteConnectionError(remote('postgres', 'dba'), { code: 1, signal: null, stderr }, 'shop')).toBeNull();
  });
});

describe.skipIf(shouldSkip('MariaDB', mysqlReason))('a MySQL/MariaDB login the server refuses for a reason of its own', () => {
  const t = tempDir();
  const database = scratchName('refuse_m');
  const [stranger, single] = [scratchName('refuse_stranger'), scratchName('refuse_single')];
  const mysqlSource = (user: string): SourceDto => testSourceDto('mysql', { user, database, tlsMode: 'disable' });
  const clientAs = (user: string): string => toolStderr('mariadb', ['-h', '127.0.0.1', '-P', String(mysqlEnv.port), '-u', user, '--skip-ssl', '-e', 'SELECT 1', database]);

  beforeAll(async () => {
    await withMysql(undefined, (c) =>
      c.query(`CREATE DATABASE ${database};
        CREATE USER '${stranger}'@'%'; CREATE USER '${single}'@'%' WITH MAX_USER_CONNECTIONS 1;
        GRANT SELECT ON ${database}.* TO '${single}'@'%';`),
    );
  });
  afterAll(async () => {
    await withMysql(undefined, (c) => c.query(`DROP DATABASE IF EXISTS ${database}; DROP USER IF EXISTS '${stranger}'@'%'; DROP USER IF EXISTS '${single}'@'%';`));
    t.cleanup();
  });

  it("a user with no privilege on the source's database fails the source test (it used to pass), naming what to grant", async () => {
    const error = await testFails(t.dir, mysqlSource(stranger));
    expect(error.code).toBe('SOURCE_AUTH_FAILED');
    expect(error.message).toBe(
      `MySQL/MariaDB at 127.0.0.1:${mysqlEnv.port} as user ${stranger} has no privileges on database ${database} (Access denied for user '${stranger}'@'%' to database '${database}'). As an administrator, grant them on \`${database}\`.*: SELECT, SHOW VIEW, TRIGGER, LOCK TABLES and EVENT to back it up, ALL to restore into it.`,
    );
    const remoteError = remoteConnectionError(remote('mysql', stranger), { code: 1, signal: null, stderr: clientAs(stranger) });
    expect(remoteError).toMatchObject({ code: 'SOURCE_AUTH_FAILED', details: { database, refusal: 'database-denied' } });
  });

  it('a user at its max_user_connections: no connection left, and which limits to raise', async () => {
    const target = { host: mysqlEnv.host, port: mysqlEnv.port, user: single, password: undefined, tlsMode: 'disable' as const };
    const held: mysql.Connection = await connectMysql(target, database);
    try {
      const error = await testFails(t.dir, mysqlSource(single));
      expect(error.code).toBe('SOURCE_UNREACHABLE');
      expect(error.message).toMatch(new RegExp(`^MySQL/MariaDB at 127\\.0\\.0\\.1:${mysqlEnv.port} as user ${single} has no connection left for this login \\(.*max_user_connections.*\\)\\. Try again once fewer sessions are open, or raise the limit \\(max_connections, or the user's max_user_connections\\)\\.$`));
      const remoteError = remoteConnectionError(remote('mysql', single), { code: 1, signal: null, stderr: clientAs(single) });
      expect(remoteError).toMatchObject({ code: 'SOURCE_UNREACHABLE', details: { refusal: 'no-connection-left' } });
    } finally {
      await held.end();
    }
  });
});
