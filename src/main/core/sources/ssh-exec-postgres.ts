import type { Readable } from 'node:stream';
import { withPgRestoreAdvice, withPsqlRestrictAdvice } from './postgres-restore-errors';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { ServerVersion, ClientToolName } from './client-tools';
import { where } from './connection-errors';
import { pgConninfo, pgEndpoint, type PgTarget } from './postgres-connection';
import { createDenied, type DatabaseAdmin } from './database-admin';
import { pgDropDatabaseSql } from './postgres-admin';
import { askedLocale, localeNote, parseDatabaseLocale, pgDatabaseLocaleSql } from './postgres-locale';
import type { DatabaseLocale, PgDatabasePropertiesKept } from '../pipeline/manifest';
import { keptPgDatabaseProperties, pgDatabasePropertiesSql } from './postgres-database-properties';
import { createDatabaseSql, GLOBALS_TARGET, pgTablespaceDenied, MAINTENANCE_DB, PG_DUMPABLE_DATABASES, pgDumpArgs, pgDumpGlobalsArgs, pgGlobalsRestoreArgs, pgRestoreArgs, pgToolVars, TEMPLATE1_SETTINGS_SQL } from './postgres-source';
import type { DumpFormat, DumpProcess, RestoreOptions, SourceContext, SourceDriver, TestResult } from './source-driver';
import { serverTarget, throwIfAborted } from './source-target';
import { pgLiteral, pgQuoteIdent as quoteIdent } from './postgres-quoting';
import { createPostgresExecAdmin } from './ssh-exec-postgres-admin';
import type { SshLink } from './ssh-link';
import { assertRemoteClientNotOlder, remoteQueryFailed, remoteToolFailed, type RemoteContext } from './ssh-remote-errors';
import { remoteCapture, remoteDump, remoteRestore, type RemoteExit } from './ssh-remote-process';
import { remoteCommand, type RemoteMode } from './ssh-remote-script';
import { RemoteTools, type RemoteTool } from './ssh-remote-tools';
import { PG_DUMP_LOCK_WAIT_MS, pgDumpLockWaitWords } from './pg-dump-lock-wait';
import { PG_CONNECTION_VARS } from './tool-env';

/** PostgreSQL source whose tools (pg_dump, pg_dumpall, psql, pg_restore) run on the SSH host. */
export function createPostgresExecSource(dto: SourceDto, secrets: Record<string, string>, ctx: SourceContext, link: SshLink): SourceDriver {
  const target: PgTarget = { ...serverTarget(dto, 5432), password: secrets.password || undefined, tlsMode: dto.tlsMode };
  return new PostgresExecSource(target, dto.database, ctx, link);
}

class PostgresExecSource implements SourceDriver {
  readonly #remote: RemoteContext;
  readonly #tools: RemoteTools;
  #server: (ServerVersion & { display: string }) | null = null;

  constructor(
    private readonly target: PgTarget,
    private readonly database: string | null,
    private readonly ctx: SourceContext,
    private readonly link: SshLink,
  ) {
    this.#remote = { family: 'postgres', endpoint: pgEndpoint(target), ssh: link.label };
    this.#tools = new RemoteTools(link, 'postgres', ctx.log);
  }

  async test(): Promise<TestResult> {
    let server: ServerVersion & { display: string };
    try {
      server = await this.#serverVersion();
    } catch (error) {
      if (error instanceof AppError && error.code === 'CLIENT_TOOL_MISSING') return { success: false, serverVersion: '', message: `Connected to the SSH host ${this.link.label}, but ${error.message}` };
      throw error;
    }
    const connected = `Connected through the SSH host ${this.link.label} to ${where(this.#remote.endpoint)}, ${server.display}`;
    try {
      const dump = await this.#checkedTool('pg_dump');
      return { success: true, serverVersion: server.display, message: `${connected}. Dumps will run on the SSH host with ${dump.version.text} (${dump.path}).` };
    } catch (error) {
      if (error instanceof AppError && (error.code === 'CLIENT_TOOL_MISSING' || error.code === 'CLIENT_TOO_OLD')) {
        return { success: false, serverVersion: server.display, message: `${connected}, but backups cannot run: ${error.message}` };
      }
      throw error;
    }
  }

  async listDatabases(): Promise<string[]> {
    // Hex: a name may hold any character, line breaks included.
    const lines = await this.#query(this.#defaultDatabase(), `SELECT encode(convert_to(datname, 'UTF8'), 'hex') FROM pg_database WHERE ${PG_DUMPABLE_DATABASES} ORDER BY datname`);
    return lines.map((hex) => Buffer.from(hex, 'hex').toString('utf8'));
  }

  async dump(database: string | null, options: { format: DumpFormat; signal?: AbortSignal }): Promise<DumpProcess> {
    const name = database ?? this.database;
    if (!name) throw new AppError('VALIDATION_FAILED', `Choose a database to dump on ${where(this.#remote.endpoint)}: the source has none set.`);
    throwIfAborted(options.signal, `The dump of ${name}`);
    const tool = await this.#checkedTool('pg_dump');
    throwIfAborted(options.signal, `The dump of ${name}`);
    this.ctx.log?.info('dump started', { ssh: this.link.label, tool: tool.path, database: name, format: options.format });
    const lockWaitMs = this.ctx.dumpLockWaitMs ?? PG_DUMP_LOCK_WAIT_MS;
    return this.#dumpWith(tool, pgDumpArgs(this.target, name, options.format, lockWaitMs), options.signal, (stderr) => pgDumpLockWaitWords(stderr, lockWaitMs));
  }

