import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp-dir';
import { handleAppRequest, resolveAppRequest } from './app-protocol';

describe('resolveAppRequest', () => {
  const root = '/opt/Vault 100%/resources/app/out/renderer';

  it('maps the page and its assets to files under the renderer folder, with their types', () => {
    expect(resolveAppRequest(root, 'app://vaultdesk/index.html', 'GET')).toMatchObject({
      status: 200,
      file: path.join(root, 'index.html'),
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    });
    expect(resolveAppRequest(root, 'app://vaultdesk/', 'GET')).toMatchObject({ status: 200, file: path.join(root, 'index.html') });
    const script = resolveAppRequest(root, 'app://vaultdesk/assets/index-Boq4.js?v=1#x', 'GET');
    expect(script).toMatchObject({ status: 200, file: path.join(root, 'assets', 'index-Boq4.js'), headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
    expect(script.status === 200 && script.headers).not.toHaveProperty('Content-Security-Policy');
    expect(resolveAppRequest(root, 'app://vaultdesk/assets/index.css', 'HEAD')).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/css; charset=utf-8' } });
    expect(resolveAppRequest(root, 'app://vaultdesk/favicon.svg', 'GET')).toMatchObject({ headers: { 'Content-Type': 'image/svg+xml' } });
    expect(resolveAppRequest(root, 'app://vaultdesk/assets/blob.bin', 'GET')).toMatchObject({ headers: { 'Content-Type': 'application/octet-stream' } });
    expect(resolveAppRequest(root, 'app://vaultdesk/My%20Page.html', 'GET')).toMatchObject({ file: path.join(root, 'My Page.html') });
  });

  it("sends the page's content security policy with the HTML", () => {
    const page = resolveAppRequest(root, 'app://vaultdesk/index.html', 'GET');
    expect(page.status === 200 && page.headers['Content-Security-Policy']).toContain("script-src 'self'");
    expect(page.status === 200 && page.headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
  });

  it('never leads outside the renderer folder', () => {
    for (const url of [
      'app://vaultdesk/..%2f..%2f..%2fetc%2fpasswd',
      'app://vaultdesk/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fmain%2findex.js',
      'app://vaultdesk/%2e%2e%5c%2e%2e%5cmain%5cindex.js',
      'app://vaultdesk/index.html%00.js',
      'app://vaultdesk/%E0%A4%A',
    ]) {
      const target = resolveAppRequest(root, url, 'GET');
      if (target.status === 200) expect(path.relative(root, target.file).startsWith('..')).toBe(false);
      else expect(target).toEqual({ status: 400, reason: 'Bad path' });
    }
    // Dot segments the URL parser removes stay inside the folder too.
    expect(resolveAppRequest(root, 'app://vaultdesk/../../etc/passwd', 'GET')).toMatchObject({ status: 200, file: path.join(root, 'etc', 'passwd') });
  });

  it('refuses other hosts, ports, credentials, schemes and methods', () => {
    expect(resolveAppRequest(root, 'app://elsewhere/index.html', 'GET')).toEqual({ status: 404, reason: 'Not found' });
    expect(resolveAppRequest(root, 'app://vaultdesk:81/index.html', 'GET')).toEqual({ status: 404, reason: 'Not found' });
    expect(resolveAppRequest(root, 'app://u:p@vaultdesk/index.html', 'GET')).toEqual({ status: 404, reason: 'Not found' });
    expect(resolveAppRequest(root, 'file:///opt/index.html', 'GET')).toEqual({ status: 404, reason: 'Not found' });
    expect(resolveAppRequest(root, 'app://vaultdesk/index.html', 'POST')).toEqual({ status: 405, reason: 'Method not allowed' });
    expect(resolveAppRequest(root, 'not a url', 'GET')).toEqual({ status: 400, reason: 'Bad URL' });
  });
});

describe('handleAppRequest', () => {
  const t = tempDir('vaultdesk-app-protocol-');
  afterAll(() => t.cleanup());
  const root = path.join(t.dir, 'out', 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Vaultdesk</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(t.dir, 'out', 'secret.txt'), 'not for the page');

  it('serves the files with their bytes and types, and 404 for what is missing, a folder, or outside', async () => {
    const page = await handleAppRequest(root, new Request('app://vaultdesk/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toBe('<!doctype html><title>Vaultdesk</title>');
    const script = await handleAppRequest(root, new Request('app://vaultdesk/assets/app.js'));
    expect(await script.text()).toBe('console.log(1)');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    const head = await handleAppRequest(root, new Request('app://vaultdesk/assets/app.js', { method: 'HEAD' }));
    expect([head.status, await head.text()]).toEqual([200, '']);

    const missing = await handleAppRequest(root, new Request('app://vaultdesk/nope.js'));
    expect([missing.status, await missing.text()]).toEqual([404, 'Not found']);
    expect((await handleAppRequest(root, new Request('app://vaultdesk/assets'))).status).toBe(404);
    // ../secret.txt is looked for inside the folder, where it is not.
    const outside = await handleAppRequest(root, new Request('app://vaultdesk/..%2fsecret.txt'));
    expect([outside.status, await outside.text()]).toEqual([404, 'Not found']);
    const backslash = await handleAppRequest(root, new Request('app://vaultdesk/..%5csecret.txt'));
    expect([backslash.status, await backslash.text()]).toEqual([400, 'Bad path']);
    expect((await handleAppRequest(root, new Request('app://vaultdesk/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
