import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/ipc/result';

export interface SevenZipTool {
  path: string;
  /** major.minor as 7-Zip prints it, e.g. `26.02`. */
  version: string;
  /**
   * The environment 7-Zip is started with (the host's tool environment, as given to
   * findSevenZip). Absent: an empty one, which 7-Zip needs nothing from.
   */
  env?: Record<string, string>;
}

/**
 * 22 is the first release of 7-Zip's own Linux/macOS build (`7zz`). Older `7z` binaries on those
 * systems are p7zip (last release 16.02, 2016), unmaintained and with known CVEs.
 *
 * Creating an archive relies on 7-Zip reading the passphrase from stdin when `-p` has no value,
 * and printing a line break once it has read it (createSevenZipArchive sends the data only then,
 * and checks afterwards that the archive holds every byte). Tested with 7-Zip 26.02 (Debian's
 * `7zz`); 22 to 25 were not run: the 7-Zip sources read for this (GetPassword in
 * UI/Console/UserInputUtils.cpp) print that line break after the read, whatever the platform.
 * p7zip's prompt is other code (built with getpass it may read the terminal, not stdin).
 */
export const SEVEN_ZIP_MIN_MAJOR = 22;

type Platform = 'linux' | 'darwin' | 'win32';

/** `7zz` is upstream 7-Zip; `7z`/`7za` are p7zip on older systems, upstream 7-Zip on newer ones and on Windows. */
const EXECUTABLES = ['7zz', '7z', '7za'];

/**
 * After PATH: apps started from the macOS Finder get a PATH without Homebrew, and the Windows
 * installer does not add 7-Zip to PATH. Linux desktops put /usr/bin on PATH already.
 */
function installDirs(platform: Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') return ['/opt/homebrew/bin', '/usr/local/bin'];
  if (platform === 'win32') {
    const programFiles = [env.ProgramFiles ?? env.PROGRAMFILES, env['ProgramFiles(x86)'], 'C:\\Program Files', 'C:\\Program Files (x86)'];
    return [...new Set(programFiles.filter((d): d is string => !!d))].map((d) => path.win32.join(d, '7-Zip'));
  }
  return [];
}

const INSTALL =
  'Install 7-Zip 22 or newer (Debian/Ubuntu: apt install 7zip, which provides 7zz; Fedora: dnf install 7zip; macOS: brew install sevenzip; Windows: the installer from 7-zip.org)';

/**
 * Where a 7-Zip path is set, for the words of a 7-Zip that is missing or too old: the data dir's
 * Settings (backups, restores, the Recovery page), or `vaultdesk decrypt --7z`, which has no data dir.
 */
export type SevenZipPathSetting = 'settings' | 'decrypt-option';

const SETTING_WORDS: Record<SevenZipPathSetting, { given: string; correct: string; set: string }> = {
  settings: { given: 'the path set in Settings', correct: 'Correct the path or clear it to search the PATH.', set: 'or set its path in Settings.' },
  'decrypt-option': { given: 'given with --7z', correct: 'Correct the path, or leave --7z out to search the PATH.', set: 'or give its path with --7z PATH.' },
};

function installHint(setting: SevenZipPathSetting): string {
  return `${INSTALL} ${SETTING_WORDS[setting].set}`;
}

/**
 * Finds 7-Zip: the configured path if any (and only it), else `7zz`, `7z`, `7za` on the PATH of
 * `env` and in the usual install folders. A binary older than 22 is passed over for a newer one
 * found later; when there is none, CLIENT_TOO_OLD names the old one and its version.
 */
