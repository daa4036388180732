import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CDPSession } from '@playwright/test';
import { expect, test } from './fixtures/vaultdesk-fixture';
import { AppPage } from './pages/app-page';

/**
 * Issue 11, section 1: after the bridge's URL was opened (so the browser holds its cookie), a
 * page served from another loopback port tries a no-cors fetch, a form POST and a WebSocket to
 * the bridge. Another port on 127.0.0.1 is the same site, so the browser sends the cookie with
 * all three; the bridge must refuse every one and write nothing.
 */

interface AttackResults {
  fetchType?: string;
  wsOpened?: boolean;
  wsMessages: string[];
  wsCloseCode?: number;
  done?: boolean;
}

declare global {
  interface Window {
    attack: AttackResults;
  }
}

function createInput(name: string, dir: string): Record<string, string> {
  return { kind: 'local', name, path: path.join(dir, name) };
}

/** The other site: a page whose script goes for the bridge as soon as it loads, and a form the test submits. */
function attackerHtml(bridge: URL, dir: string): string {
  const fetchBody = JSON.stringify({ channel: 'destinations:create', input: createInput('evil-fetch', dir) });
  const wsMessage = JSON.stringify({ type: 'invoke', id: 1, channel: 'destinations:create', input: createInput('evil-ws', dir) });
  // text/plain form encoding sends `name=value`: the name opens the JSON and the value closes it.
  const formName = `{"channel":"destinations:create","input":${JSON.stringify(createInput('evil-form', dir))},"pad":"`;
  const script = `
    window.attack = { wsMessages: [] };
    (async () => {
      try {
        const r = await fetch(${JSON.stringify(`${bridge.origin}/api/invoke`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: ${JSON.stringify(fetchBody)} });
        window.attack.fetchType = r.type;
      } catch (e) {
        window.attack.fetchType = 'failed: ' + e;
      }
      await new Promise((resolve) => {
        const ws = new WebSocket(${JSON.stringify(`ws://${bridge.host}/api/ws`)});
        ws.onopen = () => { window.attack.wsOpened = true; ws.send(${JSON.stringify(wsMessage)}); };
        ws.onmessage = (e) => window.attack.wsMessages.push(String(e.data));
        ws.onclose = (e) => { window.attack.wsCloseCode = e.code; resolve(); };
      });
      window.attack.done = true;
    })();`;
  return `<!doctype html><title>Another local app</title>
    <form id="evil-form" method="POST" enctype="text/plain" action="${bridge.origin}/api/invoke">
      <input type="hidden" name='${formName}' value='"}'>
    </form>
    <script>${script}</script>`;
}

async function startAttackerServer(html: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface WireRequest {
  url: string;
  method: string;
  type: string;
  headers: Record<string, string>;
  status?: number;
  blockedReason?: string;
}

/**
 * What went over the wire, from Chromium's network layer: the bridge's answers carry
 * Cross-Origin-Resource-Policy, so the browser withholds a refused no-cors response from the
 * page and from Playwright's response events, but the status line still arrived.
 */
async function recordWire(cdp: CDPSession): Promise<Map<string, WireRequest>> {
  const wire = new Map<string, WireRequest>();
  const entry = (id: string): WireRequest => wire.get(id) ?? wire.set(id, { url: '', method: '', type: '', headers: {} }).get(id)!;
  cdp.on('Network.requestWillBeSent', (e) => Object.assign(entry(e.requestId), { url: e.request.url, method: e.request.method, type: e.type ?? '' }));
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => Object.assign(entry(e.requestId).headers, lowerCaseKeys(e.headers)));
  cdp.on('Network.responseReceivedExtraInfo', (e) => (entry(e.requestId).status = e.statusCode));
  cdp.on('Network.loadingFailed', (e) => (entry(e.requestId).blockedReason = e.blockedReason ?? e.corsErrorStatus?.corsError ?? e.errorText));
  cdp.on('Network.webSocketCreated', (e) => Object.assign(entry(e.requestId), { url: e.url, method: 'GET', type: 'WebSocket' }));
  cdp.on('Network.webSocketFrameError', (e) => (entry(e.requestId).blockedReason = e.errorMessage));
  await cdp.send('Network.enable');
  return wire;
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** A script with the bearer token: the one way in over HTTP, and how the test reads what was written. */
async function invokeAsScript(bridge: URL, channel: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${bridge.origin}/api/invoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bridge.searchParams.get('token')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, input }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

test('a page on another loopback port cannot use the bridge through its cookie: fetch, form POST and WebSocket are refused and nothing is written', async ({ page, context, vaultdesk, scratchDir }) => {
  const bridge = new URL(vaultdesk.url);
  await new AppPage(page).open(vaultdesk.url);
  const cookieName = `vaultdesk_token_${bridge.port}`;
  expect((await context.cookies(bridge.origin)).map((c) => c.name)).toContain(cookieName);

  const { server, origin: attackerOrigin } = await startAttackerServer(attackerHtml(bridge, scratchDir));
  try {
    const attacker = await context.newPage();
    const wire = await recordWire(await context.newCDPSession(attacker));
    const socketClosed = new Promise<boolean>((resolve) => attacker.on('websocket', (ws) => ws.on('close', () => resolve(true))));

    await attacker.goto(attackerOrigin);
    await attacker.waitForFunction(() => window.attack?.done === true);
    const results = await attacker.evaluate(() => window.attack);
    // The bridge answered 403 with CORP, so Chromium fails the opaque fetch instead of handing it over.
    expect(results.fetchType).toMatch(/^failed: TypeError/);
    expect(results.wsOpened).toBeUndefined();
    expect(results.wsMessages).toEqual([]);
    expect(results.wsCloseCode).toBe(1006); // the handshake was refused
    expect(await socketClosed).toBe(true);

    const [formResponse] = await Promise.all([
      attacker.waitForResponse((r) => r.url() === `${bridge.origin}/api/invoke` && r.request().resourceType() === 'document'),
      attacker.evaluate(() => (document.getElementById('evil-form') as HTMLFormElement).submit()),
    ]);
    expect(formResponse.status()).toBe(403);

    const toBridgeNow = () => [...wire.values()].filter((r) => r.url.startsWith(bridge.origin) || r.url.startsWith(`ws://${bridge.host}`));
    // The CDP event with the form's answer may come a moment after Playwright's own.
    await expect.poll(() => toBridgeNow().filter((r) => r.method === 'POST' && r.status === undefined).length).toBe(0);
    const toBridge = toBridgeNow();
    expect(toBridge.filter((r) => r.type === 'WebSocket').map((r) => r.blockedReason)).toEqual(['Error during WebSocket handshake: Unexpected response code: 403']);
    const posts = toBridge.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.type, r.status])).toEqual([
      ['Fetch', 403],
      ['Document', 403],
    ]);
    // The attack was live: the browser sent the bridge's cookie, from a same-site page.
    for (const { headers } of posts) {
      expect(headers.cookie).toContain(`${cookieName}=`);
      expect(headers.origin).toBe(attackerOrigin);
      expect(headers['sec-fetch-site']).toBe('same-site');
    }
    await attacker.close();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }

  expect(await invokeAsScript(bridge, 'destinations:list', {})).toEqual({ ok: true, data: [] });
  // The list is live: what a script with the bearer token creates does show up.
  await invokeAsScript(bridge, 'destinations:create', createInput('script-dest', scratchDir));
  const after = (await invokeAsScript(bridge, 'destinations:list', {})) as { data: { name: string }[] };
  expect(after.data.map((d) => d.name)).toEqual(['script-dest']);

  // The bridge's own page still works with its cookie.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});
