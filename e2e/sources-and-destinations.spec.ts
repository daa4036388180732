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

test('Backups and Recovery are listed but not available yet, and say what they will hold, to the pointer and to the keyboard', async ({ page, vaultdesk }) => {
  const app = new SourcesPage(page);
  await app.open(vaultdesk.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [name, why, code, before] of [
    ['Backups', 'Arrives with the backup explorer (browse, verify, download)', null, nav.getByRole('link', { name: /^Runs/ })],
    ['Recovery', 'Arrives with restore and the recovery kit (meanwhile, decrypt a backup with vaultdesk decrypt)', 'vaultdesk decrypt', app.navEntry('Backups')],
  ] as const) {
    const entry = app.navEntry(name);
    await expect(entry).toBeDisabled();
    await entry.hover();
    await expect(page.getByRole('tooltip')).toHaveText(why);
    // A command is shown as code, not between literal backticks.
    if (code) await expect(page.getByRole('tooltip').locator('code')).toHaveText(code);
    await page.mouse.move(0, 0);
    await expect(page.getByRole('tooltip')).toBeHidden();
    // Readable and reachable with Tab: the reason shows on focus too, and pressing it goes nowhere.
    await before.focus();
    await page.keyboard.press('Tab');
    await expect(entry).toBeFocused();
    // Only its own: the one of the entry Tab left closes.
    await expect(page.getByRole('tooltip')).toHaveText([why]);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 2, name: 'Sources' })).toBeVisible();
    await entry.blur();
    await expect(page.getByRole('tooltip')).toBeHidden();
  }
});
