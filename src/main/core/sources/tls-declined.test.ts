import { createConnection, createServer, type Server } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { probeMysql, probePostgres } from '../testing/db-fixtures';
import { privateMariadbUnavailable, startPrivateMariadb, type PrivateMariadb } from '../testing/private-mariadb';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../testing/private-postgres';
import { mysqlEnv, pgEnv, probeCommand, shouldSkip } from '../testing/services';
import { connectMysql } from './mysql-connection';
import { connectPostgres } from './postgres-connection';
import { connectWithTlsMode, forgetTlsDeclined, rememberTlsDeclined, tlsDeclinedLately } from './tls-declined';

/** A loopback TCP relay to `port` that counts the connections made through it: each is a server process, or a thread. */
async function countingRelay(port: number): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = createConnection({ host: '127.0.0.1', port });
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, connections: () => connections };
}

const pgSkip = await probePostgres();
const mysqlSkip = await probeMysql();

/** A counting relay to `port` for the enclosing describe's tests, closed after them. */
function relayTo(port: number): Relay {
  const relay = { port: 0, connections: () => 0 };
  let server: Server | undefined;
  beforeAll(async () => {
    const started = await countingRelay(port);
    server = started.server;
    Object.assign(relay, { port: started.port, connections: started.connections });
  });
  afterAll(() => server?.close());
  return relay;
}

interface Relay {
  port: number;
  connections: () => number;
}

