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
    if (input.encryption) await this.choose(dialog, 'Encryption', input.encryption);
    if (input.profile) await this.choose(dialog, 'Encryption profile', input.profile);
    if (input.schedule) {
      await this.section(dialog, 'When');
      await this.fill(dialog, 'Schedule (cron)', input.schedule);
    }
    await dialog.getByRole('button', { name: 'Add job' }).click();
    await expect(dialog).toBeHidden();
  }

  /** Opens the job's edit form. */
  async edit(name: string): Promise<Locator> {
    await this.rowAction(`job ${name}`, 'Edit');
    const dialog = this.dialog(`Edit job ${name}`);
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Shows one section of the job form: What, When, Keep, Hooks and notifications, Advanced. */
  async section(dialog: Locator, name: string): Promise<Locator> {
    const tab = dialog.getByRole('tab', { name: new RegExp(`^${name}`) });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    return dialog.getByRole('tabpanel', { name: new RegExp(`^${name}`) });
  }

  /** The schedule read back under the cron field: its words and next runs. */
  scheduleReadBack(dialog: Locator): Locator {
    return dialog.getByRole('status', { name: 'Schedule in words' });
  }

  /** The job's schedule cell in the list. */
  schedule(name: string): Locator {
    return this.row(name).getByTestId('job-schedule');
  }

  runNowButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Run now: ${name}`, exact: true });
  }

  /** The job's last-run cell: progress while it runs, then the outcome. Found by the name the table gives it, as schedule() is, so a column added or folded away in the narrow layout does not move it. */
  lastRun(name: string): Locator {
    return this.row(name).getByTestId('job-last-run');
  }
}
