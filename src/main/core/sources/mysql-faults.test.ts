import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { createMysqlDatabase, createMysqlUser, dropMysqlDatabase, dropMysqlUser, mysqlFingerprint, probeMysql, scratchName, seedMysqlAwkward, testSourceDto } from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { findTool, type ToolName } from './client-tools';
import { createSourceDriver, type SourceDriver } from './source-driver';
import { closedPort, collect, processesWith, testContext, waitFor, writeScript } from './source-test-helpers';

const reason = await probeMysql();
// Quotes, a backslash, '#' and spaces: everything an option file could get wrong.
const PASSWORD = `Pa"ss 'w#rd\\ ☕ end `;

describe.skipIf(shouldSkip('MariaDB', reason))('mysql/mariadb source faults', () => {
  const database = scratchName('myfault');
  const user = scratchName('u').slice(0, 32);
  const restored = scratchName('myfaultcopy');
  const t = tempDir();
  const temp = path.join(t.dir, 'tmp');
  const scripts = path.join(t.dir, 'bin');
  const realDump = (): string => findTool('mysqldump', { env: process.env }).path;
  const driverWith = (toolPaths: Partial<Record<ToolName, string>> = {}, dto: Partial<SourceDto> = {}, password = PASSWORD): SourceDriver =>
    createSourceDriver(testSourceDto('mysql', { database, user, ...dto }), { password }, testContext(temp, { toolPaths }));
  const tempFiles = (): string[] => readdirSync(temp);

  beforeAll(async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(temp);
    mkdirSync(scripts);
    await createMysqlDatabase(database);
    await seedMysqlAwkward(database);
    await createMysqlUser(user, PASSWORD, database);
  });
  afterAll(async () => {
    await dropMysqlUser(user);
    await dropMysqlDatabase(database);
    await dropMysqlDatabase(restored);
    t.cleanup();
  });

  it('passes the password in a 0600 defaults file given first, never in argv, and removes it after the dump', async () => {
    const driver = driverWith();
    const dump = await driver.dump(null, { format: 'plain' });
    const chunks: Buffer[] = [await new Promise<Buffer>((resolve) => dump.stream.once('data', resolve))];
    dump.stream.pause();
    const [proc] = await waitFor(() => {
      const found = processesWith(database).filter((p) => /mysqldump|mariadb-dump/.test(p.argv[0] ?? ''));
      return found.length > 0 ? found : null;
    });
    const argv = proc!.argv;
    expect(argv.join(' ')).not.toContain(PASSWORD.trim());
    expect(argv[1]).toMatch(/^--defaults-file=/);
    const file = argv[1]!.slice('--defaults-file='.length);
    expect(path.dirname(file)).toBe(temp);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(`/proc/${proc!.pid}/environ`, 'utf8')).not.toContain(PASSWORD.trim());
    dump.stream.on('data', (c: Buffer) => chunks.push(c));
    dump.stream.resume();
    await dump.done;
    expect(Buffer.concat(chunks).toString('utf8')).toContain('-- Dump completed');
    expect(tempFiles()).toEqual([]);

    // The restore side uses the same mechanism; the root login stands in since this user may only see its database.
    const dump2 = await driver.dump(null, { format: 'plain' });
    const [bytes] = await Promise.all([collect(dump2.stream), dump2.done]);
    const root = createSourceDriver(testSourceDto('mysql'), {}, testContext(temp));
    await root.restore(Readable.from([bytes]), { database: restored, format: 'plain', createDatabase: true });
    expect((await mysqlFingerprint(restored)).tables).toEqual((await mysqlFingerprint(database)).tables);
  });

  it('cancel mid-dump: CANCELLED, the tool is gone and so is the defaults file', async () => {
    const controller = new AbortController();
    const dump = await driverWith().dump(null, { format: 'plain', signal: controller.signal });
    await new Promise((resolve) => dump.stream.once('data', resolve));
    dump.stream.pause();
    await waitFor(() => processesWith(database).length > 0);
    expect(tempFiles()).toHaveLength(1);
    controller.abort();
    await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' });
    await waitFor(() => processesWith(database).length === 0);
    expect(tempFiles()).toEqual([]);
  });

  it('a dump tool that exits non-zero halfway: DUMP_FAILED with its stderr, defaults file removed', async () => {
    const wrapper = writeScript(
      scripts,
      'failing-dump',
      `if [ "$1" = "--version" ]; then exec "${realDump()}" --version; fi
"${realDump()}" "$@" | head -c 65536
echo "mariadb-dump: Got error: 2013: simulated lost connection during query" >&2
exit 2`,
    );
    const dump = await driverWith({ mysqldump: wrapper }).dump(null, { format: 'plain' });
    const [streamError, doneError] = await Promise.all([collect(dump.stream).catch((e: unknown) => e), dump.done.catch((e: unknown) => e)]);
    expect(doneError).toMatchObject({ code: 'DUMP_FAILED' });
    expect((doneError as AppError).message).toContain('exited with code 2');
    expect((doneError as AppError).message).toContain('simulated lost connection during query');
    expect(streamError).toBe(doneError);
    expect(tempFiles()).toEqual([]);
  });

  it('a restore that fails removes its defaults file too', async () => {
    const error = (await driverWith()
      .restore(Readable.from(['THIS IS NOT SQL;']), { database, format: 'plain' })
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toContain('ERROR 1064');
    expect(error.message).not.toContain(PASSWORD.trim());
    expect(tempFiles()).toEqual([]);
  });

  it('a configured dump tool that does not exist: CLIENT_TOOL_MISSING', async () => {
    const error = (await driverWith({ mysqldump: '/nonexistent/mariadb-dump' })
      .dump(null, { format: 'plain' })
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('CLIENT_TOOL_MISSING');
    expect(error.message).toContain('mysqldump was not found at /nonexistent/mariadb-dump');
    expect(tempFiles()).toEqual([]);
  });

  it('a dump tool older than the server: CLIENT_TOO_OLD with both versions', async () => {
    const old = writeScript(scripts, 'old-dump', 'echo "mariadb-dump  Ver 10.19 Distrib 10.3.39-MariaDB, for debian-linux-gnu (x86_64)"');
    const driver = driverWith({ mysqldump: old });
    const error = (await driver.dump(null, { format: 'plain' }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('CLIENT_TOO_OLD');
    expect(error.message).toMatch(/old-dump.*10\.3\.39.* older than the MariaDB 10\.\d+\.\d+ server/s);
    expect((await driver.test()).success).toBe(false);
  });

  it('a wrong password: SOURCE_AUTH_FAILED naming host:port and user, never the password', async () => {
    const wrong = 'wrong-password-x1';
    const error = (await driverWith({}, {}, wrong)
      .test()
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('SOURCE_AUTH_FAILED');
    expect(error.message).toContain(`127.0.0.1:3306 as user ${user}`);
    expect(error.message).not.toContain(wrong);
    await expect(driverWith({}, {}, wrong).dump(null, { format: 'plain' })).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    expect(tempFiles()).toEqual([]);
  });

  it('an unreachable port: SOURCE_UNREACHABLE naming host:port and user', async () => {
    const port = await closedPort();
    const error = (await driverWith({}, { port })
      .listDatabases()
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${port} as user ${user}`);
    expect(error.message).toContain('connection refused');
  });

  it('honours the TLS mode: disable connects and dumps, require refuses a server without TLS', async () => {
    const plain = driverWith({}, { tlsMode: 'disable' });
    expect((await plain.test()).success).toBe(true);
    const dump = await plain.dump(null, { format: 'plain' });
    const [bytes] = await Promise.all([collect(dump.stream), dump.done]);
    expect(bytes.toString('utf8')).toContain('-- Dump completed');
    const error = (await driverWith({}, { tlsMode: 'require' })
      .test()
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('SOURCE_UNREACHABLE');
    expect(error.message).toContain("does not offer TLS, but this source's TLS mode is require");
    expect(tempFiles()).toEqual([]);
  });
});
