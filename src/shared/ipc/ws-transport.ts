import type { EventChannel, InvokeChannel } from './channels';
import type { Transport } from './client';
import { AppError, type ErrorPayload, type Result } from './result';
import { WS_PATH, type ClientMessage, type ServerMessage } from './ws-protocol';

/**
 * A browser-side Transport over the serve bridge's WebSocket, the page's only way to the bridge
 * (its HTTP API takes a bearer token, never the cookie). The token travels in the HttpOnly cookie
 * the bridge set on the first page load, so it never sits in script-visible state.
 */
export function createWsTransport(url = defaultUrl()): Transport {
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const connect = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(AppError.fromPayload(unreachable(url)));
      };
      ws.onclose = () => {
        socket = null;
        for (const [id, settle] of pending) {
          settle({ ok: false, error: lostMidCall(url) });
          pending.delete(id);
        }
      };
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as ServerMessage;
        if (msg.type === 'result') {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        } else {
          listeners.get(msg.event)?.forEach((l) => l(msg.payload));
        }
      };
    });
    return opening;
  };

  return {
    async invoke(channel: InvokeChannel, input: unknown): Promise<Result<unknown>> {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch (error) {
        return { ok: false, error: error instanceof AppError ? error.toPayload() : unreachable(url) };
      }
      const id = nextId++;
      const message: ClientMessage = { type: 'invoke', id, channel, input };
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify(message));
      });
    },
    subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.get(event)?.delete(listener);
    },
  };
}

/** Where the bridge runs, as the DBA started it: `vaultdesk serve` on HOST:PORT. */
function serveAt(url: string): string {
  try {
    return `vaultdesk serve at ${new URL(url).host}`;
  } catch {
    return 'vaultdesk serve';
  }
}

/**
 * The socket could not be opened: serve stopped, or restarted (a restart issues a new token, so
 * this page's cookie no longer opens it). Either way the way back is the address serve prints.
 */
export function unreachable(url: string): ErrorPayload {
  return {
    code: 'CONNECTION_LOST',
    message: `This page cannot reach ${serveAt(url)}: it has stopped, or was restarted with a new address. Start it again if it is not running, then open the address it prints.`,
  };
}

/** The socket closed while a call was waiting for its answer: whether the call was carried out is not known. */
export function lostMidCall(url: string): ErrorPayload {
  return {
    code: 'CONNECTION_LOST',
    message: `The connection to ${serveAt(url)} closed before it answered, so whether this last action was carried out is not known. Check that it is still running, reload the page and look again before repeating it.`,
  };
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}`;
}
