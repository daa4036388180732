import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { SettingsPage } from './pages/settings-page';

test('Settings says where the data folder and the log file are, and the log file is there with this start in it', async ({ page, vaultdesk }) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const logFile = path.join(vaultdesk.dataDir, 'logs', 'serve.log');
  await expect(page.getByTestId('data-dir')).toHaveText(vaultdesk.dataDir);
  await expect(page.getByTestId('log-file')).toHaveText(logFile);

  expect((await stat(logFile)).mode & 0o777).toBe(0o600);
  expect((await stat(path.dirname(logFile))).mode & 0o777).toBe(0o700);
  const lines = (await readFile(logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'Vaultdesk started', host: 'serve' }));
});

test('start at login is the desktop app\'s: served by vaultdesk serve, the switch shows the stored setting and cannot be changed', async ({ page, vaultdesk }) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const section = page.getByRole('region', { name: 'Desktop app' });
  const toggle = section.getByRole('switch', { name: 'Start Vaultdesk when I log in' });
  await expect(toggle).toBeDisabled();
  await expect(toggle).not.toBeChecked();
  await expect(section).toContainText('Desktop app only: this page is served by vaultdesk serve, which starts nothing at login. Change it in the Vaultdesk app.');
  // Stored for the data dir whoever sets it (the desktop app applies it at its next start): the page follows.
  const stored = await page.evaluate(async () => (await window.vaultdesk.settings.setStartAtLogin({ enabled: true })).ok);
  expect(stored).toBe(true);
  await expect(toggle).toBeChecked();
  await expect(toggle).toBeDisabled();
});
