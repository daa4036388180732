import { AppError } from '../../../shared/ipc/result';
import { assertClientNotOlder, type ResolvedTool, type ServerVersion, type ToolFamily, type ToolVersion } from './client-tools';
import { authFailed, unreachable, where, type Endpoint } from './connection-errors';
import { mysqlRefusal, pgRefusal, refusalError } from './server-refusals';
import { describeExit, type RemoteExit } from './ssh-remote-process';

/**
 * The exec driver only sees a remote tool's exit status and stderr, so connection problems are
 * recognised in the (English, see LC_MESSAGES in the script) messages of psql/pg_dump and of the
 * MariaDB/MySQL clients.
 */
const PATTERNS: Record<ToolFamily, { auth: RegExp; notFound: RegExp; unreachable: RegExp }> = {
  postgres: {
    auth: /password authentication failed|no password supplied|authentication failed for user|role ".*" does not exist|no pg_hba\.conf entry/i,
    notFound: /database ".*" does not exist/i,
    unreachable: /could not connect|connection refused|could not translate host name|timeout expired|timed out|no route to host|network is unreachable|server closed the connection unexpectedly|SSL (?:is not enabled|error)|server does not support SSL/i,
  },
  mysql: {
    auth: /ERROR (?:1045|1044|1698|1251|1524)\b|access denied for user/i,
    notFound: /ERROR 1049\b|unknown database/i,
    unreachable: /ERROR (?:2002|2003|2005|2013|2026)\b|can't connect|unknown (?:MySQL|MariaDB)? ?server host|lost connection/i,
  },
};

const INSTALL_HINTS: Record<ToolFamily, string> = {
  postgres: 'Install the PostgreSQL client on that host (Debian/Ubuntu: postgresql-client, Fedora/RHEL: postgresql)',
  mysql: 'Install the MariaDB or MySQL client on that host (Debian/Ubuntu: mariadb-client, Fedora/RHEL: mariadb)',
};

export interface RemoteContext {
  family: ToolFamily;
  endpoint: Endpoint;
  /** `user@host:port` of the SSH server. */
  ssh: string;
}

/** SOURCE_AUTH_FAILED, SOURCE_UNREACHABLE or NOT_FOUND when stderr says so, else null. */
export function remoteConnectionError(ctx: RemoteContext, exit: RemoteExit, database?: string): AppError | null {
  const patterns = PATTERNS[ctx.family];
  const cause = `${oneLine(exit.stderr)} (connecting from the SSH host ${ctx.ssh})`;
  const refusal = ctx.family === 'postgres' ? pgRefusal(undefined, exit.stderr) : mysqlRefusal(undefined, exit.stderr);
  if (refusal) return refusalError(ctx.family, refusal, ctx.endpoint, database, cause);
  if (patterns.auth.test(exit.stderr)) return authFailed(ctx.endpoint, cause);
  if (patterns.notFound.test(exit.stderr)) {
    return new AppError('NOT_FOUND', `Database ${database ?? ''} does not exist on ${where(ctx.endpoint)} (as seen from the SSH host ${ctx.ssh}).`, { database });
  }
  if (patterns.unreachable.test(exit.stderr)) return unreachable(ctx.endpoint, cause);
  if (exit.code === null && !exit.signal) return lostConnection(ctx.ssh, 'SOURCE_UNREACHABLE');
  return null;
}

/** A query that failed for a reason other than the connection: the server's own words. */
export function remoteQueryFailed(ctx: RemoteContext, tool: string, exit: RemoteExit, database?: string): AppError {
  const known = remoteConnectionError(ctx, exit, database);
  if (known) return known;
  return new AppError('INTERNAL', `${tool} on the SSH host ${ctx.ssh} ${describeExit(exit)}${exit.stderr ? `: ${exit.stderr}` : ' without an error message'}.`, {
    exitCode: exit.code,
    signal: exit.signal,
  });
}

/** DUMP_FAILED / RESTORE_FAILED with the remote stderr, like a local tool's failure. */
export function remoteToolFailed(code: 'DUMP_FAILED' | 'RESTORE_FAILED', tool: string, ssh: string, exit: RemoteExit, database?: string): AppError {
  if (exit.code === null && !exit.signal) return lostConnection(ssh, code);
  const what = `${tool} on the SSH host ${ssh} ${describeExit(exit)}`;
  const head = code === 'RESTORE_FAILED' ? `The restore into ${database} failed: ${what}` : what;
  return new AppError(code, exit.stderr ? `${head}: ${exit.stderr}` : `${head} without an error message.`, {
    tool,
    exitCode: exit.code,
    signal: exit.signal,
    stderr: exit.stderr,
  });
}

export function remoteToolMissing(family: ToolFamily, executables: string[], ssh: string): AppError {
  return new AppError(
    'CLIENT_TOOL_MISSING',
    `${executables.join(' or ')} was not found on the PATH of the SSH host ${ssh}, where this source runs its dumps. ${INSTALL_HINTS[family]}, or switch the source to an SSH tunnel.`,
    { tool: executables[0], ssh },
  );
}

/** CLIENT_TOO_OLD worded for a tool on the SSH host (its path there cannot be set in Settings). */
export function assertRemoteClientNotOlder(tool: ResolvedTool, version: ToolVersion, server: ServerVersion, ssh: string): void {
  try {
    assertClientNotOlder(tool, version, server);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'CLIENT_TOO_OLD') throw error;
    const details = error.details as { clientVersion: string; serverVersion: string };
    throw new AppError(
      'CLIENT_TOO_OLD',
      `${tool.executable} ${details.clientVersion} on the SSH host ${ssh} (${tool.path}) is older than the server it would dump (${details.serverVersion}). Install a client of version ${details.serverVersion} or newer on that host, or switch the source to an SSH tunnel.`,
      { ...error.details, ssh },
    );
  }
}

export function lostConnection(ssh: string, code: 'SOURCE_UNREACHABLE' | 'DUMP_FAILED' | 'RESTORE_FAILED'): AppError {
  return new AppError(code, `The SSH connection to ${ssh} was lost before the remote command finished. Check the network and the SSH server, then try again.`, { ssh });
}

function oneLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  if (!line) return 'no error message';
  return line.length > 500 ? `${line.slice(0, 500)}...` : line;
}
