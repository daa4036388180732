import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import Database from 'better-sqlite3';
import { callBridge } from './fixtures/bridge-api';
import { runToSuccess } from './fixtures/runs';
import { expectAccessible } from './fixtures/axe';
import { seedRealisticData, type RealisticData } from './fixtures/realistic-data';
import { mainWindowOptions } from '../src/main/electron/window-options';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { AppPage, type NavTarget } from './pages/app-page';
import { HomePage } from './pages/home-page';

// The smallest laptop screen a DBA uses (issue 12).
test.use({ viewport: { width: 1280, height: 800 }, keyStorage: 'file' });

// The app window's own minimum, read where the window is made, so these tests follow it if it changes.
const { minWidth: MIN_WIDTH, minHeight: MIN_HEIGHT } = mainWindowOptions('preload.js', undefined) as { minWidth: number; minHeight: number };

/** Seeds several rows of every kind through the contract, then reloads so every list starts from the store. */
async function openSeeded(page: Page, url: string, scratchDir: string): Promise<{ app: AppPage; data: RealisticData }> {
  const app = new AppPage(page);
  await app.open(url);
  const data = await seedRealisticData(page, scratchDir);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  return { app, data };
}

/** What shows that a page has its data on screen (not a loader), page by page. */
function ready(page: Page, data: RealisticData): Record<NavTarget, Locator[]> {
  const row = (table: string, name: string): Locator => page.getByRole('table', { name: table }).getByRole('cell', { name, exact: true });
  return {
    Home: [new HomePage(page).card(data.runningJob).getByTestId('run-progress'), page.getByTestId('state-summary')],
    Sources: data.sourceNames.map((n) => row('Sources', n)),
    Destinations: data.destinationNames.map((n) => row('Destinations', n)),
    Jobs: data.jobNames.map((n) => row('Jobs', n)),
    Runs: [page.getByRole('table', { name: 'Runs' }).getByRole('row').nth(4), page.getByRole('figure', { name: 'Backup size over time' })],
    // Two backups of the inventory job; the bucket that does not exist is said above the table.
    Backups: [page.getByRole('table', { name: 'Backups' }).getByRole('row').nth(2), page.getByRole('alert').filter({ hasText: 'could not be read' })],
    Recovery: [page.getByRole('region', { name: 'Restore history' }).getByText('No restores yet.'), page.getByRole('region', { name: 'Recovery kit', exact: true }), page.getByRole('region', { name: 'Decrypt a backup file' })],
    // A profile's name shares its cell with the "not yet saved" badge.
    Settings: [
      page.getByRole('table', { name: 'Encryption profiles' }).getByRole('row').filter({ hasText: data.profileName }),
      row('Environments', data.environmentName),
      page.getByTestId('key-fingerprint'),
    ],
  };
}

async function checkPage(app: AppPage, testInfo: TestInfo, name: string): Promise<void> {
  await app.expectNoSideScroll();
  await expectAccessible(app.page, testInfo, `page ${name}`);
  await app.keepScreenshot(testInfo, `page-${name.toLowerCase().replace(/\W+/g, '-')}`);
}

test('every page at 1280x800 with several rows of long names, paths and endpoints: no sideways scrolling, no serious WCAG A/AA violation, a screenshot each', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(180_000);
  const { app, data } = await openSeeded(page, vaultdesk.url, scratchDir);
  const shown = ready(page, data);
  for (const target of ['Home', 'Sources', 'Destinations', 'Jobs', 'Runs', 'Backups', 'Recovery', 'Settings'] as const) {
    await app.navigate(target);
    for (const locator of shown[target]) await expect(locator).toBeVisible();
    await checkPage(app, testInfo, target);
  }

  // The running job's Cancel is whole beside its Run now, in the Jobs list as in Runs.
  await app.navigate('Jobs');
  const cancel = page.getByRole('button', { name: `Cancel run of ${data.runningJob}` });
  await expect(cancel).toHaveText('Cancel');
  expect(await cancel.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true);
  const [cancelBox, runBox] = [await cancel.boundingBox(), await page.getByRole('button', { name: `Run now: ${data.runningJob}`, exact: true }).boundingBox()];
  expect(cancelBox!.x + cancelBox!.width, 'Cancel ends before Run now begins').toBeLessThan(runBox!.x);

  // A long value cut short shows whole in a tooltip.
  await app.navigate('Sources');
  const location = page.getByTestId(`source-row-${data.sourceNames[0]}`).getByText(/vaultdesk_backup_operator_readonly@/);
  await location.hover();
  await expect(page.getByRole('tooltip')).toContainText('billing-ledger-primary.cluster-ro-c9akciq32lmn.eu-west-1.rds.amazonaws.com:5432/billing_ledger_production_2026');

  await page.goto(`${vaultdesk.url}#/no-such-page`);
  await expect(page.getByTestId('not-found').getByRole('heading', { level: 2 })).toHaveText('Page not found');
  await checkPage(app, testInfo, 'not found');
});

