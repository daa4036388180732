import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export class SettingsPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Settings');
  }

  schedulesSection(): Locator {
    return this.page.getByRole('region', { name: 'Schedules' });
  }

  notificationsSection(): Locator {
    return this.page.getByRole('region', { name: 'Notifications' });
  }

  /** Settings > Notifications > Send a test notification; returns the list of how each channel went. */
  async sendTestNotification(): Promise<Locator> {
    const section = this.notificationsSection();
    await section.getByRole('button', { name: 'Send a test notification' }).click();
    const outcomes = section.getByTestId('notification-outcomes');
    await expect(outcomes).toBeVisible();
    return outcomes;
  }

  toolsSection(): Locator {
    return this.page.getByRole('region', { name: 'Client tools' });
  }

  keySection(): Locator {
    return this.page.getByRole('region', { name: 'Master key' });
  }

  fingerprint(): Locator {
    return this.keySection().getByTestId('key-fingerprint');
  }

  /** Rotates through the confirm dialog and returns the new fingerprint the page reports. */
  async rotate(): Promise<string> {
    await this.keySection().getByRole('button', { name: 'Rotate master key' }).click();
    const dialog = this.dialog('Rotate the master key?');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    await expect(dialog).toBeHidden();
    const reported = this.keySection().getByTestId('rotated-fingerprint');
    await expect(reported).toBeVisible();
    return (await reported.textContent()) ?? '';
  }

  /** Adds an age profile, importing `identity` (AGE-SECRET-KEY-1...) so the test can decrypt, or with one Vaultdesk generates. */
  async addAgeProfile(name: string, identity?: string): Promise<void> {
    const section = this.profilesSection();
    await section.getByRole('button', { name: 'Add profile' }).click();
    const dialog = this.dialog('Add encryption profile');
    await this.fill(dialog, 'Name', name);
    if (identity !== undefined) await this.fill(dialog, 'Import identity', identity);
    await dialog.getByRole('button', { name: 'Add profile' }).click();
    await expect(dialog).toBeHidden();
    // The row, not its name cell: a generated identity's cell also holds its not-saved badge.
    await expect(this.profileRow(name)).toBeVisible();
  }

  /**
   * Opens Add encryption profile, picks 7-Zip and types `name`, then `passphrase` and `again` in
   * the two passphrase fields (blank: a generated passphrase). Returns the dialog, not submitted.
   */
  async fillSevenZipProfile(name: string, passphrase = '', again = passphrase): Promise<Locator> {
    await this.profilesSection().getByRole('button', { name: 'Add profile' }).click();
    const dialog = this.dialog('Add encryption profile');
    await this.choose(dialog, 'Kind', '7-Zip (AES-256 passphrase)');
    await this.fill(dialog, 'Name', name);
    await this.fill(dialog, 'Passphrase', passphrase);
    await this.fill(dialog, 'Passphrase again', again);
    return dialog;
  }

  profilesSection(): Locator {
    return this.page.getByRole('region', { name: 'Encryption profiles' });
  }

  /** The row of profile `name`, found by its menu's name: its name cell also holds badges. */
  profileRow(name: string): Locator {
    return this.profilesSection()
      .getByRole('row')
      .filter({ has: this.page.getByRole('button', { name: `More actions for profile ${name}`, exact: true }) });
  }

  /** Opens Edit encryption profile from the row of `name` and returns it, prefilled with that name. */
  async openProfileEdit(name: string): Promise<Locator> {
    await this.rowAction(`profile ${name}`, `Edit profile ${name}…`);
    const dialog = this.dialog('Edit encryption profile');
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue(name);
    return dialog;
  }

  /** Types `name` into an open Edit encryption profile and saves; the caller checks the outcome. */
  async submitProfileName(dialog: Locator, name: string): Promise<void> {
    await this.fill(dialog, 'Name', name);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
  }

  /** Renames profile `from` through its Edit dialog and waits for its row to carry the new name. */
  async renameProfile(from: string, to: string): Promise<void> {
    const dialog = await this.openProfileEdit(from);
    await this.submitProfileName(dialog, to);
    await expect(dialog).toBeHidden();
    await expect(this.profileRow(to)).toBeVisible();
  }

  /** Adds `recipient` as a tag of an open Edit dialog's Extra recipients (typed, then Enter, as a person does). */
  async addExtraRecipient(dialog: Locator, recipient: string): Promise<void> {
    const input = dialog.getByLabel('Extra recipients', { exact: true });
    await input.fill(recipient);
    await input.press('Enter');
    await expect(dialog.getByText(recipient, { exact: true })).toBeVisible();
  }

  /** Removes the last tag of an open Edit dialog's Extra recipients with Backspace in its empty input. */
  async removeLastExtraRecipient(dialog: Locator): Promise<void> {
    await dialog.getByLabel('Extra recipients', { exact: true }).press('Backspace');
  }

  /** Pastes `key` into "Import a key" and submits; the caller checks what the page reports. */
  async importKey(key: string): Promise<void> {
    await this.keySection().getByLabel('Import a key', { exact: true }).fill(key);
    await this.keySection().getByRole('button', { name: 'Import master key' }).click();
  }

  /** Opens the reset confirmation; the caller reads it, then confirms or cancels. */
  async openReset(): Promise<Locator> {
    await this.keySection().getByRole('button', { name: 'Reset master key' }).click();
    const dialog = this.dialog('Reset the master key?');
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Confirms an open reset dialog and returns the new fingerprint the page reports. */
  async confirmReset(dialog: Locator): Promise<string> {
    await dialog.getByRole('button', { name: 'Reset and drop every credential' }).click();
    await expect(dialog).toBeHidden();
    const reported = this.keySection().getByTestId('reset-fingerprint');
    await expect(reported).toBeVisible();
    return (await reported.textContent()) ?? '';
  }

  async exportKey(file: string): Promise<string> {
    await this.keySection().getByLabel('Export to file').fill(file);
    await this.keySection().getByRole('button', { name: 'Export master key' }).click();
    const exported = this.keySection().getByTestId('exported-fingerprint');
    await expect(exported).toBeVisible();
    return (await exported.textContent()) ?? '';
  }
}
