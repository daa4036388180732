import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../shared/domain/runs';
import { INVOKE_CHANNELS } from '../../shared/ipc/channels';
import type { Result } from '../../shared/ipc/result';
import { processExists, processRunning } from '../core/testing/child-processes';
import { seedSqliteFile } from '../core/testing/db-fixtures';
import { probeCommand, shouldSkip } from '../core/testing/services';
import { tempCore, tempDir } from '../core/testing/temp-dir';
import type { DriverState, TrayMenuEntry } from './testing/desktop-driver';
import { buildDesktopBundle, launchDesktop, type DesktopLaunch } from './testing/desktop-launch';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const APP_PAGE = 'app://vaultdesk/index.html';
const skip7z = shouldSkip('7-Zip (7zz)', probeCommand('7zz', ['i']));

/** A `7zz` first on PATH that records each archive it is asked to create (with the environment it got), then runs the real one, or, while `slow` exists, sleeps instead. */
function sevenZipWrapper(dir: string): { dir: string; calls: () => string[]; env: () => string; pid: () => number } {
  mkdirSync(dir, { recursive: true });
  const realPath = skip7z ? '/bin/false' : whichSync('7zz');
  writeFileSync(
    path.join(dir, '7zz'),
    `#!/bin/sh\nif [ "$1" = "a" ]; then\n  echo "a $$" >> "${dir}/calls.log"\n  env > "${dir}/env.last"\n  if [ -e "${dir}/slow" ]; then exec sleep 600; fi\nfi\nexec ${realPath} "$@"\n`,
  );
  chmodSync(path.join(dir, '7zz'), 0o755);
  const read = (name: string): string => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8') : '');
  return {
    dir,
    calls: () => read('calls.log').split('\n').filter(Boolean),
    env: () => read('env.last'),
    pid: () => Number(read('calls.log').trim().split('\n').at(-1)!.split(' ')[1]),
  };
}

function whichSync(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const file = path.join(dir, command);
    if (existsSync(file)) return file;
  }
  throw new Error(`${command} is not on PATH`);
}

