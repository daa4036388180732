import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ClientToolName, ToolName } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';

/**
 * Finding the database client binaries the way a DBA has installed them: a path configured in
 * Settings wins, then the host's PATH, then the places installers put them. The search lists are
 * data so they can be read, tested and extended without touching the logic.
 */
export type { ClientToolName, ToolName };
export type ToolFamily = 'postgres' | 'mysql';
export type ToolPlatform = 'linux' | 'darwin' | 'win32';

export interface ToolSpec {
  family: ToolFamily;
  /** Executable names in order of preference (without `.exe`). */
  executables: string[];
}

export const TOOL_SPECS: Record<ClientToolName, ToolSpec> = {
  pg_dump: { family: 'postgres', executables: ['pg_dump'] },
  pg_dumpall: { family: 'postgres', executables: ['pg_dumpall'] },
  pg_restore: { family: 'postgres', executables: ['pg_restore'] },
  psql: { family: 'postgres', executables: ['psql'] },
  // MariaDB renamed its tools; the old names are symlinks on some systems and absent on others.
  mysqldump: { family: 'mysql', executables: ['mariadb-dump', 'mysqldump'] },
  mysql: { family: 'mysql', executables: ['mariadb', 'mysql'] },
};

/** Install locations after PATH. A `*` matches one path segment's remainder; matches are tried newest version first. */
export const INSTALL_DIRS: Record<ToolPlatform, Record<ToolFamily, string[]>> = {
  linux: {
    postgres: ['/usr/lib/postgresql/*/bin', '/usr/pgsql-*/bin', '/usr/local/pgsql/bin', '/usr/bin', '/usr/local/bin'],
    mysql: ['/usr/bin', '/usr/local/bin', '/usr/local/mysql/bin', '/opt/mysql/bin'],
  },
  darwin: {
    postgres: [
      '/opt/homebrew/bin',
      '/usr/local/bin',
      '/opt/homebrew/opt/libpq/bin',
      '/usr/local/opt/libpq/bin',
      '/opt/homebrew/opt/postgresql@*/bin',
      '/usr/local/opt/postgresql@*/bin',
      '/Applications/Postgres.app/Contents/Versions/*/bin',
    ],
    mysql: [
      '/opt/homebrew/bin',
      '/usr/local/bin',
      '/opt/homebrew/opt/mysql-client/bin',
      '/usr/local/opt/mysql-client/bin',
      '/opt/homebrew/opt/mariadb/bin',
      '/usr/local/opt/mariadb/bin',
      '/usr/local/mysql/bin',
    ],
  },
  win32: {
    postgres: ['C:\\Program Files\\PostgreSQL\\*\\bin'],
    mysql: ['C:\\Program Files\\MariaDB*\\bin', 'C:\\Program Files\\MySQL\\MySQL Server*\\bin'],
  },
};

const INSTALL_HINTS: Record<ToolFamily, string> = {
  postgres:
    'Install the PostgreSQL client (Debian/Ubuntu: postgresql-client, Fedora/RHEL: postgresql, macOS: brew install libpq, Windows: the PostgreSQL installer from postgresql.org)',
  mysql:
    'Install the MariaDB or MySQL client (Debian/Ubuntu: mariadb-client, Fedora/RHEL: mariadb, macOS: brew install mariadb or brew install mysql-client, Windows: the MariaDB or MySQL installer)',
};

export interface ResolvedTool {
  name: ClientToolName;
  /** The executable actually found, e.g. `mariadb-dump` for the `mysqldump` tool. */
  executable: string;
  path: string;
}

export interface FindToolOptions {
  env?: Record<string, string | undefined>;
  toolPaths?: Partial<Record<ToolName, string>>;
  platform?: ToolPlatform;
  /** Replaces INSTALL_DIRS for this lookup (tests, unusual layouts). */
  installDirs?: string[];
}

