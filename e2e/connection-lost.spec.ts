import { callBridge } from './fixtures/bridge-api';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { DestinationsPage } from './pages/destinations-page';
import { SourcesPage } from './pages/sources-page';

test('when vaultdesk serve stops, the page says it lost the connection to Vaultdesk, in words naming serve and with a code, not "Unexpected error"', async ({ page, vaultdesk, scratchDir }) => {
  // The page's socket closing is what the page itself notices first.
  const socketClosed = new Promise<void>((resolve) => page.on('websocket', (ws) => ws.on('close', () => resolve())));
  const sources = new SourcesPage(page);
  await sources.open(vaultdesk.url);
  await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'shop', path: `${scratchDir}/shop.db` });
  await expect(sources.row('shop')).toBeVisible();
  const address = new URL(vaultdesk.url).host;

  await vaultdesk.stopServing();
  await socketClosed;
  const dialog = await sources.testConnection('shop');
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('Lost the connection to Vaultdesk');
  await expect(alert).toContainText(
    `This page cannot reach vaultdesk serve at ${address}: it has stopped, or was restarted with a new address. Start it again if it is not running, then open the address it prints.`,
  );
  await expect(alert).toContainText('CONNECTION_LOST');
  await expect(dialog).not.toContainText('Unexpected error');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  // A page whose list cannot load says the same above its Try again.
  const destinations = new DestinationsPage(page);
  await destinations.show();
  const failed = page.getByRole('alert').filter({ hasText: 'Could not load' });
  await expect(failed).toContainText('Could not load: Lost the connection to Vaultdesk');
  await expect(failed).toContainText(`This page cannot reach vaultdesk serve at ${address}`);
  await expect(failed).toContainText('CONNECTION_LOST');
  await expect(failed.getByRole('button', { name: 'Try again' })).toBeVisible();
});
