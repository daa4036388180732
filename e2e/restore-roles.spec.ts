import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from './fixtures/axe';
import { callBridge } from './fixtures/bridge-api';
import { logInError, privateSql, requirePasswordOf, requirePrivatePostgres, type PrivatePostgres } from './fixtures/private-postgres';
import { keepScreenshot, runToSuccess } from './fixtures/runs';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';

/*
 * An "all databases" PostgreSQL job dumps every database of its server and, with
 * pg_dumpall --globals-only, its roles: on the shared server that would be every other test's
 * databases (and the benchmarks'), so these tests run on a server of their own.
 */

const SOURCE = 'pg-private';
const ROLES_CHECKBOX = 'Also restore the roles (globals)';
// The run holds the maintenance database `postgres` too: an all-databases job dumps it like any other.
const EVERY = 'Every database of its run (3: crm, postgres, shop)';

interface Setup {
  server: PrivatePostgres;
  role: string;
  password: string;
}

/** The role, and two databases with rows: `shop` owned by the role, which may read its customers. */
async function createRoleAndDatabases({ server, role, password }: Setup): Promise<void> {
  await privateSql(server, 'postgres', `CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await privateSql(server, 'postgres', 'CREATE DATABASE crm');
  await privateSql(server, 'postgres', `CREATE DATABASE shop OWNER ${role}`);
  await privateSql(server, 'crm', "CREATE TABLE people (id int PRIMARY KEY, name text); INSERT INTO people SELECT g, 'person ' || g FROM generate_series(1, 12) g;");
  await privateSql(
    server,
    'shop',
    `CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 25) g;
     CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id)); INSERT INTO orders SELECT g, 1 + g % 25 FROM generate_series(1, 40) g;
     GRANT SELECT ON customers TO ${role};`,
  );
}

/** Drops both databases (the role owns one) and then the role, so that a restore must bring back what it is asked for. */
async function dropRoleAndDatabases({ server, role }: Setup): Promise<void> {
  await privateSql(server, 'postgres', 'DROP DATABASE IF EXISTS shop WITH (FORCE)');
  await privateSql(server, 'postgres', 'DROP DATABASE IF EXISTS crm WITH (FORCE)');
  await privateSql(server, 'postgres', `DROP ROLE IF EXISTS ${role}`);
  expect(await userDatabases(server)).toEqual(['postgres']);
  expect(await roleRows(server, role)).toEqual([]);
}

async function userDatabases(server: PrivatePostgres): Promise<string[]> {
  return (await privateSql<{ datname: string }>(server, 'postgres', 'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1')).map((r) => r.datname);
}

async function roleRows(server: PrivatePostgres, role: string): Promise<{ rolcanlogin: boolean; password: string | null }[]> {
  return privateSql(server, 'postgres', `SELECT rolcanlogin, rolpassword AS password FROM pg_authid WHERE rolname = '${role}'`);
}

async function rowCounts(server: PrivatePostgres): Promise<number[]> {
  const n = async (database: string, table: string): Promise<number> => Number((await privateSql<{ n: string }>(server, database, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
  return [await n('crm', 'people'), await n('shop', 'customers'), await n('shop', 'orders')];
}

/** The private server's source (all databases), a local destination and an "all databases" job, run once to success. */
async function backUpEverything(page: Page, scratchDir: string, server: PrivatePostgres): Promise<void> {
  const source = await callBridge(page, 'sources:create', { engine: 'postgres', name: SOURCE, host: server.host, port: server.port, user: server.user, allDatabases: true });
  const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
  const job = await callBridge(page, 'jobs:create', { name: 'everything', sourceId: source.id, allDatabases: true, destinationIds: [destination.id] });
  const run = await runToSuccess(page, job.id, 180_000);
  // One backup per database and one of the roles: what the wizard's choices are made of.
  expect(run.objects.map((o) => o.database).sort()).toEqual(['_globals', 'crm', 'postgres', 'shop']);
}

/** Opens the wizard on shop's backup and picks every database of its run, into the backup's own source. */
async function openOnTheRun(backups: BackupsPage): Promise<Locator> {
  const row = backups.rows('shop').first();
  await expect(row).toContainText('complete');
  await row.getByRole('button', { name: /^Restore backup / }).click();
  const wizard = backups.dialog('Restore backup');
  await expect(wizard.getByRole('combobox', { name: 'Restore into source' })).toHaveValue(SOURCE);
  await wizard.getByRole('radio', { name: EVERY }).check();
  return wizard;
}

/** Checks the targets (all three absent or empty), starts the restore and waits for its success. */
async function reviewAndRestore(wizard: Locator): Promise<void> {
  await wizard.getByRole('button', { name: 'Check target' }).click();
  const targets = wizard.getByRole('table', { name: 'Target databases' });
  await expect(targets.getByRole('row').filter({ hasText: 'crm' })).toContainText('Does not exist yet: it is created');
  await expect(targets.getByRole('row').filter({ hasText: 'shop' })).toContainText('Does not exist yet: it is created');
  await expect(targets.getByRole('row').filter({ hasText: 'postgres' })).toContainText('Exists and holds no tables: the restored copy takes its place');
  await expect(wizard.getByRole('table', { name: 'What will be restored' })).toContainText(`3 databases on ${SOURCE}, each under its own name`);
  await expect(wizard.getByTestId('replace-warning')).toHaveCount(0);
}

async function expectDatabasesInResult(wizard: Locator): Promise<void> {
  await expect(wizard.getByRole('heading', { name: 'crm: 1 table, 12 rows' })).toBeVisible();
  await expect(wizard.getByRole('table', { name: 'Row counts of crm' }).getByRole('row').filter({ hasText: 'public.people' })).toContainText('12');
  await expect(wizard.getByRole('heading', { name: 'shop: 2 tables, 65 rows' })).toBeVisible();
  const shop = wizard.getByRole('table', { name: 'Row counts of shop' });
  await expect(shop.getByRole('row').filter({ hasText: 'public.customers' })).toContainText('25');
  await expect(shop.getByRole('row').filter({ hasText: 'public.orders' })).toContainText('40');
  await expect(wizard.getByRole('heading', { name: 'postgres: 0 tables, 0 rows' })).toBeVisible();
}

test('"also restore the roles" brings back a dropped role, with its login and password, before every database of its run; unchecked, the role stays gone', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(360_000);
  const server = await requirePrivatePostgres();
  const tag = randomBytes(4).toString('hex');
  const setup: Setup = { server, role: `e2e_app_${tag}`, password: `pass-${tag}` };
  try {
    await createRoleAndDatabases(setup);
    // The server asks this role for its password: logging in with it proves the restored role got it back.
    await requirePasswordOf(server, setup.role);
    expect(await logInError(server, setup.role, setup.password)).toBeNull();
    expect(await logInError(server, setup.role, 'not-the-password')).toContain('password authentication failed');
    await page.goto(vaultdesk.url);
    await backUpEverything(page, scratchDir, server);
    await dropRoleAndDatabases(setup);

    const backups = new BackupsPage(page);
    await backups.show();
    let wizard = await openOnTheRun(backups);
    const roles = wizard.getByRole('checkbox', { name: ROLES_CHECKBOX });
    await expect(roles).not.toBeChecked();
    await roles.check();
    await expect(roles).toBeChecked();
    await expectAccessible(page, testInfo, 'restore wizard, every database of a run with its roles');
    await keepScreenshot(page, testInfo, 'roles-target');
    await reviewAndRestore(wizard);
    await expect(wizard.getByRole('table', { name: 'What will be restored' }).getByRole('row').filter({ hasText: 'Roles' })).toContainText(
      `The run’s roles (globals), restored first, into the server of ${SOURCE}.`,
    );
    await expectAccessible(page, testInfo, 'restore wizard, review of a run with its roles');
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 180_000 });
    await expect(wizard.getByTestId('restore-message')).toContainText(`Restored the roles (globals); crm into crm (1 table, 12 rows); postgres into postgres`);
    await expect(wizard.getByTestId('restore-message')).toContainText(`shop into shop (2 tables, 65 rows) on "${SOURCE}"`);
    await expect(wizard.getByRole('heading', { name: 'Roles (globals)' })).toBeVisible();
    await expect(wizard).toContainText('Roles that already existed on the server kept their place; their attributes and passwords were set as they were in the backup.');
    await expectDatabasesInResult(wizard);
    await keepScreenshot(page, testInfo, 'roles-result');

    expect(await userDatabases(server)).toEqual(['crm', 'postgres', 'shop']);
    expect(await rowCounts(server)).toEqual([12, 25, 40]);
    const [role] = await roleRows(server, setup.role);
    expect(role?.rolcanlogin).toBe(true);
    expect(role?.password).toMatch(/^SCRAM-SHA-256\$/);
    expect(await logInError(server, setup.role, setup.password)).toBeNull();
    expect(await logInError(server, setup.role, 'not-the-password')).toContain('password authentication failed');

    // Left unchecked, the same restore brings back the databases and not the role.
    await wizard.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(wizard).toBeHidden();
    await dropRoleAndDatabases(setup);
    wizard = await openOnTheRun(backups);
    await expect(wizard.getByRole('checkbox', { name: ROLES_CHECKBOX })).not.toBeChecked();
    await reviewAndRestore(wizard);
    await expect(wizard.getByRole('table', { name: 'What will be restored' })).not.toContainText('Roles');
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 180_000 });
    await expect(wizard.getByTestId('restore-message')).toContainText('Restored crm into crm (1 table, 12 rows)');
    await expect(wizard.getByTestId('restore-message')).not.toContainText('roles');
    await expect(wizard.getByRole('heading', { name: 'Roles (globals)' })).toHaveCount(0);
    await expectDatabasesInResult(wizard);

    expect(await userDatabases(server)).toEqual(['crm', 'postgres', 'shop']);
    expect(await rowCounts(server)).toEqual([12, 25, 40]);
    expect(await roleRows(server, setup.role)).toEqual([]);
    // The server does not tell an absent role from a wrong password.
    expect(await logInError(server, setup.role, setup.password)).toContain('password authentication failed');
  } finally {
    await server.stop();
  }
});