/**
 * The buttons of a dialog are on screen without scrolling, and nothing (a toast, the page) lies
 * over them: the element at each button's centre is the button.
 */
async function expectButtonsUsable(dialog: Locator, names: string[]): Promise<void> {
  for (const name of names) {
    const button = dialog.getByRole('button', { name, exact: true });
    await expect(button).toBeInViewport({ ratio: 1 });
    const onTop = await button.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return hit !== null && el.contains(hit) ? 'the button' : (hit?.outerHTML.slice(0, 160) ?? 'nothing');
    });
    expect(onTop, `what is on top of ${name}`).toBe('the button');
  }
}

class DialogCheck {
  constructor(
    readonly app: AppPage,
    readonly testInfo: TestInfo,
  ) {}

  /** Checks the open dialog (its buttons, then axe), keeps a screenshot, and closes it with Escape. */
  async check(name: string | RegExp, buttons: string[] = [], before?: (dialog: Locator) => Promise<void>): Promise<void> {
    const dialog = this.app.dialog(name);
    await expect(dialog).toBeVisible();
    if (before) await before(dialog);
    await expectButtonsUsable(dialog, buttons);
    const label = typeof name === 'string' ? name : name.source;
    await expectAccessible(this.app.page, this.testInfo, `dialog ${label}`);
    await this.app.keepScreenshot(this.testInfo, `dialog-${label.toLowerCase().replace(/\W+/g, '-')}`);
    await this.app.page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }

  /** The row's "More actions" menu, open: checked by axe too. */
  async checkMenu(what: string): Promise<void> {
    await this.checkMenuOf(this.app.page.getByRole('button', { name: `More actions for ${what}`, exact: true }), what);
  }

  /** The same, for a menu button found some other way (two rows may share a label). */
  async checkMenuOf(button: Locator, what: string): Promise<void> {
    await button.click();
    await expect(this.app.page.getByRole('menu')).toBeVisible();
    await expectAccessible(this.app.page, this.testInfo, `menu of ${what}`);
    await this.app.page.keyboard.press('Escape');
    await expect(this.app.page.getByRole('menu')).toBeHidden();
  }
}

test(`the narrowest window (${MIN_WIDTH}x${MIN_HEIGHT}, its minimum): the Jobs and Backups tables fit without scrolling sideways and keep their names readable, and each page action stays beside its title`, async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  const { app, data } = await openSeeded(page, vaultdesk.url, scratchDir);
  await page.setViewportSize({ width: MIN_WIDTH, height: MIN_HEIGHT });
  const shown = ready(page, data);
  for (const [target, column, action] of [
    ['Jobs', 'Name', 'Add job'],
    ['Backups', 'Database, job → destination', 'Refresh'],
  ] as const) {
    await app.navigate(target);
    for (const locator of shown[target]) await expect(locator).toBeVisible();
    const table = page.getByRole('table', { name: target });
    const header = await table.getByRole('columnheader', { name: column }).boundingBox();
    expect(header!.width, `the ${column} column of ${target}`).toBeGreaterThanOrEqual(150);
    expect(await sidewaysOverflow(table), `the ${target} table scrolls sideways`).toBeLessThanOrEqual(0);
    await app.expectNoSideScroll();
    // The title and its description, and the action to their right, not under them.
    const text = await page.getByRole('heading', { level: 2, name: target }).locator('..').boundingBox();
    const button = await page.getByRole('button', { name: action, exact: true }).boundingBox();
    expect(button!.y, `${action} beside the ${target} title and description, not below them`).toBeLessThan(text!.y + text!.height);
    expect(button!.x).toBeGreaterThanOrEqual(text!.x + text!.width);
  }
});

