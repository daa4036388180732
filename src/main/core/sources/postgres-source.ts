import { Readable } from 'node:stream';
import type pg from 'pg';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { assertClientNotOlder, findTool, versionedTool, type ResolvedTool, type ServerVersion, type ClientToolName, type ToolVersion } from './client-tools';
import { messageOf, where } from './connection-errors';
import { connectPostgres, mapPgError, pgConninfo, pgEndpoint, pgServerVersion, type PgTarget } from './postgres-connection';
import { createPostgresAdmin, isServerError } from './postgres-admin';
import { pgLiteral, pgQuoteIdent } from './postgres-quoting';
import { askedLocale, localeNote, parseDatabaseLocale, pgDatabaseLocaleSql, template1Settings } from './postgres-locale';
import type { DatabaseLocale, PgDatabasePropertiesKept } from '../pipeline/manifest';
import { keptPgDatabaseProperties, pgDatabasePropertiesSql } from './postgres-database-properties';
import { createDenied, type DatabaseAdmin } from './database-admin';
import type { DumpFormat, DumpProcess, RestoreOptions, SourceContext, SourceDriver, TestResult } from './source-driver';
import { serverTarget, throwIfAborted } from './source-target';
import { PG_DUMP_LOCK_WAIT_MS, pgDumpLockWaitArg, pgDumpLockWaitWords } from './pg-dump-lock-wait';
import { toolEnv } from './tool-env';
import { withArchiveVersionAdvice, withPgRestoreAdvice, withPsqlRestrictAdvice } from './postgres-restore-errors';
import { loadInParallel } from './postgres-parallel-load';
import { runRestore, spawnDump } from './tool-process';

export const MAINTENANCE_DB = 'postgres';
/** Databases a dump can be taken of: no templates, none that refuse connections. */
export const PG_DUMPABLE_DATABASES = 'NOT datistemplate AND datallowconn';

/**
 * The command lines below are shared with the SSH exec driver, which runs the same tools on the
 * SSH host: one definition keeps local and remote dumps identical.
 */
export function pgDumpArgs(target: PgTarget, database: string, format: DumpFormat, lockWaitMs: number = PG_DUMP_LOCK_WAIT_MS): string[] {
  // Uncompressed custom format: the pipeline compresses, and pg_restore can still pick objects from it.
  const formatArgs = format === 'custom' ? ['--format=custom', '--compress=0'] : ['--format=plain'];
  return ['--no-password', ...formatArgs, pgDumpLockWaitArg(lockWaitMs), `--dbname=${pgConninfo(target, database)}`];
}

export function pgDumpGlobalsArgs(target: PgTarget): string[] {
  return ['--no-password', '--globals-only', `--dbname=${pgConninfo(target)}`];
}

/** The encoding and locale a database copied from template1 would get, as one line: `encoding|collate|ctype`. */
export const TEMPLATE1_SETTINGS_SQL = "SELECT pg_encoding_to_char(encoding) || '|' || datcollate || '|' || datctype AS settings FROM pg_database WHERE datname = 'template1'";

/**
 * CREATE DATABASE for a restore: copied from template0, as pg_restore --create does, not from
 * template1, which holds whatever a DBA added to it (PostGIS, site tables) that a dump already names
 * or that would be counted as restored; with template1's encoding and locale (`settings`, from
 * TEMPLATE1_SETTINGS_SQL), the server's default for a new database, which template0 may not share
 * (a cluster whose template1 was remade as UTF8 keeps a SQL_ASCII template0). With `locale` (the
 * backup's, recreatable), that encoding and locale instead, as pg_restore --create would ask for.
 */
export function createDatabaseSql(quotedName: string, settings: string | null, locale: DatabaseLocale | null = null, tablespace: string | null = null): string {
  const where = tablespace === null ? '' : ` TABLESPACE ${pgQuoteIdent(tablespace)}`;
  if (locale) {
    const icu = locale.provider === 'icu' && locale.icuLocale !== null ? ` LOCALE_PROVIDER icu ICU_LOCALE ${pgLiteral(locale.icuLocale)}` : '';
    return `CREATE DATABASE ${quotedName} TEMPLATE template0 ENCODING ${pgLiteral(locale.encoding)} LC_COLLATE ${pgLiteral(locale.collate)} LC_CTYPE ${pgLiteral(locale.ctype)}${icu}${where}`;
  }
  const server = template1Settings(settings);
  const same = server ? ` ENCODING ${pgLiteral(server.encoding)} LC_COLLATE ${pgLiteral(server.collate)} LC_CTYPE ${pgLiteral(server.ctype)}` : '';
  return `CREATE DATABASE ${quotedName} TEMPLATE template0${same}${where}`;
}

/**
 * The refusal of a scratch copy in the tablespace of the database it is to replace: made elsewhere,
 * it could fill a disk the replaced database was kept off.
 */
