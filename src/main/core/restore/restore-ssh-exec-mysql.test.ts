import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { createMysqlDatabase, dropMysqlDatabase, mysqlFingerprint, probeMysql, scratchName, withMysql, withMysqlMaxPacket } from '../testing/db-fixtures';
import { backUp, backupIdOfRun, directAndExecSources, drillAndWait, mysqlDatabases, mysqlRowCounts, restoreAndWait, whileOrdersHeld, whileOrdersHeldUntilEnded } from '../testing/restore-fixtures';
import { mysqlEnv, shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('MariaDB and sshd', (await probeMysql()) ?? sshdUnavailable());

describe.skipIf(skip)('restore and drill into MariaDB through a source whose tools run on its SSH host', () => {
  const t = tempDir('vaultdesk-restore-my-exec-');
  const hex = randomBytes(3).toString('hex');
  // The remote shell starts in the SSH user's home: a command substitution that ran would leave this there.
  const markerName = `vd-injected-${hex}`;
  const marker = path.join(homedir(), markerName);
  const src = scratchName('rmx_src');
  // A quote, a backtick, a command substitution and unicode, within MariaDB's 64 characters.
  const target = `vd 'q' \`b\` $(touch ${markerName}) ☕ ${hex}`;
  const guarded = scratchName('rmx_guard');
  let sshd: SshdServer;
  let core: Core;
  let run: RunDto;
  let destinationId: string;
  let execId: string;
  const prefixed = async (name: string): Promise<string[]> => (await mysqlDatabases()).filter((d) => d.startsWith(name.slice(0, 20)));

  beforeAll(async () => {
    sshd = await startSshd();
    await createMysqlDatabase(src);
    await withMysql(src, async (c) => {
      await c.query('CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)); CREATE TABLE `日本語 ☕` (id INT PRIMARY KEY);');
      await c.query('INSERT INTO orders VALUES ?', [Array.from({ length: 50 }, (_, i) => [i, `order ${i}`])]);
      await c.query('INSERT INTO `日本語 ☕` VALUES ?', [Array.from({ length: 20 }, (_, i) => [i])]);
    });
    core = await tempCore(t.dir);
    ({ execId, run, destinationId } = await directAndExecSources(
      core,
      sshd,
      { engine: 'mysql', name: 'maria', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: src },
      src,
      path.join(t.dir, 'backups'),
    ));
  });

  afterAll(async () => {
    core?.close();
    const left = [...(await prefixed(src)), ...(await prefixed(target)), ...(await prefixed(guarded))];
    await Promise.allSettled([src, target, guarded, ...left].map(dropMysqlDatabase));
    await sshd?.stop();
    rmSync(marker, { force: true });
    t.cleanup();
  });

  it('restores a backup made through a direct source into a new database through the exec source, with the row counts of the source', async () => {
    const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target });
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', targetSource: 'maria-exec' });
    expect(done.databases[0]).toMatchObject({ status: 'restored', database: target, replaced: false });
    expect(await mysqlRowCounts(src)).toEqual({ orders: 50, '日本語 ☕': 20 });
    expect(await mysqlRowCounts(target)).toEqual(await mysqlRowCounts(src));
    // Counted from the dump as it streamed, in the order of the tables the client on the SSH host lists.
    expect(done.databases[0]!.tables).toEqual([
      { schema: null, table: 'orders', rows: 50 },
      { schema: null, table: '日本語 ☕', rows: 20 },
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('sees the restored database as not empty and refuses to restore over it without force, changing nothing', async () => {
    expect(await core.call('restore:inspectTarget', { sourceId: execId, database: target })).toMatchObject({ exists: true, tables: 2 });
    expect(await core.call('restore:inspectTarget', { sourceId: execId, database: `${target.slice(0, 50)} none` })).toMatchObject({ exists: false, tables: 0 });
    // Views, routines and events make a database not empty too.
    const codeOnly = `${target.slice(0, 50)} code`;
    await createMysqlDatabase(codeOnly);
    try {
      await withMysql(codeOnly, (c) => c.query("CREATE PROCEDURE tidy() SELECT 1; CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01 00:00:00' DISABLE DO SELECT 1"));
      expect(await core.call('restore:inspectTarget', { sourceId: execId, database: codeOnly })).toEqual({
        sourceId: execId,
        database: codeOnly,
        exists: true,
        tables: 0,
        others: ['1 routine', '1 event'],
        sessions: null,
      });
    } finally {
      await dropMysqlDatabase(codeOnly);
    }
    await withMysql(target, (c) => c.query("INSERT INTO orders VALUES (1000, 'after the restore')"));
    const refused = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY', details: { database: target, tables: 2 } });
    expect((refused as Error).message).toContain(`Database ${target} on "maria-exec" already holds 2 tables`);
    expect((await mysqlRowCounts(target)).orders).toBe(51);
  });

  it('with force, swaps the restored tables in with one RENAME TABLE: rows and tables added since are gone, no scratch or old copy is left', async () => {
    // MariaDB lists a system-versioned table and a sequence under types of their own: they are moved out too.
    await withMysql(target, (c) => c.query('CREATE TABLE extra (id INT) WITH SYSTEM VERSIONING; INSERT INTO extra VALUES (1); CREATE SEQUENCE extra_ids'));
    const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: target, force: true });
    expect(done.error).toBeNull();
    expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: true });
    expect(await mysqlRowCounts(target)).toEqual({ orders: 50, '日本語 ☕': 20 });
    const [left] = await withMysql(undefined, (c) => c.query('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [target]));
    expect(left).toEqual([{ t: 'orders' }, { t: '日本語 ☕' }]);
    expect(await prefixed(target)).toEqual([target]);
    expect(existsSync(marker)).toBe(false);
  });

  it("with force, takes the place of a database with its own views, trigger, routine and event, and makes the backup's, bodies intact, through the client on the SSH host", async () => {
    const withObjects = scratchName('rmx_objs');
    try {
      await createMysqlDatabase(withObjects);
      await withMysql(withObjects, async (c) => {
        await c.query("CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)); INSERT INTO orders VALUES (1, 'one'), (2, 'two')");
        await c.query('CREATE VIEW recent AS SELECT id FROM orders WHERE id > 1; CREATE VIEW `a view of it` AS SELECT COUNT(*) AS n FROM recent');
        // Comments in bodies, which the client strips unless asked not to (a trigger's then no longer parses).
        await c.query("CREATE TRIGGER stamp BEFORE INSERT ON orders FOR EACH ROW /* mark what came in */ SET NEW.label = CONCAT(NEW.label, ' (stamped)')");
        // A body with semicolons, a tab, line breaks, a backslash and quotes: what the client's batch output escapes and its parser splits on.
        await c.query("CREATE PROCEDURE `odd ☕`() BEGIN\n\t-- why: two answers\n\tSELECT 'a\\\\b', 'it''s', \"tab\tx\";\n\tSELECT 2; # the second\nEND");
        await c.query("CREATE EVENT tidy ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01 00:00:00' DISABLE DO DELETE FROM orders WHERE id < 0");
      });
      const source = await core.call('sources:create', { engine: 'mysql', name: 'maria-objs', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: withObjects });
      const job = await core.call('jobs:create', { name: 'objs-nightly', sourceId: source.id, destinationIds: [destinationId] });
      const backupId = backupIdOfRun(await backUp(core, job.id), destinationId);

      await createMysqlDatabase(guarded);
      await withMysql(guarded, async (c) => {
        await c.query("CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)); INSERT INTO orders VALUES (7, 'kept'); CREATE VIEW recent AS SELECT label FROM orders");
        await c.query('CREATE TRIGGER stamp AFTER DELETE ON orders FOR EACH ROW SET @gone = OLD.id; CREATE FUNCTION mine() RETURNS INT DETERMINISTIC RETURN 1');
      });
      expect(await core.call('restore:inspectTarget', { sourceId: execId, database: guarded })).toMatchObject({ exists: true, tables: 1, others: ['1 view', '1 trigger', '1 routine'] });
      const done = await restoreAndWait(core, { backupId, targetSourceId: execId, database: guarded, force: true });
      expect(done.error).toBeNull();
      expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: true, tables: [{ schema: null, table: 'orders', rows: 2 }] });
      expect(done.databases[0]!.notes).toContain(
        `MySQL/MariaDB cannot move views, triggers, routines or events between databases: ${guarded}'s own (1 view, 1 trigger and 1 routine) were dropped, and the backup's (2 views, 1 trigger, 1 routine and 1 event) made in ${guarded} right after its tables were swapped in.`,
      );
      expect(await mysqlFingerprint(guarded)).toEqual(await mysqlFingerprint(withObjects));
      await withMysql(guarded, async (c) => {
        await c.query("INSERT INTO orders VALUES (3, 'three')");
        const [rows] = await c.query('SELECT label, (SELECT n FROM `a view of it`) AS n FROM orders WHERE id = 3');
        expect(rows).toEqual([{ label: 'three (stamped)', n: 2 }]);
      });
      expect(await prefixed(guarded)).toEqual([guarded]);
    } finally {
      await dropMysqlDatabase(withObjects);
    }
  });

  it('with endSessions, the connection holding the target is killed through the client on the SSH host, and the copy goes in', async () => {
    const held = scratchName('rmx_ended');
    await createMysqlDatabase(held);
    try {
      await whileOrdersHeldUntilEnded(held, async () => {
        const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: held, force: true, endSessions: true });
        expect(done.error).toBeNull();
        expect(done.databases[0]!.notes).toContain(`Ended 1 other session connected to ${held} before replacing it.`);
      });
      expect(await mysqlRowCounts(held)).toEqual(await mysqlRowCounts(src));
    } finally {
      await dropMysqlDatabase(held);
    }
  }, 120_000);

  // A restore that gives up waits its tries out in full, twice here.
  it('with force, a database whose tables another session holds is given up on after a few short waits through the client on the SSH host, as it was, a view and a trigger too; once the session ends, the same restore goes through', async () => {
    const backupId = backupIdOfRun(run, destinationId);
    for (const withTrigger of [false, true]) {
      const held = scratchName(withTrigger ? 'rmx_held_o' : 'rmx_held_t');
      await createMysqlDatabase(held);
      try {
        await whileOrdersHeld(held, withTrigger ? ['view', 'trigger'] : [], async () => {
          const before = await mysqlFingerprint(held);
          const done = await restoreAndWait(core, { backupId, targetSourceId: execId, database: held, force: true });
          expect(done).toMatchObject({ status: 'failed', stage: 'swap', error: { code: 'RESTORE_FAILED' } });
          expect(done.error!.message).toContain(`Database ${held} on MySQL/MariaDB at ${mysqlEnv.host}:${mysqlEnv.port} as user ${mysqlEnv.user} is in use: another session holds a lock on its tables`);
          expect(await mysqlFingerprint(held)).toEqual(before);
          expect(await prefixed(held)).toEqual([held]);
        });
        const forced = await restoreAndWait(core, { backupId, targetSourceId: execId, database: held, force: true });
        expect(forced.error).toBeNull();
        expect(await mysqlRowCounts(held)).toEqual(await mysqlRowCounts(src));
        const after = await mysqlFingerprint(held);
        expect([after.triggers, after.views]).toEqual([[], []]);
      } finally {
        await dropMysqlDatabase(held);
      }
    }
  }, 180_000);

  it('a drill through the exec source, compared through it too, finds the rows added since the backup and drops its scratch database', async () => {
    const backupId = backupIdOfRun(run, destinationId);
    const clean = await drillAndWait(core, { backupId, targetSourceId: execId, compareSourceId: execId });
    expect(clean.error).toBeNull();
    expect(clean.drill).toMatchObject({ ok: true, tables: 2, differences: [], scratchDropped: true, comparedWith: `${src} on "maria-exec"` });

    await withMysql(src, (c) => c.query("INSERT INTO orders VALUES (50, 'since'), (51, 'since'), (52, 'since')"));
    const drill = await drillAndWait(core, { backupId, targetSourceId: execId, compareSourceId: execId });
    expect(drill.drill).toMatchObject({ ok: false, scratchDropped: true });
    expect(drill.drill!.differences).toEqual([{ schema: null, table: 'orders', inBackup: 50, inSourceNow: 53, difference: 3 }]);
    expect(await prefixed(src)).toEqual([src]);
  });

  it('refuses a parallel restore (--jobs) into the exec source before anything starts', async () => {
    const refused = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: `${src}_j`, jobs: 2 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'jobs' } });
    expect((refused as Error).message).toContain('runs the mysql client on its SSH host');
    expect(await mysqlDatabases()).not.toContain(`${src}_j`);
  });

  it("with force, a database another database's foreign keys refer to is not swapped through the client on the SSH host either: said as the restore starts, refused before anything moves", async () => {
    const referenced = scratchName('rmx_refd');
    const child = scratchName('rmx_refc');
    try {
      await createMysqlDatabase(referenced);
      await createMysqlDatabase(child);
      await withMysql(referenced, (c) => c.query("CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)) ENGINE=InnoDB; INSERT INTO orders VALUES (1, 'kept')"));
      await withMysql(child, (c) => c.query(`CREATE TABLE order_lines (id INT PRIMARY KEY, order_id INT, CONSTRAINT to_orders FOREIGN KEY (order_id) REFERENCES \`${referenced}\`.orders (id)) ENGINE=InnoDB`));
      const before = await mysqlFingerprint(referenced);
      const key = `${child}.order_lines (to_orders) -> orders`;
      const started = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), targetSourceId: execId, database: referenced, force: true });
      expect(started.warnings).toContain(
        `Tables of other databases refer to ${referenced}'s tables by foreign key (${key}): MySQL/MariaDB would move those keys with the tables a swap moves out, so the restore will not put its copy in place of ${referenced} while they do. Drop them before it finishes, or restore under another name.`,
      );
      const done = await core.restoreService.wait(started.restoreId);
      expect(done).toMatchObject({ status: 'failed', stage: 'swap', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toContain(`tables of other databases refer to them by foreign key (${key})`);
      expect(done.error!.message).toContain(`${referenced} was left as it was.`);
      expect(await mysqlFingerprint(referenced)).toEqual(before);
      expect((await mysqlDatabases()).filter((d) => d.startsWith(referenced))).toEqual([referenced]);
    } finally {
      await dropMysqlDatabase(child);
      await dropMysqlDatabase(referenced);
    }
  });

  it("a row larger than the target server's max_allowed_packet, restored through the client on the SSH host, is refused in words that give the server's value and how to raise it, and leaves no database", async () => {
    const source = scratchName('rmx_blob');
    const into = `${source}_copy`;
    try {
      await withMysqlMaxPacket(async (setMaxPacket) => {
        await setMaxPacket(16 * 1024 * 1024);
        await createMysqlDatabase(source);
        // 12 MiB as binary fits the server; the dump's hex, 24 MiB in one statement, does not.
        await withMysql(source, async (c) => {
          await c.query('CREATE TABLE doc (id INT PRIMARY KEY, body LONGBLOB)');
          await c.execute('INSERT INTO doc VALUES (1, ?)', [randomBytes(12 * 1024 * 1024)]);
        });
        const direct = await core.call('sources:create', { engine: 'mysql', name: 'maria-blob', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: source });
        const job = await core.call('jobs:create', { name: 'blob-nightly', sourceId: direct.id, destinationIds: [destinationId], encryption: 'none' });
        const done = await restoreAndWait(core, { backupId: backupIdOfRun(await backUp(core, job.id), destinationId), targetSourceId: execId, database: into });
        expect(done).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
        // The server's refusal (1153) or the connection it closed (2006, 2013): which, depends on when its answer reaches the client.
        expect(done.error!.message).toMatch(/ERROR (?:(?:2006|2013) \(HY000\)|1153 \(08S01\)) at line \d+/);
        expect(done.error!.message).toContain("This server's max_allowed_packet is 16.0 MiB, and it ends the connection of a statement larger than that");
        expect(done.error!.message).toMatch(/(Raise|If the backup holds rows that large, raise) it on this server, as an administrator: SET GLOBAL max_allowed_packet = 1073741824;/);
        expect((await mysqlDatabases()).filter((d) => d.startsWith(into))).toEqual([]);
      });
    } finally {
      await dropMysqlDatabase(source);
      await dropMysqlDatabase(into);
    }
  });
});
