import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expectAccessible } from './fixtures/axe';
import { callBridge } from './fixtures/bridge-api';
import { count, databasesLike, dropDatabases, PG, requirePostgres, sql } from './fixtures/postgres';
import { keepScreenshot, runToSuccess } from './fixtures/runs';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';
import { RecoveryPage } from './pages/recovery-page';

/** Creates the test's databases, or skips the test when the PostgreSQL server is not there. */
async function createDatabases(names: string[]): Promise<void> {
  await requirePostgres();
  for (const name of names) await sql('postgres', `CREATE DATABASE ${name}`);
}

/** A PostgreSQL server source, a local destination and a job over `databases`, run once to success. */
async function backUp(page: Page, scratchDir: string, databases: string[], sourceName = 'pg-server'): Promise<{ sourceId: string }> {
  const source = await callBridge(page, 'sources:create', { engine: 'postgres', name: sourceName, host: PG.host, port: PG.port, user: PG.user, allDatabases: true });
  const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
  const job = await callBridge(page, 'jobs:create', { name: 'run-restore', sourceId: source.id, databases, destinationIds: [destination.id] });
  await runToSuccess(page, job.id, 180_000);
  return { sourceId: source.id };
}

test('every database of a run restored through the wizard under their own names after both were dropped, in parallel, with their row counts', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(240_000);
  const tag = randomBytes(4).toString('hex');
  const crm = `e2e_run_${tag}_crm`;
  const shop = `e2e_run_${tag}_shop`;
  try {
    await createDatabases([crm, shop]);
    await sql(crm, "CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people SELECT g, 'person ' || g FROM generate_series(1, 12) g;");
    await sql(
      shop,
      `CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 25) g;
       CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id)); INSERT INTO orders SELECT g, 1 + g % 25 FROM generate_series(1, 40) g;`,
    );
    await page.goto(vaultdesk.url);
    await backUp(page, scratchDir, [shop, crm]);

    const backups = new BackupsPage(page);
    await backups.show();
    const row = backups.rows(shop).first();
    await expect(row).toContainText('complete');
    const wizard = backups.dialog('Restore backup');
    const every = wizard.getByRole('radio', { name: `Every database of its run (2: ${crm}, ${shop})` });

    // While both still hold their tables: each is named, and replacing them needs an explicit yes.
    await row.getByRole('button', { name: /^Restore backup / }).click();
    await expect(wizard.getByRole('radio', { name: `This database (${shop})` })).toBeChecked();
    await expect(wizard.getByLabel('Database name')).toHaveValue(shop);
    await every.check();
    await expect(wizard.getByLabel('Database name')).toHaveCount(0);
    // A run of an include list dumps no roles: nothing to offer.
    await expect(wizard.getByRole('checkbox', { name: 'Also restore the roles (globals)' })).toHaveCount(0);
    await expect(wizard.getByRole('textbox', { name: 'Parallel restore' })).toHaveValue('');
    await expectAccessible(page, testInfo, 'restore wizard, every database of a run');
    await keepScreenshot(page, testInfo, 'run-restore-target');
    await wizard.getByRole('button', { name: 'Check target' }).click();
    const targets = wizard.getByRole('table', { name: 'Target databases' });
    await expect(targets.getByRole('row').filter({ hasText: crm })).toContainText('Holds 1 table: replaced');
    await expect(targets.getByRole('row').filter({ hasText: shop })).toContainText('Holds 2 tables: replaced');
    await expect(wizard.getByTestId('replace-warning')).toContainText(`${crm}, ${shop} exist and hold tables`);
    await expect(wizard.getByRole('button', { name: 'Replace and restore' })).toBeDisabled();
    await expect(wizard.getByRole('checkbox', { name: `Replace ${crm}, ${shop} on pg-server` })).not.toBeChecked();
    await expectAccessible(page, testInfo, 'restore wizard, review of a run');
    await keepScreenshot(page, testInfo, 'run-restore-replace-confirmation');
    await wizard.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(wizard).toBeHidden();

    // Both gone: the wizard brings them back under their own names, with three pg_restore each.
    await dropDatabases([crm, shop]);
    expect(await databasesLike(`e2e_run_${tag}_`)).toEqual([]);
    await row.getByRole('button', { name: /^Restore backup / }).click();
    await every.check();
    await wizard.getByRole('textbox', { name: 'Parallel restore' }).fill('3');
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(targets.getByRole('row').filter({ hasText: crm })).toContainText('Does not exist yet: it is created');
    await expect(targets.getByRole('row').filter({ hasText: shop })).toContainText('Does not exist yet: it is created');
    await expect(wizard.getByRole('table', { name: 'What will be restored' })).toContainText(`2 databases on pg-server, each under its own name`);
    await expect(wizard.getByRole('table', { name: 'What will be restored' })).toContainText('3 pg_restore processes loading the rows at once into the database the restore creates');
    await expect(wizard.getByTestId('replace-warning')).toHaveCount(0);
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 120_000 });
    await expect(wizard.getByRole('table', { name: `Row counts of ${crm}` }).getByRole('row').filter({ hasText: 'public.people' })).toContainText('12');
    const shopCounts = wizard.getByRole('table', { name: `Row counts of ${shop}` });
    await expect(shopCounts.getByRole('row').filter({ hasText: 'public.customers' })).toContainText('25');
    await expect(shopCounts.getByRole('row').filter({ hasText: 'public.orders' })).toContainText('40');
    await keepScreenshot(page, testInfo, 'run-restore-result');
    expect(await databasesLike(`e2e_run_${tag}_`)).toEqual([crm, shop]);
    expect([await count(crm, 'people'), await count(shop, 'customers'), await count(shop, 'orders')]).toEqual([12, 25, 40]);
  } finally {
    await dropDatabases([crm, shop]);
  }
});

