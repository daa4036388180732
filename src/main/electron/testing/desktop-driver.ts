/**
 * Child-process side of the desktop host test: loads the built main bundle (ELECTRON_STAND_IN_BUNDLE)
 * with `electron` resolved to the stand-in, then does what the test asks over the IPC channel
 * of `child_process.fork` and reports what the app did (messages sent to the window, message
 * boxes) as it happens. Started as Electron would start the app: its argv carries --data-dir
 * and --master-key-file.
 *
 *   node --import ./register-electron.ts desktop-driver.ts --data-dir DIR --master-key-file FILE
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as StandIn from './electron-stand-in';

/** What the test asks of the app; sent with an `id` the reply carries back. */
export type DriverCommand =
  | { op: 'ready' }
  | { op: 'state' }
  | { op: 'invoke'; channel: string; input: unknown; frameUrl: string | null }
  | { op: 'fetch'; url: string; method?: string }
  | { op: 'permission'; permission: string; url: string }
  | { op: 'navigate'; url: string }
  | { op: 'quit' }
  | { op: 'close-window' }
  | { op: 'answer'; index: number; response: number }
  | { op: 'second-instance' }
  | { op: 'activate' }
  | { op: 'power'; event: 'resume' | 'suspend' }
  /** Clicks a tray menu entry: each step names an entry by the start of its label (ages change). */
  | { op: 'tray-click'; path: string[] };

export type DriverRequest = DriverCommand & { id: number };

export type DriverReport =
  | { type: 'loaded' }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'sent'; channel: string; payload: unknown }
  | { type: 'message-box'; index: number; options: Record<string, unknown>; modal: boolean }
  | { type: 'error-box'; title: string; content: string };

export interface DriverState {
  masterKeyInEnv: boolean;
  paths: Record<string, string>;
  appName: string;
  sandboxEnabled: boolean;
  privilegedSchemes: unknown[];
  protocolSchemes: string[];
  ipcChannels: string[];
  /** 'unset' when the app never set one (Electron's default menu, DevTools included, would show). */
  menu: unknown;
  permissionHandlers: { request: boolean; check: boolean; device: boolean };
  windows: { options: Record<string, unknown>; url: string | null; shown: boolean; destroyed: boolean; windowOpenHandler: boolean; webContentsEvents: string[] }[];
  errorBoxes: { title: string; content: string }[];
  notifications: { title: string; body: string }[];
  messageBoxes: StandIn.MessageBoxRecord[];
  lifecycle: string[];
  /** The last tray made: its picture's file name, tooltip and menu (labels, enabled, submenus). */
  tray: { image: string; imageFound: boolean; tooltip: string; menu: TrayMenuEntry[]; destroyed: boolean } | null;
  loginItemSettings: Record<string, unknown>[];
}

export type TrayMenuEntry = { type: 'separator' } | { label: string; enabled: boolean; submenu?: TrayMenuEntry[] };

interface TemplateItem {
  type?: string;
  label?: string;
  enabled?: boolean;
  submenu?: TemplateItem[];
  click?: (...args: unknown[]) => void;
}

const standIn = (await import(new URL('./electron-stand-in.ts', import.meta.url).href)) as typeof StandIn;
const { app, BrowserWindow, control, recorded, emitReady, powerMonitor, preventable } = standIn;

control.packaged = process.env.ELECTRON_STAND_IN_PACKAGED === '1';
// The glue decides by platform (the menu, whether closing the last window quits); a test may ask
// for macOS's decisions. The SQLite addon picks its binary by platform, so it is loaded for the
// real one first (it keeps it); nothing in such a test runs a backup.
if (process.env.ELECTRON_STAND_IN_PLATFORM) {
  const { default: Database } = await import('better-sqlite3');
  new Database(':memory:').close();
  Object.defineProperty(process, 'platform', { value: process.env.ELECTRON_STAND_IN_PLATFORM });
}
control.version = '0.1.0-stand-in';

let inFlight = 0;
let drained: (() => void) | null = null;
function report(message: DriverReport): void {
  inFlight++;
  process.send!(message, () => {
    inFlight--;
    if (inFlight === 0) drained?.();
  });
}
control.beforeExit = () =>
  inFlight === 0
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, 2_000).unref();
      });
control.onSend = (channel, payload) => report({ type: 'sent', channel, payload });
control.onMessageBox = (index, box) => report({ type: 'message-box', index, options: box.options, modal: box.modal });
control.onErrorBox = (title, content) => report({ type: 'error-box', title, content });

function firstWindow(): StandIn.BrowserWindow {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) throw new Error('the app has no window');
  return win;
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function state(): DriverState {
  return {
    masterKeyInEnv: 'VAULTDESK_MASTER_KEY' in process.env,
    paths: Object.fromEntries(recorded.paths),
    appName: recorded.appName,
    sandboxEnabled: recorded.sandboxEnabled,
    privilegedSchemes: recorded.privilegedSchemes,
    protocolSchemes: [...recorded.protocolHandlers.keys()],
    ipcChannels: [...recorded.ipcHandlers.keys()],
    menu: recorded.applicationMenu === undefined ? 'unset' : recorded.applicationMenu,
    permissionHandlers: { request: !!recorded.permissionRequestHandler, check: !!recorded.permissionCheckHandler, device: !!recorded.devicePermissionHandler },
    windows: BrowserWindow.getAllWindows().map((w) => ({
      options: w.options,
      url: w.loadedUrl,
      shown: w.shown,
      destroyed: w.isDestroyed(),
      windowOpenHandler: w.webContents.windowOpenHandler !== null,
      webContentsEvents: w.webContents.eventNames().map(String),
    })),
    errorBoxes: recorded.errorBoxes,
    notifications: recorded.notifications,
    messageBoxes: recorded.messageBoxes,
    lifecycle: recorded.lifecycle,
    tray: trayState(),
    loginItemSettings: recorded.loginItemSettings,
  };
}

