import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
  at: number;
}

export interface HttpRecorder {
  /** http://127.0.0.1:PORT, whether or not the server is listening now. */
  readonly base: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Starts listening (again) on the same port. */
  up(): Promise<void>;
  /** Stops listening: connections are refused, as with a server that is down. */
  down(): Promise<void>;
  /** Resolves once `count` requests have arrived, or rejects after `ms`. */
  waitFor(count: number, ms?: number): Promise<RecordedRequest[]>;
}

/**
 * A webhook receiver on 127.0.0.1 that records every request and answers `status(request)`
 * (200 by default). It keeps its port across `down()`/`up()`, so a URL can point at a server
 * that is down and later comes up. Stop it with `down()`.
 */
export async function startHttpRecorder(options: { status?: (r: RecordedRequest) => number; listen?: boolean } = {}): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  let server: Server | null = null;
  const make = (): Server =>
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], authorization: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        requests.push(r);
        res.writeHead(options.status?.(r) ?? 200, { 'content-type': 'text/plain' });
        res.end('OK');
      });
    });
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const s = make();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as AddressInfo).port);
      });
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.closeAllConnections();
      s.close(() => resolve());
    });
  // The port is taken once, so that a recorder started down still has one to come up on.
  const port = await listen(0);
  if (options.listen === false) await close();
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    requests,
    up: async () => {
      if (!server) await listen(port);
    },
    down: close,
    waitFor: async (count, ms = 30_000) => {
      const deadline = Date.now() + ms;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${requests.length}: ${requests.map((r) => `${r.method} ${r.url}`).join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return requests;
    },
  };
}
