import { BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import type { AppPage } from './app-origin';
import { mainWindowOptions } from './window-options';

export interface WindowPaths {
  preload: string;
  icon: string;
}

/**
 * Creates the app window and loads the app page: the dev server under `electron-vite dev`,
 * app://vaultdesk/index.html otherwise (served by the app scheme's handler).
 */
export function createMainWindow(paths: WindowPaths, page: AppPage, devTools: boolean): { win: BrowserWindow; loaded: Promise<void> } {
  const win = new BrowserWindow(mainWindowOptions(paths.preload, existsSync(paths.icon) ? paths.icon : undefined, devTools));
  win.once('ready-to-show', () => win.show());
  const loaded = win.loadURL(page.devOrigin ? `${page.devOrigin}/` : page.url);
  return { win, loaded };
}
