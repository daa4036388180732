import { t as AppError } from "./result-9C-V9fjg.js";
import { t as DEFAULT_LEVEL } from "./compression-levels-BVUTdpZG.js";
import { S as createDestinationDriver, f as BATCH_BYTES, p as createBatchStream, t as createSourceDriver } from "./source-driver-DWHbsFUO.js";
import { t as createCompressStream } from "./compress-BBuJE7Cp.js";
import { i as manifestKey, o as recipientFingerprint } from "./manifest-DCk0zh61.js";
import { a as stageError, i as locationOf, n as StageError, o as toolName, r as interrupted, t as Meter } from "./pipeline-support-BNj55n7h.js";
import { n as setChildListener } from "./bound-child-CECf761t.js";
import { getPriority, setPriority } from "node:os";
import path from "node:path";
import { readdir, rm } from "node:fs/promises";
import { createReadStream, readFileSync } from "node:fs";
import { once } from "node:events";
import { PassThrough, Readable, Writable } from "node:stream";
import { pipeline as pipeline$1 } from "node:stream/promises";
import { parentPort } from "node:worker_threads";
// src/main/core/pipeline/fan-out.ts
/**
* A sink that copies every chunk to several readables (one per destination) and moves at the
* pace of the slowest: it calls back only once every branch has room again. `beforeEnd` runs
* before the branches are ended, so a branch is never completed (and its object committed)
* until the caller says the input was good (e.g. the dump tool exited 0).
*/
function createFanOut(count, beforeEnd, highWaterMark = 4194304) {
	const branches = Array.from({ length: count }, () => new PassThrough({ highWaterMark }));
	for (const branch of branches) branch.on("error", () => {});
	const roomIn = async (branch) => {
		if (branch.destroyed) return;
		const waits = new AbortController();
		try {
			await Promise.race([once(branch, "drain", { signal: waits.signal }), once(branch, "close", { signal: waits.signal })]);
		} finally {
			waits.abort();
		}
	};
	return {
		sink: new Writable({
			highWaterMark,
			write(chunk, _encoding, callback) {
				const waits = [];
				for (const branch of branches) if (!branch.destroyed && !branch.write(chunk)) waits.push(roomIn(branch));
				if (waits.length === 0) callback();
				else Promise.all(waits).then(() => callback(), callback);
			},
			final(callback) {
				beforeEnd().then(() => {
					for (const branch of branches) branch.end();
					callback();
				}, (error) => callback(error));
			},
			destroy(error, callback) {
				for (const branch of branches) if (!branch.writableEnded) branch.destroy(error ?? /* @__PURE__ */ new Error("The backup stream was stopped."));
				callback(error);
			}
		}),
		branches
	};
}
/** libuv's name for its threadpool threads (uv_thread_setname, libuv 1.47 and later). */
var THREADPOOL_NAME = "libuv-worker";
/**
* Lowers the CPU priority of libuv's threadpool threads, where a backup compresses its frames
* and writes its files, and a restore decompresses. Where the database runs on this machine,
* its server and the dump or restore tool (started from another thread, at the usual priority)
* then go first, and the compressor takes the CPU they leave: the dump, which holds the
* server's snapshot open, is not slowed by the backup's own work, and the server's other
* clients neither. With CPU to spare, nothing changes.
*
* Linux only: a thread's id is a pid there, which setpriority takes; elsewhere this does
* nothing. A thread cannot be given its priority back without privileges, so the pool stays
* lowered for the life of the process (the app's own calls on it are file reads and writes,
* which wait on the disk, not on the CPU). Returns how many threads are at that priority.
*/
async function lowerThreadpoolPriority(nice = 10) {
	if (process.platform !== "linux") return 0;
	let lowered = 0;
	let tasks;
	try {
		tasks = await readdir("/proc/self/task");
	} catch {
		return 0;
	}
	for (const task of tasks) {
		const tid = Number(task);
		try {
			if (readFileSync(`/proc/self/task/${task}/comm`, "utf8").trim() !== THREADPOOL_NAME) continue;
			if (getPriority(tid) < nice) setPriority(tid, nice);
			lowered++;
		} catch {}
	}
	return lowered;
}
// src/main/core/pipeline/backup-pipeline.ts
/**
* Encryption's module (node:crypto only, not age-encryption's: age-seal.ts) is loaded while the
* source's connection test runs, not before the worker can start it. 7-Zip's is loaded only for
* a 7-Zip job.
*/
var ageStream = null;
var loadAgeStream = () => ageStream ??= import("./age-encrypt-stream-Bzkk2PRH.js");
async function runBackupPlan(plan, hooks) {
	if (plan.encryption.kind === "age") loadAgeStream().catch(() => void 0);
	lowerThreadpoolPriority();
	const source = createSourceDriver(plan.source.dto, plan.source.secrets, {
		...plan.sourceContext,
		log: hooks.log,
		onHostKeyPinned: (fp) => hooks.onSourceHostKeyPinned?.(fp),
		onNote: (text) => hooks.onNote?.(text)
	});
	const destinations = plan.destinations.map((d) => ({
		dto: d.dto,
		driver: createDestinationDriver(d.dto, d.secrets, { onHostKeyPinned: (fp) => hooks.onHostKeyPinned?.(d.dto.id, fp) })
	}));
	const objects = [];
	const manifests = {};
	try {
		const prepared = Promise.all(destinations.map((d) => d.driver.prepare?.()));
		const serverVersion = source.test().then((tested) => tested.serverVersion || null);
		serverVersion.catch(() => void 0);
		try {
			if (!source.dumpChecksItself) await serverVersion;
		} catch (error) {
			return {
				objects,
				error: stageError("dump", error),
				manifests
			};
		} finally {
			await prepared;
		}
		for (const [index, object] of plan.objects.entries()) {
			const { result, error, manifest } = await backupObject(plan, object, index, source, destinations, serverVersion, hooks);
			const untested = error ? await serverVersion.then(() => null, (failure) => failure) : null;
			if (untested !== null) return {
				objects,
				error: stageError("dump", untested),
				manifests
			};
			objects.push(result);
			if (manifest) manifests[object.key] = manifest;
			if (error) return {
				objects,
				error,
				manifests
			};
		}
		return {
			objects,
			error: null,
			manifests
		};
	} finally {
		await Promise.allSettled([source.close(), ...destinations.map((d) => d.driver.close())]);
	}
}
async function backupObject(plan, object, index, source, destinations, serverVersion, hooks) {
	const controller = new AbortController();
	const abort = () => controller.abort(hooks.signal.reason);
	if (hooks.signal.aborted) abort();
	else hooks.signal.addEventListener("abort", abort, { once: true });
	const result = {
		database: object.label,
		kind: object.kind,
		key: object.key,
		status: "failed",
		bytesIn: 0,
		size: 0,
		sha256: null,
		destinations: destinations.map((d) => ({
			destinationId: d.dto.id,
			name: d.dto.name,
			ok: false,
			location: null,
			error: null
		}))
	};
	let first = null;
	/** What this run put in place at each destination (`index:object`, `index:manifest`): what a failure removes. */
	const committed = /* @__PURE__ */ new Set();
	const fail = (stage, error, destination) => {
		if (first === null && !controller.signal.aborted) first = stageError(stage, error, destination);
		controller.abort();
	};
	let bytesDumped = 0;
	let bytesStored = 0;
	let lastReport = 0;
	let trailing = null;
	let stageNow = "dump";
	const emitProgress = () => {
		lastReport = Date.now();
		hooks.onProgress?.({
			stage: stageNow,
			database: object.label,
			objectIndex: index,
			bytesDumped,
			bytesStored
		});
	};
	const report = (stage, force = false) => {
		stageNow = stage;
		const wait = 200 - (Date.now() - lastReport);
		if (force || wait <= 0) {
			if (trailing) clearTimeout(trailing);
			trailing = null;
			emitProgress();
		} else trailing ??= setTimeout(() => {
			trailing = null;
			emitProgress();
		}, wait);
	};
	const started = Date.now();
	let archive = null;
	try {
		report("dump", true);
		const asked = (read, what) => object.kind === "database" && read ? read.call(source, object.label).then((value) => () => value, (error) => () => {
			hooks.log?.warn(`could not read the database ${what} for the manifest`, {
				database: object.label,
				error: error instanceof Error ? error.message : String(error)
			});
			return null;
		}) : Promise.resolve(() => null);
		const locale = asked(source.databaseLocale, "encoding and locale");
		const charset = asked(source.databaseCharset, "default character set");
		const objects = asked(source.databaseObjects, "views, triggers, routines and events");
		const properties = asked(source.databaseProperties, "settings, owner and privileges");
		const dump = object.kind === "globals" ? await source.dumpGlobals() : await source.dump(object.database, {
			format: plan.format,
			signal: controller.signal
		});
		const dumpDone = dump.done.catch((error) => {
			fail("dump", error);
			throw first ?? stageError("dump", error);
		});
		dumpDone.catch(() => void 0);
		const inMeter = new Meter((n) => {
			bytesDumped = n;
			report("upload");
		}, false);
		const outMeter = new Meter((n) => {
			bytesStored = n;
		}, true);
		let body;
		let stages;
		let inputGood;
		if (plan.encryption.kind === "7z") {
			archive = await sevenZipArchive(plan, object, dump.stream, inMeter, dumpDone, controller.signal, plan.encryption.passphrase).catch((error) => {
				const code = error instanceof AppError ? error.code : "";
				fail(code === "DUMP_FAILED" || code === "CANCELLED" ? "dump" : "encrypt", error);
				throw first ?? stageError("encrypt", error);
			});
			report("upload", true);
			body = createReadStream(archive);
			stages = [];
			inputGood = async () => void 0;
		} else {
			const compress = createCompressStream(plan.compression, plan.compressionLevel ?? void 0);
			const encrypt = plan.encryption.kind === "age" ? await (await loadAgeStream()).createAgeEncryptStream({ recipients: plan.encryption.recipients }) : null;
			compress.once("error", (e) => fail("compress", e));
			encrypt?.once("error", (e) => fail("encrypt", e));
			body = dump.stream;
			stages = [
				createBatchStream({
					bytes: plan.compression === "zstd" ? 0 : BATCH_BYTES,
					coalesceReads: plan.source.dto.ssh?.mode !== "exec"
				}),
				inMeter,
				compress,
				...encrypt ? [encrypt] : []
			];
			inputGood = () => dumpDone;
		}
		const fan = createFanOut(destinations.length, inputGood);
		const checked = dump.checked ?? Promise.resolve(true);
		const puts = destinations.map((d, i) => checked.then((passed) => passed && !controller.signal.aborted ? d.driver.put(object.key, fan.branches[i], {
			signal: controller.signal,
			...uploadStarted(hooks, d.dto.id, object.key)
		}).then(() => void committed.add(`${i}:object`), (error) => {
			fail("upload", error, d.dto.name);
			throw error;
		}) : void 0));
		const flow = pipeline$1([
			body,
			...stages,
			outMeter,
			fan.sink
		], { signal: controller.signal }).catch((error) => {
			fail("dump", error);
		});
		controller.signal.addEventListener("abort", () => dump.cancel(), { once: true });
		await Promise.allSettled([
			inputGood(),
			flow,
			...puts
		]);
		if (first !== null || controller.signal.aborted) throw first ?? interrupted(hooks.signal);
		hooks.onStageTime?.("dump", Date.now() - started);
		result.bytesIn = bytesDumped;
		result.size = outMeter.bytes;
		result.sha256 = outMeter.digest();
		report("manifest", true);
		const manifestStarted = Date.now();
		const [readLocale, readCharset, readObjects, readProperties, testedVersion] = await Promise.all([
			locale,
			charset,
			objects,
			properties,
			serverVersion
		]);
		const [databaseLocale, databaseCharset, databaseObjects, databaseProperties] = [
			readLocale(),
			readCharset(),
			readObjects(),
			readProperties()
		];
		const manifest = {
			formatVersion: 1,
			app: {
				name: "vaultdesk",
				version: plan.appVersion
			},
			runId: plan.runId,
			createdAt: plan.startedAt,
			job: plan.job,
			source: {
				name: plan.source.dto.name,
				engine: plan.source.dto.engine,
				serverVersion: testedVersion,
				database: object.label,
				kind: object.kind,
				...databaseLocale ? { locale: databaseLocale } : {},
				...databaseCharset ? { charset: databaseCharset } : {},
				...databaseObjects ? { objects: databaseObjects } : {},
				...databaseProperties ? { properties: databaseProperties } : {}
			},
			dump: {
				format: plan.source.dto.engine === "sqlite" ? "sqlite" : plan.source.dto.engine === "mysql" ? "plain" : object.kind === "globals" ? "plain" : plan.format,
				tool: toolName(plan.source.dto, object.kind),
				bytes: bytesDumped
			},
			compression: {
				algorithm: plan.compression,
				level: plan.compression === "none" ? null : plan.compressionLevel ?? DEFAULT_LEVEL[plan.compression]
			},
			encryption: plan.encryption.kind === "age" ? {
				kind: "age",
				recipients: plan.encryption.recipients.map((r) => ({
					recipient: r,
					fingerprint: recipientFingerprint(r)
				}))
			} : plan.encryption.kind === "7z" ? {
				kind: "7z",
				headersEncrypted: true
			} : { kind: "none" },
			object: {
				key: object.key,
				size: result.size,
				sha256: result.sha256
			}
		};
		const manifestBody = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
		const manifests = await Promise.allSettled(destinations.map((d, i) => d.driver.put(manifestKey(object.key), Readable.from([manifestBody]), { signal: controller.signal }).then(() => void committed.add(`${i}:manifest`))));
		const failedManifest = manifests.findIndex((m) => m.status === "rejected");
		if (failedManifest >= 0) throw stageError("manifest", manifests[failedManifest].reason, destinations[failedManifest].dto.name);
		hooks.onStageTime?.("manifest", Date.now() - manifestStarted);
		result.status = "succeeded";
		result.destinations = destinations.map((d) => ({
			destinationId: d.dto.id,
			name: d.dto.name,
			ok: true,
			location: locationOf(d.dto, object.key),
			error: null
		}));
		report("manifest", true);
		return {
			result,
			error: null,
			manifest: manifestBody.toString("utf8")
		};
	} catch (error) {
		const failure = hooks.signal.aborted ? interrupted(hooks.signal) : stageError("dump", error);
		await Promise.allSettled(destinations.flatMap((d, i) => [...committed.has(`${i}:manifest`) ? [d.driver.delete(manifestKey(object.key))] : [], ...committed.has(`${i}:object`) ? [d.driver.delete(object.key)] : []]));
		result.status = failure.code === "CANCELLED" ? "cancelled" : "failed";
		const failedOn = failure instanceof StageError ? failure.destination : void 0;
		result.destinations = result.destinations.map((d) => ({
			...d,
			ok: false,
			error: failedOn === void 0 || failedOn === d.name ? failure.message : "not kept: another destination failed"
		}));
		return {
			result,
			error: failure
		};
	} finally {
		if (archive) await rm(archive, { force: true });
		if (trailing) clearTimeout(trailing);
		hooks.signal.removeEventListener("abort", abort);
	}
}
function uploadStarted(hooks, destinationId, key) {
	const report = hooks.onUploadStarted;
	return report ? { onUploadStarted: (uploadId) => report(destinationId, key, uploadId) } : {};
}
/** The dump, counted, into a 7-Zip archive; good only once both 7-Zip and the dump tool exited 0. */
async function sevenZipArchive(plan, object, dump, meter, dumpDone, signal, passphrase) {
	const { createSevenZipArchive, findSevenZip } = await import("./seven-zip-DILh6Ioe.js");
	const tool = await findSevenZip(plan.sourceContext.env ?? {}, plan.sourceContext.toolPaths?.["7z"]);
	dump.once("error", (error) => meter.destroy(error));
	const entryName = path.posix.basename(object.key).replace(/\.7z$/, "");
	const archived = createSevenZipArchive(dump.pipe(meter), {
		tool,
		passphrase,
		entryName,
		tempDir: plan.sourceContext.tempDir,
		signal
	});
	try {
		const [made] = await Promise.all([archived, dumpDone]);
		return made.file;
	} catch (error) {
		await archived.then((made) => rm(made.file, { force: true }), () => void 0);
		throw error;
	}
}
// src/main/core/pipeline/worker.ts
var port = parentPort;
if (!port) throw new Error("worker.ts must run in a worker thread");
var controller = new AbortController();
var send = (message) => port.postMessage(message);
var acks = /* @__PURE__ */ new Map();
var seq = 0;
setChildListener(({ pid, exited }) => send({
	type: "child",
	pid,
	exited
}));
var forward = (level) => (message, fields) => send({
	type: "log",
	level,
	message,
	fields: JSON.parse(JSON.stringify(fields ?? {}))
});
var log = {
	debug: forward("debug"),
	info: forward("info"),
	warn: forward("warn"),
	error: forward("error")
};
/** The host redraws at most four times a second (restore:progress); ten counts a second are plenty. */
var BYTES_EVERY_MS = 100;
port.on("message", (message) => {
	if (message.type === "cancel") {
		controller.abort(new AppError(message.code, message.message));
		return;
	}
	if (message.type === "ack") {
		acks.get(message.seq)?.();
		acks.delete(message.seq);
		return;
	}
	const { job } = message;
	if (job.kind === "backup") {
		runBackup(job.plan);
		return;
	}
	const bytes = byteCounter();
	runStreamJob(job.kind === "restore" ? () => runRestore(job.job, bytes.count) : () => runDecrypt(job.request, bytes.count)).then((result) => {
		bytes.flush();
		send({
			type: "finished",
			result
		});
	});
});
/** A byte count a few times a second, not one message per chunk; flush sends the last count if it was held back. */
function byteCounter() {
	let last = 0;
	let sent = 0;
	let at = 0;
	return {
		count: (n) => {
			last = n;
			const now = Date.now();
			if (now - at < BYTES_EVERY_MS) return;
			at = now;
			sent = n;
			send({
				type: "bytes",
				bytesRead: n
			});
		},
		flush: () => {
			if (last !== sent) send({
				type: "bytes",
				bytesRead: last
			});
		}
	};
}
function runBackup(plan) {
	runBackupPlan(plan, {
		signal: controller.signal,
		onProgress: (progress) => send({
			type: "progress",
			progress
		}),
		onHostKeyPinned: (destinationId, fingerprint) => send({
			type: "pinned",
			destinationId,
			fingerprint
		}),
		onSourceHostKeyPinned: (fingerprint) => send({
			type: "source-pinned",
			fingerprint
		}),
		onStageTime: (stage, ms) => send({
			type: "stage-time",
			stage,
			ms
		}),
		onNote: (text) => send({
			type: "note",
			text
		}),
		log,
		onUploadStarted: (destinationId, key, uploadId) => new Promise((resolve) => {
			const id = ++seq;
			acks.set(id, resolve);
			send({
				type: "upload-started",
				seq: id,
				destinationId,
				key,
				uploadId
			});
		})
	}).then((outcome) => send({
		type: "done",
		objects: outcome.objects,
		manifests: outcome.manifests,
		error: outcome.error ? {
			stage: outcome.error.stage,
			code: outcome.error.code,
			message: outcome.error.message,
			...outcome.error.destination ? { destination: outcome.error.destination } : {}
		} : null
	}), (error) => send({
		type: "done",
		objects: [],
		manifests: {},
		error: {
			stage: "plan",
			code: "INTERNAL",
			message: error instanceof Error ? error.message : String(error)
		}
	}));
}
/** The job's outcome as a value: an AppError crosses with its code, message and details; anything else is INTERNAL. */
async function runStreamJob(run) {
	try {
		return {
			ok: true,
			data: await run()
		};
	} catch (error) {
		if (error instanceof AppError) return {
			ok: false,
			error: payloadOf(error)
		};
		if (controller.signal.aborted) return {
			ok: false,
			error: {
				code: "CANCELLED",
				message: "The restore was cancelled."
			}
		};
		log.warn("a restore or decryption failed unexpectedly", { error: error instanceof Error ? error.stack ?? error.message : String(error) });
		return {
			ok: false,
			error: {
				code: "INTERNAL",
				message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
			}
		};
	}
}
/** Details cross as JSON, like log fields: whatever a driver put there must survive postMessage. */
function payloadOf(error) {
	const payload = error.toPayload();
	return payload.details === void 0 ? payload : {
		...payload,
		details: JSON.parse(JSON.stringify(payload.details))
	};
}
async function runRestore(job, onBytes) {
	const { runRestoreStream } = await import("./restore-stream-BgE7YBCz.js");
	return {
		kind: "restored",
		loaded: await runRestoreStream(job, {
			signal: controller.signal,
			onBytes,
			onDestinationHostKeyPinned: (fingerprint) => send({
				type: "pinned",
				destinationId: job.destination.dto.id,
				fingerprint
			}),
			onSourceHostKeyPinned: (fingerprint) => send({
				type: "source-pinned",
				fingerprint
			}),
			onNote: (text) => send({
				type: "note",
				text
			}),
			onCreatedNotDropped: (database, reason) => send({
				type: "created-not-dropped",
				database,
				reason
			}),
			onCreatingDatabase: (database) => send({
				type: "creating",
				database
			}),
			log
		})
	};
}
async function runDecrypt(request, onProgress) {
	const { decryptOffline } = await import("./offline-decrypt-C5qVKNOo.js");
	const keyFiles = request.keyFiles.map((k) => ({
		path: k.path,
		bytes: Buffer.from(k.bytes.buffer, k.bytes.byteOffset, k.bytes.byteLength)
	}));
	return {
		kind: "decrypted",
		outcome: await decryptOffline({
			...request,
			keyFiles,
			onProgress,
			signal: controller.signal
		})
	};
}
export {};