describe('TLS mode prefer against a server without TLS (this machine has none)', () => {

  describe.skipIf(pgSkip !== null)('PostgreSQL', () => {
    const relay = relayTo(pgEnv.port);

    it('asks for TLS once, then connects in plain at once: one connection each, not two', async () => {
      const target = { host: '127.0.0.1', port: relay.port, user: pgEnv.user, password: pgEnv.password || undefined, tlsMode: 'prefer' as const };
      const first = await connectPostgres(target, 'postgres');
      expect((await first.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
      await first.end();
      // Declined, then plain.
      expect(relay.connections()).toBe(2);
      for (let i = 0; i < 3; i++) await (await connectPostgres(target, 'postgres')).end();
      expect(relay.connections()).toBe(5);
      // require is not prefer: it still asks, and is still refused.
      const refused = (await connectPostgres({ ...target, tlsMode: 'require' }, 'postgres').catch((e: unknown) => e)) as AppError;
      expect(refused).toMatchObject({ code: 'SOURCE_UNREACHABLE' });
      expect(refused.message).toContain("does not offer TLS, but this source's TLS mode is require");
    });
  });

  describe.skipIf(mysqlSkip !== null)('MySQL/MariaDB', () => {
    const relay = relayTo(mysqlEnv.port);

    it('asks for TLS once, then connects in plain at once; a wrong password is still an authentication failure', async () => {
      const target = { host: '127.0.0.1', port: relay.port, user: mysqlEnv.user, password: mysqlEnv.password || undefined, tlsMode: 'prefer' as const };
      const first = await connectMysql(target);
      expect((await first.query('SELECT 1 AS n'))[0]).toEqual([{ n: 1 }]);
      await first.end();
      expect(relay.connections()).toBe(2);
      for (let i = 0; i < 3; i++) await (await connectMysql(target)).end();
      expect(relay.connections()).toBe(5);
      const denied = (await connectMysql({ ...target, user: 'vd_no_such_user', password: 'wrong' }).catch((e: unknown) => e)) as AppError;
      expect(denied).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    });
  });
});

describe('how long a declined TLS is remembered', () => {
  it('a few minutes, per product and endpoint', () => {
    const now = Date.now();
    rememberTlsDeclined('postgres', 'db.example', 6543, now);
    expect(tlsDeclinedLately('postgres', 'db.example', 6543, now + 60_000)).toBe(true);
    expect(tlsDeclinedLately('mysql', 'db.example', 6543, now + 60_000)).toBe(false);
    expect(tlsDeclinedLately('postgres', 'db.example', 6544, now + 60_000)).toBe(false);
    expect(tlsDeclinedLately('postgres', 'db.example', 6543, now + 5 * 60_000)).toBe(false);
  });
});

describe('a server remembered as declining TLS', () => {
  // The decision alone: what a driver's refusals say is stood in for by the errors below (a real server follows).
  const requiresTls = new Error('no pg_hba.conf entry for host "127.0.0.1", no encryption');
  const wrongPassword = new Error('password authentication failed');
  const attempt = (plain: () => Promise<string>, tried: string[]): Promise<string> =>
    connectWithTlsMode({
      product: 'postgres',
      host: 'tls.example',
      port: 5433,
      mode: 'prefer',
      tls: async () => {
        tried.push('tls');
        return 'tls';
      },
      plain: async () => {
        tried.push('plain');
        return plain();
      },
      declined: () => false,
      mayRequireTls: (error) => error === requiresTls,
      mapError: (error) => new AppError('SOURCE_AUTH_FAILED', (error as Error).message),
    });

  it('that now requires it: asked in plain, refused, then asked with TLS, and no longer remembered', async () => {
    rememberTlsDeclined('postgres', 'tls.example', 5433);
    const tried: string[] = [];
    await expect(attempt(() => Promise.reject(requiresTls), tried)).resolves.toBe('tls');
    expect(tried).toEqual(['plain', 'tls']);
    expect(tlsDeclinedLately('postgres', 'tls.example', 5433)).toBe(false);
  });

  it('refused in plain for another reason: that error, no TLS attempt, and still remembered', async () => {
    rememberTlsDeclined('postgres', 'tls.example', 5433);
    const tried: string[] = [];
    await expect(attempt(() => Promise.reject(wrongPassword), tried)).rejects.toMatchObject({ code: 'SOURCE_AUTH_FAILED', message: 'password authentication failed' });
    expect(tried).toEqual(['plain']);
    expect(tlsDeclinedLately('postgres', 'tls.example', 5433)).toBe(true);
    forgetTlsDeclined('postgres', 'tls.example', 5433);
  });
});

describe('TLS mode disable, refused', () => {
  const requiresTls = new Error('no pg_hba.conf entry for host "127.0.0.1", no encryption');
  const attempt = (refusal: Error, probe: () => Promise<void>, tried: string[]): Promise<string> =>
    connectWithTlsMode({
      product: 'postgres',
      host: 'plain.example',
      port: 5433,
      mode: 'disable',
      // In mode disable the driver's "tls" attempt is plain.
      tls: async () => {
        tried.push('plain');
        throw refusal;
      },
      plain: async () => 'plain',
      declined: () => false,
      mayRequireTls: (error) => error === requiresTls,
      mapError: (error) => new AppError('SOURCE_AUTH_FAILED', (error as Error).message),
      probeTls: async () => {
        tried.push('probe');
        await probe();
        return { close: async () => void tried.push('closed') };
      },
      tlsRequired: () => new AppError('SOURCE_AUTH_FAILED', 'takes this login only over TLS'),
    });

  it('in a way that may mean TLS: one connection with TLS, closed at once; taken, it says so', async () => {
    const tried: string[] = [];
    await expect(attempt(requiresTls, async () => undefined, tried)).rejects.toMatchObject({ message: 'takes this login only over TLS' });
    expect(tried).toEqual(['plain', 'probe', 'closed']);
  });

  it('in a way that may mean TLS, and refused with TLS too: the plain refusal stands', async () => {
    const tried: string[] = [];
    await expect(attempt(requiresTls, () => Promise.reject(new Error('no TLS here')), tried)).rejects.toMatchObject({ message: requiresTls.message });
    expect(tried).toEqual(['plain', 'probe']);
  });

  it('that the driver does not check (its probe answers null): that refusal', async () => {
    const refused = connectWithTlsMode({
      product: 'mysql',
      host: 'plain.example',
      port: 3307,
      mode: 'disable',
      tls: () => Promise.reject(requiresTls),
      plain: async () => 'plain',
      declined: () => false,
      mayRequireTls: () => true,
      mapError: (error) => new AppError('SOURCE_AUTH_FAILED', (error as Error).message),
      probeTls: async () => null,
      tlsRequired: () => new AppError('SOURCE_AUTH_FAILED', 'takes this login only over TLS'),
    });
    await expect(refused).rejects.toMatchObject({ message: requiresTls.message });
  });

  it('for another reason: that refusal, and no TLS connection', async () => {
    const tried: string[] = [];
    await expect(attempt(new Error('password authentication failed'), async () => undefined, tried)).rejects.toMatchObject({ message: 'password authentication failed' });
    expect(tried).toEqual(['plain']);
  });
});

describe.skipIf(shouldSkip('a private PostgreSQL server and openssl', privatePostgresUnavailable() ?? probeCommand('openssl', ['version'])))('a PostgreSQL server that starts to require TLS', () => {
  let server: PrivatePostgres;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const sslOf = async (client: pg.Client): Promise<boolean> => (await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]!.ssl;

  it('is asked in plain while remembered as declining, refuses, and is then connected to with TLS; require connects too', async () => {
    const target = { host: server.host, port: server.port, user: server.user, password: undefined, tlsMode: 'prefer' as const };
    const plain = await connectPostgres(target, 'postgres');
    expect(await sslOf(plain)).toBe(false);
    await plain.end();
    expect(tlsDeclinedLately('postgres', server.host, server.port)).toBe(true);

    server.requireTls();
    const tls = await connectPostgres(target, 'postgres');
    expect(await sslOf(tls)).toBe(true);
    await tls.end();
    expect(tlsDeclinedLately('postgres', server.host, server.port)).toBe(false);
    const required = await connectPostgres({ ...target, tlsMode: 'require' }, 'postgres');
    expect(await sslOf(required)).toBe(true);
    await required.end();
  });
});

describe.skipIf(shouldSkip('a private MariaDB server and openssl', privateMariadbUnavailable() ?? probeCommand('openssl', ['version'])))('a MariaDB server that starts to require TLS', () => {
  let server: PrivateMariadb;

  beforeAll(async () => {
    server = await startPrivateMariadb();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const cipherOf = async (connection: Awaited<ReturnType<typeof connectMysql>>): Promise<string> => {
    const [rows] = await connection.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    return String((rows as { Value: unknown }[])[0]!.Value);
  };

  it('is asked in plain while remembered as declining, refuses (as "Access denied"), and is then connected to with TLS; require connects too', async () => {
    const target = { host: server.host, port: server.port, user: server.user, password: server.password, tlsMode: 'prefer' as const };
    const plain = await connectMysql(target);
    expect(await cipherOf(plain)).toBe('');
    await plain.end();
    expect(tlsDeclinedLately('mysql', server.host, server.port)).toBe(true);

    await server.requireTls();
    const tls = await connectMysql(target);
    expect(await cipherOf(tls)).not.toBe('');
    await tls.end();
    expect(tlsDeclinedLately('mysql', server.host, server.port)).toBe(false);
    const required = await connectMysql({ ...target, tlsMode: 'require' });
    expect(await cipherOf(required)).not.toBe('');
    await required.end();
  });
});
