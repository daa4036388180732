import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreDto } from '../../../shared/domain/restores';
import type { Core } from '../create-core';
import { watchDescendants } from '../testing/child-processes';
import { createMysqlDatabase, dropMysqlDatabase, probeMysql, scratchName, withMysql } from '../testing/db-fixtures';
import { backUp, backupIdOfRun, drillAndWait, mysqlDatabases, restoreAndWait } from '../testing/restore-fixtures';
import { mysqlEnv, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('MariaDB', await probeMysql());

/** Quotes, a backslash, a hash and spaces: what an option file or a command line would mangle. */
const PASSWORD = `it's a "pass#word" \\ with spaces`;
const TOOLS = ['mariadb-dump', 'mysqldump', 'mariadb', 'mysql'];

/** The shared server's root has no password: a source with one, as a DBA's would be, on a user of its own. */
describe.skipIf(skip)('a MariaDB user with a password', { timeout: 120_000 }, () => {
  const t = tempDir('vaultdesk-restore-mysql-password-');
  const user = scratchName('pw').slice(0, 32);
  const shop = scratchName('rpw_shop');
  const copy = scratchName('rpw_copy');
  const refused = scratchName('rpw_refused');
  let core: Core;
  let sourceId: string;
  let destinationId: string;

  beforeAll(async () => {
    await createMysqlDatabase(shop);
    await withMysql(shop, async (c) => {
      await c.query('CREATE TABLE orders (id INT PRIMARY KEY, label VARCHAR(100)) ENGINE=InnoDB');
      await c.query('INSERT INTO orders VALUES ?', [Array.from({ length: 300 }, (_, i) => [i, `order ${i}`])]);
      await c.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, PASSWORD]);
      await c.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'%'`, [user]);
    });
    core = await tempCore(t.dir);
    sourceId = (await core.call('sources:create', { engine: 'mysql', name: 'maria', host: mysqlEnv.host, port: mysqlEnv.port, user, password: PASSWORD, database: shop })).id;
    destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') })).id;
  });
  afterAll(async () => {
    core?.close();
    for (const database of [shop, copy, refused]) await dropMysqlDatabase(database);
    await withMysql(undefined, (c) => c.query(`DROP USER IF EXISTS ?@'%'`, [user]));
    t.cleanup();
  });

  it('backs up, restores through two clients and drills with the password, never in a command line; a wrong one is said, and nothing is made', async () => {
    const job = await core.call('jobs:create', { name: 'shop', sourceId, destinationIds: [destinationId], encryption: 'none' });
    const watch = watchDescendants(TOOLS);
    let restored: RestoreDto;
    let drill: RestoreDto;
    let backupId: string;
    try {
      backupId = backupIdOfRun(await backUp(core, job.id), destinationId);
      restored = await restoreAndWait(core, { backupId, database: copy, jobs: 2 });
      drill = await drillAndWait(core, { backupId });
    } finally {
      const seen = watch.stop();
      expect(seen.length).toBeGreaterThanOrEqual(3);
      for (const p of seen) expect(p.argv.join(' ')).not.toContain(PASSWORD);
      for (const p of seen) expect(p.environ.join('\n')).not.toContain(PASSWORD);
    }
    expect(restored.error, JSON.stringify(restored.error)).toBeNull();
    expect(restored.databases[0]!.tables).toEqual([{ schema: null, table: 'orders', rows: 300 }]);
    expect(await withMysql(copy, async (c) => (await c.query('SELECT count(*) AS n FROM orders'))[0])).toEqual([{ n: 300 }]);
    expect(drill.status, JSON.stringify(drill.error)).toBe('succeeded');

    const wrong = 'a wrong "password"';
    await core.call('sources:update', { id: sourceId, password: wrong });
    const tested = await core.call('sources:test', { id: sourceId }).catch((e: unknown) => e as { code: string; message: string });
    expect(tested).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    expect(tested.message).toContain(user);
    expect(tested.message).not.toContain(wrong);
    const failed = await core.runService.start(job.id, 'manual').finished;
    expect(failed.error).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    expect(failed.objects).toEqual([]);
    expect(JSON.stringify(failed)).not.toContain(wrong);
    // Only this test's names: other test files share the server and create databases meanwhile.
    const ours = async (): Promise<string[]> => (await mysqlDatabases()).filter((d) => d.startsWith(refused) || d.startsWith(shop));
    expect(await ours()).toEqual([shop]);
    const refusal = await restoreAndWait(core, { backupId, database: refused }).catch((e: unknown) => e as { code: string; message: string });
    expect('databases' in refusal ? refusal.error : refusal).toMatchObject({ code: 'SOURCE_AUTH_FAILED' });
    expect(JSON.stringify(refusal)).not.toContain(wrong);
    expect(await ours()).toEqual([shop]);
  });
});
