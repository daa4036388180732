import path from 'node:path';

/** The store's file in a data dir: a data dir without it has not been made yet. */
export const DB_FILE = 'vaultdesk.db';

/**
 * The OS app-data folder, as Electron's `app.getPath('userData')` would give it, so the CLI,
 * `serve` and the desktop app share one data dir by default.
 */
export function defaultDataDir(platform: NodeJS.Platform, env: Record<string, string | undefined>, home: string): string {
  if (env.VAULTDESK_DATA_DIR) return path.resolve(env.VAULTDESK_DATA_DIR);
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'win32') return p.join(absoluteOr(p, env.APPDATA, p.join(home, 'AppData', 'Roaming')), 'Vaultdesk');
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'Vaultdesk');
  // The XDG spec: an empty or relative XDG_CONFIG_HOME is invalid and must be ignored (a
  // relative one would put the data dir wherever the app happened to be started).
  return p.join(absoluteOr(p, env.XDG_CONFIG_HOME, p.join(home, '.config')), 'Vaultdesk');
}

function absoluteOr(p: path.PlatformPath, value: string | undefined, fallback: string): string {
  return value && p.isAbsolute(value) ? value : fallback;
}

/**
 * What of the host's environment the dump tools may see: everything but Vaultdesk's own
 * variables, so the master key given in VAULTDESK_MASTER_KEY never reaches a child process.
 */
export function toolEnvFrom(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('VAULTDESK_')));
}
