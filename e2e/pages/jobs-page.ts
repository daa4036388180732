import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export class JobsPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Jobs');
  }

  row(name: string): Locator {
    return this.page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  /** Adds a job; the destinations come pre-filled with the default destination. */
  async add(input: { name: string; source: string; schedule?: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Add job' }).click();
    const dialog = this.dialog('Add job');
    await this.fill(dialog, 'Name', input.name);
    await this.choose(dialog, 'Source', input.source);
    if (input.schedule) await this.fill(dialog, 'Schedule (cron)', input.schedule);
    await dialog.getByRole('button', { name: 'Add job' }).click();
    await expect(dialog).toBeHidden();
  }
}
