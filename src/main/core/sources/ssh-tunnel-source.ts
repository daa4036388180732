import type { Readable } from 'node:stream';
import type { Client } from 'ssh2';
import type { SourceDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { createMysqlSource } from './mysql-source';
import { createPostgresSource } from './postgres-source';
import type { DatabaseAdmin } from './database-admin';
import type { DatabaseCharset, DatabaseLocale, MysqlObjectCounts, PgDatabasePropertiesKept } from '../pipeline/manifest';
import type { DumpFormat, DumpProcess, RestoreOptions, SourceContext, SourceDriver, TestResult } from './source-driver';
import { serverTarget } from './source-target';
import type { SshLink } from './ssh-link';
import { openSshTunnel, type SshTunnel } from './ssh-tunnel';

interface Route {
  client: Client;
  ready: Promise<{ tunnel: SshTunnel; driver: SourceDriver }>;
}

/**
 * A PostgreSQL or MySQL source reached through a port forwarded over SSH: the ordinary driver and
 * the local client tools, pointed at the tunnel's loopback end.
 */
export class SshTunnelSource implements SourceDriver {
  readonly #database: { host: string; port: number };
  /** Never connects: answers extension() before any tunnel exists. */
  readonly #offline: SourceDriver;
  #route: Route | null = null;

  constructor(
    private readonly dto: SourceDto,
    private readonly secrets: Record<string, string>,
    private readonly ctx: SourceContext,
    private readonly link: SshLink,
  ) {
    const { host, port } = serverTarget(dto, dto.engine === 'postgres' ? 5432 : 3306);
    this.#database = { host, port };
    if (dto.tlsMode === 'verify-full') {
      throw new AppError(
        'VALIDATION_FAILED',
        `Source ${dto.name}: TLS mode verify-full checks the server's name, which the tunnel's local end (127.0.0.1) cannot match. Use TLS mode require through the tunnel, or the SSH exec mode.`,
        { sourceId: dto.id },
      );
    }
    this.#offline = this.#driverFor('127.0.0.1', port);
  }

  async test(): Promise<TestResult> {
    return this.#through(async (driver, tunnel) => {
      const result = await driver.test();
      return { ...result, message: this.#rename(result.message, tunnel) };
    });
  }

  listDatabases(): Promise<string[]> {
    return this.#through((driver) => driver.listDatabases());
  }

  databaseLocale(database: string): Promise<DatabaseLocale | null> {
    if (this.dto.engine !== 'postgres') return Promise.resolve(null);
    return this.#through(async (driver) => (driver.databaseLocale ? driver.databaseLocale(database) : null));
  }

  databaseProperties(database: string): Promise<PgDatabasePropertiesKept | null> {
    if (this.dto.engine !== 'postgres') return Promise.resolve(null);
    return this.#through(async (driver) => (driver.databaseProperties ? driver.databaseProperties(database) : null));
  }

  databaseCharset(database: string): Promise<DatabaseCharset | null> {
    if (this.dto.engine !== 'mysql') return Promise.resolve(null);
    return this.#through(async (driver) => (driver.databaseCharset ? driver.databaseCharset(database) : null));
  }

  databaseObjects(database: string): Promise<MysqlObjectCounts | null> {
    if (this.dto.engine !== 'mysql') return Promise.resolve(null);
    return this.#through(async (driver) => (driver.databaseObjects ? driver.databaseObjects(database) : null));
  }

  dump(database: string | null, options: { format: DumpFormat; signal?: AbortSignal }): Promise<DumpProcess> {
    return this.#through(async (driver, tunnel) => {
      const dump = await driver.dump(database, options);
      const done = dump.done.catch((error: unknown) => Promise.reject(this.#explain(error, tunnel)));
      done.catch(() => {});
      return { ...dump, done };
    });
  }

  dumpGlobals(): Promise<DumpProcess> {
    return this.#through(async (driver, tunnel) => {
      if (!driver.dumpGlobals) throw new AppError('VALIDATION_FAILED', `Source ${this.dto.name} has no server-wide globals to dump.`);
      const dump = await driver.dumpGlobals();
      const done = dump.done.catch((error: unknown) => Promise.reject(this.#explain(error, tunnel)));
      done.catch(() => {});
      return { ...dump, done };
    });
  }

  restore(input: Readable, options: RestoreOptions): Promise<void> {
    return this.#through((driver) => driver.restore(input, options), options.signal);
  }

  admin(): DatabaseAdmin {
    const through = <T>(use: (admin: DatabaseAdmin) => Promise<T>): Promise<T> => this.#through((driver) => use(driver.admin!()));
    return {
      maxNameLength: this.#offline.admin!().maxNameLength,
      inspect: (database) => through((a) => a.inspect(database)),
      countRows: (database, options) => through((a) => a.countRows(database, options)),
      drop: (database) => through((a) => a.drop(database)),
      swap: (target, scratch, options) => through((a) => a.swap(target, scratch, options)),
    };
  }

  restoreFile(file: string, options: RestoreOptions & { jobs: number }): Promise<void> {
    return this.#through((driver) => {
      if (!driver.restoreFile) throw new AppError('VALIDATION_FAILED', `Source ${this.dto.name} cannot restore in parallel: only PostgreSQL can.`);
      return driver.restoreFile(file, options);
    }, options.signal);
  }

  restoreGlobals(input: Readable, signal?: AbortSignal): Promise<void> {
    return this.#through((driver) => {
      if (!driver.restoreGlobals) throw new AppError('VALIDATION_FAILED', `Source ${this.dto.name} is not PostgreSQL: it has no roles to restore.`);
      return driver.restoreGlobals(input, signal);
    }, signal);
  }

  extension(format: DumpFormat): string {
    return this.#offline.extension(format);
  }

  async close(): Promise<void> {
    const route = this.#route;
    this.#route = null;
    const ready = await route?.ready.catch(() => null);
    await ready?.driver.close();
    await ready?.tunnel.close();
    await this.link.close();
  }

  async #through<T>(use: (driver: SourceDriver, tunnel: SshTunnel) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { tunnel, driver } = await this.#ready(signal);
    // A refusal left over from an earlier call must not be blamed for this one.
    tunnel.takeForwardError();
    try {
      return await use(driver, tunnel);
    } catch (error) {
      throw this.#explain(error, tunnel);
    }
  }

  /** The tunnel over the current SSH connection; a new one when the connection was reopened. */
  async #ready(signal?: AbortSignal): Promise<{ tunnel: SshTunnel; driver: SourceDriver }> {
    const client = await this.link.connect(signal);
    if (this.#route?.client !== client) {
      const stale = this.#route;
      void stale?.ready.then(({ tunnel, driver }) => Promise.all([driver.close(), tunnel.close()])).catch(() => {});
      const ready = openSshTunnel(client, this.#database, this.ctx.log).then((tunnel) => ({ tunnel, driver: this.#driverFor(tunnel.host, tunnel.port) }));
      this.#route = { client, ready };
      ready.catch(() => {
        if (this.#route?.ready === ready) this.#route = null;
      });
    }
    return this.#route!.ready;
  }

  #driverFor(host: string, port: number): SourceDriver {
    const local: SourceDto = { ...this.dto, host, port, ssh: null };
    return this.dto.engine === 'postgres' ? createPostgresSource(local, this.secrets, this.ctx) : createMysqlSource(local, this.secrets, this.ctx);
  }

  /** Errors name the database as the DBA configured it, not the tunnel's loopback port. */
  #explain(error: unknown, tunnel: SshTunnel): unknown {
    if (!(error instanceof AppError)) return error;
    const refused = tunnel.takeForwardError();
    const db = `${this.#database.host}:${this.#database.port}`;
    const lost = tunnel.connectionLost();
    if (lost && error.code !== 'CANCELLED') {
      // A forwarding refused then is the lost connection's doing, not the SSH server's settings.
      const details = { ...(error.details && typeof error.details === 'object' ? error.details : {}), host: this.#database.host, port: this.#database.port, ssh: this.link.label, sshLost: lost };
      const said = `The SSH connection to ${this.link.label} was lost (${lost})`;
      if (refused) return new AppError('SOURCE_UNREACHABLE', `${said}, so ${db} could not be reached through it. Check that the SSH host is up and reachable; the next attempt opens a new connection.`, details);
      return new AppError(error.code, `${this.#rename(error.message, tunnel)} ${said} while this ran: that is why the database's connection ended.`, details);
    }
    if (refused && error.code !== 'CANCELLED') {
      return new AppError(
        'SOURCE_UNREACHABLE',
        `The SSH host ${this.link.label} could not open a connection to ${db} (${refused}). Check the database host and port as the SSH host sees them (127.0.0.1 is the SSH host itself), and that its SSH server allows TCP forwarding (AllowTcpForwarding).`,
        { host: this.#database.host, port: this.#database.port, ssh: this.link.label },
      );
    }
    const message = this.#rename(error.message, tunnel);
    if (message === error.message) return error;
    const details = error.details && typeof error.details === 'object' ? { ...error.details, host: this.#database.host, port: this.#database.port, ssh: this.link.label } : error.details;
    return new AppError(error.code, message, details);
  }

  #rename(text: string, tunnel: SshTunnel): string {
    const through = `(through the SSH tunnel via ${this.link.label})`;
    return text
      .replaceAll(`${tunnel.host}:${tunnel.port}`, `${this.#database.host}:${this.#database.port} ${through}`)
      .replaceAll(`"${tunnel.host}", port ${tunnel.port}`, `"${this.#database.host}", port ${this.#database.port} ${through}`);
  }
}
