import { AppError } from '../../../shared/ipc/result';

export const PARTIAL_SUFFIX = '.partial';

/** A partial file changed more recently than this is taken to be another run's upload in progress, not a crash's leftover. */
export const PARTIAL_IN_USE_MS = 10 * 60_000;

/** Another run stores (or stored) an object under this very name (`where`: the folder, in the driver's words): this one is not put in its place. */
export function nameTaken(key: string, where: string, details: Record<string, unknown>): AppError {
  return new AppError(
    'DESTINATION_WRITE_FAILED',
    `Could not write ${key} to ${where}: another run is storing, or has just stored, a backup under that name (another Vaultdesk that uses this folder, started in the same second), so this one was not stored and that one was left alone. Run it again.`,
    { ...details, key, problem: 'name-taken' },
  );
}

const WINDOWS_DRIVE = /^[a-zA-Z]:/;

/**
 * The path guard: an object key is a relative, slash-separated name that stays under the
 * destination's root on every driver. Anything that could climb out of it (`..`, an absolute
 * path, a backslash that Windows would read as a separator, a drive letter) is refused before
 * a single byte is written.
 */
export function assertObjectKey(key: string): string {
  refuse(key, 'key');
  if (key.endsWith('/')) invalid(key, 'must name an object, not a folder (it ends with "/")');
  if (key.endsWith(PARTIAL_SUFFIX)) invalid(key, `must not end with "${PARTIAL_SUFFIX}": that suffix marks uploads in progress`);
  return key;
}

/** A listing prefix follows the same rules as a key, but may be empty or end with "/". */
export function assertListPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  refuse(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, 'prefix');
  return prefix;
}

function refuse(value: string, what: 'key' | 'prefix'): void {
  if (typeof value !== 'string' || value.length === 0) invalid(value, `the ${what} must not be empty`);
  if (value.length > 1024) invalid(value, `the ${what} is longer than 1024 characters`);
  if (value.includes('\\')) invalid(value, `the ${what} must not contain backslashes`);
  if (value.includes('\0')) invalid(value, `the ${what} must not contain NUL characters`);
  if (value.startsWith('/') || WINDOWS_DRIVE.test(value)) invalid(value, `the ${what} must be relative, not an absolute path`);
  for (const segment of value.split('/')) {
    if (segment === '') invalid(value, `the ${what} must not contain empty path segments ("//")`);
    if (segment === '.' || segment === '..') invalid(value, `the ${what} must not contain "." or ".." segments`);
  }
}

function invalid(value: string, why: string): never {
  throw new AppError('VALIDATION_FAILED', `Refused object name "${value}": ${why}.`, { field: 'key' });
}

/** Joins a root prefix ("" or "a/b") and a relative name with exactly one slash between. */
export function joinKey(root: string, key: string): string {
  const trimmed = root.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? key : `${trimmed}/${key}`;
}