/** The binary for `name`, or CLIENT_TOOL_MISSING naming it and the package that provides it. */
export function findTool(name: ClientToolName, options: FindToolOptions = {}): ResolvedTool {
  const spec = TOOL_SPECS[name];
  const platform = options.platform ?? currentPlatform();
  const configured = options.toolPaths?.[name];
  if (configured) {
    if (isExecutable(configured, platform)) return { name, executable: path.basename(configured), path: configured };
    throw new AppError(
      'CLIENT_TOOL_MISSING',
      `${name} was not found at ${configured} (the path set in Settings). Correct the path or clear it to search the PATH.`,
      { tool: name, path: configured },
    );
  }
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const dirs = [...pathDirs(options.env, platform), ...(options.installDirs ?? INSTALL_DIRS[platform][spec.family]).flatMap((p) => expandPattern(p, pathApi))];
  for (const executable of spec.executables) {
    const file = platform === 'win32' ? `${executable}.exe` : executable;
    for (const dir of dirs) {
      const candidate = pathApi.join(dir, file);
      if (isExecutable(candidate, platform)) return { name, executable, path: platform === 'win32' ? candidate : (behindPgWrapper(candidate, executable) ?? candidate) };
    }
  }
  const names = spec.executables.join(' or ');
  throw new AppError('CLIENT_TOOL_MISSING', `${names} was not found. ${INSTALL_HINTS[spec.family]} or set its path in Settings.`, { tool: name });
}

/**
 * Debian's and Ubuntu's `/usr/bin/pg_dump` (psql, pg_restore, pg_dumpall) is postgresql-common's
 * pg_wrapper, a Perl script that picks a version and execs it: about 50 ms of Perl before every
 * run of the tool, a backup's start included. It picks the version of the local cluster it finds
 * (Vaultdesk passes the server in --dbname, which it does not read), so with clients 13 and 16
 * installed beside a local 13 cluster, a dump of a remote 16 server got pg_dump 13 and was refused as
 * too old. The binary itself, newest version first, as the install dirs are searched: a newer
 * pg_dump dumps older servers. Null when `candidate` is not the wrapper or it has no binaries beside it.
 */
function behindPgWrapper(candidate: string, executable: string): string | null {
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return null;
  }
  if (path.basename(real) !== 'pg_wrapper' || path.basename(path.dirname(real)) !== 'postgresql-common') return null;
  const prefix = path.dirname(path.dirname(path.dirname(real)));
  for (const dir of expandPattern(path.join(prefix, 'lib/postgresql/*/bin'))) {
    const binary = path.join(dir, executable);
    if (isExecutable(binary, 'linux')) return binary;
  }
  return null;
}

/** Expands one `*` per segment, newest (highest version-like name) first; a plain path is returned as is. */
export function expandPattern(pattern: string, pathApi: path.PlatformPath = path): string[] {
  const star = pattern.indexOf('*');
  if (star < 0) return [pattern];
  const segmentStart = pattern.lastIndexOf(pathApi.sep, star) + 1;
  const segmentEnd = pattern.indexOf(pathApi.sep, star);
  const parent = pattern.slice(0, Math.max(segmentStart - 1, 0)) || pathApi.sep;
  const segment = pattern.slice(segmentStart, segmentEnd < 0 ? undefined : segmentEnd);
  const rest = segmentEnd < 0 ? '' : pattern.slice(segmentEnd);
  const regex = new RegExp(`^${segment.split('*').map(escapeRegex).join('(.*)')}$`, pathApi === path.win32 ? 'i' : '');
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => regex.test(entry))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .flatMap((entry) => expandPattern(`${pathApi.join(parent, entry)}${rest}`, pathApi));
}

export interface ToolVersion {
  /** The `--version` line, for messages. */
  text: string;
  flavor: 'postgres' | 'mariadb' | 'mysql';
  /** [major, minor, patch]; PostgreSQL 10+ has no meaningful middle number, so its minor is its patch. */
  parts: number[];
}

/** Runs `tool --version` (no shell, no secrets) and parses it. */
export function toolVersion(tool: ResolvedTool, env: Record<string, string>): Promise<ToolVersion> {
  return new Promise((resolve, reject) => {
    execFile(tool.path, ['--version'], { env, timeout: 15_000, windowsHide: true, shell: false }, (error, stdout) => {
      const parsed = error ? null : parseToolVersion(TOOL_SPECS[tool.name].family, stdout);
      if (parsed) resolve(parsed);
      else
        reject(
          new AppError('CLIENT_TOOL_MISSING', `${tool.path} --version did not report a version${error ? `: ${error.message}` : ''}. Check that it is a working ${tool.executable} binary.`, {
            tool: tool.name,
            path: tool.path,
          }),
        );
    });
  });
}