export async function findSevenZip(env: Record<string, string | undefined>, configuredPath?: string, setting: SevenZipPathSetting = 'settings'): Promise<SevenZipTool> {
  const platform = currentPlatform();
  const childEnv = definedOnly(env);
  if (configuredPath) {
    if (!isExecutable(configuredPath, platform)) {
      throw new AppError('CLIENT_TOOL_MISSING', `7-Zip was not found at ${configuredPath} (${SETTING_WORDS[setting].given}). ${SETTING_WORDS[setting].correct} ${installHint(setting)}`, {
        tool: '7z',
        path: configuredPath,
      });
    }
    const version = await sevenZipVersion(configuredPath, childEnv, setting);
    assertRecent(configuredPath, version, setting);
    return { path: configuredPath, version: version.text, env: childEnv };
  }
  let tooOld: { file: string; version: ParsedVersion } | null = null;
  for (const file of candidates(env, platform)) {
    let version: ParsedVersion;
    try {
      version = await sevenZipVersion(file, childEnv, setting);
    } catch {
      // A broken candidate (a dangling wrapper...) must not hide a working one further on.
      continue;
    }
    if (version.major >= SEVEN_ZIP_MIN_MAJOR) return { path: file, version: version.text, env: childEnv };
    tooOld ??= { file, version };
  }
  if (tooOld) assertRecent(tooOld.file, tooOld.version, setting);
  throw new AppError('CLIENT_TOOL_MISSING', `7-Zip (7zz, 7z or 7za) was not found. ${installHint(setting)}`, { tool: '7z' });
}

export interface ParsedVersion {
  major: number;
  minor: number;
  /** `16.02` */
  text: string;
}

/**
 * Reads the banner every 7-Zip flavour prints first:
 * `7-Zip (z) 26.02 (x64) : Copyright ...` (7zz), `7-Zip 24.08 (x64) : ...` (Windows),
 * `7-Zip (a) 22.01 ...` (7za), `7-Zip [64] 16.02 : ...` (p7zip).
 */
export function parseSevenZipVersion(output: string): ParsedVersion | null {
  const m = /7-Zip\s+(?:\([a-z]+\)\s+)?(?:\[\d+\]\s+)?(\d+)\.(\d+)/i.exec(output);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}` };
}

/** Runs the binary without arguments (it prints its banner and usage; there is no --version). */
function sevenZipVersion(file: string, env: Record<string, string>, setting: SevenZipPathSetting): Promise<ParsedVersion> {
  return new Promise((resolve, reject) => {
    execFile(file, [], { env, timeout: 15_000, windowsHide: true, shell: false, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      // Some builds exit non-zero without a command but still print the banner; the banner decides.
      const parsed = parseSevenZipVersion(String(stdout));
      if (parsed) return resolve(parsed);
      const why = error ? `: ${(error as NodeJS.ErrnoException).code ?? error.message.split('\n')[0]}` : '';
      reject(new AppError('CLIENT_TOOL_MISSING', `${file} did not report a 7-Zip version${why}. Check that it is a working 7-Zip binary. ${installHint(setting)}`, { tool: '7z', path: file }));
    });
  });
}

function assertRecent(file: string, version: ParsedVersion, setting: SevenZipPathSetting): void {
  if (version.major >= SEVEN_ZIP_MIN_MAJOR) return;
  const p7zip = version.major <= 16 ? ' (p7zip, unmaintained since 2016, with known security flaws)' : '';
  throw new AppError('CLIENT_TOO_OLD', `7-Zip ${version.text} at ${file} is too old${p7zip}: Vaultdesk needs 7-Zip ${SEVEN_ZIP_MIN_MAJOR} or newer. ${installHint(setting)}`, {
    tool: '7z',
    path: file,
    clientVersion: version.text,
    minimumVersion: `${SEVEN_ZIP_MIN_MAJOR}.00`,
  });
}

function candidates(env: Record<string, string | undefined>, platform: Platform): string[] {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const dirs = [...pathDirs(env, platform), ...installDirs(platform, env)];
  const found: string[] = [];
  for (const executable of EXECUTABLES) {
    for (const dir of dirs) {
      const file = pathApi.join(dir, platform === 'win32' ? `${executable}.exe` : executable);
      if (!found.includes(file) && isExecutable(file, platform)) found.push(file);
    }
  }
  return found;
}

function pathDirs(env: Record<string, string | undefined>, platform: Platform): string[] {
  // Windows spells it Path, in any case.
  const key = platform === 'win32' ? Object.keys(env).find((k) => k.toUpperCase() === 'PATH') : 'PATH';
  const value = key ? env[key] : undefined;
  return (value ?? '').split(platform === 'win32' ? ';' : ':').filter((d) => d.length > 0);
}

function isExecutable(file: string, platform: Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function currentPlatform(): Platform {
  return process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux';
}
