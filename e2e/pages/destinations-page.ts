import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export interface S3DestinationInput {
  name: string;
  provider: string;
  endpoint?: string;
  region?: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export class DestinationsPage extends AppPage {
  async show(): Promise<void> {
    await this.navigate('Destinations');
  }

  table(): Locator {
    return this.page.getByRole('table', { name: 'Destinations' });
  }

  row(name: string): Locator {
    return this.table().getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  /** Opens the add form and fills a local destination; returns the dialog, not yet submitted. */
  async fillLocal(name: string, folder: string): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Add destination' }).click();
    const dialog = this.dialog('Add destination');
    await this.fill(dialog, 'Name', name);
    await this.fill(dialog, 'Folder', folder);
    return dialog;
  }

  async addLocal(name: string, folder: string, options: { isDefault?: boolean } = {}): Promise<void> {
    const dialog = await this.fillLocal(name, folder);
    if (options.isDefault) await dialog.getByLabel('Default destination for new jobs').check();
    await this.submitTested(dialog, 'Add destination');
  }

  async addS3(input: S3DestinationInput): Promise<void> {
    await this.page.getByRole('button', { name: 'Add destination' }).click();
    const dialog = this.dialog('Add destination');
    await this.choose(dialog, 'Kind', 'S3-compatible bucket');
    await this.fill(dialog, 'Name', input.name);
    await this.choose(dialog, 'Provider', input.provider);
    if (input.endpoint) await this.fill(dialog, 'Endpoint', input.endpoint);
    if (input.region) await this.fill(dialog, 'Region', input.region);
    await this.fill(dialog, 'Bucket', input.bucket);
    await this.fill(dialog, 'Access key ID', input.accessKeyId);
    await this.fill(dialog, 'Secret access key', input.secretAccessKey);
    await this.submitTested(dialog, 'Add destination');
  }

  async test(name: string): Promise<Locator> {
    await this.page.getByRole('button', { name: `Test destination ${name}` }).click();
    const dialog = this.dialog(`Test destination ${name}`);
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async setLocked(name: string, locked: boolean): Promise<void> {
    await this.rowAction(`destination ${name}`, locked ? 'Lock' : 'Unlock');
    if (locked) await expect(this.row(name)).toContainText('locked');
    else await expect(this.row(name)).not.toContainText('locked');
  }

  async edit(name: string): Promise<Locator> {
    await this.rowAction(`destination ${name}`, 'Edit');
    const dialog = this.dialog(`Edit destination ${name}`);
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Asks to delete and confirms; returns the confirm dialog (still open when the core refused). */
  async delete(name: string): Promise<Locator> {
    await this.rowAction(`destination ${name}`, 'Delete');
    const dialog = this.dialog(`Delete destination "${name}"?`);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    return dialog;
  }
}
