import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { Decrypter, generateIdentity } from 'age-encryption';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { DestinationsPage } from './pages/destinations-page';
import { JobsPage } from './pages/jobs-page';
import { RunsPage } from './pages/runs-page';
import { SettingsPage } from './pages/settings-page';
import { SourcesPage } from './pages/sources-page';

const ROWS = 250;

/** A small SQLite database the way an application would leave it. */
function makeSqliteDatabase(file: string): void {
  const db = new Database(file);
  try {
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)');
    const insert = db.prepare('INSERT INTO customers (name, email) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= ROWS; i++) insert.run(`customer ${i}`, `c${i}@example.test`);
    })();
  } finally {
    db.close();
  }
}

test('connection tests, then a job run from the UI: succeeded, stored on disk where the run says, and a locked destination said in words', async ({ page, vaultdesk, scratchDir }) => {
  const dbFile = path.join(scratchDir, 'shop.db');
  makeSqliteDatabase(dbFile);
  const backupFolder = path.join(scratchDir, 'backups');
  const identity = await generateIdentity();

  const sources = new SourcesPage(page);
  await sources.open(vaultdesk.url);
  await sources.addSqliteSource('shop', dbFile);
  const sourceTest = await sources.testConnection('shop');
  await expect(sourceTest.getByRole('status')).toContainText(/Connected: SQLite 3\.\d+/);
  await expect(sourceTest.getByRole('status')).toContainText(`Opened ${dbFile}`);
  await sourceTest.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(sourceTest).toBeHidden();

  // A test that fails says why, in words, with the stable code beside it.
  const missing = path.join(scratchDir, 'gone.db');
  await sources.addSqliteSource('gone', missing);
  const failedTest = await sources.testConnection('gone');
  await expect(failedTest.getByRole('alert')).toContainText('Database unreachable');
  await expect(failedTest.getByRole('alert')).toContainText(`The SQLite file cannot be opened: ${missing} does not exist.`);
  await expect(failedTest.getByRole('alert')).toContainText('SOURCE_UNREACHABLE');
  await failedTest.getByRole('button', { name: 'Close', exact: true }).click();

  const destinations = new DestinationsPage(page);
  await destinations.show();
  await destinations.addLocal('local-disk', backupFolder, { isDefault: true });
  const destinationTest = await destinations.test('local-disk');
  await expect(destinationTest.getByRole('status')).toContainText('Destination reachable');
  await destinationTest.getByRole('button', { name: 'Close', exact: true }).click();

  const settings = new SettingsPage(page);
  await settings.show();
  await settings.addAgeProfile('team-key', identity);

  const jobs = new JobsPage(page);
  await jobs.show();
  await jobs.add({ name: 'shop-nightly', source: 'shop (default)', encryption: 'age, to an encryption profile', profile: 'team-key' });
  await expect(jobs.lastRun('shop-nightly')).toContainText('never run');
  await jobs.runNowButton('shop-nightly').click();
  await expect(jobs.lastRun('shop-nightly')).toContainText('succeeded', { timeout: 30_000 });
  await expect(jobs.lastRun('shop-nightly')).toContainText('just now');
  await expect(jobs.runNowButton('shop-nightly')).toBeEnabled();

  // The run's detail says where the object is; the file is there, and decrypts to the database.
  const runs = new RunsPage(page);
  await runs.show();
  await expect(runs.rows().filter({ hasText: 'shop-nightly' })).toContainText('succeeded');
  const detail = await runs.openLatest('shop-nightly');
  const object = detail.getByRole('article', { name: 'Object shop' });
  await expect(object).toContainText('local-disk');
  await expect(object.getByTestId('object-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  const location = (await object.getByTestId('object-location').textContent()) ?? '';
  expect(path.isAbsolute(location), `location "${location}" is a path`).toBe(true);
  expect(location.startsWith(backupFolder + path.sep)).toBe(true);
  expect(location).toMatch(/\.zst\.age$/);
  await expect(detail.getByTestId('run-log-line').first()).toContainText('Run started for job "shop-nightly"');

  const stored = await readFile(location);
  expect((await stat(location)).size).toBe(stored.length);
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const restoredFile = path.join(scratchDir, 'restored.db');
  await writeFile(restoredFile, zstdDecompressSync(await decrypter.decrypt(stored)));
  const restored = new Database(restoredFile, { readonly: true });
  try {
    expect(restored.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(ROWS);
  } finally {
    restored.close();
  }
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();

  // Locked: the run is refused before anything is dumped, and the page says why.
  await destinations.show();
  await destinations.setLocked('local-disk', true);
  await jobs.show();
  await jobs.runNowButton('shop-nightly').click();
  const lastRun = jobs.lastRun('shop-nightly');
  await expect(lastRun).toContainText('failed', { timeout: 30_000 });
  await expect(lastRun.getByTestId('run-error')).toContainText('Destination locked (while planning)');
  await expect(lastRun.getByTestId('run-error')).toContainText('Destination "local-disk" is locked, so no run may use it.');

  await runs.show();
  await expect(runs.rows().filter({ hasText: 'failed' })).toContainText('Destination locked');
  const failed = await runs.openLatest('shop-nightly');
  await expect(failed.getByRole('alert')).toContainText('Unlock it or remove it from job "shop-nightly"');
  await expect(failed.getByRole('region', { name: 'Objects' })).toContainText('Nothing was dumped');
});

