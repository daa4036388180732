import { AppError } from '../../../shared/ipc/result';

export interface Endpoint {
  product: string;
  host: string;
  port: number;
  user: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);

/** The errno-style code of a socket error, also when Node wraps several attempts in an AggregateError. */
export function networkCode(error: unknown): string | null {
  const err = error as { code?: unknown; errors?: unknown[] };
  if (typeof err?.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
  const inner = Array.isArray(err?.errors) ? err.errors.map(networkCode).find((c) => c !== null) : undefined;
  return inner ?? null;
}

export function where(endpoint: Endpoint): string {
  return `${endpoint.product} at ${endpoint.host}:${endpoint.port} as user ${endpoint.user}`;
}

export function unreachable(endpoint: Endpoint, cause: string): AppError {
  return new AppError(
    'SOURCE_UNREACHABLE',
    `Could not connect to ${where(endpoint)}: ${cause}. Check the host and port, that the server is running and accepts TCP connections, and any firewall in between.`,
    { host: endpoint.host, port: endpoint.port, user: endpoint.user },
  );
}

export function authFailed(endpoint: Endpoint, cause: string): AppError {
  return new AppError('SOURCE_AUTH_FAILED', `${where(endpoint)} refused the login: ${cause}. Check the user name and password, and that this user may connect from this machine.`, {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
  });
}

/** A server that took the login only over TLS, from a source whose TLS mode is disable. */
export function tlsRequired(endpoint: Endpoint): AppError {
  return new AppError(
    'SOURCE_AUTH_FAILED',
    `${where(endpoint)} takes this login only over TLS, and this source's TLS mode is disable. Set its TLS mode to prefer or require, and test it again.`,
    { host: endpoint.host, port: endpoint.port, user: endpoint.user },
  );
}

export function describeNetworkCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return `connection lost (${code})`;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
