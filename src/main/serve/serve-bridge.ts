import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_CHANNELS } from '../../shared/ipc/channels';
import { AppError } from '../../shared/ipc/result';
import { tokenCookieName, WS_PATH, type ClientMessage, type ServerMessage } from '../../shared/ipc/ws-protocol';
import type { Core } from '../core/create-core';
import { silentLogger, type Logger } from '../core/logger';
import { crossSiteRefusal } from './cross-site-guard';
import { bearerToken, cookieToken, newToken, tokensEqual } from './serve-auth';
import { hostPolicy, parsePublicUrl, type InterfaceLister } from './serve-hosts';
import { serveStatic } from './static-files';

export interface ServeOptions {
  core: Core;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Where users reach the bridge when that is not the bound address (a TLS proxy, a port forward); checked by `parsePublicUrl`. */
  publicUrl?: string;
  token?: string;
  log?: Logger;
  /** Stands in for os.networkInterfaces in tests. */
  interfaces?: InterfaceLister;
}

export interface ServeBridge {
  /** The URL to open: it carries the token once, the bridge swaps it for a cookie. */
  url: string;
  host: string;
  port: number;
  token: string;
  /** The name of the cookie the page's token is kept in (it carries the port). */
  cookieName: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Another site may link to the page but not embed its files or keep a handle on its window.
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Why the bridge could not listen, in words: the address or port to change, never a bare errno. */
export function listenFailure(error: unknown, host: string, port: number): AppError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const at = `port ${port} on ${host}`;
  switch (code) {
    case 'ERR_SOCKET_BAD_PORT':
      return new AppError('VALIDATION_FAILED', `--port must be a port number from 0 to 65535 (0 picks a free one), not ${port}.`, { field: 'port' });
    case 'EADDRINUSE':
      return new AppError('VALIDATION_FAILED', `Cannot listen on ${at}: another program already uses it. Choose another port with --port, or leave it out for a free one.`, { field: 'port' });
    case 'EACCES':
    case 'EPERM':
      return new AppError('VALIDATION_FAILED', `Cannot listen on ${at}: this user may not use it (ports below 1024 need administrator rights on most systems). Choose a port above 1023.`, { field: 'port' });
    case 'EADDRNOTAVAIL':
      return new AppError('VALIDATION_FAILED', `Cannot listen on ${host}: it is not an address of this machine. Use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own addresses.`, { field: 'host' });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new AppError('VALIDATION_FAILED', `Cannot listen on ${host}: it is neither an IP address nor a name this machine can resolve. Use 127.0.0.1, 0.0.0.0 or one of its own addresses.`, { field: 'host' });
  }
  return error instanceof AppError ? error : new AppError('INTERNAL', `Cannot listen on ${at}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * HTTP + WebSocket on loopback (unless told otherwise) with a per-start random token. It serves
 * the built renderer and the same contract the Electron preload exposes, through `core.invoke`,
 * so every input is validated exactly as in the desktop app. The page talks over the WebSocket
 * (cookie); scripts over `POST /api/invoke` (bearer token only). See cross-site-guard.ts for
 * what another site may and may not send.
 */
export async function startServeBridge(options: ServeOptions): Promise<ServeBridge> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const log = options.log ?? silentLogger;
  const { core, rendererDir } = options;
  const publicUrl = options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl);
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new AppError('NOT_FOUND', `The user interface is not built (${rendererDir} has no index.html). Run npm run build first.`);
  }
  // Handlers are attached once listening: which hosts and cookie are ours depends on the port.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    const failed = (error: unknown): void => reject(listenFailure(error, host, options.port ?? 0));
    server.once('error', failed);
    try {
      server.listen(options.port ?? 0, host, () => {
        server.off('error', failed);
        resolve();
      });
    } catch (error) {
      // A port out of range is refused at once, not through 'error'.
      failed(error);
    }
  });
  const port = (server.address() as AddressInfo).port;
  const hosts = hostPolicy({ boundHost: host, port, publicUrl, interfaces: options.interfaces });
  const cookieName = tokenCookieName(port);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handleHttp(req, res).catch((error: unknown) => {
      log.error('serve request failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const refuse = (res: ServerResponse, status: number, message: string): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
  };

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!hosts.allowsHost(req.headers.host)) return refuse(res, 403, 'Forbidden: unexpected Host header. Open the URL printed by `vaultdesk serve`, or start it with --public-url.');
    const url = new URL(req.url ?? '/', 'http://bridge.invalid');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    const crossSite = crossSiteRefusal(req, hosts.isOwnOrigin, !isApi);
    if (crossSite) return refuse(res, 403, crossSite);
    if (isApi) return handleApi(req, res, url);

    const isRead = req.method === 'GET' || req.method === 'HEAD';
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!isRead || !tokensEqual(token, queryToken)) return refuse(res, 401, 'Unauthorized: this is not the token `vaultdesk serve` printed; open the URL it printed (a restart makes a new one).');
      // Swap the token in the URL for an HttpOnly cookie, and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/${hosts.secure ? '; Secure' : ''}`,
        Location: `${url.pathname}${url.search}`,
      });
      res.end();
      return;
    }
    if (!tokensEqual(token, cookieToken(req, cookieName)) && !tokensEqual(token, bearerToken(req))) {
      return refuse(res, 401, 'Unauthorized: open the URL printed by `vaultdesk serve`; it carries the access token.');
    }
    if (!isRead) {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(rendererDir, url.pathname, res);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname !== '/api/invoke') return refuse(res, 404, 'Not found');
    // The cookie is what another page on this host can make the browser send, and a token in the URL ends up in logs and history.
    if (url.searchParams.has('token')) return refuse(res, 401, 'Unauthorized: /api/invoke takes the token only as `Authorization: Bearer TOKEN`, never in the URL.');
    if (!tokensEqual(token, bearerToken(req))) {
      return refuse(res, 401, 'Unauthorized: /api/invoke needs `Authorization: Bearer TOKEN`, with the token from the URL `vaultdesk serve` printed; the browser cookie is not accepted here.');
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    await handleInvoke(req, res);
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
    const refuseUpgrade = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== WS_PATH) return refuseUpgrade('404 Not Found');
    if (!hosts.allowsHost(req.headers.host) || crossSiteRefusal(req, hosts.isOwnOrigin, false) !== null) return refuseUpgrade('403 Forbidden');
    const authorized = !url.searchParams.has('token') && (tokensEqual(token, cookieToken(req, cookieName)) || tokensEqual(token, bearerToken(req)));
    if (!authorized) return refuseUpgrade('401 Unauthorized');
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

  if (!isLoopback(host)) log.warn('serve is listening beyond loopback', { host });

  return {
    url: `${hosts.pageUrl}?token=${token}`,
    host,
    port,
    token,
    cookieName,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
