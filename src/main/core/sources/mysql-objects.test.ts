import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase, dropMysqlDatabase, probeMysql, scratchName, withMysql } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { connectionSession, makeMysqlObjects, mysqlDropObjectSql, MysqlObjectNotMade, readMysqlObjects } from './mysql-objects';

const skip = shouldSkip('MariaDB', await probeMysql());

describe('mysqlDropObjectSql', () => {
  it('drops an object of the schema it names, names quoted', () => {
    expect(mysqlDropObjectSql('shop`s', { type: 'PACKAGE BODY', name: 'ledger' })).toBe('DROP PACKAGE BODY IF EXISTS `shop``s`.`ledger`');
    expect(mysqlDropObjectSql('shop', { type: 'TRIGGER', name: 'touch it' })).toBe('DROP TRIGGER IF EXISTS `shop`.`touch it`');
  });
});

describe.skipIf(skip)('reading and making MariaDB views, triggers, routines and events in another schema', () => {
  const from = scratchName('objs_from');
  const into = scratchName('objs_into');

  beforeAll(async () => {
    await createMysqlDatabase(from);
    await withMysql(from, async (c) => {
      await c.query('CREATE TABLE items (id INT PRIMARY KEY, label VARCHAR(100)); CREATE TABLE log (line VARCHAR(100))');
      // Named to come before the view it selects from, which is listed first.
      await c.query('CREATE VIEW z_labels AS SELECT label FROM items; CREATE VIEW a_counted AS SELECT COUNT(*) AS n FROM z_labels');
      // Two triggers of one table, timing and event: made again, they keep their order.
      await c.query("CREATE TRIGGER second_one BEFORE INSERT ON items FOR EACH ROW SET NEW.label = CONCAT(NEW.label, '+first')");
      await c.query("CREATE TRIGGER first_one BEFORE INSERT ON items FOR EACH ROW PRECEDES second_one SET NEW.label = CONCAT(NEW.label, '+zero')");
      // Made under ANSI_QUOTES, where "label" is a column: under the default mode it would be a string.
      await c.query("SET SESSION sql_mode = 'ANSI_QUOTES'; CREATE FUNCTION quoted_label(wanted INT) RETURNS VARCHAR(100) READS SQL DATA RETURN (SELECT \"label\" FROM items WHERE id = wanted); SET SESSION sql_mode = DEFAULT");
      await c.query("CREATE EVENT tidy ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01 00:00:00' DISABLE DO DELETE FROM log");
    });
  });

  afterAll(async () => {
    await Promise.allSettled([from, into].map(dropMysqlDatabase));
  });

  it('reads them in the order they are made, and makes them again in another schema, where each works as in the first', async () => {
    const objects = await withMysql(undefined, (c) => readMysqlObjects(connectionSession(c), from));
    expect(objects.map((o) => `${o.kind} ${o.name}`)).toEqual(['routine quoted_label', 'view a_counted', 'view z_labels', 'trigger first_one', 'trigger second_one', 'event tidy']);
    expect(objects[0]).toMatchObject({ type: 'FUNCTION', sqlMode: 'ANSI_QUOTES' });
    expect(objects.find((o) => o.kind === 'event')!.timeZone).not.toBeNull();
    // Unqualified: they are made in whichever schema is in use.
    expect(objects.find((o) => o.name === 'z_labels')!.create).not.toContain(from);

    await createMysqlDatabase(into);
    await withMysql(into, (c) => c.query('CREATE TABLE items (id INT PRIMARY KEY, label VARCHAR(100)); CREATE TABLE log (line VARCHAR(100))'));
    await withMysql(undefined, (c) => makeMysqlObjects(connectionSession(c), into, objects));
    await withMysql(into, async (c) => {
      await c.query("INSERT INTO items VALUES (1, 'x')");
      const [rows] = await c.query('SELECT label, quoted_label(1) AS q, (SELECT n FROM a_counted) AS n FROM items');
      expect(rows).toEqual([{ label: 'x+zero+first', q: 'x+zero+first', n: 1 }]);
      const [events] = await c.query('SELECT EVENT_NAME AS e, STATUS AS s FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()');
      expect(events).toEqual([{ e: 'tidy', s: 'DISABLED' }]);
    });
  });

  it('names the object it could not make, with the server\'s words', async () => {
    const objects = await withMysql(undefined, (c) => readMysqlObjects(connectionSession(c), from));
    const bare = scratchName('objs_bare');
    try {
      // No tables: the first view over one cannot be made, whatever the order.
      await createMysqlDatabase(bare);
      const failed = await withMysql(undefined, (c) => makeMysqlObjects(connectionSession(c), bare, objects.filter((o) => o.kind === 'view'))).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(MysqlObjectNotMade);
      expect((failed as MysqlObjectNotMade).message).toBe('could not make view a_counted');
      expect(String((failed as MysqlObjectNotMade).cause)).toContain(`Table '${bare}.z_labels' doesn't exist`);
    } finally {
      await dropMysqlDatabase(bare);
    }
  });
});
