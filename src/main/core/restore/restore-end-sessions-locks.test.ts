import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core';
import { privateMariadbUnavailable, startPrivateMariadb, type PrivateMariadb } from '../testing/private-mariadb';
import { backUp, backupIdOfRun, restoreAndWait } from '../testing/restore-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

/**
 * --end-sessions on MySQL/MariaDB finds a connection that holds the target's tables from another
 * current database through the server's metadata lock views. Each needs a setting of the whole
 * server (performance_schema is a start option; the metadata_lock_info plugin is installed), so
 * a private server of this test's own has them, not the shared one.
 */
describe.skipIf(shouldSkip('a private MariaDB server and the mariadb client tools', privateMariadbUnavailable() ?? probeCommand('mariadb-dump')))(
  'a restore that ends the sessions holding its target from another database',
  { timeout: 180_000 },
  () => {
    const t = tempDir('vaultdesk-end-sessions-locks-');
    let server: PrivateMariadb;
    let core: Core;
    let backupId: string;

    beforeAll(async () => {
      server = await startPrivateMariadb(['--performance-schema=ON', '--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON']);
      server.sql("CREATE DATABASE shop; CREATE DATABASE app; USE shop; CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(40)) ENGINE=InnoDB; INSERT INTO orders SELECT seq, CONCAT('order ', seq) FROM seq_1_to_30;");
      core = await tempCore(t.dir);
      const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
      const source = await core.call('sources:create', { engine: 'mysql', name: 'private', host: server.host, port: server.port, user: server.user, password: server.password, database: 'shop' });
      const destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') })).id;
      const job = await core.call('jobs:create', { name: 'nightly', sourceId: source.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'age', profileId: profile.id });
      backupId = backupIdOfRun(await backUp(core, job.id), destinationId);
    });

    afterAll(async () => {
      core?.close();
      await server?.stop();
      t.cleanup();
    });

    /** While a connection whose current database is `app` holds shop.orders in an open transaction (a changed row), replaces shop; the holder must be gone after. */
    async function replaceWhileHeldFromApp(): Promise<string[]> {
      const holder = await mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'app' });
      // Killed, the connection says so with an 'error' event, which must not end the test process.
      holder.on('error', () => undefined);
      try {
        await holder.query('START TRANSACTION');
        await holder.query("UPDATE shop.orders SET label = 'uncommitted' WHERE id = 1");
        const done = await restoreAndWait(core, { backupId, database: 'shop', force: true, endSessions: true });
        expect(done.error).toBeNull();
        expect(await holder.query('SELECT 1').then(() => 'still there', () => 'ended')).toBe('ended');
        return done.databases[0]!.notes;
      } finally {
        holder.destroy();
      }
    }

    it('performance_schema.metadata_locks (as on MySQL 8) names the holder: it is ended, the copy goes in, its change rolled back', async () => {
      expect(server.sql("SELECT ENABLED FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl'")).toBe('YES\n');
      expect(await replaceWhileHeldFromApp()).toContain('Ended 1 other session connected to shop before replacing it.');
      expect(server.sql("SELECT COUNT(*), MIN(label) FROM shop.orders")).toBe('30\torder 1\n');
    });

    it("MariaDB's METADATA_LOCK_INFO names it when performance_schema does not", async () => {
      server.sql("UPDATE performance_schema.setup_instruments SET ENABLED = 'NO' WHERE NAME = 'wait/lock/metadata/sql/mdl'; INSTALL SONAME 'metadata_lock_info';");
      expect(await replaceWhileHeldFromApp()).toContain('Ended 1 other session connected to shop before replacing it.');
      expect(server.sql("SELECT COUNT(*), MIN(label) FROM shop.orders")).toBe('30\torder 1\n');
    });

    it('with neither, the holder is not found: the swap gives up, says why and what to turn on, and shop is left as it was', async () => {
      server.sql("UNINSTALL SONAME 'metadata_lock_info';");
      const holder = await mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'app' });
      try {
        await holder.query('START TRANSACTION');
        await holder.query("SELECT * FROM shop.orders WHERE id = 1");
        const done = await restoreAndWait(core, { backupId, database: 'shop', force: true, endSessions: true });
        expect(done.error?.code).toBe('RESTORE_FAILED');
        expect(done.error?.message).toMatch(/^Database shop on .* is in use: a session still holds a lock on its tables after the restore ended those it could find .* A connection holding them from another current database is not shown by a server without performance_schema's metadata locks .* or MariaDB's metadata_lock_info plugin: turn one on/);
        // The holder's transaction goes on: nothing ended it.
        expect(await holder.query('SELECT COUNT(*) AS n FROM shop.orders').then(([rows]) => (rows as { n: number }[])[0]!.n)).toBe(30);
        await holder.query('COMMIT');
      } finally {
        await holder.end();
      }
      expect(server.sql("SELECT GROUP_CONCAT(SCHEMA_NAME ORDER BY SCHEMA_NAME) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys')")).toBe('app,shop\n');
    });
  },
);
