import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../core/create-core';
import { tempCore, tempDir } from '../core/testing/temp-dir';
import { startServeBridge, type ServeBridge } from './serve-bridge';
import { invokeBody, openSocket, rawRequest, writeRenderer } from './testing/raw-http';

/**
 * The header combinations a browser on another loopback port, or curl, can send to the bridge
 * (issue 11, section 1). Each refused call tries to create a destination; the store must stay empty.
 */
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

const FOREIGN_PAGE = 'http://127.0.0.1:8000';

function createEvil(headers: Record<string, string>, query = ''): Promise<{ status: number; body: string }> {
  const input = { kind: 'local', name: 'evil-dest', path: path.join(t.dir, 'evil') };
  return rawRequest(`${base}/api/invoke${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: invokeBody('destinations:create', input) });
}

const cookie = (): Record<string, string> => ({ Cookie: `${bridge.cookieName}=${bridge.token}` });
const bearer = (): Record<string, string> => ({ Authorization: `Bearer ${bridge.token}` });
const destinationNames = (): string[] => core.destinations.list().map((d) => d.name);

describe('POST /api/invoke from another site, or without the bearer token', () => {
  const refusals: [string, () => Record<string, string>, number, RegExp, string?][] = [
    ['the cookie alone (what a no-cors fetch from another port carries)', cookie, 401, /needs `Authorization: Bearer TOKEN`.*cookie is not accepted/],
    ['the cookie with a foreign Origin', () => ({ ...cookie(), Origin: FOREIGN_PAGE }), 403, /another origin/],
    ['the cookie as a cross-port form POST sends it', () => ({ ...cookie(), Origin: FOREIGN_PAGE, 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' }), 403, /another origin/],
    ['the bearer token with a foreign Origin on another loopback port', () => ({ ...bearer(), Origin: FOREIGN_PAGE }), 403, /another origin/],
    ['the bearer token with a foreign Origin elsewhere', () => ({ ...bearer(), Origin: 'https://evil.example' }), 403, /another origin/],
    ['the bearer token with Origin null (sandboxed frame, file://)', () => ({ ...bearer(), Origin: 'null' }), 403, /another origin/],
    ['the bearer token with Sec-Fetch-Site cross-site', () => ({ ...bearer(), 'Sec-Fetch-Site': 'cross-site' }), 403, /another site/],
    ['the bearer token with Sec-Fetch-Site same-site', () => ({ ...bearer(), 'Sec-Fetch-Site': 'same-site' }), 403, /another site/],
    ['a wrong bearer token', () => ({ Authorization: `Bearer ${bridge.token.slice(1)}x` }), 401, /needs `Authorization: Bearer TOKEN`/],
    ['the right bearer token with a foreign Host (DNS rebinding)', () => ({ ...bearer(), Host: `evil.example:${bridge.port}` }), 403, /unexpected Host header/],
    ['the token in the URL', () => ({}), 401, /only as `Authorization: Bearer TOKEN`, never in the URL/, 'query'],
    ['the token in the URL next to the bearer token', bearer, 401, /never in the URL/, 'query'],
  ];

  for (const [what, headers, status, message, query] of refusals) {
    it(`refuses ${what} with ${status}, and nothing is created`, async () => {
      const res = await createEvil(headers(), query ? `?token=${bridge.token}` : '');
      expect(res.status).toBe(status);
      expect(res.body).toMatch(message);
      expect(destinationNames()).toEqual([]);
    });
  }

  const accepted: [string, () => Record<string, string>][] = [
    ['a script: the bearer token and no Origin', bearer],
    ['the bearer token with Sec-Fetch-Site same-origin', () => ({ ...bearer(), 'Sec-Fetch-Site': 'same-origin' })],
    ['the bearer token with Sec-Fetch-Site none', () => ({ ...bearer(), 'Sec-Fetch-Site': 'none' })],
    ['the bearer token with the bridge page as Origin', () => ({ ...bearer(), Origin: base })],
    ['the bearer token with the bridge page at localhost as Origin', () => ({ ...bearer(), Origin: `http://localhost:${bridge.port}` })],
  ];

  for (const [what, headers] of accepted) {
    it(`runs the call for ${what}`, async () => {
      const res = await createEvil(headers());
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ ok: true, data: { name: 'evil-dest', kind: 'local' } });
      expect(destinationNames()).toEqual(['evil-dest']);
    });
  }

  it('answers only POST on /api/invoke and nothing else under /api', async () => {
    expect((await rawRequest(`${base}/api/invoke`, { headers: bearer() })).status).toBe(405);
    expect((await rawRequest(`${base}/api/other`, { method: 'POST', headers: bearer() })).status).toBe(404);
    // The page's own cookie opens no other door under /api either (it used to get index.html).
    expect((await rawRequest(`${base}/api/other`, { headers: cookie() })).status).toBe(404);
  });
});

