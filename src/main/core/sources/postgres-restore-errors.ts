import { continued } from '../../../shared/domain/sentences';
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
  const member = /must be (?:a )?member of role "(.+?)"/.exec(error.message)?.[1];
  if (member !== undefined) {
    return new AppError(
      'RESTORE_FAILED',
      continued(
        error.message,
        `The backup is a plain-format dump, which gives its objects to their owners by role name (here ${member}), and only a superuser or a member of that role may: restore as such a user (the server's administrator), grant ${member} to this one, or back up in custom format, whose restores leave owners and grants out. Nothing was kept.`,
      ),
      { ...error.details, role: member },
    );
  }
  const role = /role "(.+?)" does not exist/.exec(error.message)?.[1];
  if (role === undefined) return error;
  return new AppError(
    'RESTORE_FAILED',
    continued(
      error.message,
      `The backup is a plain-format dump, which gives its objects to their owners and grants on them by role name, and role ${role} is not on this server: restore the run's roles first (--with-globals, or "Also restore the roles" in the wizard), create the role, or back up in custom format, whose restores leave owners and grants out. Nothing was kept.`,
    ),
    { ...error.details, role },
  );
}

/**
 * pg_restore reads the archive formats of its own release and older ones only: a backup made by a
 * newer pg_dump (on another machine, or before the client tools here were downgraded) is refused at
 * its first bytes. The tool's words give the format; these say where the cure is.
 */
export function withArchiveVersionAdvice(error: unknown, tool: string, sshHost?: string): unknown {
  if (!(error instanceof AppError) || error.code !== 'RESTORE_FAILED') return error;
  const version = /unsupported version \((\d+\.\d+)\) in file header/.exec(error.message)?.[1];
  if (version === undefined) return error;
  return new AppError(
    'RESTORE_FAILED',
    continued(
      error.message,
      `The backup was written by a newer pg_dump than ${sshHost ? `${tool} on ${sshHost}` : tool}, which cannot read its archive format ${version}. Restore it with the PostgreSQL client tools of the release that made it or a newer one: ${
        sshHost ? `install them on ${sshHost}, first on its PATH` : "install them, and if Vaultdesk does not find them on its own, set pg_restore's path in Settings"
      }. Nothing was kept.`,
    ),
    { ...error.details, archiveVersion: version, tool },
  );
}

/**
 * pg_dump's and pg_dumpall's releases of August 2025 on (17.6, 16.10, 15.14, 14.19, 13.22) open a plain dump with
 * `\restrict KEY` (and close it with `\unrestrict KEY`), so that a server answering with psql
 * commands of its own cannot run them through the restore; a psql from before those releases stops
 * at that first line. Only a plain dump meets this: pg_restore reads the archive itself.
 */
export function withPsqlRestrictAdvice(error: unknown, tool: string, sshHost?: string): unknown {
  if (!(error instanceof AppError) || error.code !== 'RESTORE_FAILED') return error;
  if (!/invalid command \\(un)?restrict\b/.test(error.message)) return error;
  return new AppError(
    'RESTORE_FAILED',
    continued(
      error.message,
      `The dump opens with \\restrict, which pg_dump and pg_dumpall write into plain dumps from their releases of August 2025 on (17.6, 16.10, 15.14, 14.19, 13.22 and later), and ${sshHost ? `${tool} on ${sshHost}` : tool} is older than those: update the PostgreSQL client tools ${
        sshHost ? `on ${sshHost}` : "here (a minor update of the same release is enough), or set psql's path in Settings to a newer one"
      }. Nothing was kept.`,
    ),
    { ...error.details, tool },
  );
}

/** What a failed restore of one database adds to the tool's words, by the dump's format: pg_restore's archive, or psql's plain SQL. */
export function withPgRestoreAdvice(error: unknown, format: 'custom' | 'plain', tool: string, sshHost?: string): unknown {
  return format === 'custom' ? withArchiveVersionAdvice(error, tool, sshHost) : withPsqlRestrictAdvice(withMissingRoleAdvice(error, format), tool, sshHost);
}
