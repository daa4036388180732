import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { createPgDatabase, dropPgDatabase, probePostgres, scratchName, withPg } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { pgLiteral } from './postgres-quoting';
import { carryPgDatabaseProperties, parsePgDatabaseProperties, pgDatabasePropertiesSql, pgSetClause, splitSettingList, type CarryRunner } from './postgres-database-properties';

const skip = shouldSkip('PostgreSQL', await probePostgres());

describe('settings and literals as SQL', () => {
  it('splits a list setting as the catalog keeps it into its names, quoted ones unquoted', () => {
    expect(splitSettingList('app, "$user", public')).toEqual(['app', '$user', 'public']);
    expect(splitSettingList('"My ""odd"", schema",x')).toEqual(['My "odd", schema', 'x']);
    expect(splitSettingList('  ')).toEqual([]);
    expect(splitSettingList('""')).toEqual(['']);
  });

  it('sets a list setting name by name and any other as one literal, quotes and backslashes kept', () => {
    expect(pgSetClause('search_path=app, "$user"')).toBe(`SET "search_path" TO E'app', E'$user'`);
    expect(pgSetClause('statement_timeout=30s')).toBe(`SET "statement_timeout" TO E'30s'`);
    expect(pgSetClause("app.note=it's a=b")).toBe(`SET "app.note" TO E'it''s a=b'`);
    expect(pgLiteral('C:\\x')).toBe(`E'C:\\\\x'`);
  });
});