  async dumpGlobals(): Promise<DumpProcess> {
    const tool = await this.#checkedTool('pg_dumpall');
    this.ctx.log?.info('globals dump started', { ssh: this.link.label, tool: tool.path });
    return this.#dumpWith(tool, pgDumpGlobalsArgs(this.target));
  }

  async databaseLocale(database: string): Promise<DatabaseLocale | null> {
    const major = (await this.#serverVersion()).parts[0] ?? 0;
    const [line] = await this.#query(this.#defaultDatabase(), pgDatabaseLocaleSql(major, pgLiteral(database)));
    return parseDatabaseLocale(line);
  }

  async databaseProperties(database: string): Promise<PgDatabasePropertiesKept | null> {
    const [line] = await this.#query(this.#defaultDatabase(), pgDatabasePropertiesSql(pgLiteral(database)));
    return keptPgDatabaseProperties(line);
  }

  async restore(input: Readable, options: RestoreOptions): Promise<void> {
    const { database, signal } = options;
    throwIfAborted(signal, `The restore into ${database}`);
    const [tool] = await this.#tools.get([options.format === 'custom' ? 'pg_restore' : 'psql']);
    if (options.createDatabase) await this.#createDatabase(database, options.locale ?? null, options.tablespace ?? null);
    try {
      // Connecting first turns a wrong name or password into SOURCE_* errors before any byte is consumed.
      await this.#query(database, 'SELECT 1');
      this.ctx.log?.info('restore started', { ssh: this.link.label, tool: tool!.path, database, format: options.format });
      await remoteRestore({
        client: await this.link.connect(signal),
        command: this.#command('restore', tool!, pgRestoreArgs(this.target, database, options.format, options.keepOwners)),
        secretLine: this.#secretLine(),
        what: `${tool!.executable} on ${this.link.label}`,
        signal,
        log: this.ctx.log,
        input,
        database,
        fail: (exit) => remoteToolFailed('RESTORE_FAILED', tool!.executable, this.link.label, exit, database),
      });
    } catch (error) {
      if (options.createDatabase) await this.#dropCreatedDatabase(database);
      throw withPgRestoreAdvice(error, options.format === 'custom' ? 'custom' : 'plain', tool!.path, this.link.label);
    }
  }

  /** Looks at, counts, drops and swaps databases with psql on the SSH host. */
  admin(): DatabaseAdmin {
    return createPostgresExecAdmin({
      remote: this.#remote,
      query: (database, sql) => this.#query(database, sql),
      attempt: (database, sql) => this.#psql(database, sql, ['--set=VERBOSITY=verbose']),
      serverMajor: async () => (await this.#serverVersion()).parts[0] ?? 0,
    });
  }

  /** Replays a globals dump with psql on the SSH host, going on past roles that already exist. */
  async restoreGlobals(input: Readable, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal, 'The restore of the roles');
    const [psql] = await this.#tools.get(['psql'], signal);
    this.ctx.log?.info('roles restore started', { ssh: this.link.label, tool: psql!.path });
    await remoteRestore({
      client: await this.link.connect(signal),
      command: this.#command('restore', psql!, pgGlobalsRestoreArgs(this.target)),
      secretLine: this.#secretLine(),
      what: `psql on ${this.link.label}`,
      signal,
      log: this.ctx.log,
      input,
      database: GLOBALS_TARGET,
      fail: (exit) => remoteToolFailed('RESTORE_FAILED', psql!.executable, this.link.label, exit, GLOBALS_TARGET),
    }).catch((error: unknown) => {
      throw withPsqlRestrictAdvice(error, psql!.path, this.link.label);
    });
  }

  extension(format: DumpFormat): string {
    return format === 'custom' ? 'dump' : 'sql';
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  async #dumpWith(tool: RemoteTool, args: string[], signal?: AbortSignal, stderrWords: (stderr: string) => string = (stderr) => stderr): Promise<DumpProcess> {
    return remoteDump({
      client: await this.link.connect(signal),
      command: this.#command('dump', tool, args),
      secretLine: this.#secretLine(),
      what: `${tool.executable} on ${this.link.label}`,
      signal,
      log: this.ctx.log,
      fail: (exit) => remoteToolFailed('DUMP_FAILED', tool.executable, this.link.label, { ...exit, stderr: stderrWords(exit.stderr) }),
    });
  }

  #command(mode: RemoteMode, tool: RemoteTool, args: string[], env: Record<string, string> = {}): string {
    return remoteCommand({ mode, tool: tool.path, args, secret: this.target.password ? 'pg-env' : null, env: { ...pgToolVars(this.target), ...env }, unset: PG_CONNECTION_VARS });
  }

