import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { createPgDatabase, dropPgDatabase, pgFingerprint, probePostgres, scratchName, seedPgAwkward, testSourceDto, withPg, type DbFingerprint } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { localeNotKeptNote, parseDatabaseLocale, pgDatabaseLocaleSql, recreatable } from './postgres-locale';
import { createDatabaseSql } from './postgres-source';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { collect, testContext } from './source-test-helpers';

const reason = await probePostgres();

describe.skipIf(shouldSkip('PostgreSQL', reason))('postgres source', () => {
  const source = scratchName('pgsrc');
  const created: string[] = [source];
  const t = tempDir();
  let driver: SourceDriver;
  let original: DbFingerprint;

  beforeAll(async () => {
    await createPgDatabase(source);
    await seedPgAwkward(source);
    original = await pgFingerprint(source);
    driver = createSourceDriver(testSourceDto('postgres', { database: source }), {}, testContext(t.dir));
  });

  afterAll(async () => {
    await driver?.close();
    for (const name of created) await dropPgDatabase(name);
    t.cleanup();
  });

  async function expectRestoredCopy(target: string): Promise<void> {
    expect(await pgFingerprint(target)).toEqual(original);
    await withPg(target, async (c) => {
      // The trigger and the functions work in the copy, not just exist.
      await c.query(`INSERT INTO "Sales Dept"."Q1 ""Report""" VALUES (1000, 1, 'new')`);
      expect((await c.query(`SELECT note FROM "Sales Dept"."Q1 ""Report""" WHERE id = 1000`)).rows[0].note).toBe('new (touched)');
      expect((await c.query(`SELECT public."add tax"(10) AS v`)).rows[0].v).toBe('12.00');
      expect((await c.query(`SELECT count(*)::int AS n FROM "Sales Dept"."big orders"`)).rows[0].n).toBe(1200);
      const lo = await c.query(`SELECT convert_from(lo_get(oid), 'UTF8') AS v FROM pg_largeobject_metadata WHERE length(lo_get(oid)) < 100`);
      expect(lo.rows.map((r) => r.v)).toEqual(['large object ☕ café']);
    });
  }

  it('tests the connection, naming the server and the pg_dump it will use', async () => {
    const result = await driver.test();
    expect(result.success).toBe(true);
    expect(result.serverVersion).toMatch(/^PostgreSQL \d+/);
    expect(result.message).toContain('127.0.0.1:5432');
    expect(result.message).toMatch(/pg_dump \(PostgreSQL\) \d+/);
  });

  it('lists user databases without templates', async () => {
    const names = await driver.listDatabases();
    expect(names).toContain(source);
    expect(names).toContain('postgres');
    expect(names).not.toContain('template0');
    expect(names).not.toContain('template1');
  });

  it('round-trips a custom-format dump streamed straight into pg_restore, into a database it creates', async () => {
    const target = scratchName('pgcustom');
    created.push(target);
    const dump = await driver.dump(null, { format: 'custom' });
    await Promise.all([driver.restore(dump.stream, { database: target, format: 'custom', createDatabase: true }), dump.done]);
    await expectRestoredCopy(target);
    expect(driver.extension('custom')).toBe('dump');
  });

  it('round-trips a plain SQL dump through psql into an existing database', async () => {
    const target = scratchName('pgplain');
    created.push(target);
    await createPgDatabase(target);
    const dump = await driver.dump(source, { format: 'plain' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    expect(bytes.toString('utf8', 0, 4096)).toContain('PostgreSQL database dump');
    await driver.restore(Readable.from([bytes]), { database: target, format: 'plain' });
    await expectRestoredCopy(target);
    expect(driver.extension('plain')).toBe('sql');
  });

  it('dumps uncompressed custom format (-Z0): the pipeline compresses', async () => {
    const dump = await driver.dump(source, { format: 'custom' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');
    // Table data stays readable in an uncompressed archive.
    expect(bytes.includes(Buffer.from('crème brûlée ☕ 日本 1\t'))).toBe(true);
  });

  it("dumps and restores in the database's own encoding whatever PGCLIENTENCODING the shell has: a LATIN1 one would fail on the first ☕", async () => {
    const latin1 = createSourceDriver(testSourceDto('postgres', { database: source }), {}, testContext(t.dir, { env: { ...process.env, PGCLIENTENCODING: 'LATIN1' } }));
    const dump = await latin1.dump(source, { format: 'plain' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    expect(bytes.toString('utf8', 0, 4096)).toContain("SET client_encoding = 'UTF8';");
    const target = scratchName('pgenc');
    created.push(target);
    await latin1.restore(Readable.from([bytes]), { database: target, format: 'plain', createDatabase: true });
    await expectRestoredCopy(target);
    await latin1.close();
  });

  it("connects as the source says whatever libpq variables the shell has that would refuse the server (a standby wanted, GSS encryption, channel binding)", async () => {
    const env = { ...process.env, PGTARGETSESSIONATTRS: 'standby', PGGSSENCMODE: 'require', PGCHANNELBINDING: 'require', PGREQUIREAUTH: 'gss', PGLOADBALANCEHOSTS: 'random' };
    const shell = createSourceDriver(testSourceDto('postgres', { database: source }), {}, testContext(t.dir, { env }));
    const dump = await shell.dump(source, { format: 'custom' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    const target = scratchName('pgvars');
    created.push(target);
    await shell.restore(Readable.from([bytes]), { database: target, format: 'custom', createDatabase: true });
    await expectRestoredCopy(target);
    await shell.close();
  });

  it('a table another session holds locked: pg_dump gives up after the wait, DUMP_FAILED naming the table and saying what to look at, the dump stream failed', async () => {
    const locked = scratchName('pglock');
    await createPgDatabase(locked);
    try {
      await withPg(locked, async (holder) => {
        await holder.query('CREATE TABLE "Ledger ☕" (id int)');
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE "Ledger ☕" IN ACCESS EXCLUSIVE MODE');
        const waiting = createSourceDriver(testSourceDto('postgres', { database: locked }), {}, testContext(t.dir, { dumpLockWaitMs: 300 }));
        try {
          const dump = await waiting.dump(locked, { format: 'custom' });
          const [read, done] = await Promise.allSettled([collect(dump.stream), dump.done]);
          expect(read.status).toBe('rejected');
          const error = (done as PromiseRejectedResult).reason as AppError;
          expect(error).toMatchObject({ code: 'DUMP_FAILED' });
          expect(error.message).toContain('table public."Ledger ☕" is locked by another session');
          expect(error.message).toContain('and pg_dump waited 300 ms for it: nothing was backed up. pg_locks and pg_stat_activity on the server show which session holds it');
        } finally {
          await waiting.close();
          await holder.query('ROLLBACK');
        }
      });
    } finally {
      await dropPgDatabase(locked);
    }
  });

  it('dumps globals (roles) with pg_dumpall --globals-only', async () => {
    const dump = await driver.dumpGlobals!();
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    const text = bytes.toString('utf8');
    expect(text).toContain('CREATE ROLE postgres');
    expect(text).not.toContain('CREATE TABLE');
  });

  it('fails a plain restore with RESTORE_FAILED and psql’s own error, and rolls back', async () => {
    const target = scratchName('pgbad');
    created.push(target);
    await createPgDatabase(target);
    const script = 'CREATE TABLE kept_out (id int);\nINSERT INTO no_such_table VALUES (1);\n';
    const error = (await driver.restore(Readable.from([script]), { database: target, format: 'plain' }).catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toContain('no_such_table');
    expect(error.message).toContain(target);
    const tables = await withPg(target, (c) => c.query("SELECT 1 FROM pg_tables WHERE tablename = 'kept_out'"));
    expect(tables.rowCount).toBe(0);
  });

  it('says what to do when a plain dump gives its objects to a role this server lacks, and keeps nothing', async () => {
    const target = scratchName('pgrole');
    const script = 'CREATE TABLE owned (id int);\nINSERT INTO owned VALUES (1);\nALTER TABLE owned OWNER TO "vaultdesk ""ghost"" role";\n';
    const error = (await driver.restore(Readable.from([script]), { database: target, format: 'plain', createDatabase: true }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toContain('role "vaultdesk "ghost" role" does not exist');
    expect(error.message).toContain('role vaultdesk "ghost" role is not on this server: restore the run\'s roles first (--with-globals');
    expect(error.details).toMatchObject({ role: 'vaultdesk "ghost" role' });
    const exists = await withPg('postgres', (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [target]));
    expect(exists.rowCount).toBe(0);
  });

  it('says what to do when a plain dump gives its objects to a role this user may not give them to (not a superuser, not a member), and keeps nothing', async () => {
    const role = `vd_plain_${process.pid}_${Date.now().toString(36)}`;
    const target = scratchName('pgmember');
    await withPg('postgres', (c) => c.query(`CREATE ROLE ${role} LOGIN CREATEDB`));
    try {
      const limited = createSourceDriver(testSourceDto('postgres', { database: source, user: role }), {}, testContext(t.dir));
      const script = 'CREATE TABLE owned (id int);\nINSERT INTO owned VALUES (1);\nALTER TABLE owned OWNER TO postgres;\n';
      const error = (await limited.restore(Readable.from([script]), { database: target, format: 'plain', createDatabase: true }).catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe('RESTORE_FAILED');
      expect(error.message).toContain('must be member of role "postgres"');
      expect(error.message).toContain(
        "The backup is a plain-format dump, which gives its objects to their owners by role name (here postgres), and only a superuser or a member of that role may: restore as such a user (the server's administrator), grant postgres to this one, or back up in custom format, whose restores leave owners and grants out. Nothing was kept.",
      );
      expect(error.details).toMatchObject({ role: 'postgres' });
      const exists = await withPg('postgres', (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [target]));
      expect(exists.rowCount).toBe(0);
      await limited.close();
    } finally {
      await dropPgDatabase(target);
      await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    }
  });

  it('drops the database it created when the restore fails, and refuses to create over an existing one', async () => {
    const target = scratchName('pgdrop');
    const error = (await driver.restore(Readable.from(['not an archive']), { database: target, format: 'custom', createDatabase: true }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(/pg_restore exited with code 1: .*input file/);
    const exists = await withPg('postgres', (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [target]));
    expect(exists.rowCount).toBe(0);

    const taken = (await driver.restore(Readable.from(['']), { database: source, format: 'plain', createDatabase: true }).catch((e: unknown) => e)) as AppError;
    expect(taken.code).toBe('RESTORE_FAILED');
    expect(taken.message).toContain(`Database ${source} already exists`);
    expect((await pgFingerprint(source)).tables).toEqual(original.tables);
  });

  it('reports a missing database as NOT_FOUND', async () => {
    const missing = createSourceDriver(testSourceDto('postgres', { database: scratchName('nodb') }), {}, testContext(t.dir));
    await expect(missing.test()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('createDatabaseSql', () => {
  it('copies template0 with template1\'s encoding and locale, each as a literal', () => {
    expect(createDatabaseSql('"shop"', 'UTF8|en_US.UTF-8|en_US.UTF-8')).toBe(`CREATE DATABASE "shop" TEMPLATE template0 ENCODING E'UTF8' LC_COLLATE E'en_US.UTF-8' LC_CTYPE E'en_US.UTF-8'`);
    expect(createDatabaseSql('"shop"', "WIN1252|English_United States.1252|it's\\odd")).toBe(
      `CREATE DATABASE "shop" TEMPLATE template0 ENCODING E'WIN1252' LC_COLLATE E'English_United States.1252' LC_CTYPE E'it''s\\\\odd'`,
    );
    // template1 unreadable: template0 as it is.
    expect(createDatabaseSql('"shop"', null)).toBe('CREATE DATABASE "shop" TEMPLATE template0');
  });

  it("asks for a backup's encoding and locale instead when it has one: libc, or ICU with its locale", () => {
    const libc = { encoding: 'LATIN1', collate: "de_DE'x", ctype: 'C', provider: 'libc', icuLocale: null };
    expect(createDatabaseSql('"shop"', 'UTF8|C.UTF-8|C.UTF-8', libc)).toBe(`CREATE DATABASE "shop" TEMPLATE template0 ENCODING E'LATIN1' LC_COLLATE E'de_DE''x' LC_CTYPE E'C'`);
    expect(createDatabaseSql('"shop"', null, { ...libc, encoding: 'UTF8', collate: 'C.UTF-8', ctype: 'C.UTF-8', provider: 'icu', icuLocale: 'de-DE' })).toBe(
      `CREATE DATABASE "shop" TEMPLATE template0 ENCODING E'UTF8' LC_COLLATE E'C.UTF-8' LC_CTYPE E'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE E'de-DE'`,
    );
  });
});

describe('database locales', () => {
  it("reads pg_database's row by release, with the provider in words and the ICU locale only for ICU", () => {
    expect(pgDatabaseLocaleSql(14, '$1')).toContain("'provider', 'c', 'locale', NULL");
    expect(pgDatabaseLocaleSql(15, '$1')).toContain("'provider', datlocprovider::text, 'locale', daticulocale");
    expect(pgDatabaseLocaleSql(17, "E'x'")).toMatch(/'locale', datlocale\)::text AS locale FROM pg_database WHERE datname = E'x'$/);
    expect(parseDatabaseLocale('{"encoding":"UTF8","collate":"C.UTF-8","ctype":"C.UTF-8","provider":"i","locale":"de-DE"}')).toEqual({ encoding: 'UTF8', collate: 'C.UTF-8', ctype: 'C.UTF-8', provider: 'icu', icuLocale: 'de-DE' });
    expect(parseDatabaseLocale('{"encoding":"UTF8","collate":"C.UTF-8","ctype":"C.UTF-8","provider":"b","locale":"C.UTF-8"}')).toEqual({ encoding: 'UTF8', collate: 'C.UTF-8', ctype: 'C.UTF-8', provider: 'builtin', icuLocale: null });
    expect(parseDatabaseLocale(undefined)).toBeNull();
    expect(parseDatabaseLocale('{"encoding":"UTF8"}')).toBeNull();
  });

  it('asks only for a provider it can name, and says what a restore got instead', () => {
    const builtin = { encoding: 'UTF8', collate: 'C.UTF-8', ctype: 'C.UTF-8', provider: 'builtin', icuLocale: null };
    expect(recreatable(builtin)).toBe(false);
    expect(recreatable({ ...builtin, provider: 'icu' })).toBe(false);
    expect(recreatable({ ...builtin, provider: 'icu', icuLocale: 'und' })).toBe(true);
    expect(localeNotKeptNote(builtin, 'Vaultdesk cannot create a database with that locale provider', null)).toBe(
      "The backup's database had encoding UTF8, locale C.UTF-8, builtin locale provider, which this server could not give the restored database (Vaultdesk cannot create a database with that locale provider): " +
        "it has the server's default encoding and locale, so text may sort and compare differently than in the original. To keep the original behaviour, make that locale available on the server and restore again.",
    );
  });
});
