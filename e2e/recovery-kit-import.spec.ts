import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { ProfileDto } from '../src/shared/domain/dto';
import { callBridge } from './fixtures/bridge-api';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { AppPage } from './pages/app-page';
import { RecoveryPage } from './pages/recovery-page';
import { SettingsPage } from './pages/settings-page';

const PASSPHRASE = 'correct horse battery staple, kept apart';

/**
 * Profiles "team" and "ops" exported to a passphrase-protected kit, then those named in `lost`
 * deleted: their identities live only in the kit, as after losing the data folder. The Recovery
 * page is left open.
 */
async function kitOfTeamAndOps(page: Page, url: string, scratchDir: string, lost: readonly ('team' | 'ops')[]): Promise<{ recovery: RecoveryPage; kitFile: string; team: ProfileDto; ops: ProfileDto }> {
  await new AppPage(page).open(url);
  const team = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team' });
  const ops = await callBridge(page, 'profiles:create', { kind: 'age', name: 'ops' });
  const recovery = new RecoveryPage(page);
  await recovery.show();
  const kitFile = await recovery.exportKit(path.join(scratchDir, 'keys', 'kit.zip'), PASSPHRASE);
  for (const profile of [team, ops]) if ((lost as readonly string[]).includes(profile.name)) await callBridge(page, 'profiles:delete', { id: profile.id });
  return { recovery, kitFile, team, ops };
}