  /** PGPASSWORD is read with `read -r`, one line: a password with a line break cannot be passed. */
  #secretLine(): string | null {
    const password = this.target.password;
    if (!password) return null;
    if (/[\r\n\0]/.test(password)) {
      throw new AppError('VALIDATION_FAILED', `The password of ${where(this.#remote.endpoint)} contains a line break, which cannot be passed to pg_dump on the SSH host. Change the password or use an SSH tunnel.`);
    }
    return password;
  }

  #defaultDatabase(): string {
    return this.database ?? MAINTENANCE_DB;
  }

  /** psql on the SSH host; each output line is one row. */
  async #query(database: string, sql: string): Promise<string[]> {
    const exit = await this.#psql(database, sql);
    if (exit.code !== 0) throw remoteQueryFailed(this.#remote, 'psql', exit, database);
    return exit.stdout.toString('utf8').split('\n').filter((line) => line.length > 0);
  }

  async #psql(database: string, sql: string, extra: string[] = []): Promise<RemoteExit & { stdout: Buffer }> {
    const [psql] = await this.#tools.get(['psql']);
    const args = ['--no-password', '--no-psqlrc', '--no-align', '--tuples-only', '--quiet', '--set=ON_ERROR_STOP=1', ...extra, `--command=${sql}`, `--dbname=${pgConninfo(this.target, database)}`];
    // UTF8 as the direct driver: names in statements reach the server as they were typed, whatever its encoding.
    const command = this.#command('query', psql!, args, { PGCLIENTENCODING: 'UTF8' });
    return remoteCapture({ client: await this.link.connect(), command, secretLine: this.#secretLine(), what: `psql on ${this.link.label}` });
  }

  async #serverVersion(): Promise<ServerVersion & { display: string }> {
    if (this.#server) return this.#server;
    const [line = ''] = await this.#query(this.#defaultDatabase(), "SELECT current_setting('server_version_num') || ' ' || current_setting('server_version')");
    const [numText = '0', ...rest] = line.split(' ');
    const num = Number(numText);
    const major = Math.floor(num / 10000);
    // 90624 is 9.6.24; 150020 is 15.20.
    const parts = major >= 10 ? [major, num % 10000] : [major, Math.floor(num / 100) % 100, num % 100];
    const text = rest.join(' ') || parts.join('.');
    this.#server = { flavor: 'postgres', parts, text, display: `PostgreSQL ${text.split(' ')[0]}` };
    return this.#server;
  }

  async #checkedTool(name: ClientToolName): Promise<RemoteTool> {
    const server = await this.#serverVersion();
    const [tool] = await this.#tools.get([name]);
    assertRemoteClientNotOlder(tool!, tool!.version, server, this.link.label);
    return tool!;
  }

  async #createDatabase(database: string, locale: DatabaseLocale | null, tablespace: string | null): Promise<void> {
    this.ctx.onCreatingDatabase?.(database);
    const [template1 = null] = await this.#query(this.#defaultDatabase(), TEMPLATE1_SETTINGS_SQL);
    const asked = askedLocale(locale);
    let exit = asked ? await this.#psql(this.#defaultDatabase(), createDatabaseSql(quoteIdent(database), template1, asked, tablespace)) : null;
    // The server refused the backup's locale (see localeRefusal in postgres-source.ts): the server's default, and a note saying so.
    const refused = exit && exit.code !== 0 && !/already exists|permission denied/.test(exit.stderr) ? (/^ERROR:\s*(.*)$/m.exec(exit.stderr)?.[1] ?? null) : null;
    if (!exit || refused !== null) exit = await this.#psql(this.#defaultDatabase(), createDatabaseSql(quoteIdent(database), template1, null, tablespace));
    const note = exit.code === 0 ? localeNote(locale, refused, template1) : null;
    if (note) this.ctx.onNote?.(note);
    if (exit.code === 0) return;
    if (/already exists/.test(exit.stderr)) {
      throw new AppError('RESTORE_FAILED', `Database ${database} already exists on ${where(this.#remote.endpoint)}. Choose a new name, or restore into it without creating it.`, { database });
    }
    if (tablespace !== null && /permission denied for tablespace/.test(exit.stderr)) throw pgTablespaceDenied(this.target.user, database, tablespace, exit.stderr);
    if (/permission denied/.test(exit.stderr)) {
      throw createDenied(this.target.user, database, exit.stderr, 'CREATEDB', { intoEmpty: true });
    }
    throw remoteQueryFailed(this.#remote, 'psql', exit);
  }

  /** Best effort: a restore that failed into a database it created should not leave that database behind. */
  async #dropCreatedDatabase(database: string): Promise<void> {
    const server = await this.#serverVersion().catch(() => null);
    const exit = await this.#psql(this.#defaultDatabase(), pgDropDatabaseSql(quoteIdent(database), server?.parts[0] ?? 0)).catch(() => null);
    if (exit?.code !== 0) {
      const reason = exit?.stderr.trim() || 'no answer from the SSH host';
      this.ctx.log?.warn('could not drop the database created for a failed restore', { database, error: reason });
      this.ctx.onCreatedNotDropped?.(database, reason);
    }
  }
}
