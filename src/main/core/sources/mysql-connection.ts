import type mysql from 'mysql2/promise';
import type { TlsMode } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { ServerVersion, ToolVersion } from './client-tools';
import { authFailed, describeNetworkCode, messageOf, networkCode, tlsRequired, unreachable, where, type Endpoint } from './connection-errors';
import { mysqlRefusal, refusalError } from './server-refusals';
import { connectWithTlsMode } from './tls-declined';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  tlsMode: TlsMode;
}

type TlsOptions = Exclude<mysql.ConnectionOptions['ssl'], string | undefined>;

const CONNECT_TIMEOUT_MS = 15_000;
const AUTH_CODES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_HOST_NOT_PRIVILEGED', 'ER_NOT_SUPPORTED_AUTH_MODE', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR']);

export function mysqlEndpoint(target: MysqlTarget, product = 'MySQL/MariaDB'): Endpoint {
  return { product, host: target.host, port: target.port, user: target.user };
}

/**
 * A connected client; 'prefer' tries TLS first and falls back to plain only when the server has no
 * TLS at all, and with a server seen without TLS lately starts in plain (tls-declined.ts).
 */
export async function connectMysql(target: MysqlTarget, database?: string): Promise<mysql.Connection> {
  // Loaded on first use: a PostgreSQL or SQLite backup never needs the MySQL driver.
  const { createConnection } = (await import('mysql2/promise')).default;
  const attempt = (ssl: TlsOptions | undefined): Promise<mysql.Connection> =>
    createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database,
      ssl,
      connectTimeout: CONNECT_TIMEOUT_MS,
      charset: 'utf8mb4',
    });
  return connectWithTlsMode({
    product: 'mysql',
    host: target.host,
    port: target.port,
    mode: target.tlsMode,
    tls: () => attempt(mysqlSslOption(target.tlsMode)),
    plain: () => attempt(undefined),
    declined: (error) => (error as { code?: unknown }).code === 'HANDSHAKE_NO_SSL_SUPPORT',
    // The server may require TLS now (require_secure_transport, or a user REQUIRE SSL), and
    // MySQL and MariaDB say so in different ways: anything but an unreachable server asks again with TLS.
    mayRequireTls: (error) => !networkCode(error) && !/timeout/i.test(messageOf(error)),
    mapError: (error) => mapMysqlError(error, target, database),
    // Only "Access denied" is checked: each failed login counts towards a lockout
    // (max_password_errors, FAILED_LOGIN_ATTEMPTS), and MySQL says ER_SECURE_TRANSPORT_REQUIRED itself.
    probeTls: async (refusal) => {
      if ((refusal as { code?: unknown }).code !== 'ER_ACCESS_DENIED_ERROR') return null;
      const connection = await attempt(mysqlSslOption('require'));
      return { close: () => connection.end() };
    },
    tlsRequired: () => tlsRequired(mysqlEndpoint(target)),
  });
}

export function mysqlSslOption(mode: TlsMode): TlsOptions | undefined {
  switch (mode) {
    case 'disable':
      return undefined;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** `stage` 'query': the connection worked, so an unknown error is not a connection problem. */
export function mapMysqlError(error: unknown, target: MysqlTarget, database?: string, stage: 'connect' | 'query' = 'connect'): AppError {
  if (error instanceof AppError) return error;
  const endpoint = mysqlEndpoint(target);
  const message = messageOf(error);
  const code = (error as { code?: unknown }).code;
  const refusal = stage === 'connect' ? mysqlRefusal(code, message) : null;
  if (refusal) return refusalError('mysql', refusal, endpoint, database, message);
  if (typeof code === 'string' && AUTH_CODES.has(code)) return authFailed(endpoint, message);
  if (code === 'ER_BAD_DB_ERROR') return new AppError('NOT_FOUND', `Database ${database ?? ''} does not exist on ${where(endpoint)}.`, { database });
  if (code === 'ER_SECURE_TRANSPORT_REQUIRED') return tlsRequired(endpoint);
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') return unreachable(endpoint, `the server does not offer TLS, but this source's TLS mode is ${target.tlsMode}`);
  const net = networkCode(error);
  if (net) return unreachable(endpoint, describeNetworkCode(net));
  if (/certificate|self[- ]signed|altname/i.test(message)) return unreachable(endpoint, `the server's TLS certificate was not accepted (${message})`);
  if (stage === 'query') return new AppError('INTERNAL', `${where(endpoint)} answered with an error: ${message}`);
  return unreachable(endpoint, message);
}

export async function mysqlServerVersion(connection: mysql.Connection): Promise<ServerVersion & { display: string }> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  const text = String(rows[0]?.v ?? '');
  const flavor = /mariadb/i.test(text) ? 'mariadb' : 'mysql';
  const parts = (/^(\d+)\.(\d+)\.(\d+)/.exec(text)?.slice(1) ?? []).map(Number);
  return { flavor, parts, text, display: `${flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${text.split('-')[0]}` };
}

/**
 * TLS flags for the command-line tools. MariaDB's client has no "encrypt but do not verify and
 * refuse plain" mode, so for 'require' the guarantee comes from the driver connection made with
 * TLS required just before the tool starts; MySQL's client has --ssl-mode for each of our modes.
 */
export function mysqlToolTlsArgs(tool: ToolVersion, mode: TlsMode): string[] {
  if (tool.flavor === 'mariadb') {
    if (mode === 'disable') return ['--skip-ssl'];
    if (mode === 'verify-full') return ['--ssl', '--ssl-verify-server-cert'];
    return ['--ssl', '--skip-ssl-verify-server-cert'];
  }
  const sslMode = { disable: 'DISABLED', prefer: 'PREFERRED', require: 'REQUIRED', 'verify-full': 'VERIFY_IDENTITY' }[mode];
  return [`--ssl-mode=${sslMode}`];
}

/**
 * Text as a SQL literal: hex with the utf8mb4 introducer, so none of its characters is ever SQL
 * text (for a client with no placeholders). A string literal like the driver's `?`, so it compares
 * under a column's collation the same way.
 */
export function mysqlNameLiteral(name: string): string {
  return `_utf8mb4 X'${Buffer.from(name, 'utf8').toString('hex')}'`;
}

/** Backtick-quoted identifier, for the few statements the driver runs itself. */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
