import { describe, expect, it } from 'vitest';
import { appPage, isAppPageUrl } from './app-origin';

describe('isAppPageUrl', () => {
  const built = appPage(undefined);

  it('accepts the page served from the app scheme, with or without a route in the hash', () => {
    expect(built.url).toBe('app://vaultdesk/index.html');
    expect(isAppPageUrl('app://vaultdesk/index.html', built)).toBe(true);
    expect(isAppPageUrl('app://vaultdesk/index.html#/destinations', built)).toBe(true);
  });

  it('refuses other files and hosts of the scheme, file:// (where the page used to be), a query string and missing frames', () => {
    expect(isAppPageUrl('app://vaultdesk/other.html', built)).toBe(false);
    expect(isAppPageUrl('app://vaultdesk/', built)).toBe(false);
    expect(isAppPageUrl('app://vaultdesk/assets/index.js', built)).toBe(false);
    expect(isAppPageUrl('app://elsewhere/index.html', built)).toBe(false);
    expect(isAppPageUrl('app://vaultdesk:8080/index.html', built)).toBe(false);
    expect(isAppPageUrl('app://user:pw@vaultdesk/index.html', built)).toBe(false);
    expect(isAppPageUrl('app://vaultdesk/index.html?x=1', built)).toBe(false);
    expect(isAppPageUrl('file:///opt/Vaultdesk/resources/app/out/renderer/index.html', built)).toBe(false);
    expect(isAppPageUrl('https://example.com/', built)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', built)).toBe(false);
    expect(isAppPageUrl('about:blank', built)).toBe(false);
    expect(isAppPageUrl('', built)).toBe(false);
    expect(isAppPageUrl(undefined, built)).toBe(false);
    expect(isAppPageUrl('not a url', built)).toBe(false);
  });

  it('compares paths after normalisation, so a dotted path is the page only when it leads to it', () => {
    expect(isAppPageUrl('app://vaultdesk/assets/../index.html', built)).toBe(true);
    expect(isAppPageUrl('app://vaultdesk/%2e%2e/index.html', built)).toBe(true);
    expect(isAppPageUrl('app://vaultdesk/index.html/..', built)).toBe(false);
    expect(isAppPageUrl('app://vaultdesk/assets%2f..%2findex.html', built)).toBe(false);
  });

  it('does not depend on where the app is installed: the URL the window loads is the one the check accepts', () => {
    // The file:// check failed for install paths with % or # in them; the app scheme has no install path in it.
    expect(isAppPageUrl(built.url, built)).toBe(true);
    expect(appPage(undefined)).toEqual(built);
  });

  it('accepts the dev server origin only when running under electron-vite dev on loopback', () => {
    const dev = appPage('http://localhost:5173');
    expect(isAppPageUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/#/jobs', dev)).toBe(true);
    expect(isAppPageUrl('app://vaultdesk/index.html', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppPageUrl('http://user:pw@localhost:5173/', dev)).toBe(false);
    expect(appPage('http://192.168.1.5:5173').devOrigin).toBeNull();
    expect(appPage('https://localhost:5173').devOrigin).toBeNull();
  });
});
