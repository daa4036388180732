import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { generateIdentity } from 'age-encryption';
import { callBridge } from './fixtures/bridge-api';
import { dropMysqlDatabases, MY, mysqlCount, mysqlQuery, mysqlTables, requireMysql } from './fixtures/mysql';
import { keepScreenshot, runToSuccess } from './fixtures/runs';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';

test('a MariaDB backup holding a view replaces an existing database with tables, view and all, and restores into an empty one and into a new one', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(180_000);
  const keep = (name: string): Promise<void> => keepScreenshot(page, testInfo, name);
  const suffix = randomBytes(4).toString('hex');
  const db = `e2e_shop_${suffix}`;
  const full = `e2e_kept_${suffix}`;
  const empty = `e2e_empty_${suffix}`;
  const fresh = `e2e_fresh_${suffix}`;
  await requireMysql();
  try {
    await mysqlQuery(
      null,
      `CREATE DATABASE \`${db}\`;
       CREATE TABLE \`${db}\`.orders (id int PRIMARY KEY AUTO_INCREMENT, total decimal(10,2) NOT NULL);
       INSERT INTO \`${db}\`.orders (total) VALUES (10.50), (20.00), (7.25), (99.99), (3.10);
       CREATE VIEW \`${db}\`.recent AS SELECT id, total FROM \`${db}\`.orders WHERE id > 2;
       CREATE DATABASE \`${full}\`;
       CREATE TABLE \`${full}\`.kept (id int PRIMARY KEY, note varchar(40) NOT NULL);
       INSERT INTO \`${full}\`.kept VALUES (1, 'replaced');
       CREATE DATABASE \`${empty}\`;`,
    );
    await page.goto(vaultdesk.url);
    const source = await callBridge(page, 'sources:create', { engine: 'mysql', name: 'shop-maria', host: MY.host, port: MY.port, user: MY.user, database: db });
    const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
    const profile = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team', identity: await generateIdentity() });
    const job = await callBridge(page, 'jobs:create', { name: 'shop-nightly', sourceId: source.id, destinationIds: [destination.id], encryption: 'age', profileId: profile.id });
    await runToSuccess(page, job.id);

    const backups = new BackupsPage(page);
    await backups.show();
    const row = backups.rows(db).first();
    await expect(row).toContainText('complete');
    await row.getByRole('button', { name: /^Restore backup / }).click();
    const wizard = backups.dialog('Restore backup');
    await expect(wizard.getByRole('combobox', { name: 'Restore into source' })).toHaveValue('shop-maria');
    await expect(wizard.getByLabel('Database name')).toHaveValue(db);
    const warning = wizard.getByTestId('replace-warning');

    // An existing database with a table: replaced once confirmed, the backup's view made again in it.
    await wizard.getByLabel('Database name').fill(full);
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(warning).toContainText(`${full} exists and holds 1 table`);
    await expect(warning).toContainText("Views, triggers, routines and events, which MySQL/MariaDB cannot move between databases, are dropped and the backup's made again right after the tables are swapped in.");
    await expect(wizard.getByRole('button', { name: 'Replace and restore' })).toBeDisabled();
    await keep('mysql-replace-with-view');
    await wizard.getByLabel(`Replace ${full} on shop-maria`).check();
    await wizard.getByRole('button', { name: 'Replace and restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(wizard).toContainText(`the backup's (1 view) made in ${full} right after its tables were swapped in`);
    expect(await mysqlTables(full)).toEqual([
      { name: 'orders', type: 'BASE TABLE' },
      { name: 'recent', type: 'VIEW' },
    ]);
    expect(await mysqlCount(full, 'recent')).toBe(3);
    await wizard.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(wizard).toBeHidden();

    // An existing but empty database: nothing to replace, the copy takes its place, view and all.
    await row.getByRole('button', { name: /^Restore backup / }).click();
    await wizard.getByLabel('Database name').fill(empty);
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard).toContainText(`${empty} exists and holds no tables: the restored copy takes its place.`);
    await expect(warning).toHaveCount(0);
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await keep('mysql-restore-into-empty');
    expect(await mysqlTables(empty)).toEqual([
      { name: 'orders', type: 'BASE TABLE' },
      { name: 'recent', type: 'VIEW' },
    ]);
    await wizard.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(wizard).toBeHidden();

    // A new name: created, restored, with its rows and its view.
    await row.getByRole('button', { name: /^Restore backup / }).click();
    await wizard.getByLabel('Database name').fill(fresh);
    await expect(wizard.getByRole('textbox', { name: 'Parallel restore' })).toHaveValue('');
    await wizard.getByRole('textbox', { name: 'Parallel restore' }).fill('3');
    await keep('mysql-restore-parallel-field');
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard).toContainText(`${fresh} does not exist yet: it is created.`);
    await expect(wizard.getByRole('table', { name: 'What will be restored' })).toContainText('3 mysql clients loading the rows at once into the database the restore creates');
    await expect(warning).toHaveCount(0);
    await keep('mysql-restore-review');
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(wizard.getByRole('table', { name: `Row counts of ${fresh}` }).getByRole('row').filter({ hasText: 'orders' })).toContainText('5');
    await keep('mysql-restore-result');
    expect(await mysqlCount(fresh, 'orders')).toBe(5);
    expect(await mysqlTables(fresh)).toEqual([
      { name: 'orders', type: 'BASE TABLE' },
      { name: 'recent', type: 'VIEW' },
    ]);
    expect(await mysqlCount(fresh, 'recent')).toBe(3);
  } finally {
    await dropMysqlDatabases([fresh, empty, full, db]);
  }
});
