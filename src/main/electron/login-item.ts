import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureFolderSync } from '../core/files/ensure-folder';
import { AppError } from '../../shared/ipc/result';
import { fsAppError } from '../core/files/fs-errors';

/** Passed to the app when the OS starts it at login: it starts in the tray, without a window. */
export const HIDDEN_FLAG = '--hidden';

export interface LoginItemHost {
  platform: NodeJS.Platform;
  /** Electron's app.setLoginItemSettings (macOS and Windows only). */
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
  /** What starts the app: the AppImage on Linux when run from one, else the executable. */
  executable: string;
  /** Arguments after the executable: the app folder in development, --data-dir when one was given. */
  args: readonly string[];
  /** For the XDG autostart folder ($XDG_CONFIG_HOME, else ~/.config). */
  env: NodeJS.ProcessEnv;
  home: string;
}

/**
 * Makes the OS start the app (hidden, in the tray) when the user logs in, or stop doing so.
 * macOS and Windows keep a login item, set through Electron; Electron has none on Linux, where
 * the XDG autostart entry (~/.config/autostart/vaultdesk.desktop) is what desktops read.
 * macOS cannot pass arguments to a login item: there the app tells a start at login from
 * app.getLoginItemSettings().wasOpenedAtLogin, and uses its default data dir.
 */
export function applyStartAtLogin(enabled: boolean, host: LoginItemHost): void {
  const args = [HIDDEN_FLAG, ...host.args];
  if (host.platform === 'darwin') return host.setLoginItemSettings({ openAtLogin: enabled });
  // Windows reads the arguments as one command line: "Take care to wrap paths in quotes."
  if (host.platform === 'win32') return host.setLoginItemSettings({ openAtLogin: enabled, path: host.executable, args: args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)) });
  const file = autostartFile(host.env, host.home);
  const entry = enabled ? autostartEntry(host.executable, args) : null;
  try {
    if (entry === null) return rmSync(file, { force: true });
    ensureFolderSync(path.dirname(file), { mode: 0o700 });
    writeFileSync(file, entry, { mode: 0o644 });
  } catch (error) {
    throw fsAppError(error, 'FILE_WRITE_FAILED', enabled ? 'Could not make Vaultdesk start at login' : 'Could not stop Vaultdesk from starting at login', { path: file, creating: enabled });
  }
}

export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(config, 'autostart', 'vaultdesk.desktop');
}

/** A desktop entry (freedesktop.org Desktop Entry Specification) that starts `executable args` at login. */
export function autostartEntry(executable: string, args: readonly string[]): string {
  const exec = [executable, ...args].map(execArgument).join(' ');
  return ['[Desktop Entry]', 'Type=Application', 'Name=Vaultdesk', 'Comment=Scheduled database backups, from the tray', `Exec=${exec}`, 'Terminal=false', 'X-GNOME-Autostart-enabled=true', ''].join('\n');
}

/**
 * One Exec argument, quoted: inside quotes `"`, `` ` ``, `$` and `\` take a backslash, `%` is
 * doubled (field codes), and the value as a whole is a string in which `\` is escaped again.
 * A line break cannot be written in a desktop entry at all.
 */
function execArgument(arg: string): string {
  if (/[\n\r]/.test(arg)) throw new AppError('VALIDATION_FAILED', `Vaultdesk cannot start at login from ${JSON.stringify(arg)}: a desktop autostart entry cannot hold a line break. Move it to a folder without one.`);
  const quoted = `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
  return quoted.replace(/\\/g, '\\\\');
}
