import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { recordWebSocketFrames } from './fixtures/websocket-recorder';
import { DestinationsPage } from './pages/destinations-page';
import { JobsPage } from './pages/jobs-page';
import { SettingsPage } from './pages/settings-page';
import { SourcesPage } from './pages/sources-page';

function makeSqliteFile(file: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items (name) VALUES (\'anvil\');');
  db.close();
}

/**
 * Holds the answers to `channel` until `release()`, so the test can read what the page shows
 * while it waits: the words of a check that is normally over in milliseconds. After `release()`
 * every answer goes through.
 */
async function holdAnswers(page: Page, channel: string): Promise<{ release(): void }> {
  let holding = true;
  const calls = new Set<number>();
  const waiting: (() => void)[] = [];
  await page.routeWebSocket(/\/api\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as { type: string; id?: number; channel?: string };
      if (parsed.type === 'invoke' && parsed.channel === channel) calls.add(parsed.id!);
      server.send(message);
    });
    server.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as { type: string; id?: number };
      if (holding && parsed.type === 'result' && calls.has(parsed.id!)) waiting.push(() => ws.send(message));
      else ws.send(message);
    });
  });
  return {
    release() {
      holding = false;
      for (const send of waiting.splice(0)) send();
    },
  };
}

test('sources and destinations are tested on save, and each list shows its last test', async ({ page, vaultdesk, scratchDir }) => {
  const saving = await holdAnswers(page, 'destinations:create');
  const destinations = new DestinationsPage(page);
  await destinations.open(vaultdesk.url);
  await destinations.show();

  // A folder that takes no file (/proc): the test says why and nothing is saved until the user insists.
  const dialog = await destinations.fillLocal('procdest', '/proc');
  await dialog.getByRole('button', { name: 'Add destination' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Checking the folder before saving…');
  saving.release();
  const failure = dialog.getByTestId('test-on-save-failure');
  await expect(failure).toContainText('Not saved: the test failed');
  await expect(failure).toContainText('Folder /proc cannot be used');
  expect(await page.evaluate(() => window.vaultdesk.destinations.list({}))).toEqual({ ok: true, data: [] });
  await failure.getByRole('button', { name: 'Save anyway' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Destination added, not tested' })).toBeVisible();
  await expect(destinations.row('procdest').getByTestId('last-test')).toHaveText('not tested');

  // A folder that works is saved at once, tested.
  const good = await destinations.fillLocal('local-disk', path.join(scratchDir, 'backups'));
  await good.getByRole('button', { name: 'Add destination' }).click();
  await expect(good).toBeHidden();
  await expect(destinations.row('local-disk').getByTestId('last-test')).toHaveText('test passed');

  // Testing a local folder checks it; nothing is "connected". The failure is kept in the list.
  const testing = await holdAnswers(page, 'destinations:test');
  await page.reload();
  await destinations.row('procdest').getByRole('button', { name: 'Test destination procdest' }).click();
  const testDialog = destinations.dialog('Test destination procdest');
  await expect(testDialog).toContainText('Checking the folder…');
  await expect(testDialog).not.toContainText('Connecting to');
  testing.release();
  await expect(testDialog.getByRole('status')).toContainText('Test failed');
  await testDialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(destinations.row('procdest').getByTestId('last-test')).toHaveText('last test failed');
  await destinations.row('procdest').getByTestId('last-test').hover();
  await expect(page.getByRole('tooltip')).toContainText('Folder /proc cannot be used');

  // A source whose file opens is saved tested; one whose file is missing is saved only when the user insists.
  const sources = new SourcesPage(page);
  await sources.show();
  const dbFile = path.join(scratchDir, 'shop.db');
  makeSqliteFile(dbFile);
  await sources.addSqliteSource('shop', dbFile);
  await expect(sources.row('shop').getByTestId('last-test')).toHaveText('test passed');
  await sources.addSqliteSource('gone', path.join(scratchDir, 'gone.db'));
  await expect(sources.row('gone').getByTestId('last-test')).toHaveText('not tested');
});

test('a new profile says its identity is not saved yet, and Save identity writes it to a 0600 file after saying what it is', async ({ page, vaultdesk, scratchDir }) => {
  const frames = recordWebSocketFrames(page);
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const section = settings.profilesSection();
  await settings.addAgeProfile('team');
  await expect(page.getByRole('alert').filter({ hasText: 'Profile added: save its identity' })).toContainText('is not yet saved outside Vaultdesk');
  await expect(section.getByTestId('identity-not-saved')).toHaveText('not yet saved outside Vaultdesk');

  await section.getByRole('button', { name: 'Save identity of team…' }).click();
  const dialog = settings.dialog('Save the identity of team');
  await expect(dialog).toContainText('The file holds the private key (age identity) of profile team');
  await expect(dialog).toContainText('Keep it apart from the backups');
  await expect(dialog).toContainText('on the machine it runs on');
  const file = path.join(scratchDir, 'keys', 'team-identity.txt');
  await dialog.getByLabel('File to write').fill(file);
  await dialog.getByRole('button', { name: 'Write the identity file' }).click();
  await expect(dialog.getByTestId('identity-file')).toHaveText(file);
  const text = await readFile(file, 'utf8');
  const identity = /^AGE-SECRET-KEY-1[0-9A-Z]+$/m.exec(text)?.[0];
  expect(identity).toBeDefined();
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  // Written on the host: the identity never crossed the socket.
  expect(frames.received.join('\n')).not.toContain(identity!);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(section.getByTestId('identity-not-saved')).toHaveCount(0);
});

test('a 7-Zip passphrase typed in is asked twice; a generated one is flagged until Save passphrase writes it to a 0600 file', async ({ page, vaultdesk, scratchDir }) => {
  const frames = recordWebSocketFrames(page);
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  const section = settings.profilesSection();

  // A typo in the second field is shown under it, and nothing is added.
  const typed = await settings.fillSevenZipProfile('zip-typed', 'correct horse battery', 'correct horse batery');
  const again = typed.getByLabel('Passphrase again', { exact: true });
  // Under the second field: its error is what a screen reader reads with it.
  await expect(again).toHaveAccessibleDescription(/The two passphrases differ/);
  await typed.getByRole('button', { name: 'Add profile' }).click();
  await expect(again).toHaveAccessibleDescription(/The two passphrases differ/);
  expect(await page.evaluate(() => window.vaultdesk.profiles.list({}))).toEqual({ ok: true, data: [] });
  // Typed once only: asked for again, still nothing added.
  await again.fill('');
  await typed.getByRole('button', { name: 'Add profile' }).click();
  await expect(again).toHaveAccessibleDescription(/Type the passphrase again/);
  expect(await page.evaluate(() => window.vaultdesk.profiles.list({}))).toEqual({ ok: true, data: [] });
  // The same twice: added, and the user knows it, so nothing is flagged.
  await again.fill('correct horse battery');
  await typed.getByRole('button', { name: 'Add profile' }).click();
  await expect(typed).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Profile added' })).toContainText('Profile "zip-typed" is ready.');
  await expect(settings.profileRow('zip-typed').getByTestId('identity-not-saved')).toHaveCount(0);

  // A generated passphrase: a notice that stays, and the badge on its row.
  const generated = await settings.fillSevenZipProfile('zip-generated');
  await generated.getByRole('button', { name: 'Add profile' }).click();
  await expect(generated).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Profile added: save its passphrase' })).toContainText('Whoever opens its backups with 7-Zip needs it');
  const row = settings.profileRow('zip-generated');
  await expect(row.getByTestId('identity-not-saved')).toHaveText('not yet saved outside Vaultdesk');

  await section.getByRole('button', { name: 'Save passphrase of zip-generated…' }).click();
  const dialog = settings.dialog('Save the passphrase of zip-generated');
  await expect(dialog).toContainText('The file holds the passphrase of 7-Zip profile zip-generated, alone on its last line');
  await expect(dialog).toContainText('7z x BACKUP.7z');
  await expect(dialog).toContainText('Keep it apart from the backups');
  const file = path.join(scratchDir, 'keys', 'zip-generated.txt');
  await dialog.getByLabel('File to write').fill(file);
  await dialog.getByRole('button', { name: 'Write the passphrase file' }).click();
  await expect(dialog.getByRole('status')).toContainText('Passphrase saved');
  await expect(dialog.getByTestId('identity-file')).toHaveText(file);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  const passphrase = lines.at(-1)!;
  expect(passphrase).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(lines[0]).toContain('7-Zip encryption profile "zip-generated"');
  // Written on the host: the passphrase never crossed the socket.
  expect(frames.received.join('\n')).not.toContain(passphrase);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(row.getByTestId('identity-not-saved')).toHaveCount(0);

  // A job encrypted with 7-Zip: 7-Zip compresses in its archive, so the form offers no compression of its own.
  const jobs = new JobsPage(page);
  await jobs.show();
  await page.getByRole('button', { name: 'Add job' }).click();
  const form = jobs.dialog('Add job');
  const compression = form.getByRole('combobox', { name: 'Compression', exact: true });
  // The only profiles are 7-Zip ones, so the form starts with 7-Zip.
  await expect(form.getByRole('combobox', { name: 'Encryption', exact: true })).toHaveValue('7-Zip AES-256, with a profile passphrase');
  await expect(compression).toBeDisabled();
  await expect(compression).toHaveAccessibleDescription("7-Zip's own, inside its archive");
  const advanced = await jobs.section(form, 'Advanced');
  await expect(advanced.getByRole('textbox', { name: 'Compression level', exact: true })).toBeDisabled();
  await jobs.section(form, 'What');
  await jobs.choose(form, 'Encryption', 'None');
  await expect(compression).toBeEnabled();
});

test('deleting a profile whose identity exists only here waits for an explicit tick, saying its backups would be lost', async ({ page, vaultdesk }) => {
  const settings = new SettingsPage(page);
  await settings.open(vaultdesk.url);
  await settings.show();
  await settings.addAgeProfile('only-here');

  await settings.rowAction('profile only-here', 'Delete');
  const dialog = settings.dialog('Delete profile "only-here"?');
  await expect(dialog).toContainText('no backup encrypted to it can be decrypted again');
  const remove = dialog.getByRole('button', { name: 'Delete' });
  await expect(remove).toBeDisabled();
  await dialog.getByLabel('Delete it anyway: the backups encrypted to it may be lost').check();
  await remove.click();
  await expect(dialog).toBeHidden();
  await expect(settings.profileRow('only-here')).toHaveCount(0);
});

test('a job with a run in progress: the delete dialog says so, deleting is refused until the run is cancelled', async ({ page, vaultdesk, scratchDir }) => {
  const jobs = new JobsPage(page);
  await jobs.open(vaultdesk.url);
  const dbFile = path.join(scratchDir, 'shop.db');
  makeSqliteFile(dbFile);
  // A pre-run hook that waits keeps the run going for as long as the test needs.
  const runId = await page.evaluate(
    async ({ dbFile, folder }) => {
      const api = window.vaultdesk;
      const source = await api.sources.create({ engine: 'sqlite', name: 'shop', path: dbFile });
      const dest = await api.destinations.create({ kind: 'local', name: 'local-disk', path: folder });
      if (!source.ok || !dest.ok) throw new Error('setup failed');
      const job = await api.jobs.create({ name: 'slow-job', sourceId: source.data.id, destinationIds: [dest.data.id], preHook: { shell: false, argv: ['sleep', '120'] } });
      if (!job.ok) throw new Error(job.error.message);
      const run = await api.jobs.run({ id: job.data.id });
      if (!run.ok) throw new Error(run.error.message);
      return run.data.runId;
    },
    { dbFile, folder: path.join(scratchDir, 'backups') },
  );
  expect(runId).toMatch(/^[0-9a-f-]{36}$/);
  await jobs.show();
  await jobs.rowAction('job slow-job', 'Delete');
  const dialog = jobs.dialog('Delete job "slow-job"?');
  const notice = dialog.getByTestId('job-running-notice');
  await expect(notice).toContainText('A backup of this job is running');
  await expect(notice).toContainText('A job cannot be deleted while it runs: cancel the run (nothing of it is kept) or let it finish');

  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog.getByRole('alert', { name: 'Not deleted' })).toContainText('cannot be deleted while it runs');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();

  await jobs.rowAction('job slow-job', 'Delete');
  await notice.getByRole('button', { name: 'Cancel the run' }).click();
  // The run ends (cancelled); the dialog goes back to a plain delete.
  await expect(notice).toBeHidden({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog).toBeHidden();
  await expect(jobs.row('slow-job')).toHaveCount(0);
});

test.describe('with no keychain and no key, as npm start on a headless box', () => {
  test.use({ keyStorage: 'fallback' });

  test('Settings says the key is in a file beside the data folder, what that means and how to move it', async ({ page, vaultdesk }) => {
    const settings = new SettingsPage(page);
    await settings.open(vaultdesk.url);
    await settings.show();
    const keyFile = `${vaultdesk.dataDir}-key/master.key`;
    await expect(settings.keySection().getByTestId('key-state')).toHaveText('OK');
    await expect(settings.keySection().getByTestId('key-location')).toHaveText(`key file ${keyFile}, kept beside the data dir because no OS keychain could be reached`);
    const note = settings.keySection().getByTestId('key-file-fallback');
    await expect(note).toContainText('It protects the stored credentials only as well as that file is protected');
    await expect(note).toContainText('vaultdesk key move-to-keychain');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(vaultdesk.stderr()).toContain(`No OS keychain could be reached, so the master key was saved in ${keyFile}`);
  });
});
