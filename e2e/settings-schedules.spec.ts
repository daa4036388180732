import { callBridge } from './fixtures/bridge-api';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { SettingsPage } from './pages/settings-page';

test.use({ viewport: { width: 1280, height: 800 } });

test('Settings pauses and resumes every schedule and sets the limit, as schedules:status then says; it says nothing runs them under serve', async ({ page, vaultdesk }, testInfo) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const section = settings.schedulesSection();
  await expect(section.getByTestId('schedule-holder')).toContainText('Nothing: no Vaultdesk app or vaultdesk daemon is open on this data folder');
  await expect(section.getByTestId('schedules-state')).toHaveText('active');
  expect((await callBridge(page, 'schedules:status', {})).paused).toBe(false);

  await section.getByRole('button', { name: 'Pause all schedules' }).click();
  await expect(section.getByTestId('schedules-state')).toHaveText('paused');
  await expect.poll(async () => (await callBridge(page, 'schedules:status', {})).paused).toBe(true);
  // Stored, not held by the page.
  await page.reload();
  await expect(settings.schedulesSection().getByTestId('schedules-state')).toHaveText('paused');

  await settings.schedulesSection().getByRole('button', { name: 'Resume all schedules' }).click();
  await expect(settings.schedulesSection().getByTestId('schedules-state')).toHaveText('active');
  await expect.poll(async () => (await callBridge(page, 'schedules:status', {})).paused).toBe(false);

  const limit = settings.schedulesSection().getByLabel('Scheduled runs at once');
  await limit.fill('3');
  await settings.schedulesSection().getByRole('button', { name: 'Save limit' }).click();
  await expect.poll(async () => (await callBridge(page, 'schedules:status', {})).maxConcurrentRuns).toBe(3);
  await expect(settings.schedulesSection().getByRole('button', { name: 'Save limit' })).toBeDisabled();
  await settings.expectNoSideScroll();
  await settings.keepScreenshot(testInfo, 'settings-schedules');
});

test('the global webhook is write-only: its host and format are shown, never its URL, and Remove takes it away', async ({ page, vaultdesk }) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const section = settings.notificationsSection();
  await expect(section.getByTestId('webhook-current')).toHaveText('None set.');

  // Refused by the core, said under the field.
  await section.getByLabel('Webhook URL').fill('ftp://hooks.example.test/x');
  await section.getByRole('button', { name: 'Save webhook' }).click();
  await expect(section.getByLabel('Webhook URL')).toHaveAccessibleDescription(/Must be an http:\/\/ or https:\/\/ URL/);

  const secretPath = 'services/T0000/B0000/s3cr3tT0kenValue';
  await section.getByLabel('Webhook URL').fill(`https://hooks.example.test/${secretPath}`);
  await settings.choose(section, 'Format', 'Slack incoming webhook');
  await section.getByRole('button', { name: 'Save webhook' }).click();
  await expect(section.getByTestId('webhook-current')).toContainText('hooks.example.test');
  await expect(section.getByTestId('webhook-current')).toContainText('slack');
  await expect(section).not.toContainText('s3cr3tT0kenValue');
  await expect(section.getByLabel('Replace with URL')).toHaveValue('');
  const stored = await callBridge(page, 'settings:get', {});
  expect(stored).toMatchObject({ hasWebhook: true, webhookFormat: 'slack' });
  expect(JSON.stringify(stored)).not.toContain('s3cr3tT0kenValue');

  await section.getByRole('button', { name: 'Remove the global webhook' }).click();
  await expect(section.getByTestId('webhook-current')).toHaveText('None set.');
  expect((await callBridge(page, 'settings:get', {})).hasWebhook).toBe(false);
});

test('under serve a test notification is shown in the page, and the outcome says no OS notification is; a port fetch refuses is refused under the field', async ({ page, vaultdesk }) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const section = settings.notificationsSection();

  await section.getByLabel('Webhook URL').fill('http://127.0.0.1:6000/hook/token');
  await section.getByRole('button', { name: 'Save webhook' }).click();
  await expect(section.getByLabel('Webhook URL')).toHaveAccessibleDescription(/Port 6000 is one that browsers and Node's fetch refuse to connect to .*: move the receiver to another port/);
  expect(await callBridge(page, 'settings:get', {})).toMatchObject({ hasWebhook: false });

  const outcomes = await settings.sendTestNotification();
  await expect(outcomes).toHaveText('Sent via desktop (browser page): shown in each Vaultdesk page open in a browser; no desktop app runs in this process, so no OS notification is shown');
  await expect(settings.toast('Vaultdesk test notification')).toContainText('Test notification: this channel reaches you.');
});
