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

  async filter(label: 'Destination' | 'Job' | 'Status', option: string): Promise<void> {
    await this.page.getByRole('search', { name: 'Filter backups' }).getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Picks `action` in the menu of the row's "More actions" button (the row named by its `backup …` words). */
  async act(row: Locator, action: string): Promise<void> {
    await row.getByRole('button', { name: /^More actions for backup / }).click();
    await this.page.getByRole('menuitem', { name: action, exact: true }).click();
  }

  async expectRows(database: string, n: number): Promise<void> {
    await expect(this.rows(database)).toHaveCount(n);
  }
}
