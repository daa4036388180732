import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateIdentity } from 'age-encryption';
import Database from 'better-sqlite3';
import pg from 'pg';
import { callBridge } from './fixtures/bridge-api';
import { ledgerSource } from './fixtures/ledger-source';
import { count, dropDatabases, PG, requirePostgres, sql } from './fixtures/postgres';
import { keepScreenshot, runToSuccess } from './fixtures/runs';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';
import { RecoveryPage } from './pages/recovery-page';

test('a PostgreSQL backup found on the Backups page, restored into a new database through the wizard with its row counts, drilled, and decrypted with a kit on the Recovery page', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(240_000);
  const keep = (name: string): Promise<void> => keepScreenshot(page, testInfo, name);
  const db = `e2e_shop_${randomBytes(4).toString('hex')}`;
  const copy = `${db}_copy`;
  const viewsOnly = `${db}_views`;
  await requirePostgres();
  await sql('postgres', `CREATE DATABASE ${db}`);
  try {
    await sql(
      db,
      `CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
       INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 25) g;
       CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id), total numeric(10,2));
       INSERT INTO orders (customer_id, total) SELECT 1 + g % 25, g * 1.5 FROM generate_series(1, 40) g;`,
    );
    await page.goto(vaultdesk.url);
    const source = await callBridge(page, 'sources:create', { engine: 'postgres', name: 'shop-pg', host: PG.host, port: PG.port, user: PG.user, database: db });
    const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
    const profile = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team', identity: await generateIdentity() });
    const job = await callBridge(page, 'jobs:create', { name: 'shop-nightly', sourceId: source.id, destinationIds: [destination.id], encryption: 'age', profileId: profile.id });
    const run = await runToSuccess(page, job.id);
    const backupFile = run.objects[0]!.destinations[0]!.location!;

    const backups = new BackupsPage(page);
    await backups.show();
    const row = backups.rows(db).first();
    await expect(row).toContainText('complete');
    // The server the dump came from and what a restore creates the database with, from the manifest.
    await expect(row.getByTestId('backup-origin')).toHaveText(/^PostgreSQL \d+(\.\d+)? · encoding \S+, locale \S+/);
    await keep('backups-page');

    // Restore into a new database: checked, created, and its tables counted.
    await row.getByRole('button', { name: /^Restore backup / }).click();
    const wizard = backups.dialog('Restore backup');
    await expect(wizard.getByRole('combobox', { name: 'Restore into source' })).toHaveValue('shop-pg');
    await expect(wizard.getByLabel('Database name')).toHaveValue(db);
    await wizard.getByLabel('Database name').fill(copy);
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard).toContainText(`${copy} does not exist yet: it is created.`);
    // With the backed-up database's encoding and locale, which the manifest recorded.
    await expect(wizard.getByRole('table', { name: 'What will be restored' }).getByRole('row').filter({ hasText: 'Created with' })).toContainText(/encoding UTF8, locale \S+, as the backed-up database had them/);
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    const counts = wizard.getByRole('table', { name: `Row counts of ${copy}` });
    await expect(counts.getByRole('row').filter({ hasText: 'public.customers' })).toContainText('25');
    await expect(counts.getByRole('row').filter({ hasText: 'public.orders' })).toContainText('40');
    expect(await count(copy, 'orders')).toBe(40);
    await keep('restore-result');
    await wizard.getByRole('button', { name: 'Close', exact: true }).click();

    // Into the database it came from, which holds tables: not without an explicit confirmation; an application still connected to it is said too.
    const application = new pg.Client({ ...PG, database: db });
    await application.connect();
    await row.getByRole('button', { name: /^Restore backup / }).click();
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard.getByTestId('replace-warning')).toContainText(`${db} exists and holds 2 tables`);
    await expect(wizard.getByTestId('replace-warning')).toContainText('The database keeps its owner, privileges, settings, connection limit and comment, and stays a template if it is one; its copy is made in its tablespace.');
    await expect(wizard.getByTestId('sessions-warning')).toHaveText(
      `${db} has 1 other session connected now. PostgreSQL cannot replace a database while any session is connected to it: close it (or stop the application using it) before the restore finishes, or it will stop at the swap, leaving ${db} as it was.`,
    );
    await expect(wizard.getByRole('button', { name: 'Replace and restore' })).toBeDisabled();
    const endSessions = wizard.getByLabel('End its sessions at the swap');
    await expect(endSessions).toBeDisabled();
    await wizard.getByLabel(`Replace ${db} on shop-pg`).check();
    await expect(wizard.getByRole('button', { name: 'Replace and restore' })).toBeEnabled();
    await keep('restore-replace-confirmation');
    // The application still connected: asked to, the restore ends its session at the swap instead of stopping there.
    const applicationEnded = new Promise<Error>((resolve) => application.on('error', resolve));
    await endSessions.check();
    await wizard.getByRole('button', { name: 'Replace and restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(wizard).toContainText(`Ended 1 other session connected to ${db} before replacing it.`);
    expect((await applicationEnded).message).toMatch(/terminat/);
    await application.end().catch(() => undefined);
    expect(await count(db, 'orders')).toBe(40);
    await wizard.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(wizard).toBeHidden();

    // A database with no table but a view and a type is not empty either: restoring would drop them.
    await sql('postgres', `CREATE DATABASE ${viewsOnly}`);
    await sql(viewsOnly, "CREATE VIEW answers AS SELECT 42 AS n; CREATE TYPE mood AS ENUM ('ok', 'late')");
    await row.getByRole('button', { name: /^Restore backup / }).click();
    await wizard.getByLabel('Database name').fill(viewsOnly);
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard.getByTestId('replace-warning')).toContainText(`${viewsOnly} exists and holds 1 view and 1 type`);
    await expect(wizard.getByRole('button', { name: 'Replace and restore' })).toBeDisabled();
    await wizard.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(wizard).toBeHidden();

    // Rows written since the backup show up in a drill, table by table.
    await sql(db, 'INSERT INTO orders (customer_id, total) VALUES (1, 10), (2, 20), (3, 30)');
    await backups.act(row, 'Restore drill');
    const drill = backups.dialog('Restore drill');
    await drill.getByRole('button', { name: 'Start drill' }).click();
    await expect(drill.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(drill.getByTestId('restore-message')).toContainText('Drill found differences');
    const differences = drill.getByRole('table', { name: 'Row count differences' }).getByRole('row').filter({ hasText: 'public.orders' });
    await expect(differences.getByRole('cell')).toHaveText(['public.orders', '40', '43', '+3']);
    // A table made since the backup is counted apart from the backup's own.
    await sql(db, 'CREATE TABLE made_since (id int); INSERT INTO made_since VALUES (1)');
    await drill.getByRole('button', { name: 'Close', exact: true }).click();
    await backups.act(row, 'Restore drill');
    const again = backups.dialog('Restore drill');
    await again.getByRole('button', { name: 'Start drill' }).click();
    await expect(again.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(again.getByRole('region', { name: 'Drill differences' }).getByRole('heading')).toHaveText(/^2 tables differ from .*: 1 of the \d+ tables in the backup and 1 table not in it$/);
    await sql(db, 'DROP TABLE made_since');
    await keep('drill-result');
    await again.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(row.getByTestId('backup-drill')).toContainText(/^drill restored .*, counts changed$/);

    // The history, a kit, and the stored file decrypted with it, offline.
    const recovery = new RecoveryPage(page);
    await recovery.show();
    const history = page.getByRole('table', { name: 'Restores' });
    await expect(history.getByRole('row').filter({ hasText: 'drill' })).toHaveCount(2);
    await expect(history.getByRole('row').filter({ hasText: 'drill' }).first()).toContainText('succeeded');
    await expect(history.getByRole('row').filter({ hasText: copy })).toContainText('succeeded');
    // Each again, whole, from the history: the first drill's differences, the restore's row counts.
    await history.getByRole('row').filter({ hasText: 'drill' }).last().getByRole('button', { name: /^Tables and differences of the drill of / }).click();
    const drilled = page.getByRole('dialog', { name: /^Drill of / });
    await expect(drilled.getByRole('table', { name: 'Row count differences' }).getByRole('row').filter({ hasText: 'public.orders' }).getByRole('cell')).toHaveText(['public.orders', '40', '43', '+3']);
    await page.keyboard.press('Escape');
    await expect(drilled).toBeHidden();
    await history.getByRole('row').filter({ hasText: copy }).getByRole('button', { name: /^Tables and rows of the restore of / }).click();
    const restored = page.getByRole('dialog', { name: /^Restore of / });
    await expect(restored.getByRole('table', { name: `Row counts of ${copy}` }).getByRole('row').filter({ hasText: 'public.orders' })).toContainText('40');
    await expect(restored).toContainText('.dump.zst.age at local-disk, by ');
    // Opened all the way (it fades in) before the screenshot.
    await expect(restored).toHaveCSS('opacity', '1');
    await keep('restore-history-details');
    await page.keyboard.press('Escape');
    await expect(restored).toBeHidden();
    const kit = await recovery.exportKit(path.join(scratchDir, 'keys', 'kit.zip'), 'a long kit passphrase, kept apart');
    const out = path.join(scratchDir, 'restore', 'shop.dump');
    await recovery.decrypt({ file: backupFile, identity: kit, passphrase: 'a long kit passphrase, kept apart', out });
    await expect(recovery.decryptSection().getByTestId('decrypt-done')).toContainText('Its sha256 matches the manifest', { timeout: 30_000 });
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('PGDMP');
  } finally {
    await dropDatabases([copy, viewsOnly, db]);
  }
});

