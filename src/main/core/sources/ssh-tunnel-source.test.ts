import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { Logger } from '../logger';
import {
  createMysqlDatabase,
  createPgDatabase,
  dropMysqlDatabase,
  dropPgDatabase,
  mysqlFingerprint,
  pgFingerprint,
  probeMysql,
  probePostgres,
  scratchName,
  seedMysqlAwkward,
  seedPgAwkward,
  testSourceDto,
  withMysql,
  withPg,
} from '../testing/db-fixtures';
import { shouldSkip } from '../testing/services';
import { sshdUnavailable, startSshd, type SshdServer } from '../testing/sshd-server';
import { tempDir } from '../testing/temp-dir';
import { createSourceDriver } from './source-driver';
import { closedPort, collect, testContext } from './source-test-helpers';

const pgReason = await probePostgres();
const mysqlReason = await probeMysql();

/** Addresses listening on `port` (IPv4 dotted, IPv6 as the kernel's hex), from /proc/net. */
function listeners(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [address = '', portHex = ''] = (cols[1] ?? '').split(':');
      if (cols[3] !== '0A' || parseInt(portHex, 16) !== port) continue;
      found.push(file.endsWith('6') ? address : (address.match(/../g) ?? []).reverse().map((h) => parseInt(h, 16)).join('.'));
    }
  }
  return found;
}

function connectError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function capturingLogger(entries: { message: string; fields?: Record<string, unknown> }[]): Logger {
  const push = (message: string, fields?: Record<string, unknown>): void => void entries.push({ message, fields });
  return { debug: push, info: push, warn: push, error: push };
}

