import { homedir } from 'node:os';
import path from 'node:path';
import { defaultDataDir, toolEnvFrom } from '../core/paths';

/** Where a host's data dir is: --data-dir, else VAULTDESK_DATA_DIR, else the OS app-data folder. */
export function hostDataDir(start: { dataDir?: string | undefined; env: NodeJS.ProcessEnv; platform?: NodeJS.Platform | undefined; home?: string | undefined }): string {
  return start.dataDir ? path.resolve(start.dataDir) : defaultDataDir(start.platform ?? process.platform, start.env, start.home ?? homedir());
}

/** What dump tools see: the host's environment minus Vaultdesk's own variables, with a PATH. */
export function hostToolEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Record<string, string | undefined> {
  const toolEnv = toolEnvFrom(env);
  const pathKey = Object.keys(toolEnv).find((k) => k.toUpperCase() === 'PATH');
  // A desktop launcher may start the app with no PATH at all; the tools' usual homes are searched too.
  if (!pathKey || !toolEnv[pathKey]) toolEnv.PATH = platform === 'win32' ? 'C:\\Windows\\System32;C:\\Windows' : '/usr/local/bin:/usr/bin:/bin';
  return toolEnv;
}


/**
 * Where the master key is kept when no OS keychain can be reached and none was given: a folder
 * of its own beside the data dir, named after it (`~/.config/Vaultdesk-key/master.key` for
 * `~/.config/Vaultdesk`). Beside, not inside: a copy of the data dir (a sync, a backup of the
 * home folder, a support bundle) does not carry the key that opens its secrets, and the folder
 * keeps its own owner-only mode whatever the data dir's is. Derived from the data dir alone, so
 * two data dirs keep two keys and every host (app, serve, daemon, each command) finds the same one.
 */
export function hostKeyFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}-key`, 'master.key');
}
