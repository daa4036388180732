/**
 * A stand-in for the `electron` module, for loading the built main bundle in plain Node where
 * Electron cannot run. It is deliberately small and keeps to what Electron documents: it records
 * what the app registers (IPC handlers, the app scheme, permission and navigation handlers,
 * windows, the menu) and lets a test drive those registrations; it decides nothing for the app.
 * Where Electron refuses a call at the wrong moment (app.setPath on a missing folder, schemes
 * registered after `ready`, protocol.handle before it), so does the stand-in.
 *
 * Loaded through register-electron.ts; desktop-driver.ts reaches `control` and `recorded`.
 * Erasable TypeScript only: Node runs it by stripping the types.
 */
import { EventEmitter } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

type Handler = (...args: unknown[]) => unknown;
type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export interface MessageBoxRecord {
  options: Record<string, unknown>;
  /** Whether it was attached to a window. */
  modal: boolean;
  response: number | null;
}

/** A preventable event as Electron passes it to listeners. */
export function preventable(extra: Record<string, unknown> = {}): { defaultPrevented: boolean; preventDefault(): void } & Record<string, unknown> {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault(): void {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** Everything the app registered or did, in the order it happened where order matters. */
export const recorded = {
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, ProtocolHandler>(),
  ipcHandlers: new Map<string, Handler>(),
  /** undefined: never set (Electron's default menu with DevTools would show); null: no menu. */
  applicationMenu: undefined as unknown,
  paths: new Map<string, string>(),
  sandboxEnabled: false,
  appName: '',
  permissionRequestHandler: null as Handler | null,
  permissionCheckHandler: null as Handler | null,
  devicePermissionHandler: null as Handler | null,
  errorBoxes: [] as { title: string; content: string }[],
  /** OS notifications shown. */
  notifications: [] as { title: string; body: string }[],
  messageBoxes: [] as MessageBoxRecord[],
  /** Tray icons made, destroyed ones included. */
  trays: [] as Tray[],
  /** app.setLoginItemSettings calls, in order. */
  loginItemSettings: [] as Record<string, unknown>[],
  exitCode: null as number | null,
  /** App and window lifecycle events as they were emitted, with ' prevented' when a listener held them. */
  lifecycle: [] as string[],
};

/** What the driver sets and calls. */
export const control = {
  packaged: false,
  version: '0.0.0',
  ready: false,
  /** webContents.send, as it happens. */
  onSend: (_channel: string, _payload: unknown): void => undefined,
  onMessageBox: (_index: number, _box: MessageBoxRecord): void => undefined,
  onErrorBox: (_title: string, _content: string): void => undefined,
  /** Runs before the process exits, so what the driver still has to report is not lost. */
  beforeExit: (): Promise<void> => Promise.resolve(),
  /** What app.getLoginItemSettings() says of this start (macOS). */
  openedAtLogin: false,
  pendingAnswers: new Map<number, (response: number) => void>(),
  answerMessageBox(index: number, response: number): void {
    const answer = this.pendingAnswers.get(index);
    if (!answer) throw new Error(`no message box ${index} is waiting for an answer`);
    answer(response);
  },
};

let readyResolve: () => void = () => undefined;
const readyPromise = new Promise<void>((resolve) => {
  readyResolve = resolve;
});
let exiting = false;

function exitProcess(code: number): void {
  if (exiting) return;
  exiting = true;
  recorded.exitCode = code;
  void control.beforeExit().finally(() => process.exit(code));
}

class StandInApp extends EventEmitter {
  #quitting = false;

  get isPackaged(): boolean {
    return control.packaged;
  }
  getVersion(): string {
    return control.version;
  }
  setName(name: string): void {
    recorded.appName = name;
  }
  getName(): string {
    return recorded.appName;
  }
  getPath(name: string): string {
    return recorded.paths.get(name) ?? path.join(homedir(), '.config', 'Electron');
  }
  setPath(name: string, value: string): void {
    // Electron: "If the path specifies a directory that does not exist, an Error is thrown."
    if (!existsSync(value) || !statSync(value).isDirectory()) throw new Error(`Failed to set path: ${value} does not exist`);
    recorded.paths.set(name, value);
  }
  enableSandbox(): void {
    if (control.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    recorded.sandboxEnabled = true;
  }
  getAppPath(): string {
    return process.cwd();
  }
  setLoginItemSettings(settings: Record<string, unknown>): void {
    recorded.loginItemSettings.push(settings);
  }
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    return { openAtLogin: recorded.loginItemSettings.at(-1)?.openAtLogin === true, wasOpenedAtLogin: control.openedAtLogin };
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  isReady(): boolean {
    return control.ready;
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  /** Electron's order: before-quit (preventable), each window's close (preventable), will-quit (preventable), quit, exit. */
  quit(): void {
    if (this.#quitting) return;
    const before = preventable();
    this.emit('before-quit', before);
    recorded.lifecycle.push(before.defaultPrevented ? 'before-quit prevented' : 'before-quit');
    if (before.defaultPrevented) return;
    this.#quitting = true;
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.closeForQuit()) {
        this.#quitting = false;
        return;
      }
    }
    const will = preventable();
    this.emit('will-quit', will);
    recorded.lifecycle.push(will.defaultPrevented ? 'will-quit prevented' : 'will-quit');
    if (will.defaultPrevented) {
      this.#quitting = false;
      return;
    }
    this.emit('quit', preventable(), 0);
    recorded.lifecycle.push('quit');
    exitProcess(0);
  }
  exit(code = 0): void {
    exitProcess(code);
  }
  get quitting(): boolean {
    return this.#quitting;
  }
}

export const app = new StandInApp();

/** Called by the driver: what Electron does once Chromium is up. */
export function emitReady(): void {
  control.ready = true;
  app.emit('ready', preventable(), {});
  readyResolve();
}

let nextId = 1;

class StandInWebContents extends EventEmitter {
  readonly id = nextId++;
  url = '';
  windowOpenHandler: Handler | null = null;
  send(channel: string, payload: unknown): void {
    control.onSend(channel, payload);
  }
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
}

export class BrowserWindow extends EventEmitter {
  static #all: BrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new StandInWebContents();
  shown = false;
  #destroyed = false;
  loadedUrl: string | null = null;

  constructor(options: Record<string, unknown> = {}) {
    super();
    if (!control.ready) throw new Error('Cannot create BrowserWindow before app is ready');
    this.options = options;
    BrowserWindow.#all.push(this);
    app.emit('web-contents-created', preventable(), this.webContents);
    app.emit('browser-window-created', preventable(), this);
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.#all.filter((w) => !w.isDestroyed());
  }
  /** Loads through the registered scheme handler, as Chromium would; a failed load rejects. */
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = recorded.protocolHandlers.get(scheme);
    if (handler) {
      const response = await handler(new Request(url));
      if (response.status !== 200) throw new Error(`ERR_FAILED (${response.status}) loading '${url}'`);
    } else if (scheme !== 'http' && scheme !== 'https') {
      throw new Error(`ERR_UNKNOWN_URL_SCHEME loading '${url}'`);
    }
    this.emit('ready-to-show');
  }
  async loadFile(file: string): Promise<void> {
    this.loadedUrl = `file://${file}`;
    this.webContents.url = this.loadedUrl;
    this.emit('ready-to-show');
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  /** The user closing the window: preventable; the last one closed (outside a quit) emits window-all-closed. */
  close(): void {
    if (this.#destroyed) return;
    const event = preventable();
    this.emit('close', event);
    recorded.lifecycle.push(event.defaultPrevented ? 'close prevented' : 'close');
    if (event.defaultPrevented) return;
    this.#destroy();
    if (BrowserWindow.getAllWindows().length === 0 && !app.quitting) {
      recorded.lifecycle.push('window-all-closed');
      app.emit('window-all-closed');
    }
  }
  /** Closing as part of app.quit(): false when a listener kept the window open, which stops the quit. */
  closeForQuit(): boolean {
    const event = preventable();
    this.emit('close', event);
    recorded.lifecycle.push(event.defaultPrevented ? 'close prevented' : 'close');
    if (event.defaultPrevented) return false;
    this.#destroy();
    return true;
  }
  #destroy(): void {
    this.#destroyed = true;
    this.emit('closed');
  }
}

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (recorded.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    recorded.ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    recorded.ipcHandlers.delete(channel);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (control.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    recorded.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (!control.ready) throw new Error('protocol.handle can only be used after the ready event');
    if (recorded.protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    recorded.protocolHandlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    recorded.protocolHandlers.delete(scheme);
  },
};

export const session = {
  get defaultSession(): Record<string, (handler: Handler) => void> {
    if (!control.ready) throw new Error('session.defaultSession is only available after ready');
    return {
      setPermissionRequestHandler: (handler) => void (recorded.permissionRequestHandler = handler),
      setPermissionCheckHandler: (handler) => void (recorded.permissionCheckHandler = handler),
      setDevicePermissionHandler: (handler) => void (recorded.devicePermissionHandler = handler),
    };
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    recorded.errorBoxes.push({ title, content });
    control.onErrorBox(title, content);
  },
  /** showMessageBox([window, ]options): answered by the test, or by its `signal` as if cancelled. */
  showMessageBox(first: unknown, second?: unknown): Promise<{ response: number; checkboxChecked: boolean }> {
    const modal = second !== undefined;
    const options = (modal ? second : first) as Record<string, unknown> & { signal?: AbortSignal; cancelId?: number };
    const { signal, ...shown } = options;
    const box: MessageBoxRecord = { options: shown, modal, response: null };
    const index = recorded.messageBoxes.push(box) - 1;
    return new Promise((resolve) => {
      const answer = (response: number): void => {
        if (box.response !== null) return;
        box.response = response;
        control.pendingAnswers.delete(index);
        resolve({ response, checkboxChecked: false });
      };
      control.pendingAnswers.set(index, answer);
      signal?.addEventListener('abort', () => answer(options.cancelId ?? 0));
      control.onMessageBox(index, box);
    });
  },
};

/** An OS notification: shown ones are recorded. */
export class Notification extends EventEmitter {
  readonly options: { title: string; body: string };

  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
  }

  static isSupported(): boolean {
    return true;
  }

  show(): void {
    recorded.notifications.push({ title: this.options.title, body: this.options.body });
  }
}

/** Power events (sleep, wake-up): the driver emits them. */
export const powerMonitor = new EventEmitter();

/** An image read from a file; empty when the file is not there, as Electron's is. */
export class NativeImage {
  readonly path: string;
  constructor(file: string) {
    this.path = file;
  }
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
}

export const nativeImage = {
  createFromPath(file: string): NativeImage {
    return new NativeImage(file);
  },
};

/** A tray icon: what it shows and its menu (the template as built, clicks included) are kept for the driver. */
export class Tray extends EventEmitter {
  image: NativeImage;
  tooltip = '';
  menu: { template: unknown[] } | null = null;
  #destroyed = false;

  constructor(image: NativeImage) {
    super();
    if (!control.ready) throw new Error('Tray can only be created after the app is ready');
    this.image = image;
    recorded.trays.push(this);
  }
  setImage(image: NativeImage): void {
    this.image = image;
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: { template: unknown[] } | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.#destroyed = true;
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
}

export const Menu = {
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template };
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    recorded.applicationMenu = menu === null ? null : menu.template;
  },
};
