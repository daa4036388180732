import type { NetworkInterfaceInfo } from 'node:os';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/ipc/result';
import type { Core } from '../core/create-core';
import { tempCore, tempDir } from '../core/testing/temp-dir';
import { startServeBridge, type ServeBridge } from './serve-bridge';
import { hostPolicy, normalizeHost, parsePublicUrl } from './serve-hosts';
import { invokeBody, openSocket, rawRequest, writeRenderer } from './testing/raw-http';

function iface(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const common = { address, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

/** A machine with loopback, one LAN address of each family and a link-local IPv6 address. */
const machine = (): NodeJS.Dict<NetworkInterfaceInfo[]> => ({
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('fe80::fc:ff:fe00:1', 'IPv6'), iface('fd00::2', 'IPv6'), iface('192.0.2.2', 'IPv4')],
});

describe('Host header and origin policy', () => {
  it('reads Host headers the way browsers write them, and nothing that smuggles a name past the check', () => {
    expect(normalizeHost('LOCALHOST:8080')).toBe('localhost:8080');
    expect(normalizeHost('127.0.0.1:80')).toBe('127.0.0.1');
    expect(normalizeHost('[FD00:0::2]:5')).toBe('[fd00::2]:5');
    expect(normalizeHost('evil@127.0.0.1:5')).toBeNull();
    expect(normalizeHost('127.0.0.1:5/evil')).toBeNull();
    expect(normalizeHost('')).toBeNull();
  });

  it('on 0.0.0.0 accepts the IPv4 interface addresses with the bound port, and prints the LAN address', () => {
    const policy = hostPolicy({ boundHost: '0.0.0.0', port: 4100, interfaces: machine });
    for (const host of ['192.0.2.2:4100', '127.0.0.1:4100', 'localhost:4100']) expect(policy.allowsHost(host)).toBe(true);
    for (const host of ['0.0.0.0:4100', '192.0.2.2:4101', 'evil.example:4100', '[fd00::2]:4100', '192.0.2.3:4100']) expect(policy.allowsHost(host)).toBe(false);
    expect(policy.allowsHost(undefined)).toBe(false);
    expect(policy.pageUrl).toBe('http://192.0.2.2:4100/');
    expect(policy.isOwnOrigin('http://192.0.2.2:4100')).toBe(true);
    expect(policy.isOwnOrigin('http://192.0.2.2:8000')).toBe(false);
    expect(policy.isOwnOrigin('https://192.0.2.2:4100')).toBe(false);
  });

  it('on :: accepts both families but never prints a link-local address', () => {
    const policy = hostPolicy({ boundHost: '::', port: 4100, interfaces: machine });
    expect(policy.allowsHost('[fd00::2]:4100')).toBe(true);
    expect(policy.allowsHost('192.0.2.2:4100')).toBe(true);
    const ipv6Only = (): NodeJS.Dict<NetworkInterfaceInfo[]> => ({ eth0: [iface('fe80::1', 'IPv6'), iface('fd00::2', 'IPv6')] });
    expect(hostPolicy({ boundHost: '::', port: 4100, interfaces: ipv6Only }).pageUrl).toBe('http://[fd00::2]:4100/');
  });

  it('prints loopback on a wildcard bind when the machine has no other address', () => {
    const loopbackOnly = (): NodeJS.Dict<NetworkInterfaceInfo[]> => ({ lo: [iface('127.0.0.1', 'IPv4', true)] });
    expect(hostPolicy({ boundHost: '0.0.0.0', port: 4100, interfaces: loopbackOnly }).pageUrl).toBe('http://127.0.0.1:4100/');
  });

  it('reads the interfaces on every request, so an address that appears later is accepted', () => {
    let addresses = [iface('192.0.2.2', 'IPv4')];
    const policy = hostPolicy({ boundHost: '0.0.0.0', port: 4100, interfaces: () => ({ eth0: addresses }) });
    expect(policy.allowsHost('198.51.100.7:4100')).toBe(false);
    addresses = [iface('198.51.100.7', 'IPv4')];
    expect(policy.allowsHost('198.51.100.7:4100')).toBe(true);
  });

  it('on a concrete address accepts that address but not the rest of the machine', () => {
    const policy = hostPolicy({ boundHost: '192.0.2.2', port: 4100, interfaces: machine });
    expect(policy.allowsHost('192.0.2.2:4100')).toBe(true);
    expect(policy.allowsHost('[fd00::2]:4100')).toBe(false);
    expect(policy.pageUrl).toBe('http://192.0.2.2:4100/');
  });

  it('with --public-url accepts its host and origin, prints it, and makes the cookie Secure for https', () => {
    const policy = hostPolicy({ boundHost: '127.0.0.1', port: 4100, publicUrl: parsePublicUrl('https://Backup.Example.com'), interfaces: machine });
    expect(policy.allowsHost('backup.example.com')).toBe(true);
    expect(policy.allowsHost('backup.example.com:4100')).toBe(false);
    expect(policy.isOwnOrigin('https://backup.example.com')).toBe(true);
    expect(policy.isOwnOrigin('http://backup.example.com')).toBe(false);
    expect(policy.pageUrl).toBe('https://backup.example.com/');
    expect(policy.secure).toBe(true);
  });

  it('refuses a --public-url that is not a plain http(s) origin, saying why', () => {
    const refusal = (value: string): AppError => {
      try {
        parsePublicUrl(value);
      } catch (error) {
        return error as AppError;
      }
      throw new Error(`${value} was accepted`);
    };
    expect(refusal('backup.example.com')).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('must be a full URL') as unknown });
    expect(refusal('ftp://backup.example.com')).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('http:// or https://') as unknown });
    for (const value of ['https://backup.example.com/vaultdesk', 'https://u:p@backup.example.com', 'https://backup.example.com/?a=1', 'https://backup.example.com/#x']) {
      expect(refusal(value)).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('served at the root') as unknown });
    }
  });
});