/** Wholly within the window's width, where it is on the page vertically: no sideways scroll needed to reach it. */
async function expectWithinWidth(page: Page, locator: Locator, what: string): Promise<void> {
  const box = (await locator.boundingBox())!;
  expect(box.x, `${what} starts in the window`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} ends in the window`).toBeLessThanOrEqual(page.viewportSize()!.width);
}

/** The table's own scroll container scrolls sideways by this many pixels (0: its rows fit). */
async function sidewaysOverflow(table: Locator): Promise<number> {
  return table.evaluate((t) => {
    const box = t.closest('.mantine-TableScrollContainer-scrollContainer') ?? t.parentElement!;
    return box.scrollWidth - box.clientWidth;
  });
}

test(`a 1024x700 window and a ${MIN_WIDTH}x700 one (the narrowest the app allows): the Jobs and Backups tables fit beside the navigation with long job and database names, each row's main action and menu in view, nothing scrolling sideways`, async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(240_000);
  const { app, data } = await openSeeded(page, vaultdesk.url, scratchDir);
  // A backup whose database and job both have long names, beside the seeded rows.
  const database = 'customer_order_fulfilment_events_archive_2019_2026';
  const file = path.join(scratchDir, 'srv/fulfilment', `${database}.sqlite3`);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT); INSERT INTO events (kind) VALUES (\'shipped\');');
  db.close();
  const source = await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'fulfilment-events-archive (embedded SQLite)', path: file });
  const local = (await callBridge(page, 'destinations:list', {})).find((d) => d.name === data.destinationNames[0])!;
  const job = await callBridge(page, 'jobs:create', { name: 'customer-order-fulfilment-events-archive-weekly-full', sourceId: source.id, destinationIds: [local.id] });
  await runToSuccess(page, job.id);
  for (const width of [1024, MIN_WIDTH]) {
    await page.setViewportSize({ width, height: 700 });
    await expectNarrowTablesFit(app, testInfo, data, job.name, database);
  }
});

/** At the window's size now: the Jobs and Backups tables in their narrow layout fit, their rows' actions in view, what the layout folds away still said. */
async function expectNarrowTablesFit(app: AppPage, testInfo: TestInfo, data: RealisticData, jobName: string, database: string): Promise<void> {
  const page = app.page;
  const size = `${page.viewportSize()!.width}x${page.viewportSize()!.height}`;
  const jobs = page.getByRole('table', { name: 'Jobs' });
  const backups = page.getByRole('table', { name: 'Backups' });

  await app.navigate('Jobs');
  for (const locator of ready(page, data).Jobs) await expect(locator).toBeVisible();
  const jobRow = jobs.getByRole('row').filter({ has: page.getByRole('cell', { name: jobName }) });
  await expect(jobRow).toContainText('succeeded');
  expect(await sidewaysOverflow(jobs), 'the Jobs table scrolls sideways').toBeLessThanOrEqual(0);
  await app.expectNoSideScroll();
  for (const name of [jobName, ...data.jobNames]) {
    await expectWithinWidth(page, page.getByRole('button', { name: `Run now: ${name}`, exact: true }), `Run now of ${name}`);
    await expectWithinWidth(page, page.getByRole('button', { name: `More actions for job ${name}`, exact: true }), `the menu of ${name}`);
  }
  // What the narrow layout folds under the name is still said.
  await expect(jobRow).toContainText('not encrypted');
  await expectAccessible(page, testInfo, `page Jobs at ${size}`);
  await app.keepScreenshot(testInfo, `jobs-at-${size}`);

  await app.navigate('Backups');
  const backupRow = backups.getByRole('row').filter({ hasText: database });
  await expect(backupRow).toContainText(`job ${jobName}`);
  await expect(backupRow.getByTestId('backup-destination')).toHaveText(`→ ${data.destinationNames[0]}`);
  expect(await sidewaysOverflow(backups), 'the Backups table scrolls sideways').toBeLessThanOrEqual(0);
  await app.expectNoSideScroll();
  for (const row of await backups.getByRole('row').filter({ has: page.getByRole('button', { name: /^More actions for backup / }) }).all()) {
    await expectWithinWidth(page, row.getByRole('button', { name: /^Restore backup / }), 'Restore');
    await expectWithinWidth(page, row.getByRole('button', { name: /^More actions for backup / }), 'the menu of a backup');
  }
  await expect(backupRow.getByTestId('backup-verified')).toHaveText('not verified');
  await expectAccessible(page, testInfo, `page Backups at ${size}`);
  await app.keepScreenshot(testInfo, `backups-at-${size}`);
}

