import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { callBridge } from './fixtures/bridge-api';
import { recordWebSocketFrames } from './fixtures/websocket-recorder';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { SettingsPage } from './pages/settings-page';

test.use({ viewport: { width: 1280, height: 800 } });

test('Settings lists the client tools and 7-Zip a backup would use with their versions; a path set there is used and said unusable when it is, and the search comes back', async ({
  page,
  vaultdesk,
  scratchDir,
}, testInfo) => {
  const frames = recordWebSocketFrames(page);
  /** How often the page asked for the tools: each time starts every one of them (--version, 7-Zip's banner) on the host. */
  const toolQueries = (): number => frames.sent.filter((f) => f.includes('"settings:tools"')).length;
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const section = settings.toolsSection();
  const pgDump = section.getByTestId('tool-pg_dump');
  await expect(pgDump).toContainText(/\/pg_dump/);
  await expect(pgDump).toContainText(/pg_dump \(PostgreSQL\) \d+/);
  await expect(pgDump).toContainText('found by searching');
  const sevenZip = section.getByTestId('tool-7z');
  await expect(sevenZip).toContainText(/7-Zip \d+\.\d+/);
  const queriesBefore = toolQueries();
  // A change that cannot move a tool (an environment) does not ask again; the path set below does, once.
  await callBridge(page, 'environments:create', { name: 'staging' });

  // A p7zip from 2016 set by hand: saved, and said too old, with what to install.
  const old = path.join(scratchDir, 'p7zip', '7z');
  await mkdir(path.dirname(old));
  await writeFile(old, '#!/bin/sh\necho "7-Zip (a) [64] 16.02 : Copyright (c) 1999-2016 Igor Pavlov"\n');
  await chmod(old, 0o755);
  await section.getByRole('button', { name: 'Set path of 7-Zip', exact: true }).click();
  const dialog = settings.dialog('Where 7-Zip is');
  // A relative path is refused under the field, and nothing is saved.
  await dialog.getByLabel('Path of 7-Zip').fill('p7zip/7z');
  await dialog.getByRole('button', { name: 'Save path' }).click();
  await expect(dialog.getByLabel('Path of 7-Zip')).toHaveAccessibleDescription(/must be an absolute path/i);
  expect((await callBridge(page, 'settings:get', {})).toolPaths).toEqual({});
  await dialog.getByLabel('Path of 7-Zip').fill(old);
  await dialog.getByRole('button', { name: 'Save path' }).click();
  await expect(dialog).toBeHidden();
  await expect(sevenZip).toContainText(old);
  await expect(sevenZip).toContainText('set here');
  await expect(sevenZip.getByTestId('tool-problem')).toContainText('16.02');
  expect(toolQueries()).toBe(queriesBefore + 1);
  expect((await callBridge(page, 'settings:get', {})).toolPaths).toEqual({ '7z': old });
  await settings.expectNoSideScroll();
  await settings.keepScreenshot(testInfo, 'settings-tools');

  // Back to the search: the system's 7-Zip again, with its version.
  await settings.rowAction('7-Zip', 'Search for it instead');
  await expect(sevenZip).toContainText('found by searching');
  await expect(sevenZip).toContainText(/7-Zip \d+\.\d+/);
  await expect(sevenZip).not.toContainText(old);
  expect((await callBridge(page, 'settings:get', {})).toolPaths).toEqual({});
});
