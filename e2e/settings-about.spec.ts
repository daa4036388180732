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
