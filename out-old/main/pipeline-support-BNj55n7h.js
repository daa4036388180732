import { t as AppError } from "./result-9C-V9fjg.js";
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
// src/main/core/pipeline/pipeline-support.ts
/** An AppError that also says which stage (and destination) failed. */
var StageError = class extends AppError {
	stage;
	destination;
	constructor(stage, cause, destination) {
		super(cause.code, cause.message, {
			...cause.details,
			stage,
			...destination ? { destination } : {}
		});
		this.stage = stage;
		this.destination = destination;
	}
};
function stageError(stage, error, destination) {
	if (error instanceof StageError) return error;
	return new StageError(stage, error instanceof AppError ? error : new AppError("RUN_FAILED", error instanceof Error ? error.message : String(error)), destination);
}
/** Counts and hashes the bytes going by. */
var Meter = class extends Transform {
	onBytes;
	hash;
	bytes = 0;
	#hash = createHash("sha256");
	constructor(onBytes, hash) {
		super({ highWaterMark: 1048576 });
		this.onBytes = onBytes;
		this.hash = hash;
	}
	_transform(chunk, _e, cb) {
		this.bytes += chunk.length;
		if (this.hash) this.#hash.update(chunk);
		this.onBytes(this.bytes);
		cb(null, chunk);
	}
	digest() {
		return this.#hash.digest("hex");
	}
};
function interrupted(signal) {
	const reason = signal.reason;
	if (reason instanceof AppError) return stageError("dump", reason);
	return stageError("dump", new AppError("CANCELLED", "The run was cancelled; nothing was kept."));
}
function toolName(source, kind) {
	if (source.engine === "postgres") return kind === "globals" ? "pg_dumpall" : "pg_dump";
	if (source.engine === "mysql") return "mariadb-dump";
	return "sqlite-online-backup";
}
/** A human-readable place for the run record: the path, s3:// or sftp:// URL of the object. */
function locationOf(dto, key) {
	const c = dto.config;
	if (c.kind === "local") return `${c.path.replace(/\/+$/, "")}/${key}`;
	if (c.kind === "s3") return `s3://${c.bucket}/${c.prefix ? `${c.prefix}/` : ""}${key}`;
	return `sftp://${c.user}@${c.host}:${c.port}${c.path.startsWith("/") ? "" : "/"}${c.path.replace(/\/+$/, "")}/${key}`;
}
export { stageError as a, locationOf as i, StageError as n, toolName as o, interrupted as r, Meter as t };
