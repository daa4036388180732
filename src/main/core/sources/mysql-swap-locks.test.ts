import type mysql from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { createMysqlDatabase, dropMysqlDatabase, mysqlFingerprint, probeMysql, scratchName, withMysql } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { mysqlOldName, mysqlSwapRenameSql, mysqlTablesSql, swapObjects, type MysqlSwapSession } from './mysql-admin';
import { ER_LOCK_WAIT_TIMEOUT } from './mysql-lock-wait';
import { connectionSession, readMysqlObjects } from './mysql-objects';

const skip = shouldSkip('MariaDB', await probeMysql());

/**
 * A lock wait once the tables are swapped in, while the backup's objects are made: an application's
 * session would have to take a new table between two statements, which no test can time, so the
 * server's answer to it (ER_LOCK_WAIT_TIMEOUT) is given in its place, on a real server otherwise.
 */
describe.skipIf(skip)('swapObjects when making the backup’s trigger meets another session’s lock', () => {
  let target: string;
  let scratch: string;

  beforeEach(async () => {
    [target, scratch] = [scratchName('swl_target'), scratchName('swl_scratch')];
    await createMysqlDatabase(target);
    await createMysqlDatabase(scratch);
    await withMysql(target, (c) => c.query("CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)); INSERT INTO orders VALUES (1, 'target'); CREATE VIEW mine AS SELECT id FROM orders"));
    await withMysql(scratch, async (c) => {
      await c.query("CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)); INSERT INTO orders VALUES (1, 'backup'), (2, 'backup')");
      await c.query('CREATE VIEW recent AS SELECT id FROM orders WHERE id > 1');
      await c.query("CREATE TRIGGER stamp BEFORE INSERT ON orders FOR EACH ROW SET NEW.label = CONCAT(NEW.label, ' (stamped)')");
    });
  });
  afterEach(async () => {
    await Promise.allSettled([target, scratch, mysqlOldName(scratch)].map(dropMysqlDatabase));
  });

  /** A session on `c` whose CREATE TRIGGER times out on a lock `times` times before the server takes it. */
  function lockedFor(c: mysql.Connection, times: number): { session: MysqlSwapSession; made: string[] } {
    const real = connectionSession(c);
    const made: string[] = [];
    let left = times;
    const session: MysqlSwapSession = {
      ...real,
      async run(schema, statements) {
        for (const statement of statements) {
          if (/CREATE\b.*\bTRIGGER\b/s.test(statement) && left > 0) {
            left -= 1;
            throw Object.assign(new Error('Lock wait timeout exceeded; try restarting transaction'), { errno: ER_LOCK_WAIT_TIMEOUT });
          }
          await real.run(schema, [statement]);
          const created = /CREATE\b.*?\b(VIEW|TRIGGER)\s+`?([^`\s]+)/s.exec(statement);
          if (created) made.push(`${created[1]!.toLowerCase()} ${created[2]}`);
        }
      },
      tables: async (schema) => {
        // As the admin lists them: tables, not views.
        const [rows] = await c.query<mysql.RowDataPacket[]>(mysqlTablesSql('?', 'all'), [schema]);
        return rows.map((r) => String(r.t));
      },
    };
    return { session, made };
  }

  async function swapWith(times: number): Promise<{ error: unknown; made: string[] }> {
    return withMysql(undefined, async (c) => {
      const { session, made } = lockedFor(c, times);
      const old = mysqlOldName(scratch);
      await c.query(`CREATE DATABASE \`${old}\``);
      const objects = { replaced: await readMysqlObjects(session, target), restored: await readMysqlObjects(session, scratch) };
      const swap = { target, scratch, old, endpoint: 'MariaDB here', rename: mysqlSwapRenameSql(target, scratch, old, ['orders'], ['orders']), tables: { replaced: ['orders'], restored: ['orders'] }, objects, sessionsEnded: false };
      const error = await swapObjects(swap, session, (use) => use(session), async () => void (await c.query(`DROP DATABASE IF EXISTS \`${old}\``))).then(
        () => null,
        (e: unknown) => e,
      );
      return { error, made };
    });
  }

  it('tried again after the wait, it makes what is missing and nothing twice: the backup’s view and trigger, each once', async () => {
    const { error, made } = await swapWith(2);
    expect(error).toBeNull();
    expect(made.filter((m) => m.startsWith('view recent') || m.startsWith('trigger stamp'))).toEqual(['view recent', 'trigger stamp']);
    const after = await mysqlFingerprint(target);
    expect(after.views).toEqual(['recent']);
    expect(after.triggers).toHaveLength(1);
    await withMysql(target, async (c) => {
      await c.query("INSERT INTO orders VALUES (3, 'new')");
      const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT label FROM orders ORDER BY id');
      expect(rows.map((r) => r.label)).toEqual(['backup', 'backup', 'new (stamped)']);
    });
  });

  it('when the lock outlasts every try, the target is put back as it was, its own view included, and the restore fails as in use', async () => {
    const before = await mysqlFingerprint(target);
    const { error } = await swapWith(1000);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'RESTORE_FAILED', details: { database: target, reason: 'in-use' } });
    expect((error as AppError).message).toContain(`Database ${target} on MariaDB here is in use: another session holds a lock on its tables`);
    expect(await mysqlFingerprint(target)).toEqual(before);
  });
});
