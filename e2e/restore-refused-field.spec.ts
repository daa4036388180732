import { randomBytes } from 'node:crypto';
import { count, databasesLike, dropDatabases, requirePostgres, sql } from './fixtures/postgres';
import { shopBackup } from './fixtures/shop-backup';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';

test('a database name the core refuses (longer than PostgreSQL allows) is said under the field when the target is checked, before any Review or Start; fixed there, the restore starts and shows its row counts', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  const db = `e2e_ui_refused_${randomBytes(4).toString('hex')}`;
  const copy = `${db}_copy`;
  // 70 bytes: PostgreSQL would cut the name to 63 bytes, so the core refuses it, at the check as at the start.
  const tooLong = `${copy}_`.padEnd(70, 'x');
  await requirePostgres();
  await sql('postgres', `CREATE DATABASE ${db}`);
  try {
    await sql(db, 'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 30);');
    await shopBackup(page, vaultdesk.url, scratchDir, db);

    const backups = new BackupsPage(page);
    const wizard = await backups.openRestore(db);
    const nameField = wizard.getByLabel('Database name');
    await nameField.fill(tooLong);
    await wizard.getByRole('button', { name: 'Check target' }).click();

    // Still on the Target step (a Start refused for a field comes back here the same way), the refusal said under the name it is about, not in an alert.
    await backups.expectFieldError(nameField, `${tooLong} is longer than the 63 bytes PostgreSQL allows for a database name.`);
    await expect(wizard.getByRole('button', { name: 'Check target' })).toBeEnabled();
    await expect(wizard.getByRole('button', { name: 'Start restore' })).toHaveCount(0);
    await expect(wizard.getByRole('alert')).toHaveCount(0);
    expect(await databasesLike(copy)).toEqual([]);

    // Fixed: the error goes as the name is typed, and the restore goes through to its row counts.
    await nameField.fill(copy);
    await expect(nameField).not.toHaveAttribute('aria-invalid', 'true');
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard).toContainText(`${copy} does not exist yet: it is created.`);
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(wizard.getByRole('table', { name: `Row counts of ${copy}` }).getByRole('row').filter({ hasText: 'public.orders' })).toContainText('30');
    expect(await count(copy, 'orders')).toBe(30);
    expect(await databasesLike(copy)).toEqual([copy]);
  } finally {
    await dropDatabases([db, copy]);
  }
});
