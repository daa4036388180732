import path from "node:path";
// src/main/host/renderer-files.ts
/**
* The built renderer's files as the hosts that serve them (`serve` over HTTP, the desktop app
* over its app:// scheme) both need them: where a URL path may lead, and with which type.
*/
var TYPES = {
	".html": "text/html; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".mjs": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".json": "application/json",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
	".woff2": "font/woff2",
	".woff": "font/woff"
};
/** The page's policy, sent as a header beside index.html's own meta tag (a header can say frame-ancestors, a meta tag cannot). */
var CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
function contentTypeOf(file) {
	return TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}
/**
* Resolves a URL path inside `root`, or null when it would leave it (`..`, encoded slashes,
* NUL bytes): a host must never serve a file outside the built renderer.
*/
function resolveInside(root, urlPath) {
	let decoded;
	try {
		decoded = decodeURIComponent(urlPath);
	} catch {
		return null;
	}
	if (decoded.includes("\0") || decoded.includes("\\")) return null;
	const full = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
	const rel = path.relative(root, full);
	if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
	return full;
}
export { contentTypeOf as n, resolveInside as r, CONTENT_SECURITY_POLICY as t };