test('every dialog at 1280x800: its buttons in view and uncovered, and no serious WCAG A/AA violation', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(420_000);
  const { app, data } = await openSeeded(page, vaultdesk.url, scratchDir);
  const dialogs = new DialogCheck(app, testInfo);
  const [pgSource, , sqliteSource] = data.sourceNames as [string, string, string];
  const [localDestination, s3Destination] = data.destinationNames as [string, string, string];

  await app.navigate('Sources');
  await page.getByRole('button', { name: 'Add source' }).click();
  // The longest form: a server source reached over SSH.
  await dialogs.check('Add source', ['Add source', 'Cancel'], async (dialog) => {
    await dialog.getByLabel('Connect through SSH').check();
    await expect(dialog.getByLabel('SSH host', { exact: true })).toBeVisible();
  });
  await app.rowAction(`source ${pgSource}`, 'Edit');
  await dialogs.check(`Edit source ${pgSource}`, ['Save changes', 'Cancel']);
  await page.getByRole('button', { name: `Test connection to source ${sqliteSource}` }).click();
  await dialogs.check(`Test source ${sqliteSource}`, ['Close'], async (dialog) => {
    await expect(dialog.getByRole('status')).toContainText('Connected');
  });
  await dialogs.checkMenu(`source ${pgSource}`);
  await app.rowAction(`source ${pgSource}`, 'Delete');
  await dialogs.check(`Delete source "${pgSource}"?`, ['Delete', 'Cancel']);

  await app.navigate('Destinations');
  for (const kind of ['S3-compatible bucket', 'SFTP server']) {
    await page.getByRole('button', { name: 'Add destination' }).click();
    await dialogs.check('Add destination', ['Add destination', 'Cancel'], async (dialog) => {
      await app.choose(dialog, 'Kind', kind);
    });
  }
  await app.rowAction(`destination ${s3Destination}`, 'Edit');
  await dialogs.check(`Edit destination ${s3Destination}`, ['Save changes', 'Cancel']);
  await page.getByRole('button', { name: `Test destination ${localDestination}` }).click();
  await dialogs.check(`Test destination ${localDestination}`, ['Close'], async (dialog) => {
    await expect(dialog.getByRole('status')).toContainText('Destination reachable');
  });
  await dialogs.checkMenu(`destination ${localDestination}`);
  await app.rowAction(`destination ${s3Destination}`, 'Delete');
  await dialogs.check(`Delete destination "${s3Destination}"?`, ['Delete', 'Cancel']);

  await app.navigate('Jobs');
  await page.getByRole('button', { name: 'Add job' }).click();
  for (const section of ['What', 'When', 'Keep', 'Hooks and notifications', 'Advanced']) {
    const dialog = app.dialog('Add job');
    await dialog.getByRole('tab', { name: new RegExp(`^${section}`) }).click();
    await expectButtonsUsable(dialog, ['Add job', 'Cancel']);
    await expectAccessible(page, testInfo, `dialog Add job, ${section}`);
    await app.keepScreenshot(testInfo, `dialog-add-job-${section.toLowerCase().replace(/\W+/g, '-')}`);
  }
  await page.keyboard.press('Escape');
  await expect(app.dialog('Add job')).toBeHidden();
  const [inventoryJob] = data.jobNames as [string];
  await app.rowAction(`job ${inventoryJob}`, 'Edit');
  await dialogs.check(`Edit job ${inventoryJob}`, ['Save job', 'Cancel']);
  await dialogs.checkMenu(`job ${data.runningJob}`);
  await app.rowAction(`job ${data.runningJob}`, 'Delete');
  await dialogs.check(`Delete job "${data.runningJob}"?`, ['Delete', 'Cancel'], async (dialog) => {
    await expect(dialog.getByTestId('job-running-notice')).toBeVisible();
  });

  await app.navigate('Runs');
  for (const job of [data.jobNames[1]!, inventoryJob]) {
    await page.getByRole('link', { name: new RegExp(`^Details of the ${job} run`) }).first().click();
    await dialogs.check(`Run of ${job}`, [], async (dialog) => {
      await expect(dialog.getByTestId('run-detail')).toBeVisible();
    });
  }

  await app.navigate('Backups');
  const backup = page.getByRole('table', { name: 'Backups' }).getByRole('row').nth(1);
  const backupWhat = ((await backup.getByRole('button', { name: /^More actions for / }).getAttribute('aria-label')) ?? '').replace('More actions for ', '');
  // Two backups of the seeded job may be made within one second: this row's own button is clicked, whatever its label says.
  const backupMenu = backup.getByRole('button', { name: /^More actions for / });
  const backupAction = async (action: string): Promise<void> => {
    await backupMenu.click();
    await page.getByRole('menuitem', { name: action, exact: true }).click();
  };
  await dialogs.checkMenuOf(backupMenu, backupWhat);
  // Each dialog names the backup as its row does (with its file name when another shares its second).
  const backupName = backupWhat.replace(/^backup /, '');
  for (const [action, title, buttons] of [
    ['Verify', 'Verify backup', ['Close']],
    ['Download to a file…', 'Download backup', ['Cancel']],
    ['Pin…', 'Pin backup', ['Pin', 'Cancel']],
  ] as const) {
    await backupAction(action);
    await dialogs.check(title, [...buttons], async (dialog) => {
      await expect(dialog).toContainText(backupName);
      if (action === 'Verify') await expect(dialog.getByTestId('verify-verdict')).toBeVisible({ timeout: 20_000 });
    });
  }
  await backupAction('Delete');
  await dialogs.check(`Delete ${backupWhat}?`, ['Delete', 'Cancel']);
  await backup.getByRole('button', { name: /^Restore backup / }).click();
  await dialogs.check('Restore backup', ['Check target', 'Cancel'], async (dialog) => {
    await expect(dialog).toContainText(backupName);
    await expect(dialog.getByRole('combobox', { name: 'Restore into source' })).toHaveValue(data.sourceNames[2]!);
  });
  await backupAction('Restore drill');
  await dialogs.check('Restore drill', ['Start drill', 'Cancel'], async (dialog) => {
    await expect(dialog).toContainText(backupName);
    // Not closed by a click outside: a running drill would lose its view.
    await page.mouse.click(5, 5);
    await expect(dialog).toBeVisible();
  });

  await app.navigate('Settings');
  const environments = page.getByRole('region', { name: 'Environments' });
  await environments.getByRole('button', { name: 'Add environment' }).click();
  await dialogs.check('Add environment', ['Add environment', 'Cancel']);
  await environments.getByRole('button', { name: `Edit environment ${data.environmentName}` }).click();
  await dialogs.check(`Edit environment ${data.environmentName}`, ['Save changes', 'Cancel'], async (dialog) => {
    await expect(dialog.getByLabel('Allowed destinations')).toBeVisible();
  });
  await app.rowAction(`environment ${data.environmentName}`, 'Delete');
  await dialogs.check(`Delete environment "${data.environmentName}"?`, ['Delete', 'Cancel']);
  const profiles = page.getByRole('region', { name: 'Encryption profiles' });
  await profiles.getByRole('button', { name: 'Add profile' }).click();
  await dialogs.check('Add encryption profile', ['Add profile', 'Cancel']);
  await profiles.getByRole('button', { name: `Save identity of ${data.profileName}…` }).click();
  await dialogs.check(`Save the identity of ${data.profileName}`, ['Cancel']);
  await profiles.getByRole('button', { name: 'Save passphrase of finance-colleagues-7zip…' }).click();
  await dialogs.check('Save the passphrase of finance-colleagues-7zip', ['Cancel']);
  await dialogs.checkMenu(`profile ${data.profileName}`);
  await app.rowAction(`profile ${data.profileName}`, `Edit profile ${data.profileName}…`);
  await dialogs.check('Edit encryption profile', ['Save changes', 'Cancel'], async (dialog) => {
    await expect(dialog.getByLabel('Extra recipients', { exact: true })).toBeVisible();
  });
  await app.rowAction(`profile ${data.profileName}`, 'Delete');
  await dialogs.check(`Delete profile "${data.profileName}"?`, ['Delete', 'Cancel']);
  const key = page.getByRole('region', { name: 'Master key' });
  await key.getByRole('button', { name: 'Rotate master key' }).click();
  await dialogs.check('Rotate the master key?', ['Rotate', 'Cancel']);
  await key.getByRole('button', { name: 'Reset master key' }).click();
  await dialogs.check('Reset the master key?', ['Cancel']);
  const tools = page.getByRole('region', { name: 'Client tools' });
  await tools.getByRole('button', { name: 'Set path of pg_dump', exact: true }).click();
  await dialogs.check('Where pg_dump is', ['Save path', 'Cancel']);
});

