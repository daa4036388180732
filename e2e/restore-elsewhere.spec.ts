import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateIdentity } from 'age-encryption';
import { callBridge } from './fixtures/bridge-api';
import { dropDatabases, PG, requirePostgres, sql } from './fixtures/postgres';
import { keepScreenshot, runToSuccess } from './fixtures/runs';
import { shopBackup } from './fixtures/shop-backup';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';
import { RecoveryPage } from './pages/recovery-page';

const ROOT = path.resolve(import.meta.dirname, '..');

// The CLI shares the data dir and its key file with `serve`, as on a DBA's machine.
test.use({ keyStorage: 'file' });

test('a restore another process runs (the CLI) shows on the Recovery page as it runs, with its progress and a Cancel that stops it there', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(120_000);
  const db = `e2e_far_${randomBytes(4).toString('hex')}`;
  const copy = `${db}_copy`;
  await requirePostgres();
  await sql('postgres', `CREATE DATABASE ${db}`);
  try {
    await sql(db, "CREATE TABLE orders (id int PRIMARY KEY, label text); INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 500) g;");
    await page.goto(vaultdesk.url);
    const source = await callBridge(page, 'sources:create', { engine: 'postgres', name: 'shop-pg', host: PG.host, port: PG.port, user: PG.user, database: db });
    const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
    const profile = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team', identity: await generateIdentity() });
    const job = await callBridge(page, 'jobs:create', { name: 'shop-nightly', sourceId: source.id, destinationIds: [destination.id], encryption: 'age', profileId: profile.id });
    await runToSuccess(page, job.id);
    const [backup] = (await callBridge(page, 'backups:list', { refresh: true })).backups;

    // A pg_restore that takes its input, then holds until the restore is cancelled.
    const bin = path.join(scratchDir, 'bin');
    mkdirSync(bin, { recursive: true });
    const started = path.join(scratchDir, 'restore-started');
    const wrapper = path.join(bin, 'pg_restore');
    writeFileSync(wrapper, `#!/bin/sh\ncase "$1" in --version|-V) exec pg_restore "$@";; esac\ncat > /dev/null\ntouch '${started}'\nexec sleep 120\n`);
    chmodSync(wrapper, 0o755);
    await callBridge(page, 'settings:setToolPath', { tool: 'pg_restore', path: wrapper });

    const cli = spawn(process.execPath, [path.join(ROOT, 'bin/vaultdesk.mjs'), '--data-dir', vaultdesk.dataDir, '--master-key-file', path.join(vaultdesk.dataDir, 'master.key'), 'restore', backup!.id, '--database', copy, '--jobs', '1'], {
      stdio: 'ignore',
    });
    const ended = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    await expect.poll(() => existsSync(started), { timeout: 30_000 }).toBe(true);

    // Nothing announces the CLI's restore to this page: it is read again, and shows as it runs.
    const recovery = new RecoveryPage(page);
    await recovery.show();
    const row = page.getByRole('table', { name: 'Restores' }).getByRole('row').filter({ hasText: copy });
    await expect(row).toContainText('running', { timeout: 15_000 });
    await expect(row.getByRole('status', { name: 'Restore progress' })).toBeVisible();
    await keepScreenshot(page, testInfo, 'restore-elsewhere-running');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect(row).toContainText('cancelled', { timeout: 20_000 });
    expect(await ended).toBe(1);
    expect(await sql<{ n: string }>('postgres', `SELECT count(*) AS n FROM pg_database WHERE datname = '${copy}'`)).toEqual([{ n: '0' }]);
  } finally {
    await dropDatabases([db, copy]);
  }
});

test('a target another session fills between the check and Start is checked again: the wizard shows what it holds and asks to replace it', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  const db = `e2e_race_${randomBytes(4).toString('hex')}`;
  const copy = `${db}_copy`;
  await requirePostgres();
  await sql('postgres', `CREATE DATABASE ${db}`);
  try {
    await sql(db, "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 30);");
    await shopBackup(page, vaultdesk.url, scratchDir, db);

    const wizard = await new BackupsPage(page).openRestore(db);
    await wizard.getByLabel('Database name').fill(copy);
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await expect(wizard).toContainText(`${copy} does not exist yet: it is created.`);
    // Another session makes it, with a table, before Start.
    await sql('postgres', `CREATE DATABASE ${copy}`);
    await sql(copy, 'CREATE TABLE mine (id int); INSERT INTO mine VALUES (7)');
    await wizard.getByRole('button', { name: 'Start restore' }).click();
    await expect(wizard.getByRole('alert').filter({ hasText: 'Not started: the target changed' })).toContainText('Tick Replace to restore over it, or go back and choose another name.');
    await expect(wizard.getByTestId('replace-warning')).toContainText(`${copy} exists and holds 1 table`);
    await expect(wizard.getByRole('button', { name: 'Replace and restore' })).toBeDisabled();
    expect(await sql<{ id: number }>(copy, 'SELECT id FROM mine')).toEqual([{ id: 7 }]);
    await wizard.getByLabel(`Replace ${copy} on shop-pg`).check();
    await wizard.getByRole('button', { name: 'Replace and restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    expect(await sql<{ n: string }>(copy, 'SELECT count(*) AS n FROM orders')).toEqual([{ n: '30' }]);
  } finally {
    await dropDatabases([db, copy]);
  }
});
