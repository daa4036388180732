import { BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import type { AppPage } from './app-origin';
import { mainWindowOptions } from './window-options';

export interface WindowPaths {
  preload: string;
  indexHtml: string;
  icon: string;
}

/** Creates the app window and loads the app page: the dev server under `electron-vite dev`, the built file otherwise. */
export async function createMainWindow(paths: WindowPaths, page: AppPage): Promise<BrowserWindow> {
  const win = new BrowserWindow(mainWindowOptions(paths.preload, existsSync(paths.icon) ? paths.icon : undefined));
  win.once('ready-to-show', () => win.show());
  if (page.devOrigin) await win.loadURL(`${page.devOrigin}/`);
  else await win.loadFile(paths.indexHtml);
  return win;
}
