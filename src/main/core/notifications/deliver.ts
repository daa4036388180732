import pRetry, { AbortError } from 'p-retry';
import { blockedPortWords, fetchBlockedPort } from '../../../shared/domain/fetch-blocked-ports';

/** How hard a notification is tried: attempts = retries + 1, waits minTimeoutMs, then x factor each time. */
export interface DeliveryPolicy {
  retries: number;
  minTimeoutMs: number;
  factor: number;
  /** One request's limit, connect to answer. */
  requestTimeoutMs: number;
}

/** 5 attempts over about a minute: long enough for a proxy restart, short enough for a CLI run to wait for. */
export const DEFAULT_DELIVERY: DeliveryPolicy = { retries: 4, minTimeoutMs: 2_000, factor: 2.5, requestTimeoutMs: 10_000 };

export interface DeliveryRequest {
  url: string;
  body: string;
  contentType: string;
}

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  /** In words, without the URL: "delivered (HTTP 200)", "gave up after 5 attempts: connection refused". */
  message: string;
}

class AttemptFailed extends Error {}

/**
 * POSTs a notification, retrying server errors and network failures with back-off; a 4xx other
 * than 408/429 means the URL or body is wrong, so it is not retried. Never rejects, and no
 * message it returns carries the URL (its path holds the webhook's token).
 */
export async function deliver(request: DeliveryRequest, policy: DeliveryPolicy, signal?: AbortSignal): Promise<DeliveryResult> {
  let attempts = 0;
  const { url, authorization } = withoutCredentials(request.url);
  const blocked = fetchBlockedPort(url);
  if (blocked !== null) return { ok: false, attempts: 0, message: blockedPortWords(blocked) };
  try {
    const status = await pRetry(
      async (n) => {
        attempts = n;
        let response: Response;
        try {
          response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': request.contentType, 'user-agent': 'Vaultdesk', ...(authorization ? { authorization } : {}) },
            body: request.body,
            redirect: 'follow',
            signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(policy.requestTimeoutMs)]) : AbortSignal.timeout(policy.requestTimeoutMs),
          });
        } catch (error) {
          if (signal?.aborted) throw new AbortError(new AttemptFailed('stopped: Vaultdesk was closing'));
          throw new AttemptFailed(networkWords(error, policy.requestTimeoutMs));
        }
        // The connection goes back to the pool only once the body is read.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return response.status;
        const failure = new AttemptFailed(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          throw new AbortError(new AttemptFailed(`refused with HTTP ${response.status} (check the URL)`));
        }
        throw failure;
      },
      { retries: policy.retries, minTimeout: policy.minTimeoutMs, factor: policy.factor, randomize: false, signal, unref: true },
    );
    return { ok: true, attempts, message: `delivered (HTTP ${status})${attempts > 1 ? ` at attempt ${attempts}` : ''}` };
  } catch (error) {
    const words = error instanceof AttemptFailed ? error.message : signal?.aborted ? 'stopped: Vaultdesk was closing' : 'failed';
    if (words.startsWith('refused') || words.startsWith('stopped')) return { ok: false, attempts, message: words };
    return { ok: false, attempts, message: attempts > 1 ? `gave up after ${attempts} attempts: ${words}` : words };
  }
}

/**
 * fetch refuses a URL with `user:password@`; such a URL means HTTP Basic authentication to anyone
 * who wrote it (curl, wget and browsers send it so), so it is sent as that header. fetch drops the
 * header on a redirect to another origin, so it reaches only the host the URL names.
 */
function withoutCredentials(raw: string): { url: string; authorization: string | null } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw, authorization: null };
  }
  if (!url.username && !url.password) return { url: raw, authorization: null };
  const pair = `${decoded(url.username)}:${decoded(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}

/** The URL parser leaves a stray `%` as it was typed, which decodeURIComponent refuses. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** A fetch failure in words, from its cause's code: undici's own messages may name the address. */
function networkWords(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string; name?: string; message?: string } } | null;
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  // A port added to fetch's blocked list after ours was copied.
  if (e?.cause?.message === 'bad port') return "the port is one that browsers and Node's fetch refuse to connect to: move the receiver to another port";
  const code = e?.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server up?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed by the server';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'could not connect in time';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network or host cannot be reached';
    default:
      if (code && /CERT|TLS|SSL/i.test(code)) return `the server's TLS certificate was refused (${code})`;
      return code ? `network error (${code})` : 'network error';
  }
}
