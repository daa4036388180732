import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_CHANNELS } from '../../shared/ipc/channels';
import { AppError } from '../../shared/ipc/result';
import { TOKEN_COOKIE, WS_PATH, type ClientMessage, type ServerMessage } from '../../shared/ipc/ws-protocol';
import type { Core } from '../core/create-core';
import { silentLogger, type Logger } from '../core/logger';
import { bearerToken, cookieToken, hostAllowed, newToken, originAllowed, tokensEqual } from './serve-auth';
import { serveStatic } from './static-files';

export interface ServeOptions {
  core: Core;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
  log?: Logger;
}

export interface ServeBridge {
  /** The URL to open: it carries the token once, the bridge swaps it for a cookie. */
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * HTTP + WebSocket on loopback (unless told otherwise) with a per-start random token. It serves
 * the built renderer and the same contract the Electron preload exposes, through `core.invoke`,
 * so every input is validated exactly as in the desktop app.
 */
export async function startServeBridge(options: ServeOptions): Promise<ServeBridge> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const log = options.log ?? silentLogger;
  const { core, rendererDir } = options;
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new AppError('NOT_FOUND', `The user interface is not built (${rendererDir} has no index.html). Run \`npm run build\` first.`);
  }
  let allowedHosts = new Set<string>();

  const authorized = (req: IncomingMessage, url: URL): boolean =>
    tokensEqual(token, cookieToken(req)) || tokensEqual(token, bearerToken(req)) || tokensEqual(token, url.searchParams.get('token'));

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((error: unknown) => {
      log.error('serve request failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (!hostAllowed(req, allowedHosts)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden: unexpected Host header.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    if (!authorized(req, url)) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Unauthorized: open the URL printed by `vaultdesk serve`; it carries the access token.');
      return;
    }
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      // Swap the token in the URL for an HttpOnly cookie, and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
      });
      res.end();
      return;
    }
    if (url.pathname === '/api/invoke' && req.method === 'POST') {
      await handleInvoke(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(rendererDir, url.pathname, res);
  }

  /** Plain HTTP for scripts: POST {"channel", "input"} with `Authorization: Bearer TOKEN`. */
  async function handleInvoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk);
    }
    let body: { channel?: unknown; input?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'The request body is not JSON.' } }));
      return;
    }
    const result = await core.invoke(body.channel, body.input);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== WS_PATH) return refuse('404 Not Found');
    if (!hostAllowed(req, allowedHosts) || !originAllowed(req, allowedHosts)) return refuse('403 Forbidden');
    if (!authorized(req, url)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const send = (message: ServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const off = core.events.onAny((event, payload) => send({ type: 'event', event, payload }), EVENT_CHANNELS);
    ws.on('close', off);
    ws.on('message', (data) => {
      let message: ClientMessage;
      try {
        message = JSON.parse(String(data)) as ClientMessage;
      } catch {
        ws.close(1003, 'Messages must be JSON');
        return;
      }
      if (message?.type !== 'invoke' || typeof message.id !== 'number') {
        ws.close(1003, 'Unknown message');
        return;
      }
      void core.invoke(message.channel, message.input).then((result) => send({ type: 'result', id: message.id, result }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${hostInUrl}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`].map((h) => h.toLowerCase()));
  if (!isLoopback(host)) log.warn('serve is listening beyond loopback', { host });

  return {
    url: `http://${hostInUrl}:${port}/?token=${token}`,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
