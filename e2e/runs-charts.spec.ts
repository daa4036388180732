import path from 'node:path';
import Database from 'better-sqlite3';
import { callBridge } from './fixtures/bridge-api';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { HomePage } from './pages/home-page';
import { RunsPage } from './pages/runs-page';

test.use({ viewport: { width: 1280, height: 800 } });

function makeSqliteDatabase(file: string, rows: number): void {
  const db = new Database(file);
  try {
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO events (payload) VALUES (?)');
    db.transaction(() => {
      for (let i = 1; i <= rows; i++) insert.run(`event ${i} `.repeat(10));
    })();
  } finally {
    db.close();
  }
}

test('two real runs of a SQLite job draw the size and duration charts; the list filters by job and status and shows each trigger', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  const file = path.join(scratchDir, 'events.db');
  makeSqliteDatabase(file, 2000);
  const home = new HomePage(page);
  await home.open(vaultdesk.url);
  const source = await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'events', path: file });
  const disk = await callBridge(page, 'destinations:create', { kind: 'local', name: 'disk', path: path.join(scratchDir, 'backups') });
  const job = await callBridge(page, 'jobs:create', { name: 'events-nightly', sourceId: source.id, destinationIds: [disk.id] });
  const broken = await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'gone', path: path.join(scratchDir, 'gone.db') });
  const other = await callBridge(page, 'jobs:create', { name: 'gone-nightly', sourceId: broken.id, destinationIds: [disk.id] });

  const card = home.card('events-nightly');
  for (let i = 1; i <= 2; i++) {
    await card.getByRole('button', { name: 'Run now: events-nightly' }).click();
    await expect(card.getByTestId('job-state')).toHaveText('ok', { timeout: 30_000 });
    await expect.poll(async () => (await callBridge(page, 'runs:list', { jobId: job.id, status: 'succeeded', limit: 10 })).length).toBe(i);
  }
  await expect(card.getByTestId('size-trend')).toContainText('last 2 backups');
  await callBridge(page, 'jobs:run', { id: other.id });
  await expect.poll(async () => (await callBridge(page, 'runs:list', { jobId: other.id, status: 'failed', limit: 10 })).length, { timeout: 30_000 }).toBe(1);

  const runs = new RunsPage(page);
  await runs.show();
  for (const title of ['Backup size', 'Run duration'] as const) {
    const chart = runs.chart(title);
    await expect(chart).toBeVisible();
    // One line (the failed job has no successful run to draw), through one dot per run.
    await expect(chart.locator('.recharts-line')).toHaveCount(1);
    await expect(chart.locator('.recharts-line-dots circle')).toHaveCount(2);
  }
  await expect(runs.rows()).toHaveCount(4); // header + three runs
  await expect(runs.rows().nth(1).getByTestId('run-trigger')).toHaveText('started by hand');
  await expect(runs.rows().filter({ hasText: 'gone-nightly' }).getByTestId('run-outcome')).toContainText('Database unreachable');
  await runs.expectNoSideScroll();
  await runs.keepScreenshot(testInfo, 'runs-charts');

  await runs.filterStatus('failed');
  await expect(runs.rows()).toHaveCount(2);
  await expect(runs.rows().nth(1)).toContainText('gone-nightly');
  await runs.filterStatus('interrupted');
  await expect(page.getByText('No runs match these filters.')).toBeVisible();
  await runs.filterStatus('succeeded');
  await runs.filterJob('events-nightly');
  await expect(runs.rows()).toHaveCount(3);
  await expect(runs.rows().filter({ hasText: 'gone-nightly' })).toHaveCount(0);
  await expect(runs.chart('Backup size').locator('.recharts-line-dots circle')).toHaveCount(2);
});
