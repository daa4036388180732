import path from 'node:path';
import { expect, startVaultdeskServe, test } from './fixtures/vaultdesk-fixture';
import { DestinationsPage } from './pages/destinations-page';

test('two bridges on one host keep their own cookies: after opening the second, the first page still works', async ({ page, context, vaultdesk, scratchDir, keyStorage }) => {
  const second = await startVaultdeskServe({ keyStorage });
  try {
    const [urlA, urlB] = [new URL(vaultdesk.url), new URL(second.url)];
    const pageA = new DestinationsPage(page);
    await pageA.open(vaultdesk.url);
    const pageB = new DestinationsPage(await context.newPage());
    await pageB.open(second.url);

    // Cookies are kept per host, so both ports' cookies sit side by side for 127.0.0.1.
    const names = (await context.cookies('http://127.0.0.1')).map((c) => c.name).sort();
    expect(names).toEqual([`vaultdesk_token_${urlA.port}`, `vaultdesk_token_${urlB.port}`].sort());

    // Each page calls its own bridge over its WebSocket, after the other bridge set its cookie.
    await pageA.page.reload();
    await pageA.show();
    await pageA.addLocal('disk-a', path.join(scratchDir, 'a'));
    await pageB.page.reload();
    await pageB.show();
    await pageB.addLocal('disk-b', path.join(scratchDir, 'b'));

    await pageA.page.reload();
    await pageA.show();
    await expect(pageA.row('disk-a')).toBeVisible();
    await expect(pageA.row('disk-b')).toHaveCount(0);
    await pageB.page.reload();
    await pageB.show();
    await expect(pageB.row('disk-b')).toBeVisible();
    await expect(pageB.row('disk-a')).toHaveCount(0);
  } finally {
    await second.stop();
  }
});
