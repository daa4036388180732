import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { callBridge } from './fixtures/bridge-api';
import { ledgerSource } from './fixtures/ledger-source';
import { runToSuccess } from './fixtures/runs';
import { expect, startVaultdeskServe, test } from './fixtures/vaultdesk-fixture';
import { AppPage } from './pages/app-page';
import { RecoveryPage } from './pages/recovery-page';

const PASSPHRASE = 'correct horse battery staple, kept apart';

test('Recovery page: a kit exported with its passphrase typed twice opens a backup file offline; a wrong key is said in words and writes nothing', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  const app = new AppPage(page);
  await app.open(vaultdesk.url);
  const { source } = await ledgerSource(page, scratchDir);
  const destination = await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
  const recovery = new RecoveryPage(page);
  await recovery.show();
  // No age profile yet: the kit says so, and where to add one, before anything is typed.
  await expect(recovery.kit().getByTestId('kit-no-profile')).toContainText('Add one in Settings, under Encryption profiles');
  await recovery.kit().getByLabel('Kit file to write', { exact: true }).fill(path.join(scratchDir, 'nothing.zip'));
  await expect(recovery.kit().getByRole('button', { name: 'Export kit' })).toBeDisabled();
  const profile = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team', identity: await generateIdentity() });
  const job = await callBridge(page, 'jobs:create', { name: 'ledger-nightly', sourceId: source.id, destinationIds: [destination.id], encryption: 'age', profileId: profile.id });
  const run = await runToSuccess(page, job.id, 30_000);
  const backupFile = run.objects[0]!.destinations[0]!.location!;

  await recovery.show();
  const kit = recovery.kit();
  await expect(kit.getByTestId('kit-no-profile')).toBeHidden();
  // A mistyped second passphrase is caught before anything is written.
  await kit.getByLabel('Passphrase (optional)', { exact: true }).fill(PASSPHRASE);
  await kit.getByLabel('Passphrase again', { exact: true }).fill(`${PASSPHRASE}!`);
  await expect(kit.getByText('The two passphrases differ')).toBeVisible();
  await expect(kit.getByRole('button', { name: 'Export kit' })).toBeDisabled();
  const kitFile = await recovery.exportKit(path.join(scratchDir, 'keys', 'kit.zip'), PASSPHRASE);
  expect(kitFile).toBe(path.join(scratchDir, 'keys', 'kit.zip'));
  await expect(kit.getByTestId('kit-written')).toContainText('protected by the passphrase');

  // The wrong passphrase for the kit: said as such, nothing written.
  const out = path.join(scratchDir, 'restore', 'ledger.db');
  await recovery.decrypt({ file: backupFile, identity: kitFile, passphrase: 'not the kit passphrase', out });
  const failure = recovery.decryptSection().getByTestId('decrypt-failure');
  await expect(failure).toContainText('Not decrypted: Wrong passphrase for the kit or identity', { timeout: 30_000 });
  await expect(failure).toContainText('Nothing was written.');
  expect(existsSync(out)).toBe(false);

  // Another identity: a wrong key.
  const otherIdentity = path.join(scratchDir, 'keys', 'other.txt');
  await writeFile(otherIdentity, `${await generateIdentity()}\n`);
  await recovery.decrypt({ file: backupFile, identity: otherIdentity, out });
  await expect(failure).toContainText('Not decrypted: Wrong key', { timeout: 30_000 });
  expect(existsSync(out)).toBe(false);

  await recovery.decrypt({ file: backupFile, identity: kitFile, passphrase: PASSPHRASE, out });
  const done = recovery.decryptSection().getByTestId('decrypt-done');
  await expect(done).toContainText('zstd decompressed', { timeout: 30_000 });
  await expect(done).toContainText('profile "team"');
  await expect(done).toContainText('Its sha256 matches the manifest beside it.');
  await expect(done.getByTestId('decrypted-path')).toHaveText(out);
  expect(readFileSync(out).subarray(0, 15).toString()).toBe('SQLite format 3');

  // The same output again is refused under its field: an existing file is never replaced.
  await recovery.decrypt({ file: backupFile, identity: kitFile, passphrase: PASSPHRASE, out });
  await expect(recovery.decryptSection().getByText(/already exists: Vaultdesk never replaces a file/)).toBeVisible({ timeout: 30_000 });
});

