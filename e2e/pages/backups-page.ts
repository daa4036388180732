import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export class BackupsPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Backups');
  }

  table(): Locator {
    return this.page.getByRole('table', { name: 'Backups' });
  }

  /** The rows of one database's backups (the cell holds the database, then its job). */
  rows(database: string): Locator {
    return this.table().getByRole('row').filter({ hasText: database });
  }

  /** The row of one job's backup at one destination (a job writing to several has a row per destination). */
  row(job: string, destination: string): Locator {
    return this.table().getByRole('row').filter({ hasText: `job ${job}` }).filter({ hasText: destination });
  }

  /** Opens the restore wizard on the newest backup of `database`. */
  async openRestore(database: string): Promise<Locator> {
    await this.show();
    await this.rows(database).first().getByRole('button', { name: /^Restore backup / }).click();
    const wizard = this.dialog('Restore backup');
    await expect(wizard).toBeVisible();
    return wizard;
  }

  async filter(label: 'Destination' | 'Job' | 'Status', option: string): Promise<void> {
    await this.page.getByRole('search', { name: 'Filter backups' }).getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** The row's name for its backup (its buttons' labels say it), unique among the page's rows: what its dialogs call it too. */
  async nameOf(row: Locator): Promise<string> {
    const label = (await row.getByRole('button', { name: /^More actions for backup / }).getAttribute('aria-label')) ?? '';
    return label.replace(/^More actions for backup /, '');
  }

  /** Picks `action` in the menu of the row's "More actions" button (the row named by its `backup …` words). */
  async act(row: Locator, action: string): Promise<void> {
    await row.getByRole('button', { name: /^More actions for backup / }).click();
    await this.page.getByRole('menuitem', { name: action, exact: true }).click();
  }

  /** The actions the row's "More actions" menu offers, with whether each is enabled; the menu is closed again. */
  async menuActions(row: Locator): Promise<{ name: string; enabled: boolean }[]> {
    await row.getByRole('button', { name: /^More actions for backup / }).click();
    const items = this.page.getByRole('menu').getByRole('menuitem');
    await expect(items.first()).toBeVisible();
    const actions = await items.evaluateAll((nodes) => nodes.map((n) => ({ name: (n.textContent ?? '').trim(), enabled: !n.hasAttribute('disabled') && n.getAttribute('aria-disabled') !== 'true' })));
    await this.page.keyboard.press('Escape');
    await expect(this.page.getByRole('menu')).toBeHidden();
    return actions;
  }

  /** Opens the row's download link dialog and waits for the signed link: the dialog and the URL it shows. */
  async openDownloadLink(row: Locator): Promise<{ dialog: Locator; url: string }> {
    await this.act(row, 'Copy download link…');
    const dialog = this.dialog('Download link');
    const field = dialog.getByRole('textbox', { name: 'Presigned URL' });
    await expect(field).toHaveValue(/^https?:\/\//);
    return { dialog, url: await field.inputValue() };
  }

  /** Clicks the dialog's Copy link and returns what the page's clipboard then holds (the context needs clipboard permissions). */
  async copyDownloadLink(dialog: Locator): Promise<string> {
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    let copied = '';
    await expect
      .poll(async () => (copied = await this.page.evaluate(() => navigator.clipboard.readText())))
      .toMatch(/^https?:\/\//);
    return copied;
  }

  async expectRows(database: string, n: number): Promise<void> {
    await expect(this.rows(database)).toHaveCount(n);
  }
}
