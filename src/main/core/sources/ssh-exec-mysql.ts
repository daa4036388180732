import type { Readable } from 'node:stream';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { ServerVersion } from './client-tools';
import { where } from './connection-errors';
import { createDenied, type DatabaseAdmin } from './database-admin';
import { mysqlEndpoint, mysqlNameLiteral, quoteMysqlIdentifier, type MysqlTarget } from './mysql-connection';
import { withPacketAdvice } from './mysql-packet-advice';
import { dumpForClient } from './mysql-sandbox-line';
import { mysqlConnectionArgs, mysqlDumpArgs, mysqlRestoreArgs, MYSQL_SYSTEM_DATABASES } from './mysql-source';
import type { DumpFormat, DumpProcess, RestoreOptions, SourceContext, SourceDriver, TestResult } from './source-driver';
import { serverTarget, throwIfAborted } from './source-target';
import { mysqlObjectCounts, mysqlObjectCountColumns } from './mysql-admin';
import { createMysqlExecAdmin } from './ssh-exec-mysql-admin';
import { historyPlan, mysqlVersionedTablesSql, NO_HISTORY, type VersionedTable } from './mysql-history';
import { charsetClause, charsetRefusalIn, charsetNotKeptNote, mysqlCharsetSql, parseDatabaseCharset } from './mysql-charset';
import type { DatabaseCharset, MysqlObjectCounts } from '../pipeline/manifest';
import type { SshLink } from './ssh-link';
import { assertRemoteClientNotOlder, remoteQueryFailed, remoteToolFailed, type RemoteContext } from './ssh-remote-errors';
import { remoteCapture, remoteDump, remoteRestore, type RemoteExit } from './ssh-remote-process';
import { remoteCommand, type RemoteMode } from './ssh-remote-script';
import { escapeOptionValue, MYSQL_CONNECTION_VARS, NO_OPTION_FILES } from './tool-env';
import { RemoteTools, type RemoteTool } from './ssh-remote-tools';
import { withoutEchoedStatement } from './mysql-client-errors';

/**
 * MySQL/MariaDB source whose tools (mariadb-dump or mysqldump, mariadb or mysql) run on the SSH
 * host. The password reaches them in a defaults file the remote shell writes from stdin.
 */
export function createMysqlExecSource(dto: SourceDto, secrets: Record<string, string>, ctx: SourceContext, link: SshLink): SourceDriver {
  const target: MysqlTarget = { ...serverTarget(dto, 3306), password: secrets.password || undefined, tlsMode: dto.tlsMode };
  return new MysqlExecSource(target, dto.database, ctx, link);
}

class MysqlExecSource implements SourceDriver {
  readonly #remote: RemoteContext;
  readonly #tools: RemoteTools;
  #server: (ServerVersion & { display: string }) | null = null;

  constructor(
    private readonly target: MysqlTarget,
    private readonly database: string | null,
    private readonly ctx: SourceContext,
    private readonly link: SshLink,
  ) {
    this.#remote = { family: 'mysql', endpoint: mysqlEndpoint(target), ssh: link.label };
    this.#tools = new RemoteTools(link, 'mysql', ctx.log);
  }

  async test(): Promise<TestResult> {
    let server: ServerVersion & { display: string };
    try {
      server = await this.#serverVersion();
    } catch (error) {
      if (error instanceof AppError && error.code === 'CLIENT_TOOL_MISSING') return { success: false, serverVersion: '', message: `Connected to the SSH host ${this.link.label}, but ${error.message}` };
      throw error;
    }
    // The server takes a login with no privilege on the database at all: only using it tells.
    if (this.database) await this.#query(this.database, 'SELECT 1');
    const connected = `Connected through the SSH host ${this.link.label} to ${where(this.#remote.endpoint)}, ${server.display}`;
    try {
      const dump = await this.#checkedDumpTool();
      return { success: true, serverVersion: server.display, message: `${connected}. Dumps will run on the SSH host with ${dump.version.text} (${dump.path}).` };
    } catch (error) {
      if (error instanceof AppError && (error.code === 'CLIENT_TOOL_MISSING' || error.code === 'CLIENT_TOO_OLD')) {
        return { success: false, serverVersion: server.display, message: `${connected}, but backups cannot run: ${error.message}` };
      }
      throw error;
    }
  }

