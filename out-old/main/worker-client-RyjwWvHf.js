import { t as AppError } from "./result-9C-V9fjg.js";
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
// src/main/core/pipeline/worker-client.ts
/**
* The worker is always the built file: beside this module in a build (out/main), and the
* build's own out/main/pipeline-worker.js when this module runs from the TypeScript sources
* (vitest, whose global setup builds first, and the bench's host).
*/
function pipelineWorkerFile() {
	return import.meta.url.endsWith(".ts") ? new URL("../../../../out/main/pipeline-worker.js", import.meta.url) : new URL("./pipeline-worker.js", import.meta.url);
}
/**
* A pipeline worker's heap holds little (about 10 MiB), but the Buffers it streams are many: V8
* counts the ArrayBuffer bytes allocated since its last full collection toward the old generation's
* limit, which a small heap keeps low, so a worker streaming a backup ran a full collection every few
* tens of MiB, on the CPU the dump tool and the server need. A larger initial old space raises that
* limit; the Buffers, short-lived, still go with the young generation's collections. V8 reads the
* flag when it creates an isolate: set before the first worker starts, it sizes the workers' heaps,
* not the host's own, which already exists. Figures: README, Performance.
*/
var WORKER_INITIAL_OLD_SPACE_MIB = 64;
var workerHeapSized = false;
function sizeWorkerHeaps() {
	if (workerHeapSized) return;
	setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MIB}`);
	workerHeapSized = true;
}
function spawnPipelineWorker(file) {
	sizeWorkerHeaps();
	return new Worker(file);
}
/**
* A pipeline worker started before its job is known: starting one loads the drivers' modules
* (a fifth of a second or so), which then overlaps what the host does meanwhile (checking a
* restore's target, the previous database's stream). Taken once, by runInWorker; one never taken
* is stopped by dispose. A spare that died while it waited is not handed out.
*/
var SpareWorker = class SpareWorker {
	#worker;
	#onGone = () => {
		this.#worker = null;
	};
	constructor(worker) {
		this.#worker = worker;
		worker?.once("error", this.#onGone).once("exit", this.#onGone);
	}
	/** A spare of the built worker; an empty one (take gives null) when it is not built, for runInWorker to say so. */
	static start(file = pipelineWorkerFile()) {
		return new SpareWorker(existsSync(file) ? spawnPipelineWorker(file) : null);
	}
	take() {
		const worker = this.#worker;
		this.#worker = null;
		worker?.off("error", this.#onGone).off("exit", this.#onGone);
		return worker;
	}
	dispose() {
		this.take()?.terminate();
	}
};
/** How long a worker past its cancel's grace period gets to reap the tools the host killed (see runInWorker's abandon). */
var REAP_WAIT_MS = 1e3;
/**
* Runs one job in a fresh worker thread; the session's callbacks run on this (the host's) thread.
* A cancel asks the worker to stop; one that does not within the grace period is stopped
* outright, and the tools it started (which a terminated worker leaves running) are killed, the
* worker given a moment to reap them first.
*/
async function runInWorker(job, session) {
	const file = session.file ?? pipelineWorkerFile();
	if (!existsSync(file)) {
		session.spare?.dispose();
		return session.failed({
			cause: "not-built",
			code: "INTERNAL",
			message: `The ${session.role} worker is not built (${fileURLToPath(file)} is missing): run npm run build.`
		});
	}
	const worker = session.spare?.take() ?? spawnPipelineWorker(file);
	const children = /* @__PURE__ */ new Set();
	const post = (message) => worker.postMessage(message);
	const { signal } = session;
	return new Promise((resolve) => {
		let settled = false;
		let graceTimer;
		let reapTimer;
		/** Set while a worker past its cancel's grace period is given a moment to reap the tools just killed. */
		let reaped = null;
		const finish = (value) => {
			if (settled) return;
			settled = true;
			clearTimeout(graceTimer);
			clearTimeout(reapTimer);
			reaped = null;
			signal.removeEventListener("abort", onAbort);
			worker.terminate();
			resolve(value);
		};
		const abandon = (failure) => {
			for (const pid of children) killQuietly(pid);
			if (settled) return;
			if (failure.cause === "cancel-timeout" && children.size > 0) {
				reaped = () => finish(session.failed(failure));
				reapTimer = setTimeout(reaped, REAP_WAIT_MS);
				return;
			}
			finish(session.failed(failure));
		};
		const onAbort = () => {
			const reason = signal.reason;
			const code = reason instanceof AppError && reason.code === "TIMEOUT" ? "TIMEOUT" : "CANCELLED";
			const message = reason instanceof AppError ? reason.message : session.cancelMessage;
			post({
				type: "cancel",
				code,
				message
			});
			graceTimer = setTimeout(() => abandon({
				cause: "cancel-timeout",
				code,
				message
			}), session.cancelGraceMs);
		};
		signal.addEventListener("abort", onAbort, { once: true });
		worker.on("message", (message) => {
			if (message.type === "child") {
				if (message.exited) children.delete(message.pid);
				else children.add(message.pid);
				if (reaped && children.size === 0) reaped();
			} else if (message.type === "log") session.log?.[message.level](message.message, message.fields);
			else {
				const end = session.onMessage(message, post);
				if (end) finish(end.outcome);
			}
		});
		worker.on("error", (error) => abandon({
			cause: "crashed",
			code: "INTERNAL",
			message: `The ${session.role} worker crashed: ${error.message}`
		}));
		worker.on("exit", (code) => abandon({
			cause: "exited",
			code: "INTERNAL",
			message: `The ${session.role} worker exited unexpectedly (code ${code}).`
		}));
		post({
			type: "start",
			job
		});
		if (signal.aborted) onAbort();
	});
}
/** Runs a backup plan in a worker thread; the hooks are called on this (the host's) thread. */
async function runPlanInWorker(plan, hooks) {
	let stage = "plan";
	return runInWorker({
		kind: "backup",
		plan
	}, {
		signal: hooks.signal,
		cancelGraceMs: hooks.cancelGraceMs,
		file: hooks.workerFile,
		spare: hooks.spare,
		role: "backup",
		cancelMessage: "The run was cancelled; nothing was kept.",
		log: hooks.log,
		onMessage: (message, post) => {
			if (message.type === "progress") {
				stage = message.progress.stage;
				hooks.onProgress?.(message.progress);
			} else if (message.type === "pinned") hooks.onHostKeyPinned?.(message.destinationId, message.fingerprint);
			else if (message.type === "source-pinned") hooks.onSourceHostKeyPinned?.(message.fingerprint);
			else if (message.type === "stage-time") hooks.onStageTime?.(message.stage, message.ms);
			else if (message.type === "note") hooks.onNote?.(message.text);
			else if (message.type === "upload-started") {
				const ack = () => post({
					type: "ack",
					seq: message.seq
				});
				(hooks.onUploadStarted?.(message.destinationId, message.key, message.uploadId) ?? Promise.resolve()).then(ack, ack);
			} else if (message.type === "done") return { outcome: {
				objects: message.objects,
				error: message.error,
				manifests: message.manifests,
				abandoned: false
			} };
		},
		failed: ({ cause, code, message }) => ({
			objects: [],
			manifests: {},
			abandoned: cause !== "not-built",
			error: {
				stage: cause === "cancel-timeout" ? stage : "plan",
				code,
				message
			}
		})
	});
}
function killQuietly(pid) {
	try {
		process.kill(pid, "SIGKILL");
	} catch {}
}
export { runPlanInWorker as i, pipelineWorkerFile as n, runInWorker as r, SpareWorker as t };
