import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import path from 'node:path';
import { AppError } from '../shared/ipc/result';
import type { Core } from './core/create-core';
import { jsonLogger } from './core/logger';
import { appPage } from './electron/app-origin';
import { registerIpc } from './electron/ipc-adapter';
import { parseLaunchArgs } from './electron/launch-args';
import { hardenAllWebContents, restrictPermissions } from './electron/security';
import { createMainWindow } from './electron/window';
import { prepareHost } from './host/open-host-core';

// Electron main: lifecycle only. Everything the app does lives in the core.
const here = import.meta.dirname;
const log = jsonLogger((line) => process.stderr.write(line));
const args = parseLaunchArgs(process.argv.slice(1));
// First thing: the master key leaves process.env before anything is started.
const host = prepareHost({ kind: 'app', env: process.env, dataDir: args.dataDir, masterKeyFile: args.masterKeyFile, log, version: app.getVersion(), leftoverCleanup: 'background' });
const dataDir = host.dataDir;
const page = appPage(path.join(here, '../renderer/index.html'), app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
const windowPaths = {
  preload: path.join(here, '../preload/index.cjs'),
  indexHtml: path.join(here, '../renderer/index.html'),
  icon: path.join(here, '../../resources/icon.png'),
};

app.setName('Vaultdesk');
// Chromium's own profile (caches, local storage) stays inside the data dir, under its own folder.
app.setPath('userData', dataDir);
app.setPath('sessionData', path.join(dataDir, 'electron'));
app.enableSandbox();
hardenAllWebContents(app);

let core: Core | null = null;
let stopIpc: (() => void) | null = null;

async function openWindow(): Promise<void> {
  try {
    await createMainWindow(windowPaths, page);
  } catch (error) {
    log.error('the window could not load the app page', { error: (error as Error).message });
  }
}

async function start(): Promise<void> {
  restrictPermissions(session.defaultSession, page);
  try {
    core = await host.open();
  } catch (error) {
    const message = error instanceof AppError ? error.message : `Unexpected error: ${(error as Error).message}`;
    log.error('the core could not start', { code: error instanceof AppError ? error.code : 'INTERNAL' });
    dialog.showErrorBox('Vaultdesk cannot start', `${message}\n\nData folder: ${dataDir}`);
    app.exit(1);
    return;
  }
  stopIpc = registerIpc(ipcMain, core, page, () => BrowserWindow.getAllWindows(), log);
  await openWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Two processes on one store would race each other's writes: hand over to the running one.
  app.exit(0);
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    stopIpc?.();
    core?.close();
    core = null;
  });
  app.whenReady().then(start, (error: unknown) => {
    log.error('Electron failed to start', { error: String(error) });
    app.exit(1);
  });
}