function trayState(): DriverState['tray'] {
  const tray = recorded.trays.at(-1);
  if (!tray) return null;
  const entries = (items: TemplateItem[]): TrayMenuEntry[] =>
    items.map((i) => (i.type === 'separator' ? { type: 'separator' } : { label: i.label ?? '', enabled: i.enabled !== false, ...(i.submenu ? { submenu: entries(i.submenu) } : {}) }));
  return {
    image: path.basename(tray.image.path),
    imageFound: !tray.image.isEmpty(),
    tooltip: tray.tooltip,
    menu: entries((tray.menu?.template ?? []) as TemplateItem[]),
    destroyed: tray.isDestroyed(),
  };
}

/** What a click on a tray menu entry does in Electron: its click handler runs. */
function clickTray(steps: string[]): void {
  const tray = recorded.trays.at(-1);
  if (!tray || tray.isDestroyed()) throw new Error('the app has no tray');
  let items = (tray.menu?.template ?? []) as TemplateItem[];
  let item: TemplateItem | undefined;
  for (const step of steps) {
    item = items.find((i) => i.label?.startsWith(step));
    if (!item) throw new Error(`no tray menu entry starting with "${step}" among ${JSON.stringify(items.map((i) => i.label ?? '---'))}`);
    items = item.submenu ?? [];
  }
  if (!item?.click) throw new Error(`tray menu entry "${steps.join(' > ')}" does nothing when clicked`);
  if (item.enabled === false) throw new Error(`tray menu entry "${steps.join(' > ')}" is disabled`);
  item.click(item, undefined, {});
}

async function run(request: DriverRequest): Promise<unknown> {
  switch (request.op) {
    case 'ready':
      emitReady();
      // Started: a window shown, or a start-up failure reported.
      // A start at login (--hidden) shows no window: its tray is the sign it started.
      await waitFor(
        () =>
          recorded.errorBoxes.length > 0 ||
          recorded.exitCode !== null ||
          BrowserWindow.getAllWindows().some((w) => w.shown) ||
          (process.argv.includes('--hidden') && recorded.trays.length > 0 && recorded.trays.at(-1)!.menu !== null),
        30_000,
      );
      return state();
    case 'state':
      return state();
    case 'invoke': {
      const handler = recorded.ipcHandlers.get(request.channel);
      if (!handler) throw new Error(`no handler for ${request.channel}`);
      const sender = BrowserWindow.getAllWindows()[0]?.webContents;
      return handler({ senderFrame: request.frameUrl === null ? null : { url: request.frameUrl }, sender }, request.input);
    }
    case 'fetch': {
      const handler = recorded.protocolHandlers.get(new URL(request.url).protocol.slice(0, -1));
      if (!handler) throw new Error(`no handler for ${request.url}`);
      const response = await handler(new Request(request.url, { method: request.method ?? 'GET' }));
      const body = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: Object.fromEntries(response.headers), length: body.length, text: body.subarray(0, 8192).toString('utf8') };
    }
    case 'permission': {
      const contents = firstWindow().webContents;
      let granted: boolean | null = null;
      recorded.permissionRequestHandler?.(contents, request.permission, (allowed: boolean) => (granted = allowed), { requestingUrl: request.url, isMainFrame: true });
      const checked = recorded.permissionCheckHandler?.(contents, request.permission, new URL(request.url).origin, { requestingUrl: request.url, isMainFrame: true }) ?? null;
      const device = recorded.devicePermissionHandler?.({ deviceType: 'usb', origin: new URL(request.url).origin }) ?? null;
      return { request: granted, check: checked, device };
    }
    case 'navigate': {
      const contents = firstWindow().webContents;
      const outcome: Record<string, unknown> = {};
      for (const name of ['will-navigate', 'will-frame-navigate', 'will-attach-webview']) {
        const event = preventable({ url: request.url });
        contents.emit(name, event, request.url);
        outcome[name] = event.defaultPrevented ? 'prevented' : 'allowed';
      }
      outcome.windowOpen = contents.windowOpenHandler?.({ url: request.url, frameName: '', features: '', disposition: 'new-window' }) ?? null;
      return outcome;
    }
    case 'quit':
      app.quit();
      return state();
    case 'close-window':
      firstWindow().close();
      return state();
    case 'answer':
      control.answerMessageBox(request.index, request.response);
      return null;
    case 'second-instance':
      app.emit('second-instance', preventable(), process.argv, process.cwd(), {});
      return state();
    case 'activate':
      app.emit('activate', preventable(), BrowserWindow.getAllWindows().length > 0);
      return state();
    case 'power':
      powerMonitor.emit(request.event);
      return null;
    case 'tray-click':
      clickTray(request.path);
      return state();
  }
}

process.on('message', (request: DriverRequest) => {
  run(request).then(
    (result) => report({ type: 'reply', id: request.id, ok: true, result }),
    (error: unknown) => report({ type: 'reply', id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

const bundle = process.env.ELECTRON_STAND_IN_BUNDLE;
if (!bundle) throw new Error('ELECTRON_STAND_IN_BUNDLE must name the built main bundle (out/main/index.js)');
await import(pathToFileURL(bundle).href);
report({ type: 'loaded' });
