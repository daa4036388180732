import type { EventChannel, InvokeChannel } from './channels';
import type { Transport } from './client';
import type { Result } from './result';
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
        reject(new Error('The Vaultdesk service is not reachable.'));
      };
      ws.onclose = () => {
        socket = null;
        for (const [id, settle] of pending) {
          settle({ ok: false, error: { code: 'INTERNAL', message: 'The connection to the Vaultdesk service was lost.' } });
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
        return { ok: false, error: { code: 'INTERNAL', message: (error as Error).message } };
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

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}`;
}
