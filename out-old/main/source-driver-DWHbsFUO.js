import { t as AppError } from "./result-9C-V9fjg.js";
import { i as fsAppError, n as describeFsError } from "./fs-errors-QegibJ8D.js";
import { o as ensureFolder, r as placeNewAsync } from "./place-new-BwBVQRdf.js";
import { _ as assertObjectKey, d as openPartial, f as syncFolder, g as assertListPrefix, h as PARTIAL_SUFFIX$1, l as Writeback, p as watchSink, r as countedEach, t as andList, u as formatBytes, v as joinKey, y as nameTaken } from "./counted-CPvl5wmn.js";
import { t as spawnBound } from "./bound-child-CECf761t.js";
import { n as acquireFrame, t as FRAME_BYTES } from "./frame-pool-Y46ME5Dc.js";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { chmod, chown, open, readdir, rename, rm, stat, statfs, writeFile } from "node:fs/promises";
import { accessSync, constants, createReadStream, createWriteStream, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync } from "node:fs";
import { createHash, createHmac, randomBytes, randomUUID, webcrypto } from "node:crypto";
import { once } from "node:events";
import { PassThrough, Readable, Transform, pipeline } from "node:stream";
import { finished, pipeline as pipeline$1 } from "node:stream/promises";
import { setTimeout as setTimeout$1 } from "node:timers/promises";
import { execFile } from "node:child_process";
import net, { createServer } from "node:net";
import { isMainThread } from "node:worker_threads";
// src/main/core/deadline.ts
/**
* Settles like `work`, or rejects with `late()` once `ms` have passed. `work` is not stopped
* (a thread stuck in the kernel cannot be): the caller stops waiting, and releases what it can.
*/
function withDeadline(work, ms, late) {
	let timer;
	const expired = new Promise((_, reject) => {
		timer = setTimeout(() => reject(late()), ms);
	});
	return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
/** "30 s", "2 min": how a deadline reads in a message. */
function formatDuration(ms) {
	if (ms < 1e3) return `${ms} ms`;
	if (ms < 12e4) return `${Math.round(ms / 1e3)} s`;
	return `${Math.round(ms / 6e4)} min`;
}
// src/main/core/destinations/upload-stream.ts
/** A pass-through that counts the bytes going by and reports them. */
var ByteCounter = class extends Transform {
	onProgress;
	bytes = 0;
	constructor(onProgress) {
		super();
		this.onProgress = onProgress;
	}
	_transform(chunk, _encoding, callback) {
		this.bytes += chunk.length;
		this.onProgress?.(this.bytes);
		callback(null, chunk);
	}
};
/**
* Tells "the input failed" (the dump or the encryption: its own error says what happened, so it
* is rethrown unchanged) from "the destination failed" (mapped to a DESTINATION_* code). Once a
* pipeline fails it destroys every stream with the same error, so only the first failure to be
* seen says where it started.
*/
var FailureOrigin = class {
	first = null;
	watch(stream, side) {
		stream.on("error", (error) => this.record(side, error));
		return this;
	}
	record(side, error) {
		if (this.first === null) this.first = {
			side,
			error: error ?? /* @__PURE__ */ new Error(`${side} stream failed`)
		};
	}
};
function cancelled(what) {
	return new AppError("CANCELLED", `${what} was cancelled; nothing was kept.`);
}
/** Decides how a failed put is reported: cancel, the input's own error, or the driver's mapping. */
function putFailure(error, opts) {
	if (opts.signal?.aborted) return cancelled(opts.what);
	const first = opts.origin.first;
	if (first?.side === "input") return first.error;
	const cause = first?.error ?? error;
	return cause instanceof AppError ? cause : opts.map(cause);
}
/** Destroys `stream` when `signal` fires; returns the detach function. */
function destroyOnAbort(stream, signal, what) {
	if (!signal) return () => {};
	const onAbort = () => {
		stream.destroy(cancelled(what));
	};
	if (signal.aborted) onAbort();
	else signal.addEventListener("abort", onAbort, { once: true });
	return () => signal.removeEventListener("abort", onAbort);
}
// src/main/core/destinations/local-destination.ts
var READ_CHUNK = 1048576;
/**
* A folder on this machine (or a mounted share): `name.partial`, fsync, then put in place without replacing a file (a hard link, or a rename after a look), fsync the folder.
* Every call on the file system has a deadline: a share that stops answering fails the
* operation in words instead of holding it for good (the thread stuck in the kernel stays
* stuck until the share answers or is unmounted; nothing here can free it).
*/
var LocalDestination = class {
	#root;
	#callMs;
	constructor(config, ctx = {}) {
		this.#root = path.resolve(config.path);
		this.#callMs = ctx.requestTimeoutMs ?? 6e4;
	}
	async put(key, body, options = {}) {
		const target = this.#path(assertObjectKey(key));
		const partial = target + PARTIAL_SUFFIX$1;
		const what = `Writing ${key} to folder ${this.#root}`;
		const origin = new FailureOrigin().watch(body, "input");
		if (options.signal?.aborted) {
			body.destroy();
			throw cancelled(what);
		}
		let created = false;
		let sink = null;
		let unwatch = () => void 0;
		try {
			await this.#call(ensureFolder(path.dirname(target)), `creating ${path.dirname(target)}`);
			const handle = await this.#call(openPartial(partial), `creating ${partial}`, (late) => void late.close());
			created = true;
			const counter = new ByteCounter(options.onProgress);
			sink = handle.createWriteStream({ flush: true });
			const writeback = new Writeback(handle);
			origin.watch(writeback, "sink").watch(sink, "sink");
			const stuck = sink;
			let stall = () => void 0;
			const stalled = new Promise((_, reject) => stall = reject);
			unwatch = watchSink(sink, writeback, this.#callMs, () => {
				const error = this.#silence(`writing ${partial}`);
				stall(error);
				stuck.destroy(error);
			});
			const flowing = pipeline$1(body, counter, writeback, sink, { signal: options.signal });
			flowing.catch(() => void 0);
			await Promise.race([flowing, stalled]);
			unwatch();
			await this.#call(placeNewAsync(partial, target), `renaming ${partial}`);
			created = false;
			await this.#call(syncFolder(path.dirname(target)), `syncing ${path.dirname(target)}`);
			return { size: counter.bytes };
		} catch (error) {
			unwatch();
			const open = sink;
			if (open && !open.closed) await this.#call(new Promise((resolve) => open.once("close", () => resolve())), "closing").catch(() => void 0);
			if (created) await this.#call(rm(partial, { force: true }), `removing ${partial}`).catch(() => void 0);
			if (!body.destroyed) body.destroy();
			throw putFailure(error, {
				signal: options.signal,
				origin,
				what,
				map: (e) => isCode(e, "EEXIST") ? nameTaken(key, `folder ${this.#root}`, { path: this.#root }) : this.#mapError(e, "write", key, path.dirname(target))
			});
		}
	}
	async get(key, options = {}) {
		const file = this.#path(assertObjectKey(key));
		let handle;
		try {
			handle = await this.#call(open(file, "r"), `opening ${file}`, (late) => void late.close());
			if (!(await this.#call(handle.stat(), `reading ${file}`).catch(async (error) => {
				handle.close().catch(() => void 0);
				throw error;
			})).isFile()) {
				await handle.close();
				throw Object.assign(/* @__PURE__ */ new Error("not a file"), { code: "ENOENT" });
			}
		} catch (error) {
			throw this.#mapError(error, "read", key, file);
		}
		const input = handle.createReadStream({
			signal: options.signal,
			highWaterMark: READ_CHUNK
		});
		const output = new PassThrough();
		input.once("error", (error) => output.destroy(error.name === "AbortError" ? new AppError("CANCELLED", `Reading ${key} from folder ${this.#root} was cancelled.`) : this.#mapError(error, "read", key, file)));
		output.once("close", () => input.destroy());
		return input.pipe(output);
	}
	async list(prefix) {
		assertListPrefix(prefix);
		await this.#assertRoot();
		const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
		const found = [];
		await this.#walk(folder, prefix, found);
		return found.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
	}
	async stat(key) {
		const file = this.#path(assertObjectKey(key));
		try {
			const info = await this.#call(stat(file), `reading ${file}`);
			return info.isFile() ? {
				key,
				size: info.size,
				modifiedAt: info.mtime
			} : null;
		} catch (error) {
			if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return null;
			throw this.#mapError(error, "read", key, file);
		}
	}
	async delete(key) {
		const file = this.#path(assertObjectKey(key));
		try {
			await this.#call(rm(file, { force: true }), `removing ${file}`);
			await this.#call(syncFolder(path.dirname(file)), `syncing ${path.dirname(file)}`).catch(() => void 0);
		} catch (error) {
			throw this.#mapError(error, "delete", key, file);
		}
	}
	async discard(key) {
		const partial = this.#path(assertObjectKey(key)) + PARTIAL_SUFFIX$1;
		try {
			await this.#call(rm(partial, { force: true }), `removing ${partial}`);
		} catch (error) {
			throw this.#mapError(error, "delete", key, partial);
		}
	}
	async listUnfinished() {
		await this.#assertRoot();
		const found = [];
		await this.#walk("", "", found, true);
		return found.map((f) => ({
			key: f.key.slice(0, -PARTIAL_SUFFIX$1.length),
			kind: "partial-file",
			uploadId: null,
			since: f.modifiedAt,
			size: f.size
		}));
	}
	async test() {
		const probe = path.join(this.#root, `.vaultdesk-probe-${randomUUID()}`);
		let created = false;
		const check = async () => {
			await ensureFolder(this.#root);
			const handle = await open(probe, "wx");
			created = true;
			try {
				await handle.writeFile("vaultdesk write test\n");
				await handle.sync();
			} finally {
				await handle.close();
			}
			await rm(probe, { force: true });
			created = false;
			const fs = await statfs(this.#root);
			return fs.bavail * fs.bsize;
		};
		try {
			const free = await this.#call(check(), "a test write");
			return {
				success: true,
				message: `Folder ${this.#root} is writable (${formatBytes(free)} free).`
			};
		} catch (error) {
			if (created) await this.#call(rm(probe, { force: true }), `removing ${probe}`).catch(() => void 0);
			return {
				success: false,
				message: this.#mapError(error, "test", null, this.#root).message
			};
		}
	}
	async close() {}
	#path(key) {
		const full = path.join(this.#root, ...key.split("/"));
		if (!full.startsWith(this.#root + path.sep)) throw new AppError("VALIDATION_FAILED", `Refused object name "${key}": it resolves outside the folder ${this.#root}.`, { field: "key" });
		return full;
	}
	async #assertRoot() {
		try {
			if (!(await this.#call(stat(this.#root), `reading ${this.#root}`)).isDirectory()) throw Object.assign(/* @__PURE__ */ new Error("not a folder"), { code: "ENOTDIR" });
		} catch (error) {
			if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) throw new AppError("DESTINATION_UNREACHABLE", `Folder ${this.#root} does not exist or is not a folder. If it is on a removable drive or a network share, check that it is mounted.`, { path: this.#root });
			throw this.#mapError(error, "read", null, this.#root);
		}
	}
	/** `partials`: list only the `.partial` files of unfinished writes, instead of only the objects. */
	async #walk(folder, prefix, found, partials = false) {
		const dir = folder === "" ? this.#root : this.#path(folder);
		let entries;
		try {
			entries = await this.#call(readdir(dir, { withFileTypes: true }), `listing ${dir}`);
		} catch (error) {
			if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return;
			throw this.#mapError(error, "read", null, dir);
		}
		for (const entry of entries) {
			const key = folder === "" ? entry.name : `${folder}/${entry.name}`;
			if (entry.isDirectory()) {
				if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.#walk(key, prefix, found, partials);
			} else if (entry.isFile() && key.startsWith(prefix) && entry.name.endsWith(".partial") === partials && !entry.name.startsWith(".vaultdesk-probe-")) {
				const info = await this.#call(stat(this.#path(key)), `reading ${this.#path(key)}`).catch((error) => {
					if (error instanceof AppError) throw error;
					return null;
				});
				if (info) found.push({
					key,
					size: info.size,
					modifiedAt: info.mtime
				});
			}
		}
	}
	/** `work`, or DESTINATION_UNREACHABLE once the file system has left it unanswered for the call deadline; `late` releases what it yields after that. */
	#call(work, doing, late) {
		return withDeadline(work, this.#callMs, () => {
			if (late) work.then(late, () => void 0);
			return this.#silence(doing);
		});
	}
	#silence(doing) {
		return new AppError("DESTINATION_UNREACHABLE", `Folder ${this.#root} did not answer within ${formatDuration(this.#callMs)} (${doing}): the disk or network share holding it has stopped responding. Check that it is still mounted and reachable; the operation was given up.`, {
			path: this.#root,
			problem: "not-answering"
		});
	}
	/**
	* `at` is the file or folder the failing call worked on; problems of the whole device (full,
	* read-only, failing) are told of the destination folder, which is what the user knows.
	*/
	#mapError(error, op, key, at) {
		if (error instanceof AppError) return error;
		const d = describeFsError(error, {
			path: at,
			device: this.#root
		});
		const details = {
			path: this.#root,
			...key === null ? {} : { key },
			problem: d.problem,
			...d.errno ? { errno: d.errno } : {}
		};
		if (d.problem === "missing" && key !== null && op === "read") return new AppError("OBJECT_NOT_FOUND", `There is no backup ${key} in folder ${this.#root}.`, details);
		const doing = {
			write: `Could not write ${key} to folder ${this.#root}`,
			read: key === null ? `Could not read folder ${this.#root}` : `Could not read ${key} in folder ${this.#root}`,
			delete: `Could not delete ${key} in folder ${this.#root}`,
			test: `Folder ${this.#root} cannot be used`
		}[op];
		const code = d.problem === "missing" || d.problem === "not-creatable" || d.problem === "gone" || op === "read" ? "DESTINATION_UNREACHABLE" : "DESTINATION_WRITE_FAILED";
		return new AppError(code, `${doing}: ${d.words}.`, details);
	}
};
function isCode(error, code) {
	return error?.code === code;
}
// src/main/core/destinations/s3-hash.ts
/** Below this, hashing on the calling thread costs less than a trip to the threadpool. */
var OFFLOAD_BYTES = 262144;
function bytesOf(data) {
	if (typeof data === "string") return Buffer.from(data, "utf8");
	if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	return Buffer.from(data);
}
/**
* SHA-256 for the S3 client's request signing, computed on the threadpool for large bodies.
* SigV4 hashes every part's body (16 MiB by default) on the thread that sends it: in the
* backup worker that is the thread that also reads the dump, encrypts and hashes the stream. crypto.subtle.digest runs on libuv's threadpool.
* HMACs (the signing key and signature, a few bytes each) stay synchronous.
*/
var OffThreadSha256 = class {
	digestLength = 32;
	#secret;
	#parts = [];
	#bytes = 0;
	constructor(secret) {
		this.#secret = secret === void 0 ? null : bytesOf(secret);
	}
	update(chunk) {
		const bytes = bytesOf(chunk);
		this.#parts.push(bytes);
		this.#bytes += bytes.length;
	}
	async digest() {
		if (this.#secret !== null || this.#bytes < OFFLOAD_BYTES) {
			const hash = this.#secret !== null ? createHmac("sha256", this.#secret) : createHash("sha256");
			for (const part of this.#parts) hash.update(part);
			return new Uint8Array(hash.digest());
		}
		const data = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts, this.#bytes);
		return new Uint8Array(await webcrypto.subtle.digest("SHA-256", data));
	}
	reset() {
		this.#parts = [];
		this.#bytes = 0;
	}
};
// src/main/core/destinations/s3-client.ts
var sdk = null;
/**
* The AWS SDK, loaded on first use. It is the largest dependency of the backup worker (about a
* third of the worker's start-up, which every run pays), and most jobs never touch S3.
*/
function loadS3Sdk() {
	sdk ??= import("@aws-sdk/client-s3").catch((error) => {
		sdk = null;
		throw error;
	});
	return sdk;
}
/** Endpoints we treat as AWS itself; everything else gets the conservative checksum settings. */
function isAwsEndpoint(endpoint) {
	if (endpoint === null) return true;
	try {
		return /(^|\.)amazonaws\.com(\.cn)?$/i.test(new URL(endpoint).hostname);
	} catch {
		return false;
	}
}
/** How a DBA recognises this destination in a message: the endpoint URL, or AWS and its region. */
function endpointLabel(config) {
	return config.endpoint ?? `AWS S3 (${config.region})`;
}
/** How long an S3 connection may stay silent mid-request; the SDK then retries (3 attempts in all). */
var S3_SILENCE_MS = 6e4;
/**
* The client settings shared by every client of one destination. Credentials are only given
* when an access key id is set: blank means the AWS default chain (environment, profile files,
* SSO, instance or task role). Newer SDKs send CRC32 checksums (and aws-chunked bodies) by
* default, which MinIO, B2, R2 and older gateways reject or mishandle, so non-AWS endpoints
* only get checksums where the API requires them.
*/
function s3ClientConfig(config, secrets, endpoint = config.endpoint, silenceMs = S3_SILENCE_MS) {
	const options = {
		region: config.region || "us-east-1",
		forcePathStyle: config.pathStyle,
		requestHandler: {
			connectionTimeout: 15e3,
			socketTimeout: silenceMs
		},
		sha256: OffThreadSha256
	};
	if (endpoint) options.endpoint = endpoint;
	if (config.accessKeyId) options.credentials = {
		accessKeyId: config.accessKeyId,
		secretAccessKey: secrets.secretAccessKey ?? ""
	};
	if (!isAwsEndpoint(config.endpoint)) {
		options.requestChecksumCalculation = "WHEN_REQUIRED";
		options.responseChecksumValidation = "WHEN_REQUIRED";
	}
	return options;
}
/**
* A client whose every HTTP request is torn down when `signal` fires, so a cancelled or failed
* upload stops sending parts at once rather than finishing them (one could otherwise land after
* AbortMultipartUpload). Sharing `base`'s handler keeps one connection pool.
*/
function abortableClient(sdk, base, options, signal) {
	const inner = base.config.requestHandler;
	const handler = {
		handle: (request, handlerOptions) => inner.handle(request, {
			...handlerOptions,
			abortSignal: signal
		}),
		updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
		httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
		destroy: () => void 0
	};
	return new sdk.S3Client({
		...options,
		requestHandler: handler
	});
}
// src/main/core/destinations/s3-errors.ts
var UNREACHABLE = /* @__PURE__ */ new Set([
	"ECONNREFUSED",
	"ENOTFOUND",
	"EAI_AGAIN",
	"EHOSTUNREACH",
	"ENETUNREACH",
	"ETIMEDOUT",
	"TimeoutError",
	"EPROTO",
	"CERT_HAS_EXPIRED",
	"DEPTH_ZERO_SELF_SIGNED_CERT",
	"SELF_SIGNED_CERT_IN_CHAIN",
	"UNABLE_TO_VERIFY_LEAF_SIGNATURE",
	"ERR_TLS_CERT_ALTNAME_INVALID"
]);
var CONNECTION_LOST = /* @__PURE__ */ new Set([
	"ECONNRESET",
	"EPIPE",
	"ECONNABORTED",
	"ERR_STREAM_PREMATURE_CLOSE",
	"ERR_HTTP2_STREAM_ERROR"
]);
var NEEDS = {
	put: "s3:PutObject (and s3:AbortMultipartUpload)",
	get: "s3:GetObject",
	list: "s3:ListBucket",
	stat: "s3:GetObject",
	delete: "s3:DeleteObject",
	test: "s3:ListAllMyBuckets or s3:ListBucket"
};
/** Reads the few fields that identify an SDK or network error, wherever the SDK put them. */
function s3ErrorName(error) {
	const e = error;
	const nested = (e?.cause)?.code;
	return e?.Code ?? (e?.name && e.name !== "Error" ? e.name : void 0) ?? e?.code ?? nested ?? "UnknownError";
}
function s3Status(error) {
	return error?.$metadata?.httpStatusCode;
}
function isS3NotFound(error) {
	const name = s3ErrorName(error);
	return name === "NoSuchKey" || name === "NotFound" || s3Status(error) === 404 && name !== "NoSuchBucket";
}
function isS3AccessDenied(error) {
	const name = s3ErrorName(error);
	return name === "AccessDenied" || name === "Forbidden" || name === "AllAccessDisabled" || s3Status(error) === 403;
}
/** A conditional write (`If-None-Match: *`) refused: the key holds an object, or another write of it is in progress. */
function isConditionRefused(error) {
	const name = s3ErrorName(error);
	return name === "PreconditionFailed" || name === "ConditionalRequestConflict" || s3Status(error) === 412;
}
/** Turns what the SDK threw into a message that names the endpoint, bucket and the likely fix. */
function mapS3Error(error, ctx) {
	if (error instanceof AppError) return error;
	const e = error;
	const name = s3ErrorName(error);
	const codeOf = e?.code ?? (e?.cause)?.code ?? name;
	const object = ctx.key ? `${ctx.key} in bucket ${ctx.bucket}` : `bucket ${ctx.bucket}`;
	const details = {
		endpoint: ctx.endpoint,
		bucket: ctx.bucket,
		s3Error: name,
		...ctx.key ? { key: ctx.key } : {}
	};
	const status = s3Status(error);
	if (status !== void 0) details.httpStatus = status;
	if (CONNECTION_LOST.has(codeOf) || /socket hang up|premature close|^aborted$/i.test(e?.message ?? "")) return new AppError(ctx.op === "put" ? "DESTINATION_WRITE_FAILED" : "DESTINATION_UNREACHABLE", `The connection to ${ctx.endpoint} was lost while ${ctx.op === "put" ? "uploading" : "working on"} ${object} (${codeOf}).`, details);
	if (name === "TimeoutError" && /inactivity/i.test(e?.message ?? "")) return new AppError("DESTINATION_UNREACHABLE", `The S3 endpoint ${ctx.endpoint} accepted the connection but stopped answering while ${ctx.op === "put" ? "uploading" : "working on"} ${object}: check that the endpoint is an S3 service and that no proxy or firewall holds the connection.`, details);
	if (UNREACHABLE.has(codeOf) || UNREACHABLE.has(name)) return new AppError("DESTINATION_UNREACHABLE", `Cannot reach the S3 endpoint ${ctx.endpoint} (${codeOf}): check the endpoint URL, the network, the proxy and the firewall.`, details);
	switch (name) {
		case "CredentialsProviderError": return new AppError("DESTINATION_AUTH_FAILED", `No S3 credentials: the access key id is blank, so Vaultdesk used the AWS default credential chain (environment, ~/.aws, SSO, instance role) and it found none. Enter an access key, or configure the chain for the user running Vaultdesk.`, details);
		case "InvalidAccessKeyId": return new AppError("DESTINATION_AUTH_FAILED", `${ctx.endpoint} does not know this access key id: check it in the destination settings (and that it is for this provider and region).`, details);
		case "SignatureDoesNotMatch": return new AppError("DESTINATION_AUTH_FAILED", `${ctx.endpoint} rejected the request signature: the secret access key is wrong (or the server clock is far off).`, details);
		case "RequestTimeTooSkewed": return new AppError("DESTINATION_AUTH_FAILED", `${ctx.endpoint} refused the request because this machine's clock is too far off: fix the system time.`, details);
		case "NoSuchBucket": return new AppError("DESTINATION_UNREACHABLE", `Bucket ${ctx.bucket} does not exist at ${ctx.endpoint}: check the bucket name, the region and the endpoint.`, details);
		case "PermanentRedirect":
		case "AuthorizationHeaderMalformed": return new AppError("DESTINATION_UNREACHABLE", `Bucket ${ctx.bucket} is not in region or endpoint ${ctx.endpoint}: set the bucket's region in the destination settings.`, details);
		case "NoSuchKey": return new AppError("OBJECT_NOT_FOUND", `There is no object ${object} at ${ctx.endpoint}.`, details);
		case "AbortError": return new AppError("CANCELLED", `The S3 request for ${object} at ${ctx.endpoint} was cancelled.`, details);
	}
	if (isS3AccessDenied(error)) return new AppError("DESTINATION_AUTH_FAILED", `${ctx.endpoint} denied access to ${object} (${name}): the key needs ${NEEDS[ctx.op]} on this bucket${ctx.op === "put" ? ", and the bucket must not require object lock or a KMS key the user may not use" : ""}.`, details);
	if (ctx.key && isS3NotFound(error)) return new AppError("OBJECT_NOT_FOUND", `There is no object ${object} at ${ctx.endpoint}.`, details);
	const reason = `${name}${e?.message && e.message !== name ? `: ${e.message}` : ""}`;
	if (ctx.op === "put" || ctx.op === "delete") return new AppError("DESTINATION_WRITE_FAILED", `S3 ${ctx.op === "put" ? "upload of" : "delete of"} ${object} at ${ctx.endpoint} failed (${reason}).`, details);
	return new AppError("DESTINATION_UNREACHABLE", `S3 request for ${object} at ${ctx.endpoint} failed (${reason}).`, details);
}
// src/main/core/destinations/s3-connection-test.ts
var SCOPED_KEY_MESSAGE = "This appears to be a bucket-scoped key. Add the bucket names manually.";
/**
* The check DBAs expect from S3 tools: without a bucket list, ListBuckets (a 403 there means a
* key limited to some buckets, which is normal for R2/B2/MinIO service accounts); with one,
* HeadBucket each listed bucket and say which ones this key cannot use.
*/
async function testS3Connection(client, config) {
	const endpoint = endpointLabel(config);
	if (config.buckets.length === 0) return listAll(client, config, endpoint);
	const targets = [...new Set([config.bucket, ...config.buckets].filter(Boolean))];
	const results = await Promise.all(targets.map((bucket) => headBucket(client, bucket, endpoint)));
	const reachable = results.filter((r) => r.ok).map((r) => r.bucket);
	const failing = results.filter((r) => !r.ok);
	const unreachable = failing.find((r) => r.code === "DESTINATION_UNREACHABLE" && r.reason.startsWith("Cannot reach"));
	if (unreachable && reachable.length === 0) return {
		success: false,
		message: unreachable.reason,
		buckets: [],
		scopedKey: false
	};
	let message = `Access to ${reachable.length}/${targets.length} bucket${targets.length === 1 ? "" : "s"} at ${endpoint}`;
	message += failing.length === 0 ? "." : `; no access to ${failing.map((f) => `${f.bucket} (${f.short})`).join(", ")}.`;
	return {
		success: failing.length === 0,
		message,
		buckets: reachable,
		scopedKey: false
	};
}
async function listAll(client, config, endpoint) {
	try {
		const s3 = await loadS3Sdk();
		const names = ((await client.send(new s3.ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name).filter((n) => Boolean(n));
		if (config.bucket && !names.includes(config.bucket)) return {
			success: false,
			message: `Connected to ${endpoint}, but bucket ${config.bucket} is not among the ${names.length} bucket(s) this key can see${names.length ? ` (${names.slice(0, 10).join(", ")}${names.length > 10 ? ", ..." : ""})` : ""}. Check the bucket name and region.`,
			buckets: names,
			scopedKey: false
		};
		return {
			success: true,
			message: `Connected to ${endpoint}: bucket ${config.bucket} is there (${names.length} bucket(s) visible to this key).`,
			buckets: names,
			scopedKey: false
		};
	} catch (error) {
		if (s3ErrorName(error) === "AccessDenied") return {
			success: false,
			message: SCOPED_KEY_MESSAGE,
			buckets: [],
			scopedKey: true
		};
		return {
			success: false,
			message: mapS3Error(error, {
				op: "test",
				endpoint,
				bucket: config.bucket
			}).message,
			buckets: [],
			scopedKey: false
		};
	}
}
async function headBucket(client, bucket, endpoint) {
	try {
		const s3 = await loadS3Sdk();
		await client.send(new s3.HeadBucketCommand({ Bucket: bucket }));
		return {
			bucket,
			ok: true,
			short: "ok",
			reason: "ok"
		};
	} catch (error) {
		const status = s3Status(error);
		const mapped = mapS3Error(error, {
			op: "test",
			endpoint,
			bucket
		});
		const short = status === 403 || isS3AccessDenied(error) ? "access denied" : status === 404 ? "does not exist" : s3ErrorName(error);
		return {
			bucket,
			ok: false,
			code: mapped.code,
			short,
			reason: mapped.message
		};
	}
}
// src/main/core/destinations/s3-multipart.ts
/** S3's limit on parts per multipart upload. */
var MAX_PARTS = 1e4;
/** The object metadata (x-amz-meta-vaultdesk-upload) naming the upload that made it: see #commit. */
var UPLOAD_TOKEN_METADATA = "vaultdesk-upload";
/**
* Streams a body of unknown length to S3: one PutObject when it fits in one part, otherwise a
* multipart upload. Written for the backup pipeline rather than taken from lib-storage, which
* allocates (and copies into) a new part buffer per part and reads the body only when an
* uploader is free: with every uploader busy the dump tool stalled, and each 16 MiB part was
* garbage for V8 to collect. Here part buffers are reused and the next part fills while others
* upload; the body waits only when queueSize parts are in flight and the next one is full.
*
* On failure it waits for every part in flight to stop before rethrowing, so the caller can
* abort the upload knowing no part lands afterwards; `uploadId` says which upload to abort.
*/
var MultipartUpload = class {
	uploadId;
	#t;
	#metadata = { [UPLOAD_TOKEN_METADATA]: randomUUID() };
	#free = [];
	#inFlight = /* @__PURE__ */ new Set();
	#parts = [];
	#partNumber = 0;
	#uploaded = 0;
	#failure = null;
	constructor(target) {
		this.#t = target;
	}
	async run(body) {
		const { partSize } = this.#t;
		let current = Buffer.allocUnsafe(partSize);
		let used = 0;
		try {
			for await (const chunk of body) {
				let offset = 0;
				while (offset < chunk.length) {
					if (used === partSize) {
						await this.#startPart(current, used);
						current = await this.#nextBuffer();
						used = 0;
					}
					const n = Math.min(partSize - used, chunk.length - offset);
					chunk.copy(current, used, offset, offset + n);
					used += n;
					offset += n;
				}
				this.#throwIfFailed();
			}
			if (this.#partNumber === 0) {
				const body = current.subarray(0, used);
				await this.#commit((client, condition, abortSignal) => client.send(new this.#t.s3.PutObjectCommand({
					Bucket: this.#t.bucket,
					Key: this.#t.key,
					Body: body,
					ContentLength: used,
					Metadata: this.#metadata,
					...condition
				}), { abortSignal }));
				this.#t.onProgress?.(used);
				return;
			}
			await this.#startPart(current, used);
			await this.#settle();
			this.#throwIfFailed();
			const parts = this.#parts.sort((a, b) => a.PartNumber - b.PartNumber);
			await this.#commit((client, condition, abortSignal) => client.send(new this.#t.s3.CompleteMultipartUploadCommand({
				Bucket: this.#t.bucket,
				Key: this.#t.key,
				UploadId: this.uploadId,
				MultipartUpload: { Parts: parts },
				...condition
			}), { abortSignal }));
		} catch (error) {
			await this.#settle();
			throw error;
		}
	}
	/**
	* Makes the object without replacing one of the same name: two runs of one job that start in
	* the same second (two installs sharing the bucket) take one key, and the later commit used to
	* replace the earlier's backup, whose manifest then described another object. `If-None-Match: *`
	* makes AWS S3, MinIO, R2, B2 and Spaces refuse it atomically (412, or 409 while another
	* conditional write of the key is in progress); a server that ignores the header (s3rver, older
	* gateways) is asked first, which leaves only a moment between the question and the commit. A
	* server that answers the header with 501 NotImplemented gets the commit again without it.
	*
	* The SDK repeats a commit whose answer was lost (a connection reset, a 500): the repeat of one
	* that had been stored meets the upload's own object (412) or an upload already completed
	* (NoSuchUpload), and the run failed with its backup stored and no manifest beside it. The
	* object carries a token of this upload, so a failed commit that finds its own object stored
	* succeeded.
	*/
	async #commit(send) {
		const { client, signal, refuseTaken } = this.#t.commit;
		await refuseTaken();
		try {
			await send(client, { IfNoneMatch: "*" }, signal).catch(async (error) => {
				if (s3ErrorName(error) !== "NotImplemented") throw error;
				await send(client, {}, signal);
			});
		} catch (error) {
			if (signal.aborted || !await this.#storedByThisUpload()) throw error;
		}
	}
	/** Whether the key holds this upload's object; a HEAD that fails (a write-only key: 403) says no. */
	async #storedByThisUpload() {
		const { client, signal } = this.#t.commit;
		return (await client.send(new this.#t.s3.HeadObjectCommand({
			Bucket: this.#t.bucket,
			Key: this.#t.key
		}), { abortSignal: signal }).catch(() => null))?.Metadata?.[UPLOAD_TOKEN_METADATA] === this.#metadata[UPLOAD_TOKEN_METADATA];
	}
	async #startPart(buffer, length) {
		if (this.uploadId === void 0) {
			this.uploadId = await this.#create();
			await this.#t.onStarted?.(this.uploadId);
		}
		this.#partNumber += 1;
		const partNumber = this.#partNumber;
		if (partNumber > MAX_PARTS) throw new AppError("VALIDATION_FAILED", `The backup is larger than S3 allows with ${this.#t.partSize / 1024 ** 2} MiB parts (${MAX_PARTS} parts at most): raise the destination's part size.`, { field: "partSizeMiB" });
		const part = this.#t.client.send(new this.#t.s3.UploadPartCommand({
			Bucket: this.#t.bucket,
			Key: this.#t.key,
			UploadId: this.uploadId,
			PartNumber: partNumber,
			Body: buffer.subarray(0, length),
			ContentLength: length
		})).then((out) => {
			this.#parts.push(completedPart(partNumber, out));
			this.#uploaded += length;
			this.#t.onProgress?.(this.#uploaded);
			this.#free.push(buffer);
		}).catch((error) => {
			this.#failure ??= { error };
		}).finally(() => this.#inFlight.delete(part));
		this.#inFlight.add(part);
	}
	async #create() {
		const checksums = await this.#t.client.config.requestChecksumCalculation() === "WHEN_SUPPORTED";
		const out = await this.#t.client.send(new this.#t.s3.CreateMultipartUploadCommand({
			Bucket: this.#t.bucket,
			Key: this.#t.key,
			Metadata: this.#metadata,
			...checksums ? { ChecksumAlgorithm: "CRC32" } : {}
		}));
		if (!out.UploadId) throw new Error("CreateMultipartUpload answered without an UploadId");
		return out.UploadId;
	}
	/** A part buffer to fill: a returned one, or a new one while fewer than queueSize + 1 exist. */
	async #nextBuffer() {
		while (this.#inFlight.size >= this.#t.queueSize) {
			await Promise.race(this.#inFlight);
			this.#throwIfFailed();
		}
		this.#throwIfFailed();
		return this.#free.pop() ?? Buffer.allocUnsafe(this.#t.partSize);
	}
	async #settle() {
		while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
	}
	#throwIfFailed() {
		if (this.#failure) throw this.#failure.error;
	}
};
function completedPart(partNumber, out) {
	if (!out.ETag) throw new Error(`Part ${partNumber} was stored without an ETag`);
	return {
		PartNumber: partNumber,
		ETag: out.ETag,
		...out.ChecksumCRC32 && { ChecksumCRC32: out.ChecksumCRC32 },
		...out.ChecksumCRC32C && { ChecksumCRC32C: out.ChecksumCRC32C },
		...out.ChecksumCRC64NVME && { ChecksumCRC64NVME: out.ChecksumCRC64NVME },
		...out.ChecksumSHA1 && { ChecksumSHA1: out.ChecksumSHA1 },
		...out.ChecksumSHA256 && { ChecksumSHA256: out.ChecksumSHA256 }
	};
}
// src/main/core/destinations/s3-destination.ts
var MiB = 1048576;
/**
* Part bytes in flight, which sets the default number of parallel parts: 2 of the default
* 16 MiB, 4 (the most we use) of 8 MiB or less, 1 of 32 MiB or more; one more part buffer
* fills meanwhile; more parts in flight cost memory for little speed (README, Performance).
*/
var PARTS_IN_FLIGHT_BYTES = 32 * MiB;
var WEEK_SECONDS = 604800;
/**
* An S3-compatible bucket (AWS, MinIO, R2, B2, Wasabi, Spaces): streamed multipart uploads (see
* MultipartUpload). The SDK and the client are made on first use (see loadS3Sdk).
*/
var S3Destination = class {
	#config;
	#options;
	#ctx;
	#queueSize;
	#secrets;
	#client = null;
	#presignClient = null;
	constructor(config, secrets, ctx = {}, tuning = {}) {
		this.#config = config;
		this.#secrets = secrets;
		this.#ctx = ctx;
		this.#options = s3ClientConfig(config, secrets, config.endpoint, ctx.requestTimeoutMs);
		this.#queueSize = Math.max(1, tuning.queueSize ?? Math.min(4, Math.floor(PARTS_IN_FLIGHT_BYTES / (partSizeMiB(config) * MiB))));
	}
	/** The SDK and this destination's client (one connection pool for every call). */
	async #sdk() {
		const sdk = await loadS3Sdk();
		this.#client ??= new sdk.S3Client(this.#options);
		return {
			sdk,
			client: this.#client
		};
	}
	async prepare() {
		await this.#sdk().catch(() => void 0);
	}
	async put(key, body, options = {}) {
		const objectKey = joinKey(this.#config.prefix, assertObjectKey(key));
		const what = `Uploading ${key} to bucket ${this.#config.bucket} at ${endpointLabel(this.#config)}`;
		const { signal } = options;
		const origin = new FailureOrigin().watch(body, "input");
		if (signal?.aborted) {
			body.destroy();
			throw cancelled(what);
		}
		this.#assertCredentials("put", key);
		let sdk;
		let base;
		try {
			({sdk, client: base} = await this.#sdk());
		} catch (error) {
			body.destroy();
			throw error;
		}
		if (signal?.aborted) {
			body.destroy();
			throw cancelled(what);
		}
		const kill = new AbortController();
		const counter = new ByteCounter();
		const stop = () => {
			kill.abort();
			if (!counter.destroyed) counter.destroy(/* @__PURE__ */ new Error("upload stopped"));
		};
		pipeline(body, counter, () => void 0);
		const client = abortableClient(sdk, base, this.#options, kill.signal);
		client.middlewareStack.add((next) => async (args) => {
			try {
				return await next(args);
			} catch (error) {
				if (!kill.signal.aborted) {
					origin.record("sink", error);
					stop();
				}
				throw error;
			}
		}, {
			step: "initialize",
			name: "vaultdeskStopOnFirstFailure"
		});
		signal?.addEventListener("abort", stop, { once: true });
		const upload = new MultipartUpload({
			client,
			s3: sdk,
			bucket: this.#config.bucket,
			key: objectKey,
			partSize: partSizeMiB(this.#config) * MiB,
			queueSize: this.#queueSize,
			...options.onProgress ? { onProgress: options.onProgress } : {},
			...options.onUploadStarted ? { onStarted: options.onUploadStarted } : {},
			commit: {
				client: base,
				signal: kill.signal,
				refuseTaken: async () => {
					if (await base.send(new sdk.HeadObjectCommand({
						Bucket: this.#config.bucket,
						Key: objectKey
					}), { abortSignal: kill.signal }).then(() => true, () => false)) throw this.#nameTaken(key);
				}
			}
		});
		try {
			await upload.run(counter);
			return { size: counter.bytes };
		} catch (error) {
			stop();
			await this.#abandon(sdk, base, objectKey, upload.uploadId ?? null);
			throw putFailure(error, {
				signal,
				origin,
				what,
				map: (e) => isConditionRefused(e) ? this.#nameTaken(key) : mapS3Error(e, this.#errorContext("put", key))
			});
		} finally {
			signal?.removeEventListener("abort", stop);
			client.destroy();
		}
	}
	async get(key, options = {}) {
		const Key = joinKey(this.#config.prefix, assertObjectKey(key));
		try {
			const { sdk, client } = await this.#sdk();
			const out = await client.send(new sdk.GetObjectCommand({
				Bucket: this.#config.bucket,
				Key
			}), { abortSignal: options.signal });
			return this.#translated(out.Body, key);
		} catch (error) {
			throw mapS3Error(error, this.#errorContext("get", key));
		}
	}
	/**
	* The object's body, whose failures while it is read (the connection lost, the server gone
	* silent) reach the reader in the words and codes of every other S3 failure, naming the
	* endpoint, not as the socket's own ("aborted").
	*/
	#translated(body, key) {
		const out = new PassThrough({ highWaterMark: 1048576 });
		body.once("error", (error) => out.destroy(mapS3Error(error, this.#errorContext("get", key))));
		out.once("close", () => {
			if (!body.destroyed) body.destroy();
		});
		return body.pipe(out);
	}
	async list(prefix) {
		assertListPrefix(prefix);
		const root = joinKey(this.#config.prefix, "");
		const found = [];
		let token;
		try {
			const { sdk, client } = await this.#sdk();
			do {
				const out = await client.send(new sdk.ListObjectsV2Command({
					Bucket: this.#config.bucket,
					Prefix: root + prefix || void 0,
					ContinuationToken: token
				}));
				for (const o of out.Contents ?? []) {
					if (!o.Key || o.Key.endsWith("/") || o.Key.endsWith(".partial") || !o.Key.startsWith(root)) continue;
					found.push({
						key: o.Key.slice(root.length),
						size: o.Size ?? 0,
						modifiedAt: o.LastModified ?? /* @__PURE__ */ new Date(0),
						...o.ETag ? { etag: o.ETag } : {}
					});
				}
				token = out.IsTruncated ? out.NextContinuationToken : void 0;
			} while (token);
		} catch (error) {
			throw mapS3Error(error, this.#errorContext("list", null));
		}
		return found.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
	}
	async stat(key) {
		const Key = joinKey(this.#config.prefix, assertObjectKey(key));
		try {
			const { sdk, client } = await this.#sdk();
			const out = await client.send(new sdk.HeadObjectCommand({
				Bucket: this.#config.bucket,
				Key
			}));
			return {
				key,
				size: out.ContentLength ?? 0,
				modifiedAt: out.LastModified ?? /* @__PURE__ */ new Date(0)
			};
		} catch (error) {
			if (isS3NotFound(error)) return null;
			throw mapS3Error(error, this.#errorContext("stat", key));
		}
	}
	async delete(key) {
		const Key = joinKey(this.#config.prefix, assertObjectKey(key));
		try {
			const { sdk, client } = await this.#sdk();
			await client.send(new sdk.DeleteObjectCommand({
				Bucket: this.#config.bucket,
				Key
			}));
		} catch (error) {
			throw mapS3Error(error, this.#errorContext("delete", key));
		}
	}
	async discard(key, options = {}) {
		const objectKey = joinKey(this.#config.prefix, assertObjectKey(key));
		this.#assertCredentials("delete", key);
		const { sdk, client } = await this.#sdk();
		await this.#abandon(sdk, client, objectKey, options.uploadId ?? null, true);
	}
	async listUnfinished() {
		const root = joinKey(this.#config.prefix, "");
		const found = [];
		try {
			const { sdk, client } = await this.#sdk();
			let keyMarker;
			let uploadIdMarker;
			do {
				const out = await client.send(new sdk.ListMultipartUploadsCommand({
					Bucket: this.#config.bucket,
					Prefix: root || void 0,
					KeyMarker: keyMarker,
					UploadIdMarker: uploadIdMarker
				}));
				for (const u of out.Uploads ?? []) {
					if (!u.Key?.startsWith(root) || !u.UploadId) continue;
					found.push({
						key: u.Key.slice(root.length),
						kind: "multipart-upload",
						uploadId: u.UploadId,
						since: u.Initiated ?? /* @__PURE__ */ new Date(0),
						size: null
					});
				}
				const more = out.IsTruncated === true && (out.NextKeyMarker !== keyMarker || out.NextUploadIdMarker !== uploadIdMarker);
				keyMarker = more ? out.NextKeyMarker : void 0;
				uploadIdMarker = more ? out.NextUploadIdMarker : void 0;
			} while (keyMarker !== void 0);
		} catch (error) {
			throw mapS3Error(error, this.#errorContext("list", null));
		}
		return found;
	}
	async test() {
		try {
			this.#assertCredentials("test", null);
		} catch (error) {
			return {
				success: false,
				message: error.message,
				buckets: [],
				scopedKey: false
			};
		}
		let client;
		try {
			({client} = await this.#sdk());
		} catch (error) {
			return {
				success: false,
				message: `The AWS SDK could not be loaded: ${error instanceof Error ? error.message : String(error)}. Reinstall Vaultdesk.`,
				buckets: [],
				scopedKey: false
			};
		}
		return testS3Connection(client, this.#config);
	}
	/** A GET URL for downloads in a browser; through the public endpoint when the API endpoint is internal. */
	async presign(key, expiresInSeconds = 3600) {
		const Key = joinKey(this.#config.prefix, assertObjectKey(key));
		if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > WEEK_SECONDS) throw new AppError("VALIDATION_FAILED", `A download link can be valid for 1 second to 7 days, not ${expiresInSeconds} seconds.`, { field: "expiresInSeconds" });
		this.#assertCredentials("get", key);
		try {
			const [{ sdk, client }, { getSignedUrl }] = await Promise.all([this.#sdk(), import("@aws-sdk/s3-request-presigner")]);
			this.#presignClient ??= this.#config.publicEndpoint ? new sdk.S3Client(s3ClientConfig(this.#config, this.#secrets, this.#config.publicEndpoint, this.#ctx.requestTimeoutMs)) : client;
			return await getSignedUrl(this.#presignClient, new sdk.GetObjectCommand({
				Bucket: this.#config.bucket,
				Key
			}), { expiresIn: expiresInSeconds });
		} catch (error) {
			throw mapS3Error(error, this.#errorContext("get", key));
		}
	}
	async close() {
		if (this.#presignClient && this.#presignClient !== this.#client) this.#presignClient.destroy();
		this.#client?.destroy();
	}
	/**
	* Leaves no incomplete multipart upload behind: they are invisible in listings but billed.
	* Without a known id (a CreateMultipartUpload that the server executed but whose answer was
	* cut off, or a run that died before recording it) every upload of this exact key is swept.
	* `strict`: a failure to abort is thrown (cleanup records it and retries) instead of logged.
	*/
	async #abandon(sdk, client, objectKey, uploadId, strict = false) {
		const ids = new Set(uploadId ? [uploadId] : []);
		if (!uploadId) try {
			const out = await client.send(new sdk.ListMultipartUploadsCommand({
				Bucket: this.#config.bucket,
				Prefix: objectKey
			}));
			for (const u of out.Uploads ?? []) if (u.Key === objectKey && u.UploadId) ids.add(u.UploadId);
		} catch (error) {
			if (strict) throw mapS3Error(error, this.#errorContext("list", null));
			this.#ctx.log?.debug("could not list multipart uploads", {
				bucket: this.#config.bucket,
				error: String(error)
			});
		}
		for (const id of ids) try {
			await client.send(new sdk.AbortMultipartUploadCommand({
				Bucket: this.#config.bucket,
				Key: objectKey,
				UploadId: id
			}));
		} catch (error) {
			if (error.name === "NoSuchUpload") continue;
			if (strict) throw mapS3Error(error, this.#errorContext("delete", objectKey));
			this.#ctx.log?.warn("could not abort an incomplete multipart upload; a bucket lifecycle rule (AbortIncompleteMultipartUpload) will remove it", {
				bucket: this.#config.bucket,
				key: objectKey,
				uploadId: id,
				error: String(error)
			});
		}
	}
	#assertCredentials(op, key) {
		if (this.#config.accessKeyId && !this.#secrets.secretAccessKey) throw new AppError("DESTINATION_AUTH_FAILED", `The destination has access key id ${this.#config.accessKeyId} but no secret access key: enter it in the destination settings.`, this.#errorDetails(op, key));
	}
	#nameTaken(key) {
		return nameTaken(key, `bucket ${this.#config.bucket} at ${endpointLabel(this.#config)}`, {
			endpoint: endpointLabel(this.#config),
			bucket: this.#config.bucket
		});
	}
	#errorContext(op, key) {
		return key === null ? {
			op,
			endpoint: endpointLabel(this.#config),
			bucket: this.#config.bucket
		} : {
			op,
			endpoint: endpointLabel(this.#config),
			bucket: this.#config.bucket,
			key
		};
	}
	#errorDetails(op, key) {
		return {
			op,
			endpoint: endpointLabel(this.#config),
			bucket: this.#config.bucket,
			...key === null ? {} : { key }
		};
	}
};
/** S3 refuses parts under 5 MiB (except the last). */
function partSizeMiB(config) {
	return Math.max(5, config.partSizeMiB);
}
// src/main/core/ssh/ssh-connection.ts
var CODES = {
	destination: {
		unreachable: "DESTINATION_UNREACHABLE",
		auth: "DESTINATION_AUTH_FAILED"
	},
	source: {
		unreachable: "SOURCE_UNREACHABLE",
		auth: "SOURCE_AUTH_FAILED"
	}
};
/** The host key fingerprint exactly as `ssh-keygen -l` and `ssh` print it. */
function sshFingerprint(hostKey) {
	return `SHA256:${createHash("sha256").update(hostKey).digest("base64").replace(/=+$/, "")}`;
}
/**
* Opens an authenticated SSH connection with trust on first use: an unpinned server's key is
* accepted and reported through `onPinned` once login succeeded; a pinned server that presents
* a different key is refused with HOST_KEY_CHANGED before any credential is sent.
*/
async function connectSsh(options) {
	const { default: ssh2 } = await import("ssh2");
	const role = options.role ?? "destination";
	const codes = CODES[role];
	const target = `${options.user}@${options.host}:${options.port}`;
	const details = {
		host: options.host,
		port: options.port,
		user: options.user
	};
	if (!options.password && !options.privateKey) return Promise.reject(new AppError(codes.auth, `No password or private key is set for ${target}: add one in the ${role} settings.`, details));
	if (options.privateKey) {
		const parsed = ssh2.utils.parseKey(options.privateKey, options.passphrase);
		if (parsed instanceof Error) return Promise.reject(new AppError(codes.auth, privateKeyProblem(parsed, Boolean(options.passphrase), role), details));
	}
	if (options.signal?.aborted) return Promise.reject(new AppError("CANCELLED", `Connecting to ${target} was cancelled.`, details));
	return new Promise((resolve, reject) => {
		const client = new ssh2.Client();
		let presented = null;
		let refusedKey = false;
		let settled = false;
		const finish = (error) => {
			if (settled) return;
			settled = true;
			options.signal?.removeEventListener("abort", onAbort);
			if (error) {
				client.removeAllListeners("ready");
				client.on("error", () => void 0);
				client.end();
				reject(error);
				return;
			}
			if (options.pinnedFingerprint === null && presented !== null) options.onPinned?.(presented);
			resolve(client);
		};
		const onAbort = () => finish(new AppError("CANCELLED", `Connecting to ${target} was cancelled.`, details));
		options.signal?.addEventListener("abort", onAbort, { once: true });
		client.once("ready", () => {
			client.setNoDelay(true);
			finish(null);
		});
		client.on("error", (error) => {
			if (refusedKey) {
				finish(new AppError("HOST_KEY_CHANGED", `The SSH host key of ${options.host}:${options.port} has changed: Vaultdesk pinned ${options.pinnedFingerprint}, the server now presents ${presented}. This happens when the server was reinstalled or its keys were regenerated, but it can also mean someone is intercepting the connection. Check the new fingerprint with the server's administrator; if the change is expected, clear the pinned host key in the ${role} settings (or with vaultdesk ${role} forget-host-key NAME) and connect again to pin the new one.`, {
					...details,
					pinned: options.pinnedFingerprint,
					presented
				}));
				return;
			}
			finish(mapSshError(error, target, role, details));
		});
		client.on("close", () => finish(new AppError(codes.unreachable, `The SSH server ${options.host}:${options.port} closed the connection before login completed.`, details)));
		const config = {
			host: options.host,
			port: options.port,
			username: options.user,
			readyTimeout: options.readyTimeoutMs ?? 2e4,
			keepaliveInterval: options.keepaliveIntervalMs ?? 15e3,
			keepaliveCountMax: 4,
			hostVerifier: (key) => {
				presented = sshFingerprint(key);
				if (options.pinnedFingerprint === null || options.pinnedFingerprint === presented) return true;
				refusedKey = true;
				return false;
			}
		};
		if (options.password) config.password = options.password;
		if (options.privateKey) {
			config.privateKey = options.privateKey;
			if (options.passphrase) config.passphrase = options.passphrase;
		}
		try {
			client.connect(config);
		} catch (error) {
			finish(mapSshError(error, target, role, details));
		}
	});
}
function mapSshError(error, target, role, details) {
	const codes = CODES[role];
	const where = `${details.host}:${details.port}`;
	if (error.level === "client-authentication") return new AppError(codes.auth, `The SSH server ${where} refused the login for user ${details.user}: check the user name and the password or private key in the ${role} settings (and that the key is in the server's authorized_keys).`, details);
	if (error.level === "client-timeout") return new AppError(codes.unreachable, `The SSH server ${where} did not complete the handshake in time: check the host and port, and that a firewall does not drop the connection.`, details);
	switch (error.code) {
		case "ECONNREFUSED": return new AppError(codes.unreachable, `Nothing accepts SSH connections on ${where} (connection refused): check the host and port, and that the SSH server runs.`, details);
		case "ENOTFOUND":
		case "EAI_AGAIN": return new AppError(codes.unreachable, `The host name ${details.host} could not be resolved: check the spelling and the DNS.`, details);
		case "ETIMEDOUT":
		case "EHOSTUNREACH":
		case "ENETUNREACH": return new AppError(codes.unreachable, `The SSH server ${where} cannot be reached (${error.code}): check the network, VPN and firewall.`, details);
		case "ECONNRESET": return new AppError(codes.unreachable, `The SSH server ${where} reset the connection (often a firewall, fail2ban, or MaxStartups on the server).`, details);
	}
	return new AppError(codes.unreachable, `SSH connection to ${target} failed: ${error.message}`, details);
}
function privateKeyProblem(error, hadPassphrase, role) {
	if (/passphrase|decrypt|bad decrypt|integrity/i.test(error.message)) return hadPassphrase ? `The private key could not be decrypted: the passphrase in the ${role} settings is wrong.` : `The private key is encrypted: add its passphrase in the ${role} settings.`;
	return `The private key in the ${role} settings could not be read (${error.message}). Paste the whole key, including its BEGIN and END lines (OpenSSH, PEM or PuTTY format).`;
}
/**
* The server kept the connection alive (keepalives are answered by SSH itself) but did not
* answer a request: an sftp-server stuck on a hung disk or share, or a proxy that lost it.
*/
var SftpNoAnswerError = class extends Error {
	request;
	ms;
	constructor(request, ms) {
		super(`no answer to ${request} within ${ms} ms`);
		this.request = request;
		this.ms = ms;
		this.name = "SftpNoAnswerError";
	}
};
/** Every SFTP server must accept 32 KiB writes; more in flight keeps a long link busy. */
var PIECE = 32768;
var MAX_IN_FLIGHT = 64;
/** One SFTP request as a promise; with `deadline`, one left unanswered fails with SftpNoAnswerError. */
function sftpCall(run, deadline) {
	return new Promise((resolve, reject) => {
		const timer = deadline ? setTimeout(() => reject(new SftpNoAnswerError(deadline.request, deadline.ms)), deadline.ms) : void 0;
		try {
			run((error, value) => {
				clearTimeout(timer);
				if (error) reject(error);
				else resolve(value);
			});
		} catch (error) {
			clearTimeout(timer);
			reject(error);
		}
	});
}
/** sftpCall on `remote`, with its deadline. */
function remoteCall(remote, request, run) {
	return sftpCall((cb) => run(remote.sftp, cb), {
		ms: remote.requestMs,
		request
	});
}
function isNoSuchFile(error) {
	return error?.code === 2;
}
async function statOrNull(remote, file) {
	try {
		return await remoteCall(remote, `stat ${file}`, (sftp, cb) => sftp.stat(file, cb));
	} catch (error) {
		if (isNoSuchFile(error)) return null;
		throw error;
	}
}
/** `mkdir -p`: creates each missing folder, tolerating one made concurrently by someone else. */
async function mkdirp(remote, dir) {
	const missing = [];
	let current = dir;
	while (current !== "/" && current !== "." && current !== "") {
		const st = await statOrNull(remote, current);
		if (st) {
			if (!st.isDirectory()) throw Object.assign(/* @__PURE__ */ new Error(`${current} exists and is not a folder`), { code: "ENOTDIR" });
			break;
		}
		missing.unshift(current);
		current = path.posix.dirname(current);
	}
	for (const folder of missing) try {
		await remoteCall(remote, `mkdir ${folder}`, (sftp, cb) => sftp.mkdir(folder, (error) => cb(error, void 0)));
	} catch (error) {
		if (error instanceof SftpNoAnswerError || !(await statOrNull(remote, folder))?.isDirectory()) throw error;
	}
}
/**
* Writes `body` to `file` with a bounded number of outstanding SFTP writes: back-pressure comes
* from the server's acknowledgements, so memory stays constant whatever the size. fsyncs where
* the server offers `fsync@openssh.com`. Returns the number of bytes written.
*/
async function writeFile$1(remote, file, body, onProgress, onCreated) {
	const { sftp } = remote;
	const handle = await remoteCall(remote, `open ${file}`, (s, cb) => s.open(file, "wx", cb));
	onCreated?.();
	let position = 0;
	let acknowledged = 0;
	let inFlight = 0;
	let failure = null;
	let wake = null;
	let timer;
	const settle = () => new Promise((resolve) => {
		wake = resolve;
		timer = setTimeout(() => {
			failure ??= new SftpNoAnswerError(`write to ${file}`, remote.requestMs);
			wake = null;
			resolve();
		}, remote.requestMs);
	});
	const done = (error, length) => {
		inFlight -= 1;
		if (error && !failure) failure = error;
		if (!error) {
			acknowledged += length;
			onProgress?.(acknowledged);
		}
		clearTimeout(timer);
		const resume = wake;
		wake = null;
		resume?.();
	};
	try {
		for await (const chunk of body) {
			const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			for (let offset = 0; offset < data.length; offset += PIECE) {
				while (inFlight >= MAX_IN_FLIGHT && !failure) await settle();
				if (failure) throw failure;
				const piece = data.subarray(offset, offset + PIECE);
				inFlight += 1;
				sftp.write(handle, piece, 0, piece.length, position, (error) => done(error, piece.length));
				position += piece.length;
			}
		}
		while (inFlight > 0 && !failure) await settle();
		if (failure) throw failure;
		await fsyncIfOffered(remote, handle, file);
	} catch (error) {
		const silent = () => failure instanceof SftpNoAnswerError ? failure : null;
		if (!(error instanceof SftpNoAnswerError)) {
			while (inFlight > 0 && !silent()) await settle();
			await remoteCall(remote, `close ${file}`, (s, cb) => s.close(handle, (e) => cb(e, void 0))).catch(() => void 0);
		}
		clearTimeout(timer);
		throw silent() ?? error;
	}
	await remoteCall(remote, `close ${file}`, (s, cb) => s.close(handle, (e) => cb(e, void 0)));
	return position;
}
async function fsyncIfOffered(remote, handle, file) {
	try {
		await remoteCall(remote, `fsync ${file}`, (sftp, cb) => sftp.ext_openssh_fsync(handle, (error, info) => cb(error, info)));
	} catch (error) {
		if (error.message.includes("does not support")) return;
		throw error;
	}
}
/**
* The plain SFTP rename, not `posix-rename@openssh.com`: it does not replace a file at `to`
* (OpenSSH makes it a hard link and an unlink), so another writer's object of that name is kept.
*/
async function renameNew(remote, from, to) {
	await remoteCall(remote, `rename ${from}`, (sftp, cb) => sftp.rename(from, to, (e) => cb(e, void 0)));
}
async function unlinkIfPresent(remote, file) {
	try {
		await remoteCall(remote, `remove ${file}`, (sftp, cb) => sftp.unlink(file, (e) => cb(e, void 0)));
	} catch (error) {
		if (!isNoSuchFile(error)) throw error;
	}
}
/** Every regular file under `root/folder`, descending only into folders that can match `prefix`. */
async function walk(remote, root, folder, prefix, out) {
	let entries;
	const dir = folder === "" ? root : path.posix.join(root, folder);
	try {
		entries = await remoteCall(remote, `list ${dir}`, (sftp, cb) => sftp.readdir(dir, cb));
	} catch (error) {
		if (isNoSuchFile(error)) return;
		throw error;
	}
	for (const entry of entries) {
		if (entry.filename === "." || entry.filename === "..") continue;
		const relative = folder === "" ? entry.filename : `${folder}/${entry.filename}`;
		if (entry.attrs.isDirectory()) {
			if (relative.startsWith(prefix) || prefix.startsWith(`${relative}/`)) await walk(remote, root, relative, prefix, out);
		} else if (entry.attrs.isFile() && relative.startsWith(prefix)) out.push({
			relative,
			size: entry.attrs.size,
			mtime: entry.attrs.mtime
		});
	}
}
// src/main/core/destinations/sftp-read-stream.ts
/** What OpenSSH's sftp-server answers in one packet (its limits@openssh.com read length). */
var REQUEST = 261120;
/** Reads asked for ahead of the one the reader waits for: enough to keep a long link busy. */
var AHEAD = 16;
/**
* Reads `size` bytes of `file` with up to AHEAD reads in flight, handed on in order. One read at a
* time (ssh2's createReadStream) waits a round trip for every 255 KiB: over a WAN link (30 ms) that
* was about 8 MB/s whatever the bandwidth. Each read has the session's deadline, so a server that
* stops answering fails the stream instead of holding it for good; a short read (only at the end of
* a file from OpenSSH, but any server may) is read on from where it stopped. A file that ends
* before `size` fails the stream: the bytes read are a cut backup, not a whole one. Failures reach
* the reader as `mapError` words them.
*/
function sftpReadStream(remote, file, size, mapError = (e) => e) {
	let handle = null;
	let next = 0;
	let pumping = false;
	const queue = [];
	const request = (position, length) => {
		const buffer = Buffer.allocUnsafe(length);
		const data = remoteCall(remote, `read ${file}`, (sftp, cb) => sftp.read(handle, buffer, 0, length, position, (error, got) => cb(error, buffer.subarray(0, got))));
		data.catch(() => void 0);
		return {
			position,
			length,
			data
		};
	};
	const fill = () => {
		while (queue.length < AHEAD && next < size) {
			const length = Math.min(REQUEST, size - next);
			queue.push(request(next, length));
			next += length;
		}
	};
	const stream = new Readable({
		highWaterMark: REQUEST,
		construct(callback) {
			remoteCall(remote, `open ${file}`, (sftp, cb) => sftp.open(file, "r", cb)).then((opened) => {
				handle = opened;
				callback();
			}, (error) => callback(mapError(error)));
		},
		read() {
			if (pumping) return;
			pumping = true;
			pump().finally(() => pumping = false);
		},
		destroy(error, callback) {
			if (!handle) return callback(error);
			const opened = handle;
			handle = null;
			remote.sftp.close(opened, () => void 0);
			callback(error);
		}
	});
	async function pump() {
		try {
			for (;;) {
				fill();
				const head = queue.shift();
				if (!head) {
					stream.push(null);
					return;
				}
				const chunk = await head.data;
				if (stream.destroyed) return;
				if (chunk.length === 0) throw new Error(`${file} ended after ${head.position} of its ${size} bytes`);
				if (chunk.length < head.length) queue.unshift(request(head.position + chunk.length, head.length - chunk.length));
				if (!stream.push(chunk)) return;
			}
		} catch (error) {
			stream.destroy(mapError(error));
		}
	}
	return stream;
}
/** An SFTP folder over one shared SSH connection: `name.partial`, opened exclusively, then the plain SFTP rename, which replaces no file. */
var SftpDestination = class {
	#config;
	#secrets;
	#ctx;
	#root;
	#requestMs;
	/** Fires on close(), so a connection still being made is given up instead of waited for; a later call connects again. */
	#closing = new AbortController();
	#pinned;
	#session = null;
	constructor(config, secrets, ctx = {}) {
		this.#config = config;
		this.#secrets = secrets;
		this.#ctx = ctx;
		this.#pinned = config.hostKeyFingerprint;
		this.#root = path.posix.normalize(config.path.replace(/\/+$/, "") || "/");
		this.#requestMs = ctx.requestTimeoutMs ?? 6e4;
	}
	async put(key, body, options = {}) {
		const target = this.#path(assertObjectKey(key));
		const partial = target + PARTIAL_SUFFIX$1;
		const what = `Uploading ${key} to ${this.#where()}`;
		const origin = new FailureOrigin().watch(body, "input");
		const detach = destroyOnAbort(body, options.signal, what);
		let session = null;
		let created = false;
		try {
			session = await this.#connect(options.signal);
			if (options.signal?.aborted) throw cancelled(what);
			await mkdirp(session, path.posix.dirname(target));
			const open = session;
			const before = await statOrNull(open, partial);
			if (before) {
				if (before.isFile() && Date.now() - before.mtime * 1e3 < 6e5) throw this.#nameTaken(key);
				await unlinkIfPresent(open, partial);
			}
			const size = await writeFile$1(open, partial, body, options.onProgress, () => created = true).catch(async (error) => {
				if (!created && (await statOrNull(open, partial).catch(() => null) ?? await statOrNull(open, target).catch(() => null))) throw this.#nameTaken(key);
				origin.record("sink", error);
				throw error;
			});
			if (options.signal?.aborted) throw cancelled(what);
			await renameNew(open, partial, target).catch(async (error) => {
				if (await statOrNull(open, target).catch(() => null)) throw this.#nameTaken(key);
				throw error;
			});
			created = false;
			return { size };
		} catch (error) {
			if (!body.destroyed) body.destroy();
			this.#dropIfSilent(error, session);
			if (created && session && !(error instanceof SftpNoAnswerError)) await unlinkIfPresent(session, partial).catch((e) => this.#ctx.log?.warn("could not remove partial upload", {
				path: partial,
				error: String(e)
			}));
			throw putFailure(error, {
				signal: options.signal,
				origin,
				what,
				map: (e) => this.#mapError(e, "DESTINATION_WRITE_FAILED", key)
			});
		} finally {
			detach();
		}
	}
	#nameTaken(key) {
		return nameTaken(key, `${this.#root} on ${this.#where()}`, this.#details());
	}
	async get(key, options = {}) {
		const file = this.#path(assertObjectKey(key));
		const session = await this.#connect(options.signal);
		const st = await statOrNull(session, file).catch((e) => {
			throw this.#fail(e, session, "DESTINATION_UNREACHABLE", key);
		});
		if (!st?.isFile()) throw this.#mapError(Object.assign(/* @__PURE__ */ new Error("no such file"), { code: 2 }), "DESTINATION_UNREACHABLE", key);
		const stream = sftpReadStream(session, file, st.size, (error) => this.#fail(error, session, "DESTINATION_UNREACHABLE", key));
		const detach = destroyOnAbort(stream, options.signal, `Downloading ${key} from ${this.#where()}`);
		stream.once("close", detach);
		stream.on("error", () => void 0);
		return stream;
	}
	async list(prefix) {
		assertListPrefix(prefix);
		const session = await this.#connect();
		try {
			if (!(await statOrNull(session, this.#root))?.isDirectory()) throw new AppError("DESTINATION_UNREACHABLE", `Folder ${this.#root} does not exist on ${this.#where()}.`, this.#details());
			const found = [];
			const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
			await walk(session, this.#root, folder, prefix, found);
			return found.filter((f) => !f.relative.endsWith(".partial") && !path.posix.basename(f.relative).startsWith(".vaultdesk-probe-")).map((f) => ({
				key: f.relative,
				size: f.size,
				modifiedAt: /* @__PURE__ */ new Date(f.mtime * 1e3)
			})).sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
		} catch (error) {
			throw this.#fail(error, session, "DESTINATION_UNREACHABLE", null);
		}
	}
	async stat(key) {
		const file = this.#path(assertObjectKey(key));
		const session = await this.#connect();
		try {
			const st = await statOrNull(session, file);
			return st?.isFile() ? {
				key,
				size: st.size,
				modifiedAt: /* @__PURE__ */ new Date(st.mtime * 1e3)
			} : null;
		} catch (error) {
			throw this.#fail(error, session, "DESTINATION_UNREACHABLE", key);
		}
	}
	async delete(key) {
		const file = this.#path(assertObjectKey(key));
		const session = await this.#connect();
		await unlinkIfPresent(session, file).catch((e) => {
			throw this.#fail(e, session, "DESTINATION_WRITE_FAILED", key);
		});
	}
	async discard(key) {
		const partial = this.#path(assertObjectKey(key)) + PARTIAL_SUFFIX$1;
		const session = await this.#connect();
		await unlinkIfPresent(session, partial).catch((e) => {
			throw this.#fail(e, session, "DESTINATION_WRITE_FAILED", key);
		});
	}
	async listUnfinished() {
		const session = await this.#connect();
		try {
			const found = [];
			await walk(session, this.#root, "", "", found);
			return found.filter((f) => f.relative.endsWith(PARTIAL_SUFFIX$1)).map((f) => ({
				key: f.relative.slice(0, -PARTIAL_SUFFIX$1.length),
				kind: "partial-file",
				uploadId: null,
				since: /* @__PURE__ */ new Date(f.mtime * 1e3),
				size: f.size
			}));
		} catch (error) {
			throw this.#fail(error, session, "DESTINATION_UNREACHABLE", null);
		}
	}
	async test() {
		const wasPinned = this.#pinned !== null;
		let session = null;
		try {
			session = await this.#connect();
			const root = await statOrNull(session, this.#root);
			if (!root) return {
				success: false,
				message: `Connected to ${this.#where()}, but folder ${this.#root} does not exist there. Create it or correct the path.`
			};
			if (!root.isDirectory()) return {
				success: false,
				message: `Connected to ${this.#where()}, but ${this.#root} is not a folder.`
			};
			const probe = path.posix.join(this.#root, `.vaultdesk-probe-${randomUUID()}`);
			try {
				await remoteCall(session, `write ${probe}`, (sftp, cb) => sftp.writeFile(probe, "vaultdesk write test\n", (e) => cb(e, void 0)));
			} finally {
				await unlinkIfPresent(session, probe).catch(() => void 0);
			}
			const key = wasPinned ? `host key ${this.#pinned} matches the pinned one` : `host key ${this.#pinned} pinned now`;
			return {
				success: true,
				message: `Connected to ${this.#where()} (${key}); folder ${this.#root} is writable.`
			};
		} catch (error) {
			return {
				success: false,
				message: this.#fail(error, session, "DESTINATION_WRITE_FAILED", null).message
			};
		}
	}
	async close() {
		this.#closing.abort();
		this.#closing = new AbortController();
		const pending = this.#session;
		this.#session = null;
		if (!pending) return;
		(await pending.catch(() => null))?.client.end();
	}
	#connect(signal) {
		this.#session ??= this.#open(signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal).catch((error) => {
			this.#session = null;
			throw error;
		});
		return this.#session;
	}
	async #open(signal) {
		const client = await connectSsh({
			host: this.#config.host,
			port: this.#config.port,
			user: this.#config.user,
			password: this.#secrets.password,
			privateKey: this.#secrets.privateKey,
			passphrase: this.#secrets.passphrase,
			pinnedFingerprint: this.#pinned,
			onPinned: (fingerprint) => {
				this.#pinned = fingerprint;
				this.#ctx.onHostKeyPinned?.(fingerprint);
			},
			signal,
			role: "destination"
		});
		let onAbort = () => void 0;
		const session = new Promise((resolve, reject) => {
			sftpCall((cb) => client.sftp(cb), {
				ms: this.#requestMs,
				request: "starting SFTP"
			}).then((sftp) => resolve({
				client,
				sftp,
				requestMs: this.#requestMs
			}), reject);
			onAbort = () => reject(new AppError("CANCELLED", `Starting SFTP on ${this.#where()} was cancelled.`, this.#details()));
			if (signal.aborted) onAbort();
			else signal.addEventListener("abort", onAbort, { once: true });
		});
		const current = this.#session;
		client.on("close", () => {
			if (this.#session === current) this.#session = null;
		});
		client.on("error", (error) => this.#ctx.log?.warn("SFTP connection error", {
			...this.#details(),
			error: error.message
		}));
		try {
			return await session;
		} catch (error) {
			client.end();
			if (error instanceof AppError) throw error;
			if (error instanceof SftpNoAnswerError) throw new AppError("DESTINATION_UNREACHABLE", `${this.#where()} accepted the login but its SFTP subsystem did not answer within ${formatDuration(error.ms)}. Check the server's Subsystem sftp setting and that nothing (a forced command, a shell profile that waits for input) holds it up.`, this.#details());
			throw new AppError("DESTINATION_UNREACHABLE", `${this.#where()} accepted the login but refused to start SFTP (${error.message}). Check that the server enables the sftp subsystem for this user.`, this.#details());
		} finally {
			signal.removeEventListener("abort", onAbort);
		}
	}
	/** Maps `error`, first dropping a session whose server stopped answering (the next call reconnects). */
	#fail(error, session, fallback, key) {
		this.#dropIfSilent(error, session);
		return this.#mapError(error, fallback, key);
	}
	#dropIfSilent(error, session) {
		if (!(error instanceof SftpNoAnswerError) || !session) return;
		this.#session = null;
		session.client.end();
	}
	#path(key) {
		return path.posix.join(this.#root, key);
	}
	#where() {
		return `${this.#config.user}@${this.#config.host}:${this.#config.port}`;
	}
	#details() {
		return {
			host: this.#config.host,
			port: this.#config.port,
			user: this.#config.user,
			path: this.#root
		};
	}
	#mapError(error, fallback, key) {
		if (error instanceof AppError) return error;
		const e = error;
		const where = key === null ? `folder ${this.#root} on ${this.#where()}` : `${key} in ${this.#root} on ${this.#where()}`;
		const details = {
			...this.#details(),
			...key === null ? {} : { key }
		};
		if (error instanceof SftpNoAnswerError) return new AppError("DESTINATION_UNREACHABLE", `The SFTP server ${this.#where()} did not answer (${error.request}) within ${formatDuration(error.ms)} while working on ${where}; the connection was dropped. The server's disk or a share it writes to may have stopped responding.`, details);
		if (isNoSuchFile(e)) return key !== null ? new AppError("OBJECT_NOT_FOUND", `There is no backup ${key} in ${this.#root} on ${this.#where()}.`, details) : new AppError("DESTINATION_UNREACHABLE", `Folder ${this.#root} does not exist on ${this.#where()}.`, details);
		if (e?.code === 3) return new AppError("DESTINATION_WRITE_FAILED", `Permission denied on ${where}: user ${this.#config.user} may not write there.`, details);
		if (e?.code === "ENOTDIR") return new AppError("DESTINATION_WRITE_FAILED", `Cannot create folders for ${where}: ${e.message}.`, details);
		if (/No response from server|Not connected|closed|ECONNRESET/i.test(e?.message ?? "")) return new AppError(fallback === "DESTINATION_WRITE_FAILED" ? "DESTINATION_WRITE_FAILED" : "DESTINATION_UNREACHABLE", `The connection to ${this.#where()} was lost while working on ${where}.`, details);
		const reason = e?.message ?? String(error);
		const hint = e?.code === 4 ? " (the SFTP server reports a generic failure: often a full disk or an exhausted quota)" : "";
		return new AppError(fallback, `SFTP ${fallback === "DESTINATION_WRITE_FAILED" ? "write" : "read"} failed on ${where}: ${reason}${hint}`, details);
	}
};
// src/main/core/destinations/destination.ts
function createDestinationDriver(dto, secrets, ctx = {}) {
	const config = dto.config;
	switch (config.kind) {
		case "local": return new LocalDestination(config, ctx);
		case "s3": return new S3Destination(config, { secretAccessKey: secrets.secretAccessKey }, ctx);
		case "sftp": return new SftpDestination(config, {
			password: secrets.password,
			privateKey: secrets.privateKey,
			passphrase: secrets.passphrase
		}, ctx);
	}
}
// src/main/core/sources/connection-errors.ts
var NETWORK_CODES = /* @__PURE__ */ new Set([
	"ECONNREFUSED",
	"ECONNRESET",
	"ENOTFOUND",
	"EAI_AGAIN",
	"ETIMEDOUT",
	"EHOSTUNREACH",
	"ENETUNREACH",
	"EPIPE",
	"ECONNABORTED"
]);
/** The errno-style code of a socket error, also when Node wraps several attempts in an AggregateError. */
function networkCode(error) {
	const err = error;
	if (typeof err?.code === "string" && NETWORK_CODES.has(err.code)) return err.code;
	return (Array.isArray(err?.errors) ? err.errors.map(networkCode).find((c) => c !== null) : void 0) ?? null;
}
function where(endpoint) {
	return `${endpoint.product} at ${endpoint.host}:${endpoint.port} as user ${endpoint.user}`;
}
function unreachable(endpoint, cause) {
	return new AppError("SOURCE_UNREACHABLE", `Could not connect to ${where(endpoint)}: ${cause}. Check the host and port, that the server is running and accepts TCP connections, and any firewall in between.`, {
		host: endpoint.host,
		port: endpoint.port,
		user: endpoint.user
	});
}
function authFailed(endpoint, cause) {
	return new AppError("SOURCE_AUTH_FAILED", `${where(endpoint)} refused the login: ${cause}. Check the user name and password, and that this user may connect from this machine.`, {
		host: endpoint.host,
		port: endpoint.port,
		user: endpoint.user
	});
}
/** A server that took the login only over TLS, from a source whose TLS mode is disable. */
function tlsRequired(endpoint) {
	return new AppError("SOURCE_AUTH_FAILED", `${where(endpoint)} takes this login only over TLS, and this source's TLS mode is disable. Set its TLS mode to prefer or require, and test it again.`, {
		host: endpoint.host,
		port: endpoint.port,
		user: endpoint.user
	});
}
function describeNetworkCode(code) {
	switch (code) {
		case "ECONNREFUSED": return "connection refused";
		case "ENOTFOUND":
		case "EAI_AGAIN": return "host name not found";
		case "ETIMEDOUT": return "connection timed out";
		case "EHOSTUNREACH":
		case "ENETUNREACH": return "host unreachable";
		default: return `connection lost (${code})`;
	}
}
function messageOf(error) {
	return error instanceof Error ? error.message : String(error);
}
// src/main/core/sources/database-admin.ts
var CREATE_DENIED = "create-denied";
/**
* The refusal of a restore whose user may not create databases (`why`: the server's words). A
* restore creates the new database, or a scratch copy beside an existing one (swapped in once
* complete), so creating the target by hand first does not help, except on PostgreSQL
* (`intoEmpty`), whose restore goes straight into an existing empty database in one transaction.
*/
function createDenied(user, database, why, privilege, options = {}) {
	const advice = options.intoEmpty ? `Restore as a user with ${privilege}, such as the server's administrator; or, for a new database, have it created empty for ${user} (CREATE DATABASE name OWNER ${user}) and restore into it: into an existing empty database the restore creates nothing. Replacing a database that is not empty, and a drill, need a scratch copy, which only a user with ${privilege} can make.` : `Every restore creates one, the new database or, into an existing one, a scratch copy swapped in once it is complete. Restore as a user with ${privilege}, such as the server's administrator.`;
	return new AppError("RESTORE_FAILED", `User ${user} may not create databases, and the restore had to create ${database} (${why.trim()}). ${advice}`, {
		database,
		reason: CREATE_DENIED
	});
}
/** Whether `error` is createDenied's: the server made no database, so there is none to drop or to name as left. */
function isCreateDenied(error) {
	return error instanceof AppError && error.details?.reason === CREATE_DENIED;
}
/**
* Hands the items out, in order, to up to `sessions` workers running at once (each typically on a
* connection of its own): `next` gives a worker the next item and its index, undefined once none
* is left.
*/
async function shareOut(items, sessions, worker) {
	let taken = 0;
	const next = () => taken < items.length ? {
		item: items[taken],
		index: taken++
	} : void 0;
	await Promise.all(Array.from({ length: Math.max(0, Math.min(Math.floor(sessions), items.length)) }, () => worker(next)));
}
/**
* A swap whose answer never came (the connection or the SSH session dropped once the statement
* was sent) may have happened: the rename is atomic, but the client cannot know whether the
* server committed it. `look` checks on a new connection: true, it happened, and the caller goes
* on as swapped (the target holds the backup); false, it did not, and the target is as it was.
* When even that cannot be checked, the error says so and how to tell, never "as it was".
*/
async function afterLostSwap(look, lost) {
	const swapped = await look().catch(() => null);
	if (swapped === true) return;
	const what = `The connection to ${lost.endpoint} was lost while the restored copy was being put in place of ${lost.target} (${lost.cause})`;
	if (swapped === false) {
		await lost.whenNot?.().catch(() => void 0);
		throw new AppError("RESTORE_FAILED", `${what}. It did not happen: ${lost.target} was left as it was.`, { database: lost.target });
	}
	throw new AppError("RESTORE_FAILED", `${what}, and whether it happened could not be checked. ${lost.ifSwapped}; otherwise ${lost.target} is as it was.`, {
		database: lost.target,
		reason: "swap-unknown"
	});
}
/**
* The rows a restore loaded, as the count of `tables` (the database's own list, in its order),
* or null unless they name exactly those tables: a table the dump did not create (an extension's)
* is counted with SQL, and so is everything else then.
*/
function loadedAsCount(tables, loaded) {
	if (!loaded || loaded.length !== tables.length) return null;
	const rows = new Map(loaded.map((t) => [`${t.schema ?? ""}\u0000${t.table}`, t.rows]));
	const counted = [];
	for (const t of tables) {
		const n = rows.get(`${t.schema ?? ""}\u0000${t.table}`);
		if (n === void 0) return null;
		counted.push({
			schema: t.schema,
			table: t.table,
			rows: n
		});
	}
	return counted;
}
// src/main/core/sources/postgres-quoting.ts
/** A name as an identifier: double quotes, each one inside doubled. */
function pgQuoteIdent(name) {
	return `"${name.replace(/"/g, "\"\"")}"`;
}
/** A string as a SQL literal whatever standard_conforming_strings is: E'...', backslashes and quotes doubled. */
function pgLiteral(value) {
	return `E'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
// src/main/core/sources/server-refusals.ts
var PG_STATES = {
	"42501": "database-denied",
	"55000": "database-closed",
	"53300": "no-connection-left",
	"57P03": "not-ready"
};
/** psql's and pg_dump's words on an SSH host (FATAL: a login's end, not a statement's error). */
var PG_WORDS = [
	[/FATAL:\s+(?:42501:\s+)?permission denied for database|does not have CONNECT privilege/i, "database-denied"],
	[/database ".*" is not currently accepting connections/i, "database-closed"],
	[/too many clients already|too many connections for (?:role|database)|connection slots are reserved/i, "no-connection-left"],
	[/the database system is (?:starting up|shutting down|in recovery mode|not yet accepting connections|not accepting connections)/i, "not-ready"]
];
var MYSQL_CODES = {
	ER_DBACCESS_DENIED_ERROR: "database-denied",
	ER_CON_COUNT_ERROR: "no-connection-left",
	ER_TOO_MANY_USER_CONNECTIONS: "no-connection-left",
	ER_USER_LIMIT_REACHED: "no-connection-left",
	ER_SERVER_SHUTDOWN: "not-ready"
};
var MYSQL_WORDS = [
	[/ERROR 1044\b|access denied for user .* to database/i, "database-denied"],
	[/ERROR (?:1040|1203|1226)\b|too many connections|max_user_connections/i, "no-connection-left"],
	[/ERROR 1053\b|server shutdown in progress/i, "not-ready"]
];
/** A PostgreSQL refusal of a login, from the driver's SQLSTATE (only a login's: the caller knows it was connecting), or from a tool's words. */
function pgRefusal(sqlState, message) {
	if (typeof sqlState === "string") return PG_STATES[sqlState] ?? null;
	return PG_WORDS.find(([words]) => words.test(message))?.[1] ?? null;
}
/** A MySQL/MariaDB refusal from the driver's error name, or from the client's words (`ERROR 1040 ...`). */
function mysqlRefusal(code, message) {
	if (typeof code === "string") return MYSQL_CODES[code] ?? null;
	return MYSQL_WORDS.find(([words]) => words.test(message))?.[1] ?? null;
}
/** The database a refusal names (`database "x"`, `to database 'x'`), for a caller that does not know which it connected to. */
function databaseIn(cause) {
	return /database "([^"]*)"/.exec(cause)?.[1] ?? /to database '([^']*)'/.exec(cause)?.[1];
}
/** The refusal in words that say what to do; `cause` is the server's own message. */
function refusalError(family, refusal, endpoint, database, cause) {
	const db = database ?? databaseIn(cause) ?? "";
	const details = {
		host: endpoint.host,
		port: endpoint.port,
		user: endpoint.user,
		database: db,
		refusal
	};
	const postgres = family === "postgres";
	switch (refusal) {
		case "database-denied": return new AppError("SOURCE_AUTH_FAILED", postgres ? `${where(endpoint)} may not connect to database ${db} (${cause}). As its owner or a superuser, run GRANT CONNECT ON DATABASE ${pgQuoteIdent(db)} TO ${pgQuoteIdent(endpoint.user)}, or use a user who may connect.` : `${where(endpoint)} has no privileges on database ${db} (${cause}). As an administrator, grant them on \`${db.replace(/`/g, "``")}\`.*: SELECT, SHOW VIEW, TRIGGER, LOCK TABLES and EVENT to back it up, ALL to restore into it.`, details);
		case "database-closed": return new AppError("SOURCE_UNREACHABLE", `Database ${db} on ${where(endpoint)} does not accept connections (${cause}): it is set ALLOW_CONNECTIONS false. As its owner or a superuser, run ALTER DATABASE ${pgQuoteIdent(db)} ALLOW_CONNECTIONS true to back it up or restore into it.`, details);
		case "no-connection-left": return new AppError("SOURCE_UNREACHABLE", `${where(endpoint)} has no connection left for this login (${cause}). Try again once fewer sessions are open, or raise the limit (${postgres ? "max_connections, or the role's or the database's CONNECTION LIMIT" : "max_connections, or the user's max_user_connections"}).`, details);
		case "not-ready": return new AppError("SOURCE_UNREACHABLE", `${where(endpoint)} does not take connections now (${cause}): it is starting up, shutting down or recovering. Try again once it is running.`, details);
	}
}
// src/main/core/sources/tls-declined.ts
var REMEMBERED_MS = 3e5;
var declined = /* @__PURE__ */ new Map();
var keyOf = (product, host, port) => `${product}\0${host}\0${port}`;
function tlsDeclinedLately(product, host, port, now = Date.now()) {
	const at = declined.get(keyOf(product, host, port));
	return at !== void 0 && now - at < REMEMBERED_MS;
}
function rememberTlsDeclined(product, host, port, now = Date.now()) {
	declined.set(keyOf(product, host, port), now);
}
function forgetTlsDeclined(product, host, port) {
	declined.delete(keyOf(product, host, port));
}
/**
* A connection made as the source's TLS mode says, one driver's attempts given: `tls` with the
* mode's TLS option, `plain` without. For 'prefer': TLS first, and plain only when the server has
* none (`declined`); a server seen declining lately is asked in plain at once, and asked again
* with TLS when that plain connection is refused in a way that says it may require TLS now
* (`mayRequireTls`). Every failure leaves as the driver's own AppError (`mapError`).
*
* For 'disable', a refusal that may mean the server wants TLS is checked with one connection
* with TLS (`probeTls`, closed at once; it answers null for a refusal it does not check): a
* server that takes the login only that way (MariaDB says only "Access denied" for
* require_secure_transport) is then reported as such (`tlsRequired`), rather than sending the
* user after the password.
*/
async function connectWithTlsMode(options) {
	const { product, host, port, mapError } = options;
	const prefer = options.mode === "prefer";
	if (prefer && tlsDeclinedLately(product, host, port)) try {
		return await options.plain();
	} catch (error) {
		if (!options.mayRequireTls(error)) throw mapError(error);
		forgetTlsDeclined(product, host, port);
	}
	try {
		return await options.tls();
	} catch (error) {
		if (options.mode === "disable" && options.probeTls && options.tlsRequired && options.mayRequireTls(error) && await takesTls(options.probeTls, error)) throw options.tlsRequired();
		if (!prefer || !options.declined(error)) throw mapError(error);
		rememberTlsDeclined(product, host, port);
		try {
			return await options.plain();
		} catch (plainError) {
			throw mapError(plainError);
		}
	}
}
/** Whether a connection with TLS succeeds after `refusal`; it is closed at once. */
async function takesTls(probe, refusal) {
	try {
		const connection = await probe(refusal);
		if (!connection) return false;
		await connection.close().catch(() => void 0);
		return true;
	} catch {
		return false;
	}
}
// src/main/core/sources/mysql-connection.ts
var CONNECT_TIMEOUT_MS$1 = 15e3;
var AUTH_CODES = /* @__PURE__ */ new Set([
	"ER_ACCESS_DENIED_ERROR",
	"ER_DBACCESS_DENIED_ERROR",
	"ER_HOST_NOT_PRIVILEGED",
	"ER_NOT_SUPPORTED_AUTH_MODE",
	"ER_ACCESS_DENIED_NO_PASSWORD_ERROR"
]);
function mysqlEndpoint(target, product = "MySQL/MariaDB") {
	return {
		product,
		host: target.host,
		port: target.port,
		user: target.user
	};
}
/**
* A connected client; 'prefer' tries TLS first and falls back to plain only when the server has no
* TLS at all, and with a server seen without TLS lately starts in plain (tls-declined.ts).
*/
async function connectMysql(target, database) {
	const { createConnection } = (await import("mysql2/promise")).default;
	const attempt = (ssl) => createConnection({
		host: target.host,
		port: target.port,
		user: target.user,
		password: target.password,
		database,
		ssl,
		connectTimeout: CONNECT_TIMEOUT_MS$1,
		charset: "utf8mb4"
	});
	return connectWithTlsMode({
		product: "mysql",
		host: target.host,
		port: target.port,
		mode: target.tlsMode,
		tls: () => attempt(mysqlSslOption(target.tlsMode)),
		plain: () => attempt(void 0),
		declined: (error) => error.code === "HANDSHAKE_NO_SSL_SUPPORT",
		mayRequireTls: (error) => !networkCode(error) && !/timeout/i.test(messageOf(error)),
		mapError: (error) => mapMysqlError(error, target, database),
		probeTls: async (refusal) => {
			if (refusal.code !== "ER_ACCESS_DENIED_ERROR") return null;
			const connection = await attempt(mysqlSslOption("require"));
			return { close: () => connection.end() };
		},
		tlsRequired: () => tlsRequired(mysqlEndpoint(target))
	});
}
function mysqlSslOption(mode) {
	switch (mode) {
		case "disable": return;
		case "prefer":
		case "require": return { rejectUnauthorized: false };
		case "verify-full": return { rejectUnauthorized: true };
	}
}
/** `stage` 'query': the connection worked, so an unknown error is not a connection problem. */
function mapMysqlError(error, target, database, stage = "connect") {
	if (error instanceof AppError) return error;
	const endpoint = mysqlEndpoint(target);
	const message = messageOf(error);
	const code = error.code;
	const refusal = stage === "connect" ? mysqlRefusal(code, message) : null;
	if (refusal) return refusalError("mysql", refusal, endpoint, database, message);
	if (typeof code === "string" && AUTH_CODES.has(code)) return authFailed(endpoint, message);
	if (code === "ER_BAD_DB_ERROR") return new AppError("NOT_FOUND", `Database ${database ?? ""} does not exist on ${where(endpoint)}.`, { database });
	if (code === "ER_SECURE_TRANSPORT_REQUIRED") return tlsRequired(endpoint);
	if (code === "HANDSHAKE_NO_SSL_SUPPORT") return unreachable(endpoint, `the server does not offer TLS, but this source's TLS mode is ${target.tlsMode}`);
	const net = networkCode(error);
	if (net) return unreachable(endpoint, describeNetworkCode(net));
	if (/certificate|self[- ]signed|altname/i.test(message)) return unreachable(endpoint, `the server's TLS certificate was not accepted (${message})`);
	if (stage === "query") return new AppError("INTERNAL", `${where(endpoint)} answered with an error: ${message}`);
	return unreachable(endpoint, message);
}
async function mysqlServerVersion(connection) {
	const [rows] = await connection.query("SELECT VERSION() AS v");
	const text = String(rows[0]?.v ?? "");
	const flavor = /mariadb/i.test(text) ? "mariadb" : "mysql";
	return {
		flavor,
		parts: (/^(\d+)\.(\d+)\.(\d+)/.exec(text)?.slice(1) ?? []).map(Number),
		text,
		display: `${flavor === "mariadb" ? "MariaDB" : "MySQL"} ${text.split("-")[0]}`
	};
}
/**
* TLS flags for the command-line tools. MariaDB's client has no "encrypt but do not verify and
* refuse plain" mode, so for 'require' the guarantee comes from the driver connection made with
* TLS required just before the tool starts; MySQL's client has --ssl-mode for each of our modes.
*/
function mysqlToolTlsArgs(tool, mode) {
	if (tool.flavor === "mariadb") {
		if (mode === "disable") return ["--skip-ssl"];
		if (mode === "verify-full") return ["--ssl", "--ssl-verify-server-cert"];
		return ["--ssl", "--skip-ssl-verify-server-cert"];
	}
	return [`--ssl-mode=${{
		disable: "DISABLED",
		prefer: "PREFERRED",
		require: "REQUIRED",
		"verify-full": "VERIFY_IDENTITY"
	}[mode]}`];
}
/**
* Text as a SQL literal: hex with the utf8mb4 introducer, so none of its characters is ever SQL
* text (for a client with no placeholders). A string literal like the driver's `?`, so it compares
* under a column's collation the same way.
*/
function mysqlNameLiteral(name) {
	return `_utf8mb4 X'${Buffer.from(name, "utf8").toString("hex")}'`;
}
/** Backtick-quoted identifier, for the few statements the driver runs itself. */
function quoteMysqlIdentifier(name) {
	return `\`${name.replace(/`/g, "``")}\``;
}
// src/main/core/sources/mysql-charset.ts
/**
* A MySQL/MariaDB database's default character set and collation, as `charset collation`:
* what tables created in it later get. A dump of one database does not carry them (only
* `--databases` writes a CREATE DATABASE), so the manifest does. `name`: a placeholder or a literal.
*/
function mysqlCharsetSql(name) {
	return `SELECT CONCAT(DEFAULT_CHARACTER_SET_NAME, ' ', DEFAULT_COLLATION_NAME) AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${name}`;
}
/** Character set and collation names are words; anything else is never put into SQL. */
var NAME = /^[A-Za-z0-9_]{1,64}$/;
/** mysqlCharsetSql's `charset collation`, or null when it is not that. */
function parseDatabaseCharset(line) {
	const [characterSet, collation, ...rest] = (line ?? "").trim().split(" ");
	if (!characterSet || !collation || rest.length > 0 || !NAME.test(characterSet) || !NAME.test(collation)) return null;
	return {
		characterSet,
		collation
	};
}
/** ` CHARACTER SET x COLLATE y` for CREATE/ALTER DATABASE; empty for no charset or one whose names are not words (a hand-edited manifest). */
function charsetClause(charset) {
	if (!charset || !NAME.test(charset.characterSet) || !NAME.test(charset.collation)) return "";
	return ` CHARACTER SET ${charset.characterSet} COLLATE ${charset.collation}`;
}
/** "character set latin1, collation latin1_german1_ci" */
function charsetInWords(charset) {
	return `character set ${charset.characterSet}, collation ${charset.collation}`;
}
/**
* The server's error numbers for a character set or collation it lacks (MySQL 8's
* utf8mb4_0900_ai_ci on a MariaDB before 11.4.5), or one that does not go with the set: the
* database is then created with the server's default.
*/
var CHARSET_REFUSALS = /* @__PURE__ */ new Set([
	1115,
	1273,
	1253
]);
/** The server's words when a mysql2 error is such a refusal; null for any other error. */
function charsetRefusal(error) {
	return CHARSET_REFUSALS.has(Number(error.errno)) ? messageOf(error) : null;
}
/** The same for the mysql client's `ERROR 1273 (HY000) at line 1: Unknown collation ...` on its stderr. */
function charsetRefusalIn(stderr) {
	const match = /^ERROR (\d+) \([0-9A-Z]{5}\)(?: at line \d+)?: (.*)$/m.exec(stderr);
	return match && CHARSET_REFUSALS.has(Number(match[1])) ? match[2].trim() : null;
}
/**
* The note of a restore whose database was created with the server's default because the server
* refused the backup's (`why`: its words).
*/
function charsetNotKeptNote(charset, why) {
	return `The backup's database had the default ${charsetInWords(charset)}, which this server refused (${why}): the restored database has the server's default instead. Its tables keep the character sets the backup gives them; tables created in it later get the server's default. To keep the original, set it with ALTER DATABASE once that collation is available.`;
}
/**
* A swap keeps the target schema and moves the restored tables into it, so the schema's defaults
* would stay those of what it replaced: the statements that give it the backup's (`wanted`), and
* put back what it had (`was`) when the swap is refused. Null when nothing is to change.
*/
function charsetChange(target, was, wanted) {
	if (!wanted || !was || !charsetClause(wanted) || !charsetClause(was)) return null;
	if (was.characterSet === wanted.characterSet && was.collation === wanted.collation) return null;
	return {
		alter: `ALTER DATABASE ${target}${charsetClause(wanted)}`,
		revert: `ALTER DATABASE ${target}${charsetClause(was)}`
	};
}
// src/main/core/sources/mysql-lock-wait.ts
/**
* How the swap waits for the target's tables. RENAME TABLE and DROP TRIGGER need every other
* session off those tables (an open transaction that read one keeps its metadata lock until it
* ends), and while they wait every new query on those tables queues behind them: with the
* server's default lock_wait_timeout (a year) an application would stall for as long as one idle
* transaction stays open, and the restore with it. So, as online schema tools do at their
* cut-over, each try waits briefly, the queued queries run between tries, and after the last one
* the restore fails, the target as it was.
*/
var MYSQL_SWAP_LOCK_WAIT = {
	seconds: 2,
	tries: 4,
	pauseMs: 1e3
};
/** The statements that bound, then give back, a session's wait for a table's lock. */
var SHORT_LOCK_WAIT_SQL = `SET SESSION lock_wait_timeout = ${MYSQL_SWAP_LOCK_WAIT.seconds}`;
var DEFAULT_LOCK_WAIT_SQL = "SET SESSION lock_wait_timeout = DEFAULT";
/** Also when wrapped (MysqlObjectNotMade keeps the server's error as its cause). */
function isLockWaitTimeout(error) {
	const e = error;
	return e?.errno === 1205 || e?.cause !== void 0 && isLockWaitTimeout(e.cause);
}
/** Runs `step` again while another session's lock makes it time out, up to the tries, pausing between them. */
async function retryLockWaits(step) {
	for (let attempt = 1;; attempt += 1) try {
		return await step();
	} catch (error) {
		if (!isLockWaitTimeout(error) || attempt >= MYSQL_SWAP_LOCK_WAIT.tries) throw error;
		await setTimeout$1(MYSQL_SWAP_LOCK_WAIT.pauseMs);
	}
}
/** The swap gave up on another session's lock: RESTORE_FAILED, reason in-use, as PostgreSQL's open sessions are. */
function mysqlTargetInUse(target, endpoint) {
	const { tries, seconds } = MYSQL_SWAP_LOCK_WAIT;
	return new AppError("RESTORE_FAILED", `Database ${target} on ${endpoint} is in use: another session holds a lock on its tables (an open transaction, or a query still running). The swap waited for them ${tries} times for ${seconds} s, and no longer, since every other query on those tables waits behind it meanwhile. ${target} was left as it was. End those transactions (information_schema.INNODB_TRX lists the open ones), or stop the application using it, and restore again.`, {
		database: target,
		reason: "in-use"
	});
}
// src/main/core/sources/mysql-objects.ts
/** A session on the driver's connection. */
function connectionSession(c) {
	return {
		async rows(schema, sql) {
			await c.query(`USE ${quoteMysqlIdentifier(schema)}`);
			const [rows] = await c.query({
				sql,
				rowsAsArray: true
			});
			return rows.map((row) => row.map((v) => v === null || v === void 0 ? null : Buffer.isBuffer(v) ? v.toString("utf8") : String(v)));
		},
		async run(schema, statements) {
			await c.query(`USE ${quoteMysqlIdentifier(schema)}`);
			for (const statement of statements) await c.query(statement);
		}
	};
}
var ROUTINE_COLUMNS = {
	sqlMode: 1,
	create: 2,
	collation: 4
};
/** The order they are made in: routines (views may call functions), views, triggers, events. */
var KINDS = [
	{
		kind: "routine",
		list: "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_TYPE = 'PACKAGE BODY', ROUTINE_NAME",
		columns: ROUTINE_COLUMNS
	},
	{
		kind: "view",
		list: "SELECT TABLE_NAME, 'VIEW' FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
		columns: {
			create: 1,
			collation: 3
		}
	},
	{
		kind: "trigger",
		list: "SELECT TRIGGER_NAME, 'TRIGGER' FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
		columns: ROUTINE_COLUMNS
	},
	{
		kind: "event",
		list: "SELECT EVENT_NAME, 'EVENT' FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME",
		columns: {
			sqlMode: 1,
			timeZone: 2,
			create: 3,
			collation: 5
		}
	}
];
/**
* Every view, trigger, routine and event of `schema`, in the order they are made again. A
* definition the user may not read (SHOW CREATE gives a routine's body only to its definer or a
* user with the privilege to see it) is an error: nothing has changed yet.
*/
async function readMysqlObjects(session, schema) {
	const found = [];
	for (const { kind, list, columns: at } of KINDS) for (const [name, type] of await session.rows(schema, list)) {
		const [row = []] = await session.rows(schema, `SHOW CREATE ${type} ${quoteMysqlIdentifier(name)}`);
		const create = row[at.create] ?? null;
		if (create === null) throw new AppError("RESTORE_FAILED", `Could not read the definition of ${kind} ${name} in ${schema}: the server did not show it to this user. Restore as its definer or as a user who may see every routine (the server's administrator).`, { database: schema });
		const column = (i) => i === void 0 ? null : row[i] ?? null;
		found.push({
			kind,
			name,
			type,
			create,
			sqlMode: column(at.sqlMode),
			collationConnection: column(at.collation),
			timeZone: column(at.timeZone)
		});
	}
	return found;
}
/** The statement that drops `object` from `schema`; a view or a routine whatever holds it, a trigger with its table. */
function mysqlDropObjectSql(schema, object) {
	return `DROP ${object.type} IF EXISTS ${quoteMysqlIdentifier(schema)}.${quoteMysqlIdentifier(object.name)}`;
}
/**
* `statements` with each DROP PACKAGE (or PACKAGE BODY) run under sql_mode ORACLE: MariaDB before
* 11.4 parses it in no other mode (SET STATEMENT does not reach the parser), and gives the session
* its own mode back after. For one session: the mode is kept in a session variable meanwhile.
*/
function withPackageDropMode(statements) {
	return statements.flatMap((statement) => /^DROP PACKAGE /i.test(statement) ? [
		"SET @vaultdesk_sql_mode = @@SESSION.sql_mode",
		"SET SESSION sql_mode = 'ORACLE'",
		statement,
		"SET SESSION sql_mode = @vaultdesk_sql_mode"
	] : [statement]);
}
/** The SET that gives a session what `object` was made under, or none. */
function mysqlObjectSettingsSql(object) {
	const settings = [
		...object.sqlMode !== null ? [`SESSION sql_mode = ${mysqlNameLiteral(object.sqlMode)}`] : [],
		...object.collationConnection !== null ? [`SESSION collation_connection = ${mysqlNameLiteral(object.collationConnection)}`] : [],
		...object.timeZone !== null ? [`SESSION time_zone = ${mysqlNameLiteral(object.timeZone)}`] : []
	];
	return settings.length > 0 ? [`SET ${settings.join(", ")}`] : [];
}
/** ER_NO_SUCH_TABLE: a view over a view not made yet (or a table that is gone). */
var NO_SUCH_TABLE = 1146;
/** The server's refusal to make one object (`cause`). */
var MysqlObjectNotMade = class extends Error {
	object;
	cause;
	constructor(object, cause) {
		super(`could not make ${mysqlObjectWords(object)}`);
		this.object = object;
		this.cause = cause;
	}
};
/**
* Makes `objects` (readMysqlObjects's, from another schema) in `schema`, in their order; views
* that select from views not made yet are tried again once others are made. Throws
* MysqlObjectNotMade at the first it cannot make.
*/
async function makeMysqlObjects(session, schema, objects) {
	const make = async (o) => {
		try {
			await session.run(schema, [...mysqlObjectSettingsSql(o), o.create]);
		} catch (error) {
			throw new MysqlObjectNotMade(o, error);
		}
	};
	let views = [];
	for (const o of objects) {
		if (o.kind === "view") {
			views.push(o);
			continue;
		}
		await makeViews(views, make);
		views = [];
		await make(o);
	}
	await makeViews(views, make);
}
/** Makes every view, in passes while any is made; the first error of a pass that made none is thrown. */
async function makeViews(views, make) {
	let pending = views;
	while (pending.length > 0) {
		const waiting = [];
		let first = null;
		for (const view of pending) try {
			await make(view);
		} catch (error) {
			if (error.cause.errno !== NO_SUCH_TABLE) throw error;
			first ??= error;
			waiting.push(view);
		}
		if (waiting.length === pending.length) throw first;
		pending = waiting;
	}
}
/** `view recent`, `procedure refresh`: what an object is called in a message. */
function mysqlObjectWords(object) {
	return `${object.kind === "routine" ? object.type.toLowerCase() : object.kind} ${object.name}`;
}
// src/main/core/sources/mysql-admin.ts
function mysqlSchemaExistsSql(schema, select = "SCHEMA_NAME") {
	return `SELECT ${select} FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${schema}`;
}
var TABLE_TYPES = {
	rows: "('BASE TABLE', 'SYSTEM VERSIONED')",
	all: "('BASE TABLE', 'SYSTEM VERSIONED', 'SEQUENCE')"
};
/** What mysqlTablesSql's rows are to a person: a sequence, or a table (one that holds rows). */
var MYSQL_TABLE_OR_SEQUENCE = "IF(TABLE_TYPE = 'SEQUENCE', 'sequence', 'table')";
function mysqlTablesSql(schema, kinds, select = "TABLE_NAME AS t") {
	return `SELECT ${select} FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE IN ${TABLE_TYPES[kinds]} ORDER BY TABLE_NAME`;
}
/**
* One row for each object in `schema` (given four times over), the statement that drops it, names
* quoted: views first, then tables and sequences (their triggers go with them), routines and events.
* `select` wraps each statement (the exec admin's HEX()).
*/
function mysqlDropEverythingSql(schema, select = (s) => s) {
	const name = (column) => `'\`', REPLACE(${column}, '\`', '\`\`'), '\`'`;
	return [
		`SELECT 1 AS o, ${select(`CONCAT('DROP VIEW IF EXISTS ', ${name("TABLE_NAME")})`)} AS s FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE = 'VIEW'`,
		`SELECT 2, ${select(`CONCAT(IF(TABLE_TYPE = 'SEQUENCE', 'DROP SEQUENCE', 'DROP TABLE'), ' IF EXISTS ', ${name("TABLE_NAME")})`)} FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE <> 'VIEW'`,
		`SELECT 3, ${select(`CONCAT('DROP ', ROUTINE_TYPE, ' IF EXISTS ', ${name("ROUTINE_NAME")})`)} FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ${schema}`,
		`SELECT 4, ${select(`CONCAT('DROP EVENT IF EXISTS ', ${name("EVENT_NAME")})`)} FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ${schema}`
	].join(" UNION ALL ") + " ORDER BY 1";
}
/** Views, triggers, routines and events, each counted (in that order): what a database holds beside its tables, which RENAME TABLE cannot move (swapObjects). */
function mysqlObjectCountsSql(schema) {
	return [
		`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE = 'VIEW'`,
		`SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ${schema}`,
		`SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ${schema}`,
		`SELECT COUNT(*) AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ${schema}`
	];
}
/** mysqlObjectCountsSql's four counts as the columns of one SELECT (the SSH exec client's one round trip). */
function mysqlObjectCountColumns(schema) {
	return mysqlObjectCountsSql(schema).map((sql) => `(${sql})`).join(", ");
}
/** The counts of mysqlObjectCountsSql in words: `1 view`, `2 triggers`. */
function objectCountWords(counts) {
	return countedEach(counts, [
		"view",
		"trigger",
		"routine",
		"event"
	]);
}
/** The counts of mysqlObjectCountsSql, as a manifest keeps them. */
function mysqlObjectCounts(counts) {
	const [views = 0, triggers = 0, routines = 0, events = 0] = counts;
	return {
		views,
		triggers,
		routines,
		events
	};
}
/** What a backup's manifest says its dump holds beside its tables, in words; none for an older manifest, which does not say. */
function backupObjectWords(objects) {
	return objects ? objectCountWords([
		objects.views,
		objects.triggers,
		objects.routines,
		objects.events
	]) : [];
}
/** Where the replaced tables are moved, within the 64-character limit. */
function mysqlOldName(scratch) {
	return `${scratch.slice(0, 60)}_old`;
}
/** The one statement that moves the old tables out and the restored ones in; null when neither side has a table. */
function mysqlSwapRenameSql(target, scratch, old, oldTables, newTables) {
	const moves = [...oldTables.map((t) => `${quoteMysqlIdentifier(target)}.${quoteMysqlIdentifier(t)} TO ${quoteMysqlIdentifier(old)}.${quoteMysqlIdentifier(t)}`), ...newTables.map((t) => `${quoteMysqlIdentifier(scratch)}.${quoteMysqlIdentifier(t)} TO ${quoteMysqlIdentifier(target)}.${quoteMysqlIdentifier(t)}`)];
	return moves.length > 0 ? `RENAME TABLE ${moves.join(", ")}` : null;
}
/**
* The foreign keys of other schemas' tables that refer to `schema`'s tables, in words (`shop.orders
* (fk_customer) -> customers`); `name` wraps each (HEX for the client on an SSH host). InnoDB moves
* such a key with the table it refers to: a swap would leave it pointing at the replaced table,
* in the old schema, which it then keeps from being dropped.
*/
function mysqlReferencedFromSql(schema, name = (w) => w) {
	return `SELECT ${name("CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME, ' (', CONSTRAINT_NAME, ') -> ', REFERENCED_TABLE_NAME)")} FROM information_schema.REFERENTIAL_CONSTRAINTS
    WHERE UNIQUE_CONSTRAINT_SCHEMA = ${schema} AND CONSTRAINT_SCHEMA <> ${schema} ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`;
}
/** The swap refused, before anything changed, because tables of other schemas refer to the target's. */
function mysqlTargetReferenced(target, endpoint, references) {
	return new AppError("RESTORE_FAILED", `Could not put the restored tables in place of ${target}'s on ${endpoint}: tables of other databases refer to them by foreign key (${references.join(", ")}), and MySQL/MariaDB would move those keys along with the tables the swap moves out, to be dropped. ${target} was left as it was. Drop those foreign keys (and make them again once the restore is done), or restore under another name.`, {
		database: target,
		reason: "referenced",
		references
	});
}
function mysqlSwapFailed(target, endpoint, cause) {
	return new AppError("RESTORE_FAILED", `Could not put the restored tables in place of ${target}'s on ${endpoint}: ${cause}. ${target} was left as it was.`, { database: target });
}
/**
* Whether one RENAME TABLE, which moves the target's tables (`replaced`) into the old schema and
* the restored ones (`restored`) into the target, happened, from the tables now in scratch and old.
*/
function mysqlRenamed(before, inScratch, inOld) {
	return before.restored.length > 0 ? inScratch.length === 0 : inOld.length === before.replaced.length;
}
function mysqlLostSwap(target, scratch, old, endpoint, cause, dropOld) {
	return {
		target,
		endpoint,
		cause,
		ifSwapped: `If ${scratch} holds no tables, ${target} holds the backup and ${old} the tables it replaced`,
		whenNot: dropOld
	};
}
/** What a swap with views, triggers, routines or events did with them, for the restore's notes. */
function objectsSwappedNote(target, objects) {
	const words = (list) => {
		const counted = objectCountWords([
			"view",
			"trigger",
			"routine",
			"event"
		].map((kind) => list.filter((o) => o.kind === kind).length));
		return counted.length > 0 ? andList(counted) : "none";
	};
	return `MySQL/MariaDB cannot move views, triggers, routines or events between databases: ${target}'s own (${words(objects.replaced)}) were dropped, and the backup's (${words(objects.restored)}) made in ${target} right after its tables were swapped in.`;
}
var isConnectionLost = (error) => error.fatal === true || typeof error.sqlState !== "string";
/**
* The swap when either side has views, triggers, routines or events: the scratch copy's triggers
* and everything of the kind in the target are dropped (a table with triggers cannot change
* schema), the tables renamed in one statement, and the backup's objects made in the target. A
* failure on the way puts the target back as it was (putBack, on a `fresh` session, as the
* connection may be what failed) and says so; `undo` then drops the old schema, and the caller
* the scratch copy.
*/
async function swapObjects(swap, session, fresh, undo) {
	let step = "drop the views, triggers, routines and events in the way";
	let making = false;
	const briefly = waitingBriefly(session);
	const trigger = (o) => o.kind === "trigger";
	try {
		await waitForTables(briefly, swap.target, swap.tables.replaced);
		const drops = [...swap.objects.restored.filter(trigger).map((o) => mysqlDropObjectSql(swap.scratch, o)), ...[...swap.objects.replaced.filter(trigger), ...swap.objects.replaced.filter((o) => !trigger(o))].map((o) => mysqlDropObjectSql(swap.target, o))];
		await retryLockWaits(() => briefly.run(swap.target, withPackageDropMode(drops)));
		step = "move the tables";
		if (swap.rename) await retryLockWaits(() => briefly.run(swap.target, [swap.rename]));
		making = true;
		await retryLockWaits(() => makeMissing(briefly, swap.target, swap.objects.restored));
	} catch (error) {
		const cause = error instanceof MysqlObjectNotMade ? `could not make the backup's ${mysqlObjectWords(error.object)} in ${swap.target}: ${messageOf(error.cause)}` : `could not ${step}: ${messageOf(error)}`;
		const back = await fresh((s) => putBack(waitingBriefly(s), swap, making)).then(() => null, (e) => messageOf(e));
		if (back !== null) throw new AppError("RESTORE_FAILED", `Could not put the restored tables in place of ${swap.target}'s on ${swap.endpoint}: ${cause}. Putting ${swap.target} back as it was failed too (${back}): ${swap.old} holds whichever of ${swap.target}'s own tables were moved out (SHOW TABLES FROM ${quoteMysqlIdentifier(swap.old)}), and some of its views, triggers, routines or events may be missing. Nothing of it was dropped.`, {
			database: swap.target,
			reason: "swap-unknown"
		});
		await undo().catch(() => void 0);
		throw isLockWaitTimeout(error) ? mysqlTargetInUse(swap.target, swap.endpoint) : mysqlSwapFailed(swap.target, swap.endpoint, cause);
	}
}
/**
* Waits, briefly and a few times (mysql-lock-wait.ts), until no other session holds any of `tables`
* of `schema`, by locking them all for writing and letting go at once; throws the last lock wait's
* timeout. A user without the LOCK TABLES privilege is not held up: the rename finds such a session too.
*/
async function waitForTables(session, schema, tables) {
	if (tables.length === 0) return;
	const lock = `LOCK TABLES ${tables.map((t) => `${quoteMysqlIdentifier(schema)}.${quoteMysqlIdentifier(t)} WRITE`).join(", ")}`;
	try {
		await retryLockWaits(() => session.run(schema, [lock, "UNLOCK TABLES"]));
	} catch (error) {
		if (isLockWaitTimeout(error)) throw error;
	}
}
/** `session` whose statements wait for another session's lock briefly (mysql-lock-wait.ts), its reads as they were. */
function waitingBriefly(session) {
	return {
		...session,
		run: (schema, statements) => session.run(schema, [
			SHORT_LOCK_WAIT_SQL,
			...statements,
			DEFAULT_LOCK_WAIT_SQL
		])
	};
}
/**
* After a failed swapObjects, from wherever it stopped: once making the backup's objects began,
* they are dropped from the target with its own (they may share names); the tables are moved back
* if they were moved; and the target's own objects that are not there are made again. One that a
* lock kept from being dropped is still there, as it was, and is left alone. Each step waits for
* locks briefly and is tried again, so that this too ends.
*/
async function putBack(session, swap, making) {
	if (making) await retryLockWaits(() => session.run(swap.target, withPackageDropMode([...swap.objects.restored, ...swap.objects.replaced].map((o) => mysqlDropObjectSql(swap.target, o)))));
	if (mysqlRenamed(swap.tables, await session.tables(swap.scratch), await session.tables(swap.old))) {
		const back = mysqlSwapRenameSql(swap.target, swap.old, swap.scratch, swap.tables.restored, swap.tables.replaced);
		if (back) await retryLockWaits(() => session.run(swap.target, [back]));
	}
	await retryLockWaits(() => makeMissing(session, swap.target, swap.objects.replaced));
}
/** Makes those of `objects` that `schema` does not hold: run again after a lock wait, it goes on where it stopped. */
async function makeMissing(session, schema, objects) {
	const present = await readMysqlObjects(session, schema);
	await makeMysqlObjects(session, schema, objects.filter((o) => !present.some((p) => p.type === o.type && p.name === o.name)));
}
/** A swap session on the driver's connection. */
function connectionSwapSession(c) {
	return {
		...connectionSession(c),
		tables: (schema) => tablesOf(c, schema)
	};
}
async function tablesOf(c, database, kinds = "all") {
	const [rows] = await c.query(mysqlTablesSql("?", kinds), [database]);
	return rows.map((r) => String(r.t));
}
async function referencesTo(c, database) {
	const [rows] = await c.query({
		sql: mysqlReferencedFromSql("?"),
		rowsAsArray: true
	}, [database, database]);
	return rows.map(([words]) => words);
}
async function schemaCharset(c, database) {
	const [rows] = await c.query(mysqlCharsetSql("?"), [database]);
	return parseDatabaseCharset(rows[0]?.c);
}
/** mysqlObjectCountsSql's counts for `database`. */
async function countObjects(c, database) {
	const counts = [];
	for (const sql of mysqlObjectCountsSql("?")) counts.push(Number((await c.query(sql, [database]))[0][0].n));
	return counts;
}
async function objectsIn(c, database) {
	return objectCountWords(await countObjects(c, database));
}
function createMysqlAdmin(target, withConnection) {
	const endpoint = where(mysqlEndpoint(target));
	return {
		maxNameLength: 64,
		async inspect(database) {
			return withConnection(void 0, async (c) => {
				const [schemas] = await c.query(mysqlSchemaExistsSql("?"), [database]);
				if (schemas.length === 0) return {
					exists: false,
					tables: 0,
					others: []
				};
				const referencedBy = await referencesTo(c, database);
				const kinds = (await c.query(mysqlTablesSql("?", "all", `${MYSQL_TABLE_OR_SEQUENCE} AS k`), [database]))[0].map((r) => String(r.k));
				const tables = kinds.filter((k) => k === "table").length;
				const sequences = kinds.length - tables;
				return {
					exists: true,
					tables,
					others: [...countedEach([sequences], ["sequence"]), ...await objectsIn(c, database)],
					...referencedBy.length > 0 ? { referencedBy } : {}
				};
			});
		},
		async countRows(database, options = {}) {
			const tables = await withConnection(void 0, (c) => tablesOf(c, database, "rows"));
			const loaded = loadedAsCount(tables.map((table) => ({
				schema: null,
				table
			})), options.loaded);
			if (loaded) return loaded;
			const counted = [];
			await shareOut(tables, options.connections ?? 1, (next) => withConnection(void 0, async (c) => {
				for (let t = next(); t; t = next()) {
					const [rows] = await c.query(`SELECT COUNT(*) AS n FROM ${quoteMysqlIdentifier(database)}.${quoteMysqlIdentifier(t.item)}`);
					counted[t.index] = Number(rows[0].n);
				}
			}));
			return tables.map((table, i) => ({
				schema: null,
				table,
				rows: counted[i]
			}));
		},
		async drop(database) {
			await withConnection(void 0, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(database)}`));
		},
		async emptyOut(database) {
			await withConnection(database, async (c) => {
				const [rows] = await c.query({
					sql: mysqlDropEverythingSql("?"),
					rowsAsArray: true
				}, [
					database,
					database,
					database,
					database
				]);
				await c.query("SET FOREIGN_KEY_CHECKS = 0");
				for (const drop of withPackageDropMode(rows.map(([, statement]) => statement))) await c.query(drop);
			});
		},
		/**
		* MySQL cannot rename a database; one RENAME TABLE statement moves the old tables out and the
		* restored ones in, atomically. Views, triggers, routines and events do not move that way
		* (swapObjects): when either side has them, they are dropped around the rename and the
		* backup's made again in the target.
		*/
		async swap(targetName, scratch, options = {}) {
			const old = mysqlOldName(scratch);
			let change = null;
			const undo = async (c) => {
				await c.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(old)}`).catch(() => void 0);
				if (change) await c.query(change.revert).catch(() => void 0);
			};
			const lost = await withConnection(void 0, async (c) => {
				const references = await referencesTo(c, targetName);
				if (references.length > 0) throw mysqlTargetReferenced(targetName, endpoint, references);
				const session = connectionSwapSession(c);
				const objects = {
					replaced: await readMysqlObjects(session, targetName),
					restored: await readMysqlObjects(session, scratch)
				};
				const [replaced, restored] = [await tablesOf(c, targetName), await tablesOf(c, scratch)];
				const rename = mysqlSwapRenameSql(targetName, scratch, old, replaced, restored);
				change = charsetChange(quoteMysqlIdentifier(targetName), await schemaCharset(c, targetName), options.charset);
				if (change) {
					if (await c.query(change.alter).then(() => false, (error) => {
						if (charsetRefusal(error) !== null) return true;
						throw mysqlSwapFailed(targetName, endpoint, messageOf(error));
					})) change = null;
				}
				await c.query(`CREATE DATABASE ${quoteMysqlIdentifier(old)}`).catch(async (error) => {
					if (change) await c.query(change.revert).catch(() => void 0);
					throw error;
				});
				if (objects.replaced.length + objects.restored.length > 0) {
					await swapObjects({
						target: targetName,
						scratch,
						old,
						endpoint,
						rename,
						tables: {
							replaced,
							restored
						},
						objects
					}, session, (use) => withConnection(void 0, (fresh) => use(connectionSwapSession(fresh))), () => withConnection(void 0, undo));
					options.onNote?.(objectsSwappedNote(targetName, objects));
					return null;
				}
				try {
					if (rename) {
						await c.query(SHORT_LOCK_WAIT_SQL);
						await retryLockWaits(() => c.query(rename));
					}
					return null;
				} catch (error) {
					if (isConnectionLost(error)) return {
						cause: messageOf(error),
						replaced,
						restored
					};
					await undo(c);
					throw isLockWaitTimeout(error) ? mysqlTargetInUse(targetName, endpoint) : mysqlSwapFailed(targetName, endpoint, messageOf(error));
				}
			});
			if (lost) await afterLostSwap(() => withConnection(void 0, async (c) => mysqlRenamed(lost, await tablesOf(c, scratch), await tablesOf(c, old))), mysqlLostSwap(targetName, scratch, old, endpoint, lost.cause, () => withConnection(void 0, undo)));
			return [old, scratch];
		}
	};
}
// src/main/core/sources/postgres-locale.ts
/**
* A PostgreSQL database's encoding and locale, as one line of JSON (psql prints it as it is):
* locale providers exist from 15, and 17 renamed the ICU locale's column. `name`: a parameter
* placeholder or a quoted literal.
*/
function pgDatabaseLocaleSql(major, name) {
	return `SELECT json_build_object('encoding', pg_encoding_to_char(encoding), 'collate', datcollate, 'ctype', datctype, 'provider', ${major >= 15 ? "datlocprovider::text" : "'c'"}, 'locale', ${major >= 17 ? "datlocale" : major >= 15 ? "daticulocale" : "NULL"})::text AS locale FROM pg_database WHERE datname = ${name}`;
}
var PROVIDERS = {
	c: "libc",
	i: "icu",
	b: "builtin"
};
/** pgDatabaseLocaleSql's line, or null when it is not one. */
function parseDatabaseLocale(line) {
	if (!line) return null;
	const row = JSON.parse(line);
	if (typeof row.encoding !== "string" || typeof row.collate !== "string" || typeof row.ctype !== "string" || typeof row.provider !== "string") return null;
	const provider = PROVIDERS[row.provider] ?? row.provider;
	return {
		encoding: row.encoding,
		collate: row.collate,
		ctype: row.ctype,
		provider,
		icuLocale: provider === "icu" && typeof row.locale === "string" ? row.locale : null
	};
}
/** Whether CREATE DATABASE can ask for this locale: libc, or ICU with its locale known (PostgreSQL 17's builtin provider is not asked for). */
function recreatable(locale) {
	return locale.provider === "libc" || locale.provider === "icu" && locale.icuLocale !== null;
}
/** "encoding LATIN1, locale de_DE.ISO-8859-1", with the character classes and the ICU locale when they differ. */
function localeInWords(locale) {
	const ctype = locale.ctype === locale.collate ? "" : ` (character classes ${locale.ctype})`;
	const provider = locale.provider === "icu" ? `, ICU locale ${locale.icuLocale ?? "unknown"}` : locale.provider && locale.provider !== "libc" ? `, ${locale.provider} locale provider` : "";
	return `encoding ${locale.encoding}, locale ${locale.collate}${ctype}${provider}`;
}
/** TEMPLATE1_SETTINGS_SQL's `encoding|collate|ctype`, or null when it is not whole (template1 unreadable). */
function template1Settings(settings) {
	const [encoding, collate, ctype] = settings?.split("|") ?? [];
	return encoding && collate && ctype ? {
		encoding,
		collate,
		ctype
	} : null;
}
/** The backup's locale when CREATE DATABASE can ask for it (see recreatable), else null: the server's default. */
function askedLocale(locale) {
	return locale && recreatable(locale) ? locale : null;
}
/**
* The note of a restore whose database did not get the backup's encoding and locale: the server
* refused them (`refused`, its words), or askedLocale left them out. Null when it got them, or
* when the backup recorded none.
*/
function localeNote(locale, refused, settings) {
	if (!locale || refused === null && askedLocale(locale)) return null;
	return localeNotKeptNote(locale, refused ?? "Vaultdesk cannot create a database with that locale provider", settings);
}
/**
* The note of a restore whose database could not be created with the backup's encoding and locale
* (`why`: the server's refusal), and was created with the server's default (`settings`, as
* TEMPLATE1_SETTINGS_SQL gives it) instead.
*/
function localeNotKeptNote(locale, why, settings) {
	const server = template1Settings(settings);
	const instead = server ? `the server's default, ${localeInWords(server)}` : "the server's default encoding and locale";
	return `The backup's database had ${localeInWords(locale)}, which this server could not give the restored database (${why}): it has ${instead}, so text may sort and compare differently than in the original. To keep the original behaviour, make that locale available on the server and restore again.`;
}
// src/main/core/sources/client-tools.ts
var TOOL_SPECS = {
	pg_dump: {
		family: "postgres",
		executables: ["pg_dump"]
	},
	pg_dumpall: {
		family: "postgres",
		executables: ["pg_dumpall"]
	},
	pg_restore: {
		family: "postgres",
		executables: ["pg_restore"]
	},
	psql: {
		family: "postgres",
		executables: ["psql"]
	},
	mysqldump: {
		family: "mysql",
		executables: ["mariadb-dump", "mysqldump"]
	},
	mysql: {
		family: "mysql",
		executables: ["mariadb", "mysql"]
	}
};
/** Install locations after PATH. A `*` matches one path segment's remainder; matches are tried newest version first. */
var INSTALL_DIRS = {
	linux: {
		postgres: [
			"/usr/lib/postgresql/*/bin",
			"/usr/pgsql-*/bin",
			"/usr/local/pgsql/bin",
			"/usr/bin",
			"/usr/local/bin"
		],
		mysql: [
			"/usr/bin",
			"/usr/local/bin",
			"/usr/local/mysql/bin",
			"/opt/mysql/bin"
		]
	},
	darwin: {
		postgres: [
			"/opt/homebrew/bin",
			"/usr/local/bin",
			"/opt/homebrew/opt/libpq/bin",
			"/usr/local/opt/libpq/bin",
			"/opt/homebrew/opt/postgresql@*/bin",
			"/usr/local/opt/postgresql@*/bin",
			"/Applications/Postgres.app/Contents/Versions/*/bin"
		],
		mysql: [
			"/opt/homebrew/bin",
			"/usr/local/bin",
			"/opt/homebrew/opt/mysql-client/bin",
			"/usr/local/opt/mysql-client/bin",
			"/opt/homebrew/opt/mariadb/bin",
			"/usr/local/opt/mariadb/bin",
			"/usr/local/mysql/bin"
		]
	},
	win32: {
		postgres: ["C:\\Program Files\\PostgreSQL\\*\\bin"],
		mysql: ["C:\\Program Files\\MariaDB*\\bin", "C:\\Program Files\\MySQL\\MySQL Server*\\bin"]
	}
};
var INSTALL_HINTS$1 = {
	postgres: "Install the PostgreSQL client (Debian/Ubuntu: postgresql-client, Fedora/RHEL: postgresql, macOS: brew install libpq, Windows: the PostgreSQL installer from postgresql.org)",
	mysql: "Install the MariaDB or MySQL client (Debian/Ubuntu: mariadb-client, Fedora/RHEL: mariadb, macOS: brew install mariadb or brew install mysql-client, Windows: the MariaDB or MySQL installer)"
};
/** The binary for `name`, or CLIENT_TOOL_MISSING naming it and the package that provides it. */
function findTool(name, options = {}) {
	const spec = TOOL_SPECS[name];
	const platform = options.platform ?? currentPlatform();
	const configured = options.toolPaths?.[name];
	if (configured) {
		if (isExecutable(configured, platform)) return {
			name,
			executable: path.basename(configured),
			path: configured
		};
		throw new AppError("CLIENT_TOOL_MISSING", `${name} was not found at ${configured} (the path set in Settings). Correct the path or clear it to search the PATH.`, {
			tool: name,
			path: configured
		});
	}
	const pathApi = platform === "win32" ? path.win32 : path.posix;
	const dirs = [...pathDirs(options.env, platform), ...(options.installDirs ?? INSTALL_DIRS[platform][spec.family]).flatMap((p) => expandPattern(p, pathApi))];
	for (const executable of spec.executables) {
		const file = platform === "win32" ? `${executable}.exe` : executable;
		for (const dir of dirs) {
			const candidate = pathApi.join(dir, file);
			if (isExecutable(candidate, platform)) return {
				name,
				executable,
				path: platform === "win32" ? candidate : behindPgWrapper(candidate, executable) ?? candidate
			};
		}
	}
	const names = spec.executables.join(" or ");
	throw new AppError("CLIENT_TOOL_MISSING", `${names} was not found. ${INSTALL_HINTS$1[spec.family]} or set its path in Settings.`, { tool: name });
}
/**
* Debian's and Ubuntu's `/usr/bin/pg_dump` (psql, pg_restore, pg_dumpall) is postgresql-common's
* pg_wrapper, a Perl script that picks a version and execs it: about 50 ms of Perl before every
* run of the tool, a backup's start included. It picks the version of the local cluster it finds
* (Vaultdesk passes the server in --dbname, which it does not read), so with clients 13 and 16
* installed beside a local 13 cluster, a dump of a remote 16 server got pg_dump 13 and was refused as
* too old. The binary itself, newest version first, as the install dirs are searched: a newer
* pg_dump dumps older servers. Null when `candidate` is not the wrapper or it has no binaries beside it.
*/
function behindPgWrapper(candidate, executable) {
	let real;
	try {
		real = realpathSync(candidate);
	} catch {
		return null;
	}
	if (path.basename(real) !== "pg_wrapper" || path.basename(path.dirname(real)) !== "postgresql-common") return null;
	const prefix = path.dirname(path.dirname(path.dirname(real)));
	for (const dir of expandPattern(path.join(prefix, "lib/postgresql/*/bin"))) {
		const binary = path.join(dir, executable);
		if (isExecutable(binary, "linux")) return binary;
	}
	return null;
}
/** Expands one `*` per segment, newest (highest version-like name) first; a plain path is returned as is. */
function expandPattern(pattern, pathApi = path) {
	const star = pattern.indexOf("*");
	if (star < 0) return [pattern];
	const segmentStart = pattern.lastIndexOf(pathApi.sep, star) + 1;
	const segmentEnd = pattern.indexOf(pathApi.sep, star);
	const parent = pattern.slice(0, Math.max(segmentStart - 1, 0)) || pathApi.sep;
	const segment = pattern.slice(segmentStart, segmentEnd < 0 ? void 0 : segmentEnd);
	const rest = segmentEnd < 0 ? "" : pattern.slice(segmentEnd);
	const regex = new RegExp(`^${segment.split("*").map(escapeRegex).join("(.*)")}$`, pathApi === path.win32 ? "i" : "");
	let entries;
	try {
		entries = readdirSync(parent);
	} catch {
		return [];
	}
	return entries.filter((entry) => regex.test(entry)).sort((a, b) => b.localeCompare(a, "en", { numeric: true })).flatMap((entry) => expandPattern(`${pathApi.join(parent, entry)}${rest}`, pathApi));
}
/** Runs `tool --version` (no shell, no secrets) and parses it. */
function toolVersion(tool, env) {
	return new Promise((resolve, reject) => {
		execFile(tool.path, ["--version"], {
			env,
			timeout: 15e3,
			windowsHide: true,
			shell: false
		}, (error, stdout) => {
			const parsed = error ? null : parseToolVersion(TOOL_SPECS[tool.name].family, stdout);
			if (parsed) resolve(parsed);
			else reject(new AppError("CLIENT_TOOL_MISSING", `${tool.path} --version did not report a version${error ? `: ${error.message}` : ""}. Check that it is a working ${tool.executable} binary.`, {
				tool: tool.name,
				path: tool.path
			}));
		});
	});
}
/**
* findTool and toolVersion as one promise, started at once so that `--version` runs while the
* caller waits on something else (the server's answer). Already handled: a caller that awaits
* something else first does not leave it unhandled, and sees its error when it awaits it.
*/
function versionedTool(name, options, env) {
	const found = (async () => {
		const tool = findTool(name, options);
		return {
			...tool,
			version: await toolVersion(tool, env)
		};
	})();
	found.catch(() => void 0);
	return found;
}
function parseToolVersion(family, output) {
	const text = output.trim().split("\n")[0]?.trim() ?? "";
	if (family === "postgres") {
		const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
		return m ? {
			text,
			flavor: "postgres",
			parts: numbers(m.slice(1))
		} : null;
	}
	const m = /Distrib\s+(\d+)\.(\d+)(?:\.(\d+))?/.exec(text) ?? /from\s+(\d+)\.(\d+)(?:\.(\d+))?-MariaDB/.exec(text) ?? /Ver\s+(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
	return m ? {
		text,
		flavor: /mariadb/i.test(text) ? "mariadb" : "mysql",
		parts: numbers(m.slice(1))
	} : null;
}
/**
* CLIENT_TOO_OLD when the client cannot be trusted to dump the server. PostgreSQL: pg_dump refuses
* newer servers, so its major must be >= the server's. MySQL/MariaDB: within one flavour the
* client's major.minor must be >= the server's; across flavours the numbers mean different
* things (MariaDB 10.x vs MySQL 8.x), so no order is claimed.
*/
function assertClientNotOlder(tool, client, server) {
	if (client.flavor !== server.flavor) return;
	const width = server.flavor === "postgres" ? pgMajorWidth(server.parts) : 2;
	if (!(compareParts(client.parts.slice(0, width), server.parts.slice(0, width)) < 0)) return;
	const label = (parts) => parts.slice(0, server.flavor === "postgres" ? 2 : 3).join(".");
	const product = server.flavor === "postgres" ? "PostgreSQL" : server.flavor === "mariadb" ? "MariaDB" : "MySQL";
	throw new AppError("CLIENT_TOO_OLD", `${tool.executable} ${label(client.parts)} (${tool.path}) is older than the ${product} ${label(server.parts)} server. Install a ${product} client of version ${server.parts.slice(0, width).join(".")} or newer, or set its path in Settings.`, {
		tool: tool.name,
		clientVersion: label(client.parts),
		serverVersion: label(server.parts)
	});
}
/** PostgreSQL before 10 had two-part majors (9.6); from 10 on, one number. */
function pgMajorWidth(parts) {
	return (parts[0] ?? 0) >= 10 ? 1 : 2;
}
function compareParts(a, b) {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const d = (a[i] ?? 0) - (b[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}
function numbers(values) {
	return values.filter((v) => v !== void 0).map(Number);
}
function pathDirs(env, platform) {
	if (!env) return [];
	const key = platform === "win32" ? Object.keys(env).find((k) => k.toUpperCase() === "PATH") : "PATH";
	return ((key ? env[key] : void 0) ?? "").split(platform === "win32" ? ";" : ":").filter((d) => d.length > 0);
}
function isExecutable(file, platform) {
	try {
		if (!statSync(file).isFile()) return false;
		if (platform !== "win32") accessSync(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}
function currentPlatform() {
	return process.platform === "win32" || process.platform === "darwin" ? process.platform : "linux";
}
function escapeRegex(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
// src/main/core/sources/source-target.ts
/** Host, port and user of a server source, or VALIDATION_FAILED naming what is missing. */
function serverTarget(dto, defaultPort) {
	if (!dto.host || !dto.user) throw new AppError("VALIDATION_FAILED", `Source ${dto.name} needs a host and a user.`, { sourceId: dto.id });
	return {
		host: dto.host,
		port: dto.port ?? defaultPort,
		user: dto.user
	};
}
/** CANCELLED right away when the caller gave up before anything started. */
function throwIfAborted(signal, what) {
	if (signal?.aborted) throw new AppError("CANCELLED", `${what} was cancelled before it started.`);
}
// src/main/core/sources/tool-env.ts
var PG_CONNECTION_VARS = [
	"PGHOST",
	"PGHOSTADDR",
	"PGPORT",
	"PGUSER",
	"PGDATABASE",
	"PGPASSWORD",
	"PGSSLMODE",
	"PGREQUIRESSL",
	"PGSERVICE",
	"PGOPTIONS",
	"PGCONNECT_TIMEOUT",
	"PGCLIENTENCODING",
	"PGTARGETSESSIONATTRS",
	"PGLOADBALANCEHOSTS",
	"PGGSSENCMODE",
	"PGREQUIREAUTH",
	"PGCHANNELBINDING",
	"PGSSLNEGOTIATION"
];
var MYSQL_CONNECTION_VARS = [
	"MYSQL_PWD",
	"MYSQL_HOST",
	"MYSQL_TCP_PORT",
	"MYSQL_UNIX_PORT"
];
/** Upper case: Windows' variable names are case-insensitive. */
var INHERITED_CONNECTION_VARS = /* @__PURE__ */ new Set([...PG_CONNECTION_VARS, ...MYSQL_CONNECTION_VARS]);
/** The child's environment: the host's (PATH, locale, HOME...) minus connection variables, plus `extra`. */
function toolEnv(hostEnv, extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(hostEnv ?? {})) if (value !== void 0 && !INHERITED_CONNECTION_VARS.has(key.toUpperCase())) env[key] = value;
	return {
		...env,
		...extra
	};
}
/**
* The first argument of every MySQL/MariaDB client tool Vaultdesk starts: the option files of the
* machine and of its user are not read. A `[client] password` in ~/.my.cnf would otherwise win over
* the source's own (a later file wins), and a `[mysqldump]` group could change what is dumped
* (`ignore-table`, `no-data`): the tools connect with the source's settings alone, as the driver
* behind its connection test does.
*/
var NO_OPTION_FILES = "--no-defaults";
/**
* The option file a MySQL/MariaDB tool reads, the only one (see NO_OPTION_FILES): with a password,
* a file holding it, readable by the owner only, so the password is neither in argv (visible to
* every user via ps) nor in the environment; without, none at all.
*/
async function mysqlOptionFile(tempDir, password) {
	if (!password) return {
		arg: NO_OPTION_FILES,
		remove: async () => void 0
	};
	const file = path.join(tempDir, `vaultdesk-my-${randomUUID()}.cnf`);
	const handle = await open(file, "wx", 384);
	try {
		await handle.writeFile(`[client]\npassword="${escapeOptionValue(password)}"\n`, "utf8");
	} catch (error) {
		await handle.close();
		await rm(file, { force: true });
		throw error;
	}
	await handle.close();
	return {
		arg: `--defaults-file=${file}`,
		remove: () => rm(file, { force: true })
	};
}
/**
* Option files strip one pair of surrounding quotes and read backslash escapes (\\ \n \t \r \b
* \s \"). Quotes are escaped too: the reader toggles "inside quotes" at every unescaped quote,
* so in `"a"b#c"` the `#` would start a comment and cut the password there (MariaDB 10.11).
*/
function escapeOptionValue(value) {
	return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t").replaceAll("\b", "\\b").replace(/"/g, "\\\"");
}
// src/main/core/pipeline/batch-stream.ts
/** Chunk size to gather before gzip (and no compression): fewer, larger writes cost less CPU; larger than 1 MiB gains little. */
var BATCH_BYTES = 1048576;
/** A chunk shorter than this is one of the writer's own 4-8 KiB writes, read as soon as it landed. */
var SHORT_READ = 32768;
var COALESCE_MS = .25;
var sleeper = new Int32Array(new SharedArrayBuffer(4));
/**
* After a short read of a dump tool's pipe, sleeps 0.25 ms so the tool's next writes pile up
* (see BatchOptions.coalesceReads). Blocks the thread: never call it on a host's main thread.
*/
function pauseAfterShortRead(bytesRead) {
	if (bytesRead < SHORT_READ) Atomics.wait(sleeper, 0, 0, COALESCE_MS);
}
/**
* Gathers small chunks into chunks of at least `bytes`. A dump tool's pipe delivers 4-16 KiB
* at a time; every write into a zlib stream is a round trip to the threadpool and back, and
* every chunk a trip through each later stage. Holds at most `bytes` plus one chunk.
*/
var BatchStream = class extends Transform {
	bytes;
	coalesce;
	#held = [];
	#heldBytes = 0;
	constructor(bytes, coalesce) {
		super({ readableHighWaterMark: Math.max(bytes, 65536) });
		this.bytes = bytes;
		this.coalesce = coalesce;
	}
	_transform(chunk, _encoding, callback) {
		this.#held.push(chunk);
		this.#heldBytes += chunk.length;
		if (this.#heldBytes >= this.bytes) this.#release();
		if (this.coalesce) pauseAfterShortRead(chunk.length);
		callback();
	}
	_flush(callback) {
		if (this.#heldBytes > 0) this.#release();
		callback();
	}
	#release() {
		this.push(this.#held.length === 1 ? this.#held[0] : Buffer.concat(this.#held, this.#heldBytes));
		this.#held = [];
		this.#heldBytes = 0;
	}
};
/** Put right after the dump: see BatchStream and BatchOptions. */
function createBatchStream(options = {}) {
	return new BatchStream(options.bytes ?? 1048576, options.coalesceReads === true && !isMainThread);
}
// src/main/core/sources/dump-pipe.ts
/** A socket's path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS), its end included. */
var MAX_SOCKET_PATH = 100;
/**
* A connected pair of Unix sockets for a dump tool's stdout, whose output is read straight into
* pooled frame buffers (frame-pool.ts), which the zstd compressor then compresses where they are.
* A child's stdout from spawn(..., 'pipe') hands over every read (4-64 KiB) in a new buffer, which
* then went through each stream stage and was copied into a frame; a socket made here reads into
* a caller's buffer (`onread`). A socket rather than a FIFO: a pipe holds 64 KiB, which a dump
* tool writing 200 MB/s fills in a third of a millisecond, so every moment the worker spent
* compressing, encrypting or hashing held the tool up; a Unix socket holds about 200 KiB
* (net.core.wmem_default), and Node cannot enlarge a pipe (F_SETPIPE_SZ). Figures: README,
* Performance. The pair is made through a listening socket in a private folder (mode 0700),
* removed once connected; the tool sees an ordinary stream socket.
*
* Null where this is not possible (Windows, a folder that cannot hold a socket): the caller then
* uses an ordinary pipe.
*/
async function openDumpPipe(tempDir = tmpdir()) {
	if (process.platform === "win32") return null;
	let dir = null;
	const server = net.createServer({ pauseOnConnect: true });
	let reader = null;
	try {
		const parent = path.join(tempDir, "dump-pipe-XXXXXX", "s").length <= MAX_SOCKET_PATH ? tempDir : tmpdir();
		dir = mkdtempSync(path.join(parent, "dump-pipe-"));
		const address = path.join(dir, "s");
		await new Promise((resolve, reject) => {
			server.once("error", reject);
			server.listen(address, () => resolve());
		});
		const accepted = new Promise((resolve) => server.once("connection", resolve));
		const made = new PipeFrameReader(address);
		reader = made;
		return {
			writer: await Promise.race([accepted, new Promise((_, reject) => made.once("error", reject))]),
			reader: made
		};
	} catch {
		reader?.destroy();
		return null;
	} finally {
		server.close();
		if (dir) rmSync(dir, {
			recursive: true,
			force: true
		});
	}
}
/**
* Reads the tool's socket into pooled frames and pushes each once full (the last one at the end of the
* pipe, shorter). Back-pressure: when the consumer is full, reading stops (readStop) until it
* asks for more, and the tool blocks on a full pipe as it would writing to a slow shell pipe.
*/
var PipeFrameReader = class extends Readable {
	#socket;
	#frame = null;
	#used = 0;
	/** See BatchOptions.coalesceReads: never on a main thread, where Atomics.wait blocks the host. */
	#coalesce = !isMainThread;
	constructor(address) {
		super({ highWaterMark: FRAME_BYTES });
		this.#socket = net.connect({
			path: address,
			allowHalfOpen: true,
			onread: {
				buffer: () => this.#space(),
				callback: (n) => this.#filled(n)
			}
		});
		this.#socket.on("end", () => this.#ended());
		this.#socket.on("error", (error) => this.destroy(error));
	}
	/** Where the next read goes: the rest of the frame being filled. */
	#space() {
		this.#frame ??= acquireFrame();
		return this.#frame.subarray(this.#used);
	}
	/** Returns false to stop reading until _read. */
	#filled(n) {
		this.#used += n;
		if (this.#used < 1048576) {
			if (this.#coalesce) pauseAfterShortRead(n);
			return true;
		}
		const frame = this.#frame;
		this.#frame = null;
		this.#used = 0;
		return this.push(frame);
	}
	#ended() {
		if (this.#frame && this.#used > 0) this.push(this.#frame.subarray(0, this.#used));
		this.#frame = null;
		this.push(null);
	}
	_read() {
		this.#socket.resume();
	}
	_destroy(error, callback) {
		this.#socket.destroy();
		callback(error);
	}
};
// src/main/core/sources/tool-process.ts
/** How long a tool gets to exit after SIGTERM before it is killed outright. */
var KILL_GRACE_MS = 5e3;
var STDERR_KEEP$1 = 2048;
/**
* Starts a dump tool. Its stdout is forwarded with back-pressure, but the end of the stream is
* held back until the exit code is known: a tool that fails halfway makes the stream error
* instead of ending, so no consumer can mistake a truncated dump for a complete one.
*/
async function spawnDump(run) {
	const output = new PassThrough();
	output.on("error", () => {});
	const pipe = await openDumpPipe(run.tempDir);
	if (!pipe && process.platform !== "win32") run.log?.info("no socket for the dump output (a temporary folder that cannot hold one?): reading an ordinary pipe", { tool: run.tool.name });
	let child;
	try {
		child = spawnBound(run.tool.path, run.args, {
			shell: false,
			env: run.env,
			stdio: [
				"ignore",
				pipe ? pipe.writer : "pipe",
				"pipe"
			],
			windowsHide: true
		});
	} catch (error) {
		pipe?.reader.destroy();
		const done = (run.gate ?? Promise.resolve()).then(() => spawnFailure(run.tool, error), (refusal) => checkFailure(run.tool, refusal)).then(async (failure) => {
			output.destroy(failure);
			await run.cleanup?.();
			throw failure;
		});
		done.catch(() => {});
		return {
			stream: output,
			done,
			cancel: () => {},
			checked: Promise.resolve(false)
		};
	} finally {
		pipe?.writer.destroy();
	}
	const stdout = pipe ? pipe.reader : child.stdout;
	const stderr = collectStderr$1(child);
	stdout.pipe(output, { end: false });
	let readError = null;
	stdout.on("error", (error) => {
		readError ??= error;
		terminate(child);
	});
	const stdoutClosed = new Promise((resolve) => {
		if (stdout.closed) resolve();
		else stdout.once("close", () => resolve());
	});
	let exited = false;
	let cancelled = null;
	let refused = null;
	const stop = () => {
		stdout.unpipe(output);
		stdout.destroy();
		terminate(child);
	};
	const cancel = (reason = `${run.tool.executable} was cancelled.`) => {
		if (exited || cancelled || refused) return;
		cancelled = new AppError("CANCELLED", reason, { tool: run.tool.name });
		stop();
	};
	const gated = (run.gate ?? Promise.resolve()).then(() => true, (error) => {
		refused = error;
		if (!exited && !cancelled) stop();
		return false;
	});
	const onAbort = () => cancel();
	run.signal?.addEventListener("abort", onAbort, { once: true });
	output.on("close", () => cancel(`${run.tool.executable} was stopped because its output was closed before the dump finished.`));
	const done = new Promise((resolve, reject) => {
		let spawnError = null;
		child.on("error", (error) => {
			spawnError = error;
		});
		/** What the way the tool ended says about the dump: null when it is whole. */
		const exitFailure = (code, signal) => {
			if (spawnError) return spawnFailure(run.tool, spawnError);
			if (code !== 0) return toolFailed("DUMP_FAILED", run.tool, code, signal, run.stderrWords ? run.stderrWords(stderr()) : stderr());
			if (readError) return new AppError("DUMP_FAILED", `The output of ${run.tool.executable} could not be read: ${readError.message}`, { tool: run.tool.name });
			return null;
		};
		child.on("close", (code, signal) => {
			exited = true;
			run.signal?.removeEventListener("abort", onAbort);
			Promise.all([stdoutClosed, gated]).then(() => run.cleanup?.()).catch((error) => run.log?.warn("could not remove a temporary file", {
				tool: run.tool.name,
				error: String(error)
			})).then(() => {
				const failure = cancelled ?? (refused === null ? null : checkFailure(run.tool, refused)) ?? exitFailure(code, signal);
				if (failure) {
					output.destroy(failure);
					reject(failure);
				} else {
					output.end();
					resolve();
				}
			});
		});
	});
	done.catch(() => {});
	if (run.signal?.aborted) cancel();
	return {
		stream: output,
		done,
		cancel: () => cancel(),
		...run.gate ? { checked: gated } : {}
	};
}
/**
* Feeds `input` to a restore tool's stdin (its stdout to `onStdout`, ignored otherwise). The exit code decides. If the input fails, the tool is
* killed before it can see an end of file, so a half-read backup is never committed as if whole.
*/
function runRestore(run) {
	const { input } = run;
	let child;
	try {
		child = spawnBound(run.tool.path, run.args, {
			shell: false,
			env: run.env,
			stdio: [
				"pipe",
				run.onStdout ? "pipe" : "ignore",
				"pipe"
			],
			windowsHide: true
		});
		if (run.onStdout) child.stdout.on("data", run.onStdout);
	} catch (error) {
		input.destroy();
		return (run.cleanup?.() ?? Promise.resolve()).then(() => Promise.reject(spawnFailure(run.tool, error)));
	}
	const stdin = child.stdin;
	const stderr = collectStderr$1(child);
	let inputError = null;
	let cancelled = null;
	stdin.on("error", () => {});
	const onInputError = (error) => {
		inputError = error;
		terminate(child);
	};
	const onAbort = () => {
		cancelled = new AppError("CANCELLED", `The restore into ${run.database} was cancelled.`, { tool: run.tool.name });
		terminate(child);
	};
	input.on("error", onInputError);
	if (input.errored) onInputError(input.errored);
	else if (input.destroyed && !input.readableEnded) onInputError(/* @__PURE__ */ new Error("the backup stream was closed before its end"));
	input.once("end", () => stdin.end());
	input.pipe(stdin, { end: false });
	run.signal?.addEventListener("abort", onAbort, { once: true });
	if (run.signal?.aborted) onAbort();
	return new Promise((resolve, reject) => {
		let spawnError = null;
		child.on("error", (error) => {
			spawnError = error;
		});
		child.on("close", (code, signal) => {
			run.signal?.removeEventListener("abort", onAbort);
			input.removeListener("error", onInputError);
			input.unpipe(stdin);
			(run.cleanup?.() ?? Promise.resolve()).catch((error) => run.log?.warn("could not remove a temporary file", {
				tool: run.tool.name,
				error: String(error)
			})).then(() => {
				let failure = null;
				if (cancelled) failure = cancelled;
				else if (spawnError) failure = spawnFailure(run.tool, spawnError);
				else if (inputError) failure = inputFailure$1(run.database, inputError);
				else if (code !== 0) failure = toolFailed("RESTORE_FAILED", run.tool, code, signal, run.stderrWords ? run.stderrWords(stderr()) : stderr(), run.database);
				if (!failure) return resolve();
				if (!input.readableEnded) input.destroy();
				reject(failure);
			});
		});
	});
}
/** SIGTERM, then SIGKILL if the tool ignores it. */
function terminate(child) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.kill("SIGTERM");
	const timer = setTimeout(() => {
		if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
	}, KILL_GRACE_MS);
	timer.unref();
	child.once("exit", () => clearTimeout(timer));
}
/** Keeps the tail of stderr (where tools put the error that matters) and drains the rest. */
function collectStderr$1(child) {
	let kept = Buffer.alloc(0);
	child.stderr?.on("data", (chunk) => {
		kept = Buffer.concat([kept, chunk]);
		if (kept.length > STDERR_KEEP$1 * 2) kept = kept.subarray(kept.length - STDERR_KEEP$1 * 2);
	});
	return () => {
		const text = kept.subarray(Math.max(0, kept.length - STDERR_KEEP$1)).toString("utf8").trim();
		return kept.length > STDERR_KEEP$1 ? `...${text}` : text;
	};
}
function toolFailed(code, tool, exitCode, signal, stderr, database) {
	const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal ?? "a signal"}`;
	const what = code === "RESTORE_FAILED" ? `The restore into ${database} failed: ${tool.executable} ${how}` : `${tool.executable} ${how}`;
	return new AppError(code, stderr ? `${what}: ${stderr}` : `${what} without an error message.`, {
		tool: tool.name,
		exitCode,
		signal,
		stderr
	});
}
/** A gate's error as the dump's failure: its own where it is one of ours. */
function checkFailure(tool, error) {
	if (error instanceof AppError) return error;
	return new AppError("DUMP_FAILED", `${tool.executable} was stopped because its check failed: ${error instanceof Error ? error.message : String(error)}`, { tool: tool.name });
}
function spawnFailure(tool, error) {
	const err = error;
	if (err.code === "ENOENT" || err.code === "EACCES") return new AppError("CLIENT_TOOL_MISSING", `${tool.executable} could not be started from ${tool.path} (${err.code}). Check the path in Settings.`, {
		tool: tool.name,
		path: tool.path
	});
	return new AppError("INTERNAL", `${tool.executable} could not be started: ${err.message}`, { tool: tool.name });
}
/** A restore stopped by its input: the backup's own failure (INTEGRITY_FAILED...) keeps its code. */
function inputFailure$1(database, error) {
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof AppError) return new AppError(error.code, `The restore into ${database} stopped: ${message}`, error.details);
	return new AppError("RESTORE_FAILED", `The restore into ${database} stopped because reading the backup failed: ${message}`);
}
// src/main/core/sources/mysql-dump-rows.ts
/**
* The rows a `mariadb-dump` or `mysqldump` of one database loads into each of its tables, counted
* while it streams to the `mariadb`/`mysql` client.
*
* The dump writes each table's data between `LOCK TABLES `t` WRITE;` and `UNLOCK TABLES;`, under a
* `-- Dumping data for table `t`` comment, as extended INSERTs. mariadb-dump puts each row on a line
* of its own, which is counted as a line (a value never holds a raw newline in a dump: strings are
* escaped, `\n` for a newline, and binary columns are hex with --hex-blob):
*
*     INSERT INTO `t` VALUES
*     (1,'a\'b',0x00FF),
*     (2,NULL,NULL);
*
* Any other layout (MySQL's mysqldump and older mariadb-dumps write a statement's rows on one line,
* a column list puts the first row on the INSERT's line) is followed byte by byte: a row starts
* with `(` outside a string, a string ends at a quote not escaped by a backslash.
*
* The client stops at the first failed statement and exits non-zero, so once it has exited 0 these
* are the rows in the tables; triggers come after their table's data, so none fires while it loads.
* Anything else ends in null, and the restore counts with SQL as before: a section line this does
* not know (INSERT IGNORE, REPLACE), a dump cut short, a dump that does not escape with backslashes.
*/
var MysqlDumpRowCounter = class {
	#at = "outside";
	/** Outside a `DELIMITER ;;` block (routine and trigger bodies, whose lines are not the dump's own). */
	#delimited = true;
	/** The quoted name of the last `-- Dumping data for table` comment, until another line intervenes. */
	#announced = null;
	/** The quoted name of the table whose data section this is, and `INSERT INTO `t` ` in bytes. */
	#table = "";
	#insert = Buffer.alloc(0);
	#rows = 0;
	#counted = /* @__PURE__ */ new Map();
	#completed = false;
	#failed = false;
	/** The current line: its first bytes (up to PREFIX_MAX), its length, its last two bytes (as one number). */
	#prefix = Buffer.allocUnsafe(PREFIX_MAX$1);
	#prefixBytes = 0;
	#lineBytes = 0;
	#lastTwo = 0;
	/** An INSERT's head (`head`): the step, the bytes of it matched, whether inside a quoted column name. */
	#step = "insert";
	#matched = 0;
	#inName = false;
	/** Its rows (`values`): where in them, the backslashes just before the current byte in a string. */
	#value = "start";
	#backslashes = 0;
	/** The next quote and closing parenthesis in the current chunk: -1 none left in it, -2 not looked for. */
	#quoteAt = -2;
	#closeAt = -2;
	/** Never throws: what it cannot follow turns the count off, never the restore. */
	feed(chunk) {
		if (this.#failed) return;
		try {
			this.#walk(chunk);
		} catch {
			this.#failed = true;
		}
	}
	/** Every table the dump loads, with its rows; null when they are not known for certain. */
	finish() {
		if (this.#failed || this.#at !== "outside" || !this.#completed) return null;
		const tables = [];
		for (const [quoted, rows] of this.#counted) {
			const table = unquote(quoted);
			if (table === null) return null;
			tables.push({
				schema: null,
				table,
				rows
			});
		}
		return tables;
	}
	/** One indexOf per line, or per string and row of a one-line statement; allocates nothing. */
	#walk(chunk) {
		this.#quoteAt = -2;
		this.#closeAt = -2;
		let i = 0;
		while (i < chunk.length) {
			if (this.#at === "values") {
				i = this.#values(chunk, i);
				continue;
			}
			if (this.#at === "head") {
				i = this.#head(chunk, i);
				continue;
			}
			if (this.#at === "section" && this.#lineBytes === 0 && chunk[i] === INSERT_I) {
				this.#at = "head";
				this.#step = "insert";
				this.#matched = 0;
				continue;
			}
			const newline = chunk.indexOf(NEWLINE$1, i);
			const end = newline === -1 ? chunk.length : newline;
			if (end > i) {
				const room = this.#at === "rows" ? Math.min(1, end - i) : end - i;
				const take = Math.min(room, PREFIX_MAX$1 - this.#prefixBytes);
				if (take > 0) this.#prefixBytes += chunk.copy(this.#prefix, this.#prefixBytes, i, i + take);
				this.#lastTwo = end - i >= 2 ? chunk[end - 2] * 256 + chunk[end - 1] : (this.#lastTwo & 255) * 256 + chunk[end - 1];
				this.#lineBytes += end - i;
			}
			if (newline === -1) return;
			this.#line();
			this.#prefixBytes = 0;
			this.#lineBytes = 0;
			this.#lastTwo = 0;
			i = newline + 1;
		}
	}
	#line() {
		if (this.#at === "rows") {
			if (this.#prefix[0] !== OPEN || this.#lineBytes < 3) throw new Error("not a row");
			this.#rows++;
			if (this.#lastTwo === ROW_THEN_ROW) return;
			if (this.#lastTwo !== LAST_ROW) throw new Error("not a row");
			this.#at = "section";
			return;
		}
		const text = this.#lineBytes <= PREFIX_MAX$1 ? this.#prefix.toString("utf8", 0, this.#prefixBytes) : null;
		if (this.#at === "section") this.#sectionLine(text);
		else this.#outsideLine(text);
	}
	/** A data section's lines other than INSERTs: versioned comments for the server (`ALTER TABLE ... DISABLE KEYS`) and its end. */
	#sectionLine(text) {
		if (this.#prefixBytes >= 3 && this.#prefix[0] === SLASH && this.#prefix[1] === STAR && this.#prefix[2] === BANG) return;
		if (text !== "UNLOCK TABLES;") throw new Error("unknown line in a data section");
		this.#counted.set(this.#table, (this.#counted.get(this.#table) ?? 0) + this.#rows);
		this.#at = "outside";
	}
	/**
	* `INSERT INTO `t` `, an optional column list, `VALUES`, then a newline (one row a line follows:
	* the line-counting fast path) or a space (rows follow on the same line: followed byte by byte).
	*/
	#head(chunk, start) {
		let i = start;
		while (i < chunk.length) {
			const c = chunk[i++];
			switch (this.#step) {
				case "insert":
					if (c !== this.#insert[this.#matched]) throw new Error("not an INSERT of this table");
					if (++this.#matched === this.#insert.length) this.#step = "name";
					break;
				case "name":
					if (c === OPEN) {
						this.#step = "columns";
						this.#inName = false;
					} else if (c === VALUES[0]) {
						this.#step = "values";
						this.#matched = 1;
					} else throw new Error("not an INSERT of this table");
					break;
				case "columns":
					if (c === BACKTICK) this.#inName = !this.#inName;
					else if (c === CLOSE && !this.#inName) this.#step = "space";
					else if (c === NEWLINE$1) throw new Error("a column list over several lines");
					break;
				case "space":
					if (c !== SPACE) throw new Error("not an INSERT of this table");
					this.#step = "values";
					this.#matched = 0;
					break;
				case "values":
					if (c !== VALUES[this.#matched]) throw new Error("not an INSERT of this table");
					if (++this.#matched === VALUES.length) this.#step = "after";
					break;
				case "after":
					if (c === NEWLINE$1) this.#at = "rows";
					else if (c === SPACE) {
						this.#at = "values";
						this.#value = "start";
					} else throw new Error("not an INSERT of this table");
					return i;
			}
		}
		return i;
	}
	/** The rows of an INSERT, from after `VALUES` to the newline after its `;`. */
	#values(chunk, start) {
		let i = start;
		const n = chunk.length;
		while (i < n) switch (this.#value) {
			case "start": {
				const c = chunk[i++];
				if (c === OPEN) {
					this.#rows++;
					this.#value = "tuple";
				} else if (c !== SPACE && c !== NEWLINE$1) throw new Error("not a row");
				break;
			}
			case "tuple": {
				if (this.#quoteAt === -2 || this.#quoteAt >= 0 && this.#quoteAt < i) this.#quoteAt = chunk.indexOf(QUOTE, i);
				if (this.#closeAt === -2 || this.#closeAt >= 0 && this.#closeAt < i) this.#closeAt = chunk.indexOf(CLOSE, i);
				const quote = this.#quoteAt;
				const close = this.#closeAt;
				if (close !== -1 && (quote === -1 || close < quote)) {
					i = close + 1;
					this.#value = "after";
				} else if (quote !== -1) {
					i = quote + 1;
					this.#value = "string";
					this.#backslashes = 0;
				} else return n;
				break;
			}
			case "string": {
				if (this.#quoteAt === -2 || this.#quoteAt >= 0 && this.#quoteAt < i) this.#quoteAt = chunk.indexOf(QUOTE, i);
				const quote = this.#quoteAt;
				const stop = quote === -1 ? n : quote;
				let k = stop;
				while (k > i && chunk[k - 1] === BACKSLASH) k--;
				const run = k === i ? this.#backslashes + (stop - i) : stop - k;
				if (quote === -1) {
					this.#backslashes = run;
					return n;
				}
				i = quote + 1;
				this.#backslashes = 0;
				if (run % 2 === 0) this.#value = "tuple";
				break;
			}
			case "after": {
				const c = chunk[i++];
				if (c === COMMA) this.#value = "start";
				else if (c === SEMICOLON$1) this.#value = "end";
				else throw new Error("not a row");
				break;
			}
			case "end":
				if (chunk[i++] !== NEWLINE$1) throw new Error("not the end of a statement");
				this.#at = "section";
				return i;
		}
		return i;
	}
	#outsideLine(text) {
		if (text?.startsWith("DELIMITER ")) {
			this.#delimited = text.slice(10).trim() === ";";
			this.#announced = null;
			return;
		}
		if (!this.#delimited || text === null) {
			this.#announced = null;
			return;
		}
		if (escapesOff(text)) throw new Error("strings not escaped with backslashes");
		if (text.startsWith("/*M!") && text.includes("system_versioning_insert_history=1")) throw new Error("history rows");
		if (text.startsWith(DATA_COMMENT)) {
			this.#announced = text.slice(DATA_COMMENT.length);
			return;
		}
		if (text === "--" || text === "") return;
		if (this.#announced !== null && text === `LOCK TABLES ${this.#announced} WRITE;`) {
			this.#table = this.#announced;
			this.#insert = Buffer.from(`INSERT INTO ${this.#table} `);
			this.#rows = 0;
			this.#at = "section";
		} else if (text.startsWith("-- Dump completed")) this.#completed = true;
		this.#announced = null;
	}
};
/** `we``ird` as the name it quotes; null for what is not one quoted name. */
function unquote(quoted) {
	const inner = quoted.slice(1, -1);
	if (quoted.length < 3 || !quoted.startsWith("`") || !quoted.endsWith("`") || inner.replaceAll("``", "").includes("`")) return null;
	return inner.replaceAll("``", "`");
}
var NEWLINE$1 = 10;
var SPACE = 32;
var OPEN = 40;
var CLOSE = 41;
var COMMA = 44;
var SEMICOLON$1 = 59;
var QUOTE = 39;
var BACKSLASH = 92;
var BACKTICK = 96;
var SLASH = 47;
var STAR = 42;
var BANG = 33;
var INSERT_I = 73;
var VALUES = Buffer.from("VALUES");
/** `),` and `);` as two bytes. */
var ROW_THEN_ROW = 10540;
var LAST_ROW = 10555;
var DATA_COMMENT = "-- Dumping data for table ";
var DUMP_SQL_MODE = "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE=";
/** The dump header's own SQL mode line, turning backslash escapes off: a value may then hold a raw newline. */
function escapesOff(line) {
	return line.startsWith(DUMP_SQL_MODE) && line.includes("NO_BACKSLASH_ESCAPES");
}
/** A table name is at most 64 characters (256 bytes quoted); a column list of a few thousand columns fits. */
var PREFIX_MAX$1 = 262144;
// src/main/core/sources/mysql-dump-split.ts
/**
* Deals a `mariadb-dump`/`mysqldump` of one database out to several clients, each with a server
* session of its own, so that the rows of one table load on several server threads at once.
*
* The first client (the lead) gets the whole dump but the rows dealt to the others: every table,
* view, trigger, routine and event is made by it, in the dump's order. Every client gets the
* dump's header (`SET NAMES`, `TIME_ZONE`, `FOREIGN_KEY_CHECKS=0`, `SQL_MODE`...), so each session
* reads the rows as the lead would. A table's data section is
*
*     LOCK TABLES `t` WRITE;
*     /*!40000 ALTER TABLE `t` DISABLE KEYS *\/;
*     INSERT INTO `t` VALUES ...;       (one statement of many rows, on one line or a row a line)
*     /*!40000 ALTER TABLE `t` ENABLE KEYS *\/;
*     UNLOCK TABLES;
*
* and its INSERT statements are dealt whole to the client with the least waiting. The lock is left
* out: it would hold the other sessions off the table. Order is kept where it matters: no client
* but the lead takes a table's rows before the lead has run what came before them (the table's
* CREATE), and the lead runs nothing after a data section's rows (ENABLE KEYS, the table's
* triggers) before every client has run the rows it was given. `executed()` tells when.
*
* A statement ends at the first `;` that ends a line: a value never holds a raw newline in a
* dump (strings are escaped with backslashes, binary columns are hex with --hex-blob). A dump
* whose header turns backslash escapes off (NO_BACKSLASH_ESCAPES), or that switches database
* (`USE`), goes to the lead whole from there on; so does whatever this does not recognise, since
* only INSERT statements inside a `LOCK TABLES` section are ever dealt.
*/
var MysqlDumpSplitter = class {
	loaders;
	#mode = "header";
	/** A line's first bytes, held until the line ends or PREFIX_MAX of them are in: enough to tell what it is. */
	#held = Buffer.allocUnsafe(PREFIX_MAX);
	#heldBytes = 0;
	/** Where the rest of a line that was told from its first bytes goes. */
	#lineTo = null;
	/** The last byte of the current line so far, and whether the line is blank, a comment or a client command. */
	#lastByte = -1;
	#neutral = false;
	/** The last line (not blank, not a comment) ended with `;`: the next line starts a statement. */
	#statementStart = true;
	/** Outside a `DELIMITER ;;` block (routine and trigger bodies, whose lines are not the dump's own). */
	#delimited = true;
	/** Inside a data section (its LOCK TABLES left out). */
	#section = false;
	/** Which section the lead has run up to its first rows: until then, every row goes to it. */
	#sections = 0;
	#leadAsked = -1;
	#leadReady = -1;
	/** Loaders other than the lead given rows since the lead last waited for them. */
	#dealt = /* @__PURE__ */ new Set();
	/** The INSERT statement being passed on, and whether the previous chunk ended with its `;`. */
	#insertTo = null;
	#semicolonLast = false;
	/** INSERT statements given to each loader. */
	statements;
	constructor(loaders) {
		this.loaders = loaders;
		if (loaders.length === 0) throw new Error("no loaders");
		this.statements = loaders.map(() => 0);
	}
	/** The loaders the next rows may go to. */
	open() {
		return this.#section && this.#leadReady === this.#sections ? this.loaders : this.loaders.slice(0, 1);
	}
	async feed(chunk) {
		let i = 0;
		while (i < chunk.length) {
			if (this.#insertTo) {
				i = this.#insertBytes(chunk, i);
				continue;
			}
			const newline = chunk.indexOf(NEWLINE, i);
			const end = newline === -1 ? chunk.length : newline + 1;
			if (this.#lineTo !== null) {
				this.#emit(this.#lineTo, chunk.subarray(i, end));
				this.#lastByte = lastOfLine(chunk, i, end, this.#lastByte);
				i = end;
				if (newline !== -1) this.#lineEnded();
				continue;
			}
			const take = Math.min(end - i, PREFIX_MAX - this.#heldBytes);
			chunk.copy(this.#held, this.#heldBytes, i, i + take);
			this.#heldBytes += take;
			i += take;
			const whole = this.#held[this.#heldBytes - 1] === NEWLINE;
			if (whole || this.#heldBytes === PREFIX_MAX) await this.#line(whole);
		}
	}
	/** After the last chunk: the dump's last line (mariadb-dump ends without a newline). */
	async finish() {
		if (this.#insertTo) throw new Error("the dump ends inside an INSERT statement");
		if (this.#heldBytes > 0) await this.#line(true);
	}
	/** An INSERT's bytes, up to and with the newline after its `;`. */
	#insertBytes(chunk, start) {
		const to = this.#insertTo;
		const stop = this.#semicolonLast && chunk[start] === NEWLINE ? start : chunk.indexOf(SEMICOLON_NEWLINE, start);
		if (stop === -1) {
			to.write(chunk.subarray(start));
			this.#semicolonLast = chunk[chunk.length - 1] === SEMICOLON;
			return chunk.length;
		}
		const end = stop + (chunk[stop] === NEWLINE ? 1 : 2);
		to.write(chunk.subarray(start, end));
		this.#insertTo = null;
		this.#statementStart = true;
		return end;
	}
	/** A line's first bytes are in (`whole`: the whole line): where it goes. */
	async #line(whole) {
		const bytes = Buffer.from(this.#held.subarray(0, this.#heldBytes));
		this.#heldBytes = 0;
		const text = bytes.toString("latin1");
		const historySetting = HISTORY_SETTING.test(text);
		const neutral = text.trim() === "" || text.startsWith("--") || text.startsWith("/*M!") && !historySetting;
		this.#neutral = neutral;
		if (this.#mode === "header") {
			if (neutral || HEADER_SET.test(text)) {
				if (escapesOff(text)) this.#mode = "whole";
				return this.#pass("all", bytes, whole);
			}
			this.#mode = "body";
		}
		if (this.#mode === "whole") return this.#pass("lead", bytes, whole);
		if (historySetting && this.#delimited && this.#statementStart && !this.#section) return this.#pass("all", bytes, whole);
		const starts = this.#delimited && this.#statementStart;
		if (starts && whole && !this.#section && LOCK.test(text)) {
			this.#section = true;
			this.#sections++;
			return;
		}
		if (starts && this.#section && text.startsWith(INSERT)) return this.#insert(bytes);
		if (neutral) return this.#pass("lead", bytes, whole);
		if (this.#dealt.size > 0) await this.#waitForDealt();
		if (starts && whole && this.#section && text === "UNLOCK TABLES;\n") {
			this.#section = false;
			this.#statementStart = true;
			return;
		}
		if (starts && SWITCHES_DATABASE.test(text)) this.#mode = "whole";
		if (whole && text.startsWith("DELIMITER ")) this.#delimited = text.slice(10).trim() === ";";
		this.#pass("lead", bytes, whole);
	}
	#insert(bytes) {
		const lead = this.loaders[0];
		if (this.#leadAsked !== this.#sections) {
			const section = this.#leadAsked = this.#sections;
			lead.executed().then(() => {
				if (this.#leadReady < section) this.#leadReady = section;
			}, () => void 0);
		}
		let to = lead;
		let k = 0;
		if (this.#leadReady === this.#sections) {
			for (let j = 1; j < this.loaders.length; j++) if (this.loaders[j].writableLength < to.writableLength) {
				to = this.loaders[j];
				k = j;
			}
		}
		if (k > 0) this.#dealt.add(k);
		this.statements[k]++;
		to.write(bytes);
		const end = bytes.indexOf(SEMICOLON_NEWLINE);
		if (end !== -1 && end + 2 === bytes.length) {
			this.#statementStart = true;
			return;
		}
		this.#insertTo = to;
		this.#semicolonLast = bytes[bytes.length - 1] === SEMICOLON;
	}
	async #waitForDealt() {
		const waiting = [...this.#dealt].map((k) => this.loaders[k].executed());
		this.#dealt.clear();
		await Promise.all(waiting);
	}
	#pass(to, bytes, whole) {
		this.#emit(to, bytes);
		this.#lastByte = lastOfLine(bytes, 0, bytes.length, this.#lastByte);
		if (whole) this.#lineEnded();
		else this.#lineTo = to;
	}
	#emit(to, bytes) {
		if (to === "lead") this.loaders[0].write(bytes);
		else for (const loader of this.loaders) loader.write(bytes);
	}
	/** A line passed on whole: whether the next one starts a statement. Blank lines and comments change nothing. */
	#lineEnded() {
		this.#lineTo = null;
		if (!this.#neutral && this.#lastByte !== -1) this.#statementStart = this.#lastByte === SEMICOLON;
		this.#lastByte = -1;
		this.#neutral = false;
	}
};
/** The last byte of a line's bytes from `start` to `end` (its newline, if any, not counted), or `before` when none. */
function lastOfLine(bytes, start, end, before) {
	let last = end - 1;
	if (last >= start && bytes[last] === NEWLINE) last--;
	return last >= start ? bytes[last] : before;
}
var NEWLINE = 10;
var SEMICOLON = 59;
var SEMICOLON_NEWLINE = Buffer.from(";\n");
var INSERT = "INSERT INTO `";
var LOCK = /^LOCK TABLES `(?:[^`]|``)+` WRITE;\n$/;
/** The header's session settings, versioned comments as both dump tools write them. */
var HEADER_SET = /^\/\*!\d{5} SET /;
/**
* mariadb-dump --dump-history's `/*M!101100 SET ... system_versioning_insert_history=1 *\/;` before a
* versioned table's rows (the row periods are then taken as written) and the line that puts it back after.
*/
var HISTORY_SETTING = /^\/\*M!\d{6} SET .*system_versioning_insert_history/;
var SWITCHES_DATABASE = /^(?:USE\b|CREATE DATABASE\b|\/\*!\d{5} CREATE DATABASE\b)/i;
/** Longer than any line the splitter tells apart (a LOCK TABLES of a 64-character name, quoted). */
var PREFIX_MAX = 1024;
// src/main/core/sources/parallel-loaders.ts
/** What each loader's input holds before the splitter waits for one to take some. */
var LOADER_BUFFER = 1048576;
/**
* Runs `loaders` restore tools at once, fed by one splitter from `chunks` (after `first`, bytes
* already read). The first failure stops the other loaders and the stream: a loader's failure is
* reported as it is, and a stream that fails is reported as the input's failure, as a single
* tool's would be. Never one transaction: callers restore into a database they drop on failure.
*/
async function runLoaders(run, first, chunks) {
	const stop = new AbortController();
	const onAbort = () => stop.abort();
	run.signal?.addEventListener("abort", onAbort, { once: true });
	if (run.signal?.aborted) stop.abort();
	const inputs = Array.from({ length: run.loaders }, () => new PassThrough({ highWaterMark: LOADER_BUFFER }));
	let failure = null;
	const loaded = Promise.all(inputs.map((input, k) => run.start(k, input, stop.signal).catch((error) => {
		failure ??= error;
		stop.abort();
	})));
	let unread = null;
	const feeding = (async () => {
		const splitter = run.splitter(inputs);
		if (first.length > 0) await splitter.feed(first);
		for (;;) {
			if (stop.signal.aborted) return;
			const next = await chunks.next();
			if (next.done) break;
			await splitter.feed(next.value);
			const open = splitter.open();
			if (open.every((s) => s.writableNeedDrain)) await Promise.race([roomInOne(open, stop.signal), loaded]);
		}
		await splitter.finish();
		for (const input of inputs) input.end();
	})().catch((error) => {
		unread = error;
		for (const input of inputs) input.destroy(error instanceof Error ? error : new Error(String(error)));
	});
	try {
		await loaded;
		if (failure !== null) throw failure;
		await feeding;
		if (unread !== null) throw inputFailure$1(run.database, unread);
	} finally {
		run.signal?.removeEventListener("abort", onAbort);
	}
}
/** Resolves when one of the inputs has drained, or the load stopped. */
async function roomInOne(inputs, signal) {
	const waiting = new AbortController();
	const stopWaiting = () => waiting.abort();
	signal.addEventListener("abort", stopWaiting, { once: true });
	try {
		await Promise.race(inputs.map((s) => once(s, "drain", { signal: waiting.signal })));
	} catch {} finally {
		signal.removeEventListener("abort", stopWaiting);
		waiting.abort();
	}
}
// src/main/core/sources/mysql-parallel-load.ts
/**
* Restores a streamed MySQL/MariaDB dump with several clients at once, each with a server session
* of its own: the dump's INSERTs are dealt out as they stream (mysql-dump-split.ts). One client
* keeps the server busy on one core, whatever feeds it.
*
* Not one transaction, as a single client's restore is not either: the caller drops the database
* it created when this fails.
*/
async function loadMysqlInParallel(input, load) {
	const chunks = input[Symbol.asyncIterator]();
	const made = {};
	const marked = /* @__PURE__ */ new Map();
	const loaderOf = (from) => {
		let loader = marked.get(from);
		if (!loader) marked.set(from, loader = new MarkedLoader(from));
		return loader;
	};
	load.log?.info("loading rows in parallel", {
		database: load.database,
		loaders: load.loaders
	});
	try {
		await runLoaders({
			loaders: load.loaders,
			database: load.database,
			signal: load.signal,
			start: (_k, from, signal) => {
				const loader = loaderOf(from);
				const args = load.args(["--unbuffered", "--skip-column-names"]);
				return runRestore({
					tool: load.tool,
					args,
					env: load.env,
					signal,
					input: from,
					database: load.database,
					log: load.log,
					tempDir: load.tempDir,
					stderrWords: load.stderrWords,
					onStdout: (chunk) => loader.printed(chunk)
				}).finally(() => loader.exited());
			},
			splitter: (inputs) => {
				const splitter = made.splitter = new MysqlDumpSplitter(inputs.map(loaderOf));
				return {
					feed: (chunk) => splitter.feed(chunk),
					finish: () => splitter.finish(),
					open: () => splitter.open().map((l) => l.input)
				};
			}
		}, Buffer.alloc(0), chunks);
		load.log?.info("rows loaded in parallel", {
			database: load.database,
			statements: made.splitter?.statements
		});
	} catch (error) {
		if (!input.readableEnded) input.destroy();
		throw error;
	}
}
/**
* A client's input with marks: `SELECT 'vaultdesk-mark-N'` written after its statements, printed by
* the client once the statements before it have run.
*/
var MarkedLoader = class {
	input;
	#asked = 0;
	#seen = 0;
	#tail = "";
	#gone = false;
	#waiting = [];
	constructor(input) {
		this.input = input;
	}
	get writableLength() {
		return this.input.writableLength;
	}
	write(chunk) {
		this.input.write(chunk);
	}
	executed() {
		if (this.#gone) return Promise.reject(/* @__PURE__ */ new Error("the client exited"));
		const mark = ++this.#asked;
		this.input.write(`SELECT 'vaultdesk-mark-${mark}';\n`);
		return new Promise((resolve, reject) => this.#waiting.push({
			mark,
			resolve,
			reject
		}));
	}
	printed(chunk) {
		const text = this.#tail + chunk.toString("latin1");
		for (const m of text.matchAll(MARK)) this.#seen = Math.max(this.#seen, Number(m[1]));
		this.#tail = text.slice(-MARK_TAIL);
		for (let i = this.#waiting.length - 1; i >= 0; i--) {
			const w = this.#waiting[i];
			if (w.mark <= this.#seen) {
				this.#waiting.splice(i, 1);
				w.resolve();
			}
		}
	}
	exited() {
		this.#gone = true;
		for (const w of this.#waiting.splice(0)) w.reject(/* @__PURE__ */ new Error("the client exited"));
	}
};
var MARK = /vaultdesk-mark-(\d+)\n/g;
var MARK_TAIL = 40;
// src/main/core/sources/mysql-sandbox-line.ts
/** The first release of each MariaDB series whose client reads the sandbox line. */
var FIRST_WITH_SANDBOX = {
	"10.5": 25,
	"10.6": 18,
	"10.11": 8,
	"11.0": 6,
	"11.1": 5,
	"11.2": 4,
	"11.4": 2
};
/** Whether this client reads the sandbox line (MariaDB's from the releases above on; never MySQL's). */
function readsSandboxLine(client) {
	if (client.flavor !== "mariadb") return false;
	const [major = 0, minor = 0, patch = 0] = client.parts;
	if (major > 11 || major === 11 && minor >= 5) return true;
	const first = FIRST_WITH_SANDBOX[`${major}.${minor}`];
	return first !== void 0 && patch >= first;
}
var SANDBOX_LINE = /^\/\*M!999999\\- enable the sandbox mode \*\/ *\r?$/;
/** A first line longer than this is not the sandbox line: the stream goes on as it is. */
var MAX_LINE = 128;
/** Drops a first line that is the sandbox line, and passes every other byte on as it came. */
var SandboxLineFilter = class extends Transform {
	/** What came before the first line was decided; null once it was. */
	#head = Buffer.alloc(0);
	_transform(chunk, _encoding, done) {
		if (this.#head === null) return done(null, chunk);
		const head = this.#head.length === 0 ? chunk : Buffer.concat([this.#head, chunk]);
		const end = head.subarray(0, 129).indexOf(10);
		if (end === -1 && head.length <= MAX_LINE) {
			this.#head = head;
			return done();
		}
		this.#head = null;
		done(null, end !== -1 && SANDBOX_LINE.test(head.subarray(0, end).toString("latin1")) ? head.subarray(end + 1) : head);
	}
	_flush(done) {
		const rest = this.#head;
		this.#head = null;
		done(null, rest && rest.length > 0 ? rest : void 0);
	}
};
/** The dump as `client` can read it: without the sandbox line when the client does not know it. */
function dumpForClient(input, client) {
	if (readsSandboxLine(client)) return input;
	return pipeline(input, new SandboxLineFilter(), () => void 0);
}
// src/main/core/sources/mysql-client-errors.ts
var RULE = "--------------";
var CLOSING = `\n${RULE}\n\nERROR`;
/**
* The mariadb client answers a statement that failed in batch mode by printing the statement
* between two rules, then the error. A dump's statement may be an INSERT of a megabyte of rows, and
* the kept tail of stderr a cut piece of it: the words keep the error and enough of the statement
* to name its table, never its rows.
*/
function withoutEchoedStatement(stderr) {
	const closing = stderr.lastIndexOf(CLOSING);
	if (closing < 0) return stderr;
	const error = stderr.slice(closing + CLOSING.length - 5).trim();
	const opening = stderr.lastIndexOf(`${RULE}\n`, closing);
	if (opening < 0 || opening > 0 && stderr[opening - 1] !== "\n") return error;
	return [stderr.slice(0, opening).trim(), `${error} (in the statement ${statementStart(stderr.slice(opening + 14 + 1, closing))})`].filter(Boolean).join("\n");
}
function statementStart(statement) {
	const line = statement.replace(/\s+/g, " ").trim();
	const insert = /^(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+(?:`(?:[^`]|``)*`|\S+)(?:\s*\([^)]*\))?\s+VALUES\b/i.exec(line);
	if (insert) return `${insert[0]} …`;
	return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
// src/shared/domain/sentences.ts
/**
* `message` followed by `next`, with a full stop between them when `message` (often a tool's last
* line of stderr, such as "Unknown collation: 'x'") ends without one.
*/
function continued(message, next) {
	const text = message.trimEnd();
	return `${text}${/[.!?]$/.test(text) ? "" : "."} ${next}`;
}
// src/main/core/sources/mysql-packet-advice.ts
/** The most a MySQL or MariaDB server or client takes in one packet, and what the clients are given. */
var MAX_PACKET_BYTES = 1073741824;
var CONNECTION_ENDED = /ERROR (?:2006|2013) \(HY000\)|ERROR 1153 \(08S01\)|bigger than 'max_allowed_packet'/;
var PACKET_NAMED = /ERROR 1153 \(08S01\)|bigger than 'max_allowed_packet'/;
/**
* A restore whose connection the target server ended during a statement, with the words that say
* why when the server's max_allowed_packet is below what a statement may be: its value, and how an
* administrator raises it. `serverMaxPacket` reads the server's global value; when that fails too
* (the server did go away) or the value is already the largest, the error is left as it was.
*/
async function withPacketAdvice(error, serverMaxPacket) {
	if (!(error instanceof AppError) || error.code !== "RESTORE_FAILED" || !CONNECTION_ENDED.test(error.message)) return error;
	const limit = await serverMaxPacket().catch(() => null);
	if (limit === null || !Number.isFinite(limit) || limit >= 1073741824) return error;
	const sure = PACKET_NAMED.test(error.message);
	const advice = (sure ? "" : "The server ended the connection: it was stopped or restarted, the connection was killed or dropped, or a statement was too large. ") + `This server's max_allowed_packet is ${formatBytes(limit)}, and it ends the connection of a statement larger than that: the dump writes each row in one INSERT, a BLOB or binary value in hex (twice its size), so a row of more than ${formatBytes(limit / 2)} or so does not fit. ${sure ? "Raise" : "If the backup holds rows that large, raise"} it on this server, as an administrator: SET GLOBAL max_allowed_packet = ${MAX_PACKET_BYTES}; (new connections take it; max_allowed_packet = 1G under [mysqld] in its configuration keeps it after a restart), then restore again.`;
	return new AppError("RESTORE_FAILED", continued(error.message, advice), {
		...error.details,
		maxAllowedPacket: limit
	});
}
// src/main/core/sources/mysql-history.ts
/**
* The history of MariaDB's system-versioned tables (`WITH SYSTEM VERSIONING`: every row a table
* ever held, with the time it held it) is data a DBA keeps on purpose, for audits and for
* `FOR SYSTEM_TIME AS OF`, and mariadb-dump leaves it out unless asked (`--dump-history`, 10.11 and
* later). Asked, it writes every row version with its period and turns on
* `system_versioning_insert_history` around the table's rows, so the restore puts them back as
* they were, on MariaDB 10.11 and later: the history is dumped only from such a server, so that
* the server a backup was made of (or a newer one) always takes it back. It refuses the whole dump
* when one table keeps transaction-precise history (its period in transaction ids, which mean
* nothing on another server). Where the history is left out, the run says so.
*/
/** The database's system-versioned tables, and whether each keeps transaction-precise history (its ROW START a BIGINT). `schema`: a literal or placeholder. */
function mysqlVersionedTablesSql(schema) {
	return `SELECT t.TABLE_NAME AS name, MAX(c.DATA_TYPE = 'bigint') AS precise FROM information_schema.TABLES t LEFT JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME AND c.GENERATION_EXPRESSION = 'ROW START' WHERE t.TABLE_SCHEMA = ${schema} AND t.TABLE_TYPE = 'SYSTEM VERSIONED' GROUP BY t.TABLE_NAME ORDER BY t.TABLE_NAME`;
}
var NO_HISTORY = {
	dumpHistory: false,
	note: null
};
function historyPlan(tables, tool, server) {
	if (tables.length === 0 || server.flavor !== "mariadb") return NO_HISTORY;
	const named = (list) => list.map((t) => `\`${t.name}\``).join(", ");
	const lost = "the backup holds their current rows, and a restore starts their history anew";
	if (!from1011(server.parts)) return {
		dumpHistory: false,
		note: `System-versioned tables keep their history (${named(tables)}), which MariaDB takes back into a table only from 10.11 on, and this server is ${server.parts.join(".")}: ${lost}.`
	};
	if (tool.version.flavor !== "mariadb" || !from1011(tool.version.parts)) return {
		dumpHistory: false,
		note: `System-versioned tables keep their history (${named(tables)}), which ${tool.executable} ${tool.version.parts.join(".")} cannot dump (mariadb-dump 10.11 and later can): ${lost}.`
	};
	const precise = tables.filter((t) => t.precise);
	if (precise.length > 0) return {
		dumpHistory: false,
		note: `${named(precise)} keep${precise.length === 1 ? "s" : ""} transaction-precise history, which mariadb-dump cannot dump, and it then dumps no table's history: of the system-versioned tables (${named(tables)}), ${lost}.`
	};
	return {
		dumpHistory: true,
		note: null
	};
}
function from1011([major = 0, minor = 0]) {
	return major > 10 || major === 10 && minor >= 11;
}
// src/main/core/sources/mysql-source.ts
var MYSQL_SYSTEM_DATABASES = /* @__PURE__ */ new Set([
	"information_schema",
	"mysql",
	"performance_schema",
	"sys"
]);
/** Rows bigger than the 16-24 MiB client defaults (large BLOBs) must still dump and restore. */
var MAX_PACKET = `--max-allowed-packet=${MAX_PACKET_BYTES}`;
function mysqlConnectionArgs(target, tool) {
	return [
		`--host=${target.host}`,
		`--port=${target.port}`,
		`--user=${target.user}`,
		"--protocol=TCP",
		...mysqlToolTlsArgs(tool, target.tlsMode)
	];
}
/**
* MySQL has one dump format. The dump names no database (no --databases, so no CREATE
* DATABASE/USE): a restore can then target any database name.
*/
function mysqlDumpArgs(target, tool, server, database, history = NO_HISTORY) {
	const flavorArgs = history.dumpHistory ? ["--dump-history"] : [];
	if (tool.flavor === "mysql") {
		flavorArgs.push("--set-gtid-purged=OFF");
		if (server.flavor === "mariadb" && (tool.parts[0] ?? 0) >= 8) flavorArgs.push("--column-statistics=0");
	}
	return [
		...mysqlConnectionArgs(target, tool),
		"--single-transaction",
		"--routines",
		"--triggers",
		"--events",
		"--hex-blob",
		"--no-tablespaces",
		"--default-character-set=utf8mb4",
		MAX_PACKET,
		...flavorArgs,
		"--",
		database
	];
}
function mysqlRestoreArgs(target, tool, database, extra = []) {
	return [
		...mysqlConnectionArgs(target, tool),
		"--default-character-set=utf8mb4",
		"--binary-mode",
		"--comments",
		MAX_PACKET,
		...extra,
		"--",
		database
	];
}
function createMysqlSource(dto, secrets, ctx) {
	return new MysqlSource({
		...serverTarget(dto, 3306),
		password: secrets.password || void 0,
		tlsMode: dto.tlsMode
	}, dto.database, ctx);
}
var MysqlSource = class {
	target;
	database;
	ctx;
	#server = null;
	#tools = /* @__PURE__ */ new Map();
	constructor(target, database, ctx) {
		this.target = target;
		this.database = database;
		this.ctx = ctx;
	}
	async test() {
		const checking = this.#tool("mysqldump", true);
		checking.catch(() => void 0);
		const server = await this.#serverVersion();
		if (this.database) await this.#withConnection(this.database, async () => void 0);
		const connected = `Connected to ${where(mysqlEndpoint(this.target))}, ${server.display}`;
		try {
			const dump = await checking;
			return {
				success: true,
				serverVersion: server.display,
				message: `${connected}. Dumps will use ${dump.version.text} (${dump.path}).`
			};
		} catch (error) {
			if (error instanceof AppError && (error.code === "CLIENT_TOOL_MISSING" || error.code === "CLIENT_TOO_OLD")) return {
				success: false,
				serverVersion: server.display,
				message: `${connected}, but backups cannot run: ${error.message}`
			};
			throw error;
		}
	}
	async listDatabases() {
		return this.#withConnection(void 0, async (connection) => {
			const [rows] = await connection.query("SHOW DATABASES");
			return rows.map((r) => String(r.Database)).filter((name) => !MYSQL_SYSTEM_DATABASES.has(name.toLowerCase())).sort();
		});
	}
	/** 'custom' and 'plain' both give SQL (see mysqlDumpArgs). */
	async dump(database, options) {
		const name = database ?? this.database;
		if (!name) throw new AppError("VALIDATION_FAILED", `Choose a database to dump on ${where(mysqlEndpoint(this.target))}: the source has none set.`);
		throwIfAborted(options.signal, `The dump of ${name}`);
		const tool = await this.#tool("mysqldump", true);
		const server = await this.#serverVersion();
		const history = server.flavor === "mariadb" ? historyPlan(await this.#versionedTables(name), tool, server) : NO_HISTORY;
		if (history.note) this.ctx.onNote?.(history.note);
		const optionFile = await mysqlOptionFile(this.ctx.tempDir, this.target.password);
		const args = [optionFile.arg, ...mysqlDumpArgs(this.target, tool.version, server, name, history)];
		this.ctx.log?.info("dump started", {
			tool: tool.path,
			database: name
		});
		return await spawnDump({
			tool,
			args,
			env: this.#env(),
			signal: options.signal,
			cleanup: () => optionFile.remove(),
			log: this.ctx.log,
			tempDir: this.ctx.tempDir
		});
	}
	async restore(input, options) {
		const { database, signal } = options;
		throwIfAborted(signal, `The restore into ${database}`);
		const tool = await this.#tool("mysql", false);
		if (options.createDatabase) await this.#createDatabase(database, options.charset ?? null);
		try {
			await this.#withConnection(database, async () => void 0);
			const optionFile = await mysqlOptionFile(this.ctx.tempDir, this.target.password);
			const args = (extra = []) => [optionFile.arg, ...mysqlRestoreArgs(this.target, tool.version, database, extra)];
			const loaders = options.loaders ?? 1;
			this.ctx.log?.info("restore started", {
				tool: tool.path,
				database,
				loaders
			});
			const stderrWords = withoutEchoedStatement;
			const dump = dumpForClient(input, tool.version);
			if (options.createDatabase && loaders > 1) await loadMysqlInParallel(dump, {
				tool,
				args,
				database,
				env: this.#env(),
				loaders,
				signal,
				tempDir: this.ctx.tempDir,
				log: this.ctx.log,
				stderrWords
			}).finally(() => optionFile.remove());
			else await runRestore({
				tool,
				args: args(),
				env: this.#env(),
				signal,
				input: dump,
				database,
				cleanup: () => optionFile.remove(),
				log: this.ctx.log,
				tempDir: this.ctx.tempDir,
				stderrWords
			});
		} catch (error) {
			if (options.createDatabase) await this.#dropCreatedDatabase(database);
			throw await withPacketAdvice(error, () => this.#serverMaxPacket());
		}
	}
	async databaseCharset(database) {
		const [rows] = await this.#withConnection(void 0, (c) => c.query(mysqlCharsetSql("?"), [database]));
		return parseDatabaseCharset(rows[0]?.c);
	}
	async databaseObjects(database) {
		return mysqlObjectCounts(await this.#withConnection(void 0, (c) => countObjects(c, database)));
	}
	admin() {
		return createMysqlAdmin(this.target, (database, use) => this.#withConnection(database, use));
	}
	extension(_format) {
		return "sql";
	}
	async close() {}
	/** Its `arg` must be the tools' first argument: they ignore it anywhere else. */
	#env() {
		return toolEnv(this.ctx.env);
	}
	async #versionedTables(database) {
		const [rows] = await this.#withConnection(void 0, (c) => c.query(mysqlVersionedTablesSql("?"), [database]));
		return rows.map((r) => ({
			name: String(r.name),
			precise: Number(r.precise) === 1
		}));
	}
	async #serverMaxPacket() {
		const [rows] = await this.#withConnection(void 0, (c) => c.query("SELECT @@GLOBAL.max_allowed_packet AS m"));
		return Number(rows[0]?.m);
	}
	async #withConnection(database, use) {
		const connection = await connectMysql(this.target, database);
		try {
			return await use(connection);
		} catch (error) {
			throw mapMysqlError(error, this.target, database, "query");
		} finally {
			await connection.end().catch(() => {});
		}
	}
	/** Asked once per driver, however many ask at once; a failure is asked again next time. */
	#serverVersion() {
		this.#server ??= this.#withConnection(void 0, mysqlServerVersion).catch((error) => {
			this.#server = null;
			throw error;
		});
		return this.#server;
	}
	/** The tool and its version (which picks the TLS flags); dump tools are refused when older than the server. */
	async #tool(name, mustMatchServer) {
		const cached = this.#tools.get(name);
		if (cached) return cached;
		const found = versionedTool(name, {
			env: this.ctx.env,
			toolPaths: this.ctx.toolPaths
		}, this.#env());
		const server = mustMatchServer ? await this.#serverVersion() : null;
		const checked = await found;
		if (server) assertClientNotOlder(checked, checked.version, server);
		this.#tools.set(name, checked);
		return checked;
	}
	async #createDatabase(database, charset) {
		this.ctx.onCreatingDatabase?.(database);
		await this.#withConnection(void 0, async (connection) => {
			const create = `CREATE DATABASE ${quoteMysqlIdentifier(database)}`;
			try {
				const clause = charsetClause(charset);
				const refused = clause ? await connection.query(create + clause).then(() => null, (error) => charsetRefusal(error) ?? Promise.reject(error)) : null;
				if (!clause || refused !== null) await connection.query(create);
				if (charset && refused !== null) this.ctx.onNote?.(charsetNotKeptNote(charset, refused));
			} catch (error) {
				const code = error.code;
				if (code === "ER_DB_CREATE_EXISTS") throw new AppError("RESTORE_FAILED", `Database ${database} already exists on ${where(mysqlEndpoint(this.target))}. Choose a new name, or restore into it without creating it.`, { database });
				if (code === "ER_DBACCESS_DENIED_ERROR" || code === "ER_SPECIFIC_ACCESS_DENIED_ERROR") throw createDenied(this.target.user, database, messageOf(error), "the CREATE privilege on the server");
				throw error;
			}
		});
	}
	/** Best effort: a restore that failed into a database it created should not leave that database behind. */
	async #dropCreatedDatabase(database) {
		await this.#withConnection(void 0, (connection) => connection.query(`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(database)}`)).catch((error) => {
			this.ctx.log?.warn("could not drop the database created for a failed restore", {
				database,
				error: messageOf(error)
			});
			this.ctx.onCreatedNotDropped?.(database, messageOf(error));
		});
	}
};
// src/main/core/sources/postgres-connection.ts
var CONNECT_TIMEOUT_MS = 15e3;
var NO_TLS_MESSAGE = "The server does not support SSL connections";
function pgEndpoint(target) {
	return {
		product: "PostgreSQL",
		host: target.host,
		port: target.port,
		user: target.user
	};
}
/**
* A connected client; 'prefer' tries TLS first and falls back to plain only when the server has no
* TLS at all, and with a server seen without TLS lately starts in plain (tls-declined.ts).
*/
async function connectPostgres(target, database) {
	const { default: pg } = await import("pg");
	const attempt = async (ssl) => {
		const client = new pg.Client({
			host: target.host,
			port: target.port,
			user: target.user,
			password: target.password,
			database,
			ssl,
			connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
			application_name: "vaultdesk"
		});
		client.on("error", () => {});
		try {
			await client.connect();
			return client;
		} catch (error) {
			await client.end().catch(() => {});
			throw error;
		}
	};
	return connectWithTlsMode({
		product: "postgres",
		host: target.host,
		port: target.port,
		mode: target.tlsMode,
		tls: () => attempt(pgSslOption(target.tlsMode)),
		plain: () => attempt(false),
		declined: (error) => messageOf(error) === NO_TLS_MESSAGE,
		mayRequireTls: (error) => error.code === "28000",
		mapError: (error) => mapPgError(error, target, database),
		probeTls: async () => {
			const client = await attempt(pgSslOption("require"));
			return { close: () => client.end() };
		},
		tlsRequired: () => tlsRequired(pgEndpoint(target))
	});
}
function pgSslOption(mode) {
	switch (mode) {
		case "disable": return false;
		case "prefer":
		case "require": return { rejectUnauthorized: false };
		case "verify-full": return { rejectUnauthorized: true };
	}
}
/** `stage` 'query': the connection worked, so an unknown error is not a connection problem. */
function mapPgError(error, target, database, stage = "connect") {
	if (error instanceof AppError) return error;
	const endpoint = pgEndpoint(target);
	const message = messageOf(error);
	const sqlState = error.code;
	if (sqlState === "28P01" || sqlState === "28000") return authFailed(endpoint, message);
	if (sqlState === "3D000") return new AppError("NOT_FOUND", `Database ${database} does not exist on ${where(endpoint)}.`, { database });
	const refusal = stage === "connect" ? pgRefusal(sqlState, message) : null;
	if (refusal) return refusalError("postgres", refusal, endpoint, database, message);
	const net = networkCode(error);
	if (net) return unreachable(endpoint, describeNetworkCode(net));
	if (/timeout/i.test(message)) return unreachable(endpoint, "connection timed out");
	if (message === NO_TLS_MESSAGE) return unreachable(endpoint, `the server does not offer TLS, but this source's TLS mode is ${target.tlsMode}`);
	if (/certificate|self[- ]signed|altname/i.test(message)) return unreachable(endpoint, `the server's TLS certificate was not accepted (${message})`);
	if (stage === "query") return new AppError("INTERNAL", `${where(endpoint)} answered with an error: ${message}`);
	return unreachable(endpoint, message);
}
/** A libpq connection string: tools then take the database name literally, whatever characters it holds. */
function pgConninfo(target, database) {
	const quote = (value) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
	const parts = [
		`host=${quote(target.host)}`,
		`port=${target.port}`,
		`user=${quote(target.user)}`
	];
	if (database !== void 0) parts.push(`dbname=${quote(database)}`);
	return parts.join(" ");
}
async function pgServerVersion(client) {
	const { rows } = await client.query("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
	const num = Number(rows[0]?.num ?? 0);
	const major = Math.floor(num / 1e4);
	const parts = major >= 10 ? [major, num % 1e4] : [
		major,
		Math.floor(num / 100) % 100,
		num % 100
	];
	const text = rows[0]?.text ?? parts.join(".");
	return {
		flavor: "postgres",
		parts,
		text,
		display: `PostgreSQL ${text.split(" ")[0]}`
	};
}
// src/main/core/sources/postgres-database-properties.ts
var roleName = (oid) => `CASE WHEN ${oid} = 0 THEN NULL ELSE pg_get_userbyid(${oid}) END`;
/**
* One row, one column: the properties of database `target` as JSON, in hex (a comment may hold line
* breaks, and psql prints one line per row); no row when it does not exist. `target` is a SQL
* literal or parameter. jsonb: its text has no line breaks of its own, where json_agg's has. Its
* tablespace is not among them: the copy is created there (createDatabaseSql).
*/
function pgDatabasePropertiesSql(target) {
	return `SELECT encode(convert_to(jsonb_build_object(
    'owner', pg_get_userbyid(d.datdba),
    'restorer', current_user,
    'acl', CASE WHEN d.datacl IS NULL THEN NULL ELSE coalesce((SELECT jsonb_agg(jsonb_build_object('grantee', ${roleName("a.grantee")}, 'privilege', a.privilege_type, 'grantable', a.is_grantable))
      FROM aclexplode(d.datacl) a), '[]'::jsonb) END,
    'connectionLimit', d.datconnlimit,
    'comment', shobj_description(d.oid, 'pg_database'),
    'template', d.datistemplate,
    'settings', coalesce((SELECT jsonb_agg(jsonb_build_object('role', ${roleName("s.setrole")}, 'config', s.setconfig)) FROM pg_db_role_setting s WHERE s.setdatabase = d.oid), '[]'::jsonb)
  )::text, 'UTF8'), 'hex') FROM pg_database d WHERE d.datname = ${target}`;
}
function parsePgDatabaseProperties(hex) {
	return JSON.parse(Buffer.from(hex.trim(), "hex").toString("utf8"));
}
/** What a backup's manifest keeps of pgDatabasePropertiesSql's row (null: no such database): not who read it, nor the template flag. */
function keptPgDatabaseProperties(hex) {
	if (!hex || hex.trim() === "") return null;
	const { owner, acl, connectionLimit, comment, settings } = parsePgDatabaseProperties(hex);
	return {
		owner,
		acl,
		connectionLimit,
		comment,
		settings
	};
}
/**
* Gives database `database`, which a restore just created, the properties its backup kept, each
* statement on its own (`run`: null when it ran, else the server's words); what cannot be given is
* returned as a note naming it and the statement that gives it. `owners`: its owner and privileges
* too, when the run's roles were restored first; left out otherwise, as the objects' are.
*/
async function givePgDatabaseProperties(kept, database, owners, run) {
	const p = {
		...kept,
		acl: owners ? kept.acl : null,
		restorer: owners ? "" : kept.owner,
		template: false
	};
	const notes = [];
	for (const step of pgCarrySteps(p, pgQuoteIdent(database))) {
		const refused = await run(step.sql);
		if (refused !== null) notes.push(`The backed-up database had ${step.what}, which ${database} could not be given (${refused}): as a user who may, run ${step.sql}.`);
	}
	return notes;
}
/** Settings whose value is a list of names (pg_dump's variable_is_guc_list_quote): each element is its own literal. */
var LIST_SETTINGS = /* @__PURE__ */ new Set([
	"local_preload_libraries",
	"search_path",
	"session_preload_libraries",
	"shared_preload_libraries",
	"temp_tablespaces",
	"unix_socket_directories"
]);
/** A list setting's value as the catalog keeps it (`app, "$user", "My Schema"`), split into its names, as pg_dump's SplitGUCList does. */
function splitSettingList(value) {
	const names = [];
	let i = 0;
	const skipSpace = () => {
		while (i < value.length && /\s/.test(value[i])) i += 1;
	};
	skipSpace();
	if (i === value.length) return names;
	for (;;) {
		let name = "";
		if (value[i] === "\"") {
			for (i += 1; i < value.length; i += 1) {
				if (value[i] === "\"") {
					if (value[i + 1] !== "\"") break;
					i += 1;
				}
				name += value[i];
			}
			i += 1;
		} else {
			const start = i;
			while (i < value.length && value[i] !== "," && !/\s/.test(value[i])) i += 1;
			name = value.slice(start, i);
		}
		names.push(name);
		skipSpace();
		if (value[i] !== ",") return names;
		i += 1;
		skipSpace();
	}
}
/** `name=value` as the SET clause that sets it again: `SET "search_path" TO 'app', '$user'`. */
function pgSetClause(config) {
	const at = config.indexOf("=");
	const name = config.slice(0, at);
	const value = config.slice(at + 1);
	const values = LIST_SETTINGS.has(name.toLowerCase()) ? splitSettingList(value) : [value];
	return `SET ${pgQuoteIdent(name)} TO ${values.length === 0 ? "''" : values.map(pgLiteral).join(", ")}`;
}
/** The statements that give database `to` (quoted) the properties `p`; the owner last, since giving it away may take the right to the rest. */
function pgCarrySteps(p, to) {
	const steps = [];
	if (p.acl) {
		steps.push({
			what: "its privileges",
			sql: `REVOKE ALL ON DATABASE ${to} FROM PUBLIC`,
			required: true
		});
		const grants = /* @__PURE__ */ new Map();
		for (const entry of p.acl) {
			const key = JSON.stringify([entry.grantee, entry.grantable]);
			grants.set(key, [...grants.get(key) ?? [], entry.privilege]);
		}
		for (const [key, privileges] of grants) {
			const [grantee, grantable] = JSON.parse(key);
			const who = grantee === null ? "PUBLIC" : pgQuoteIdent(grantee);
			steps.push({
				what: "its privileges",
				sql: `GRANT ${privileges.join(", ")} ON DATABASE ${to} TO ${who}${grantable ? " WITH GRANT OPTION" : ""}`,
				required: true
			});
		}
	}
	for (const { role, config } of p.settings) for (const one of config) {
		const clause = pgSetClause(one);
		const forRole = role === null ? "" : ` for role ${role}`;
		steps.push({
			what: `the setting ${one}${forRole}`,
			sql: role === null ? `ALTER DATABASE ${to} ${clause}` : `ALTER ROLE ${pgQuoteIdent(role)} IN DATABASE ${to} ${clause}`,
			required: false
		});
	}
	if (p.connectionLimit !== -1) steps.push({
		what: `its connection limit (${p.connectionLimit})`,
		sql: `ALTER DATABASE ${to} CONNECTION LIMIT ${p.connectionLimit}`,
		required: false
	});
	if (p.comment !== null) steps.push({
		what: "its comment",
		sql: `COMMENT ON DATABASE ${to} IS ${pgLiteral(p.comment)}`,
		required: false
	});
	if (p.owner !== p.restorer) steps.push({
		what: `its owner (${p.owner})`,
		sql: `ALTER DATABASE ${to} OWNER TO ${pgQuoteIdent(p.owner)}`,
		required: false
	});
	return steps;
}
/**
* Gives the restored copy `scratch` what `target` carries besides its contents (see
* PgDatabaseProperties). Who may connect is required: a copy that cannot have it is not swapped in
* (RESTORE_FAILED, the target left as it was). Anything else that cannot be given is returned as a
* note naming it and the statement that gives it, for a DBA with the rights the restore's user lacks.
*/
async function carryPgDatabaseProperties(target, scratch, endpoint, runner) {
	const hex = await runner.read(target);
	if (hex === null) return {
		notes: [],
		template: false
	};
	const p = parsePgDatabaseProperties(hex);
	const notes = [];
	const byHand = pgCarrySteps(p, pgQuoteIdent(target));
	for (const [i, step] of pgCarrySteps(p, pgQuoteIdent(scratch)).entries()) {
		const refused = await runner.run(step.sql);
		if (refused === null) continue;
		if (step.required) throw new AppError("RESTORE_FAILED", `Could not give the restored copy of ${target} on ${endpoint} the privileges ${target} has (${refused}), so it was not put in place: ${target} was left as it was.`, {
			database: target,
			reason: "privileges"
		});
		notes.push(`${target} had ${step.what}, which the restored database could not be given (${refused}): as a user who may, run ${byHand[i].sql}.`);
	}
	return {
		notes,
		template: p.template
	};
}
// src/main/core/sources/postgres-admin.ts
/** The schema `n` holds what a user made: not the system's catalogs, toast or temporary schemas. */
var USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";
/** The user tables (partitioned ones as one) of the connected database; shared with the SSH exec admin. */
var PG_USER_TABLES = `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND ${USER_SCHEMA}`;
var PG_COUNT_USER_TABLES = `SELECT count(*) AS n ${PG_USER_TABLES}`;
/**
* The rows of the table itself: a partitioned table's are its partitions' (they are not listed on
* their own), but a table with inheritance children is listed beside them, and its plain count(*)
* would count their rows twice.
*/
var PG_OWN_ROWS = "CASE WHEN c.relkind = 'r' THEN 'ONLY ' ELSE '' END";
var notOf = (catalog, oid, deptypes) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype IN (${deptypes}))`;
var OTHER_RELATIONS = [
	["v", "view"],
	["m", "materialized view"],
	["S", "sequence"],
	["f", "foreign table"]
];
/**
* One row, one column: the other clients connected to the database this runs in, which ALTER DATABASE
* ... RENAME refuses to run beside (autovacuum's workers it stops itself, so they are not counted).
*/
var PG_OTHER_SESSIONS = "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'";
/**
* What else the connected database holds that replacing it would drop, as columns of one row, in the
* order of pgOtherWords: views, materialized views, sequences (a table's own serial or identity
* aside), foreign tables, functions and procedures, types, domains and empty schemas besides `public`. An extension's own objects are not counted:
* they come back with it, and a database made from a template that has one is still empty.
*/
var PG_OTHER_OBJECT_COUNTS = [
	...OTHER_RELATIONS.map(([kind]) => `(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = '${kind}' AND ${USER_SCHEMA} AND ${notOf("pg_class", "c.oid", kind === "S" ? "'e', 'a', 'i'" : "'e'")})`),
	`(SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA} AND ${notOf("pg_proc", "p.oid", "'e'")})`,
	`(SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMA} AND ${notOf("pg_type", "t.oid", "'e'")}
    AND (t.typtype IN ('e', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))))`,
	`(SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND ${USER_SCHEMA} AND ${notOf("pg_type", "t.oid", "'e'")})`,
	`(SELECT count(*) FROM pg_namespace n WHERE n.nspname <> 'public' AND ${USER_SCHEMA} AND ${notOf("pg_namespace", "n.oid", "'e'")}
    AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid) AND NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid)
    AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid))`
].join(", ");
/** The counts of PG_OTHER_OBJECT_COUNTS in words: `1 view`, `2 functions`. */
function pgOtherWords(counts) {
	return countedEach(counts, [
		...OTHER_RELATIONS.map(([, noun]) => noun),
		"function",
		"type",
		"domain",
		"empty schema"
	]);
}
/** One row when the database exists: its tablespace's name in hex; `name` is the name as a SQL literal or parameter. */
function pgDatabaseTablespaceSql(name) {
	return `SELECT encode(convert_to(t.spcname, 'UTF8'), 'hex') FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace WHERE d.datname = ${name}`;
}
/** A tablespace as inspect reports it: null for the server's default. */
function pgTablespaceOf(hex) {
	const name = Buffer.from(hex.trim(), "hex").toString("utf8");
	return name === "pg_default" ? null : name;
}
/** One row when the database exists; `name` is the name as a SQL literal or parameter. */
function pgDatabaseExistsSql(name) {
	return `SELECT 1 FROM pg_database WHERE datname = ${name}`;
}
/** A database to connect to while `database` itself is renamed or dropped (it cannot be the one connected to). */
function maintenanceFor(database) {
	return database === "postgres" ? "template1" : "postgres";
}
/** One row, one column: whether the connected user may create databases. */
var PG_MAY_CREATE_DATABASES = "SELECT (rolcreatedb OR rolsuper)::text FROM pg_roles WHERE rolname = current_user";
/** One statement on `c`: null when it ran, the server's words when it refused; losing the connection throws. */
function statementOn(c) {
	return (sql) => c.query(sql).then(() => null, (error) => {
		if (isServerError(error)) return messageOf(error);
		throw error;
	});
}
function createPostgresAdmin(target, withClient, serverMajor) {
	const endpoint = where(pgEndpoint(target));
	return {
		maxNameLength: 63,
		async inspect(database) {
			const found = await withClient(maintenanceFor(database), async (c) => (await c.query({
				text: pgDatabaseTablespaceSql("$1"),
				values: [database],
				rowMode: "array"
			})).rows[0]?.[0]);
			if (found === void 0) return {
				exists: false,
				tables: 0,
				others: []
			};
			return withClient(database, async (c) => {
				const tables = Number((await c.query(PG_COUNT_USER_TABLES)).rows[0].n);
				const [sessions = 0, ...others] = (await c.query({
					text: `SELECT (${PG_OTHER_SESSIONS}), ${PG_OTHER_OBJECT_COUNTS}`,
					rowMode: "array"
				})).rows[0].map(Number);
				return {
					exists: true,
					tables,
					others: pgOtherWords(others),
					tablespace: pgTablespaceOf(found),
					sessions
				};
			});
		},
		async mayCreateDatabases(connectTo) {
			return withClient(connectTo, async (c) => (await c.query({
				text: PG_MAY_CREATE_DATABASES,
				rowMode: "array"
			})).rows[0]?.[0] === "true");
		},
		async countRows(database, options = {}) {
			const names = await withClient(database, async (c) => (await c.query(`SELECT n.nspname AS schema, c.relname AS table, ${PG_OWN_ROWS} AS only ${PG_USER_TABLES} ORDER BY 1, 2`)).rows);
			const loaded = loadedAsCount(names, options.loaded);
			if (loaded) return loaded;
			const rows = [];
			await shareOut(names, options.connections ?? 1, (next) => withClient(database, async (c) => {
				for (let t = next(); t; t = next()) {
					const r = await c.query(`SELECT count(*) AS n FROM ${t.item.only}${c.escapeIdentifier(t.item.schema)}.${c.escapeIdentifier(t.item.table)}`);
					rows[t.index] = Number(r.rows[0].n);
				}
			}));
			return names.map((t, i) => ({
				schema: t.schema,
				table: t.table,
				rows: rows[i]
			}));
		},
		async giveProperties(database, kept, owners) {
			return withClient(maintenanceFor(database), (c) => givePgDatabaseProperties(kept, database, owners, statementOn(c)));
		},
		async drop(database) {
			const major = await serverMajor().catch(() => 0);
			await withClient(maintenanceFor(database), (c) => c.query(pgDropDatabaseSql(c.escapeIdentifier(database), major)));
		},
		async swap(targetName, scratch, options = {}) {
			const old = pgOldName(scratch);
			const lost = await withClient(maintenanceFor(targetName), async (c) => {
				const carried = await carryPgDatabaseProperties(targetName, scratch, endpoint, {
					read: async (target) => (await c.query({
						text: pgDatabasePropertiesSql("$1"),
						values: [target],
						rowMode: "array"
					})).rows[0]?.[0] ?? null,
					run: statementOn(c)
				});
				for (const note of carried.notes) options.onNote?.(note);
				await c.query("BEGIN");
				try {
					for (const rename of pgSwapRenames(c.escapeIdentifier(targetName), c.escapeIdentifier(scratch), c.escapeIdentifier(old), carried.template)) await c.query(rename);
					await c.query("COMMIT");
					return null;
				} catch (error) {
					if (!isServerError(error)) return messageOf(error);
					await c.query("ROLLBACK").catch(() => void 0);
					if (error.code === "55006") {
						const sessions = await c.query(pgSessionsSql("$1"), [targetName]).then((r) => Number(r.rows[0].n)).catch(() => null);
						throw pgTargetInUse(targetName, endpoint, sessions);
					}
					throw pgSwapFailed(targetName, endpoint, messageOf(error));
				}
			});
			if (lost !== null) await afterLostSwap(() => withClient(maintenanceFor(targetName), async (c) => (await c.query(pgDatabaseExistsSql("$1"), [old])).rowCount === 1), pgLostSwap(targetName, old, endpoint, lost));
			return [old];
		}
	};
}
/** An error the server sent (it has a severity), as against the connection failing. */
/** The server's answer (an ErrorResponse), not a lost connection or a client-side failure. */
function isServerError(error) {
	return typeof error?.severity === "string";
}
/** Only the swap makes `old`, so finding it tells that the swap happened. */
function pgLostSwap(target, old, endpoint, cause) {
	return {
		target,
		endpoint,
		cause,
		ifSwapped: `If a database named ${old} exists, ${target} holds the backup and ${old} the database it replaced`
	};
}
/** `quoted`: the identifier, quoted. WITH (FORCE) (PostgreSQL 13+): a killed restore tool's session may still be closing. */
function pgDropDatabaseSql(quoted, serverMajor) {
	return `DROP DATABASE IF EXISTS ${quoted}${serverMajor >= 13 ? " WITH (FORCE)" : ""}`;
}
/**
* The target out of the way, the restored copy in its place; in one transaction, so both or
* neither. Arguments quoted. A template's flag goes with its name: the restored copy becomes the
* template, and the replaced one, which DROP DATABASE would refuse as a template, stops being one.
* Both take the rights the renames take (the owner's), so they add no refusal of their own.
*/
function pgSwapRenames(target, scratch, old, template) {
	const renames = [`ALTER DATABASE ${target} RENAME TO ${old}`, `ALTER DATABASE ${scratch} RENAME TO ${target}`];
	return template ? [
		...renames,
		`ALTER DATABASE ${old} IS_TEMPLATE false`,
		`ALTER DATABASE ${target} IS_TEMPLATE true`
	] : renames;
}
/** `name`: the database name as a SQL literal or parameter. */
function pgSessionsSql(name) {
	return `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ${name}`;
}
/** Where the replaced database is kept until it is dropped, within the 63-byte limit. */
function pgOldName(scratch) {
	return `${scratch.slice(0, 55)}_old`;
}
function pgTargetInUse(target, endpoint, sessions) {
	return new AppError("RESTORE_FAILED", `Database ${target} on ${endpoint} is in use${sessions ? ` by ${sessions} session${sessions === 1 ? "" : "s"}` : ""}, so it cannot be replaced; it was left as it was. Close those connections (or stop the application using it) and restore again.`, {
		database: target,
		reason: "in-use"
	});
}
function pgSwapFailed(target, endpoint, cause) {
	return new AppError("RESTORE_FAILED", `Could not put the restored copy in place of ${target} on ${endpoint}: ${cause}. ${target} was left as it was.`, { database: target });
}
// src/main/core/sources/pg-dump-lock-wait.ts
/**
* How long pg_dump waits for the lock on a table another session holds exclusively (ALTER TABLE,
* TRUNCATE, VACUUM FULL, CLUSTER, REINDEX, LOCK TABLE) before the backup fails. Without a limit
* a nightly backup behind a forgotten transaction waits for ever, failing nothing and notifying
* no one, and meanwhile holds its locks on the tables it already took, so a DDL on one of those
* queues behind it and every query on that table behind the DDL.
*/
var PG_DUMP_LOCK_WAIT_MS = 6e5;
/** pg_dump's option for it (milliseconds, which every pg_dump since 9.0 reads). */
function pgDumpLockWaitArg(waitMs) {
	return `--lock-wait-timeout=${Math.max(1, Math.round(waitMs))}`;
}
/**
* pg_dump's stderr when it gave up on a lock, in words that say which table, why, and what to do;
* any other stderr as it is. pg_dump runs its LOCK TABLEs under a statement_timeout of the wait,
* so it says `canceling statement due to statement timeout` and then the statement,
* `LOCK TABLE schema.name IN ACCESS SHARE MODE`.
*/
function pgDumpLockWaitWords(stderr, waitMs) {
	const table = /canceling statement due to (?:statement|lock) timeout[\s\S]*?LOCK TABLE (.+?) IN ACCESS SHARE MODE/.exec(stderr)?.[1];
	if (table === void 0) return stderr;
	return `${`table ${table}`} is locked by another session (ALTER TABLE, TRUNCATE, VACUUM FULL, CLUSTER, REINDEX and LOCK TABLE take such a lock), and pg_dump waited ${waitWords(waitMs)} for it: nothing was backed up. pg_locks and pg_stat_activity on the server show which session holds it; run the backup again once it is released. (${stderr.trim()})`;
}
function waitWords(ms) {
	if (ms >= 6e4 && ms % 6e4 === 0) return `${ms / 6e4} minute${ms === 6e4 ? "" : "s"}`;
	if (ms >= 1e3 && ms % 1e3 === 0) return `${ms / 1e3} second${ms === 1e3 ? "" : "s"}`;
	return `${ms} ms`;
}
// src/main/core/sources/postgres-restore-errors.ts
/**
* A plain-format dump sets owners and grants with the source's role names (psql cannot skip them
* as pg_restore's --no-owner --no-acl do for custom-format dumps), so on a server without those
* roles it fails at the first one, rolled back. The tool's words name the role; these say what to
* do about it.
*/
function withMissingRoleAdvice(error, format) {
	if (format !== "plain" || !(error instanceof AppError) || error.code !== "RESTORE_FAILED") return error;
	const member = /must be (?:a )?member of role "(.+?)"/.exec(error.message)?.[1];
	if (member !== void 0) return new AppError("RESTORE_FAILED", continued(error.message, `The backup is a plain-format dump, which gives its objects to their owners by role name (here ${member}), and only a superuser or a member of that role may: restore as such a user (the server's administrator), grant ${member} to this one, or back up in custom format, whose restores leave owners and grants out. Nothing was kept.`), {
		...error.details,
		role: member
	});
	const role = /role "(.+?)" does not exist/.exec(error.message)?.[1];
	if (role === void 0) return error;
	return new AppError("RESTORE_FAILED", continued(error.message, `The backup is a plain-format dump, which gives its objects to their owners and grants on them by role name, and role ${role} is not on this server: restore the run's roles first (--with-globals, or "Also restore the roles" in the wizard), create the role, or back up in custom format, whose restores leave owners and grants out. Nothing was kept.`), {
		...error.details,
		role
	});
}
/**
* pg_restore reads the archive formats of its own release and older ones only: a backup made by a
* newer pg_dump (on another machine, or before the client tools here were downgraded) is refused at
* its first bytes. The tool's words give the format; these say where the cure is.
*/
function withArchiveVersionAdvice(error, tool, sshHost) {
	if (!(error instanceof AppError) || error.code !== "RESTORE_FAILED") return error;
	const version = /unsupported version \((\d+\.\d+)\) in file header/.exec(error.message)?.[1];
	if (version === void 0) return error;
	return new AppError("RESTORE_FAILED", continued(error.message, `The backup was written by a newer pg_dump than ${sshHost ? `${tool} on ${sshHost}` : tool}, which cannot read its archive format ${version}. Restore it with the PostgreSQL client tools of the release that made it or a newer one: ${sshHost ? `install them on ${sshHost}, first on its PATH` : "install them, and if Vaultdesk does not find them on its own, set pg_restore's path in Settings"}. Nothing was kept.`), {
		...error.details,
		archiveVersion: version,
		tool
	});
}
/**
* pg_dump's and pg_dumpall's releases of August 2025 on (17.6, 16.10, 15.14, 14.19, 13.22) open a plain dump with
* `\restrict KEY` (and close it with `\unrestrict KEY`), so that a server answering with psql
* commands of its own cannot run them through the restore; a psql from before those releases stops
* at that first line. Only a plain dump meets this: pg_restore reads the archive itself.
*/
function withPsqlRestrictAdvice(error, tool, sshHost) {
	if (!(error instanceof AppError) || error.code !== "RESTORE_FAILED") return error;
	if (!/invalid command \\(un)?restrict\b/.test(error.message)) return error;
	return new AppError("RESTORE_FAILED", continued(error.message, `The dump opens with \\restrict, which pg_dump and pg_dumpall write into plain dumps from their releases of August 2025 on (17.6, 16.10, 15.14, 14.19, 13.22 and later), and ${sshHost ? `${tool} on ${sshHost}` : tool} is older than those: update the PostgreSQL client tools ${sshHost ? `on ${sshHost}` : "here (a minor update of the same release is enough), or set psql's path in Settings to a newer one"}. Nothing was kept.`), {
		...error.details,
		tool
	});
}
/** What a failed restore of one database adds to the tool's words, by the dump's format: pg_restore's archive, or psql's plain SQL. */
function withPgRestoreAdvice(error, format, tool, sshHost) {
	return format === "custom" ? withArchiveVersionAdvice(error, tool, sshHost) : withPsqlRestrictAdvice(withMissingRoleAdvice(error, format), tool, sshHost);
}
// src/main/core/sources/head-gatherer.ts
/**
* Gathers a stream's first bytes until `parse` can read what it needs from them (a custom-format
* archive's table of contents: pg-archive-toc.ts), with linear work however long that is: the bytes
* go into one buffer that doubles when full, and a parse that asked for more is tried again only once
* the bytes have doubled since. A table of contents of tens of thousands of tables is tens of MiB,
* which a copy and a parse per chunk made quadratic.
*/
var HeadGatherer = class {
	parse;
	max;
	#buffer = Buffer.alloc(0);
	#length = 0;
	#triedAt = 0;
	constructor(parse, max) {
		this.parse = parse;
		this.max = max;
	}
	/** Every byte added so far. */
	get bytes() {
		return this.#buffer.subarray(0, this.#length);
	}
	/** Past `max` bytes without a parse: the caller gives up on it. */
	get tooLong() {
		return this.#length > this.max;
	}
	/** Adds a chunk: the parse's answer, or 'more' while it needs (or has not yet been asked with) more. */
	add(chunk) {
		if (this.#length + chunk.length > this.#buffer.length) {
			const grown = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#length + chunk.length, 65536));
			this.#buffer.copy(grown, 0, 0, this.#length);
			this.#buffer = grown;
		}
		chunk.copy(this.#buffer, this.#length);
		this.#length += chunk.length;
		if (this.#length < 2 * this.#triedAt && this.#length <= this.max) return "more";
		this.#triedAt = this.#length;
		return this.parse(this.bytes);
	}
	/** The parse's answer with every byte added (at the stream's end, or once too long). */
	last() {
		if (this.#triedAt === this.#length) return "more";
		this.#triedAt = this.#length;
		return this.parse(this.bytes);
	}
};
// src/main/core/sources/pg-archive-toc.ts
var ARCHIVE_CUSTOM = 1;
var version = (major, minor) => major * 256 * 256 + minor * 256;
/**
* The header and table of contents; 'more' when they have not all arrived, null for what this does
* not know: not a custom-format archive, or a version outside 1.12-1.16 (PostgreSQL 9.6-17).
*/
function readArchiveHead(bytes) {
	const r = new HeadReader(bytes);
	try {
		if (bytes.length < 5) throw new NeedMore();
		if (bytes.toString("latin1", 0, 5) !== "PGDMP") return null;
		r.skip(5);
		const major = r.byte();
		const minor = r.byte();
		r.byte();
		const v = version(major, minor);
		if (v < version(1, 12) || v > version(1, 16)) return null;
		r.intSize = r.byte();
		const offSize = r.byte();
		if (r.intSize < 1 || r.intSize > 8 || offSize < 1 || offSize > 16) return null;
		if (r.byte() !== ARCHIVE_CUSTOM) return null;
		const compression = v >= version(1, 15) ? r.byte() : r.int();
		for (let k = 0; k < 7; k++) r.int();
		r.str();
		r.str();
		r.str();
		const count = r.int();
		if (count < 0) return null;
		const entries = [];
		for (let e = 0; e < count; e++) {
			const dumpId = r.int();
			r.int();
			r.str();
			r.str();
			const tag = r.str();
			const desc = r.str();
			const section = r.int();
			const defn = r.str();
			r.str();
			const copyStmt = r.str();
			const namespace = r.str();
			r.str();
			if (v >= version(1, 14)) r.str();
			if (v >= version(1, 16)) r.int();
			r.str();
			r.str();
			while (r.str() !== null);
			r.skip(1 + offSize);
			entries.push({
				dumpId,
				desc,
				tag,
				namespace,
				section,
				defn,
				copyStmt
			});
		}
		return {
			intSize: r.intSize,
			compressed: compression !== 0,
			entries,
			end: r.at
		};
	} catch (error) {
		if (error instanceof NeedMore) return "more";
		throw error;
	}
}
/** The archive's integer at `at`, `count` bytes long: a sign byte, then the value's bytes, least significant first. */
function readArchiveInt(bytes, at, count) {
	let value = 0;
	for (let k = at + count - 1; k > at; k--) value = value * 256 + bytes[k];
	return bytes[at] === 0 ? value : -value;
}
var NeedMore = class extends Error {};
/** A cursor over the gathered head; NeedMore when it runs past what has arrived. */
var HeadReader = class {
	bytes;
	#at = 0;
	intSize = 4;
	constructor(bytes) {
		this.bytes = bytes;
	}
	get at() {
		return this.#at;
	}
	byte() {
		if (this.#at >= this.bytes.length) throw new NeedMore();
		return this.bytes[this.#at++];
	}
	int() {
		const count = this.intSize + 1;
		if (this.#at + count > this.bytes.length) throw new NeedMore();
		const value = readArchiveInt(this.bytes, this.#at, count);
		this.#at += count;
		return value;
	}
	/** A string, or null (length -1). */
	str() {
		const length = this.int();
		if (length < 0) return null;
		if (this.#at + length > this.bytes.length) throw new NeedMore();
		const text = this.bytes.toString("utf8", this.#at, this.#at + length);
		this.#at += length;
		return text;
	}
	skip(n) {
		if (this.#at + n > this.bytes.length) throw new NeedMore();
		this.#at += n;
	}
};
// src/main/core/sources/pg-archive-split.ts
/**
* Whether an archive's rows can be loaded by several pg_restore processes at once: uncompressed
* (`--compress=0`, as Vaultdesk dumps), every table's data in COPY form, and no large objects, whose
* data blocks a loader must see whole. `SEQUENCE SET` entries carry no data.
*/
function splittableArchive(head) {
	if (head.compressed) return false;
	let tables = 0;
	for (const e of head.entries) if (e.desc === "TABLE DATA") {
		if (e.copyStmt === null || !e.copyStmt.startsWith("COPY ")) return false;
		tables++;
	} else if (e.section === 3 && e.desc !== "SEQUENCE SET") return false;
	return tables > 0;
}
/** The `pg_restore --use-list` of the loaders after the first: the tables' data, in archive order, which is the order their blocks stream in. */
function tableDataList(head) {
	return head.entries.filter((e) => e.desc === "TABLE DATA").map((e) => `${e.dumpId}\n`).join("");
}
/**
* Deals a custom-format archive's rows out to several loaders, each a `pg_restore --data-only` that
* reads an archive of its own: the same header and table of contents, then every table's data
* block with the rows dealt to it (possibly none). A table's data is one piece per row
* (`WriteData` per COPY row in pg_dump), so rows are dealt in batches of whole pieces, cut only
* after a piece that ends a line, and passed on as the bytes they arrived in: no copy, no re-framing.
* A block's start and end go to every loader. Each batch goes to the loader with the least waiting,
* so a loader whose server session runs slower gets fewer rows.
*/
var PgArchiveSplitter = class {
	sinks;
	batchBytes;
	#at = "block";
	/** The bytes of an integer (a block id, a piece length) that spans two chunks. */
	#carry = [];
	/** A block's start: its type byte and id, sent to every loader once whole. */
	#blockHead = [];
	#left = 0;
	#sink;
	/** Stream offset where the current batch began, and of the current chunk's first byte. */
	#batchStart = 0;
	#offset = 0;
	#intBytes;
	#tables;
	constructor(head, headBytes, sinks, batchBytes = 262144) {
		this.sinks = sinks;
		this.batchBytes = batchBytes;
		if (sinks.length === 0) throw new Error("no loaders");
		this.#intBytes = head.intSize + 1;
		this.#tables = new Set(head.entries.filter((e) => e.desc === "TABLE DATA").map((e) => e.dumpId));
		this.#sink = sinks[0];
		for (const sink of sinks) sink.write(headBytes);
	}
	/** The next bytes after the table of contents. Throws on what no pg_dump archive holds. */
	feed(chunk) {
		const n = this.#intBytes;
		let i = 0;
		let from = this.#at === "piece" || this.#at === "length" ? 0 : -1;
		while (i < chunk.length) if (this.#at === "block") {
			const type = chunk[i++];
			if (type !== 1) throw new Error(`unexpected block type ${type} in a table-data stream`);
			this.#blockHead = [type];
			this.#at = "blockId";
		} else if (this.#at === "blockId") {
			while (this.#blockHead.length < 1 + n && i < chunk.length) this.#blockHead.push(chunk[i++]);
			if (this.#blockHead.length < 1 + n) break;
			const id = readArchiveInt(this.#blockHead, 1, n);
			if (!this.#tables.has(id)) throw new Error(`data block ${id} is not a table's data`);
			const head = Buffer.from(this.#blockHead);
			for (const sink of this.sinks) sink.write(head);
			this.#at = "length";
			from = i;
		} else if (this.#at === "length") {
			const start = i;
			if (this.#carry.length === 0 && i + n <= chunk.length) {
				const value = readArchiveInt(chunk, i, n);
				i += n;
				if (value > 0) {
					this.#left = value;
					this.#at = "piece";
					continue;
				}
				if (value < 0) throw new Error("negative piece length");
				if (from >= 0 && from < start) this.#sink.write(chunk.subarray(from, start));
				const end = chunk.subarray(start, i);
				for (const sink of this.sinks) sink.write(end);
				from = -1;
				this.#at = "block";
				continue;
			}
			if (from >= 0 && from < start) this.#sink.write(chunk.subarray(from, start));
			from = -1;
			while (this.#carry.length < n && i < chunk.length) this.#carry.push(chunk[i++]);
			if (this.#carry.length < n) break;
			const value = readArchiveInt(this.#carry, 0, n);
			const whole = Buffer.from(this.#carry);
			this.#carry = [];
			if (value < 0) throw new Error("negative piece length");
			if (value > 0) {
				this.#sink.write(whole);
				this.#left = value;
				this.#at = "piece";
				from = i;
				continue;
			}
			for (const sink of this.sinks) sink.write(whole);
			this.#at = "block";
		} else {
			const take = Math.min(this.#left, chunk.length - i);
			i += take;
			this.#left -= take;
			if (this.#left > 0) break;
			this.#at = "length";
			if (chunk[i - 1] === 10 && this.#offset + i - this.#batchStart >= this.batchBytes) {
				if (from >= 0 && from < i) this.#sink.write(chunk.subarray(from, i));
				from = i;
				this.#batchStart = this.#offset + i;
				this.#sink = this.#leastWaiting();
			}
		}
		if (from >= 0 && from < chunk.length && (this.#at === "piece" || this.#at === "length")) this.#sink.write(chunk.subarray(from));
		this.#offset += chunk.length;
	}
	/** Throws when the stream stopped inside a block: the loaders would load part of a table. */
	finish() {
		if (this.#at !== "block") throw new Error("the archive ends inside a data block");
	}
	#leastWaiting() {
		let best = this.sinks[0];
		for (const sink of this.sinks) if (sink.writableLength < best.writableLength) best = sink;
		return best;
	}
};
// src/main/core/sources/postgres-parallel-load.ts
/** A table of contents longer than this is not gathered: the archive goes to one pg_restore as it is. */
var HEAD_MAX = 67108864;
/**
* Restores a streamed custom-format archive into a database this restore created, with several
* pg_restore processes at once, each with a server session of its own: the objects first
* (`--section=pre-data`, from the table of contents alone), then the rows, dealt out as they stream
* to `loaders` `pg_restore --data-only` (pg-archive-split.ts), then indexes, keys and the rest
* (`--section=post-data --jobs`, from the table of contents written to a small private file).
* On one server core a COPY is bound by its backend, so this is what a stream can do that
* `pg_restore --jobs` needs a seekable file for, and it also splits one large table.
*
* Not one transaction: the caller drops the database it created when this fails. An archive this
* cannot split (pg-archive-split.ts) goes to `single`, with every byte read so far.
*/
async function loadInParallel(input, load, single) {
	const chunks = input[Symbol.asyncIterator]();
	const gatherer = new HeadGatherer(readArchiveHead, HEAD_MAX);
	let head = "more";
	while (head === "more" && !gatherer.tooLong) {
		const next = await chunks.next().catch((error) => Promise.reject(inputFailure$1(load.database, error)));
		if (next.done) {
			head = gatherer.last();
			break;
		}
		head = gatherer.add(next.value);
	}
	const bytes = gatherer.bytes;
	if (head === null || head === "more" || !splittableArchive(head)) {
		load.log?.info("restoring with one pg_restore: the archive cannot be loaded in parts", { database: load.database });
		return single(Readable.from(replay(bytes, chunks))).catch((error) => {
			if (!input.readableEnded) input.destroy();
			throw error;
		});
	}
	const headBytes = bytes.subarray(0, head.end);
	const first = bytes.subarray(head.end);
	const dir = load.tempDir ?? tmpdir();
	const list = path.join(dir, `load-${randomUUID()}.list`);
	const toc = path.join(dir, `load-${randomUUID()}.toc`);
	try {
		await writeFile(list, tableDataList(head), {
			mode: 384,
			flag: "wx"
		});
		await writeFile(toc, headBytes, {
			mode: 384,
			flag: "wx"
		});
		const restore = (args, from, signal, file) => runRestore({
			tool: load.tool,
			args: [
				...args,
				...load.baseArgs,
				...file ? [file] : []
			],
			env: load.env,
			signal,
			input: from,
			database: load.database,
			log: load.log,
			tempDir: load.tempDir
		});
		await restore(["--section=pre-data", "--single-transaction"], Readable.from([headBytes]), load.signal);
		load.log?.info("loading rows in parallel", {
			database: load.database,
			loaders: load.loaders
		});
		await runLoaders({
			loaders: load.loaders,
			database: load.database,
			signal: load.signal,
			start: (k, from, signal) => restore([
				"--data-only",
				"--single-transaction",
				...k === 0 ? [] : [`--use-list=${list}`]
			], from, signal),
			splitter: (inputs) => {
				const splitter = new PgArchiveSplitter(head, headBytes, inputs);
				return {
					feed: (chunk) => splitter.feed(chunk),
					finish: () => splitter.finish(),
					open: () => inputs
				};
			}
		}, first, chunks);
		await restore(["--section=post-data", `--jobs=${load.loaders}`], Readable.from([]), load.signal, toc);
	} catch (error) {
		if (!input.readableEnded) input.destroy();
		throw error;
	} finally {
		await Promise.all([rm(list, { force: true }), rm(toc, { force: true })]);
	}
}
/** The bytes read while looking for the table of contents, then the rest of the stream. */
async function* replay(read, chunks) {
	try {
		if (read.length > 0) yield read;
		for (;;) {
			const next = await chunks.next();
			if (next.done) return;
			yield next.value;
		}
	} finally {
		await chunks.return?.();
	}
}
// src/main/core/sources/postgres-source.ts
var MAINTENANCE_DB = "postgres";
/** Databases a dump can be taken of: no templates, none that refuse connections. */
var PG_DUMPABLE_DATABASES = "NOT datistemplate AND datallowconn";
/**
* The command lines below are shared with the SSH exec driver, which runs the same tools on the
* SSH host: one definition keeps local and remote dumps identical.
*/
function pgDumpArgs(target, database, format, lockWaitMs = PG_DUMP_LOCK_WAIT_MS) {
	return [
		"--no-password",
		...format === "custom" ? ["--format=custom", "--compress=0"] : ["--format=plain"],
		pgDumpLockWaitArg(lockWaitMs),
		`--dbname=${pgConninfo(target, database)}`
	];
}
function pgDumpGlobalsArgs(target) {
	return [
		"--no-password",
		"--globals-only",
		`--dbname=${pgConninfo(target)}`
	];
}
/** The encoding and locale a database copied from template1 would get, as one line: `encoding|collate|ctype`. */
var TEMPLATE1_SETTINGS_SQL = "SELECT pg_encoding_to_char(encoding) || '|' || datcollate || '|' || datctype AS settings FROM pg_database WHERE datname = 'template1'";
/**
* CREATE DATABASE for a restore: copied from template0, as pg_restore --create does, not from
* template1, which holds whatever a DBA added to it (PostGIS, site tables) that a dump already names
* or that would be counted as restored; with template1's encoding and locale (`settings`, from
* TEMPLATE1_SETTINGS_SQL), the server's default for a new database, which template0 may not share
* (a cluster whose template1 was remade as UTF8 keeps a SQL_ASCII template0). With `locale` (the
* backup's, recreatable), that encoding and locale instead, as pg_restore --create would ask for.
*/
function createDatabaseSql(quotedName, settings, locale = null, tablespace = null) {
	const where = tablespace === null ? "" : ` TABLESPACE ${pgQuoteIdent(tablespace)}`;
	if (locale) {
		const icu = locale.provider === "icu" && locale.icuLocale !== null ? ` LOCALE_PROVIDER icu ICU_LOCALE ${pgLiteral(locale.icuLocale)}` : "";
		return `CREATE DATABASE ${quotedName} TEMPLATE template0 ENCODING ${pgLiteral(locale.encoding)} LC_COLLATE ${pgLiteral(locale.collate)} LC_CTYPE ${pgLiteral(locale.ctype)}${icu}${where}`;
	}
	const server = template1Settings(settings);
	return `CREATE DATABASE ${quotedName} TEMPLATE template0${server ? ` ENCODING ${pgLiteral(server.encoding)} LC_COLLATE ${pgLiteral(server.collate)} LC_CTYPE ${pgLiteral(server.ctype)}` : ""}${where}`;
}
/**
* The refusal of a scratch copy in the tablespace of the database it is to replace: made elsewhere,
* it could fill a disk the replaced database was kept off.
*/
function pgTablespaceDenied(user, database, tablespace, why) {
	return new AppError("RESTORE_FAILED", `User ${user} may not create databases in tablespace ${tablespace} (${why.trim()}), where the database to be replaced is, so ${database}, the copy to restore beside it, could not be made there. Nothing was restored. Grant ${user} CREATE on tablespace ${tablespace}, or restore as a user who has it.`, {
		database,
		reason: "tablespace-denied"
	});
}
/**
* The server's refusal of a CREATE DATABASE with the backup's locale, in its words (a locale it
* lacks, an encoding that locale cannot have, a provider it does not know). A name already taken,
* no right to create, or a lost connection is thrown as it was: creating it otherwise would not help.
*/
function localeRefusal(error) {
	const code = error.code;
	if (!isServerError(error) || code === "42P04" || code === "42501") throw error;
	return messageOf(error);
}
/**
* pg_restore's options beside its connection: no owners or grants unless `keepOwners` (the target
* server may not have the source's roles, and one missing role would fail everything).
*/
function pgRestoreBaseArgs(keepOwners = false) {
	return [
		"--no-password",
		...keepOwners ? [] : ["--no-owner", "--no-acl"],
		"--exit-on-error"
	];
}
function pgRestoreArgs(target, database, format, keepOwners = false) {
	const conninfo = `--dbname=${pgConninfo(target, database)}`;
	return format === "custom" ? [
		...pgRestoreBaseArgs(keepOwners),
		"--single-transaction",
		conninfo
	] : [
		"--no-password",
		"--no-psqlrc",
		"--quiet",
		"--set=ON_ERROR_STOP=1",
		"--single-transaction",
		conninfo
	];
}
/** psql replaying a globals dump (roles). */
function pgGlobalsRestoreArgs(target) {
	return [
		"--no-password",
		"--no-psqlrc",
		"--quiet",
		"--set=ON_ERROR_STOP=0",
		`--dbname=${pgConninfo(target, MAINTENANCE_DB)}`
	];
}
/** What a failed roles restore says it was restoring into. */
var GLOBALS_TARGET = "the roles (globals)";
/** Connection settings the tools take from the environment (the password is added separately). */
function pgToolVars(target) {
	return {
		PGSSLMODE: target.tlsMode,
		PGCONNECT_TIMEOUT: "15"
	};
}
function createPostgresSource(dto, secrets, ctx) {
	return new PostgresSource({
		...serverTarget(dto, 5432),
		password: secrets.password || void 0,
		tlsMode: dto.tlsMode
	}, dto.database, ctx);
}
var PostgresSource = class {
	target;
	database;
	ctx;
	#server = null;
	#checked = /* @__PURE__ */ new Map();
	/** See SourceDriver.dumpChecksItself: dump() and dumpGlobals() start the tool beside their checks. */
	dumpChecksItself = true;
	constructor(target, database, ctx) {
		this.target = target;
		this.database = database;
		this.ctx = ctx;
	}
	async test() {
		const checking = this.#checkedTool("pg_dump");
		checking.catch(() => void 0);
		const server = await this.#serverVersion();
		const connected = `Connected to ${where(pgEndpoint(this.target))}, ${server.display}`;
		try {
			const dump = await checking;
			return {
				success: true,
				serverVersion: server.display,
				message: `${connected}. Dumps will use ${dump.version.text} (${dump.path}).`
			};
		} catch (error) {
			if (error instanceof AppError && (error.code === "CLIENT_TOOL_MISSING" || error.code === "CLIENT_TOO_OLD")) return {
				success: false,
				serverVersion: server.display,
				message: `${connected}, but backups cannot run: ${error.message}`
			};
			throw error;
		}
	}
	async listDatabases() {
		return this.#withClient(this.#defaultDatabase(), async (client) => {
			const { rows } = await client.query(`SELECT datname FROM pg_database WHERE ${PG_DUMPABLE_DATABASES} ORDER BY datname`);
			return rows.map((r) => r.datname);
		});
	}
	async dump(database, options) {
		const name = database ?? this.database;
		if (!name) throw new AppError("VALIDATION_FAILED", `Choose a database to dump on ${where(pgEndpoint(this.target))}: the source has none set.`);
		throwIfAborted(options.signal, `The dump of ${name}`);
		const { tool, checked } = await this.#startingTool("pg_dump");
		const lockWaitMs = this.ctx.dumpLockWaitMs ?? 6e5;
		const args = pgDumpArgs(this.target, name, options.format, lockWaitMs);
		this.ctx.log?.info("dump started", {
			tool: tool.path,
			database: name,
			format: options.format
		});
		return await spawnDump({
			tool,
			args,
			env: this.#env(),
			signal: options.signal,
			log: this.ctx.log,
			tempDir: this.ctx.tempDir,
			stderrWords: (stderr) => pgDumpLockWaitWords(stderr, lockWaitMs),
			gate: checked
		});
	}
	async dumpGlobals() {
		const { tool, checked } = await this.#startingTool("pg_dumpall");
		const args = pgDumpGlobalsArgs(this.target);
		this.ctx.log?.info("globals dump started", { tool: tool.path });
		return await spawnDump({
			tool,
			args,
			env: this.#env(),
			log: this.ctx.log,
			tempDir: this.ctx.tempDir,
			gate: checked
		});
	}
	/**
	* A dump tool to start now, and its check (#checkedTool) to run beside it: waiting for the
	* server's answer and the tool's --version first held every backup's first byte back by both.
	* spawnDump's gate stops the tool if the check fails, and the dump then fails with the check's
	* words, as it did when the check came first. A tool that is not found waits for the server's
	* answer, so that a server out of reach is still what is said first.
	*/
	async #startingTool(name) {
		const checked = this.#checkedTool(name);
		checked.catch(() => void 0);
		let tool;
		try {
			tool = findTool(name, {
				env: this.ctx.env,
				toolPaths: this.ctx.toolPaths
			});
		} catch (error) {
			await checked;
			throw error;
		}
		return {
			tool,
			checked
		};
	}
	async restore(input, options) {
		const { database, signal } = options;
		throwIfAborted(signal, `The restore into ${database}`);
		const tool = findTool(options.format === "custom" ? "pg_restore" : "psql", {
			env: this.ctx.env,
			toolPaths: this.ctx.toolPaths
		});
		if (options.createDatabase) await this.#createDatabase(database, options.locale ?? null, options.tablespace ?? null);
		try {
			await this.#withClient(database, async () => void 0);
			const args = pgRestoreArgs(this.target, database, options.format, options.keepOwners);
			this.ctx.log?.info("restore started", {
				tool: tool.path,
				database,
				format: options.format,
				loaders: options.loaders ?? 1
			});
			const single = (from) => runRestore({
				tool,
				args,
				env: this.#env(),
				signal,
				input: from,
				database,
				log: this.ctx.log,
				tempDir: this.ctx.tempDir
			});
			if (options.format === "custom" && options.createDatabase && (options.loaders ?? 1) > 1) await loadInParallel(input, {
				tool,
				baseArgs: [...pgRestoreBaseArgs(options.keepOwners), `--dbname=${pgConninfo(this.target, database)}`],
				env: this.#env(),
				database,
				loaders: options.loaders,
				signal,
				tempDir: this.ctx.tempDir,
				log: this.ctx.log
			}, options.unsplit ?? single);
			else await single(input);
		} catch (error) {
			if (options.createDatabase) await this.#dropCreatedDatabase(database);
			throw withPgRestoreAdvice(error, options.format === "custom" ? "custom" : "plain", tool.path);
		}
	}
	admin() {
		return createPostgresAdmin(this.target, (database, use) => this.#withClient(database, use), async () => (await this.#serverVersion()).parts[0] ?? 0);
	}
	async restoreFile(file, options) {
		const { database, signal } = options;
		throwIfAborted(signal, `The restore into ${database}`);
		const tool = findTool("pg_restore", {
			env: this.ctx.env,
			toolPaths: this.ctx.toolPaths
		});
		if (options.createDatabase) await this.#createDatabase(database, options.locale ?? null, options.tablespace ?? null);
		try {
			await this.#withClient(database, async () => void 0);
			const args = [
				...pgRestoreBaseArgs(options.keepOwners),
				`--jobs=${options.jobs}`,
				`--dbname=${pgConninfo(this.target, database)}`,
				file
			];
			this.ctx.log?.info("parallel restore started", {
				tool: tool.path,
				database,
				jobs: options.jobs
			});
			await runRestore({
				tool,
				args,
				env: this.#env(),
				signal,
				input: Readable.from([]),
				database,
				log: this.ctx.log,
				tempDir: this.ctx.tempDir
			});
		} catch (error) {
			if (options.createDatabase) await this.#dropCreatedDatabase(database);
			throw withArchiveVersionAdvice(error, tool.path);
		}
	}
	async databaseLocale(database) {
		const major = (await this.#serverVersion()).parts[0] ?? 0;
		return parseDatabaseLocale((await this.#withClient(this.#defaultDatabase(), (client) => client.query(pgDatabaseLocaleSql(major, "$1"), [database]))).rows[0]?.locale);
	}
	async databaseProperties(database) {
		return keptPgDatabaseProperties((await this.#withClient(this.#defaultDatabase(), (client) => client.query({
			text: pgDatabasePropertiesSql("$1"),
			values: [database],
			rowMode: "array"
		}))).rows[0]?.[0]);
	}
	async restoreGlobals(input, signal) {
		throwIfAborted(signal, "The restore of the roles");
		const tool = findTool("psql", {
			env: this.ctx.env,
			toolPaths: this.ctx.toolPaths
		});
		this.ctx.log?.info("roles restore started", { tool: tool.path });
		await runRestore({
			tool,
			args: pgGlobalsRestoreArgs(this.target),
			env: this.#env(),
			signal,
			input,
			database: GLOBALS_TARGET,
			log: this.ctx.log,
			tempDir: this.ctx.tempDir
		}).catch((error) => {
			throw withPsqlRestrictAdvice(error, tool.path);
		});
	}
	extension(format) {
		return format === "custom" ? "dump" : "sql";
	}
	async close() {}
	#defaultDatabase() {
		return this.database ?? "postgres";
	}
	#env() {
		const extra = pgToolVars(this.target);
		if (this.target.password) extra.PGPASSWORD = this.target.password;
		return toolEnv(this.ctx.env, extra);
	}
	async #withClient(database, use) {
		const client = await connectPostgres(this.target, database);
		try {
			return await use(client);
		} catch (error) {
			throw mapPgError(error, this.target, database, "query");
		} finally {
			await client.end().catch(() => {});
		}
	}
	/** Asked once per driver, however many ask at once; a failure is asked again next time. */
	#serverVersion() {
		this.#server ??= this.#withClient(this.#defaultDatabase(), pgServerVersion).catch((error) => {
			this.#server = null;
			throw error;
		});
		return this.#server;
	}
	/**
	* The tool, refused when missing or older than the server (pg_dump cannot dump a newer server).
	* One check per tool, shared by test() and a dump started beside it; a failed one is asked again.
	*/
	#checkedTool(name) {
		const cached = this.#checked.get(name);
		if (cached) return cached;
		const checking = (async () => {
			const found = versionedTool(name, {
				env: this.ctx.env,
				toolPaths: this.ctx.toolPaths
			}, this.#env());
			const server = await this.#serverVersion();
			const checked = await found;
			assertClientNotOlder(checked, checked.version, server);
			return checked;
		})();
		this.#checked.set(name, checking);
		checking.catch(() => {
			if (this.#checked.get(name) === checking) this.#checked.delete(name);
		});
		return checking;
	}
	async #createDatabase(database, locale, tablespace) {
		this.ctx.onCreatingDatabase?.(database);
		await this.#withClient(this.#defaultDatabase(), async (client) => {
			const quoted = client.escapeIdentifier(database);
			try {
				const settings = (await client.query("SELECT pg_encoding_to_char(encoding) || '|' || datcollate || '|' || datctype AS settings FROM pg_database WHERE datname = 'template1'")).rows[0]?.settings ?? null;
				const asked = askedLocale(locale);
				const refused = asked ? await client.query(createDatabaseSql(quoted, settings, asked, tablespace)).then(() => null, localeRefusal) : null;
				if (!asked || refused !== null) await client.query(createDatabaseSql(quoted, settings, null, tablespace));
				const note = localeNote(locale, refused, settings);
				if (note) this.ctx.onNote?.(note);
			} catch (error) {
				const code = error.code;
				if (code === "42P04") throw new AppError("RESTORE_FAILED", `Database ${database} already exists on ${where(pgEndpoint(this.target))}. Choose a new name, or restore into it without creating it.`, { database });
				if (code === "42501" && tablespace !== null && /tablespace/.test(messageOf(error))) throw pgTablespaceDenied(this.target.user, database, tablespace, messageOf(error));
				if (code === "42501") throw createDenied(this.target.user, database, messageOf(error), "CREATEDB", { intoEmpty: true });
				throw error;
			}
		});
	}
	/** Best effort: a restore that failed into a database it created should not leave that database behind. */
	async #dropCreatedDatabase(database) {
		const force = ((await this.#serverVersion().catch(() => null))?.parts[0] ?? 0) >= 13 ? " WITH (FORCE)" : "";
		await this.#withClient(this.#defaultDatabase(), (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)}${force}`)).catch((error) => {
			this.ctx.log?.warn("could not drop the database created for a failed restore", {
				database,
				error: messageOf(error)
			});
			this.ctx.onCreatedNotDropped?.(database, messageOf(error));
		});
	}
};
// src/shared/domain/restores.ts
/** The core words every note that asks a person to act with this; such notes are the restore's `toDo`. */
var BY_HAND = "by hand";
/** The notes of `databases` that ask a person to act, in order. */
function notesToDo(databases) {
	return databases.flatMap((d) => d.notes.filter((n) => n.includes(BY_HAND)));
}
/** The sentence an interrupted restore's message ends with when it may have left a scratch database. */
function mayHaveLeft(scratch) {
	return `It may have left ${scratch}: drop it ${BY_HAND}.`;
}
// src/main/core/files/open-by.ts
/**
* The other processes that have one of `files` open, as Linux's /proc tells: a SQLite file a
* restore would replace while an application writes it. Only the processes this user may look
* into are seen (all of them as root); elsewhere than Linux, none (Windows refuses the rename of
* an open file by itself).
*/
function processesWithOpen(files, self = process.pid) {
	if (process.platform !== "linux") return [];
	const wanted = new Set(files);
	let pids;
	try {
		pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== self);
	} catch {
		return [];
	}
	const found = [];
	for (const pid of pids) {
		let fds;
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		if (fds.some((fd) => {
			try {
				return wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
			} catch {
				return false;
			}
		})) found.push({
			pid: Number(pid),
			command: commandOf(pid)
		});
	}
	return found;
}
/** "python3 (process 4242)", "2 processes: python3 (4242), node (4300)". */
function openByWords(found) {
	if (found.length === 1) return `${found[0].command} (process ${found[0].pid})`;
	return `${found.length} processes: ${found.map((p) => `${p.command} (${p.pid})`).join(", ")}`;
}
function commandOf(pid) {
	try {
		return readFileSync(`/proc/${pid}/comm`, "utf8").trim() || "a process";
	} catch {
		return "a process";
	}
}
// src/main/core/sources/sqlite-file-users.ts
/** The other processes that have the SQLite file, or its WAL, shared-memory or journal file, open now. */
function sqliteFileUsers(file) {
	return processesWithOpen([
		"",
		"-wal",
		"-shm",
		"-journal"
	].map((suffix) => `${file}${suffix}`));
}
// src/main/core/sources/sqlite-source.ts
/**
* better-sqlite3, loaded on first use: this module is in every pipeline worker, and the native
* module's load took 16-19 ms of the start of each PostgreSQL or MariaDB backup, which never use it.
*/
var sqlite = null;
function openSqlite(file, options) {
	sqlite ??= createRequire(import.meta.url)("better-sqlite3");
	return new sqlite(file, options);
}
/** Pages per backup step (4 MiB at the default page size): the event loop breathes between steps. */
var BACKUP_STEP_PAGES = 1024;
var ALL_PAGES = 2147483647;
function createSqliteSource(dto, ctx) {
	if (!dto.path) throw new AppError("VALIDATION_FAILED", `Source ${dto.name} needs the path of its SQLite file.`, { sourceId: dto.id });
	return new SqliteSource(dto.path, ctx);
}
var SqliteSource = class {
	file;
	ctx;
	constructor(file, ctx) {
		this.file = file;
		this.ctx = ctx;
	}
	async test() {
		const db = this.#open();
		try {
			const version = String(db.prepare("SELECT sqlite_version()").pluck().get());
			const tables = Number(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get());
			return {
				success: true,
				serverVersion: `SQLite ${version}`,
				message: `Opened ${this.file} (${tables} tables) with SQLite ${version}.`
			};
		} catch (error) {
			throw this.#openError(error);
		} finally {
			db.close();
		}
	}
	/** A SQLite file is one database; it is named after the file. */
	async listDatabases() {
		await stat(this.file).catch((error) => {
			throw this.#openError(error);
		});
		return [path.basename(this.file).replace(/\.(sqlite3?|db3?)$/i, "")];
	}
	/** A consistent snapshot via the online backup API into the temp dir, streamed out, then removed. */
	async dump(_database, options) {
		throwIfAborted(options.signal, `The dump of ${this.file}`);
		const db = this.#open();
		try {
			db.prepare("SELECT count(*) FROM sqlite_schema").pluck().get();
		} catch (error) {
			db.close();
			throw this.#openError(error);
		}
		const snapshot = path.join(this.ctx.tempDir, `vaultdesk-sqlite-${randomUUID()}.sqlite`);
		const output = new PassThrough();
		output.on("error", () => {});
		let settled = false;
		let cancelled = null;
		let reader = null;
		const cancel = (reason = `The dump of ${this.file} was cancelled.`) => {
			if (settled || cancelled) return;
			cancelled = new AppError("CANCELLED", reason);
			reader?.destroy();
		};
		const onAbort = () => cancel();
		options.signal?.addEventListener("abort", onAbort, { once: true });
		output.on("close", () => cancel(`The dump of ${this.file} was stopped because its output was closed before it finished.`));
		const run = async () => {
			let allAtOnce = false;
			let previous = Infinity;
			await db.backup(snapshot, { progress: ({ remainingPages }) => {
				if (cancelled) throw cancelled;
				allAtOnce ||= remainingPages >= previous;
				previous = remainingPages;
				return allAtOnce ? ALL_PAGES : BACKUP_STEP_PAGES;
			} });
			db.close();
			if (cancelled) throw cancelled;
			const source = createReadStream(snapshot);
			reader = source;
			source.pipe(output, { end: false });
			await finished(source);
		};
		const done = run().then(() => null, (error) => error).then(async (error) => {
			if (db.open) db.close();
			await rm(snapshot, { force: true });
			settled = true;
			options.signal?.removeEventListener("abort", onAbort);
			const failure = cancelled ?? (error ? dumpFailed(this.file, error, this.ctx.tempDir) : null);
			if (!failure) return void output.end();
			output.destroy(failure);
			throw failure;
		});
		done.catch(() => {});
		return {
			stream: output,
			done,
			cancel: () => cancel()
		};
	}
	/** Writes the file beside the target, checks it is a sound SQLite database, then renames it into place. */
	async restore(input, options) {
		const target = options.database;
		if (!path.isAbsolute(target)) throw new AppError("VALIDATION_FAILED", `The restore target must be an absolute file path, not ${target}.`);
		throwIfAborted(options.signal, `The restore into ${target}`);
		const dir = path.dirname(target);
		const partial = path.join(dir, `${partialPrefix(target)}${randomUUID()}${PARTIAL_SUFFIX}`);
		try {
			await pipeline$1(input, createWriteStream(partial, {
				flags: "wx",
				mode: 384
			}), { signal: options.signal });
			const handle = await open(partial, "r+");
			await handle.sync().finally(() => handle.close());
			verifySqliteFile(partial, target);
			const users = sqliteFileUsers(target);
			if (users.length > 0) throw new AppError("RESTORE_FAILED", `${target} is open in ${openByWords(users)}, so it was not replaced: that program would go on writing to the replaced file, and what it wrote would be lost. Stop it (or close the database there) and restore again; ${target} was left as it was.`, {
				path: target,
				reason: "in-use"
			});
			await this.#keepOwnerAndMode(partial, target);
			await Promise.all([
				"-wal",
				"-shm",
				"-journal"
			].map((suffix) => rm(`${target}${suffix}`, { force: true })));
			await rename(partial, target);
			await syncDir(dir);
		} catch (error) {
			await Promise.all([
				"",
				"-wal",
				"-shm"
			].map((suffix) => rm(`${partial}${suffix}`, { force: true })));
			if (options.signal?.aborted) throw new AppError("CANCELLED", `The restore into ${target} was cancelled.`);
			if (error instanceof AppError) throw error;
			const code = error.code;
			if (code === "ENOENT") throw new AppError("RESTORE_FAILED", `The folder ${dir} does not exist. Create it first or choose another target path.`);
			if (code) throw fsAppError(error, "RESTORE_FAILED", `The restore into ${target} failed`, {
				path: target,
				device: dir
			});
			throw new AppError("RESTORE_FAILED", `The restore into ${target} failed: ${messageOf(error)}`);
		}
	}
	extension(_format) {
		return "sqlite";
	}
	/**
	* The restored file gets the replaced one's permissions and owner, so the application that used
	* it can still open it (it is written 0600, by this user). An owner this user may not give is a
	* note with the command that gives it.
	*/
	async #keepOwnerAndMode(partial, target) {
		const old = await stat(target).catch(() => null);
		if (!old) return;
		await chmod(partial, old.mode & 4095);
		const uid = process.getuid?.();
		if (uid === void 0 || old.uid === uid && old.gid === process.getgid?.()) return;
		await chown(partial, old.uid, old.gid).catch(() => this.ctx.onNote?.(`${target} belonged to user ${old.uid} and group ${old.gid}; the restored file belongs to the user Vaultdesk runs as (${uid}), who may not give it away: run chown ${old.uid}:${old.gid} ${target} ${BY_HAND} if the application using it runs as another user.`));
	}
	async close() {}
	#open() {
		try {
			statSync(this.file);
			return openSqlite(this.file, {
				readonly: true,
				fileMustExist: true
			});
		} catch (error) {
			throw this.#openError(error);
		}
	}
	#openError(error) {
		if (error instanceof AppError) return error;
		const code = error.code;
		if (code === "SQLITE_NOTADB") return new AppError("SOURCE_UNREACHABLE", `${this.file} is not a SQLite database.`, { path: this.file });
		if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return new AppError("SOURCE_UNREACHABLE", `The SQLite file cannot be opened: ${describeFsError(error, { path: this.file }).words}.`, { path: this.file });
		if (code === "SQLITE_CANTOPEN") return new AppError("SOURCE_UNREACHABLE", `The SQLite file ${this.file} does not exist or cannot be opened. Check the path and that this user may read it.`, { path: this.file });
		return new AppError("SOURCE_UNREACHABLE", `The SQLite file ${this.file} cannot be read: ${messageOf(error)}`, { path: this.file });
	}
};
function verifySqliteFile(file, target) {
	let db = null;
	try {
		db = openSqlite(file, { fileMustExist: true });
		const check = String(db.pragma("integrity_check", { simple: true }));
		if (check !== "ok") throw new AppError("RESTORE_FAILED", `The backup for ${target} is not a sound SQLite database (integrity_check: ${check}). ${target} was left unchanged.`);
	} catch (error) {
		if (error instanceof AppError) throw error;
		throw new AppError("RESTORE_FAILED", `The backup for ${target} is not a SQLite database (${messageOf(error)}). ${target} was left unchanged.`);
	} finally {
		db?.close();
	}
}
async function syncDir(dir) {
	if (process.platform === "win32") return;
	const handle = await open(dir, "r");
	await handle.sync().finally(() => handle.close());
}
function dumpFailed(file, error, tempDir) {
	if (error instanceof AppError) return error;
	const code = error.code;
	if (code === "SQLITE_FULL" || code === "ENOSPC") return fsAppError(Object.assign(/* @__PURE__ */ new Error("database or disk is full"), { code: "ENOSPC" }), "DUMP_FAILED", `The SQLite backup of ${file} could not write its snapshot in ${tempDir}`, {
		path: tempDir,
		device: tempDir
	});
	return new AppError("DUMP_FAILED", `The SQLite backup of ${file} failed: ${messageOf(error)}`, { path: file });
}
var PARTIAL_SUFFIX = ".partial";
/** A restore's temporary file is this, a random id and PARTIAL_SUFFIX, beside the target (hidden). */
function partialPrefix(target) {
	return `.${path.basename(target)}.vaultdesk-`;
}
/**
* Removes what a restore into `target` left when it could not clean up itself (its worker was
* stopped outright): the temporary file with its -wal, -shm and -journal. Only one restore writes
* a target at a time (the restore refuses a second), so every such file beside it is that one's.
*/
async function removeAbandonedSqlitePartials(target) {
	const dir = path.dirname(target);
	const prefix = partialPrefix(target);
	const left = (await readdir(dir).catch(() => [])).filter((n) => n.startsWith(prefix) && /\.partial(-wal|-shm|-journal)?$/.test(n.slice(prefix.length)));
	await Promise.all(left.map((n) => rm(path.join(dir, n), { force: true })));
	return left.map((n) => path.join(dir, n));
}
// src/main/core/sources/ssh-remote-process.ts
/** How long a cancelled remote tool gets to die from its signal before the channel is closed under it. */
var CLOSE_GRACE_MS = 5e3;
var STDERR_KEEP = 2048;
var CAPTURE_LIMIT = 8388608;
/** Opens the exec channel; failures to open are the SSH host's, not the tool's. */
function openExec(client, command, what) {
	return new Promise((resolve, reject) => {
		try {
			client.exec(command, (error, channel) => error ? reject(execRefused(what, error)) : resolve(channel));
		} catch (error) {
			reject(execRefused(what, error));
		}
	});
}
/**
* The remote tool's stdout as a dump stream, with back-pressure: when the consumer is slow, the
* channel's window is not replenished and the remote tool blocks on write. As with a local tool,
* the stream ends only after a zero exit status; otherwise it errors with `fail(exit)`.
*/
async function remoteDump(run) {
	const channel = await openExec(run.client, run.command, run.what);
	const output = new PassThrough();
	output.on("error", () => {});
	channel.on("error", () => {});
	const stderr = collectStderr(channel);
	if (run.secretLine !== null) channel.write(`${run.secretLine}\n`);
	channel.pipe(output, { end: false });
	let exit = null;
	let cancelled = null;
	let closed = false;
	channel.on("exit", (code, signal) => exit = {
		code,
		signal: signal ?? null
	});
	const cancel = (reason) => {
		if (closed || cancelled) return;
		cancelled = new AppError("CANCELLED", reason);
		channel.unpipe(output);
		channel.resume();
		trySignal(channel);
		channel.close();
	};
	const onAbort = () => cancel(`${run.what} was cancelled.`);
	run.signal?.addEventListener("abort", onAbort, { once: true });
	output.on("close", () => cancel(`${run.what} was stopped because its output was closed before the dump finished.`));
	const done = new Promise((resolve, reject) => {
		channel.on("close", () => {
			closed = true;
			run.signal?.removeEventListener("abort", onAbort);
			const failure = cancelled ?? (exit?.code === 0 ? null : run.fail({
				...exit ?? {
					code: null,
					signal: null
				},
				stderr: stderr()
			}));
			if (failure) {
				output.destroy(failure);
				reject(failure);
			} else {
				output.end();
				resolve();
			}
		});
	});
	done.catch(() => {});
	if (run.signal?.aborted) onAbort();
	return {
		stream: output,
		done,
		cancel: () => cancel(`${run.what} was cancelled.`)
	};
}
/**
* Streams `input` to the remote tool's stdin after the password line. The exit status decides.
* When the input fails or the caller aborts, the tool is signalled and the channel is only closed
* once it exited (or after a grace period), so it never sees an end of file it would take for the
* end of a complete backup.
*/
async function remoteRestore(run) {
	const { input } = run;
	let channel;
	try {
		channel = await openExec(run.client, run.command, run.what);
	} catch (error) {
		input.destroy();
		throw error;
	}
	const stderr = collectStderr(channel);
	channel.resume();
	channel.on("error", () => {});
	let exit = null;
	let inputError = null;
	let cancelled = null;
	channel.on("exit", (code, signal) => exit = {
		code,
		signal: signal ?? null
	});
	const stop = () => {
		input.unpipe(channel);
		trySignal(channel);
		const timer = setTimeout(() => channel.close(), CLOSE_GRACE_MS);
		timer.unref();
		channel.once("close", () => clearTimeout(timer));
	};
	const onInputError = (error) => {
		inputError = error;
		stop();
	};
	const onAbort = () => {
		cancelled = new AppError("CANCELLED", `The restore into ${run.database} was cancelled.`);
		stop();
	};
	if (run.secretLine !== null) channel.write(`${run.secretLine}\n`);
	input.on("error", onInputError);
	input.once("end", () => channel.end());
	input.pipe(channel, { end: false });
	run.signal?.addEventListener("abort", onAbort, { once: true });
	if (run.signal?.aborted) onAbort();
	return new Promise((resolve, reject) => {
		channel.on("close", () => {
			run.signal?.removeEventListener("abort", onAbort);
			input.removeListener("error", onInputError);
			input.unpipe(channel);
			let failure = null;
			if (cancelled) failure = cancelled;
			else if (inputError) failure = inputFailure(run.database, inputError);
			else if (exit?.code !== 0) failure = run.fail({
				...exit ?? {
					code: null,
					signal: null
				},
				stderr: stderr()
			});
			if (!failure) return resolve();
			if (!input.readableEnded) input.destroy();
			reject(failure);
		});
	});
}
/**
* Runs a short command and collects its output (tool lookups, version queries, database lists).
* `input` follows the password line on stdin: statements too long for a command line.
*/
async function remoteCapture(run) {
	const channel = await openExec(run.client, run.command, run.what);
	channel.on("error", () => {});
	const stderr = collectStderr(channel);
	const chunks = [];
	let size = 0;
	channel.on("data", (chunk) => {
		size += chunk.length;
		if (size <= CAPTURE_LIMIT) chunks.push(chunk);
	});
	let exit = null;
	channel.on("exit", (code, signal) => exit = {
		code,
		signal: signal ?? null
	});
	const stdin = `${run.secretLine !== null ? `${run.secretLine}\n` : ""}${run.input ?? ""}`;
	channel.end(stdin.length > 0 ? stdin : void 0);
	return new Promise((resolve) => {
		channel.on("close", () => resolve({
			...exit ?? {
				code: null,
				signal: null
			},
			stderr: stderr(),
			stdout: Buffer.concat(chunks)
		}));
	});
}
/** "exited with code 1", "was killed by SIGTERM", or the connection loss. */
function describeExit(exit) {
	if (exit.code !== null && exit.code > 128 && exit.code < 160) return `exited with code ${exit.code} (killed by signal ${exit.code - 128})`;
	if (exit.code !== null) return `exited with code ${exit.code}`;
	if (exit.signal) return `was killed by SIG${exit.signal}`;
	return "did not report how it ended because the SSH connection was lost";
}
function trySignal(channel) {
	try {
		channel.signal("TERM");
	} catch {}
}
function collectStderr(channel) {
	let kept = Buffer.alloc(0);
	channel.stderr.on("data", (chunk) => {
		kept = Buffer.concat([kept, chunk]);
		if (kept.length > STDERR_KEEP * 2) kept = kept.subarray(kept.length - STDERR_KEEP * 2);
	});
	return () => {
		const text = kept.subarray(Math.max(0, kept.length - STDERR_KEEP)).toString("utf8").trim();
		return kept.length > STDERR_KEEP ? `...${text}` : text;
	};
}
function execRefused(what, error) {
	const message = error instanceof Error ? error.message : String(error);
	return new AppError("SOURCE_UNREACHABLE", `Could not start ${what}: the SSH server refused to run a command (${message}). Check that this SSH user may run commands (no forced command, no sftp-only restriction).`);
}
function inputFailure(database, error) {
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof AppError) return new AppError(error.code, `The restore into ${database} stopped: ${message}`, error.details);
	return new AppError("RESTORE_FAILED", `The restore into ${database} stopped because reading the backup failed: ${message}`);
}
// src/main/core/sources/ssh-remote-errors.ts
/**
* The exec driver only sees a remote tool's exit status and stderr, so connection problems are
* recognised in the (English, see LC_MESSAGES in the script) messages of psql/pg_dump and of the
* MariaDB/MySQL clients.
*/
var PATTERNS = {
	postgres: {
		auth: /password authentication failed|no password supplied|authentication failed for user|role ".*" does not exist|no pg_hba\.conf entry/i,
		notFound: /database ".*" does not exist/i,
		unreachable: /could not connect|connection refused|could not translate host name|timeout expired|timed out|no route to host|network is unreachable|server closed the connection unexpectedly|SSL (?:is not enabled|error)|server does not support SSL/i
	},
	mysql: {
		auth: /ERROR (?:1045|1044|1698|1251|1524)\b|access denied for user/i,
		notFound: /ERROR 1049\b|unknown database/i,
		unreachable: /ERROR (?:2002|2003|2005|2013|2026)\b|can't connect|unknown (?:MySQL|MariaDB)? ?server host|lost connection/i
	}
};
var INSTALL_HINTS = {
	postgres: "Install the PostgreSQL client on that host (Debian/Ubuntu: postgresql-client, Fedora/RHEL: postgresql)",
	mysql: "Install the MariaDB or MySQL client on that host (Debian/Ubuntu: mariadb-client, Fedora/RHEL: mariadb)"
};
/** SOURCE_AUTH_FAILED, SOURCE_UNREACHABLE or NOT_FOUND when stderr says so, else null. */
function remoteConnectionError(ctx, exit, database) {
	const patterns = PATTERNS[ctx.family];
	const cause = `${oneLine(exit.stderr)} (connecting from the SSH host ${ctx.ssh})`;
	const refusal = ctx.family === "postgres" ? pgRefusal(void 0, exit.stderr) : mysqlRefusal(void 0, exit.stderr);
	if (refusal) return refusalError(ctx.family, refusal, ctx.endpoint, database, cause);
	if (patterns.auth.test(exit.stderr)) return authFailed(ctx.endpoint, cause);
	if (patterns.notFound.test(exit.stderr)) return new AppError("NOT_FOUND", `Database ${database ?? ""} does not exist on ${where(ctx.endpoint)} (as seen from the SSH host ${ctx.ssh}).`, { database });
	if (patterns.unreachable.test(exit.stderr)) return unreachable(ctx.endpoint, cause);
	if (exit.code === null && !exit.signal) return lostConnection(ctx.ssh, "SOURCE_UNREACHABLE");
	return null;
}
/** A query that failed for a reason other than the connection: the server's own words. */
function remoteQueryFailed(ctx, tool, exit, database) {
	const known = remoteConnectionError(ctx, exit, database);
	if (known) return known;
	return new AppError("INTERNAL", `${tool} on the SSH host ${ctx.ssh} ${describeExit(exit)}${exit.stderr ? `: ${exit.stderr}` : " without an error message"}.`, {
		exitCode: exit.code,
		signal: exit.signal
	});
}
/** DUMP_FAILED / RESTORE_FAILED with the remote stderr, like a local tool's failure. */
function remoteToolFailed(code, tool, ssh, exit, database) {
	if (exit.code === null && !exit.signal) return lostConnection(ssh, code);
	const what = `${tool} on the SSH host ${ssh} ${describeExit(exit)}`;
	const head = code === "RESTORE_FAILED" ? `The restore into ${database} failed: ${what}` : what;
	return new AppError(code, exit.stderr ? `${head}: ${exit.stderr}` : `${head} without an error message.`, {
		tool,
		exitCode: exit.code,
		signal: exit.signal,
		stderr: exit.stderr
	});
}
function remoteToolMissing(family, executables, ssh) {
	return new AppError("CLIENT_TOOL_MISSING", `${executables.join(" or ")} was not found on the PATH of the SSH host ${ssh}, where this source runs its dumps. ${INSTALL_HINTS[family]}, or switch the source to an SSH tunnel.`, {
		tool: executables[0],
		ssh
	});
}
/** CLIENT_TOO_OLD worded for a tool on the SSH host (its path there cannot be set in Settings). */
function assertRemoteClientNotOlder(tool, version, server, ssh) {
	try {
		assertClientNotOlder(tool, version, server);
	} catch (error) {
		if (!(error instanceof AppError) || error.code !== "CLIENT_TOO_OLD") throw error;
		const details = error.details;
		throw new AppError("CLIENT_TOO_OLD", `${tool.executable} ${details.clientVersion} on the SSH host ${ssh} (${tool.path}) is older than the server it would dump (${details.serverVersion}). Install a client of version ${details.serverVersion} or newer on that host, or switch the source to an SSH tunnel.`, {
			...error.details,
			ssh
		});
	}
}
function lostConnection(ssh, code) {
	return new AppError(code, `The SSH connection to ${ssh} was lost before the remote command finished. Check the network and the SSH server, then try again.`, { ssh });
}
function oneLine(text) {
	const line = text.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
	if (!line) return "no error message";
	return line.length > 500 ? `${line.slice(0, 500)}...` : line;
}
// src/main/core/sources/ssh-exec-mysql-admin.ts
var fromHex$1 = (hex) => Buffer.from(hex, "hex").toString("utf8");
/**
* The DatabaseAdmin of a MySQL/MariaDB source whose tools run on the SSH host: the statements of
* the direct admin (mysql-admin.ts), run by the client there. Names go in as hex literals or
* backtick-quoted identifiers and come back hex-encoded (HEX()), since batch output escapes tabs,
* line breaks and backslashes.
*/
function createMysqlExecAdmin(client) {
	const endpoint = where(client.remote.endpoint);
	const lines = (exit) => exit.stdout.toString("utf8").split("\n").filter((line) => line.length > 0);
	const query = async (statements) => {
		const exit = await client.run(script(statements));
		if (exit.code !== 0) throw remoteQueryFailed(client.remote, "the mysql client", exit);
		return lines(exit);
	};
	const rowTablesOf = async (database) => (await query([mysqlTablesSql(mysqlNameLiteral(database), "rows", "HEX(TABLE_NAME)")])).map(fromHex$1);
	return {
		maxNameLength: 64,
		async inspect(database) {
			const name = mysqlNameLiteral(database);
			const others = `SELECT 'others', ${mysqlObjectCountColumns(name)}`;
			const found = await query([
				mysqlSchemaExistsSql(name, "'schema'"),
				mysqlTablesSql(name, "all", MYSQL_TABLE_OR_SEQUENCE),
				others,
				mysqlReferencedFromSql(name, (w) => `'ref', HEX(${w})`)
			]);
			if (!found.includes("schema")) return {
				exists: false,
				tables: 0,
				others: []
			};
			const counts = (found.find((line) => line.startsWith("others	")) ?? "").split("	").slice(1).map(Number);
			const referencedBy = found.filter((line) => line.startsWith("ref	")).map((line) => fromHex$1(line.slice(4)));
			const sequences = found.filter((line) => line === "sequence").length;
			return {
				exists: true,
				tables: found.filter((line) => line === "table").length,
				others: [...countedEach([sequences], ["sequence"]), ...objectCountWords(counts)],
				...referencedBy.length > 0 ? { referencedBy } : {}
			};
		},
		async countRows(database, options = {}) {
			const tables = await rowTablesOf(database);
			const loaded = loadedAsCount(tables.map((table) => ({
				schema: null,
				table
			})), options.loaded);
			if (loaded) return loaded;
			if (tables.length === 0) return [];
			const union = tables.map((t, i) => `SELECT ${i}, COUNT(*) FROM ${quoteMysqlIdentifier(database)}.${quoteMysqlIdentifier(t)}`).join(" UNION ALL ");
			const rows = new Map((await query([union])).map((line) => line.split("	").map(Number)));
			return tables.map((table, i) => {
				const n = rows.get(i);
				if (n === void 0) throw new AppError("INTERNAL", `The mysql client on the SSH host ${client.remote.ssh} gave no row count for table ${table} of ${database}.`, {
					database,
					table
				});
				return {
					schema: null,
					table,
					rows: n
				};
			});
		},
		async drop(database) {
			await query([`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(database)}`]);
		},
		async emptyOut(database) {
			const drops = (await query([mysqlDropEverythingSql(mysqlNameLiteral(database), (s) => `HEX(${s})`)])).map((line) => fromHex$1(line.split("	")[1] ?? ""));
			if (drops.length > 0) await query([
				"SET FOREIGN_KEY_CHECKS = 0",
				`USE ${quoteMysqlIdentifier(database)}`,
				...withPackageDropMode(drops)
			]);
		},
		/**
		* As the direct admin: one RENAME TABLE, or, when either side has views, triggers, routines or
		* events, swapObjects with each step a run of the client.
		*/
		async swap(target, scratch, options = {}) {
			const old = mysqlOldName(scratch);
			const counts = (database) => mysqlObjectCountColumns(mysqlNameLiteral(database));
			const seen = (await query([
				`SELECT 'objects', ${counts(target)}, ${counts(scratch)}`,
				mysqlTablesSql(mysqlNameLiteral(target), "all", "'old', HEX(TABLE_NAME)"),
				mysqlTablesSql(mysqlNameLiteral(scratch), "all", "'new', HEX(TABLE_NAME)"),
				mysqlReferencedFromSql(mysqlNameLiteral(target), (w) => `'ref', HEX(${w})`)
			])).map((line) => line.split("	"));
			const references = seen.filter(([tag]) => tag === "ref").map(([, hex = ""]) => fromHex$1(hex));
			if (references.length > 0) throw mysqlTargetReferenced(target, endpoint, references);
			const objectCounts = (seen.find(([tag]) => tag === "objects") ?? []).slice(1).map(Number);
			const session = execSession(client, query);
			const objects = objectCounts.some((n) => n > 0) ? {
				replaced: await readMysqlObjects(session, target),
				restored: await readMysqlObjects(session, scratch)
			} : null;
			const side = (tag) => seen.filter(([t]) => t === tag).map(([, hex = ""]) => fromHex$1(hex));
			const rename = mysqlSwapRenameSql(target, scratch, old, side("old"), side("new"));
			let change = options.charset ? charsetChange(quoteMysqlIdentifier(target), parseDatabaseCharset((await query([mysqlCharsetSql(mysqlNameLiteral(target))]))[0]), options.charset) : null;
			if (change) {
				const altered = await client.run(script([change.alter]));
				if (altered.code !== 0) {
					if (charsetRefusalIn(altered.stderr) === null) throw mysqlSwapFailed(target, endpoint, serverError(altered.stderr) ?? remoteQueryFailed(client.remote, "the mysql client", altered).message);
					change = null;
				}
			}
			const revert = async () => {
				if (change) await query([change.revert]).catch(() => void 0);
			};
			if (objects) {
				await query([`CREATE DATABASE ${quoteMysqlIdentifier(old)}`]).catch(async (error) => {
					await revert();
					throw error;
				});
				await swapObjects({
					target,
					scratch,
					old,
					endpoint,
					rename,
					tables: {
						replaced: side("old"),
						restored: side("new")
					},
					objects
				}, session, (use) => use(session), () => query([`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(old)}`]).then(revert));
				options.onNote?.(objectsSwappedNote(target, objects));
				return [old, scratch];
			}
			const renaming = [...rename ? [SHORT_LOCK_WAIT_SQL, rename] : [], "SELECT 'renamed'"];
			let exit = await client.run(script([
				`CREATE DATABASE ${quoteMysqlIdentifier(old)}`,
				"SELECT 'created'",
				...renaming
			]));
			for (let tries = 1; exit.code !== 0 && lines(exit).includes("created") && serverRefusal(exit.stderr)?.errno === 1205 && tries < MYSQL_SWAP_LOCK_WAIT.tries; tries += 1) {
				await setTimeout$1(MYSQL_SWAP_LOCK_WAIT.pauseMs);
				exit = await client.run(script(["SELECT 'created'", ...renaming]));
			}
			if (exit.code === 0) return [old, scratch];
			const reached = lines(exit);
			const refused = serverRefusal(exit.stderr);
			if (refused && !reached.includes("renamed")) {
				if (reached.includes("created")) await query([`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(old)}`]).catch(() => void 0);
				await revert();
				throw refused.errno === 1205 ? mysqlTargetInUse(target, endpoint) : mysqlSwapFailed(target, endpoint, refused.message);
			}
			const before = {
				replaced: side("old"),
				restored: side("new")
			};
			const tablesOf = async (database) => (await query([mysqlTablesSql(mysqlNameLiteral(database), "all", "TABLE_NAME")])).filter((l) => l.length > 0);
			await afterLostSwap(async () => mysqlRenamed(before, await tablesOf(scratch), await tablesOf(old)), mysqlLostSwap(target, scratch, old, endpoint, remoteQueryFailed(client.remote, "the mysql client", exit).message, () => query([`DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(old)}`]).then(revert)));
			return [old, scratch];
		}
	};
}
function script(statements) {
	return statements.map((sql) => `${sql};\n`).join("");
}
/**
* Statements for the client, with `schema` in use, and a delimiter of their own: a routine's or
* trigger's body holds semicolons, which the client would otherwise take as the end of the
* statement. USE comes first, with the usual one: the client reads it as a command of its own, to
* the end of the line, and does not take another delimiter off it.
*/
function delimitedScript(schema, statements) {
	const delimiter = `$vd_${randomBytes(4).toString("hex")}$`;
	return `USE ${quoteMysqlIdentifier(schema)};\nDELIMITER ${delimiter}\n${statements.map((sql) => `${sql}${delimiter}\n`).join("")}`;
}
/** A value of the client's batch output: it writes a newline, tab, NUL and backslash as \n, \t, \0 and \\, and NULL as NULL. */
function unbatch(value) {
	if (value === "NULL") return null;
	return value.replace(/\\(.)/gs, (_, c) => c === "n" ? "\n" : c === "t" ? "	" : c === "0" ? "\0" : c);
}
/** A session of swapObjects through the client on the SSH host: each call one run of it. */
function execSession(client, query) {
	return {
		async rows(schema, sql) {
			return (await query([`USE ${quoteMysqlIdentifier(schema)}`, sql])).map((line) => line.split("	").map(unbatch));
		},
		async run(schema, statements) {
			const exit = await client.run(delimitedScript(schema, statements));
			if (exit.code === 0) return;
			const refused = serverRefusal(exit.stderr);
			throw refused ? Object.assign(new Error(refused.message), { errno: refused.errno }) : remoteQueryFailed(client.remote, "the mysql client", exit);
		},
		async tables(schema) {
			return (await query([mysqlTablesSql(mysqlNameLiteral(schema), "all", "HEX(TABLE_NAME)")])).map(fromHex$1);
		}
	};
}
/**
* The words of an error the server returned (`ERROR 1050 (42S01) at line 3: Table 'x' already
* exists`); null for the client's own errors (2000-2999: connection lost, server gone), after
* which nothing is known of the statement.
*/
function serverError(stderr) {
	return serverRefusal(stderr)?.message ?? null;
}
/** serverError's words with the server's error number. */
function serverRefusal(stderr) {
	const match = /^ERROR (\d+) \([0-9A-Z]{5}\)(?: at line \d+)?: (.*)$/m.exec(stderr);
	if (!match) return null;
	const errno = Number(match[1]);
	return errno >= 2e3 && errno < 3e3 ? null : {
		errno,
		message: match[2].trim()
	};
}
// src/main/core/sources/ssh-remote-script.ts
/**
* Shell scripts for the SSH exec driver. The command an SSH server runs is visible to every user
* of that host (ps, /proc/PID/cmdline), so a script holds no secret: the password arrives as the
* first line of the channel's stdin and is read by the shell's `read` builtin, which no process
* listing shows.
*/
/** One argument for a POSIX shell: single quotes, with each embedded quote closed, escaped and reopened. */
function shQuote(value) {
	if (value.includes("\0")) throw new Error("a shell argument cannot contain a NUL byte");
	return `'${value.replace(/'/g, `'\\''`)}'`;
}
/** Where MySQL defaults files go on the SSH host; a fixed prefix lets an administrator recognise them. */
var REMOTE_DEFAULTS_PREFIX = "vaultdesk-my.";
var SIGNAL_EXIT = `trap 'exit 143' HUP INT TERM PIPE`;
/** The command line sent over SSH: the script, run by /bin/sh whatever the user's login shell is. */
function remoteCommand(invocation) {
	return `exec /bin/sh -c ${shQuote(joinStatements(remoteScript(invocation)))}`;
}
function remoteScript(inv) {
	const out = [];
	out.push(`unset LC_ALL${(inv.unset ?? []).map((name) => ` ${name}`).join("")}`);
	out.push(`export LC_MESSAGES=C${Object.entries(inv.env ?? {}).map(([k, v]) => ` ${assertName(k)}=${shQuote(v)}`).join("")}`);
	out.push(SIGNAL_EXIT);
	const supervised = inv.mode === "dump" || inv.secret === "mysql-defaults";
	if (supervised && inv.mode !== "query") out.push("exec 3<&0");
	const raw = [];
	if (inv.secret === "pg-env") out.push("IFS= read -r PGPASSWORD || exit 125", "export PGPASSWORD");
	if (inv.secret === "mysql-defaults") {
		out.push("umask 077", `f=$(mktemp "\${TMPDIR:-/tmp}/${REMOTE_DEFAULTS_PREFIX}XXXXXXXXXX") || exit 125`, `trap 'rm -f "$f"' EXIT`, "IFS= read -r pw || exit 125", `printf '[client]\\npassword="%s"\\n' "$pw" >"$f" || exit 125`, "unset pw");
		raw.push("--defaults-file=\"$f\"");
	}
	const command = [
		shQuote(inv.tool),
		...raw,
		...inv.args.map(shQuote)
	].join(" ");
	if (!supervised) {
		out.push(`exec ${command}${inv.mode === "query" ? " </dev/null" : ""}`);
		return out;
	}
	out.push(`${command} ${inv.mode === "restore" ? "<&3" : "</dev/null"} 3<&- &`, "pid=$!");
	out.push(`trap 'kill -TERM "$pid" 2>/dev/null' HUP INT TERM`);
	if (inv.mode === "dump") out.push(`{ while IFS= read -r line; do :; done; kill -TERM "$pid" 2>/dev/null; } <&3 >/dev/null 2>&1 &`, "w=$!");
	if (inv.mode !== "query") out.push("exec 3<&-");
	out.push("exec 2>/dev/null");
	out.push("rc=0", "wait \"$pid\" || rc=$?", "while kill -0 \"$pid\" 2>/dev/null; do rc=0; wait \"$pid\" || rc=$?; done");
	if (inv.mode === "dump") out.push("kill \"$w\" 2>/dev/null");
	out.push("exit \"$rc\"");
	return out;
}
/**
* Finds each tool on the SSH host's PATH and prints `name TAB path TAB first line of --version`
* (empty path: not found). One round trip for all of them.
*/
function probeToolsCommand(names) {
	const out = ["unset LC_ALL", "export LC_MESSAGES=C"];
	for (const name of names) {
		const candidates = TOOL_SPECS[name].executables.map(shQuote).join(" ");
		out.push(`p=''`, `for e in ${candidates}; do p=$(command -v "$e" 2>/dev/null) && [ -n "$p" ] && break; p=''; done`, `v=''`, `if [ -n "$p" ]; then v=$("$p" --version 2>/dev/null </dev/null | head -n 1); fi`, `printf '%s\\t%s\\t%s\\n' ${shQuote(name)} "$p" "$v"`);
	}
	out.push("exit 0");
	return `exec /bin/sh -c ${shQuote(joinStatements(out))}`;
}
/** One line, so a csh or fish login shell passes the script to /bin/sh unharmed. */
function joinStatements(statements) {
	return statements.map((s, i) => i === statements.length - 1 ? s : s.endsWith("&") ? `${s} ` : `${s}; `).join("");
}
function assertName(name) {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${name}`);
	return name;
}
// src/main/core/sources/ssh-remote-tools.ts
/** Every tool a driver of the family may need: looked up together, since each SSH command costs a round trip and a login shell's start. */
var FAMILY_TOOLS = {
	postgres: [
		"pg_dump",
		"pg_dumpall",
		"pg_restore",
		"psql"
	],
	mysql: ["mysqldump", "mysql"]
};
/**
* The client tools of the SSH host, looked up on its PATH in one round trip on first use and
* remembered for the life of the driver (null: not there).
*/
var RemoteTools = class {
	link;
	family;
	log;
	#found = null;
	constructor(link, family, log) {
		this.link = link;
		this.family = family;
		this.log = log;
	}
	/** The tools in the order asked, or CLIENT_TOOL_MISSING naming the first one the host lacks. */
	async get(names, signal) {
		this.#found ??= this.#probe(signal).catch((error) => {
			this.#found = null;
			throw error;
		});
		const found = await this.#found;
		return names.map((name) => {
			const tool = found.get(name);
			if (!tool) throw remoteToolMissing(this.family, TOOL_SPECS[name].executables, this.link.label);
			if (typeof tool === "string") throw new AppError("CLIENT_TOOL_MISSING", tool, { tool: name });
			return tool;
		});
	}
	/** name -> the tool, null when missing, or why it is unusable. */
	async #probe(signal) {
		const names = FAMILY_TOOLS[this.family];
		const result = await remoteCapture({
			client: await this.link.connect(signal),
			command: probeToolsCommand(names),
			secretLine: null,
			what: `the client tool lookup on ${this.link.label}`
		});
		if (result.code === null && !result.signal) throw lostConnection(this.link.label, "SOURCE_UNREACHABLE");
		const lines = /* @__PURE__ */ new Map();
		for (const line of result.stdout.toString("utf8").split("\n")) {
			const [name, ...rest] = line.split("	");
			if (name) lines.set(name, rest);
		}
		const found = /* @__PURE__ */ new Map();
		for (const name of names) {
			const [toolPath = "", versionLine = ""] = lines.get(name) ?? [];
			const version = toolPath ? parseToolVersion(this.family, versionLine) : null;
			if (!toolPath) found.set(name, null);
			else if (!version) found.set(name, `${toolPath} on the SSH host ${this.link.label} did not report a version (${versionLine || "no output"}). Check that it is a working ${path.posix.basename(toolPath)} binary.`);
			else {
				this.log?.debug("remote client tool found", {
					ssh: this.link.label,
					tool: name,
					path: toolPath,
					version: version.text
				});
				found.set(name, {
					name,
					executable: path.posix.basename(toolPath),
					path: toolPath,
					version
				});
			}
		}
		return found;
	}
};
// src/main/core/sources/ssh-exec-mysql.ts
/**
* MySQL/MariaDB source whose tools (mariadb-dump or mysqldump, mariadb or mysql) run on the SSH
* host. The password reaches them in a defaults file the remote shell writes from stdin.
*/
function createMysqlExecSource(dto, secrets, ctx, link) {
	return new MysqlExecSource({
		...serverTarget(dto, 3306),
		password: secrets.password || void 0,
		tlsMode: dto.tlsMode
	}, dto.database, ctx, link);
}
var MysqlExecSource = class {
	target;
	database;
	ctx;
	link;
	#remote;
	#tools;
	#server = null;
	constructor(target, database, ctx, link) {
		this.target = target;
		this.database = database;
		this.ctx = ctx;
		this.link = link;
		this.#remote = {
			family: "mysql",
			endpoint: mysqlEndpoint(target),
			ssh: link.label
		};
		this.#tools = new RemoteTools(link, "mysql", ctx.log);
	}
	async test() {
		let server;
		try {
			server = await this.#serverVersion();
		} catch (error) {
			if (error instanceof AppError && error.code === "CLIENT_TOOL_MISSING") return {
				success: false,
				serverVersion: "",
				message: `Connected to the SSH host ${this.link.label}, but ${error.message}`
			};
			throw error;
		}
		if (this.database) await this.#query(this.database, "SELECT 1");
		const connected = `Connected through the SSH host ${this.link.label} to ${where(this.#remote.endpoint)}, ${server.display}`;
		try {
			const dump = await this.#checkedDumpTool();
			return {
				success: true,
				serverVersion: server.display,
				message: `${connected}. Dumps will run on the SSH host with ${dump.version.text} (${dump.path}).`
			};
		} catch (error) {
			if (error instanceof AppError && (error.code === "CLIENT_TOOL_MISSING" || error.code === "CLIENT_TOO_OLD")) return {
				success: false,
				serverVersion: server.display,
				message: `${connected}, but backups cannot run: ${error.message}`
			};
			throw error;
		}
	}
	async listDatabases() {
		return (await this.#query(void 0, "SELECT HEX(SCHEMA_NAME) FROM information_schema.SCHEMATA")).map((hex) => Buffer.from(hex, "hex").toString("utf8")).filter((name) => !MYSQL_SYSTEM_DATABASES.has(name.toLowerCase())).sort();
	}
	async dump(database, options) {
		const name = database ?? this.database;
		if (!name) throw new AppError("VALIDATION_FAILED", `Choose a database to dump on ${where(this.#remote.endpoint)}: the source has none set.`);
		throwIfAborted(options.signal, `The dump of ${name}`);
		const tool = await this.#checkedDumpTool();
		const server = await this.#serverVersion();
		const history = server.flavor === "mariadb" ? historyPlan(await this.#versionedTables(name), tool, server) : NO_HISTORY;
		if (history.note) this.ctx.onNote?.(history.note);
		throwIfAborted(options.signal, `The dump of ${name}`);
		this.ctx.log?.info("dump started", {
			ssh: this.link.label,
			tool: tool.path,
			database: name
		});
		return remoteDump({
			client: await this.link.connect(options.signal),
			command: this.#command("dump", tool, mysqlDumpArgs(this.target, tool.version, server, name, history)),
			secretLine: this.#secretLine(),
			what: `${tool.executable} on ${this.link.label}`,
			signal: options.signal,
			log: this.ctx.log,
			fail: (exit) => remoteToolFailed("DUMP_FAILED", tool.executable, this.link.label, exit)
		});
	}
	async restore(input, options) {
		const { database, signal } = options;
		throwIfAborted(signal, `The restore into ${database}`);
		const [tool] = await this.#tools.get(["mysql"], signal);
		if (options.createDatabase) await this.#createDatabase(database, options.charset ?? null);
		try {
			await this.#query(database, "SELECT 1");
			this.ctx.log?.info("restore started", {
				ssh: this.link.label,
				tool: tool.path,
				database
			});
			await remoteRestore({
				client: await this.link.connect(signal),
				command: this.#command("restore", tool, mysqlRestoreArgs(this.target, tool.version, database)),
				secretLine: this.#secretLine(),
				what: `${tool.executable} on ${this.link.label}`,
				signal,
				log: this.ctx.log,
				input: dumpForClient(input, tool.version),
				database,
				fail: (exit) => remoteToolFailed("RESTORE_FAILED", tool.executable, this.link.label, {
					...exit,
					stderr: withoutEchoedStatement(exit.stderr)
				}, database)
			});
		} catch (error) {
			if (options.createDatabase) await this.#dropCreatedDatabase(database);
			throw await withPacketAdvice(error, async () => Number((await this.#query(void 0, "SELECT @@GLOBAL.max_allowed_packet"))[0]));
		}
	}
	async databaseCharset(database) {
		const [line] = await this.#query(void 0, mysqlCharsetSql(mysqlNameLiteral(database)));
		return parseDatabaseCharset(line);
	}
	async #versionedTables(database) {
		return (await this.#query(void 0, mysqlVersionedTablesSql(mysqlNameLiteral(database)))).map((line) => {
			const [name = "", precise = "0"] = line.split("	");
			return {
				name,
				precise: precise === "1"
			};
		});
	}
	async databaseObjects(database) {
		const [line] = await this.#query(void 0, `SELECT ${mysqlObjectCountColumns(mysqlNameLiteral(database))}`);
		return line === void 0 ? null : mysqlObjectCounts(line.split("	").map(Number));
	}
	/** Looks at, counts, drops and swaps databases with the client on the SSH host. */
	admin() {
		return createMysqlExecAdmin({
			remote: this.#remote,
			run: (sql) => this.#script(sql)
		});
	}
	extension(_format) {
		return "sql";
	}
	async close() {
		await this.link.close();
	}
	#command(mode, tool, args) {
		const password = Boolean(this.target.password);
		return remoteCommand({
			mode,
			tool: tool.path,
			args: password ? args : [NO_OPTION_FILES, ...args],
			secret: password ? "mysql-defaults" : null,
			unset: MYSQL_CONNECTION_VARS
		});
	}
	/** The option-file form of the password: escaped, so one line whatever it holds. */
	#secretLine() {
		return this.target.password ? escapeOptionValue(this.target.password) : null;
	}
	async #query(database, sql) {
		const exit = await this.#client(database, sql);
		if (exit.code !== 0) throw remoteQueryFailed(this.#remote, "the mysql client", exit, database);
		return exit.stdout.toString("utf8").split("\n").filter((line) => line.length > 0);
	}
	async #client(database, sql) {
		const [client] = await this.#tools.get(["mysql"]);
		const args = [
			...this.#batchArgs(client),
			`--execute=${sql}`,
			...database === void 0 ? [] : ["--", database]
		];
		return remoteCapture({
			client: await this.link.connect(),
			command: this.#command("query", client, args),
			secretLine: this.#secretLine(),
			what: `${client.executable} on ${this.link.label}`
		});
	}
	/** Statements fed to the client's stdin ('restore' mode: the rest of stdin is its input), for those too long for a command line. */
	async #script(sql) {
		const [client] = await this.#tools.get(["mysql"]);
		return remoteCapture({
			client: await this.link.connect(),
			command: this.#command("restore", client, this.#batchArgs(client)),
			secretLine: this.#secretLine(),
			input: sql,
			what: `${client.executable} on ${this.link.label}`
		});
	}
	#batchArgs(client) {
		return [
			...mysqlConnectionArgs(this.target, client.version),
			"--connect-timeout=15",
			"--default-character-set=utf8mb4",
			"--batch",
			"--skip-column-names",
			"--comments"
		];
	}
	async #serverVersion() {
		if (this.#server) return this.#server;
		const [text = ""] = await this.#query(void 0, "SELECT VERSION()");
		const flavor = /mariadb/i.test(text) ? "mariadb" : "mysql";
		const parts = (/^(\d+)\.(\d+)\.(\d+)/.exec(text)?.slice(1) ?? []).map(Number);
		this.#server = {
			flavor,
			parts,
			text,
			display: `${flavor === "mariadb" ? "MariaDB" : "MySQL"} ${text.split("-")[0]}`
		};
		return this.#server;
	}
	async #checkedDumpTool() {
		const server = await this.#serverVersion();
		const [tool] = await this.#tools.get(["mysqldump"]);
		assertRemoteClientNotOlder(tool, tool.version, server, this.link.label);
		return tool;
	}
	async #createDatabase(database, charset) {
		this.ctx.onCreatingDatabase?.(database);
		const create = `CREATE DATABASE ${quoteMysqlIdentifier(database)}`;
		const clause = charsetClause(charset);
		let exit = await this.#client(void 0, create + clause);
		const refused = clause && exit.code !== 0 ? charsetRefusalIn(exit.stderr) : null;
		if (refused !== null) {
			exit = await this.#client(void 0, create);
			if (exit.code === 0) this.ctx.onNote?.(charsetNotKeptNote(charset, refused));
		}
		if (exit.code === 0) return;
		if (/ERROR 1007\b/.test(exit.stderr)) throw new AppError("RESTORE_FAILED", `Database ${database} already exists on ${where(this.#remote.endpoint)}. Choose a new name, or restore into it without creating it.`, { database });
		if (/ERROR 1044\b/.test(exit.stderr)) throw createDenied(this.target.user, database, exit.stderr, "the CREATE privilege on the server");
		throw remoteQueryFailed(this.#remote, "the mysql client", exit);
	}
	/** Best effort: a restore that failed into a database it created should not leave that database behind. */
	async #dropCreatedDatabase(database) {
		const exit = await this.#client(void 0, `DROP DATABASE IF EXISTS ${quoteMysqlIdentifier(database)}`).catch(() => null);
		if (exit?.code !== 0) {
			const reason = exit?.stderr.trim() || "no answer from the SSH host";
			this.ctx.log?.warn("could not drop the database created for a failed restore", {
				database,
				error: reason
			});
			this.ctx.onCreatedNotDropped?.(database, reason);
		}
	}
};
// src/main/core/sources/ssh-exec-postgres-admin.ts
/** A name as a SQL literal: hex, decoded by the server, so none of its characters is ever SQL text. */
function pgNameLiteral(name) {
	return `convert_from(decode('${Buffer.from(name, "utf8").toString("hex")}', 'hex'), 'UTF8')`;
}
var hexOf = (column) => `encode(convert_to(${column}, 'UTF8'), 'hex')`;
/** A table's schema and name, each in hex, a space between. */
var TABLE_IN_HEX = `${hexOf("n.nspname")} || ' ' || ${hexOf("c.relname")}`;
/** Every user table, names in hex. */
var LIST_TABLES = `SELECT ${TABLE_IN_HEX} ${PG_USER_TABLES} ORDER BY n.nspname, c.relname`;
var fromHex = (hex) => Buffer.from(hex, "hex").toString("utf8");
/**
* Every user table with its exact count in one statement (one SSH round trip, whatever the number
* of tables): query_to_xml runs the count built for each. Names in hex: they may hold spaces and line breaks.
*/
var COUNT_ROWS = `SELECT ${TABLE_IN_HEX} || ' ' ||
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s%I.%I', ${PG_OWN_ROWS}, n.nspname, c.relname), false, true, '')))[1]::text
  ${PG_USER_TABLES} ORDER BY n.nspname, c.relname`;
/**
* The DatabaseAdmin of a PostgreSQL source whose tools run on the SSH host: the same statements as
* the direct admin (postgres-admin.ts), run by psql there. Database names enter the SQL as hex
* literals or double-quoted identifiers, never as they were typed.
*/
function createPostgresExecAdmin(psql) {
	const endpoint = where(psql.remote.endpoint);
	/** One statement: null when it ran, the server's words when it refused; psql or the session failing throws. */
	const attemptStatement = async (database, sql) => {
		const exit = await psql.attempt(database, sql);
		if (exit.code === 0) return null;
		const failed = statementError(exit.stderr);
		if (!failed) throw remoteQueryFailed(psql.remote, "psql", exit, database);
		return failed.message;
	};
	return {
		maxNameLength: 63,
		async inspect(database) {
			const [found] = await psql.query(maintenanceFor(database), pgDatabaseTablespaceSql(pgNameLiteral(database)));
			if (found === void 0) return {
				exists: false,
				tables: 0,
				others: []
			};
			const [sessions = "0", tables = "0", ...others] = ((await psql.query(database, `SELECT concat_ws(' ', (SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'), (SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'), ${PG_OTHER_OBJECT_COUNTS})`))[0] ?? "").split(" ");
			return {
				exists: true,
				tables: Number(tables),
				others: pgOtherWords(others.map(Number)),
				tablespace: pgTablespaceOf(found),
				sessions: Number(sessions)
			};
		},
		async mayCreateDatabases(connectTo) {
			return (await psql.query(connectTo, PG_MAY_CREATE_DATABASES))[0] === "true";
		},
		async countRows(database, options = {}) {
			if (options.loaded) {
				const loaded = loadedAsCount((await psql.query(database, LIST_TABLES)).map((line) => {
					const [schema = "", table = ""] = line.split(" ");
					return {
						schema: fromHex(schema),
						table: fromHex(table)
					};
				}), options.loaded);
				if (loaded) return loaded;
			}
			return (await psql.query(database, COUNT_ROWS)).map((line) => {
				const [schema = "", table = "", rows = ""] = line.split(" ");
				return {
					schema: fromHex(schema),
					table: fromHex(table),
					rows: Number(rows)
				};
			});
		},
		async giveProperties(database, kept, owners) {
			return givePgDatabaseProperties(kept, database, owners, (sql) => attemptStatement(maintenanceFor(database), sql));
		},
		async drop(database) {
			const major = await psql.serverMajor().catch(() => 0);
			await psql.query(maintenanceFor(database), pgDropDatabaseSql(pgQuoteIdent(database), major));
		},
		async swap(target, scratch, options = {}) {
			const old = pgOldName(scratch);
			const maintenance = maintenanceFor(target);
			const carried = await carryPgDatabaseProperties(target, scratch, endpoint, {
				read: async (name) => (await psql.query(maintenance, pgDatabasePropertiesSql(pgNameLiteral(name))))[0] ?? null,
				run: (sql) => attemptStatement(maintenance, sql)
			});
			for (const note of carried.notes) options.onNote?.(note);
			const renames = pgSwapRenames(pgQuoteIdent(target), pgQuoteIdent(scratch), pgQuoteIdent(old), carried.template);
			const exit = await psql.attempt(maintenance, `BEGIN; ${renames.join("; ")}; COMMIT`);
			if (exit.code !== 0) {
				const failed = statementError(exit.stderr);
				if (!failed) {
					const cause = remoteQueryFailed(psql.remote, "psql", exit, maintenance).message;
					await afterLostSwap(async () => (await psql.query(maintenance, pgDatabaseExistsSql(pgNameLiteral(old)))).length > 0, pgLostSwap(target, old, endpoint, cause));
					return [old];
				}
				if (failed.sqlstate === "55006") {
					const sessions = await psql.query(maintenance, pgSessionsSql(pgNameLiteral(target))).then(([n]) => Number(n)).catch(() => null);
					throw pgTargetInUse(target, endpoint, sessions);
				}
				throw pgSwapFailed(target, endpoint, failed.message);
			}
			return [old];
		}
	};
}
/**
* The server's error for a statement psql ran, as VERBOSITY=verbose prints it
* (`ERROR:  55006: database "x" is being accessed by other users`, the severity word in the
* server's language); null when psql failed before running anything.
*/
function statementError(stderr) {
	const match = /^(?:\S+: )?\S+:\s+((?=[A-Z]*\d)[0-9A-Z]{5}):\s+(.*)$/m.exec(stderr);
	return match ? {
		sqlstate: match[1],
		message: match[2].trim()
	} : null;
}
// src/main/core/sources/ssh-exec-postgres.ts
/** PostgreSQL source whose tools (pg_dump, pg_dumpall, psql, pg_restore) run on the SSH host. */
function createPostgresExecSource(dto, secrets, ctx, link) {
	return new PostgresExecSource({
		...serverTarget(dto, 5432),
		password: secrets.password || void 0,
		tlsMode: dto.tlsMode
	}, dto.database, ctx, link);
}
var PostgresExecSource = class {
	target;
	database;
	ctx;
	link;
	#remote;
	#tools;
	#server = null;
	constructor(target, database, ctx, link) {
		this.target = target;
		this.database = database;
		this.ctx = ctx;
		this.link = link;
		this.#remote = {
			family: "postgres",
			endpoint: pgEndpoint(target),
			ssh: link.label
		};
		this.#tools = new RemoteTools(link, "postgres", ctx.log);
	}
	async test() {
		let server;
		try {
			server = await this.#serverVersion();
		} catch (error) {
			if (error instanceof AppError && error.code === "CLIENT_TOOL_MISSING") return {
				success: false,
				serverVersion: "",
				message: `Connected to the SSH host ${this.link.label}, but ${error.message}`
			};
			throw error;
		}
		const connected = `Connected through the SSH host ${this.link.label} to ${where(this.#remote.endpoint)}, ${server.display}`;
		try {
			const dump = await this.#checkedTool("pg_dump");
			return {
				success: true,
				serverVersion: server.display,
				message: `${connected}. Dumps will run on the SSH host with ${dump.version.text} (${dump.path}).`
			};
		} catch (error) {
			if (error instanceof AppError && (error.code === "CLIENT_TOOL_MISSING" || error.code === "CLIENT_TOO_OLD")) return {
				success: false,
				serverVersion: server.display,
				message: `${connected}, but backups cannot run: ${error.message}`
			};
			throw error;
		}
	}
	async listDatabases() {
		return (await this.#query(this.#defaultDatabase(), `SELECT encode(convert_to(datname, 'UTF8'), 'hex') FROM pg_database WHERE ${PG_DUMPABLE_DATABASES} ORDER BY datname`)).map((hex) => Buffer.from(hex, "hex").toString("utf8"));
	}
	async dump(database, options) {
		const name = database ?? this.database;
		if (!name) throw new AppError("VALIDATION_FAILED", `Choose a database to dump on ${where(this.#remote.endpoint)}: the source has none set.`);
		throwIfAborted(options.signal, `The dump of ${name}`);
		const tool = await this.#checkedTool("pg_dump");
		throwIfAborted(options.signal, `The dump of ${name}`);
		this.ctx.log?.info("dump started", {
			ssh: this.link.label,
			tool: tool.path,
			database: name,
			format: options.format
		});
		const lockWaitMs = this.ctx.dumpLockWaitMs ?? 6e5;
		return this.#dumpWith(tool, pgDumpArgs(this.target, name, options.format, lockWaitMs), options.signal, (stderr) => pgDumpLockWaitWords(stderr, lockWaitMs));
	}
	async dumpGlobals() {
		const tool = await this.#checkedTool("pg_dumpall");
		this.ctx.log?.info("globals dump started", {
			ssh: this.link.label,
			tool: tool.path
		});
		return this.#dumpWith(tool, pgDumpGlobalsArgs(this.target));
	}
	async databaseLocale(database) {
		const major = (await this.#serverVersion()).parts[0] ?? 0;
		const [line] = await this.#query(this.#defaultDatabase(), pgDatabaseLocaleSql(major, pgLiteral(database)));
		return parseDatabaseLocale(line);
	}
	async databaseProperties(database) {
		const [line] = await this.#query(this.#defaultDatabase(), pgDatabasePropertiesSql(pgLiteral(database)));
		return keptPgDatabaseProperties(line);
	}
	async restore(input, options) {
		const { database, signal } = options;
		throwIfAborted(signal, `The restore into ${database}`);
		const [tool] = await this.#tools.get([options.format === "custom" ? "pg_restore" : "psql"]);
		if (options.createDatabase) await this.#createDatabase(database, options.locale ?? null, options.tablespace ?? null);
		try {
			await this.#query(database, "SELECT 1");
			this.ctx.log?.info("restore started", {
				ssh: this.link.label,
				tool: tool.path,
				database,
				format: options.format
			});
			await remoteRestore({
				client: await this.link.connect(signal),
				command: this.#command("restore", tool, pgRestoreArgs(this.target, database, options.format, options.keepOwners)),
				secretLine: this.#secretLine(),
				what: `${tool.executable} on ${this.link.label}`,
				signal,
				log: this.ctx.log,
				input,
				database,
				fail: (exit) => remoteToolFailed("RESTORE_FAILED", tool.executable, this.link.label, exit, database)
			});
		} catch (error) {
			if (options.createDatabase) await this.#dropCreatedDatabase(database);
			throw withPgRestoreAdvice(error, options.format === "custom" ? "custom" : "plain", tool.path, this.link.label);
		}
	}
	/** Looks at, counts, drops and swaps databases with psql on the SSH host. */
	admin() {
		return createPostgresExecAdmin({
			remote: this.#remote,
			query: (database, sql) => this.#query(database, sql),
			attempt: (database, sql) => this.#psql(database, sql, ["--set=VERBOSITY=verbose"]),
			serverMajor: async () => (await this.#serverVersion()).parts[0] ?? 0
		});
	}
	/** Replays a globals dump with psql on the SSH host, going on past roles that already exist. */
	async restoreGlobals(input, signal) {
		throwIfAborted(signal, "The restore of the roles");
		const [psql] = await this.#tools.get(["psql"], signal);
		this.ctx.log?.info("roles restore started", {
			ssh: this.link.label,
			tool: psql.path
		});
		await remoteRestore({
			client: await this.link.connect(signal),
			command: this.#command("restore", psql, pgGlobalsRestoreArgs(this.target)),
			secretLine: this.#secretLine(),
			what: `psql on ${this.link.label}`,
			signal,
			log: this.ctx.log,
			input,
			database: GLOBALS_TARGET,
			fail: (exit) => remoteToolFailed("RESTORE_FAILED", psql.executable, this.link.label, exit, GLOBALS_TARGET)
		}).catch((error) => {
			throw withPsqlRestrictAdvice(error, psql.path, this.link.label);
		});
	}
	extension(format) {
		return format === "custom" ? "dump" : "sql";
	}
	async close() {
		await this.link.close();
	}
	async #dumpWith(tool, args, signal, stderrWords = (stderr) => stderr) {
		return remoteDump({
			client: await this.link.connect(signal),
			command: this.#command("dump", tool, args),
			secretLine: this.#secretLine(),
			what: `${tool.executable} on ${this.link.label}`,
			signal,
			log: this.ctx.log,
			fail: (exit) => remoteToolFailed("DUMP_FAILED", tool.executable, this.link.label, {
				...exit,
				stderr: stderrWords(exit.stderr)
			})
		});
	}
	#command(mode, tool, args, env = {}) {
		return remoteCommand({
			mode,
			tool: tool.path,
			args,
			secret: this.target.password ? "pg-env" : null,
			env: {
				...pgToolVars(this.target),
				...env
			},
			unset: PG_CONNECTION_VARS
		});
	}
	/** PGPASSWORD is read with `read -r`, one line: a password with a line break cannot be passed. */
	#secretLine() {
		const password = this.target.password;
		if (!password) return null;
		if (/[\r\n\0]/.test(password)) throw new AppError("VALIDATION_FAILED", `The password of ${where(this.#remote.endpoint)} contains a line break, which cannot be passed to pg_dump on the SSH host. Change the password or use an SSH tunnel.`);
		return password;
	}
	#defaultDatabase() {
		return this.database ?? "postgres";
	}
	/** psql on the SSH host; each output line is one row. */
	async #query(database, sql) {
		const exit = await this.#psql(database, sql);
		if (exit.code !== 0) throw remoteQueryFailed(this.#remote, "psql", exit, database);
		return exit.stdout.toString("utf8").split("\n").filter((line) => line.length > 0);
	}
	async #psql(database, sql, extra = []) {
		const [psql] = await this.#tools.get(["psql"]);
		const args = [
			"--no-password",
			"--no-psqlrc",
			"--no-align",
			"--tuples-only",
			"--quiet",
			"--set=ON_ERROR_STOP=1",
			...extra,
			`--command=${sql}`,
			`--dbname=${pgConninfo(this.target, database)}`
		];
		const command = this.#command("query", psql, args, { PGCLIENTENCODING: "UTF8" });
		return remoteCapture({
			client: await this.link.connect(),
			command,
			secretLine: this.#secretLine(),
			what: `psql on ${this.link.label}`
		});
	}
	async #serverVersion() {
		if (this.#server) return this.#server;
		const [line = ""] = await this.#query(this.#defaultDatabase(), "SELECT current_setting('server_version_num') || ' ' || current_setting('server_version')");
		const [numText = "0", ...rest] = line.split(" ");
		const num = Number(numText);
		const major = Math.floor(num / 1e4);
		const parts = major >= 10 ? [major, num % 1e4] : [
			major,
			Math.floor(num / 100) % 100,
			num % 100
		];
		const text = rest.join(" ") || parts.join(".");
		this.#server = {
			flavor: "postgres",
			parts,
			text,
			display: `PostgreSQL ${text.split(" ")[0]}`
		};
		return this.#server;
	}
	async #checkedTool(name) {
		const server = await this.#serverVersion();
		const [tool] = await this.#tools.get([name]);
		assertRemoteClientNotOlder(tool, tool.version, server, this.link.label);
		return tool;
	}
	async #createDatabase(database, locale, tablespace) {
		this.ctx.onCreatingDatabase?.(database);
		const [template1 = null] = await this.#query(this.#defaultDatabase(), TEMPLATE1_SETTINGS_SQL);
		const asked = askedLocale(locale);
		let exit = asked ? await this.#psql(this.#defaultDatabase(), createDatabaseSql(pgQuoteIdent(database), template1, asked, tablespace)) : null;
		const refused = exit && exit.code !== 0 && !/already exists|permission denied/.test(exit.stderr) ? /^ERROR:\s*(.*)$/m.exec(exit.stderr)?.[1] ?? null : null;
		if (!exit || refused !== null) exit = await this.#psql(this.#defaultDatabase(), createDatabaseSql(pgQuoteIdent(database), template1, null, tablespace));
		const note = exit.code === 0 ? localeNote(locale, refused, template1) : null;
		if (note) this.ctx.onNote?.(note);
		if (exit.code === 0) return;
		if (/already exists/.test(exit.stderr)) throw new AppError("RESTORE_FAILED", `Database ${database} already exists on ${where(this.#remote.endpoint)}. Choose a new name, or restore into it without creating it.`, { database });
		if (tablespace !== null && /permission denied for tablespace/.test(exit.stderr)) throw pgTablespaceDenied(this.target.user, database, tablespace, exit.stderr);
		if (/permission denied/.test(exit.stderr)) throw createDenied(this.target.user, database, exit.stderr, "CREATEDB", { intoEmpty: true });
		throw remoteQueryFailed(this.#remote, "psql", exit);
	}
	/** Best effort: a restore that failed into a database it created should not leave that database behind. */
	async #dropCreatedDatabase(database) {
		const server = await this.#serverVersion().catch(() => null);
		const exit = await this.#psql(this.#defaultDatabase(), pgDropDatabaseSql(pgQuoteIdent(database), server?.parts[0] ?? 0)).catch(() => null);
		if (exit?.code !== 0) {
			const reason = exit?.stderr.trim() || "no answer from the SSH host";
			this.ctx.log?.warn("could not drop the database created for a failed restore", {
				database,
				error: reason
			});
			this.ctx.onCreatedNotDropped?.(database, reason);
		}
	}
};
// src/main/core/sources/ssh-link.ts
var CLOSE_WAIT_MS = 3e3;
/**
* The one SSH connection of an SSH source, opened on first use and shared by every command and
* tunnelled connection. A dropped connection is reopened by the next caller, against the key
* pinned at first use: a later connection of the same driver can never pin a different key.
*/
var SshLink = class {
	ssh;
	secrets;
	ctx;
	label;
	#pinned;
	#client = null;
	#closed = false;
	constructor(ssh, secrets, ctx) {
		this.ssh = ssh;
		this.secrets = secrets;
		this.ctx = ctx;
		this.label = `${ssh.user}@${ssh.host}:${ssh.port}`;
		this.#pinned = ssh.hostKeyFingerprint;
	}
	/** The shared connection; `signal` abandons this caller's wait, not the connection others may share. */
	connect(signal) {
		if (this.#closed) return Promise.reject(new AppError("INTERNAL", `This source's SSH connection to ${this.label} was already closed.`));
		const cancelled = () => new AppError("CANCELLED", `Connecting to ${this.label} was cancelled.`);
		if (signal?.aborted) return Promise.reject(cancelled());
		const shared = this.#client ??= this.#open().catch((error) => {
			this.#client = null;
			throw error;
		});
		if (!signal) return shared;
		return new Promise((resolve, reject) => {
			const onAbort = () => reject(cancelled());
			signal.addEventListener("abort", onAbort, { once: true });
			shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
		});
	}
	async close() {
		this.#closed = true;
		const pending = this.#client;
		this.#client = null;
		const client = await pending?.catch(() => null);
		if (!client) return;
		await new Promise((resolve) => {
			const timer = setTimeout(resolve, CLOSE_WAIT_MS);
			client.once("close", () => {
				clearTimeout(timer);
				resolve();
			});
			client.end();
		});
	}
	async #open() {
		const client = await connectSsh({
			host: this.ssh.host,
			port: this.ssh.port,
			user: this.ssh.user,
			password: this.secrets.sshPassword || void 0,
			privateKey: this.secrets.sshPrivateKey || void 0,
			passphrase: this.secrets.sshPassphrase || void 0,
			pinnedFingerprint: this.#pinned,
			onPinned: (fingerprint) => {
				this.#pinned = fingerprint;
				this.ctx.onHostKeyPinned?.(fingerprint);
			},
			role: "source"
		});
		this.ctx.log?.info("ssh connected", { ssh: this.label });
		const opened = this.#client;
		client.on("error", (error) => this.ctx.log?.warn("ssh connection error", {
			ssh: this.label,
			error: error.message
		}));
		client.on("close", () => {
			if (this.#client === opened) this.#client = null;
		});
		return client;
	}
};
// src/main/core/sources/ssh-tunnel.ts
/**
* A loopback listener whose every connection is forwarded through `client` (direct-tcpip, what
* `ssh -L` does) to `target` as the SSH host sees it. The database drivers and tools then connect
* to 127.0.0.1:port as if the server were local.
*/
async function openSshTunnel(client, target, log) {
	const sockets = /* @__PURE__ */ new Set();
	let forwardError = null;
	let lost = null;
	let lastError = null;
	const onError = (error) => {
		lastError = error.message;
	};
	const onClose = () => {
		lost = lastError ?? "it was closed";
	};
	client.on("error", onError);
	client.once("close", onClose);
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on("error", () => {});
		socket.once("close", () => sockets.delete(socket));
		socket.pause();
		try {
			client.forwardOut("127.0.0.1", socket.remotePort ?? 0, target.host, target.port, (error, channel) => {
				if (error) {
					forwardError = error.message;
					log?.warn("ssh tunnel could not open a forwarded connection", {
						target: `${target.host}:${target.port}`,
						error: error.message
					});
					socket.destroy();
					return;
				}
				if (socket.destroyed) {
					channel.close();
					return;
				}
				channel.on("error", () => socket.destroy());
				socket.once("close", () => channel.close());
				channel.once("close", () => socket.destroy());
				socket.pipe(channel);
				channel.pipe(socket);
				socket.resume();
			});
		} catch (error) {
			forwardError = error instanceof Error ? error.message : String(error);
			socket.destroy();
		}
	});
	await new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen({
			host: "127.0.0.1",
			port: 0
		}, () => {
			server.removeListener("error", reject);
			resolve();
		});
	});
	const address = server.address();
	const port = typeof address === "object" && address ? address.port : 0;
	log?.info("ssh tunnel opened", {
		localPort: port,
		target: `${target.host}:${target.port}`
	});
	let closing = null;
	return {
		host: "127.0.0.1",
		port,
		takeForwardError: () => {
			const error = forwardError;
			forwardError = null;
			return error;
		},
		connectionLost: () => lost,
		close: () => closing ??= new Promise((resolve) => {
			client.removeListener("error", onError);
			client.removeListener("close", onClose);
			server.close(() => resolve());
			for (const socket of sockets) socket.destroy();
			log?.info("ssh tunnel closed", { localPort: port });
		})
	};
}
// src/main/core/sources/ssh-tunnel-source.ts
/**
* A PostgreSQL or MySQL source reached through a port forwarded over SSH: the ordinary driver and
* the local client tools, pointed at the tunnel's loopback end.
*/
var SshTunnelSource = class {
	dto;
	secrets;
	ctx;
	link;
	#database;
	/** Never connects: answers extension() before any tunnel exists. */
	#offline;
	#route = null;
	constructor(dto, secrets, ctx, link) {
		this.dto = dto;
		this.secrets = secrets;
		this.ctx = ctx;
		this.link = link;
		const { host, port } = serverTarget(dto, dto.engine === "postgres" ? 5432 : 3306);
		this.#database = {
			host,
			port
		};
		if (dto.tlsMode === "verify-full") throw new AppError("VALIDATION_FAILED", `Source ${dto.name}: TLS mode verify-full checks the server's name, which the tunnel's local end (127.0.0.1) cannot match. Use TLS mode require through the tunnel, or the SSH exec mode.`, { sourceId: dto.id });
		this.#offline = this.#driverFor("127.0.0.1", port);
	}
	async test() {
		return this.#through(async (driver, tunnel) => {
			const result = await driver.test();
			return {
				...result,
				message: this.#rename(result.message, tunnel)
			};
		});
	}
	listDatabases() {
		return this.#through((driver) => driver.listDatabases());
	}
	databaseLocale(database) {
		if (this.dto.engine !== "postgres") return Promise.resolve(null);
		return this.#through(async (driver) => driver.databaseLocale ? driver.databaseLocale(database) : null);
	}
	databaseProperties(database) {
		if (this.dto.engine !== "postgres") return Promise.resolve(null);
		return this.#through(async (driver) => driver.databaseProperties ? driver.databaseProperties(database) : null);
	}
	databaseCharset(database) {
		if (this.dto.engine !== "mysql") return Promise.resolve(null);
		return this.#through(async (driver) => driver.databaseCharset ? driver.databaseCharset(database) : null);
	}
	databaseObjects(database) {
		if (this.dto.engine !== "mysql") return Promise.resolve(null);
		return this.#through(async (driver) => driver.databaseObjects ? driver.databaseObjects(database) : null);
	}
	dump(database, options) {
		return this.#through(async (driver, tunnel) => {
			const dump = await driver.dump(database, options);
			const done = dump.done.catch((error) => Promise.reject(this.#explain(error, tunnel)));
			done.catch(() => {});
			return {
				...dump,
				done
			};
		});
	}
	dumpGlobals() {
		return this.#through(async (driver, tunnel) => {
			if (!driver.dumpGlobals) throw new AppError("VALIDATION_FAILED", `Source ${this.dto.name} has no server-wide globals to dump.`);
			const dump = await driver.dumpGlobals();
			const done = dump.done.catch((error) => Promise.reject(this.#explain(error, tunnel)));
			done.catch(() => {});
			return {
				...dump,
				done
			};
		});
	}
	restore(input, options) {
		return this.#through((driver) => driver.restore(input, options), options.signal);
	}
	admin() {
		const through = (use) => this.#through((driver) => use(driver.admin()));
		return {
			maxNameLength: this.#offline.admin().maxNameLength,
			inspect: (database) => through((a) => a.inspect(database)),
			countRows: (database, options) => through((a) => a.countRows(database, options)),
			drop: (database) => through((a) => a.drop(database)),
			swap: (target, scratch, options) => through((a) => a.swap(target, scratch, options))
		};
	}
	restoreFile(file, options) {
		return this.#through((driver) => {
			if (!driver.restoreFile) throw new AppError("VALIDATION_FAILED", `Source ${this.dto.name} cannot restore in parallel: only PostgreSQL can.`);
			return driver.restoreFile(file, options);
		}, options.signal);
	}
	restoreGlobals(input, signal) {
		return this.#through((driver) => {
			if (!driver.restoreGlobals) throw new AppError("VALIDATION_FAILED", `Source ${this.dto.name} is not PostgreSQL: it has no roles to restore.`);
			return driver.restoreGlobals(input, signal);
		}, signal);
	}
	extension(format) {
		return this.#offline.extension(format);
	}
	async close() {
		const route = this.#route;
		this.#route = null;
		const ready = await route?.ready.catch(() => null);
		await ready?.driver.close();
		await ready?.tunnel.close();
		await this.link.close();
	}
	async #through(use, signal) {
		const { tunnel, driver } = await this.#ready(signal);
		tunnel.takeForwardError();
		try {
			return await use(driver, tunnel);
		} catch (error) {
			throw this.#explain(error, tunnel);
		}
	}
	/** The tunnel over the current SSH connection; a new one when the connection was reopened. */
	async #ready(signal) {
		const client = await this.link.connect(signal);
		if (this.#route?.client !== client) {
			this.#route?.ready.then(({ tunnel, driver }) => Promise.all([driver.close(), tunnel.close()])).catch(() => {});
			const ready = openSshTunnel(client, this.#database, this.ctx.log).then((tunnel) => ({
				tunnel,
				driver: this.#driverFor(tunnel.host, tunnel.port)
			}));
			this.#route = {
				client,
				ready
			};
			ready.catch(() => {
				if (this.#route?.ready === ready) this.#route = null;
			});
		}
		return this.#route.ready;
	}
	#driverFor(host, port) {
		const local = {
			...this.dto,
			host,
			port,
			ssh: null
		};
		return this.dto.engine === "postgres" ? createPostgresSource(local, this.secrets, this.ctx) : createMysqlSource(local, this.secrets, this.ctx);
	}
	/** Errors name the database as the DBA configured it, not the tunnel's loopback port. */
	#explain(error, tunnel) {
		if (!(error instanceof AppError)) return error;
		const refused = tunnel.takeForwardError();
		const db = `${this.#database.host}:${this.#database.port}`;
		const lost = tunnel.connectionLost();
		if (lost && error.code !== "CANCELLED") {
			const details = {
				...error.details && typeof error.details === "object" ? error.details : {},
				host: this.#database.host,
				port: this.#database.port,
				ssh: this.link.label,
				sshLost: lost
			};
			const said = `The SSH connection to ${this.link.label} was lost (${lost})`;
			if (refused) return new AppError("SOURCE_UNREACHABLE", `${said}, so ${db} could not be reached through it. Check that the SSH host is up and reachable; the next attempt opens a new connection.`, details);
			return new AppError(error.code, `${this.#rename(error.message, tunnel)} ${said} while this ran: that is why the database's connection ended.`, details);
		}
		if (refused && error.code !== "CANCELLED") return new AppError("SOURCE_UNREACHABLE", `The SSH host ${this.link.label} could not open a connection to ${db} (${refused}). Check the database host and port as the SSH host sees them (127.0.0.1 is the SSH host itself), and that its SSH server allows TCP forwarding (AllowTcpForwarding).`, {
			host: this.#database.host,
			port: this.#database.port,
			ssh: this.link.label
		});
		const message = this.#rename(error.message, tunnel);
		if (message === error.message) return error;
		const details = error.details && typeof error.details === "object" ? {
			...error.details,
			host: this.#database.host,
			port: this.#database.port,
			ssh: this.link.label
		} : error.details;
		return new AppError(error.code, message, details);
	}
	#rename(text, tunnel) {
		const through = `(through the SSH tunnel via ${this.link.label})`;
		return text.replaceAll(`${tunnel.host}:${tunnel.port}`, `${this.#database.host}:${this.#database.port} ${through}`).replaceAll(`"${tunnel.host}", port ${tunnel.port}`, `"${this.#database.host}", port ${this.#database.port} ${through}`);
	}
};
// src/main/core/sources/ssh-source.ts
/**
* A source reached over SSH. `exec`: the dump tools run on the SSH host and their output streams
* back over the channel. `tunnel`: the database port is forwarded to a loopback listener here and
* the ordinary driver and local tools connect through it. Both share one SSH connection per driver,
* with the host key pinned on first use (`ctx.onHostKeyPinned`) and a changed key refused.
*/
function createSshSource(dto, secrets, ctx) {
	const ssh = dto.ssh;
	if (!ssh) throw new AppError("VALIDATION_FAILED", `Source ${dto.name} has no SSH settings.`, { sourceId: dto.id });
	if (dto.engine === "sqlite") throw new AppError("VALIDATION_FAILED", `Source ${dto.name} is a SQLite file, which is read where Vaultdesk runs: remove its SSH settings.`, { sourceId: dto.id });
	const link = new SshLink(ssh, secrets, ctx);
	if (ssh.mode === "tunnel") return new SshTunnelSource(dto, secrets, ctx, link);
	return dto.engine === "postgres" ? createPostgresExecSource(dto, secrets, ctx, link) : createMysqlExecSource(dto, secrets, ctx, link);
}
// src/main/core/sources/source-driver.ts
function createSourceDriver(dto, secrets, ctx) {
	if (dto.ssh) return createSshSource(dto, secrets, ctx);
	switch (dto.engine) {
		case "postgres": return createPostgresSource(dto, secrets, ctx);
		case "mysql": return createMysqlSource(dto, secrets, ctx);
		case "sqlite": return createSqliteSource(dto, ctx);
	}
}
export { endpointLabel as C, createDestinationDriver as S, withDeadline as T, localeInWords as _, mayHaveLeft as a, isCreateDenied as b, readArchiveInt as c, MysqlDumpRowCounter as d, BATCH_BYTES as f, toolVersion as g, findTool as h, BY_HAND as i, HeadGatherer as l, toolEnv as m, removeAbandonedSqlitePartials as n, notesToDo as o, createBatchStream as p, sqliteFileUsers as r, readArchiveHead as s, createSourceDriver as t, continued as u, backupObjectWords as v, formatDuration as w, messageOf as x, charsetInWords as y };
