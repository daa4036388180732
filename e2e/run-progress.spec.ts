import path from 'node:path';
import { callBridge } from './fixtures/bridge-api';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { HomePage } from './pages/home-page';
import { RunsPage } from './pages/runs-page';

test.use({ viewport: { width: 1280, height: 800 } });

test('a page reloaded mid-run shows where the run is at once, and its Cancel button is whole and stops it', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  const home = new HomePage(page);
  await home.open(vaultdesk.url);
  const source = await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'app', path: path.join(scratchDir, 'app.db') });
  const disk = await callBridge(page, 'destinations:create', { kind: 'local', name: 'disk', path: path.join(scratchDir, 'backups') });
  // A pre-run hook that takes its time: the run stays at stage pre-hook until it is cancelled.
  const job = await callBridge(page, 'jobs:create', { name: 'app-with-a-slow-pre-run-hook', sourceId: source.id, destinationIds: [disk.id], preHook: { shell: false, argv: ['sleep', '120'] } });
  const { runId } = await callBridge(page, 'jobs:run', { id: job.id });

  const runs = new RunsPage(page);
  await runs.show();
  await page.reload();
  const row = page.getByTestId(`run-row-${runId}`);
  const progress = row.getByTestId('run-progress');
  // From the store, before any new event: not "waiting for a progress report".
  await expect(progress).toContainText('running the pre-run hook', { timeout: 5_000 });
  const cancel = progress.getByRole('button', { name: 'Cancel run of app-with-a-slow-pre-run-hook' });
  await expect(cancel).toHaveText('Cancel');
  // Whole: the label is not cut off inside the button.
  expect(await cancel.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true);
  await runs.expectNoSideScroll();
  await runs.keepScreenshot(testInfo, 'runs-running');

  // Home shows it running too, with the same progress.
  await home.show();
  await expect(home.card('app-with-a-slow-pre-run-hook').getByTestId('job-state')).toHaveText('running');
  await expect(home.card('app-with-a-slow-pre-run-hook').getByTestId('run-progress')).toContainText('running the pre-run hook');
  await home.expectNoSideScroll();
  await home.keepScreenshot(testInfo, 'home-running');

  await runs.show();
  await page.getByTestId(`run-row-${runId}`).getByRole('button', { name: 'Cancel run of app-with-a-slow-pre-run-hook' }).click();
  await expect(page.getByTestId(`run-row-${runId}`)).toContainText('cancelled', { timeout: 30_000 });
  expect((await callBridge(page, 'runs:get', { id: runId })).status).toBe('cancelled');
});