export function pgTablespaceDenied(user: string, database: string, tablespace: string, why: string): AppError {
  return new AppError(
    'RESTORE_FAILED',
    `User ${user} may not create databases in tablespace ${tablespace} (${why.trim()}), where the database to be replaced is, so ${database}, the copy to restore beside it, could not be made there. Nothing was restored. Grant ${user} CREATE on tablespace ${tablespace}, or restore as a user who has it.`,
    { database, reason: 'tablespace-denied' },
  );
}

/**
 * The server's refusal of a CREATE DATABASE with the backup's locale, in its words (a locale it
 * lacks, an encoding that locale cannot have, a provider it does not know). A name already taken,
 * no right to create, or a lost connection is thrown as it was: creating it otherwise would not help.
 */
function localeRefusal(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (!isServerError(error) || code === '42P04' || code === '42501') throw error;
  return messageOf(error);
}

/**
 * pg_restore's options beside its connection: no owners or grants unless `keepOwners` (the target
 * server may not have the source's roles, and one missing role would fail everything).
 */
export function pgRestoreBaseArgs(keepOwners = false): string[] {
  return ['--no-password', ...(keepOwners ? [] : ['--no-owner', '--no-acl']), '--exit-on-error'];
}

export function pgRestoreArgs(target: PgTarget, database: string, format: DumpFormat, keepOwners = false): string[] {
  const conninfo = `--dbname=${pgConninfo(target, database)}`;
  // One transaction: a failed restore leaves the target as it was.
  return format === 'custom'
    ? [...pgRestoreBaseArgs(keepOwners), '--single-transaction', conninfo]
    : ['--no-password', '--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', '--single-transaction', conninfo];
}

/** psql replaying a globals dump (roles). */
export function pgGlobalsRestoreArgs(target: PgTarget): string[] {
  // Not one transaction and not stopping at errors: the roles that already exist (the user
  // restoring, for one) fail their CREATE ROLE, and their ALTER ROLE still applies.
  return ['--no-password', '--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=0', `--dbname=${pgConninfo(target, MAINTENANCE_DB)}`];
}

/** What a failed roles restore says it was restoring into. */
export const GLOBALS_TARGET = 'the roles (globals)';

/** Connection settings the tools take from the environment (the password is added separately). */
export function pgToolVars(target: PgTarget): Record<string, string> {
  return { PGSSLMODE: target.tlsMode, PGCONNECT_TIMEOUT: '15' };
}

export function createPostgresSource(dto: SourceDto, secrets: Record<string, string>, ctx: SourceContext): SourceDriver {
  const target: PgTarget = { ...serverTarget(dto, 5432), password: secrets.password || undefined, tlsMode: dto.tlsMode };
  return new PostgresSource(target, dto.database, ctx);
}

class PostgresSource implements SourceDriver {
  #server: Promise<ServerVersion & { display: string }> | null = null;
  readonly #checked = new Map<ClientToolName, Promise<ResolvedTool & { version: ToolVersion }>>();
  /** See SourceDriver.dumpChecksItself: dump() and dumpGlobals() start the tool beside their checks. */
  readonly dumpChecksItself = true;

  constructor(
    private readonly target: PgTarget,
    private readonly database: string | null,
    private readonly ctx: SourceContext,
  ) {}

