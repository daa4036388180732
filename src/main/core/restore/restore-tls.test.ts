import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/ipc/result';
import type { Core } from '../create-core';
import { privateMariadbUnavailable, startPrivateMariadb, type PrivateMariadb } from '../testing/private-mariadb';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../testing/private-postgres';
import { backUp, backupIdOfRun, restoreAndWait } from '../testing/restore-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

/**
 * The dump and restore tools reach a server that accepts TLS connections only: they are given
 * the source's TLS mode (PGSSLMODE, the MariaDB client's --ssl flags), and a plain connection
 * would be refused, so a backup that restores proves both tools and the driver spoke TLS.
 */
const openssl = probeCommand('openssl', ['version']);

/** A core with an age profile and a local folder, `source`, and a job backing it up there (zstd, age). */
async function coreFor(dir: string, source: Record<string, unknown>): Promise<{ core: Core; jobId: string; destinationId: string }> {
  const core = await tempCore(dir);
  const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
  const created = await core.call('sources:create', source as never);
  const destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(dir, 'backups') })).id;
  const job = await core.call('jobs:create', { name: 'nightly', sourceId: created.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'age', profileId: profile.id });
  return { core, jobId: job.id, destinationId };
}

describe.skipIf(shouldSkip('a private PostgreSQL server, openssl and pg_restore', privatePostgresUnavailable() ?? openssl ?? probeCommand('pg_restore')))(
  'a PostgreSQL server that accepts TLS connections only',
  { timeout: 120_000 },
  () => {
    const t = tempDir('vaultdesk-restore-tls-pg-');
    let server: PrivatePostgres;
    let setup: Awaited<ReturnType<typeof coreFor>>;

    const sql = <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => server.sql<T>(database, text);

    beforeAll(async () => {
      server = await startPrivatePostgres();
      server.requireTls();
      await sql('postgres', 'CREATE DATABASE shop');
      await sql('shop', "CREATE TABLE orders (id int PRIMARY KEY, label text); INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 300) g");
      setup = await coreFor(t.dir, { engine: 'postgres', name: 'tls-only', host: server.host, port: server.port, user: server.user, database: 'shop', tlsMode: 'require' });
    });

    afterAll(async () => {
      setup?.core.close();
      await server?.stop();
      t.cleanup();
    });

    it('is backed up with pg_dump and restored with pg_restore into a new database, every row there', async () => {
      const run = await backUp(setup.core, setup.jobId);
      const done = await restoreAndWait(setup.core, { backupId: backupIdOfRun(run, setup.destinationId), database: 'shop_copy' });
      expect(done.error).toBeNull();
      expect(done.databases[0]!.tables).toEqual([{ schema: 'public', table: 'orders', rows: 300 }]);
      expect(await sql<{ n: string; last: string }>('shop_copy', 'SELECT count(*) AS n, max(label) AS last FROM orders')).toEqual([{ n: '300', last: 'order 99' }]);
    });

    it('tells a source whose TLS mode is disable that the server takes its login only over TLS', async () => {
      const plain = await setup.core.call('sources:create', { engine: 'postgres', name: 'plain', host: server.host, port: server.port, user: server.user, database: 'shop', tlsMode: 'disable' });
      const refused = (await setup.core.call('sources:test', { id: plain.id }).catch((e: unknown) => e)) as AppError;
      expect(refused.code).toBe('SOURCE_AUTH_FAILED');
      expect(refused.message).toBe(
        `PostgreSQL at ${server.host}:${server.port} as user ${server.user} takes this login only over TLS, and this source's TLS mode is disable. Set its TLS mode to prefer or require, and test it again.`,
      );
    });
  },
);

describe.skipIf(shouldSkip('a private MariaDB server, openssl and the mariadb client tools', privateMariadbUnavailable() ?? openssl ?? probeCommand('mariadb-dump')))(
  'a MariaDB server that accepts TLS connections only',
  { timeout: 120_000 },
  () => {
    const t = tempDir('vaultdesk-restore-tls-maria-');
    let server: PrivateMariadb;
    let setup: Awaited<ReturnType<typeof coreFor>>;

    beforeAll(async () => {
      server = await startPrivateMariadb();
      await server.requireTls();
      server.sql(
        "CREATE DATABASE shop; USE shop; CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(40)); INSERT INTO orders SELECT seq, CONCAT('order ', seq) FROM seq_1_to_300; CREATE VIEW recent AS SELECT id FROM orders WHERE id > 290;",
      );
      setup = await coreFor(t.dir, { engine: 'mysql', name: 'tls-only', host: server.host, port: server.port, user: server.user, password: server.password, database: 'shop', tlsMode: 'require' });
    });

    afterAll(async () => {
      setup?.core.close();
      await server?.stop();
      t.cleanup();
    });

    it('is backed up with mariadb-dump and restored with the mariadb client into a new database, rows and view there', async () => {
      const run = await backUp(setup.core, setup.jobId);
      const done = await restoreAndWait(setup.core, { backupId: backupIdOfRun(run, setup.destinationId), database: 'shop_copy', jobs: 2 });
      expect(done.error).toBeNull();
      expect(done.databases[0]!.tables).toEqual([{ schema: null, table: 'orders', rows: 300 }]);
      expect(server.sql("SELECT COUNT(*), MAX(label) FROM shop_copy.orders; SELECT COUNT(*) FROM shop_copy.recent;")).toBe('300\torder 99\n10\n');
      // The session the test reads through is encrypted too: the server takes no other.
      const client = await mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password, ssl: { rejectUnauthorized: false } });
      try {
        const [rows] = await client.query<mysql.RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
        expect(String(rows[0]!.Value)).not.toBe('');
      } finally {
        await client.end();
      }
    });

    it('tells a source whose TLS mode is disable that the server takes its login only over TLS, where MariaDB says only "Access denied"; a wrong password stays a wrong password', async () => {
      const source = { engine: 'mysql' as const, host: server.host, port: server.port, user: server.user, database: 'shop', tlsMode: 'disable' as const };
      const test = async (name: string, password: string): Promise<AppError> => {
        const created = await setup.core.call('sources:create', { ...source, name, password });
        return (await setup.core.call('sources:test', { id: created.id }).catch((e: unknown) => e)) as AppError;
      };
      const plain = await test('plain', server.password);
      expect(plain.code).toBe('SOURCE_AUTH_FAILED');
      expect(plain.message).toBe(
        `MySQL/MariaDB at ${server.host}:${server.port} as user ${server.user} takes this login only over TLS, and this source's TLS mode is disable. Set its TLS mode to prefer or require, and test it again.`,
      );
      const wrong = await test('plain-wrong-password', 'not-the-password');
      expect(wrong.code).toBe('SOURCE_AUTH_FAILED');
      expect(wrong.message).toContain('refused the login: Access denied');
    });
  },
);
