import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { recordWebSocketFrames } from './fixtures/websocket-recorder';
import { SettingsPage } from './pages/settings-page';
import { SourcesPage } from './pages/sources-page';

test.describe('with a master key file', () => {
  test.use({ keyStorage: 'file' });

  test('settings shows the key fingerprint, export writes the key to a file only, and rotate changes the fingerprint', async ({ page, vaultdesk }) => {
    const frames = recordWebSocketFrames(page);
    const sources = new SourcesPage(page);
    await sources.open(vaultdesk.url);
    await sources.addServerSource({ engine: 'PostgreSQL', name: 'ledger', host: '127.0.0.1', user: 'postgres', password: 'ledger-password', database: 'ledger' });

    const settings = new SettingsPage(page);
    await settings.show();
    await expect(settings.keySection().getByTestId('key-state')).toHaveText('OK');
    await expect(settings.keySection()).toContainText('key file');
    const before = (await settings.fingerprint().textContent()) ?? '';
    expect(before).toMatch(/\S{8,}/);

    const exportFile = path.join(vaultdesk.dataDir, 'exported.key');
    expect(await settings.exportKey(exportFile)).toBe(before);
    const exported = (await readFile(exportFile, 'utf8')).trim();
    expect(Buffer.from(exported, 'base64')).toHaveLength(32);
    expect(frames.received.join('\n')).not.toContain(exported);
    await expect(page.locator('body')).not.toContainText(exported);

    const rotated = await settings.rotate();
    expect(rotated).not.toBe(before);
    await expect(settings.keySection()).toContainText('1 secret re-encrypted');
    await expect(settings.fingerprint()).toHaveText(rotated);

    // The key file now holds the new key, and the stored password still opens with it.
    const keyFile = (await readFile(path.join(vaultdesk.dataDir, 'master.key'), 'utf8')).trim();
    expect(keyFile).not.toBe(exported);
    await page.reload();
    await expect(settings.fingerprint()).toHaveText(rotated);
    await expect(settings.keySection().getByTestId('key-state')).toHaveText('OK');
  });
});

test('with the key in VAULTDESK_MASTER_KEY, rotation is offered elsewhere and the fingerprint is shown', async ({ page, vaultdesk }) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  await expect(settings.fingerprint()).toHaveText(/\S{8,}/);
  await expect(settings.keySection()).toContainText('environment variable VAULTDESK_MASTER_KEY');
  await expect(settings.keySection().getByRole('button', { name: 'Rotate master key' })).toBeDisabled();
  await expect(settings.keySection()).toContainText('rotate it with the OS keychain or --master-key-file');
});
