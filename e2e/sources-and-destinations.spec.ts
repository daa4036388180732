import path from 'node:path';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { DestinationsPage } from './pages/destinations-page';
import { SourcesPage } from './pages/sources-page';

test('a PostgreSQL source with a password and a local destination are added through the UI and listed', async ({ page, vaultdesk }) => {
  const sources = new SourcesPage(page);
  await sources.open(vaultdesk.url);
  await sources.addServerSource({ engine: 'PostgreSQL', name: 'orders-db', host: 'db1.internal', port: '5433', user: 'backup', password: 'e2e-pg-password', database: 'orders' });

  const source = sources.row('orders-db');
  await expect(source).toContainText('PostgreSQL');
  await expect(source).toContainText('backup@db1.internal:5433/orders');
  await expect(source).toContainText('password stored');
  await expect(source).toContainText('default');

  const destinations = new DestinationsPage(page);
  await destinations.show();
  const folder = path.join(vaultdesk.dataDir, 'backups');
  await destinations.addLocal('local-disk', folder, { isDefault: true });
  const destination = destinations.row('local-disk');
  await expect(destination).toContainText('Local folder');
  await expect(destination).toContainText(folder);
  await expect(destination).toContainText('default');

  // Stored by the core, not just held by the page: both survive a reload.
  await page.reload();
  await expect(destinations.row('local-disk')).toBeVisible();
  await sources.show();
  await expect(sources.row('orders-db')).toContainText('password stored');
});

test('Backups and Recovery open from the navigation, with the pointer and with the keyboard', async ({ page, vaultdesk }) => {
  const app = new SourcesPage(page);
  await app.open(vaultdesk.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: /^Backups/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Backups' })).toBeVisible();
  await expect(nav.getByRole('link', { name: /^Backups/ })).toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: /^Backups/ }).focus();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: /^Recovery/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Recovery' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/recovery');
});
