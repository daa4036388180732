import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateIdentity } from 'age-encryption';
import { callBridge } from './fixtures/bridge-api';
import { ledgerSource } from './fixtures/ledger-source';
import { runToSuccess } from './fixtures/runs';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { AppPage } from './pages/app-page';
import { BackupsPage } from './pages/backups-page';

test('the Backups page lists what a destination holds, verifies, pins (and delete refuses a pinned one), downloads and deletes', async ({ page, vaultdesk, scratchDir }) => {
  const app = new AppPage(page);
  await app.open(vaultdesk.url);
  const backups = new BackupsPage(page);
  await backups.show();
  await expect(page.getByText('No destinations yet. Add a folder')).toBeVisible();
  // The empty page leads to where that changes.
  await expect(page.getByRole('link', { name: 'Add a destination' })).toHaveAttribute('href', '#/destinations');

  const folder = path.join(scratchDir, 'backups');
  const { source } = await ledgerSource(page, scratchDir);
  const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: folder });
  const profile = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team', identity: await generateIdentity() });
  const job = await callBridge(page, 'jobs:create', { name: 'ledger-nightly', sourceId: source.id, destinationIds: [destination.id], encryption: 'age', profileId: profile.id });
  await expect(page.getByText('No backups at these destinations yet')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to Jobs' })).toHaveAttribute('href', '#/jobs');
  await runToSuccess(page, job.id, 30_000);
  await runToSuccess(page, job.id, 30_000);
  // An object some other tool left, without a manifest: listed, but never a backup.
  await mkdir(path.join(folder, 'stray'), { recursive: true });
  await writeFile(path.join(folder, 'stray', 'half.dump.zst.age'), 'not a backup');

  await page.reload();
  await backups.show();
  await backups.expectRows('ledger-nightly', 2);
  const stray = backups.rows('half.dump.zst.age');
  await expect(stray).toContainText('incomplete');
  await expect(stray.getByTestId('backup-problem')).not.toBeEmpty();
  await expect(page.getByTestId('backups-range')).toHaveText('1–3 of 3');
  await backups.filter('Status', 'incomplete (no manifest)');
  await backups.expectRows('ledger-nightly', 0);
  await expect(backups.table().getByRole('row')).toHaveCount(2);
  await page.getByRole('search', { name: 'Filter backups' }).getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'complete', exact: true }).click();
  await backups.expectRows('ledger-nightly', 2);
  // The database box takes part of a name, in any case, as a DBA types it.
  const databaseBox = page.getByRole('search', { name: 'Filter backups' }).getByRole('textbox', { name: 'Database' });
  await databaseBox.fill('EDG');
  await backups.expectRows('ledger-nightly', 2);
  await databaseBox.fill('ledgers');
  await expect(page.getByText('No backups match these filters.')).toBeVisible();
  await databaseBox.fill('');
  await backups.expectRows('ledger-nightly', 2);

  const [newest, older] = [backups.rows('ledger-nightly').first(), backups.rows('ledger-nightly').nth(1)];
  const [newestName, olderName] = [await backups.nameOf(newest), await backups.nameOf(older)];
  expect(newestName).not.toBe(olderName);
  await backups.act(newest, 'Verify');
  const verify = app.dialog('Verify backup');
  // Each dialog names its backup as the row does: two backups made within one second differ only there.
  await expect(verify).toContainText(newestName);
  await expect(verify.getByTestId('verify-verdict')).toContainText('Backup verified', { timeout: 20_000 });
  await expect(verify).toContainText('the whole age payload authenticated');
  await verify.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(newest.getByTestId('backup-verified')).toContainText('verified');

  // A click outside closes a dialog that follows nothing running; what was typed there is gone on the next one.
  await backups.act(older, 'Pin…');
  const pin = app.dialog('Pin backup');
  await expect(pin).toContainText(olderName);
  await pin.getByLabel('Pinned until (optional)').fill('2098-01-01');
  await page.mouse.click(5, 5);
  await expect(pin).toBeHidden();
  await backups.act(newest, 'Pin…');
  await expect(pin).toContainText(newestName);
  await expect(pin.getByLabel('Pinned until (optional)')).toHaveValue('');
  await pin.getByLabel('Pinned until (optional)').fill('2099-12-31');
  await pin.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(pin).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Pinned' })).toContainText(`${newestName} is kept until 2099-12-31.`);
  await expect(newest.getByTestId('backup-pinned')).toContainText('pinned until');

  await backups.act(newest, 'Delete');
  const refuse = app.dialog(/^Delete backup ledger/);
  await refuse.getByRole('button', { name: 'Delete' }).click();
  await expect(refuse.getByRole('alert')).toContainText('Not deleted');
  await expect(refuse.getByRole('alert')).toContainText(/pinned/i);
  await refuse.getByRole('button', { name: 'Close', exact: true }).click();
  await backups.act(newest, 'Unpin');
  await expect(newest.getByTestId('backup-pinned')).toHaveCount(0);

  const copy = path.join(scratchDir, 'copy', 'ledger.db.zst.age');
  await backups.act(older, 'Download to a file…');
  const download = app.dialog('Download backup');
  await expect(download).toContainText('on the machine it runs on');
  await expect(download).toContainText(`${olderName}, `);
  await download.getByLabel('File to write').fill(copy);
  await download.getByRole('button', { name: 'Download' }).click();
  await expect(download.getByTestId('download-path')).toHaveText(copy);
  expect((await readFile(copy)).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
  await download.getByRole('button', { name: 'Close', exact: true }).click();

  await backups.act(older, 'Delete');
  const del = app.dialog(/^Delete backup ledger/);
  await del.getByRole('button', { name: 'Delete' }).click();
  await expect(del).toBeHidden();
  await backups.expectRows('ledger-nightly', 1);
  expect(existsSync(copy)).toBe(true);
});

