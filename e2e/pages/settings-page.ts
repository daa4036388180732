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

  /** Adds an age profile, importing `identity` (AGE-SECRET-KEY-1...) so the test can decrypt. */
  async addAgeProfile(name: string, identity: string): Promise<void> {
    const section = this.page.getByRole('region', { name: 'Encryption profiles' });
    await section.getByRole('button', { name: 'Add profile' }).click();
    const dialog = this.dialog('Add encryption profile');
    await this.fill(dialog, 'Name', name);
    await this.fill(dialog, 'Import identity', identity);
    await dialog.getByRole('button', { name: 'Add profile' }).click();
    await expect(dialog).toBeHidden();
    await expect(section.getByRole('cell', { name, exact: true })).toBeVisible();
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
