import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import type { TlsMode } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { ServerVersion } from './client-tools';
import { authFailed, describeNetworkCode, messageOf, networkCode, tlsRequired, unreachable, where, type Endpoint } from './connection-errors';
import { pgRefusal, refusalError } from './server-refusals';
import { connectWithTlsMode } from './tls-declined';

export interface PgTarget {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  tlsMode: TlsMode;
}

const CONNECT_TIMEOUT_MS = 15_000;
const NO_TLS_MESSAGE = 'The server does not support SSL connections';

export function pgEndpoint(target: PgTarget): Endpoint {
  return { product: 'PostgreSQL', host: target.host, port: target.port, user: target.user };
}

/**
 * A connected client; 'prefer' tries TLS first and falls back to plain only when the server has no
 * TLS at all, and with a server seen without TLS lately starts in plain (tls-declined.ts).
 */
export async function connectPostgres(target: PgTarget, database: string): Promise<pg.Client> {
  // Loaded on first use: a host that opens the core without touching PostgreSQL (most CLI commands) does not pay for the driver.
  const { default: pg } = await import('pg');
  const attempt = async (ssl: false | ConnectionOptions): Promise<pg.Client> => {
    const client = new pg.Client({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database,
      ssl,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'vaultdesk',
    });
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  };
  return connectWithTlsMode({
    product: 'postgres',
    host: target.host,
    port: target.port,
    mode: target.tlsMode,
    tls: () => attempt(pgSslOption(target.tlsMode)),
    plain: () => attempt(false),
    declined: (error) => messageOf(error) === NO_TLS_MESSAGE,
    // 28000, no pg_hba.conf entry for a plain connection: the server may require TLS now.
    mayRequireTls: (error) => (error as { code?: unknown }).code === '28000',
    mapError: (error) => mapPgError(error, target, database),
    probeTls: async () => {
      const client = await attempt(pgSslOption('require'));
      return { close: () => client.end() };
    },
    tlsRequired: () => tlsRequired(pgEndpoint(target)),
  });
}

export function pgSslOption(mode: TlsMode): false | ConnectionOptions {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** `stage` 'query': the connection worked, so an unknown error is not a connection problem. */
export function mapPgError(error: unknown, target: PgTarget, database: string, stage: 'connect' | 'query' = 'connect'): AppError {
  if (error instanceof AppError) return error;
  const endpoint = pgEndpoint(target);
  const message = messageOf(error);
  const sqlState = (error as { code?: unknown }).code;
  if (sqlState === '28P01' || sqlState === '28000') return authFailed(endpoint, message);
  if (sqlState === '3D000') return new AppError('NOT_FOUND', `Database ${database} does not exist on ${where(endpoint)}.`, { database });
  const refusal = stage === 'connect' ? pgRefusal(sqlState, message) : null;
  if (refusal) return refusalError('postgres', refusal, endpoint, database, message);
  const net = networkCode(error);
  if (net) return unreachable(endpoint, describeNetworkCode(net));
  if (/timeout/i.test(message)) return unreachable(endpoint, 'connection timed out');
  if (message === NO_TLS_MESSAGE) return unreachable(endpoint, `the server does not offer TLS, but this source's TLS mode is ${target.tlsMode}`);
  if (/certificate|self[- ]signed|altname/i.test(message)) return unreachable(endpoint, `the server's TLS certificate was not accepted (${message})`);
  if (stage === 'query') return new AppError('INTERNAL', `${where(endpoint)} answered with an error: ${message}`);
  return unreachable(endpoint, message);
}

/** A libpq connection string: tools then take the database name literally, whatever characters it holds. */
export function pgConninfo(target: PgTarget, database?: string): string {
  const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const parts = [`host=${quote(target.host)}`, `port=${target.port}`, `user=${quote(target.user)}`];
  if (database !== undefined) parts.push(`dbname=${quote(database)}`);
  return parts.join(' ');
}

export async function pgServerVersion(client: pg.Client): Promise<ServerVersion & { display: string }> {
  const { rows } = await client.query<{ num: string; text: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
  const num = Number(rows[0]?.num ?? 0);
  const major = Math.floor(num / 10000);
  // 90624 is 9.6.24; 150020 is 15.20.
  const parts = major >= 10 ? [major, num % 10000] : [major, Math.floor(num / 100) % 100, num % 100];
  const text = rows[0]?.text ?? parts.join('.');
  return { flavor: 'postgres', parts, text, display: `PostgreSQL ${text.split(' ')[0]}` };
}