test('Recovery page: a kit brings back a lost profile under its name and recipient; a wrong passphrase imports nothing, a profile already here is kept', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  const { recovery, kitFile, team } = await kitOfTeamAndOps(page, vaultdesk.url, scratchDir, ['team']);

  const panel = recovery.kitImport();
  await expect(panel.getByRole('button', { name: 'Import kit' })).toBeDisabled();
  // Read before any passphrase: what the kit holds and what an import would do with each.
  await recovery.chooseKit(kitFile);
  const contents = panel.getByTestId('kit-contents');
  await expect(contents).toContainText('protected by a passphrase');
  await expect(contents.getByRole('checkbox', { name: 'team age new' })).toBeChecked();
  await expect(contents.getByRole('checkbox', { name: 'ops age already here' })).toBeDisabled();
  await expect(panel.getByRole('button', { name: 'Import kit' })).toBeDisabled();
  await recovery.importKit(kitFile, 'not the kit passphrase');
  const failure = panel.getByTestId('kit-import-failure');
  await expect(failure).toContainText('Wrong passphrase', { timeout: 30_000 });
  await expect(failure).toContainText('Nothing was imported.');
  expect((await callBridge(page, 'profiles:list', {})).map((p) => p.name)).toEqual(['ops']);

  await recovery.importKit(kitFile, PASSPHRASE);
  const imported = panel.getByTestId('kit-imported');
  await expect(imported).toContainText('Imported as encryption profiles:', { timeout: 30_000 });
  await expect(imported.getByRole('listitem')).toHaveText([`team ${team.recipient}`]);
  await expect(imported).toContainText('Already here, kept as they are: "ops".');
  await expect(failure).toBeHidden();
  const back = (await callBridge(page, 'profiles:list', {})).find((p) => p.name === 'team');
  expect(back?.recipient).toBe(team.recipient);

  // The kit export panel, on screen all along, follows the new profile.
  await recovery.kit().getByLabel('Profiles', { exact: true }).click();
  await expect(page.getByRole('option', { name: 'team (age)', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  const settings = new SettingsPage(page);
  await settings.show();
  await expect(page.getByRole('table', { name: 'Encryption profiles' }).getByRole('row').filter({ hasText: 'team' })).toBeVisible();
});

test('Recovery page: a file that is not a kit is refused in words, and nothing is imported', async ({ page, vaultdesk, scratchDir }) => {
  const app = new AppPage(page);
  await app.open(vaultdesk.url);
  const notes = path.join(scratchDir, 'notes.txt');
  await writeFile(notes, 'not a recovery kit\n');
  const recovery = new RecoveryPage(page);
  await recovery.show();
  await recovery.chooseKit(notes);
  const panel = recovery.kitImport();
  await expect(panel.getByLabel('Recovery kit', { exact: true })).toHaveAccessibleDescription(/is not a Vaultdesk recovery kit: it is not a zip\./);
  await expect(panel.getByTestId('kit-contents')).toBeHidden();
  await expect(panel.getByRole('button', { name: 'Import kit' })).toBeDisabled();
  expect(await callBridge(page, 'profiles:list', {})).toEqual([]);
});

test('Recovery page: only the profiles still ticked are imported, and the list follows what is here', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  const { recovery, kitFile, team } = await kitOfTeamAndOps(page, vaultdesk.url, scratchDir, ['team', 'ops']);

  const panel = recovery.kitImport();
  await recovery.chooseKit(kitFile);
  const contents = panel.getByTestId('kit-contents');
  await contents.getByRole('checkbox', { name: 'ops age new' }).uncheck();
  await panel.getByLabel('Kit passphrase', { exact: true }).fill(PASSPHRASE);
  await panel.getByRole('button', { name: 'Import kit' }).click();
  await expect(panel.getByTestId('kit-imported').getByRole('listitem')).toHaveText([`team ${team.recipient}`], { timeout: 30_000 });
  expect((await callBridge(page, 'profiles:list', {})).map((p) => p.name)).toEqual(['team']);
  // Read again after the import: "team" is here now, "ops" still new and not ticked.
  await expect(contents.getByRole('checkbox', { name: 'team age already here' })).toBeDisabled();
  await expect(contents.getByRole('checkbox', { name: 'ops age new' })).not.toBeChecked();
  await expect(panel.getByRole('button', { name: 'Import kit' })).toBeDisabled();

  // A profile made elsewhere under the kit's other name: the list follows, and nothing is left to import.
  await callBridge(page, 'profiles:create', { kind: 'age', name: 'OPS' });
  await expect(contents.getByRole('checkbox', { name: 'ops age name taken' })).toBeDisabled();
  await expect(contents).toContainText('profile "OPS" here has this name and another key');
  await expect(panel.getByTestId('kit-nothing-new')).toBeVisible();
});

test('Recovery page: a kit profile whose name is taken here by another key is shown and left out, with how to free the name; renamed in Settings, it imports beside it', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  const { recovery, kitFile, team: old, ops } = await kitOfTeamAndOps(page, vaultdesk.url, scratchDir, ['team', 'ops']);
  // A rebuilt install where someone made a new "team" before the kit was found: same name, another key.
  const local = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team' });
  expect(local.recipient).not.toBe(old.recipient);

  // The kit's list says so before anything is imported; "ops" is still imported.
  await recovery.chooseKit(kitFile);
  const contents = recovery.kitImport().getByTestId('kit-contents');
  await expect(contents.getByRole('checkbox', { name: 'team age name taken' })).toBeDisabled();
  await expect(contents).toContainText('profile "team" here has this name and another key: rename it in Settings → Encryption profiles to import this one');
  const outcome = recovery.kitImported();
  await recovery.importKit(kitFile, PASSPHRASE);
  await expect(outcome).toHaveAccessibleName('Recovery kit imported', { timeout: 30_000 });
  expect(await recovery.kitImportedColor()).toBe('yellow');
  await expect(outcome.getByRole('listitem')).toHaveText([`ops ${ops.recipient}`]);
  await expect(outcome).toContainText(
    'Left out, because a profile here with another key or passphrase has the name: "team". Rename that profile in Settings → Encryption profiles (its Edit… action) or with vaultdesk profile rename, then import the kit again.',
  );
  const afterClash = await callBridge(page, 'profiles:list', {});
  expect(afterClash.filter((p) => p.name === 'team').map((p) => p.recipient)).toEqual([local.recipient]);

  const breakGlass = await callBridge(page, 'profiles:create', { kind: 'age', name: 'break-glass' });
  const settings = new SettingsPage(page);
  await settings.show();
  const edit = await settings.openProfileEdit('team');
  await expect(edit).toContainText('the key that encrypts stays the same, and backups already made stay decryptable with the same identity');
  await settings.submitProfileName(edit, 'break-glass');
  await expect(edit.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/encryption profile named "break-glass" already exists\. Choose another name\./);
  await expect(edit).toBeVisible();
  await settings.submitProfileName(edit, 'team-local');
  await expect(edit).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Profile saved' })).toContainText('Profile "team-local" is saved.');
  await expect(settings.profileRow('team-local')).toBeVisible();
  await expect(settings.profileRow('team')).toHaveCount(0);

  // Extra recipients: a key that is not one is refused under its field and nothing is stored; a real one is kept.
  const recipients = await settings.openProfileEdit('team-local');
  await settings.addExtraRecipient(recipients, 'age1notarecipient');
  await recipients.getByRole('button', { name: 'Save changes' }).click();
  await expect(recipients.getByLabel('Extra recipients', { exact: true })).toHaveAccessibleDescription(/Must be an age X25519 recipient \(age1\.\.\.\)/);
  await expect(recipients.getByLabel('Name', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  expect((await callBridge(page, 'profiles:list', {})).find((p) => p.name === 'team-local')?.extraRecipients).toEqual([]);
  await settings.removeLastExtraRecipient(recipients);
  await settings.addExtraRecipient(recipients, breakGlass.recipient!);
  await recipients.getByRole('button', { name: 'Save changes' }).click();
  await expect(recipients).toBeHidden();
  await expect(settings.profileRow('team-local')).toContainText('+1 more');

  await recovery.show();
  await recovery.chooseKit(kitFile);
  await expect(contents.getByRole('checkbox', { name: 'team age new' })).toBeChecked();
  await recovery.importKit(kitFile, PASSPHRASE);
  await expect(outcome).toHaveAccessibleName('Recovery kit imported', { timeout: 30_000 });
  expect(await recovery.kitImportedColor()).toBe('teal');
  await expect(outcome.getByRole('listitem')).toHaveText([`team ${old.recipient}`]);
  await expect(outcome).not.toContainText('Left out');
  await expect(outcome).toContainText('Already here, kept as they are: "ops".');
  const both = await callBridge(page, 'profiles:list', {});
  expect(both.filter((p) => p.name.startsWith('team')).map((p) => ({ name: p.name, recipient: p.recipient, extraRecipients: p.extraRecipients }))).toEqual([
    { name: 'team', recipient: old.recipient, extraRecipients: [] },
    { name: 'team-local', recipient: local.recipient, extraRecipients: [breakGlass.recipient] },
  ]);
});

test('Recovery page: a 7-Zip profile is chosen for the kit as an age one is, listed with its kind when the kit is read, and imported with its passphrase', async ({ page, vaultdesk, scratchDir }) => {
  test.setTimeout(120_000);
  await new AppPage(page).open(vaultdesk.url);
  const team = await callBridge(page, 'profiles:create', { kind: 'age', name: 'team' });
  const nightly = await callBridge(page, 'profiles:create', { kind: '7z', name: 'nightly', passphrase: 'the nightly 7-Zip passphrase' });
  const recovery = new RecoveryPage(page);
  await recovery.show();
  const kit = recovery.kit();
  // The chooser names each profile's kind; left empty, the kit holds both.
  await kit.getByLabel('Profiles', { exact: true }).click();
  await expect(page.getByRole('option', { name: 'nightly (7-Zip)', exact: true })).toBeVisible();
  await expect(page.getByRole('option', { name: 'team (age)', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  const kitFile = await recovery.exportKit(path.join(scratchDir, 'keys', 'kit.zip'), PASSPHRASE);
  await expect(kit.getByTestId('kit-written').getByRole('listitem')).toHaveText(['nightly (7-Zip passphrase)', `team ${team.recipient}`]);
  await expect(kit.getByTestId('kit-7z-proof')).toContainText(/Each 7-Zip passphrase opened a test archive made by \S+7zz\./);
  for (const p of [team, nightly]) await callBridge(page, 'profiles:delete', { id: p.id, discardUnsavedIdentity: true });

  const panel = recovery.kitImport();
  await recovery.chooseKit(kitFile);
  const contents = panel.getByTestId('kit-contents');
  await expect(contents.getByRole('checkbox', { name: 'nightly 7-Zip new' })).toBeChecked();
  await expect(contents.getByRole('checkbox', { name: 'team age new' })).toBeChecked();
  await expect(contents).toContainText('7-Zip passphrase');
  await contents.getByRole('checkbox', { name: 'team age new' }).uncheck();
  await panel.getByLabel('Kit passphrase', { exact: true }).fill(PASSPHRASE);
  await panel.getByRole('button', { name: 'Import kit' }).click();
  const imported = panel.getByTestId('kit-imported');
  await expect(imported.getByRole('listitem')).toHaveText(['nightly (7-Zip passphrase)'], { timeout: 30_000 });
  const here = await callBridge(page, 'profiles:list', {});
  expect(here.map((p) => [p.name, p.kind, p.hasSecret, p.identityOnlyInVaultdesk])).toEqual([['nightly', '7z', true, false]]);
  // Read again, the kit's 7-Zip profile is one whose place here only its passphrase can tell.
  await expect(contents.getByRole('checkbox', { name: 'nightly 7-Zip here already?' })).toBeChecked();
});
