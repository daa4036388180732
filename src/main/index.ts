import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, powerMonitor, protocol, session } from 'electron';
import path from 'node:path';
import type { Core } from './core/create-core';
import { jsonLogger } from './core/logger';
import { appMenuTemplate } from './electron/app-menu';
import { appPage } from './electron/app-origin';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, handleAppRequest } from './electron/app-protocol';
import { registerIpc } from './electron/ipc-adapter';
import { parseLaunchArgs } from './electron/launch-args';
import { QUIT_BUTTON, QuitGuard, quitQuestion } from './electron/quit-guard';
import { hardenAllWebContents, restrictPermissions } from './electron/security';
import { startErrorBox } from './electron/start-error';
import { createMainWindow } from './electron/window';
import { ensureFolderSync } from './core/files/ensure-folder';
import { prepareHost } from './host/open-host-core';

// Electron main: lifecycle only. Everything the app does lives in the core.
const here = import.meta.dirname;
const args = parseLaunchArgs(process.argv.slice(1));
// First thing: the master key leaves process.env before anything is started.
const host = prepareHost({
  kind: 'app',
  env: process.env,
  dataDir: args.dataDir,
  masterKeyFile: args.masterKeyFile,
  log: jsonLogger((line) => process.stderr.write(line)),
  logFile: 'vaultdesk',
  version: app.getVersion(),
  leftoverCleanup: 'background',
  // A desktop without a Secret Service (a bare window manager): the first start keeps the key in a
  // file beside the data dir; Settings > Master key says where and what that means.
  keyFileFallback: 'create',
});
const { dataDir, log } = host;
const page = appPage(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
const rendererDir = path.join(here, '../renderer');
const windowPaths = { preload: path.join(here, '../preload/index.cjs'), icon: path.join(here, '../../resources/icon.png') };
/** Quitting waits this long at most for runs to record their end (each gets a few seconds before its worker is stopped). */
const QUIT_DEADLINE_MS = 45_000;

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.setName('Vaultdesk');
const dataDirProblem = useDataDirForChromium();
app.enableSandbox();
hardenAllWebContents(app);

let core: Core | null = null;
let stopIpc: (() => void) | null = null;

const quitGuard = new QuitGuard({
  activeRuns: () => core?.runService.activeRuns() ?? [],
  confirm: async (count, signal) => {
    const options = { ...quitQuestion(count), noLink: true, signal };
    const win = BrowserWindow.getAllWindows().find((w) => !w.isDestroyed());
    const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return answer.response === QUIT_BUTTON;
  },
  stop: async () => {
    // The store closes only after every run has recorded its end; events keep flowing to the window until then.
    await core?.shutdown('Vaultdesk was quit');
    stopIpc?.();
    stopIpc = null;
    core = null;
  },
  quit: () => app.quit(),
  log,
  deadlineMs: QUIT_DEADLINE_MS,
});

/**
 * Chromium keeps its profile (caches, local storage) in the data dir, under its own folder, and
 * the single-instance lock is taken there, so one app window serves each data dir. app.setPath
 * throws for a folder that does not exist yet, as on a first start.
 */
function useDataDirForChromium(): unknown {
  try {
    ensureFolderSync(path.join(dataDir, 'electron'), { mode: 0o700 });
    app.setPath('userData', dataDir);
    app.setPath('sessionData', path.join(dataDir, 'electron'));
    return null;
  } catch (error) {
    return error;
  }
}

function failStart(error: unknown): void {
  const box = startErrorBox(error, { dataDir, logFile: host.logFile });
  log.error('Vaultdesk could not start', { code: (error as { code?: unknown } | null)?.code ?? null, shown: box.content });
  dialog.showErrorBox(box.title, box.content);
  app.exit(1);
}

function openWindow(): void {
  try {
    const { win, loaded } = createMainWindow(windowPaths, page, !app.isPackaged);
    // On Windows and Linux closing the last window quits: ask first while a backup runs.
    win.on('close', (event) => {
      if (process.platform !== 'darwin' && BrowserWindow.getAllWindows().length === 1 && quitGuard.request('last-window')) event.preventDefault();
    });
    loaded.catch((error: unknown) => windowFailed('the window could not load the app page', error));
  } catch (error) {
    windowFailed('the window could not be created', error);
  }
}

/** A window that never shows would leave the app running unseen, with no way to quit it but kill: say so, and quit. */
function windowFailed(what: string, error: unknown): void {
  log.error(what, { error: String(error) });
  const why = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('Vaultdesk cannot show its window', `The app's page could not be shown (${why}). The installation may be damaged: reinstall Vaultdesk.${host.logFile ? `\n\nLog file: ${host.logFile}` : ''}`);
  app.quit();
}

async function start(): Promise<void> {
  if (dataDirProblem) return failStart(dataDirProblem);
  const menu = appMenuTemplate({ packaged: app.isPackaged, platform: process.platform });
  Menu.setApplicationMenu(menu ? Menu.buildFromTemplate(menu) : null);
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(rendererDir, request));
  restrictPermissions(session.defaultSession, page);
  try {
    core = await host.open();
  } catch (error) {
    return failStart(error);
  }
  stopIpc = registerIpc(ipcMain, core, page, () => BrowserWindow.getAllWindows(), log);
  // Failures (and recoveries) as OS notifications; clicking one brings the window forward.
  core.events.on('notifications:alert', (alert) => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: alert.title, body: alert.body });
    shown.on('click', () => (BrowserWindow.getAllWindows()[0] ? BrowserWindow.getAllWindows()[0]!.show() : openWindow()));
    shown.show();
  });
  // The app runs the schedules of its data dir (or stands by while a daemon does).
  core.scheduler.start();
  powerMonitor.on('resume', () => core?.scheduler.resumed());
  openWindow();
}

if (!app.requestSingleInstanceLock()) {
  // This data dir already has its window: the running app is brought forward instead.
  app.exit(0);
} else {
  app.on('second-instance', () => {
    if (!core || quitGuard.phase !== 'open') return;
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return openWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  app.on('activate', () => {
    if (core && quitGuard.phase === 'open' && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the Dock with no window; activate opens one again.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitGuard.request('quit')) event.preventDefault();
  });
  // Logout and `kill` send SIGTERM, a terminal SIGINT: runs are cancelled cleanly, without a question nobody can answer.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void quitGuard.request('signal'));
  app.whenReady().then(start).catch(failStart);
}
