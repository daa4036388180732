/**
 * Servers seen to decline TLS, by product and endpoint, for TLS mode 'prefer'.
 *
 * 'prefer' asks for TLS first. libpq, told no, goes on in plain on the same connection; node-pg
 * and mysql2 cannot, so each connection to a server without TLS was two: one declined, then a new
 * one in plain (a server process and a round trip more, which over a WAN is most of a short
 * call). A server seen declining lately is asked in plain at once. Its answer is kept a few
 * minutes only, per process, so a server that gains TLS is soon asked again; one that starts to
 * require it refuses the plain connection, and the caller then forgets it and asks for TLS.
 */
import type { TlsMode } from '../../../shared/domain/dto';
import type { AppError } from '../../../shared/ipc/result';

const REMEMBERED_MS = 5 * 60_000;

const declined = new Map<string, number>();

const keyOf = (product: string, host: string, port: number): string => `${product}\0${host}\0${port}`;

export function tlsDeclinedLately(product: string, host: string, port: number, now = Date.now()): boolean {
  const at = declined.get(keyOf(product, host, port));
  return at !== undefined && now - at < REMEMBERED_MS;
}

export function rememberTlsDeclined(product: string, host: string, port: number, now = Date.now()): void {
  declined.set(keyOf(product, host, port), now);
}

export function forgetTlsDeclined(product: string, host: string, port: number): void {
  declined.delete(keyOf(product, host, port));
}

/**
 * A connection made as the source's TLS mode says, one driver's attempts given: `tls` with the
 * mode's TLS option, `plain` without. For 'prefer': TLS first, and plain only when the server has
 * none (`declined`); a server seen declining lately is asked in plain at once, and asked again
 * with TLS when that plain connection is refused in a way that says it may require TLS now
 * (`mayRequireTls`). Every failure leaves as the driver's own AppError (`mapError`).
 *
 * For 'disable', a refusal that may mean the server wants TLS is checked with one connection
 * with TLS (`probeTls`, closed at once; it answers null for a refusal it does not check): a
 * server that takes the login only that way (MariaDB says only "Access denied" for
 * require_secure_transport) is then reported as such (`tlsRequired`), rather than sending the
 * user after the password.
 */
export async function connectWithTlsMode<C>(options: {
  product: string;
  host: string;
  port: number;
  mode: TlsMode;
  tls: () => Promise<C>;
  plain: () => Promise<C>;
  declined: (error: unknown) => boolean;
  mayRequireTls: (error: unknown) => boolean;
  mapError: (error: unknown) => AppError;
  probeTls?: (refusal: unknown) => Promise<{ close: () => Promise<void> } | null>;
  tlsRequired?: () => AppError;
}): Promise<C> {
  const { product, host, port, mapError } = options;
  const prefer = options.mode === 'prefer';
  if (prefer && tlsDeclinedLately(product, host, port)) {
    try {
      return await options.plain();
    } catch (error) {
      if (!options.mayRequireTls(error)) throw mapError(error);
      forgetTlsDeclined(product, host, port);
    }
  }
  try {
    return await options.tls();
  } catch (error) {
    if (options.mode === 'disable' && options.probeTls && options.tlsRequired && options.mayRequireTls(error) && (await takesTls(options.probeTls, error))) throw options.tlsRequired();
    if (!prefer || !options.declined(error)) throw mapError(error);
    rememberTlsDeclined(product, host, port);
    try {
      return await options.plain();
    } catch (plainError) {
      throw mapError(plainError);
    }
  }
}

/** Whether a connection with TLS succeeds after `refusal`; it is closed at once. */
async function takesTls(probe: (refusal: unknown) => Promise<{ close: () => Promise<void> } | null>, refusal: unknown): Promise<boolean> {
  try {
    const connection = await probe(refusal);
    if (!connection) return false;
    await connection.close().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}