async function eventually(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('desktop host wiring (stand-in electron module; the real launch test comes with packaging)', () => {
  const t = tempDir('vaultdesk-desktop-');
  // The build goes to BUILD/out and BUILD/resources is the repo's, so the bundle finds its icons at ../../resources as in the repo.
  const buildDir = path.join(ROOT, 'node_modules', '.cache', 'vaultdesk-desktop-host', randomUUID());
  const outDir = path.join(buildDir, 'out');
  const dataDir = path.join(t.dir, 'data');
  const xdgConfig = path.join(t.dir, 'xdg-config');
  const autostart = path.join(xdgConfig, 'autostart', 'vaultdesk.desktop');
  const keyFile = path.join(t.dir, 'master.key');
  const key = randomBytes(32).toString('base64');
  const wrapper = sevenZipWrapper(path.join(t.dir, 'bin'));
  const launches: DesktopLaunch[] = [];
  let bundle = '';

  beforeAll(async () => {
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    bundle = await buildDesktopBundle(outDir);
    symlinkSync(path.join(ROOT, 'resources'), path.join(buildDir, 'resources'));
  }, 180_000);

  afterAll(() => {
    for (const l of launches) if (!l.hasExited()) l.kill();
    rmSync(buildDir, { recursive: true, force: true });
    t.cleanup();
  });

  /** The built app, started as a packaged app is, with the key in a file and (to be removed) in the environment. */
  async function start(options: { packaged?: boolean; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; argv?: string[] } = {}): Promise<{ app: DesktopLaunch; state: DriverState }> {
    // XDG_CONFIG_HOME: a start-at-login entry goes to the test's folder, not the user's.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${wrapper.dir}:${process.env.PATH}`, VAULTDESK_MASTER_KEY: key, XDG_CONFIG_HOME: xdgConfig, ...options.env };
    delete env.VAULTDESK_DATA_DIR;
    const app = await launchDesktop({ bundle, argv: options.argv ?? ['--data-dir', dataDir, '--master-key-file', keyFile], env, packaged: options.packaged ?? true, platform: options.platform });
    launches.push(app);
    const state = await app.call<DriverState>({ op: 'ready' });
    return { app, state };
  }

  const invoke = <T>(app: DesktopLaunch, channel: string, input: unknown, frameUrl: string | null = APP_PAGE): Promise<Result<T>> => app.call<Result<T>>({ op: 'invoke', channel, input, frameUrl });
  const data = async <T>(app: DesktopLaunch, channel: string, input: unknown): Promise<T> => {
    const result = await invoke<T>(app, channel, input);
    if (!result.ok) throw new Error(`${channel}: [${result.error.code}] ${result.error.message}`);
    return result.data;
  };

  /** The tray menu: the jobs' entries, then the entries that are always there. */
  const trayMenu = (jobs: TrayMenuEntry[], paused = false): TrayMenuEntry[] => [
    ...jobs,
    { type: 'separator' },
    { label: paused ? 'Resume all schedules' : 'Pause all schedules', enabled: true },
    { label: 'Open Vaultdesk', enabled: true },
    { type: 'separator' },
    { label: 'Quit Vaultdesk', enabled: true },
  ];
  /** The app's state once `check` holds (the tray redraws a moment after an event). */
  const stateWhen = async (launch: DesktopLaunch, check: (state: DriverState) => boolean, what: string): Promise<DriverState> => {
    let state = await launch.call<DriverState>({ op: 'state' });
    const until = Date.now() + 30_000;
    while (!check(state)) {
      if (Date.now() > until) throw new Error(`${what}: not within 30 s; the tray shows ${JSON.stringify(state.tray)}`);
      await new Promise((r) => setTimeout(r, 50));
      state = await launch.call<DriverState>({ op: 'state' });
    }
    return state;
  };
  const TRAY_HINT = { title: 'Vaultdesk keeps running in the tray', body: 'Scheduled backups go on. Quit from its menu in the tray.' };

  let app: DesktopLaunch;
  let jobId = '';

  it('starts as a packaged app: key out of the environment, data dir for Chromium, a hardened window on app://, no menu', async () => {
    const started = await start({ env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    app = started.app;
    const { state } = started;
    expect(state.errorBoxes).toEqual([]);
    expect(state.masterKeyInEnv).toBe(false);
    expect(state.paths).toEqual({ userData: dataDir, sessionData: path.join(dataDir, 'electron') });
    expect(state.sandboxEnabled).toBe(true);
    expect(state.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(state.protocolSchemes).toEqual(['app']);
    // Linux, packaged: no menu at all, so neither DevTools nor reload.
    expect(state.menu).toBeNull();
    expect(state.windows).toHaveLength(1);
    const [win] = state.windows;
    // A packaged app ignores ELECTRON_RENDERER_URL.
    expect(win!.url).toBe(APP_PAGE);
    expect(win!.shown).toBe(true);
    expect(win!.options.webPreferences).toMatchObject({
      preload: path.join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
    expect(existsSync(path.join(outDir, 'preload', 'index.cjs'))).toBe(true);
    // The tray, drawn from the core's model: nothing configured yet.
    expect(state.tray).toEqual({ image: 'tray-ok.png', imageFound: true, tooltip: 'Vaultdesk: no jobs yet', menu: trayMenu([{ label: 'No jobs yet', enabled: false }]), destroyed: false });
    // Start at login is off and was never on: nothing written for it.
    expect(existsSync(autostart)).toBe(false);
  });

  it('registers every contract channel behind the sender check: refused from anywhere but the app page, which reaches the core', async () => {
    const { ipcChannels } = await app.call<DriverState>({ op: 'state' });
    expect([...ipcChannels].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const builtFile = `file://${path.join(outDir, 'renderer', 'index.html')}`;
    for (const channel of INVOKE_CHANNELS) {
      for (const frame of ['https://evil.example/', builtFile, 'app://vaultdesk/other.html', null]) {
        expect(await invoke(app, channel, {}, frame)).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Calls are only accepted from the Vaultdesk window.' } });
      }
      // From the page: the core's own validation answers (an unknown key is refused by every schema), so nothing changes.
      const fromPage = await invoke(app, channel, { notAField: 1 }, `${APP_PAGE}#/settings`);
      expect(fromPage.ok === false && fromPage.error.code).toBe('VALIDATION_FAILED');
    }
    const info = await data<{ dataDir: string; logFile: string; key: { state: string; source: string } }>(app, 'app:info', {});
    expect(info).toMatchObject({ dataDir, logFile: path.join(dataDir, 'logs', 'vaultdesk.log'), key: { state: 'ok', source: 'file' } });
    const log = readFileSync(info.logFile, 'utf8');
    expect(log).toContain('"message":"refused an IPC call from outside the app page"');
    expect(log).not.toContain(key);
  });

  it('runs the schedules of its data dir and passes sleep and wake-up on to the scheduler', async () => {
    const status = await data<{ holder: { who: string; self: boolean } | null }>(app, 'schedules:status', {});
    expect(status.holder).toMatchObject({ who: `the Vaultdesk app (pid ${app.child.pid})`, self: true });
    await app.call({ op: 'power', event: 'suspend' });
    await app.call({ op: 'power', event: 'resume' });
    const info = await data<{ logFile: string }>(app, 'app:info', {});
    const log = readFileSync(info.logFile, 'utf8');
    expect(log).toContain('"message":"the machine is going to sleep: schedules wait until it wakes up"');
    expect(log).toContain('"message":"the machine woke up: looking for schedules missed meanwhile"');
    expect(log.indexOf('going to sleep')).toBeLessThan(log.indexOf('woke up'));
  });

  it('shows the core\'s alerts as OS notifications', async () => {
    const outcomes = await data<{ channel: string; target: string; ok: boolean }[]>(app, 'notifications:test', {});
    expect(outcomes.find((o) => o.channel === 'desktop')).toMatchObject({ ok: true, target: 'OS notification' });
    const { notifications } = await app.call<DriverState>({ op: 'state' });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.title).toMatch(/test/i);
  });

  it('draws the tray from the core\'s model, redraws it when a run fails, and Run now in its menu starts a run', async () => {
    const file = path.join(t.dir, 'gone.db');
    seedSqliteFile(file, 10);
    const source = await data<{ id: string }>(app, 'sources:create', { engine: 'sqlite', name: 'gone', path: file });
    const destination = await data<{ id: string }>(app, 'destinations:create', { kind: 'local', name: 'tray-disk', path: path.join(t.dir, 'tray-backups') });
    const job = await data<{ id: string }>(app, 'jobs:create', { name: 'shop-nightly', sourceId: source.id, destinationIds: [destination.id], compression: 'none' });
    const listed = await stateWhen(app, (s) => (s.tray?.menu[0] as { label?: string } | undefined)?.label === 'shop-nightly: never', 'the new job in the tray menu');
    expect(listed.tray).toMatchObject({ image: 'tray-ok.png', tooltip: 'Vaultdesk: 1 job ok' });
    expect(listed.tray!.menu).toEqual(trayMenu([{ label: 'shop-nightly: never', enabled: true, submenu: [{ label: 'Run now', enabled: true }] }]));

    // The database file is gone: the run the menu starts fails.
    unlinkSync(file);
    await app.call({ op: 'tray-click', path: ['shop-nightly', 'Run now'] });
    let runs: RunDto[] = [];
    const until = Date.now() + 30_000;
    while ((runs = await data<RunDto[]>(app, 'runs:list', { jobId: job.id, limit: 10 })).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(runs.map((r) => r.trigger)).toEqual(['manual']);
    const finished = await app.waitForSent<RunDto>('runs:finished', (r) => r.id === runs[0]!.id);
    expect(finished.status).toBe('failed');
    expect(finished.error?.code).toBe('SOURCE_UNREACHABLE');
    const failing = await stateWhen(app, (s) => s.tray?.image === 'tray-failing.png', 'the failing icon');
    expect(failing.tray).toEqual({
      image: 'tray-failing.png',
      imageFound: true,
      tooltip: 'Vaultdesk: 1 job failing (shop-nightly)',
      menu: trayMenu([{ label: 'shop-nightly: never — failing', enabled: true, submenu: [{ label: 'Run now', enabled: true }] }]),
      destroyed: false,
    });
    await data(app, 'jobs:delete', { id: job.id });
    await stateWhen(app, (s) => s.tray?.image === 'tray-ok.png' && s.tray.tooltip === 'Vaultdesk: no jobs yet', 'the tray without the deleted job');
  });

  it('pauses and resumes every schedule from the tray', async () => {
    await app.call({ op: 'tray-click', path: ['Pause all schedules'] });
    const paused = await stateWhen(app, (s) => s.tray?.image === 'tray-paused.png', 'the paused icon');
    expect(paused.tray).toMatchObject({ image: 'tray-paused.png', imageFound: true, tooltip: 'Vaultdesk: schedules paused; no jobs yet' });
    expect(paused.tray!.menu).toEqual(trayMenu([{ label: 'No jobs yet', enabled: false }], true));
    expect((await data<{ paused: boolean }>(app, 'schedules:status', {})).paused).toBe(true);
    await app.call({ op: 'tray-click', path: ['Resume all schedules'] });
    const resumed = await stateWhen(app, (s) => s.tray?.image === 'tray-ok.png', 'the ok icon again');
    expect(resumed.tray).toMatchObject({ image: 'tray-ok.png', tooltip: 'Vaultdesk: no jobs yet' });
    expect((await data<{ paused: boolean }>(app, 'schedules:status', {})).paused).toBe(false);
  });

  it('closing the window keeps the app running in the tray, says so once, and Open brings a window back', async () => {
    const before = (await app.call<DriverState>({ op: 'state' })).lifecycle.length;
    const closed = await app.call<DriverState>({ op: 'close-window' });
    expect(closed.windows).toEqual([]);
    expect(closed.lifecycle.slice(before)).toEqual(['close', 'window-all-closed']);
    await new Promise((r) => setTimeout(r, 300));
    expect(app.hasExited()).toBe(false);
    expect(closed.notifications.filter((n) => n.title === TRAY_HINT.title)).toEqual([TRAY_HINT]);
    expect(closed.tray).toMatchObject({ image: 'tray-ok.png', destroyed: false });
    // The app still answers, and still runs the schedules.
    expect((await data<{ holder: { self: boolean } }>(app, 'schedules:status', {})).holder.self).toBe(true);

    await app.call({ op: 'tray-click', path: ['Open Vaultdesk'] });
    const opened = await stateWhen(app, (s) => s.windows.some((w) => w.shown), 'a window shown again');
    expect(opened.windows.map((w) => [w.url, w.shown])).toEqual([[APP_PAGE, true]]);
    await app.call({ op: 'close-window' });
    await app.call({ op: 'tray-click', path: ['Open Vaultdesk'] });
    const again = await stateWhen(app, (s) => s.windows.some((w) => w.shown), 'a window shown once more');
    expect(again.windows).toHaveLength(1);
    expect(again.notifications.filter((n) => n.title === TRAY_HINT.title)).toHaveLength(1);
    expect(again.messageBoxes).toEqual([]);
  });

  it('start at login, set from the page, reaches the OS: on Linux an XDG autostart entry with --hidden and this data dir', async () => {
    expect(await data(app, 'settings:setStartAtLogin', { enabled: true })).toMatchObject({ startAtLogin: true });
    await eventually(() => existsSync(autostart), 'the autostart entry');
    expect(readFileSync(autostart, 'utf8')).toContain(`\nExec="${process.execPath}" "--hidden" "--data-dir" "${dataDir}" "--master-key-file" "${keyFile}"\n`);
    await data(app, 'settings:setStartAtLogin', { enabled: false });
    await eventually(() => !existsSync(autostart), 'the autostart entry removed');
    // Left on: the next start (as Windows, below) hands it to the OS at once.
    await data(app, 'settings:setStartAtLogin', { enabled: true });
    await eventually(() => existsSync(autostart), 'the autostart entry again');
    expect((await data<{ host: string }>(app, 'app:info', {})).host).toBe('app');
    // Linux has no login items of Electron's.
    expect((await app.call<DriverState>({ op: 'state' })).loginItemSettings).toEqual([]);
  });

  it('serves the built page and its assets on app:// with their types and CSP, and nothing outside out/renderer', async () => {
    type Fetched = { status: number; headers: Record<string, string>; length: number; text: string };
    const page = await app.call<Fetched>({ op: 'fetch', url: APP_PAGE });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toBe(readFileSync(path.join(outDir, 'renderer', 'index.html'), 'utf8'));
    const assets = [...page.text.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const fetched = await app.call<Fetched>({ op: 'fetch', url: `app://vaultdesk/${asset}` });
      expect(fetched.status).toBe(200);
      expect(fetched.headers['content-type']).toBe(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(fetched.length).toBe(readFileSync(path.join(outDir, 'renderer', asset)).length);
    }
    for (const url of ['app://vaultdesk/..%2fmain%2findex.js', 'app://vaultdesk/%2e%2e/main/index.js', 'app://elsewhere/index.html']) {
      expect((await app.call<Fetched>({ op: 'fetch', url })).status).toBe(404);
    }
    expect((await app.call<Fetched>({ op: 'fetch', url: 'app://vaultdesk/..%5cmain%5cindex.js' })).status).toBe(400);
  });

  it('denies permissions but clipboard writes from the page, and every navigation, webview and new window', async () => {
    expect(await app.call({ op: 'permission', permission: 'clipboard-sanitized-write', url: `${APP_PAGE}#/settings` })).toEqual({ request: true, check: true, device: false });
    expect(await app.call({ op: 'permission', permission: 'media', url: APP_PAGE })).toEqual({ request: false, check: false, device: false });
    expect(await app.call({ op: 'permission', permission: 'clipboard-sanitized-write', url: 'https://evil.example/' })).toEqual({ request: false, check: false, device: false });
    expect(await app.call({ op: 'navigate', url: 'https://evil.example/' })).toEqual({
      'will-navigate': 'prevented',
      'will-frame-navigate': 'prevented',
      'will-attach-webview': 'prevented',
      windowOpen: { action: 'deny' },
    });
  });

  it.skipIf(skip7z)('runs a backup through the registered jobs:run handler, its tools found on the PATH the app was given, without the master key', async () => {
    const file = path.join(t.dir, 'app.db');
    seedSqliteFile(file, 300);
    const source = await data<{ id: string }>(app, 'sources:create', { engine: 'sqlite', name: 'app', path: file });
    const destination = await data<{ id: string }>(app, 'destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    const profile = await data<{ id: string }>(app, 'profiles:create', { kind: '7z', name: 'zip', passphrase: 'correct horse battery staple' });
    jobId = (await data<{ id: string }>(app, 'jobs:create', { name: 'app-7z', sourceId: source.id, destinationIds: [destination.id], encryption: '7z', profileId: profile.id })).id;
    const { runId } = await data<{ runId: string }>(app, 'jobs:run', { id: jobId });
    const finished = await app.waitForSent<RunDto>('runs:finished', (run) => run.id === runId);
    expect(finished.error).toBeNull();
    expect(finished.status).toBe('succeeded');
    const location = finished.objects[0]!.destinations[0]!.location!;
    expect(readFileSync(location).subarray(0, 6)).toEqual(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]));
    expect(app.sent.some((m) => m.channel === 'runs:progress')).toBe(true);
    // 7-Zip was the one on the app's PATH, and the environment it got has no master key.
    expect(wrapper.calls()).toHaveLength(1);
    expect(wrapper.env()).toMatch(new RegExp(`^PATH=${wrapper.dir}:`, 'm'));
    expect(wrapper.env()).not.toContain('VAULTDESK_');
    expect(wrapper.env()).not.toContain(key);
  });

  it.skipIf(skip7z)('asks before quitting during a run; Cancel keeps it running, closing the window leaves it running in the tray, and Quit from the tray asks again and yes cancels it cleanly before exit', async () => {
    writeFileSync(path.join(wrapper.dir, 'slow'), '');
    const { runId } = await data<{ runId: string }>(app, 'jobs:run', { id: jobId });
    await eventually(() => wrapper.calls().length === 2, '7-Zip started for the second run');
    const sevenZip = wrapper.pid();
    expect(processExists(sevenZip)).toBe(true);

    const before = (await app.call<DriverState>({ op: 'state' })).lifecycle.length;
    const quitting = await app.call<DriverState>({ op: 'quit' });
    // Held at before-quit, as on every platform: the window was not even asked to close.
    expect(quitting.lifecycle.slice(before)).toEqual(['before-quit prevented']);
    const first = await app.waitForMessageBox(0);
    expect(first.modal).toBe(true);
    expect(first.options).toMatchObject({ message: 'A backup is running: quit and cancel it?', buttons: ['Cancel', 'Quit and cancel the backup'], defaultId: 0, cancelId: 0 });
    await app.call({ op: 'answer', index: 0, response: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(app.hasExited()).toBe(false);
    expect((await data<RunDto>(app, 'runs:get', { id: runId })).status).toBe('running');

    // Closing the window quits nothing: the run goes on, with the app in the tray.
    const closing = await app.call<DriverState>({ op: 'close-window' });
    expect(closing.windows).toEqual([]);
    expect(closing.lifecycle.slice(before)).toEqual(['before-quit prevented', 'close', 'window-all-closed']);
    await new Promise((r) => setTimeout(r, 300));
    expect(app.messageBoxes).toHaveLength(1);
    expect((await data<RunDto>(app, 'runs:get', { id: runId })).status).toBe('running');
    const running = await stateWhen(app, (s) => s.tray?.image === 'tray-running.png', 'the running icon');
    expect(running.tray!.tooltip).toBe('Vaultdesk: 1 job running (app-7z)');
    expect(running.tray!.menu[0]).toMatchObject({ label: expect.stringMatching(/^app-7z: (just now|\d+ min ago) — running$/), submenu: [{ label: 'Running…', enabled: false }] });

    // Quit from the tray goes through the same question, with no window to attach it to.
    await app.call({ op: 'tray-click', path: ['Quit Vaultdesk'] });
    const second = await app.waitForMessageBox(1);
    expect(second.modal).toBe(false);
    expect(second.options.message).toBe('A backup is running: quit and cancel it?');
    await app.call({ op: 'answer', index: 1, response: 1 });
    expect(await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('still running'), 40_000))])).toEqual({ code: 0, signal: null });

    // With the window closed, no runs:finished went anywhere; the store says how the run ended (below).
    // Running, not existing: a worker stopped outright while stuck (past its cancel's grace and the
    // wait for it to reap, on a loaded machine) leaves its killed tools as zombies for init to reap
    // once the host has exited.
    expect(processRunning(sevenZip)).toBe(false);
    expect(readdirSync(path.join(dataDir, 'tmp')).filter((name) => name.includes(runId))).toEqual([]);
    expect(readdirSync(path.join(t.dir, 'backups'), { recursive: true }).map(String).filter((f) => f.endsWith('.partial'))).toEqual([]);
    // The store was closed after the run recorded its end: a new core reads it as cancelled, not running or interrupted.
    const core = await tempCore(t.dir, keyFile);
    try {
      const cancelled = await core.call('runs:get', { id: runId });
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.error?.message).toContain('Vaultdesk was quit');
    } finally {
      core.close();
    }
  });

  it.skipIf(skip7z)('on SIGTERM during a run cancels it without asking and exits', async () => {
    const { app: again } = await start();
    const { runId } = await data<{ runId: string }>(again, 'jobs:run', { id: jobId });
    await eventually(() => wrapper.calls().length === 3, '7-Zip started for the third run');
    const sevenZip = wrapper.pid();
    again.child.kill('SIGTERM');
    expect(await Promise.race([again.exited, new Promise((r) => setTimeout(() => r('still running'), 40_000))])).toEqual({ code: 0, signal: null });
    expect(again.messageBoxes).toEqual([]);
    expect(processRunning(sevenZip)).toBe(false);
    const core = await tempCore(t.dir, keyFile);
    try {
      const run = await core.call('runs:get', { id: runId });
      expect(run.status, JSON.stringify(run.error)).toBe('cancelled');
      expect(run.error?.message).toContain('Vaultdesk was quit');
    } finally {
      core.close();
    }
  });

  it('in development loads the dev server, accepts calls from it, keeps DevTools, and quits without asking when nothing runs', async () => {
    const { app: dev, state } = await start({ packaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    expect(state.windows[0]!.url).toBe('http://localhost:5173/');
    expect(state.windows[0]!.options.webPreferences).toMatchObject({ devTools: true, sandbox: true, contextIsolation: true });
    expect(JSON.stringify(state.menu)).toContain('viewMenu');
    expect((await invoke(dev, 'sources:list', {}, 'http://localhost:5173/#/sources')).ok).toBe(true);
    expect((await invoke(dev, 'sources:list', {}, 'http://localhost:5174/')).ok).toBe(false);
    await dev.call({ op: 'quit' });
    expect(await dev.exited).toEqual({ code: 0, signal: null });
    expect(dev.messageBoxes).toEqual([]);
  });

  it('on Windows hands start at login to app.setLoginItemSettings at start and on change; a start at login shows only the tray until a second launch', async () => {
    const { app: win, state } = await start({ platform: 'win32', argv: ['--hidden', '--data-dir', dataDir, '--master-key-file', keyFile] });
    expect(state.errorBoxes).toEqual([]);
    expect(state.windows).toEqual([]);
    expect(state.tray).toMatchObject({ image: 'tray-ok.png', imageFound: true, tooltip: 'Vaultdesk: 1 job ok', destroyed: false });
    // Left on by the Linux test above: applied as the app starts, so that it starts this data dir, hidden.
    const loginItem = { path: process.execPath, args: ['--hidden', '--data-dir', dataDir, '--master-key-file', keyFile] };
    const applied = await stateWhen(win, (s) => s.loginItemSettings.length === 1, 'the login item set at start');
    expect(applied.loginItemSettings).toEqual([{ openAtLogin: true, ...loginItem }]);
    await data(win, 'settings:setStartAtLogin', { enabled: false });
    const off = await stateWhen(win, (s) => s.loginItemSettings.length === 2, 'the login item removed');
    expect(off.loginItemSettings[1]).toEqual({ openAtLogin: false, ...loginItem });
    // Other settings changing leaves the login item alone.
    await data(win, 'schedules:setConcurrency', { limit: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await win.call<DriverState>({ op: 'state' })).loginItemSettings).toHaveLength(2);

    await win.call({ op: 'second-instance' });
    const shown = await stateWhen(win, (s) => s.windows.some((w) => w.shown), 'the window on a second launch');
    expect(shown.windows.map((w) => w.url)).toEqual([APP_PAGE]);
    await win.call({ op: 'tray-click', path: ['Quit Vaultdesk'] });
    expect(await win.exited).toEqual({ code: 0, signal: null });
    expect(win.messageBoxes).toEqual([]);
  });

  it('on macOS keeps the Edit menu but no DevTools, stays open with no window, and opens one again on activate or a second launch', async () => {
    const { app: mac, state } = await start({ platform: 'darwin' });
    expect(state.menu).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]);
    const closed = await mac.call<DriverState>({ op: 'close-window' });
    expect(closed.windows).toEqual([]);
    expect(closed.lifecycle).toEqual(['close', 'window-all-closed']);
    await new Promise((r) => setTimeout(r, 200));
    expect(mac.hasExited()).toBe(false);
    const relaunched = await mac.call<DriverState>({ op: 'second-instance' });
    expect(relaunched.windows.map((w) => w.url)).toEqual([APP_PAGE]);
    await mac.call({ op: 'close-window' });
    const activated = await mac.call<DriverState>({ op: 'activate' });
    expect(activated.windows.map((w) => w.url)).toEqual([APP_PAGE]);
    await mac.call({ op: 'quit' });
    expect(await mac.exited).toEqual({ code: 0, signal: null });
    expect(mac.messageBoxes).toEqual([]);
  });

  it('says so and quits when the page cannot be loaded, rather than running with no window', async () => {
    const index = path.join(outDir, 'renderer', 'index.html');
    renameSync(index, `${index}.away`);
    try {
      const broken = await launchDesktop({ bundle, argv: ['--data-dir', dataDir, '--master-key-file', keyFile], env: { ...process.env, PATH: `${wrapper.dir}:${process.env.PATH}` }, packaged: true });
      launches.push(broken);
      await broken.call({ op: 'ready' }).catch(() => undefined);
      expect(await broken.exited).toEqual({ code: 0, signal: null });
      expect(broken.errorBoxes).toEqual([
        {
          title: 'Vaultdesk cannot show its window',
          content: `The app's page could not be shown (ERR_FAILED (404) loading 'app://vaultdesk/index.html'). The installation may be damaged: reinstall Vaultdesk.\n\nLog file: ${path.join(dataDir, 'logs', 'vaultdesk.log')}`,
        },
      ]);
    } finally {
      renameSync(`${index}.away`, index);
    }
  });

  it('shows why it cannot start in words, with the data folder, and exits 1: a malformed key file, a data folder that cannot be made', async () => {
    /** Starts the app where it cannot start: it shows its error box and exits before answering. */
    const failToStart = async (argv: string[]): Promise<{ boxes: { title: string; content: string }[]; exit: unknown }> => {
      const failing = await launchDesktop({ bundle, argv, env: { ...process.env, PATH: `${wrapper.dir}:${process.env.PATH}` }, packaged: true });
      launches.push(failing);
      await failing.call({ op: 'ready' }).catch(() => undefined);
      return { exit: await failing.exited, boxes: failing.errorBoxes };
    };
    const badKey = path.join(t.dir, 'bad.key');
    writeFileSync(badKey, 'not a key\n', { mode: 0o600 });
    const otherData = path.join(t.dir, 'other-data');
    expect(await failToStart(['--data-dir', otherData, '--master-key-file', badKey])).toEqual({
      exit: { code: 1, signal: null },
      boxes: [
        {
          title: 'Vaultdesk cannot start',
          content: `The master key file ${badKey} must hold the base64 encoding of exactly 32 bytes.\n\nData folder: ${otherData}\nLog file: ${path.join(otherData, 'logs', 'vaultdesk.log')}`,
        },
      ],
    });
    expect(readFileSync(path.join(otherData, 'logs', 'vaultdesk.log'), 'utf8')).toContain('"message":"Vaultdesk could not start"');

    // A file where the data folder would be: Electron's app.setPath would throw; the app says why instead.
    writeFileSync(path.join(t.dir, 'blocker'), '');
    const blocked = path.join(t.dir, 'blocker', 'data');
    expect(await failToStart(['--data-dir', blocked, '--master-key-file', keyFile])).toEqual({
      exit: { code: 1, signal: null },
      boxes: [
        {
          title: 'Vaultdesk cannot start',
          content: `The data folder cannot be used: part of ${path.join(t.dir, 'blocker')} is a file where a folder should be. Fix the folder (its owner and permissions, free space), or start Vaultdesk with --data-dir set to a folder you can write.\n\nData folder: ${blocked}`,
        },
      ],
    });
  });
});