test('Recovery page, decrypt: a missing backup file, a missing kit and an output that cannot be written are each said under their own field, with no alert', async ({ page, vaultdesk, scratchDir }) => {
  const app = new AppPage(page);
  await app.open(vaultdesk.url);
  const identity = await generateIdentity();
  const identityFile = path.join(scratchDir, 'team.txt');
  await writeFile(identityFile, `${identity}\n`);
  const encrypter = new Encrypter();
  encrypter.addRecipient(await identityToRecipient(identity));
  const backupFile = path.join(scratchDir, 'shop.dump.age');
  await writeFile(backupFile, await encrypter.encrypt('PGDMP a small dump'));
  await writeFile(path.join(scratchDir, 'a-file'), 'not a folder');
  const recovery = new RecoveryPage(page);
  await recovery.show();
  const s = recovery.decryptSection();
  const cases = [
    { field: 'Backup file', said: `${path.join(scratchDir, 'missing.age')} does not exist.`, o: { file: path.join(scratchDir, 'missing.age'), identity: identityFile, out: path.join(scratchDir, 'a.dump') } },
    { field: 'Recovery kit or identity file', said: `Cannot read the identity file or kit ${path.join(scratchDir, 'kit.zip')}`, o: { file: backupFile, identity: path.join(scratchDir, 'kit.zip'), out: path.join(scratchDir, 'b.dump') } },
    { field: 'Write the result to', said: `Could not write ${path.join(scratchDir, 'a-file', 'c.dump')}: part of`, o: { file: backupFile, identity: identityFile, out: path.join(scratchDir, 'a-file', 'c.dump') } },
  ];
  for (const { field, said, o } of cases) {
    await recovery.decrypt(o);
    await recovery.expectFieldError(s.getByLabel(field, { exact: true }), said, 30_000);
    // Only that field is marked, and nothing repeats it above the button.
    await expect(s.locator('[aria-invalid="true"]')).toHaveCount(1);
    await expect(s.getByTestId('decrypt-failure')).toHaveCount(0);
  }
  for (const out of ['a.dump', 'b.dump']) expect(existsSync(path.join(scratchDir, out))).toBe(false);
});

test('System backup on the Recovery page: the configuration exported with its passphrase typed twice is imported into a new install, and a second import is refused unless merged', async ({ page, context, vaultdesk, scratchDir, keyStorage }) => {
  test.setTimeout(120_000);
  const app = new AppPage(page);
  await app.open(vaultdesk.url);
  await callBridge(page, 'sources:create', { engine: 'sqlite', name: 'ledger', path: path.join(scratchDir, 'ledger.db') });
  await callBridge(page, 'destinations:create', { kind: 'local', name: 'local-disk', path: path.join(scratchDir, 'backups') });
  const recovery = new RecoveryPage(page);
  await recovery.show();
  const system = page.getByRole('region', { name: 'System backup' });
  const file = path.join(scratchDir, 'keys', 'system.age');
  await system.getByLabel('File to write').fill(file);
  await system.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await system.getByLabel('Passphrase again').fill('not the same');
  await expect(system.getByText('The two passphrases differ')).toBeVisible();
  await expect(system.getByRole('button', { name: 'Export configuration' })).toBeDisabled();
  await system.getByLabel('Passphrase again').fill(PASSPHRASE);
  await system.getByRole('button', { name: 'Export configuration' }).click();
  await expect(system.getByTestId('system-exported')).toContainText('1 source, 1 destination', { timeout: 30_000 });
  expect(readFileSync(file).subarray(0, 21).toString()).toBe('age-encryption.org/v1');

  const second = await startVaultdeskServe({ keyStorage });
  try {
    const other = new RecoveryPage(await context.newPage());
    await other.open(second.url);
    await other.show();
    const target = other.page.getByRole('region', { name: 'System backup' });
    await target.getByLabel('System backup file').fill(file);
    await target.getByLabel('Its passphrase').fill(PASSPHRASE);
    await target.getByRole('button', { name: 'Import configuration' }).click();
    await expect(target.getByTestId('system-imported')).toContainText('1 source, 1 destination', { timeout: 30_000 });
    expect((await callBridge(other.page, 'sources:list', {})).map((s) => s.name)).toEqual(['ledger']);
    // Again, into what is no longer an empty install: refused in words, unless merged.
    await target.getByRole('button', { name: 'Import configuration' }).click();
    await expect(target.getByRole('alert')).toContainText('Not imported');
    await target.getByLabel('Merge into this configuration').check();
    await target.getByRole('button', { name: 'Import configuration' }).click();
    // The same source and destination are here already: joined, not added twice.
    await expect(target.getByTestId('system-imported')).toContainText('source ledger (a source named "ledger" exists here and connects to the same database: its jobs use that one');
    await expect(target.getByTestId('system-imported')).toContainText('destination local-disk (a destination named "local-disk" exists here and stores to the same place');
  } finally {
    await second.stop();
  }
});
