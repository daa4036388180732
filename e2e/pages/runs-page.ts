import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export class RunsPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Runs');
  }

  rows(): Locator {
    return this.page.getByRole('table', { name: 'Runs' }).getByRole('row');
  }

  /** A chart of successful runs over time: 'Backup size' or 'Run duration'. */
  chart(title: 'Backup size' | 'Run duration'): Locator {
    return this.page.getByRole('figure', { name: `${title} over time` });
  }

  /** Narrows the list to one job's runs. */
  async filterJob(jobName: string): Promise<void> {
    await this.pickFilter('Show runs of', jobName);
  }

  /** Narrows the list to the runs of one status. */
  async filterStatus(status: string): Promise<void> {
    await this.pickFilter('Show runs that', status);
  }

  private async pickFilter(label: string, option: string): Promise<void> {
    // Mantine labels its option list with the Select's label too: the combobox is the input.
    await this.page.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Opens the newest run of a job in the detail dialog. */
  async openLatest(jobName: string): Promise<Locator> {
    await this.page.getByRole('link', { name: new RegExp(`^Details of the ${jobName} run`) }).first().click();
    const dialog = this.dialog(`Run of ${jobName}`);
    await expect(dialog.getByTestId('run-detail')).toBeVisible();
    return dialog;
  }
}