describe('bridges beyond the default loopback address', () => {
  let t: ReturnType<typeof tempDir>;
  let core: Core;
  const bridges: ServeBridge[] = [];

  beforeEach(async () => {
    t = tempDir();
    core = await tempCore(t.dir);
  });
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((b) => b.close()));
    core.close();
    t.cleanup();
  });

  const start = async (options: { host?: string; publicUrl?: string } = {}): Promise<ServeBridge> => {
    const bridge = await startServeBridge({ core, rendererDir: writeRenderer(t.dir), ...options });
    bridges.push(bridge);
    return bridge;
  };
  const create = (url: string, bridge: ServeBridge, name: string, headers: Record<string, string> = {}): ReturnType<typeof rawRequest> =>
    rawRequest(`${url}/api/invoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bridge.token}`, ...headers },
      body: invokeBody('destinations:create', { kind: 'local', name, path: path.join(t.dir, name) }),
    });
  const names = (): string[] => core.destinations.list().map((d) => d.name);

  it('with --host 0.0.0.0 answers a script at the machine address with its bearer token, refuses a foreign Host, and prints an address a browser can open', async () => {
    const lan = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .find((info) => info.family === 'IPv4' && !info.internal)?.address;
    // The brief allows 127.0.0.1 where the machine has no other IPv4 address.
    const address = lan ?? '127.0.0.1';
    const bridge = await start({ host: '0.0.0.0' });
    expect(bridge.url).toMatch(new RegExp(`^http://${address.replaceAll('.', '\\.')}:${bridge.port}/\\?token=`));
    expect(bridge.url).not.toContain('0.0.0.0');

    const direct = `http://${address}:${bridge.port}`;
    const ok = await create(direct, bridge, 'lan-dest');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, data: { name: 'lan-dest' } });

    const rebinding = await create(direct, bridge, 'evil-dest', { Host: `evil.example:${bridge.port}` });
    expect(rebinding.status).toBe(403);
    expect((await create(`http://127.0.0.1:${bridge.port}`, bridge, 'evil-dest', { Host: `0.0.0.0:${bridge.port}` })).status).toBe(403);
    expect(names()).toEqual(['lan-dest']);

    // The page, opened at the printed URL, gets its cookie and its socket on that address.
    const swap = await rawRequest(bridge.url);
    expect(swap.status).toBe(303);
    const ws = await openSocket(`ws://${address}:${bridge.port}/api/ws`, { Cookie: `${bridge.cookieName}=${bridge.token}`, Origin: direct });
    ws.close();
  });

  it('with --public-url prints that URL and answers requests that arrive with its Host, as through a proxy', async () => {
    const bridge = await start({ publicUrl: 'https://vault.example.test:8443' });
    expect(bridge.url).toBe(`https://vault.example.test:8443/?token=${bridge.token}`);
    const viaProxy = { Host: 'vault.example.test:8443' };
    const local = `http://127.0.0.1:${bridge.port}`;

    const swap = await rawRequest(`${local}/?token=${bridge.token}`, { headers: viaProxy });
    expect(swap.status).toBe(303);
    expect(String(swap.headers['set-cookie'])).toMatch(/; Secure$/);
    const ws = await openSocket(`ws://127.0.0.1:${bridge.port}/api/ws`, { ...viaProxy, Cookie: `${bridge.cookieName}=${bridge.token}`, Origin: 'https://vault.example.test:8443' });
    ws.close();
    await expect(
      openSocket(`ws://127.0.0.1:${bridge.port}/api/ws`, { ...viaProxy, Cookie: `${bridge.cookieName}=${bridge.token}`, Origin: 'https://vault.example.test:9443' }),
    ).rejects.toThrow(/HTTP 403/);

    expect((await create(local, bridge, 'proxied-dest', viaProxy)).status).toBe(200);
    expect((await create(local, bridge, 'evil-dest', { Host: 'other.example.test:8443' })).status).toBe(403);
    expect(names()).toEqual(['proxied-dest']);
  });

  it('refuses to start with a --public-url that has a path', async () => {
    await expect(start({ publicUrl: 'https://vault.example.test/vaultdesk/' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('two bridges on one host keep separate cookies, named by port, and each page keeps working', async () => {
    const a = await start();
    const b = await start();
    const cookieOf = async (bridge: ServeBridge): Promise<string> => String((await rawRequest(bridge.url)).headers['set-cookie']).split(';')[0]!;
    const [cookieA, cookieB] = [await cookieOf(a), await cookieOf(b)];
    expect(cookieA).toBe(`vaultdesk_token_${a.port}=${a.token}`);
    expect(cookieB).toBe(`vaultdesk_token_${b.port}=${b.token}`);

    // A browser sends every cookie of 127.0.0.1 to both ports; each bridge picks its own.
    const jar = { Cookie: `${cookieA}; ${cookieB}` };
    for (const bridge of [a, b]) {
      const page = await rawRequest(`http://127.0.0.1:${bridge.port}/`, { headers: jar });
      expect(page.status).toBe(200);
      const ws = await openSocket(`ws://127.0.0.1:${bridge.port}/api/ws`, { ...jar, Origin: `http://127.0.0.1:${bridge.port}` });
      ws.close();
    }
    expect((await rawRequest(`http://127.0.0.1:${b.port}/`, { headers: { Cookie: cookieA } })).status).toBe(401);
  });
});