/**
 * findTool and toolVersion as one promise, started at once so that `--version` runs while the
 * caller waits on something else (the server's answer). Already handled: a caller that awaits
 * something else first does not leave it unhandled, and sees its error when it awaits it.
 */
export function versionedTool(name: ClientToolName, options: FindToolOptions, env: Record<string, string>): Promise<ResolvedTool & { version: ToolVersion }> {
  const found = (async () => {
    const tool = findTool(name, options);
    return { ...tool, version: await toolVersion(tool, env) };
  })();
  found.catch(() => undefined);
  return found;
}

export function parseToolVersion(family: ToolFamily, output: string): ToolVersion | null {
  const text = output.trim().split('\n')[0]?.trim() ?? '';
  if (family === 'postgres') {
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
    return m ? { text, flavor: 'postgres', parts: numbers(m.slice(1)) } : null;
  }
  // MariaDB 10: "Ver 10.19 Distrib 10.11.6-MariaDB"; MariaDB 11: "from 11.4.2-MariaDB, client 10.19";
  // MySQL 5.7: "Ver 10.13 Distrib 5.7.44"; MySQL 8: "Ver 8.0.36 for Linux".
  const m = /Distrib\s+(\d+)\.(\d+)(?:\.(\d+))?/.exec(text) ?? /from\s+(\d+)\.(\d+)(?:\.(\d+))?-MariaDB/.exec(text) ?? /Ver\s+(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? { text, flavor: /mariadb/i.test(text) ? 'mariadb' : 'mysql', parts: numbers(m.slice(1)) } : null;
}

export interface ServerVersion {
  flavor: 'postgres' | 'mariadb' | 'mysql';
  parts: number[];
  text: string;
}

/**
 * CLIENT_TOO_OLD when the client cannot be trusted to dump the server. PostgreSQL: pg_dump refuses
 * newer servers, so its major must be >= the server's. MySQL/MariaDB: within one flavour the
 * client's major.minor must be >= the server's; across flavours the numbers mean different
 * things (MariaDB 10.x vs MySQL 8.x), so no order is claimed.
 */
export function assertClientNotOlder(tool: ResolvedTool, client: ToolVersion, server: ServerVersion): void {
  if (client.flavor !== server.flavor) return;
  const width = server.flavor === 'postgres' ? pgMajorWidth(server.parts) : 2;
  const older = compareParts(client.parts.slice(0, width), server.parts.slice(0, width)) < 0;
  if (!older) return;
  const label = (parts: number[]): string => parts.slice(0, server.flavor === 'postgres' ? 2 : 3).join('.');
  const product = server.flavor === 'postgres' ? 'PostgreSQL' : server.flavor === 'mariadb' ? 'MariaDB' : 'MySQL';
  throw new AppError(
    'CLIENT_TOO_OLD',
    `${tool.executable} ${label(client.parts)} (${tool.path}) is older than the ${product} ${label(server.parts)} server. Install a ${product} client of version ${server.parts.slice(0, width).join('.')} or newer, or set its path in Settings.`,
    { tool: tool.name, clientVersion: label(client.parts), serverVersion: label(server.parts) },
  );
}

/** PostgreSQL before 10 had two-part majors (9.6); from 10 on, one number. */
function pgMajorWidth(parts: number[]): number {
  return (parts[0] ?? 0) >= 10 ? 1 : 2;
}

function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function numbers(values: (string | undefined)[]): number[] {
  return values.filter((v): v is string => v !== undefined).map(Number);
}

function pathDirs(env: Record<string, string | undefined> | undefined, platform: ToolPlatform): string[] {
  if (!env) return [];
  // Windows spells it Path; the key's case is not fixed there.
  const key = platform === 'win32' ? Object.keys(env).find((k) => k.toUpperCase() === 'PATH') : 'PATH';
  const value = key ? env[key] : undefined;
  return (value ?? '').split(platform === 'win32' ? ';' : ':').filter((d) => d.length > 0);
}

function isExecutable(file: string, platform: ToolPlatform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function currentPlatform(): ToolPlatform {
  return process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
