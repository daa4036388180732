import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { startHttpRecorder } from '../src/main/core/testing/http-recorder';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { JobsPage } from './pages/jobs-page';

// The smallest laptop screen a DBA uses: the job form must fit it.
test.use({ viewport: { width: 1280, height: 800 } });

const SHOTS = path.resolve(import.meta.dirname, '../test-results/job-form');

/** A small SQLite database, a source on it and a local destination (the default), made through the contract. */
async function seed(page: Page, scratchDir: string): Promise<{ sourceId: string; destinationId: string; folder: string }> {
  const file = path.join(scratchDir, 'shop.db');
  const db = new Database(file);
  db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT); INSERT INTO orders (item) VALUES ('a'), ('b'), ('c');");
  db.close();
  const folder = path.join(scratchDir, 'backups');
  return page.evaluate(
    async ({ file, folder }) => {
      const source = await window.vaultdesk.sources.create({ engine: 'sqlite', name: 'shop', path: file });
      const destination = await window.vaultdesk.destinations.create({ kind: 'local', name: 'local-disk', path: folder, isDefault: true });
      if (!source.ok || !destination.ok) throw new Error(`seeding failed: ${JSON.stringify([source, destination])}`);
      return { sourceId: source.data.id, destinationId: destination.data.id, folder };
    },
    { file, folder },
  );
}

/** A screenshot of the form for review, without the toasts that may lie over it. */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), style: '.mantine-Notifications-root { display: none !important; }' });
}

async function jobOf(page: Page, name: string): Promise<Record<string, unknown>> {
  return page.evaluate(async (name) => {
    const list = await window.vaultdesk.jobs.list({});
    if (!list.ok) throw new Error(list.error.message);
    const job = list.data.find((j) => j.name === name);
    if (!job) throw new Error(`no job ${name}`);
    return job as unknown as Record<string, unknown>;
  }, name);
}

/** The form's Save/Add button and Cancel are on screen as the dialog opens, without scrolling. */
async function expectButtonsInView(page: Page, submit: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  for (const name of [submit, 'Cancel']) {
    const button = dialog.getByRole('button', { name, exact: true });
    await expect(button).toBeInViewport({ ratio: 1 });
    const box = (await button.boundingBox())!;
    expect(box.y + box.height, `${name} ends above the bottom of an 800 px window`).toBeLessThanOrEqual(800);
  }
}

