import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { AppError } from '../../shared/ipc/result';

export type InterfaceLister = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface HostPolicyOptions {
  /** The address the bridge listens on, as given to `listen`. */
  boundHost: string;
  port: number;
  /** Where users reach the bridge when that is not the bound address (a proxy, a port forward). */
  publicUrl?: URL;
  interfaces?: InterfaceLister;
}

export interface HostPolicy {
  /**
   * Guards against DNS rebinding: a page on another site whose name resolves to this machine
   * sends its own name as Host, which is never one of ours.
   */
  allowsHost(hostHeader: string | undefined): boolean;
  /** True for the origins the bridge's own page is served at. */
  isOwnOrigin(origin: string): boolean;
  /** The page's address a user can open (never 0.0.0.0), without the token. */
  pageUrl: string;
  /** The page is reached over https (through a proxy), so the cookie can be Secure. */
  secure: boolean;
}

const HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * `host[:port]` in the form browsers send and `URL#host` yields (lowercase, canonical IPv4/IPv6,
 * no `:80`), or null for anything that is not a plain host. The character check comes first
 * because the URL parser would read `evil@127.0.0.1:1` as a user name and our host.
 */
export function normalizeHost(hostAndPort: string): string | null {
  if (!HOST_HEADER.test(hostAndPort)) return null;
  try {
    return new URL(`http://${hostAndPort}`).host;
  } catch {
    return null;
  }
}

function hostWithPort(address: string, port: number): string {
  return normalizeHost(`${isIP(address) === 6 ? `[${address}]` : address}:${port}`) ?? '';
}

/** The families a wildcard bind accepts (`::` is dual-stack on the platforms we run on), or null for a concrete address. */
function wildcardFamilies(host: string): ReadonlySet<string> | null {
  if (host === '0.0.0.0') return new Set(['IPv4']);
  if (isIP(host) === 6 && normalizeHost(`[${host}]`) === '[::]') return new Set(['IPv4', 'IPv6']);
  return null;
}

/** Checks `--public-url`: the UI is served at the root, so only a scheme, host and port make sense. */
export function parsePublicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('VALIDATION_FAILED', `--public-url must be a full URL such as https://backup.example.com, got "${value}".`, { field: 'public-url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('VALIDATION_FAILED', `--public-url must start with http:// or https://, got "${value}".`, { field: 'public-url' });
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new AppError('VALIDATION_FAILED', `--public-url must be only a scheme, host and port (no user, path, query or fragment), because the UI is served at the root; got "${value}".`, {
      field: 'public-url',
    });
  }
  return url;
}

/**
 * Which Host headers and Origins the bridge answers to. Loopback names with the bound port are
 * always ours; so are the bound address, the public URL's host, and, on a wildcard bind, this
 * machine's interface addresses, read on every request so an address that DHCP changes while
 * the bridge runs is still accepted.
 */
export function hostPolicy(options: HostPolicyOptions): HostPolicy {
  const { boundHost, port, publicUrl } = options;
  const interfaces = options.interfaces ?? networkInterfaces;
  const families = wildcardFamilies(boundHost);
  const fixed = new Set(['localhost', '127.0.0.1', '::1', ...(families ? [] : [boundHost])].map((h) => hostWithPort(h, port)));

  const interfaceAddresses = (): NetworkInterfaceInfo[] =>
    Object.values(interfaces())
      .flatMap((list) => list ?? [])
      .filter((info) => families?.has(info.family) ?? false);

  const servedAt = (host: string): boolean => fixed.has(host) || interfaceAddresses().some((info) => hostWithPort(info.address, port) === host);

  return {
    allowsHost(hostHeader) {
      const host = hostHeader === undefined ? null : normalizeHost(hostHeader);
      return host !== null && (servedAt(host) || host === publicUrl?.host);
    },
    isOwnOrigin(origin) {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false;
      }
      if (publicUrl && url.origin === publicUrl.origin) return true;
      return url.protocol === 'http:' && servedAt(url.host);
    },
    pageUrl: publicUrl?.href ?? `http://${families ? displayAddress(interfaceAddresses(), port) : hostWithPort(boundHost, port)}/`,
    secure: publicUrl?.protocol === 'https:',
  };
}

/** On a wildcard bind, the address someone on another machine can open: IPv4 first, link-local IPv6 never. */
function displayAddress(addresses: NetworkInterfaceInfo[], port: number): string {
  const external = addresses.filter((info) => !info.internal && !(info.family === 'IPv6' && info.address.toLowerCase().startsWith('fe80:')));
  const chosen = external.find((info) => info.family === 'IPv4') ?? external[0];
  return hostWithPort(chosen?.address ?? '127.0.0.1', port);
}
