import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { AppError } from '../../../shared/ipc/result';
import type { Core } from '../create-core';
import { createMysqlDatabase, dropMysqlDatabase, mysqlFingerprint, probeMysql, scratchName, seedMysqlAwkward, withMysql, withMysqlMaxPacket } from '../testing/db-fixtures';
import { backUp, backupIdOfRun, drillAndWait, mysqlDatabases, mysqlRowCounts, restoreAndWait, restoreToolWrapper, whileOrdersHeld, whileOrdersHeldUntilEnded } from '../testing/restore-fixtures';
import { mysqlEnv, probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('MariaDB and age', (await probeMysql()) ?? probeCommand('age'));

/** Whether this server has MySQL 8's default collation, as MariaDB has from 11.4.5 on: a MySQL 8 dump then restores. */
async function hasMysql8Collation(): Promise<boolean> {
  if (skip) return false;
  const [rows] = await withMysql(undefined, (c) => c.query("SHOW COLLATION LIKE 'utf8mb4_0900_ai_ci'"));
  return (rows as unknown[]).length > 0;
}
const mysql8Collation = await hasMysql8Collation();

/** Tables only: what RENAME TABLE can move, so a restore over it can be swapped in. */
async function seedPlain(database: string): Promise<void> {
  await withMysql(database, async (c) => {
    await c.query('CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)) ENGINE=InnoDB; CREATE TABLE customers (id INT PRIMARY KEY, name TEXT) ENGINE=InnoDB;');
    await c.query('INSERT INTO orders VALUES ?', [Array.from({ length: 50 }, (_, i) => [i, `order ${i}`])]);
    await c.query('INSERT INTO customers VALUES ?', [Array.from({ length: 20 }, (_, i) => [i, `customer ${i} ☕`])]);
  });
}

/** The databases of the server whose name starts with `prefix`: a scratch copy is named after its target. */
async function databasesLike(prefix: string): Promise<string[]> {
  return (await mysqlDatabases()).filter((d) => d.startsWith(prefix));
}

describe.skipIf(skip)('restore and drill on MariaDB (age + zstd, local destination)', () => {
  const t = tempDir('vaultdesk-restore-mysql-');
  const awkward = scratchName('rmy_awk');
  const plain = scratchName('rmy_plain');
  const copy = scratchName('rmy_copy');
  const guarded = scratchName('rmy_guard');
  let core: Core;
  let destinationId: string;
  let awkwardRun: RunDto;
  let plainRun: RunDto;
  let plainJobId: string;

  beforeAll(async () => {
    await createMysqlDatabase(awkward);
    await seedMysqlAwkward(awkward, 200);
    await createMysqlDatabase(plain);
    await seedPlain(plain);
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const server = { host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user };
    const awkSource = await core.call('sources:create', { engine: 'mysql', name: 'maria-awkward', ...server, database: awkward });
    const plainSource = await core.call('sources:create', { engine: 'mysql', name: 'maria-plain', ...server, database: plain });
    destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') })).id;
    const encrypted = { destinationIds: [destinationId], compression: 'zstd' as const, encryption: 'age' as const, profileId: profile.id };
    const awkJob = await core.call('jobs:create', { name: 'awkward-nightly', sourceId: awkSource.id, ...encrypted });
    const plainJob = await core.call('jobs:create', { name: 'plain-nightly', sourceId: plainSource.id, ...encrypted });
    awkwardRun = await backUp(core, awkJob.id);
    plainRun = await backUp(core, plainJob.id);
    plainJobId = plainJob.id;
  });

  /** A mysqldump to set in Settings: mariadb-dump, its output piped through the shell command `filter`. */
  function mysqldumpThrough(name: string, filter: string): string {
    const wrapper = path.join(t.dir, name);
    writeFileSync(wrapper, `#!/bin/sh\ncase "$1" in --version|-V) exec mariadb-dump "$@";; esac\nmariadb-dump "$@" | ${filter}\n`);
    chmodSync(wrapper, 0o755);
    return wrapper;
  }

  /** A backup of the plain job made with `mysqldump` set to `tool`, and the setting cleared again. */
  async function backUpPlainWith(tool: string): Promise<RunDto> {
    await core.call('settings:setToolPath', { tool: 'mysqldump', path: tool });
    try {
      return await backUp(core, plainJobId);
    } finally {
      await core.call('settings:setToolPath', { tool: 'mysqldump', path: null });
    }
  }

  afterAll(async () => {
    core?.close();
    await Promise.allSettled([awkward, plain, copy, guarded].map(dropMysqlDatabase));
    t.cleanup();
  });

  it('restores into a new database name: every table, row, view, trigger, routine and event as in the source', async () => {
    const done = await restoreAndWait(core, { backupId: backupIdOfRun(awkwardRun, destinationId), database: copy });
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', kind: 'restore', engine: 'mysql', targetSource: 'maria-awkward' });
    expect(done.databases).toHaveLength(1);
    expect(done.databases[0]).toMatchObject({ status: 'restored', database: copy, fromDatabase: awkward, replaced: false });
    expect(done.databases[0]!.tables).toEqual([
      { schema: null, table: 'order items', rows: 200 },
      { schema: null, table: '日本語 ☕', rows: 300 },
    ]);
    expect(await mysqlFingerprint(copy)).toEqual(await mysqlFingerprint(awkward));
    expect(done.message).toContain(`${awkward} into ${copy} (2 tables, 500 rows)`);
  });

  it('loads the dump with as many clients as --jobs asks, or one: the same tables, rows and objects', async () => {
    for (const jobs of [3, 1]) {
      const name = `${copy}_j${jobs}`;
      try {
        const done = await restoreAndWait(core, { backupId: backupIdOfRun(awkwardRun, destinationId), database: name, jobs });
        expect(done.error).toBeNull();
        expect(done.databases[0]!.tables).toEqual([
          { schema: null, table: 'order items', rows: 200 },
          { schema: null, table: '日本語 ☕', rows: 300 },
        ]);
        expect(await mysqlFingerprint(name)).toEqual(await mysqlFingerprint(awkward));
      } finally {
        await dropMysqlDatabase(name);
      }
    }
  });

  it("restores a dump that opens with MariaDB's sandbox line through a client from before it (10.11.7), which stops at that line, with one client and with two", async () => {
    // mariadb-dump writes the line from 10.11.8 (10.5.25, 10.6.18, 11.4.2 ...) on; the filter puts it first whichever is installed.
    const sandboxed = mysqldumpThrough('dump-sandboxed', String.raw`awk 'NR == 1 && !/enable the sandbox mode/ { print "/*M!999999\\- enable the sandbox mode */" } { print }'`);
    const expected = await mysqlRowCounts(plain);
    const run = await backUpPlainWith(sandboxed);
    // No such client is installed here: this one answers as 10.11.7 does, stopping at a \- command on its first line.
    const oldClient = path.join(t.dir, 'mariadb-10.11.7');
    const real = execFileSync('sh', ['-c', 'command -v mariadb'], { encoding: 'utf8' }).trim();
    writeFileSync(
      oldClient,
      String.raw`#!/bin/sh
case "$1" in --version|-V) echo "mariadb  Ver 15.1 Distrib 10.11.7-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper"; exit 0;; esac
IFS= read -r first
case "$first" in *'\-'*) printf '%s\n' "ERROR at line 1: Unknown command '\-'." >&2; exit 1;; esac
{ printf '%s\n' "$first"; cat; } | ${real} "$@"
`,
    );
    chmodSync(oldClient, 0o755);
    await core.call('settings:setToolPath', { tool: 'mysql', path: oldClient });
    try {
      for (const jobs of [1, 2]) {
        const target = scratchName(`rmy_sbx${jobs}`);
        try {
          const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), database: target, jobs });
          expect(done.error).toBeNull();
          expect(done.databases[0]).toMatchObject({ status: 'restored', database: target });
          expect(await mysqlRowCounts(target)).toEqual(expected);
        } finally {
          await dropMysqlDatabase(target);
        }
      }
    } finally {
      await core.call('settings:setToolPath', { tool: 'mysql', path: null });
    }
  });

  it('refuses to restore over a database that holds tables without force, and changes nothing', async () => {
    const before = await mysqlFingerprint(awkward);
    const history = (await core.call('restore:list', {})).length;
    const refused = await core.call('restore:start', { backupId: backupIdOfRun(awkwardRun, destinationId) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY', details: { database: awkward, tables: 2 } });
    expect((refused as Error).message).toContain(`Database ${awkward} on "maria-awkward" already holds 2 tables, 1 view, 1 trigger, 2 routines and 1 event. Restore under another name`);
    expect(await mysqlFingerprint(awkward)).toEqual(before);
    // Refused before anything started: no restore on record.
    expect(await core.call('restore:list', {})).toHaveLength(history);
    expect(await databasesLike(awkward)).toEqual([awkward]);
  });

  it("refuses the server's system schemas even with force, leaving the grant tables where they are", async () => {
    const grants = async (): Promise<number> => withMysql(undefined, async (c) => Number(((await c.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'mysql'")) as [{ n: number }[], unknown])[0][0]!.n));
    const before = await grants();
    const history = (await core.call('restore:list', {})).length;
    for (const database of ['mysql', 'sys', 'performance_schema', 'information_schema', 'MySQL']) {
      const refused = await core.call('restore:start', { backupId: backupIdOfRun(awkwardRun, destinationId), database, force: true }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'database', reason: 'system-database' } });
      expect((refused as Error).message).toContain(`${database} is a system schema of the MySQL/MariaDB server`);
    }
    expect(await grants()).toBe(before);
    expect(await core.call('restore:list', {})).toHaveLength(history);
  });

  it('with force, replaces the database with the backup\'s tables and rows, whatever the source became since', async () => {
    await withMysql(plain, async (c) => {
      await c.query('INSERT INTO orders VALUES ?', [Array.from({ length: 5 }, (_, i) => [1000 + i, 'after the backup'])]);
      await c.query('DELETE FROM customers WHERE id < 3');
      await c.query('CREATE TABLE added_later (id INT PRIMARY KEY)');
    });
    expect(await mysqlRowCounts(plain)).toEqual({ added_later: 0, customers: 17, orders: 55 });
    const done = await restoreAndWait(core, { backupId: backupIdOfRun(plainRun, destinationId), force: true });
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.databases[0]).toMatchObject({ status: 'restored', database: plain, replaced: true });
    expect(await mysqlRowCounts(plain)).toEqual({ customers: 20, orders: 50 });
    expect(done.databases[0]!.tables).toEqual([
      { schema: null, table: 'customers', rows: 20 },
      { schema: null, table: 'orders', rows: 50 },
    ]);
    expect(done.message).toContain('replacing the database that was there');
    // Neither the restored scratch copy nor the old tables' holding database is left.
    expect(await databasesLike(plain)).toEqual([plain]);
  });

  it('a user who may use one database but not create others is told that every restore creates one, and nothing is left', async () => {
    const user = scratchName('lim').slice(0, 32);
    const target = scratchName('rmy_lim');
    await createMysqlDatabase(target);
    await withMysql(target, (c) => c.query('CREATE TABLE kept (id INT); INSERT INTO kept VALUES (7)'));
    await withMysql(undefined, (c) => c.query(`CREATE USER '${user}'@'%'; GRANT ALL ON \`${target}\`.* TO '${user}'@'%'`));
    try {
      const before = await mysqlFingerprint(target);
      const limited = await core.call('sources:create', { engine: 'mysql', name: 'maria-no-create', host: mysqlEnv.host, port: mysqlEnv.port, user, database: target });
      const done = await restoreAndWait(core, { backupId: backupIdOfRun(plainRun, destinationId), targetSourceId: limited.id, database: target, force: true });
      expect(done).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toMatch(new RegExp(`^User ${user} may not create databases, and the restore had to create ${target}_vdnew_\\w+ \\(Access denied for user '${user}'@'[^']+' to database '${target}_vdnew_\\w+'\\)\\. Every restore creates one`));
      expect(done.error!.message).toContain("Restore as a user with the CREATE privilege on the server, such as the server's administrator.");
      expect(await mysqlFingerprint(target)).toEqual(before);
      expect(await databasesLike(target)).toEqual([target]);
      // The scratch database was never made: no note sends anyone to drop it.
      expect(done.databases[0]!.notes).toEqual([]);
      expect(done.toDo).toEqual([]);
    } finally {
      await withMysql(undefined, (c) => c.query(`DROP USER IF EXISTS '${user}'@'%'`));
      await dropMysqlDatabase(target);
    }
  });

  it('a user who may use one existing empty database but not create others restores straight into it; a failure halfway drops what it made', async () => {
    const user = scratchName('own').slice(0, 32);
    const target = scratchName('rmy_own');
    await createMysqlDatabase(target);
    await withMysql(undefined, (c) => c.query(`CREATE USER '${user}'@'%'; GRANT ALL ON \`${target}\`.* TO '${user}'@'%'`));
    try {
      const limited = await core.call('sources:create', { engine: 'mysql', name: 'maria-owner', host: mysqlEnv.host, port: mysqlEnv.port, user, database: target });
      const backupId = backupIdOfRun(plainRun, destinationId);
      // The client gets the dump up to two thirds of it, then the end of its input, in the middle of a statement.
      const dumpBytes = (JSON.parse(readFileSync(path.join(t.dir, 'backups', `${plainRun.objects[0]!.key}.manifest.json`), 'utf8')) as { dump: { bytes: number } }).dump.bytes;
      await core.call('settings:setToolPath', { tool: 'mysql', path: restoreToolWrapper(path.join(t.dir, 'bin-cut'), 'mariadb', `head -c ${Math.floor((dumpBytes * 2) / 3)} | REAL "$@"`) });
      let failed: Awaited<ReturnType<typeof restoreAndWait>>;
      try {
        failed = await restoreAndWait(core, { backupId, targetSourceId: limited.id, database: target });
      } finally {
        await core.call('settings:setToolPath', { tool: 'mysql', path: null });
      }
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(failed.message).toContain(`${target} was left as it was.`);
      expect(failed.databases[0]!.notes).toEqual([]);
      expect(await core.call('restore:inspectTarget', { sourceId: limited.id, database: target })).toMatchObject({ exists: true, tables: 0, others: [] });

      const done = await restoreAndWait(core, { backupId, targetSourceId: limited.id, database: target });
      expect(done.error).toBeNull();
      expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: false });
      expect(done.databases[0]!.notes).toEqual([
        `User ${user} may not create databases, so the backup was restored straight into the existing empty database ${target}, rather than into a copy swapped in: ${target} keeps its own default character set and collation.`,
      ]);
      expect(await mysqlFingerprint(target)).toEqual(await mysqlFingerprint(plain));
      expect(await databasesLike(target)).toEqual([target]);
    } finally {
      await withMysql(undefined, (c) => c.query(`DROP USER IF EXISTS '${user}'@'%'`));
      await dropMysqlDatabase(target);
    }
  });

  it("with force, replaces a database holding a view and a trigger: the backup's tables and rows, the view and trigger gone, as the notes say", async () => {
    await createMysqlDatabase(guarded);
    await withMysql(guarded, async (c) => {
      await c.query('CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)) ENGINE=InnoDB; INSERT INTO orders VALUES (1, \'kept\'), (2, \'kept too\');');
      await c.query('CREATE VIEW recent AS SELECT id FROM orders WHERE id > 1');
      await c.query("CREATE TRIGGER stamp BEFORE INSERT ON orders FOR EACH ROW SET NEW.label = CONCAT(NEW.label, ' (stamped)')");
    });
    const before = await mysqlFingerprint(guarded);
    expect(before.views).toEqual(['recent']);
    expect(before.triggers).toHaveLength(1);
    const backupId = backupIdOfRun(plainRun, destinationId);
    const source = core.sources.findByName('maria-plain')!;
    expect(await core.call('restore:inspectTarget', { sourceId: source.id, database: guarded })).toEqual({ sourceId: source.id, database: guarded, exists: true, tables: 1, others: ['1 view', '1 trigger'], sessions: null });

    // Without --force, refused, offering it.
    const notForced = (await core.call('restore:start', { backupId, database: guarded }).catch((e: unknown) => e)) as AppError;
    expect(notForced.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(notForced.message).toBe(
      `Database ${guarded} on "maria-plain" already holds 1 table, 1 view and 1 trigger. Restore under another name (--database NAME), or replace it (--force): the restored copy is put in its place only once it is complete.`,
    );
    expect(await mysqlFingerprint(guarded)).toEqual(before);

    const done = await restoreAndWait(core, { backupId, database: guarded, force: true });
    expect(done.error).toBeNull();
    expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: true, tables: [{ schema: null, table: 'customers', rows: 20 }, { schema: null, table: 'orders', rows: 50 }] });
    expect(done.databases[0]!.notes).toContain(
      `MySQL/MariaDB cannot move views, triggers, routines or events between databases: ${guarded}'s own (1 view and 1 trigger) were dropped, and the backup's (none) made in ${guarded} right after its tables were swapped in.`,
    );
    const after = await mysqlFingerprint(guarded);
    expect(after).toMatchObject({ views: [], triggers: [], routines: [] });
    expect(after.tables).toEqual((await mysqlFingerprint(plain)).tables);
    expect(await databasesLike(guarded)).toEqual([guarded]);
  });

  // A restore that gives up waits its tries out in full, twice here.
  it('with force, a database whose tables another session holds (an open transaction) is not waited on for good: in-use after a few short waits, as it was, views and triggers too; once the session ends, the same restore goes through', async () => {
    const backupId = backupIdOfRun(plainRun, destinationId);
    for (const withObjects of [false, true]) {
      const target = scratchName(withObjects ? 'rmy_held_o' : 'rmy_held_t');
      await createMysqlDatabase(target);
      try {
        await whileOrdersHeld(target, withObjects ? ['view', 'trigger'] : [], async (holder) => {
          const before = await mysqlFingerprint(target);
          const started = Date.now();
          const done = await restoreAndWait(core, { backupId, database: target, force: true });
          expect(Date.now() - started).toBeLessThan(30_000);
          expect(done).toMatchObject({ status: 'failed', stage: 'swap', error: { code: 'RESTORE_FAILED' } });
          expect(done.error!.message).toBe(
            `Database ${target} on MySQL/MariaDB at ${mysqlEnv.host}:${mysqlEnv.port} as user ${mysqlEnv.user} is in use: another session holds a lock on its tables (an open transaction, or a query still running). The swap waited for them 4 times for 2 s, and no longer, since every other query on those tables waits behind it meanwhile. ${target} was left as it was. End those transactions (information_schema.INNODB_TRX lists the open ones), or stop the application using it, and restore again; or let the restore end the connections using ${target} at the swap (vaultdesk restore --end-sessions; in the app, "End its sessions at the swap").`,
          );
          expect(await mysqlFingerprint(target)).toEqual(before);
          expect(await databasesLike(target)).toEqual([target]);
          // The application's session goes on as before.
          await holder.query("INSERT INTO orders VALUES (2, 'during')");
        });
        const forced = await restoreAndWait(core, { backupId, database: target, force: true });
        expect(forced.error).toBeNull();
        expect((await mysqlFingerprint(target)).tables).toEqual((await mysqlFingerprint(plain)).tables);
        expect(await databasesLike(target)).toEqual([target]);
      } finally {
        await dropMysqlDatabase(target);
      }
    }
  }, 180_000);

  it('with endSessions, a database whose tables another session holds is replaced: the connection using it is killed at the swap, and the notes say so', async () => {
    const target = scratchName('rmy_ended');
    await createMysqlDatabase(target);
    try {
      // An application's open transaction that read the table: it keeps the table's metadata lock.
      await whileOrdersHeldUntilEnded(target, async () => {
        const done = await restoreAndWait(core, { backupId: backupIdOfRun(plainRun, destinationId), database: target, force: true, endSessions: true });
        expect(done.error).toBeNull();
        expect(done.databases[0]!.notes).toContain(`Ended 1 other session connected to ${target} before replacing it.`);
      });
      expect((await mysqlFingerprint(target)).tables).toEqual((await mysqlFingerprint(plain)).tables);
    } finally {
      await dropMysqlDatabase(target);
    }
  }, 120_000);

  it("with force, a database whose table without triggers another session holds keeps its views, triggers and routines all along: the swap waits for every table before it drops anything, and gives up as it was", async () => {
    const target = scratchName('rmy_held_w');
    await createMysqlDatabase(target);
    try {
      await withMysql(target, async (c) => {
        await c.query("CREATE TABLE audit (id INT PRIMARY KEY, label VARCHAR(100)); CREATE TRIGGER stamp BEFORE INSERT ON audit FOR EACH ROW SET NEW.label = UPPER(NEW.label)");
        await c.query('CREATE VIEW seen AS SELECT id FROM audit; CREATE PROCEDURE tidy() SELECT 1');
      });
      const objects = async (): Promise<number> =>
        withMysql(undefined, async (c) => {
          const [[row]] = (await c.query(
            'SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?) + (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?) + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?) AS n',
            [target, target, target],
          )) as unknown as [{ n: number }[]];
          return Number(row!.n);
        });
      expect(await objects()).toBe(3);
      // orders, which has no trigger, is the table held.
      await whileOrdersHeld(target, [], async () => {
        const before = await mysqlFingerprint(target);
        let watching = true;
        const seen: number[] = [];
        const watcher = (async () => {
          while (watching) seen.push(await objects());
        })();
        const done = await restoreAndWait(core, { backupId: backupIdOfRun(plainRun, destinationId), database: target, force: true });
        watching = false;
        await watcher;
        expect(done).toMatchObject({ status: 'failed', stage: 'swap', error: { code: 'RESTORE_FAILED' } });
        expect(done.error!.message).toContain(`Database ${target} on MySQL/MariaDB at ${mysqlEnv.host}:${mysqlEnv.port} as user ${mysqlEnv.user} is in use`);
        expect(done.error!.message).toContain(`${target} was left as it was.`);
        expect(seen.length).toBeGreaterThan(10);
        expect(Math.min(...seen)).toBe(3);
        expect(await mysqlFingerprint(target)).toEqual(before);
      });
      expect(await databasesLike(target)).toEqual([target]);
    } finally {
      await dropMysqlDatabase(target);
    }
  }, 120_000);

  it("with force, a backup with views, triggers, routines and events takes the place of a database with its own: every object the backup's, and each works", async () => {
    const target = scratchName('rmy_objs');
    try {
      await createMysqlDatabase(target);
      // Its own objects, some named as the backup's.
      await withMysql(target, (c) =>
        c.query(`CREATE TABLE \`order items\` (id INT PRIMARY KEY); INSERT INTO \`order items\` VALUES (1);
          CREATE VIEW \`big orders\` AS SELECT id FROM \`order items\`; CREATE VIEW mine AS SELECT 1 AS one;
          CREATE TRIGGER \`touch it\` BEFORE INSERT ON \`order items\` FOR EACH ROW SET NEW.id = NEW.id + 1;
          CREATE FUNCTION \`add tax\`(amount INT) RETURNS INT DETERMINISTIC RETURN amount; CREATE PROCEDURE mine() SELECT 1;
          CREATE EVENT mine ON SCHEDULE EVERY 1 DAY STARTS '2035-01-01 00:00:00' DISABLE DO SELECT 1;`),
      );
      // A view of a view, made once the view it selects from is there.
      await withMysql(awkward, (c) => c.query('CREATE VIEW `a view of views` AS SELECT COUNT(*) AS n FROM `big orders`'));
      const run = await backUp(core, (await core.call('jobs:list', {})).find((j) => j.name === 'awkward-nightly')!.id);
      await withMysql(awkward, (c) => c.query('DROP VIEW `a view of views`'));

      const done = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), database: target, force: true, jobs: 2 });
      expect(done.error).toBeNull();
      expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: true });
      expect(done.databases[0]!.notes).toContain(
        `MySQL/MariaDB cannot move views, triggers, routines or events between databases: ${target}'s own (2 views, 1 trigger, 2 routines and 1 event) were dropped, and the backup's (2 views, 1 trigger, 2 routines and 1 event) made in ${target} right after its tables were swapped in.`,
      );
      const restored = await mysqlFingerprint(target);
      const source = await mysqlFingerprint(awkward);
      expect(restored).toEqual({ ...source, views: [...source.views, 'a view of views'].sort() });
      await withMysql(target, async (c) => {
        const [[tax]] = (await c.query('SELECT `add tax`(10) AS v')) as unknown as [{ v: string }[]];
        expect(Number(tax!.v)).toBe(12);
        const [[views]] = (await c.query('SELECT n FROM `a view of views`')) as unknown as [{ n: number }[]];
        const [[big]] = (await c.query('SELECT COUNT(*) AS n FROM `order items` WHERE price > 1000')) as unknown as [{ n: number }[]];
        expect(Number(views!.n)).toBe(Number(big!.n));
        await c.query("CALL `add item`('made by the procedure')");
        const [[item]] = (await c.query("SELECT `café ☕` AS v FROM `order items` WHERE `name \"quoted\"` = 'made by the procedure'")) as unknown as [{ v: string }[]];
        expect(item!.v).toBe(' (touched)');
      });
      expect(await databasesLike(target)).toEqual([target]);
    } finally {
      await dropMysqlDatabase(target);
    }
  });

  it('a failure making the backup\'s objects in the target puts the target back as it was, tables, view and trigger, and leaves nothing else', async () => {
    const withView = scratchName('rmy_ext_src');
    const outside = scratchName('rmy_ext');
    const target = scratchName('rmy_ext_dst');
    try {
      await createMysqlDatabase(outside);
      await withMysql(outside, (c) => c.query('CREATE TABLE looked (id INT); INSERT INTO looked VALUES (1)'));
      await createMysqlDatabase(withView);
      await withMysql(withView, (c) => c.query(`CREATE TABLE orders (id INT PRIMARY KEY); INSERT INTO orders VALUES (1), (2); CREATE VIEW elsewhere AS SELECT id FROM \`${outside}\`.looked`));
      await createMysqlDatabase(target);
      await withMysql(target, async (c) => {
        await c.query("CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)); INSERT INTO orders VALUES (7, 'kept'); CREATE VIEW recent AS SELECT id FROM orders");
        await c.query("CREATE TRIGGER stamp BEFORE INSERT ON orders FOR EACH ROW SET NEW.label = CONCAT(NEW.label, ' (stamped)')");
      });
      const before = await mysqlFingerprint(target);
      const source = await core.call('sources:create', { engine: 'mysql', name: 'maria-ext', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: withView });
      const job = await core.call('jobs:create', { name: 'ext-nightly', sourceId: source.id, destinationIds: [destinationId] });
      const backupId = backupIdOfRun(await backUp(core, job.id), destinationId);

      // Once the copy is loaded, the table its view selects from goes: the view can be read from the copy, but not made again.
      // One client (--jobs 1): another could finish before the lead made the view.
      const password = mysqlEnv.password === '' ? '' : ` -p'${mysqlEnv.password}'`;
      const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-ext'), 'mariadb', `REAL "$@"\nstatus=$?\nREAL -h ${mysqlEnv.host} -P ${mysqlEnv.port} -u ${mysqlEnv.user}${password} -e 'DROP TABLE IF EXISTS \`${outside}\`.looked'\nexit $status`);
      await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
      let done;
      try {
        done = await restoreAndWait(core, { backupId, database: target, force: true, jobs: 1 });
      } finally {
        await core.call('settings:setToolPath', { tool: 'mysql', path: null });
      }
      expect(done.error!.message).toBe(
        `Could not put the restored tables in place of ${target}'s on MySQL/MariaDB at ${mysqlEnv.host}:${mysqlEnv.port} as user ${mysqlEnv.user}: could not make the backup's view elsewhere in ${target}: Table '${outside}.looked' doesn't exist. ${target} was left as it was.`,
      );
      expect(done).toMatchObject({ status: 'failed', stage: 'swap' });
      // Said once.
      expect(done.message.split('was left as it was')).toHaveLength(2);
      expect(await mysqlFingerprint(target)).toEqual(before);
      // The trigger is its own again: it still stamps.
      await withMysql(target, (c) => c.query("INSERT INTO orders VALUES (8, 'new')"));
      expect(await mysqlRowCounts(target)).toEqual({ orders: 2 });
      const [[label]] = (await withMysql(target, (c) => c.query('SELECT label FROM orders WHERE id = 8'))) as unknown as [{ label: string }[]];
      expect(label!.label).toBe('new (stamped)');
      expect(await databasesLike(target)).toEqual([target]);
    } finally {
      await Promise.allSettled([withView, outside, target].map(dropMysqlDatabase));
    }
  });

  it('a backup holding a view takes the place of a database with tables, and goes into an existing empty one, with as many clients as asked', async () => {
    const withView = scratchName('rmy_view_src');
    const target = scratchName('rmy_view_dst');
    const empty = scratchName('rmy_view_empty');
    try {
      await createMysqlDatabase(withView);
      await withMysql(withView, (c) => c.query("CREATE TABLE orders (id INT PRIMARY KEY); INSERT INTO orders VALUES (1), (2); CREATE VIEW recent AS SELECT id FROM orders WHERE id > 1"));
      await createMysqlDatabase(target);
      await withMysql(target, (c) => c.query('CREATE TABLE kept (id INT); INSERT INTO kept VALUES (7)'));
      await createMysqlDatabase(empty);
      const viewSource = await core.call('sources:create', { engine: 'mysql', name: 'maria-view', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: withView });
      const job = await core.call('jobs:create', { name: 'view-nightly', sourceId: viewSource.id, destinationIds: [destinationId] });
      const run = await backUp(core, job.id);
      const backupId = backupIdOfRun(run, destinationId);
      // The manifest counts what the dump holds beside its tables.
      const file = path.join(t.dir, 'backups', `${run.objects[0]!.key}.manifest.json`);
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { source: Record<string, unknown> };
      expect(manifest.source.objects).toEqual({ views: 1, triggers: 0, routines: 0, events: 0 });
      expect((await core.call('backups:get', { id: backupId })).holds).toEqual(['1 view']);

      const forced = await restoreAndWait(core, { backupId, database: target, force: true });
      expect(forced.error).toBeNull();
      expect(forced.databases[0]).toMatchObject({ status: 'restored', replaced: true, tables: [{ schema: null, table: 'orders', rows: 2 }] });
      expect(await mysqlFingerprint(target)).toEqual(await mysqlFingerprint(withView));
      expect(await databasesLike(target)).toEqual([target]);

      const intoEmpty = await restoreAndWait(core, { backupId, database: empty, jobs: 3 });
      expect(intoEmpty.error).toBeNull();
      expect(intoEmpty.databases[0]).toMatchObject({ status: 'restored', replaced: true, tables: [{ schema: null, table: 'orders', rows: 2 }] });
      expect(intoEmpty.databases[0]!.notes.join('\n')).not.toContain('One client loaded it');
      expect(await mysqlFingerprint(empty)).toEqual(await mysqlFingerprint(withView));
      expect(await databasesLike(empty)).toEqual([empty]);
    } finally {
      await Promise.allSettled([withView, target, empty].map(dropMysqlDatabase));
    }
  });

  it('a backup with MySQL 8 collations is refused by a MariaDB without them in words that say why and what to restore it into, and leaves no database behind', async () => {
    // A mysqldump set in Settings that writes the tables as MySQL 8 does, with its default collation.
    const run = await backUpPlainWith(mysqldumpThrough('mysqldump_mysql8', "sed 's/COLLATE=[A-Za-z0-9_]*/COLLATE=utf8mb4_0900_ai_ci/g'"));
    const backupId = backupIdOfRun(run, destinationId);
    const madeOn = (await core.call('backups:get', { id: backupId })).serverVersion;
    expect(madeOn).toMatch(/^MariaDB \d+\.\d+\.\d+/);
    const target = `${copy}_m8`;
    const done = await restoreAndWait(core, { backupId, database: target });
    if (mysql8Collation) {
      // A server that has them (MariaDB 11.4.5 or newer) restores it, and there is nothing to advise.
      expect(done.error).toBeNull();
      expect(await mysqlRowCounts(target)).toEqual({ customers: 20, orders: 50 });
      await dropMysqlDatabase(target);
      return;
    }
    expect(done).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
    // The client's echo of the statement is cut to one line naming the table.
    expect(done.error!.message).toContain("Unknown collation: 'utf8mb4_0900_ai_ci' (in the statement CREATE TABLE `customers` ( `id` int(11) NOT NULL,");
    expect(done.error!.message).not.toContain('--------------');
    expect(done.error!.message).toContain(
      `The backup was made on ${madeOn}, and this server does not have its collation utf8mb4_0900_ai_ci, MySQL 8's default, which MariaDB has only from 11.4.5 on: restore it into a server of that kind and release, or a newer one.`,
    );
    expect(done.message).toContain(`${target} did not exist before the restore and is not left behind.`);
    expect(await databasesLike(target)).toEqual([]);
  });

  it('as a user who may not set definers, a backup with views, triggers, routines and events is refused in words that say which privilege it takes, and leaves no database behind', async () => {
    const user = `vd_restorer_${process.pid}`;
    await withMysql(undefined, (c) => c.query(`CREATE USER '${user}'@'%'; GRANT ALL PRIVILEGES ON \`vd\\_rmy\\_%\`.* TO '${user}'@'%'`));
    try {
      const limited = await core.call('sources:create', { engine: 'mysql', name: 'maria-limited', host: mysqlEnv.host, port: mysqlEnv.port, user, database: plain });
      const target = `${copy}_lim`;
      const done = await restoreAndWait(core, { backupId: backupIdOfRun(awkwardRun, destinationId), targetSourceId: limited.id, database: target });
      expect(done).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toMatch(/ERROR 1227 \(42000\) at line \d+: Access denied; you need \(at least one of\) the .*privilege/);
      expect(done.error!.message).toContain(
        "The dump gives its views, triggers, routines and events the definer they had on the source (here `root`@`127.0.0.1`), and only a user with the SET USER privilege (SUPER on MySQL and older MariaDB) may create an object for another user: restore as a user that has it, such as the server's administrator.",
      );
      expect(done.message).toContain(`${target} did not exist before the restore and is not left behind.`);
      expect(await databasesLike(target)).toEqual([]);
    } finally {
      await withMysql(undefined, (c) => c.query(`DROP USER IF EXISTS '${user}'@'%'`));
    }
  });

  it('a drill after rows were added to the source reports that table with both counts, and drops its scratch database', async () => {
    await withMysql(plain, (c) => c.query('INSERT INTO orders VALUES ?', [Array.from({ length: 7 }, (_, i) => [2000 + i, 'since the backup'])]));
    const backupId = backupIdOfRun(plainRun, destinationId);
    const done = await drillAndWait(core, { backupId });
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', kind: 'drill' });
    expect(done.drill).toEqual({
      ok: false,
      comparedWith: `${plain} on "maria-plain"`,
      tables: 2,
      differences: [{ schema: null, table: 'orders', inBackup: 50, inSourceNow: 57, difference: 7 }],
      scratchDropped: true,
    });
    expect(done.message).toContain('Drill found 1 table whose row counts differ');
    // The scratch name is made of the source database's name: none of that name is left.
    expect(await databasesLike(plain)).toEqual([plain]);
    expect(done.databases[0]!.database).toMatch(/_vddrill_[0-9a-f]{8}$/);
    expect(await mysqlDatabases()).not.toContain(done.databases[0]!.database);
    // The drill is kept with the backup.
    expect((await core.call('backups:get', { id: backupId })).lastDrill).toMatchObject({ ok: false, restored: true, restoreId: done.id, message: done.message });
  });
  it("a database a restore creates gets the backup's default character set and collation, new or replacing; one this server lacks is said in the notes", async () => {
    const legacy = scratchName('rmy_latin');
    const [fresh, replaced, lacking] = [scratchName('rmy_latin_new'), scratchName('rmy_latin_old'), scratchName('rmy_latin_lack')];
    const defaultsOf = async (database: string): Promise<string | undefined> => {
      const [rows] = await withMysql(undefined, (c) => c.query("SELECT CONCAT(DEFAULT_CHARACTER_SET_NAME, '/', DEFAULT_COLLATION_NAME) AS d FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [database]));
      return (rows as { d: string }[])[0]?.d;
    };
    try {
      await withMysql(undefined, (c) => c.query(`CREATE DATABASE ${legacy} CHARACTER SET latin1 COLLATE latin1_german1_ci`));
      await withMysql(legacy, (c) => c.query("CREATE TABLE names (id INT PRIMARY KEY, name VARCHAR(20)) CHARACTER SET latin1; INSERT INTO names VALUES (1, 'Müller'), (2, 'Mueller')"));
      const source = await core.call('sources:create', { engine: 'mysql', name: 'maria-latin', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: legacy });
      const job = await core.call('jobs:create', { name: 'latin-nightly', sourceId: source.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'none' });
      const run = await backUp(core, job.id);
      const backupId = backupIdOfRun(run, destinationId);
      expect((await core.call('backups:get', { id: backupId })).locale).toBe('character set latin1, collation latin1_german1_ci');

      // A new database: what the server would give it is utf8mb4, not the backup's.
      expect(await defaultsOf(plain)).toMatch(/^utf8mb4\//);
      const created = await restoreAndWait(core, { backupId, database: fresh });
      expect(created.error).toBeNull();
      expect(created.databases[0]!.notes).toEqual([]);
      expect(await defaultsOf(fresh)).toBe('latin1/latin1_german1_ci');
      // A table made later in it takes the backup's defaults, as it would have in the original.
      await withMysql(fresh, (c) => c.query('CREATE TABLE later (name VARCHAR(20))'));
      const [later] = await withMysql(undefined, (c) => c.query("SELECT TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'later'", [fresh]));
      expect(later).toEqual([{ c: 'latin1_german1_ci' }]);

      // Replacing a utf8mb4 database: the swap moves tables, so the schema is given the backup's defaults too.
      await createMysqlDatabase(replaced);
      await withMysql(replaced, (c) => c.query('CREATE TABLE stale (id INT PRIMARY KEY)'));
      const swapped = await restoreAndWait(core, { backupId, database: replaced, force: true });
      expect(swapped.error).toBeNull();
      expect(swapped.databases[0]).toMatchObject({ replaced: true, tables: [{ schema: null, table: 'names', rows: 2 }] });
      expect(await defaultsOf(replaced)).toBe('latin1/latin1_german1_ci');

      // A collation this server lacks (as MySQL 8's are on an older MariaDB): the server's default, and the note says so.
      const file = path.join(t.dir, 'backups', `${run.objects[0]!.key}.manifest.json`);
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { source: { charset?: unknown } };
      manifest.source.charset = { characterSet: 'utf8mb4', collation: 'utf8mb4_vaultdesk_ci' };
      writeFileSync(file, JSON.stringify(manifest));
      const noted = await restoreAndWait(core, { backupId, database: lacking });
      expect(noted.error).toBeNull();
      expect(await defaultsOf(lacking)).toMatch(/^utf8mb4\//);
      expect(noted.databases[0]!.notes).toEqual([
        "The backup's database had the default character set utf8mb4, collation utf8mb4_vaultdesk_ci, which this server refused (Unknown collation: 'utf8mb4_vaultdesk_ci'): the restored database has the server's default instead. " +
          "Its tables keep the character sets the backup gives them; tables created in it later get the server's default. To keep the original, set it with ALTER DATABASE once that collation is available.",
      ]);
      expect(await mysqlRowCounts(lacking)).toEqual({ names: 2 });
      // Replacing with it: the target keeps its own defaults, and the swap is not refused for them.
      await withMysql(undefined, (c) => c.query(`ALTER DATABASE ${replaced} CHARACTER SET latin1 COLLATE latin1_swedish_ci`));
      const kept = await restoreAndWait(core, { backupId, database: replaced, force: true });
      expect(kept.error).toBeNull();
      expect(await defaultsOf(replaced)).toBe('latin1/latin1_swedish_ci');
    } finally {
      await Promise.allSettled([legacy, fresh, replaced, lacking].map(dropMysqlDatabase));
    }
  });

  it("a database holding only a system-versioned table and a sequence is not empty: refused without force, nothing dropped; with force, both are the backup's", async () => {
    const versioned = scratchName('rmy_sysver');
    const [fresh, target] = [scratchName('rmy_sysver_new'), scratchName('rmy_sysver_old')];
    const tablesIn = async (database: string): Promise<string[]> => {
      const [rows] = await withMysql(undefined, (c) => c.query("SELECT CONCAT(TABLE_NAME, ':', TABLE_TYPE) AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", [database]));
      return (rows as { t: string }[]).map((r) => r.t);
    };
    const stateOf = async (database: string): Promise<{ current: unknown; history: number; next: unknown }> =>
      withMysql(database, async (c) => {
        const [current] = await c.query('SELECT id, label FROM ledger ORDER BY id');
        const [all] = await c.query('SELECT COUNT(*) AS n FROM ledger FOR SYSTEM_TIME ALL');
        const [next] = await c.query('SELECT NEXTVAL(ticket) AS n');
        return { current, history: Number((all as { n: number }[])[0]!.n), next: (next as { n: unknown }[])[0]!.n };
      });
    try {
      await createMysqlDatabase(versioned);
      await withMysql(versioned, (c) =>
        c.query("CREATE TABLE ledger (id INT PRIMARY KEY, label VARCHAR(20)) WITH SYSTEM VERSIONING; INSERT INTO ledger VALUES (1, 'one'), (2, 'two'), (3, 'three'); CREATE SEQUENCE ticket START WITH 100"),
      );
      const source = await core.call('sources:create', { engine: 'mysql', name: 'maria-versioned', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: versioned });
      const job = await core.call('jobs:create', { name: 'versioned-nightly', sourceId: source.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'none' });
      const backupId = backupIdOfRun(await backUp(core, job.id), destinationId);

      // Into a new name: the table is listed with its rows; the sequence is restored, not counted.
      const created = await restoreAndWait(core, { backupId, database: fresh });
      expect(created.error).toBeNull();
      expect(created.databases[0]!.tables).toEqual([{ schema: null, table: 'ledger', rows: 3 }]);
      expect(await tablesIn(fresh)).toEqual(['ledger:SYSTEM VERSIONED', 'ticket:SEQUENCE']);

      // A database that holds only such tables is not empty: before, it was taken as empty, and the swap moved neither.
      await createMysqlDatabase(target);
      await withMysql(target, (c) =>
        c.query("CREATE TABLE ledger (id INT PRIMARY KEY, label VARCHAR(20)) WITH SYSTEM VERSIONING; INSERT INTO ledger VALUES (7, 'mine'); UPDATE ledger SET label = 'mine, edited'; CREATE SEQUENCE ticket START WITH 500"),
      );
      const before = await stateOf(target);
      expect(before).toEqual({ current: [{ id: 7, label: 'mine, edited' }], history: 2, next: 500 });
      const refused = await core.call('restore:start', { backupId, database: target }).catch((e: unknown) => e);
      // Named as the restore's report names them: the sequence is not counted as a table.
      expect(refused).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY', details: { database: target, tables: 1 } });
      expect((refused as Error).message).toContain(`Database ${target} on "maria-versioned" already holds 1 table and 1 sequence.`);
      expect(await tablesIn(target)).toEqual(['ledger:SYSTEM VERSIONED', 'ticket:SEQUENCE']);
      expect((await stateOf(target)).history).toBe(2);

      // With force both are swapped for the backup's, and nothing is left beside the target.
      const swapped = await restoreAndWait(core, { backupId, database: target, force: true });
      expect(swapped.error).toBeNull();
      expect(swapped.databases[0]).toMatchObject({ replaced: true, tables: [{ schema: null, table: 'ledger', rows: 3 }] });
      expect(await stateOf(target)).toEqual({ current: [{ id: 1, label: 'one' }, { id: 2, label: 'two' }, { id: 3, label: 'three' }], history: 3, next: 100 });
      expect(await databasesLike(target)).toEqual([target]);
    } finally {
      await Promise.allSettled([versioned, fresh, target].map(dropMysqlDatabase));
    }
  });

  it("keeps a system-versioned table's history: every version backed up with its period and restored so, through several clients, counted by its current rows; transaction-precise history is left out, and the run says so", async () => {
    const [versioned, fresh, precise, freshPrecise] = [scratchName('rmy_hist'), scratchName('rmy_hist_new'), scratchName('rmy_prec'), scratchName('rmy_prec_new')];
    const versions = async (database: string): Promise<unknown[]> => {
      const [rows] = await withMysql(database, (c) =>
        c.query("SELECT id, note, DATE_FORMAT(row_start, '%Y-%m-%d %H:%i:%s.%f') AS s, DATE_FORMAT(row_end, '%Y-%m-%d %H:%i:%s.%f') AS e FROM ledger FOR SYSTEM_TIME ALL ORDER BY id, row_start"),
      );
      return rows as unknown[];
    };
    const jobFor = async (database: string, name: string): Promise<RunDto> => {
      const source = await core.call('sources:create', { engine: 'mysql', name: `maria-${name}`, host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database });
      const job = await core.call('jobs:create', { name: `${name}-nightly`, sourceId: source.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'none' });
      return backUp(core, job.id);
    };
    try {
      await createMysqlDatabase(versioned);
      // About 5 MB of versions: several INSERT statements, dealt to several clients.
      await withMysql(versioned, (c) =>
        c.query("CREATE TABLE ledger (id INT PRIMARY KEY, note VARCHAR(200)) WITH SYSTEM VERSIONING; INSERT INTO ledger SELECT seq, CONCAT('entry ', seq, REPEAT(' ☕', 30)) FROM seq_1_to_20000; UPDATE ledger SET note = CONCAT(note, ' (checked)'); DELETE FROM ledger WHERE id % 10 = 0"),
      );
      const kept = await versions(versioned);
      expect(kept.length).toBe(40_000);
      const run = await jobFor(versioned, 'history');
      expect(run.log.filter((l) => l.level === 'warn')).toEqual([]);
      const restored = await restoreAndWait(core, { backupId: backupIdOfRun(run, destinationId), database: fresh });
      expect(restored.error).toBeNull();
      expect(restored.databases[0]!.tables).toEqual([{ schema: null, table: 'ledger', rows: 18_000 }]);
      expect(await versions(fresh)).toEqual(kept);
      const drill = await drillAndWait(core, { backupId: backupIdOfRun(run, destinationId) });
      expect(drill.drill).toMatchObject({ ok: true, differences: [] });

      await createMysqlDatabase(precise);
      await withMysql(precise, (c) =>
        c.query(
          'CREATE TABLE ledger (id INT PRIMARY KEY, note TEXT, s BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, e BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE, PERIOD FOR SYSTEM_TIME(s, e)) WITH SYSTEM VERSIONING ENGINE=InnoDB; ' +
            "INSERT INTO ledger (id, note) VALUES (1, 'one'), (2, 'two'); UPDATE ledger SET note = 'two, edited' WHERE id = 2",
        ),
      );
      const preciseRun = await jobFor(precise, 'precise');
      expect(preciseRun.status).toBe('succeeded');
      expect(preciseRun.log.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
        '`ledger` keeps transaction-precise history, which mariadb-dump cannot dump, and it then dumps no table\'s history: of the system-versioned tables (`ledger`), the backup holds their current rows, and a restore starts their history anew.',
      ]);
      const current = await restoreAndWait(core, { backupId: backupIdOfRun(preciseRun, destinationId), database: freshPrecise });
      expect(current.error).toBeNull();
      expect(current.databases[0]!.tables).toEqual([{ schema: null, table: 'ledger', rows: 2 }]);
      const [all] = await withMysql(freshPrecise, (c) => c.query('SELECT id, note FROM ledger FOR SYSTEM_TIME ALL ORDER BY id'));
      expect(all).toEqual([
        { id: 1, note: 'one' },
        { id: 2, note: 'two, edited' },
      ]);
    } finally {
      await Promise.allSettled([versioned, fresh, precise, freshPrecise].map(dropMysqlDatabase));
    }
  });

  it('reports the rows counted from the dump as it streams, reading no restored table back; a dump it cannot count is counted with SQL', async () => {
    const [streamed, counted, single, mysqlStyle] = [scratchName('rmy_rows_new'), scratchName('rmy_rows_sql'), scratchName('rmy_rows_one'), scratchName('rmy_rows_line')];
    /** Rows read from each table of `database` since the server started collecting (userstat): COUNT(*) reads every row. */
    const rowsRead = async (database: string): Promise<Record<string, number>> => {
      const [rows] = await withMysql(undefined, (c) => c.query('SELECT TABLE_NAME AS t, ROWS_READ AS n FROM information_schema.TABLE_STATISTICS WHERE TABLE_SCHEMA = ?', [database]));
      return Object.fromEntries((rows as { t: string; n: number }[]).map((r) => [r.t, Number(r.n)]));
    };
    const [[{ was }]] = (await withMysql(undefined, (c) => c.query('SELECT @@GLOBAL.userstat AS was'))) as unknown as [[{ was: number }]];
    await withMysql(undefined, (c) => c.query('SET GLOBAL userstat = 1'));
    try {
      const done = await restoreAndWait(core, { backupId: backupIdOfRun(plainRun, destinationId), database: streamed });
      expect(done.error).toBeNull();
      expect(done.databases[0]!.tables).toEqual([
        { schema: null, table: 'customers', rows: 20 },
        { schema: null, table: 'orders', rows: 50 },
      ]);
      expect(await rowsRead(streamed)).toEqual({ customers: 0, orders: 0 });

      // A MERGE table's rows are its underlying tables', which the dump does not repeat for it: the restored
      // database then holds a table the dump loaded nothing into, and every table is counted with SQL.
      await createMysqlDatabase(single);
      await withMysql(single, (c) =>
        c.query('CREATE TABLE parts (id INT) ENGINE=MyISAM; INSERT INTO parts VALUES (1), (2); CREATE TABLE merged (id INT) ENGINE=MRG_MyISAM UNION=(parts); CREATE TABLE many (id INT) ENGINE=InnoDB; INSERT INTO many VALUES (1), (2), (3);'),
      );
      const source = await core.call('sources:create', { engine: 'mysql', name: 'maria-single', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: single });
      const job = await core.call('jobs:create', { name: 'single-nightly', sourceId: source.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'none' });
      const withSql = await restoreAndWait(core, { backupId: backupIdOfRun(await backUp(core, job.id), destinationId), database: counted });
      expect(withSql.error).toBeNull();
      expect(withSql.databases[0]!.tables).toEqual([
        { schema: null, table: 'many', rows: 3 },
        { schema: null, table: 'merged', rows: 2 },
        { schema: null, table: 'parts', rows: 2 },
      ]);
      expect((await rowsRead(counted)).many).toBe(3);

      // A dump whose statements hold their rows on one line, as MySQL's mysqldump writes them, is counted as it streams too.
      const wrapper = mysqldumpThrough('mysqldump_one_line', "perl -pe 's/ VALUES\\n\\z/ VALUES /; s/\\),\\n\\z/),/'");
      const written = execFileSync(wrapper, [`--host=${mysqlEnv.host}`, `--port=${mysqlEnv.port}`, `--user=${mysqlEnv.user}`, '--protocol=TCP', plain], { encoding: 'utf8' });
      expect(written).toMatch(/^INSERT INTO `customers` VALUES \(0,'customer 0 ☕'\),\(1,'customer 1 ☕'\),.*\);$/m);
      const oneLineRun = await backUpPlainWith(wrapper);
      const oneLine = await restoreAndWait(core, { backupId: backupIdOfRun(oneLineRun, destinationId), database: mysqlStyle });
      expect(oneLine.error).toBeNull();
      const now = await mysqlRowCounts(plain);
      expect(oneLine.databases[0]!.tables).toEqual([
        { schema: null, table: 'customers', rows: now.customers },
        { schema: null, table: 'orders', rows: now.orders },
      ]);
      expect(await rowsRead(mysqlStyle)).toEqual({ customers: 0, orders: 0 });
    } finally {
      await withMysql(undefined, (c) => c.query(`SET GLOBAL userstat = ${Number(was) ? 1 : 0}`));
      await Promise.allSettled([streamed, counted, single, mysqlStyle].map(dropMysqlDatabase));
    }
  });

  it('a database holding no table but a view and a procedure is not empty either: refused without force, naming them, and both kept', async () => {
    const target = scratchName('rmy_code_only');
    try {
      await createMysqlDatabase(target);
      // Refused before anything is restored, as a database with tables is (before, the whole restore ran, then its swap refused them).
      await withMysql(target, (c) => c.query(`CREATE VIEW orders AS SELECT 1 AS id; CREATE PROCEDURE customers() SELECT 'kept'`));
      const found = await core.call('restore:inspectTarget', { sourceId: core.sources.findByName('maria-plain')!.id, database: target });
      expect(found).toMatchObject({ exists: true, tables: 0, others: ['1 view', '1 routine'] });
      const refused = await core.call('restore:start', { backupId: backupIdOfRun(plainRun, destinationId), database: target }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY', details: { database: target, tables: 0, others: ['1 view', '1 routine'] } });
      expect((refused as Error).message).toBe(
        `Database ${target} on "maria-plain" already holds 1 view and 1 routine. Restore under another name (--database NAME), or replace it (--force): the restored copy is put in its place only once it is complete.`,
      );
      const [kept] = await withMysql(undefined, (c) =>
        c.query("SELECT CONCAT(TABLE_NAME, ':', TABLE_TYPE) AS o FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? UNION ALL SELECT CONCAT(ROUTINE_NAME, ':', ROUTINE_TYPE) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?", [target, target]),
      );
      expect(kept).toEqual([{ o: 'orders:VIEW' }, { o: 'customers:PROCEDURE' }]);
    } finally {
      await dropMysqlDatabase(target);
    }
  });

  it("with force, a database whose tables another database's foreign keys refer to is not swapped: said as the restore starts, refused before anything moves, the target and the keys as they were; without the keys it goes through", async () => {
    const target = scratchName('rmy_refd');
    const child = scratchName('rmy_refc');
    try {
      await createMysqlDatabase(target);
      await createMysqlDatabase(child);
      await withMysql(target, (c) => c.query("CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)) ENGINE=InnoDB; INSERT INTO orders VALUES (1, 'kept')"));
      await withMysql(child, (c) => c.query(`CREATE TABLE order_lines (id INT PRIMARY KEY, order_id INT, CONSTRAINT to_orders FOREIGN KEY (order_id) REFERENCES \`${target}\`.orders (id)) ENGINE=InnoDB; INSERT INTO order_lines VALUES (1, 1)`));
      const before = await mysqlFingerprint(target);
      const key = `${child}.order_lines (to_orders) -> orders`;
      // What the wizard's review shows from, with the same words.
      expect(await core.call('restore:inspectTarget', { sourceId: core.sources.findByName('maria-plain')!.id, database: target })).toMatchObject({ exists: true, tables: 1, referencedBy: [key] });
      const started = await core.call('restore:start', { backupId: backupIdOfRun(plainRun, destinationId), database: target, force: true });
      expect(started.warnings).toContain(
        `Tables of other databases refer to ${target}'s tables by foreign key (${key}): MySQL/MariaDB would move those keys with the tables a swap moves out, so the restore will not put its copy in place of ${target} while they do. Drop them before it finishes, or restore under another name.`,
      );
      const done = await core.restoreService.wait(started.restoreId);
      expect(done).toMatchObject({ status: 'failed', stage: 'swap', error: { code: 'RESTORE_FAILED' } });
      expect(done.error!.message).toContain(`tables of other databases refer to them by foreign key (${key})`);
      expect(done.error!.message).toContain(`${target} was left as it was. Drop those foreign keys (and make them again once the restore is done), or restore under another name.`);
      expect(await mysqlFingerprint(target)).toEqual(before);
      expect(await databasesLike(target)).toEqual([target]);
      const [refs] = await withMysql(undefined, (c) => c.query('SELECT UNIQUE_CONSTRAINT_SCHEMA AS s FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?', [child]));
      expect(refs).toEqual([{ s: target }]);

      await withMysql(child, (c) => c.query('ALTER TABLE order_lines DROP FOREIGN KEY to_orders'));
      const forced = await restoreAndWait(core, { backupId: backupIdOfRun(plainRun, destinationId), database: target, force: true });
      expect(forced.error).toBeNull();
      expect(await mysqlRowCounts(target)).toEqual({ customers: 20, orders: 50 });
    } finally {
      await dropMysqlDatabase(child);
      await dropMysqlDatabase(target);
    }
  });

  it("with force, replaces a database holding a MariaDB package, which DROP PACKAGE parses only under sql_mode ORACLE before 11.4", async () => {
    const target = scratchName('rmy_pkg');
    try {
      await createMysqlDatabase(target);
      await withMysql(target, async (c) => {
        await c.query('CREATE TABLE orders (id INT PRIMARY KEY)');
        await c.query("SET sql_mode = 'ORACLE'");
        await c.query('CREATE PACKAGE pk AS FUNCTION f RETURN INT; END');
        await c.query('CREATE PACKAGE BODY pk AS FUNCTION f RETURN INT AS BEGIN RETURN 1; END; END');
      });
      const done = await restoreAndWait(core, { backupId: backupIdOfRun(plainRun, destinationId), database: target, force: true });
      expect(done.error).toBeNull();
      expect(done.databases[0]).toMatchObject({ status: 'restored', replaced: true });
      expect(await mysqlRowCounts(target)).toEqual({ customers: 20, orders: 50 });
      const [routines] = await withMysql(undefined, (c) => c.query('SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?', [target]));
      expect(routines).toEqual([]);
      expect(await databasesLike(target)).toEqual([target]);
    } finally {
      await dropMysqlDatabase(target);
    }
  });

  it("a row larger than the target server's max_allowed_packet is refused in words that give its value and how to raise it, and leaves no database; raised, the same backup restores byte for byte", async () => {
    const source = scratchName('rmy_blob');
    const target = `${copy}_blob`;
    try {
      await withMysqlMaxPacket(async (setMaxPacket) => {
        // MariaDB's default, whatever this server was given: 16 MiB.
        await setMaxPacket(16 * 1024 * 1024);
        await createMysqlDatabase(source);
        // 12 MiB sent as binary, which fits; the dump writes it in hex, a statement of 24 MiB, which does not.
        const body = randomBytes(12 * 1024 * 1024);
        await withMysql(source, async (c) => {
          await c.query('CREATE TABLE doc (id INT PRIMARY KEY, body LONGBLOB)');
          await c.execute('INSERT INTO doc VALUES (1, ?), (2, ?)', [body, Buffer.from('small')]);
      });
      const sourceId = (await core.call('sources:create', { engine: 'mysql', name: 'maria-blob', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: source })).id;
      const job = await core.call('jobs:create', { name: 'blob-nightly', sourceId, destinationIds: [destinationId], compression: 'zstd', encryption: 'none' });
      const backupId = backupIdOfRun(await backUp(core, job.id), destinationId);

      const refused = await restoreAndWait(core, { backupId, database: target });
      expect(refused).toMatchObject({ status: 'failed', error: { code: 'RESTORE_FAILED' } });
      // The server's refusal (1153) or the connection it closed (2006, 2013): which, depends on when its answer reaches the client.
      expect(refused.error!.message).toMatch(/ERROR (?:(?:2006|2013) \(HY000\)|1153 \(08S01\)) at line \d+/);
      expect(refused.error!.message).toMatch(
        /This server's max_allowed_packet is 16\.0 MiB, and it ends the connection of a statement larger than that: the dump writes each row in one INSERT, a BLOB or binary value in hex \(twice its size\), so a row of more than 8\.0 MiB or so does not fit\. (Raise|If the backup holds rows that large, raise) it on this server, as an administrator: SET GLOBAL max_allowed_packet = 1073741824;/,
      );
      expect(refused.message).toContain(`${target} did not exist before the restore and is not left behind.`);
      expect(await databasesLike(target)).toEqual([]);

      await setMaxPacket(64 * 1024 * 1024);
      const restored = await restoreAndWait(core, { backupId, database: target });
      expect(restored.error).toBeNull();
      const [rows] = await withMysql(target, (c) => c.query('SELECT id, SHA2(body, 256) AS h FROM doc ORDER BY id'));
      expect(rows).toEqual([
        { id: 1, h: createHash('sha256').update(body).digest('hex') },
        { id: 2, h: createHash('sha256').update('small').digest('hex') },
      ]);
      });
    } finally {
      await dropMysqlDatabase(source);
      await dropMysqlDatabase(target);
    }
  });
});
