import { createReadStream, statSync, type Stats } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, contentTypeOf, resolveInside } from '../host/renderer-files';

/** Serves a file of the built renderer; unknown paths without an extension get index.html (client routing). */
export function serveStatic(root: string, urlPath: string, res: ServerResponse): void {
  let file = resolveInside(root, urlPath === '/' ? '/index.html' : urlPath);
  if (file === null) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad path');
    return;
  }
  let stat = statOrNull(file);
  if (!stat?.isFile() && path.extname(file) === '') {
    file = path.join(root, 'index.html');
    stat = statOrNull(file);
  }
  if (!stat?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  const isHtml = file.endsWith('.html');
  res.writeHead(200, {
    'Content-Type': contentTypeOf(file),
    'Content-Length': Number(stat.size),
    'Cache-Control': isHtml ? 'no-store' : 'private, max-age=3600',
    ...(isHtml ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } : {}),
  });
  createReadStream(file).pipe(res);
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
