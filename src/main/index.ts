import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, powerMonitor, protocol, session } from 'electron';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Core } from './core/create-core';
import type { TrayAction } from './core/tray/tray-model';
import { jsonLogger } from './core/logger';
import { appMenuTemplate } from './electron/app-menu';
import { appPage } from './electron/app-origin';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, handleAppRequest } from './electron/app-protocol';
import { registerIpc } from './electron/ipc-adapter';
import { parseLaunchArgs } from './electron/launch-args';
import { applyStartAtLogin } from './electron/login-item';
import { QUIT_BUTTON, QuitGuard, quitQuestion } from './electron/quit-guard';
import { hardenAllWebContents, restrictPermissions } from './electron/security';
import { startErrorBox } from './electron/start-error';
import { createAppTray, type AppTray } from './electron/tray';
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
const resourcesDir = path.join(here, '../../resources');
const windowPaths = { preload: path.join(here, '../preload/index.cjs'), icon: path.join(resourcesDir, 'icon.png') };
/** Quitting waits this long at most for runs to record their end (each gets a few seconds before its worker is stopped). */
const QUIT_DEADLINE_MS = 45_000;

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.setName('Vaultdesk');
const dataDirProblem = useDataDirForChromium();
app.enableSandbox();
hardenAllWebContents(app);

let core: Core | null = null;
let stopIpc: (() => void) | null = null;
/** Null where no tray could be made: closing the last window then quits, as it would without one. */
let appTray: AppTray | null = null;
let trayHintShown = false;
/** The start-at-login setting last handed to the OS. */
let loginItemApplied: boolean | null = null;

const quitGuard = new QuitGuard({
  // Restores and drills count too: quitting cancels them (their targets are left as they were).
  activeRuns: () => (core ? [...core.runService.activeRuns(), ...core.restoreService.activeIds()] : []),
  confirm: async (count, signal) => {
    const options = { ...quitQuestion(count, core?.restoreService.activeIds().length ?? 0), noLink: true, signal };
    const win = BrowserWindow.getAllWindows().find((w) => !w.isDestroyed());
    const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return answer.response === QUIT_BUTTON;
  },
  stop: async () => {
    // The store closes only after every run has recorded its end; events keep flowing to the window until then.
    await core?.shutdown('Vaultdesk was quit');
    appTray?.destroy();
    appTray = null;
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
    win.on('close', (event) => {
      // The window goes (a renderer left open for days in the tray holds memory for nothing); the app stays in the tray.
      if (appTray && quitGuard.phase === 'open') return keptInTray();
      // Without a tray, closing the last window on Windows and Linux quits: ask first while a backup runs.
      if (process.platform !== 'darwin' && BrowserWindow.getAllWindows().length === 1 && quitGuard.request('last-window')) event.preventDefault();
    });
    loaded.catch((error: unknown) => windowFailed('the window could not load the app page', error));
  } catch (error) {
    windowFailed('the window could not be created', error);
  }
}

/** The window brought forward, or opened again when it was closed to the tray. */
function showWindow(): void {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) return openWindow();
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function notify(title: string, body: string): void {
  if (!Notification.isSupported()) return;
  const shown = new Notification({ title, body });
  shown.on('click', () => core && quitGuard.phase === 'open' && showWindow());
  shown.show();
}

/** Said once per start, the first time the window is closed. */
function keptInTray(): void {
  if (trayHintShown) return;
  trayHintShown = true;
  notify('Vaultdesk keeps running in the tray', 'Scheduled backups go on. Quit from its menu in the tray.');
}

function trayAction(action: TrayAction): void {
  const current = core;
  if (!current || quitGuard.phase !== 'open') return;
  switch (action.kind) {
    case 'open':
      return showWindow();
    case 'quit':
      // Through before-quit and the quit guard, which asks while a backup runs.
      return app.quit();
    case 'run':
      return void trayCall('The backup did not start', () => current.call('jobs:run', { id: action.jobId }));
    case 'pause':
      return void trayCall('The schedules were not paused', () => current.call('schedules:pause', {}));
    case 'resume':
      return void trayCall('The schedules were not resumed', () => current.call('schedules:resume', {}));
  }
}

/** A tray action has no window to answer in: a refusal (the job runs already, the store is full) is an OS notification. */
async function trayCall(failure: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    appTray?.refresh();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    log.warn(failure, { error: why });
    notify(failure, why);
  }
}

function startTray(current: Core): AppTray | null {
  try {
    return createAppTray({ model: () => core?.trayModel() ?? null, events: current.events, act: trayAction, iconDir: resourcesDir, platform: process.platform, log });
  } catch (error) {
    log.warn('the tray icon could not be made; closing the window quits', { error: String(error) });
    return null;
  }
}

/**
 * Hands the start-at-login setting to the OS at start (it may have been changed from
 * `vaultdesk serve`, or the app moved) and whenever it changes. A login start passes --hidden
 * and the data dir and key file this app was started with.
 */
async function followStartAtLogin(): Promise<void> {
  const current = core;
  if (!current) return;
  try {
    const { startAtLogin } = await current.call('settings:get', {});
    if (startAtLogin === loginItemApplied) return;
    loginItemApplied = startAtLogin;
    applyStartAtLogin(startAtLogin, {
      platform: process.platform,
      setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
      // An AppImage runs from a temporary mount: the login start must name the AppImage itself.
      executable: process.env.APPIMAGE ?? process.execPath,
      args: [
        ...(app.isPackaged ? [] : [app.getAppPath()]),
        ...(args.dataDir ? ['--data-dir', dataDir] : []),
        ...(args.masterKeyFile ? ['--master-key-file', path.resolve(args.masterKeyFile)] : []),
      ],
      env: process.env,
      home: homedir(),
    });
    log.info('start at login set', { enabled: startAtLogin });
  } catch (error) {
    loginItemApplied = null;
    const why = error instanceof Error ? error.message : String(error);
    log.warn('could not set start at login', { error: why });
    notify('Vaultdesk could not change its start at login', why);
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
  core.events.on('notifications:alert', (alert) => notify(alert.title, alert.body));
  // The app runs the schedules of its data dir (or stands by while a daemon does).
  core.scheduler.start();
  powerMonitor.on('suspend', () => core?.scheduler.suspended());
  powerMonitor.on('resume', () => core?.scheduler.resumed());
  appTray = startTray(core);
  core.events.on('config:changed', (change) => void (change.entity === 'settings' && followStartAtLogin()));
  void followStartAtLogin();
  // Started at login: in the tray only (macOS cannot pass --hidden to a login item, but says so).
  const atLogin = args.hidden || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  if (!(atLogin && appTray)) openWindow();
}

if (!app.requestSingleInstanceLock()) {
  // This data dir already has its window: the running app is brought forward instead.
  app.exit(0);
} else {
  app.on('second-instance', () => {
    if (core && quitGuard.phase === 'open') showWindow();
  });
  app.on('activate', () => {
    if (core && quitGuard.phase === 'open' && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    // The app lives on in the tray; macOS apps also stay in the Dock with no window (activate opens one again).
    if (!appTray && process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitGuard.request('quit')) event.preventDefault();
  });
  // Logout and `kill` send SIGTERM, a terminal SIGINT: runs are cancelled cleanly, without a question nobody can answer.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void quitGuard.request('signal'));
  app.whenReady().then(start).catch(failStart);
}
