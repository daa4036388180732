import { t as EVENT_CHANNELS } from "./channels-wSOrHlYY.js";
import { t as AppError } from "./result-9C-V9fjg.js";
import { i as silentLogger } from "./logger-DPaTZ2i9.js";
import { n as contentTypeOf, r as resolveInside, t as CONTENT_SECURITY_POLICY } from "./renderer-files-N8g3VKyj.js";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { createReadStream, existsSync, statSync } from "node:fs";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { createServer as createServer$1 } from "node:http";
import { WebSocketServer } from "ws";
/**
* The cookie that carries the per-start token after the first page load. Browsers keep cookies
* per host, not per port, so the bridge's port is in the name: two bridges on one machine would
* otherwise overwrite each other's cookie.
*/
function tokenCookieName(port) {
	return `vaultdesk_token_${port}`;
}
// src/main/serve/cross-site-guard.ts
var FIRST_PARTY_SITES = /* @__PURE__ */ new Set(["same-origin", "none"]);
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
function crossSiteRefusal(req, isOwnOrigin, navigationAllowed) {
	const origin = req.headers.origin;
	if (origin !== void 0 && !isOwnOrigin(origin)) return "Forbidden: this request comes from a page on another origin.";
	const site = req.headers["sec-fetch-site"];
	if (site === void 0 || FIRST_PARTY_SITES.has(String(site))) return null;
	if (navigationAllowed && isTopLevelNavigation(req)) return null;
	return "Forbidden: this request comes from another site; only the Vaultdesk page itself, or a script with the bearer token, may call the bridge.";
}
function isTopLevelNavigation(req) {
	return (req.method === "GET" || req.method === "HEAD") && req.headers["sec-fetch-mode"] === "navigate" && req.headers["sec-fetch-dest"] === "document";
}
// src/main/serve/serve-auth.ts
function newToken() {
	return randomBytes(32).toString("base64url");
}
function tokensEqual(expected, given) {
	if (!given) return false;
	const a = Buffer.from(expected);
	const b = Buffer.from(given);
	return a.length === b.length && timingSafeEqual(a, b);
}
function cookieToken(req, cookieName) {
	const header = req.headers.cookie;
	if (!header) return null;
	for (const part of header.split(";")) {
		const [name, ...rest] = part.trim().split("=");
		if (name === cookieName) return rest.join("=");
	}
	return null;
}
function bearerToken(req) {
	const header = req.headers.authorization;
	return header?.startsWith("Bearer ") ? header.slice(7) : null;
}
// src/main/serve/serve-hosts.ts
var HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
/**
* `host[:port]` in the form browsers send and `URL#host` yields (lowercase, canonical IPv4/IPv6,
* no `:80`), or null for anything that is not a plain host. The character check comes first
* because the URL parser would read `evil@127.0.0.1:1` as a user name and our host.
*/
function normalizeHost(hostAndPort) {
	if (!HOST_HEADER.test(hostAndPort)) return null;
	try {
		return new URL(`http://${hostAndPort}`).host;
	} catch {
		return null;
	}
}
function hostWithPort(address, port) {
	return normalizeHost(`${isIP(address) === 6 ? `[${address}]` : address}:${port}`) ?? "";
}
/** The families a wildcard bind accepts (`::` is dual-stack on the platforms we run on), or null for a concrete address. */
function wildcardFamilies(host) {
	if (host === "0.0.0.0") return /* @__PURE__ */ new Set(["IPv4"]);
	if (isIP(host) === 6 && normalizeHost(`[${host}]`) === "[::]") return /* @__PURE__ */ new Set(["IPv4", "IPv6"]);
	return null;
}
/** Checks `--public-url`: the UI is served at the root, so only a scheme, host and port make sense. */
function parsePublicUrl(value) {
	let url;
	try {
		url = new URL(value);
	} catch {
		throw new AppError("VALIDATION_FAILED", `--public-url must be a full URL such as https://backup.example.com, got "${value}".`, { field: "public-url" });
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("VALIDATION_FAILED", `--public-url must start with http:// or https://, got "${value}".`, { field: "public-url" });
	if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) throw new AppError("VALIDATION_FAILED", `--public-url must be only a scheme, host and port (no user, path, query or fragment), because the UI is served at the root; got "${value}".`, { field: "public-url" });
	return url;
}
/**
* Which Host headers and Origins the bridge answers to. Loopback names with the bound port are
* always ours; so are the bound address, the public URL's host, and, on a wildcard bind, this
* machine's interface addresses, read on every request so an address that DHCP changes while
* the bridge runs is still accepted.
*/
function hostPolicy(options) {
	const { boundHost, port, publicUrl } = options;
	const interfaces = options.interfaces ?? networkInterfaces;
	const families = wildcardFamilies(boundHost);
	const fixed = new Set([
		"localhost",
		"127.0.0.1",
		"::1",
		...families ? [] : [boundHost]
	].map((h) => hostWithPort(h, port)));
	const interfaceAddresses = () => Object.values(interfaces()).flatMap((list) => list ?? []).filter((info) => families?.has(info.family) ?? false);
	const servedAt = (host) => fixed.has(host) || interfaceAddresses().some((info) => hostWithPort(info.address, port) === host);
	return {
		allowsHost(hostHeader) {
			const host = hostHeader === void 0 ? null : normalizeHost(hostHeader);
			return host !== null && (servedAt(host) || host === publicUrl?.host);
		},
		isOwnOrigin(origin) {
			let url;
			try {
				url = new URL(origin);
			} catch {
				return false;
			}
			if (publicUrl && url.origin === publicUrl.origin) return true;
			return url.protocol === "http:" && servedAt(url.host);
		},
		pageUrl: publicUrl?.href ?? `http://${families ? displayAddress(interfaceAddresses(), port) : hostWithPort(boundHost, port)}/`,
		secure: publicUrl?.protocol === "https:"
	};
}
/** On a wildcard bind, the address someone on another machine can open: IPv4 first, link-local IPv6 never. */
function displayAddress(addresses, port) {
	const external = addresses.filter((info) => !info.internal && !(info.family === "IPv6" && info.address.toLowerCase().startsWith("fe80:")));
	return hostWithPort((external.find((info) => info.family === "IPv4") ?? external[0])?.address ?? "127.0.0.1", port);
}
// src/main/serve/static-files.ts
/** Serves a file of the built renderer; unknown paths without an extension get index.html (client routing). */
function serveStatic(root, urlPath, res) {
	let file = resolveInside(root, urlPath === "/" ? "/index.html" : urlPath);
	if (file === null) {
		res.writeHead(400, { "Content-Type": "text/plain" }).end("Bad path");
		return;
	}
	let stat = statOrNull(file);
	if (!stat?.isFile() && path.extname(file) === "") {
		file = path.join(root, "index.html");
		stat = statOrNull(file);
	}
	if (!stat?.isFile()) {
		res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
		return;
	}
	const isHtml = file.endsWith(".html");
	res.writeHead(200, {
		"Content-Type": contentTypeOf(file),
		"Content-Length": Number(stat.size),
		"Cache-Control": isHtml ? "no-store" : "private, max-age=3600",
		...isHtml ? { "Content-Security-Policy": CONTENT_SECURITY_POLICY } : {}
	});
	createReadStream(file).pipe(res);
}
function statOrNull(file) {
	try {
		return statSync(file);
	} catch {
		return null;
	}
}
// src/main/serve/serve-bridge.ts
var MAX_MESSAGE_BYTES = 4194304;
var SECURITY_HEADERS = {
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy": "no-referrer",
	"X-Frame-Options": "DENY",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Cross-Origin-Opener-Policy": "same-origin"
};
function isLoopback(host) {
	return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
/** Why the bridge could not listen, in words: the address or port to change, never a bare errno. */
function listenFailure(error, host, port) {
	const code = error?.code;
	const at = `port ${port} on ${host}`;
	switch (code) {
		case "ERR_SOCKET_BAD_PORT": return new AppError("VALIDATION_FAILED", `--port must be a port number from 0 to 65535 (0 picks a free one), not ${port}.`, { field: "port" });
		case "EADDRINUSE": return new AppError("VALIDATION_FAILED", `Cannot listen on ${at}: another program already uses it. Choose another port with --port, or leave it out for a free one.`, { field: "port" });
		case "EACCES":
		case "EPERM": return new AppError("VALIDATION_FAILED", `Cannot listen on ${at}: this user may not use it (ports below 1024 need administrator rights on most systems). Choose a port above 1023.`, { field: "port" });
		case "EADDRNOTAVAIL": return new AppError("VALIDATION_FAILED", `Cannot listen on ${host}: it is not an address of this machine. Use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own addresses.`, { field: "host" });
		case "ENOTFOUND":
		case "EAI_AGAIN":
		case "EAI_NONAME": return new AppError("VALIDATION_FAILED", `Cannot listen on ${host}: it is neither an IP address nor a name this machine can resolve. Use 127.0.0.1, 0.0.0.0 or one of its own addresses.`, { field: "host" });
	}
	return error instanceof AppError ? error : new AppError("INTERNAL", `Cannot listen on ${at}: ${error instanceof Error ? error.message : String(error)}`);
}
/**
* HTTP + WebSocket on loopback (unless told otherwise) with a per-start random token. It serves
* the built renderer and the same contract the Electron preload exposes, through `core.invoke`,
* so every input is validated exactly as in the desktop app. The page talks over the WebSocket
* (cookie); scripts over `POST /api/invoke` (bearer token only). See cross-site-guard.ts for
* what another site may and may not send.
*/
async function startServeBridge(options) {
	const host = options.host ?? "127.0.0.1";
	const token = options.token ?? newToken();
	const log = options.log ?? silentLogger;
	const { core, rendererDir } = options;
	const publicUrl = options.publicUrl === void 0 ? void 0 : parsePublicUrl(options.publicUrl);
	if (!existsSync(path.join(rendererDir, "index.html"))) throw new AppError("NOT_FOUND", `The user interface is not built (${rendererDir} has no index.html). Run npm run build first.`);
	const server = createServer$1();
	await new Promise((resolve, reject) => {
		const failed = (error) => reject(listenFailure(error, host, options.port ?? 0));
		server.once("error", failed);
		try {
			server.listen(options.port ?? 0, host, () => {
				server.off("error", failed);
				resolve();
			});
		} catch (error) {
			failed(error);
		}
	});
	const port = server.address().port;
	const hosts = hostPolicy({
		boundHost: host,
		port,
		publicUrl,
		interfaces: options.interfaces
	});
	const cookieName = tokenCookieName(port);
	server.on("request", (req, res) => {
		handleHttp(req, res).catch((error) => {
			log.error("serve request failed", { error: String(error) });
			if (!res.headersSent) res.writeHead(500).end();
		});
	});
	const refuse = (res, status, message) => {
		res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(message);
	};
	async function handleHttp(req, res) {
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
		if (!hosts.allowsHost(req.headers.host)) return refuse(res, 403, "Forbidden: unexpected Host header. Open the URL printed by `vaultdesk serve`, or start it with --public-url.");
		const url = new URL(req.url ?? "/", "http://bridge.invalid");
		const isApi = url.pathname === "/api" || url.pathname.startsWith("/api/");
		const crossSite = crossSiteRefusal(req, hosts.isOwnOrigin, !isApi);
		if (crossSite) return refuse(res, 403, crossSite);
		if (isApi) return handleApi(req, res, url);
		const isRead = req.method === "GET" || req.method === "HEAD";
		const queryToken = url.searchParams.get("token");
		if (queryToken !== null) {
			if (!isRead || !tokensEqual(token, queryToken)) return refuse(res, 401, "Unauthorized: this is not the token `vaultdesk serve` printed; open the URL it printed (a restart makes a new one).");
			url.searchParams.delete("token");
			res.writeHead(303, {
				"Set-Cookie": `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/${hosts.secure ? "; Secure" : ""}`,
				Location: `${url.pathname}${url.search}`
			});
			res.end();
			return;
		}
		if (!tokensEqual(token, cookieToken(req, cookieName)) && !tokensEqual(token, bearerToken(req))) return refuse(res, 401, "Unauthorized: open the URL printed by `vaultdesk serve`; it carries the access token.");
		if (!isRead) {
			res.writeHead(405, { Allow: "GET, HEAD" }).end();
			return;
		}
		serveStatic(rendererDir, url.pathname, res);
	}
	async function handleApi(req, res, url) {
		if (url.pathname !== "/api/invoke") return refuse(res, 404, "Not found");
		if (url.searchParams.has("token")) return refuse(res, 401, "Unauthorized: /api/invoke takes the token only as `Authorization: Bearer TOKEN`, never in the URL.");
		if (!tokensEqual(token, bearerToken(req))) return refuse(res, 401, "Unauthorized: /api/invoke needs `Authorization: Bearer TOKEN`, with the token from the URL `vaultdesk serve` printed; the browser cookie is not accepted here.");
		if (req.method !== "POST") {
			res.writeHead(405, { Allow: "POST" }).end();
			return;
		}
		await handleInvoke(req, res);
	}
	/** Plain HTTP for scripts: POST {"channel", "input"} with `Authorization: Bearer TOKEN`. */
	async function handleInvoke(req, res) {
		const chunks = [];
		let size = 0;
		for await (const chunk of req) {
			size += chunk.length;
			if (size > MAX_MESSAGE_BYTES) {
				res.writeHead(413).end();
				return;
			}
			chunks.push(chunk);
		}
		let body;
		try {
			body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
		} catch {
			res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({
				ok: false,
				error: {
					code: "VALIDATION_FAILED",
					message: "The request body is not JSON."
				}
			}));
			return;
		}
		const result = await core.invoke(body.channel, body.input);
		res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(result));
	}
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: MAX_MESSAGE_BYTES
	});
	server.on("upgrade", (req, socket, head) => {
		const url = new URL(req.url ?? "/", "http://bridge.invalid");
		const refuseUpgrade = (status) => {
			socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
		};
		if (url.pathname !== "/api/ws") return refuseUpgrade("404 Not Found");
		if (!hosts.allowsHost(req.headers.host) || crossSiteRefusal(req, hosts.isOwnOrigin, false) !== null) return refuseUpgrade("403 Forbidden");
		if (!(!url.searchParams.has("token") && (tokensEqual(token, cookieToken(req, cookieName)) || tokensEqual(token, bearerToken(req))))) return refuseUpgrade("401 Unauthorized");
		wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
	});
	function attach(ws) {
		const send = (message) => {
			if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
		};
		const off = core.events.onAny((event, payload) => send({
			type: "event",
			event,
			payload
		}), EVENT_CHANNELS);
		ws.on("close", off);
		ws.on("message", (data) => {
			let message;
			try {
				message = JSON.parse(String(data));
			} catch {
				ws.close(1003, "Messages must be JSON");
				return;
			}
			if (message?.type !== "invoke" || typeof message.id !== "number") {
				ws.close(1003, "Unknown message");
				return;
			}
			core.invoke(message.channel, message.input).then((result) => send({
				type: "result",
				id: message.id,
				result
			}));
		});
	}
	if (!isLoopback(host)) log.warn("serve is listening beyond loopback", { host });
	return {
		url: `${hosts.pageUrl}?token=${token}`,
		host,
		port,
		token,
		cookieName,
		close: () => new Promise((resolve) => {
			for (const client of wss.clients) client.terminate();
			wss.close();
			server.closeAllConnections();
			server.close(() => resolve());
		})
	};
}
export { isLoopback, startServeBridge };
