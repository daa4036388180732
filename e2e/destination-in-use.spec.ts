import path from 'node:path';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { DestinationsPage } from './pages/destinations-page';
import { JobsPage } from './pages/jobs-page';
import { SourcesPage } from './pages/sources-page';

test('deleting a destination used by jobs names those jobs and deletes nothing', async ({ page, vaultdesk }) => {
  const sources = new SourcesPage(page);
  await sources.open(vaultdesk.url);
  await sources.addServerSource({ engine: 'MySQL / MariaDB', name: 'crm', host: '127.0.0.1', user: 'root', database: 'crm' });

  const destinations = new DestinationsPage(page);
  await destinations.show();
  await destinations.addLocal('nas-backups', path.join(vaultdesk.dataDir, 'nas'), { isDefault: true });
  await destinations.addLocal('scratch', path.join(vaultdesk.dataDir, 'scratch'));

  // One job through the Jobs page (the default destination is pre-selected), one through the contract.
  const jobs = new JobsPage(page);
  await jobs.show();
  await jobs.add({ name: 'crm-nightly', source: 'crm (default)', schedule: '0 2 * * *' });
  await expect(jobs.row('crm-nightly')).toContainText('nas-backups');
  const created = await page.evaluate(async () => {
    const sourcesResult = await window.vaultdesk.sources.list({});
    const destinationsResult = await window.vaultdesk.destinations.list({});
    if (!sourcesResult.ok || !destinationsResult.ok) throw new Error('listing failed');
    const nas = destinationsResult.data.find((d) => d.name === 'nas-backups')!;
    return window.vaultdesk.jobs.create({ name: 'crm-weekly', sourceId: sourcesResult.data[0]!.id, destinationIds: [nas.id] });
  });
  expect(created.ok).toBe(true);

  await destinations.show();
  await expect(destinations.row('nas-backups')).toContainText('crm-nightly, crm-weekly');
  const dialog = await destinations.delete('nas-backups');
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('Not deleted');
  await expect(alert).toContainText('used by jobs "crm-nightly", "crm-weekly"');
  await expect(alert.getByRole('list', { name: 'Jobs that use it' }).getByRole('listitem')).toHaveText(['crm-nightly', 'crm-weekly']);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(destinations.row('nas-backups')).toBeVisible();

  // A destination no job uses is deleted.
  const scratch = await destinations.delete('scratch');
  await expect(scratch).toBeHidden();
  await expect(destinations.row('scratch')).toHaveCount(0);

  // The store agrees: after a reload the used destination is still there.
  await page.reload();
  await expect(destinations.row('nas-backups')).toContainText('crm-nightly, crm-weekly');
});

test('a locked destination cannot be deleted and says so', async ({ page, vaultdesk }) => {
  const destinations = new DestinationsPage(page);
  await destinations.open(vaultdesk.url);
  await destinations.show();
  await destinations.addLocal('archive', path.join(vaultdesk.dataDir, 'archive'));
  await destinations.setLocked('archive', true);
  await expect(destinations.row('archive')).toContainText('locked');
  const dialog = await destinations.delete('archive');
  await expect(dialog.getByRole('alert')).toContainText('Destination "archive" is locked. Unlock it before deleting it.');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await destinations.setLocked('archive', false);
  await expect(destinations.row('archive')).not.toContainText('locked');
  await expect(await destinations.delete('archive')).toBeHidden();
  await expect(page.getByText('No destinations yet.')).toBeVisible();
});
