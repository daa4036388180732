import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
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

test('with the key in VAULTDESK_MASTER_KEY, rotation, import and reset are offered elsewhere and the fingerprint is shown', async ({ page, vaultdesk }) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  await expect(settings.fingerprint()).toHaveText(/\S{8,}/);
  await expect(settings.keySection()).toContainText('environment variable VAULTDESK_MASTER_KEY');
  await expect(settings.keySection().getByRole('button', { name: 'Rotate master key' })).toBeDisabled();
  await expect(settings.keySection()).toContainText('rotate it with the OS keychain or --master-key-file');
  // A key Vaultdesk cannot write is not imported over or reset from the page either.
  await expect(settings.keySection().getByLabel('Import a key', { exact: true })).toBeDisabled();
  await expect(settings.keySection().getByRole('button', { name: 'Reset master key' })).toBeDisabled();
});

test.describe('a lost master key', () => {
  test.use({ keyStorage: 'file' });

  test('an exported key is imported after the key file was lost; a reset drops every credential after saying so; an old key is then refused', async ({ page, vaultdesk }) => {
    const frames = recordWebSocketFrames(page);
    const sources = new SourcesPage(page);
    await sources.open(vaultdesk.url);
    await sources.addServerSource({ engine: 'PostgreSQL', name: 'ledger', host: '127.0.0.1', user: 'postgres', password: 'ledger-password', database: 'ledger' });
    const settings = new SettingsPage(page);
    await settings.show();
    const original = (await settings.fingerprint().textContent()) ?? '';
    const exportFile = path.join(vaultdesk.dataDir, 'exported.key');
    expect(await settings.exportKey(exportFile)).toBe(original);
    const exported = (await readFile(exportFile, 'utf8')).trim();

    // The key file is replaced by another key (a restored home folder, a wrong copy) and the app restarted.
    const keyFile = path.join(vaultdesk.dataDir, 'master.key');
    await writeFile(keyFile, `${randomBytes(32).toString('base64')}\n`);
    await settings.open(await vaultdesk.restart());
    await settings.show();
    await expect(settings.keySection().getByTestId('key-state')).toHaveText('mismatch');
    await expect(settings.keySection().getByRole('alert')).toContainText('does not match this database. Import the right key (Settings > Master key');

    await settings.importKey(exported);
    await expect(settings.keySection().getByRole('status')).toContainText('Master key imported');
    await expect(settings.keySection().getByTestId('imported-fingerprint')).toHaveText(original);
    await expect(settings.keySection().getByTestId('key-state')).toHaveText('OK');
    await expect(settings.fingerprint()).toHaveText(original);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(exported);
    // The stored password opens with the imported key: rotation re-encrypts it.
    const rotated = await settings.rotate();
    await expect(settings.keySection()).toContainText('1 secret re-encrypted');

    // Reset: the dialog says what is lost; Cancel changes nothing.
    let dialog = await settings.openReset();
    await expect(dialog).toContainText('A new master key is made, and every stored credential is dropped and must be re-entered');
    await expect(dialog).toContainText('database and SSH passwords');
    await expect(dialog).toContainText('age identities and 7-Zip passphrases');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(settings.fingerprint()).toHaveText(rotated);

    dialog = await settings.openReset();
    const fresh = await settings.confirmReset(dialog);
    expect(fresh).not.toBe(rotated);
    await expect(settings.keySection()).toContainText('1 stored credential was dropped. Re-enter the passwords and keys of your sources and destinations');
    await expect(settings.fingerprint()).toHaveText(fresh);
    await expect(settings.keySection().getByTestId('key-state')).toHaveText('OK');

    // A key from before the reset no longer fits, and importing it changes nothing.
    await settings.importKey(exported);
    await expect(settings.keySection()).toContainText(`The key ${original} does not match this database; nothing was changed.`);
    await expect(settings.fingerprint()).toHaveText(fresh);
    expect((await readFile(keyFile, 'utf8')).trim()).not.toBe(exported);

    await sources.show();
    await expect(sources.row('ledger')).toContainText('no password');
    // The key went to the server (as the import's input) but never came back.
    expect(frames.received.join('\n')).not.toContain(exported);
    await expect(page.locator('body')).not.toContainText(exported);
  });
});