test('a drill compares its row counts with the source picked in the dialog', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(180_000);
  const db = `e2e_drill_${randomBytes(4).toString('hex')}`;
  try {
    await createDatabases([db]);
    await sql(db, 'CREATE TABLE tickets (id int PRIMARY KEY); INSERT INTO tickets SELECT generate_series(1, 7);');
    await page.goto(vaultdesk.url);
    await backUp(page, scratchDir, [db]);
    // A second source on the same server, under another name: the drill must say it compared with this one.
    await callBridge(page, 'sources:create', { engine: 'postgres', name: 'pg-mirror', host: PG.host, port: PG.port, user: PG.user, database: 'postgres' });

    const backups = new BackupsPage(page);
    await backups.show();
    await backups.act(backups.rows(db).first(), 'Restore drill');
    const drill = backups.dialog('Restore drill');
    const compare = drill.getByRole('combobox', { name: 'Compare with source' });
    await expect(compare).toHaveValue('pg-server');
    await backups.choose(drill, 'Compare with source', 'pg-mirror');
    await expect(compare).toHaveValue('pg-mirror');
    await expectAccessible(page, testInfo, 'restore drill with a source to compare with');
    await drill.getByRole('button', { name: 'Start drill' }).click();
    await expect(drill.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(drill.getByRole('region', { name: 'Drill differences' })).toContainText(`The table matches ${db} on "pg-mirror"`);
    // The table compared, with its rows: a header row and its own.
    await expect(drill.getByRole('table', { name: 'Row counts compared' }).getByRole('row')).toHaveCount(2);
    await expect(drill.getByTestId('restore-message')).toContainText(`in ${db} on "pg-mirror" now`);
    // In the history, the drill's copy by what it was, not by its generated name.
    await drill.getByRole('button', { name: 'Close', exact: true }).click();
    const drillId = (await callBridge(page, 'restore:list', { limit: 1 }))[0]!.id;
    await new RecoveryPage(page).show();
    await expect(page.getByTestId(`restore-row-${drillId}`)).toContainText('a scratch copy on pg-server, dropped');
  } finally {
    await dropDatabases([db]);
  }
});

test('Cancel during a restore over a database ends it as cancelled, with the database left as it was and no scratch copy behind', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(300_000);
  const db = `e2e_cancel_${randomBytes(4).toString('hex')}`;
  // Millions of rows: the restore takes seconds, long enough to be cancelled while it runs.
  const ROWS = 4_000_000;
  try {
    await createDatabases([db]);
    await sql(db, `CREATE TABLE events AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, ${ROWS}) g; ALTER TABLE events ADD PRIMARY KEY (id);`);
    await page.goto(vaultdesk.url);
    await backUp(page, scratchDir, [db]);

    const backups = new BackupsPage(page);
    await backups.show();
    await backups.rows(db).first().getByRole('button', { name: /^Restore backup / }).click();
    const wizard = backups.dialog('Restore backup');
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await wizard.getByRole('checkbox', { name: `Replace ${db} on pg-server` }).check();
    await wizard.getByRole('button', { name: 'Replace and restore' }).click();
    const progress = wizard.getByRole('status', { name: 'Restore progress' });
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('cancelled', { timeout: 60_000 });
    await expect(wizard.getByTestId('restore-message')).toContainText('The restore was cancelled');
    await expect(wizard.getByTestId('restore-message')).toContainText(`${db} was left as it was.`);
    await keepScreenshot(page, testInfo, 'restore-cancelled');
    expect(await count(db, 'events')).toBe(ROWS);
    // The fresh copy the restore was writing (DB_vdnew_…) is dropped again.
    expect(await databasesLike(db)).toEqual([db]);
  } finally {
    await dropDatabases([db, ...(await databasesLike(db).catch(() => []))]);
  }
});