test('two backups with one name (one job, database and destination, the same second): each dialog names the one its row does', async ({ page, vaultdesk, scratchDir }) => {
  const app = new AppPage(page);
  await app.open(vaultdesk.url);
  const { source } = await ledgerSource(page, scratchDir);
  const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
  const job = await callBridge(page, 'jobs:create', { name: 'ledger-nightly', sourceId: source.id, destinationIds: [destination.id] });
  const run = await runToSuccess(page, job.id, 30_000);
  // What a second run within the same second leaves: the same manifest beside an object of another file name.
  const object = run.objects[0]!.destinations[0]!.location!;
  const twin = object.replace(/(\.[a-z]+)+$/, (ext) => `-2${ext}`);
  await copyFile(object, twin);
  await copyFile(`${object}.manifest.json`, `${twin}.manifest.json`);

  const backups = new BackupsPage(page);
  await backups.show();
  await backups.expectRows('ledger-nightly', 2);
  const rows = backups.rows('ledger-nightly');
  const names = [await backups.nameOf(rows.first()), await backups.nameOf(rows.nth(1))];
  expect(new Set(names).size).toBe(2);
  expect(names.find((n) => n.includes(path.basename(twin)))).toBeDefined();
  for (const name of names) {
    const row = backups.table().getByRole('row').filter({ has: page.getByRole('button', { name: `More actions for backup ${name}`, exact: true }) });
    await backups.act(row, 'Pin…');
    const pin = app.dialog('Pin backup');
    await expect(pin).toContainText(name);
    await pin.getByRole('button', { name: 'Pin', exact: true }).click();
    await expect(pin).toBeHidden();
    await expect(page.getByRole('alert').filter({ hasText: name })).toContainText(`${name} is kept.`);
    await row.getByRole('button', { name: /^Restore backup / }).click();
    const wizard = app.dialog('Restore backup');
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard.getByRole('table', { name: 'What will be restored' })).toContainText(name);
    await wizard.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(wizard).toBeHidden();
  }
});

test('a destination holding many objects is listed a page at a time, the core doing the paging', async ({ page, vaultdesk, scratchDir }) => {
  const folder = path.join(scratchDir, 'many');
  await mkdir(path.join(folder, 'old-tool'), { recursive: true });
  // What another tool left: objects without manifests, listed as incomplete, enough for three pages.
  for (let i = 0; i < 120; i++) await writeFile(path.join(folder, 'old-tool', `dump-${String(i).padStart(3, '0')}.sql.gz.age`), `object ${i}`);
  const app = new AppPage(page);
  await app.open(vaultdesk.url);
  await callBridge(page, 'destinations:create', { kind: 'local', name: 'archive', path: folder });
  const backups = new BackupsPage(page);
  await backups.show();
  await expect(page.getByTestId('backups-range')).toHaveText('1–50 of 120');
  await expect(backups.table().getByRole('row')).toHaveCount(51);
  await page.getByRole('button', { name: '3', exact: true }).click();
  await expect(page.getByTestId('backups-range')).toHaveText('101–120 of 120');
  await expect(backups.table().getByRole('row')).toHaveCount(21);
  await backups.filter('Status', 'complete');
  await expect(page.getByText('No backups match these filters.')).toBeVisible();
});