describe.skipIf(shouldSkip('PostgreSQL', pgReason) || shouldSkip('MariaDB/MySQL', mysqlReason) || shouldSkip('OpenSSH sshd', sshdUnavailable()))(
  'SSH tunnel sources',
  () => {
    const t = tempDir();
    const pgDb = scratchName('pgtunnel');
    const myDb = scratchName('mytunnel');
    const pgCreated: string[] = [pgDb];
    const myCreated: string[] = [myDb];
    let server: SshdServer;

    const tunnel = (engine: 'postgres' | 'mysql', fields: Partial<SourceDto> = {}): SourceDto =>
      testSourceDto(engine, {
        database: engine === 'postgres' ? pgDb : myDb,
        ssh: { mode: 'tunnel', host: server.host, port: server.port, user: server.user, hostKeyFingerprint: server.hostKeyFingerprint, hasPassword: false, hasPrivateKey: true, hasPassphrase: false },
        ...fields,
      });

    beforeAll(async () => {
      server = await startSshd();
      await createPgDatabase(pgDb);
      await seedPgAwkward(pgDb);
      await createMysqlDatabase(myDb);
      await seedMysqlAwkward(myDb, 500);
    });

    afterAll(async () => {
      for (const name of pgCreated) await dropPgDatabase(name);
      for (const name of myCreated) await dropMysqlDatabase(name);
      await server?.stop();
      t.cleanup();
    });

    it('PostgreSQL: a dump through a loopback-only tunnel restores locally to an identical copy, and close() stops the listener', async () => {
      const entries: { message: string; fields?: Record<string, unknown> }[] = [];
      const driver = createSourceDriver(tunnel('postgres'), { sshPrivateKey: server.privateKey }, testContext(t.dir, { log: capturingLogger(entries) }));
      const target = scratchName('pgtunnelcopy');
      pgCreated.push(target);
      const tunnelPort = (): number => Number(entries.find((e) => e.message === 'ssh tunnel opened')?.fields?.localPort);
      try {
        const result = await driver.test();
        expect(result.success).toBe(true);
        expect(result.message).toContain(`PostgreSQL at 127.0.0.1:5432 (through the SSH tunnel via ${server.user}@127.0.0.1:${server.port})`);
        expect(tunnelPort()).toBeGreaterThan(0);
        expect(listeners(tunnelPort())).toEqual(['127.0.0.1']);

        expect(await driver.listDatabases()).toContain(pgDb);
        const dump = await driver.dump(null, { format: 'custom' });
        const local = createSourceDriver(testSourceDto('postgres'), {}, testContext(t.dir));
        await Promise.all([local.restore(dump.stream, { database: target, format: 'custom', createDatabase: true }), dump.done]);
        expect(await pgFingerprint(target)).toEqual(await pgFingerprint(pgDb));

        const globals = await driver.dumpGlobals!();
        const [bytes] = await Promise.all([collect(globals.stream), globals.done]);
        expect(bytes.toString('utf8')).toContain('CREATE ROLE postgres');
        // One tunnel served every connection and tool run.
        expect(entries.filter((e) => e.message === 'ssh tunnel opened')).toHaveLength(1);
      } finally {
        await driver.close();
      }
      expect(listeners(tunnelPort())).toEqual([]);
      expect(await connectError(tunnelPort())).toBe('ECONNREFUSED');
    });

    it('MySQL with an encrypted SSH key: dumped and restored through the tunnel, identical', async () => {
      const { privateKey, passphrase } = server.encryptedKey;
      const driver = createSourceDriver(tunnel('mysql'), { sshPrivateKey: privateKey, sshPassphrase: passphrase }, testContext(t.dir));
      const target = scratchName('mytunnelcopy');
      myCreated.push(target);
      try {
        expect((await driver.test()).message).toContain(`(through the SSH tunnel via ${server.user}@127.0.0.1:${server.port})`);
        // The database's defaults, read through the tunnel for the manifest, are given to the copy it creates.
        const charset = await driver.databaseCharset!(myDb);
        expect(charset).toEqual({ characterSet: 'utf8mb4', collation: expect.stringMatching(/^utf8mb4_/) as unknown });
        // And what a swap could not move, for the manifest.
        expect(await driver.databaseObjects!(myDb)).toEqual({ views: 1, triggers: 1, routines: 2, events: 1 });
        const dump = await driver.dump(null, { format: 'plain' });
        await Promise.all([driver.restore(dump.stream, { database: target, format: 'plain', createDatabase: true, charset: { characterSet: 'utf8mb4', collation: 'utf8mb4_bin' } }), dump.done]);
        expect(await mysqlFingerprint(target)).toEqual(await mysqlFingerprint(myDb));
        const [defaults] = await withMysql(undefined, (c) => c.query('SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [target]));
        expect(defaults).toEqual([{ c: 'utf8mb4_bin' }]);
      } finally {
        await driver.close();
      }
    });

    it('logs in to the SSH host with a password', async (ctx) => {
      if (server.password === null && shouldSkip('SSH password login', server.passwordUnavailable)) return ctx.skip();
      const driver = createSourceDriver(tunnel('mysql'), { sshPassword: server.password! }, testContext(t.dir));
      try {
        expect(await driver.listDatabases()).toContain(myDb);
      } finally {
        await driver.close();
      }
    });

    it('a database port the SSH host cannot reach: SOURCE_UNREACHABLE naming the SSH host and the database as configured', async () => {
      const port = await closedPort();
      const driver = createSourceDriver(tunnel('postgres', { port }), { sshPrivateKey: server.privateKey }, testContext(t.dir));
      try {
        const error = (await driver.test().catch((e: unknown) => e)) as AppError;
        expect(error).toBeInstanceOf(AppError);
        expect(error.code).toBe('SOURCE_UNREACHABLE');
        expect(error.message).toContain(`The SSH host ${server.user}@127.0.0.1:${server.port} could not open a connection to 127.0.0.1:${port}`);
      } finally {
        await driver.close();
      }
    });

    it('the SSH connection lost halfway through a dump: said as such, not as a refused forwarding; the next call connects again', async () => {
      const going = await startSshd();
      const big = scratchName('pgtunnelcut');
      pgCreated.push(big);
      await createPgDatabase(big);
      await withPg(big, (c) => c.query(`CREATE TABLE t AS SELECT g AS id, md5(g::text) || repeat('x', 500) AS v FROM generate_series(1, 200000) g`));
      const dto = testSourceDto('postgres', {
        database: big,
        ssh: { mode: 'tunnel', host: going.host, port: going.port, user: going.user, hostKeyFingerprint: going.hostKeyFingerprint, hasPassword: false, hasPrivateKey: true, hasPassphrase: false },
      });
      const driver = createSourceDriver(dto, { sshPrivateKey: going.privateKey }, testContext(t.dir));
      const via = `${going.user}@127.0.0.1:${going.port}`;
      try {
        const dump = await driver.dump(big, { format: 'custom' });
        let read = 0;
        const stopped = new Promise<void>((resolve) => {
          dump.stream.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > 1024 * 1024 && read - chunk.length <= 1024 * 1024) {
              // Held while the SSH connection goes, so the dump cannot finish first.
              dump.stream.pause();
              void Promise.resolve(going.dropConnections()).then(() => {
                dump.stream.resume();
                resolve();
              });
            }
          });
        });
        dump.stream.on('error', () => {});
        const error = (await dump.done.catch((e: unknown) => e)) as AppError;
        await stopped;
        expect(error).toBeInstanceOf(AppError);
        expect(error.code).toBe('DUMP_FAILED');
        expect(error.message).toMatch(/^pg_dump exited with code 1: .*server closed the connection unexpectedly/s);
        expect(error.message).toMatch(new RegExp(`The SSH connection to ${via} was lost \\(.+\\) while this ran: that is why the database's connection ended\\.$`));
        expect(error.message).not.toContain('AllowTcpForwarding');
        // The SSH server still runs: the next call opens a new connection and works.
        expect(await driver.listDatabases()).toContain(big);
      } finally {
        await driver.close();
        await going.stop();
      }
    });

    it('refuses TLS verify-full, which cannot match the tunnel end’s name', () => {
      expect(() => createSourceDriver(tunnel('postgres', { tlsMode: 'verify-full' }), { sshPrivateKey: server.privateKey }, testContext(t.dir))).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    });
  },
);
