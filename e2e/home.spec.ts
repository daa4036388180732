import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { callBridge } from './fixtures/bridge-api';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { HomePage } from './pages/home-page';

test.use({ viewport: { width: 1280, height: 800 } });

function makeSqliteDatabase(file: string, rows: number): void {
  const db = new Database(file);
  try {
    db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, note TEXT)');
    const insert = db.prepare('INSERT INTO orders (customer, note) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= rows; i++) insert.run(`customer ${i}`, `order note ${i} `.repeat(8));
    })();
  } finally {
    db.close();
  }
}

test('an empty data folder: Home says to add a source, a destination and a job, in that order, and each step leads to its page', async ({ page, vaultdesk }, testInfo) => {
  const home = new HomePage(page);
  await home.open(vaultdesk.url);
  // Home is the first page.
  await expect(page.getByRole('heading', { level: 2, name: 'Home' })).toBeVisible();
  await expect(home.nextSteps().getByRole('listitem')).toHaveCount(3);
  await expect(home.nextSteps().getByRole('listitem').nth(0)).toContainText('No source yet');
  await expect(home.nextSteps().getByRole('listitem').nth(1)).toContainText('No destination yet');
  await expect(home.nextSteps().getByRole('listitem').nth(2)).toContainText('No job yet');
  await expect(page.getByRole('article')).toHaveCount(0);
  await home.expectNoSideScroll();
  await home.keepScreenshot(testInfo, 'home-empty');

  await home.nextStep('add-source').getByRole('link', { name: 'Add a source' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Sources' })).toBeVisible();
  await home.show();
  await home.nextStep('add-destination').getByRole('link', { name: 'Add a destination' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Destinations' })).toBeVisible();
});

test('after a run whose source cannot be reached, Home shows that job failing and why, beside a job that is fine', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  const home = new HomePage(page);
  await home.open(vaultdesk.url);
  const missing = path.join(scratchDir, 'decommissioned', 'warehouse-reporting-replica.db');
  const good = path.join(scratchDir, 'orders.db');
  makeSqliteDatabase(good, 400);
  const gone = await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'warehouse reporting replica (decommissioned host)', path: missing });
  const orders = await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'orders', path: good });
  const archive = path.join(scratchDir, 'very', 'long', 'path', 'to', 'the', 'backup', 'archive', 'folder');
  // Saving a destination makes only its last folder.
  mkdirSync(path.dirname(archive), { recursive: true });
  const disk = await callBridge(page, 'destinations:create', { kind: 'local', name: 'nightly-archive-disk', path: archive });
  const failing = 'warehouse-reporting-replica-nightly';
  await callBridge(page, 'jobs:create', { name: failing, sourceId: gone.id, destinationIds: [disk.id], schedule: '30 1 * * *', timezone: 'Europe/Berlin' });
  await callBridge(page, 'jobs:create', { name: 'orders-hourly', sourceId: orders.id, destinationIds: [disk.id], schedule: '0 * * * *' });

  // Two jobs that never ran, and schedules that nothing runs: `vaultdesk serve` does not schedule.
  await expect(home.card(failing).getByTestId('job-state')).toHaveText('no backup yet');
  await expect(home.nextStep('run-job')).toContainText('2 jobs have never run');
  await expect(home.nextStep('start-scheduler')).toContainText('2 jobs have a schedule, but schedules run only while the Vaultdesk desktop app or vaultdesk daemon is open');
  await expect(home.card(failing).getByTestId('next-run')).toContainText('At 01:30');
  await expect(home.card(failing).getByTestId('next-run')).toContainText(/^(in \d+ (min|h)|in a day|any moment now), /);

  await home.card(failing).getByRole('button', { name: `Run now: ${failing}` }).click();
  const card = home.card(failing);
  await expect(card.getByTestId('job-state')).toHaveText('failing', { timeout: 30_000 });
  await expect(card.getByTestId('job-state-reason')).toHaveText('The last run failed.');
  await expect(card.getByTestId('run-error')).toContainText('Database unreachable');
  await expect(card.getByTestId('run-error')).toContainText(missing);
  await expect(card.getByTestId('last-success')).toHaveText('never');

  await home.card('orders-hourly').getByRole('button', { name: 'Run now: orders-hourly' }).click();
  const ok = home.card('orders-hourly');
  await expect(ok.getByTestId('job-state')).toHaveText('ok', { timeout: 30_000 });
  // The toast says what was stored, and where.
  const toast = page.getByRole('alert').filter({ hasText: 'Backup "orders-hourly" succeeded' });
  await expect(toast).toContainText('Stored 1 backup on "nightly-archive-disk".');
  await expect(ok.getByTestId('last-success')).toHaveText('just now');
  await expect(ok.getByTestId('size-trend')).toContainText('one backup so far');
  await expect(home.nextStep('run-job')).toHaveCount(0);
  await expect(page.getByTestId('state-summary')).toContainText('2 jobs:');
  await expect(page.getByTestId('state-summary')).toContainText('1 failing');
  await expect(page.getByTestId('state-summary')).toContainText('1 ok');

  // The state survives a reload: it comes from the store, not from this page's events.
  await page.reload();
  await expect(home.card(failing).getByTestId('job-state')).toHaveText('failing');
  await home.expectNoSideScroll();
  await home.keepScreenshot(testInfo, 'home-failing');
});

test('an address that opens no page says so and links home; the Backups and Recovery addresses open their pages', async ({ page, vaultdesk }, testInfo) => {
  const home = new HomePage(page);
  await home.open(`${vaultdesk.url}#/no-such-page`);
  const missing = page.getByTestId('not-found');
  await expect(missing.getByRole('heading', { level: 2 })).toHaveText('Page not found');
  await expect(missing).toContainText('Vaultdesk has no page at #/no-such-page');
  await expect(page.getByRole('heading', { level: 2, name: 'Sources' })).toHaveCount(0);
  await home.expectNoSideScroll();
  await home.keepScreenshot(testInfo, 'not-found');
  await missing.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Home' })).toBeVisible();

  // Pages that used to be announced as coming now open from their address.
  await page.goto(`${vaultdesk.url}#/backups`);
  await expect(page.getByRole('heading', { level: 2, name: 'Backups' })).toBeVisible();
  await page.goto(`${vaultdesk.url}#/recovery`);
  await expect(page.getByRole('heading', { level: 2, name: 'Recovery' })).toBeVisible();
});
