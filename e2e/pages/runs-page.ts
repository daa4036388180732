import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export class RunsPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Runs');
  }

  rows(): Locator {
    return this.page.getByRole('table', { name: 'Runs' }).getByRole('row');
  }

  /** Opens the newest run of a job in the detail dialog. */
  async openLatest(jobName: string): Promise<Locator> {
    await this.page.getByRole('link', { name: new RegExp(`^Details of the ${jobName} run`) }).first().click();
    const dialog = this.dialog(`Run of ${jobName}`);
    await expect(dialog.getByTestId('run-detail')).toBeVisible();
    return dialog;
  }
}