test('a job is added and edited: the schedule reads back in words with its next runs as it is typed, a bad cron expression is explained and nothing is saved', async ({ page, vaultdesk, scratchDir }) => {
  const jobs = new JobsPage(page);
  await jobs.open(vaultdesk.url);
  await seed(page, scratchDir);
  await jobs.show();

  // Add job without a source: the form says what to do, in words, and asks nothing of the core.
  await page.getByRole('button', { name: 'Add job' }).click();
  const adding = jobs.dialog('Add job');
  await expectButtonsInView(page, 'Add job');
  await jobs.fill(adding, 'Name', 'shop-nightly');
  await adding.getByRole('button', { name: 'Add job' }).click();
  await expect(adding.getByLabel('Source', { exact: true })).toHaveAccessibleDescription(/Choose a source/);
  await expect(adding).not.toContainText('UUID');
  await jobs.choose(adding, 'Source', 'shop (default)');
  // No profile exists: the form says what None means.
  await expect(adding.getByRole('note')).toContainText('Anyone who gets hold of a backup file');
  await shot(page, 'add-what');
  const when = await jobs.section(adding, 'When');
  await when.getByText('Every day at 02:00', { exact: true }).click();
  await expect(when.getByLabel('Schedule (cron)', { exact: true })).toHaveValue('0 2 * * *');
  await expect(jobs.scheduleReadBack(adding)).toContainText('At 02:00');
  await expect(jobs.scheduleReadBack(adding).getByRole('listitem')).toHaveCount(5);
  await adding.getByRole('button', { name: 'Add job' }).click();
  await expect(adding).toBeHidden();
  await expect(jobs.schedule('shop-nightly')).toContainText('At 02:00');
  await expect(jobs.row('shop-nightly')).toContainText('not encrypted');
  // serve runs no scheduler: the page says so rather than implying the schedule will fire.
  await expect(page.getByRole('status').filter({ hasText: 'Nothing is running the schedules now' })).toBeVisible();

  // Once a profile exists, a new job is encrypted with it unless the DBA chooses None; a form
  // already open when the profile is made (here, or in another window) follows it.
  await page.getByRole('button', { name: 'Add job' }).click();
  await expect(adding.getByLabel('Encryption', { exact: true })).toHaveValue('None');
  await expect(adding.getByRole('note')).toContainText('Anyone who gets hold of a backup file');
  expect((await page.evaluate(() => window.vaultdesk.profiles.create({ kind: 'age', name: 'team-key' }))).ok).toBe(true);
  await expect(adding.getByLabel('Encryption', { exact: true })).toHaveValue('age, to an encryption profile');
  await expect(adding.getByLabel('Encryption profile', { exact: true })).toHaveValue('team-key');
  await expect(adding.getByRole('note')).toHaveCount(0);
  // So does the default destination, while the DBA has not picked the destinations.
  await expect(adding.locator('.mantine-Pill-label')).toHaveText(['local-disk']);
  const offsite = await page.evaluate((p) => window.vaultdesk.destinations.create({ kind: 'local', name: 'offsite-disk', path: p, isDefault: true }), path.join(scratchDir, 'offsite'));
  expect(offsite.ok).toBe(true);
  await expect(adding.locator('.mantine-Pill-label')).toHaveText(['offsite-disk']);
  await adding.getByRole('button', { name: 'Cancel' }).click();
  await expect(adding).toBeHidden();

  const dialog = await jobs.edit('shop-nightly');
  await expectButtonsInView(page, 'Save job');
  await shot(page, 'edit-what');
  await jobs.section(dialog, 'Advanced');
  await expectButtonsInView(page, 'Save job');
  await shot(page, 'edit-advanced');
  const schedule = await jobs.section(dialog, 'When');
  await expectButtonsInView(page, 'Save job');
  const readBack = jobs.scheduleReadBack(dialog);
  const nextRuns = readBack.getByRole('listitem');
  await expect(nextRuns).toHaveCount(5);
  const daily = await nextRuns.allTextContents();
  expect(daily.every((t) => t.endsWith('02:00')), daily.join(' | ')).toBe(true);
  await jobs.choose(schedule, 'Time zone', 'America/New_York');
  await expect(readBack).toContainText('America/New_York');

  // Typed by hand: the words and the runs follow without saving.
  const cron = schedule.getByLabel('Schedule (cron)', { exact: true });
  await cron.fill('*/15 * * * *');
  await expect(readBack).toContainText('Every 15 minutes');
  await expect(nextRuns).toHaveCount(5);
  await expect.poll(async () => (await nextRuns.allTextContents()).join(' | ')).not.toBe(daily.join(' | '));
  const quarterly = await nextRuns.allTextContents();
  expect(quarterly.every((t) => /:(00|15|30|45)$/.test(t)), quarterly.join(' | ')).toBe(true);
  await expect(schedule.getByRole('radio', { name: 'Custom' })).toBeChecked();
  await shot(page, 'edit-when');

  // A day no month has: refused under the field as it is typed, not an empty "Next runs:".
  await cron.fill('0 2 30 2 *');
  await expect(cron).toHaveAccessibleDescription(/^This schedule never fires: "0 2 30 2 \*" \(At 02:00, on day 30 of the month, only in February\) matches no date in any year/);
  await expect(readBack).toContainText('No runs to show');

  // Not cron: the words say what cron is, with an example, under the field; saving keeps the old schedule.
  await cron.fill('every night');
  await expect(cron).toHaveAccessibleDescription(/"every night" is not a schedule Vaultdesk understands/);
  await expect(cron).toHaveAccessibleDescription(/A schedule is a cron expression: five fields, minute hour day-of-month month day-of-week, e\.g\. "0 2 \* \* \*" for every day at 02:00/);
  await expect(readBack).toContainText('No runs to show');
  await shot(page, 'edit-when-bad-cron');
  await jobs.section(dialog, 'What');
  await dialog.getByRole('button', { name: 'Save job' }).click();
  // The refusal brings the section with the problem back into view, marked on its tab.
  await expect(dialog.getByRole('tab', { name: /^When/ })).toHaveAttribute('aria-selected', 'true');
  await expect(dialog.getByRole('tab', { name: /^When/ })).toContainText('1');
  await expect(cron).toHaveAccessibleDescription(/is not a schedule Vaultdesk understands/);
  await expect(dialog).toBeVisible();
  expect(await jobOf(page, 'shop-nightly')).toMatchObject({ schedule: '0 2 * * *' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // A preset and a zone, saved: the list reads them back.
  const again = await jobs.edit('shop-nightly');
  const section = await jobs.section(again, 'When');
  await section.getByText('Weekdays at 01:30', { exact: true }).click();
  await jobs.choose(section, 'Time zone', 'America/New_York');
  await expect(jobs.scheduleReadBack(again)).toContainText('Monday through Friday');
  await section.getByRole('switch', { name: /^Catch up missed runs/ }).click();
  await again.getByRole('button', { name: 'Save job' }).click();
  await expect(again).toBeHidden();
  expect(await jobOf(page, 'shop-nightly')).toMatchObject({ schedule: '30 1 * * 1-5', timezone: 'America/New_York', catchUp: false, sourceName: 'shop', destinationNames: ['local-disk'] });
  await expect(jobs.schedule('shop-nightly')).toContainText('Monday through Friday');
  await expect(jobs.schedule('shop-nightly')).toContainText('30 1 * * 1-5');
  await expect(jobs.schedule('shop-nightly')).toContainText(/next: \w{3}, .* 01:30/);
  // The list, with its Edit action and the schedule in words, still fits the window's width.
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth)).toBeLessThanOrEqual(0);
  await shot(page, 'jobs-list');
});