  async listDatabases(): Promise<string[]> {
    // Hex: the client's batch output escapes tabs, newlines and backslashes in names.
    const lines = await this.#query(undefined, 'SELECT HEX(SCHEMA_NAME) FROM information_schema.SCHEMATA');
    return lines
      .map((hex) => Buffer.from(hex, 'hex').toString('utf8'))
      .filter((name) => !MYSQL_SYSTEM_DATABASES.has(name.toLowerCase()))
      .sort();
  }

  async dump(database: string | null, options: { format: DumpFormat; signal?: AbortSignal }): Promise<DumpProcess> {
    const name = database ?? this.database;
    if (!name) throw new AppError('VALIDATION_FAILED', `Choose a database to dump on ${where(this.#remote.endpoint)}: the source has none set.`);
    throwIfAborted(options.signal, `The dump of ${name}`);
    const tool = await this.#checkedDumpTool();
    const server = await this.#serverVersion();
    const history = server.flavor === 'mariadb' ? historyPlan(await this.#versionedTables(name), tool, server) : NO_HISTORY;
    if (history.note) this.ctx.onNote?.(history.note);
    throwIfAborted(options.signal, `The dump of ${name}`);
    this.ctx.log?.info('dump started', { ssh: this.link.label, tool: tool.path, database: name });
    return remoteDump({
      client: await this.link.connect(options.signal),
      command: this.#command('dump', tool, mysqlDumpArgs(this.target, tool.version, server, name, history)),
      secretLine: this.#secretLine(),
      what: `${tool.executable} on ${this.link.label}`,
      signal: options.signal,
      log: this.ctx.log,
      fail: (exit) => remoteToolFailed('DUMP_FAILED', tool.executable, this.link.label, exit),
    });
  }

  async restore(input: Readable, options: RestoreOptions): Promise<void> {
    const { database, signal } = options;
    throwIfAborted(signal, `The restore into ${database}`);
    const [tool] = await this.#tools.get(['mysql'], signal);
    if (options.createDatabase) await this.#createDatabase(database, options.charset ?? null);
    try {
      // Connecting first turns a wrong name or password into SOURCE_* errors before any byte is consumed.
      await this.#query(database, 'SELECT 1');
      this.ctx.log?.info('restore started', { ssh: this.link.label, tool: tool!.path, database });
      await remoteRestore({
        client: await this.link.connect(signal),
        command: this.#command('restore', tool!, mysqlRestoreArgs(this.target, tool!.version, database)),
        secretLine: this.#secretLine(),
        what: `${tool!.executable} on ${this.link.label}`,
        signal,
        log: this.ctx.log,
        input: dumpForClient(input, tool!.version),
        database,
        fail: (exit) => remoteToolFailed('RESTORE_FAILED', tool!.executable, this.link.label, { ...exit, stderr: withoutEchoedStatement(exit.stderr) }, database),
      });
    } catch (error) {
      if (options.createDatabase) await this.#dropCreatedDatabase(database);
      throw await withPacketAdvice(error, async () => Number((await this.#query(undefined, 'SELECT @@GLOBAL.max_allowed_packet'))[0]));
    }
  }

  async databaseCharset(database: string): Promise<DatabaseCharset | null> {
    const [line] = await this.#query(undefined, mysqlCharsetSql(mysqlNameLiteral(database)));
    return parseDatabaseCharset(line);
  }

  async #versionedTables(database: string): Promise<VersionedTable[]> {
    const lines = await this.#query(undefined, mysqlVersionedTablesSql(mysqlNameLiteral(database)));
    return lines.map((line) => {
      const [name = '', precise = '0'] = line.split('\t');
      return { name, precise: precise === '1' };
    });
  }

  async databaseObjects(database: string): Promise<MysqlObjectCounts | null> {
    const [line] = await this.#query(undefined, `SELECT ${mysqlObjectCountColumns(mysqlNameLiteral(database))}`);
    return line === undefined ? null : mysqlObjectCounts(line.split('\t').map(Number));
  }

  /** Looks at, counts, drops and swaps databases with the client on the SSH host. */
  admin(): DatabaseAdmin {
    return createMysqlExecAdmin({ remote: this.#remote, run: (sql) => this.#script(sql) });
  }

  extension(_format: DumpFormat): string {
    return 'sql';
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  #command(mode: RemoteMode, tool: RemoteTool, args: string[]): string {
    // With a password, the remote script puts its own option file first; without, no option file is read either (NO_OPTION_FILES).
    const password = Boolean(this.target.password);
    return remoteCommand({ mode, tool: tool.path, args: password ? args : [NO_OPTION_FILES, ...args], secret: password ? 'mysql-defaults' : null, unset: MYSQL_CONNECTION_VARS });
  }

  /** The option-file form of the password: escaped, so one line whatever it holds. */
  #secretLine(): string | null {
    return this.target.password ? escapeOptionValue(this.target.password) : null;
  }

  async #query(database: string | undefined, sql: string): Promise<string[]> {
    const exit = await this.#client(database, sql);
    if (exit.code !== 0) throw remoteQueryFailed(this.#remote, 'the mysql client', exit, database);
    return exit.stdout.toString('utf8').split('\n').filter((line) => line.length > 0);
  }

  async #client(database: string | undefined, sql: string): Promise<RemoteExit & { stdout: Buffer }> {
    const [client] = await this.#tools.get(['mysql']);
    const args = [...this.#batchArgs(client!), `--execute=${sql}`, ...(database === undefined ? [] : ['--', database])];
    return remoteCapture({
      client: await this.link.connect(),
      command: this.#command('query', client!, args),
      secretLine: this.#secretLine(),
      what: `${client!.executable} on ${this.link.label}`,
    });
  }

  /** Statements fed to the client's stdin ('restore' mode: the rest of stdin is its input), for those too long for a command line. */
  async #script(sql: string): Promise<RemoteExit & { stdout: Buffer }> {
    const [client] = await this.#tools.get(['mysql']);
    return remoteCapture({
      client: await this.link.connect(),
      command: this.#command('restore', client!, this.#batchArgs(client!)),
      secretLine: this.#secretLine(),
      input: sql,
      what: `${client!.executable} on ${this.link.label}`,
    });
  }

  #batchArgs(client: RemoteTool): string[] {
    // --comments: a routine's or trigger's definition made again through the client keeps the comments in its body.
    return [...mysqlConnectionArgs(this.target, client.version), '--connect-timeout=15', '--default-character-set=utf8mb4', '--batch', '--skip-column-names', '--comments'];
  }

  async #serverVersion(): Promise<ServerVersion & { display: string }> {
    if (this.#server) return this.#server;
    const [text = ''] = await this.#query(undefined, 'SELECT VERSION()');
    const flavor = /mariadb/i.test(text) ? 'mariadb' : 'mysql';
    const parts = (/^(\d+)\.(\d+)\.(\d+)/.exec(text)?.slice(1) ?? []).map(Number);
    this.#server = { flavor, parts, text, display: `${flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${text.split('-')[0]}` };
    return this.#server;
  }

  async #checkedDumpTool(): Promise<RemoteTool> {
    const server = await this.#serverVersion();
    const [tool] = await this.#tools.get(['mysqldump']);
    assertRemoteClientNotOlder(tool!, tool!.version, server, this.link.label);
    return tool!;
  }

  async #createDatabase(database: string, charset: DatabaseCharset | null): Promise<void> {
    this.ctx.onCreatingDatabase?.(database);
    const create = `CREATE DATABASE ${quoteMysqlIdentifier(database)}`;
    const clause = charsetClause(charset);
    let exit = await this.#client(undefined, create + clause);
    const refused = clause && exit.code !== 0 ? charsetRefusalIn(exit.stderr) : null;
    if (refused !== null) {
      exit = await this.#client(undefined, create);
      if (exit.code === 0) this.ctx.onNote?.(charsetNotKeptNote(charset!, refused));
    }
    if (exit.code === 0) return;
    if (/ERROR 1007\b/.test(exit.stderr)) {
      throw new AppError('RESTORE_FAILED', `Database ${database} already exists on ${where(this.#remote.endpoint)}. Choose a new name, or restore into it without creating it.`, { database });
    }
    if (/ERROR 1044\b/.test(exit.stderr)) {
      throw createDenied(this.target.user, database, exit.stderr, 'the CREATE privilege on the server');
    }
    throw remoteQueryFailed(this.#remote, 'the mysql client', exit);
  }

  /** Best effort: a restore that failed into a database it created should not leave that database behind. */
  async #dropCreatedDatabase(database: string): Promise<void> {
    const exit = await this.#client(undefined, `DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(database)}`).catch(() => null);
    if (exit?.code !== 0) {
      const reason = exit?.stderr.trim() || 'no answer from the SSH host';
      this.ctx.log?.warn('could not drop the database created for a failed restore', { database, error: reason });
      this.ctx.onCreatedNotDropped?.(database, reason);
    }
  }
}