describe('the WebSocket upgrade', () => {
  const wsUrl = (query = ''): string => `ws://127.0.0.1:${bridge.port}/api/ws${query}`;

  it('refuses the cookie from a page on another loopback port', async () => {
    await expect(openSocket(wsUrl(), { ...cookie(), Origin: FOREIGN_PAGE })).rejects.toThrow(/HTTP 403/);
  });

  it('refuses a cross-site or same-site Sec-Fetch-Site even with the bridge as Origin', async () => {
    await expect(openSocket(wsUrl(), { ...cookie(), Origin: base, 'Sec-Fetch-Site': 'same-site' })).rejects.toThrow(/HTTP 403/);
    await expect(openSocket(wsUrl(), { ...cookie(), Origin: base, 'Sec-Fetch-Site': 'cross-site' })).rejects.toThrow(/HTTP 403/);
  });

  it('refuses the token in the URL', async () => {
    await expect(openSocket(wsUrl(`?token=${bridge.token}`), { Origin: base })).rejects.toThrow(/HTTP 401/);
  });

  it("opens for the bridge's own page (cookie, own Origin, same-origin) and for a script with the bearer token", async () => {
    const page = await openSocket(wsUrl(), { ...cookie(), Origin: base, 'Sec-Fetch-Site': 'same-origin' });
    const script = await openSocket(wsUrl(), bearer());
    page.close();
    script.close();
  });
});

describe('the page, its files and the token swap', () => {
  const navigation = { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };

  it('opens the page for a link clicked on another local page (top-level navigation, same-site)', async () => {
    const res = await rawRequest(`${base}/`, { headers: { ...cookie(), ...navigation, 'Sec-Fetch-Site': 'same-site' } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Vaultdesk</title>');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('swaps the printed token for the cookie when the URL is opened from another site', async () => {
    const res = await rawRequest(`${base}/?token=${bridge.token}`, { headers: { ...navigation, 'Sec-Fetch-Site': 'cross-site' } });
    expect(res.status).toBe(303);
    expect(String(res.headers['set-cookie'])).toContain(`${bridge.cookieName}=${bridge.token};`);
  });

  it('refuses embedding, fetching or framing from another site', async () => {
    const fromOtherSite = (mode: string, dest: string): Record<string, string> => ({ ...cookie(), 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': mode, 'Sec-Fetch-Dest': dest });
    expect((await rawRequest(`${base}/assets/app.js`, { headers: fromOtherSite('no-cors', 'script') })).status).toBe(403);
    expect((await rawRequest(`${base}/`, { headers: fromOtherSite('no-cors', 'empty') })).status).toBe(403);
    expect((await rawRequest(`${base}/`, { headers: fromOtherSite('navigate', 'iframe') })).status).toBe(403);
    expect((await rawRequest(`${base}/?token=${bridge.token}`, { headers: fromOtherSite('cors', 'empty') })).status).toBe(403);
    expect((await rawRequest(`${base}/`, { method: 'POST', headers: { ...cookie(), Origin: FOREIGN_PAGE } })).status).toBe(403);
  });

  it('marks every file as same-origin only, so other sites cannot embed it', async () => {
    const res = await rawRequest(`${base}/assets/app.js`, { headers: cookie() });
    expect(res.status).toBe(200);
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('refuses a wrong token in the URL and a swap by POST', async () => {
    expect((await rawRequest(`${base}/?token=${bridge.token}x`)).status).toBe(401);
    const post = await rawRequest(`${base}/?token=${bridge.token}`, { method: 'POST' });
    expect(post.status).toBe(401);
    expect(post.headers['set-cookie']).toBeUndefined();
  });
});
