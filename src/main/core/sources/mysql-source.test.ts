import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { createMysqlDatabase, dropMysqlDatabase, mysqlFingerprint, probeMysql, scratchName, seedMysqlAwkward, testSourceDto, withMysql, type DbFingerprint } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { collect, testContext } from './source-test-helpers';

const reason = await probeMysql();

describe.skipIf(shouldSkip('MariaDB', reason))('mysql/mariadb source', () => {
  const source = scratchName('mysrc');
  const created: string[] = [source];
  const t = tempDir();
  let driver: SourceDriver;
  let original: DbFingerprint;

  beforeAll(async () => {
    await createMysqlDatabase(source);
    await seedMysqlAwkward(source);
    original = await mysqlFingerprint(source);
    driver = createSourceDriver(testSourceDto('mysql', { database: source }), {}, testContext(t.dir));
  });

  afterAll(async () => {
    await driver?.close();
    for (const name of created) await dropMysqlDatabase(name);
    t.cleanup();
  });

  it('tests the connection, naming the server and the dump tool it will use', async () => {
    const result = await driver.test();
    expect(result.success).toBe(true);
    expect(result.serverVersion).toMatch(/^(MariaDB|MySQL) \d+\.\d+/);
    expect(result.message).toContain('127.0.0.1:3306');
    expect(result.message).toMatch(/(mariadb-dump|mysqldump) .*Ver/);
  });

  it('lists user databases without the system schemas', async () => {
    const names = await driver.listDatabases();
    expect(names).toContain(source);
    for (const system of ['information_schema', 'mysql', 'performance_schema', 'sys']) expect(names).not.toContain(system);
  });

  it('round-trips a dump with routines, triggers, events and blobs into a database of another name', async () => {
    const dump = await driver.dump(null, { format: 'custom' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    const text = bytes.toString('utf8');
    // No CREATE DATABASE/USE: that is what lets the restore pick the target name.
    expect(text).not.toMatch(/^(CREATE DATABASE|USE )/m);
    expect(text).toContain('0x'); // --hex-blob
    expect(driver.extension('custom')).toBe('sql');

    const target = scratchName('myrestore');
    created.push(target);
    await driver.restore(Readable.from([bytes]), { database: target, format: 'plain', createDatabase: true });
    expect(await mysqlFingerprint(target)).toEqual(original);
    await withMysql(target, async (c) => {
      const one = async (sql: string): Promise<unknown> => ((await c.query<mysql.RowDataPacket[]>(sql))[0][0] as Record<string, unknown>).v;
      await c.query("CALL `add item`('via procedure')");
      expect(await one("SELECT `café ☕` AS v FROM `order items` WHERE `name \"quoted\"` = 'via procedure'")).toBe(' (touched)');
      expect(await one('SELECT `add tax`(10) AS v')).toBe('12.00');
      expect(await one('SELECT count(*) AS v FROM `big orders`')).toBe(1199);
    });
    // The source is untouched by a restore elsewhere.
    expect(await mysqlFingerprint(source)).toEqual(original);
  });

  it('streams a dump straight into a restore into an existing database', async () => {
    const target = scratchName('mystream');
    created.push(target);
    await createMysqlDatabase(target);
    const dump = await driver.dump(source, { format: 'plain' });
    await Promise.all([driver.restore(dump.stream, { database: target, format: 'plain' }), dump.done]);
    expect((await mysqlFingerprint(target)).tables).toEqual(original.tables);
  });

  it('fails a restore with RESTORE_FAILED and the client’s error, dropping the database it created', async () => {
    const target = scratchName('mybad');
    const error = (await driver.restore(Readable.from(['CREATE TABLE a (id INT);\nINSERT INTO nowhere VALUES (1);\n']), { database: target, format: 'plain', createDatabase: true }).catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(/exited with code 1: .*nowhere/s);
    const exists = await withMysql(undefined, async (c) => (await c.query<mysql.RowDataPacket[]>('SHOW DATABASES LIKE ?', [target]))[0].length);
    expect(exists).toBe(0);
  });

  it("reads no option file of the machine or its user: a ~/.my.cnf with another password and a [mysqldump] group changes neither the login nor the dump, with a password or without", async () => {
    const home = path.join(t.dir, 'home-with-my-cnf');
    mkdirSync(home, { recursive: true });
    // A DBA's own defaults: a password for their interactive logins, and dumps without data for quick schema diffs.
    writeFileSync(path.join(home, '.my.cnf'), `[client]\npassword=not-the-source-password\n[mysqldump]\nno-data\nignore-table=${source}.\`order items\`\n[mysql]\ndatabase=${source}\n`);
    const user = scratchName('opt').slice(0, 32);
    await withMysql(undefined, async (c) => {
      await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'the source password'`);
      await c.query(`GRANT ALL ON *.* TO '${user}'@'%' WITH GRANT OPTION`);
    });
    try {
      const env = { ...process.env, HOME: home };
      const drivers = [
        createSourceDriver(testSourceDto('mysql', { database: source }), {}, testContext(t.dir, { env })),
        createSourceDriver(testSourceDto('mysql', { database: source, user }), { password: 'the source password' }, testContext(t.dir, { env })),
      ];
      for (const [i, withHome] of drivers.entries()) {
        const dump = await withHome.dump(null, { format: 'plain' });
        const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
        expect(bytes.toString('utf8')).toContain('INSERT INTO `order items`');
        const target = scratchName(`myopt${i}`);
        created.push(target);
        await withHome.restore(Readable.from([bytes]), { database: target, format: 'plain', createDatabase: true });
        expect((await mysqlFingerprint(target)).tables).toEqual(original.tables);
        await withHome.close();
      }
    } finally {
      await withMysql(undefined, (c) => c.query(`DROP USER IF EXISTS '${user}'@'%'`));
    }
  });

  it('refuses to create a database that already exists', async () => {
    const error = (await driver.restore(Readable.from(['']), { database: source, format: 'plain', createDatabase: true }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toContain(`Database ${source} already exists`);
    expect(await mysqlFingerprint(source)).toEqual(original);
  });
});
