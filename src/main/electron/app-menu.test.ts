import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from './app-menu';

/** Every role in a template, submenus included. */
function roles(template: MenuItemConstructorOptions[] | null): string[] {
  return (template ?? []).flatMap((item) => [...(item.role ? [item.role] : []), ...roles(Array.isArray(item.submenu) ? item.submenu : null)]);
}

const DEVELOPER = ['viewMenu', 'toggleDevTools', 'reload', 'forceReload'];

describe('appMenuTemplate', () => {
  it('gives a packaged app on Windows and Linux no menu', () => {
    expect(appMenuTemplate({ packaged: true, platform: 'win32' })).toBeNull();
    expect(appMenuTemplate({ packaged: true, platform: 'linux' })).toBeNull();
  });

  it('gives a packaged app on macOS the Edit roles copy and paste need, and nothing that reloads or opens DevTools', () => {
    const mac = roles(appMenuTemplate({ packaged: true, platform: 'darwin' }));
    expect(mac).toEqual(['appMenu', 'editMenu', 'windowMenu']);
    for (const role of DEVELOPER) expect(mac).not.toContain(role);
  });

  it('keeps reload and DevTools in development', () => {
    expect(roles(appMenuTemplate({ packaged: false, platform: 'linux' }))).toEqual(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu']);
    expect(roles(appMenuTemplate({ packaged: false, platform: 'darwin' }))).toContain('viewMenu');
  });
});
