import path from 'node:path';

/**
 * The OS app-data folder, as Electron's `app.getPath('userData')` would give it, so the CLI,
 * `serve` and the desktop app share one data dir by default.
 */
export function defaultDataDir(platform: NodeJS.Platform, env: Record<string, string | undefined>, home: string): string {
  if (env.VAULTDESK_DATA_DIR) return path.resolve(env.VAULTDESK_DATA_DIR);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Vaultdesk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Vaultdesk');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Vaultdesk');
}

/**
 * What of the host's environment the dump tools may see: everything but Vaultdesk's own
 * variables, so the master key given in VAULTDESK_MASTER_KEY never reaches a child process.
 */
export function toolEnvFrom(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('VAULTDESK_')));
}