test('a toast that stays (a new profile to save) sits bottom right, under any dialog, and never over a dialog button', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(120_000);
  const { app, data } = await openSeeded(page, vaultdesk.url, scratchDir);
  await app.navigate('Settings');
  // Its sections' data on screen first: a click while they arrive and move the button down was
  // lost (pressed on the button, released beside it), and the dialog never opened.
  for (const shown of ready(page, data).Settings) await expect(shown).toBeVisible();
  const profiles = page.getByRole('region', { name: 'Encryption profiles' });
  await profiles.getByRole('button', { name: 'Add profile' }).click();
  const add = app.dialog('Add encryption profile');
  await app.fill(add, 'Name', 'dba-team-2027');
  await add.getByRole('button', { name: 'Add profile' }).click();
  await expect(add).toBeHidden();
  // It stays until closed: the DBA must read that the identity is not saved anywhere else.
  const toast = page.getByRole('alert').filter({ hasText: 'Profile added: save its identity' });
  await expect(toast).toBeVisible();
  const box = (await toast.boundingBox())!;
  expect(box.y + box.height, 'the toast is at the bottom').toBeGreaterThan(700);
  expect(box.x + box.width, 'the toast is at the right').toBeGreaterThan(1200);
  await expectAccessible(page, testInfo, 'a toast on the Settings page');

  // Dialogs opened while it shows: each one's buttons are on top, and the toast is under the dialog's overlay.
  const under = async (): Promise<boolean> =>
    toast.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return hit === null || !el.contains(hit);
    });
  for (const [target, opener, name, buttons] of [
    ['Sources', 'Add source', 'Add source', ['Add source', 'Cancel']],
    ['Destinations', 'Add destination', 'Add destination', ['Add destination', 'Cancel']],
    ['Jobs', 'Add job', 'Add job', ['Add job', 'Cancel']],
  ] as const) {
    await app.navigate(target);
    await expect(toast).toBeVisible();
    await page.getByRole('button', { name: opener }).click();
    const dialog = app.dialog(name);
    await expect(dialog).toBeVisible();
    await expectButtonsUsable(dialog, [...buttons]);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).focus();
    expect(await under(), `the toast is under the ${name} dialog`).toBe(true);
    await app.keepScreenshot(testInfo, `toast-under-${name.toLowerCase().replace(/\W+/g, '-')}`, { withToasts: true });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  // With no dialog open, the toast is on top and can be closed.
  expect(await under()).toBe(false);
  await toast.getByRole('button', { name: 'Close notification' }).click();
  await expect(toast).toBeHidden();
});
