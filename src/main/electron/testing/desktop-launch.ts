import { execFile, fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DriverCommand, DriverReport, DriverRequest } from './desktop-driver';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const HERE = import.meta.dirname;

/**
 * Builds the app as `npm run build` does, into `outDir` (absolute, inside the repo so the
 * bundle's externals resolve from its node_modules), and returns the main bundle's path.
 */
export async function buildDesktopBundle(outDir: string): Promise<string> {
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'], {
    cwd: ROOT,
    timeout: 170_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return path.join(outDir, 'main', 'index.js');
}

export interface DesktopLaunchOptions {
  bundle: string;
  /** Electron's argv after the executable: --data-dir, --master-key-file and the like. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  packaged: boolean;
  /** process.platform as the app sees it (the glue's menu and window decisions); the host's own by default. */
  platform?: NodeJS.Platform;
}

export type MessageBoxReport = Extract<DriverReport, { type: 'message-box' }>;

/** The app started in a child process, as Electron would start it, and what it did so far. */
export interface DesktopLaunch {
  readonly child: ChildProcess;
  call<T = unknown>(command: DriverCommand): Promise<T>;
  /** Messages the app sent to its window (webContents.send), in order. */
  readonly sent: { channel: string; payload: unknown }[];
  readonly messageBoxes: MessageBoxReport[];
  /** dialog.showErrorBox calls, reported as they happen (the app usually exits right after). */
  readonly errorBoxes: { title: string; content: string }[];
  waitForSent<T>(channel: string, match: (payload: T) => boolean, ms?: number): Promise<T>;
  waitForMessageBox(index: number, ms?: number): Promise<MessageBoxReport>;
  /** Settles when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  stderr(): string;
  kill(): void;
}

/** Starts desktop-driver.ts with `electron` resolved to the stand-in and waits until the bundle is loaded. */
export function launchDesktop(options: DesktopLaunchOptions): Promise<DesktopLaunch> {
  const child = fork(path.join(HERE, 'desktop-driver.ts'), options.argv, {
    execArgv: ['--import', path.join(HERE, 'register-electron.ts'), '--disable-warning=ExperimentalWarning'],
    env: { ...options.env, ELECTRON_STAND_IN_BUNDLE: options.bundle, ELECTRON_STAND_IN_PACKAGED: options.packaged ? '1' : '0', ELECTRON_STAND_IN_PLATFORM: options.platform ?? '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exitedFlag = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      resolve({ code, signal });
    }),
  );
  const replies = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const sent: { channel: string; payload: unknown }[] = [];
  const messageBoxes: MessageBoxReport[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const watchers = new Set<() => void>();
  let nextId = 1;

  const until = <T>(found: () => T | undefined, what: string, ms: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const value = found();
        if (value === undefined) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`${what} did not happen within ${ms} ms.\nstderr:\n${stderr}`));
      }, ms);
      watchers.add(check);
      check();
    });

  const launch: DesktopLaunch = {
    child,
    sent,
    messageBoxes,
    errorBoxes,
    exited,
    hasExited: () => exitedFlag,
    stderr: () => stderr,
    kill: () => void child.kill('SIGKILL'),
    call: <T>(command: DriverCommand) =>
      new Promise<T>((resolve, reject) => {
        if (exitedFlag) return reject(new Error(`the app has exited; stderr:\n${stderr}`));
        const id = nextId++;
        replies.set(id, { resolve: resolve as (value: unknown) => void, reject });
        const request: DriverRequest = { ...command, id };
        child.send(request);
      }),
    waitForSent: <T>(channel: string, match: (payload: T) => boolean, ms = 60_000) =>
      until(() => sent.find((m) => m.channel === channel && match(m.payload as T))?.payload as T | undefined, `a ${channel} message to the window`, ms),
    waitForMessageBox: (index: number, ms = 30_000) => until(() => messageBoxes.find((b) => b.index === index), `message box ${index}`, ms),
  };

  void exited.then(() => {
    for (const { reject } of replies.values()) reject(new Error(`the app exited before answering; stderr:\n${stderr}`));
    replies.clear();
  });

  return new Promise((resolve, reject) => {
    child.on('message', (report: DriverReport) => {
      if (report.type === 'loaded') resolve(launch);
      else if (report.type === 'reply') {
        const waiting = replies.get(report.id);
        replies.delete(report.id);
        if (report.ok) waiting?.resolve(report.result);
        else waiting?.reject(new Error(report.error));
      } else if (report.type === 'sent') sent.push({ channel: report.channel, payload: report.payload });
      else if (report.type === 'message-box') messageBoxes.push(report);
      else if (report.type === 'error-box') errorBoxes.push({ title: report.title, content: report.content });
      for (const watcher of [...watchers]) watcher();
    });
    void exited.then(({ code, signal }) => reject(new Error(`the app exited while loading (code ${code}, signal ${signal}); stderr:\n${stderr}`)));
  });
}
