import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreDto } from '../../../shared/domain/restores';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../testing/private-postgres';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('a private PostgreSQL server, pg_restore and 7-Zip', privatePostgresUnavailable() ?? probeCommand('pg_restore') ?? probeCommand('7zz', ['i']));

describe.skipIf(skip)('restoring an "all databases" backup with its roles, a 7-Zip backup, and over a database the server will not drop', { timeout: 240_000 }, () => {
  const t = tempDir('vaultdesk-restore-all-');
  let server: PrivatePostgres;
  let core: Core;
  let allRun: RunDto;
  let zipRun: RunDto;

  const sql = <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => server.sql<T>(database, text);
  const databases = async (): Promise<string[]> => (await sql<{ datname: string }>('postgres', 'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1')).map((r) => r.datname);
  const restore = async (input: Record<string, unknown>): Promise<RestoreDto> => core.restoreService.wait((await core.call('restore:start', input as never)).restoreId);
  const idOf = async (run: RunDto, database: string): Promise<string> => {
    const key = run.objects.find((o) => o.database === database)!.key;
    return (await core.call('backups:list', { refresh: true })).backups.find((b) => b.key === key)!.id;
  };

  beforeAll(async () => {
    server = await startPrivatePostgres();
    await sql('postgres', "CREATE ROLE shop_reader LOGIN PASSWORD 'reader-pass' VALID UNTIL '2031-06-01'");
    await sql('postgres', 'CREATE DATABASE shop');
    await sql('postgres', 'CREATE DATABASE crm');
    await sql('shop', 'CREATE TABLE orders (id int); INSERT INTO orders SELECT generate_series(1, 40); ALTER TABLE orders OWNER TO shop_reader');
    await sql('crm', 'CREATE TABLE people (id int); INSERT INTO people SELECT generate_series(1, 12); GRANT SELECT ON people TO shop_reader');
    await sql('postgres', "ALTER DATABASE crm OWNER TO shop_reader; ALTER DATABASE crm SET statement_timeout = '90s'");
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const zip = await core.call('profiles:create', { kind: '7z', name: 'zip', passphrase: 'correct horse battery staple' });
    const source = await core.call('sources:create', { engine: 'postgres', name: 'private', host: server.host, port: server.port, user: server.user, allDatabases: true });
    const disk = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    await core.call('jobs:create', { name: 'everything', sourceId: source.id, allDatabases: true, destinationIds: [disk.id], encryption: 'age', profileId: profile.id });
    await core.call('jobs:create', { name: 'shop-7z', sourceId: source.id, databases: ['shop'], destinationIds: [disk.id], encryption: '7z', profileId: zip.id });
    allRun = await core.runService.start(core.jobs.findByName('everything')!.id, 'manual').finished;
    zipRun = await core.runService.start(core.jobs.findByName('shop-7z')!.id, 'manual').finished;
    expect(allRun.status).toBe('succeeded');
    expect(zipRun.status).toBe('succeeded');
  });

  /** The role and, first, what it owns and may do in every database (DROP ROLE refuses a role that has either). */
  const dropReader = async (): Promise<void> => {
    for (const database of await databases()) await sql(database, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'shop_reader') THEN REASSIGN OWNED BY shop_reader TO CURRENT_USER; DROP OWNED BY shop_reader; END IF; END $$");
    await sql('postgres', 'DROP ROLE IF EXISTS shop_reader');
  };

  afterAll(async () => {
    core?.close();
    await server?.stop();
    t.cleanup();
  });

  it('brings back every database and, with --with-globals, the roles, after all were dropped', async () => {
    expect(allRun.objects.map((o) => o.database).sort()).toEqual(['_globals', 'crm', 'postgres', 'shop']);
    await sql('postgres', 'DROP DATABASE shop');
    await sql('postgres', 'DROP DATABASE crm');
    await sql('postgres', 'DROP ROLE shop_reader');

    const globalsOnly = await core.call('restore:start', { backupId: await idOf(allRun, '_globals') }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(globalsOnly?.message).toContain('This backup holds PostgreSQL roles (globals), not a database');

    // The maintenance database `postgres` is in the backup too, and holds no tables: it is replaced like any other.
    const r = await restore({ backupId: await idOf(allRun, 'shop'), allDatabases: true, withGlobals: true });
    expect(r.error).toBeNull();
    expect(r.databases.map((d) => [d.kind, d.database, d.status])).toEqual([
      ['globals', 'private', 'restored'],
      ['database', 'crm', 'restored'],
      ['database', 'postgres', 'restored'],
      ['database', 'shop', 'restored'],
    ]);
    expect(await databases()).toEqual(['crm', 'postgres', 'shop']);
    expect(await sql<{ n: string }>('shop', 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '40' }]);
    expect(await sql<{ n: string }>('crm', 'SELECT count(*) AS n FROM people')).toEqual([{ n: '12' }]);
    const role = await sql<{ rolname: string; rolcanlogin: boolean; rolvaliduntil: Date }>('postgres', "SELECT rolname, rolcanlogin, rolvaliduntil FROM pg_roles WHERE rolname = 'shop_reader'");
    expect(role).toHaveLength(1);
    expect(role[0]!.rolcanlogin).toBe(true);
    expect(role[0]!.rolvaliduntil.getUTCFullYear()).toBe(2031);
    expect(r.databases[0]!.notes[0]).toContain('Roles that already existed on the server kept their place');
    // The roles restored first, the databases get their owners and grants back too (left out otherwise: the roles may be missing).
    expect(await sql('shop', "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).toEqual([{ tableowner: 'shop_reader' }]);
    expect(await sql('crm', "SELECT has_table_privilege('shop_reader', 'people', 'SELECT') AS may")).toEqual([{ may: true }]);
    // And the databases theirs, with their own settings (which a dump leaves out).
    expect(await sql('postgres', "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'crm'")).toEqual([{ owner: 'shop_reader' }]);
    expect(await sql('crm', 'SHOW statement_timeout')).toEqual([{ statement_timeout: '90s' }]);
  });

  it('restores the roles with one database under a new name, and the roles alone from the roles backup', async () => {
    await dropReader();
    const r = await restore({ backupId: await idOf(allRun, 'shop'), database: 'shop_with_roles', withGlobals: true });
    expect(r.error).toBeNull();
    expect(r.databases.map((d) => [d.kind, d.fromDatabase, d.database, d.status])).toEqual([
      ['globals', 'roles (globals)', 'private', 'restored'],
      ['database', 'shop', 'shop_with_roles', 'restored'],
    ]);
    expect(await sql<{ n: string }>('shop_with_roles', 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '40' }]);
    expect(await sql('postgres', "SELECT 1 FROM pg_roles WHERE rolname = 'shop_reader'")).toHaveLength(1);
    expect(await sql('shop_with_roles', "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).toEqual([{ tableowner: 'shop_reader' }]);

    await dropReader();
    const roles = await restore({ backupId: await idOf(allRun, '_globals'), withGlobals: true });
    expect(roles.error).toBeNull();
    expect(roles.databases.map((d) => [d.kind, d.status])).toEqual([['globals', 'restored']]);
    expect(await sql('postgres', "SELECT 1 FROM pg_roles WHERE rolname = 'shop_reader'")).toHaveLength(1);
  });

  it('restores a 7-Zip backup with the 7-Zip profile\'s passphrase', async () => {
    const r = await restore({ backupId: await idOf(zipRun, 'shop'), database: 'shop_from_7z' });
    expect(r.error).toBeNull();
    expect(r.databases[0]!.tables).toEqual([{ schema: 'public', table: 'orders', rows: 40 }]);
    expect(await sql<{ n: string }>('shop_from_7z', 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '40' }]);
    // Without the roles restored first, owners and grants are left out: the tables are the restoring user's.
    expect(await sql('shop_from_7z', "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).toEqual([{ tableowner: server.user }]);
  });

  it('a new database and the scratch copy of a replaced one are made from template0: what a DBA added to template1 is not restored with the backup', async () => {
    // template1 is what CREATE DATABASE copies by default; GIS servers, for one, add to it. A table named as the
    // backup's own makes a copy of it fail, and any other table would be counted as restored.
    await sql('template1', "CREATE TABLE orders (note text); CREATE TABLE site_defaults (k text); INSERT INTO site_defaults VALUES ('from template1')");
    try {
      const fresh = await restore({ backupId: await idOf(zipRun, 'shop'), database: 'shop_from_template0' });
      expect(fresh.error).toBeNull();
      expect(fresh.databases[0]!.tables).toEqual([{ schema: 'public', table: 'orders', rows: 40 }]);
      expect(await sql<{ t: string }>('shop_from_template0', "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).toEqual([{ t: 'orders' }]);
      const replaced = await restore({ backupId: await idOf(zipRun, 'shop'), database: 'shop_from_template0', force: true });
      expect(replaced.error).toBeNull();
      expect(replaced.databases[0]!.tables).toEqual([{ schema: 'public', table: 'orders', rows: 40 }]);
    } finally {
      await sql('template1', 'DROP TABLE IF EXISTS orders, site_defaults');
    }
  });

  const localeOf = async (database: string): Promise<unknown> =>
    (await sql('postgres', `SELECT pg_encoding_to_char(encoding) AS encoding, datcollate, datctype, datlocprovider AS provider, daticulocale AS icu FROM pg_database WHERE datname = '${database}'`))[0];

  /** Rewrites the manifest beside a backup's object on the local destination, as another Vaultdesk (or server) would have written it. */
  const rewriteManifest = (run: RunDto, database: string, edit: (source: Record<string, unknown>) => void): void => {
    const file = path.join(t.dir, 'backups', `${run.objects.find((o) => o.database === database)!.key}.manifest.json`);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { source: Record<string, unknown> };
    edit(manifest.source);
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  };

  it("a database a restore creates gets the backup's encoding and locale (libc or ICU), as pg_restore --create would, new or replacing", async () => {
    // template1 (what the server gives new databases) is UTF8; the backed-up databases are not.
    expect(await localeOf('template1')).toMatchObject({ encoding: 'UTF8', provider: 'c' });
    await sql('postgres', "CREATE DATABASE legacy TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'");
    await sql('postgres', "CREATE DATABASE sorted TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'de-DE'");
    await sql('legacy', "CREATE TABLE names (n text); INSERT INTO names VALUES ('Zoë'), ('Ärger'), ('abc')");
    await sql('sorted', "CREATE TABLE names (n text); INSERT INTO names VALUES ('Zoë'), ('Ärger'), ('abc')");
    const source = core.sources.findByName('private')!;
    const disk = (await core.call('destinations:list', {})).find((d) => d.name === 'disk')!;
    await core.call('jobs:create', { name: 'locales', sourceId: source.id, databases: ['legacy', 'sorted'], destinationIds: [disk.id], encryption: 'none' });
    const run = await core.runService.start(core.jobs.findByName('locales')!.id, 'manual').finished;
    expect(run.status).toBe('succeeded');
    // The explorer says what the manifest recorded (backup show prints it).
    expect((await core.call('backups:get', { id: await idOf(run, 'legacy') })).locale).toBe('encoding LATIN1, locale C');
    expect((await core.call('backups:get', { id: await idOf(run, 'sorted') })).locale).toBe('encoding UTF8, locale C.UTF-8, ICU locale de-DE');
    try {
      const latin = await restore({ backupId: await idOf(run, 'legacy'), database: 'legacy_copy' });
      expect(latin.error).toBeNull();
      expect(await localeOf('legacy_copy')).toEqual({ encoding: 'LATIN1', datcollate: 'C', datctype: 'C', provider: 'c', icu: null });
      // Byte order, as in the original (C): Z before a, Ä (0xC4 in LATIN1) last.
      expect(await sql('legacy_copy', 'SELECT n FROM names ORDER BY n')).toEqual([{ n: 'Zoë' }, { n: 'abc' }, { n: 'Ärger' }]);
      expect(latin.databases[0]!.notes).toEqual([]);

      const icu = await restore({ backupId: await idOf(run, 'sorted'), database: 'sorted_copy' });
      expect(icu.error).toBeNull();
      expect(await localeOf('sorted_copy')).toEqual({ encoding: 'UTF8', datcollate: 'C.UTF-8', datctype: 'C.UTF-8', provider: 'i', icu: 'de-DE' });
      // German collation, as in the original: Ä sorts with A, not after Z.
      expect(await sql('sorted_copy', 'SELECT n FROM names ORDER BY n')).toEqual([{ n: 'abc' }, { n: 'Ärger' }, { n: 'Zoë' }]);

      // --force: the scratch copy swapped in is made the same way.
      const replaced = await restore({ backupId: await idOf(run, 'legacy'), database: 'sorted_copy', force: true });
      expect(replaced.error).toBeNull();
      expect(await localeOf('sorted_copy')).toEqual({ encoding: 'LATIN1', datcollate: 'C', datctype: 'C', provider: 'c', icu: null });
    } finally {
      for (const database of ['legacy', 'sorted', 'legacy_copy', 'sorted_copy']) await sql('postgres', `DROP DATABASE IF EXISTS ${database}`);
    }
  });

  it("a backup whose locale this server lacks is restored with the server's default, and the note says so; one from an older Vaultdesk (no locale) gets template1's", async () => {
    rewriteManifest(zipRun, 'shop', (s) => void (s.locale = { encoding: 'LATIN1', collate: 'xx_XX.ISO-8859-1', ctype: 'xx_XX.ISO-8859-1', provider: 'libc', icuLocale: null }));
    const lacking = await restore({ backupId: await idOf(zipRun, 'shop'), database: 'shop_no_locale' });
    expect(lacking.error).toBeNull();
    expect(await localeOf('shop_no_locale')).toMatchObject({ encoding: 'UTF8', provider: 'c' });
    expect(await sql<{ n: string }>('shop_no_locale', 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '40' }]);
    const template1 = (await localeOf('template1')) as { datcollate: string };
    expect(lacking.databases[0]!.notes).toEqual([
      `The backup's database had encoding LATIN1, locale xx_XX.ISO-8859-1, which this server could not give the restored database (invalid locale name: "xx_XX.ISO-8859-1"): ` +
        `it has the server's default, encoding UTF8, locale ${template1.datcollate}, so text may sort and compare differently than in the original. ` +
        'To keep the original behaviour, make that locale available on the server and restore again.',
    ]);

    // An older Vaultdesk's manifest has no locale: template1's encoding and locale, which the server gives new databases, even where template0's differ.
    rewriteManifest(zipRun, 'shop', (s) => void delete s.locale);
    const remake = async (encoding: string, collate: string, ctype: string): Promise<void> => {
      await sql('postgres', "UPDATE pg_database SET datistemplate = false WHERE datname = 'template1'");
      await sql('postgres', 'DROP DATABASE template1');
      await sql('postgres', `CREATE DATABASE template1 TEMPLATE template0 ENCODING '${encoding}' LC_COLLATE '${collate}' LC_CTYPE '${ctype}'`);
      await sql('postgres', "UPDATE pg_database SET datistemplate = true WHERE datname = 'template1'");
    };
    const original = (await localeOf('template1')) as { encoding: string; datcollate: string; datctype: string };
    expect(await localeOf('template0')).toMatchObject({ encoding: 'UTF8' });
    await remake('LATIN1', 'C', 'C');
    try {
      const r = await restore({ backupId: await idOf(zipRun, 'shop'), database: 'shop_latin1' });
      expect(r.error).toBeNull();
      expect(await localeOf('shop_latin1')).toMatchObject({ encoding: 'LATIN1', datcollate: 'C', datctype: 'C' });
      expect(await sql<{ n: string }>('shop_latin1', 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '40' }]);
      expect(r.databases[0]!.notes).toEqual([]);
    } finally {
      await remake(original.encoding, original.datcollate, original.datctype);
      expect(await localeOf('template1')).toMatchObject(original);
    }
  });

  it('with force, a replaced database the server refuses to drop (a subscription is defined in it) is left under its name and said; the restore succeeds with its counts', async () => {
    await sql('postgres', 'CREATE DATABASE held');
    await sql('held', 'CREATE TABLE old_rows (id int); INSERT INTO old_rows SELECT generate_series(1, 3)');
    // DROP DATABASE refuses a database with a subscription in it (even one never connected); a rename does not.
    await sql('held', "CREATE SUBSCRIPTION vd_hold CONNECTION 'host=127.0.0.1 port=1 dbname=none' PUBLICATION none WITH (connect = false, slot_name = NONE)");
    try {
      const r = await restore({ backupId: await idOf(allRun, 'crm'), database: 'held', force: true });
      expect(r.error).toBeNull();
      expect(r.status).toBe('succeeded');
      const [held] = r.databases;
      expect(held).toMatchObject({ status: 'restored', database: 'held', replaced: true, tables: [{ schema: 'public', table: 'people', rows: 12 }] });
      expect(await sql('held', 'SELECT count(*)::int AS n FROM people')).toEqual([{ n: 12 }]);
      const old = (await databases()).filter((d) => d.startsWith('held_vdnew_'));
      expect(old).toHaveLength(1);
      expect(old[0]).toMatch(/_old$/);
      expect(await sql(old[0]!, 'SELECT count(*)::int AS n FROM old_rows')).toEqual([{ n: 3 }]);
      expect(held!.notes).toEqual([expect.stringMatching(new RegExp(`^The database it replaced was left as ${old[0]} on "private" \\(it could not be dropped: .*subscription.*\\): drop it by hand once you no longer need it\\.$`))]);
      expect(r.message).toContain('crm into held (1 table, 12 rows), replacing the database that was there');
      // What is left to do by hand is in the message too, which is what the toast and the run's end say.
      expect(r.message).toMatch(new RegExp(` at "[^"]+"\\. The database it replaced was left as ${old[0]} on "private" .*drop it by hand once you no longer need it\\.$`));
      // And apart, for the views that cut a long message.
      expect(r.toDo).toEqual(held!.notes);
    } finally {
      for (const d of await databases()) {
        if (!d.startsWith('held')) continue;
        await sql(d, 'DROP SUBSCRIPTION IF EXISTS vd_hold');
        await sql('postgres', `DROP DATABASE "${d}"`);
      }
    }
  });
});
