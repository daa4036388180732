import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { createPgDatabase, dropPgDatabase, pgFingerprint, probePostgres, scratchName, seedPgAwkward, testSourceDto, withPg, type DbFingerprint } from '../testing/db-fixtures';
import { pgEnv, shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { closedPort, collect, processesWith, testContext, waitFor } from './source-test-helpers';

const pgReason = await probePostgres();
const PASSWORD = `pg-ssh-Secret-${randomBytes(6).toString('hex')}`;

describe.skipIf(shouldSkip('PostgreSQL', pgReason) || shouldSkip('OpenSSH sshd', sshdUnavailable()))('PostgreSQL source over SSH exec', () => {
  const t = tempDir();
  const marker = `/tmp/vd-injected-${randomBytes(4).toString('hex')}`;
  // Quotes, a command substitution and unicode (PostgreSQL allows 63 bytes): every layer of shell quoting must keep it literal.
  const source = `vd 'q' "d" $(touch ${marker}) ☕ ${randomBytes(3).toString('hex')}`;
  const big = scratchName('pgsshbig');
  const tag = randomBytes(3).toString('hex');
  const swapTarget = `vd "t" $(touch ${marker}) ☕ ${tag}`;
  const swapNew = `vd 'n' $(touch ${marker}) ☕ ${tag}`;
  const role = `vd_exec_role_${tag}`;
  const created: string[] = [source, big, swapTarget, swapNew];
  const pins: string[] = [];
  let server: SshdServer;
  let original: DbFingerprint;
  let driver: SourceDriver;

  const sshDto = (fields: Partial<SourceDto> = {}): SourceDto =>
    testSourceDto('postgres', {
      database: source,
      ssh: { mode: 'exec', host: server.host, port: server.port, user: server.user, hostKeyFingerprint: server.hostKeyFingerprint, hasPassword: false, hasPrivateKey: true, hasPassphrase: false },
      ...fields,
    });
  const makeDriver = (fields: Partial<SourceDto> = {}): SourceDriver => createSourceDriver(sshDto(fields), { sshPrivateKey: server.privateKey, password: PASSWORD }, testContext(t.dir));

  beforeAll(async () => {
    server = await startSshd();
    await createPgDatabase(source);
    await seedPgAwkward(source);
    original = await pgFingerprint(source);
    await createPgDatabase(big);
    // Far more than the SSH window and pipe buffers hold, so a dump nobody reads stays blocked.
    await withPg(big, (c) => c.query('CREATE TABLE filler AS SELECT g, repeat(md5(g::text), 32) AS pad FROM generate_series(1, 40000) g'));
    const unpinned = sshDto();
    unpinned.ssh!.hostKeyFingerprint = null;
    driver = createSourceDriver(unpinned, { sshPrivateKey: server.privateKey, password: PASSWORD }, testContext(t.dir, { onHostKeyPinned: (fp) => pins.push(fp) }));
  });

  afterAll(async () => {
    await driver?.close();
    for (const name of created) await dropPgDatabase(name);
    await withPg('postgres', (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    await server?.stop();
    rmSync(marker, { force: true });
    t.cleanup();
  });

  it('tests through the SSH host, pinning its key, and names the pg_dump that runs there', async () => {
    const result = await driver.test();
    expect(result.success).toBe(true);
    expect(result.serverVersion).toMatch(/^PostgreSQL \d+/);
    expect(result.message).toContain(`through the SSH host ${server.user}@127.0.0.1:${server.port}`);
    expect(result.message).toMatch(/Dumps will run on the SSH host with pg_dump \(PostgreSQL\) \d+/);
    expect(pins).toEqual([server.hostKeyFingerprint]);
  });

  it('lists the databases the SSH host sees, awkward names intact', async () => {
    const names = await driver.listDatabases();
    expect(names).toContain(source);
    expect(names).toContain('postgres');
    expect(names).not.toContain('template0');
  });

  it('round-trips a custom-format dump run on the SSH host into a local pg_restore', async () => {
    const target = scratchName('pgsshcustom');
    created.push(target);
    const dump = await driver.dump(null, { format: 'custom' });
    const local = createSourceDriver(testSourceDto('postgres'), {}, testContext(t.dir));
    await Promise.all([local.restore(dump.stream, { database: target, format: 'custom', createDatabase: true }), dump.done]);
    expect(await pgFingerprint(target)).toEqual(original);
    expect(existsSync(marker)).toBe(false);
  });

  it('round-trips a plain dump and restores it over SSH too, into a database it creates', async () => {
    const target = `${scratchName('pgsshplain')} it's`;
    created.push(target);
    const dump = await driver.dump(source, { format: 'plain' });
    await Promise.all([driver.restore(dump.stream, { database: target, format: 'plain', createDatabase: true }), dump.done]);
    expect(await pgFingerprint(target)).toEqual(original);
    expect(existsSync(marker)).toBe(false);
  });

  it("reads the awkward database's encoding and locale through psql, and creates a database with a backup's locale, or with the server's default and a note where the server lacks it", async () => {
    const direct = await withPg('postgres', (c) => c.query<{ encoding: string; collate: string }>("SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate FROM pg_database WHERE datname = 'template1'"));
    const template1 = direct.rows[0]!;
    expect(await driver.databaseLocale!(source)).toEqual({ encoding: template1.encoding, collate: template1.collate, ctype: template1.collate, provider: 'libc', icuLocale: null });
    const notes: string[] = [];
    const noting = createSourceDriver(sshDto(), { sshPrivateKey: server.privateKey, password: PASSWORD }, testContext(t.dir, { onNote: (text) => notes.push(text) }));
    const dump = (): Readable => Readable.from(["CREATE TABLE names (n text);\nINSERT INTO names VALUES ('abc');\n"]);
    const latin = `${scratchName('pgsshlatin')} it's`;
    const lacking = `${scratchName('pgsshnolocale')} it's`;
    created.push(latin, lacking);
    try {
      await noting.restore(dump(), { database: latin, format: 'plain', createDatabase: true, locale: { encoding: 'LATIN1', collate: 'C', ctype: 'C', provider: 'libc', icuLocale: null } });
      await noting.restore(dump(), { database: lacking, format: 'plain', createDatabase: true, locale: { encoding: 'LATIN1', collate: 'xx_XX.ISO-8859-1', ctype: 'C', provider: 'libc', icuLocale: null } });
    } finally {
      await noting.close();
    }
    const settings = async (name: string): Promise<unknown> =>
      (await withPg('postgres', (c) => c.query('SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate FROM pg_database WHERE datname = $1', [name]))).rows[0];
    expect(await settings(latin)).toEqual({ encoding: 'LATIN1', collate: 'C' });
    expect(await settings(lacking)).toEqual(template1);
    expect(await withPg(lacking, (c) => c.query('SELECT n FROM names')).then((r) => r.rows)).toEqual([{ n: 'abc' }]);
    expect(notes).toEqual([expect.stringMatching(/^The backup's database had encoding LATIN1, locale xx_XX\.ISO-8859-1 \(character classes C\), which this server could not give the restored database \(invalid locale name: "xx_XX\.ISO-8859-1"\): it has the server's default, encoding /)]);
  });

  it("admin: counts a table with inheritance children by its own rows, as the direct admin does: a parent's count(*) would count its children's again; a partitioned table counts its partitions'", async () => {
    const family = scratchName('pgsshinh');
    created.push(family);
    await createPgDatabase(family);
    await withPg(family, (c) =>
      c.query(
        "CREATE TABLE parent (v int); CREATE TABLE child () INHERITS (parent); INSERT INTO parent VALUES (1); INSERT INTO child VALUES (2), (3); CREATE TABLE parted (v int) PARTITION BY RANGE (v); CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (10); INSERT INTO parted VALUES (1), (2), (3), (4);",
      ),
    );
    const direct = createSourceDriver(testSourceDto('postgres'), {}, testContext(t.dir)).admin!();
    const expected = [
      { schema: 'public', table: 'child', rows: 2 },
      { schema: 'public', table: 'parent', rows: 1 },
      { schema: 'public', table: 'parted', rows: 4 },
    ];
    expect(await direct.countRows(family)).toEqual(expected);
    expect(await driver.admin!().countRows(family)).toEqual(expected);
  });

  it('dumps globals with pg_dumpall on the SSH host', async () => {
    const dump = await driver.dumpGlobals!();
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    expect(bytes.toString('utf8')).toContain('CREATE ROLE postgres');
  });

  it('admin: looks at and counts the awkward database as the direct admin does, through psql on the SSH host', async () => {
    const direct = createSourceDriver(testSourceDto('postgres'), {}, testContext(t.dir)).admin!();
    const admin = driver.admin!();
    expect(await admin.inspect(source)).toEqual(await direct.inspect(source));
    expect(await admin.inspect(source)).toEqual({ exists: true, tables: 3, others: ['1 view', '2 functions'], tablespace: null, sessions: 0 });
    expect(await admin.inspect(`${source.slice(0, 40)} none`)).toEqual({ exists: false, tables: 0, others: [] });
    const counts = await admin.countRows(source);
    expect(counts).toEqual(await direct.countRows(source));
    expect(counts.map((c) => c.rows)).toEqual([100, 2000, 300]);
    expect(existsSync(marker)).toBe(false);
  });

  it('admin: swaps one awkward name for another, hands back the replaced one to drop, then drops the swapped one', async () => {
    const admin = driver.admin!();
    await createPgDatabase(swapTarget);
    await withPg(swapTarget, (c) => c.query('CREATE TABLE old_rows (id int); INSERT INTO old_rows VALUES (1)'));
    await createPgDatabase(swapNew);
    await withPg(swapNew, (c) => c.query('CREATE TABLE new_rows (id int); INSERT INTO new_rows VALUES (1), (2)'));
    const missing = await admin.swap(swapTarget, `${swapNew} missing`).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'RESTORE_FAILED', details: { database: swapTarget } });
    expect((missing as Error).message).toContain(`Could not put the restored copy in place of ${swapTarget} on PostgreSQL at ${pgEnv.host}:${pgEnv.port}`);
    expect((missing as Error).message).toContain(`: database "${swapNew} missing" does not exist. ${swapTarget} was left as it was.`);
    expect(await admin.countRows(swapTarget)).toEqual([{ schema: 'public', table: 'old_rows', rows: 1 }]);
    const [replaced, ...more] = await admin.swap(swapTarget, swapNew);
    created.push(replaced!);
    expect(more).toEqual([]);
    expect(await admin.countRows(swapTarget)).toEqual([{ schema: 'public', table: 'new_rows', rows: 2 }]);
    expect(await admin.inspect(swapNew)).toEqual({ exists: false, tables: 0, others: [] });
    expect(await admin.countRows(replaced!)).toEqual([{ schema: 'public', table: 'old_rows', rows: 1 }]);
    await admin.drop(replaced!);
    const left = await withPg('postgres', async (c) => (await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`%${tag}%`])).rows);
    expect(left.map((r) => r.datname)).toEqual([swapTarget]);
    await admin.drop(swapTarget);
    expect(await admin.inspect(swapTarget)).toEqual({ exists: false, tables: 0, others: [] });
    expect(existsSync(marker)).toBe(false);
  });

  it('replays a roles dump with psql on the SSH host, going on past a role that already exists', async () => {
    // The connecting user exists already: its CREATE ROLE fails, and the rest still runs.
    const globals = `CREATE ROLE "${pgEnv.user}";\nCREATE ROLE ${role};\nALTER ROLE ${role} WITH NOLOGIN VALID UNTIL '2031-06-01 00:00:00+00';\n`;
    await driver.restoreGlobals!(Readable.from([Buffer.from(globals)]));
    const rows = await withPg('postgres', async (c) => (await c.query<{ until: string }>("SELECT to_char(rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS until FROM pg_roles WHERE rolname = $1", [role])).rows);
    expect(rows).toEqual([{ until: '2031-06-01' }]);
  });

  it('keeps the password out of every argv (the remote pg_dump has it in its environment), and a cancel leaves no pg_dump behind', async () => {
    const controller = new AbortController();
    const dump = await driver.dump(big, { format: 'plain', signal: controller.signal });
    const first = await new Promise<Buffer>((resolve) => dump.stream.once('data', resolve));
    dump.stream.pause();
    expect(first.length).toBeGreaterThan(0);
    const [proc] = await waitFor(() => {
      const found = processesWith(big).filter((p) => path.basename(p.argv[0] ?? '') === 'pg_dump');
      return found.length > 0 ? found : null;
    });
    expect(processesWith(PASSWORD)).toEqual([]);
    expect(readFileSync(`/proc/${proc!.pid}/environ`, 'utf8').split('\0')).toContain(`PGPASSWORD=${PASSWORD}`);
    // Still blocked on back-pressure a moment later, not finished.
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(`/proc/${proc!.pid}`)).toBe(true);

    controller.abort();
    await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' });
    await waitFor(() => processesWith(big).filter((p) => !p.argv[0]?.startsWith('postgres')).length === 0);
    await waitFor(() => !existsSync(`/proc/${proc!.pid}`));
  });

  it('a remote pg_dump that dies halfway fails with DUMP_FAILED and its stderr; the stream errors instead of ending', async () => {
    const dump = await driver.dump(big, { format: 'plain' });
    await new Promise((resolve) => dump.stream.once('data', resolve));
    dump.stream.pause();
    await waitFor(() => processesWith(big).some((p) => path.basename(p.argv[0] ?? '') === 'pg_dump'));
    await withPg('postgres', (c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [big]));
    const [streamError, doneError] = await Promise.all([collect(dump.stream).catch((e: unknown) => e), dump.done.catch((e: unknown) => e)]);
    expect(doneError).toBeInstanceOf(AppError);
    expect(doneError).toMatchObject({ code: 'DUMP_FAILED' });
    expect((doneError as AppError).message).toMatch(/pg_dump on the SSH host .* exited with code 1: .*terminat/s);
    expect(streamError).toBe(doneError);
  });

  it('a database missing on the server: DUMP_FAILED with the remote stderr', async () => {
    const missing = scratchName('nodb');
    const error = (await driver
      .dump(missing, { format: 'custom' })
      .then((d) => d.done)
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('DUMP_FAILED');
    expect(error.message).toContain(`database "${missing}" does not exist`);
  });

  it('a database port nothing listens on, seen from the SSH host: SOURCE_UNREACHABLE naming both', async () => {
    const port = await closedPort();
    const unreachable = makeDriver({ port });
    try {
      const error = (await unreachable.test().catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe('SOURCE_UNREACHABLE');
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(error.message).toContain(`connecting from the SSH host ${server.user}@127.0.0.1:${server.port}`);
      expect(error.message).not.toContain(PASSWORD);
    } finally {
      await unreachable.close();
    }
  });
});
