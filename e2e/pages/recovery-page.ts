import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export class RecoveryPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Recovery');
  }

  kit(): Locator {
    // Exact: "Import a recovery kit" holds the words too.
    return this.page.getByRole('region', { name: 'Recovery kit', exact: true });
  }

  kitImport(): Locator {
    return this.page.getByRole('region', { name: 'Import a recovery kit', exact: true });
  }

  /** The outcome of the last kit import; its accessible name is its title. */
  kitImported(): Locator {
    return this.kitImport().getByTestId('kit-imported');
  }

  /**
   * The Mantine colour of that outcome (teal, yellow), from the variables Mantine sets on the alert:
   * what a person sees at a glance, whether anything was left out.
   */
  async kitImportedColor(): Promise<string | null> {
    const style = (await this.kitImported().getAttribute('style')) ?? '';
    return /--alert-bg:\s*var\(--mantine-color-([a-z]+)-/.exec(style)?.[1] ?? null;
  }

  decryptSection(): Locator {
    return this.page.getByRole('region', { name: 'Decrypt a backup file' });
  }

  /** Exports a kit of every profile (age and 7-Zip), protected by `passphrase`; returns the path the page reports. */
  async exportKit(path: string, passphrase: string): Promise<string> {
    const kit = this.kit();
    await kit.getByLabel('Passphrase (optional)', { exact: true }).fill(passphrase);
    await kit.getByLabel('Passphrase again', { exact: true }).fill(passphrase);
    await kit.getByLabel('Kit file to write').fill(path);
    await kit.getByRole('button', { name: 'Export kit' }).click();
    await expect(kit.getByTestId('kit-written')).toBeVisible({ timeout: 30_000 });
    return (await kit.getByTestId('kit-path').textContent()) ?? '';
  }

  /** Fills the kit import form and submits it; the caller reads the outcome (kit-imported or kit-import-failure). */
  /** Types the kit's path and waits until the panel has read it: its contents listed, or why not under the field. */
  async chooseKit(path: string): Promise<void> {
    const s = this.kitImport();
    await s.getByLabel('Recovery kit', { exact: true }).fill(path);
    await expect(s.getByTestId('kit-contents').or(s.locator('.mantine-TextInput-error'))).toBeVisible({ timeout: 30_000 });
  }

  /** Chooses the kit, gives its passphrase when it asks for one, and imports its profiles still ticked. */
  async importKit(path: string, passphrase?: string): Promise<void> {
    const s = this.kitImport();
    await this.chooseKit(path);
    if (passphrase !== undefined) await s.getByLabel('Kit passphrase', { exact: true }).fill(passphrase);
    await s.getByRole('button', { name: 'Import kit' }).click();
  }

  /** Fills the decrypt form and submits it; the caller reads the outcome. */
  async decrypt(o: { file: string; identity?: string; passphrase?: string; out: string }): Promise<void> {
    const s = this.decryptSection();
    await s.getByLabel('Backup file').fill(o.file);
    await s.getByLabel('Recovery kit or identity file').fill(o.identity ?? '');
    await s.getByLabel('Passphrase (optional)', { exact: true }).fill(o.passphrase ?? '');
    await s.getByLabel('Write the result to').fill(o.out);
    await s.getByRole('button', { name: 'Decrypt' }).click();
  }
}
