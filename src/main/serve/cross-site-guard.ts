import type { IncomingMessage } from 'node:http';

const FIRST_PARTY_SITES = new Set(['same-origin', 'none']);

/**
 * Why every request is checked, and why page navigations are the one exception.
 *
 * Browsers keep cookies per host, not per port, and any other loopback port is the same site,
 * so SameSite=Strict still lets a page on 127.0.0.1:8000 send our cookie. The token therefore
 * proves nothing about who asks; the browser's own headers do. `Origin` is sent with every
 * POST and every WebSocket upgrade, over plain http to any address, so a foreign Origin is
 * always refused. `Sec-Fetch-Site` is only sent to trustworthy origins (loopback, https), so
 * it complements Origin rather than replacing it; absent, it proves nothing either way (curl,
 * scripts, older browsers), and those callers still need the token.
 *
 * What reads or changes data: the API and the WebSocket, where every call runs. Never
 * exempt. The page and its files hold no data (the built renderer is the same for everyone
 * and carries no token), and the `?token=` swap only stores a token the request already had
 * to present, so it cannot plant a cookie or reveal one. Both are what a clicked link opens,
 * from a terminal (`none`) or another local page such as a notebook or web terminal
 * (`same-site`), so a top-level GET navigation may come from another site; the page it loads
 * then talks over a same-origin WebSocket, and its routes only choose what to show. Anything
 * else from another site (a fetch, a script or image embed, an iframe, a form POST) is
 * refused, and the responses carry CORP/COOP so they cannot be embedded or scripted either.
 */
export function crossSiteRefusal(req: IncomingMessage, isOwnOrigin: (origin: string) => boolean, navigationAllowed: boolean): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin)) return 'Forbidden: this request comes from a page on another origin.';
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || FIRST_PARTY_SITES.has(String(site))) return null;
  if (navigationAllowed && isTopLevelNavigation(req)) return null;
  return 'Forbidden: this request comes from another site; only the Vaultdesk page itself, or a script with the bearer token, may call the bridge.';
}

function isTopLevelNavigation(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
}