describe.skipIf(skip)('carrying a database’s properties over to its restored copy', () => {
  const from = scratchName('props_from');
  const to = scratchName('props_to');
  const app = scratchName('props_app');
  const reader = scratchName('props_reader');
  const restorer = scratchName('props_restorer');

  /** Properties as comparable values: the restorer, who runs the query, aside. */
  const properties = async (database: string): Promise<unknown> =>
    withPg('postgres', async (c) => {
      const hex = (await c.query<string[]>({ text: pgDatabasePropertiesSql('$1'), values: [database], rowMode: 'array' })).rows[0]![0]!;
      const { restorer: _, ...rest } = parsePgDatabaseProperties(hex);
      return { ...rest, acl: rest.acl?.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), settings: rest.settings.sort((a, b) => String(a.role).localeCompare(String(b.role))) };
    });

  const runnerAs = (role: string | null): CarryRunner => ({
    read: (target) =>
      withPg('postgres', async (c) => {
        if (role) await c.query(`SET ROLE ${role}`);
        return (await c.query<string[]>({ text: pgDatabasePropertiesSql('$1'), values: [target], rowMode: 'array' })).rows[0]?.[0] ?? null;
      }),
    run: (sql) =>
      withPg('postgres', async (c) => {
        if (role) await c.query(`SET ROLE ${role}`);
        return c.query(sql).then(
          () => null,
          (error: Error) => error.message,
        );
      }),
  });

  beforeAll(async () => {
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${app}; CREATE ROLE ${reader}; CREATE ROLE ${restorer} CREATEDB`));
    await createPgDatabase(from);
    await withPg('postgres', (c) =>
      c.query(`ALTER DATABASE ${from} OWNER TO ${app};
        REVOKE ALL ON DATABASE ${from} FROM PUBLIC;
        GRANT CONNECT ON DATABASE ${from} TO ${reader};
        GRANT TEMPORARY ON DATABASE ${from} TO ${reader} WITH GRANT OPTION;
        ALTER DATABASE ${from} SET search_path = app, "$user", "My Schema";
        ALTER DATABASE ${from} SET statement_timeout = '30s';
        ALTER DATABASE ${from} SET application_name = E'it''s \\\\ here';
        ALTER ROLE ${reader} IN DATABASE ${from} SET work_mem = '16MB';
        ALTER DATABASE ${from} CONNECTION LIMIT 7;
        COMMENT ON DATABASE ${from} IS E'Shop, live\\nsecond line';`),
    );
  });

  afterAll(async () => {
    await dropPgDatabase(from);
    await dropPgDatabase(to);
    await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${app}; DROP ROLE IF EXISTS ${reader}; DROP ROLE IF EXISTS ${restorer}`));
  });

  it('gives a new database the owner, privileges, settings (list settings name by name), connection limit and comment of the one it replaces', async () => {
    await createPgDatabase(to);
    expect(await carryPgDatabaseProperties(from, to, 'server', runnerAs(null))).toEqual({ notes: [], template: false });
    const carried = await properties(to);
    expect(carried).toEqual(await properties(from));
    expect(carried).toMatchObject({ owner: app, connectionLimit: 7, comment: 'Shop, live\nsecond line' });
    expect(JSON.stringify(carried)).toContain('search_path=app, \\"$user\\", \\"My Schema\\"');
    // Whoever may connect: PUBLIC no longer can.
    const connect = await withPg('postgres', async (c) => (await c.query<{ p: boolean; r: boolean }>(`SELECT has_database_privilege('public', $1, 'CONNECT') AS p, has_database_privilege($2, $1, 'CONNECT') AS r`, [to, reader])).rows[0]);
    expect(connect).toEqual({ p: false, r: true });
    await dropPgDatabase(to);
  });

  it('a database with the default privileges and nothing else set needs nothing; a template is said to be one, its flag left to the swap', async () => {
    const plain = scratchName('props_plain');
    await createPgDatabase(plain);
    await createPgDatabase(to);
    try {
      const ran: string[] = [];
      const runner = runnerAs(null);
      const recording: CarryRunner = { read: runner.read, run: async (sql) => (ran.push(sql), runner.run(sql)) };
      expect(await carryPgDatabaseProperties(plain, to, 'server', recording)).toEqual({ notes: [], template: false });
      await withPg('postgres', (c) => c.query(`ALTER DATABASE ${plain} IS_TEMPLATE true`));
      expect(await carryPgDatabaseProperties(plain, to, 'server', recording)).toEqual({ notes: [], template: true });
      expect(ran).toEqual([]);
    } finally {
      await dropPgDatabase(plain);
      await dropPgDatabase(to);
    }
  });

  it('what the restoring user may not give is named in a note with the statement that gives it; the privileges are still given', async () => {
    await withPg('postgres', async (c) => {
      await c.query(`SET ROLE ${restorer}`);
      await c.query(`CREATE DATABASE ${to}`);
    });
    const { notes } = await carryPgDatabaseProperties(from, to, 'server', runnerAs(restorer));
    const carried = (await properties(to)) as { owner: string; acl: unknown[]; settings: { role: string | null }[]; connectionLimit: number };
    // Not a member of the owner's role, nor allowed to set another role's settings.
    expect(carried.owner).toBe(restorer);
    expect(carried.connectionLimit).toBe(7);
    expect(carried.settings.map((s) => s.role)).toEqual([null]);
    expect(notes).toEqual([
      expect.stringMatching(new RegExp(`^${from} had the setting work_mem=16MB for role ${reader}, which the restored database could not be given \\(.*\\): as a user who may, run ALTER ROLE "${reader}" IN DATABASE "${from}" SET "work_mem" TO E'16MB'\\.$`)),
      expect.stringMatching(new RegExp(`^${from} had its owner \\(${app}\\), which the restored database could not be given \\(.*\\): as a user who may, run ALTER DATABASE "${from}" OWNER TO "${app}"\\.$`)),
    ]);
    const connect = await withPg('postgres', async (c) => (await c.query<{ p: boolean; r: boolean }>(`SELECT has_database_privilege('public', $1, 'CONNECT') AS p, has_database_privilege($2, $1, 'CONNECT') AS r`, [to, reader])).rows[0]);
    expect(connect).toEqual({ p: false, r: true });
    await dropPgDatabase(to);
  });

  it('a copy that cannot be given who may connect is refused, naming the target as left as it was', async () => {
    await createPgDatabase(to);
    const runner = runnerAs(null);
    const error = await carryPgDatabaseProperties(from, to, 'server "pg"', { read: runner.read, run: async (sql) => (sql.startsWith('GRANT') ? 'permission denied' : runner.run(sql)) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'RESTORE_FAILED', details: { database: from, reason: 'privileges' } });
    expect((error as AppError).message).toBe(`Could not give the restored copy of ${from} on server "pg" the privileges ${from} has (permission denied), so it was not put in place: ${from} was left as it was.`);
    await dropPgDatabase(to);
  });
});
