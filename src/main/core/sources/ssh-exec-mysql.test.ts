import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDto } from '../../../shared/domain/dto';
import type { AppError } from '../../../shared/ipc/result';
import {
  createMysqlDatabase,
  createMysqlUser,
  dropMysqlDatabase,
  dropMysqlUser,
  mysqlFingerprint,
  probeMysql,
  scratchName,
  seedMysqlAwkward,
  testSourceDto,
  withMysql,
  type DbFingerprint,
} from '../testing/db-fixtures';
import { mysqlRowCounts } from '../testing/restore-fixtures';
import { shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { collect, processesWith, testContext, waitFor } from './source-test-helpers';
import { REMOTE_DEFAULTS_PREFIX } from './ssh-remote-script';
import { mysqlOldName } from './mysql-admin';
import { quoteMysqlIdentifier } from './mysql-connection';

const mysqlReason = await probeMysql();
const hex = randomBytes(4).toString('hex');
// Everything a defaults file or a shell could trip over: quotes, backslash, '#', '$(...)', spaces.
const PASSWORD = `my 'S"ecret #\\ $(x) ${hex}`;

/** `user` may change `target` and `restored` and create their swap's holding database, but not move tables into it: RENAME TABLE is refused. */
async function mayCreateButNotFill(user: string, target: string, restored: string): Promise<void> {
  await withMysql(undefined, async (c) => {
    for (const database of [target, restored]) await c.query(`GRANT ALL PRIVILEGES ON ${quoteMysqlIdentifier(database)}.* TO ?@'%'`, [user]);
    await c.query(`GRANT CREATE, DROP ON ${quoteMysqlIdentifier(mysqlOldName(restored))}.* TO ?@'%'`, [user]);
  });
}
const USER = `vd_ssh_${hex}`;

const isDumpTool = (argv0: string | undefined): boolean => ['mariadb-dump', 'mysqldump'].includes(path.basename(argv0 ?? ''));

describe.skipIf(shouldSkip('MariaDB/MySQL', mysqlReason) || shouldSkip('OpenSSH sshd', sshdUnavailable()))('MySQL source over SSH exec', () => {
  const t = tempDir();
  const markerName = `vd-injected-${hex}`;
  // The remote shell starts in the SSH user's home: a command substitution that ran would leave this there.
  const marker = path.join(homedir(), markerName);
  // No quotes in the dumped name: mariadb-dump --events cannot select such a database (its own bug,
  // local or remote); the restore target below has one.
  const spaced = `vd $(touch ${markerName}) ☕ ${hex}`;
  const big = scratchName('mysshbig');
  const created: string[] = [spaced, big];
  let server: SshdServer;
  // The SSH sessions' own TMPDIR (sshd-server.ts): other test files' remote defaults files are in /tmp, not here.
  const defaultsFiles = (): string[] => readdirSync(server.tmpDir).filter((f) => f.startsWith(REMOTE_DEFAULTS_PREFIX));
  let original: DbFingerprint;
  let user: SourceDriver;

  const sshDto = (fields: Partial<SourceDto>): SourceDto =>
    testSourceDto('mysql', {
      ssh: { mode: 'exec', host: server.host, port: server.port, user: server.user, hostKeyFingerprint: server.hostKeyFingerprint, hasPassword: false, hasPrivateKey: true, hasPassphrase: false },
      ...fields,
    });
  const userDriver = (password: string): SourceDriver =>
    createSourceDriver(sshDto({ database: spaced, user: USER }), { sshPrivateKey: server.privateKey, password }, testContext(t.dir));

  beforeAll(async () => {
    server = await startSshd();
    await createMysqlDatabase(spaced);
    await seedMysqlAwkward(spaced, 500);
    original = await mysqlFingerprint(spaced);
    await createMysqlDatabase(big);
    // Doubled 15 times: about 32 MB, far more than the SSH window and pipes hold.
    await withMysql(big, async (c) => {
      await c.query('CREATE TABLE filler (pad TEXT)');
      await c.query('INSERT INTO filler VALUES (REPEAT(MD5(1), 32))');
      for (let i = 0; i < 15; i++) await c.query('INSERT INTO filler SELECT pad FROM filler');
    });
    await createMysqlUser(USER, PASSWORD, spaced);
    await withMysql(undefined, (c) => c.query(`GRANT ALL PRIVILEGES ON \`${big}\`.* TO ?@'%'`, [USER]));
    user = userDriver(PASSWORD);
  });

  afterAll(async () => {
    await user?.close();
    for (const name of created) await dropMysqlDatabase(name);
    await dropMysqlUser(USER);
    await server?.stop();
    rmSync(marker, { force: true });
    t.cleanup();
  });

  it('tests through the SSH host with a real password login, naming the dump tool that runs there', async () => {
    const result = await user.test();
    expect(result.success).toBe(true);
    expect(result.serverVersion).toMatch(/^(MariaDB|MySQL) \d+/);
    expect(result.message).toContain(`through the SSH host ${server.user}@127.0.0.1:${server.port}`);
    expect(result.message).toMatch(/Dumps will run on the SSH host with (mariadb-dump|mysqldump)/);
    expect(await user.listDatabases()).toEqual([big, spaced].sort());
  });

  it('round-trips a password-protected dump run on the SSH host into the local mysql client; no defaults file is left behind', async () => {
    const before = defaultsFiles();
    const target = scratchName('mysshlocal');
    created.push(target);
    const dump = await user.dump(null, { format: 'plain' });
    const local = createSourceDriver(testSourceDto('mysql'), {}, testContext(t.dir));
    await Promise.all([local.restore(dump.stream, { database: target, format: 'plain', createDatabase: true }), dump.done]);
    expect(await mysqlFingerprint(target)).toEqual(original);
    expect(existsSync(marker)).toBe(false);
    expect(defaultsFiles()).toEqual(before);
  });

  it('restores over SSH too (as root: the dump holds root-defined triggers), into a database it creates with a quote in its name', async () => {
    const target = `${scratchName('mysshremote')} it's`;
    created.push(target);
    const root = createSourceDriver(sshDto({ database: null }), { sshPrivateKey: server.privateKey }, testContext(t.dir));
    try {
      const dump = await user.dump(null, { format: 'plain' });
      await Promise.all([root.restore(dump.stream, { database: target, format: 'plain', createDatabase: true }), dump.done]);
      expect(await mysqlFingerprint(target)).toEqual(original);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await root.close();
    }
  });

  it("dumps a system-versioned table's history on the SSH host and restores every version through it; a transaction-precise one's is left out, said through onNote", async () => {
    const [versioned, restored] = [scratchName('mysshhist'), scratchName('mysshhist_r')];
    created.push(versioned, restored);
    await createMysqlDatabase(versioned);
    await withMysql(versioned, (c) => c.query("CREATE TABLE ledger (id INT PRIMARY KEY, note TEXT) WITH SYSTEM VERSIONING; INSERT INTO ledger VALUES (1, 'one'), (2, 'two'); UPDATE ledger SET note = 'edited'"));
    const versions = async (database: string): Promise<unknown> =>
      (await withMysql(database, (c) => c.query("SELECT id, note, DATE_FORMAT(row_start, '%Y-%m-%d %H:%i:%s.%f') AS s FROM ledger FOR SYSTEM_TIME ALL ORDER BY id, row_start")))[0];
    const notes: string[] = [];
    const root = createSourceDriver(sshDto({ database: null }), { sshPrivateKey: server.privateKey }, testContext(t.dir, { onNote: (n) => notes.push(n) }));
    try {
      const dump = await root.dump(versioned, { format: 'plain' });
      await Promise.all([root.restore(dump.stream, { database: restored, format: 'plain', createDatabase: true, loaders: 3 }), dump.done]);
      expect(notes).toEqual([]);
      expect(await versions(restored)).toEqual(await versions(versioned));
      expect(((await versions(restored)) as unknown[]).length).toBe(4);
      await withMysql(versioned, (c) => c.query('CREATE TABLE precise (id INT, s BIGINT UNSIGNED GENERATED ALWAYS AS ROW START, e BIGINT UNSIGNED GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME(s, e)) WITH SYSTEM VERSIONING ENGINE=InnoDB'));
      const without = await root.dump(versioned, { format: 'plain' });
      const [bytes] = await Promise.all([collect(without.stream), without.done]);
      expect(bytes.includes('system_versioning_insert_history')).toBe(false);
      expect(notes).toEqual([expect.stringContaining('`precise` keeps transaction-precise history, which mariadb-dump cannot dump')]);
    } finally {
      await root.close();
    }
  });

  it('admin: empties a database of everything a restore made (tables with a key between them, a sequence, a view, a trigger, routines, an event), through the client on the SSH host as directly', async () => {
    const direct = createSourceDriver(testSourceDto('mysql'), {}, testContext(t.dir)).admin!();
    const [viaSsh, viaDirect] = [`${spaced} \`e\``, `${spaced} d`];
    created.push(viaSsh, viaDirect);
    for (const database of [viaSsh, viaDirect]) {
      await createMysqlDatabase(database);
      await seedMysqlAwkward(database, 10);
      await withMysql(database, (c) =>
        c.query('CREATE TABLE parent (id INT PRIMARY KEY); CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES parent (id)); INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1); CREATE SEQUENCE `next ☕`'),
      );
      expect(await direct.inspect(database)).toEqual({ exists: true, tables: 4, others: ['1 sequence', '1 view', '1 trigger', '2 routines', '1 event'] });
    }
    await withMysql(undefined, (c) => c.query(`GRANT ALL PRIVILEGES ON \`${viaSsh.replace(/`/g, '``')}\`.* TO ?@'%'`, [USER]));
    // The client on the SSH host sees it as the driver does.
    expect(await user.admin!().inspect(viaSsh)).toEqual(await direct.inspect(viaSsh));
    await user.admin!().emptyOut!(viaSsh);
    await direct.emptyOut!(viaDirect);
    for (const database of [viaSsh, viaDirect]) expect(await direct.inspect(database)).toEqual({ exists: true, tables: 0, others: [] });
    expect(existsSync(marker)).toBe(false);
  });

  it('admin, with a password login: looks at and counts the awkward database as the direct admin does, changing nothing; no defaults file is left', async () => {
    const before = defaultsFiles();
    const directDriver = createSourceDriver(testSourceDto('mysql'), {}, testContext(t.dir));
    const direct = directDriver.admin!();
    const admin = user.admin!();
    expect(await admin.inspect(spaced)).toEqual({ exists: true, tables: 2, others: ['1 view', '1 trigger', '2 routines', '1 event'] });
    // The same, counted for a backup's manifest, by both drivers.
    expect(await user.databaseObjects!(spaced)).toEqual({ views: 1, triggers: 1, routines: 2, events: 1 });
    expect(await directDriver.databaseObjects!(spaced)).toEqual({ views: 1, triggers: 1, routines: 2, events: 1 });
    expect(await admin.inspect(spaced)).toEqual(await direct.inspect(spaced));
    expect(await admin.inspect(`${spaced} none`)).toEqual({ exists: false, tables: 0, others: [] });
    const counts = await admin.countRows(spaced);
    expect(counts).toEqual([
      { schema: null, table: 'order items', rows: 500 },
      { schema: null, table: '日本語 ☕', rows: 300 },
    ]);
    expect(counts).toEqual(await direct.countRows(spaced));
    // Its swap, views and all, is restore-ssh-exec-mysql.test.ts's.
    expect(await mysqlFingerprint(spaced)).toEqual(original);
    expect(existsSync(marker)).toBe(false);
    expect(defaultsFiles()).toEqual(before);
  });

  it('admin: a swap the server refuses (no right to move the tables into the holding database) leaves both as they were, and no holding database', async () => {
    const target = `${scratchName('myssh_swap')} it's`;
    const restored = scratchName('myssh_new');
    created.push(target, restored);
    await createMysqlDatabase(target);
    await withMysql(target, (c) => c.query('CREATE TABLE kept (id INT); INSERT INTO kept VALUES (1); CREATE SEQUENCE ids'));
    await createMysqlDatabase(restored);
    await withMysql(restored, (c) => c.query('CREATE TABLE clash (id INT); INSERT INTO clash VALUES (1), (2)'));
    await mayCreateButNotFill(USER, target, restored);
    const limited = createSourceDriver(sshDto({ database: null, user: USER }), { sshPrivateKey: server.privateKey, password: PASSWORD }, testContext(t.dir));
    try {
      const refused = (await limited.admin!().swap(target, restored).catch((e: unknown) => e)) as AppError;
      expect(refused).toMatchObject({ code: 'RESTORE_FAILED', details: { database: target } });
      expect(refused.message).toContain(`Could not put the restored tables in place of ${target}'s on`);
      expect(refused.message).toMatch(new RegExp(`command denied to user '${USER}'.*\\. ${target} was left as it was\\.$`));
      expect(await mysqlRowCounts(target)).toEqual({ kept: 1 });
      expect(await mysqlRowCounts(restored)).toEqual({ clash: 2 });
      const databases = await withMysql(undefined, async (c) => (await c.query<RowDataPacket[]>('SHOW DATABASES'))[0].map((r) => String(r.Database)));
      expect(databases.filter((d) => d.startsWith(restored.slice(0, 20)))).toEqual([restored]);
    } finally {
      await limited.close();
    }
  });

  it("default character set, through the exec source and the direct one: read for the manifest, given to a database it creates (or the server's default and a note), carried by a swap, put back when a swap is refused", async () => {
    const legacy = scratchName('myssh_latin');
    const [fresh, lacking, target, restored] = [scratchName('myssh_cs_new'), scratchName('myssh_cs_lack'), scratchName('myssh_cs_tgt'), scratchName('myssh_cs_rst')];
    created.push(legacy, fresh, lacking, target, restored);
    const defaultsOf = async (database: string): Promise<string | undefined> => {
      const [rows] = await withMysql(undefined, (c) => c.query<RowDataPacket[]>("SELECT CONCAT(DEFAULT_CHARACTER_SET_NAME, '/', DEFAULT_COLLATION_NAME) AS d FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [database]));
      return (rows[0] as { d?: string } | undefined)?.d;
    };
    await withMysql(undefined, (c) => c.query(`CREATE DATABASE ${legacy} CHARACTER SET latin1 COLLATE latin1_german1_ci`));
    await withMysql(legacy, (c) => c.query("CREATE TABLE names (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO names VALUES (1, 'Müller')"));
    const notes: string[] = [];
    const root = createSourceDriver(sshDto({ database: null }), { sshPrivateKey: server.privateKey }, testContext(t.dir, { onNote: (n) => notes.push(n) }));
    const direct = createSourceDriver(testSourceDto('mysql'), {}, testContext(t.dir));
    try {
      const charset = await root.databaseCharset!(legacy);
      expect(charset).toEqual({ characterSet: 'latin1', collation: 'latin1_german1_ci' });
      expect(await direct.databaseCharset!(legacy)).toEqual(charset);
      expect(await root.databaseCharset!(scratchName('myssh_none'))).toBeNull();

      const restoreInto = async (database: string, asked: typeof charset): Promise<void> => {
        const dump = await direct.dump(legacy, { format: 'plain' });
        await Promise.all([root.restore(dump.stream, { database, format: 'plain', createDatabase: true, charset: asked }), dump.done]);
      };
      await restoreInto(fresh, charset);
      expect(await defaultsOf(fresh)).toBe('latin1/latin1_german1_ci');
      expect(notes).toEqual([]);
      await restoreInto(lacking, { characterSet: 'utf8mb4', collation: 'utf8mb4_vaultdesk_ci' });
      expect(await defaultsOf(lacking)).toMatch(/^utf8mb4\//);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain("which this server refused (Unknown collation: 'utf8mb4_vaultdesk_ci'): the restored database has the server's default instead.");
      expect(await mysqlRowCounts(lacking)).toEqual({ names: 1 });

      // A swap the server refuses (a user who may not move the tables into the holding database) puts the target's defaults back, on both admins.
      await createMysqlDatabase(target);
      await withMysql(target, (c) => c.query('CREATE TABLE kept (id INT)'));
      await createMysqlDatabase(restored);
      await withMysql(restored, (c) => c.query('CREATE TABLE clash (id INT)'));
      await mayCreateButNotFill(USER, target, restored);
      const limitedExec = createSourceDriver(sshDto({ database: null, user: USER }), { sshPrivateKey: server.privateKey, password: PASSWORD }, testContext(t.dir));
      const limitedDirect = createSourceDriver(testSourceDto('mysql', { user: USER }), { password: PASSWORD }, testContext(t.dir));
      try {
        for (const admin of [limitedExec.admin!(), limitedDirect.admin!()]) {
          expect(await admin.swap(target, restored, { charset }).catch((e: unknown) => (e as AppError).code)).toBe('RESTORE_FAILED');
          expect(await defaultsOf(target)).toMatch(/^utf8mb4\//);
          expect(await mysqlRowCounts(target)).toEqual({ kept: 0 });
        }
      } finally {
        await Promise.allSettled([limitedExec.close(), limitedDirect.close()]);
      }
      const leftovers = await root.admin!().swap(target, restored, { charset });
      expect(await defaultsOf(target)).toBe('latin1/latin1_german1_ci');
      expect(await mysqlRowCounts(target)).toEqual({ clash: 0 });
      for (const database of leftovers) await root.admin!().drop(database);
    } finally {
      await root.close();
      await direct.close();
    }
  });

  it('passes the password in a 0600 defaults file, never in argv, and a cancel removes it and leaves no dump tool running', async () => {
    const controller = new AbortController();
    const dump = await user.dump(big, { format: 'plain', signal: controller.signal });
    await new Promise((resolve) => dump.stream.once('data', resolve));
    dump.stream.pause();
    const [proc] = await waitFor(() => {
      const found = processesWith(big).filter((p) => isDumpTool(p.argv[0]));
      return found.length > 0 ? found : null;
    });
    expect(processesWith(hex).filter((p) => p.argv.join(' ').includes(PASSWORD))).toEqual([]);
    const file = /^--defaults-file=(.+)$/.exec(proc!.argv[1] ?? '')?.[1];
    expect(file).toBeDefined();
    expect(path.basename(file!).startsWith(REMOTE_DEFAULTS_PREFIX)).toBe(true);
    // Where defaultsFiles() looks: the session's TMPDIR.
    expect(path.dirname(file!)).toBe(server.tmpDir);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    // Escaped for the option-file reader: a bare '"' would end the quoted value and the '#' start a comment.
    expect(readFileSync(file!, 'utf8')).toBe(`[client]\npassword="my 'S\\"ecret #\\\\ $(x) ${hex}"\n`);

    controller.abort();
    await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' });
    await waitFor(() => processesWith(big).filter((p) => isDumpTool(p.argv[0]) || path.basename(p.argv[0] ?? '') === 'sh').length === 0);
    await waitFor(() => !existsSync(file!));
  });

  it('a wrong database password: SOURCE_AUTH_FAILED, without the password in the message', async () => {
    const wrong = userDriver('not-the-password');
    try {
      const error = (await wrong.test().catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe('SOURCE_AUTH_FAILED');
      expect(error.message).toContain(`connecting from the SSH host ${server.user}@127.0.0.1:${server.port}`);
      expect(JSON.stringify([error.message, error.details])).not.toContain('not-the-password');
    } finally {
      await wrong.close();
    }
  });
});
