import { AppError } from '../../../shared/ipc/result';

/**
 * A plain-format dump sets owners and grants with the source's role names (psql cannot skip them
 * as pg_restore's --no-owner --no-acl do for custom-format dumps), so on a server without those
 * roles it fails at the first one, rolled back. The tool's words name the role; these say what to
 * do about it.
 */
export function withMissingRoleAdvice(error: unknown, format: 'custom' | 'plain'): unknown {
  if (format !== 'plain' || !(error instanceof AppError) || error.code !== 'RESTORE_FAILED') return error;
  // The server quotes the name without escaping the quotes inside it.
  const role = /role "(.+?)" does not exist/.exec(error.message)?.[1];
  if (role === undefined) return error;
  return new AppError(
    'RESTORE_FAILED',
    `${error.message} The backup is a plain-format dump, which gives its objects to their owners and grants on them by role name, and role ${role} is not on this server: restore the run's roles first (--with-globals, or "Also restore the roles" in the wizard), create the role, or back up in custom format, whose restores leave owners and grants out. Nothing was kept.`,
    { ...error.details, role },
  );
}
