import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expectAccessible } from './fixtures/axe';
import { callBridge } from './fixtures/bridge-api';
import { count, databasesLike, dropDatabases, PG, requirePostgres, sql } from './fixtures/postgres';
import { runToSuccess } from './fixtures/runs';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { BackupsPage } from './pages/backups-page';
import { RecoveryPage } from './pages/recovery-page';

test('a replaced database the server will not drop: the wizard\'s result and the restore history say what is left to do by hand, whole and in the warning colour', async ({ page, vaultdesk, scratchDir }, testInfo) => {
  test.setTimeout(180_000);
  const db = `e2e_history_${randomBytes(4).toString('hex')}`;
  await requirePostgres();
  await sql('postgres', `CREATE DATABASE ${db}`);
  try {
    await sql(db, "CREATE TABLE ledger (id int PRIMARY KEY, entry text); INSERT INTO ledger SELECT g, 'entry ' || g FROM generate_series(1, 30) g;");
    await page.goto(vaultdesk.url);
    const source = await callBridge(page, 'sources:create', { engine: 'postgres', name: 'ledger-pg', host: PG.host, port: PG.port, user: PG.user, database: db });
    const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
    const job = await callBridge(page, 'jobs:create', { name: 'ledger-nightly', sourceId: source.id, destinationIds: [destination.id] });
    await runToSuccess(page, job.id);

    // DROP DATABASE refuses a database with a subscription in it; a rename does not. So the swap
    // happens and the replaced database stays, for the DBA to drop.
    await sql(db, "CREATE SUBSCRIPTION vd_hold CONNECTION 'host=127.0.0.1 port=1 dbname=none' PUBLICATION none WITH (connect = false, slot_name = NONE)");
    await sql(db, 'INSERT INTO ledger VALUES (31, $$written after the backup$$)');
    const backups = new BackupsPage(page);
    await backups.show();
    await backups.rows(db).first().getByRole('button', { name: /^Restore backup / }).click();
    const wizard = backups.dialog('Restore backup');
    await expect(wizard.getByLabel('Database name')).toHaveValue(db);
    await wizard.getByRole('button', { name: 'Check target' }).click();
    await wizard.getByLabel(`Replace ${db} on ledger-pg`).check();
    await wizard.getByRole('button', { name: 'Replace and restore' }).click();
    await expect(wizard.getByTestId('restore-status')).toHaveText('succeeded', { timeout: 60_000 });
    expect(await count(db, 'ledger')).toBe(30);
    const [old] = (await databasesLike(`${db}_vdnew_`)).filter((d) => d.endsWith('_old'));
    expect(old).toBeDefined();
    const said = new RegExp(`^The database it replaced was left as ${old} on "ledger-pg" \\(it could not be dropped: .*subscription.*\\): drop it by hand once you no longer need it\\.$`);
    // The wizard's result says it once, whole and in the warning colour under the message, not as a quiet note.
    const outcome = wizard.getByTestId('restore-outcome');
    await expect(outcome.getByRole('region', { name: 'Left to do by hand' }).getByTestId('restore-to-do')).toHaveText(said);
    await expect(outcome.getByTestId('restore-message')).toContainText(`Restored ${db} into ${db} (1 table, 30 rows)`);
    expect((await outcome.textContent())!.split('drop it by hand').length - 1).toBe(1);
    await expectAccessible(page, testInfo, 'restore wizard with a database left to drop by hand');
    await page.screenshot({ path: testInfo.outputPath('restore-wizard-to-do.png') });
    await testInfo.attach('restore-wizard-to-do', { path: testInfo.outputPath('restore-wizard-to-do.png'), contentType: 'image/png' });
    await wizard.getByRole('button', { name: 'Close', exact: true }).click();
    const restoreId = (await callBridge(page, 'restore:list', { limit: 1 }))[0]!.id;

    const recovery = new RecoveryPage(page);
    await recovery.show();
    const row = page.getByTestId(`restore-row-${restoreId}`);
    await expect(row).toContainText('succeeded');
    const toDo = row.getByTestId('restore-to-do');
    await expect(toDo).toHaveText(said);
    // Whole on screen, not cut by a clamp, and not said twice in the row.
    expect(await toDo.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && getComputedStyle(el).webkitLineClamp === 'none')).toBe(true);
    await expect(row).toContainText(`Restored ${db} into ${db} (1 table, 30 rows)`);
    expect((await row.textContent())!.split('drop it by hand').length - 1).toBe(1);
    await page.screenshot({ path: testInfo.outputPath('restore-history-to-do.png') });
    await testInfo.attach('restore-history-to-do', { path: testInfo.outputPath('restore-history-to-do.png'), contentType: 'image/png' });
    await expectAccessible(page, testInfo, 'recovery page with a restore left to finish by hand');
  } finally {
    for (const d of [db, ...(await databasesLike(`${db}_vdnew_`).catch(() => []))]) {
      await sql(d, 'DROP SUBSCRIPTION IF EXISTS vd_hold').catch(() => undefined);
      await dropDatabases([d]);
    }
  }
});
