import { describe, expect, it } from 'vitest';
import { appPage, isAppPageUrl } from './app-origin';

describe('isAppPageUrl', () => {
  const built = appPage('/opt/Vaultdesk/resources/app/out/renderer/index.html', undefined);

  it('accepts the built index.html, with or without a route in the hash', () => {
    expect(isAppPageUrl('file:///opt/Vaultdesk/resources/app/out/renderer/index.html', built)).toBe(true);
    expect(isAppPageUrl('file:///opt/Vaultdesk/resources/app/out/renderer/index.html#/destinations', built)).toBe(true);
  });

  it('refuses any other file, a query string, other schemes and missing frames', () => {
    expect(isAppPageUrl('file:///opt/Vaultdesk/resources/app/out/renderer/other.html', built)).toBe(false);
    expect(isAppPageUrl('file:///tmp/index.html', built)).toBe(false);
    expect(isAppPageUrl('file:///opt/Vaultdesk/resources/app/out/renderer/index.html?x=1', built)).toBe(false);
    expect(isAppPageUrl('https://example.com/', built)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', built)).toBe(false);
    expect(isAppPageUrl('about:blank', built)).toBe(false);
    expect(isAppPageUrl('', built)).toBe(false);
    expect(isAppPageUrl(undefined, built)).toBe(false);
    expect(isAppPageUrl('not a url', built)).toBe(false);
  });

  it('does not let a path trick reach the page: encoded and dotted paths are compared after normalisation', () => {
    expect(isAppPageUrl('file:///opt/Vaultdesk/resources/app/out/renderer/../renderer/index.html', built)).toBe(true);
    expect(isAppPageUrl('file:///opt/Vaultdesk/resources/app/out/renderer/index.html/..', built)).toBe(false);
    expect(isAppPageUrl('file://evil.example/opt/Vaultdesk/resources/app/out/renderer/index.html', built)).toBe(false);
  });

  it('accepts the dev server origin only when running under electron-vite dev on loopback', () => {
    const dev = appPage('/repo/out/renderer/index.html', 'http://localhost:5173');
    expect(isAppPageUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/#/jobs', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppPageUrl('http://user:pw@localhost:5173/', dev)).toBe(false);
    expect(appPage('/repo/out/renderer/index.html', 'http://192.168.1.5:5173').devOrigin).toBeNull();
    expect(appPage('/repo/out/renderer/index.html', 'https://localhost:5173').devOrigin).toBeNull();
  });

  it('handles paths that need escaping in a file URL', () => {
    const spaced = appPage('/home/dba/My Apps/Vaultdesk #2/out/renderer/index.html', undefined);
    expect(isAppPageUrl(spaced.fileUrl, spaced)).toBe(true);
    expect(spaced.fileUrl).toContain('My%20Apps/Vaultdesk%20%232');
  });
});