test('a retention policy is previewed before it is saved, then applied by the next run', async ({ page, vaultdesk, scratchDir }) => {
  const jobs = new JobsPage(page);
  await jobs.open(vaultdesk.url);
  const { sourceId, destinationId, folder } = await seed(page, scratchDir);
  const created = await page.evaluate(async (input) => window.vaultdesk.jobs.create(input), { name: 'shop-hourly', sourceId, destinationIds: [destinationId] });
  expect(created.ok).toBe(true);
  await jobs.show();
  // The last-run cell says "succeeded" for the previous run too: count the runs to know this one ended.
  const succeeded = (): Promise<number> =>
    page.evaluate(async () => {
      const runs = await window.vaultdesk.runs.list({ limit: 50 });
      return runs.ok ? runs.data.filter((r) => r.status === 'succeeded').length : -1;
    });
  const runNow = async (n: number): Promise<void> => {
    await expect(jobs.runNowButton('shop-hourly')).toBeEnabled();
    await jobs.runNowButton('shop-hourly').click();
    await expect.poll(succeeded, { timeout: 30_000 }).toBe(n);
    await expect(jobs.lastRun('shop-hourly')).toContainText('succeeded');
  };
  for (let n = 1; n <= 3; n++) await runNow(n);
  const objects = (): string[] => readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => /\.sqlite(\.zst)?$/.test(f));
  expect(objects()).toHaveLength(3);

  const dialog = await jobs.edit('shop-hourly');
  const keep = await jobs.section(dialog, 'Keep');
  await expect(keep.getByTestId('retention-words')).toContainText('none: every backup is kept');
  await keep.getByLabel('Keep last', { exact: true }).fill('1');
  await expect(keep.getByTestId('retention-words')).toContainText('keep the last 1; never fewer than the newest 1; pinned backups are always kept');
  await keep.getByRole('button', { name: 'Preview' }).click();
  const preview = keep.getByRole('region', { name: 'Retention preview' });
  await expect(preview.getByTestId('retention-summary')).toContainText('1 kept, 2 would be deleted');
  const rows = preview.getByTestId('retention-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('keep');
  await expect(rows.nth(0)).toContainText('last 1, minimum');
  await expect(rows.nth(1)).toContainText('delete');
  await expect(rows.nth(1)).toContainText('no rule keeps it');
  await expect(keep).toContainText('not saved yet');
  await expectButtonsInView(page, 'Save job');

  // The preview follows the fields as they change.
  await keep.getByLabel('Keep last', { exact: true }).fill('2');
  await expect(preview.getByTestId('retention-summary')).toContainText('2 kept, 1 would be deleted');
  await expect(rows.nth(1)).toContainText('last 2');
  await shot(page, 'edit-keep');
  // A preview deletes nothing.
  expect(objects()).toHaveLength(3);

  await dialog.getByRole('button', { name: 'Save job' }).click();
  await expect(dialog).toBeHidden();
  expect(await jobOf(page, 'shop-hourly')).toMatchObject({ retention: { keepLast: 2, daily: null, weekly: null, monthly: null, yearly: null, minimum: 1 } });

  // The next run applies it: two backups stay (the new one and the one before), with their manifests.
  await runNow(4);
  await expect.poll(() => objects().length).toBe(2);
  const manifests = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.manifest.json'));
  expect(manifests).toHaveLength(2);

  const reopened = await jobs.edit('shop-hourly');
  const saved = await jobs.section(reopened, 'Keep');
  await expect(saved.getByLabel('Keep last', { exact: true })).toHaveValue('2');
  await saved.getByRole('button', { name: 'Preview' }).click();
  await expect(saved.getByTestId('retention-summary')).toContainText('2 kept, 0 would be deleted');
  await expect(saved).toContainText('Nothing is deleted by a preview');
});

