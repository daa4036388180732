import { n as jsonLogger } from "./logger-DPaTZ2i9.js";
import { n as contentTypeOf, r as resolveInside, t as CONTENT_SECURITY_POLICY } from "./renderer-files-N8g3VKyj.js";
import { n as INVOKE_CHANNELS, t as EVENT_CHANNELS } from "./channels-wSOrHlYY.js";
import { n as fail, t as AppError } from "./result-9C-V9fjg.js";
import { s as ensureFolderSync } from "./place-new-BwBVQRdf.js";
import { i as fsAppError, n as describeFsError } from "./fs-errors-QegibJ8D.js";
import { r as prepareHost } from "./open-host-core-5apzlbHm.js";
import { BrowserWindow, Menu, Notification, Tray, app, dialog, ipcMain, nativeImage, powerMonitor, protocol, session } from "electron";
import { homedir } from "node:os";
import path from "node:path";
import { readFile, stat } from "node:fs/promises";
import { existsSync, rmSync, writeFileSync } from "node:fs";
// src/main/electron/app-menu.ts
/**
* The application menu. A packaged app has no View menu (reload, DevTools): on Windows and
* Linux no menu at all, since text fields copy and paste without one; on macOS only the app,
* Edit and Window menus, because there the Edit menu's roles are what make Cmd+C/V work.
* Development builds keep reload and DevTools. Null: no menu.
*/
function appMenuTemplate(options) {
	const mac = options.platform === "darwin";
	if (options.packaged) return mac ? [
		{ role: "appMenu" },
		{ role: "editMenu" },
		{ role: "windowMenu" }
	] : null;
	return [
		mac ? { role: "appMenu" } : { role: "fileMenu" },
		{ role: "editMenu" },
		{ role: "viewMenu" },
		{ role: "windowMenu" }
	];
}
var APP_PAGE_URL = `app://vaultdesk/index.html`;
/** For `protocol.registerSchemesAsPrivileged`, which must run before `ready`. */
var APP_SCHEME_PRIVILEGES = {
	scheme: "app",
	privileges: {
		standard: true,
		secure: true,
		supportFetchAPI: true
	}
};
/**
* Where `url` leads inside `rendererDir`. Only the app's own host, only GET and HEAD, only
* files under the folder: `..`, encoded slashes and NUL bytes are refused. Whether the file
* exists is for the caller to find out.
*/
function resolveAppRequest(rendererDir, url, method) {
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		return {
			status: 400,
			reason: "Bad URL"
		};
	}
	if (parsed.protocol !== `app:` || parsed.host !== "vaultdesk" || parsed.username !== "" || parsed.password !== "") return {
		status: 404,
		reason: "Not found"
	};
	if (method !== "GET" && method !== "HEAD") return {
		status: 405,
		reason: "Method not allowed"
	};
	const file = resolveInside(rendererDir, parsed.pathname === "/" || parsed.pathname === "" ? "/index.html" : parsed.pathname);
	if (file === null) return {
		status: 400,
		reason: "Bad path"
	};
	const isHtml = file.toLowerCase().endsWith(".html");
	return {
		status: 200,
		file,
		headers: {
			"Content-Type": contentTypeOf(file),
			"X-Content-Type-Options": "nosniff",
			"Cache-Control": isHtml ? "no-store" : "private, max-age=3600",
			...isHtml ? { "Content-Security-Policy": CONTENT_SECURITY_POLICY } : {}
		}
	};
}
/** The `protocol.handle('app', ...)` handler: the resolved file, or a plain-text refusal. */
async function handleAppRequest(rendererDir, request) {
	const target = resolveAppRequest(rendererDir, request.url, request.method);
	if (target.status !== 200) return refusal(target.status, target.reason);
	try {
		if (!(await stat(target.file)).isFile()) return refusal(404, "Not found");
		const body = request.method === "HEAD" ? null : await readFile(target.file);
		return new Response(body, {
			status: 200,
			headers: target.headers
		});
	} catch {
		return refusal(404, "Not found");
	}
}
function refusal(status, reason) {
	return new Response(reason, {
		status,
		headers: { "Content-Type": "text/plain; charset=utf-8" }
	});
}
// src/main/electron/app-origin.ts
function appPage(devServerUrl) {
	let devOrigin = null;
	if (devServerUrl) {
		const url = new URL(devServerUrl);
		if (url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1")) devOrigin = url.origin;
	}
	return {
		url: APP_PAGE_URL,
		devOrigin
	};
}
/**
* True only for the app's own page. IPC handlers call it with `event.senderFrame.url`, so a
* frame that was navigated elsewhere, an iframe or a devtools extension cannot reach the core.
* The hash is the renderer's route and is ignored; a query string is not expected and refused.
*/
function isAppPageUrl(url, page) {
	if (!url) return false;
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	if (parsed.search !== "" || parsed.username !== "" || parsed.password !== "") return false;
	if (parsed.protocol === `app:`) return parsed.host === "vaultdesk" && parsed.pathname === "/index.html";
	return page.devOrigin !== null && parsed.origin === page.devOrigin;
}
// src/main/electron/ipc-adapter.ts
/**
* Wires every contract channel to the core. The core validates the input; this layer only
* makes sure the call comes from the app's own page, and forwards the core's events.
* Returns a function that removes every handler and listener.
*/
function registerIpc(ipcMain, core, page, windows, log) {
	for (const channel of INVOKE_CHANNELS) ipcMain.handle(channel, (event, input) => {
		const url = event.senderFrame?.url;
		if (!isAppPageUrl(url, page)) {
			log.warn("refused an IPC call from outside the app page", {
				channel,
				url: url ?? null
			});
			return Promise.resolve(fail({
				code: "UNAUTHORIZED",
				message: "Calls are only accepted from the Vaultdesk window."
			}));
		}
		return core.invoke(channel, input);
	});
	const stopEvents = core.events.onAny((event, payload) => {
		for (const win of windows()) if (!win.isDestroyed()) win.webContents.send(event, payload);
	}, EVENT_CHANNELS);
	return () => {
		stopEvents();
		for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
	};
}
// src/main/electron/launch-args.ts
var FLAGS = {
	"--data-dir": "dataDir",
	"--master-key-file": "masterKeyFile"
};
/**
* Reads `--flag VALUE` and `--flag=VALUE`. Chromium and Electron put their own switches in
* argv too, so anything unknown is ignored rather than refused.
*/
function parseLaunchArgs(argv) {
	const out = {
		dataDir: void 0,
		masterKeyFile: void 0,
		hidden: false
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === "--hidden") out.hidden = true;
		for (const [flag, key] of Object.entries(FLAGS)) if (arg === flag && i + 1 < argv.length && !argv[i + 1].startsWith("--")) out[key] = argv[++i];
		else if (arg.startsWith(`${flag}=`) && arg.length > flag.length + 1) out[key] = arg.slice(flag.length + 1);
	}
	return out;
}
// src/main/electron/login-item.ts
/** Passed to the app when the OS starts it at login: it starts in the tray, without a window. */
var HIDDEN_FLAG = "--hidden";
/**
* Makes the OS start the app (hidden, in the tray) when the user logs in, or stop doing so.
* macOS and Windows keep a login item, set through Electron; Electron has none on Linux, where
* the XDG autostart entry (~/.config/autostart/vaultdesk.desktop) is what desktops read.
* macOS cannot pass arguments to a login item: there the app tells a start at login from
* app.getLoginItemSettings().wasOpenedAtLogin, and uses its default data dir.
*/
function applyStartAtLogin(enabled, host) {
	const args = [HIDDEN_FLAG, ...host.args];
	if (host.platform === "darwin") return host.setLoginItemSettings({ openAtLogin: enabled });
	if (host.platform === "win32") return host.setLoginItemSettings({
		openAtLogin: enabled,
		path: host.executable,
		args: args.map((a) => /[\s"]/.test(a) ? `"${a.replace(/"/g, "\\\"")}"` : a)
	});
	const file = autostartFile(host.env, host.home);
	const entry = enabled ? autostartEntry(host.executable, args) : null;
	try {
		if (entry === null) return rmSync(file, { force: true });
		ensureFolderSync(path.dirname(file), { mode: 448 });
		writeFileSync(file, entry, { mode: 420 });
	} catch (error) {
		throw fsAppError(error, "FILE_WRITE_FAILED", enabled ? "Could not make Vaultdesk start at login" : "Could not stop Vaultdesk from starting at login", { path: file });
	}
}
function autostartFile(env, home) {
	const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, ".config");
	return path.join(config, "autostart", "vaultdesk.desktop");
}
/** A desktop entry (freedesktop.org Desktop Entry Specification) that starts `executable args` at login. */
function autostartEntry(executable, args) {
	return [
		"[Desktop Entry]",
		"Type=Application",
		"Name=Vaultdesk",
		"Comment=Scheduled database backups, from the tray",
		`Exec=${[executable, ...args].map(execArgument).join(" ")}`,
		"Terminal=false",
		"X-GNOME-Autostart-enabled=true",
		""
	].join("\n");
}
/**
* One Exec argument, quoted: inside quotes `"`, `` ` ``, `$` and `\` take a backslash, `%` is
* doubled (field codes), and the value as a whole is a string in which `\` is escaped again.
* A line break cannot be written in a desktop entry at all.
*/
function execArgument(arg) {
	if (/[\n\r]/.test(arg)) throw new AppError("VALIDATION_FAILED", `Vaultdesk cannot start at login from ${JSON.stringify(arg)}: a desktop autostart entry cannot hold a line break. Move it to a folder without one.`);
	return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, "%%")}"`.replace(/\\/g, "\\\\");
}
// src/main/electron/quit-guard.ts
/**
* Decides what a quit does while backups may run: with none, the store is closed and the app
* quits; with some, the user is asked first (a signal does not ask), and on yes every run is
* cancelled and records its end before the store closes and the app quits. Electron's events
* are preventable only synchronously, so `request` answers at once whether to hold the quit,
* and finishes the work later, quitting again through `deps.quit` when it is done.
*/
var QuitGuard = class {
	deps;
	#phase = "open";
	#question = null;
	constructor(deps) {
		this.deps = deps;
	}
	get phase() {
		return this.#phase;
	}
	/** True: hold the quit (or the window close) back; false: let it go ahead now. */
	request(how) {
		switch (this.#phase) {
			case "done": return false;
			case "stopping": return how !== "last-window";
			case "asking":
				if (how === "signal") {
					this.#question?.abort();
					this.#stop();
				}
				return true;
			case "open": {
				const runs = this.deps.activeRuns().length;
				if (how === "last-window") {
					if (runs === 0) return false;
					this.#ask(runs);
					return true;
				}
				if (runs === 0 || how === "signal") this.#stop();
				else this.#ask(runs);
				return true;
			}
		}
	}
	#ask(runs) {
		this.#phase = "asking";
		const question = new AbortController();
		this.#question = question;
		this.deps.confirm(runs, question.signal).then((yes) => {
			if (this.#phase !== "asking" || this.#question !== question) return;
			this.#question = null;
			if (yes) this.#stop();
			else this.#phase = "open";
		}, (error) => {
			this.deps.log.error("could not ask whether to quit", { error: String(error) });
			if (this.#phase === "asking" && this.#question === question) this.#phase = "open";
		});
	}
	async #stop() {
		this.#phase = "stopping";
		let timer;
		const deadline = new Promise((resolve) => {
			timer = setTimeout(() => resolve("late"), this.deps.deadlineMs);
		});
		try {
			if (await Promise.race([this.deps.stop().then(() => "stopped"), deadline]) === "late") this.deps.log.error("quitting before the runs finished stopping", { waitedMs: this.deps.deadlineMs });
		} catch (error) {
			this.deps.log.error("stopping the runs failed; quitting anyway", { error: String(error) });
		} finally {
			clearTimeout(timer);
		}
		this.#phase = "done";
		this.deps.quit();
	}
};
/** The question put before quitting cancels runs; Cancel (keep running) is the default. */
function quitQuestion(runs, restores = 0) {
	const one = runs === 1;
	if (restores > 0) return {
		type: "warning",
		title: "Quit Vaultdesk",
		message: `${restores === runs ? one ? "A restore is" : `${runs} restores are` : `${runs} backups and restores are`} running: quit and cancel ${one ? "it" : "them"}?`,
		detail: "A cancelled restore leaves its target database as it was and drops the copy it was restoring; a cancelled backup keeps nothing.",
		buttons: ["Cancel", one ? "Quit and cancel it" : "Quit and cancel them"],
		defaultId: 0,
		cancelId: 0
	};
	return {
		type: "warning",
		title: "Quit Vaultdesk",
		message: one ? "A backup is running: quit and cancel it?" : `${runs} backups are running: quit and cancel them?`,
		detail: `Quitting cancels ${one ? "the run" : "every run"}: nothing is kept, and what ${one ? "it has" : "they have"} written so far is removed.`,
		buttons: ["Cancel", one ? "Quit and cancel the backup" : "Quit and cancel the backups"],
		defaultId: 0,
		cancelId: 0
	};
}
// src/main/electron/security.ts
/** Writing to the clipboard (copy a fingerprint or recipient) is the one thing the page may ask for. */
var ALLOWED_PERMISSIONS = /* @__PURE__ */ new Set(["clipboard-sanitized-write"]);
function isPermissionAllowed(permission, requestingUrl, page) {
	return ALLOWED_PERMISSIONS.has(permission) && isAppPageUrl(requestingUrl, page);
}
/** Every permission request and check is refused unless it is on the short list above. */
function restrictPermissions(session, page) {
	session.setPermissionRequestHandler((contents, permission, callback, details) => {
		callback(isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL(), page));
	});
	session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, page));
	session.setDevicePermissionHandler(() => false);
}
/**
* The app is one page: it never navigates, opens windows or embeds webviews. Applied to every
* web contents the app creates, so a future window cannot forget it.
*/
function hardenWebContents(contents) {
	contents.on("will-navigate", (event) => event.preventDefault());
	contents.on("will-frame-navigate", (event) => event.preventDefault());
	contents.on("will-attach-webview", (event) => event.preventDefault());
	contents.setWindowOpenHandler(() => ({ action: "deny" }));
}
function hardenAllWebContents(app) {
	app.on("web-contents-created", (_event, contents) => hardenWebContents(contents));
}
// src/main/electron/start-error.ts
/**
* What the start-up error box says: the core's own words for an AppError (a wrong or missing
* master key, a store that cannot be opened), the file system's refusal in words for the data
* folder, and where to look next.
*/
function startErrorBox(error, where) {
	let message;
	if (error instanceof AppError) message = error.message;
	else if (typeof error?.syscall === "string" || /^E[A-Z]+$/.test(String(error?.code ?? ""))) message = `The data folder cannot be used: ${describeFsError(error, { path: error.path ?? where.dataDir }).words}. Fix the folder (its owner and permissions, free space), or start Vaultdesk with --data-dir set to a folder you can write.`;
	else message = `Vaultdesk failed while starting: ${error instanceof Error ? error.message : String(error)}`;
	const places = [`Data folder: ${where.dataDir}`, ...where.logFile ? [`Log file: ${where.logFile}`] : []];
	return {
		title: "Vaultdesk cannot start",
		content: `${message}\n\n${places.join("\n")}`
	};
}
// src/main/electron/tray.ts
/** Ages in the menu are in minutes; the tray is redrawn at least this often. */
var REDRAW_MS = 6e4;
/** Progress events come many times a second while a run goes: redraws are gathered this long. */
var COALESCE_MS = 250;
function trayIconPath(iconDir, state) {
	return path.join(iconDir, `tray-${state}.png`);
}
/**
* The tray icon: its picture and tooltip show the worst state of the jobs, its menu is the
* core's menu model. Electron only draws it: it is rebuilt from the core whenever a run moves,
* the configuration or the schedules change, and every minute for the ages.
*/
function createAppTray(deps) {
	const tray = new Tray(nativeImage.createFromPath(trayIconPath(deps.iconDir, "ok")));
	let drawn = "";
	let pending = null;
	let destroyed = false;
	const refresh = () => {
		if (destroyed) return;
		let model;
		try {
			model = deps.model();
		} catch (error) {
			deps.log.warn("could not read the jobs for the tray", { error: String(error) });
			return;
		}
		if (!model) return;
		const key = JSON.stringify([
			model.state,
			model.tooltip,
			model.menu
		]);
		if (key === drawn) return;
		drawn = key;
		const icon = nativeImage.createFromPath(trayIconPath(deps.iconDir, model.state));
		if (icon.isEmpty()) deps.log.warn("tray icon missing", {
			state: model.state,
			dir: deps.iconDir
		});
		tray.setImage(icon);
		tray.setToolTip(model.tooltip);
		tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(model.menu, deps.act, deps.platform)));
	};
	const refreshSoon = () => {
		if (pending || destroyed) return;
		pending = setTimeout(() => {
			pending = null;
			refresh();
		}, COALESCE_MS);
	};
	const stops = [
		deps.events.on("runs:progress", refreshSoon),
		deps.events.on("runs:finished", refreshSoon),
		deps.events.on("config:changed", refreshSoon),
		deps.events.on("schedules:changed", refreshSoon)
	];
	const timer = setInterval(refresh, REDRAW_MS);
	if (deps.platform === "win32") tray.on("click", () => deps.act({ kind: "open" }));
	refresh();
	return {
		refresh,
		destroy: () => {
			if (destroyed) return;
			destroyed = true;
			for (const stop of stops) stop();
			clearInterval(timer);
			if (pending) clearTimeout(pending);
			tray.destroy();
		}
	};
}
/** The model's menu as Electron's template; an entry's click hands its action back. */
function menuTemplate(items, act, platform) {
	return items.map((item) => {
		if (item.type === "separator") return { type: "separator" };
		const { action } = item;
		return {
			label: platform === "win32" ? item.label.replace(/&/g, "&&") : item.label,
			enabled: item.enabled,
			...item.submenu ? { submenu: menuTemplate(item.submenu, act, platform) } : {},
			...action ? { click: () => act(action) } : {}
		};
	});
}
// src/main/electron/window-options.ts
/**
* The one window's options. The renderer gets no Node, runs sandboxed and isolated from the
* preload, and can only reach the core through the preload's `window.vaultdesk`. DevTools only
* in development: in a packaged app they would hand anyone at the keyboard a console on the page.
*/
function mainWindowOptions(preloadPath, iconPath, devTools = false) {
	return {
		width: 1280,
		height: 820,
		minWidth: 960,
		minHeight: 600,
		show: false,
		title: "Vaultdesk",
		backgroundColor: "#f8f9fa",
		...iconPath ? { icon: iconPath } : {},
		webPreferences: {
			preload: preloadPath,
			contextIsolation: true,
			sandbox: true,
			nodeIntegration: false,
			nodeIntegrationInWorker: false,
			nodeIntegrationInSubFrames: false,
			webSecurity: true,
			allowRunningInsecureContent: false,
			webviewTag: false,
			navigateOnDragDrop: false,
			spellcheck: false,
			devTools
		}
	};
}
// src/main/electron/window.ts
/**
* Creates the app window and loads the app page: the dev server under `electron-vite dev`,
* app://vaultdesk/index.html otherwise (served by the app scheme's handler).
*/
function createMainWindow(paths, page, devTools) {
	const win = new BrowserWindow(mainWindowOptions(paths.preload, existsSync(paths.icon) ? paths.icon : void 0, devTools));
	win.once("ready-to-show", () => win.show());
	return {
		win,
		loaded: win.loadURL(page.devOrigin ? `${page.devOrigin}/` : page.url)
	};
}
// src/main/index.ts
var here = import.meta.dirname;
var args = parseLaunchArgs(process.argv.slice(1));
var host = prepareHost({
	kind: "app",
	env: process.env,
	dataDir: args.dataDir,
	masterKeyFile: args.masterKeyFile,
	log: jsonLogger((line) => process.stderr.write(line)),
	logFile: "vaultdesk",
	version: app.getVersion(),
	leftoverCleanup: "background",
	keyFileFallback: "create"
});
var { dataDir, log } = host;
var page = appPage(app.isPackaged ? void 0 : process.env.ELECTRON_RENDERER_URL);
var rendererDir = path.join(here, "../renderer");
var resourcesDir = path.join(here, "../../resources");
var windowPaths = {
	preload: path.join(here, "../preload/index.cjs"),
	icon: path.join(resourcesDir, "icon.png")
};
/** Quitting waits this long at most for runs to record their end (each gets a few seconds before its worker is stopped). */
var QUIT_DEADLINE_MS = 45e3;
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.setName("Vaultdesk");
var dataDirProblem = useDataDirForChromium();
app.enableSandbox();
hardenAllWebContents(app);
var core = null;
var stopIpc = null;
/** Null where no tray could be made: closing the last window then quits, as it would without one. */
var appTray = null;
var trayHintShown = false;
/** The start-at-login setting last handed to the OS. */
var loginItemApplied = null;
var quitGuard = new QuitGuard({
	activeRuns: () => core ? [...core.runService.activeRuns(), ...core.restoreService.activeIds()] : [],
	confirm: async (count, signal) => {
		const options = {
			...quitQuestion(count, core?.restoreService.activeIds().length ?? 0),
			noLink: true,
			signal
		};
		const win = BrowserWindow.getAllWindows().find((w) => !w.isDestroyed());
		return (win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)).response === 1;
	},
	stop: async () => {
		await core?.shutdown("Vaultdesk was quit");
		appTray?.destroy();
		appTray = null;
		stopIpc?.();
		stopIpc = null;
		core = null;
	},
	quit: () => app.quit(),
	log,
	deadlineMs: QUIT_DEADLINE_MS
});
/**
* Chromium keeps its profile (caches, local storage) in the data dir, under its own folder, and
* the single-instance lock is taken there, so one app window serves each data dir. app.setPath
* throws for a folder that does not exist yet, as on a first start.
*/
function useDataDirForChromium() {
	try {
		ensureFolderSync(path.join(dataDir, "electron"), { mode: 448 });
		app.setPath("userData", dataDir);
		app.setPath("sessionData", path.join(dataDir, "electron"));
		return null;
	} catch (error) {
		return error;
	}
}
function failStart(error) {
	const box = startErrorBox(error, {
		dataDir,
		logFile: host.logFile
	});
	log.error("Vaultdesk could not start", {
		code: error?.code ?? null,
		shown: box.content
	});
	dialog.showErrorBox(box.title, box.content);
	app.exit(1);
}
function openWindow() {
	try {
		const { win, loaded } = createMainWindow(windowPaths, page, !app.isPackaged);
		win.on("close", (event) => {
			if (appTray && quitGuard.phase === "open") return keptInTray();
			if (process.platform !== "darwin" && BrowserWindow.getAllWindows().length === 1 && quitGuard.request("last-window")) event.preventDefault();
		});
		loaded.catch((error) => windowFailed("the window could not load the app page", error));
	} catch (error) {
		windowFailed("the window could not be created", error);
	}
}
/** The window brought forward, or opened again when it was closed to the tray. */
function showWindow() {
	const win = BrowserWindow.getAllWindows()[0];
	if (!win) return openWindow();
	if (win.isMinimized()) win.restore();
	win.show();
	win.focus();
}
function notify(title, body) {
	if (!Notification.isSupported()) return;
	const shown = new Notification({
		title,
		body
	});
	shown.on("click", () => core && quitGuard.phase === "open" && showWindow());
	shown.show();
}
/** Said once per start, the first time the window is closed. */
function keptInTray() {
	if (trayHintShown) return;
	trayHintShown = true;
	notify("Vaultdesk keeps running in the tray", "Scheduled backups go on. Quit from its menu in the tray.");
}
function trayAction(action) {
	const current = core;
	if (!current || quitGuard.phase !== "open") return;
	switch (action.kind) {
		case "open": return showWindow();
		case "quit": return app.quit();
		case "run":
			trayCall("The backup did not start", () => current.call("jobs:run", { id: action.jobId }));
			return;
		case "pause":
			trayCall("The schedules were not paused", () => current.call("schedules:pause", {}));
			return;
		case "resume":
			trayCall("The schedules were not resumed", () => current.call("schedules:resume", {}));
			return;
	}
}
/** A tray action has no window to answer in: a refusal (the job runs already, the store is full) is an OS notification. */
async function trayCall(failure, call) {
	try {
		await call();
		appTray?.refresh();
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		log.warn(failure, { error: why });
		notify(failure, why);
	}
}
function startTray(current) {
	try {
		return createAppTray({
			model: () => core?.trayModel() ?? null,
			events: current.events,
			act: trayAction,
			iconDir: resourcesDir,
			platform: process.platform,
			log
		});
	} catch (error) {
		log.warn("the tray icon could not be made; closing the window quits", { error: String(error) });
		return null;
	}
}
/**
* Hands the start-at-login setting to the OS at start (it may have been changed from
* `vaultdesk serve`, or the app moved) and whenever it changes. A login start passes --hidden
* and the data dir and key file this app was started with.
*/
async function followStartAtLogin() {
	const current = core;
	if (!current) return;
	try {
		const { startAtLogin } = await current.call("settings:get", {});
		if (startAtLogin === loginItemApplied) return;
		loginItemApplied = startAtLogin;
		applyStartAtLogin(startAtLogin, {
			platform: process.platform,
			setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
			executable: process.env.APPIMAGE ?? process.execPath,
			args: [
				...app.isPackaged ? [] : [app.getAppPath()],
				...args.dataDir ? ["--data-dir", dataDir] : [],
				...args.masterKeyFile ? ["--master-key-file", path.resolve(args.masterKeyFile)] : []
			],
			env: process.env,
			home: homedir()
		});
		log.info("start at login set", { enabled: startAtLogin });
	} catch (error) {
		loginItemApplied = null;
		const why = error instanceof Error ? error.message : String(error);
		log.warn("could not set start at login", { error: why });
		notify("Vaultdesk could not change its start at login", why);
	}
}
/** A window that never shows would leave the app running unseen, with no way to quit it but kill: say so, and quit. */
function windowFailed(what, error) {
	log.error(what, { error: String(error) });
	const why = error instanceof Error ? error.message : String(error);
	dialog.showErrorBox("Vaultdesk cannot show its window", `The app's page could not be shown (${why}). The installation may be damaged: reinstall Vaultdesk.${host.logFile ? `\n\nLog file: ${host.logFile}` : ""}`);
	app.quit();
}
async function start() {
	if (dataDirProblem) return failStart(dataDirProblem);
	const menu = appMenuTemplate({
		packaged: app.isPackaged,
		platform: process.platform
	});
	Menu.setApplicationMenu(menu ? Menu.buildFromTemplate(menu) : null);
	protocol.handle("app", (request) => handleAppRequest(rendererDir, request));
	restrictPermissions(session.defaultSession, page);
	try {
		core = await host.open();
	} catch (error) {
		return failStart(error);
	}
	stopIpc = registerIpc(ipcMain, core, page, () => BrowserWindow.getAllWindows(), log);
	core.events.on("notifications:alert", (alert) => notify(alert.title, alert.body));
	core.scheduler.start();
	powerMonitor.on("suspend", () => core?.scheduler.suspended());
	powerMonitor.on("resume", () => core?.scheduler.resumed());
	appTray = startTray(core);
	core.events.on("config:changed", (change) => void (change.entity === "settings" && followStartAtLogin()));
	followStartAtLogin();
	if (!((args.hidden || process.platform === "darwin" && app.getLoginItemSettings().wasOpenedAtLogin) && appTray)) openWindow();
}
if (!app.requestSingleInstanceLock()) app.exit(0);
else {
	app.on("second-instance", () => {
		if (core && quitGuard.phase === "open") showWindow();
	});
	app.on("activate", () => {
		if (core && quitGuard.phase === "open" && BrowserWindow.getAllWindows().length === 0) openWindow();
	});
	app.on("window-all-closed", () => {
		if (!appTray && process.platform !== "darwin") app.quit();
	});
	app.on("before-quit", (event) => {
		if (quitGuard.request("quit")) event.preventDefault();
	});
	for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void quitGuard.request("signal"));
	app.whenReady().then(start).catch(failStart);
}
export {};
