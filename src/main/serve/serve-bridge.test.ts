import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { ServerMessage } from '../../shared/ipc/ws-protocol';
import type { Core } from '../core/create-core';
import { tempCore, tempDir } from '../core/testing/temp-dir';
import { startServeBridge, type ServeBridge } from './serve-bridge';
import { openSocket as openRawSocket, rawRequest, writeRenderer, type RawResponse } from './testing/raw-http';

let t: ReturnType<typeof tempDir>;
let core: Core;
let bridge: ServeBridge;
let base: string;

beforeEach(async () => {
  t = tempDir();
  core = await tempCore(t.dir);
  bridge = await startServeBridge({ core, rendererDir: writeRenderer(t.dir) });
  base = `http://127.0.0.1:${bridge.port}`;
});
afterEach(async () => {
  await bridge.close();
  core.close();
  t.cleanup();
});

function get(pathname: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<RawResponse> {
  return rawRequest(`${base}${pathname}`, { method, headers, body });
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return openRawSocket(`ws://127.0.0.1:${bridge.port}/api/ws`, headers);
}

describe('serve bridge', () => {
  it('listens on loopback by default with a long random token in the URL', () => {
    expect(bridge.host).toBe('127.0.0.1');
    expect(bridge.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { Cookie: `${bridge.cookieName}=wrong` })).status).toBe(401);
    expect((await get('/', { Authorization: `Bearer ${bridge.token}x` })).status).toBe(401);
  });

  it('swaps the URL token for an HttpOnly cookie and serves the UI with a CSP', async () => {
    const first = await get(`/?token=${bridge.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^vaultdesk_token_${bridge.port}=${bridge.token};`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await get('/', { Cookie: `${bridge.cookieName}=${bridge.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Vaultdesk</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('never serves files outside the built renderer', async () => {
    const auth = { Cookie: `${bridge.cookieName}=${bridge.token}` };
    for (const p of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/..%5coutside.txt']) {
      const res = await get(p, auth);
      expect(res.body).not.toContain('must never be served');
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/', { Cookie: `${bridge.cookieName}=${bridge.token}`, Host: 'evil.example:80' })).status).toBe(403);
  });

  it('answers contract calls over HTTP with the bearer token', async () => {
    const res = await get('/api/invoke', { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' }, 'POST', JSON.stringify({ channel: 'destinations:create', input: { kind: 'local', name: 'ab', path: '/x' } }));
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(core.destinations.list()).toEqual([]);
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(openSocket({})).rejects.toThrow(/401/);
    await expect(openSocket({ Cookie: `${bridge.cookieName}=nope` })).rejects.toThrow(/401/);
    await expect(openSocket({ Cookie: `${bridge.cookieName}=${bridge.token}`, Origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('carries calls, results and events over the WebSocket, with secrets write-only', async () => {
    const ws = await openSocket({ Cookie: `${bridge.cookieName}=${bridge.token}`, Origin: base });
    const frames: string[] = [];
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => {
      frames.push(String(data));
      messages.push(JSON.parse(String(data)) as ServerMessage);
    });
    const call = (id: number, channel: string, input: unknown): Promise<ServerMessage> =>
      new Promise((resolve) => {
        const wait = (): void => {
          const found = messages.find((m) => m.type === 'result' && m.id === id);
          if (found) resolve(found);
          else setTimeout(wait, 5);
        };
        ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
        wait();
      });
    const created = await call(1, 'sources:create', { engine: 'postgres', name: 'pg', host: 'h', user: 'u', database: 'd', password: 'hunter2-secret' });
    expect(created).toMatchObject({ type: 'result', result: { ok: true, data: { name: 'pg', hasPassword: true } } });
    expect(await call(2, 'sources:list', {})).toMatchObject({ result: { ok: true, data: [{ name: 'pg' }] } });
    expect(await call(3, 'sources:create', { engine: 'postgres' })).toMatchObject({ result: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
    expect(messages.some((m) => m.type === 'event' && m.event === 'config:changed')).toBe(true);
    expect(frames.join('\n')).not.toContain('hunter2-secret');
    ws.close();
  });
});