  async test(): Promise<TestResult> {
    const checking = this.#checkedTool('pg_dump');
    checking.catch(() => undefined);
    const server = await this.#serverVersion();
    const connected = `Connected to ${where(pgEndpoint(this.target))}, ${server.display}`;
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
    return this.#withClient(this.#defaultDatabase(), async (client) => {
      const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE ${PG_DUMPABLE_DATABASES} ORDER BY datname`);
      return rows.map((r) => r.datname);
    });
  }

  async dump(database: string | null, options: { format: DumpFormat; signal?: AbortSignal }): Promise<DumpProcess> {
    const name = database ?? this.database;
    if (!name) throw new AppError('VALIDATION_FAILED', `Choose a database to dump on ${where(pgEndpoint(this.target))}: the source has none set.`);
    throwIfAborted(options.signal, `The dump of ${name}`);
    const { tool, checked } = await this.#startingTool('pg_dump');
    const lockWaitMs = this.ctx.dumpLockWaitMs ?? PG_DUMP_LOCK_WAIT_MS;
    const args = pgDumpArgs(this.target, name, options.format, lockWaitMs);
    this.ctx.log?.info('dump started', { tool: tool.path, database: name, format: options.format });
    return await spawnDump({
      tool,
      args,
      env: this.#env(),
      signal: options.signal,
      log: this.ctx.log,
      tempDir: this.ctx.tempDir,
      stderrWords: (stderr) => pgDumpLockWaitWords(stderr, lockWaitMs),
      gate: checked,
    });
  }

  async dumpGlobals(): Promise<DumpProcess> {
    const { tool, checked } = await this.#startingTool('pg_dumpall');
    const args = pgDumpGlobalsArgs(this.target);
    this.ctx.log?.info('globals dump started', { tool: tool.path });
    return await spawnDump({ tool, args, env: this.#env(), log: this.ctx.log, tempDir: this.ctx.tempDir, gate: checked });
  }

  /**
   * A dump tool to start now, and its check (#checkedTool) to run beside it: waiting for the
   * server's answer and the tool's --version first held every backup's first byte back by both.
   * spawnDump starts the check once the tool has started (its connection and --version held the
   * start back too); its gate stops the tool if the check fails, and the dump then fails with the
   * check's words, as it did when the check came first. A tool that is not found waits for the
   * server's answer, so that a server out of reach is still what is said first.
   */
  async #startingTool(name: ClientToolName): Promise<{ tool: ResolvedTool; checked: () => Promise<unknown> }> {
    let tool: ResolvedTool;
    try {
      tool = findTool(name, { env: this.ctx.env, toolPaths: this.ctx.toolPaths });
    } catch (error) {
      await this.#checkedTool(name);
      throw error;
    }
    return { tool, checked: () => this.#checkedTool(name) };
  }

  async restore(input: Readable, options: RestoreOptions): Promise<void> {
    const { database, signal } = options;
    throwIfAborted(signal, `The restore into ${database}`);
    const tool = findTool(options.format === 'custom' ? 'pg_restore' : 'psql', { env: this.ctx.env, toolPaths: this.ctx.toolPaths });
    if (options.createDatabase) await this.#createDatabase(database, options.locale ?? null, options.tablespace ?? null);
    try {
      // Connecting first turns a wrong name or password into SOURCE_* errors before any byte is consumed.
      await this.#withClient(database, async () => undefined);
      const args = pgRestoreArgs(this.target, database, options.format, options.keepOwners);
      this.ctx.log?.info('restore started', { tool: tool.path, database, format: options.format, loaders: options.loaders ?? 1 });
      const single = (from: Readable): Promise<void> => runRestore({ tool, args, env: this.#env(), signal, input: from, database, log: this.ctx.log, tempDir: this.ctx.tempDir });
      // In parts only into a database this restore made: a failure drops it, as one transaction would have undone it.
      if (options.format === 'custom' && options.createDatabase && (options.loaders ?? 1) > 1) {
        const baseArgs = [...pgRestoreBaseArgs(options.keepOwners), `--dbname=${pgConninfo(this.target, database)}`];
        await loadInParallel(input, { tool, baseArgs, env: this.#env(), database, loaders: options.loaders!, signal, tempDir: this.ctx.tempDir, log: this.ctx.log }, options.unsplit ?? single);
      } else await single(input);
    } catch (error) {
      if (options.createDatabase) await this.#dropCreatedDatabase(database);
      throw withPgRestoreAdvice(error, options.format === 'custom' ? 'custom' : 'plain', tool.path);
    }
  }

  admin(): DatabaseAdmin {
    return createPostgresAdmin(this.target, (database, use) => this.#withClient(database, use), async () => (await this.#serverVersion()).parts[0] ?? 0);
  }

  async restoreFile(file: string, options: RestoreOptions & { jobs: number }): Promise<void> {
    const { database, signal } = options;
    throwIfAborted(signal, `The restore into ${database}`);
    const tool = findTool('pg_restore', { env: this.ctx.env, toolPaths: this.ctx.toolPaths });
    if (options.createDatabase) await this.#createDatabase(database, options.locale ?? null, options.tablespace ?? null);
    try {
      await this.#withClient(database, async () => undefined);
      const args = [...pgRestoreBaseArgs(options.keepOwners), `--jobs=${options.jobs}`, `--dbname=${pgConninfo(this.target, database)}`, file];
      this.ctx.log?.info('parallel restore started', { tool: tool.path, database, jobs: options.jobs });
      await runRestore({ tool, args, env: this.#env(), signal, input: Readable.from([]), database, log: this.ctx.log, tempDir: this.ctx.tempDir });
    } catch (error) {
      if (options.createDatabase) await this.#dropCreatedDatabase(database);
      throw withArchiveVersionAdvice(error, tool.path);
    }
  }

  async databaseLocale(database: string): Promise<DatabaseLocale | null> {
    const major = (await this.#serverVersion()).parts[0] ?? 0;
    const row = await this.#withClient(this.#defaultDatabase(), (client) => client.query<{ locale: string }>(pgDatabaseLocaleSql(major, '$1'), [database]));
    return parseDatabaseLocale(row.rows[0]?.locale);
  }

  async databaseProperties(database: string): Promise<PgDatabasePropertiesKept | null> {
    const row = await this.#withClient(this.#defaultDatabase(), (client) => client.query<string[]>({ text: pgDatabasePropertiesSql('$1'), values: [database], rowMode: 'array' }));
    return keptPgDatabaseProperties(row.rows[0]?.[0]);
  }

  async restoreGlobals(input: Readable, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal, 'The restore of the roles');
    const tool = findTool('psql', { env: this.ctx.env, toolPaths: this.ctx.toolPaths });
    this.ctx.log?.info('roles restore started', { tool: tool.path });
    await runRestore({ tool, args: pgGlobalsRestoreArgs(this.target), env: this.#env(), signal, input, database: GLOBALS_TARGET, log: this.ctx.log, tempDir: this.ctx.tempDir }).catch((error: unknown) => {
      throw withPsqlRestrictAdvice(error, tool.path);
    });
  }

  extension(format: DumpFormat): string {
    return format === 'custom' ? 'dump' : 'sql';
  }

  async close(): Promise<void> {}

  #defaultDatabase(): string {
    return this.database ?? MAINTENANCE_DB;
  }

  #env(): Record<string, string> {
    const extra = pgToolVars(this.target);
    if (this.target.password) extra.PGPASSWORD = this.target.password;
    return toolEnv(this.ctx.env, extra);
  }

  async #withClient<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = await connectPostgres(this.target, database);
    try {
      return await use(client);
    } catch (error) {
      throw mapPgError(error, this.target, database, 'query');
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** Asked once per driver, however many ask at once; a failure is asked again next time. */
  #serverVersion(): Promise<ServerVersion & { display: string }> {
    this.#server ??= this.#withClient(this.#defaultDatabase(), pgServerVersion).catch((error: unknown) => {
      this.#server = null;
      throw error;
    });
    return this.#server;
  }

  /**
   * The tool, refused when missing or older than the server (pg_dump cannot dump a newer server).
   * One check per tool, shared by test() and a dump started beside it; a failed one is asked again.
   */
  #checkedTool(name: ClientToolName): Promise<ResolvedTool & { version: ToolVersion }> {
    const cached = this.#checked.get(name);
    if (cached) return cached;
    const checking = (async () => {
      // The tool's --version runs while the server answers; a server out of reach is still what is said first.
      const found = versionedTool(name, { env: this.ctx.env, toolPaths: this.ctx.toolPaths }, this.#env());
      const server = await this.#serverVersion();
      const checked = await found;
      assertClientNotOlder(checked, checked.version, server);
      return checked;
    })();
    this.#checked.set(name, checking);
    checking.catch(() => {
      if (this.#checked.get(name) === checking) this.#checked.delete(name);
    });
    return checking;
  }

  async #createDatabase(database: string, locale: DatabaseLocale | null, tablespace: string | null): Promise<void> {
    this.ctx.onCreatingDatabase?.(database);
    await this.#withClient(this.#defaultDatabase(), async (client) => {
      const quoted = client.escapeIdentifier(database);
      try {
        const settings = (await client.query<{ settings: string }>(TEMPLATE1_SETTINGS_SQL)).rows[0]?.settings ?? null;
        const asked = askedLocale(locale);
        const refused = asked ? await client.query(createDatabaseSql(quoted, settings, asked, tablespace)).then(() => null, localeRefusal) : null;
        if (!asked || refused !== null) await client.query(createDatabaseSql(quoted, settings, null, tablespace));
        const note = localeNote(locale, refused, settings);
        if (note) this.ctx.onNote?.(note);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === '42P04')
          throw new AppError('RESTORE_FAILED', `Database ${database} already exists on ${where(pgEndpoint(this.target))}. Choose a new name, or restore into it without creating it.`, {
            database,
          });
        if (code === '42501' && tablespace !== null && /tablespace/.test(messageOf(error))) throw pgTablespaceDenied(this.target.user, database, tablespace, messageOf(error));
        if (code === '42501') throw createDenied(this.target.user, database, messageOf(error), 'CREATEDB', { intoEmpty: true });
        throw error;
      }
    });
  }

  /** Best effort: a restore that failed into a database it created should not leave that database behind. */
  async #dropCreatedDatabase(database: string): Promise<void> {
    // WITH (FORCE) (PostgreSQL 13+) because the killed tool's session may not be gone yet.
    const server = await this.#serverVersion().catch(() => null);
    const force = (server?.parts[0] ?? 0) >= 13 ? ' WITH (FORCE)' : '';
    await this.#withClient(this.#defaultDatabase(), (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)}${force}`)).catch((error: unknown) => {
      this.ctx.log?.warn('could not drop the database created for a failed restore', { database, error: messageOf(error) });
      this.ctx.onCreatedNotDropped?.(database, messageOf(error));
    });
  }
}
