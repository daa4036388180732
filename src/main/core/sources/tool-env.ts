import { randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';

/*
 * Connection variables a shell may have set (PGHOST, MYSQL_PWD...) would silently change where a
 * tool connects or with which password, and PGCLIENTENCODING the encoding pg_dump writes (a LATIN1
 * one fails on the first character LATIN1 lacks): the source's own settings must be the only ones.
 * The same lists are left out of the tools' environment here and unset on an SSH host. Certificate
 * files (PGSSLROOTCERT, PGSSLCERT, PGSSLKEY) stay: a source has no setting for them, and a server
 * asking for a client certificate or a private CA is reached through them or ~/.postgresql.
 */
export const PG_CONNECTION_VARS = [
  'PGHOST',
  'PGHOSTADDR',
  'PGPORT',
  'PGUSER',
  'PGDATABASE',
  'PGPASSWORD',
  'PGSSLMODE',
  'PGREQUIRESSL',
  'PGSERVICE',
  'PGOPTIONS',
  'PGCONNECT_TIMEOUT',
  'PGCLIENTENCODING',
  // Each refuses a connection the connection test (node-postgres, which reads none of them) made:
  // a standby or read-write session wanted, GSS encryption, an authentication method, channel binding.
  'PGTARGETSESSIONATTRS',
  'PGLOADBALANCEHOSTS',
  'PGGSSENCMODE',
  'PGREQUIREAUTH',
  'PGCHANNELBINDING',
  'PGSSLNEGOTIATION',
] as const;
export const MYSQL_CONNECTION_VARS = ['MYSQL_PWD', 'MYSQL_HOST', 'MYSQL_TCP_PORT', 'MYSQL_UNIX_PORT'] as const;
/** Upper case: Windows' variable names are case-insensitive. */
const INHERITED_CONNECTION_VARS: ReadonlySet<string> = new Set([...PG_CONNECTION_VARS, ...MYSQL_CONNECTION_VARS]);

/** The child's environment: the host's (PATH, locale, HOME...) minus connection variables, plus `extra`. */
export function toolEnv(hostEnv: Record<string, string | undefined> | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(hostEnv ?? {})) {
    if (value !== undefined && !INHERITED_CONNECTION_VARS.has(key.toUpperCase())) env[key] = value;
  }
  return { ...env, ...extra };
}

export interface OptionFile {
  /** The argument that must come first on the tool's command line. */
  arg: string;
  remove(): Promise<void>;
}

/**
 * The first argument of every MySQL/MariaDB client tool Vaultdesk starts: the option files of the
 * machine and of its user are not read. A `[client] password` in ~/.my.cnf would otherwise win over
 * the source's own (a later file wins), and a `[mysqldump]` group could change what is dumped
 * (`ignore-table`, `no-data`): the tools connect with the source's settings alone, as the driver
 * behind its connection test does.
 */
export const NO_OPTION_FILES = '--no-defaults';

/**
 * The option file a MySQL/MariaDB tool reads, the only one (see NO_OPTION_FILES): with a password,
 * a file holding it, readable by the owner only, so the password is neither in argv (visible to
 * every user via ps) nor in the environment; without, none at all.
 */
export async function mysqlOptionFile(tempDir: string, password: string | undefined): Promise<OptionFile> {
  if (!password) return { arg: NO_OPTION_FILES, remove: async () => undefined };
  const file = path.join(tempDir, `vaultdesk-my-${randomUUID()}.cnf`);
  // 'wx' with mode 0600: created fresh, never through a pre-planted file or link, never wider than owner-only.
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`[client]\npassword="${escapeOptionValue(password)}"\n`, 'utf8');
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
  return { arg: `--defaults-file=${file}`, remove: () => rm(file, { force: true }) };
}

/**
 * Option files strip one pair of surrounding quotes and read backslash escapes (\\ \n \t \r \b
 * \s \"). Quotes are escaped too: the reader toggles "inside quotes" at every unescaped quote,
 * so in `"a"b#c"` the `#` would start a comment and cut the password there (MariaDB 10.11).
 */
export function escapeOptionValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replaceAll('\b', '\\b').replace(/"/g, '\\"');
}
