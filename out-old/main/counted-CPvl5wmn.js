import { t as AppError } from "./result-9C-V9fjg.js";
import { r as errnoOf } from "./fs-errors-QegibJ8D.js";
import { lstat, open, unlink } from "node:fs/promises";
import { Transform } from "node:stream";
// src/main/core/destinations/object-key.ts
var PARTIAL_SUFFIX = ".partial";
/** A partial file changed more recently than this is taken to be another run's upload in progress, not a crash's leftover. */
var PARTIAL_IN_USE_MS = 6e5;
/** Another run stores (or stored) an object under this very name (`where`: the folder, in the driver's words): this one is not put in its place. */
function nameTaken(key, where, details) {
	return new AppError("DESTINATION_WRITE_FAILED", `Could not write ${key} to ${where}: another run is storing, or has just stored, a backup under that name (another Vaultdesk that uses this folder, started in the same second), so this one was not stored and that one was left alone. Run it again.`, {
		...details,
		key,
		problem: "name-taken"
	});
}
var WINDOWS_DRIVE = /^[a-zA-Z]:/;
/**
* The path guard: an object key is a relative, slash-separated name that stays under the
* destination's root on every driver. Anything that could climb out of it (`..`, an absolute
* path, a backslash that Windows would read as a separator, a drive letter) is refused before
* a single byte is written.
*/
function assertObjectKey(key) {
	refuse(key, "key");
	if (key.endsWith("/")) invalid(key, "must name an object, not a folder (it ends with \"/\")");
	if (key.endsWith(".partial")) invalid(key, `must not end with "${PARTIAL_SUFFIX}": that suffix marks uploads in progress`);
	return key;
}
/** A listing prefix follows the same rules as a key, but may be empty or end with "/". */
function assertListPrefix(prefix) {
	if (prefix === "") return prefix;
	refuse(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix, "prefix");
	return prefix;
}
function refuse(value, what) {
	if (typeof value !== "string" || value.length === 0) invalid(value, `the ${what} must not be empty`);
	if (value.length > 1024) invalid(value, `the ${what} is longer than 1024 characters`);
	if (value.includes("\\")) invalid(value, `the ${what} must not contain backslashes`);
	if (value.includes("\0")) invalid(value, `the ${what} must not contain NUL characters`);
	if (value.startsWith("/") || WINDOWS_DRIVE.test(value)) invalid(value, `the ${what} must be relative, not an absolute path`);
	for (const segment of value.split("/")) {
		if (segment === "") invalid(value, `the ${what} must not contain empty path segments ("//")`);
		if (segment === "." || segment === "..") invalid(value, `the ${what} must not contain "." or ".." segments`);
	}
}
function invalid(value, why) {
	throw new AppError("VALIDATION_FAILED", `Refused object name "${value}": ${why}.`, { field: "key" });
}
/** Joins a root prefix ("" or "a/b") and a relative name with exactly one slash between. */
function joinKey(root, key) {
	const trimmed = root.replace(/^\/+|\/+$/g, "");
	return trimmed === "" ? key : `${trimmed}/${key}`;
}
// src/main/core/destinations/local-files.ts
/**
* Opens `name.partial` as a new file. A leftover of a killed run is replaced; `wx` also means
* an existing FIFO or device under that name is never opened (opening a FIFO for writing
* waits for a reader, forever).
*/
async function openPartial(partial, now = Date.now(), look = lstat) {
	try {
		return await open(partial, "wx");
	} catch (error) {
		if (errnoOf(error) !== "EEXIST") throw error;
	}
	const inUse = () => Object.assign(/* @__PURE__ */ new Error(`${partial} is being written`), { code: "EEXIST" });
	let found;
	try {
		found = await look(partial);
	} catch (error) {
		if (errnoOf(error) === "ENOENT") throw inUse();
		throw error;
	}
	if (found.isFile() && now - found.mtimeMs < 6e5) throw inUse();
	await unlink(partial).catch((error) => {
		if (errnoOf(error) !== "ENOENT") throw error;
	});
	return open(partial, "wx");
}
/**
* Syncs the file every WRITEBACK_BYTES while it is written, so the fsync before the rename has
* little left to do. The kernel starts writing back only once gigabytes are dirty: a 1 GiB dump
* (370 MiB stored) took 0.43-0.53 s from the dump tool's exit to the commit with one fsync at
* the end, 0.08-0.11 s with these. Writing goes on while a sync runs (the sync covers what was
* written before it), so the disk's answer never holds up the dump; at most one sync is in
* flight, a second waits for it, and the stream ends only once the last one answered. A sync
* that fails fails the stream.
*/
var WRITEBACK_BYTES = 67108864;
var Writeback = class extends Transform {
	handle;
	#since = 0;
	#inFlight = null;
	#failed = null;
	constructor(handle) {
		super();
		this.handle = handle;
	}
	/** A datasync is in flight: the disk owes an answer. */
	get syncing() {
		return this.#inFlight !== null;
	}
	_transform(chunk, _encoding, callback) {
		if (this.#failed) {
			callback(this.#failed);
			return;
		}
		this.#since += chunk.length;
		if (this.#since < WRITEBACK_BYTES) {
			callback(null, chunk);
			return;
		}
		this.#since = 0;
		this.#settled().then((error) => {
			if (error) {
				callback(error);
				return;
			}
			this.#sync();
			callback(null, chunk);
		});
	}
	_flush(callback) {
		this.#settled().then((error) => callback(error));
	}
	#sync() {
		this.#inFlight = this.handle.datasync().then(() => void 0, (error) => {
			this.#failed ??= error;
		}).finally(() => {
			this.#inFlight = null;
		});
	}
	/** Waits for the sync in flight; the error of any that failed. */
	async #settled() {
		await this.#inFlight;
		return this.#failed;
	}
};
/**
* Calls `onStall` once when the file system has owed the sink an answer (bytes handed over but
* not written, a sync or the closing fsync pending) for `ms` without writing anything: a disk
* or share that stopped answering. A slow input does not count, since then nothing is owed.
* Returns the function that stops watching.
*/
function watchSink(sink, writeback, ms, onStall) {
	let owedSince = null;
	let written = sink.bytesWritten;
	const timer = setInterval(() => {
		const owed = sink.writableLength > 0 || writeback.syncing || sink.writableEnded && !sink.closed;
		if (!owed || sink.bytesWritten !== written) {
			written = sink.bytesWritten;
			owedSince = owed ? Date.now() : null;
			return;
		}
		owedSince ??= Date.now();
		if (Date.now() - owedSince >= ms) {
			clearInterval(timer);
			onStall();
		}
	}, Math.max(50, Math.min(1e3, ms / 4)));
	return () => clearInterval(timer);
}
/** Makes a rename durable: the folder entry itself must reach the disk. */
async function syncFolder(folder) {
	if (process.platform === "win32") return;
	const handle = await open(folder, "r");
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}
function formatBytes(bytes) {
	const units = [
		"B",
		"KiB",
		"MiB",
		"GiB",
		"TiB",
		"PiB"
	];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
// src/shared/domain/counted.ts
/** `1 table`, `2 tables`, `1,234 rows`: a count with its noun, singular for one, digits grouped as the tables show them. */
function counted(n, noun) {
	return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}
/** Each non-zero count with its noun, in order: `[1, 0, 2]` of view, trigger, routine -> `1 view`, `2 routines`. */
function countedEach(counts, nouns) {
	return counts.flatMap((n, i) => n > 0 ? [counted(n, nouns[i])] : []);
}
/**
* What a restore target holds, in words: `2 tables`, `1 view and 2 routines`; empty when nothing a
* restore into it would replace. `others`: what else it holds (MySQL/MariaDB's views, routines,
* events, which a replacing restore cannot keep), already in words.
*/
function holdingWords(target) {
	return andList([...target.tables > 0 ? [counted(target.tables, "table")] : [], ...target.others]);
}
/** `a`, `a and b`, `a, b and c`; empty for none. */
function andList(words) {
	return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words.at(-1)}` : words[0] ?? "";
}
/** `3 tables, 1,234 rows` of a restored database; null: its rows could not be counted. */
function tableWords(tables) {
	if (tables === null) return "rows not counted";
	const rows = tables.reduce((n, t) => n + t.rows, 0);
	return `${counted(tables.length, "table")}, ${counted(rows, "row")}`;
}
/**
* A PostgreSQL database a restore is to replace, with `sessions` other clients connected: the swap at
* the restore's end refuses it while any is, so they must be gone by then. Said as the restore starts
* and in the wizard's review.
*/
function sessionsWarningWords(database, sessions, engine = "postgres") {
	if (engine === "sqlite") return `${database} is open in ${sessions === 1 ? "another process" : `${sessions.toLocaleString("en-US")} other processes`} now. A restore puts a new file in its place, and a program that keeps the old one open goes on writing to that one, so what it writes would be lost: stop ${sessions === 1 ? "it" : "them"} (or close the database there) before the restore finishes, or it will stop before replacing ${database}, leaving it as it was.`;
	return `${database} has ${counted(sessions, "other session")} connected now. PostgreSQL cannot replace a database while any session is connected to it: close ${sessions === 1 ? "it" : "them"} (or stop the application using it) before the restore finishes, or it will stop at the swap, leaving ${database} as it was.`;
}
/** What a restore replacing `database` says while other databases' foreign keys to its tables can still be dropped (MySQL/MariaDB refuse the swap otherwise). */
function referencedWarningWords(database, references) {
	return `Tables of other databases refer to ${database}'s tables by foreign key (${references.join(", ")}): MySQL/MariaDB would move those keys with the tables a swap moves out, so the restore will not put its copy in place of ${database} while they do. Drop them before it finishes, or restore under another name.`;
}
/**
* Which tables of a drill differ, in words: `1 of the 2 tables in the backup`, and the tables only
* the source has now (made since the backup), which the backup's count does not include.
*/
function drillDifferenceWords(drill) {
	const inBackup = drill.differences.filter((d) => d.inBackup !== null).length;
	const onlyNow = drill.differences.length - inBackup;
	return [inBackup > 0 || onlyNow === 0 ? `${inBackup} of the ${counted(drill.tables, "table")} in the backup` : "", onlyNow > 0 ? `${counted(onlyNow, "table")} not in it` : ""].filter(Boolean).join(" and ");
}
export { assertObjectKey as _, holdingWords as a, tableWords as c, openPartial as d, syncFolder as f, assertListPrefix as g, PARTIAL_SUFFIX as h, drillDifferenceWords as i, Writeback as l, PARTIAL_IN_USE_MS as m, counted as n, referencedWarningWords as o, watchSink as p, countedEach as r, sessionsWarningWords as s, andList as t, formatBytes as u, joinKey as v, nameTaken as y };