test('a SQLite backup restored through the wizard: the source file offered first, a missing folder said in words, a new file holding the rows', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  await page.goto(vaultdesk.url);
  const { file: dbFile, source } = await ledgerSource(page, scratchDir);
  const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
  const job = await callBridge(page, 'jobs:create', { name: 'ledger-nightly', sourceId: source.id, destinationIds: [destination.id] });
  await runToSuccess(page, job.id, 30_000);

  const backups = new BackupsPage(page);
  await backups.show();
  const name = await backups.nameOf(backups.rows('ledger-nightly').first());
  await backups.rows('ledger-nightly').first().getByRole('button', { name: /^Restore backup / }).click();
  const wizard = backups.dialog('Restore backup');
  await expect(wizard.getByLabel('Database file')).toHaveValue(dbFile);
  // A click outside does not close the wizard: a running restore would lose its view.
  await page.mouse.click(5, 5);
  await expect(wizard).toBeVisible();
  await wizard.getByRole('button', { name: 'Check target' }).click();
  await expect(wizard.getByTestId('replace-warning')).toContainText(/holds 1 table(?!s)/);
  await expect(wizard.getByRole('table', { name: 'What will be restored' })).toContainText(name);
  await wizard.getByRole('button', { name: 'Back' }).click();
  // A file in a folder that does not exist: said in words under the field, not in an alert, and nothing is created.
  const nowhere = path.join(scratchDir, 'no-such-folder', 'ledger.db');
  const fileField = wizard.getByLabel('Database file');
  await fileField.fill(nowhere);
  await wizard.getByRole('button', { name: 'Check target' }).click();
  await backups.expectFieldError(fileField, `The folder ${path.dirname(nowhere)} does not exist: create it first, or choose a file in another folder.`);
  await expect(wizard.getByRole('alert')).toHaveCount(0);
  await expect(wizard.getByRole('button', { name: 'Start restore' })).toHaveCount(0);
  expect(existsSync(path.dirname(nowhere))).toBe(false);
  // A folder that is a file: under the field too; typing again clears it.
  await fileField.fill(path.join(dbFile, 'copy.db'));
  await expect(fileField).not.toHaveAttribute('aria-invalid', 'true');
  await wizard.getByRole('button', { name: 'Check target' }).click();
  await backups.expectFieldError(fileField, `${dbFile} is a file, not a folder: choose a file in a folder.`);
  await expect(wizard.getByRole('alert')).toHaveCount(0);
  await wizard.getByLabel('Database file').press('Escape');
  await expect(wizard).toHaveCount(0);

  const restored = path.join(scratchDir, 'ledger-restored.db');
  await backups.rows('ledger-nightly').first().getByRole('button', { name: /^Restore backup / }).click();
  // The wizard fills in the source's own file once it has loaded the sources: typed over only after that.
  await expect(wizard.getByLabel('Database file')).toHaveValue(dbFile);
  await wizard.getByLabel('Database file').fill(restored);
  await wizard.getByRole('button', { name: 'Check target' }).click();
  await expect(wizard).toContainText(`${restored} does not exist yet: it is created (in a folder that exists).`);
  await wizard.getByRole('button', { name: 'Start restore' }).click();
  await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
  await expect(wizard.getByRole('table', { name: `Row counts of ${restored}` }).getByRole('row').filter({ hasText: 'entries' })).toContainText('3');
  const copy = new Database(restored, { readonly: true });
  try {
    expect(copy.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(3);
  } finally {
    copy.close();
  }
});
