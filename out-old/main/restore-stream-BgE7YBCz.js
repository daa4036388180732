import { t as AppError } from "./result-9C-V9fjg.js";
import { S as createDestinationDriver, c as readArchiveInt, d as MysqlDumpRowCounter, l as HeadGatherer, s as readArchiveHead, t as createSourceDriver } from "./source-driver-DWHbsFUO.js";
import { i as fsAppError, r as errnoOf } from "./fs-errors-QegibJ8D.js";
import { u as formatBytes } from "./counted-CPvl5wmn.js";
import { n as createDecompressStream } from "./compress-BBuJE7Cp.js";
import { n as listSevenZip, t as extractSevenZip } from "./seven-zip-extract-IaBoWdN4.js";
import path from "node:path";
import { rm } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { createHash } from "node:crypto";
import { PassThrough, Transform, pipeline } from "node:stream";
import { pipeline as pipeline$1 } from "node:stream/promises";
// src/main/core/sources/pg-archive-rows.ts
/**
* The rows a PostgreSQL custom-format archive (`pg_dump --format=custom --compress=0`) loads into
* each of its tables, counted while it streams to pg_restore.
*
* The archive (pg_backup_archiver.c, pg_backup_custom.c): a header, the table of contents (one
* entry per object: its kind, name, schema, SQL), then the data blocks, each a type byte, the
* entry's id and length-prefixed pieces ending with a zero length. A table's data is its COPY
* text, one line per row (newlines inside values are written as `\n`) up to the line `\.` that
* ends it, which no row can be (a backslash in a value is written `\\`). pg_restore loads each
* table's COPY whole or fails the restore, so once it has exited 0 these are the rows in the
* tables, without reading them back.
*
* Anything this does not know for certain ends in null, and the restore counts with SQL as before:
* an archive version outside 1.12-1.16 (PostgreSQL 9.6-17), compressed data blocks, data not in
* COPY form (`--inserts`), a cut or malformed stream, and tables whose count(*) also counts other
* tables' rows (inheritance, partitions).
*/
var PgArchiveRowCounter = class {
	/** Where the stream is; for 'int', what the integer is (`#role`); for 'data', the piece's bytes left (`#left`). */
	#at = "head";
	#role = "dataId";
	#left = 0;
	/** The header and the table of contents, gathered until they parse whole. */
	#head = new HeadGatherer(readHead, HEAD_MAX);
	#toc = null;
	/** The bytes of an integer that spans two chunks. */
	#int = [];
	#entry = 0;
	#rows = 0;
	/** The current line: its length so far, its first two bytes (as one number), whether `\.` ended the data. */
	#lineBytes = 0;
	#lineHead = 0;
	#copyEnded = false;
	#rowsByEntry = /* @__PURE__ */ new Map();
	#failed = false;
	/** Never throws: what it cannot follow turns the count off, never the restore. */
	feed(chunk) {
		if (this.#failed) return;
		try {
			if (this.#at === "head") {
				this.#gather(chunk);
				return;
			}
			this.#walk(chunk, 0);
		} catch {
			this.#fail();
		}
	}
	/** Every table the archive creates, with the rows its data loads; null when they are not known for certain. */
	finish() {
		if (!this.#failed && this.#at === "head") try {
			this.#parsed(this.#head.last());
		} catch {
			this.#fail();
		}
		if (this.#failed || this.#toc === null || this.#at !== "block") return null;
		const rows = /* @__PURE__ */ new Map();
		for (const [entry, count] of this.#rowsByEntry) {
			const table = this.#toc.dataOf.get(entry);
			if (table === void 0) return null;
			rows.set(table, (rows.get(table) ?? 0) + count);
		}
		return this.#toc.tables.map((t) => ({
			schema: t.schema,
			table: t.table,
			rows: rows.get(tableKey(t.schema, t.table)) ?? 0
		}));
	}
	#fail() {
		this.#failed = true;
	}
	#gather(chunk) {
		this.#parsed(this.#head.add(chunk));
		if (this.#at === "head" && this.#head.tooLong) throw new Error("table of contents too long");
	}
	#parsed(parsed) {
		if (parsed === "more") return;
		if (parsed === null) throw new Error("not a countable archive");
		this.#toc = parsed.toc;
		this.#at = "block";
		this.#walk(this.#head.bytes, parsed.end);
	}
	/**
	* Follows the data blocks through `chunk` from `start`. Called for every piece of every row, so
	* it allocates nothing: an integer is read in place, and gathered only when it spans two chunks.
	*/
	#walk(chunk, start) {
		const intBytes = this.#toc.intSize + 1;
		let i = start;
		while (i < chunk.length) if (this.#at === "block") {
			const type = chunk[i++];
			if (type === 1) this.#expectInt("dataId");
			else if (type === 3) this.#expectInt("blobsId");
			else throw new Error(`unknown block type ${type}`);
		} else if (this.#at === "int") {
			if (this.#int.length === 0 && i + intBytes <= chunk.length) {
				const value = readArchiveInt(chunk, i, intBytes);
				i += intBytes;
				this.#afterInt(this.#role, value);
				continue;
			}
			while (this.#int.length < intBytes && i < chunk.length) this.#int.push(chunk[i++]);
			if (this.#int.length === intBytes) {
				const value = readArchiveInt(this.#int, 0, intBytes);
				this.#int.length = 0;
				this.#afterInt(this.#role, value);
			}
		} else if (this.#at === "data") {
			const end = Math.min(chunk.length, i + this.#left);
			const rows = this.#role === "dataLength";
			if (rows) this.#countRows(chunk, i, end);
			this.#left -= end - i;
			i = end;
			if (this.#left === 0) this.#expectInt(rows ? "dataLength" : "blobLength");
		} else throw new Error("unexpected state");
	}
	#expectInt(role) {
		this.#at = "int";
		this.#role = role;
	}
	/** A piece of `bytes` long; `#role` stays the length's, which says whose piece it is. */
	#expectData(bytes) {
		this.#at = "data";
		this.#left = bytes;
	}
	/** The rows in chunk[start, end), a piece of the current table's COPY text: one indexOf per row, as pg_dump writes a row per piece. */
	#countRows(chunk, start, end) {
		let i = start;
		while (i < end && !this.#copyEnded) {
			const at = chunk.indexOf(NEWLINE, i);
			const lineEnd = at === -1 || at >= end ? end : at;
			for (let k = i; k < lineEnd && this.#lineBytes + (k - i) < 2; k++) this.#lineHead = this.#lineHead * 256 + chunk[k];
			this.#lineBytes += lineEnd - i;
			if (lineEnd === end) return;
			if (this.#lineBytes === 2 && this.#lineHead === END_OF_COPY) this.#copyEnded = true;
			else this.#rows++;
			this.#lineBytes = 0;
			this.#lineHead = 0;
			i = lineEnd + 1;
		}
	}
	#afterInt(what, value) {
		switch (what) {
			case "dataId":
				this.#entry = value;
				this.#rows = 0;
				this.#lineBytes = 0;
				this.#lineHead = 0;
				this.#copyEnded = false;
				this.#expectInt("dataLength");
				return;
			case "dataLength":
				if (value > 0) this.#expectData(value);
				else if (value === 0) {
					this.#rowsByEntry.set(this.#entry, (this.#rowsByEntry.get(this.#entry) ?? 0) + this.#rows);
					this.#at = "block";
				} else throw new Error("negative length");
				return;
			case "blobsId":
				this.#expectInt("blobOid");
				return;
			case "blobOid":
				if (value === 0) this.#at = "block";
				else this.#expectInt("blobLength");
				return;
			case "blobLength":
				if (value > 0) this.#expectData(value);
				else if (value === 0) this.#expectInt("blobOid");
				else throw new Error("negative length");
				return;
		}
	}
};
var NEWLINE = 10;
/** The line `\.`: backslash, period. */
var END_OF_COPY = 23598;
/** A table of contents longer than this is not gathered: the count falls back to SQL. */
var HEAD_MAX = 67108864;
function tableKey(schema, table) {
	return `${schema}\u0000${table}`;
}
/** The tables and their data entries; 'more' when the head has not all arrived, null when this cannot count the archive. */
function readHead(bytes) {
	const head = readArchiveHead(bytes);
	if (head === "more") return "more";
	if (head === null || head.compressed) return null;
	const tables = [];
	const dataOf = /* @__PURE__ */ new Map();
	let nested = false;
	for (const { dumpId, desc, tag, namespace, defn, copyStmt } of head.entries) {
		if (desc === "TABLE ATTACH") nested = true;
		if (desc === "TABLE" && tag !== null && namespace !== null) {
			if (defn !== null && /\b(INHERITS|PARTITION\s+(OF|BY))\b/i.test(defn)) nested = true;
			tables.push({
				schema: namespace,
				table: tag
			});
		}
		if (desc === "TABLE DATA") {
			if (tag === null || namespace === null || copyStmt === null || !copyStmt.startsWith("COPY ")) return null;
			dataOf.set(dumpId, tableKey(namespace, tag));
		}
	}
	if (nested) return null;
	return {
		toc: {
			intSize: head.intSize,
			tables,
			dataOf
		},
		end: head.end
	};
}
// src/main/core/restore/backup-plaintext.ts
/**
* Plaintext decrypted ahead of the restore tool. The tool reads in bursts (pg_restore sends a
* table's rows as fast as the server takes them); without a buffer this deep it waits on its
* stdin while the next bytes go through the file read, age and the decompressor's threadpool.
*/
var READ_AHEAD = 8388608;
/**
* The dump inside a stored backup, as a stream: the stored bytes are counted and hashed while they
* are decrypted and decompressed, and the stream fails before its end when their size or sha256
* differ from the manifest's, or when age authentication fails, so a restore tool reading it
* never sees the end of a damaged backup and can be stopped before it commits anything.
*/
async function openBackupPlaintext(driver, manifest, keys, options) {
	if (keys.kind === "7z") return sevenZipPlaintext(driver, manifest, keys, options);
	const stages = [await driver.get(manifest.object.key, { signal: options.signal }), manifestCheck(manifest, options.onBytes)];
	if (keys.kind === "age") {
		const { createAgeDecryptStream } = await import("./age-stream-Cy29MaMv.js");
		stages.push(createAgeDecryptStream({ identities: keys.identities }));
	}
	if (manifest.compression.algorithm !== "none") stages.push(createDecompressStream(manifest.compression.algorithm));
	stages.push(new PassThrough({ highWaterMark: READ_AHEAD }));
	return chain(stages, options.signal);
}
/** The stages joined; an error or a cancel in any of them fails the last, which the restore tool reads. */
function chain(stages, signal) {
	if (stages.length === 1) return stages[0];
	const last = pipeline(stages, () => void 0);
	const onAbort = () => void last.destroy(new AppError("CANCELLED", "The restore was cancelled."));
	signal.addEventListener("abort", onAbort, { once: true });
	last.once("close", () => signal.removeEventListener("abort", onAbort));
	return last;
}
function manifestCheck(manifest, onBytes) {
	const hash = createHash("sha256");
	let bytes = 0;
	return new Transform({
		highWaterMark: 1048576,
		transform(chunk, _encoding, callback) {
			hash.update(chunk);
			bytes += chunk.length;
			onBytes(bytes);
			callback(null, chunk);
		},
		flush(callback) {
			const actual = hash.digest("hex");
			if (bytes !== manifest.object.size) callback(new AppError("INTEGRITY_FAILED", `The stored backup is ${formatBytes(bytes)} but its manifest says ${formatBytes(manifest.object.size)}: it was cut short or changed after it was stored. Nothing was restored.`, { reason: "size" }));
			else if (actual !== manifest.object.sha256) callback(new AppError("INTEGRITY_FAILED", `The stored backup does not match its manifest (sha256 ${actual}, expected ${manifest.object.sha256}): it was changed or damaged after it was stored. Nothing was restored.`, { reason: "sha256" }));
			else callback();
		}
	});
}
/** 7-Zip reads archives as files: the object is fetched to a private temporary file, checked against the manifest, then extracted. */
async function sevenZipPlaintext(driver, manifest, keys, options) {
	const file = path.join(options.tempDir, path.posix.basename(manifest.object.key));
	try {
		await pipeline$1(await driver.get(manifest.object.key, { signal: options.signal }), manifestCheck(manifest, options.onBytes), createWriteStream(file, {
			mode: 384,
			flags: "wx"
		}), { signal: options.signal });
		let passphrase = null;
		for (const candidate of keys.passphrases) if (await listSevenZip(file, {
			tool: keys.tool,
			passphrase: candidate,
			signal: options.signal
		}).then(() => true, () => false)) {
			passphrase = candidate;
			break;
		}
		if (passphrase === null) throw new AppError("DECRYPT_FAILED", "No 7-Zip profile here opens this backup: its passphrase is not the one of any 7-Zip encryption profile of this data dir. Add a profile with the passphrase it was made with.", { reason: "no-key" });
		const out = await extractSevenZip(file, {
			tool: keys.tool,
			passphrase,
			signal: options.signal
		});
		out.once("close", () => void rm(file, { force: true }));
		return out;
	} catch (error) {
		await rm(file, { force: true });
		if (!(error instanceof AppError) && !options.signal.aborted && errnoOf(error)) throw fsAppError(error, "RESTORE_FAILED", `Could not write the 7-Zip archive to open it in ${options.tempDir}`, {
			path: options.tempDir,
			device: options.tempDir
		});
		throw error;
	}
}
// src/main/core/restore/restore-stream.ts
/**
* The byte stream of one restored database: the stored object from its destination, through the
* manifest check, age and the decompressor, into the source driver's restore. The worker opens
* both drivers itself; the host keeps everything else (the records, the counts, the swap).
*/
async function runRestoreStream(job, hooks) {
	const { signal, log } = hooks;
	const { tempDir } = job.sourceContext;
	const destination = createDestinationDriver(job.destination.dto, job.destination.secrets, {
		log,
		onHostKeyPinned: hooks.onDestinationHostKeyPinned
	});
	const source = createSourceDriver(job.source.dto, job.source.secrets, {
		...job.sourceContext,
		log,
		onHostKeyPinned: hooks.onSourceHostKeyPinned,
		onNote: hooks.onNote,
		onCreatedNotDropped: hooks.onCreatedNotDropped,
		onCreatingDatabase: hooks.onCreatingDatabase
	});
	const op = job.operation;
	const rows = op.op === "globals" ? null : rowCounter(job.source.dto.engine, op.format);
	const plaintext = async () => {
		const stream = await openBackupPlaintext(destination, job.manifest, job.keys, {
			signal,
			tempDir,
			onBytes: hooks.onBytes
		});
		return rows ? observed(stream, (chunk) => rows.feed(chunk)) : stream;
	};
	const locale = job.manifest.source.locale ?? null;
	const charset = job.manifest.source.charset ?? null;
	try {
		if (op.op === "globals") {
			if (!source.restoreGlobals) throw new AppError("VALIDATION_FAILED", `Source "${job.source.dto.name}" has no roles to restore.`);
			await source.restoreGlobals(await plaintext(), signal);
			return null;
		}
		const into = {
			database: op.database,
			format: op.format,
			createDatabase: op.createDatabase,
			tablespace: op.tablespace ?? null,
			locale,
			charset,
			signal,
			keepOwners: op.keepOwners === true
		};
		if (op.op === "restoreFile" && source.restoreFile) {
			const restoreFile = source.restoreFile.bind(source);
			const viaFile = async (dump) => {
				try {
					await pipeline$1(dump, createWriteStream(op.file, {
						mode: 384,
						flags: "wx"
					}), { signal });
					await restoreFile(op.file, {
						...into,
						createDatabase: false,
						jobs: op.jobs
					});
				} catch (error) {
					if (!(error instanceof AppError) && !signal.aborted) throw fsAppError(error, "RESTORE_FAILED", `Could not write the decrypted dump for a parallel restore in ${tempDir}`, { path: tempDir });
					throw error;
				} finally {
					await rm(op.file, { force: true });
				}
			};
			await source.restore(await plaintext(), {
				...into,
				loaders: op.jobs,
				unsplit: viaFile
			});
		} else await source.restore(await plaintext(), {
			...into,
			loaders: op.op === "restore" ? op.loaders : void 0
		});
		return rows?.finish() ?? null;
	} finally {
		await Promise.allSettled([destination.close(), source.close()]);
	}
}
function rowCounter(engine, format) {
	if (engine === "postgres") return format === "custom" ? new PgArchiveRowCounter() : null;
	return engine === "mysql" ? new MysqlDumpRowCounter() : null;
}
/** The plaintext, each chunk seen by `see` on its way; an error or a cancel upstream still reaches the reader. */
function observed(plaintext, see) {
	const tap = new Transform({
		highWaterMark: 1048576,
		transform(chunk, _encoding, callback) {
			see(chunk);
			callback(null, chunk);
		}
	});
	pipeline(plaintext, tap, () => void 0);
	return tap;
}
export { runRestoreStream };
