import { TOOL_SPECS, type ClientToolName } from './client-tools';

/**
 * Shell scripts for the SSH exec driver. The command an SSH server runs is visible to every user
 * of that host (ps, /proc/PID/cmdline), so a script holds no secret: the password arrives as the
 * first line of the channel's stdin and is read by the shell's `read` builtin, which no process
 * listing shows.
 */

/** One argument for a POSIX shell: single quotes, with each embedded quote closed, escaped and reopened. */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell argument cannot contain a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * How the password reaches the tool: PGPASSWORD in its environment, or a MySQL defaults file
 * created with umask 077 under mktemp and removed by an EXIT trap whatever the outcome.
 */
export type RemoteSecret = 'pg-env' | 'mysql-defaults' | null;

/**
 * - dump: stdout is the dump; the tool runs under a supervising shell that kills it when the
 *   channel's stdin closes (client gone, cancel, connection lost) or the shell gets a signal.
 * - restore: everything after the password line on stdin is the tool's input.
 * - query: a short command whose stdout is the answer.
 */
export type RemoteMode = 'dump' | 'restore' | 'query';

export interface RemoteInvocation {
  mode: RemoteMode;
  /** The tool's absolute path on the SSH host. */
  tool: string;
  args: string[];
  secret: RemoteSecret;
  /** Variables exported for the tool; never secrets. */
  env?: Record<string, string>;
  /** Variables the SSH host's environment may hold that would silently change the connection. */
  unset?: readonly string[];
}

/** Where MySQL defaults files go on the SSH host; a fixed prefix lets an administrator recognise them. */
export const REMOTE_DEFAULTS_PREFIX = 'vaultdesk-my.';

const SIGNAL_EXIT = `trap 'exit 143' HUP INT TERM PIPE`;

/** The command line sent over SSH: the script, run by /bin/sh whatever the user's login shell is. */
export function remoteCommand(invocation: RemoteInvocation): string {
  return `exec /bin/sh -c ${shQuote(joinStatements(remoteScript(invocation)))}`;
}

export function remoteScript(inv: RemoteInvocation): string[] {
  const out: string[] = [];
  // English messages: the driver reads the tool's stderr to tell a wrong password from a dead server.
  out.push(`unset LC_ALL${(inv.unset ?? []).map((name) => ` ${name}`).join('')}`);
  out.push(`export LC_MESSAGES=C${Object.entries(inv.env ?? {}).map(([k, v]) => ` ${assertName(k)}=${shQuote(v)}`).join('')}`);
  out.push(SIGNAL_EXIT);
  const supervised = inv.mode === 'dump' || inv.secret === 'mysql-defaults';
  if (supervised && inv.mode !== 'query') out.push('exec 3<&0');
  const raw: string[] = [];
  if (inv.secret === 'pg-env') out.push('IFS= read -r PGPASSWORD || exit 125', 'export PGPASSWORD');
  if (inv.secret === 'mysql-defaults') {
    out.push(
      'umask 077',
      `f=$(mktemp "\${TMPDIR:-/tmp}/${REMOTE_DEFAULTS_PREFIX}XXXXXXXXXX") || exit 125`,
      `trap 'rm -f "$f"' EXIT`,
      'IFS= read -r pw || exit 125',
      // printf is a builtin: the password is never an argument of any process.
      `printf '[client]\\npassword="%s"\\n' "$pw" >"$f" || exit 125`,
      'unset pw',
    );
    // The tools read a defaults file only when it is their first argument; this one alone (NO_OPTION_FILES).
    raw.push('--defaults-file="$f"');
  }
  const command = [shQuote(inv.tool), ...raw, ...inv.args.map(shQuote)].join(' ');
  if (!supervised) {
    // exec: signals from the SSH client reach the tool itself, so a cancelled psql dies before it can
    // read the end of its input as the end of the script and commit a partial restore.
    out.push(`exec ${command}${inv.mode === 'query' ? ' </dev/null' : ''}`);
    return out;
  }
  out.push(`${command} ${inv.mode === 'restore' ? '<&3' : '</dev/null'} 3<&- &`, 'pid=$!');
  out.push(`trap 'kill -TERM "$pid" 2>/dev/null' HUP INT TERM`);
  if (inv.mode === 'dump') {
    // The client never ends stdin while it wants the dump: end of file means it is gone.
    out.push(`{ while IFS= read -r line; do :; done; kill -TERM "$pid" 2>/dev/null; } <&3 >/dev/null 2>&1 &`, 'w=$!');
  }
  if (inv.mode !== 'query') out.push('exec 3<&-');
  // The shell's own notices ("Terminated") would go to a channel that may be closed already, and the
  // SIGPIPE would end it before its EXIT trap removes the defaults file.
  out.push('exec 2>/dev/null');
  // A trapped signal interrupts `wait`; wait again until the tool is really gone, for its status.
  out.push('rc=0', 'wait "$pid" || rc=$?', 'while kill -0 "$pid" 2>/dev/null; do rc=0; wait "$pid" || rc=$?; done');
  if (inv.mode === 'dump') out.push('kill "$w" 2>/dev/null');
  out.push('exit "$rc"');
  return out;
}

/**
 * Finds each tool on the SSH host's PATH and prints `name TAB path TAB first line of --version`
 * (empty path: not found). One round trip for all of them.
 */
export function probeToolsCommand(names: ClientToolName[]): string {
  const out = ['unset LC_ALL', 'export LC_MESSAGES=C'];
  for (const name of names) {
    const candidates = TOOL_SPECS[name].executables.map(shQuote).join(' ');
    out.push(
      `p=''`,
      `for e in ${candidates}; do p=$(command -v "$e" 2>/dev/null) && [ -n "$p" ] && break; p=''; done`,
      `v=''`,
      `if [ -n "$p" ]; then v=$("$p" --version 2>/dev/null </dev/null | head -n 1); fi`,
      `printf '%s\\t%s\\t%s\\n' ${shQuote(name)} "$p" "$v"`,
    );
  }
  out.push('exit 0');
  return `exec /bin/sh -c ${shQuote(joinStatements(out))}`;
}

/** One line, so a csh or fish login shell passes the script to /bin/sh unharmed. */
function joinStatements(statements: string[]): string {
  return statements.map((s, i) => (i === statements.length - 1 ? s : s.endsWith('&') ? `${s} ` : `${s}; `)).join('');
}

function assertName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${name}`);
  return name;
}
