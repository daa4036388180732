import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export interface JobInput {
  name: string;
  source: string;
  schedule?: string;
  /** The label of the Encryption select, e.g. 'age, to an encryption profile'. */
  encryption?: string;
  profile?: string;
}

export class JobsPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Jobs');
  }

  row(name: string): Locator {
    return this.page.getByRole('table', { name: 'Jobs' }).getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  /** Adds a job; the destinations come pre-filled with the default destination. */
  async add(input: JobInput): Promise<void> {
    await this.page.getByRole('button', { name: 'Add job' }).click();
    const dialog = this.dialog('Add job');
    await this.fill(dialog, 'Name', input.name);
    await this.choose(dialog, 'Source', input.source);
    if (input.schedule) await this.fill(dialog, 'Schedule (cron)', input.schedule);
    if (input.encryption) await this.choose(dialog, 'Encryption', input.encryption);
    if (input.profile) await this.choose(dialog, 'Encryption profile', input.profile);
    await dialog.getByRole('button', { name: 'Add job' }).click();
    await expect(dialog).toBeHidden();
  }

  runNowButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Run ${name} now` });
  }

  /** The job's last-run cell: progress while it runs, then the outcome. */
  lastRun(name: string): Locator {
    return this.row(name).getByRole('cell').nth(5);
  }
}
