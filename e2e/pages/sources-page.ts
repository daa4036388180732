import { expect, type Locator } from '@playwright/test';
import { AppPage } from './app-page';

export interface ServerSourceInput {
  engine: 'PostgreSQL' | 'MySQL / MariaDB';
  name: string;
  host: string;
  port?: string;
  user: string;
  password?: string;
  database: string;
}

export class SourcesPage extends AppPage {
  /** Opens the app (on Home, its first page) and goes to Sources. */
  override async open(url: string): Promise<void> {
    await super.open(url);
    await this.show();
  }

  async show(): Promise<void> {
    await this.navigate('Sources');
  }

  row(name: string): Locator {
    return this.page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  async addServerSource(input: ServerSourceInput): Promise<void> {
    await this.page.getByRole('button', { name: 'Add source' }).click();
    const dialog = this.dialog('Add source');
    await this.choose(dialog, 'Engine', input.engine);
    await this.fill(dialog, 'Name', input.name);
    await this.fill(dialog, 'Host', input.host);
    if (input.port) await this.fill(dialog, 'Port', input.port);
    await this.fill(dialog, 'User', input.user);
    if (input.password) await this.fill(dialog, 'Password', input.password);
    await this.fill(dialog, 'Database', input.database);
    await this.submitTested(dialog, 'Add source');
  }

  async addSqliteSource(name: string, file: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Add source' }).click();
    const dialog = this.dialog('Add source');
    await this.choose(dialog, 'Engine', 'SQLite');
    await this.fill(dialog, 'Name', name);
    await this.fill(dialog, 'Database file', file);
    await this.submitTested(dialog, 'Add source');
  }

  /** Opens the connection test; the dialog shows the outcome once the core answers. */
  async testConnection(name: string): Promise<Locator> {
    await this.page.getByRole('button', { name: `Test connection to source ${name}` }).click();
    const dialog = this.dialog(`Test source ${name}`);
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** Opens the edit form; the caller fills what it changes and saves with `save`. */
  async edit(name: string): Promise<Locator> {
    await this.rowAction(`source ${name}`, 'Edit');
    const dialog = this.dialog(`Edit source ${name}`);
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async save(dialog: Locator): Promise<boolean> {
    return this.submitTested(dialog, 'Save changes');
  }
}
