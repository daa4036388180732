import type { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { assertClientNotOlder, versionedTool, type ResolvedTool, type ServerVersion, type ClientToolName, type ToolVersion } from './client-tools';
import { messageOf, where } from './connection-errors';
import { connectMysql, mapMysqlError, mysqlEndpoint, mysqlServerVersion, mysqlToolTlsArgs, quoteMysqlIdentifier, type MysqlTarget } from './mysql-connection';
import { createMysqlAdmin, mysqlObjectCounts, countObjects } from './mysql-admin';
import { createDenied, type DatabaseAdmin } from './database-admin';
import type { DumpFormat, DumpProcess, RestoreOptions, SourceContext, SourceDriver, TestResult } from './source-driver';
import { serverTarget, throwIfAborted } from './source-target';
import { mysqlOptionFile, toolEnv } from './tool-env';
import { runRestore, spawnDump } from './tool-process';
import { loadMysqlInParallel } from './mysql-parallel-load';
import { dumpForClient } from './mysql-sandbox-line';
import { withoutEchoedStatement } from './mysql-client-errors';
import { MAX_PACKET_BYTES, withPacketAdvice } from './mysql-packet-advice';
import { charsetClause, charsetRefusal, charsetNotKeptNote, mysqlCharsetSql, parseDatabaseCharset } from './mysql-charset';
import { historyPlan, mysqlVersionedTablesSql, NO_HISTORY, type HistoryPlan, type VersionedTable } from './mysql-history';
import type { DatabaseCharset, MysqlObjectCounts } from '../pipeline/manifest';

export const MYSQL_SYSTEM_DATABASES = new Set(['information_schema', 'mysql', 'performance_schema', 'sys']);
/** Rows bigger than the 16-24 MiB client defaults (large BLOBs) must still dump and restore. */
const MAX_PACKET = `--max-allowed-packet=${MAX_PACKET_BYTES}`;

type CheckedTool = ResolvedTool & { version: ToolVersion };

/*
 * The command lines below are shared with the SSH exec driver, which runs the same tools on the
 * SSH host: one definition keeps local and remote dumps identical. None holds the password: a
 * defaults file must come first, before these.
 */

export function mysqlConnectionArgs(target: MysqlTarget, tool: ToolVersion): string[] {
  return [`--host=${target.host}`, `--port=${target.port}`, `--user=${target.user}`, '--protocol=TCP', ...mysqlToolTlsArgs(tool, target.tlsMode)];
}

/**
 * MySQL has one dump format. The dump names no database (no --databases, so no CREATE
 * DATABASE/USE): a restore can then target any database name.
 */
export function mysqlDumpArgs(target: MysqlTarget, tool: ToolVersion, server: ServerVersion, database: string, history: HistoryPlan = NO_HISTORY): string[] {
  const flavorArgs: string[] = history.dumpHistory ? ['--dump-history'] : [];
  if (tool.flavor === 'mysql') {
    // GTID_PURGED in a dump fails the restore on any server that already has GTIDs.
    flavorArgs.push('--set-gtid-purged=OFF');
    // MySQL 8's mysqldump queries a statistics table MariaDB does not have.
    if (server.flavor === 'mariadb' && (tool.parts[0] ?? 0) >= 8) flavorArgs.push('--column-statistics=0');
  }
  return [
    ...mysqlConnectionArgs(target, tool),
    '--single-transaction',
    '--routines',
    '--triggers',
    '--events',
    '--hex-blob',
    // Tablespace statements need the PROCESS privilege and do not belong in a one-database dump.
    '--no-tablespaces',
    '--default-character-set=utf8mb4',
    MAX_PACKET,
    ...flavorArgs,
    '--',
    database,
  ];
}

export function mysqlRestoreArgs(target: MysqlTarget, tool: ToolVersion, database: string, extra: string[] = []): string[] {
  // --binary-mode: dumped string data may hold byte sequences the client would otherwise read as commands.
  // --comments: the client strips every comment it sends unless asked not to, those inside a routine's,
  // trigger's or event's body too, so they would come back without them.
  return [...mysqlConnectionArgs(target, tool), '--default-character-set=utf8mb4', '--binary-mode', '--comments', MAX_PACKET, ...extra, '--', database];
}

export function createMysqlSource(dto: SourceDto, secrets: Record<string, string>, ctx: SourceContext): SourceDriver {
  const target: MysqlTarget = { ...serverTarget(dto, 3306), password: secrets.password || undefined, tlsMode: dto.tlsMode };
  return new MysqlSource(target, dto.database, ctx);
}

class MysqlSource implements SourceDriver {
  #server: Promise<ServerVersion & { display: string }> | null = null;
  readonly #tools = new Map<ClientToolName, CheckedTool>();

  constructor(
    private readonly target: MysqlTarget,
    private readonly database: string | null,
    private readonly ctx: SourceContext,
  ) {}

  async test(): Promise<TestResult> {
    const checking = this.#tool('mysqldump', true);
    checking.catch(() => undefined);
    const server = await this.#serverVersion();
    // The server takes a login with no privilege on the database at all: only using it tells.
    if (this.database) await this.#withConnection(this.database, async () => undefined);
    const connected = `Connected to ${where(mysqlEndpoint(this.target))}, ${server.display}`;
    try {
      const dump = await checking;
      return { success: true, serverVersion: server.display, message: `${connected}. Dumps will use ${dump.version.text} (${dump.path}).` };
    } catch (error) {
      if (error instanceof AppError && (error.code === 'CLIENT_TOOL_MISSING' || error.code === 'CLIENT_TOO_OLD')) {
        return { success: false, serverVersion: server.display, message: `${connected}, but backups cannot run: ${error.message}` };
      }
      throw error;
    }
  }

  async listDatabases(): Promise<string[]> {
    return this.#withConnection(undefined, async (connection) => {
      const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW DATABASES');
      return rows.map((r) => String(r.Database)).filter((name) => !MYSQL_SYSTEM_DATABASES.has(name.toLowerCase())).sort();
    });
  }

  /** 'custom' and 'plain' both give SQL (see mysqlDumpArgs). */
  async dump(database: string | null, options: { format: DumpFormat; signal?: AbortSignal }): Promise<DumpProcess> {
    const name = database ?? this.database;
    if (!name) throw new AppError('VALIDATION_FAILED', `Choose a database to dump on ${where(mysqlEndpoint(this.target))}: the source has none set.`);
    throwIfAborted(options.signal, `The dump of ${name}`);
    const tool = await this.#tool('mysqldump', true);
    const server = await this.#serverVersion();
    const history = server.flavor === 'mariadb' ? historyPlan(await this.#versionedTables(name), tool, server) : NO_HISTORY;
    if (history.note) this.ctx.onNote?.(history.note);
    const optionFile = await mysqlOptionFile(this.ctx.tempDir, this.target.password);
    const args = [optionFile.arg, ...mysqlDumpArgs(this.target, tool.version, server, name, history)];
    this.ctx.log?.info('dump started', { tool: tool.path, database: name });
    return await spawnDump({ tool, args, env: this.#env(), signal: options.signal, cleanup: () => optionFile.remove(), log: this.ctx.log, tempDir: this.ctx.tempDir });
  }

  async restore(input: Readable, options: RestoreOptions): Promise<void> {
    const { database, signal } = options;
    throwIfAborted(signal, `The restore into ${database}`);
    const tool = await this.#tool('mysql', false);
    if (options.createDatabase) await this.#createDatabase(database, options.charset ?? null);
    try {
      // Connecting first turns a wrong name or password into SOURCE_* errors before any byte is consumed.
      await this.#withConnection(database, async () => undefined);
      const optionFile = await mysqlOptionFile(this.ctx.tempDir, this.target.password);
      const args = (extra: string[] = []): string[] => [optionFile.arg, ...mysqlRestoreArgs(this.target, tool.version, database, extra)];
      const loaders = options.loaders ?? 1;
      this.ctx.log?.info('restore started', { tool: tool.path, database, loaders });
      // The client echoes a refused statement whole: an INSERT of a dump is rows, not words.
      const stderrWords = withoutEchoedStatement;
      // In parts only into a database this restore made: a failure drops it, whatever the clients loaded.
      const dump = dumpForClient(input, tool.version);
      if (options.createDatabase && loaders > 1) {
        await loadMysqlInParallel(dump, { tool, args, database, env: this.#env(), loaders, signal, tempDir: this.ctx.tempDir, log: this.ctx.log, stderrWords }).finally(() => optionFile.remove());
      } else await runRestore({ tool, args: args(), env: this.#env(), signal, input: dump, database, cleanup: () => optionFile.remove(), log: this.ctx.log, tempDir: this.ctx.tempDir, stderrWords });
    } catch (error) {
      if (options.createDatabase) await this.#dropCreatedDatabase(database);
      throw await withPacketAdvice(error, () => this.#serverMaxPacket());
    }
  }

  async databaseCharset(database: string): Promise<DatabaseCharset | null> {
    const [rows] = await this.#withConnection(undefined, (c) => c.query<mysql.RowDataPacket[]>(mysqlCharsetSql('?'), [database]));
    return parseDatabaseCharset((rows[0] as { c?: string } | undefined)?.c);
  }

  async databaseObjects(database: string): Promise<MysqlObjectCounts | null> {
    return mysqlObjectCounts(await this.#withConnection(undefined, (c) => countObjects(c, database)));
  }

  admin(): DatabaseAdmin {
    return createMysqlAdmin(this.target, (database, use) => this.#withConnection(database, use));
  }

  extension(_format: DumpFormat): string {
    return 'sql';
  }

  async close(): Promise<void> {}

  /** Its `arg` must be the tools' first argument: they ignore it anywhere else. */
  #env(): Record<string, string> {
    return toolEnv(this.ctx.env);
  }

  async #versionedTables(database: string): Promise<VersionedTable[]> {
    const [rows] = await this.#withConnection(undefined, (c) => c.query<mysql.RowDataPacket[]>(mysqlVersionedTablesSql('?'), [database]));
    return rows.map((r) => ({ name: String(r.name), precise: Number(r.precise) === 1 }));
  }

  async #serverMaxPacket(): Promise<number> {
    const [rows] = await this.#withConnection(undefined, (c) => c.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.max_allowed_packet AS m'));
    return Number((rows[0] as { m?: unknown } | undefined)?.m);
  }

  async #withConnection<T>(database: string | undefined, use: (connection: mysql.Connection) => Promise<T>): Promise<T> {
    const connection = await connectMysql(this.target, database);
    try {
      return await use(connection);
    } catch (error) {
      throw mapMysqlError(error, this.target, database, 'query');
    } finally {
      await connection.end().catch(() => {});
    }
  }

  /** Asked once per driver, however many ask at once; a failure is asked again next time. */
  #serverVersion(): Promise<ServerVersion & { display: string }> {
    this.#server ??= this.#withConnection(undefined, mysqlServerVersion).catch((error: unknown) => {
      this.#server = null;
      throw error;
    });
    return this.#server;
  }

  /** The tool and its version (which picks the TLS flags); dump tools are refused when older than the server. */
  async #tool(name: ClientToolName, mustMatchServer: boolean): Promise<CheckedTool> {
    const cached = this.#tools.get(name);
    if (cached) return cached;
    // The tool's --version runs while the server answers; a server out of reach is still what is said first.
    const found = versionedTool(name, { env: this.ctx.env, toolPaths: this.ctx.toolPaths }, this.#env());
    const server = mustMatchServer ? await this.#serverVersion() : null;
    const checked = await found;
    if (server) assertClientNotOlder(checked, checked.version, server);
    this.#tools.set(name, checked);
    return checked;
  }

  async #createDatabase(database: string, charset: DatabaseCharset | null): Promise<void> {
    this.ctx.onCreatingDatabase?.(database);
    await this.#withConnection(undefined, async (connection) => {
      const create = `CREATE DATABASE ${quoteMysqlIdentifier(database)}`;
      try {
        const clause = charsetClause(charset);
        const refused = clause
          ? await connection.query(create + clause).then(
              () => null,
              (error: unknown) => charsetRefusal(error) ?? Promise.reject(error),
            )
          : null;
        if (!clause || refused !== null) await connection.query(create);
        if (charset && refused !== null) this.ctx.onNote?.(charsetNotKeptNote(charset, refused));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'ER_DB_CREATE_EXISTS')
          throw new AppError('RESTORE_FAILED', `Database ${database} already exists on ${where(mysqlEndpoint(this.target))}. Choose a new name, or restore into it without creating it.`, {
            database,
          });
        if (code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR')
          throw createDenied(this.target.user, database, messageOf(error), 'the CREATE privilege on the server');
        throw error;
      }
    });
  }

  /** Best effort: a restore that failed into a database it created should not leave that database behind. */
  async #dropCreatedDatabase(database: string): Promise<void> {
    await this.#withConnection(undefined, (connection) => connection.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(database)}`)).catch((error: unknown) => {
      this.ctx.log?.warn('could not drop the database created for a failed restore', { database, error: messageOf(error) });
      this.ctx.onCreatedNotDropped?.(database, messageOf(error));
    });
  }
}
