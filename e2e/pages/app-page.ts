import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export type NavTarget = 'Home' | 'Sources' | 'Destinations' | 'Jobs' | 'Runs' | 'Backups' | 'Recovery' | 'Settings';

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

  /** Opens a row's "More actions" menu (`what`: "source shop", "job nightly") and picks `action`. */
  async rowAction(what: string, action: string): Promise<void> {
    await this.page.getByRole('button', { name: `More actions for ${what}`, exact: true }).click();
    await this.page.getByRole('menuitem', { name: action, exact: true }).click();
  }

  /** A toast (a Mantine notification) by its text. */
  toast(text: string): Locator {
    return this.page.getByRole('alert').filter({ hasText: text });
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

  /** A form field marked invalid, with `words` in what is read out for it (its error under it, beside its description). */
  async expectFieldError(field: Locator, words: string, timeout?: number): Promise<void> {
    await expect(field).toHaveAttribute('aria-invalid', 'true', { timeout });
    await expect(field).toHaveAccessibleDescription(new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }

  /** Fails when the page scrolls sideways (issue 12: no page may, at 1280x800). */
  async expectNoSideScroll(): Promise<void> {
    const { scrollWidth, clientWidth } = await this.page.evaluate(() => {
      const root = document.scrollingElement!;
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
    });
    expect(scrollWidth, `the page is ${scrollWidth}px wide in a ${clientWidth}px window`).toBeLessThanOrEqual(clientWidth);
  }

  /** A full-page screenshot kept with the test's results, for a person to look at; without toasts unless asked. */
  async keepScreenshot(testInfo: TestInfo, name: string, options: { withToasts?: boolean } = {}): Promise<void> {
    const file = testInfo.outputPath(`${name}.png`);
    // The toasts of runs that just ended would cover the page being looked at.
    const style = options.withToasts ? undefined : '.mantine-Notifications-root { display: none !important; }';
    await this.page.screenshot({ path: file, fullPage: true, style });
    await testInfo.attach(name, { path: file, contentType: 'image/png' });
  }
}
