import { readFile, stat } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY, contentTypeOf, resolveInside } from '../host/renderer-files';

/**
 * The built page is served from `app://vaultdesk/`, not file://: its URL does not depend on
 * where the app is installed (a `%` or `#` in that path made file:// URLs compare unequal), a
 * file:// page could read any local file, and a standard, secure scheme gets an origin of its
 * own that CSP's 'self' and the IPC sender check can name.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vaultdesk';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** For `protocol.registerSchemesAsPrivileged`, which must run before `ready`. */
export const APP_SCHEME_PRIVILEGES = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } } as const;

/** What a request to the app scheme resolves to: a file of the built renderer, or a refusal. */
export type AppFileTarget = { status: 200; file: string; headers: Record<string, string> } | { status: 400 | 404 | 405; reason: string };

/**
 * Where `url` leads inside `rendererDir`. Only the app's own host, only GET and HEAD, only
 * files under the folder: `..`, encoded slashes and NUL bytes are refused. Whether the file
 * exists is for the caller to find out.
 */
export function resolveAppRequest(rendererDir: string, url: string, method: string): AppFileTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 400, reason: 'Bad URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '') {
    return { status: 404, reason: 'Not found' };
  }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, reason: 'Method not allowed' };
  const file = resolveInside(rendererDir, parsed.pathname === '/' || parsed.pathname === '' ? '/index.html' : parsed.pathname);
  if (file === null) return { status: 400, reason: 'Bad path' };
  const isHtml = file.toLowerCase().endsWith('.html');
  return {
    status: 200,
    file,
    headers: {
      'Content-Type': contentTypeOf(file),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': isHtml ? 'no-store' : 'private, max-age=3600',
      ...(isHtml ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } : {}),
    },
  };
}

/** The `protocol.handle('app', ...)` handler: the resolved file, or a plain-text refusal. */
export async function handleAppRequest(rendererDir: string, request: Request): Promise<Response> {
  const target = resolveAppRequest(rendererDir, request.url, request.method);
  if (target.status !== 200) return refusal(target.status, target.reason);
  try {
    if (!(await stat(target.file)).isFile()) return refusal(404, 'Not found');
    const body = request.method === 'HEAD' ? null : await readFile(target.file);
    return new Response(body, { status: 200, headers: target.headers });
  } catch {
    return refusal(404, 'Not found');
  }
}

function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
