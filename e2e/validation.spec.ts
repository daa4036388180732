import path from 'node:path';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { DestinationsPage } from './pages/destinations-page';
import { SourcesPage } from './pages/sources-page';

test('a destination name of 2 characters is refused under the Name field and nothing is created', async ({ page, vaultdesk }) => {
  const destinations = new DestinationsPage(page);
  await destinations.open(vaultdesk.url);
  await destinations.show();
  const dialog = await destinations.fillLocal('ab', path.join(vaultdesk.dataDir, 'backups'));
  await dialog.getByRole('button', { name: 'Add destination' }).click();

  const name = dialog.getByLabel('Name', { exact: true });
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/Must be 3-30 characters/);
  await expect(dialog).toBeVisible();
  // The folder was fine: only the name is marked.
  await expect(dialog.getByLabel('Folder', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('No destinations yet.')).toBeVisible();
  const listed = await page.evaluate(() => window.vaultdesk.destinations.list({}));
  expect(listed).toEqual({ ok: true, data: [] });
});

test('a taken source name is shown under the Name field', async ({ page, vaultdesk }) => {
  const sources = new SourcesPage(page);
  await sources.open(vaultdesk.url);
  await sources.addServerSource({ engine: 'PostgreSQL', name: 'warehouse', host: '127.0.0.1', user: 'postgres', database: 'dw' });
  await page.getByRole('button', { name: 'Add source' }).click();
  const dialog = sources.dialog('Add source');
  await sources.fill(dialog, 'Name', 'Warehouse');
  await sources.fill(dialog, 'User', 'postgres');
  await sources.fill(dialog, 'Database', 'dw2');
  await dialog.getByRole('button', { name: 'Add source' }).click();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/A source named "Warehouse" already exists/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(sources.page.getByRole('table', { name: 'Sources' }).getByRole('row')).toHaveCount(2);
});

test('a port out of range is said under the Port field as typed, not changed to 65535, and nothing is created', async ({ page, vaultdesk }) => {
  const sources = new SourcesPage(page);
  await sources.open(vaultdesk.url);
  await page.getByRole('button', { name: 'Add source' }).click();
  const dialog = sources.dialog('Add source');
  await sources.fill(dialog, 'Name', 'warehouse');
  await sources.fill(dialog, 'Port', '99999');
  await sources.fill(dialog, 'User', 'postgres');
  await sources.fill(dialog, 'Database', 'dw');
  await dialog.getByRole('button', { name: 'Add source' }).click();
  const port = dialog.getByLabel('Port', { exact: true });
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  await expect(port).toHaveAccessibleDescription(/Must be between 1 and 65535/);
  await expect(port).toHaveValue('99999');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.evaluate(() => window.vaultdesk.sources.list({}))).toEqual({ ok: true, data: [] });
});
