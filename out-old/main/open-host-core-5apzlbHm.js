import { a as unwrap, i as toErrorPayload, n as fail$1, r as ok, t as AppError } from "./result-9C-V9fjg.js";
import { n as INVOKE_CHANNELS, r as contract } from "./channels-wSOrHlYY.js";
import { a as STAGE_WORDS, i as schemas_exports, r as masterKeyLine, t as isAbsolutePath } from "./schemas-BoD2yQ7S.js";
import { a as refuseExisting, i as placeNewOrRefuse, o as ensureFolder, s as ensureFolderSync, t as namesFolder } from "./place-new-BwBVQRdf.js";
import { i as fsAppError, r as errnoOf } from "./fs-errors-QegibJ8D.js";
import { a as objectName, i as manifestKey, n as MANIFEST_SUFFIX, o as recipientFingerprint, r as isManifestKey } from "./manifest-DCk0zh61.js";
import { i as describeHook, n as hostKeyFile, o as describeRetention, r as hostToolEnv, s as localMinuteWords, t as hostDataDir } from "./host-paths-UpNA4Cya.js";
import { C as endpointLabel, S as createDestinationDriver, T as withDeadline, _ as localeInWords, a as mayHaveLeft, b as isCreateDenied, g as toolVersion, h as findTool, i as BY_HAND, m as toolEnv, n as removeAbandonedSqlitePartials, o as notesToDo, r as sqliteFileUsers, t as createSourceDriver, u as continued, v as backupObjectWords, w as formatDuration, x as messageOf, y as charsetInWords } from "./source-driver-DWHbsFUO.js";
import { a as holdingWords, c as tableWords, i as drillDifferenceWords, n as counted, o as referencedWarningWords, s as sessionsWarningWords, t as andList, u as formatBytes } from "./counted-CPvl5wmn.js";
import { i as locationOf } from "./pipeline-support-BNj55n7h.js";
import { a as decodeMasterKey, i as HOW_TO_PROVIDE_KEY, n as createEnvKeyStore, r as createFileKeyStore, t as exportSecretFile } from "./export-file-BjPN3P-2.js";
import { t as CLIENT_TOOL_NAMES } from "./dto-DE1A35sA.js";
import { t as findSevenZip } from "./seven-zip-tool-QevYVTu1.js";
import { a as teeLogger, i as silentLogger, n as jsonLogger, o as withFields } from "./logger-DPaTZ2i9.js";
import { a as hasChanges, c as sealSecrets, i as applyChanges, l as assertNameFree, o as openSecrets, r as EnvironmentsRepository, s as pickSecrets, t as redactUrl, u as notFound } from "./redact-url-BCezN3PU.js";
import { n as LEVEL_RANGE } from "./compression-levels-BVUTdpZG.js";
import { i as runPlanInWorker, n as pipelineWorkerFile, r as runInWorker, t as SpareWorker } from "./worker-client-RyjwWvHf.js";
import { homedir, hostname, userInfo } from "node:os";
import path from "node:path";
import { link, mkdir, rm, stat, unlink, writeFile } from "node:fs/promises";
import { chmodSync, closeSync, createWriteStream, existsSync, fchmodSync, fstatSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, rmdirSync, statSync, writeSync } from "node:fs";
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { EventEmitter } from "node:events";
import { Readable, Transform, Writable } from "node:stream";
import { pipeline as pipeline$1 } from "node:stream/promises";
import { spawn } from "node:child_process";
import { Cron } from "croner";
import cronstrue from "cronstrue";
import Database from "better-sqlite3";
import { fileURLToPath } from "node:url";
import pRetry, { AbortError } from "p-retry";
// src/shared/ipc/input-schemas.ts
/** Input schema of every channel, as the contract names it; every host validates with it before a handler runs. */
var inputSchemas = Object.freeze(Object.fromEntries(INVOKE_CHANNELS.map((channel) => [channel, schemas_exports[contract[channel].input]])));
// src/main/core/dispatch.ts
function isInvokeChannel(channel) {
	return typeof channel === "string" && INVOKE_CHANNELS.includes(channel);
}
/** Issues listed in a refusal; the rest are counted. Input of any size gets an answer of bounded size. */
var MAX_ISSUES = 10;
var MAX_QUOTED = 40;
/** Part of the caller's own input, quoted and cut short: a 4 MB key must not come back in the message. */
function quoteInput(value) {
	const text = String(value);
	return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text);
}
function issueMessage(issue) {
	if (issue.code !== "unrecognized_keys") return issue.message;
	const shown = issue.keys.slice(0, 3).map(quoteInput).join(", ");
	const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : "";
	return `Unrecognized key${issue.keys.length === 1 ? "" : "s"}: ${shown}${more}`;
}
/** Field paths like `ssh.port` or `destinationIds.0`, for forms to put the message under the right field. */
function describeIssues(error) {
	const issues = error.issues.slice(0, MAX_ISSUES).map((i) => ({
		path: i.path.map(String).join("."),
		message: issueMessage(i)
	}));
	const more = error.issues.length - issues.length;
	return {
		message: `Invalid input: ${issues.map((i) => i.path ? `${i.path}: ${i.message}` : i.message).join("; ")}${more > 0 ? ` (and ${more} more problems)` : ""}`,
		issues
	};
}
/**
* The one way into the core from any host: the channel must exist, the input must pass its
* schema before the handler runs, and whatever happens comes back as a Result, never a throw.
*/
async function dispatch(handlers, log, channel, rawInput) {
	if (!isInvokeChannel(channel)) {
		const what = typeof channel === "string" ? `Unknown channel ${quoteInput(channel)}.` : `A channel is a name like "sources:list", not a ${channel === null ? "null" : typeof channel}.`;
		return fail$1({
			code: "UNKNOWN_CHANNEL",
			message: what
		});
	}
	const parsed = inputSchemas[channel].safeParse(rawInput === void 0 ? {} : rawInput);
	if (!parsed.success) {
		const { message, issues } = describeIssues(parsed.error);
		return fail$1({
			code: "VALIDATION_FAILED",
			message,
			details: {
				field: issues[0]?.path ?? "",
				issues
			}
		});
	}
	try {
		const handler = handlers[channel];
		return ok(await handler(parsed.data));
	} catch (error) {
		const payload = toErrorPayload(error);
		if (payload.code === "INTERNAL") log.error("handler failed", {
			channel,
			error: error instanceof Error ? error.stack : String(error)
		});
		return fail$1(payload);
	}
}
// src/main/core/events.ts
/** Typed pub/sub for the contract's pushed events; every host forwards these to its windows. */
var CoreEvents = class {
	#emitter = new EventEmitter();
	emit(event, payload) {
		this.#emitter.emit(event, payload);
	}
	on(event, listener) {
		this.#emitter.on(event, listener);
		return () => this.#emitter.off(event, listener);
	}
	/** Whether anyone listens: a test notification says whether a desktop app will show it. */
	listenerCount(event) {
		return this.#emitter.listenerCount(event);
	}
	/** Every event, for bridges that forward them all. */
	onAny(listener, channels) {
		const offs = channels.map((c) => this.on(c, (p) => listener(c, p)));
		return () => offs.forEach((off) => off());
	}
};
// src/main/core/backups/backup-id.ts
/**
* A backup's id, derived from where it is: the same destination and object key give the same id
* in every listing and every process sharing the data dir, with nothing stored. Shaped as a
* UUID (version 8, RFC 9562's "custom" layout) so it passes where ids are taken.
*/
function backupIdOf(destinationId, key) {
	const hex = createHash("sha256").update(`vaultdesk-backup\n${destinationId}\n${key}`).digest("hex");
	const variant = (parseInt(hex[16], 16) & 3 | 8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
// src/main/core/backups/pin-markers.ts
/**
* A pin kept at the destination, beside the backup: an object named for the backup's key and the
* pin's end (`KEY.vaultdesk-pin`, or `KEY.vaultdesk-pin-until-20270101T000000Z`), so a listing
* alone says which backups are pinned and until when, with nothing read. Every install that
* shares the destination (another workstation, a daemon, a fresh data dir) sees it, and its
* retention and delete honour it; the data dir keeps its own record of the pin too.
*/
var MARKER = ".vaultdesk-pin";
var MARKER_KEY = /^(.+)\.vaultdesk-pin(?:-until-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z)?$/;
function isPinMarkerKey(key) {
	return MARKER_KEY.test(key);
}
function parsePinMarker(marker) {
	const m = MARKER_KEY.exec(marker);
	if (!m) return null;
	const until = m[2] ? `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}.000Z` : null;
	return {
		marker,
		key: m[1],
		until
	};
}
function pinMarkerKey(key, until) {
	if (until === null) return `${key}${MARKER}`;
	return `${key}${MARKER}-until-${(/* @__PURE__ */ new Date(Math.ceil(Date.parse(until) / 1e3) * 1e3)).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
}
/** The pin the markers make now: the furthest end among those that have not passed; null when none holds. */
function pinOf(markers, now) {
	const holding = markers.filter((m) => m.until === null || Date.parse(m.until) > now.getTime());
	if (holding.length === 0) return null;
	if (holding.some((m) => m.until === null)) return { until: null };
	return { until: holding.map((m) => m.until).sort().at(-1) };
}
/** The pin markers of the backups among `listed`, by backup key. */
function pinMarkersIn(listed) {
	const found = /* @__PURE__ */ new Map();
	for (const o of listed) {
		const m = parsePinMarker(o.key);
		if (m) found.set(m.key, [...found.get(m.key) ?? [], m]);
	}
	return found;
}
/** The pin markers of one backup, listed now at its destination. */
async function pinMarkersOf(driver, key) {
	return pinMarkersIn(await driver.list(`${key}${MARKER}`)).get(key) ?? [];
}
/**
* Pins `key` at the destination: the marker of this pin is written, then those of earlier pins of
* it removed, so the backup is pinned all along. `note`: the marker's text, for a person browsing
* the destination.
*/
async function writePinMarker(driver, key, until, note) {
	const marker = pinMarkerKey(key, until);
	const before = await pinMarkersOf(driver, key);
	if (!before.some((m) => m.marker === marker)) await driver.put(marker, Readable.from([Buffer.from(`${note}\n`)]));
	for (const m of before) if (m.marker !== marker) await driver.delete(m.marker);
}
/** The marker's text: who pinned the backup, when, and until when, for a person browsing the destination. */
function pinNote(key, until, at) {
	let who;
	try {
		who = `${userInfo().username}@${hostname()}`;
	} catch {
		who = hostname();
	}
	const end = until === null ? "until it is unpinned" : `until ${until}`;
	return `${key} was pinned with Vaultdesk by ${who} at ${at.toISOString()}: retention and delete keep it ${end}, in every Vaultdesk that uses this destination. Unpin it with vaultdesk backup unpin (or the Backups page), not by removing this file.`;
}
/** Removes every pin marker of `key` (an unpin, or a backup deleted once its pins have passed). */
async function removePinMarkers(driver, key, markers) {
	for (const m of markers ?? await pinMarkersOf(driver, key)) await driver.delete(m.marker);
}
// src/main/core/backups/delete-backup.ts
/** Retention's way in: a backup of the run history, by its record's id. */
async function deleteBackup(deps, backupId, options = {}) {
	const backup = deps.backups.get(backupId);
	await deleteBackupAt(deps, backup.destinationId, backup.key, options);
	return backup;
}
/**
* Deletes one stored backup, by where it is: the one path for retention and for deleting a
* backup by hand, whether or not this data dir's run history knows it (the explorer finds
* backups of other installs and deleted jobs too). The manifest goes first, because it is the
* commit marker: a delete cut off halfway leaves an object without a manifest, which is no
* backup (and destination cleanup removes it), never a manifest promising an object that is
* gone. Then the object, then the record and what is kept about it. A pinned backup, or one on a
* locked destination, is refused and nothing is touched. `driver` lets a caller that deletes
* several backups at one destination reuse its connection; it is not closed here.
*/
async function deleteBackupAt(deps, destinationId, key, options = {}) {
	const destination = deps.destinations.get(destinationId);
	if (deps.backupState.get(destinationId, key).pinned) throw new AppError("BACKUP_PINNED", `Backup ${key} on destination "${destination.name}" is pinned, so it is kept. Unpin it first to delete it.`, {
		key,
		destination: destination.name
	});
	const reading = deps.restores.readingBackup(backupIdOf(destinationId, key));
	if (reading) throw new AppError("IN_USE", `Backup ${key} on destination "${destination.name}" is being read by a ${reading.kind} now (${reading.kind} ${reading.id}, by ${reading.requestedBy}), so it is kept: delete it once that has ended.`, {
		key,
		destination: destination.name,
		restoreId: reading.id
	});
	if (destination.locked) throw new AppError("DESTINATION_LOCKED", `Destination "${destination.name}" is locked, so nothing on it is deleted. Unlock it to delete backup ${key}.`, {
		key,
		destination: destination.name
	});
	const driver = options.driver ?? createDestinationDriver(destination, deps.destinations.secrets(destination.id), {
		log: deps.log,
		onHostKeyPinned: (fp) => deps.destinations.pinHostKey(destination.id, fp)
	});
	try {
		const markers = await pinMarkersOf(driver, key);
		const held = pinOf(markers, deps.now());
		if (held) {
			const end = held.until === null ? "until it is unpinned" : `until ${localMinuteWords(held.until)}`;
			throw new AppError("BACKUP_PINNED", `Backup ${key} on destination "${destination.name}" is pinned at the destination ${end} (by this or another Vaultdesk that uses it), so it is kept. Unpin it first to delete it.`, {
				key,
				destination: destination.name
			});
		}
		await driver.delete(manifestKey(key));
		await driver.delete(key);
		await removePinMarkers(driver, key, markers);
	} finally {
		if (!options.driver) await driver.close().catch(() => void 0);
	}
	deps.backups.deleteAt(destinationId, key);
	deps.backupState.forget(destinationId, key);
}
// src/main/core/backups/describe-backup.ts
var capital = (s) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
/** An entry of a destination as the explorer answers it: the manifest's facts, the run history's, and what is kept about it here. */
function describeBackup(entry, ctx) {
	const { destination } = ctx;
	const state = ctx.stateOf(entry.key);
	const reading = entry.manifest?.reading;
	const manifest = reading?.ok ? reading.manifest : null;
	const object = entry.object;
	let status = "complete";
	let problem = null;
	if (!entry.manifest) {
		status = "incomplete";
		problem = "No manifest beside it, so it is not a complete backup: an upload that never finished, or a file Vaultdesk did not write.";
	} else if (!reading.ok) {
		status = "unreadable";
		problem = `${capital(reading.problem)}${object ? "" : "; its object is missing too"}.`;
	} else if (!object) {
		status = "broken";
		problem = `Its object is missing: the manifest describes ${formatBytes(manifest.object.size)} that are not at the destination (removed by hand, or by another tool).`;
	} else if (object.size !== manifest.object.size) {
		status = "broken";
		problem = `Its object is ${object.size} bytes but its manifest says ${manifest.object.size}: it was cut short or changed after it was stored.`;
	}
	const createdAt = manifest ? new Date(manifest.createdAt).toISOString() : (object ?? entry.manifest.stored).modifiedAt.toISOString();
	const complete = status === "complete";
	return {
		id: entry.id,
		status,
		complete,
		problem,
		destinationId: destination.id,
		destination: destination.name,
		destinationKind: destination.kind,
		key: entry.key,
		location: locationOf(destination, entry.key),
		job: manifest?.job.name ?? null,
		jobId: manifest?.job.id ?? null,
		source: manifest?.source.name ?? null,
		engine: manifest?.source.engine ?? null,
		database: manifest?.source.database ?? null,
		kind: manifest?.source.kind ?? null,
		createdAt,
		size: object?.size ?? manifest?.object.size ?? 0,
		sha256: manifest?.object.sha256 ?? null,
		dumpBytes: manifest?.dump.bytes ?? null,
		format: manifest?.dump.format ?? null,
		compression: manifest ? {
			algorithm: manifest.compression.algorithm,
			level: manifest.compression.level
		} : null,
		encryption: manifest ? encryptionOf$1(manifest, ctx) : null,
		appVersion: manifest?.app.version ?? null,
		serverVersion: manifest?.source.serverVersion ?? null,
		locale: manifest?.source.locale ? localeInWords(manifest.source.locale) : manifest?.source.charset ? charsetInWords(manifest.source.charset) : null,
		holds: manifest?.source.objects ? backupObjectWords(manifest.source.objects) : null,
		runId: manifest?.runId ?? null,
		trigger: manifest ? ctx.triggerOf(manifest.runId) : null,
		...pinnedBy(state, pinOf(entry.pins, ctx.now)),
		lastVerified: state?.lastVerified && (status === "complete" || !state.lastVerified.ok) ? state.lastVerified : null,
		lastDrill: state?.lastDrill ?? null
	};
}
function encryptionOf$1(manifest, ctx) {
	const e = manifest.encryption;
	if (e.kind === "age") return {
		kind: "age",
		recipients: e.recipients.map((r) => ({
			recipient: r.recipient,
			fingerprint: r.fingerprint,
			profile: ctx.profileOf(r.fingerprint)
		}))
	};
	return { kind: e.kind };
}
/** Pinned here (the data dir's record), at the destination (a marker, whichever install wrote it), or both: the later end holds. */
function pinnedBy(state, marked) {
	const ends = [...state?.pinned ? [state.pinnedUntil] : [], ...marked ? [marked.until] : []];
	if (ends.length === 0) return {
		pinned: false,
		pinnedUntil: null
	};
	if (ends.includes(null)) return {
		pinned: true,
		pinnedUntil: null
	};
	return {
		pinned: true,
		pinnedUntil: ends.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1)
	};
}
// src/main/core/pipeline/manifest-schema.ts
/**
* Manifests are read back from storage Vaultdesk does not control (a bucket others write to, a
* folder restored from tape), so nothing in one is trusted before it passed this schema. Objects
* are not strict: a later Vaultdesk may add fields without raising the format version.
*/
var text = (max) => z.string().max(max);
var count = z.number().int().nonnegative();
var backupManifestSchema = z.object({
	formatVersion: z.literal(1),
	app: z.object({
		name: z.literal("vaultdesk"),
		version: text(100)
	}),
	runId: text(100),
	createdAt: z.iso.datetime({ offset: true }),
	job: z.object({
		id: text(100),
		name: text(200)
	}),
	source: z.object({
		name: text(200),
		engine: z.enum([
			"postgres",
			"mysql",
			"sqlite"
		]),
		serverVersion: text(500).nullable(),
		database: text(1e3),
		kind: z.enum(["database", "globals"]),
		locale: z.object({
			encoding: text(100),
			collate: text(500),
			ctype: text(500),
			provider: text(100),
			icuLocale: text(500).nullable()
		}).optional(),
		charset: z.object({
			characterSet: text(64),
			collation: text(64)
		}).optional(),
		objects: z.object({
			views: count,
			triggers: count,
			routines: count,
			events: count
		}).optional(),
		properties: z.object({
			owner: text(200),
			acl: z.array(z.object({
				grantee: text(200).nullable(),
				privilege: text(50),
				grantable: z.boolean()
			})).max(1e3).nullable(),
			connectionLimit: z.number().int(),
			comment: text(65536).nullable(),
			settings: z.array(z.object({
				role: text(200).nullable(),
				config: z.array(text(8192)).max(1e3)
			})).max(1e3)
		}).optional()
	}),
	dump: z.object({
		format: z.enum([
			"custom",
			"plain",
			"sqlite"
		]),
		tool: text(100),
		bytes: z.number().int().nonnegative()
	}),
	compression: z.object({
		algorithm: z.enum([
			"zstd",
			"gzip",
			"none"
		]),
		level: z.number().int().nullable()
	}),
	encryption: z.discriminatedUnion("kind", [
		z.object({ kind: z.literal("none") }),
		z.object({
			kind: z.literal("age"),
			recipients: z.array(z.object({
				recipient: text(1e3),
				fingerprint: text(64)
			})).min(1).max(1e3)
		}),
		z.object({
			kind: z.literal("7z"),
			headersEncrypted: z.literal(true)
		})
	]),
	object: z.object({
		key: text(1024),
		size: z.number().int().nonnegative(),
		sha256: z.string().regex(/^[0-9a-f]{64}$/)
	})
});
/** Larger than any manifest Vaultdesk writes by far; a bigger file is not one of ours, and is not read whole. */
var MAX_MANIFEST_BYTES = 262144;
/**
* The manifest in `text`, or why it cannot be used, in words that name no library: damaged JSON,
* a format version this Vaultdesk does not read, or the first field that is wrong.
*/
function readManifestText(text) {
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		return {
			ok: false,
			problem: "its manifest is damaged: it is not valid JSON"
		};
	}
	if (typeof value !== "object" || value === null || Array.isArray(value)) return {
		ok: false,
		problem: "its manifest is not a Vaultdesk manifest (not a JSON object)"
	};
	const version = value.formatVersion;
	if (typeof version === "number" && version !== 1) return {
		ok: false,
		problem: version > 1 ? `its manifest has format version ${version}, written by a newer Vaultdesk; this one reads version 1: update Vaultdesk to use it` : `its manifest has format version ${version}, which no Vaultdesk wrote`
	};
	const parsed = backupManifestSchema.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return {
			ok: false,
			problem: `its manifest is not a valid Vaultdesk manifest (${issue.path.length > 0 ? issue.path.map(String).join(".") : "the manifest"}: ${describeIssue(issue)})`
		};
	}
	return {
		ok: true,
		manifest: parsed.data
	};
}
function describeIssue(issue) {
	switch (issue.code) {
		case "invalid_type": return `expected ${issue.expected}`;
		case "invalid_value": return `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
		case "too_big": return "too long";
		case "too_small": return "too short or negative";
		case "invalid_format": return issue.format === "regex" ? "not in the expected form" : `not a valid ${issue.format}`;
		default: return "not valid";
	}
}
/** One manifest is a few kilobytes: a read that takes this long is a destination that stopped answering. */
var MANIFEST_READ_MS = 6e4;
/** After these, reading the other manifests of the destination would fail the same way: the destination's listing fails. */
var DESTINATION_WIDE$1 = /* @__PURE__ */ new Set([
	"DESTINATION_UNREACHABLE",
	"DESTINATION_AUTH_FAILED",
	"HOST_KEY_CHANGED",
	"CANCELLED"
]);
/** What a destination's root is now: a destination moved elsewhere must not be read from the old place's cache. */
function rootOf(dto) {
	return locationOf(dto, "");
}
/**
* Lists a destination and pairs every manifest with the object beside it. Objects are only
* listed, never read; manifests are read (at most MANIFEST_READS_AT_ONCE at a time) unless the
* cache holds the same file (same size, time and ETag) read from the same root. What was read is
* cached and what is gone is dropped from the cache.
*/
async function scanDestination(driver, dto, state) {
	const listed = await driver.list("");
	const root = rootOf(dto);
	const cache = state.cachedManifests(dto.id);
	const objects = /* @__PURE__ */ new Map();
	const manifests = /* @__PURE__ */ new Map();
	const pins = pinMarkersIn(listed);
	for (const o of listed) if (isManifestKey(o.key)) manifests.set(o.key.slice(0, -MANIFEST_SUFFIX.length), o);
	else if (!isPinMarkerKey(o.key)) objects.set(o.key, o);
	const readings = /* @__PURE__ */ new Map();
	const toRead = [];
	for (const [key, stored] of manifests) {
		const cached = cache.get(key);
		if (cached && sameFile(cached, stored, root)) readings.set(key, {
			stored,
			text: cached.body,
			reading: readManifestText(cached.body)
		});
		else if (stored.size > 262144) readings.set(key, {
			stored,
			text: null,
			reading: tooLarge(stored.size)
		});
		else toRead.push([key, stored]);
	}
	const fresh = [];
	await eachLimited(toRead, 8, async ([key, stored]) => {
		try {
			const text = await readSmallObject(driver, manifestKey(key), MAX_MANIFEST_BYTES);
			readings.set(key, {
				stored,
				text,
				reading: readManifestText(text)
			});
			fresh.push({
				key,
				backupId: backupIdOf(dto.id, key),
				root,
				size: stored.size,
				modifiedAt: stored.modifiedAt.toISOString(),
				etag: stored.etag ?? null,
				body: text
			});
		} catch (error) {
			if (!(error instanceof AppError) || DESTINATION_WIDE$1.has(error.code)) throw error;
			if (error.code === "OBJECT_NOT_FOUND") return;
			readings.set(key, {
				stored,
				text: null,
				reading: {
					ok: false,
					problem: `its manifest could not be read: ${error.message}`
				}
			});
		}
	});
	state.updateManifests(dto.id, fresh, [...cache.keys()].filter((key) => !manifests.has(key)));
	return [.../* @__PURE__ */ new Set([...objects.keys(), ...readings.keys()])].map((key) => ({
		id: backupIdOf(dto.id, key),
		key,
		object: objects.get(key) ?? null,
		manifest: readings.get(key) ?? null,
		pins: pins.get(key) ?? []
	}));
}
/** Every backup id at a destination, from its listing alone: finding where an id points reads no manifest and writes nothing. */
async function listIds(driver, dto) {
	const ids = /* @__PURE__ */ new Map();
	for (const o of await driver.list("")) {
		if (isPinMarkerKey(o.key)) continue;
		const key = isManifestKey(o.key) ? o.key.slice(0, -MANIFEST_SUFFIX.length) : o.key;
		ids.set(backupIdOf(dto.id, key), key);
	}
	return ids;
}
/** One key, looked at now (no cache): for show, verify, download and the like. */
async function examineKey(driver, dto, key) {
	const [object, manifestStored, pins] = await Promise.all([
		driver.stat(key),
		driver.stat(manifestKey(key)),
		pinMarkersOf(driver, key)
	]);
	let manifest = null;
	if (manifestStored) {
		if (manifestStored.size > 262144) manifest = {
			stored: manifestStored,
			text: null,
			reading: tooLarge(manifestStored.size)
		};
		else try {
			const text = await readSmallObject(driver, manifestKey(key), MAX_MANIFEST_BYTES);
			manifest = {
				stored: manifestStored,
				text,
				reading: readManifestText(text)
			};
		} catch (error) {
			if (!(error instanceof AppError) || DESTINATION_WIDE$1.has(error.code)) throw error;
			if (error.code !== "OBJECT_NOT_FOUND") manifest = {
				stored: manifestStored,
				text: null,
				reading: {
					ok: false,
					problem: `its manifest could not be read: ${error.message}`
				}
			};
		}
	}
	if (!object && !manifest) return null;
	return {
		id: backupIdOf(dto.id, key),
		key,
		object,
		manifest,
		pins
	};
}
function sameFile(cached, stored, root) {
	return cached.root === root && cached.size === stored.size && cached.modifiedAt === stored.modifiedAt.toISOString() && cached.etag === (stored.etag ?? null);
}
function tooLarge(size) {
	return {
		ok: false,
		problem: `its manifest is ${formatBytes(size)}, far more than a Vaultdesk manifest: it is not one, and was not read`
	};
}
/** The whole object as text, refusing one larger than `max` bytes (it is not read past that). */
async function readSmallObject(driver, key, max) {
	const controller = new AbortController();
	let stream = null;
	const read = async () => {
		stream = await driver.get(key, { signal: controller.signal });
		const chunks = [];
		let size = 0;
		for await (const chunk of stream) {
			size += chunk.length;
			if (size > max) throw new AppError("VALIDATION_FAILED", `${key} is larger than ${formatBytes(max)}, so it is not a Vaultdesk manifest.`, { key });
			chunks.push(chunk);
		}
		return Buffer.concat(chunks).toString("utf8");
	};
	try {
		return await withDeadline(read(), MANIFEST_READ_MS, () => new AppError("DESTINATION_UNREACHABLE", `Reading ${key} took longer than ${formatDuration(MANIFEST_READ_MS)}: the destination stopped answering.`, { key }));
	} finally {
		controller.abort();
		stream?.destroy();
	}
}
/** Runs `work` over `items`, at most `limit` at a time; the first failure stops the rest from starting and is thrown once the running ones settled. */
async function eachLimited(items, limit, work) {
	let next = 0;
	let failure = null;
	const lane = async () => {
		while (failure === null && next < items.length) {
			const item = items[next++];
			try {
				await work(item);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
	if (failure) throw failure.error;
}
// src/main/core/backups/backup-explorer.ts
/**
* How long a destination's listing is reused by the next page: paging through 10,000 backups
* must not list the bucket again per page. Pins and verifications are read fresh every time;
* `refresh` and anything done through the explorer (delete) drop it.
*/
var SNAPSHOT_MS = 15e3;
/**
* The storage explorer: backups as the destinations hold them (see scanDestination), whoever
* made them, with what this data dir knows added (run trigger, pins, last verification).
*/
var BackupExplorer = class {
	deps;
	#snapshots = /* @__PURE__ */ new Map();
	constructor(deps) {
		this.deps = deps;
	}
	async list(filter) {
		const { deps } = this;
		if (filter.from && filter.to && Date.parse(filter.from) >= Date.parse(filter.to)) throw new AppError("VALIDATION_FAILED", `The time range is empty: "from" (${filter.from}) must be before "to" (${filter.to}).`, { field: "from" });
		const destinations = filter.destinationId ? [deps.destinations.get(filter.destinationId)] : deps.destinations.list();
		const problems = [];
		const found = [];
		const profileOf = this.#profileLookup();
		await Promise.all(destinations.map(async (destination) => {
			try {
				const entries = await this.#entries(destination, filter.refresh);
				const ctx = this.#context(destination, profileOf);
				for (const entry of entries) found.push(describeBackup(entry, ctx));
			} catch (error) {
				if (!(error instanceof AppError)) deps.log.warn("listing a destination failed unexpectedly", {
					destination: destination.name,
					error: String(error)
				});
				const e = error instanceof AppError ? error : new AppError("INTERNAL", `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
				problems.push({
					destinationId: destination.id,
					destination: destination.name,
					code: e.code,
					message: e.message
				});
			}
		}));
		const matching = found.filter(matches(filter)).sort(newestFirst);
		return {
			backups: matching.slice(filter.offset, filter.offset + filter.limit),
			total: matching.length,
			offset: filter.offset,
			limit: filter.limit,
			problems: problems.sort((a, b) => a.destination.localeCompare(b.destination))
		};
	}
	/** One backup, looked at now at its destination. */
	async get(id) {
		return this.open(id, async (located) => located.backup);
	}
	/** Finds the backup, opens its destination and looks at its object and manifest now; the driver is closed when `use` settles. */
	async open(id, use) {
		return this.openMany([id], (located) => use(located[0]));
	}
	/**
	* `open` for several backups of one destination (the databases of one run), through one
	* driver: an SFTP destination is connected to once, not once per backup.
	*/
	async openMany(ids, use) {
		const places = await Promise.all(ids.map(async (id) => ({
			id,
			...await this.#locate(id)
		})));
		const destination = places[0]?.destination;
		if (!destination) return use([]);
		const elsewhere = places.find((p) => p.destination.id !== destination.id);
		if (elsewhere) throw new AppError("VALIDATION_FAILED", `Backup ${elsewhere.id} is at destination "${elsewhere.destination.name}", not "${destination.name}": these backups are opened together only from one destination.`);
		const driver = this.#driver(destination);
		try {
			const ctx = this.#context(destination, this.#profileLookup());
			const located = [];
			for (const { id, key } of places) {
				const entry = await examineKey(driver, destination, key);
				if (!entry) {
					this.#snapshots.delete(destination.id);
					throw new AppError("NOT_FOUND", `Backup ${id} (${key}) is no longer at destination "${destination.name}": it was deleted.`, {
						id,
						key,
						destination: destination.name
					});
				}
				located.push({
					destination,
					driver,
					entry,
					backup: describeBackup(entry, ctx)
				});
			}
			return await use(located);
		} finally {
			await driver.close().catch(() => void 0);
		}
	}
	/** Pins a complete backup: retention keeps it, and delete refuses it, until it is unpinned or `until` has passed. */
	async pin(id, until) {
		if (until !== null && Date.parse(until) <= this.deps.now().getTime()) throw new AppError("VALIDATION_FAILED", `A pin must end in the future: ${localMinuteWords(until)} has passed.`, {
			field: "until",
			until
		});
		return this.open(id, async ({ destination, driver, entry, backup }) => {
			if (!backup.complete) throw notABackup(backup, "pinned");
			const end = until === null ? null : new Date(until).toISOString();
			await writePinMarker(driver, entry.key, end, pinNote(entry.key, end, this.deps.now()));
			this.deps.backupState.setPinned(destination.id, entry.key, true, end);
			this.#snapshots.delete(destination.id);
			return this.redescribe(destination, {
				...entry,
				pins: await pinMarkersOf(driver, entry.key)
			});
		});
	}
	async unpin(id) {
		return this.open(id, async ({ destination, driver, entry }) => {
			await removePinMarkers(driver, entry.key, entry.pins);
			this.deps.backupState.setPinned(destination.id, entry.key, false);
			this.#snapshots.delete(destination.id);
			return this.redescribe(destination, {
				...entry,
				pins: []
			});
		});
	}
	/** S3: a GET URL for the object, through the destination's public endpoint when it has one. */
	async url(id, expiresInSeconds) {
		return this.open(id, async ({ destination, driver, entry, backup }) => {
			if (destination.kind !== "s3" || !driver.presign) {
				const what = destination.kind === "local" ? "a local folder" : "an SFTP server";
				throw new AppError("VALIDATION_FAILED", `Destination "${destination.name}" is ${what}: download links exist for S3 destinations only. Use vaultdesk backup download ${id} -o PATH instead.`, { field: "id" });
			}
			if (!entry.object) throw new AppError("OBJECT_NOT_FOUND", `Backup ${backup.key} on destination "${destination.name}" has no object to link to: ${backup.problem ?? "it is missing"}`, { key: backup.key });
			return {
				url: await driver.presign(entry.key, expiresInSeconds),
				expiresAt: new Date(this.deps.now().getTime() + expiresInSeconds * 1e3).toISOString()
			};
		});
	}
	/** Deletes the manifest first, then the object (see deleteBackupAt); pinned backups and locked destinations are refused. */
	async delete(id) {
		await this.open(id, async ({ destination, driver, entry }) => {
			try {
				await deleteBackupAt(this.deps, destination.id, entry.key, { driver });
			} finally {
				this.#snapshots.delete(destination.id);
			}
		});
		return { id };
	}
	/** Looked at again after a change kept here (a pin, a verification), without reading the destination again. */
	redescribe(destination, entry) {
		return describeBackup(entry, this.#context(destination, this.#profileLookup()));
	}
	async #entries(destination, refresh) {
		const root = rootOf(destination);
		const snapshot = this.#snapshots.get(destination.id);
		if (!refresh && snapshot && snapshot.root === root && Date.now() - snapshot.at < SNAPSHOT_MS) return snapshot.entries;
		const entries = await this.#withDriver(destination, (driver) => scanDestination(driver, destination, this.deps.backupState));
		this.#snapshots.set(destination.id, {
			root,
			at: Date.now(),
			entries
		});
		return entries;
	}
	/**
	* Where an id points: the run history, then manifests listed before, then (an object without
	* a manifest, or a backup never listed in this data dir) every destination's listing.
	*/
	async #locate(id) {
		const { deps } = this;
		const known = deps.backups.find(id) ?? deps.backupState.locate(id);
		if (known) return {
			destination: deps.destinations.get(known.destinationId),
			key: known.key
		};
		const unreadable = [];
		for (const destination of deps.destinations.list()) {
			const snapshot = this.#snapshots.get(destination.id);
			const cached = snapshot?.root === rootOf(destination) ? snapshot.entries.find((e) => e.id === id) : void 0;
			if (cached) return {
				destination,
				key: cached.key
			};
			try {
				const key = (await this.#withDriver(destination, (driver) => listIds(driver, destination))).get(id);
				if (key !== void 0) return {
					destination,
					key
				};
			} catch (error) {
				if (!(error instanceof AppError)) throw error;
				unreadable.push(`"${destination.name}" (${error.message})`);
			}
		}
		const unsure = unreadable.length > 0 ? ` These destinations could not be read, so it may be on one of them: ${unreadable.join("; ")}` : "";
		throw new AppError("NOT_FOUND", `No backup with the id ${id} at any destination (vaultdesk backup list shows them).${unsure}`, { id });
	}
	#context(destination, profileOf) {
		const states = this.deps.backupState.allAt(destination.id);
		const triggers = /* @__PURE__ */ new Map();
		return {
			destination,
			stateOf: (key) => states.get(key),
			triggerOf: (runId) => {
				if (!triggers.has(runId)) triggers.set(runId, this.deps.runs.triggerOf(runId));
				return triggers.get(runId);
			},
			profileOf,
			now: this.deps.now()
		};
	}
	/** Profiles whose identity this data dir holds, by their recipient's fingerprint. */
	#profileLookup() {
		const byFingerprint = /* @__PURE__ */ new Map();
		for (const p of this.deps.profiles.list()) if (p.kind === "age" && p.recipient && p.hasSecret) byFingerprint.set(recipientFingerprint(p.recipient), p.name);
		return (fingerprint) => byFingerprint.get(fingerprint) ?? null;
	}
	/** A destination of this data dir, by id. */
	destinationOf(id) {
		return this.deps.destinations.get(id);
	}
	/** A driver for the destination, with its secrets; the caller closes it. */
	openDriver(destination) {
		return this.#driver(destination);
	}
	#driver(destination) {
		const { deps } = this;
		return createDestinationDriver(destination, deps.destinations.secrets(destination.id), {
			log: deps.log,
			onHostKeyPinned: (fp) => deps.destinations.pinHostKey(destination.id, fp)
		});
	}
	async #withDriver(destination, use) {
		const driver = this.#driver(destination);
		try {
			return await use(driver);
		} finally {
			await driver.close().catch(() => void 0);
		}
	}
};
/** Refuses an action that only makes sense for a complete backup. */
function notABackup(backup, action) {
	return new AppError("VALIDATION_FAILED", `${backup.key} on destination "${backup.destination}" cannot be ${action}: ${backup.problem ? `${backup.problem.charAt(0).toLowerCase()}${backup.problem.slice(1)}` : "it is not a complete backup."}`, {
		field: "id",
		status: backup.status
	});
}
var fold = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
function matches(filter) {
	const from = filter.from ? Date.parse(filter.from) : null;
	const to = filter.to ? Date.parse(filter.to) : null;
	const job = filter.job ? fold(filter.job) : null;
	const part = filter.databaseContains ? fold(filter.databaseContains) : null;
	return (b) => {
		if (job !== null && !(b.jobId === filter.job || b.job !== null && fold(b.job) === job)) return false;
		if (filter.database !== void 0 && b.database !== filter.database) return false;
		if (part !== null && (b.database === null || !fold(b.database).includes(part))) return false;
		if (filter.runId !== void 0 && b.runId !== filter.runId) return false;
		if (filter.status !== void 0 && b.status !== filter.status) return false;
		const at = Date.parse(b.createdAt);
		if (from !== null && at < from) return false;
		if (to !== null && at >= to) return false;
		return true;
	};
}
function newestFirst(a, b) {
	if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
	if (a.destination !== b.destination) return a.destination < b.destination ? -1 : 1;
	return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
// src/main/core/backups/download-backup.ts
/**
* A local copy of a complete backup, with its manifest beside it (so `vaultdesk decrypt` checks
* it): the object is streamed to a hidden temporary name in the target folder, its size and
* sha256 checked against the manifest, and only then renamed into place, manifest last. Any
* failure removes what was written; an existing file is never replaced. `target` may be a
* folder, or end with a separator (`copies/`), a folder made when missing: the copy then keeps the
* object's own name.
*/
async function downloadBackup(explorer, id, target) {
	return explorer.open(id, async ({ destination, driver, entry, backup }) => {
		const text = entry.manifest?.text;
		if (!backup.complete || !entry.manifest?.reading.ok || text == null) throw notABackup(backup, "downloaded");
		const manifest = entry.manifest.reading.manifest;
		const output = namesFolder(target) || await isFolder(target) ? path.join(target, path.posix.basename(entry.key)) : target;
		const manifestOutput = `${output}${MANIFEST_SUFFIX}`;
		for (const file of [output, manifestOutput]) refuseExisting(file, "downloaded");
		const folder = path.dirname(output);
		const writeFailure = (error) => fsAppError(error, "FILE_WRITE_FAILED", `Could not write the copy of ${entry.key} to ${output}`, {
			path: output,
			device: folder
		});
		await ensureFolder(folder).catch((error) => Promise.reject(error instanceof AppError ? error : writeFailure(error)));
		const stamp = randomUUID().slice(0, 8);
		const partial = path.join(folder, `.${path.basename(output)}.${stamp}.partial`);
		const partialManifest = path.join(folder, `.${path.basename(manifestOutput)}.${stamp}.partial`);
		let placed = false;
		try {
			const meter = new Sha256Meter();
			let writeError = null;
			const sink = createWriteStream(partial, {
				flags: "wx",
				mode: 384,
				flush: true
			}).once("error", (error) => writeError ??= error);
			await pipeline$1(await driver.get(entry.key), meter, sink).catch((error) => {
				throw writeError !== null ? writeFailure(writeError) : error;
			});
			const sha256 = meter.hash.digest("hex");
			if (meter.bytes !== manifest.object.size || sha256 !== manifest.object.sha256) throw new AppError("INTEGRITY_FAILED", `The stored copy of ${entry.key} on destination "${destination.name}" does not match its manifest (${meter.bytes} bytes with sha256 ${sha256}; the manifest says ${manifest.object.size} bytes with sha256 ${manifest.object.sha256}), so nothing was kept. vaultdesk backup verify ${id} records this.`, {
				key: entry.key,
				destination: destination.name
			});
			await writeFile(partialManifest, text, {
				flag: "wx",
				mode: 384,
				flush: true
			}).catch((error) => Promise.reject(writeFailure(error)));
			placeNewOrRefuse(partial, output, "downloaded", writeFailure);
			placed = true;
			placeNewOrRefuse(partialManifest, manifestOutput, "downloaded", writeFailure);
			return {
				path: output,
				manifestPath: manifestOutput,
				size: meter.bytes,
				sha256
			};
		} catch (error) {
			await Promise.all([
				rm(partial, { force: true }),
				rm(partialManifest, { force: true }),
				placed ? rm(output, { force: true }) : void 0
			]).catch(() => void 0);
			throw error;
		}
	});
}
var Sha256Meter = class extends Transform {
	hash = createHash("sha256");
	bytes = 0;
	_transform(chunk, _encoding, callback) {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		callback(null, chunk);
	}
};
async function isFolder(file) {
	try {
		return (await stat(file)).isDirectory();
	} catch {
		return false;
	}
}
// src/main/core/backups/verify-backup.ts
/**
* Reads the stored object back to its end and compares its size and sha256 with the manifest's;
* when a profile of this data dir holds the identity of one of its age recipients, the same bytes
* also go through age decryption, so every chunk of the payload is authenticated (the plaintext
* is thrown away). The verdict is kept with the backup (last verified) and returned; a
* destination that cannot be read is an error, not a verdict, and nothing is kept.
*/
async function verifyBackup(explorer, deps, id) {
	return explorer.open(id, async ({ destination, driver, entry, backup }) => {
		if (backup.status === "incomplete") throw notABackup(backup, "verified");
		const reading = entry.manifest.reading;
		const manifest = reading.ok ? reading.manifest : null;
		let outcome;
		if (!manifest || !entry.object) outcome = {
			ok: false,
			bytesRead: 0,
			sha256: {
				expected: manifest?.object.sha256 ?? "",
				actual: null,
				ok: false
			},
			age: "not-checked",
			message: `${backup.problem ?? ""} Nothing was read.`.trim()
		};
		else {
			const keys = identitiesFor(manifest, deps.profiles);
			const check = keys.identities.length > 0 ? new PayloadCheck((await import("./age-stream-Cy29MaMv.js")).createAgeDecryptStream, keys.identities) : null;
			const hash = createHash("sha256");
			let bytesRead = 0;
			const sink = new Writable({
				highWaterMark: 1048576,
				write(chunk, _encoding, callback) {
					hash.update(chunk);
					bytesRead += chunk.length;
					if (check) check.feed(chunk).then(() => callback(), callback);
					else callback();
				}
			});
			await pipeline$1(await driver.get(entry.key), sink);
			const ageFailure = check ? await check.end() : null;
			const actual = hash.digest("hex");
			const shaOk = actual === manifest.object.sha256 && bytesRead === manifest.object.size;
			const age = manifest.encryption.kind !== "age" ? "not-encrypted" : !check ? "not-checked" : ageFailure ? "failed" : "authenticated";
			outcome = {
				ok: shaOk && age !== "failed",
				bytesRead,
				sha256: {
					expected: manifest.object.sha256,
					actual,
					ok: shaOk
				},
				age,
				message: verdictWords(manifest, bytesRead, actual, shaOk, age, keys, ageFailure)
			};
		}
		const at = deps.now().toISOString();
		deps.backupState.recordVerification(destination.id, entry.key, {
			at,
			ok: outcome.ok,
			message: outcome.message
		});
		return {
			backup: explorer.redescribe(destination, entry),
			at,
			...outcome
		};
	});
}
/** The identities of this data dir's profiles that are recipients of the backup, matched by fingerprint. */
function identitiesFor(manifest, profiles) {
	const found = {
		identities: [],
		profiles: [],
		unusable: []
	};
	if (manifest.encryption.kind !== "age") return found;
	const wanted = new Set(manifest.encryption.recipients.map((r) => r.fingerprint));
	for (const p of profiles.list()) {
		if (p.kind !== "age" || !p.recipient || !p.hasSecret || !wanted.has(recipientFingerprint(p.recipient))) continue;
		try {
			const identity = profiles.secrets(p.id).identity;
			if (identity) {
				found.identities.push(identity);
				found.profiles.push(p.name);
			}
		} catch (error) {
			if (!(error instanceof AppError)) throw error;
			found.unusable.push(`profile "${p.name}": ${error.message}`);
		}
	}
	return found;
}
function verdictWords(manifest, bytesRead, actual, shaOk, age, keys, ageFailure) {
	const expected = manifest.object;
	const parts = [];
	if (shaOk) parts.push(`Read all ${formatBytes(bytesRead)} back: the sha256 matches the manifest.`);
	else if (bytesRead !== expected.size) parts.push(`The stored object is ${bytesRead} bytes but the manifest says ${expected.size}: it was cut short or changed after it was stored.`);
	else parts.push(`The stored bytes do not match the manifest: sha256 ${actual}, expected ${expected.sha256}. The object was changed or damaged after it was stored.`);
	const who = keys.profiles.map((n) => `"${n}"`).join(", ");
	if (age === "authenticated") parts.push(`The whole age payload authenticated with the identity of profile ${who}.`);
	if (age === "failed") parts.push(`The age payload failed authentication with the identity of profile ${who}: ${ageFailure.message}`);
	if (age === "not-checked") {
		const fingerprints = manifest.encryption.kind === "age" ? manifest.encryption.recipients.map((r) => r.fingerprint).join(", ") : "";
		parts.push(keys.unusable.length > 0 ? `The age payload was not authenticated: ${keys.unusable.join("; ")}.` : `The age payload was not authenticated: no encryption profile here holds the identity of its recipients (fingerprints ${fingerprints}).`);
	}
	if (manifest.encryption.kind === "7z") parts.push("It is a 7-Zip archive: its contents were not opened.");
	return parts.join(" ");
}
/**
* Feeds the object's bytes through age decryption and discards the plaintext. A failure is kept
* and the rest of the bytes are no longer fed, so the sha256 beside it still sees them all.
*/
var PayloadCheck = class {
	#decrypt;
	#failure = null;
	#settled;
	constructor(createDecrypt, identities) {
		this.#decrypt = createDecrypt({ identities });
		this.#settled = new Promise((resolve) => {
			this.#decrypt.once("error", (error) => {
				this.#failure ??= error instanceof AppError ? error : new AppError("DECRYPT_FAILED", error.message);
				resolve();
			});
			this.#decrypt.once("end", () => resolve());
		});
		this.#decrypt.resume();
	}
	async feed(chunk) {
		if (this.#failure || this.#decrypt.destroyed) return;
		if (this.#decrypt.write(chunk)) return;
		await Promise.race([new Promise((resolve) => this.#decrypt.once("drain", resolve)), this.#settled]);
	}
	/** The failure, or null once the whole payload, its last chunk included, authenticated. */
	async end() {
		if (!this.#failure && !this.#decrypt.destroyed) this.#decrypt.end();
		await this.#settled;
		return this.#failure;
	}
};
// src/main/core/destinations/destination-check.ts
/** How long `destinations:test` may take before it answers "did not answer" (30 s: longer than every driver's own connect timeout). */
var CONNECTION_TEST_MS = 3e4;
/**
* A destination's connection test that always ends within `deadlineMs`: a folder on a share
* that stopped answering, or a server that accepts the connection and then says nothing, is
* reported as such rather than leaving the caller (a form, `vaultdesk destination test`)
* waiting for good.
*/
async function testDestination(dto, secrets, ctx = {}, deadlineMs = CONNECTION_TEST_MS) {
	const driver = createDestinationDriver(dto, secrets, ctx);
	let late = false;
	try {
		return await withDeadline(driver.test(), deadlineMs, () => {
			late = true;
			return new AppError("TIMEOUT", `The test of destination "${dto.name}" did not finish within ${formatDuration(deadlineMs)}: ${silentParty$1(dto)}`);
		});
	} catch (error) {
		if (late) return {
			success: false,
			message: error.message
		};
		throw error;
	} finally {
		const closing = driver.close().catch(() => void 0);
		if (!late) await closing;
	}
}
function silentParty$1(dto) {
	const config = dto.config;
	switch (config.kind) {
		case "local": return `folder ${config.path} did not answer (a network share or disk that stopped responding?). Check that it is mounted and reachable.`;
		case "s3": return `the S3 endpoint ${endpointLabel(config)} did not answer. Check the endpoint URL, the network, the proxy and the firewall.`;
		case "sftp": return `the SFTP server ${config.user}@${config.host}:${config.port} did not answer. Check the host and port, the firewall, and that the server and its SFTP subsystem are running.`;
	}
}
// src/main/core/ownership/leftover-cleanup.ts
/**
* Removes what runs that did not finish left at their destinations, from what they recorded
* before writing: `.partial` files, multipart uploads, and an object whose manifest was never
* written (no manifest, no backup). A committed manifest means a complete backup: it stays.
* Each run's log says what was done; what could not be reached is retried later.
*/
async function cleanUpLeftovers(deps, entries) {
	const byDestination = /* @__PURE__ */ new Map();
	for (const e of entries) byDestination.set(e.destinationId, [...byDestination.get(e.destinationId) ?? [], e]);
	return (await Promise.all([...byDestination].map(([id, list]) => cleanDestination(deps, id, list)))).reduce((sum, o) => ({
		removed: sum.removed + o.removed,
		failed: sum.failed + o.failed
	}), {
		removed: 0,
		failed: 0
	});
}
async function cleanDestination(deps, destinationId, entries) {
	const done = [];
	let name = destinationId;
	let driver = null;
	try {
		const dto = deps.destinations.get(destinationId);
		name = dto.name;
		driver = createDestinationDriver(dto, deps.destinations.secrets(destinationId), { log: deps.log });
		const open = driver;
		const work = async () => {
			for (const entry of [...entries].sort((a, b) => Number(isManifestKey(a.key)) - Number(isManifestKey(b.key)))) {
				await open.discard(entry.key, { uploadId: entry.uploadId });
				if (!isManifestKey(entry.key) && await open.stat(entry.key) && !await open.stat(manifestKey(entry.key))) await open.delete(entry.key);
				deps.leftovers.removed(entry);
				done.push(entry);
			}
		};
		await withDeadline(work(), deps.deadlineMs, () => new AppError("DESTINATION_UNREACHABLE", `Destination "${name}" did not answer within ${formatDuration(deps.deadlineMs)}.`));
	} catch (error) {
		const message = error instanceof AppError ? error.message : String(error);
		const left = entries.filter((e) => !done.includes(e));
		const when = /* @__PURE__ */ new Map();
		for (const e of left) when.set(e.runId, deps.leftovers.failed(e, message, deps.now()));
		for (const [runId, next] of when) note(deps, runId, "warn", `Could not remove what this run left unfinished on destination "${name}": ${message} Vaultdesk tries again when it next starts after ${next.toISOString()}, or run vaultdesk destination cleanup ${name}.`);
		deps.log.warn("leftover cleanup failed", {
			destination: name,
			error: message
		});
	} finally {
		await driver?.close().catch(() => void 0);
	}
	for (const runId of new Set(done.map((e) => e.runId))) if (!entries.some((e) => e.runId === runId && !done.includes(e))) note(deps, runId, "info", `Removed what this run left unfinished on destination "${name}".`);
	return {
		removed: done.length,
		failed: entries.length - done.length
	};
}
function note(deps, runId, level, message) {
	try {
		deps.runs.appendLog(runId, {
			time: deps.now().toISOString(),
			level,
			message
		});
	} catch {}
}
// src/main/core/ownership/destination-cleanup.ts
/**
* `vaultdesk destination cleanup`: lists and removes what no run accounts for at a destination,
* stray `.partial` files and S3 multipart uploads under its prefix, older than a limit. What a
* running run (of any process) is writing is kept; leftovers recorded by runs that did not
* finish are removed too, whatever their retry schedule.
*/
async function cleanUpDestination(deps, input) {
	const dto = deps.destinations.get(input.id);
	const driver = createDestinationDriver(dto, deps.destinations.secrets(dto.id), { log: deps.log });
	const timeout = () => new AppError("DESTINATION_UNREACHABLE", `Destination "${dto.name}" did not answer within ${formatDuration(deps.deadlineMs)}.`);
	try {
		const found = await withDeadline(driver.listUnfinished(), deps.deadlineMs, timeout);
		const running = new Set(deps.runs.running().map((r) => r.id));
		const inUse = new Map(deps.leftovers.forDestination(dto.id).filter((l) => running.has(l.runId)).map((l) => [l.key, l.runId]));
		const cutoff = deps.now().getTime() - input.olderThanHours * 36e5;
		const items = [];
		for (const upload of found) {
			const item = (action, reason) => ({
				...describe(upload),
				action,
				reason
			});
			const owner = inUse.get(upload.key);
			if (owner) items.push(item("kept", `run ${owner} is writing it`));
			else if (upload.since.getTime() > cutoff) items.push(item("kept", `newer than ${input.olderThanHours} h: it may still be in progress`));
			else if (input.dryRun) items.push(item("would-remove", null));
			else try {
				await withDeadline(driver.discard(upload.key, { uploadId: upload.uploadId }), deps.deadlineMs, timeout);
				items.push(item("removed", null));
			} catch (error) {
				items.push(item("failed", error instanceof AppError ? error.message : String(error)));
			}
		}
		let recordedRemoved = 0;
		if (!input.dryRun) {
			const recorded = deps.leftovers.forDestination(dto.id).filter((l) => !running.has(l.runId));
			if (recorded.length > 0) recordedRemoved = (await cleanUpLeftovers(deps, recorded)).removed;
		}
		return {
			destination: dto.name,
			dryRun: input.dryRun,
			items,
			recordedRemoved
		};
	} finally {
		await driver.close().catch(() => void 0);
	}
}
function describe(u) {
	return {
		key: u.key,
		kind: u.kind,
		uploadId: u.uploadId,
		since: u.since.toISOString(),
		size: u.size
	};
}
// src/main/core/sources/source-check.ts
/** How long `sources:test` and `sources:databases` may take (longer than every driver's own connect timeout). */
var SOURCE_CHECK_MS = 3e4;
/**
* Runs `use` on a fresh driver for `dto`, and fails with TIMEOUT naming what did not answer
* once `deadlineMs` have passed, however the server misbehaves (accepts the connection and
* then says nothing, or answers the login and never the query).
*/
async function checkSource(dto, secrets, ctx, what, use, deadlineMs = SOURCE_CHECK_MS) {
	const driver = createSourceDriver(dto, secrets, ctx);
	let late = false;
	try {
		return await withDeadline(use(driver), deadlineMs, () => {
			late = true;
			return new AppError("TIMEOUT", `${what === "test" ? "The test of" : "Listing the databases of"} source "${dto.name}" did not finish within ${formatDuration(deadlineMs)}: ${silentParty(dto)}`, { source: dto.name });
		});
	} finally {
		const closing = driver.close().catch(() => void 0);
		if (!late) await closing;
	}
}
function silentParty(dto) {
	const product = dto.engine === "postgres" ? "PostgreSQL" : "MySQL/MariaDB";
	if (dto.engine === "sqlite") return `the file ${dto.path ?? ""} could not be read in time (a network share that stopped responding?).`;
	const server = `the ${product} server ${dto.host ?? ""}:${dto.port ?? ""}`;
	if (dto.ssh) return `the SSH server ${dto.ssh.host}:${dto.ssh.port}, or ${server} behind it, did not answer. Check the host names, ports and firewalls on the way.`;
	return `${server} did not answer. Check the host and port, the firewall, and that the server is up and not overloaded.`;
}
// src/main/core/sources/tool-status.ts
/**
* What each tool resolves to on this host, as a run would find it: the path set in Settings, or
* the search (PATH, then the install folders), with the version it reports. A tool that cannot
* be used says why, in the words a run would fail with. All are asked at once.
*/
async function toolStatuses(env, toolPaths) {
	const words = (error) => error instanceof Error ? error.message : String(error);
	const clients = CLIENT_TOOL_NAMES.map(async (tool) => {
		const configured = toolPaths[tool] ?? null;
		let found;
		try {
			found = findTool(tool, {
				env,
				toolPaths
			});
		} catch (error) {
			return {
				tool,
				configured,
				path: null,
				version: null,
				error: words(error)
			};
		}
		try {
			const version = await toolVersion(found, toolEnv(env, {}));
			return {
				tool,
				configured,
				path: found.path,
				version: version.text,
				error: null
			};
		} catch (error) {
			return {
				tool,
				configured,
				path: found.path,
				version: null,
				error: words(error)
			};
		}
	});
	const sevenZip = (async () => {
		const configured = toolPaths["7z"] ?? null;
		try {
			const found = await findSevenZip(env, configured ?? void 0);
			return {
				tool: "7z",
				configured,
				path: found.path,
				version: `7-Zip ${found.version}`,
				error: null
			};
		} catch (error) {
			return {
				tool: "7z",
				configured,
				path: null,
				version: null,
				error: words(error)
			};
		}
	})();
	return Promise.all([...clients, sevenZip]);
}
// src/main/core/scheduler/schedule.ts
/** The time zone a schedule without one is read in. */
function localTimeZone() {
	return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
/**
* Crons by time zone and expression. The scheduler asks for every job's next slot on each tick,
* and building a cron (with the time zone checked) costs more than finding the slot; a paused cron
* keeps no state between questions, so one can be shared. Bounded: the oldest goes first.
*/
var crons = /* @__PURE__ */ new Map();
var CRONS_KEPT = 500;
/**
* The cron for a schedule, never started (the scheduler decides when to run). DST follows
* croner's rules: a time that does not exist (spring forward) runs at the first instant after the
* gap, a time that occurs twice (fall back) runs once, at its first occurrence; schedules by the
* minute or hour run at every real instant that matches.
*/
function cronOf(spec) {
	if (spec.timezone !== null) assertTimeZone(spec.timezone);
	const timezone = spec.timezone ?? localTimeZone();
	const key = `${timezone}\n${spec.schedule}`;
	const known = crons.get(key);
	if (known) return known;
	let cron;
	try {
		cron = new Cron(spec.schedule, {
			paused: true,
			timezone
		});
	} catch {
		throw new AppError("VALIDATION_FAILED", scheduleProblem(spec.schedule), { field: "schedule" });
	}
	if (crons.size >= CRONS_KEPT) crons.delete(crons.keys().next().value);
	crons.set(key, cron);
	return cron;
}
/** Time zone names already found valid: the runtime's list does not change while it runs. */
var knownZones = /* @__PURE__ */ new Set();
/** A time zone name the runtime knows (Europe/Paris, UTC), or VALIDATION_FAILED saying what one is. */
function assertTimeZone(zone) {
	if (knownZones.has(zone)) return;
	try {
		new Intl.DateTimeFormat("en", { timeZone: zone });
	} catch {
		throw new AppError("VALIDATION_FAILED", `"${zone.slice(0, 64)}" is not a time zone (use a name like Europe/Paris, America/New_York or UTC).`, { field: "timezone" });
	}
	if (knownZones.size < CRONS_KEPT) knownZones.add(zone);
}
/** The fields of a five-field cron expression, in order, with the values each takes. */
var FIELDS$1 = [
	{
		name: "minute",
		values: "from 0 to 59"
	},
	{
		name: "hour",
		values: "from 0 to 23"
	},
	{
		name: "day-of-month",
		values: "from 1 to 31"
	},
	{
		name: "month",
		values: "from 1 to 12, or JAN to DEC"
	},
	{
		name: "day-of-week",
		values: "from 0 to 7 (0 and 7 are Sunday), or SUN to SAT"
	}
];
var WHAT_A_SCHEDULE_IS = "A schedule is a cron expression: five fields, minute hour day-of-month month day-of-week, e.g. \"0 2 * * *\" for every day at 02:00, \"30 1 * * 1-5\" for 01:30 on weekdays, \"0 */6 * * *\" every six hours.";
/**
* What is wrong with a cron expression, for someone who may not know cron: which field, and what
* it may hold. Found by trying each field alone, so the words do not depend on croner's own.
*/
function scheduleProblem(schedule) {
	const quoted = `"${schedule.slice(0, 100)}"`;
	const parts = schedule.trim().split(/\s+/).filter(Boolean);
	if (parts.length < 5 || parts.length > 6) return `${quoted} is not a schedule Vaultdesk understands: it has ${parts.length} ${parts.length === 1 ? "part" : "parts"}, and a cron expression has five (six with seconds first). ${WHAT_A_SCHEDULE_IS}`;
	const fields = parts.length === 6 ? [{
		name: "seconds",
		values: "from 0 to 59"
	}, ...FIELDS$1] : FIELDS$1;
	const bad = parts.findIndex((part, i) => {
		const alone = fields.map((_, j) => j === i ? part : "*").join(" ");
		try {
			new Cron(alone, { paused: true });
			return false;
		} catch {
			return true;
		}
	});
	if (bad >= 0) {
		const field = fields[bad];
		return `${quoted} is not a schedule Vaultdesk understands: its ${field.name} field, "${parts[bad].slice(0, 40)}", must be * or values ${field.values}: one (5), a range (1-5), a list (1,15) or a step (*/10). ${WHAT_A_SCHEDULE_IS}`;
	}
	return `${quoted} is not a schedule Vaultdesk understands: its fields do not make a valid cron expression together. ${WHAT_A_SCHEDULE_IS}`;
}
function nextSlots(spec, after, count) {
	return cronOf(spec).nextRuns(count, after);
}
/** The latest slot at or before `at`, or null if the schedule never matched before it. */
function lastSlotAtOrBefore(spec, at) {
	return cronOf(spec).previousRuns(1, new Date(at.getTime() + 1e3))[0] ?? null;
}
/**
* Each cron's last answer: the scheduler asks every ten seconds for the slot after "now", and the
* answer stays the same until that slot has passed.
*/
var lastAnswers = /* @__PURE__ */ new WeakMap();
/** The first slot after `after`. Any moment from a question's `after` up to its answer has the same answer. */
function nextSlot(cron, after) {
	const at = after.getTime();
	const last = lastAnswers.get(cron);
	if (last && last.after <= at && (last.next === null || at < last.next)) return last.next === null ? null : new Date(last.next);
	const next = cron.nextRun(after);
	lastAnswers.set(cron, {
		after: at,
		next: next?.getTime() ?? null
	});
	return next;
}
/** The slots in (from, to], oldest first; at most `limit` (the caller only needs the latest). */
function slotsBetween(spec, from, to, limit = 1e3) {
	const cron = cronOf(spec);
	const out = [];
	let cursor = from;
	while (out.length < limit) {
		const next = nextSlot(cron, cursor);
		if (!next || next.getTime() > to.getTime()) break;
		out.push(next);
		cursor = next;
	}
	return out;
}
/** "At 02:00", "Every 15 minutes, between 01:00 and 05:59, Monday through Friday". */
function scheduleInWords(schedule) {
	try {
		return cronstrue.toString(schedule, {
			use24HourTimeFormat: true,
			verbose: false
		});
	} catch {
		return schedule;
	}
}
/** "Tue 1 Dec 02:00", in the schedule's time zone. */
function slotInWords(slot, timezone) {
	const parts = new Intl.DateTimeFormat("en-GB", {
		weekday: "short",
		day: "numeric",
		month: "short",
		hour: "2-digit",
		minute: "2-digit",
		hourCycle: "h23",
		timeZone: timezone ?? localTimeZone()
	}).formatToParts(slot);
	const get = (type) => parts.find((p) => p.type === type)?.value ?? "";
	return `${get("weekday")} ${get("day")} ${get("month")} ${get("hour")}:${get("minute")}`;
}
/** "At 02:00 (Europe/Berlin); next: Tue 1 Dec 02:00, Wed 2 Dec 02:00, Thu 3 Dec 02:00". */
function describeSchedule(spec, now, count = 3) {
	const zone = spec.timezone ?? localTimeZone();
	const next = nextSlots(spec, now, count);
	const words = `${scheduleInWords(spec.schedule)} (${zone})`;
	return {
		words,
		next: next.map((d) => d.toISOString()),
		summary: `${words}; next: ${next.map((d) => slotInWords(d, zone)).join(", ")}`
	};
}
// src/main/core/scheduler/schedule-status.ts
/** Who schedules, whether schedules are paused, and each scheduled job's next runs and last run. */
function scheduleStatus(deps) {
	const settings = deps.settings.get();
	const holder = deps.lease.holder();
	const now = deps.now();
	const jobs = deps.jobs.list().filter((j) => j.schedule !== null).map((j) => {
		const described = describeSchedule({
			schedule: j.schedule,
			timezone: j.timezone
		}, now, 3);
		const [last] = deps.runs.list({
			jobId: j.id,
			limit: 1
		});
		return {
			id: j.id,
			name: j.name,
			schedule: j.schedule,
			timezone: j.timezone,
			words: described.words,
			next: described.next,
			catchUp: j.catchUp,
			enabled: j.enabled,
			lastRun: last ? {
				id: last.id,
				status: last.status,
				trigger: last.trigger,
				startedAt: last.startedAt
			} : null
		};
	});
	return {
		paused: settings.schedulesPaused,
		maxConcurrentRuns: settings.maxConcurrentRuns,
		holder: holder ? {
			who: holder.who,
			since: holder.acquiredAt,
			heartbeatAt: holder.heartbeatAt,
			self: holder.self
		} : null,
		queued: deps.scheduler.queued(),
		jobs
	};
}
// src/main/core/store/store-errors.ts
/**
* The store's own failures (a full disk, a read-only or failing data dir, a lock held too long)
* in words that name the data dir, instead of SQLite's "database or disk is full". null for
* anything else, which keeps its own error.
*/
function storeFailure(error, dataDir) {
	if (!(error instanceof Database.SqliteError)) return null;
	const code = error.code;
	const details = {
		dataDir,
		sqlite: code
	};
	const database = `the Vaultdesk database in the data dir ${dataDir}`;
	if (code === "SQLITE_FULL") return new AppError("STORE_WRITE_FAILED", `Could not save the change: the disk holding the data dir ${dataDir} is full. Free some space on it and try again.`, details);
	if (code.startsWith("SQLITE_READONLY")) return new AppError("STORE_WRITE_FAILED", `Could not save the change: ${database} is read-only (the file, its folder or its file system). Check the permissions and the mount of ${dataDir}.`, details);
	if (code.startsWith("SQLITE_IOERR") || code === "SQLITE_CANTOPEN") return new AppError("STORE_WRITE_FAILED", `Could not read or write ${database}: input/output error. The disk holding it may be failing, or the network share it is on may be gone.`, details);
	if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return new AppError("STORE_WRITE_FAILED", `Could not save the change: another Vaultdesk process kept ${database} locked for more than 5 seconds. Try again.`, details);
	return null;
}
// src/main/core/handlers.ts
/** Contract channel -> core service. Mutations announce themselves on `config:changed`. */
function createHandlers(core, options = {}) {
	const { environments, sources, destinations, profiles, jobs, keys, events, runs, runService, settings } = core;
	const checkWith = async (source, secrets, pin, what, use) => {
		const tempDir = checkTempDir(core.tempRoot);
		try {
			return await checkSource(source, secrets, {
				tempDir,
				env: core.toolEnv,
				log: core.log,
				toolPaths: core.settings.get().toolPaths,
				onHostKeyPinned: pin
			}, what, use, options.checkDeadlineMs ?? 3e4);
		} finally {
			rmSync(tempDir, {
				recursive: true,
				force: true
			});
		}
	};
	const withSource = (id, what, use) => checkWith(sources.get(id), sources.secrets(id), (fp) => sources.pinHostKey(id, fp), what, use);
	const destinationCheck = (dto, secrets, pin) => testDestination(dto, secrets, { onHostKeyPinned: pin }, options.checkDeadlineMs ?? 3e4);
	/** A test's outcome as the lists keep it: a refusal (unreachable, login refused, timeout) is a failed test in its words. */
	const outcome = async (test) => {
		const at = core.now().toISOString();
		try {
			const result = await test();
			return {
				result,
				error: null,
				record: {
					at,
					success: result.success,
					message: result.message
				}
			};
		} catch (error) {
			if (!(error instanceof AppError)) throw error;
			return {
				result: null,
				error,
				record: {
					at,
					success: false,
					message: error.message
				}
			};
		}
	};
	/** Test on save: the draft is stored only when its test passes, with that test as its last one. */
	const testedDraft = async (draft, what, test) => {
		const { record, error } = await outcome(test);
		if (!record.success) throw new AppError("TEST_FAILED", `The ${what} "${draft.dto.name}" was not saved: its test failed. ${record.message}`, {
			test: record,
			cause: error?.code ?? null
		});
		return draft.commit(record);
	};
	/** An explicit test of a stored entry: its outcome becomes the entry's last test, and a refusal is still thrown. */
	const recorded = async (entity, id, test) => {
		const { result, error, record } = await outcome(test);
		(entity === "source" ? sources : destinations).recordTest(id, record);
		events.emit("config:changed", {
			entity,
			id
		});
		if (error) throw error;
		return result;
	};
	const status = () => scheduleStatus({
		...core,
		now: core.now
	});
	const scheduleChanged = () => {
		events.emit("config:changed", {
			entity: "settings",
			id: null
		});
		core.scheduler.poke();
		return status();
	};
	const changed = (entity, value) => {
		events.emit("config:changed", {
			entity,
			id: value.id
		});
		return value;
	};
	return withStoreErrors(core.dataDir, {
		"app:info": () => core.info(),
		"environments:list": () => environments.list(),
		"environments:create": (i) => changed("environment", environments.create(i)),
		"environments:update": (i) => changed("environment", environments.update(i)),
		"environments:delete": (i) => (environments.delete(i.id), changed("environment", { id: i.id })),
		"sources:list": () => sources.list(),
		"sources:get": (i) => sources.get(i.id),
		"sources:create": async ({ test, ...input }) => {
			const draft = sources.draftCreate(input);
			return changed("source", test ? await testedDraft(draft, "source", () => checkWith(draft.dto, draft.secrets, draft.pinHostKey, "test", (d) => d.test())) : draft.commit(null));
		},
		"sources:update": async ({ test, ...input }) => {
			const draft = sources.draftUpdate(input);
			return changed("source", test ? await testedDraft(draft, "source", () => checkWith(draft.dto, draft.secrets, draft.pinHostKey, "test", (d) => d.test())) : draft.commit(null));
		},
		"sources:delete": (i) => (sources.delete(i.id), changed("source", { id: i.id })),
		"sources:test": (i) => {
			const source = sources.get(i.id);
			const secrets = sources.secrets(i.id);
			return recorded("source", i.id, () => checkWith(source, secrets, (fp) => sources.pinHostKey(i.id, fp), "test", (d) => d.test()));
		},
		"sources:databases": (i) => withSource(i.id, "list databases", (d) => d.listDatabases()),
		"destinations:list": () => destinations.list(),
		"destinations:get": (i) => destinations.get(i.id),
		"destinations:create": async ({ test, ...input }) => {
			const draft = destinations.draftCreate(input);
			return changed("destination", test ? await testedDraft(draft, "destination", () => destinationCheck(draft.dto, draft.secrets, draft.pinHostKey)) : draft.commit(null));
		},
		"destinations:update": async ({ test, ...input }) => {
			const draft = destinations.draftUpdate(input);
			return changed("destination", test ? await testedDraft(draft, "destination", () => destinationCheck(draft.dto, draft.secrets, draft.pinHostKey)) : draft.commit(null));
		},
		"destinations:delete": (i) => (destinations.delete(i.id), changed("destination", { id: i.id })),
		"destinations:lock": (i) => changed("destination", destinations.setLocked(i.id, true)),
		"destinations:unlock": (i) => changed("destination", destinations.setLocked(i.id, false)),
		"destinations:setDefault": (i) => changed("destination", destinations.setDefault(i.id)),
		"destinations:test": (i) => {
			const destination = destinations.get(i.id);
			const secrets = destinations.secrets(i.id);
			return recorded("destination", i.id, () => destinationCheck(destination, secrets, (fp) => destinations.pinHostKey(i.id, fp)));
		},
		"destinations:cleanup": (i) => cleanUpDestination(core.cleanup, i),
		"profiles:list": () => profiles.list(),
		"profiles:create": async (i) => changed("profile", await profiles.create(i)),
		"profiles:update": (i) => changed("profile", profiles.update(i)),
		"profiles:delete": (i) => (profiles.delete(i.id), changed("profile", { id: i.id })),
		"profiles:exportIdentity": (i) => {
			const profile = profiles.get(i.id);
			if (profile.kind !== "age" || !profile.recipient) throw new AppError("VALIDATION_FAILED", `Profile "${profile.name}" is a 7-Zip profile: it has a passphrase, not an age identity.`, { field: "id" });
			const identity = profiles.secrets(i.id).identity;
			if (!identity) throw new AppError("NOT_FOUND", `The identity of profile "${profile.name}" is no longer stored: it was dropped when the master key was reset. Backups encrypted to it open only with a copy kept elsewhere.`);
			exportSecretFile(i.path, `# Vaultdesk encryption profile "${profile.name}"\n# public key: ${profile.recipient}\n${identity}\n`);
			changed("profile", profiles.markExported(i.id));
			return {
				path: i.path,
				recipient: profile.recipient
			};
		},
		"recovery:exportKit": async (i) => {
			const { exportRecoveryKit } = await import("./kit-export-Du3sJbtX.js");
			const result = await exportRecoveryKit({
				profiles,
				now: core.now,
				version: core.info().version
			}, i);
			for (const p of result.profiles) events.emit("config:changed", {
				entity: "profile",
				id: p.id
			});
			return result;
		},
		"recovery:decrypt": async (i) => {
			const { decryptOnHost } = await import("./decrypt-on-host-44CHN4Oh.js");
			return decryptOnHost(i, {
				toolEnv: core.toolEnv,
				sevenZipPath: core.settings.get().toolPaths["7z"],
				workerFile: core.workerFile,
				log: core.log,
				now: () => Date.now(),
				onProgress: (p) => events.emit("recovery:decryptProgress", p)
			});
		},
		"jobs:list": () => jobs.list(),
		"jobs:get": (i) => jobs.get(i.id),
		"jobs:create": (i) => changed("job", jobs.create(i)),
		"jobs:update": (i) => changed("job", jobs.update(i)),
		"jobs:delete": (i) => {
			jobs.delete(i.id, (job) => {
				const running = runs.runningOf(job.id).find((r) => core.host.isAlive(r.ownerStartId));
				if (running) throw new AppError("RUN_IN_PROGRESS", `Job "${job.name}" is running now (run ${running.id}, in ${core.host.describe(running.ownerStartId)}) and cannot be deleted while it runs. Cancel the run (nothing of it is kept) or let it finish, then delete the job.`, { runId: running.id });
			});
			return changed("job", { id: i.id });
		},
		"jobs:retentionPreview": (i) => core.retention.preview(i.id, i.retention),
		"jobs:run": (i) => ({ runId: runService.start(i.id, i.trigger).runId }),
		"runs:list": (i) => runs.list({
			jobId: i.jobId,
			status: i.status,
			limit: i.limit
		}),
		"runs:get": (i) => runs.get(i.id),
		"runs:cancel": (i) => runService.cancel(i.id),
		"backups:list": (i) => core.explorer.list(i),
		"backups:get": (i) => core.explorer.get(i.id),
		"backups:verify": (i) => verifyBackup(core.explorer, core, i.id),
		"backups:download": (i) => downloadBackup(core.explorer, i.id, i.path),
		"backups:url": (i) => core.explorer.url(i.id, i.expiresInSeconds),
		"backups:pin": (i) => core.explorer.pin(i.id, i.until),
		"backups:unpin": (i) => core.explorer.unpin(i.id),
		"backups:delete": (i) => core.explorer.delete(i.id),
		"restore:start": (i) => core.restoreService.start(i),
		"restore:drill": (i) => core.restoreService.drill(i),
		"restore:get": (i) => core.restoreService.get(i.id),
		"restore:list": (i) => core.restoreService.list(i),
		"restore:cancel": (i) => core.restoreService.cancel(i.id),
		"restore:inspectTarget": (i) => core.restoreService.inspectTarget(i.sourceId, i.database),
		"settings:get": () => settings.get(),
		"settings:tools": () => toolStatuses(core.toolEnv, settings.get().toolPaths),
		"settings:setToolPath": (i) => {
			const result = settings.setToolPath(i.tool, i.path);
			events.emit("config:changed", {
				entity: "settings",
				id: null
			});
			return result;
		},
		"settings:setStartAtLogin": (i) => {
			const result = settings.setStartAtLogin(i.enabled);
			events.emit("config:changed", {
				entity: "settings",
				id: null
			});
			return result;
		},
		"schedules:status": () => status(),
		"schedules:pause": () => {
			settings.setSchedulesPaused(true);
			return scheduleChanged();
		},
		"schedules:resume": () => {
			settings.setSchedulesPaused(false);
			return scheduleChanged();
		},
		"schedules:setConcurrency": (i) => {
			settings.setMaxConcurrentRuns(i.limit);
			return scheduleChanged();
		},
		"schedules:preview": (i) => describeSchedule({
			schedule: i.schedule,
			timezone: i.timezone
		}, core.now(), i.count),
		"settings:setWebhook": (i) => {
			const result = settings.setWebhook(i.url, i.format);
			events.emit("config:changed", {
				entity: "settings",
				id: null
			});
			return result;
		},
		"notifications:test": (i) => core.notifier.test(i.jobId),
		"keys:status": () => keys.status(),
		"keys:export": (i) => {
			const { key, fingerprint } = keys.exportKey();
			exportSecretFile(i.path, `${key.toString("base64")}\n`);
			return {
				path: i.path,
				fingerprint
			};
		},
		"keys:rotate": async () => {
			const result = await keys.rotate();
			events.emit("config:changed", {
				entity: "key",
				id: null
			});
			return result;
		},
		"keys:import": async (i) => {
			const result = await keys.import(decodeMasterKey(masterKeyLine(i.key)));
			events.emit("config:changed", {
				entity: "key",
				id: null
			});
			return result;
		},
		"keys:reset": async () => {
			const result = await keys.reset();
			events.emit("config:changed", {
				entity: "key",
				id: null
			});
			return result;
		},
		"system:export": (i) => core.system.export(i),
		"system:import": async (i) => {
			const result = await core.system.import(i);
			const kinds = [
				["environment", result.counts.environments],
				["source", result.counts.sources],
				["destination", result.counts.destinations],
				["profile", result.counts.profiles],
				["job", result.counts.jobs]
			];
			for (const [entity, added] of kinds) if (added > 0) events.emit("config:changed", {
				entity,
				id: null
			});
			if (result.settings === "imported") events.emit("config:changed", {
				entity: "settings",
				id: null
			});
			return result;
		}
	});
}
/** A failing store write (full disk, read-only data dir) reads as STORE_WRITE_FAILED naming the data dir, on every channel. */
function withStoreErrors(dataDir, handlers) {
	const wrapped = {};
	for (const [channel, handler] of Object.entries(handlers)) wrapped[channel] = async (input) => {
		try {
			return await handler(input);
		} catch (error) {
			throw storeFailure(error, dataDir) ?? error;
		}
	};
	return wrapped;
}
/** A folder of its own for a check's temp files, in the data dir's (remade if someone removed it). */
function checkTempDir(tempRoot) {
	try {
		ensureFolderSync(tempRoot, { mode: 448 });
		return mkdtempSync(path.join(tempRoot, "check-"));
	} catch (error) {
		throw fsAppError(error, "STORE_WRITE_FAILED", "Could not make a temporary folder in the data dir", { path: tempRoot });
	}
}
// src/main/core/store/db.ts
/** Where the numbered SQL files are; bundlers copy the folder next to the built module. */
function defaultMigrationsDir() {
	return fileURLToPath(new URL("./migrations", import.meta.url));
}
function loadMigrations(dir) {
	return readdirSync(dir).filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f)).sort().map((f) => ({
		version: Number(f.slice(0, 3)),
		name: f,
		sql: readFileSync(path.join(dir, f), "utf8")
	}));
}
/** Opens the store: WAL, foreign keys on, and every migration newer than `user_version` applied. */
function openDatabase(file, migrationsDir = defaultMigrationsDir()) {
	const db = new Database(file);
	db.pragma("journal_mode = WAL");
	db.pragma("foreign_keys = ON");
	db.pragma("busy_timeout = 5000");
	db.pragma("secure_delete = ON");
	migrate(db, loadMigrations(migrationsDir));
	return db;
}
function migrate(db, migrations) {
	const version = () => db.pragma("user_version", { simple: true });
	const pending = migrations.filter((m) => m.version > version());
	if (pending.length === 0) return 0;
	let applied = 0;
	db.pragma("foreign_keys = OFF");
	try {
		for (const m of pending) db.transaction(() => {
			if (version() >= m.version) return;
			db.exec(m.sql);
			const broken = db.pragma("foreign_key_check");
			if (broken.length > 0) throw new Error(`Migration ${m.name} left ${broken.length} broken foreign key reference(s).`);
			db.pragma(`user_version = ${m.version}`);
			applied++;
		}).immediate();
	} finally {
		db.pragma("foreign_keys = ON");
	}
	return applied;
}
/**
* A value of `meta` in an existing store, read without creating or migrating anything: null when
* there is no store file, no such key, or (a store from before `meta`) no such table.
*/
function peekMeta(file, key) {
	let db;
	try {
		db = new Database(file, { fileMustExist: true });
	} catch {
		return null;
	}
	try {
		db.pragma("busy_timeout = 5000");
		return getMeta(db, key);
	} catch {
		return null;
	} finally {
		db.close();
	}
}
var preparedOn = /* @__PURE__ */ new WeakMap();
/**
* `sql` prepared once per connection, for the statements the scheduler's tick runs every ten
* seconds (settings, jobs, running runs, its lease): preparing one costs more than running it.
* Only for fixed SQL run with get, all or run: a shared statement must never be switched to
* pluck, raw or expand.
*/
function statement(db, sql) {
	let bySql = preparedOn.get(db);
	if (!bySql) preparedOn.set(db, bySql = /* @__PURE__ */ new Map());
	let prepared = bySql.get(sql);
	if (!prepared) bySql.set(sql, prepared = db.prepare(sql));
	return prepared;
}
function getMeta(db, key) {
	return statement(db, "SELECT value FROM meta WHERE key = ?").get(key)?.value ?? null;
}
function setMeta(db, key, value) {
	statement(db, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}
// src/main/core/store/secret-box.ts
var VERSION = "v1";
var CHECK_LABEL = "vaultdesk master key check v1";
var FINGERPRINT_LABEL = "vaultdesk master key fingerprint v1";
/**
* AES-256-GCM under the master key. A sealed value is `v1:iv:tag:ciphertext` (base64 parts);
* the associated data binds it to its row, so a ciphertext copied into another row fails.
*/
var SecretBox = class {
	#key;
	constructor(key) {
		if (key.length !== 32) throw new AppError("MASTER_KEY_UNAVAILABLE", "The master key must be 32 bytes.");
		this.#key = Buffer.from(key);
	}
	seal(plaintext, aad) {
		const iv = randomBytes(12);
		const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
		cipher.setAAD(Buffer.from(aad, "utf8"));
		const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
		return [
			VERSION,
			iv.toString("base64"),
			cipher.getAuthTag().toString("base64"),
			ct.toString("base64")
		].join(":");
	}
	/** Throws SECRET_CORRUPT: callers check the key first, so a failure here means damaged data. */
	open(sealed, aad) {
		const parts = sealed.split(":");
		if (parts.length !== 4 || parts[0] !== VERSION) throw new AppError("SECRET_CORRUPT", `A stored secret (${aad}) is not in a format this version understands.`);
		try {
			const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(parts[1], "base64"));
			decipher.setAAD(Buffer.from(aad, "utf8"));
			decipher.setAuthTag(Buffer.from(parts[2], "base64"));
			return Buffer.concat([decipher.update(Buffer.from(parts[3], "base64")), decipher.final()]).toString("utf8");
		} catch {
			throw new AppError("SECRET_CORRUPT", `A stored secret (${aad}) is damaged and cannot be decrypted, although the master key is right. Re-enter that credential.`);
		}
	}
	checkValue() {
		return keyCheckValue(this.#key);
	}
};
/** HMAC of a fixed label: tells a wrong key from corrupt data without revealing the key. */
function keyCheckValue(key) {
	return createHmac("sha256", key).update(CHECK_LABEL).digest("hex");
}
function checkValueMatches(key, stored) {
	const a = Buffer.from(keyCheckValue(key), "hex");
	const b = Buffer.from(stored, "hex");
	return a.length === b.length && timingSafeEqual(a, b);
}
/** A short, shareable fingerprint of a key: the first 16 bytes of a labelled SHA-256, hex pairs. */
function keyFingerprint(key) {
	return createHash("sha256").update(FINGERPRINT_LABEL).update(key).digest("hex").slice(0, 32).match(/../g).join(":");
}
// src/main/core/keys/master-key.ts
/** Tables whose `secrets` column is sealed under the master key, with `${table}:${id}` as associated data. */
var SECRET_TABLES = [
	"sources",
	"destinations",
	"profiles",
	"jobs",
	"app_secrets"
];
var KCV = "master_key_check";
/** Whether the store file holds secrets sealed under a master key (its key check value), read without opening the store. */
function storeHasKeyCheck(dbFile) {
	return peekMeta(dbFile, KCV) !== null;
}
/**
* Owns the master key for one data dir: resolves it at start, answers every request for a
* secret, and carries out rotation, import and reset.
*/
var MasterKey = class MasterKey {
	db;
	store;
	account;
	#key = null;
	#state = "missing";
	constructor(db, store, account) {
		this.db = db;
		this.store = store;
		this.account = account;
	}
	/**
	* A new store gets a fresh random key. An existing one takes the key that matches its check
	* value, finishing an interrupted rotation if the pending key is the one that matches. A wrong
	* or absent key does not stop the app: it starts, and secret operations report it.
	*/
	static async open(db, store, account) {
		const mk = new MasterKey(db, store, account);
		const kcv = getMeta(db, KCV);
		const current = await store.load(account);
		if (kcv === null) {
			const key = current ?? randomBytes(32);
			if (!current) await store.save(account, key);
			setMeta(db, KCV, new SecretBox(key).checkValue());
			mk.#use(key);
			return mk;
		}
		if (current && checkValueMatches(current, kcv)) {
			mk.#use(current);
			await store.clearPending(account).catch(() => void 0);
			return mk;
		}
		const pending = await store.loadPending(account);
		if (pending && checkValueMatches(pending, kcv)) {
			await store.save(account, pending);
			await store.clearPending(account);
			mk.#use(pending);
			return mk;
		}
		mk.#state = current ? "mismatch" : "missing";
		return mk;
	}
	#use(key) {
		this.#key = key;
		this.#state = "ok";
	}
	get state() {
		return this.#state;
	}
	status() {
		const where = this.store.describe();
		const fallback = this.store.fallbackFile ?? null;
		const messages = {
			ok: fallback ? `The master key is in the ${where}. It protects the stored credentials only as well as that file is protected; move it into a keychain when one is available (vaultdesk key move-to-keychain).` : `The master key is in the ${where}.`,
			mismatch: `The master key in the ${where} does not match this database. Import the right key (Settings > Master key, or vaultdesk key import), or reset the key and re-enter every credential (vaultdesk key reset).`,
			missing: `No master key for this database was found in the ${where}. Import it (Settings > Master key, or vaultdesk key import), or reset the key and re-enter every credential (vaultdesk key reset).`
		};
		return {
			state: this.#state,
			source: this.store.kind,
			location: where,
			fallbackFile: fallback,
			fingerprint: this.#key ? keyFingerprint(this.#key) : null,
			writable: this.store.writable,
			message: messages[this.#state]
		};
	}
	/** The box for sealing and opening secrets; throws MASTER_KEY_MISMATCH / MASTER_KEY_MISSING otherwise. */
	box() {
		if (this.#state === "ok" && this.#key) return new SecretBox(this.#key);
		const status = this.status();
		throw new AppError(this.#state === "missing" ? "MASTER_KEY_MISSING" : "MASTER_KEY_MISMATCH", status.message);
	}
	/** The raw key, for export only. */
	exportKey() {
		this.box();
		return {
			key: Buffer.from(this.#key),
			fingerprint: keyFingerprint(this.#key)
		};
	}
	/**
	* New key, every secret re-encrypted in one transaction, key store updated. The new key is
	* parked in the pending slot first, so an interruption at any step leaves a store that opens
	* with the old key (transaction not committed) or the new one (found in pending).
	*/
	async rotate(onStep = () => void 0) {
		const oldBox = this.box();
		if (!this.store.writable) throw new AppError("KEY_STORE_READONLY", `The master key comes from the ${this.store.describe()}, which Vaultdesk cannot change. Rotate with the OS keychain or --master-key-file.`);
		const next = randomBytes(32);
		const newBox = new SecretBox(next);
		await this.store.savePending(this.account, next);
		onStep("pending-saved");
		let count = 0;
		this.db.transaction(() => {
			count = reseal(this.db, (sealed, aad) => newBox.seal(oldBox.open(sealed, aad), aad), () => onStep("row-reencrypted"));
			setMeta(this.db, KCV, newBox.checkValue());
		})();
		onStep("reencrypted");
		await this.store.save(this.account, next);
		onStep("key-saved");
		await this.store.clearPending(this.account);
		this.#use(next);
		return {
			fingerprint: keyFingerprint(next),
			secretsReencrypted: count
		};
	}
	/**
	* Saves this data dir's key into another key store (the OS keychain, when the key was kept in
	* a file for want of one) and reads it back from there; the caller then removes the old copy.
	*/
	async copyTo(target) {
		const { key, fingerprint } = this.exportKey();
		await target.save(this.account, key);
		const stored = await target.load(this.account);
		if (!stored || !stored.equals(key)) throw new AppError("MASTER_KEY_UNAVAILABLE", `The master key was written to the ${target.describe()} but could not be read back from it; it stays where it was.`);
		return { fingerprint };
	}
	/** Puts a known key back (e.g. from an export) after checking it matches this database. */
	async import(key) {
		const kcv = getMeta(this.db, KCV);
		if (kcv !== null && !checkValueMatches(key, kcv)) throw new AppError("MASTER_KEY_MISMATCH", `The key ${keyFingerprint(key)} does not match this database; nothing was changed.`);
		await this.store.save(this.account, key);
		await this.store.clearPending(this.account).catch(() => void 0);
		if (kcv === null) setMeta(this.db, KCV, new SecretBox(key).checkValue());
		this.#use(key);
		return { fingerprint: keyFingerprint(key) };
	}
	/**
	* Gives up on the lost key: a new key, and every stored secret dropped (they cannot be read
	* any more). Configuration stays; the user re-enters each credential.
	*/
	async reset() {
		const next = randomBytes(32);
		if (!this.store.writable) throw new AppError("KEY_STORE_READONLY", `The master key comes from the ${this.store.describe()}; set a new key there instead.`);
		let cleared = 0;
		await this.store.savePending(this.account, next);
		this.db.transaction(() => {
			for (const table of SECRET_TABLES) cleared += this.db.prepare(`UPDATE ${table} SET secrets = NULL, secret_names = '[]' WHERE secrets IS NOT NULL`).run().changes;
			setMeta(this.db, KCV, new SecretBox(next).checkValue());
		})();
		await this.store.save(this.account, next);
		await this.store.clearPending(this.account);
		this.#use(next);
		return {
			fingerprint: keyFingerprint(next),
			secretsCleared: cleared
		};
	}
};
function reseal(db, transform, onRow) {
	let count = 0;
	for (const table of SECRET_TABLES) {
		const rows = db.prepare(`SELECT id, secrets FROM ${table} WHERE secrets IS NOT NULL`).all();
		const update = db.prepare(`UPDATE ${table} SET secrets = ? WHERE id = ?`);
		for (const row of rows) {
			update.run(transform(row.secrets, `${table}:${row.id}`), row.id);
			count++;
			onRow();
		}
	}
	return count;
}
// src/main/core/destinations/s3-presets.ts
var fail = (field, message) => {
	throw new AppError("VALIDATION_FAILED", message, { field });
};
/**
* Fills in what each S3-compatible service expects, so a DBA only picks the provider and a
* region. An explicit endpoint always wins.
*/
function resolveS3Preset(input) {
	const region = input.region?.trim() || "";
	const explicit = input.endpoint ?? null;
	switch (input.provider) {
		case "aws": return {
			region: region || "us-east-1",
			endpoint: explicit,
			pathStyle: input.pathStyle ?? false
		};
		case "spaces": {
			const r = region || fail("region", "DigitalOcean Spaces needs a region (for example nyc3).");
			return {
				region: r,
				endpoint: explicit ?? `https://${r}.digitaloceanspaces.com`,
				pathStyle: input.pathStyle ?? false
			};
		}
		case "wasabi": {
			const r = region || "us-east-1";
			return {
				region: r,
				endpoint: explicit ?? `https://s3.${r}.wasabisys.com`,
				pathStyle: input.pathStyle ?? false
			};
		}
		case "b2": {
			const r = region || fail("region", "Backblaze B2 needs the region of the bucket (for example us-west-004).");
			return {
				region: r,
				endpoint: explicit ?? `https://s3.${r}.backblazeb2.com`,
				pathStyle: input.pathStyle ?? false
			};
		}
		case "r2": {
			const account = input.account?.trim() || (explicit ? "" : fail("account", "Cloudflare R2 needs the account id (the first part of {account}.r2.cloudflarestorage.com)."));
			return {
				region: "auto",
				endpoint: explicit ?? `https://${account}.r2.cloudflarestorage.com`,
				pathStyle: input.pathStyle ?? false
			};
		}
		case "minio":
		case "custom": {
			const endpoint = explicit || fail("endpoint", `A ${input.provider === "minio" ? "MinIO" : "custom S3"} destination needs its endpoint URL.`);
			return {
				region: region || "us-east-1",
				endpoint,
				pathStyle: input.pathStyle ?? true
			};
		}
	}
}
// src/main/core/store/destinations-repository.ts
var SECRET_FIELDS$1 = {
	local: [],
	s3: ["secretAccessKey"],
	sftp: [
		"password",
		"privateKey",
		"passphrase"
	]
};
var FIELDS = {
	local: ["path"],
	s3: [
		"provider",
		"bucket",
		"region",
		"endpoint",
		"publicEndpoint",
		"pathStyle",
		"accessKeyId",
		"prefix",
		"partSizeMiB",
		"buckets",
		"account"
	],
	sftp: [
		"host",
		"port",
		"user",
		"path",
		"forgetHostKey"
	]
};
var DestinationsRepository = class {
	db;
	keys;
	now;
	constructor(db, keys, now) {
		this.db = db;
		this.keys = keys;
		this.now = now;
	}
	list() {
		return this.db.prepare("SELECT * FROM destinations ORDER BY name COLLATE NOCASE").all().map((r) => this.#toDto(r));
	}
	get(id) {
		return this.#toDto(this.#row(id));
	}
	findByName(name) {
		const row = this.db.prepare("SELECT * FROM destinations WHERE name = ? COLLATE NOCASE").get(name);
		return row ? this.#toDto(row) : null;
	}
	/** The stored credentials, for the pipeline only: never returned through the contract. */
	secrets(id) {
		const row = this.#row(id);
		return openSecrets(this.keys.box(), "destinations", id, row.secrets);
	}
	create(input) {
		return this.draftCreate(input).commit(null);
	}
	/** A new destination, checked (name, fields) but not stored. */
	draftCreate(input) {
		const id = randomUUID();
		const time = this.now().toISOString();
		const config = buildConfig(input.kind, input, null);
		const changes = pickSecrets(input, SECRET_FIELDS$1[input.kind]);
		const secrets = applyChanges({}, changes);
		validateSecrets(input.kind, secrets);
		const sealed = hasChanges(changes) ? sealSecrets(this.keys.box(), "destinations", id, secrets) : {
			sealed: null,
			names: []
		};
		assertNameFree(this.db, "destinations", "destination", input.name);
		const row = (lastTest) => ({
			id,
			name: input.name,
			kind: input.kind,
			config: JSON.stringify(config),
			secrets: sealed.sealed,
			secret_names: JSON.stringify(sealed.names),
			locked: 0,
			is_default: input.isDefault ? 1 : 0,
			last_test: lastTest ? JSON.stringify(lastTest) : null,
			created_at: time,
			updated_at: time
		});
		return {
			dto: this.#toDto(row(null)),
			secrets,
			pinHostKey: (fingerprint) => {
				if (!config.hostKeyFingerprint) config.hostKeyFingerprint = fingerprint;
			},
			commit: (lastTest) => {
				const r = row(lastTest);
				this.db.transaction(() => {
					assertNameFree(this.db, "destinations", "destination", input.name);
					if (input.isDefault) this.db.prepare("UPDATE destinations SET is_default = 0").run();
					this.db.prepare(`INSERT INTO destinations (id, name, kind, config, secrets, secret_names, locked, is_default, last_test, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`).run(r.id, r.name, r.kind, r.config, r.secrets, r.secret_names, r.is_default, r.last_test, r.created_at, r.updated_at);
				})();
				return this.get(id);
			}
		};
	}
	update(input) {
		return this.draftUpdate(input).commit(null);
	}
	/** A destination's new settings, checked but not stored; stored, they replace its last test (null: not tested since). */
	draftUpdate(input) {
		const row = this.#row(input.id);
		const given = Object.entries(input).filter(([k, v]) => v !== void 0 && k !== "id" && k !== "name").map(([k]) => k);
		const allowed = /* @__PURE__ */ new Set([...FIELDS[row.kind], ...SECRET_FIELDS$1[row.kind]]);
		const foreign = given.filter((k) => !allowed.has(k));
		if (foreign.length > 0) throw new AppError("VALIDATION_FAILED", `A ${row.kind} destination has no ${foreign.join(", ")}.`, { field: foreign[0] });
		if (row.kind === "local" && input.path !== void 0 && !isAbsolutePath(input.path)) throw new AppError("VALIDATION_FAILED", "path: must be an absolute path", { field: "path" });
		const config = buildConfig(row.kind, input, JSON.parse(row.config));
		const changes = pickSecrets(input, SECRET_FIELDS$1[row.kind]);
		let sealed = {
			sealed: row.secrets,
			names: JSON.parse(row.secret_names)
		};
		let secrets = null;
		const box = () => this.keys.box();
		if (hasChanges(changes)) {
			secrets = applyChanges(openSecrets(box(), "destinations", row.id, row.secrets), changes);
			validateSecrets(row.kind, secrets);
			sealed = sealSecrets(box(), "destinations", row.id, secrets);
		}
		if (input.name !== void 0) assertNameFree(this.db, "destinations", "destination", input.name, row.id);
		const sameConnection = JSON.stringify(config) === row.config && !hasChanges(changes);
		const next = (lastTest) => ({
			...row,
			name: input.name ?? row.name,
			config: JSON.stringify(config),
			secrets: sealed.sealed,
			secret_names: JSON.stringify(sealed.names),
			last_test: lastTest ? JSON.stringify(lastTest) : sameConnection ? row.last_test : null,
			updated_at: this.now().toISOString()
		});
		return {
			dto: this.#toDto(next(null)),
			get secrets() {
				secrets ??= openSecrets(box(), "destinations", row.id, row.secrets);
				return secrets;
			},
			pinHostKey: (fingerprint) => {
				if (!config.hostKeyFingerprint) config.hostKeyFingerprint = fingerprint;
			},
			commit: (lastTest) => {
				const r = next(lastTest);
				this.db.transaction(() => {
					if (input.name !== void 0) assertNameFree(this.db, "destinations", "destination", input.name, row.id);
					this.db.prepare("UPDATE destinations SET name = ?, config = ?, secrets = ?, secret_names = ?, last_test = ?, updated_at = ? WHERE id = ?").run(r.name, r.config, r.secrets, r.secret_names, r.last_test, r.updated_at, row.id);
				})();
				return this.get(row.id);
			}
		};
	}
	/** Keeps the outcome of a connection test of the stored settings, for the list's status column. */
	recordTest(id, test) {
		this.db.prepare("UPDATE destinations SET last_test = ? WHERE id = ?").run(JSON.stringify(test), id);
	}
	/** Trust on first use: remembers an SFTP server's host key; a later change is refused. */
	pinHostKey(id, fingerprint) {
		const row = this.#row(id);
		const config = JSON.parse(row.config);
		if (config.hostKeyFingerprint) return;
		config.hostKeyFingerprint = fingerprint;
		this.db.prepare("UPDATE destinations SET config = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(config), this.now().toISOString(), id);
	}
	setLocked(id, locked) {
		this.#row(id);
		this.db.prepare("UPDATE destinations SET locked = ?, updated_at = ? WHERE id = ?").run(locked ? 1 : 0, this.now().toISOString(), id);
		return this.get(id);
	}
	setDefault(id) {
		this.#row(id);
		this.db.transaction(() => {
			this.db.prepare("UPDATE destinations SET is_default = 0 WHERE is_default = 1").run();
			this.db.prepare("UPDATE destinations SET is_default = 1 WHERE id = ?").run(id);
		})();
		return this.get(id);
	}
	/** Only an unlocked destination that no job uses may go; the error names the jobs. */
	delete(id) {
		const dto = this.get(id);
		if (dto.locked) throw new AppError("DESTINATION_LOCKED", `Destination "${dto.name}" is locked. Unlock it before deleting it.`, { destination: dto.name });
		if (dto.jobNames.length > 0) throw new AppError("DESTINATION_IN_USE", `Destination "${dto.name}" is used by ${dto.jobNames.length === 1 ? "job" : "jobs"} ${dto.jobNames.map((n) => `"${n}"`).join(", ")}. Remove it from ${dto.jobNames.length === 1 ? "that job" : "those jobs"} first.`, {
			destination: dto.name,
			jobs: dto.jobNames
		});
		this.db.prepare("DELETE FROM destinations WHERE id = ?").run(id);
	}
	#row(id) {
		const row = this.db.prepare("SELECT * FROM destinations WHERE id = ?").get(id);
		if (!row) throw notFound("destination", id);
		return row;
	}
	#toDto(r) {
		const jobs = this.db.prepare("SELECT j.name FROM job_destinations jd JOIN jobs j ON j.id = jd.job_id WHERE jd.destination_id = ? ORDER BY j.name COLLATE NOCASE").all(r.id);
		const names = JSON.parse(r.secret_names);
		return {
			id: r.id,
			name: r.name,
			kind: r.kind,
			config: {
				kind: r.kind,
				...JSON.parse(r.config)
			},
			locked: r.locked === 1,
			isDefault: r.is_default === 1,
			hasSecret: names.some((n) => n !== "passphrase"),
			hasPassphrase: names.includes("passphrase"),
			hasPassword: names.includes("password"),
			hasPrivateKey: names.includes("privateKey"),
			jobNames: jobs.map((j) => j.name),
			lastTest: r.last_test ? JSON.parse(r.last_test) : null,
			createdAt: r.created_at,
			updatedAt: r.updated_at
		};
	}
};
function buildConfig(kind, input, current) {
	const pick = (k, fallback) => input[k] !== void 0 ? input[k] : current ? current[k] : fallback;
	switch (kind) {
		case "local": return { path: pick("path", "") };
		case "sftp": return {
			host: pick("host", ""),
			port: pick("port", 22),
			user: pick("user", ""),
			path: pick("path", ""),
			hostKeyFingerprint: input.forgetHostKey || current && (input.host !== void 0 && input.host !== current.host || input.port !== void 0 && input.port !== current.port) ? null : current?.hostKeyFingerprint ?? null
		};
		case "s3": {
			const provider = pick("provider", "aws");
			const bucket = pick("bucket", "");
			const account = pick("account", null) ?? null;
			const endpointGiven = input.endpoint !== void 0 ? input.endpoint : current && input.provider === void 0 ? current.endpoint : null;
			const resolved = resolveS3Preset({
				provider,
				bucket,
				account,
				region: pick("region", ""),
				endpoint: endpointGiven,
				pathStyle: pick("pathStyle", void 0)
			});
			let buckets = pick("buckets", []) ?? [];
			if (provider === "r2" && buckets.length === 0) buckets = [bucket];
			return {
				provider,
				bucket,
				region: resolved.region,
				endpoint: resolved.endpoint,
				publicEndpoint: pick("publicEndpoint", null) ?? null,
				pathStyle: resolved.pathStyle,
				accessKeyId: pick("accessKeyId", null) ?? null,
				prefix: normalisePrefix(pick("prefix", "")),
				partSizeMiB: pick("partSizeMiB", 16),
				buckets,
				account
			};
		}
	}
}
function normalisePrefix(prefix) {
	return prefix.split("/").filter((p) => p.length > 0).join("/");
}
function validateSecrets(kind, secrets) {
	if (kind === "sftp" && secrets.passphrase && !secrets.privateKey) throw new AppError("VALIDATION_FAILED", "A key passphrase only makes sense with a private key.", { field: "passphrase" });
}
// src/main/core/store/jobs-repository.ts
/** The job's secrets: URLs that carry their credentials. */
var SECRET_FIELDS = ["webhookUrl", "healthchecksUrl"];
var JobsRepository = class {
	db;
	sources;
	destinations;
	environments;
	profiles;
	keys;
	now;
	constructor(db, sources, destinations, environments, profiles, keys, now) {
		this.db = db;
		this.sources = sources;
		this.destinations = destinations;
		this.environments = environments;
		this.profiles = profiles;
		this.keys = keys;
		this.now = now;
	}
	list() {
		return statement(this.db, "SELECT * FROM jobs ORDER BY name COLLATE NOCASE").all().map((r) => this.#toDto(r));
	}
	get(id) {
		return this.#toDto(this.#row(id));
	}
	findByName(name) {
		const row = this.db.prepare("SELECT * FROM jobs WHERE name = ? COLLATE NOCASE").get(name);
		return row ? this.#toDto(row) : null;
	}
	/** The job's webhook and Healthchecks URLs, for the notifier only: never returned through the contract. */
	secrets(id) {
		const row = this.#row(id);
		return openSecrets(this.keys.box(), "jobs", id, row.secrets);
	}
	create(input) {
		const id = randomUUID();
		this.#validate(input);
		const time = this.now().toISOString();
		const secrets = applyChanges({}, pickSecrets(input, SECRET_FIELDS));
		const sealed = Object.keys(secrets).length > 0 ? sealSecrets(this.keys.box(), "jobs", id, secrets) : {
			sealed: null,
			names: []
		};
		this.db.transaction(() => {
			assertNameFree(this.db, "jobs", "job", input.name);
			this.db.prepare("INSERT INTO jobs (id, name, source_id, profile_id, config, secrets, secret_names, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(id, input.name, input.sourceId, input.profileId, JSON.stringify(configOf(input, secrets)), sealed.sealed, JSON.stringify(sealed.names), input.enabled ? 1 : 0, time, time);
			this.#setDestinations(id, input.destinationIds);
		})();
		return this.get(id);
	}
	update(input) {
		const row = this.#row(input.id);
		const merged = {
			...specOf(this.#toDto(row)),
			...stripUndefined(input)
		};
		if (input.encryption === "none" && input.profileId === void 0) merged.profileId = null;
		this.#validate(merged);
		const changes = pickSecrets(input, SECRET_FIELDS);
		let sealed = {
			sealed: row.secrets,
			names: JSON.parse(row.secret_names)
		};
		const config = configOf(merged, null);
		const old = JSON.parse(row.config);
		config.webhookHost = old.webhookHost ?? null;
		config.healthchecksHost = old.healthchecksHost ?? null;
		if (hasChanges(changes)) {
			const box = this.keys.box();
			const next = applyChanges(openSecrets(box, "jobs", row.id, row.secrets), changes);
			sealed = sealSecrets(box, "jobs", row.id, next);
			Object.assign(config, hostsOf(next));
		}
		this.db.transaction(() => {
			if (input.name !== void 0) assertNameFree(this.db, "jobs", "job", input.name, input.id);
			this.db.prepare("UPDATE jobs SET name = ?, source_id = ?, profile_id = ?, config = ?, secrets = ?, secret_names = ?, enabled = ?, updated_at = ? WHERE id = ?").run(merged.name, merged.sourceId, merged.profileId, JSON.stringify(config), sealed.sealed, JSON.stringify(sealed.names), merged.enabled ? 1 : 0, this.now().toISOString(), input.id);
			if (input.destinationIds) this.#setDestinations(input.id, input.destinationIds);
		})();
		return this.get(input.id);
	}
	/**
	* Deletes the job; `refuse` runs first under the write lock (a run in progress, say), so
	* nothing can start between the check and the delete.
	*/
	delete(id, refuse = () => void 0) {
		this.db.transaction(() => {
			refuse(this.get(id));
			this.db.prepare("DELETE FROM jobs WHERE id = ?").run(id);
		}).immediate();
	}
	/** Every rule a job must satisfy, checked before anything is written. */
	#validate(spec) {
		const source = this.sources.get(spec.sourceId);
		const env = this.environments.get(source.environmentId);
		if (new Set(spec.destinationIds).size !== spec.destinationIds.length) throw new AppError("VALIDATION_FAILED", "A destination is listed twice.", { field: "destinationIds" });
		for (const destId of spec.destinationIds) {
			const dest = this.destinations.get(destId);
			if (!env.allowAllDestinations && !env.allowedDestinationIds.includes(destId)) throw new AppError("DESTINATION_NOT_ALLOWED", `Source "${source.name}" belongs to environment "${env.name}", which may not use destination "${dest.name}". Allow it in the environment's settings or pick another destination.`, {
				field: "destinationIds",
				environment: env.name,
				destination: dest.name
			});
		}
		if (source.engine === "sqlite" && (spec.databases.length > 0 || spec.allDatabases)) throw new AppError("VALIDATION_FAILED", "A SQLite source is one file: it has no databases to choose.", { field: "databases" });
		if (spec.allDatabases && spec.databases.length > 0) throw new AppError("VALIDATION_FAILED", "Choose either \"all databases\" or a list of databases, not both.", { field: "databases" });
		if (spec.encryption === "none") {
			if (spec.profileId) throw new AppError("VALIDATION_FAILED", "An unencrypted job has no encryption profile.", { field: "profileId" });
		} else {
			if (!spec.profileId) throw new AppError("VALIDATION_FAILED", `${spec.encryption === "age" ? "age" : "7-Zip"} encryption needs an encryption profile.`, { field: "profileId" });
			const profile = this.profiles.get(spec.profileId);
			if (profile.kind !== spec.encryption) throw new AppError("VALIDATION_FAILED", `Profile "${profile.name}" is a ${profile.kind} profile, not ${spec.encryption}.`, { field: "profileId" });
		}
		if (spec.compressionLevel !== null) {
			if (spec.compression === "none") throw new AppError("VALIDATION_FAILED", "Without compression there is no level to set.", { field: "compressionLevel" });
			const [min, max] = LEVEL_RANGE[spec.compression];
			if (spec.compressionLevel < min || spec.compressionLevel > max) throw new AppError("VALIDATION_FAILED", `${spec.compression} levels go from ${min} to ${max}, not ${spec.compressionLevel}.`, { field: "compressionLevel" });
		}
		if (spec.timezone !== null) assertTimeZone(spec.timezone);
		if (spec.schedule !== null) cronOf({
			schedule: spec.schedule,
			timezone: spec.timezone
		});
		else if (spec.timezone !== null) throw new AppError("VALIDATION_FAILED", "A time zone only applies to a schedule.", { field: "timezone" });
	}
	#setDestinations(jobId, ids) {
		this.db.prepare("DELETE FROM job_destinations WHERE job_id = ?").run(jobId);
		const insert = this.db.prepare("INSERT INTO job_destinations (job_id, destination_id, position) VALUES (?, ?, ?)");
		ids.forEach((d, i) => insert.run(jobId, d, i));
	}
	#row(id) {
		const row = this.db.prepare("SELECT * FROM jobs WHERE id = ?").get(id);
		if (!row) throw notFound("job", id);
		return row;
	}
	#toDto(r) {
		const c = JSON.parse(r.config);
		const dests = statement(this.db, "SELECT d.id, d.name FROM job_destinations jd JOIN destinations d ON d.id = jd.destination_id WHERE jd.job_id = ? ORDER BY jd.position").all(r.id);
		const source = statement(this.db, "SELECT name FROM sources WHERE id = ?").get(r.source_id);
		const profile = r.profile_id ? statement(this.db, "SELECT name FROM profiles WHERE id = ?").get(r.profile_id) : void 0;
		const secretNames = JSON.parse(r.secret_names);
		const hasWebhook = secretNames.includes("webhookUrl");
		const hasHealthchecks = secretNames.includes("healthchecksUrl");
		return {
			id: r.id,
			name: r.name,
			sourceId: r.source_id,
			sourceName: source.name,
			databases: c.databases,
			allDatabases: c.allDatabases,
			destinationIds: dests.map((d) => d.id),
			destinationNames: dests.map((d) => d.name),
			format: c.format,
			compression: c.compression,
			compressionLevel: c.compressionLevel,
			encryption: c.encryption,
			profileId: r.profile_id,
			profileName: profile?.name ?? null,
			schedule: c.schedule,
			timezone: c.timezone,
			timeoutMinutes: c.timeoutMinutes,
			prefix: c.prefix,
			retention: c.retention,
			catchUp: c.catchUp ?? true,
			preHook: c.preHook ?? null,
			postHook: c.postHook ?? null,
			hookTimeoutSeconds: c.hookTimeoutSeconds ?? 300,
			hasWebhook,
			webhookHost: hasWebhook ? c.webhookHost ?? null : null,
			webhookFormat: c.webhookFormat ?? "json",
			hasHealthchecks,
			healthchecksHost: hasHealthchecks ? c.healthchecksHost ?? null : null,
			enabled: r.enabled === 1,
			createdAt: r.created_at,
			updatedAt: r.updated_at
		};
	}
};
function configOf(spec, secrets) {
	return {
		databases: spec.databases,
		allDatabases: spec.allDatabases,
		format: spec.format,
		compression: spec.compression,
		compressionLevel: spec.compressionLevel,
		encryption: spec.encryption,
		schedule: spec.schedule,
		timezone: spec.timezone,
		timeoutMinutes: spec.timeoutMinutes,
		prefix: spec.prefix,
		retention: spec.retention,
		catchUp: spec.catchUp,
		preHook: spec.preHook,
		postHook: spec.postHook,
		hookTimeoutSeconds: spec.hookTimeoutSeconds,
		webhookFormat: spec.webhookFormat,
		...secrets ? hostsOf(secrets) : {}
	};
}
function hostsOf(secrets) {
	return {
		webhookHost: secrets.webhookUrl ? redactUrl(secrets.webhookUrl) : null,
		healthchecksHost: secrets.healthchecksUrl ? redactUrl(secrets.healthchecksUrl) : null
	};
}
function specOf(dto) {
	const { id: _id, sourceName: _s, destinationNames: _d, profileName: _p, createdAt: _c, updatedAt: _u, hasWebhook: _w, webhookHost: _wh, hasHealthchecks: _h, healthchecksHost: _hh, ...spec } = dto;
	return spec;
}
function stripUndefined(o) {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== void 0));
}
// src/main/core/store/profiles-repository.ts
var ProfilesRepository = class {
	db;
	keys;
	now;
	constructor(db, keys, now) {
		this.db = db;
		this.keys = keys;
		this.now = now;
	}
	list() {
		return this.db.prepare("SELECT * FROM profiles ORDER BY name COLLATE NOCASE").all().map((r) => this.#toDto(r));
	}
	get(id) {
		return this.#toDto(this.#row(id));
	}
	findByName(name) {
		const row = this.db.prepare("SELECT * FROM profiles WHERE name = ? COLLATE NOCASE").get(name);
		return row ? this.#toDto(row) : null;
	}
	/** The identity (age) or passphrase (7z), for the pipeline and the recovery kit only. */
	secrets(id) {
		return openSecrets(this.keys.box(), "profiles", id, this.#row(id).secrets);
	}
	async create(input) {
		const box = this.keys.box();
		const id = randomUUID();
		let recipient = null;
		let secrets;
		if (input.kind === "age") {
			const { generateX25519Identity, identityToRecipient } = await import("age-encryption");
			const identity = input.identity ?? await generateX25519Identity();
			try {
				recipient = await identityToRecipient(identity);
			} catch {
				throw new AppError("VALIDATION_FAILED", "The age identity is not valid.", { field: "identity" });
			}
			secrets = { identity };
		} else secrets = { passphrase: input.passphrase ?? randomBytes(18).toString("base64url") };
		const extra = input.kind === "age" ? [...new Set(input.extraRecipients.filter((r) => r !== recipient))] : [];
		const sealed = sealSecrets(box, "profiles", id, secrets);
		this.db.transaction(() => {
			assertNameFree(this.db, "profiles", "encryption profile", input.name);
			this.db.prepare("INSERT INTO profiles (id, name, kind, recipient, extra_recipients, secrets, secret_names, identity_imported, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(id, input.name, input.kind, recipient, JSON.stringify(extra), sealed.sealed, JSON.stringify(sealed.names), input.kind === "age" && input.identity ? 1 : 0, this.now().toISOString());
		})();
		return this.get(id);
	}
	update(input) {
		const row = this.#row(input.id);
		if (input.extraRecipients && row.kind !== "age") throw new AppError("VALIDATION_FAILED", "Only age profiles have extra recipients.", { field: "extraRecipients" });
		this.db.transaction(() => {
			if (input.name !== void 0) assertNameFree(this.db, "profiles", "encryption profile", input.name, row.id);
			const extra = input.extraRecipients ? [...new Set(input.extraRecipients.filter((r) => r !== row.recipient))] : JSON.parse(row.extra_recipients);
			this.db.prepare("UPDATE profiles SET name = ?, extra_recipients = ? WHERE id = ?").run(input.name ?? row.name, JSON.stringify(extra), row.id);
		})();
		return this.get(row.id);
	}
	/** Records that the identity was written out of Vaultdesk just now. */
	markExported(id) {
		this.#row(id);
		this.db.prepare("UPDATE profiles SET identity_exported_at = ? WHERE id = ?").run(this.now().toISOString(), id);
		return this.get(id);
	}
	delete(id) {
		const dto = this.get(id);
		if (dto.jobNames.length > 0) throw new AppError("IN_USE", `Encryption profile "${dto.name}" is used by ${dto.jobNames.map((n) => `"${n}"`).join(", ")}. Change those jobs first.`, { jobs: dto.jobNames });
		this.db.prepare("DELETE FROM profiles WHERE id = ?").run(id);
	}
	#row(id) {
		const row = this.db.prepare("SELECT * FROM profiles WHERE id = ?").get(id);
		if (!row) throw notFound("encryption profile", id);
		return row;
	}
	#toDto(r) {
		const jobs = this.db.prepare("SELECT name FROM jobs WHERE profile_id = ? ORDER BY name COLLATE NOCASE").all(r.id);
		return {
			id: r.id,
			name: r.name,
			kind: r.kind,
			recipient: r.recipient,
			extraRecipients: JSON.parse(r.extra_recipients),
			hasSecret: r.secrets !== null,
			identityExportedAt: r.identity_exported_at,
			identityOnlyInVaultdesk: r.kind === "age" && r.secrets !== null && r.identity_exported_at === null && r.identity_imported === 0,
			jobNames: jobs.map((j) => j.name),
			createdAt: r.created_at
		};
	}
};
// src/main/core/notifications/deliver.ts
/** 5 attempts over about a minute: long enough for a proxy restart, short enough for a CLI run to wait for. */
var DEFAULT_DELIVERY = {
	retries: 4,
	minTimeoutMs: 2e3,
	factor: 2.5,
	requestTimeoutMs: 1e4
};
var AttemptFailed = class extends Error {};
/**
* POSTs a notification, retrying server errors and network failures with back-off; a 4xx other
* than 408/429 means the URL or body is wrong, so it is not retried. Never rejects, and no
* message it returns carries the URL (its path holds the webhook's token).
*/
async function deliver(request, policy, signal) {
	let attempts = 0;
	try {
		const status = await pRetry(async (n) => {
			attempts = n;
			let response;
			try {
				response = await fetch(request.url, {
					method: "POST",
					headers: {
						"content-type": request.contentType,
						"user-agent": "Vaultdesk"
					},
					body: request.body,
					redirect: "follow",
					signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(policy.requestTimeoutMs)]) : AbortSignal.timeout(policy.requestTimeoutMs)
				});
			} catch (error) {
				if (signal?.aborted) throw new AbortError(new AttemptFailed("stopped: Vaultdesk was closing"));
				throw new AttemptFailed(networkWords(error, policy.requestTimeoutMs));
			}
			await response.arrayBuffer().catch(() => void 0);
			if (response.ok) return response.status;
			const failure = new AttemptFailed(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
			if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new AbortError(new AttemptFailed(`refused with HTTP ${response.status} (check the URL)`));
			throw failure;
		}, {
			retries: policy.retries,
			minTimeout: policy.minTimeoutMs,
			factor: policy.factor,
			randomize: false,
			signal,
			unref: true
		});
		return {
			ok: true,
			attempts,
			message: `delivered (HTTP ${status})${attempts > 1 ? ` at attempt ${attempts}` : ""}`
		};
	} catch (error) {
		const words = error instanceof AttemptFailed ? error.message : signal?.aborted ? "stopped: Vaultdesk was closing" : "failed";
		if (words.startsWith("refused") || words.startsWith("stopped")) return {
			ok: false,
			attempts,
			message: words
		};
		return {
			ok: false,
			attempts,
			message: attempts > 1 ? `gave up after ${attempts} attempts: ${words}` : words
		};
	}
}
/** A fetch failure in words, from its cause's code: undici's own messages may name the address. */
function networkWords(error, timeoutMs) {
	const e = error;
	if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError") return `no answer within ${Math.round(timeoutMs / 1e3)} s`;
	const code = e?.cause?.code;
	switch (code) {
		case "ECONNREFUSED": return "connection refused (is the server up?)";
		case "ENOTFOUND":
		case "EAI_AGAIN": return "host name not found";
		case "ECONNRESET":
		case "UND_ERR_SOCKET": return "the connection was closed by the server";
		case "ETIMEDOUT":
		case "UND_ERR_CONNECT_TIMEOUT": return "could not connect in time";
		case "EHOSTUNREACH":
		case "ENETUNREACH": return "the network or host cannot be reached";
		default:
			if (code && /CERT|TLS|SSL/i.test(code)) return `the server's TLS certificate was refused (${code})`;
			return code ? `network error (${code})` : "network error";
	}
}
// src/main/core/notifications/notification-text.ts
/** Slack and Discord show a short text; the whole record goes to `json` webhooks. */
var ERROR_CHARS = 800;
function durationWords$1(run) {
	if (!run.finishedAt) return null;
	const s = Math.max(0, Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1e3));
	if (s < 60) return `${s} s`;
	if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
	return `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
}
/** A title and a one-paragraph body, for an OS notification and chat webhooks. */
function alertText(kind, run) {
	const took = durationWords$1(run);
	if (kind === "recovered") return {
		title: `Backup OK again: ${run.jobName}`,
		body: `Job ${run.jobName} succeeded again after a failure${took ? ` (took ${took})` : ""}.`
	};
	const how = run.status === "interrupted" ? "was interrupted" : "failed";
	const where = run.error ? ` while ${STAGE_WORDS[run.error.stage] ?? run.error.stage}${run.error.destination ? ` (destination ${run.error.destination})` : ""}` : "";
	const error = run.error ? ` [${run.error.code}] ${clip(run.error.message, ERROR_CHARS)}` : "";
	return {
		title: `Backup ${how}: ${run.jobName}`,
		body: `Job ${run.jobName} ${how}${where}${took ? ` after ${took}` : ""}.${error}`
	};
}
/** The request body a webhook of this format expects. */
function webhookBody(format, e) {
	const text = `Vaultdesk: ${e.body}`;
	switch (format) {
		case "slack": return JSON.stringify({ text });
		case "discord": return JSON.stringify({ content: clip(text, 1900) });
		case "json": return JSON.stringify({
			event: e.event,
			title: e.title,
			text: e.body,
			job: e.job,
			run: e.run
		});
	}
}
function clip(text, max) {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
// src/main/core/notifications/notifier.ts
/** A Healthchecks /fail body is kept short; the service stores the first 100 KB anyway. */
var PING_BODY_MAX = 1e4;
/**
* Tells people about runs without ever holding one up: webhooks (per job and global) and the
* desktop when a run fails and on the first success after a failure, Healthchecks pings on every
* run. Deliveries run in the background with retries; `drain` waits for them (a CLI command
* before it exits). Outcomes go to the log and to the run's own log, with URLs redacted.
*/
var Notifier = class {
	deps;
	#pending = /* @__PURE__ */ new Set();
	/** Each run's `/start` ping, so that its end ping is never sent before it. */
	#starts = /* @__PURE__ */ new Map();
	#closing = new AbortController();
	constructor(deps) {
		this.deps = deps;
	}
	/** Healthchecks `/start`, as the run begins. */
	runStarted(jobId, runId) {
		const url = this.#jobUrl(jobId, "healthchecksUrl", runId);
		if (!url) return;
		const started = this.#track(async () => {
			const result = await deliver({
				url: pingUrl(url, "start", runId),
				body: "",
				contentType: "text/plain"
			}, this.deps.delivery, this.#closing.signal);
			this.#report(runId, "healthchecks", url, "start ping", result, !result.ok);
		});
		this.#starts.set(runId, started);
	}
	/** Every ended run: the Healthchecks end ping, and alerts when it failed or is the first success after a failure. */
	runEnded(run) {
		try {
			this.#runEnded(run);
		} catch (error) {
			this.deps.log.warn("could not send the notifications of a run", {
				runId: run.id,
				error: String(error)
			});
		}
	}
	#runEnded(run) {
		const started = this.#starts.get(run.id) ?? Promise.resolve();
		this.#starts.delete(run.id);
		if (!run.jobId || run.status === "running" || run.status === "skipped") return;
		const ping = this.#jobUrl(run.jobId, "healthchecksUrl", run.id);
		if (ping) {
			const ok = run.status === "succeeded";
			const body = ok ? "" : `${run.status}: ${run.error ? `[${run.error.code}] ${run.error.message}` : "no error recorded"}`.slice(0, PING_BODY_MAX);
			this.#track(async () => {
				await started;
				const result = await deliver({
					url: pingUrl(ping, ok ? "success" : "fail", run.id),
					body,
					contentType: "text/plain; charset=utf-8"
				}, this.deps.delivery, this.#closing.signal);
				this.#report(run.id, "healthchecks", ping, ok ? "success ping" : "failure ping", result);
			});
		}
		const kind = this.#alertKind(run);
		if (!kind) return;
		const { title, body } = alertText(kind, run);
		const alert = {
			kind,
			title,
			body,
			runId: run.id,
			jobId: run.jobId
		};
		setImmediate(() => this.deps.events.emit("notifications:alert", alert));
		const event = {
			event: kind === "failed" ? "run.failed" : "run.recovered",
			title,
			body,
			run,
			job: {
				id: run.jobId,
				name: run.jobName
			}
		};
		for (const target of this.#webhooks(run.jobId, run.id)) this.#track(async () => {
			const result = await deliver({
				url: target.url,
				body: webhookBody(target.format, event),
				contentType: "application/json"
			}, this.deps.delivery, this.#closing.signal);
			this.#report(run.id, target.channel, target.url, kind === "failed" ? "failure notification" : "recovery notification", result);
		});
	}
	/**
	* One test message through each configured channel, one attempt each, and how each went. The
	* Healthchecks URL gets its `/log` endpoint, which records an event without changing the check.
	*/
	async test(jobId) {
		const job = jobId ? this.deps.jobs.get(jobId) : null;
		const title = "Vaultdesk test notification";
		const body = job ? `Test notification for job ${job.name}: this channel reaches you.` : "Test notification: this channel reaches you.";
		const once = {
			...this.deps.delivery,
			retries: 0
		};
		const sends = [];
		const event = {
			event: "test",
			title,
			body,
			run: null,
			job: job ? {
				id: job.id,
				name: job.name
			} : null
		};
		const secrets = job ? this.deps.jobs.secrets(job.id) : {};
		const targets = [];
		if (secrets.webhookUrl) targets.push({
			channel: "job webhook",
			url: secrets.webhookUrl,
			format: job.webhookFormat
		});
		const global = this.deps.settings.webhookUrl();
		if (global) targets.push({
			channel: "global webhook",
			url: global,
			format: this.deps.settings.get().webhookFormat
		});
		for (const t of targets) sends.push(deliver({
			url: t.url,
			body: webhookBody(t.format, event),
			contentType: "application/json"
		}, once).then((r) => ({
			channel: t.channel,
			target: redactUrl(t.url),
			ok: r.ok,
			message: r.message
		})));
		if (secrets.healthchecksUrl) {
			const url = secrets.healthchecksUrl;
			sends.push(deliver({
				url: pingUrl(url, "log", null),
				body,
				contentType: "text/plain; charset=utf-8"
			}, once).then((r) => ({
				channel: "healthchecks",
				target: redactUrl(url),
				ok: r.ok,
				message: r.message
			})));
		}
		const outcomes = await Promise.all(sends);
		const shown = this.deps.events.listenerCount("notifications:alert") > 0;
		this.deps.events.emit("notifications:alert", {
			kind: "test",
			title,
			body,
			runId: null,
			jobId: job?.id ?? null
		});
		outcomes.push({
			channel: "desktop",
			target: "OS notification",
			ok: shown,
			message: shown ? "handed to the app connected to this process (the desktop app shows it as an OS notification)" : "no desktop app is connected to this process (the CLI cannot show OS notifications)"
		});
		return outcomes;
	}
	/** How many deliveries are still being tried. */
	get pending() {
		return this.#pending.size;
	}
	/** Waits for the deliveries under way (with their retries), up to `limitMs`; true when all ended. */
	async drain(limitMs = Infinity) {
		let timer;
		const limit = Number.isFinite(limitMs) ? new Promise((resolve) => timer = setTimeout(() => resolve(false), limitMs)) : null;
		try {
			while (this.#pending.size > 0) {
				const all = Promise.all([...this.#pending]).then(() => true);
				if (await (limit ? Promise.race([all, limit]) : all) === false) return false;
			}
			return true;
		} finally {
			clearTimeout(timer);
		}
	}
	/** Stops every delivery still being tried (the host is closing); they are logged as stopped. */
	close() {
		this.#closing.abort();
	}
	#alertKind(run) {
		if (run.status === "failed" || run.status === "interrupted") return "failed";
		if (run.status !== "succeeded") return null;
		const before = this.deps.runs.previousOutcome(run);
		return before === "failed" || before === "interrupted" ? "recovered" : null;
	}
	#webhooks(jobId, runId) {
		const targets = [];
		const own = this.#jobUrl(jobId, "webhookUrl", runId);
		if (own) targets.push({
			channel: "job webhook",
			url: own,
			format: this.deps.jobs.get(jobId).webhookFormat
		});
		try {
			const global = this.deps.settings.webhookUrl();
			if (global) targets.push({
				channel: "global webhook",
				url: global,
				format: this.deps.settings.get().webhookFormat
			});
		} catch (error) {
			this.#cannotOpen(runId, "the global webhook", error);
		}
		return targets;
	}
	/** A job's sealed URL, or null; a key that cannot open it is said in the run's log, not thrown. */
	#jobUrl(jobId, name, runId) {
		try {
			const job = this.deps.jobs.get(jobId);
			if (!(name === "webhookUrl" ? job.hasWebhook : job.hasHealthchecks)) return null;
			return this.deps.jobs.secrets(jobId)[name] ?? null;
		} catch (error) {
			this.#cannotOpen(runId, name === "webhookUrl" ? "the job's webhook" : "the job's Healthchecks URL", error);
			return null;
		}
	}
	#cannotOpen(runId, what, error) {
		const message = `No notification was sent to ${what}: ${error instanceof Error ? error.message : String(error)}`;
		this.deps.log.warn("notification not sent", {
			runId,
			what,
			error: message
		});
		this.#appendLog(runId, "warn", message);
	}
	#report(runId, channel, url, what, result, inRunLog = true) {
		const target = redactUrl(url);
		const fields = {
			runId,
			channel,
			what,
			target,
			attempts: result.attempts,
			outcome: result.message
		};
		if (result.ok) this.deps.log.info("notification delivered", fields);
		else this.deps.log.warn("notification not delivered", fields);
		if (inRunLog) this.#appendLog(runId, result.ok ? "info" : "warn", `${capitalized(channel)} ${what} to ${target}: ${result.message}.`);
	}
	#appendLog(runId, level, message) {
		try {
			this.deps.runs.appendLog(runId, {
				time: this.deps.now().toISOString(),
				level,
				message
			});
		} catch (error) {
			this.deps.log.debug("could not add a notification outcome to the run log", {
				runId,
				error: String(error)
			});
		}
	}
	#track(send) {
		const p = send().catch((error) => this.deps.log.warn("notification failed", { error: String(error) }));
		this.#pending.add(p);
		p.finally(() => this.#pending.delete(p));
		return p;
	}
};
/** Healthchecks' endpoints: the URL itself for success, `/start`, `/fail`, `/log`; `rid` pairs a start with its end. */
function pingUrl(base, kind, runId) {
	const url = new URL(base);
	url.pathname = url.pathname.replace(/\/+$/, "") + (kind === "success" ? "" : `/${kind}`);
	if (runId) url.searchParams.set("rid", runId);
	return url.toString();
}
function capitalized(text) {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
// src/main/core/ownership/process-identity.ts
function currentProcessIdentity(kind, pid = process.pid) {
	return {
		startId: randomUUID(),
		pid,
		hostname: hostname(),
		procStart: processStartTime(pid),
		kind
	};
}
/**
* Linux: field 22 of /proc/PID/stat, the start time in clock ticks since boot. It changes when
* the pid is reused, so a live pid with another start time is another process. The command
* name (field 2) may hold spaces and parentheses, so the fields are counted after its last ')'.
*/
function processStartTime(pid) {
	let stat;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	} catch {
		return null;
	}
	return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
}
/** Whether a process with this pid exists on this machine (EPERM: it does, but is not ours). */
function pidExists(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === "EPERM";
	}
}
// src/main/core/ownership/owner-liveness.ts
/** How often a process that owns something says it is alive. */
var HEARTBEAT_MS = 1e4;
/** A process on another machine (a data dir on a share) is gone when its heartbeat is this old. */
var REMOTE_STALE_MS = 6e4;
/**
* Where the OS start time cannot be read (macOS, Windows), a live pid whose heartbeat is this old
* is taken for a reused pid. Generous, because a machine waking from sleep sees every heartbeat
* old at once, and its processes need a moment to beat again.
*/
var UNVERIFIABLE_STALE_MS = 9e5;
function systemProbe(hostname, now) {
	return {
		hostname,
		now,
		pidExists,
		processStartTime
	};
}
/**
* Whether the process that recorded `owner` still runs. On this machine the pid must exist and,
* where the OS tells, have started when the owner did; on another machine only the heartbeat
* can tell.
*/
function ownerAlive(owner, probe) {
	if (!owner) return false;
	const age = probe.now.getTime() - Date.parse(owner.heartbeatAt);
	if (owner.hostname !== probe.hostname) return age < REMOTE_STALE_MS;
	if (!probe.pidExists(owner.pid)) return false;
	if (owner.procStart !== null) {
		const current = probe.processStartTime(owner.pid);
		if (current !== null) return current === owner.procStart;
	}
	return age < UNVERIFIABLE_STALE_MS;
}
// src/main/core/ownership/host-process.ts
var KIND_WORDS = {
	app: "the Vaultdesk app",
	cli: "a vaultdesk command",
	serve: "vaultdesk serve",
	daemon: "vaultdesk daemon",
	test: "a test process"
};
/**
* This process as the other processes sharing the data dir see it. It registers itself only
* once it owns something (a run, the scheduler lease), so a read-only command writes nothing,
* and then beats every few seconds until it closes.
*/
var HostProcess = class {
	identity;
	repo;
	now;
	log;
	#registered = false;
	#timer = null;
	#warnedBeat = false;
	#onBeat = /* @__PURE__ */ new Set();
	constructor(identity, repo, now, log) {
		this.identity = identity;
		this.repo = repo;
		this.now = now;
		this.log = log;
	}
	ensureRegistered() {
		if (this.#registered) return;
		this.repo.register(this.identity, this.now().toISOString());
		this.#registered = true;
		this.#timer = setInterval(() => this.#beat(), HEARTBEAT_MS);
		this.#timer.unref();
	}
	/** Called at every heartbeat (e.g. to look for cancel requests from other processes). */
	onBeat(listener) {
		this.#onBeat.add(listener);
		return () => this.#onBeat.delete(listener);
	}
	#beat() {
		try {
			this.repo.heartbeat(this.identity.startId, this.now().toISOString());
		} catch (error) {
			if (!this.#warnedBeat) this.log.warn("could not record this process as alive", { error: String(error) });
			this.#warnedBeat = true;
		}
		for (const listener of this.#onBeat) listener();
	}
	isSelf(startId) {
		return startId === this.identity.startId;
	}
	isAlive(startId) {
		if (startId === null) return false;
		if (this.isSelf(startId)) return true;
		return ownerAlive(this.repo.get(startId), systemProbe(this.identity.hostname, this.now()));
	}
	/** "vaultdesk serve (pid 4242)", for messages about who holds a run. */
	describe(startId) {
		const record = startId ? this.repo.get(startId) : null;
		return record ? `${KIND_WORDS[record.kind]} (pid ${record.pid})` : "a process that is no longer running";
	}
	/** Registered processes that are gone; their rows are removed. */
	pruneDead() {
		const probe = systemProbe(this.identity.hostname, this.now());
		const dead = this.repo.list().filter((p) => p.startId !== this.identity.startId && !ownerAlive(p, probe));
		for (const p of dead) this.repo.unregister(p.startId);
		return dead;
	}
	close() {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		this.#onBeat.clear();
		if (!this.#registered) return;
		this.#registered = false;
		try {
			this.repo.unregister(this.identity.startId);
		} catch (error) {
			this.log.warn("could not unregister this process", { error: String(error) });
		}
	}
};
var runTempName = (runId) => `run-${runId}`;
// src/main/core/ownership/run-reaper.ts
/** Temp entries that belong to no run (a connection check's, older versions' files) go after this. */
var FOREIGN_TEMP_MS = 36e5;
/** The words an interrupted run is left with. */
function interruptedMessage(run, host) {
	return `The run did not finish: ${run.ownerPid === null ? "the process running it" : `the process running it (pid ${run.ownerPid})`} stopped${run.stage ? ` while ${STAGE_WORDS[run.stage]}` : ""} (killed, crashed, or the machine went down). Found by ${host.describe(host.identity.startId)}; anything it left unfinished at its destinations is removed.`;
}
/**
* What every host does at start, and what makes several processes on one data dir safe: only
* runs whose owner is gone are marked interrupted, only their temp folders, those of restores no
* process runs (`restoreTemp`) and old ones nobody owns are removed. A run whose owner is alive is never touched. Synchronous and local;
* the destinations are cleaned by `cleanDueLeftovers`.
*/
function reapAbandoned(deps) {
	const { runs, host, now } = deps;
	const interrupted = runs.interruptAbandoned((id) => host.isAlive(id), now().toISOString(), (r) => interruptedMessage(r, host));
	for (const r of interrupted) deps.log.warn("a run was interrupted when its process stopped", {
		runId: r.id,
		job: r.jobName,
		pid: r.ownerPid
	});
	host.pruneDead();
	sweepTempFolders(deps, new Set(runs.running().map((r) => r.id)));
	return interrupted;
}
function sweepTempFolders(deps, running) {
	let entries;
	try {
		entries = readdirSync(deps.tempRoot);
	} catch {
		return;
	}
	for (const name of entries) {
		const full = path.join(deps.tempRoot, name);
		const run = /^run-(.+)$/.exec(name);
		const restore = deps.restoreTemp(name);
		if (!(run ? !running.has(run[1]) : restore !== null ? restore === "remove" : isOlderThan(full, FOREIGN_TEMP_MS, deps.now()))) continue;
		try {
			rmSync(full, {
				recursive: true,
				force: true
			});
		} catch (error) {
			deps.log.warn("could not remove a temporary file nobody owns", {
				path: full,
				error: String(error)
			});
		}
	}
}
function isOlderThan(file, ms, now) {
	try {
		return now.getTime() - statSync(file).mtimeMs > ms;
	} catch {
		return false;
	}
}
/** Cleans the destinations of runs that did not finish, where due (optionally only one run's). */
async function cleanDueLeftovers(deps, runId) {
	const due = deps.leftovers.claimDue(deps.now(), runId);
	if (due.length > 0) await cleanUpLeftovers(deps, due);
}
// src/main/core/restore/restore-temp-sweep.ts
/** A SQLite drill's scratch copy, with SQLite's files beside it and the restore's hidden partial file of it. */
var DRILL_FILE = /^\.?(drill-[0-9a-f-]{36}\.sqlite)(?:-wal|-shm|-journal|\.vaultdesk-[0-9a-f-]{36}\.partial(?:-wal|-shm|-journal)?)?$/;
/**
* A restore's entries in the data dir's temporary folder hold the backup in clear: the decrypted
* dump a parallel restore reads (`restore-<id>/`), a SQLite drill's scratch copy
* (`drill-<uuid>.sqlite`). Those of a restore still running, in any process, are kept however old
* they are (a restore may run for hours); those of a restore no process runs any more are removed
* at once, not an hour later. `running` null (the store could not be read): every restore entry is kept.
*/
function restoreTempVerdict(tempRoot, running) {
	const ids = new Set(running?.map((r) => r.id));
	const files = new Set(running?.flatMap((r) => r.targets.map((t) => path.resolve(t))));
	return (name) => {
		const restore = /^restore-(.+)$/.exec(name)?.[1];
		const drill = DRILL_FILE.exec(name)?.[1];
		if (restore === void 0 && drill === void 0) return null;
		if (running === null) return "keep";
		return (restore !== void 0 ? ids.has(restore) : files.has(path.resolve(tempRoot, drill))) ? "keep" : "remove";
	};
}
// src/main/core/runs/backup-planner.ts
/**
* Turns a job into a plan of plain data: the secrets opened, the destinations checked (not
* locked, allowed for the source's environment), and the databases to dump resolved now, so
* "all databases" includes the ones created after the job was defined.
*/
async function planBackup(deps, job, run) {
	const source = deps.sources.get(job.sourceId);
	const env = deps.environments.get(source.environmentId);
	const sourceSecrets = deps.sources.secrets(source.id);
	const destinations = job.destinationIds.map((id) => {
		const dto = deps.destinations.get(id);
		if (dto.locked) throw new AppError("DESTINATION_LOCKED", `Destination "${dto.name}" is locked, so no run may use it. Unlock it or remove it from job "${job.name}".`, { destination: dto.name });
		if (!env.allowAllDestinations && !env.allowedDestinationIds.includes(id)) throw new AppError("DESTINATION_NOT_ALLOWED", `Environment "${env.name}" may not use destination "${dto.name}".`, { destination: dto.name });
		return {
			dto,
			secrets: deps.destinations.secrets(id)
		};
	});
	const encryption = encryptionOf(deps, job);
	const driver = createSourceDriver(source, sourceSecrets, {
		...run.sourceContext,
		onHostKeyPinned: (fp) => deps.sources.pinHostKey(source.id, fp)
	});
	let targets;
	try {
		if (source.engine === "sqlite") targets = [{
			database: null,
			label: path.basename(source.path ?? "database", path.extname(source.path ?? "")),
			kind: "database"
		}];
		else if (job.allDatabases || job.databases.length === 0 && source.allDatabases) {
			targets = (await driver.listDatabases()).map((d) => ({
				database: d,
				label: d,
				kind: "database"
			}));
			if (source.engine === "postgres") targets.unshift({
				database: null,
				label: "_globals",
				kind: "globals"
			});
		} else if (job.databases.length > 0) targets = job.databases.map((d) => ({
			database: d,
			label: d,
			kind: "database"
		}));
		else targets = [{
			database: null,
			label: source.database ?? "database",
			kind: "database"
		}];
	} finally {
		await driver.close();
	}
	const extension = (kind) => kind === "globals" ? "sql" : driver.extension(job.format);
	const uniqueName = (parts) => {
		let sequence = 1;
		while (run.keyTaken(objectName({
			...parts,
			sequence
		}))) sequence++;
		return objectName({
			...parts,
			sequence
		});
	};
	const objects = targets.map((t) => ({
		...t,
		key: uniqueName({
			prefix: job.prefix ?? "{environment}/{database}/",
			environment: env.name,
			database: t.label,
			job: job.name,
			source: source.name,
			time: run.startedAt,
			extension: extension(t.kind),
			compression: encryption.kind === "7z" ? "none" : job.compression,
			encrypted: encryption.kind
		})
	}));
	return {
		runId: run.id,
		appVersion: run.appVersion,
		job: {
			id: job.id,
			name: job.name
		},
		source: {
			dto: source,
			secrets: sourceSecrets
		},
		destinations,
		objects,
		format: job.format,
		compression: encryption.kind === "7z" ? "none" : job.compression,
		compressionLevel: encryption.kind === "7z" ? null : job.compressionLevel,
		encryption,
		sourceContext: run.sourceContext,
		startedAt: run.startedAt.toISOString()
	};
}
function encryptionOf(deps, job) {
	if (job.encryption === "none" || !job.profileId) return { kind: "none" };
	const profile = deps.profiles.get(job.profileId);
	if (job.encryption === "age") return {
		kind: "age",
		recipients: [profile.recipient, ...profile.extraRecipients]
	};
	const passphrase = deps.profiles.secrets(profile.id).passphrase;
	if (!passphrase) throw new AppError("MASTER_KEY_MISSING", `The 7-Zip profile "${profile.name}" has no passphrase any more (the master key was reset). Create a new 7-Zip profile for job "${job.name}".`);
	return {
		kind: "7z",
		passphrase
	};
}
var newRunId = () => randomUUID();
// src/main/core/scheduler/scheduler.ts
/** The lease is renewed, and schedules looked at, at least this often. */
var TICK_MS = 1e4;
/** A tick this much later than planned means the machine slept (or the process was stopped). */
var WOKE_UP_MS = 6e4;
/**
* Runs jobs on their cron schedules while this process holds the data dir's scheduler lease.
* One run per job (a slot that finds the job running is recorded as skipped), at most
* `maxConcurrentRuns` scheduled runs at once over every process (the rest wait in slot order),
* and a slot missed while the app was closed or the machine asleep is run once on start or
* wake-up (catch-up), never once per missed slot.
*/
var Scheduler = class {
	deps;
	#running = false;
	#holding = false;
	#timer = null;
	/** Slots up to this instant have been dealt with. */
	#checkedUpTo = null;
	#plannedTickAt = 0;
	#queue = [];
	constructor(deps) {
		this.deps = deps;
	}
	/** Starts scheduling (or standing by while another process holds the lease). */
	start() {
		if (this.#running) return;
		this.#running = true;
		this.#tick();
	}
	/** Stops scheduling and lets another process take over; runs already started go on. */
	stop() {
		if (!this.#running) return;
		this.#running = false;
		this.deps.clock.clearTimer(this.#timer);
		this.#timer = null;
		this.#queue.length = 0;
		if (this.#holding) {
			this.#holding = false;
			try {
				this.deps.lease.release();
			} catch (error) {
				this.deps.log.warn("could not release the scheduler lease", { error: String(error) });
			}
			this.#changed();
		}
	}
	/** The machine is going to sleep: no tick until it wakes (then `resumed` catches up). */
	suspended() {
		if (!this.#running) return;
		this.deps.log.info("the machine is going to sleep: schedules wait until it wakes up");
		this.deps.clock.clearTimer(this.#timer);
		this.#timer = null;
	}
	/** The machine woke up: what was missed meanwhile is caught up now. */
	resumed() {
		if (!this.#running) return;
		this.deps.log.info("the machine woke up: looking for schedules missed meanwhile");
		this.deps.clock.clearTimer(this.#timer);
		this.#tick(true);
	}
	get holding() {
		return this.#holding;
	}
	/** Jobs waiting for a free slot under the concurrency limit, in the order they will start. */
	queued() {
		return this.#queue.map((q) => ({
			jobId: q.jobId,
			slot: q.slot.toISOString(),
			trigger: q.trigger
		}));
	}
	/** Looks at the schedules now (after a job was saved, schedules were paused or resumed). */
	poke() {
		if (!this.#running) return;
		this.deps.clock.clearTimer(this.#timer);
		this.#tick();
	}
	#tick(woke = false) {
		this.#timer = null;
		if (!this.#running) return;
		const now = this.deps.clock.now();
		let jobs = [];
		try {
			const held = this.deps.lease.tryHold();
			if (held !== this.#holding) {
				this.#holding = held;
				this.#changed();
				this.deps.log.info(held ? "this process now runs the schedules" : "another process runs the schedules");
			}
			if (held) {
				jobs = this.deps.jobs.list().filter((j) => j.enabled && j.schedule !== null);
				this.#schedule(jobs, now, woke || this.#plannedTickAt > 0 && now.getTime() - this.#plannedTickAt > WOKE_UP_MS);
			} else this.#checkedUpTo = null;
		} catch (error) {
			this.deps.log.error("the scheduler could not look at the schedules", { error: String(error) });
		}
		this.#arm(now, jobs);
	}
	#schedule(jobs, now, woke) {
		this.deps.runService.reapDead();
		const paused = this.deps.settings.get().schedulesPaused;
		if (this.#checkedUpTo === null || woke) {
			if (!paused) for (const job of jobs) this.#catchUp(job, now);
		} else if (!paused) for (const job of jobs) {
			const due = slotsBetween(spec(job), this.#checkedUpTo, now);
			if (due.length > 0) this.#enqueue(job, due[due.length - 1], "schedule");
		}
		this.#checkedUpTo = now;
		if (paused) this.#queue.length = 0;
		this.#drain();
	}
	#catchUp(job, now) {
		if (!job.catchUp) return;
		const slot = lastSlotAtOrBefore(spec(job), now);
		if (!slot || slot.getTime() < Date.parse(job.updatedAt)) return;
		const last = this.deps.runs.lastStarted(job.id);
		if (last && Date.parse(last) >= slot.getTime()) return;
		this.#enqueue(job, slot, slot.getTime() === now.getTime() ? "schedule" : "catch-up");
	}
	#enqueue(job, slot, trigger) {
		if (this.#queue.some((q) => q.jobId === job.id)) return;
		const running = this.deps.runs.running().find((r) => r.jobId === job.id);
		if (running) {
			this.#skip(job, slot, `Skipped the ${slotInWords(slot, job.timezone)} run: the previous run (${running.id}) was still running.`);
			return;
		}
		this.#queue.push({
			jobId: job.id,
			slot,
			trigger
		});
		this.#queue.sort((a, b) => a.slot.getTime() - b.slot.getTime());
	}
	/** Starts queued runs, oldest slot first, while fewer than the limit run (in any process). */
	#drain() {
		const limit = this.deps.settings.get().maxConcurrentRuns;
		while (this.#queue.length > 0 && this.deps.runs.running().length < limit) {
			const next = this.#queue.shift();
			let job;
			try {
				job = this.deps.jobs.get(next.jobId);
			} catch {
				continue;
			}
			try {
				const { finished } = this.deps.runService.start(job.id, next.trigger);
				finished.then(() => {
					if (this.#running && this.#holding) this.#drain();
				});
			} catch (error) {
				if (error instanceof AppError && error.code === "RUN_IN_PROGRESS") this.#skip(job, next.slot, `Skipped the ${slotInWords(next.slot, job.timezone)} run: ${error.message}`);
				else this.deps.log.error("a scheduled run could not start", {
					job: job.name,
					error: String(error)
				});
			}
		}
	}
	#skip(job, slot, message) {
		const record = this.deps.runs.recordSkipped({
			id: newRunId(),
			jobId: job.id,
			jobName: job.name,
			at: this.deps.clock.now().toISOString(),
			message
		});
		this.deps.log.warn("a scheduled run was skipped", {
			job: job.name,
			slot: slot.toISOString()
		});
		this.deps.events.emit("runs:finished", record);
	}
	/** Wakes at the next slot of any job, or at the next lease renewal, whichever comes first. */
	#arm(now, jobs) {
		if (!this.#running) return;
		let wait = TICK_MS;
		if (this.#holding) for (const job of jobs) {
			const [next] = slotsBetween(spec(job), now, new Date(now.getTime() + TICK_MS), 1);
			if (next) wait = Math.min(wait, Math.max(0, next.getTime() - now.getTime()));
		}
		this.#plannedTickAt = now.getTime() + wait;
		this.#timer = this.deps.clock.setTimer(() => this.#tick(), wait);
	}
	#changed() {
		this.deps.events.emit("schedules:changed", { holding: this.#holding });
	}
};
function spec(job) {
	return {
		schedule: job.schedule,
		timezone: job.timezone
	};
}
// src/main/core/scheduler/scheduler-clock.ts
var systemClock = {
	now: () => /* @__PURE__ */ new Date(),
	setTimer: (fire, ms) => setTimeout(fire, ms),
	clearTimer: (timer) => clearTimeout(timer)
};
// src/main/core/scheduler/scheduler-lease.ts
var KEY = "scheduler_lease";
/**
* A holder that is alive but has not renewed for this long has a scheduler that stopped without
* letting go (hung, or stopped without release): another may take over.
*/
var STALE_MS = 12e4;
/** A held lease is written again only this often: a renewal is a write, and ticks come every few seconds. */
var RENEW_MS = 3e4;
/**
* One scheduler per data dir: the app, `vaultdesk daemon` and a second app instance may all try;
* the lease row in the store says which one schedules. It is taken and renewed under the write
* lock, and taken over when its holder's process is gone.
*/
var SchedulerLease = class {
	db;
	host;
	now;
	constructor(db, host, now) {
		this.db = db;
		this.host = host;
		this.now = now;
	}
	/** Takes the lease if it is free or its holder is gone, renews it if held; true while this process holds it. */
	tryHold() {
		const me = this.host.identity.startId;
		this.host.ensureRegistered();
		const held = this.#read();
		if (held?.holder === me && this.now().getTime() - Date.parse(held.heartbeatAt) < RENEW_MS) return true;
		return this.db.transaction(() => {
			const at = this.now();
			const current = this.#read();
			const free = current === null || current.holder !== me && (!this.host.isAlive(current.holder) || at.getTime() - Date.parse(current.heartbeatAt) > STALE_MS);
			if (current?.holder !== me && !free) return false;
			const acquiredAt = current?.holder === me ? current.acquiredAt : at.toISOString();
			setMeta(this.db, KEY, JSON.stringify({
				holder: me,
				acquiredAt,
				heartbeatAt: at.toISOString()
			}));
			return true;
		}).immediate();
	}
	release() {
		this.db.transaction(() => {
			if (this.#read()?.holder === this.host.identity.startId) this.db.prepare("DELETE FROM meta WHERE key = ?").run(KEY);
		}).immediate();
	}
	holder() {
		const row = this.#read();
		if (!row) return null;
		return {
			startId: row.holder,
			who: this.host.describe(row.holder),
			acquiredAt: row.acquiredAt,
			heartbeatAt: row.heartbeatAt,
			self: row.holder === this.host.identity.startId
		};
	}
	#read() {
		const text = getMeta(this.db, KEY);
		return text ? JSON.parse(text) : null;
	}
};
// src/main/core/store/leftovers-repository.ts
/** Delays before retrying a cleanup that could not reach its destination. */
var RETRY_MINUTES = [
	1,
	5,
	30,
	120,
	720
];
/** A cleanup claimed by a process is left to it for this long. */
var CLAIM_MS = 12e4;
/**
* The record a run keeps, before sending its first byte, of what it may leave behind at each
* destination if it dies, so whoever finds it dead can remove exactly that.
*/
var LeftoversRepository = class {
	db;
	constructor(db) {
		this.db = db;
	}
	record(runId, entries) {
		const insert = this.db.prepare("INSERT OR IGNORE INTO run_leftovers (run_id, destination_id, object_key) VALUES (?, ?, ?)");
		this.db.transaction(() => {
			for (const e of entries) insert.run(runId, e.destinationId, e.key);
		})();
	}
	setUploadId(runId, destinationId, key, uploadId) {
		this.db.prepare("UPDATE run_leftovers SET upload_id = ? WHERE run_id = ? AND destination_id = ? AND object_key = ?").run(uploadId, runId, destinationId, key);
	}
	forRun(runId) {
		return this.db.prepare("SELECT * FROM run_leftovers WHERE run_id = ? ORDER BY destination_id, object_key").all(runId).map(toLeftover);
	}
	/** Forgets entries whose objects were committed (or never started): nothing of them can be left over. */
	forget(runId, keys) {
		if (!keys) {
			this.db.prepare("DELETE FROM run_leftovers WHERE run_id = ?").run(runId);
			return;
		}
		const remove = this.db.prepare("DELETE FROM run_leftovers WHERE run_id = ? AND object_key = ?");
		this.db.transaction(() => {
			for (const key of keys) remove.run(runId, key);
		})();
	}
	removed(entry) {
		this.db.prepare("DELETE FROM run_leftovers WHERE run_id = ? AND destination_id = ? AND object_key = ?").run(entry.runId, entry.destinationId, entry.key);
	}
	/**
	* Takes the entries of finished runs that are due for cleanup (optionally of one run), marking
	* them taken for a while so another process starting at the same time leaves them alone.
	*/
	claimDue(now, runId) {
		const at = now.toISOString();
		return this.db.transaction(() => {
			const rows = this.db.prepare(`SELECT l.* FROM run_leftovers l JOIN runs r ON r.id = l.run_id
             WHERE r.status != 'running' AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= ?) AND (? IS NULL OR l.run_id = ?)
             ORDER BY l.run_id, l.destination_id, l.object_key`).all(at, runId ?? null, runId ?? null);
			const claim = this.db.prepare("UPDATE run_leftovers SET next_attempt_at = ? WHERE run_id = ? AND destination_id = ? AND object_key = ?");
			const until = new Date(now.getTime() + CLAIM_MS).toISOString();
			for (const r of rows) claim.run(until, r.run_id, r.destination_id, r.object_key);
			return rows.map(toLeftover);
		}).immediate();
	}
	/** The cleanup failed: say why, and when to try again. */
	failed(entry, error, now) {
		const attempts = entry.attempts + 1;
		const next = new Date(now.getTime() + RETRY_MINUTES[Math.min(attempts, RETRY_MINUTES.length) - 1] * 6e4);
		this.db.prepare("UPDATE run_leftovers SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE run_id = ? AND destination_id = ? AND object_key = ?").run(attempts, error, next.toISOString(), entry.runId, entry.destinationId, entry.key);
		return next;
	}
	/** Entries not yet cleaned, whatever their schedule (for `destination cleanup`). */
	forDestination(destinationId) {
		return this.db.prepare("SELECT * FROM run_leftovers WHERE destination_id = ?").all(destinationId).map(toLeftover);
	}
};
function toLeftover(r) {
	return {
		runId: r.run_id,
		destinationId: r.destination_id,
		key: r.object_key,
		uploadId: r.upload_id,
		attempts: r.attempts,
		lastError: r.last_error
	};
}
// src/main/core/store/processes-repository.ts
/** The host processes that own something in this data dir (runs, temp folders, the scheduler lease). */
var ProcessesRepository = class {
	db;
	constructor(db) {
		this.db = db;
	}
	register(identity, now) {
		this.db.prepare(`INSERT INTO processes (start_id, pid, hostname, proc_start, kind, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (start_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`).run(identity.startId, identity.pid, identity.hostname, identity.procStart, identity.kind, now, now);
	}
	heartbeat(startId, now) {
		this.db.prepare("UPDATE processes SET heartbeat_at = ? WHERE start_id = ?").run(now, startId);
	}
	unregister(startId) {
		this.db.prepare("DELETE FROM processes WHERE start_id = ?").run(startId);
	}
	get(startId) {
		const row = this.db.prepare("SELECT * FROM processes WHERE start_id = ?").get(startId);
		return row ? toRecord(row) : null;
	}
	list() {
		return this.db.prepare("SELECT * FROM processes").all().map(toRecord);
	}
};
function toRecord(r) {
	return {
		startId: r.start_id,
		pid: r.pid,
		hostname: r.hostname,
		procStart: r.proc_start,
		kind: r.kind,
		heartbeatAt: r.heartbeat_at
	};
}
// src/main/core/store/runs-repository.ts
var RunsRepository = class {
	db;
	constructor(db) {
		this.db = db;
	}
	/**
	* Records a new running run owned by `owner`. One run per job at a time, whichever process
	* starts it: under the write lock, a running run of the job whose owner is alive refuses the
	* new one; one whose owner is gone is marked interrupted first (its leftovers are cleaned by
	* the caller). The unique index on running runs per job backs this up.
	*/
	create(run, judge) {
		const detail = {
			stageMs: {},
			objects: [],
			error: null,
			log: []
		};
		const interrupted = [];
		this.db.transaction(() => {
			const current = this.db.prepare("SELECT * FROM runs WHERE job_id = ? AND status = 'running'").all(run.jobId).map(toRunning);
			for (const other of current) {
				if (judge.alive(other.ownerStartId)) throw new AppError("RUN_IN_PROGRESS", `Job "${run.jobName}" is already running (run ${other.id}, in ${judge.describe(other.ownerStartId)}).`, { runId: other.id });
				if (this.#interrupt(other, run.startedAt, judge.interruptedMessage(other))) interrupted.push(other);
			}
			this.db.prepare("INSERT INTO runs (id, job_id, job_name, status, trigger, started_at, detail, stage, owner_start_id, owner_pid) VALUES (?, ?, ?, 'running', ?, ?, ?, 'plan', ?, ?)").run(run.id, run.jobId, run.jobName, run.trigger, run.startedAt, JSON.stringify(detail), run.owner.startId, run.owner.pid);
		}).immediate();
		return {
			run: this.get(run.id),
			interrupted
		};
	}
	/** The job's runs still marked running, whoever runs them. */
	runningOf(jobId) {
		return this.db.prepare("SELECT * FROM runs WHERE job_id = ? AND status = 'running' ORDER BY started_at").all(jobId).map(toRunning);
	}
	running() {
		return statement(this.db, "SELECT * FROM runs WHERE status = 'running' ORDER BY started_at").all().map(toRunning);
	}
	/** Where a running run is; kept so that a run cut off can say at which stage. */
	setStage(id, stage) {
		this.db.prepare("UPDATE runs SET stage = ? WHERE id = ? AND status = 'running'").run(stage, id);
	}
	/**
	* Where a running run is: its stage, so a run cut off can say where it stopped, and its latest
	* progress report, so a page opened mid-run (in any process) shows it at once.
	*/
	recordProgress(id, progress) {
		this.db.prepare("UPDATE runs SET stage = ?, detail = json_set(detail, '$.progress', json(?)) WHERE id = ? AND status = 'running'").run(progress.stage, JSON.stringify(progress), id);
	}
	/** Marks runs whose owner is gone as interrupted; returns those this call changed. */
	interruptAbandoned(alive, now, message) {
		return this.db.transaction(() => this.running().filter((r) => !alive(r.ownerStartId) && this.#interrupt(r, now, message(r)))).immediate();
	}
	#interrupt(run, now, message) {
		const row = this.db.prepare("SELECT detail FROM runs WHERE id = ? AND status = 'running'").get(run.id);
		if (!row) return false;
		const detail = JSON.parse(row.detail);
		delete detail.progress;
		detail.error = {
			stage: run.stage ?? "plan",
			code: "INTERRUPTED",
			message
		};
		detail.log.push({
			time: now,
			level: "error",
			message
		});
		return this.db.prepare("UPDATE runs SET status = 'interrupted', finished_at = ?, detail = ? WHERE id = ? AND status = 'running'").run(now, JSON.stringify(detail), run.id).changes > 0;
	}
	/** Asks the process that owns a run to cancel it (it looks at every heartbeat). */
	requestCancel(id, now) {
		this.db.prepare("UPDATE runs SET cancel_requested_at = ? WHERE id = ? AND status = 'running'").run(now, id);
	}
	/** Of these running runs, the ones another process asked to cancel. */
	cancelRequested(ids) {
		if (ids.length === 0) return [];
		return this.db.prepare(`SELECT id FROM runs WHERE cancel_requested_at IS NOT NULL AND status = 'running' AND id IN (${ids.map(() => "?").join(", ")})`).all(...ids).map((r) => r.id);
	}
	/** A scheduled slot that was not run (the job was still running): recorded, so the history says why. */
	recordSkipped(run) {
		const detail = {
			stageMs: {},
			objects: [],
			error: {
				stage: "plan",
				code: "RUN_IN_PROGRESS",
				message: run.message
			},
			log: [{
				time: run.at,
				level: "warn",
				message: run.message
			}]
		};
		this.db.prepare("INSERT INTO runs (id, job_id, job_name, status, trigger, started_at, finished_at, detail) VALUES (?, ?, ?, 'skipped', 'schedule', ?, ?, ?)").run(run.id, run.jobId, run.jobName, run.at, run.at, JSON.stringify(detail));
		return this.get(run.id);
	}
	/** When the job's latest run that really ran (not a skipped slot) started, or null. */
	lastStarted(jobId) {
		return this.db.prepare("SELECT started_at FROM runs WHERE job_id = ? AND status != 'skipped' ORDER BY started_at DESC LIMIT 1").get(jobId)?.started_at ?? null;
	}
	/** Adds a line to a run's log after the fact (e.g. how its leftovers were cleaned). */
	appendLog(id, entry) {
		this.db.transaction(() => {
			const row = this.db.prepare("SELECT detail FROM runs WHERE id = ?").get(id);
			if (!row) return;
			const detail = JSON.parse(row.detail);
			detail.log.push(entry);
			this.db.prepare("UPDATE runs SET detail = ? WHERE id = ?").run(JSON.stringify(detail), id);
		})();
	}
	/** What retention did after the run, with its log lines, added to the finished run's record. */
	recordRetention(id, retention, log) {
		this.db.transaction(() => {
			const row = this.db.prepare("SELECT detail FROM runs WHERE id = ?").get(id);
			if (!row) throw notFound("run", id);
			const detail = JSON.parse(row.detail);
			detail.retention = retention;
			detail.log.push(...log);
			this.db.prepare("UPDATE runs SET detail = ? WHERE id = ?").run(JSON.stringify(detail), id);
		})();
		return this.get(id);
	}
	/** Records a hook that ran after the run was recorded (the post-run hook), with its log lines. */
	recordHooks(id, hooks, entries) {
		this.db.transaction(() => {
			const row = this.db.prepare("SELECT detail FROM runs WHERE id = ?").get(id);
			if (!row) return;
			const detail = JSON.parse(row.detail);
			detail.hooks = {
				...detail.hooks,
				...hooks
			};
			detail.log.push(...entries);
			this.db.prepare("UPDATE runs SET detail = ? WHERE id = ?").run(JSON.stringify(detail), id);
		})();
	}
	/**
	* How the job's last run before this one ended, counting only runs that succeeded, failed or
	* were interrupted (a cancelled run or a skipped slot says nothing about the job's health).
	*/
	previousOutcome(run) {
		if (!run.jobId) return null;
		return this.db.prepare(`SELECT status FROM runs WHERE job_id = ? AND id != ? AND started_at <= ? AND status IN ('succeeded', 'failed', 'interrupted')
         ORDER BY started_at DESC, rowid DESC LIMIT 1`).get(run.jobId, run.id, run.startedAt)?.status ?? null;
	}
	/**
	* What the tray judges a job's health by: its running run, its last run that succeeded, failed
	* or was interrupted, and its last success (at most three rows, newest first).
	*/
	healthFacts(jobId) {
		const latest = (where) => `SELECT * FROM (SELECT status, started_at, finished_at FROM runs WHERE job_id = @jobId AND ${where} ORDER BY started_at DESC, rowid DESC LIMIT 1)`;
		return this.db.prepare(`${latest("status = 'running'")} UNION ALL ${latest("status IN ('succeeded', 'failed', 'interrupted')")} UNION ALL ${latest("status = 'succeeded'")}`).all({ jobId }).map((r) => ({
			status: r.status,
			startedAt: r.started_at,
			finishedAt: r.finished_at
		}));
	}
	/** The final record and the backups it stored, in one transaction. */
	finish(id, outcome) {
		const bytesIn = outcome.detail.objects.reduce((n, o) => n + o.bytesIn, 0);
		const bytesOut = outcome.detail.objects.reduce((n, o) => n + (o.status === "succeeded" ? o.size * o.destinations.length : 0), 0);
		this.db.transaction(() => {
			this.db.prepare("UPDATE runs SET status = ?, finished_at = ?, bytes_in = ?, bytes_out = ?, detail = ? WHERE id = ?").run(outcome.status, outcome.finishedAt, bytesIn, bytesOut, JSON.stringify(outcome.detail), id);
			const insert = this.db.prepare(`INSERT INTO backups (id, run_id, job_id, destination_id, object_key, database_name, size, sha256, manifest, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
			for (const b of outcome.backups) insert.run(b.id, id, b.jobId, b.destinationId, b.key, b.database, b.size, b.sha256, b.manifest, outcome.finishedAt);
		})();
		return this.get(id);
	}
	/** What started a run of this data dir's history; null for a run it does not know (another install's). */
	triggerOf(id) {
		return this.db.prepare("SELECT trigger FROM runs WHERE id = ?").get(id)?.trigger ?? null;
	}
	/** Whether any destination holds a backup under this key. */
	keyTaken(key) {
		return this.db.prepare("SELECT 1 FROM backups WHERE object_key = ? LIMIT 1").get(key) !== void 0;
	}
	get(id) {
		const row = this.db.prepare("SELECT * FROM runs WHERE id = ?").get(id);
		if (!row) throw notFound("run", id);
		return toDto$1(row);
	}
	/** Newest first, of one job and of one status when asked. */
	list(filter) {
		const where = [];
		const params = [];
		if (filter.jobId) {
			where.push("job_id = ?");
			params.push(filter.jobId);
		}
		if (filter.status) {
			where.push("status = ?");
			params.push(filter.status);
		}
		const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
		return this.db.prepare(sql).all(...params, filter.limit).map(toDto$1);
	}
};
function toRunning(r) {
	return {
		id: r.id,
		jobId: r.job_id,
		jobName: r.job_name,
		stage: r.stage,
		ownerStartId: r.owner_start_id,
		ownerPid: r.owner_pid,
		cancelRequested: r.cancel_requested_at !== null
	};
}
function toDto$1(r) {
	const d = JSON.parse(r.detail);
	return {
		id: r.id,
		jobId: r.job_id,
		jobName: r.job_name,
		status: r.status,
		trigger: r.trigger,
		startedAt: r.started_at,
		finishedAt: r.finished_at,
		bytesIn: r.bytes_in,
		bytesOut: r.bytes_out,
		stageMs: d.stageMs,
		objects: d.objects,
		error: d.error,
		log: d.log,
		retention: d.retention ?? null,
		hooks: d.hooks ?? {},
		...r.status === "running" && d.progress ? { progress: d.progress } : {}
	};
}
// src/main/core/store/settings-repository.ts
var TOOL_PATHS = "tool_paths";
var SCHEDULES_PAUSED = "schedules_paused";
var MAX_CONCURRENT_RUNS = "max_concurrent_runs";
var WEBHOOK = "webhook";
var START_AT_LOGIN = "start_at_login";
/** The row of `app_secrets` that holds the settings' secrets. */
var SECRETS_ROW = "settings";
/** App-wide settings, kept in the meta table (secrets in `app_secrets`). */
var SettingsRepository = class {
	db;
	keys;
	constructor(db, keys) {
		this.db = db;
		this.keys = keys;
	}
	get() {
		const webhook = JSON.parse(this.#secretsRow().secret_names).includes("webhookUrl") ? JSON.parse(getMeta(this.db, WEBHOOK) ?? "null") : null;
		return {
			toolPaths: JSON.parse(getMeta(this.db, TOOL_PATHS) ?? "{}"),
			hasWebhook: webhook !== null,
			webhookHost: webhook?.host ?? null,
			webhookFormat: webhook?.format ?? "json",
			schedulesPaused: getMeta(this.db, SCHEDULES_PAUSED) === "true",
			maxConcurrentRuns: Number(getMeta(this.db, MAX_CONCURRENT_RUNS) ?? 2),
			startAtLogin: getMeta(this.db, START_AT_LOGIN) === "true"
		};
	}
	setSchedulesPaused(paused) {
		setMeta(this.db, SCHEDULES_PAUSED, String(paused));
		return this.get();
	}
	/** Stored for the data dir; the desktop app makes the OS start it at login accordingly. */
	setStartAtLogin(enabled) {
		setMeta(this.db, START_AT_LOGIN, String(enabled));
		return this.get();
	}
	setMaxConcurrentRuns(limit) {
		setMeta(this.db, MAX_CONCURRENT_RUNS, String(limit));
		return this.get();
	}
	setToolPath(tool, path) {
		const toolPaths = { ...this.get().toolPaths };
		if (path === null) delete toolPaths[tool];
		else toolPaths[tool] = path;
		setMeta(this.db, TOOL_PATHS, JSON.stringify(toolPaths));
		return this.get();
	}
	/** Sets or (null) removes the global webhook. */
	setWebhook(url, format) {
		const sealed = url === null ? {
			sealed: null,
			names: []
		} : sealSecrets(this.keys.box(), "app_secrets", SECRETS_ROW, { webhookUrl: url });
		this.db.transaction(() => {
			this.db.prepare("UPDATE app_secrets SET secrets = ?, secret_names = ? WHERE id = ?").run(sealed.sealed, JSON.stringify(sealed.names), SECRETS_ROW);
			setMeta(this.db, WEBHOOK, JSON.stringify(url === null ? null : {
				host: redactUrl(url),
				format
			}));
		})();
		return this.get();
	}
	/** The global webhook's URL, for the notifier only; null when there is none. */
	webhookUrl() {
		const row = this.#secretsRow();
		if (!JSON.parse(row.secret_names).includes("webhookUrl")) return null;
		return openSecrets(this.keys.box(), "app_secrets", SECRETS_ROW, row.secrets).webhookUrl ?? null;
	}
	#secretsRow() {
		return statement(this.db, "SELECT secrets, secret_names FROM app_secrets WHERE id = ?").get(SECRETS_ROW);
	}
};
// src/main/core/retention/calendar-periods.ts
var formatters = /* @__PURE__ */ new Map();
function formatterFor(timeZone) {
	let f = formatters.get(timeZone);
	if (!f) {
		try {
			f = new Intl.DateTimeFormat("en-US", {
				timeZone,
				year: "numeric",
				month: "numeric",
				day: "numeric",
				calendar: "gregory",
				numberingSystem: "latn"
			});
		} catch {
			throw new AppError("VALIDATION_FAILED", `"${timeZone}" is not a time zone (use a name like Europe/Paris or UTC).`, { field: "timezone" });
		}
		formatters.set(timeZone, f);
	}
	return f;
}
/** The calendar date of an instant on the wall clocks of `timeZone`. */
function localDate(instant, timeZone) {
	const parts = formatterFor(timeZone).formatToParts(instant);
	const part = (type) => Number(parts.find((p) => p.type === type).value);
	return {
		year: part("year"),
		month: part("month"),
		day: part("day")
	};
}
/** ISO 8601 week: weeks start on Monday, and week 1 is the one holding the year's first Thursday. */
function isoWeek(year, month, day) {
	const date = Date.UTC(year, month - 1, day);
	const weekday = (new Date(date).getUTCDay() + 6) % 7;
	const thursday = new Date(date + (3 - weekday) * 864e5);
	const weekYear = thursday.getUTCFullYear();
	return {
		year: weekYear,
		week: Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 6048e5) + 1
	};
}
var pad = (n, width = 2) => String(n).padStart(width, "0");
/**
* Periods are calendar ones on the job's wall clock, not 24-hour spans: a DST day of 23 or 25
* hours is one day, and a backup at 00:30 in Paris belongs to that Paris date whatever UTC says.
*/
function calendarPeriods(instant, timeZone) {
	const { year, month, day } = localDate(instant, timeZone);
	const week = isoWeek(year, month, day);
	return {
		daily: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
		weekly: `${pad(week.year, 4)}-W${pad(week.week)}`,
		monthly: `${pad(year, 4)}-${pad(month)}`,
		yearly: pad(year, 4)
	};
}
// src/main/core/retention/retention-policy.ts
var NO_RULES_REASON = "no retention rules";
var PERIOD_RULES = [
	"daily",
	"weekly",
	"monthly",
	"yearly"
];
/** Whether the policy has a keep rule at all; one without any keeps everything (as restic refuses an empty policy). */
function hasKeepRules(policy) {
	return policy !== null && [policy.keepLast, ...PERIOD_RULES.map((p) => policy[p])].some((n) => n !== null && n > 0);
}
/**
* Decides, for every backup, keep or delete, and why. Pure: the same backups, policy and time
* zone give the same answer.
*
* The keep rules are restic's `forget` ones, applied to each database on its own:
* - `keepLast` n: the n most recent backups.
* - `daily`/`weekly`/`monthly`/`yearly` n: for the last n days (ISO weeks, months, years) that
*   have one or more backups, the most recent backup of each; periods without a backup do not
*   count, so a stopped job never loses its last backups to the calendar. Periods are those of
*   `timeZone`'s wall clock. When a rule still has periods to fill after the oldest backup, that
*   oldest backup is kept too ("oldest daily ..."), so the history kept is as long as it can be.
* - A backup is kept when any rule keeps it.
* - `minimum`: the `minimum` most recent backups are never deleted, whatever the rules say.
* - Pinned backups are always kept and count toward no rule.
* - A policy without a keep rule (or no policy) keeps everything.
*
* The result is grouped by database (sorted by name), newest first within each.
*/
function applyRetentionPolicy(backups, policy, timeZone) {
	const byDatabase = /* @__PURE__ */ new Map();
	for (const b of backups) byDatabase.set(b.database, [...byDatabase.get(b.database) ?? [], b]);
	return [...byDatabase.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0).flatMap((database) => decideOneDatabase(byDatabase.get(database), policy, timeZone));
}
function decideOneDatabase(backups, policy, timeZone) {
	const newestFirst = backups.map((backup) => ({
		backup,
		time: new Date(backup.createdAt).getTime()
	})).sort((a, b) => b.time - a.time || (a.backup.key < b.backup.key ? 1 : a.backup.key > b.backup.key ? -1 : 0));
	const reasons = new Map(newestFirst.map(({ backup }) => [backup, backup.pinned ? ["pinned"] : []]));
	const counted = newestFirst.filter(({ backup }) => !backup.pinned);
	if (!hasKeepRules(policy)) for (const { backup } of counted) reasons.get(backup).push(NO_RULES_REASON);
	else {
		if (policy.keepLast !== null) for (const { backup } of counted.slice(0, policy.keepLast)) reasons.get(backup).push(`last ${policy.keepLast}`);
		const periods = counted.map(({ backup, time }) => ({
			backup,
			periods: calendarPeriods(new Date(time), timeZone)
		}));
		for (const rule of PERIOD_RULES) {
			let left = policy[rule] ?? 0;
			let previous = null;
			periods.forEach(({ backup, periods: p }, index) => {
				if (left <= 0) return;
				const period = p[rule];
				const oldest = index === periods.length - 1;
				if (period === previous && !oldest) return;
				reasons.get(backup).push(`${period === previous ? "oldest " : ""}${rule} ${period}`);
				previous = period;
				left -= 1;
			});
		}
		for (const { backup } of counted.slice(0, policy.minimum)) reasons.get(backup).push("minimum");
	}
	return newestFirst.map(({ backup }) => {
		const why = reasons.get(backup);
		return {
			backup,
			action: why.length > 0 ? "keep" : "delete",
			reasons: why
		};
	});
}
// src/main/core/retention/retention-service.ts
/** After these, the other deletes at the destination would fail the same way (or wait as long): stop. */
var DESTINATION_WIDE = /* @__PURE__ */ new Set([
	"DESTINATION_UNREACHABLE",
	"DESTINATION_AUTH_FAILED",
	"DESTINATION_LOCKED",
	"HOST_KEY_CHANGED",
	"MASTER_KEY_MISMATCH",
	"MASTER_KEY_MISSING",
	"MASTER_KEY_UNAVAILABLE",
	"SECRET_CORRUPT"
]);
/** A job's retention policy, previewed or applied to its backups at each of its destinations. */
var RetentionService = class {
	deps;
	constructor(deps) {
		this.deps = deps;
	}
	/**
	* What the policy would keep and delete now, per destination and database, with the rules that
	* keep each backup; deletes nothing. `policy` previews another policy than the saved one (a form
	* about to change it); undefined means the saved one.
	*/
	preview(jobId, policy) {
		const job = this.deps.jobs.get(jobId);
		const timeZone = this.#timeZoneOf(job);
		const applied = policy === void 0 ? job.retention : policy;
		return {
			jobId: job.id,
			jobName: job.name,
			policy: applied,
			timeZone,
			destinations: job.destinationIds.map((destinationId) => {
				const databases = /* @__PURE__ */ new Map();
				for (const d of applyRetentionPolicy(this.deps.backups.listFor(job.id, destinationId), applied, timeZone)) {
					const { id, key, database, createdAt, pinned } = d.backup;
					if (!databases.has(database)) databases.set(database, {
						database,
						backups: []
					});
					databases.get(database).backups.push({
						id,
						key,
						database,
						createdAt,
						pinned,
						action: d.action,
						reasons: d.reasons
					});
				}
				return {
					destinationId,
					destination: this.deps.destinations.get(destinationId).name,
					databases: [...databases.values()]
				};
			})
		};
	}
	/**
	* After a successful run of a job with a policy: at each of the job's destinations, deletes the
	* backups the policy lets go, never the ones this run made, and records on the run what was
	* kept, deleted or could not be deleted. Never throws and never fails the run.
	*/
	async afterRun(run) {
		if (run.status !== "succeeded" || run.jobId === null) return run;
		try {
			const job = this.deps.jobs.get(run.jobId);
			if (!job.retention) return run;
			const log = [];
			const results = [];
			for (const destinationId of job.destinationIds) results.push(await this.#applyAt(job, destinationId, run.id, log));
			return this.deps.runs.recordRetention(run.id, results, log);
		} catch (error) {
			this.deps.log.warn("retention could not be applied", {
				runId: run.id,
				error: String(error)
			});
			return run;
		}
	}
	async #applyAt(job, destinationId, runId, log) {
		const { deps } = this;
		const destination = deps.destinations.get(destinationId);
		const note = (level, message) => {
			log.push({
				time: deps.now().toISOString(),
				level,
				message
			});
		};
		const stored = deps.backups.listFor(job.id, destinationId);
		const doomed = applyRetentionPolicy(stored, job.retention, this.#timeZoneOf(job)).filter((d) => d.action === "delete" && d.backup.runId !== runId).map((d) => d.backup);
		const result = {
			destinationId,
			destination: destination.name,
			kept: stored.length,
			deleted: [],
			error: null
		};
		if (doomed.length === 0) {
			note("info", `Retention (${describeRetention(job.retention)}) on destination "${destination.name}": all ${stored.length} backup(s) kept, none is due for deletion.`);
			return result;
		}
		let failure = null;
		let driver = null;
		try {
			if (!destination.locked) driver = createDestinationDriver(destination, deps.destinations.secrets(destinationId), {
				log: deps.log,
				onHostKeyPinned: (fp) => deps.destinations.pinHostKey(destinationId, fp)
			});
			for (const backup of doomed) try {
				await deleteBackup(deps, backup.id, driver ? { driver } : {});
				result.deleted.push(backup.key);
			} catch (error) {
				if (error instanceof AppError && (error.code === "BACKUP_PINNED" || error.code === "IN_USE")) {
					note("info", error.message);
					continue;
				}
				failure ??= asAppError$1(error);
				if (error instanceof AppError && DESTINATION_WIDE.has(error.code)) break;
			}
		} catch (error) {
			failure ??= asAppError$1(error);
		} finally {
			await driver?.close().catch(() => void 0);
		}
		result.kept = stored.length - result.deleted.length;
		if (result.deleted.length > 0) note("info", `Retention (${describeRetention(job.retention)}) on destination "${destination.name}": deleted ${result.deleted.length} backup(s) with their manifests (${result.deleted.join(", ")}); ${result.kept} kept.`);
		if (failure) {
			const left = doomed.length - result.deleted.length;
			result.error = {
				code: failure.code,
				message: `Could not delete ${left} of the ${doomed.length} backup(s) the retention policy lets go: ${failure.message}`
			};
			note("warn", `Retention on destination "${destination.name}" did not finish: ${result.error.message} The backup itself succeeded; retention tries again after the next successful run.`);
			deps.log.warn("retention did not finish", {
				destination: destination.name,
				code: failure.code
			});
		}
		return result;
	}
	#timeZoneOf(job) {
		return job.timezone ?? this.deps.timeZone;
	}
};
function asAppError$1(error) {
	return error instanceof AppError ? error : new AppError("INTERNAL", `Unexpected error while deleting: ${error instanceof Error ? error.message : String(error)}`);
}
// src/shared/domain/run-words.ts
/** `Stored 3 backups on "local" and "offsite".`: what a run that succeeded left, and where. */
function storedWords(objects) {
	const names = [...new Set(objects.flatMap((o) => o.destinations.map((d) => `"${d.name}"`)))];
	const where = names.length <= 1 ? names[0] ?? "no destination" : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
	return `Stored ${counted(objects.length, "backup")} on ${where}.`;
}
// src/main/core/runs/progress-saver.ts
/** How often a running run's progress is written to the store: enough for a page opened mid-run. */
var PROGRESS_SAVE_MS$1 = 1e3;
/**
* Keeps a run's latest progress in the store without a write per report (the pipeline sends up
* to five a second): a new stage is written at once, the rest at most once a second, the last
* one always. Saving is best effort: a store that cannot be written never fails the run.
*/
var ProgressSaver = class {
	save;
	log;
	#stage = null;
	#savedAt = 0;
	#pending = null;
	#timer = null;
	constructor(save, log) {
		this.save = save;
		this.log = log;
	}
	offer(report) {
		this.#pending = report;
		const wait = PROGRESS_SAVE_MS$1 - (Date.now() - this.#savedAt);
		if (report.stage !== this.#stage || wait <= 0) return this.#flush();
		this.#timer ??= setTimeout(() => this.#flush(), wait);
		this.#timer.unref();
	}
	stop() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#pending = null;
	}
	#flush() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		const report = this.#pending;
		if (!report) return;
		this.#pending = null;
		this.#stage = report.stage;
		this.#savedAt = Date.now();
		try {
			this.save(report);
		} catch (error) {
			this.log.debug("could not record the run progress", {
				runId: report.runId,
				error: String(error)
			});
		}
	}
};
// src/main/core/hooks/hook-runner.ts
/** The end of a hook's output is what says why it failed; 64 KiB keeps a run record small. */
var HOOK_OUTPUT_KEEP = 65536;
/** How long a hook gets to exit after SIGTERM (timeout, cancel) before it is killed outright. */
var KILL_GRACE_MS = 5e3;
/**
* A hook that exits may leave a background child holding its output open (`ssh -f`, a daemon it
* started): its output is read for this long after the exit, not until that child ends.
*/
var OUTPUT_DRAIN_MS = 1e3;
/**
* Where a hook runs: the home directory of the user Vaultdesk runs as, as cron does, so a hook
* with relative paths behaves the same under the app, the daemon and a CLI command, whichever
* folder each was started from. Without a home directory, the root of the file system.
*/
function hookWorkingDir(home = homedir()) {
	try {
		if (home && statSync(home).isDirectory()) return home;
	} catch {}
	return process.platform === "win32" ? (process.env.SystemDrive ?? "C:") + "\\" : "/";
}
/**
* The environment a hook runs with: the host's tool environment without any of Vaultdesk's own
* variables (a master key given by environment must never reach a hook, even if a host forgot to
* remove it), plus the run's facts.
*/
function hookEnv(toolEnv, facts) {
	const env = {};
	for (const [name, value] of Object.entries(toolEnv)) if (value !== void 0 && !/^VAULTDESK_/i.test(name)) env[name] = value;
	return {
		...env,
		...facts
	};
}
/**
* Runs one hook to its end and says how it went; never rejects. It runs in a process group of its
* own, so a timeout or cancel stops whatever it started too (a shell's children, a pipeline).
*/
function runHook(req) {
	const startedAt = req.now();
	const output = new OutputTail(HOOK_OUTPUT_KEEP);
	const label = describeHook(req.command);
	const posix = process.platform !== "win32";
	const finish = (outcome, exitCode, signal, what) => ({
		command: label,
		outcome,
		exitCode,
		signal,
		startedAt: startedAt.toISOString(),
		durationMs: Math.max(0, req.now().getTime() - startedAt.getTime()),
		output: output.text(),
		outputTruncated: output.truncated,
		message: `The ${req.which}-run hook \`${label}\` ${what}.`
	});
	if (req.signal.aborted) return Promise.resolve(finish("cancelled", null, null, "was not run: the run was cancelled first"));
	let child;
	try {
		const options = {
			cwd: hookWorkingDir(),
			env: req.env,
			stdio: [
				"ignore",
				"pipe",
				"pipe"
			],
			detached: posix,
			windowsHide: true
		};
		child = req.command.shell ? spawn(req.command.script, {
			...options,
			shell: true
		}) : spawn(req.command.argv[0], req.command.argv.slice(1), {
			...options,
			shell: false
		});
	} catch (error) {
		return Promise.resolve(finish("not-started", null, null, startFailure(req.command, error)));
	}
	return new Promise((resolve) => {
		let stopping = null;
		let killTimer;
		const signalGroup = (sig) => {
			if (child.pid === void 0) return;
			try {
				if (posix) process.kill(-child.pid, sig);
				else spawn("taskkill", [
					"/pid",
					String(child.pid),
					"/T",
					"/F"
				], {
					stdio: "ignore",
					windowsHide: true
				}).on("error", () => child.kill());
			} catch {}
		};
		const stop = (why) => {
			if (stopping) return;
			stopping = why;
			signalGroup("SIGTERM");
			killTimer = setTimeout(() => signalGroup("SIGKILL"), req.killGraceMs ?? KILL_GRACE_MS);
		};
		const timer = setTimeout(() => stop("timed-out"), req.timeoutMs);
		const onAbort = () => stop("cancelled");
		req.signal.addEventListener("abort", onAbort, { once: true });
		if (req.signal.aborted) onAbort();
		const streams = [child.stdout, child.stderr];
		for (const s of streams) s.on("data", (chunk) => output.add(chunk));
		const streamsClosed = Promise.all(streams.map((s) => new Promise((done) => s.closed ? done() : s.once("close", () => done()))));
		let settled = false;
		const settle = (result) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			clearTimeout(killTimer);
			req.signal.removeEventListener("abort", onAbort);
			resolve(result);
		};
		child.once("error", (error) => {
			if (child.pid === void 0) settle(finish("not-started", null, null, startFailure(req.command, error)));
		});
		child.once("exit", (code, signal) => {
			let drained;
			const drainLimit = new Promise((done) => drained = setTimeout(done, OUTPUT_DRAIN_MS));
			Promise.race([streamsClosed, drainLimit]).then(() => {
				clearTimeout(drained);
				for (const s of streams) s.destroy();
				if (stopping === "timed-out") settle(finish("timed-out", code, signal, `did not finish within ${durationWords(req.timeoutMs)} and was stopped`));
				else if (stopping === "cancelled") settle(finish("cancelled", code, signal, "was stopped because the run was cancelled"));
				else if (code === 0) settle(finish("succeeded", 0, null, "succeeded"));
				else settle(finish("failed", code, signal, code !== null ? `exited with code ${code}` : `was ended by signal ${signal}`));
			});
		});
	});
}
/** The last few lines of a hook's output, for an error message. */
function lastLines(output, lines = 5, chars = 600) {
	const tail = output.trimEnd().split(/\r?\n/).slice(-lines).join("\n");
	return tail.length > chars ? `…${tail.slice(-chars)}` : tail;
}
function startFailure(command, error) {
	const code = error?.code;
	const program = command.shell ? "the shell" : `\`${command.argv[0]}\``;
	if (code === "ENOENT") return command.shell ? "could not be started: no shell was found" : `could not be started: ${program} was not found (a hook runs without a shell: give the program's full path, or make it a shell hook)`;
	if (code === "EACCES") return `could not be started: ${program} is not executable (check its permissions)`;
	return `could not be started (${code ?? "unknown error"})`;
}
function durationWords(ms) {
	const s = Math.round(ms / 1e3);
	if (s < 120) return `${s} s`;
	if (s < 7200) return `${Math.round(s / 60)} min`;
	return `${Math.round(s / 3600)} h`;
}
/** The last `keep` bytes written, without holding more than twice that. */
var OutputTail = class {
	keep;
	#kept = Buffer.alloc(0);
	#total = 0;
	constructor(keep) {
		this.keep = keep;
	}
	add(chunk) {
		this.#total += chunk.length;
		this.#kept = Buffer.concat([this.#kept, chunk]);
		if (this.#kept.length > this.keep * 2) this.#kept = this.#kept.subarray(this.#kept.length - this.keep);
	}
	get truncated() {
		return this.#total > this.keep;
	}
	text() {
		return this.#kept.subarray(Math.max(0, this.#kept.length - this.keep)).toString("utf8");
	}
};
// src/main/core/runs/run-hooks.ts
/** What every hook of a run is told about it. */
function runFacts(job, runId, trigger) {
	return {
		VAULTDESK_RUN_ID: runId,
		VAULTDESK_JOB: job.name,
		VAULTDESK_JOB_ID: job.id,
		VAULTDESK_TRIGGER: trigger
	};
}
/**
* The job's pre-run hook, before anything is planned or dumped. Its record goes into `hooks.pre`;
* it throws HOOK_FAILED (with the hook's last output lines) when the hook did not succeed, or the
* run's own abort reason when the run was cancelled or timed out meanwhile.
*/
async function runPreHook(deps, job, runId, signal, hooks, note) {
	const trigger = deps.runs.get(runId).trigger;
	const report = {
		runId,
		jobName: job.name,
		stage: "pre-hook",
		database: null,
		objectIndex: 0,
		objectCount: 0,
		bytesDumped: 0,
		bytesStored: 0
	};
	deps.runs.recordProgress(runId, report);
	deps.events.emit("runs:progress", report);
	const result = await runHook({
		which: "pre",
		command: job.preHook,
		timeoutMs: job.hookTimeoutSeconds * 1e3,
		env: hookEnv(deps.toolEnv, runFacts(job, runId, trigger)),
		signal,
		now: deps.now
	});
	hooks.pre = result;
	if (result.outcome === "succeeded") {
		note("info", result.message);
		deps.runs.setStage(runId, "plan");
		return;
	}
	if (result.outcome === "cancelled" && signal.reason instanceof AppError) throw signal.reason;
	const tail = lastLines(result.output);
	throw new AppError("HOOK_FAILED", `${result.message} Nothing was backed up.${tail ? ` Its last output:\n${tail}` : " It printed nothing."}`, {
		hook: "pre",
		outcome: result.outcome,
		exitCode: result.exitCode
	});
}
/**
* The job's post-run hook, once the run is recorded, with the run's outcome in its environment. A
* failure is recorded with the run and logged; the run's status stays what it was.
*/
async function runPostHook(deps, job, run, signal) {
	const env = hookEnv(deps.toolEnv, {
		...runFacts(job, run.id, run.trigger),
		VAULTDESK_STATUS: run.status,
		VAULTDESK_ERROR: run.error?.message ?? "",
		VAULTDESK_ERROR_CODE: run.error?.code ?? "",
		VAULTDESK_ERROR_STAGE: run.error?.stage ?? ""
	});
	const result = await runHook({
		which: "post",
		command: job.postHook,
		timeoutMs: job.hookTimeoutSeconds * 1e3,
		env,
		signal,
		now: deps.now
	});
	const ok = result.outcome === "succeeded";
	const tail = ok ? "" : lastLines(result.output);
	const message = ok ? result.message : `${result.message.replace(/\.$/, "")}; the run stays ${run.status}.${tail ? ` Its last output:\n${tail}` : ""}`;
	deps.runs.recordHooks(run.id, { post: result }, [{
		time: deps.now().toISOString(),
		level: ok ? "info" : "warn",
		message
	}]);
	if (!ok) deps.log.warn("post-run hook failed", {
		runId: run.id,
		job: job.name,
		outcome: result.outcome,
		exitCode: result.exitCode
	});
	return deps.runs.get(run.id);
}
// src/main/core/runs/run-service.ts
/** How often this process looks for cancel requests made by other processes while it runs something. */
var CANCEL_POLL_MS$1 = 1e3;
/**
* Starts runs and records them. One run per job at a time is enforced in the store, so it holds
* across every process sharing the data dir; each run records its owner (this process) and,
* before a byte is sent, what it is about to create at each destination.
*/
var RunService = class {
	deps;
	#active = /* @__PURE__ */ new Map();
	#poll = null;
	/** Set by stopAll: no run may start, and no post-run hook, while the host closes. */
	#stopping = null;
	constructor(deps) {
		this.deps = deps;
	}
	/** Starts a run and returns at once; `finished` settles with the final record (never rejects). */
	start(jobId, trigger) {
		const { deps } = this;
		if (this.#stopping) throw new AppError("CANCELLED", "Vaultdesk is shutting down: no new run can start.");
		const job = deps.jobs.get(jobId);
		deps.host.ensureRegistered();
		const runId = newRunId();
		const startedAt = deps.now();
		const { interrupted } = deps.runs.create({
			id: runId,
			jobId: job.id,
			jobName: job.name,
			trigger,
			startedAt: startedAt.toISOString(),
			owner: {
				startId: deps.host.identity.startId,
				pid: deps.host.identity.pid
			}
		}, {
			alive: (id) => deps.host.isAlive(id),
			describe: (id) => deps.host.describe(id),
			interruptedMessage: (r) => interruptedMessage(r, deps.host)
		});
		for (const r of interrupted) {
			deps.notifier.runEnded(deps.runs.get(r.id));
			rmSync(path.join(deps.tempRoot, runTempName(r.id)), {
				recursive: true,
				force: true
			});
			cleanDueLeftovers(deps.cleanup, r.id).catch((error) => deps.log.warn("leftover cleanup failed", {
				runId: r.id,
				error: String(error)
			}));
		}
		const controller = new AbortController();
		let timer;
		if (job.timeoutMinutes) timer = setTimeout(() => controller.abort(new AppError("TIMEOUT", `The run took longer than the job's ${job.timeoutMinutes}-minute timeout and was stopped; nothing was kept.`)), job.timeoutMinutes * deps.minuteMs);
		const finished = this.#execute(runId, job.id, startedAt, controller).finally(() => {
			clearTimeout(timer);
			this.#active.delete(job.id);
			this.#pollCancels();
		});
		this.#active.set(job.id, {
			runId,
			controller,
			finished
		});
		this.#pollCancels();
		return {
			runId,
			finished
		};
	}
	/**
	* Cancels a run, whichever process runs it: this one's at once; another live process's at
	* its next look at the store (within a second or so); a run whose process is gone is marked
	* interrupted and cleaned up here.
	*/
	cancel(runId) {
		const { deps } = this;
		const active = [...this.#active.values()].find((a) => a.runId === runId);
		if (active) {
			active.controller.abort(new AppError("CANCELLED", "The run was cancelled; nothing was kept."));
			return deps.runs.get(runId);
		}
		const run = deps.runs.get(runId);
		const owner = deps.runs.running().find((r) => r.id === runId);
		if (run.status !== "running" || !owner) throw new AppError("VALIDATION_FAILED", `Run ${runId} is not running (it ${run.status}).`);
		if (deps.host.isAlive(owner.ownerStartId)) deps.runs.requestCancel(runId, deps.now().toISOString());
		else this.reapDead();
		return deps.runs.get(runId);
	}
	/**
	* Runs whose process is gone (killed, crashed, its machine off) are marked interrupted, told to
	* the notifications, and what they left is cleaned up. Every start does this; the scheduler asks
	* at each tick too, so a run killed under a process that keeps running (a daemon, the app) does
	* not hold its job's next slots as "still running".
	*/
	reapDead() {
		const { deps } = this;
		return deps.runs.interruptAbandoned((id) => deps.host.isAlive(id), deps.now().toISOString(), (r) => interruptedMessage(r, deps.host)).map((r) => {
			deps.log.warn("a run was interrupted when its process stopped", {
				runId: r.id,
				job: r.jobName,
				pid: r.ownerPid
			});
			const run = deps.runs.get(r.id);
			deps.notifier.runEnded(run);
			rmSync(path.join(deps.tempRoot, runTempName(r.id)), {
				recursive: true,
				force: true
			});
			cleanDueLeftovers(deps.cleanup, r.id).catch(() => void 0);
			return run;
		});
	}
	/** For the CLI: cancel with a given reason (e.g. interrupted from the terminal). */
	abort(runId, reason) {
		[...this.#active.values()].find((a) => a.runId === runId)?.controller.abort(reason);
	}
	activeRuns() {
		return [...this.#active.values()].map((a) => a.runId);
	}
	/**
	* Lets this process's runs finish for up to `graceMs`, then cancels the rest and waits for each
	* to record its end (hosts call it on SIGTERM and quit).
	*/
	async stopAll(reason, graceMs = 0) {
		this.#stopping = reason;
		const all = () => Promise.all([...this.#active.values()].map((a) => a.finished));
		if (graceMs > 0 && this.#active.size > 0) {
			let timer;
			await Promise.race([all(), new Promise((resolve) => timer = setTimeout(resolve, graceMs))]);
			clearTimeout(timer);
		}
		for (const a of this.#active.values()) a.controller.abort(reason);
		await all();
	}
	#pollCancels() {
		if (this.#active.size === 0) {
			if (this.#poll) clearInterval(this.#poll);
			this.#poll = null;
			return;
		}
		this.#poll ??= setInterval(() => {
			try {
				for (const id of this.deps.runs.cancelRequested(this.activeRuns())) this.abort(id, new AppError("CANCELLED", "The run was cancelled from another Vaultdesk window or command; nothing was kept."));
			} catch (error) {
				this.deps.log.debug("could not look for cancel requests", { error: String(error) });
			}
		}, CANCEL_POLL_MS$1);
		this.#poll.unref();
	}
	async #execute(runId, jobId, startedAt, controller) {
		const { deps } = this;
		const job = deps.jobs.get(jobId);
		const log = [];
		const note = (level, message) => {
			log.push({
				time: deps.now().toISOString(),
				level,
				message
			});
		};
		const stageMs = {};
		const tempDir = path.join(deps.tempRoot, runTempName(runId));
		let objects = [];
		let error = null;
		let manifests = {};
		let abandoned = false;
		const hooks = {};
		let spare = null;
		try {
			try {
				mkdirSync(tempDir, {
					recursive: true,
					mode: 448
				});
			} catch (cause) {
				throw fsAppError(cause, "STORE_WRITE_FAILED", "Could not make the run's temporary folder in the data dir", {
					path: tempDir,
					device: deps.tempRoot
				});
			}
			note("info", `Run started for job "${job.name}".`);
			deps.notifier.runStarted(job.id, runId);
			if (job.preHook) await runPreHook(deps, job, runId, controller.signal, hooks, note);
			spare = SpareWorker.start(deps.workerFile);
			const plan = await planBackup(deps, job, {
				id: runId,
				startedAt,
				appVersion: deps.appVersion,
				sourceContext: {
					tempDir,
					env: deps.toolEnv,
					toolPaths: deps.settings.get().toolPaths
				},
				keyTaken: (key) => deps.runs.keyTaken(key)
			});
			note("info", `Backing up ${plan.objects.map((o) => o.label).join(", ")} to ${plan.destinations.map((d) => d.dto.name).join(", ")}.`);
			if (controller.signal.aborted) throw controller.signal.reason;
			deps.leftovers.record(runId, plan.destinations.flatMap((d) => plan.objects.flatMap((o) => [o.key, manifestKey(o.key)].map((key) => ({
				destinationId: d.dto.id,
				key
			})))));
			const outcome = await this.#runWorker(plan, runId, job, controller, stageMs, note, spare);
			objects = outcome.objects;
			manifests = outcome.manifests;
			abandoned = outcome.abandoned;
			if (outcome.error) error = {
				stage: outcome.error.stage,
				code: outcome.error.code,
				message: outcome.error.message,
				...outcome.error.destination ? { destination: outcome.error.destination } : {}
			};
		} catch (e) {
			const app = e instanceof AppError ? e : new AppError("RUN_FAILED", e instanceof Error ? e.message : String(e));
			error = {
				stage: hooks.pre && hooks.pre.outcome !== "succeeded" ? "pre-hook" : "plan",
				code: app.code,
				message: app.message
			};
		} finally {
			spare?.dispose();
			rmSync(tempDir, {
				recursive: true,
				force: true
			});
		}
		if (!abandoned) deps.leftovers.forget(runId);
		const status = error === null ? "succeeded" : error.code === "CANCELLED" ? "cancelled" : "failed";
		if (error) note("error", `Stage ${error.stage} failed${error.destination ? ` on destination ${error.destination}` : ""}: ${error.message}`);
		else note("info", storedWords(objects));
		const backups = objects.filter((o) => o.status === "succeeded").flatMap((o) => o.destinations.map((d) => ({
			id: backupIdOf(d.destinationId, o.key),
			jobId: job.id,
			destinationId: d.destinationId,
			key: o.key,
			database: o.database,
			size: o.size,
			sha256: o.sha256,
			manifest: manifests[o.key] ?? "{}"
		})));
		let final = deps.runs.finish(runId, {
			status,
			finishedAt: deps.now().toISOString(),
			detail: {
				stageMs,
				objects,
				error,
				log,
				hooks
			},
			backups
		});
		if (abandoned) {
			await cleanDueLeftovers(deps.cleanup, runId).catch((e) => deps.log.warn("leftover cleanup failed", {
				runId,
				error: String(e)
			}));
			final = deps.runs.get(runId);
		}
		if (final.status === "succeeded") final = await deps.retention.afterRun(final);
		if (job.postHook) final = await runPostHook(deps, job, final, this.#postHookSignal(job.id));
		deps.events.emit("runs:finished", final);
		deps.notifier.runEnded(final);
		if (error) deps.log.info("run failed", {
			runId,
			job: job.name,
			stage: error.stage,
			code: error.code
		});
		return final;
	}
	/** A cancel that comes while the post-run hook runs stops the hook; the run itself is recorded already. */
	#postHookSignal(jobId) {
		const controller = new AbortController();
		if (this.#stopping) controller.abort(this.#stopping);
		const active = this.#active.get(jobId);
		if (active) active.controller = controller;
		return controller.signal;
	}
	#runWorker(plan, runId, job, controller, stageMs, note, spare) {
		const { deps } = this;
		const objectCount = plan.objects.length;
		const saver = new ProgressSaver((p) => deps.runs.recordProgress(runId, p), deps.log);
		return runPlanInWorker(plan, {
			signal: controller.signal,
			cancelGraceMs: deps.cancelGraceMs,
			workerFile: deps.workerFile,
			spare,
			onProgress: (p) => {
				const report = {
					runId,
					jobName: job.name,
					objectCount,
					...p
				};
				saver.offer(report);
				deps.events.emit("runs:progress", report);
			},
			onHostKeyPinned: (destinationId, fingerprint) => {
				deps.destinations.pinHostKey(destinationId, fingerprint);
				note("info", `Pinned the SSH host key ${fingerprint} of destination ${deps.destinations.get(destinationId).name} on first use.`);
			},
			onSourceHostKeyPinned: (fingerprint) => {
				deps.sources.pinHostKey(job.sourceId, fingerprint);
				note("info", `Pinned the SSH host key ${fingerprint} of source ${job.sourceName} on first use.`);
			},
			onStageTime: (s, ms) => {
				stageMs[s] = (stageMs[s] ?? 0) + ms;
			},
			onUploadStarted: async (destinationId, key, uploadId) => deps.leftovers.setUploadId(runId, destinationId, key, uploadId),
			onNote: (text) => note("warn", text),
			log: withFields(deps.log, { runId })
		}).finally(() => saver.stop());
	}
};
// src/main/core/store/backups-repository.ts
/** Pins live in `backup_state`, by destination and key, for backups found on a destination as much as for these. */
var SELECT$1 = `SELECT b.*, s.pinned AS pin, s.pinned_until FROM backups b
  LEFT JOIN backup_state s ON s.destination_id = b.destination_id AND s.object_key = b.object_key`;
/** The `backups` table: rows are written by RunsRepository.finish, with the run that made them. */
var BackupsRepository = class {
	db;
	now;
	constructor(db, now) {
		this.db = db;
		this.now = now;
	}
	get(id) {
		const backup = this.find(id);
		if (!backup) throw notFound("backup", id);
		return backup;
	}
	find(id) {
		const row = this.db.prepare(`${SELECT$1} WHERE b.id = ?`).get(id);
		return row ? this.#toStored(row) : null;
	}
	/** The run history's record of the backup at this destination and key, if it has one. */
	findAt(destinationId, key) {
		const row = this.db.prepare(`${SELECT$1} WHERE b.destination_id = ? AND b.object_key = ?`).get(destinationId, key);
		return row ? this.#toStored(row) : null;
	}
	/** A job's backups at one destination, newest first. */
	listFor(jobId, destinationId) {
		return this.db.prepare(`${SELECT$1} WHERE b.job_id = ? AND b.destination_id = ? ORDER BY b.created_at DESC, b.rowid DESC`).all(jobId, destinationId).map((r) => this.#toStored(r));
	}
	setPinned(id, pinned) {
		const backup = this.get(id);
		this.db.prepare(`INSERT INTO backup_state (destination_id, object_key, pinned, pinned_until) VALUES (?, ?, ?, NULL)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET pinned = excluded.pinned, pinned_until = NULL`).run(backup.destinationId, backup.key, pinned ? 1 : 0);
		return this.get(id);
	}
	delete(id) {
		this.db.prepare("DELETE FROM backups WHERE id = ?").run(id);
	}
	deleteAt(destinationId, key) {
		this.db.prepare("DELETE FROM backups WHERE destination_id = ? AND object_key = ?").run(destinationId, key);
	}
	#toStored(r) {
		return {
			id: r.id,
			runId: r.run_id,
			jobId: r.job_id,
			destinationId: r.destination_id,
			key: r.object_key,
			database: r.database_name,
			size: r.size,
			sha256: r.sha256,
			pinned: r.pin === 1 && (r.pinned_until === null || Date.parse(r.pinned_until) > this.now().getTime()),
			createdAt: r.created_at
		};
	}
};
// src/main/core/store/backup-state-repository.ts
var UNMARKED = {
	pinned: false,
	pinnedUntil: null,
	lastVerified: null,
	lastDrill: null
};
/**
* What is kept about a backup by where it is (destination and object key), whoever made it:
* its pin and last verification (`backup_state`), and the explorer's cache of manifests read
* from the destinations (`manifest_cache`).
*/
var BackupStateRepository = class {
	db;
	now;
	constructor(db, now) {
		this.db = db;
		this.now = now;
	}
	get(destinationId, key) {
		const row = this.db.prepare("SELECT * FROM backup_state WHERE destination_id = ? AND object_key = ?").get(destinationId, key);
		return row ? this.#toState(row) : UNMARKED;
	}
	/** Every marked backup of a destination, by object key. */
	allAt(destinationId) {
		const rows = this.db.prepare("SELECT * FROM backup_state WHERE destination_id = ?").all(destinationId);
		return new Map(rows.map((r) => [r.object_key, this.#toState(r)]));
	}
	setPinned(destinationId, key, pinned, until = null) {
		this.db.prepare(`INSERT INTO backup_state (destination_id, object_key, pinned, pinned_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET pinned = excluded.pinned, pinned_until = excluded.pinned_until`).run(destinationId, key, pinned ? 1 : 0, pinned ? until : null);
	}
	recordVerification(destinationId, key, v) {
		this.db.prepare(`INSERT INTO backup_state (destination_id, object_key, verified_at, verified_ok, verified_message) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET verified_at = excluded.verified_at, verified_ok = excluded.verified_ok, verified_message = excluded.verified_message`).run(destinationId, key, v.at, v.ok ? 1 : 0, v.message);
	}
	recordDrill(destinationId, key, d) {
		this.db.prepare(`INSERT INTO backup_state (destination_id, object_key, drilled_at, drilled_ok, drill_restore_id, drill_message) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET drilled_at = excluded.drilled_at, drilled_ok = excluded.drilled_ok,
           drill_restore_id = excluded.drill_restore_id, drill_message = excluded.drill_message`).run(destinationId, key, d.at, d.ok ? 1 : 0, d.restoreId, d.message);
	}
	/** A deleted backup leaves nothing behind here. */
	forget(destinationId, key) {
		this.db.transaction(() => {
			this.db.prepare("DELETE FROM backup_state WHERE destination_id = ? AND object_key = ?").run(destinationId, key);
			this.db.prepare("DELETE FROM manifest_cache WHERE destination_id = ? AND object_key = ?").run(destinationId, key);
		})();
	}
	/** The manifests read from a destination before, by the key of the object each describes. */
	cachedManifests(destinationId) {
		const rows = this.db.prepare("SELECT object_key, backup_id, root, size, modified_at, etag, body FROM manifest_cache WHERE destination_id = ?").all(destinationId);
		return new Map(rows.map((r) => [r.object_key, {
			key: r.object_key,
			backupId: r.backup_id,
			root: r.root,
			size: r.size,
			modifiedAt: r.modified_at,
			etag: r.etag,
			body: r.body
		}]));
	}
	/** Stores what a listing read and drops what it no longer found, in one transaction; nothing is written when nothing changed. */
	updateManifests(destinationId, read, gone) {
		if (read.length === 0 && gone.length === 0) return;
		const upsert = this.db.prepare(`INSERT INTO manifest_cache (destination_id, object_key, backup_id, root, size, modified_at, etag, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (destination_id, object_key) DO UPDATE SET backup_id = excluded.backup_id, root = excluded.root, size = excluded.size,
         modified_at = excluded.modified_at, etag = excluded.etag, body = excluded.body`);
		const drop = this.db.prepare("DELETE FROM manifest_cache WHERE destination_id = ? AND object_key = ?");
		this.db.transaction(() => {
			for (const m of read) upsert.run(destinationId, m.key, m.backupId, m.root, m.size, m.modifiedAt, m.etag, m.body);
			for (const key of gone) drop.run(destinationId, key);
		})();
	}
	/** Where a backup listed before is, from its id. */
	locate(backupId) {
		const row = this.db.prepare("SELECT destination_id, object_key FROM manifest_cache WHERE backup_id = ? LIMIT 1").get(backupId);
		return row ? {
			destinationId: row.destination_id,
			key: row.object_key
		} : null;
	}
	#toState(r) {
		const pinned = r.pinned === 1 && (r.pinned_until === null || Date.parse(r.pinned_until) > this.now().getTime());
		return {
			pinned,
			pinnedUntil: pinned ? r.pinned_until : null,
			lastVerified: r.verified_at === null ? null : {
				at: r.verified_at,
				ok: r.verified_ok === 1,
				message: r.verified_message ?? ""
			},
			lastDrill: r.drilled_at === null ? null : {
				at: r.drilled_at,
				ok: r.drilled_ok === 1,
				restoreId: r.drill_restore_id ?? "",
				message: r.drill_message ?? ""
			}
		};
	}
};
// src/main/core/store/sources-repository.ts
var DEFAULT_PORT = {
	postgres: 5432,
	mysql: 3306,
	sqlite: null
};
var SELECT = "SELECT s.*, e.name AS environment_name FROM sources s JOIN environments e ON e.id = s.environment_id";
var SourcesRepository = class {
	db;
	keys;
	environments;
	now;
	constructor(db, keys, environments, now) {
		this.db = db;
		this.keys = keys;
		this.environments = environments;
		this.now = now;
	}
	list() {
		return this.db.prepare(`${SELECT} ORDER BY s.name COLLATE NOCASE`).all().map((r) => this.#toDto(r));
	}
	get(id) {
		return this.#toDto(this.#row(id));
	}
	findByName(name) {
		const row = this.db.prepare(`${SELECT} WHERE s.name = ? COLLATE NOCASE`).get(name);
		return row ? this.#toDto(row) : null;
	}
	/** The stored credentials, for the pipeline only: never returned through the contract. */
	secrets(id) {
		return openSecrets(this.keys.box(), "sources", id, this.#row(id).secrets);
	}
	create(input) {
		return this.draftCreate(input).commit(null);
	}
	/** A new source, checked (name, environment, fields) but not stored. */
	draftCreate(input) {
		const id = randomUUID();
		const time = this.now().toISOString();
		const environment = input.environmentId !== void 0 ? this.environments.get(input.environmentId) : null;
		const config = input.engine === "sqlite" ? sqliteConfig(input.path) : serverConfig(input.engine, input, null);
		const changes = input.engine === "sqlite" ? {} : secretChanges(input.password, input.ssh);
		const secrets = applyChanges({}, changes);
		const sealed = hasChanges(changes) ? sealSecrets(this.keys.box(), "sources", id, secrets) : {
			sealed: null,
			names: []
		};
		validate(config, sealed.names);
		assertNameFree(this.db, "sources", "source", input.name);
		const row = (environmentId, environmentName, lastTest) => ({
			id,
			name: input.name,
			engine: input.engine,
			environment_id: environmentId,
			environment_name: environmentName,
			config: JSON.stringify(config),
			secrets: sealed.sealed,
			secret_names: JSON.stringify(sealed.names),
			last_test: lastTest ? JSON.stringify(lastTest) : null,
			created_at: time,
			updated_at: time
		});
		return {
			dto: this.#toDto(row(environment?.id ?? "", environment?.name ?? "default", null)),
			secrets,
			pinHostKey: (fingerprint) => {
				if (config.ssh && !config.ssh.hostKeyFingerprint) config.ssh.hostKeyFingerprint = fingerprint;
			},
			commit: (lastTest) => {
				this.db.transaction(() => {
					assertNameFree(this.db, "sources", "source", input.name);
					const environmentId = input.environmentId ?? this.environments.ensureDefault().id;
					const r = row(environmentId, "", lastTest);
					this.db.prepare(`INSERT INTO sources (id, name, engine, environment_id, config, secrets, secret_names, last_test, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(r.id, r.name, r.engine, r.environment_id, r.config, r.secrets, r.secret_names, r.last_test, r.created_at, r.updated_at);
				})();
				return this.get(id);
			}
		};
	}
	update(input) {
		return this.draftUpdate(input).commit(null);
	}
	/** A source's new settings, checked but not stored; stored, they replace its last test (null: not tested since). */
	draftUpdate(input) {
		const row = this.#row(input.id);
		const current = JSON.parse(row.config);
		if (row.engine === "sqlite") {
			const foreign = [
				"host",
				"port",
				"user",
				"database",
				"allDatabases",
				"tlsMode",
				"password",
				"ssh",
				"forgetHostKey"
			].filter((k) => input[k] !== void 0);
			if (foreign.length > 0) throw new AppError("VALIDATION_FAILED", `A SQLite source has no ${foreign.join(", ")}.`, { field: foreign[0] });
		} else if (input.path !== void 0) throw new AppError("VALIDATION_FAILED", "Only SQLite sources have a file path.", { field: "path" });
		const environment = input.environmentId !== void 0 ? this.environments.get(input.environmentId) : null;
		const config = row.engine === "sqlite" ? sqliteConfig(input.path ?? current.path ?? "") : serverConfig(row.engine, input, current);
		if (input.forgetHostKey) {
			if (!config.ssh) throw new AppError("VALIDATION_FAILED", "This source does not use SSH: there is no host key to forget.", { field: "forgetHostKey" });
			config.ssh.hostKeyFingerprint = null;
		}
		const changes = row.engine === "sqlite" ? {} : secretChanges(input.password, input.ssh, input.ssh === null);
		let sealed = {
			sealed: row.secrets,
			names: JSON.parse(row.secret_names)
		};
		let secrets = null;
		const box = () => this.keys.box();
		if (hasChanges(changes)) {
			secrets = applyChanges(openSecrets(box(), "sources", row.id, row.secrets), changes);
			sealed = sealSecrets(box(), "sources", row.id, secrets);
		}
		validate(config, sealed.names);
		if (input.name !== void 0) assertNameFree(this.db, "sources", "source", input.name, row.id);
		const sameConnection = JSON.stringify(config) === row.config && !hasChanges(changes);
		const next = (lastTest) => ({
			...row,
			name: input.name ?? row.name,
			environment_id: environment?.id ?? row.environment_id,
			environment_name: environment?.name ?? row.environment_name,
			config: JSON.stringify(config),
			secrets: sealed.sealed,
			secret_names: JSON.stringify(sealed.names),
			last_test: lastTest ? JSON.stringify(lastTest) : sameConnection ? row.last_test : null,
			updated_at: this.now().toISOString()
		});
		return {
			dto: this.#toDto(next(null)),
			get secrets() {
				secrets ??= openSecrets(box(), "sources", row.id, row.secrets);
				return secrets;
			},
			pinHostKey: (fingerprint) => {
				if (config.ssh && !config.ssh.hostKeyFingerprint) config.ssh.hostKeyFingerprint = fingerprint;
			},
			commit: (lastTest) => {
				const r = next(lastTest);
				this.db.transaction(() => {
					if (input.name !== void 0) assertNameFree(this.db, "sources", "source", input.name, row.id);
					this.db.prepare("UPDATE sources SET name = ?, environment_id = ?, config = ?, secrets = ?, secret_names = ?, last_test = ?, updated_at = ? WHERE id = ?").run(r.name, r.environment_id, r.config, r.secrets, r.secret_names, r.last_test, r.updated_at, row.id);
				})();
				return this.get(row.id);
			}
		};
	}
	/** Keeps the outcome of a connection test of the stored settings, for the list's status column. */
	recordTest(id, test) {
		this.db.prepare("UPDATE sources SET last_test = ? WHERE id = ?").run(JSON.stringify(test), id);
	}
	/** Trust on first use: remembers an SSH server's host key; a later change is refused. */
	pinHostKey(id, fingerprint) {
		const row = this.#row(id);
		const config = JSON.parse(row.config);
		if (!config.ssh || config.ssh.hostKeyFingerprint) return;
		config.ssh.hostKeyFingerprint = fingerprint;
		this.db.prepare("UPDATE sources SET config = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(config), this.now().toISOString(), id);
	}
	delete(id) {
		const dto = this.get(id);
		if (dto.jobNames.length > 0) throw new AppError("IN_USE", `Source "${dto.name}" is used by ${dto.jobNames.map((n) => `"${n}"`).join(", ")}. Delete or change those jobs first.`, { jobs: dto.jobNames });
		this.db.prepare("DELETE FROM sources WHERE id = ?").run(id);
	}
	#row(id) {
		const row = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id);
		if (!row) throw notFound("source", id);
		return row;
	}
	#toDto(r) {
		const c = JSON.parse(r.config);
		const names = new Set(JSON.parse(r.secret_names));
		const jobs = this.db.prepare("SELECT name FROM jobs WHERE source_id = ? ORDER BY name COLLATE NOCASE").all(r.id);
		return {
			id: r.id,
			name: r.name,
			engine: r.engine,
			environmentId: r.environment_id,
			environmentName: r.environment_name,
			host: c.host,
			port: c.port,
			user: c.user,
			database: c.database,
			path: c.path,
			allDatabases: c.allDatabases,
			tlsMode: c.tlsMode,
			ssh: c.ssh ? {
				...c.ssh,
				hasPassword: names.has("sshPassword"),
				hasPrivateKey: names.has("sshPrivateKey"),
				hasPassphrase: names.has("sshPassphrase")
			} : null,
			hasPassword: names.has("password"),
			jobNames: jobs.map((j) => j.name),
			lastTest: r.last_test ? JSON.parse(r.last_test) : null,
			createdAt: r.created_at,
			updatedAt: r.updated_at
		};
	}
};
function sqliteConfig(path) {
	return {
		host: null,
		port: null,
		user: null,
		database: null,
		path,
		allDatabases: false,
		tlsMode: "disable",
		ssh: null
	};
}
function serverConfig(engine, input, current) {
	const ssh = input.ssh === void 0 ? current?.ssh ?? null : input.ssh === null ? null : {
		mode: input.ssh.mode,
		host: input.ssh.host,
		port: input.ssh.port,
		user: input.ssh.user,
		hostKeyFingerprint: current?.ssh && current.ssh.host === input.ssh.host && current.ssh.port === input.ssh.port ? current.ssh.hostKeyFingerprint : null
	};
	return {
		host: input.host ?? current?.host ?? null,
		port: (input.port === void 0 ? current?.port : input.port) ?? DEFAULT_PORT[engine],
		user: input.user ?? current?.user ?? null,
		database: input.database === void 0 ? current?.database ?? null : input.database,
		path: null,
		allDatabases: input.allDatabases ?? current?.allDatabases ?? false,
		tlsMode: input.tlsMode ?? current?.tlsMode ?? "prefer",
		ssh
	};
}
function secretChanges(password, ssh, dropSsh = false) {
	const changes = { password };
	if (dropSsh) return {
		...changes,
		sshPassword: null,
		sshPrivateKey: null,
		sshPassphrase: null
	};
	if (ssh) {
		changes.sshPassword = ssh.password;
		changes.sshPrivateKey = ssh.privateKey;
		changes.sshPassphrase = ssh.passphrase;
	}
	return changes;
}
function validate(config, secretNames) {
	if (config.path === null && !config.database && !config.allDatabases) throw new AppError("VALIDATION_FAILED", "Name the database to back up, or choose \"all databases on this server\".", { field: "database" });
	if (config.ssh && !secretNames.includes("sshPassword") && !secretNames.includes("sshPrivateKey")) throw new AppError("VALIDATION_FAILED", "SSH needs a password or a private key.", { field: "ssh" });
	if (secretNames.includes("sshPassphrase") && !secretNames.includes("sshPrivateKey")) throw new AppError("VALIDATION_FAILED", "A key passphrase only makes sense with a private key.", { field: "ssh.passphrase" });
}
// src/main/core/store/restores-repository.ts
/** The restore history (`restores`): one row per restore or drill, owned by the process running it. */
var RestoresRepository = class {
	db;
	constructor(db) {
		this.db = db;
	}
	create(r) {
		this.db.prepare(`INSERT INTO restores (id, kind, status, stage, backup_id, destination_id, destination_name, object_key, job_name, engine, target_source_id, target_source,
           with_globals, force, requested_by, started_at, total_bytes, databases, owner_start_id, owner_pid)
         VALUES (?, ?, 'running', 'check', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(r.id, r.kind, r.backupId, r.destinationId, r.destination, r.key, r.job, r.engine, r.targetSourceId, r.targetSource, r.withGlobals ? 1 : 0, r.force ? 1 : 0, r.requestedBy, r.startedAt, r.totalBytes, JSON.stringify(r.databases), r.owner.startId, r.owner.pid);
		return this.get(r.id);
	}
	get(id) {
		const row = this.db.prepare("SELECT * FROM restores WHERE id = ?").get(id);
		if (!row) throw notFound("Restore", id);
		return toDto(row);
	}
	list(filter) {
		return (filter.backupId ? this.db.prepare("SELECT * FROM restores WHERE backup_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?").all(filter.backupId, filter.limit) : this.db.prepare("SELECT * FROM restores ORDER BY started_at DESC, rowid DESC LIMIT ?").all(filter.limit)).map(toDto);
	}
	/** The backups whose restores are recorded and whose id starts with `prefix` (hex digits and dashes only: no LIKE wildcard). */
	backupIdsStartingWith(prefix) {
		return this.db.prepare("SELECT DISTINCT backup_id FROM restores WHERE backup_id LIKE ? ORDER BY backup_id").all(`${prefix}%`).map((r) => r.backup_id);
	}
	/** Progress of a running restore, kept so another process (or a window opened later) sees it. */
	progress(id, p) {
		this.db.prepare("UPDATE restores SET stage = ?, bytes_read = ?, databases = ?, scratch = ? WHERE id = ? AND status = 'running'").run(p.stage, p.bytesRead, JSON.stringify(p.databases), p.scratch, id);
	}
	finish(id, end) {
		this.db.prepare(`UPDATE restores SET status = ?, stage = ?, finished_at = ?, bytes_read = ?, databases = ?, drill = ?, error_code = ?, error_message = ?, message = ?,
           scratch = NULL, cancel_requested_at = NULL WHERE id = ?`).run(end.status, end.stage, end.finishedAt, end.bytesRead, JSON.stringify(end.databases), end.drill ? JSON.stringify(end.drill) : null, end.error?.code ?? null, end.error?.message ?? null, end.message, id);
		return this.get(id);
	}
	/** Every restore still marked running, with the source and the databases (or files) it writes. */
	running() {
		return this.db.prepare("SELECT id, target_source_id, databases, requested_by, owner_start_id FROM restores WHERE status = 'running'").all().map((r) => ({
			id: r.id,
			targetSourceId: r.target_source_id,
			targets: JSON.parse(r.databases).map((d) => d.database),
			requestedBy: r.requested_by,
			ownerStartId: r.owner_start_id
		}));
	}
	/** A restore or drill still marked running that reads this backup (by its id), if any. */
	readingBackup(backupId) {
		const reading = this.db.prepare("SELECT id, kind, backup_id, databases, requested_by FROM restores WHERE status = 'running'").all().find((r) => r.backup_id === backupId || JSON.parse(r.databases).some((d) => d.backupId === backupId));
		return reading ? {
			id: reading.id,
			kind: reading.kind,
			requestedBy: reading.requested_by
		} : null;
	}
	requestCancel(id, at) {
		this.db.prepare("UPDATE restores SET cancel_requested_at = ? WHERE id = ? AND status = 'running'").run(at, id);
	}
	cancelRequested(id) {
		const row = this.db.prepare("SELECT cancel_requested_at FROM restores WHERE id = ?").get(id);
		return Boolean(row?.cancel_requested_at);
	}
	owner(id) {
		const row = this.db.prepare("SELECT owner_start_id, owner_pid FROM restores WHERE id = ?").get(id);
		if (!row) throw notFound("Restore", id);
		return {
			startId: row.owner_start_id,
			pid: row.owner_pid
		};
	}
	/**
	* Restores still marked running whose process is gone become `interrupted`, with what they may
	* have left said in words (their scratch database); returns them.
	*/
	interruptAbandoned(alive, at) {
		const found = [];
		this.db.transaction(() => {
			const rows = this.db.prepare("SELECT * FROM restores WHERE status = 'running'").all();
			for (const row of rows) {
				if (alive(row.owner_start_id)) continue;
				const left = row.scratch ? ` ${mayHaveLeft(row.scratch)}` : "";
				const replaced = JSON.parse(row.databases).filter((d) => d.replaced && d.kind === "database").map((d) => d.database);
				const target = row.kind === "drill" ? "" : replaced.length > 0 ? ` The restored copy had already been put in place of ${andList(replaced)}, which ${replaced.length === 1 ? "holds" : "hold"} the backup now.${row.engine === "sqlite" ? "" : ` What ${replaced.length === 1 ? "it" : "each"} replaced may be left beside it, as ${andList(replaced.map((d) => `${d}_vdnew_…_old`))}: drop it ${BY_HAND}.`}` : row.stage === "swap" ? " It stopped while putting its restored copy in place of the target: look at the target to see whether it holds the backup or what it held before." : " The target database was not replaced: a restore swaps its copy in only at its end.";
				const message = `The process running this ${row.kind} (pid ${row.owner_pid ?? "?"}) stopped during its ${row.stage} stage.${target}${left}`;
				this.db.prepare("UPDATE restores SET status = 'interrupted', finished_at = ?, error_code = 'INTERRUPTED', error_message = ?, message = ? WHERE id = ?").run(at, message, message, row.id);
				found.push(this.get(row.id));
			}
		})();
		return found;
	}
};
function toDto(r) {
	const databases = JSON.parse(r.databases);
	const toDo = notesToDo(databases);
	if (r.status === "interrupted" && r.scratch) toDo.push(mayHaveLeft(r.scratch));
	return {
		id: r.id,
		kind: r.kind,
		status: r.status,
		stage: r.stage,
		backupId: r.backup_id,
		destinationId: r.destination_id,
		destination: r.destination_name,
		key: r.object_key,
		job: r.job_name,
		engine: r.engine,
		targetSourceId: r.target_source_id,
		targetSource: r.target_source,
		databases,
		withGlobals: r.with_globals === 1,
		force: r.force === 1,
		requestedBy: r.requested_by,
		startedAt: r.started_at,
		finishedAt: r.finished_at,
		bytesRead: r.bytes_read,
		totalBytes: r.total_bytes,
		drill: r.drill ? JSON.parse(r.drill) : null,
		error: r.error_code ? {
			code: r.error_code,
			message: r.error_message ?? ""
		} : null,
		message: r.message,
		toDo
	};
}
// src/main/core/restore/after-swap.ts
/**
* Once the restored copy is in place the restore is complete: it is counted under its own name
* while what it replaced (`leftovers`, as swap() returned them) is dropped, the two at once
* because each takes about as long as the other on a large database. A failure of either is a
* note on a restore that succeeded, never a failed restore: the target already holds the backup.
*/
async function countWhileDropping(admin, target, leftovers, options) {
	const { where, log } = options;
	const [counts, ...drops] = await Promise.allSettled([admin.countRows(target, {
		connections: options.connections,
		loaded: options.loaded
	}), ...leftovers.map((database) => admin.drop(database))]);
	const notes = [];
	if (counts.status === "rejected") notes.push(`Its rows could not be counted once it was in place: ${messageOf(counts.reason)}`);
	drops.forEach((drop, i) => {
		if (drop.status === "fulfilled") return;
		const database = leftovers[i];
		log.info("could not drop a database a restore replaced", {
			database,
			error: messageOf(drop.reason)
		});
		notes.push(i === 0 ? `The database it replaced was left as ${database} ${where} (it could not be dropped: ${messageOf(drop.reason)}): drop it by hand once you no longer need it.` : `The empty database ${database} ${where}, left by the swap, could not be dropped (${messageOf(drop.reason)}): drop it by hand.`);
	});
	return {
		tables: counts.status === "fulfilled" ? counts.value : null,
		notes
	};
}
// src/main/core/restore/restore-in-worker.ts
/**
* runRestoreStream in the pipeline worker: resolves, with the rows the dump loaded when they were
* counted, when the tool has exited 0; throws the AppError the worker ended with (its code, message
* and details as they were there).
*
* One worker per database, not one per restore: each stream stays the one-job worker backups use,
* started, cancelled or abandoned alone, with nothing kept between databases to go stale. Its
* start-up (loading the drivers, see README Performance) is hidden rather than shared: the
* restore service starts each database's worker ahead (`spare`), the first while it checks the
* backup and the target, the next while the previous database streams.
*/
async function restoreInWorker(job, hooks) {
	const outcome = await runInWorker({
		kind: "restore",
		job
	}, {
		signal: hooks.signal,
		cancelGraceMs: hooks.cancelGraceMs,
		file: hooks.workerFile,
		spare: hooks.spare,
		role: "restore",
		cancelMessage: "The restore was cancelled.",
		log: hooks.log,
		onMessage: (message) => {
			if (message.type === "bytes") hooks.onBytes(message.bytesRead);
			else if (message.type === "pinned") hooks.onDestinationHostKeyPinned(message.fingerprint);
			else if (message.type === "source-pinned") hooks.onSourceHostKeyPinned(message.fingerprint);
			else if (message.type === "note") hooks.onNote(message.text);
			else if (message.type === "created-not-dropped") hooks.onCreatedNotDropped?.(message.database, message.reason);
			else if (message.type === "creating") hooks.onCreatingDatabase?.(message.database);
			else if (message.type === "finished") {
				const { result } = message;
				if (!result.ok) return { outcome: AppError.fromPayload(result.error) };
				return { outcome: result.data.kind === "restored" ? { loaded: result.data.loaded } : new AppError("INTERNAL", "The worker answered a restore with a decryption.") };
			}
		},
		failed: ({ cause, code, message }) => new AppError(code, message, cause === "not-built" ? void 0 : { workerAbandoned: cause })
	});
	if (outcome instanceof AppError) throw outcome;
	return outcome.loaded;
}
/**
* The worker was stopped (or crashed) before it could clean up: a database its driver created
* for the restore (createDatabase) may still be there, and only the host can drop it now.
*/
function workerAbandoned(error) {
	return error instanceof AppError && typeof error.details?.workerAbandoned === "string";
}
// src/main/core/restore/same-server.ts
var LOOPBACK = /* @__PURE__ */ new Set([
	"localhost",
	"127.0.0.1",
	"::1",
	"[::1]"
]);
/**
* Whether two sources reach one server, so that a database name means the same database on both:
* two sources of one server (a reader and an administrator, say) restoring into one database would
* swap over each other as two restores through one source would. The same engine, host (the
* loopback's names taken as one) and port, through the same SSH host or none. SQLite targets are
* files named by their whole path: any two SQLite sources compare them directly.
*/
function sameServer(a, b) {
	if (a.id === b.id) return true;
	if (a.engine !== b.engine) return false;
	if (a.engine === "sqlite") return true;
	return serverKey(a) === serverKey(b);
}
function serverKey(source) {
	const host = (source.host ?? "").trim().toLowerCase();
	const where = `${LOOPBACK.has(host) ? "loopback" : host}:${source.port ?? ""}`;
	const ssh = source.ssh ? `${source.ssh.user}@${source.ssh.host.trim().toLowerCase()}:${source.ssh.port}/` : "";
	return `${source.engine}://${ssh}${where}`;
}
// src/main/core/restore/restore-plan.ts
/** The source a backup came from in this data dir: its job's source, else a source of the name the manifest gives. */
function ownSource(manifest, jobs, sources) {
	const job = jobs.list().find((j) => j.id === manifest.job.id);
	if (job) return sources.get(job.sourceId);
	return sources.findByName(manifest.source.name);
}
function resolveTargetSource(manifest, targetSourceId, jobs, sources, what) {
	const source = targetSourceId ? sources.get(targetSourceId) : ownSource(manifest, jobs, sources);
	if (!source) throw new AppError("VALIDATION_FAILED", `The backup's source "${manifest.source.name}" is not a source of this data dir: choose the source to ${what} into (--target SOURCE, a ${engineWords(manifest.source.engine)} source).`, { field: "targetSourceId" });
	if (source.engine !== manifest.source.engine) throw new AppError("VALIDATION_FAILED", `Source "${source.name}" is ${engineWords(source.engine)}, but the backup is of ${engineWords(manifest.source.engine)}: choose a ${engineWords(manifest.source.engine)} source.`, { field: "targetSourceId" });
	return source;
}
function engineWords(engine) {
	return engine === "postgres" ? "PostgreSQL" : engine === "mysql" ? "MySQL/MariaDB" : "SQLite";
}
/** A name beside `base` for a scratch copy, within the server's limit (bytes, not characters). */
function scratchName(base, maxBytes, tag) {
	const suffix = `_vd${tag === "drill" ? "drill" : "new"}_${randomBytes(4).toString("hex")}`;
	let head = base;
	while (Buffer.byteLength(head + suffix) > maxBytes) head = head.slice(0, -1);
	return head + suffix;
}
/** `shop.db` -> `shop.db.bak-20261130T101500Z`: the replaced SQLite file, kept. */
function keptName(file, at) {
	return `${file}.bak-${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
}
function sqliteTarget(source, database) {
	const target = database ?? source.path;
	if (!target) throw new AppError("VALIDATION_FAILED", `Source "${source.name}" has no file path: give the file to restore into (--database /path/file.db).`, { field: "database" });
	if (!path.isAbsolute(target)) throw new AppError("VALIDATION_FAILED", `For a SQLite source the target is a file: give its absolute path, not ${target}.`, { field: "database" });
	const file = linkedFile(target);
	const folder = path.dirname(file);
	if (!existsSync(folder)) throw new AppError("VALIDATION_FAILED", `The folder ${folder} does not exist: create it first, or choose a file in another folder.`, { field: "database" });
	return file;
}
/**
* The file a symbolic link leads to (through every link on the way): a restore replaces the
* database the application opens through the link, and keeps the old one beside it, rather than
* putting a file in the link's place. Not a link: the path as given.
*/
function linkedFile(file) {
	let at = file;
	for (let hops = 0; hops < 40; hops++) {
		let link;
		try {
			if (!lstatSync(at).isSymbolicLink()) return at;
			link = readlinkSync(at);
		} catch {
			return at;
		}
		at = path.resolve(path.dirname(at), link);
	}
	throw new AppError("VALIDATION_FAILED", `${file} is a symbolic link that leads round in a circle: give the file itself.`, { field: "database" });
}
// src/main/core/restore/sqlite-file-admin.ts
function userTables(db) {
	return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all().map((r) => r.name);
}
function openReadOnly(file, use) {
	let db;
	try {
		db = new Database(file, {
			readonly: true,
			fileMustExist: true
		});
	} catch (error) {
		throw new AppError("RESTORE_FAILED", `${file} cannot be opened as a SQLite database: ${error instanceof Error ? error.message : String(error)}`, { path: file });
	}
	try {
		return use(db);
	} catch (error) {
		if (error instanceof AppError) throw error;
		if (String(error.code).startsWith("SQLITE_READONLY") && existsSync(`${file}-journal`)) throw new AppError("RESTORE_FAILED", `${file} has an unfinished transaction in ${file}-journal (a program writing it stopped halfway), which only a connection that may write the file rolls back: open it once with that program or with sqlite3 (sqlite3 ${file} 'PRAGMA integrity_check'), then restore again.`, {
			path: file,
			reason: "hot-journal"
		});
		throw new AppError("RESTORE_FAILED", `${file} cannot be read as a SQLite database: ${error instanceof Error ? error.message : String(error)}`, { path: file });
	} finally {
		db.close();
	}
}
/** A SQLite restore target: whether the file exists and how many tables it holds. */
function inspectSqliteFile(file) {
	if (!existsSync(file)) return {
		exists: false,
		tables: 0,
		others: []
	};
	return {
		exists: true,
		tables: openReadOnly(file, (db) => userTables(db).length),
		others: []
	};
}
function countSqliteRows(file) {
	return openReadOnly(file, (db) => userTables(db).map((table) => ({
		schema: null,
		table,
		rows: Number(db.prepare(`SELECT count(*) AS n FROM "${table.replaceAll("\"", "\"\"")}"`).get().n)
	})));
}
// src/main/core/restore/sqlite-leftovers.ts
/**
* What a SQLite restore whose process was killed outright left beside its target: the hidden
* partial file it was writing (the backup in clear) and the second name it gave the old file to
* keep it (`FILE.bak-<time>`, a hard link made before the replace that never came, so the same
* file as the live one: it keeps nothing, and would be taken for the old copy). A `.bak` that is
* another file than the live one is a replaced file kept by a restore that got that far, and
* stays. Removed by the process that finds the restore interrupted; returns what it removed.
*/
async function removeSqliteRestoreLeftovers(restore) {
	if (restore.engine !== "sqlite" || restore.kind !== "restore") return [];
	const removed = [];
	for (const { database: target } of restore.databases) {
		if (!path.isAbsolute(target)) continue;
		removed.push(...await removeAbandonedSqlitePartials(target));
		removed.push(...removeStrayLinks(target));
	}
	return removed;
}
function removeStrayLinks(target) {
	const dir = path.dirname(target);
	const base = path.basename(target);
	const kept = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.bak-\\d{8}T\\d{6}Z(?:-\\d+)?(-wal)?$`);
	const removed = [];
	let names;
	try {
		names = readdirSync(dir);
	} catch {
		return removed;
	}
	for (const name of names) {
		const m = kept.exec(name);
		if (!m) continue;
		const live = statOf(`${target}${m[1] ?? ""}`);
		const link = statOf(path.join(dir, name));
		if (!live || !link || !link.isFile() || live.ino !== link.ino || live.dev !== link.dev) continue;
		try {
			rmSync(path.join(dir, name));
			removed.push(path.join(dir, name));
		} catch {}
	}
	return removed;
}
function statOf(file) {
	try {
		return lstatSync(file);
	} catch {
		return null;
	}
}
// src/main/core/files/unlink-if-there.ts
/**
* Removes a file that may already be gone. Not `rm({ force: true })`: a file it may not unlink, it
* retries as a folder, and its error then speaks of a failed scandir instead of the unlink refused.
*/
async function unlinkIfThere(file) {
	try {
		await unlink(file);
	} catch (error) {
		if (errnoOf(error) !== "ENOENT") throw error;
	}
}
// src/main/core/restore/restore-advice.ts
/**
* Why a target server refused a dump at one of its lines, where the tool's words name only what it
* lacks: the dump carries its server's dialect (MySQL 8's collations, which MariaDB lacks until
* 11.4.5 for utf8mb4_0900_*; the settings a newer pg_dump writes into a plain dump), its objects'
* definers, which only a privileged user may set, or an extension the target server lacks.
* `madeOn`: the server version the backup's manifest gives.
*/
function withRestoreAdvice(error, madeOn) {
	if (!(error instanceof AppError) || error.code !== "RESTORE_FAILED") return error;
	const where = madeOn ? `made on ${madeOn}` : "made on another server";
	const advice = adviceFor(error.message, where);
	return advice ? new AppError("RESTORE_FAILED", continued(error.message, advice), {
		...error.details,
		madeOn
	}) : error;
}
function adviceFor(message, where) {
	const collation = /Unknown collation: '([^']+)'/.exec(message)?.[1];
	if (collation !== void 0) {
		const whose = collation === "utf8mb4_0900_ai_ci" ? "MySQL 8's default" : "one of MySQL 8's";
		return `The backup was ${where}, and this server does not have its collation ${collation}${collation.startsWith("utf8mb4_0900_") ? `, ${whose}, which MariaDB has only from 11.4.5 on` : ""}: restore it into a server of that kind and release, or a newer one.`;
	}
	const charset = /Unknown character set: '([^']+)'/.exec(message)?.[1];
	if (charset !== void 0) return `The backup was ${where}, and this server does not have its character set ${charset}: restore it into a server of that kind and release, or a newer one.`;
	const parameter = /unrecognized configuration parameter "([^"]+)"/.exec(message)?.[1];
	if (parameter !== void 0) return `The dump sets ${parameter}, which this server does not know: it was written by a pg_dump of a newer release than this server (the backup was ${where}). Restore it into a server of that release or a newer one. Backups in custom format do not meet this: pg_restore sets only what the server it restores into knows.`;
	const extension = /extension "([^"]+)" is not available/.exec(message)?.[1] ?? /could not open extension control file "[^"]*\/([^/"]+)\.control"/.exec(message)?.[1];
	if (extension !== void 0) return `The backup uses the extension ${extension}, which is not installed on this server: install it there (its package for the server's PostgreSQL release), then restore again.`;
	if (/Unknown column 'row_(?:start|end)' in 'INSERT INTO'/.test(message)) return `The backup holds the history of its system-versioned tables (every version of their rows, with the time each was current; it was ${where}), which MariaDB takes back from 10.11 on: restore it into a MariaDB 10.11 or later.`;
	if (/ERROR 1227 \(42000\).*\b(SUPER|SET USER)\b/.test(message)) {
		const definer = /DEFINER=(`(?:[^`]|``)*`@`(?:[^`]|``)*`)/.exec(message)?.[1];
		return `The dump gives its views, triggers, routines and events the definer they had on the source (${definer ? `here ${definer}` : "DEFINER=..."}), and only a user with the SET USER privilege (SUPER on MySQL and older MariaDB) may create an object for another user: restore as a user that has it, such as the server's administrator.`;
	}
	return null;
}
// src/main/core/restore/restore-words.ts
function one(d) {
	if (d.kind === "globals") return "the roles (globals)";
	const replaced = d.replaced ? d.keptAs ? `, replacing the file there (kept as ${d.keptAs})` : ", replacing the database that was there" : "";
	return `${d.fromDatabase} into ${d.database} (${tableWords(d.tables)})${replaced}`;
}
/**
* Names every backup it read: a whole run's databases each came from a backup of their own. What is
* left for a person to do ends every message (notesToDo), not only the notes.
*/
function successWords(p, databases) {
	const keys = p.items.length > 0 ? p.items.map((i) => i.backup.key) : [p.backup.key];
	return [`Restored ${databases.map(one).join("; ")} on "${p.source.name}" from ${keys.join(", ")} at "${p.backup.destination}".`, ...notesToDo(databases)].join(" ");
}
/** What failed and, above all, what state each target was left in. */
function failureWords(p, databases, stage, failure) {
	const why = /[.!?]$/.test(failure.message.trim()) ? failure.message.trim() : `${failure.message.trim()}.`;
	const what = failure.code === "CANCELLED" ? `The ${p.kind} was cancelled during its ${stage} stage.` : `The ${p.kind} failed during its ${stage} stage: ${why}`;
	if (p.kind === "drill") return [
		what,
		"The source database was not touched.",
		...notesToDo(databases)
	].join(" ");
	const done = databases.filter((d) => d.status === "restored");
	const left = databases.filter((d) => d.status !== "restored" && d.kind === "database");
	const parts = [what];
	if (done.length > 0) parts.push(`Restored before that: ${done.map(one).join("; ")}.`);
	for (const d of left) {
		const item = p.items.find((i) => i.backup.id === d.backupId);
		if (failure.details?.reason === "swap-unknown" && failure.details.database === d.database) continue;
		if (d.notes.some((n) => n.startsWith(emptyBefore(d.database)))) continue;
		const asItWas = `${d.database} was left as it was.`;
		if (item?.existed) {
			if (!why.includes(asItWas)) parts.push(asItWas);
		} else if (item) parts.push(`${d.database} did not exist before the restore and is not left behind.`);
	}
	parts.push(...notesToDo(databases));
	return parts.join(" ");
}
var emptyBefore = (database) => `${database} was empty before the restore`;
/**
* A restore straight into an existing empty database (restore-plan.ts, mode `into`) that failed: what
* the database holds now when its transaction did not take everything back, `holds` null when that
* could not be checked (`why`).
*/
function notRolledBack(database, holds, why = "", engine = "postgres") {
	if (engine === "mysql") return holds === null ? `${emptyBefore(database)}, and what the failed restore made in it was to be dropped (MySQL/MariaDB cannot take back the statements that make tables); whether it is empty again could not be checked (${why}): look at it ${BY_HAND}.` : `${emptyBefore(database)} and now holds ${holds}, which could not be dropped after the failed restore: drop what it holds ${BY_HAND}.`;
	return holds === null ? `${emptyBefore(database)}, which ran in one transaction; whether it is empty again could not be checked (${why}): look at it ${BY_HAND}.` : `${emptyBefore(database)} and now holds ${holds}, which the failed restore's transaction did not take back: drop what it holds ${BY_HAND}.`;
}
/** `left`: "the scratch database X on \"S\"". */
function scratchNotDropped(left) {
	return `${left.charAt(0).toUpperCase()}${left.slice(1)} could not be dropped: drop it ${BY_HAND}.`;
}
/** A SQLite drill's scratch copy is a file in Vaultdesk's temporary folder, not a database on the server. */
function scratchFileNotRemoved(file, reason) {
	return `The drill's scratch file ${file} could not be removed (${reason}): remove it, with any -wal and -shm file beside it, ${BY_HAND}.`;
}
/** A scratch database left behind is named in the drill's notes, which end the message. */
function drillWords(drill, databases, scratch = "database") {
	const dropped = scratch === "file" ? `the scratch file was ${drill.scratchDropped ? "" : "not "}removed` : `the scratch database was ${drill.scratchDropped ? "" : "not "}dropped`;
	return [drill.ok ? `Drill passed: ${drill.tables === 1 ? "the table has" : `all ${drill.tables} tables have`} the same row counts in the backup as in ${drill.comparedWith} now; ${dropped}.` : `Drill found ${counted(drill.differences.length, "table")} whose row counts differ between the backup and ${drill.comparedWith} now (${drillDifferenceWords(drill)}); ${dropped}.`, ...notesToDo(databases)].join(" ");
}
// src/main/core/restore/restore-service.ts
var PROGRESS_EVENT_MS = 250;
var PROGRESS_SAVE_MS = 1e3;
var CANCEL_POLL_MS = 1e3;
/**
* A copy just restored, which nothing else uses yet, is counted several tables at a time; the
* source a drill compares with is a database in use, counted one table at a time.
*/
var RESTORED_COPY = { connections: 3 };
/**
* Restores and drills. Everything that can be refused is checked before the restore is recorded
* and started (the backup complete, its keys at hand, the target of the same engine, a target
* with tables only with `force`); the bytes then stream from the destination through the
* manifest check, age and the decompressor into the engine's own tool, in the pipeline worker
* (restore-stream.ts), while the contract call has long returned. What is left here are short
* SQL calls (inspect, count, swap, drop) and the records.
*/
var RestoreService = class {
	deps;
	#active = /* @__PURE__ */ new Map();
	constructor(deps) {
		this.deps = deps;
	}
	async inspectTarget(sourceId, database) {
		const source = this.deps.sources.get(sourceId);
		if (source.engine === "sqlite") {
			const file = sqliteTarget(source, database);
			const found = inspectSqliteFile(file);
			return {
				sourceId,
				database: file,
				...found,
				sessions: found.exists ? sqliteFileUsers(file).length : null,
				...this.#restoringInto(source, file)
			};
		}
		const driver = openSourceDriver(this.deps, source, this.deps.tempRoot);
		try {
			const found = await adminOf(driver, source).inspect(database);
			return {
				sourceId,
				database,
				exists: found.exists,
				tables: found.tables,
				others: found.others,
				sessions: found.sessions ?? null,
				...found.referencedBy ? { referencedBy: found.referencedBy } : {},
				...this.#restoringInto(source, database)
			};
		} finally {
			await driver.close().catch(() => void 0);
		}
	}
	async start(input) {
		return this.#withSpare(async (spare) => {
			const prepared = await this.#prepareRestore(input);
			return {
				restoreId: this.#launch(prepared, spare),
				warnings: prepared.warnings
			};
		});
	}
	async drill(input) {
		return this.#withSpare(async (spare) => ({ restoreId: this.#launch(await this.#prepareDrill(input), spare) }));
	}
	/** The first database's worker starts loading while the backup and the target are checked; a refusal stops it. */
	async #withSpare(launch) {
		const spare = SpareWorker.start(this.deps.workerFile);
		try {
			return await launch(spare);
		} catch (error) {
			spare.dispose();
			throw error;
		}
	}
	get(id) {
		this.reapDead();
		return this.deps.restores.get(id);
	}
	list(filter) {
		this.reapDead();
		if (filter.backupIdPrefix === void 0) return this.deps.restores.list(filter);
		const prefix = filter.backupIdPrefix.toLowerCase();
		const ids = this.deps.restores.backupIdsStartingWith(prefix);
		if (ids.length > 1) throw new AppError("VALIDATION_FAILED", `${ids.length} backups in the restore history have an id that starts with ${prefix}: give more of the id.`, {
			field: "backupIdPrefix",
			ids
		});
		return ids.length === 0 ? [] : this.deps.restores.list({
			backupId: ids[0],
			limit: filter.limit
		});
	}
	/**
	* Restores whose process is gone are marked interrupted, and what a SQLite one left beside its
	* target is removed: at every start, and whenever the history is read (the Recovery page asks
	* every few seconds), so a long-running `serve` or app does not show a killed restore as running,
	* with a Cancel button, for good.
	*/
	reapDead() {
		const { deps } = this;
		const interrupted = deps.restores.interruptAbandoned((startId) => deps.host.isAlive(startId), deps.now().toISOString());
		return Promise.all(interrupted.map(async (r) => {
			deps.log.warn("a restore was interrupted when its process stopped", { restoreId: r.id });
			const removed = await removeSqliteRestoreLeftovers(r).catch(() => []);
			if (removed.length > 0) deps.log.info("removed what an interrupted SQLite restore left beside its target", {
				restoreId: r.id,
				files: removed
			});
		})).then(() => void 0);
	}
	/** Resolves with the finished record of a restore this process runs; at once for one that is not running here. */
	async wait(id) {
		return await this.#active.get(id)?.done ?? this.deps.restores.get(id);
	}
	async cancel(id) {
		const restore = this.deps.restores.get(id);
		if (restore.status !== "running") throw new AppError("VALIDATION_FAILED", `Restore ${id} is not running (it ${restore.status}).`, { field: "id" });
		const active = this.#active.get(id);
		if (active) {
			active.controller.abort();
			return active.done;
		}
		const owner = this.deps.restores.owner(id);
		if (!this.deps.host.isAlive(owner.startId)) {
			await this.reapDead();
			return this.deps.restores.get(id);
		}
		this.deps.restores.requestCancel(id, this.deps.now().toISOString());
		return this.deps.restores.get(id);
	}
	/** The restores and drills this process is running. */
	activeIds() {
		return [...this.#active.keys()];
	}
	/** Cancels this process's restores and waits for each to record its end (host shutdown). */
	async stopAll() {
		const running = [...this.#active.values()];
		for (const a of running) a.controller.abort();
		await Promise.all(running.map((a) => a.done.catch(() => void 0)));
	}
	async #prepareRestore(input) {
		const { deps } = this;
		const { backup, manifest } = await this.#completeBackup(input.backupId, "restored");
		const source = resolveTargetSource(manifest, input.targetSourceId, deps.jobs, deps.sources, "restore");
		const members = await this.#members(backup, manifest, input);
		const asked = input.jobs ?? 1;
		const databases = members.filter((m) => m.manifest.source.kind === "database").length;
		if (databases > 1 && input.database !== void 0) throw new AppError("VALIDATION_FAILED", `${databases} databases are to be restored, each under its own name: --database names one; pick one with --only DB.`, { field: "database" });
		const driver = openSourceDriver(deps, source, deps.tempRoot);
		const items = [];
		const warnings = [];
		try {
			for (const m of members) {
				if (m.manifest.source.kind === "globals") {
					items.push({
						backup: m.backup,
						manifest: m.manifest,
						kind: "globals",
						fromDatabase: "roles (globals)",
						target: source.name,
						mode: "globals",
						scratch: null,
						existed: true
					});
					continue;
				}
				if (source.engine === "sqlite") {
					const target = sqliteTarget(source, input.database);
					this.#refuseRunningInto(source, [target]);
					const found = inspectSqliteFile(target);
					refuseNonEmpty(found, target, source, input.force);
					const users = found.exists ? sqliteFileUsers(target).length : 0;
					if (users > 0) warnings.push(sessionsWarningWords(target, users, "sqlite"));
					items.push({
						backup: m.backup,
						manifest: m.manifest,
						kind: "database",
						fromDatabase: m.manifest.source.database,
						target,
						mode: "file",
						scratch: null,
						existed: found.exists
					});
					continue;
				}
				const target = input.database ?? m.manifest.source.database;
				const admin = adminOf(driver, source);
				if (Buffer.byteLength(target) > admin.maxNameLength) throw new AppError("VALIDATION_FAILED", `${target} is longer than the ${admin.maxNameLength} bytes ${engineWords(source.engine)} allows for a database name.`, { field: "database" });
				this.#refuseRunningInto(source, [target]);
				const found = await admin.inspect(target);
				refuseNonEmpty(found, target, source, input.force);
				const into = found.exists && await directIntoEmpty(admin, target, found, source, asked);
				const mode = found.exists ? into ? "into" : "swap" : "create";
				if (mode === "swap" && found.sessions) warnings.push(sessionsWarningWords(target, found.sessions));
				if (mode === "swap" && found.referencedBy && found.referencedBy.length > 0) warnings.push(referencedWarningWords(target, found.referencedBy));
				items.push({
					backup: m.backup,
					manifest: m.manifest,
					kind: "database",
					fromDatabase: m.manifest.source.database,
					target,
					mode,
					scratch: mode === "swap" ? scratchName(target, admin.maxNameLength, "restore") : null,
					tablespace: mode === "swap" ? found.tablespace ?? null : null,
					emptyTarget: found.exists && isEmpty(found),
					existed: found.exists
				});
			}
		} finally {
			await driver.close().catch(() => void 0);
		}
		if (asked > 1 && (source.engine === "sqlite" || source.engine === "postgres" && items.some((i) => i.kind === "database" && i.manifest.dump.format !== "custom"))) throw new AppError("VALIDATION_FAILED", "A parallel restore (--jobs) works for PostgreSQL custom-format and MySQL/MariaDB backups only: psql reads a plain-format dump in one session, and an SQLite file is copied whole.", { field: "jobs" });
		if (asked > 1 && source.ssh?.mode === "exec") {
			const tool = source.engine === "postgres" ? "pg_restore" : "the mysql client";
			throw new AppError("VALIDATION_FAILED", `Source "${source.name}" runs ${tool} on its SSH host, which gets the backup as one stream: a parallel restore (--jobs) runs its tools on this machine. Restore without --jobs, or through an SSH tunnel.`, { field: "jobs" });
		}
		return {
			kind: "restore",
			backup,
			source,
			compareWith: null,
			items,
			keys: await this.#keysFor(items),
			withGlobals: input.withGlobals,
			force: input.force,
			jobs: input.jobs ?? null,
			warnings
		};
	}
	async #prepareDrill(input) {
		const { deps } = this;
		const { backup, manifest } = await this.#completeBackup(input.backupId, "drilled");
		if (manifest.source.kind === "globals") throw new AppError("VALIDATION_FAILED", "This backup holds PostgreSQL roles (globals), not a database: a drill restores a database backup.", { field: "backupId" });
		const source = resolveTargetSource(manifest, input.targetSourceId, deps.jobs, deps.sources, "drill");
		const compareWith = input.compareSourceId ? deps.sources.get(input.compareSourceId) : ownSource(manifest, deps.jobs, deps.sources);
		if (!compareWith) throw new AppError("VALIDATION_FAILED", `The backup's source "${manifest.source.name}" is not a source of this data dir: name the source to compare with.`, { field: "compareSourceId" });
		if (compareWith.engine !== manifest.source.engine) throw new AppError("VALIDATION_FAILED", `Source "${compareWith.name}" is not ${engineWords(manifest.source.engine)}: a drill compares with the database the backup was made of.`, { field: "compareSourceId" });
		let scratch;
		if (source.engine === "sqlite") scratch = path.join(deps.tempRoot, `drill-${randomUUID()}.sqlite`);
		else {
			const driver = openSourceDriver(deps, source, deps.tempRoot);
			try {
				scratch = scratchName(manifest.source.database.slice(0, 30), adminOf(driver, source).maxNameLength, "drill");
			} finally {
				await driver.close().catch(() => void 0);
			}
		}
		const items = [{
			backup,
			manifest,
			kind: "database",
			fromDatabase: manifest.source.database,
			target: scratch,
			mode: "drill",
			scratch,
			existed: false
		}];
		return {
			kind: "drill",
			backup,
			source,
			compareWith,
			items,
			keys: await this.#keysFor(items),
			withGlobals: false,
			force: false,
			jobs: null,
			warnings: []
		};
	}
	async #completeBackup(id, action) {
		return this.deps.explorer.open(id, async (located) => completeBackup(located, action));
	}
	/** The backups of the request: the one named, or the databases of its run it asks for. */
	async #members(backup, manifest, input) {
		if (!(input.allDatabases || input.only !== void 0 || input.withGlobals)) {
			if (manifest.source.kind === "globals") throw new AppError("VALIDATION_FAILED", "This backup holds PostgreSQL roles (globals), not a database: restore its run with --with-globals (with --all-databases or --only DB), or restore it with psql.", { field: "backupId" });
			return [{
				backup,
				manifest
			}];
		}
		const run = (await this.deps.explorer.list({
			destinationId: backup.destinationId,
			runId: backup.runId ?? void 0,
			offset: 0,
			limit: 1e4,
			refresh: false,
			status: "complete"
		})).backups.filter((b) => b.runId === backup.runId && b.jobId === backup.jobId);
		const databases = run.filter((b) => b.kind === "database");
		let chosen = databases;
		if (input.only !== void 0) {
			chosen = databases.filter((b) => b.database === input.only);
			if (chosen.length === 0) {
				const names = databases.map((b) => b.database).join(", ");
				throw new AppError("VALIDATION_FAILED", `The run that made this backup has no database ${input.only}; it holds: ${names || "none"}.`, { field: "only" });
			}
		} else if (!input.allDatabases) chosen = manifest.source.kind === "database" ? [backup] : [];
		const globals = run.filter((b) => b.kind === "globals");
		if (input.withGlobals && globals.length === 0) throw new AppError("VALIDATION_FAILED", `The run that made this backup has no roles (globals) backup${manifest.source.engine === "postgres" ? ": only runs of \"all databases\" jobs dump them" : `: ${engineWords(manifest.source.engine)} has none`}.`, { field: "withGlobals" });
		const picked = [...input.withGlobals ? globals.slice(0, 1) : [], ...[...chosen].sort((a, b) => (a.database ?? "").localeCompare(b.database ?? ""))];
		const others = await this.deps.explorer.openMany(picked.filter((b) => b.id !== backup.id).map((b) => b.id), async (located) => new Map(located.map((l) => [l.backup.id, completeBackup(l, "restored")])));
		return picked.map((b) => b.id === backup.id ? {
			backup,
			manifest
		} : others.get(b.id));
	}
	async #keysFor(items) {
		const keys = /* @__PURE__ */ new Map();
		for (const item of items) {
			const { manifest } = item;
			if (manifest.encryption.kind === "none") keys.set(item.backup.id, { kind: "none" });
			else if (manifest.encryption.kind === "age") {
				const found = identitiesFor(manifest, this.deps.profiles);
				if (found.identities.length === 0) {
					const fingerprints = manifest.encryption.recipients.map((r) => r.fingerprint).join(", ");
					const why = found.unusable.length > 0 ? found.unusable.join("; ") : `no encryption profile here holds the identity of its recipients (fingerprints ${fingerprints})`;
					throw new AppError("DECRYPT_FAILED", `${item.backup.key} cannot be decrypted here: ${why}. Add the profile's identity, or decrypt it with the recovery kit (vaultdesk decrypt) and restore the file with the database's tools.`, { reason: "no-key" });
				}
				keys.set(item.backup.id, {
					kind: "age",
					identities: found.identities
				});
			} else {
				const passphrases = this.#sevenZipPassphrases(manifest);
				if (passphrases.length === 0) throw new AppError("DECRYPT_FAILED", `${item.backup.key} is a 7-Zip archive and no 7-Zip encryption profile here holds a passphrase.`, { reason: "no-key" });
				keys.set(item.backup.id, {
					kind: "7z",
					tool: await findSevenZip(this.deps.toolEnv, this.deps.settings.get().toolPaths["7z"]),
					passphrases
				});
			}
		}
		return keys;
	}
	/** The job's own 7-Zip profile first, then the others: the manifest does not name the passphrase's profile. */
	#sevenZipPassphrases(manifest) {
		const { deps } = this;
		const jobProfile = deps.jobs.list().find((j) => j.id === manifest.job.id)?.profileId ?? null;
		const profiles = deps.profiles.list().filter((p) => p.kind === "7z" && p.hasSecret);
		profiles.sort((a, b) => Number(b.id === jobProfile) - Number(a.id === jobProfile));
		const found = [];
		for (const p of profiles) try {
			const passphrase = deps.profiles.secrets(p.id).passphrase;
			if (passphrase) found.push(passphrase);
		} catch (error) {
			if (!(error instanceof AppError)) throw error;
		}
		return found;
	}
	/** A restore running now into `target` (any process), which a second one is refused beside: for the wizard to say before it starts. */
	#restoringInto(source, target) {
		const other = this.#runningOnServerOf(source).find((r) => r.targets.includes(target));
		return other ? { restoring: {
			restoreId: other.id,
			requestedBy: other.requestedBy
		} } : {};
	}
	/** RUN_IN_PROGRESS when a live restore writes one of `targets` on the server `source` reaches, through it or another source of that server. */
	#refuseRunningInto(source, targets) {
		for (const other of this.#runningOnServerOf(source)) {
			const clash = other.targets.find((t) => targets.includes(t));
			if (clash !== void 0) throw new AppError("RUN_IN_PROGRESS", `A restore into ${clash} on "${source.name}" is already running (restore ${other.id}, by ${other.requestedBy}): wait for it to end, or cancel it.`, { restoreId: other.id });
		}
	}
	/** Live restores into the server `source` reaches (same-server.ts); one whose source was deleted since counts by its id alone. */
	#runningOnServerOf(source) {
		const { deps } = this;
		const live = deps.restores.running().filter((r) => deps.host.isAlive(r.ownerStartId));
		if (live.every((r) => r.targetSourceId === source.id)) return live;
		const sources = new Map(deps.sources.list().map((s) => [s.id, s]));
		return live.filter((r) => {
			const other = r.targetSourceId === source.id ? source : sources.get(r.targetSourceId);
			return other !== void 0 && sameServer(other, source);
		});
	}
	#launch(prepared, spare) {
		const { deps } = this;
		deps.host.ensureRegistered();
		const id = randomUUID();
		this.#refuseRunningInto(prepared.source, prepared.items.filter((i) => i.kind === "database").map((i) => i.target));
		const databases = prepared.items.map((i) => ({
			backupId: i.backup.id,
			kind: i.kind,
			fromDatabase: i.fromDatabase,
			database: i.target,
			status: "pending",
			replaced: false,
			keptAs: null,
			tables: [],
			notes: []
		}));
		const databaseItems = prepared.items.filter((i) => i.kind === "database");
		const named = databaseItems.length === 1 ? databaseItems[0].backup : prepared.backup;
		deps.restores.create({
			id,
			kind: prepared.kind,
			backupId: named.id,
			destinationId: named.destinationId,
			destination: named.destination,
			key: named.key,
			job: named.job,
			engine: prepared.source.engine,
			targetSourceId: prepared.source.id,
			targetSource: prepared.source.name,
			withGlobals: prepared.withGlobals,
			force: prepared.force,
			requestedBy: requester(deps.host),
			startedAt: deps.now().toISOString(),
			totalBytes: storedBytes(prepared.items),
			databases,
			owner: {
				startId: deps.host.identity.startId,
				pid: deps.host.identity.pid
			}
		});
		const controller = new AbortController();
		const done = new RestoreRun(this.deps, id, prepared, databases, controller, spare).execute().finally(() => this.#active.delete(id));
		this.#active.set(id, {
			controller,
			done
		});
		return id;
	}
};
/** The backup and its manifest, or the refusal to restore (or drill) what is not a complete backup. */
function completeBackup({ backup, entry }, action) {
	const reading = entry.manifest?.reading;
	if (backup.status !== "complete" || !reading?.ok) throw notABackup(backup, action);
	return {
		backup,
		manifest: reading.manifest
	};
}
/** A driver for a source of the store: its secrets, the host's tools and environment, host keys pinned on first use. */
function openSourceDriver(deps, source, tempDir) {
	return createSourceDriver(source, deps.sources.secrets(source.id), {
		tempDir,
		env: deps.toolEnv,
		toolPaths: deps.settings.get().toolPaths,
		log: deps.log,
		onHostKeyPinned: (fp) => deps.sources.pinHostKey(source.id, fp)
	});
}
function adminOf(driver, source) {
	if (!driver.admin) throw new AppError("VALIDATION_FAILED", `Source "${source.name}" cannot be restored into from here: Vaultdesk has no SQL connection to it.`, { field: "targetSourceId" });
	return driver.admin();
}
/** What a restore reads from the destination: the stored size of each backup it restores. */
function storedBytes(items) {
	return items.reduce((n, i) => n + i.manifest.object.size, 0);
}
var isEmpty = (found) => found.tables === 0 && found.others.length === 0;
function refuseNonEmpty(found, target, source, force) {
	const holds = holdingWords(found);
	if (!found.exists || holds === "" || force) return;
	const where = `${source.engine === "sqlite" ? "The file" : "Database"} ${target} on "${source.name}"`;
	throw new AppError("RESTORE_TARGET_NOT_EMPTY", `${where} already holds ${holds}. Restore under another name (--database NAME), or replace it (--force): the restored copy is put in its place only once it is complete.`, {
		database: target,
		tables: found.tables,
		others: found.others
	});
}
/**
* Whether an existing database is restored into directly rather than through a scratch copy: only
* where the copy cannot be made (a PostgreSQL user without CREATEDB) and need not be, the target
* being empty and pg_restore's one transaction rolling a failure back. `--jobs` runs pg_restore
* without that transaction, so it is refused there.
*/
async function directIntoEmpty(admin, target, found, source, jobs) {
	if (!admin.mayCreateDatabases || !isEmpty(found)) return false;
	if (await admin.mayCreateDatabases(target)) return false;
	if (jobs > 1) throw new AppError("VALIDATION_FAILED", `User ${source.user} may not create databases, so it restores into the existing empty database ${target} directly, in one transaction that rolls a failure back, which a parallel restore (--jobs) does not run in. Restore without --jobs, or as a user with CREATEDB.`, { field: "jobs" });
	return true;
}
/** `name`, or `name-2`, `name-3`... when a restore of the same second already kept a file under it. */
function freeName(name) {
	let candidate = name;
	for (let n = 2; existsSync(candidate) || existsSync(`${candidate}-wal`); n++) candidate = `${name}-${n}`;
	return candidate;
}
function requester(host) {
	let user = "unknown user";
	try {
		user = userInfo().username;
	} catch {}
	return `${user}@${host.identity.hostname} (${host.identity.kind === "test" ? "cli" : host.identity.kind})`;
}
/** One restore or drill being carried out. */
var RestoreRun = class {
	deps;
	id;
	prepared;
	databases;
	controller;
	#stage = "check";
	#bytesBefore = 0;
	#bytesRead = 0;
	#totalBytes;
	#lastEvent = 0;
	#lastSave = 0;
	#scratchLeft = null;
	/** Databases a worker's driver created for a failed restore and could not drop (SourceContext.onCreatedNotDropped). */
	#notDropped = /* @__PURE__ */ new Set();
	/** Databases a worker's driver began to create (SourceContext.onCreatingDatabase). */
	#creating = /* @__PURE__ */ new Set();
	#drill = null;
	#tempDir;
	/** The worker of the next stream, started ahead; null once none is left. */
	#spare;
	constructor(deps, id, prepared, databases, controller, spare) {
		this.deps = deps;
		this.id = id;
		this.prepared = prepared;
		this.databases = databases;
		this.controller = controller;
		this.#tempDir = path.join(deps.tempRoot, `restore-${id}`);
		this.#totalBytes = storedBytes(prepared.items);
		this.#spare = spare;
	}
	async execute() {
		const { deps, prepared } = this;
		const poll = setInterval(() => {
			try {
				if (deps.restores.cancelRequested(this.id)) this.controller.abort();
			} catch {}
		}, CANCEL_POLL_MS);
		poll.unref();
		let failure = null;
		let source = null;
		try {
			await mkdir(this.#tempDir, {
				recursive: true,
				mode: 448
			});
			source = openSourceDriver(deps, prepared.source, this.#tempDir);
			for (const [index, item] of prepared.items.entries()) {
				this.#throwIfCancelled();
				await this.#restoreItem(item, this.databases[index], source);
				this.#bytesBefore += item.manifest.object.size;
			}
		} catch (error) {
			failure = this.controller.signal.aborted ? new AppError("CANCELLED", `The ${prepared.kind} was cancelled.`) : asAppError(error, deps.log);
			for (const d of this.databases) if (d.status === "pending") d.status = failure.code === "CANCELLED" ? "cancelled" : "failed";
		} finally {
			clearInterval(poll);
			this.#spare?.dispose();
			this.#spare = null;
			await source?.close().catch(() => void 0);
			await rm(this.#tempDir, {
				recursive: true,
				force: true
			}).catch(() => void 0);
		}
		return this.#finish(failure);
	}
	async #restoreItem(item, record, source) {
		const { deps, prepared } = this;
		const owned = (operation) => operation.op === "globals" || !prepared.withGlobals ? operation : {
			...operation,
			keepOwners: true
		};
		const stream = (operation) => this.#streamInWorker(item, record, owned(operation)).catch((error) => Promise.reject(withRestoreAdvice(error, item.manifest.source.serverVersion)));
		const format = item.manifest.dump.format === "custom" ? "custom" : "plain";
		const intoDatabase = (database, tablespace = null) => prepared.jobs !== null && prepared.jobs > 1 && source.restoreFile ? stream({
			op: "restoreFile",
			database,
			format,
			createDatabase: true,
			tablespace,
			jobs: prepared.jobs,
			file: path.join(this.#tempDir, `${item.backup.id}.dump`)
		}) : stream({
			op: "restore",
			database,
			format,
			createDatabase: true,
			tablespace,
			loaders: prepared.jobs ?? 2
		});
		this.#setStage("restore", record.database);
		try {
			switch (item.mode) {
				case "globals":
					await stream({ op: "globals" });
					record.notes.push("Roles that already existed on the server kept their place; their attributes and passwords were set as they were in the backup.");
					break;
				case "file": {
					const existed = inspectSqliteFile(item.target).exists;
					const kept = existed ? freeName(keptName(item.target, deps.now())) : null;
					const keptFiles = [];
					try {
						if (kept) {
							await link(item.target, kept).catch((error) => Promise.reject(fsAppError(error, "RESTORE_FAILED", `Could not keep ${item.target} as ${kept}; it was left as it was`, { path: kept })));
							keptFiles.push(kept);
							if (existsSync(`${item.target}-wal`)) {
								await link(`${item.target}-wal`, `${kept}-wal`).catch((error) => Promise.reject(fsAppError(error, "RESTORE_FAILED", `Could not keep ${item.target}-wal as ${kept}-wal; ${item.target} was left as it was`, { path: `${kept}-wal` })));
								keptFiles.push(`${kept}-wal`);
							}
						}
						await stream({
							op: "restore",
							database: item.target,
							format,
							createDatabase: false
						});
					} catch (error) {
						await Promise.all(keptFiles.map((f) => unlink(f).catch(() => void 0)));
						if (workerAbandoned(error)) await removeAbandonedSqlitePartials(item.target);
						throw error;
					}
					record.replaced = existed;
					record.keptAs = kept;
					this.#setStage("count", record.database);
					record.tables = countSqliteRows(item.target);
					break;
				}
				case "create": {
					this.#scratchLeft = `the database ${item.target} on "${prepared.source.name}", which it was creating`;
					this.#progress(record.database, this.#bytesRead, true);
					const loaded = await intoDatabase(item.target).catch(async (error) => {
						this.#scratchLeft = null;
						if (workerAbandoned(error) || this.#notDropped.has(item.target)) await this.#dropAbandoned(item.target, record, source);
						throw error;
					});
					this.#scratchLeft = null;
					await this.#giveProperties(item, record, source);
					this.#setStage("count", record.database);
					record.tables = await source.admin().countRows(item.target, {
						...RESTORED_COPY,
						loaded
					});
					break;
				}
				case "into":
					await this.#restoreInto(item, record, source, stream, format);
					break;
				case "swap": {
					const admin = source.admin();
					this.#scratchLeft = `the scratch database ${item.scratch} on "${prepared.source.name}"`;
					let leftovers;
					let loaded;
					try {
						loaded = await intoDatabase(item.scratch, item.tablespace ?? null);
						this.#throwIfCancelled();
						this.#scratchLeft = `the scratch database ${item.scratch} on "${prepared.source.name}", or, if the swap got that far, ${item.scratch}_old holding what ${item.target} held (look at both before dropping either)`;
						this.#setStage("swap", record.database);
						leftovers = await admin.swap(item.target, item.scratch, {
							charset: item.manifest.source.charset ?? null,
							onNote: (text) => record.notes.push(text)
						});
						this.#scratchLeft = null;
					} catch (error) {
						if (isCreateDenied(error)) {
							this.#scratchLeft = null;
							if (item.emptyTarget && prepared.source.engine === "mysql") {
								await this.#restoreInto(item, record, source, stream, format);
								break;
							}
						} else if (!this.#mayHaveCreated(item.scratch, error)) this.#scratchLeft = null;
						else {
							this.#scratchLeft = `the scratch database ${item.scratch} on "${prepared.source.name}"`;
							await admin.drop(item.scratch).then(() => this.#scratchLeft = null, (dropError) => deps.log.warn("could not drop a scratch database", {
								database: item.scratch,
								error: String(dropError)
							}));
						}
						throw error;
					}
					record.replaced = true;
					this.#setStage("count", record.database);
					const after = await countWhileDropping(admin, item.target, leftovers, {
						where: `on "${prepared.source.name}"`,
						log: deps.log,
						connections: RESTORED_COPY.connections,
						loaded
					});
					record.tables = after.tables;
					record.notes.push(...after.notes);
					break;
				}
				case "drill": await this.#drillItem(item, record, source, stream, format);
			}
			record.status = "restored";
		} catch (error) {
			record.status = this.controller.signal.aborted ? "cancelled" : "failed";
			if (this.#scratchLeft) record.notes.push(scratchNotDropped(this.#scratchLeft));
			throw error;
		}
	}
	/** Straight into an existing empty database (restore-plan.ts, mode `into`, or a MySQL/MariaDB swap refused its scratch copy): the copy one the user may not create. */
	async #restoreInto(item, record, source, stream, format) {
		const mysql = this.prepared.source.engine === "mysql";
		const loaded = await stream({
			op: "restore",
			database: item.target,
			format,
			createDatabase: false
		}).catch(async (error) => {
			const left = await this.#leftInEmptied(item.target, source);
			if (left) record.notes.push(left);
			throw error;
		});
		const how = mysql ? "rather than into a copy swapped in" : "in one transaction, rather than into a copy swapped in";
		const kept = mysql ? "its own default character set and collation" : "its own owner, privileges, encoding and locale";
		record.notes.push(`User ${this.prepared.source.user} may not create databases, so the backup was restored straight into the existing empty database ${item.target}, ${how}: ${item.target} keeps ${kept}.`);
		const asked = this.prepared.jobs ?? 1;
		if (mysql && asked > 1) record.notes.push(`One client loaded it, not the ${asked} asked for (--jobs): clients load a dump in parallel only into a database the restore creates.`);
		this.#setStage("count", record.database);
		record.tables = await source.admin().countRows(item.target, {
			...RESTORED_COPY,
			loaded
		});
	}
	/**
	* A PostgreSQL database this restore created gets what its backup kept beside the dump: settings
	* (an application's search_path), connection limit, comment, and with the run's roles its owner
	* and privileges. What the server refuses is a note; the restore stands.
	*/
	async #giveProperties(item, record, source) {
		const kept = item.manifest.source.properties;
		const admin = source.admin();
		if (!kept || !admin.giveProperties) return;
		try {
			record.notes.push(...await admin.giveProperties(item.target, kept, this.prepared.withGlobals));
		} catch (error) {
			record.notes.push(`${item.target} could not be given the backed-up database's settings, connection limit and comment (${messageOf(error)}): set them ${BY_HAND} as the original had them.`);
		}
	}
	#engine() {
		return this.prepared.source.engine === "mysql" ? "mysql" : "postgres";
	}
	/** After a failed restore straight into an empty database: what it made dropped again (MySQL/MariaDB); null when it is empty again, else a note saying what it holds. */
	async #leftInEmptied(database, source) {
		try {
			await source.admin().emptyOut?.(database);
			const holds = holdingWords(await source.admin().inspect(database));
			return holds === "" ? null : notRolledBack(database, holds, "", this.#engine());
		} catch (error) {
			return notRolledBack(database, null, messageOf(error), this.#engine());
		}
	}
	async #drillItem(item, record, source, stream, format) {
		const { deps, prepared } = this;
		const sqlite = prepared.source.engine === "sqlite";
		const scratch = item.scratch;
		this.#scratchLeft = sqlite ? null : `the scratch database ${scratch} on "${prepared.source.name}"`;
		let made = true;
		let failedAt = null;
		try {
			const loaded = await stream({
				op: "restore",
				database: scratch,
				format,
				createDatabase: !sqlite,
				loaders: 2
			}).catch((error) => {
				made = !isCreateDenied(error) && (sqlite || this.#mayHaveCreated(scratch, error));
				throw error;
			});
			this.#setStage("count", record.database);
			record.tables = sqlite ? countSqliteRows(scratch) : await source.admin().countRows(scratch, {
				...RESTORED_COPY,
				loaded
			});
			this.#throwIfCancelled();
			this.#setStage("compare", record.database);
			const now = await this.#countsNow(item.manifest);
			this.#drill = {
				ok: false,
				comparedWith: `${item.manifest.source.database} on "${prepared.compareWith.name}"`,
				tables: record.tables.length,
				differences: differences(record.tables, now),
				scratchDropped: false
			};
			this.#drill.ok = this.#drill.differences.length === 0;
		} catch (error) {
			failedAt = this.#stage;
			throw error;
		} finally {
			this.#setStage("cleanup", record.database);
			const dropped = !made || (sqlite ? await Promise.all([...[
				"",
				"-wal",
				"-shm",
				"-journal"
			].map((suffix) => unlinkIfThere(`${scratch}${suffix}`)), removeAbandonedSqlitePartials(scratch)]).then(() => true, (error) => (record.notes.push(scratchFileNotRemoved(scratch, messageOf(error))), false)) : await source.admin().drop(scratch).then(() => true, (error) => (deps.log.warn("could not drop the drill database", {
				database: scratch,
				error: String(error)
			}), false)));
			if (!dropped && this.#scratchLeft) record.notes.push(scratchNotDropped(this.#scratchLeft));
			this.#scratchLeft = null;
			if (this.#drill) this.#drill.scratchDropped = dropped;
			if (failedAt) this.#stage = failedAt;
		}
	}
	/** The tables of the database the backup was made of, counted now, on the source compared with. */
	async #countsNow(manifest) {
		const { deps, prepared } = this;
		const compare = prepared.compareWith;
		if (compare.engine === "sqlite") return countSqliteRows(sqliteTarget(compare, void 0));
		const driver = openSourceDriver(deps, compare, this.#tempDir);
		try {
			return await adminOf(driver, compare).countRows(manifest.source.database);
		} finally {
			await driver.close().catch(() => void 0);
		}
	}
	/** One database's bytes, from the destination into the tool, in the pipeline worker; its errors are thrown here as they were there. */
	async #streamInWorker(item, record, operation) {
		const { deps, prepared } = this;
		const { destinationId } = prepared.backup;
		const spare = this.#spare ?? void 0;
		this.#spare = item !== prepared.items.at(-1) ? SpareWorker.start(deps.workerFile) : null;
		return restoreInWorker({
			destination: {
				dto: deps.destinations.get(destinationId),
				secrets: deps.destinations.secrets(destinationId)
			},
			source: {
				dto: prepared.source,
				secrets: deps.sources.secrets(prepared.source.id)
			},
			sourceContext: {
				tempDir: this.#tempDir,
				env: deps.toolEnv,
				toolPaths: deps.settings.get().toolPaths
			},
			manifest: item.manifest,
			keys: prepared.keys.get(item.backup.id),
			operation
		}, {
			signal: this.controller.signal,
			cancelGraceMs: deps.cancelGraceMs,
			workerFile: deps.workerFile,
			spare,
			onBytes: (n) => this.#progress(record.database, this.#bytesBefore + n),
			onDestinationHostKeyPinned: (fp) => deps.destinations.pinHostKey(destinationId, fp),
			onSourceHostKeyPinned: (fp) => deps.sources.pinHostKey(prepared.source.id, fp),
			onNote: (text) => record.notes.push(text),
			onCreatedNotDropped: (database) => this.#notDropped.add(database),
			onCreatingDatabase: (database) => this.#creating.add(database),
			log: deps.log
		});
	}
	/** A database that did not exist before, which a worker stopped outright, or its driver failing to drop it, left. */
	async #dropAbandoned(database, record, source) {
		const { deps, prepared } = this;
		const admin = source.admin();
		try {
			if ((await admin.inspect(database)).exists) await admin.drop(database);
		} catch (error) {
			deps.log.warn("could not drop a database a failed restore created", {
				database,
				error: String(error)
			});
			record.notes.push(`The database ${database} on "${prepared.source.name}", created for this restore, could not be dropped (${messageOf(error)}): drop it ${BY_HAND}.`);
		}
	}
	/**
	* Whether a database this restore's worker was to create may be on the server after `error`: not
	* when the worker ended in its own words without having begun to create it (the SSH host or the
	* destination gone before), whose message would have come before its end. A worker stopped outright
	* may have lost it.
	*/
	#mayHaveCreated(database, error) {
		return workerAbandoned(error) || this.#creating.has(database);
	}
	#throwIfCancelled() {
		if (this.controller.signal.aborted) throw new AppError("CANCELLED", `The ${this.prepared.kind} was cancelled.`);
	}
	#setStage(stage, database) {
		this.#stage = stage;
		this.#progress(database, this.#bytesRead, true);
	}
	#progress(database, bytesRead, force = false) {
		const { deps } = this;
		this.#bytesRead = bytesRead;
		const at = Date.now();
		if (force || at - this.#lastEvent >= PROGRESS_EVENT_MS) {
			this.#lastEvent = at;
			deps.events.emit("restore:progress", {
				restoreId: this.id,
				stage: this.#stage,
				database,
				bytesRead,
				totalBytes: this.#totalBytes
			});
		}
		if (force || at - this.#lastSave >= PROGRESS_SAVE_MS) {
			this.#lastSave = at;
			try {
				deps.restores.progress(this.id, {
					stage: this.#stage,
					bytesRead,
					databases: this.databases,
					scratch: this.#scratchLeft
				});
			} catch (error) {
				deps.log.warn("could not record a restore's progress", { error: String(error) });
			}
		}
	}
	#finish(failure) {
		const { deps, prepared } = this;
		const status = failure === null ? "succeeded" : failure.code === "CANCELLED" ? "cancelled" : "failed";
		const message = failure ? failureWords(prepared, this.databases, this.#stage, failure) : prepared.kind === "drill" ? drillWords(this.#drill, this.databases, prepared.source.engine === "sqlite" ? "file" : "database") : successWords(prepared, this.databases);
		const record = deps.restores.finish(this.id, {
			status,
			stage: this.#stage,
			finishedAt: deps.now().toISOString(),
			bytesRead: this.#bytesRead,
			databases: this.databases,
			drill: this.#drill,
			error: failure ? {
				code: failure.code,
				message: failure.message
			} : null,
			message
		});
		if (prepared.kind === "drill") {
			const ok = failure === null && this.#drill?.ok === true;
			deps.backupState.recordDrill(prepared.backup.destinationId, prepared.backup.key, {
				at: record.finishedAt,
				ok,
				restoreId: this.id,
				message
			});
		}
		deps.log.info(`${prepared.kind} ${status}`, {
			restoreId: this.id,
			backup: prepared.backup.key,
			target: prepared.source.name
		});
		deps.events.emit("restore:finished", record);
		return record;
	}
};
function differences(inBackup, now) {
	const key = (t) => `${t.schema ?? ""}\u0000${t.table}`;
	const backup = new Map(inBackup.map((t) => [key(t), t]));
	const current = new Map(now.map((t) => [key(t), t]));
	const out = [];
	for (const k of [.../* @__PURE__ */ new Set([...backup.keys(), ...current.keys()])].sort()) {
		const b = backup.get(k);
		const c = current.get(k);
		if (b && c && b.rows === c.rows) continue;
		const t = b ?? c;
		out.push({
			schema: t.schema,
			table: t.table,
			inBackup: b?.rows ?? null,
			inSourceNow: c?.rows ?? null,
			difference: b && c ? c.rows - b.rows : null
		});
	}
	return out;
}
function asAppError(error, log) {
	if (error instanceof AppError) return error;
	log.warn("a restore failed unexpectedly", { error: error instanceof Error ? error.stack ?? error.message : String(error) });
	return new AppError("INTERNAL", `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}
// src/main/core/system/system-backup.ts
/**
* The whole configuration to one age file encrypted to a passphrase, and back into another data
* dir under its own master key (`system-export.ts`, `system-import.ts`). Loaded on first use:
* age and the document schema are not for every command that opens the core.
*/
var SystemBackup = class {
	deps;
	constructor(deps) {
		this.deps = deps;
	}
	async export(request) {
		const { exportSystem } = await import("./system-export-BNJieECc.js");
		return exportSystem(this.deps, request);
	}
	async import(request) {
		const { importSystem } = await import("./system-import-DLblP9HU.js");
		return importSystem(this.deps, request);
	}
};
// src/main/core/tray/tray-model.ts
/**
* Worst first. Paused sits below stale and running on purpose: a pause that has let backups go
* stale is what the user must see, and a run going (started by hand while paused) is news;
* it sits above ok so that a forgotten pause stays visible.
*/
var TRAY_STATE_ORDER = [
	"failing",
	"stale",
	"running",
	"paused",
	"ok"
];
var JOB_HEALTH_ORDER = [
	"failing",
	"stale",
	"running",
	"ok"
];
var NAMES_IN_TOOLTIP = 3;
var MINUTE = 6e4;
var HOUR = 60 * MINUTE;
/** The tray's picture, tooltip and menu for the jobs as they are at `input.now`. */
function trayModel(input) {
	const jobs = input.jobs.map((job) => jobState(job, input.now));
	const worstJob = worst(jobs.map((j) => j.health), JOB_HEALTH_ORDER) ?? "ok";
	return {
		state: input.paused && TRAY_STATE_ORDER.indexOf("paused") < TRAY_STATE_ORDER.indexOf(worstJob) ? "paused" : worstJob,
		tooltip: tooltipOf(jobs, input.paused),
		jobs,
		menu: menuOf(jobs, input.paused)
	};
}
/** One job's health at `now`: failing, then stale, then running, else ok. */
function jobState(job, now) {
	const runs = [...job.runs].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
	const running = runs.some((r) => r.status === "running");
	const outcome = runs.find((r) => r.status === "succeeded" || r.status === "failed" || r.status === "interrupted");
	const success = runs.find((r) => r.status === "succeeded");
	const lastSuccessAt = success ? success.finishedAt ?? success.startedAt : null;
	const health = outcome && outcome.status !== "succeeded" ? "failing" : isStale(job, lastSuccessAt, now) ? "stale" : running ? "running" : "ok";
	return {
		id: job.id,
		name: job.name,
		health,
		running,
		lastSuccessAt,
		lastSuccessAge: lastSuccessAt ? ageInWords(lastSuccessAt, now) : "never"
	};
}
/**
* No success for more than twice the schedule's interval. The interval is the gap between the
* schedule's two latest slots at `now`, so a weekday schedule allows a weekend and an hourly one
* two hours; a job that never succeeded counts from its creation.
*/
function isStale(job, lastSuccessAt, now) {
	if (!job.enabled || job.schedule === null) return false;
	const interval = scheduleInterval(job.schedule, job.timezone, now);
	if (interval === null) return false;
	return now.getTime() - Date.parse(lastSuccessAt ?? job.createdAt) > 2 * interval;
}
function scheduleInterval(schedule, timezone, now) {
	let slots;
	try {
		const cron = cronOf({
			schedule,
			timezone
		});
		slots = cron.previousRuns(2, new Date(now.getTime() + 1e3));
		if (slots.length < 2) slots = cron.nextRuns(2, now);
	} catch {
		return null;
	}
	return slots.length < 2 ? null : Math.abs(slots[0].getTime() - slots[1].getTime());
}
/** "just now", "12 min ago", "9 h ago" (up to two days), "3 d ago". */
function ageInWords(at, now) {
	const ms = now.getTime() - Date.parse(at);
	if (ms < MINUTE) return "just now";
	if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
	if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} h ago`;
	return `${Math.floor(ms / (24 * HOUR))} d ago`;
}
function worst(values, order) {
	return [...values].sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
}
/** "Vaultdesk: 1 job failing (shop-nightly), 3 ok"; "Vaultdesk: schedules paused; 2 jobs ok". */
function tooltipOf(jobs, paused) {
	const parts = [];
	for (const health of JOB_HEALTH_ORDER) {
		const these = jobs.filter((j) => j.health === health);
		if (these.length === 0) continue;
		const noun = parts.length === 0 ? these.length === 1 ? " job" : " jobs" : "";
		const names = health === "ok" ? "" : ` (${namesOf(these.map((j) => j.name))})`;
		parts.push(`${these.length}${noun} ${health}${names}`);
	}
	const body = jobs.length === 0 ? "no jobs yet" : parts.join(", ");
	const text = `Vaultdesk: ${paused ? `schedules paused; ${body}` : body}`;
	return text.length <= 127 ? text : `${text.slice(0, 126)}…`;
}
function namesOf(names) {
	const shown = names.slice(0, NAMES_IN_TOOLTIP).join(", ");
	return names.length > NAMES_IN_TOOLTIP ? `${shown} and ${names.length - NAMES_IN_TOOLTIP} more` : shown;
}
var HEALTH_MARK = {
	failing: " — failing",
	stale: " — stale",
	running: " — running",
	ok: ""
};
/** One entry per job (its last success, marked when not ok, with Run now), then Pause/Resume all, Open, Quit. */
function menuOf(jobs, paused) {
	return [
		...jobs.length === 0 ? [{
			type: "item",
			label: "No jobs yet",
			enabled: false,
			action: null
		}] : jobs.map((j) => {
			const mark = HEALTH_MARK[j.health] + (j.running && j.health !== "running" ? ", running" : "");
			return {
				type: "item",
				label: `${j.name}: ${j.lastSuccessAge}${mark}`,
				enabled: true,
				action: null,
				submenu: [{
					type: "item",
					label: j.running ? "Running…" : "Run now",
					enabled: !j.running,
					action: {
						kind: "run",
						jobId: j.id
					}
				}]
			};
		}),
		{ type: "separator" },
		paused ? {
			type: "item",
			label: "Resume all schedules",
			enabled: true,
			action: { kind: "resume" }
		} : {
			type: "item",
			label: "Pause all schedules",
			enabled: true,
			action: { kind: "pause" }
		},
		{
			type: "item",
			label: "Open Vaultdesk",
			enabled: true,
			action: { kind: "open" }
		},
		{ type: "separator" },
		{
			type: "item",
			label: "Quit Vaultdesk",
			enabled: true,
			action: { kind: "quit" }
		}
	];
}
// src/main/core/tray/tray-service.ts
/** The jobs, the runs that decide their health and whether schedules are paused, read now. */
function trayInput(deps) {
	return {
		now: deps.now(),
		paused: deps.settings.get().schedulesPaused,
		jobs: deps.jobs.list().map((j) => ({
			id: j.id,
			name: j.name,
			schedule: j.schedule,
			timezone: j.timezone,
			enabled: j.enabled,
			createdAt: j.createdAt,
			runs: deps.runs.healthFacts(j.id)
		}))
	};
}
/** The tray as the store has it now: what the desktop app draws. */
function currentTrayModel(deps) {
	return trayModel(trayInput(deps));
}
// src/main/core/create-core.ts
var DB_FILE = "vaultdesk.db";
/** How long a closing host waits for notifications still being delivered. */
var SHUTDOWN_NOTIFY_MS = 5e3;
/**
* Runs whose process is gone are marked interrupted, and temp folders nobody owns removed; a
* store that cannot be written (full disk, read-only data dir) must not stop the host from
* reading it, so a failure here is logged. Destinations are cleaned as `mode` says.
*/
async function startUpSweep(deps, mode) {
	try {
		for (const r of reapAbandoned(deps)) deps.notifier.runEnded(deps.runs.get(r.id));
	} catch (error) {
		deps.log.warn("could not check for interrupted runs", { error: String(error) });
		return;
	}
	const cleaning = cleanDueLeftovers(deps).catch((error) => deps.log.warn("leftover cleanup failed", { error: String(error) }));
	if (mode === "await") await cleaning;
}
/** The composition root: every host (Electron, CLI, serve) builds its core here. */
async function createCore(options) {
	const log = options.log ?? silentLogger;
	const schedulerClock = options.schedulerClock ?? systemClock;
	const now = options.clock ?? (() => schedulerClock.now());
	const db = openStore(options.dataDir, options.migrationsDir);
	try {
		let instanceId = getMeta(db, "instance_id");
		if (!instanceId) {
			instanceId = randomUUID();
			setMeta(db, "instance_id", instanceId);
		}
		const keys = await MasterKey.open(db, options.keyStore, `data-dir-${instanceId}`);
		if (keys.state !== "ok") {
			const problem = keys.state === "mismatch" ? "the master key does not match this data dir" : "no master key for this data dir was found";
			log.warn(`${problem}: whatever needs a stored credential fails until the right key is imported; vaultdesk key status says more`, {
				state: keys.state,
				where: keys.status().location
			});
		}
		const environments = new EnvironmentsRepository(db, now);
		const destinations = new DestinationsRepository(db, keys, now);
		const sources = new SourcesRepository(db, keys, environments, now);
		const profiles = new ProfilesRepository(db, keys, now);
		const jobs = new JobsRepository(db, sources, destinations, environments, profiles, keys, now);
		const runs = new RunsRepository(db);
		const leftovers = new LeftoversRepository(db);
		const settings = new SettingsRepository(db, keys);
		const tempRoot = path.join(options.dataDir, "tmp");
		ensureFolderSync(tempRoot, { mode: 448 });
		const host = new HostProcess(options.owner ?? currentProcessIdentity("test"), new ProcessesRepository(db), now, log);
		const cleanup = {
			leftovers,
			runs,
			destinations,
			now,
			log,
			deadlineMs: options.cleanupDeadlineMs ?? 2e4
		};
		const events = new CoreEvents();
		const toolEnv = options.toolEnv;
		const workerFile = options.workerFile ?? pipelineWorkerFile();
		const cancelGraceMs = options.cancelGraceMs ?? 5e3;
		const backups = new BackupsRepository(db, now);
		const backupState = new BackupStateRepository(db, now);
		const restores = new RestoresRepository(db);
		const explorer = new BackupExplorer({
			destinations,
			backups,
			backupState,
			runs,
			profiles,
			restores,
			log,
			now
		});
		const retention = new RetentionService({
			backups,
			backupState,
			destinations,
			jobs,
			runs,
			restores,
			log,
			now,
			timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
		});
		const notifier = new Notifier({
			jobs,
			runs,
			settings,
			events,
			log,
			now,
			delivery: {
				...DEFAULT_DELIVERY,
				...options.notificationDelivery
			}
		});
		const runService = new RunService({
			jobs,
			runs,
			leftovers,
			settings,
			sources,
			destinations,
			environments,
			profiles,
			events,
			log,
			now,
			appVersion: options.version ?? "0.0.0",
			host,
			tempRoot,
			toolEnv,
			minuteMs: options.minuteMs ?? 6e4,
			cancelGraceMs,
			workerFile,
			cleanup,
			retention,
			notifier
		});
		const restoreService = new RestoreService({
			explorer,
			destinations,
			sources,
			jobs,
			profiles,
			settings,
			backupState,
			restores,
			events,
			log,
			now,
			host,
			tempRoot,
			toolEnv,
			cancelGraceMs,
			workerFile
		});
		let running = null;
		try {
			await restoreService.reapDead();
			running = restores.running();
		} catch (error) {
			log.warn("could not check for interrupted restores", { error: String(error) });
		}
		await startUpSweep({
			...cleanup,
			host,
			tempRoot,
			notifier,
			restoreTemp: restoreTempVerdict(tempRoot, running)
		}, options.leftoverCleanup ?? "background");
		const lease = new SchedulerLease(db, host, now);
		const scheduler = new Scheduler({
			jobs,
			runs,
			runService,
			settings,
			lease,
			clock: schedulerClock,
			events,
			log
		});
		const services = {
			dataDir: options.dataDir,
			db,
			keys,
			events,
			log,
			environments,
			sources,
			destinations,
			profiles,
			jobs,
			runs,
			settings,
			runService,
			backups,
			backupState,
			explorer,
			restores,
			restoreService,
			retention,
			notifier,
			system: new SystemBackup({
				db,
				keys,
				sources,
				destinations,
				profiles,
				jobs,
				settings,
				now,
				version: options.version ?? "0.0.0",
				scryptWorkFactor: options.scryptWorkFactor
			}),
			leftovers,
			host,
			cleanup,
			scheduler,
			lease,
			tempRoot,
			toolEnv,
			workerFile,
			now,
			info: () => ({
				version: options.version ?? "0.0.0",
				dataDir: options.dataDir,
				logFile: options.logFile ?? null,
				key: keys.status(),
				host: hostOf(host.identity.kind)
			}),
			trayModel: () => currentTrayModel({
				jobs,
				runs,
				settings,
				now
			})
		};
		const handlers = createHandlers(services);
		const invoke = (channel, input) => dispatch(handlers, log, channel, input);
		return {
			...services,
			invoke,
			call: async (channel, input) => unwrap(await invoke(channel, input)),
			shutdown: async (reason = "Vaultdesk is shutting down", graceMs = 0) => {
				scheduler.stop();
				await runService.stopAll(new AppError("CANCELLED", `${reason}: the run was cancelled; nothing was kept.`), graceMs);
				await restoreService.stopAll();
				if (!await notifier.drain(SHUTDOWN_NOTIFY_MS)) log.warn("notifications still being retried were given up at shutdown", { pending: notifier.pending });
				notifier.close();
				host.close();
				db.close();
			},
			drainNotifications: async (limitMs, onWait) => {
				if (notifier.pending === 0) return true;
				onWait?.();
				return notifier.drain(limitMs);
			},
			close: () => {
				scheduler.stop();
				notifier.close();
				host.close();
				db.close();
			}
		};
	} catch (error) {
		db.close();
		throw storeFailure(error, options.dataDir) ?? error;
	}
}
/** Which host the renderer talks to; a test's in-process core has no window, like the CLI. */
function hostOf(kind) {
	return kind === "test" ? "cli" : kind;
}
/** The data dir and its database, or an error in words: a path that cannot hold it, a full or read-only disk. */
function openStore(dataDir, migrationsDir) {
	try {
		ensureFolderSync(dataDir, { mode: 448 });
	} catch (error) {
		throw error instanceof AppError ? error : fsAppError(error, "STORE_WRITE_FAILED", `Could not create the data dir ${dataDir}`, { path: dataDir });
	}
	try {
		return openDatabase(path.join(dataDir, DB_FILE), migrationsDir);
	} catch (error) {
		throw storeFailure(error, dataDir) ?? error;
	}
}
// src/main/core/keys/os-keychain.ts
var SERVICE = "vaultdesk";
/** Why the keychain cannot be used, in words: the library's own text goes to `details` only. */
function keychainUnreachable(platform, cause) {
	return new AppError("MASTER_KEY_UNAVAILABLE", platform === "linux" ? "No OS keychain can be reached: no Secret Service (such as gnome-keyring or KWallet) answers on this session's D-Bus, as on a server or over SSH." : platform === "darwin" ? "The macOS Keychain cannot be reached from this session." : "The Windows Credential Manager cannot be reached from this session.", { cause: cause instanceof Error ? cause.message : String(cause) });
}
/** The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). */
function createOsKeychain(service = SERVICE, platform = process.platform) {
	const unavailable = (error) => keychainUnreachable(platform, error);
	let library = null;
	const entry = async (account) => {
		library ??= import("@napi-rs/keyring");
		let Entry;
		try {
			({Entry} = await library);
		} catch (error) {
			library = null;
			throw new AppError("MASTER_KEY_UNAVAILABLE", "The OS keychain library could not be loaded on this system.", { cause: error instanceof Error ? error.message : String(error) });
		}
		try {
			return new Entry(service, account, { linux: { store: "secret-service" } });
		} catch (error) {
			throw unavailable(error);
		}
	};
	const read = async (account) => {
		const found = await entry(account);
		let stored;
		try {
			stored = found.getPassword();
		} catch (error) {
			throw unavailable(error);
		}
		if (stored === null) return null;
		const key = decodeMasterKey(stored);
		if (!key) throw new AppError("MASTER_KEY_UNAVAILABLE", `The keychain entry ${service}/${account} does not hold a valid master key.`);
		return key;
	};
	const write = async (account, key) => {
		const found = await entry(account);
		try {
			found.setPassword(key.toString("base64"));
		} catch (error) {
			throw unavailable(error);
		}
	};
	const remove = async (account) => {
		try {
			(await entry(account)).deletePassword();
		} catch {}
	};
	return {
		kind: "keychain",
		writable: true,
		describe: () => `OS keychain (service "${service}")`,
		probe: async () => {
			try {
				await read("reachability-check");
				return null;
			} catch (error) {
				if (error instanceof AppError) return error;
				return unavailable(error);
			}
		},
		load: (account) => read(account),
		save: (account, key) => write(account, key),
		loadPending: (account) => read(`${account}.pending`),
		savePending: (account, key) => write(`${account}.pending`, key),
		clearPending: (account) => remove(`${account}.pending`)
	};
}
// src/main/core/keys/select-key-store.ts
/**
* Where this start takes the master key from: a key file given with --master-key-file, else
* VAULTDESK_MASTER_KEY, else the key file kept beside the data dir when there is one, else the
* OS keychain. Where no keychain answers, a data dir that has no key yet gets the key file
* beside it (when the host may make it); otherwise start-up fails with MASTER_KEY_UNAVAILABLE
* saying how to give a key, and nothing has been created.
*/
async function selectKeyStore(selection) {
	if (selection.masterKeyFile) return createFileKeyStore(selection.masterKeyFile);
	if (selection.envKey) return createEnvKeyStore(selection.envKey);
	const fallback = selection.fallbackFile;
	if (existsSync(fallback)) return createFallbackKeyStore(fallback);
	const keychain = createOsKeychain(selection.keychainService, selection.platform);
	if (selection.storeHasKey()) return withAdvice(keychain, existingStoreAdvice(fallback));
	const unreachable = await keychain.probe();
	if (!unreachable) return keychain;
	if (selection.createFallback) return createFallbackKeyStore(fallback);
	throw new AppError("MASTER_KEY_UNAVAILABLE", `${unreachable.message} No master key was given either, so nothing was created. ${HOW_TO_PROVIDE_KEY} (npm start and vaultdesk quickstart make one for you in ${path.dirname(fallback)}.)`, unreachable.details);
}
/** The key file beside the data dir, described so a status screen says why it is there and what it means. */
function createFallbackKeyStore(file) {
	return {
		...createFileKeyStore(file, { createFolder: true }),
		fallbackFile: file,
		describe: () => `key file ${file}, kept beside the data dir because no OS keychain could be reached`
	};
}
function existingStoreAdvice(fallback) {
	return `This data dir's master key is kept in the OS keychain: run Vaultdesk where the keychain is unlocked, or give the key with --master-key-file FILE or VAULTDESK_MASTER_KEY (vaultdesk key export --out FILE writes it where the keychain can be reached; a key file at ${fallback} is found without any option).`;
}
/** The same store, whose "cannot be reached" errors also say what to do about it. */
function withAdvice(store, advice) {
	const advised = (call) => async (...args) => {
		try {
			return await call(...args);
		} catch (error) {
			if (error instanceof AppError && error.code === "MASTER_KEY_UNAVAILABLE") throw new AppError(error.code, `${error.message} ${advice}`, error.details);
			throw error;
		}
	};
	return {
		...store,
		load: advised(store.load),
		loadPending: advised(store.loadPending),
		save: advised(store.save),
		savePending: advised(store.savePending)
	};
}
/**
* Opens (creating with mode 0600, in a 0700 folder) a log file that is rotated when the next
* line would take it past `maxBytes`: `name` becomes `name.1`, `name.1` becomes `name.2`, and
* the oldest beyond `keep` is deleted. Each line is written whole, in one call, before or
* after a rotation, never across one. Throws only when the file cannot be opened at all.
*/
function openLogFile(options) {
	const maxBytes = options.maxBytes ?? 5242880;
	const keep = Math.max(0, options.keep ?? 3);
	const file = path.join(options.dir, options.name);
	mkdirSync(options.dir, {
		recursive: true,
		mode: 448
	});
	if (process.platform !== "win32") chmodSync(options.dir, 448);
	let fd = open$1(file);
	let size = fstatSync(fd).size;
	let closed = false;
	const rotate = () => {
		if (fd !== null) closeSync(fd);
		fd = null;
		rmSync(`${file}.${keep}`, { force: true });
		for (let i = keep - 1; i >= 1; i--) renameIfPresent(`${file}.${i}`, `${file}.${i + 1}`);
		if (keep > 0) renameIfPresent(file, `${file}.1`);
		else rmSync(file, { force: true });
		fd = open$1(file);
		size = 0;
	};
	return {
		path: file,
		write(line) {
			const bytes = Buffer.from(line.endsWith("\n") ? line : `${line}\n`, "utf8");
			if (closed) return;
			try {
				if (fd === null) {
					fd = open$1(file);
					size = fstatSync(fd).size;
				}
				if (size > 0 && size + bytes.length > maxBytes) rotate();
				if (fd === null) return;
				let written = 0;
				while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
				size += bytes.length;
			} catch {}
		},
		close() {
			closed = true;
			if (fd !== null) closeSync(fd);
			fd = null;
		}
	};
}
function open$1(file) {
	const fd = openSync(file, "a", 384);
	if (process.platform !== "win32") fchmodSync(fd, 384);
	return fd;
}
function renameIfPresent(from, to) {
	try {
		renameSync(from, to);
	} catch (error) {
		if (error.code !== "ENOENT") throw error;
	}
}
// src/main/host/open-host-core.ts
/**
* The one way every host (the desktop app, `serve`, the daemon, each CLI command) opens the
* core: data dir, key store, tool environment, logger and process identity are decided here,
* so the hosts cannot drift apart. Synchronous, so a host calls it first thing and the master
* key leaves the environment before anything is started.
*/
function prepareHost(start) {
	const envKey = start.env.VAULTDESK_MASTER_KEY;
	delete start.env.VAULTDESK_MASTER_KEY;
	const dataDir = hostDataDir(start);
	const toolEnv = hostToolEnv(start.env, start.platform);
	const masterKeyFile = start.masterKeyFile ? path.resolve(start.masterKeyFile) : void 0;
	const logs = hostLogger(start, dataDir);
	const log = logs.log;
	const keyFile = hostKeyFile(dataDir);
	return {
		dataDir,
		keyFile,
		log,
		get logFile() {
			return logs.path();
		},
		open: async () => {
			const hadKeyFile = existsSync(keyFile);
			const keyStore = await selectKeyStore({
				masterKeyFile,
				envKey,
				keychainService: start.keychainService,
				platform: start.platform,
				fallbackFile: keyFile,
				createFallback: start.keyFileFallback === "create",
				storeHasKey: () => storeHasKeyCheck(path.join(dataDir, DB_FILE))
			}).catch((error) => {
				if (error instanceof AppError && typeof error.details?.cause === "string") log.debug("the OS keychain answered", { error: error.details.cause });
				throw error;
			});
			logs.open();
			const core = await createCore({
				dataDir,
				keyStore,
				log,
				logFile: logs.path(),
				version: start.version,
				toolEnv,
				owner: currentProcessIdentity(start.kind),
				leftoverCleanup: start.leftoverCleanup
			});
			log.info("Vaultdesk started", {
				host: start.kind,
				version: start.version,
				pid: process.pid
			});
			if (keyStore.fallbackFile && !hadKeyFile && existsSync(keyFile)) {
				log.info("no OS keychain could be reached: the master key was saved in a key file beside the data dir", { file: keyFile });
				start.onKeyFileCreated?.(keyFile);
			}
			return core;
		}
	};
}
/**
* The host's logger plus, when asked, a log file in the data dir, opened by `open()`. A data dir
* where the file cannot be made (read-only, full) must not stop the host: it logs to stderr alone
* and says so.
*/
function hostLogger(start, dataDir) {
	let file = null;
	let filePath = null;
	const log = teeLogger(start.log, {
		debug: (m, f) => file?.debug(m, f),
		info: (m, f) => file?.info(m, f),
		warn: (m, f) => file?.warn(m, f),
		error: (m, f) => file?.error(m, f)
	});
	const open = () => {
		if (!start.logFile || file) return;
		try {
			const opened = openLogFile({
				dir: path.join(dataDir, "logs"),
				name: `${start.logFile}.log`
			});
			file = jsonLogger(opened.write, start.logLevel ?? "info");
			filePath = opened.path;
		} catch (error) {
			start.log.warn("no log file: it could not be created in the data folder", {
				dir: path.join(dataDir, "logs"),
				code: error.code ?? null
			});
			file = silentLogger;
		}
	};
	return {
		log,
		open,
		path: () => filePath
	};
}
function openHostCore(start) {
	return prepareHost(start).open();
}
/**
* Moves the master key into the OS keychain: saved there and read back, then the key file kept
* beside the data dir is removed (with its folder when nothing else is in it), so later starts
* find the key in the keychain. A key given with --master-key-file or VAULTDESK_MASTER_KEY is
* copied and its file left alone: it is the user's.
*/
async function moveKeyToKeychain(core, keychainService) {
	const status = core.keys.status();
	if (status.source === "keychain") throw new AppError("VALIDATION_FAILED", `The master key is already in the ${status.location}.`);
	const keychain = createOsKeychain(keychainService);
	const unreachable = await keychain.probe();
	if (unreachable) throw new AppError("MASTER_KEY_UNAVAILABLE", `${unreachable.message} The master key stays in the ${status.location}.`, unreachable.details);
	const { fingerprint } = await core.keys.copyTo(keychain);
	const file = status.fallbackFile;
	if (file) try {
		rmSync(file);
		rmSync(`${file}.pending`, { force: true });
		if (readdirSync(path.dirname(file)).length === 0) rmdirSync(path.dirname(file));
	} catch (error) {
		throw fsAppError(error, "FILE_WRITE_FAILED", `The master key is now in the OS keychain too, but its key file could not be removed; remove it by hand (it would still be used first)`, { path: file });
	}
	return {
		fingerprint,
		from: status.location,
		removed: file
	};
}
export { openHostCore as n, prepareHost as r, moveKeyToKeychain as t };