test('hooks and notification addresses are saved and shown, URLs only by their host, and a test notification reaches a local server', async ({ page, vaultdesk, scratchDir }) => {
  const receiver = await startHttpRecorder();
  try {
    const jobs = new JobsPage(page);
    await jobs.open(vaultdesk.url);
    const { sourceId, destinationId } = await seed(page, scratchDir);
    expect((await page.evaluate(async (input) => window.vaultdesk.jobs.create(input), { name: 'shop-hooks', sourceId, destinationIds: [destinationId] })).ok).toBe(true);
    await jobs.show();

    const dialog = await jobs.edit('shop-hooks');
    const hooks = await jobs.section(dialog, 'Hooks and notifications');
    await expectButtonsInView(page, 'Save job');
    const before = hooks.getByRole('group', { name: 'Before each run hook' });
    const after = hooks.getByRole('group', { name: 'After each run hook' });
    await before.getByLabel('Before each run', { exact: true }).fill('pg_isready -q | logger');
    await after.getByLabel('After each run', { exact: true }).fill('/bin/echo done "with spaces"');
    await hooks.getByLabel('Webhook URL', { exact: true }).fill(`${receiver.base}/hook/T0/B0/secret-token`);
    await jobs.choose(hooks, 'Webhook format', 'Slack');
    await hooks.getByLabel('Healthchecks URL', { exact: true }).fill(`${receiver.base}/ping/check-uuid`);
    // Untested before saving: the test uses the saved addresses.
    await expect(hooks.getByRole('button', { name: 'Send test notification' })).toBeDisabled();
    await expect(hooks).toContainText('Save first');

    // A pipe without a shell is refused under the field, naming the switch; nothing is saved.
    await jobs.section(dialog, 'What');
    await dialog.getByRole('button', { name: 'Save job' }).click();
    await expect(dialog.getByRole('tab', { name: /^Hooks and notifications/ })).toHaveAttribute('aria-selected', 'true');
    await expect(before.getByLabel('Before each run', { exact: true })).toHaveAccessibleDescription(
      /This command cannot run without a shell: it uses the shell operator \|: turn on "Run with a shell", or put it in a script\./,
    );
    expect(await jobOf(page, 'shop-hooks')).toMatchObject({ preHook: null, hasWebhook: false });
    await before.getByRole('switch', { name: /^Run with a shell/ }).click();
    await expect(before.getByLabel('Before each run', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    // A quote never closed is refused under its field, not saved as other arguments; nor is a ~ only a shell would expand.
    const afterLine = after.getByLabel('After each run', { exact: true });
    await afterLine.fill(`/bin/echo "it's unterminated`);
    await dialog.getByRole('button', { name: 'Save job' }).click();
    await expect(afterLine).toHaveAccessibleDescription(
      /This command cannot be run as written: the " before it's unterminated is never closed, and a shell would refuse the line too: close it, or write \\" where a " is part of an argument\./,
    );
    await afterLine.fill('~/bin/notify.sh');
    await dialog.getByRole('button', { name: 'Save job' }).click();
    await expect(afterLine).toHaveAccessibleDescription(/This command cannot run without a shell: ~\/bin\/notify\.sh starts with ~, .*: write the full path, or turn on "Run with a shell"\./);
    expect(await jobOf(page, 'shop-hooks')).toMatchObject({ preHook: null, postHook: null });
    await afterLine.fill('/bin/echo done "with spaces"');
    await shot(page, 'edit-hooks');
    await dialog.getByRole('button', { name: 'Save job' }).click();
    await expect(dialog).toBeHidden();
    expect(await jobOf(page, 'shop-hooks')).toMatchObject({
      preHook: { shell: true, script: 'pg_isready -q | logger' },
      postHook: { shell: false, argv: ['/bin/echo', 'done', 'with spaces'] },
      hasWebhook: true,
      webhookHost: `127.0.0.1:${receiver.port}/…`,
      webhookFormat: 'slack',
      hasHealthchecks: true,
    });

    // Shown again as saved; the URLs never come back, only their host.
    const reopened = await jobs.edit('shop-hooks');
    const shown = await jobs.section(reopened, 'Hooks and notifications');
    await expect(shown.getByLabel('Before each run', { exact: true })).toHaveValue('pg_isready -q | logger');
    await expect(shown.getByRole('group', { name: 'Before each run hook' }).getByRole('switch', { name: /^Run with a shell/ })).toBeChecked();
    await expect(shown.getByLabel('After each run', { exact: true })).toHaveValue("/bin/echo done 'with spaces'");
    await expect(shown.getByTestId('Webhook URL state')).toHaveText(`set (127.0.0.1:${receiver.port}/…)`);
    await expect(shown.getByTestId('Healthchecks URL state')).toHaveText(`set (127.0.0.1:${receiver.port}/…)`);
    expect(await page.content()).not.toContain('secret-token');
    expect(await page.content()).not.toContain('check-uuid');

    await shown.getByRole('button', { name: 'Send test notification' }).click();
    const outcome = shown.getByRole('table', { name: 'Test notification outcome' });
    await expect(outcome.getByTestId('notification-outcome').filter({ hasText: 'job webhook' })).toContainText('sent');
    await expect(outcome.getByTestId('notification-outcome').filter({ hasText: 'healthchecks' })).toContainText('sent');
    // However far the section scrolled, its tabs and the buttons stay in view.
    await expect(outcome).toBeInViewport();
    await expect(reopened.getByRole('tab', { name: /^Hooks and notifications/ })).toBeInViewport({ ratio: 1 });
    await expectButtonsInView(page, 'Save job');
    await shot(page, 'edit-hooks-test');
    const received = await receiver.waitFor(2);
    const hook = received.find((r) => r.url === '/hook/T0/B0/secret-token');
    expect(hook?.method).toBe('POST');
    expect(JSON.parse(hook!.body)).toEqual({ text: 'Vaultdesk: Test notification for job shop-hooks: this channel reaches you.' });
    expect(received.find((r) => r.url === '/ping/check-uuid/log')?.body).toBe('Test notification for job shop-hooks: this channel reaches you.');

    // Remove the webhook: said before saving, gone after.
    await shown.getByRole('button', { name: 'Remove Webhook URL' }).click();
    await expect(shown.getByTestId('Webhook URL state')).toHaveText('will be removed when you save');
    await reopened.getByRole('button', { name: 'Save job' }).click();
    await expect(reopened).toBeHidden();
    expect(await jobOf(page, 'shop-hooks')).toMatchObject({ hasWebhook: false, hasHealthchecks: true, preHook: { shell: true } });
  } finally {
    await receiver.down();
  }
});
