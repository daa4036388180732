import { expect, type Locator, type Page } from '@playwright/test';

export type NavTarget = 'Sources' | 'Destinations' | 'Jobs' | 'Runs' | 'Settings';

/** The shell: navigation, notifications and the Mantine controls every page uses. */
export class AppPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  }

  async navigate(to: NavTarget): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${to}`) }).click();
    await expect(this.page.getByRole('heading', { level: 2, name: to })).toBeVisible();
  }

  navEntry(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) });
  }

  dialog(name: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name });
  }

  /** Mantine's Select: open it by its label, then pick the option. */
  async choose(scope: Locator, label: string, option: string): Promise<void> {
    await scope.getByLabel(label, { exact: true }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /**
   * Submits a source or destination form, which tests the settings before saving. When the test
   * fails (most servers these tests name do not exist), it saves anyway, as a user who knows the
   * server is down would. Returns whether the test passed.
   */
  async submitTested(dialog: Locator, button: string): Promise<boolean> {
    await dialog.getByRole('button', { name: button }).click();
    const failure = dialog.getByTestId('test-on-save-failure');
    // A test gives up on a server that does not answer after 30 s.
    await expect.poll(async () => ((await dialog.isHidden()) ? 'saved' : (await failure.isVisible()) ? 'failed' : 'testing'), { timeout: 45_000 }).not.toBe('testing');
    if (await dialog.isHidden()) return true;
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await expect(dialog).toBeHidden();
    return false;
  }

  async fill(scope: Locator, label: string, value: string): Promise<void> {
    await scope.getByLabel(label, { exact: true }).fill(value);
  }
}
