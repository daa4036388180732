import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import { createMysqlDatabase, dropMysqlDatabase, mysqlFingerprint, probeMysql, scratchName, seedMysqlAwkward, testSourceDto, withMysql } from '../testing/db-fixtures';
import { mysqlEnv, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { interruptedHalfway, processesWith, testContext, waitFor } from './source-test-helpers';

const run = promisify(execFile);
const reason = await probeMysql();

async function databaseExists(name: string): Promise<boolean> {
  const [rows] = await withMysql(undefined, (c) => c.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]));
  return rows.length === 1;
}

describe.skipIf(shouldSkip('MariaDB', reason))('MySQL/MariaDB restore with several clients', () => {
  const source = scratchName('mypar');
  const created: string[] = [source];
  const t = tempDir();
  const said: { message: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = { debug() {}, info: (message, fields) => said.push({ message, fields }), warn: (message) => said.push({ message }), error: (message) => said.push({ message }) };
  let driver: SourceDriver;
  let dump: Buffer;

  beforeAll(async () => {
    await createMysqlDatabase(source);
    await seedMysqlAwkward(source);
    // A foreign key into the big table: loaded in any order, as the dump sets FOREIGN_KEY_CHECKS=0 in every session.
    await withMysql(source, (c) =>
      c.query('CREATE TABLE `line notes` (id INT PRIMARY KEY, item INT NOT NULL, FOREIGN KEY (item) REFERENCES `order items` (`item id`)) ENGINE=InnoDB; INSERT INTO `line notes` SELECT `item id`, `item id` FROM `order items`'),
    );
    driver = createSourceDriver(testSourceDto('mysql', { database: source }), {}, testContext(t.dir, { log }));
    // Vaultdesk's dump, with small statements: many of them, for a small database.
    const args = [`--host=${mysqlEnv.host}`, `--port=${mysqlEnv.port}`, `--user=${mysqlEnv.user}`, '--protocol=TCP', '--single-transaction', '--routines', '--triggers', '--events', '--hex-blob', '--net-buffer-length=8192', '--', source];
    dump = (await run('mariadb-dump', args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 })).stdout;
  });

  afterAll(async () => {
    await driver?.close();
    for (const name of created) await dropMysqlDatabase(name);
    t.cleanup();
  });

  it('restores tables, rows, keys, views, triggers, routines and events as one client does', async () => {
    const target = scratchName('myparts');
    created.push(target);
    said.length = 0;
    // In pieces, as a backup streams: the lead's answers come back between them.
    const pieces = Array.from({ length: Math.ceil(dump.length / 16384) }, (_, i) => dump.subarray(i * 16384, (i + 1) * 16384));
    await driver.restore(Readable.from(pieces), { database: target, format: 'plain', createDatabase: true, loaders: 3 });
    // The trigger was made after the rows: none of them says "(touched)".
    expect(await mysqlFingerprint(target)).toEqual(await mysqlFingerprint(source));
    const loaded = said.find((s) => s.message === 'rows loaded in parallel');
    const statements = loaded?.fields?.statements as number[];
    expect(statements).toHaveLength(3);
    for (const n of statements) expect(n).toBeGreaterThan(0);
    await withMysql(target, async (c) => {
      // The key holds, and the trigger fires now.
      await expect(c.query('INSERT INTO `line notes` VALUES (999999, 999999)')).rejects.toThrow(/foreign key/i);
      await c.query("INSERT INTO `order items` (`name \"quoted\"`, `café ☕`) VALUES ('after', 'x')");
      const [rows] = await c.query<mysql.RowDataPacket[]>("SELECT `café ☕` AS v FROM `order items` WHERE `name \"quoted\"` = 'after'");
      expect(rows[0]!.v).toBe('x (touched)');
    });
    expect(processesWith(target)).toEqual([]);
  });

  it('drops the database when the stream ends inside an INSERT, and leaves no client running', async () => {
    const target = scratchName('mypcut');
    const cut = dump.subarray(0, dump.indexOf(Buffer.from('INSERT INTO `order items`')) + 50_000);
    const error = (await driver.restore(Readable.from([cut]), { database: target, format: 'plain', createDatabase: true, loaders: 2 }).catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toContain(target);
    expect(await databaseExists(target)).toBe(false);
    await waitFor(() => processesWith(target).length === 0);
  });

  const interrupted = (target: string, act: (tools: { pid: number }[], stop: AbortController) => void): Promise<AppError> =>
    interruptedHalfway((input, signal) => driver.restore(input, { database: target, format: 'plain', createDatabase: true, loaders: 2, signal }), dump, target, '--unbuffered', 2, act) as Promise<AppError>;

  it('stops every client and drops the database when one client is killed halfway', async () => {
    const target = scratchName('mypkill');
    const error = await interrupted(target, (clients) => process.kill(clients[1]!.pid, 'SIGKILL'));
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(/killed by SIGKILL/);
    expect(await databaseExists(target)).toBe(false);
    await waitFor(() => processesWith(target).length === 0);
  });

  it('is cancelled halfway like a single restore: CANCELLED, the database dropped', async () => {
    const target = scratchName('mypstop');
    const error = await interrupted(target, (_clients, stop) => stop.abort());
    expect(error.code).toBe('CANCELLED');
    expect(await databaseExists(target)).toBe(false);
    await waitFor(() => processesWith(target).length === 0);
  });

  it('reports a statement the server refuses, in whichever client ran it, with the server’s words', async () => {
    const target = scratchName('mypbad');
    // A row twice: the second copy fails on the primary key in whichever client gets it.
    const text = dump.toString('latin1');
    const at = text.indexOf('INSERT INTO `line notes`');
    const statement = text.slice(at, text.indexOf(';\n', at) + 2);
    const doubled = Buffer.from(text.slice(0, at) + statement + statement + text.slice(at + statement.length), 'latin1');
    const error = (await driver.restore(Readable.from([doubled]), { database: target, format: 'plain', createDatabase: true, loaders: 2 }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(/Duplicate entry/);
    expect(await databaseExists(target)).toBe(false);
    await waitFor(() => processesWith(target).length === 0);
  });
});
