import { i as toErrorPayload, t as AppError } from "./result-9C-V9fjg.js";
import { i as fsAppError, n as describeFsError } from "./fs-errors-QegibJ8D.js";
import { s as ensureFolderSync, t as namesFolder } from "./place-new-BwBVQRdf.js";
import { t as andList, u as formatBytes } from "./counted-CPvl5wmn.js";
import { a as hookCommandFromLine, i as describeHook, o as describeRetention, r as hostToolEnv, s as localMinuteWords } from "./host-paths-UpNA4Cya.js";
import { r as describeLevels } from "./compression-levels-BVUTdpZG.js";
import { n as TOOL_NAMES, r as WEBHOOK_FORMATS } from "./dto-DE1A35sA.js";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import { createInterface } from "node:readline/promises";
// src/main/cli/cli-context.ts
var VERSION = "0.1.0";
/**
* The CLI is a host like Electron: it opens the core through the one host bootstrap. The core
* (SQLite, the keychain, zod, the drivers it imports) loads here, not at start-up, so `--help`
* and commands without a data dir do not pay for it.
*/
async function openCore(opts, kind = "cli", open = {}) {
	const [{ openHostCore }, { jsonLogger, sentenceLogger }] = await Promise.all([import("./open-host-core-cyJ2Q5kJ.js"), import("./logger-B1_pBktw.js")]);
	const write = (line) => void process.stderr.write(line);
	return openHostCore({
		kind,
		env: process.env,
		dataDir: opts.dataDir,
		masterKeyFile: opts.masterKeyFile,
		log: opts.verbose ? jsonLogger(write, "debug") : opts.logFormat === "json" ? jsonLogger(write, "warn") : sentenceLogger(write),
		logFile: kind === "cli" ? void 0 : kind,
		logLevel: opts.verbose ? "debug" : "info",
		version: VERSION,
		leftoverCleanup: kind === "cli" ? "await" : "background",
		keyFileFallback: open.keyFileFallback ?? "use",
		onKeyFileCreated: (file) => write(`${keyFileNotice(file)}\n`)
	});
}
/** The one line a start that made the key file beside the data dir prints. */
function keyFileNotice(file) {
	return `No OS keychain could be reached, so the master key was saved in ${file} (readable by you only): it protects the stored credentials only as well as that file is protected. Once a keychain is available, move the key into it with: vaultdesk key move-to-keychain`;
}
/**
* Wraps a commander action: opens a core from the global options, runs, closes, and turns
* any error into `error [CODE]: message` on stderr with a non-zero exit code.
* Commander passes the command itself as the last argument.
*/
function action(run, open = {}) {
	return async (...args) => {
		const globals = args[args.length - 1].optsWithGlobals();
		let core = null;
		try {
			core = await openCore(globals, "cli", open);
			await run(core, ...args);
		} catch (error) {
			reportError(error, globals.json === true);
		} finally {
			await core?.drainNotifications(Infinity, () => {
				if (process.stderr.isTTY) process.stderr.write("Delivering notifications...\n");
			});
			core?.close();
		}
	};
}
function reportError(error, json) {
	const payload = toErrorPayload(error);
	if (json) process.stderr.write(`${JSON.stringify({ error: payload })}\n`);
	else process.stderr.write(`vaultdesk: error [${payload.code}]: ${payload.message}\n`);
	process.exitCode = payload.code === "VALIDATION_FAILED" ? 2 : 1;
}
function collect(value, previous = []) {
	return [...previous, value];
}
function parseInteger(name) {
	return (value) => {
		if (!/^\d+$/.test(value)) throw new AppError("VALIDATION_FAILED", `${name} must be a whole number, got "${value}".`, { field: name });
		return Number(value);
	};
}
var stdinUsed = false;
/** Reads one secret from stdin (a trailing newline is dropped); only one secret per command may come this way. */
async function readStdinSecret(what) {
	if (stdinUsed) throw new AppError("VALIDATION_FAILED", "Only one secret can be read from standard input per command.");
	stdinUsed = true;
	if (process.stdin.isTTY) process.stderr.write(`${what}: `);
	const chunks = [];
	for await (const chunk of process.stdin) chunks.push(chunk);
	const value = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
	if (!value) throw new AppError("VALIDATION_FAILED", `No ${what} was given on standard input.`);
	return value;
}
/** A secret from `--x-stdin` or `--x-env VAR`, never from argv itself. */
async function secretFrom(what, opts) {
	if (opts.stdin && opts.env) throw new AppError("VALIDATION_FAILED", `Give the ${what} either on stdin or in an environment variable, not both.`);
	if (opts.stdin) return readStdinSecret(what);
	if (opts.env) {
		const value = process.env[opts.env];
		if (!value) throw new AppError("VALIDATION_FAILED", `The environment variable ${opts.env} (for the ${what}) is not set.`);
		return value;
	}
}
/**
* A file the user named on the command line (a key, an identity), as text; one that cannot be
* read is VALIDATION_FAILED naming the file, the option and the problem in words.
*/
function readUserFile(file, what, field) {
	const full = path.resolve(file);
	try {
		return readFileSync(full, "utf8");
	} catch (error) {
		throw new AppError("VALIDATION_FAILED", `Cannot read the ${what} ${full}: ${describeFsError(error, { path: full }).words}.`, { field });
	}
}
/**
* The absolute path of a file to write, as typed after `option`; `out/` names a folder, not a file,
* and is refused in words rather than written as a file named `out`.
*/
function fileToWrite(given, option = "-o") {
	if (namesFolder(given)) throw new AppError("VALIDATION_FAILED", `${option} ${given} names a folder: give the name of the file to write (${path.join(given, "NAME")}).`, { field: option.replace(/^-+/, "") });
	return path.resolve(given);
}
// src/main/cli/output.ts
/** Human output: aligned columns; scripts use --json instead. */
function printTable(headers, rows) {
	if (rows.length === 0) {
		process.stdout.write("(none)\n");
		return;
	}
	const cells = [headers, ...rows.map((r) => r.map((c) => c === null || c === void 0 || c === "" ? "-" : String(c)))];
	const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
	for (const row of cells) process.stdout.write(`${row.map((c, i) => i === row.length - 1 ? c : (c ?? "").padEnd(widths[i])).join("  ")}\n`);
}
function printJson(value) {
	process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
/** Key/value lines for `show` commands. */
function printRecord(record) {
	const width = Math.max(...Object.keys(record).map((k) => k.length));
	for (const [k, v] of Object.entries(record)) {
		const text = v === null || v === void 0 ? "-" : Array.isArray(v) ? v.length ? v.join(", ") : "-" : typeof v === "object" ? JSON.stringify(v) : String(v);
		process.stdout.write(`${k.padEnd(width)}  ${text}\n`);
	}
}
function emit(json, value, human) {
	if (json) printJson(value);
	else return Promise.resolve(human()).then(() => void 0);
}
/** A source's or destination's last connection test, for a list column: "passed 2026-11-30 07:16", "FAILED ...", "not tested". */
function lastTestCell(test) {
	if (!test) return "not tested";
	return `${test.success ? "passed" : "FAILED"} ${test.at.slice(0, 16).replace("T", " ")}`;
}
/** The same, with what the test said, for `show`. */
function lastTestLine(test) {
	return test ? `${lastTestCell(test)} UTC: ${test.message}` : "not tested since its settings were saved";
}
// src/main/cli/resolve.ts
var UUID$1 = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The store compares names with SQLite's NOCASE, which folds ASCII letters only. */
var fold = (name) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());
/** Scripts may name things by name or by id; both are looked up through the contract's list channels. */
async function find(core, channel, label, ref) {
	const list = await core.call(channel, {});
	if (UUID$1.test(ref)) {
		const byId = list.find((item) => item.id === ref.toLowerCase());
		if (byId) return byId;
	}
	const found = list.find((item) => fold(item.name) === fold(ref));
	if (!found) throw new AppError("NOT_FOUND", UUID$1.test(ref) ? `No ${label} with the id ${ref}.` : `No ${label} named "${ref}".`, { name: ref });
	return found;
}
var sourceId = async (core, ref) => (await find(core, "sources:list", "source", ref)).id;
var destinationId = async (core, ref) => (await find(core, "destinations:list", "destination", ref)).id;
var jobId = async (core, ref) => (await find(core, "jobs:list", "job", ref)).id;
var findProfile = (core, ref) => find(core, "profiles:list", "encryption profile", ref);
var profileId = async (core, ref) => (await findProfile(core, ref)).id;
var findEnvironment = (core, ref) => find(core, "environments:list", "environment", ref);
var environmentId = async (core, ref) => (await findEnvironment(core, ref)).id;
/** Runs and restores have no names: anything but an id is told as one that does not exist, with where to find ids. */
function idOnly(ref, noun, listedBy) {
	if (UUID$1.test(ref.trim())) return ref.trim().toLowerCase();
	throw new AppError("NOT_FOUND", `No ${noun} with the id "${ref}": a ${noun} id looks like 5f0c2a9e-8d1b-4c3a-9e7f-2b6d4a1c0e93 (${listedBy}).`, { field: noun });
}
var runId = (ref) => idOnly(ref, "run", "vaultdesk run list shows them");
var restoreId = (ref) => idOnly(ref, "restore", "vaultdesk restores lists them");
// src/main/cli/backup-explorer-commands.ts
/** The contract's largest page: a CLI listing asks for pages of this size until it has them all. */
var PAGE = 1e4;
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function registerExplorerCommands(backup) {
	backup.command("list").description("every backup the destinations hold, newest first, whoever made it (objects without a manifest are listed as incomplete)").option("--destination <destination>", "only this destination (name or id)").option("--job <job>", "only backups of this job (its name as the manifests record it, or its id)").option("--database <database>", "only backups of this database").option("--run <run>", "only the backups one run made (its id, as vaultdesk run list shows): the databases of an \"all databases\" run and its roles").option("--from <time>", "made at or after this time (2026-11-26, 2026-11-26T03:00, or with an offset)", parseTime("--from")).option("--to <time>", "made before this time", parseTime("--to")).option("--status <status>", "only complete, incomplete, broken or unreadable ones").option("--limit <n>", "at most this many (default: all)", parseInteger("--limit")).option("--offset <n>", "skip this many first", parseInteger("--offset")).option("--refresh", "read the destinations again rather than a listing of the last few seconds").option("--json", "print an array of backups as JSON").action(action(async (core, o) => {
		const { backups, problems } = await listAll(core, o);
		emit(o.json, backups, () => {
			printTable([
				"ID",
				"CREATED",
				"DESTINATION",
				"JOB",
				"DATABASE",
				"SIZE",
				"STATE",
				"VERIFIED"
			], backups.map((b) => [
				b.id,
				shortTime(b.createdAt),
				b.destination,
				b.job,
				b.database,
				formatBytes(b.size),
				stateCell(b),
				verifiedCell(b)
			]));
		});
		reportProblems(problems);
	}));
	backup.command("show").description("one backup, looked at now at its destination").argument("<id>", "backup id (or the start of one that is unique)").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const b = await core.call("backups:get", { id: await backupId(core, ref) });
		emit(o.json, b, () => printBackup(b));
	}));
	backup.command("verify").description("read the stored backup back and check it against its manifest (and the whole age payload, when a profile here holds the identity); exits 1 when it fails").argument("<id>", "backup id (or the start of one that is unique)").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const v = await core.call("backups:verify", { id: await backupId(core, ref) });
		emit(o.json, v, () => process.stdout.write(`${v.ok ? "OK" : "FAILED"}: ${v.backup.location}\n${v.message}\n`));
		if (!v.ok) process.exitCode = 1;
	}));
	backup.command("download").description("copy a backup and its manifest to this machine (checked against the manifest before it is kept; an existing file is never replaced)").argument("<id>", "backup id (or the start of one that is unique)").requiredOption("-o, --output <path>", "file to write, or an existing folder to write it into under its own name").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const d = await core.call("backups:download", {
			id: await backupId(core, ref),
			path: `${path.resolve(o.output)}${namesFolder(o.output) ? path.sep : ""}`
		});
		emit(o.json, d, () => process.stdout.write(`Downloaded ${formatBytes(d.size)} to ${d.path} (sha256 ${d.sha256}, matches the manifest), manifest beside it: ${d.manifestPath}\n`));
	}));
	backup.command("url").description("S3: a presigned download URL (through the destination's public endpoint when it has one)").argument("<id>", "backup id (or the start of one that is unique)").addOption(new Option("--expires <duration>", "how long the URL works: 30m, 1h, 2d ... up to 7d").argParser(parseDuration).default(3600, "1h")).option("--json", "print JSON").action(action(async (core, ref, o) => {
		const u = await core.call("backups:url", {
			id: await backupId(core, ref),
			expiresInSeconds: o.expires
		});
		emit(o.json, u, () => {
			process.stdout.write(`${u.url}\n`);
			process.stderr.write(`Valid until ${localMinuteWords(u.expiresAt)}.\n`);
		});
	}));
	backup.command("pin").description("keep a backup: retention leaves it and delete refuses it, until it is unpinned or --until has passed").argument("<id>", "backup id (or the start of one that is unique)").option("--until <time>", "end of the pin: a date (2027-01-01, midnight here), a time, or a duration from now (90d)", parseUntil).option("--json", "print JSON").action(action(async (core, ref, o) => {
		const b = await core.call("backups:pin", {
			id: await backupId(core, ref),
			until: o.until ?? null
		});
		emit(o.json, b, () => process.stdout.write(`Pinned ${b.location}${b.pinnedUntil ? ` until ${localMinuteWords(b.pinnedUntil)}` : " until it is unpinned"}.\n`));
	}));
	backup.command("unpin").description("let retention delete the backup again").argument("<id>", "backup id (or the start of one that is unique)").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const id = await backupId(core, ref);
		const was = (await core.call("backups:get", { id })).pinned;
		const b = await core.call("backups:unpin", { id });
		emit(o.json, b, () => process.stdout.write(was ? `Unpinned ${b.location}: retention applies to it again.\n` : `${b.location} was not pinned: nothing changed.\n`));
	}));
	backup.command("delete").description("delete a backup at its destination, manifest first (refused for pinned backups and locked destinations)").argument("<id>", "backup id (or the start of one that is unique)").option("--yes", "do not ask for confirmation").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const id = await backupId(core, ref);
		const b = await core.call("backups:get", { id });
		const what = `${b.complete ? "backup" : `${b.status} object`} ${b.location}${b.database ? ` (${b.database}, ${shortTime(b.createdAt)})` : ""}`;
		if (!o.yes) await confirm(`Delete ${what}? This cannot be undone. [y/N] `);
		const done = await core.call("backups:delete", { id });
		emit(o.json, done, () => process.stdout.write(`Deleted ${what}.\n`));
	}));
}
async function listAll(core, o) {
	const filter = {
		...o.destination ? { destinationId: await destinationId(core, o.destination) } : {},
		...o.job ? { job: o.job } : {},
		...o.database ? { database: o.database } : {},
		...o.run ? { runId: runId(o.run) } : {},
		...o.from ? { from: o.from } : {},
		...o.to ? { to: o.to } : {},
		...o.status ? { status: o.status } : {}
	};
	const offset = o.offset ?? 0;
	if (o.limit !== void 0) {
		const page = await core.call("backups:list", {
			...filter,
			offset,
			limit: Math.max(1, Math.min(o.limit, PAGE)),
			refresh: o.refresh ?? false
		});
		return {
			backups: o.limit === 0 ? [] : page.backups,
			problems: page.problems
		};
	}
	let page = await core.call("backups:list", {
		...filter,
		offset,
		limit: PAGE,
		refresh: o.refresh ?? false
	});
	const backups = [...page.backups];
	while (offset + backups.length < page.total && page.backups.length > 0) {
		page = await core.call("backups:list", {
			...filter,
			offset: offset + backups.length,
			limit: PAGE
		});
		backups.push(...page.backups);
	}
	return {
		backups,
		problems: page.problems
	};
}
/** A destination that could not be read makes the listing incomplete: said on stderr, and the exit code says so too. */
function reportProblems(problems) {
	for (const p of problems) process.stderr.write(`vaultdesk: destination "${p.destination}" could not be listed [${p.code}]: ${p.message}\n`);
	if (problems.length > 0) process.exitCode = 1;
}
/** A full id, or the start of one that only one backup has (as git takes commits). */
async function backupId(core, ref) {
	const wanted = ref.trim().toLowerCase();
	if (UUID.test(wanted)) return wanted;
	if (!/^[0-9a-f-]{4,}$/.test(wanted)) throw new AppError("NOT_FOUND", `"${ref}" is not a backup id: one looks like 3f2a1c9e-5b7d-8e41-9c3a-2b6d4a1c0e93 (vaultdesk backup list shows them; its first characters are enough when no other id starts with them).`, { field: "id" });
	const { backups, problems } = await listAll(core, {});
	const found = backups.filter((b) => b.id.startsWith(wanted));
	if (found.length === 1) return found[0].id;
	if (found.length === 0 && problems.length > 0) {
		const unread = andList(problems.map((p) => `destination "${p.destination}"`));
		throw new AppError(problems[0].code, `No backup id starts with ${wanted} on the destinations that could be listed, and ${unread} could not be listed (${problems.map((p) => p.message).join(" ")}): a backup there is not found by the first characters of its id. Give its whole id, or try again once ${problems.length === 1 ? "it answers" : "they answer"}.`, {
			id: ref,
			destination: problems[0].destination
		});
	}
	if (found.length === 0) throw new AppError("NOT_FOUND", `No backup id starts with ${wanted} (vaultdesk backup list shows them).`, { id: ref });
	throw new AppError("VALIDATION_FAILED", `${found.length} backup ids start with ${wanted}: give more of the id.`, { id: ref });
}
function printBackup(b) {
	const encryption = b.encryption === null ? null : b.encryption.kind === "age" ? `age, to ${b.encryption.recipients.map((r) => `${r.fingerprint}${r.profile ? ` (profile "${r.profile}")` : ""}`).join(", ")}` : b.encryption.kind === "7z" ? "7-Zip (AES-256)" : "none";
	printRecord({
		id: b.id,
		status: b.status,
		problem: b.problem,
		location: b.location,
		destination: b.destination,
		job: b.job,
		source: b.source ? `${b.source} (${b.engine}${b.serverVersion ? ` ${b.serverVersion}` : ""})` : null,
		database: b.database ? `${b.database}${b.kind === "globals" ? " (roles and tablespaces)" : ""}` : null,
		...b.kind === "database" && (b.engine === "postgres" || b.engine === "mysql") ? { [b.engine === "postgres" ? "locale" : "charset"]: b.locale ?? "not recorded (an older Vaultdesk made it): a restore gives the database the server default" } : {},
		...b.kind === "database" && b.engine === "mysql" ? { "also holds": b.holds === null ? "not recorded (an older Vaultdesk made it)" : b.holds.length === 0 ? "tables only" : `${andList(b.holds)} (replacing a database, made again once the tables are swapped in)` } : {},
		created: b.createdAt,
		size: `${formatBytes(b.size)} (${b.size} bytes)`,
		dumped: b.dumpBytes === null ? null : `${formatBytes(b.dumpBytes)}${b.format ? `, ${b.format} format` : ""}`,
		compression: b.compression ? `${b.compression.algorithm}${b.compression.level !== null ? ` level ${b.compression.level}` : ""}` : null,
		encryption,
		sha256: b.sha256,
		"made by": b.appVersion ? `Vaultdesk ${b.appVersion}${b.runId ? `, run ${b.runId}` : ""}${b.trigger ? ` (${b.trigger})` : ""}` : null,
		pinned: b.pinned ? b.pinnedUntil ? `until ${localMinuteWords(b.pinnedUntil)}` : "yes" : "no",
		"last verified": b.lastVerified ? `${b.lastVerified.ok ? "ok" : "FAILED"} ${b.lastVerified.at}: ${b.lastVerified.message}` : "never",
		"last drilled": b.lastDrill ? `${b.lastDrill.ok ? "ok" : "NOT OK"} ${b.lastDrill.at}: ${b.lastDrill.message} (restore ${b.lastDrill.restoreId})` : "never"
	});
}
function stateCell(b) {
	const state = b.complete ? "complete" : b.status.toUpperCase();
	return b.pinned ? `${state}, pinned` : state;
}
function verifiedCell(b) {
	return b.lastVerified ? `${b.lastVerified.ok ? "ok" : "FAILED"} ${shortTime(b.lastVerified.at)}` : "never";
}
function shortTime(iso) {
	return `${iso.slice(0, 16).replace("T", " ")}Z`;
}
var DURATION_UNITS = {
	s: 1,
	m: 60,
	min: 60,
	h: 3600,
	d: 86400,
	w: 604800
};
/** `30m`, `1h`, `2d`, `3600` (seconds) -> seconds. */
/** S3 signs a link for at most 7 days (SigV4). */
var MAX_LINK_SECONDS = 604800;
/** `--expires`: a duration with its unit (`1` alone could mean any), up to S3's 7 days, in words. */
function parseDuration(value) {
	const m = /^(\d+)\s*(s|m|min|h|d|w)$/.exec(value.trim());
	if (!m) throw new AppError("VALIDATION_FAILED", `--expires takes a duration with its unit, like 30m, 1h or 2d, not "${value}".`, { field: "expires" });
	const seconds = Number(m[1]) * DURATION_UNITS[m[2]];
	if (seconds < 1 || seconds > MAX_LINK_SECONDS) throw new AppError("VALIDATION_FAILED", `--expires goes from 1s to 7d (S3 signs a link for 7 days at most), not ${value.trim()}.`, { field: "expires" });
	return seconds;
}
/**
* A time as people type it: `2027-01-01` (midnight on this machine's clock), `2027-01-01T08:00`
* (this machine's time), or an instant with its offset (`...Z`, `...+01:00`); as an ISO instant.
*/
function parseTime(option) {
	return (value) => {
		const v = value.trim();
		const local = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(v);
		const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v);
		const at = local ? new Date(v.includes("T") ? v : `${v}T00:00:00`) : withOffset ? new Date(v) : null;
		if (!at || Number.isNaN(at.getTime())) throw new AppError("VALIDATION_FAILED", `${option} takes a date or time like 2027-01-01, 2027-01-01T08:00 or 2027-01-01T08:00:00Z, not "${value}".`, { field: option.slice(2) });
		return at.toISOString();
	};
}
/** `--until`: a time (see parseTime) or a duration from now (`90d`, `12h`, `8w`). */
function parseUntil(value) {
	const m = /^(\d+)\s*(h|d|w)$/.exec(value.trim());
	if (m) return new Date(Date.now() + Number(m[1]) * DURATION_UNITS[m[2]] * 1e3).toISOString();
	return parseTime("--until")(value);
}
/** Asks on the terminal; without one, a delete needs --yes. */
async function confirm(question) {
	if (!process.stdin.isTTY) throw new AppError("VALIDATION_FAILED", "Deleting a backup asks for confirmation, and there is no terminal to ask on: add --yes.", { field: "yes" });
	const rl = createInterface({
		input: process.stdin,
		output: process.stderr
	});
	try {
		const answer = (await rl.question(question)).trim().toLowerCase();
		if (answer !== "y" && answer !== "yes") throw new AppError("CANCELLED", "Nothing was deleted.");
	} finally {
		rl.close();
	}
}
// src/main/cli/follow-to-end.ts
/**
* Starts a run or a restore in this process and waits for its finished event, drawing a progress
* bar on a terminal; SIGINT and SIGTERM ask for a cancel, and the wait goes on until the record of
* how it ended arrives. A second signal does not end the process: killed mid-cancel, it would
* leave what the cancel cleans up (a database created for a restore, a partial upload) and a
* record the next start calls interrupted. The cancel itself is bounded (the worker's grace period).
*/
async function followToEnd(core, spec) {
	let id = null;
	let resolveFinished = () => void 0;
	const finished = new Promise((resolve) => resolveFinished = resolve);
	const early = /* @__PURE__ */ new Map();
	const offFinished = core.events.on(spec.finished, (done) => {
		const doneId = spec.finishedId(done);
		if (doneId === id) resolveFinished(done);
		else if (id === null) early.set(doneId, done);
	});
	const { SingleBar, Presets } = await import("cli-progress");
	const bar = spec.bar ? new SingleBar({
		format: spec.bar.format,
		hideCursor: true,
		clearOnComplete: true
	}, Presets.shades_classic) : null;
	const offProgress = core.events.on(spec.progress, (p) => {
		if (!bar || !spec.bar || spec.progressId(p) !== id) return;
		const at = spec.bar.at(p);
		bar.setTotal(Math.max(1, at.total));
		bar.update(at.value, at.fields);
	});
	let cancelling = false;
	const onSignal = () => {
		if (cancelling) {
			process.stderr.write(`Still cancelling the ${spec.noun}: it is cleaning up what it started, and ends on its own.\n`);
			return;
		}
		cancelling = true;
		process.stderr.write(`\nCancelling the ${spec.noun}...\n`);
		spec.cancel(id);
	};
	try {
		id = await spec.start();
		process.on("SIGINT", onSignal);
		process.on("SIGTERM", onSignal);
		const already = early.get(id);
		if (already) resolveFinished(already);
		if (bar && spec.bar) bar.start(1, 0, spec.bar.initial);
		return await finished;
	} finally {
		offFinished();
		offProgress();
		bar?.stop();
		process.off("SIGINT", onSignal);
		process.off("SIGTERM", onSignal);
	}
}
// src/main/cli/backup-commands.ts
var MiB$1 = 1048576;
/** Runs a job to the end in this process, with a progress bar on a terminal; Ctrl-C cancels cleanly. */
function runJobToEnd(core, id, options) {
	return followToEnd(core, {
		noun: "run",
		finished: "runs:finished",
		finishedId: (run) => run.id,
		progress: "runs:progress",
		progressId: (p) => p.runId,
		start: async () => (await core.call("jobs:run", {
			id,
			trigger: options.trigger ?? "manual"
		})).runId,
		cancel: (runId) => void core.invoke("runs:cancel", { id: runId }),
		bar: options.progress ? {
			format: " {stage} {database} [{bar}] {dumped} MiB dumped, {stored} MiB stored",
			initial: {
				stage: "plan",
				database: "",
				dumped: "0.0",
				stored: "0.0"
			},
			at: (p) => ({
				value: p.objectIndex + (p.stage === "manifest" ? 1 : 0),
				total: p.objectCount,
				fields: {
					stage: p.stage.padEnd(8),
					database: p.database ?? "",
					dumped: (p.bytesDumped / MiB$1).toFixed(1),
					stored: (p.bytesStored / MiB$1).toFixed(1)
				}
			})
		} : null
	});
}
function printRun(run) {
	printRecord({
		run: run.id,
		job: run.jobName,
		status: run.status,
		started: run.startedAt,
		finished: run.finishedAt,
		"bytes dumped": run.bytesIn,
		"bytes stored": run.bytesOut,
		error: run.error ? `stage ${run.error.stage}${run.error.destination ? ` (${run.error.destination})` : ""}: [${run.error.code}] ${run.error.message}` : null
	});
	for (const o of run.objects) {
		process.stdout.write(`\n${o.database} (${o.status}, ${o.size} bytes, sha256 ${o.sha256 ?? "-"})\n`);
		for (const d of o.destinations) process.stdout.write(`  ${d.name}: ${d.ok ? d.location : `not stored: ${d.error}`}\n`);
	}
	for (const r of run.retention ?? []) {
		process.stdout.write(`\nretention on ${r.destination}: ${r.deleted.length} deleted, ${r.kept} kept${r.error ? `; not finished [${r.error.code}]: ${r.error.message}` : ""}\n`);
		for (const key of r.deleted) process.stdout.write(`  deleted ${key}\n`);
	}
	for (const hook of [run.hooks.pre, run.hooks.post]) {
		if (!hook) continue;
		process.stdout.write(`\n${hook.message.replace(/\.$/, "")} (${(hook.durationMs / 1e3).toFixed(1)} s).\n`);
		if (hook.output.trim()) process.stdout.write(`${hook.outputTruncated ? "  ...\n" : ""}${hook.output.trimEnd().replace(/^/gm, "  | ")}\n`);
	}
}
function registerBackupCommands(program) {
	const backup = program.command("backup").description("run backups, and find, verify, download, pin and delete the stored ones");
	backup.command("run").description("run a job now and wait for it; exits non-zero if the run failed").argument("<job>", "job name or id").option("--json", "print the run record (with each stored object's location) as JSON").action(action(async (core, ref, o) => {
		const run = await runJobToEnd(core, await jobId(core, ref), { progress: !o.json && process.stderr.isTTY === true });
		emit(o.json, run, () => printRun(run));
		if (run.status !== "succeeded") process.exitCode = 1;
	}));
	registerExplorerCommands(backup);
	const runs = program.command("run").description("past and current runs");
	runs.command("list").description("the latest runs, newest first").option("--job <job>", "only this job's runs").option("--limit <n>", "how many", parseInteger("--limit"), 20).option("--json", "print JSON").action(action(async (core, o) => {
		const list = await core.call("runs:list", {
			jobId: o.job ? await jobId(core, o.job) : void 0,
			limit: o.limit
		});
		emit(o.json, list, () => printTable([
			"RUN",
			"JOB",
			"TRIGGER",
			"STATUS",
			"STARTED",
			"STORED",
			"ERROR"
		], list.map((r) => [
			r.id,
			r.jobName,
			r.trigger,
			r.status,
			r.startedAt,
			`${(r.bytesOut / MiB$1).toFixed(1)} MiB`,
			r.error ? `${r.error.stage}: ${r.error.message}` : ""
		])));
	}));
	runs.command("show").description("one run: its status, sizes, error and what it stored where").argument("<run>", "run id").option("--json", "print JSON").action(action(async (core, id, o) => {
		const run = await core.call("runs:get", { id: runId(id) });
		emit(o.json, run, () => printRun(run));
	}));
}
// src/main/cli/serve-command.ts
/** The CLI runs only as built (out/main/cli.js, see bin/vaultdesk.mjs), beside out/renderer. */
var DEFAULT_RENDERER_DIR = fileURLToPath(new URL("../renderer", import.meta.url));
function registerServeCommand(program) {
	program.command("serve").description("serve the Vaultdesk UI and API to a browser (loopback unless --host says otherwise, with a per-start token)").option("--host <host>", "address to listen on", "127.0.0.1").option("--port <port>", "port (0 picks a free one)", parseInteger("--port"), 0).option("--public-url <url>", "the address browsers use when it is not the bound one (a TLS proxy, a port forward), e.g. https://backup.example.com").option("--key-file-fallback", "where no OS keychain can be reached and no key is given, keep a new data dir's master key in a file beside it (what npm start does)").action(async (o, command) => {
		const globals = command.optsWithGlobals();
		let core = null;
		try {
			const { isLoopback, startServeBridge } = await import("./serve-bridge-C-9D7Lcl.js");
			core = await openCore(globals, "serve", { keyFileFallback: o.keyFileFallback ? "create" : "use" });
			const bridge = await startServeBridge({
				core,
				rendererDir: DEFAULT_RENDERER_DIR,
				host: o.host,
				port: o.port,
				publicUrl: o.publicUrl,
				log: core.log
			});
			const open = core;
			process.stdout.write(`Vaultdesk is serving at ${bridge.url}\n`);
			if (!isLoopback(bridge.host)) process.stderr.write(`warning: listening on ${bridge.host}, beyond this machine; anyone with the URL's token can use it.\n`);
			const stop = () => {
				Promise.all([bridge.close(), open.shutdown("vaultdesk serve was stopped")]).finally(() => process.exit(0));
			};
			process.once("SIGINT", stop);
			process.once("SIGTERM", stop);
		} catch (error) {
			core?.close();
			reportError(error, false);
		}
	});
}
// src/main/cli/daemon-command.ts
/** `30s`, `5m`, `1h` (a bare number is seconds) -> milliseconds. */
function parseGrace(value) {
	const m = /^(\d+)\s*(s|m|min|h)?$/.exec(value.trim());
	if (!m) throw new AppError("VALIDATION_FAILED", `--grace takes a duration like 30s, 5m or 1h, not "${value}".`, { field: "grace" });
	return Number(m[1]) * (m[2] === "h" ? 36e5 : m[2] === "m" || m[2] === "min" ? 6e4 : 1e3);
}
var line = (text) => {
	process.stdout.write(`${(/* @__PURE__ */ new Date()).toISOString()} ${text}\n`);
};
function registerDaemonCommand(program) {
	program.command("daemon").description("run the schedules without the desktop app until stopped (SIGTERM): on a server, in a container, as a systemd unit").option("--serve", "also serve the UI and API, as vaultdesk serve does").option("--host <host>", "with --serve: address to listen on", "127.0.0.1").option("--port <port>", "with --serve: port (0 picks a free one)", parseInteger("--port"), 0).option("--public-url <url>", "with --serve: the address browsers use when it is not the bound one").option("--grace <duration>", "on SIGTERM, let running backups finish for this long before cancelling them (30s, 5m, 1h)", parseGrace, 3e5).action(async (o, command) => {
		const globals = command.optsWithGlobals();
		let core = null;
		try {
			core = await openCore(globals, "daemon");
			const open = core;
			const bridge = o.serve ? await (await import("./serve-bridge-C-9D7Lcl.js")).startServeBridge({
				core,
				rendererDir: DEFAULT_RENDERER_DIR,
				host: o.host,
				port: o.port,
				publicUrl: o.publicUrl,
				log: core.log
			}) : null;
			const { dataDir } = await core.call("app:info", {});
			let stopping = false;
			open.events.on("schedules:changed", ({ holding }) => line(holding ? "this daemon now runs the schedules" : stopping ? "let go of the schedules: another Vaultdesk process may take them over" : "another process runs the schedules now; standing by"));
			open.events.on("runs:finished", (run) => line(`run of ${run.jobName} (${run.trigger}): ${run.status}${run.error ? `: ${run.error.message}` : ""}`));
			open.scheduler.start();
			const status = await core.call("schedules:status", {});
			line(`vaultdesk daemon on ${dataDir}: ${status.jobs.length} scheduled job(s)${status.paused ? ", schedules PAUSED" : ""}; ${status.holder?.self ? "running the schedules" : `standing by (${status.holder?.who ?? "another process"} runs them)`}`);
			if (bridge) process.stdout.write(`Vaultdesk is serving at ${bridge.url}\n`);
			const stop = () => {
				if (stopping) return;
				stopping = true;
				line(`stopping: running backups may finish for up to ${Math.round(o.grace / 1e3)} s, then they are cancelled`);
				open.scheduler.stop();
				Promise.all([bridge?.close(), open.shutdown("vaultdesk daemon was stopped", o.grace)]).finally(() => process.exit(0));
			};
			process.once("SIGINT", stop);
			process.once("SIGTERM", stop);
		} catch (error) {
			core?.close();
			reportError(error, false);
		}
	});
}
// src/main/cli/decrypt-command.ts
/** One exit code per way a decryption can fail, so a script can tell them apart (2: invalid input, 1: anything else). */
var DECRYPT_EXIT_CODES = {
	"not-age": 3,
	"wrong-key": 4,
	"kit-no-match": 5,
	"kit-passphrase": 6,
	truncated: 7,
	tampered: 8
};
var EXIT_HELP = `
Exit codes:
    0  decrypted; the output is complete
    1  another failure (the file is missing, the output cannot be written ...)
    2  invalid input (a missing passphrase, a file that is not an identity or a kit ...)
    3  the file is not an age file (nor a 7-Zip archive)
    4  wrong key: the identity files or the passphrase do not open the file
    5  no identity in the recovery kit opens the file
    6  wrong passphrase for the recovery kit or the passphrase-protected identity
    7  the file is truncated
    8  the file was modified (or does not match the manifest beside it)
  130  cancelled (Ctrl-C, or SIGTERM)
With -o, nothing is left at the output path unless the exit code is 0, and
nothing decrypted is left beside it either (unless the process is killed with SIGKILL).

Examples:
  vaultdesk decrypt shop.dump.zst.age -i vaultdesk-kit.zip --passphrase-stdin -o shop.dump
  vaultdesk decrypt shop.dump.zst.age -i team.txt -o shop.dump
  vaultdesk decrypt shop.dump.7z --passphrase-stdin -o shop.dump
  vaultdesk decrypt shop.dump.7z --passphrase-stdin --7z /opt/7zip/7zz -o shop.dump
`;
/** No data dir, no master key, no keychain: only the backup file and an identity, a kit or a passphrase. */
function registerDecryptCommand(program) {
	program.command("decrypt").description("decrypt (and decompress) a downloaded backup offline with an identity file, a recovery kit or a passphrase; needs no Vaultdesk data dir").argument("<file>", "the backup file (.age, or .7z)").option("-i, --identity <file>", "an age identity file, a passphrase-protected identity (.age) or a recovery kit (.zip); repeatable", collect).option("--passphrase-stdin", "read a passphrase from standard input: it unwraps the kit or identity given with -i; without -i it is the passphrase the file was encrypted to (age or 7-Zip)").option("--passphrase-env <var>", "the same, from this environment variable").option("-o, --output <file>", "where to write the result (default: standard output, if it is not a terminal)").option("--no-decompress", "keep the compressed bytes (.zst, .gz)").option("--7z <program>", "the 7-Zip (22 or newer) that opens a .7z backup (default: 7zz, 7z or 7za found on the PATH)").addHelpText("after", EXIT_HELP).action(async (file, o) => {
		const cancel = new AbortController();
		const onSignal = () => cancel.abort();
		process.once("SIGINT", onSignal);
		process.once("SIGTERM", onSignal);
		try {
			if (!o.identity?.length && !o.passphraseStdin && !o.passphraseEnv) throw new AppError("VALIDATION_FAILED", "Give an identity file or recovery kit (-i FILE), or --passphrase-stdin.");
			if (!o.output && process.stdout.isTTY) throw new AppError("VALIDATION_FAILED", "Refusing to write a backup to the terminal: give -o FILE or redirect standard output.");
			const [{ decryptOffline }, { readKeyFile }] = await Promise.all([import("./offline-decrypt-C5qVKNOo.js"), import("./decrypt-keys-CVwFg_Xw.js")]);
			const keyFiles = (o.identity ?? []).map((f) => readKeyFile(path.resolve(f)));
			const passphrase = await secretFrom("passphrase", {
				stdin: o.passphraseStdin,
				env: o.passphraseEnv
			});
			const result = await decryptOffline({
				file: path.resolve(file),
				output: o.output ? { path: fileToWrite(o.output) } : { stream: stdoutSink() },
				keyFiles,
				passphrase,
				decompress: o.decompress,
				toolEnv: hostToolEnv(process.env),
				...o["7z"] ? { sevenZipPath: path.resolve(o["7z"]) } : {},
				sevenZipSetting: "decrypt-option",
				signal: cancel.signal
			});
			const decompressed = o.decompress && result.compression !== "none" ? ` (${result.compression} decompressed)` : "";
			const checked = result.verifiedAgainstManifest ? "; sha256 matches the manifest" : result.format === "age" ? "; no manifest beside the file, so only age's own authentication was checked" : "; no manifest beside the file, so only 7-Zip's own checks were made";
			process.stderr.write(`Decrypted ${result.bytesIn} bytes into ${result.bytesOut}${decompressed} with ${result.openedWith}${checked}.\n`);
		} catch (error) {
			reportError(error, false);
			const { decryptFailureKind } = await import("./offline-decrypt-C5qVKNOo.js");
			const kind = decryptFailureKind(error);
			if (kind) process.exitCode = DECRYPT_EXIT_CODES[kind];
			else if (error instanceof AppError && error.code === "CANCELLED") process.exitCode = 130;
		} finally {
			process.off("SIGINT", onSignal);
			process.off("SIGTERM", onSignal);
		}
	});
}
/**
* Standard output behind a stream of its own: a failed decryption destroys the pipeline's streams
* with its error, and process.stdout destroyed so would throw that error from its 'error' handler
* (main.ts) instead of the failure's exit code. Writes wait for stdout's drain, as a pipe's would.
*/
function stdoutSink() {
	return new Writable({
		highWaterMark: 1048576,
		write(chunk, _encoding, callback) {
			if (process.stdout.write(chunk)) callback();
			else process.stdout.once("drain", () => callback());
		},
		final(callback) {
			process.stdout.write("", () => callback());
		}
	});
}
// src/main/cli/destination-commands.ts
/** `30m`, `24h`, `7d` -> hours. */
function parseAge(value) {
	const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)$/.exec(value.trim());
	if (!m) throw new AppError("VALIDATION_FAILED", `--older-than takes an age like 30m, 24h or 7d, not "${value}".`, { field: "olderThan" });
	const n = Number(m[1]);
	return m[2] === "d" ? n * 24 : m[2] === "h" ? n : n / 60;
}
function describeDestination(d) {
	const c = d.config;
	if (c.kind === "local") return c.path;
	if (c.kind === "s3") return `s3://${c.bucket}/${c.prefix}${c.endpoint ? ` @ ${c.endpoint}` : ` (${c.region})`}`;
	return `sftp://${c.user}@${c.host}:${c.port}${c.path.startsWith("/") ? "" : "/"}${c.path}`;
}
async function buildInput(kind, o) {
	const isDefault = o.default ?? false;
	if (kind === "local") {
		if (!o.path) throw new AppError("VALIDATION_FAILED", "A local destination needs --path DIR.", { field: "path" });
		return {
			kind,
			name: o.name,
			path: path.resolve(o.path),
			isDefault
		};
	}
	if (kind === "s3") {
		if (!o.bucket) throw new AppError("VALIDATION_FAILED", "An S3 destination needs --bucket.", { field: "bucket" });
		const secretAccessKey = await secretFrom("secret access key", {
			stdin: o.secretStdin,
			env: o.secretEnv
		});
		if (secretAccessKey === void 0 !== (o.accessKeyId === void 0)) throw new AppError("VALIDATION_FAILED", "Give both --access-key-id and the secret (--secret-stdin or --secret-env), or neither to use the AWS default credentials.", { field: "accessKeyId" });
		return {
			kind,
			name: o.name,
			isDefault,
			provider: o.provider ?? (o.endpoint ? "custom" : "aws"),
			bucket: o.bucket,
			endpoint: o.endpoint,
			publicEndpoint: o.publicEndpoint,
			region: o.region,
			pathStyle: o.pathStyle,
			accessKeyId: o.accessKeyId,
			secretAccessKey,
			prefix: o.prefix ?? "",
			partSizeMiB: o.partSize ?? 16,
			buckets: o.checkBucket ?? [],
			account: o.account
		};
	}
	if (kind === "sftp") {
		if (!o.host || !o.user || !o.path) throw new AppError("VALIDATION_FAILED", "An SFTP destination needs --host, --user and --path.", { field: !o.host ? "host" : !o.user ? "user" : "path" });
		const password = await secretFrom("SFTP password", {
			stdin: o.passwordStdin,
			env: o.passwordEnv
		});
		const privateKey = o.keyFile ? readUserFile(o.keyFile, "key file", "key-file") : void 0;
		if (!password && !privateKey) throw new AppError("VALIDATION_FAILED", "An SFTP destination needs --password-stdin, --password-env VAR or --key-file FILE.", { field: "password" });
		return {
			kind,
			name: o.name,
			isDefault,
			host: o.host,
			port: o.port ?? 22,
			user: o.user,
			path: o.path,
			password,
			privateKey,
			passphrase: await secretFrom("key passphrase", { env: o.passphraseEnv })
		};
	}
	throw new AppError("VALIDATION_FAILED", `Unknown destination kind "${kind}": use local, s3 or sftp.`, { field: "kind" });
}
function registerDestinationCommands(program) {
	const dest = program.command("destination").description("where backups are stored: local folders, S3-compatible buckets, SFTP");
	dest.command("add").description("add a destination: add local --path DIR, add s3 --bucket B ..., or add sftp --host H --user U --path DIR").argument("<kind>", "local, s3 or sftp").requiredOption("--name <name>", "a unique name, 3-30 characters").option("--path <dir>", "local folder, or the folder on the SFTP server").option("--default", "pre-fill this destination for new jobs").option("--provider <p>", "s3: aws, minio, r2, b2, wasabi, spaces or custom").option("--bucket <bucket>", "s3: bucket").option("--endpoint <url>", "s3: custom endpoint URL").option("--public-endpoint <url>", "s3: endpoint used in presigned download links").option("--region <region>", "s3: region").option("--path-style", "s3: path-style addressing (MinIO and most self-hosted servers)").option("--access-key-id <id>", "s3: access key id (leave out to use the AWS default credentials)").option("--secret-stdin", "s3: read the secret access key from standard input").option("--secret-env <var>", "s3: read the secret access key from this environment variable").option("--prefix <prefix>", "s3: key prefix inside the bucket").option("--part-size <MiB>", "s3: multipart part size in MiB (5-5120)", parseInteger("--part-size")).option("--check-bucket <bucket>", "s3: for bucket-scoped keys, a bucket the connection test checks (repeatable)", collect).option("--account <id>", "s3 (Cloudflare R2): account id").option("--host <host>", "sftp: server").option("--port <port>", "sftp: port", parseInteger("--port")).option("--user <user>", "sftp: user").option("--password-stdin", "sftp: read the password from standard input").option("--password-env <var>", "sftp: read the password from this environment variable").option("--key-file <file>", "sftp: private key file").option("--passphrase-env <var>", "sftp: private key passphrase from this environment variable").option("--test", "test the destination first (reach it, write and remove a file), and save only if it passes").option("--json", "print the created destination as JSON").action(action(async (core, kind, o) => {
		const created = await core.call("destinations:create", {
			...await buildInput(kind, o),
			test: o.test === true
		});
		emit(o.json, created, () => process.stdout.write(`Added destination "${created.name}" (${describeDestination(created)}); ${created.lastTest ? `its test passed: ${created.lastTest.message.replace(/\.$/, "")}` : `not tested (vaultdesk destination test ${created.name})`}.\n`));
	}));
	dest.command("list").description("list destinations and the jobs that use them").option("--json", "print JSON").action(action(async (core, o) => {
		const list = await core.call("destinations:list", {});
		emit(o.json, list, () => printTable([
			"NAME",
			"KIND",
			"LOCATION",
			"FLAGS",
			"LAST TEST",
			"USED BY"
		], list.map((d) => [
			d.name,
			d.kind,
			describeDestination(d),
			[d.isDefault && "default", d.locked && "locked"].filter(Boolean).join(","),
			lastTestCell(d.lastTest),
			d.jobNames.join(", ")
		])));
	}));
	dest.command("show").description("one destination, its last test and the jobs that use it").argument("<destination>", "name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const d = await core.call("destinations:get", { id: await destinationId(core, ref) });
		emit(o.json, d, () => printRecord({
			name: d.name,
			id: d.id,
			kind: d.kind,
			location: describeDestination(d),
			default: d.isDefault,
			locked: d.locked,
			credentials: d.hasSecret ? "stored" : "none",
			"last test": lastTestLine(d.lastTest),
			"used by": d.jobNames
		}));
	}));
	const simple = (name, description, channel, done) => {
		dest.command(name).description(description).argument("<destination>", "name or id").action(action(async (core, ref) => {
			const d = await core.call(channel, { id: await destinationId(core, ref) });
			process.stdout.write(`Destination "${d.name}" ${done}.\n`);
		}));
	};
	simple("lock", "lock a destination: no run may use it", "destinations:lock", "is locked");
	simple("unlock", "unlock a destination", "destinations:unlock", "is unlocked");
	simple("default", "make this the default destination for new jobs", "destinations:setDefault", "is now the default");
	dest.command("test").description("check the destination can be reached and written").argument("<destination>", "name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const r = await core.call("destinations:test", { id: await destinationId(core, ref) });
		emit(o.json, r, () => process.stdout.write(`${r.success ? "OK" : "PROBLEM"}: ${r.message}\n`));
		if (!r.success) process.exitCode = 1;
	}));
	dest.command("cleanup").description("remove unfinished uploads no running backup accounts for: stray .partial files, and S3 multipart uploads under the destination's prefix").argument("<destination>", "name or id").addOption(new Option("--older-than <age>", "only those older than this (30m, 24h, 7d)").argParser(parseAge).default(24, "24h")).option("--dry-run", "list what would be removed, remove nothing").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const r = await core.call("destinations:cleanup", {
			id: await destinationId(core, ref),
			olderThanHours: o.olderThan,
			dryRun: o.dryRun === true
		});
		emit(o.json, r, () => {
			printTable([
				"KEY",
				"KIND",
				"SINCE",
				"SIZE",
				"ACTION"
			], r.items.map((i) => [
				i.key,
				i.kind,
				i.since,
				i.size,
				i.reason ? `${i.action}: ${i.reason}` : i.action
			]));
			if (r.recordedRemoved > 0) process.stdout.write(`Also removed ${r.recordedRemoved} unfinished upload(s) recorded by runs that did not finish.\n`);
		});
		if (r.items.some((i) => i.action === "failed")) process.exitCode = 1;
	}));
	dest.command("forget-host-key").description("SFTP: forget the pinned host key (after a checked, expected key change); the next connection pins the new one").argument("<destination>", "name or id").action(action(async (core, ref) => {
		await core.call("destinations:update", {
			id: await destinationId(core, ref),
			forgetHostKey: true
		});
		process.stdout.write(`Forgot the host key of "${ref}"; the next connection will pin the key the server presents.\n`);
	}));
	dest.command("remove").description("remove an unlocked destination that no job uses").argument("<destination>", "name or id").action(action(async (core, ref) => {
		await core.call("destinations:delete", { id: await destinationId(core, ref) });
		process.stdout.write(`Removed destination "${ref}".\n`);
	}));
}
// src/main/cli/env-commands.ts
function registerEnvCommands(program) {
	const env = program.command("env").description("environments (production, staging ...) and the destinations each may use");
	env.command("add").description("add an environment").requiredOption("--name <name>", "a unique name").option("--description <text>", "what it is").option("--allow <destination>", "only these destinations may be used (repeatable; default: all)", collect).option("--json", "print JSON").action(action(async (core, o) => {
		const allowed = await Promise.all((o.allow ?? []).map((d) => destinationId(core, d)));
		const created = await core.call("environments:create", {
			name: o.name,
			description: o.description ?? "",
			allowAllDestinations: allowed.length === 0,
			allowedDestinationIds: allowed
		});
		emit(o.json, created, () => process.stdout.write(`Added environment "${created.name}".\n`));
	}));
	env.command("set").description("change which destinations an environment may use").argument("<environment>", "name or id").option("--allow-all", "every destination may be used").option("--allow <destination>", "only these destinations may be used (repeatable)", collect).option("--description <text>", "new description").action(action(async (core, ref, o) => {
		const allowed = o.allow ? await Promise.all(o.allow.map((d) => destinationId(core, d))) : void 0;
		const updated = await core.call("environments:update", {
			id: await environmentId(core, ref),
			description: o.description,
			allowAllDestinations: o.allowAll ? true : allowed ? false : void 0,
			allowedDestinationIds: allowed ?? (o.allowAll ? [] : void 0)
		});
		process.stdout.write(`Environment "${updated.name}" updated.\n`);
	}));
	env.command("list").description("list environments").option("--json", "print JSON").action(action(async (core, o) => {
		const list = await core.call("environments:list", {});
		const names = new Map((await core.call("destinations:list", {})).map((d) => [d.id, d.name]));
		emit(o.json, list, () => printTable([
			"NAME",
			"SOURCES",
			"DESTINATIONS",
			"DESCRIPTION"
		], list.map((e) => [
			e.name,
			e.sourceCount,
			e.allowAllDestinations ? "all" : e.allowedDestinationIds.map((id) => names.get(id)).join(", ") || "none",
			e.description
		])));
	}));
	env.command("show").description("one environment: how many sources it holds and the destinations it may use").argument("<environment>", "name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const e = await findEnvironment(core, ref);
		const names = new Map((await core.call("destinations:list", {})).map((d) => [d.id, d.name]));
		emit(o.json, e, () => printRecord({
			name: e.name,
			id: e.id,
			description: e.description,
			sources: e.sourceCount,
			destinations: e.allowAllDestinations ? "all" : e.allowedDestinationIds.map((id) => names.get(id))
		}));
	}));
	env.command("remove").description("remove an environment that holds no sources").argument("<environment>", "name or id").action(action(async (core, ref) => {
		await core.call("environments:delete", { id: await environmentId(core, ref) });
		process.stdout.write(`Removed environment "${ref}".\n`);
	}));
}
// src/main/cli/retention-commands.ts
var RULE_FLAGS = [
	["keepLast", "keepLast"],
	["keepDaily", "daily"],
	["keepWeekly", "weekly"],
	["keepMonthly", "monthly"],
	["keepYearly", "yearly"]
];
/** What a new policy starts from: no keep rule (everything kept) and the contract's default floor. */
var EMPTY_POLICY = {
	keepLast: null,
	daily: null,
	weekly: null,
	monthly: null,
	yearly: null,
	minimum: 1
};
function retentionOptions(command) {
	return command.option("--keep-last <n>", "retention: keep the n most recent backups (0 turns the rule off)", parseInteger("--keep-last")).option("--keep-daily <n>", "retention: keep the newest backup of each of the last n days that have one", parseInteger("--keep-daily")).option("--keep-weekly <n>", "retention: the same for ISO weeks (Monday to Sunday)", parseInteger("--keep-weekly")).option("--keep-monthly <n>", "retention: the same for months", parseInteger("--keep-monthly")).option("--keep-yearly <n>", "retention: the same for years", parseInteger("--keep-yearly")).option("--keep-min <n>", "retention: never delete the n newest backups, whatever the rules say (default 1)", parseInteger("--keep-min")).option("--no-retention", "no retention policy: every backup is kept");
}
/**
* The job's new policy from the flags, merged into `current` (update changes only the rules
* given; the contract replaces the whole policy), or undefined when no flag was given.
*/
function retentionFrom(o, current) {
	const given = RULE_FLAGS.some(([flag]) => o[flag] !== void 0) || o.keepMin !== void 0;
	if (o.retention === false) {
		if (given) throw new AppError("VALIDATION_FAILED", "--no-retention removes the policy: give it without --keep-* options.", { field: "retention" });
		return null;
	}
	if (!given) return void 0;
	const policy = { ...current ?? EMPTY_POLICY };
	for (const [flag, rule] of RULE_FLAGS) {
		const n = o[flag];
		if (n !== void 0) policy[rule] = n === 0 ? null : n;
	}
	if (o.keepMin !== void 0) policy.minimum = o.keepMin;
	return policy;
}
/** "2026-11-29 03:00" on the calendar retention counts with. */
function localTime(iso, timeZone) {
	return new Intl.DateTimeFormat("sv-SE", {
		timeZone,
		year: "numeric",
		month: "2-digit",
		day: "2-digit",
		hour: "2-digit",
		minute: "2-digit"
	}).format(new Date(iso));
}
function printPreview(p) {
	process.stdout.write(`Retention of job "${p.jobName}": ${describeRetention(p.policy)}. Days are counted in ${p.timeZone}.\n`);
	let total = 0;
	let doomed = 0;
	for (const d of p.destinations) {
		const databases = d.databases.length > 0 ? d.databases : [{
			database: null,
			backups: []
		}];
		for (const db of databases) {
			process.stdout.write(`\n${d.destination}${db.database === null ? "" : `, database ${db.database}`}:\n`);
			printTable([
				"KEY",
				"CREATED",
				"ACTION",
				"WHY"
			], db.backups.map((b) => [
				b.key,
				localTime(b.createdAt, p.timeZone),
				b.action,
				b.reasons.length > 0 ? b.reasons.join(", ") : "no rule keeps it"
			]));
			total += db.backups.length;
			doomed += db.backups.filter((b) => b.action === "delete").length;
		}
	}
	process.stdout.write(`\nWould delete ${doomed} of ${total} backup(s); nothing was deleted (dry run).\n`);
}
function registerRetentionCommands(program) {
	program.command("retention").description("a job's retention policy (set it with job add/update --keep-*)").command("preview").description("what the policy would keep and delete now, and which rule keeps each backup; deletes nothing").argument("<job>", "job name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const preview = await core.call("jobs:retentionPreview", { id: await jobId(core, ref) });
		emit(o.json, preview, () => printPreview(preview));
	}));
}
// src/main/cli/job-commands.ts
/** `90` (minutes), `90m`, `2h`, `1d` -> minutes. */
function parseMinutes(value) {
	const m = /^(\d+)\s*(m|min|h|d)?$/.exec(value.trim());
	if (!m) throw new AppError("VALIDATION_FAILED", `--timeout takes a duration like 90m, 2h or 1d (or minutes), not "${value}".`, { field: "timeoutMinutes" });
	const n = Number(m[1]);
	return m[2] === "d" ? n * 1440 : m[2] === "h" ? n * 60 : n;
}
/** `30s`, `5m`, `1h` -> seconds; a unit is required, so a hook timeout is never misread as minutes. */
function parseSeconds(value) {
	const m = /^(\d+)\s*(s|sec|m|min|h)$/.exec(value.trim());
	if (!m) throw new AppError("VALIDATION_FAILED", `--hook-timeout takes a duration like 30s, 5m or 1h, not "${value}".`, { field: "hookTimeoutSeconds" });
	const n = Number(m[1]);
	return m[2].startsWith("h") ? n * 3600 : m[2].startsWith("m") ? n * 60 : n;
}
/** The options `job add` and `job update` share. */
function fieldOptions(command) {
	return retentionOptions(command.option("--destination <destination>", "destination name or id (repeatable; add: default is the default destination)", collect).option("--database <db>", "a database of the source to back up (repeatable; default: the source's own)", collect).option("--all-databases", "every database on the server, including ones created later").option("--format <format>", "PostgreSQL: custom (default) or plain").option("--compression <c>", "zstd (default), gzip or none").option("--level <n>", `compression level: ${describeLevels("zstd")}, ${describeLevels("gzip")}`, parseInteger("--level")).option("--encryption <profile|7z|none>", "an encryption profile name, 7z, or none").option("--schedule <cron>", "when to run, as a cron expression: \"0 3 * * *\" is every day at 03:00").option("--no-schedule", "run only when started by hand").option("--timezone <tz>", "time zone of the schedule and of the days retention counts, e.g. Europe/Paris (default: this machine's)").option("--catch-up", "run once on start or wake-up when a scheduled run was missed (the default)").option("--no-catch-up", "do not run missed schedules on start or wake-up").option("--timeout <duration>", "cancel a run that takes longer (90m, 2h, 1d)", parseMinutes).option("--no-timeout", "no time limit").option("--prefix <prefix>", "object name prefix (default: {environment}/{database}/)").option("--pre-hook <command>", "run before each backup; if it fails (or times out) the run fails at stage pre-hook and nothing is dumped").option("--no-pre-hook", "remove the pre-run hook").option("--post-hook <command>", "run after each run, whatever its outcome (VAULTDESK_STATUS, VAULTDESK_ERROR in its environment); its failure is recorded, not fatal").option("--no-post-hook", "remove the post-run hook").option("--hook-shell", "run the --pre-hook/--post-hook given here with sh -c (cmd on Windows); without it they run without a shell").option("--hook-timeout <duration>", "stop a hook that runs longer (30s, 5m, 1h; default 5m)", parseSeconds).option("--webhook <url>", "POST to this URL when a run fails and when the job succeeds again (other users can see it in ps: prefer --webhook-env)").option("--webhook-env <var>", "the webhook URL, read from this environment variable").option("--webhook-format <format>", `the webhook's body: ${WEBHOOK_FORMATS.join(", ")} (default json: the run record)`).option("--no-webhook", "remove the job's webhook").option("--healthchecks <url>", "Healthchecks ping URL (https://hc-ping.com/UUID): /start, success, /fail on every run (visible in ps: prefer --healthchecks-env)").option("--healthchecks-env <var>", "the Healthchecks URL, read from this environment variable").option("--no-healthchecks", "stop pinging Healthchecks").addHelpText("after", `
Hooks run without a shell unless --hook-shell is given: the command is split into a program and
its arguments like a shell would, and pipes, redirections, $VARIABLES and wildcards are refused.
They get the tool environment (PATH...) and VAULTDESK_RUN_ID, VAULTDESK_JOB, VAULTDESK_TRIGGER; the
post-run hook also VAULTDESK_STATUS (succeeded, failed, cancelled) and VAULTDESK_ERROR. Their output
is kept with the run (vaultdesk run show RUN_ID).

Webhook and Healthchecks URLs carry their credentials: they are stored encrypted and only their
host is ever shown. Give them with --webhook-env VAR / --healthchecks-env VAR to keep them out of
the process list and the shell history.`)).option("--json", "print JSON");
}
/** `--pre-hook CMD` / `--no-pre-hook` as a stored command (or null to remove it). */
function hookFrom(which, value, shell) {
	if (value === void 0) return void 0;
	if (value === false) return null;
	const parsed = hookCommandFromLine(value, shell);
	if ("error" in parsed) throw new AppError("VALIDATION_FAILED", `--${which} "${value}" cannot run without a shell: ${parsed.error}.`, { field: which === "pre-hook" ? "preHook" : "postHook" });
	return parsed.command;
}
/** `--webhook URL`, `--webhook-env VAR` or `--no-webhook`: the URL, null to remove it, undefined to leave it. */
async function urlFrom(option, value, envVar) {
	if (value !== void 0 && envVar !== void 0) throw new AppError("VALIDATION_FAILED", `Give --${option} or --${option}-env${value === false ? "" : ", not both"}.`, { field: `${option}Url` });
	if (value === false) return null;
	return value ?? await secretFrom(`${option} URL`, { env: envVar });
}
/** The job fields the options give, and only those; `current` is the job being updated. */
async function fieldsFrom(core, o, current) {
	const fields = {};
	if (o.source !== void 0) fields.sourceId = await sourceId(core, o.source);
	if (o.destination !== void 0) fields.destinationIds = await Promise.all(o.destination.map((d) => destinationId(core, d)));
	if (o.database !== void 0) fields.databases = o.database;
	if (o.allDatabases !== void 0) fields.allDatabases = o.allDatabases;
	if (o.format !== void 0) fields.format = o.format;
	if (o.compression !== void 0) fields.compression = o.compression;
	if (o.level !== void 0) fields.compressionLevel = o.level;
	if (o.encryption !== void 0) Object.assign(fields, await resolveEncryption(core, o.encryption));
	if (o.schedule !== void 0) {
		fields.schedule = o.schedule === false ? null : o.schedule;
		if (o.schedule === false) fields.timezone = null;
	}
	if (o.timezone !== void 0) fields.timezone = o.timezone;
	if (o.catchUp !== void 0) fields.catchUp = o.catchUp;
	if (o.timeout !== void 0) fields.timeoutMinutes = o.timeout === false ? null : o.timeout;
	if (o.prefix !== void 0) fields.prefix = o.prefix;
	const retention = retentionFrom(o, current?.retention ?? null);
	if (retention !== void 0) fields.retention = retention;
	if (o.hookShell && typeof o.preHook !== "string" && typeof o.postHook !== "string") throw new AppError("VALIDATION_FAILED", "--hook-shell applies to a --pre-hook or --post-hook given in the same command.", { field: "preHook" });
	const preHook = hookFrom("pre-hook", o.preHook, o.hookShell === true);
	if (preHook !== void 0) fields.preHook = preHook;
	const postHook = hookFrom("post-hook", o.postHook, o.hookShell === true);
	if (postHook !== void 0) fields.postHook = postHook;
	if (o.hookTimeout !== void 0) fields.hookTimeoutSeconds = o.hookTimeout;
	const webhook = await urlFrom("webhook", o.webhook, o.webhookEnv);
	if (webhook !== void 0) fields.webhookUrl = webhook;
	if (o.webhookFormat !== void 0) {
		if (!WEBHOOK_FORMATS.includes(o.webhookFormat)) throw new AppError("VALIDATION_FAILED", `--webhook-format is one of ${WEBHOOK_FORMATS.join(", ")}, not "${o.webhookFormat}".`, { field: "webhookFormat" });
		fields.webhookFormat = o.webhookFormat;
	}
	const healthchecks = await urlFrom("healthchecks", o.healthchecks, o.healthchecksEnv);
	if (healthchecks !== void 0) fields.healthchecksUrl = healthchecks;
	return fields;
}
/** `--encryption PROFILE|7z|none`: a profile by name, or `7z` for the only 7-Zip profile there is. */
async function resolveEncryption(core, value) {
	if (!value || value === "none") return {
		encryption: "none",
		profileId: null
	};
	if (value === "7z") {
		const sevenZip = (await core.call("profiles:list", {})).filter((p) => p.kind === "7z");
		if (sevenZip.length !== 1) throw new AppError("VALIDATION_FAILED", sevenZip.length === 0 ? "There is no 7-Zip profile yet: create one with vaultdesk profile create --kind 7z --name NAME." : `There are several 7-Zip profiles (${sevenZip.map((p) => p.name).join(", ")}): name one with --encryption NAME.`, { field: "encryption" });
		return {
			encryption: "7z",
			profileId: sevenZip[0].id
		};
	}
	const profile = await findProfile(core, value);
	return {
		encryption: profile.kind,
		profileId: profile.id
	};
}
function registerJobCommands(program) {
	const job = program.command("job").description("backup jobs: what to dump, where to store it, how to protect it, when");
	fieldOptions(job.command("add").description("add a backup job").requiredOption("--name <name>", "a unique name (letters, digits, . _ -)").requiredOption("--source <source>", "source name or id")).action(action(async (core, o) => {
		const fields = await fieldsFrom(core, o, null);
		if (!fields.destinationIds?.length) {
			const fallback = (await core.call("destinations:list", {})).find((d) => d.isDefault);
			if (!fallback) throw new AppError("VALIDATION_FAILED", "Name at least one --destination (there is no default destination).", { field: "destinationIds" });
			fields.destinationIds = [fallback.id];
		}
		const { webhookUrl, healthchecksUrl, ...rest } = fields;
		const created = await core.call("jobs:create", {
			...rest,
			...webhookUrl ? { webhookUrl } : {},
			...healthchecksUrl ? { healthchecksUrl } : {},
			name: o.name,
			sourceId: fields.sourceId,
			destinationIds: fields.destinationIds
		});
		await emit(o.json, created, async () => {
			process.stdout.write(`Added job "${created.name}": ${summary(created)}.\n`);
			await printNext(core, created);
		});
	}));
	fieldOptions(job.command("update").description("change a job: only the options given change").argument("<job>", "name or id").option("--name <name>", "rename the job").option("--source <source>", "source name or id")).action(action(async (core, ref, o) => {
		const id = await jobId(core, ref);
		const fields = await fieldsFrom(core, o, await core.call("jobs:get", { id }));
		if (Object.keys(fields).length === 0 && o.name === void 0) throw new AppError("VALIDATION_FAILED", "Nothing to change: give at least one option (see vaultdesk job update --help).");
		const updated = await core.call("jobs:update", {
			id,
			...o.name !== void 0 ? { name: o.name } : {},
			...fields
		});
		await emit(o.json, updated, async () => {
			process.stdout.write(`Updated job "${updated.name}": ${summary(updated)}.\n`);
			await printNext(core, updated);
		});
	}));
	job.command("list").description("list jobs").option("--json", "print JSON").action(action(async (core, o) => {
		const list = await core.call("jobs:list", {});
		emit(o.json, list, () => printTable([
			"NAME",
			"SOURCE",
			"DESTINATIONS",
			"COMPRESSION",
			"ENCRYPTION",
			"SCHEDULE"
		], list.map((j) => [
			j.name,
			j.sourceName,
			j.destinationNames.join(", "),
			j.encryption === "7z" ? "7-Zip" : j.compression,
			j.profileName ? `${j.encryption} (${j.profileName})` : j.encryption,
			j.schedule ? `${j.schedule}${j.timezone ? ` ${j.timezone}` : ""}` : "manual"
		])));
	}));
	job.command("show").description("one job: what it dumps, where, how, when").argument("<job>", "name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const j = await core.call("jobs:get", { id: await jobId(core, ref) });
		const preview = j.schedule ? await core.call("schedules:preview", {
			schedule: j.schedule,
			timezone: j.timezone,
			count: 3
		}) : null;
		await emit(o.json, j, () => printRecord({
			name: j.name,
			id: j.id,
			source: j.sourceName,
			databases: j.allDatabases ? "all" : j.databases.length ? j.databases : "(the source's database)",
			destinations: j.destinationNames,
			format: j.format,
			compression: j.encryption === "7z" ? `7-Zip's own, in the archive (${j.compression} applies with age or no encryption)` : `${j.compression}${j.compressionLevel ? ` level ${j.compressionLevel}` : ""}`,
			encryption: j.profileName ? `${j.encryption} (${j.profileName})` : j.encryption,
			schedule: preview ? `${j.schedule}: ${preview.summary}` : "manual (no schedule)",
			"catch-up": j.schedule ? j.catchUp ? "a missed run is run once on start or wake-up" : "off" : null,
			timeout: j.timeoutMinutes ? `${j.timeoutMinutes} min` : null,
			prefix: j.prefix,
			retention: describeRetention(j.retention),
			...hookLines(j)
		}));
	}));
	job.command("next").description("when the job's schedule runs it next, in words and times").argument("<job>", "name or id").option("--count <n>", "how many runs", parseInteger("--count"), 5).option("--json", "print JSON").action(action(async (core, ref, o) => {
		const j = await core.call("jobs:get", { id: await jobId(core, ref) });
		if (!j.schedule) throw new AppError("VALIDATION_FAILED", `Job "${j.name}" has no schedule: it runs only when started by hand (set one with vaultdesk job update ${j.name} --schedule CRON).`, { field: "schedule" });
		const p = await core.call("schedules:preview", {
			schedule: j.schedule,
			timezone: j.timezone,
			count: o.count
		});
		emit(o.json, p, () => {
			process.stdout.write(`${p.words}${j.catchUp ? "" : ", no catch-up"}\n`);
			for (const at of p.next) process.stdout.write(`  ${slotLine(at, j.timezone)}\n`);
		});
	}));
	job.command("remove").description("remove a job (not while it runs); its stored backups stay where they are").argument("<job>", "name or id").action(action(async (core, ref) => {
		await core.call("jobs:delete", { id: await jobId(core, ref) });
		process.stdout.write(`Removed job "${ref}".\n`);
	}));
}
/** "Tue 1 Dec 2026 02:00 (Europe/Berlin)" */
function slotLine(iso, timezone) {
	const zone = timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
	return `${new Intl.DateTimeFormat("en-GB", {
		weekday: "short",
		day: "numeric",
		month: "short",
		year: "numeric",
		hour: "2-digit",
		minute: "2-digit",
		hourCycle: "h23",
		timeZone: zone
	}).format(new Date(iso)).replace(",", "")} (${zone})`;
}
/** After a job is saved with a schedule: when it runs, and what must be open for it to run. */
async function printNext(core, j) {
	if (!j.schedule) return;
	const p = await core.call("schedules:preview", {
		schedule: j.schedule,
		timezone: j.timezone,
		count: 3
	});
	process.stdout.write(`${p.summary}\n`);
	const status = await core.call("schedules:status", {});
	if (!status.holder) process.stderr.write("note: schedules run while the Vaultdesk app or vaultdesk daemon is open on this data dir; neither is now.\n");
	if (status.paused) process.stderr.write("note: schedules are paused (vaultdesk schedule resume).\n");
}
/** Hooks and notifications for `job show`; URLs only by their host. */
function hookLines(j) {
	const hook = (h) => h ? `${describeHook(h)}${h.shell ? " (with a shell)" : ""}` : null;
	return {
		"pre-run hook": hook(j.preHook),
		"post-run hook": hook(j.postHook),
		"hook timeout": j.preHook || j.postHook ? `${j.hookTimeoutSeconds} s` : null,
		webhook: j.hasWebhook ? `${j.webhookHost} (${j.webhookFormat})` : null,
		healthchecks: j.hasHealthchecks ? j.healthchecksHost : null
	};
}
function summary(j) {
	return `${j.sourceName} -> ${j.destinationNames.join(", ")}, ${j.compression}, ${j.encryption === "none" ? "not encrypted" : `${j.encryption} (${j.profileName})`}, ${j.schedule ?? "manual"}`;
}
// src/main/cli/key-commands.ts
function registerKeyCommands(program) {
	const key = program.command("key").description("the master key that encrypts every stored secret");
	key.command("status").description("where the master key is kept, and its fingerprint").option("--json", "print JSON").action(action(async (core, o) => {
		const s = await core.call("keys:status", {});
		emit(o.json, s, () => printRecord({
			state: s.state,
			"kept in": s.location,
			fingerprint: s.fingerprint,
			message: s.message
		}));
	}));
	key.command("export").description("print the master key (base64) on stdout, or write it to a 0600 file; the fingerprint goes to stderr").option("--out <file>", "write to this file (created with mode 0600)").option("--json", "print JSON ({ key, fingerprint } on stdout, or { path, fingerprint } with --out)").action(action(async (core, o) => {
		if (o.out) {
			const r = await core.call("keys:export", { path: fileToWrite(o.out) });
			emit(o.json, r, () => process.stdout.write(`Wrote the master key to ${r.path} (fingerprint ${r.fingerprint}). Keep it somewhere safe, apart from the backups.\n`));
			return;
		}
		const dir = mkdtempSync(path.join(tmpdir(), "vaultdesk-key-"));
		try {
			const r = await core.call("keys:export", { path: path.join(dir, "master.key") });
			const raw = readFileSync(r.path, "utf8").trim();
			if (o.json) {
				process.stdout.write(`${JSON.stringify({
					key: raw,
					fingerprint: r.fingerprint
				})}\n`);
				return;
			}
			process.stdout.write(`${raw}\n`);
			process.stderr.write(`fingerprint ${r.fingerprint}\n`);
		} finally {
			rmSync(dir, {
				recursive: true,
				force: true
			});
		}
	}));
	key.command("import").description("put back an exported master key (from stdin or --file); it must match this data dir").option("--file <file>", "read the key from this file instead of stdin").option("--json", "print JSON").action(action(async (core, o) => {
		const text = o.file ? readUserFile(o.file, "key file", "file") : await readStdinSecret("master key (base64)");
		const r = await core.call("keys:import", { key: text });
		emit(o.json, r, () => process.stdout.write(`Imported the master key (fingerprint ${r.fingerprint}).\n`));
	}));
	key.command("move-to-keychain").description("move the master key into the OS keychain once one can be reached, from the key file kept beside the data dir (which is then removed)").option("--json", "print JSON").action(action(async (core, o) => {
		const { moveKeyToKeychain } = await import("./open-host-core-cyJ2Q5kJ.js");
		const r = await moveKeyToKeychain(core);
		emit(o.json, r, () => process.stdout.write(r.removed ? `Moved the master key (fingerprint ${r.fingerprint}) into the OS keychain and removed ${r.removed}. Later starts take it from the keychain.\n` : `Copied the master key (fingerprint ${r.fingerprint}) from the ${r.from} into the OS keychain. Start Vaultdesk without --master-key-file or VAULTDESK_MASTER_KEY to use it; the original was left where it is.\n`));
	}));
	key.command("rotate").description("new master key; every secret re-encrypted in one transaction").option("--json", "print JSON").action(action(async (core, o) => {
		const r = await core.call("keys:rotate", {});
		emit(o.json, r, () => process.stdout.write(`Rotated the master key: ${r.secretsReencrypted} secrets re-encrypted, new fingerprint ${r.fingerprint}. Export it again (vaultdesk key export) if you keep a copy.\n`));
	}));
	key.command("reset").description("give up on a lost master key: new key, every stored secret dropped (re-enter credentials afterwards)").requiredOption("--yes", "confirm that every stored password, key and identity will be dropped").option("--json", "print JSON").action(action(async (core, o) => {
		const r = await core.call("keys:reset", { confirm: "RESET" });
		emit(o.json, r, () => process.stdout.write(`New master key ${r.fingerprint}; ${r.secretsCleared} stored secrets were dropped. Re-enter the credentials of your sources and destinations.\n`));
	}));
}
// src/main/cli/kit-commands.ts
function registerKitCommands(program) {
	program.command("kit").description("recovery kits: the age identities that open your backups, for when Vaultdesk is gone").command("export").description("write a recovery kit zip (identities, keys.json, a README on decrypting with age, zstd and the database tools); it is tested before it is written").option("--profile <profile>", "an age profile to put in, by name or id (repeatable; default: every age profile)", collect).requiredOption("-o, --out <file>", "the zip to write (created with mode 0600)").option("--passphrase-stdin", "wrap each identity with a passphrase read from standard input (age's scrypt encryption, which age -d unwraps)").option("--passphrase-env <var>", "the same, from this environment variable").option("--json", "print JSON ({ path, passphraseProtected, bytes, profiles, skipped })").action(action(async (core, o) => {
		const profileIds = o.profile ? await Promise.all(o.profile.map((p) => profileId(core, p))) : void 0;
		const passphrase = await secretFrom("kit passphrase", {
			stdin: o.passphraseStdin,
			env: o.passphraseEnv
		});
		const r = await core.call("recovery:exportKit", {
			path: fileToWrite(o.out),
			profileIds,
			passphrase
		});
		emit(o.json, r, () => {
			const names = r.profiles.map((p) => `"${p.name}"`).join(", ");
			process.stdout.write(`Wrote the recovery kit ${r.path} with the identit${r.profiles.length === 1 ? "y" : "ies"} of ${names}${r.passphraseProtected ? ", each protected by the passphrase" : ""}; it opened a test file for each before it was written.\n`);
			for (const s of r.skipped) process.stderr.write(`note: profile "${s.name}" is not in the kit: its identity was dropped when the master key was reset.\n`);
			process.stdout.write(r.passphraseProtected ? "Keep it offline and apart from the backups, and the passphrase apart from it: README.txt inside says how to decrypt a backup with it.\n" : "Anyone holding it can read those backups: keep it offline and apart from them. README.txt inside says how to decrypt a backup with it.\n");
		});
	}));
}
// src/main/cli/notify-commands.ts
function registerNotifyCommands(program) {
	program.command("notify").description("notifications: webhooks, Healthchecks pings, the desktop").command("test").description("send a test notification through each configured channel: the job's webhook and Healthchecks URL (its /log endpoint), the global webhook, the desktop app").argument("[job]", "job name or id (without it: the global webhook only)").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const outcomes = await core.call("notifications:test", ref ? { jobId: await jobId(core, ref) } : {});
		emit(o.json, outcomes, () => printTable([
			"CHANNEL",
			"TARGET",
			"RESULT"
		], outcomes.map((r) => [
			r.channel,
			r.target,
			`${r.ok ? "ok" : "FAILED"}: ${r.message}`
		])));
		if (outcomes.some((r) => !r.ok && r.channel !== "desktop")) process.exitCode = 1;
	}));
}
// src/main/cli/profile-commands.ts
function registerProfileCommands(program) {
	const profile = program.command("profile").description("encryption profiles: age identities, 7-Zip passphrases");
	profile.command("create").alias("add").description("create a profile; prints its age recipient").requiredOption("--name <name>", "a unique name").option("--kind <kind>", "age (default) or 7z", "age").option("--recipient <age1...>", "an extra recipient every backup is also encrypted to, e.g. an offline break-glass key (repeatable)", collect).option("--identity-file <file>", "import an existing age identity instead of generating one").option("--passphrase-stdin", "7z: read the passphrase from standard input (default: generated)").option("--json", "print JSON").action(action(async (core, o) => {
		if (o.kind !== "age" && o.kind !== "7z") throw new AppError("VALIDATION_FAILED", `Unknown profile kind "${o.kind}": use age or 7z.`, { field: "kind" });
		const created = o.kind === "age" ? await core.call("profiles:create", {
			kind: "age",
			name: o.name,
			extraRecipients: o.recipient ?? [],
			identity: o.identityFile ? firstIdentity(readUserFile(o.identityFile, "identity file", "identity-file")) : void 0
		}) : await core.call("profiles:create", {
			kind: "7z",
			name: o.name,
			passphrase: await secretFrom("7-Zip passphrase", { stdin: o.passphraseStdin })
		});
		emit(o.json, created, () => process.stdout.write(created.recipient ? `${created.recipient}\n` : `Created 7-Zip profile "${created.name}".\n`));
		if (created.identityOnlyInVaultdesk) process.stderr.write(`note: the identity of profile "${created.name}" is not yet saved outside Vaultdesk: if this data dir or its master key is lost, its backups cannot be decrypted. Save it with: vaultdesk profile export-identity ${created.name} -o FILE\n`);
	}));
	profile.command("list").description("list profiles, their recipients and whether each identity is saved outside Vaultdesk").option("--json", "print JSON").action(action(async (core, o) => {
		const list = await core.call("profiles:list", {});
		emit(o.json, list, () => printTable([
			"NAME",
			"KIND",
			"RECIPIENT",
			"EXTRA RECIPIENTS",
			"IDENTITY",
			"JOBS"
		], list.map((p) => [
			p.name,
			p.kind,
			p.recipient,
			p.extraRecipients.length,
			identityWords(p),
			p.jobNames.join(", ")
		])));
	}));
	profile.command("show").description("one profile").argument("<profile>", "name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const p = await findProfile(core, ref);
		emit(o.json, p, () => printRecord({
			name: p.name,
			id: p.id,
			kind: p.kind,
			recipient: p.recipient,
			"extra recipients": p.extraRecipients,
			secret: p.hasSecret ? "stored" : "missing (key was reset)",
			identity: identityWords(p),
			jobs: p.jobNames
		}));
	}));
	profile.command("export-identity").description("write an age profile's identity to a 0600 file, for decrypting its backups with the age tool").argument("<profile>", "name or id").requiredOption("-o, --out <file>", "the file to write (created with mode 0600)").option("--json", "print JSON ({ path, recipient })").action(action(async (core, ref, o) => {
		const r = await core.call("profiles:exportIdentity", {
			id: await profileId(core, ref),
			path: fileToWrite(o.out)
		});
		emit(o.json, r, () => process.stdout.write(`Wrote the identity of profile "${ref}" (recipient ${r.recipient}) to ${r.path}. Keep it apart from the backups: it decrypts every one of them.\n`));
	}));
	profile.command("remove").description("remove a profile no job uses").argument("<profile>", "name or id").action(action(async (core, ref) => {
		await core.call("profiles:delete", { id: await profileId(core, ref) });
		process.stdout.write(`Removed profile "${ref}".\n`);
	}));
}
/** Whether the identity exists anywhere but in Vaultdesk, as `profile list` and `show` say it. */
function identityWords(p) {
	if (p.kind !== "age") return "";
	if (!p.hasSecret) return "dropped (master key reset)";
	if (p.identityOnlyInVaultdesk) return "not yet saved outside Vaultdesk";
	return p.identityExportedAt ? `exported ${p.identityExportedAt.slice(0, 16).replace("T", " ")} UTC` : "imported";
}
/** An identity file may hold comments (`# created: ...`, `# public key: ...`) around the key. */
function firstIdentity(text) {
	const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.startsWith("AGE-SECRET-KEY-"));
	if (!line) throw new AppError("VALIDATION_FAILED", "The identity file holds no AGE-SECRET-KEY-1... line.", { field: "identity" });
	return line;
}
// src/main/cli/quickstart-command.ts
/** A small but real database: a few tables, an index, a view, some rows. */
async function createDemoDatabase(file) {
	const { default: Database } = await import("better-sqlite3");
	ensureFolderSync(path.dirname(file));
	const db = new Database(file);
	db.exec(`
    CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total_cents INTEGER NOT NULL, placed_at TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS orders_customer ON orders(customer_id);
    CREATE VIEW IF NOT EXISTS customer_totals AS SELECT c.name, SUM(o.total_cents) AS total_cents FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
  `);
	if (db.prepare("SELECT COUNT(*) AS n FROM customers").get().n === 0) {
		const addCustomer = db.prepare("INSERT INTO customers (name, email, created_at) VALUES (?, ?, ?)");
		const addOrder = db.prepare("INSERT INTO orders (customer_id, total_cents, placed_at) VALUES (?, ?, ?)");
		db.transaction(() => {
			for (let i = 1; i <= 200; i++) {
				addCustomer.run(`Customer ${i}`, `customer${i}@example.com`, new Date(Date.UTC(2026, 0, 1 + i % 300)).toISOString());
				for (let j = 0; j < 5; j++) addOrder.run(i, (i * 137 + j * 911) % 5e4, new Date(Date.UTC(2026, 1, 1 + (i + j) % 250)).toISOString());
			}
		})();
	}
	db.close();
}
/** Reuses what a previous quickstart made (looked up by name), or creates it. */
async function ensure(list, name, create) {
	const existing = list.find((item) => item.name.toLowerCase() === name);
	return existing ? {
		value: existing,
		created: false
	} : {
		value: await create(),
		created: true
	};
}
async function quickstart(core, backupDir, progress) {
	const { dataDir } = await core.call("app:info", {});
	const demoFile = path.join(dataDir, "demo", "demo.db");
	await createDemoDatabase(demoFile);
	const destinations = await core.call("destinations:list", {});
	const source = await ensure(await core.call("sources:list", {}), "demo", () => core.call("sources:create", {
		engine: "sqlite",
		name: "demo",
		path: demoFile
	}));
	const dest = await ensure(destinations, "quickstart-folder", () => core.call("destinations:create", {
		kind: "local",
		name: "quickstart-folder",
		path: backupDir,
		isDefault: destinations.every((d) => !d.isDefault)
	}));
	const profile = await ensure(await core.call("profiles:list", {}), "quickstart", () => core.call("profiles:create", {
		kind: "age",
		name: "quickstart"
	}));
	const job = await ensure(await core.call("jobs:list", {}), "demo-backup", () => core.call("jobs:create", {
		name: "demo-backup",
		sourceId: source.value.id,
		destinationIds: [dest.value.id],
		compression: "zstd",
		encryption: "age",
		profileId: profile.value.id
	}));
	for (const [what, r] of [
		["source \"demo\"", source],
		["destination \"quickstart-folder\"", dest],
		["encryption profile \"quickstart\"", profile],
		["job \"demo-backup\"", job]
	]) process.stdout.write(`${r.created ? "Created" : "Reusing"} ${what}\n`);
	const run = await runJobToEnd(core, job.value.id, {
		progress,
		trigger: "quickstart"
	});
	if (run.status !== "succeeded") {
		process.stdout.write(`The demo backup failed at stage ${run.error?.stage}: ${run.error?.message}\n`);
		process.exitCode = 1;
		return;
	}
	const identityFile = await quickstartIdentity(core, dataDir, profile.value);
	const file = run.objects[0].destinations[0].location;
	process.stdout.write([
		"",
		`Backup stored: ${file}`,
		`(${run.objects[0].size} bytes, sha256 ${run.objects[0].sha256}; manifest beside it)`,
		"",
		`The identity that decrypts it was written to ${identityFile} (mode 0600). Decrypt with the standard age tool:`,
		`  age -d -i '${identityFile}' '${file}' | zstd -d > demo-restored.db`,
		"",
		"Keep a copy of the master key apart from the backups: without it the credentials stored in Vaultdesk cannot be read. Write one with:",
		"  vaultdesk key export --out FILE",
		""
	].join("\n"));
}
function registerQuickstartCommand(program) {
	program.command("quickstart").description("for a first try with no database server: a demo SQLite database, a local folder, an age profile and a job, run once").option("--backup-dir <dir>", "where the demo backups go", path.join(homedir(), "VaultdeskBackups")).action(action(async (core, o) => {
		const dir = path.resolve(o.backupDir);
		try {
			ensureFolderSync(dir);
		} catch (error) {
			throw fsAppError(error, "FILE_WRITE_FAILED", `Could not create the backup folder ${dir}`, { path: dir });
		}
		await quickstart(core, dir, process.stderr.isTTY === true);
	}, { keyFileFallback: "create" }));
}
/**
* The file holding the quickstart profile's identity: the one an earlier quickstart wrote when it
* holds this profile's (exports never replace a file), else a new one named after the profile.
*/
async function quickstartIdentity(core, dataDir, profile) {
	for (const file of [path.join(dataDir, "quickstart-identity.txt"), path.join(dataDir, `quickstart-identity-${profile.id.slice(0, 8)}.txt`)]) {
		if (!existsSync(file)) return (await core.call("profiles:exportIdentity", {
			id: profile.id,
			path: file
		})).path;
		if (profile.recipient && readFileSync(file, "utf8").includes(profile.recipient)) return file;
	}
	return (await core.call("profiles:exportIdentity", {
		id: profile.id,
		path: path.join(dataDir, `quickstart-identity-${profile.id}.txt`)
	})).path;
}
// src/main/cli/restore-commands.ts
var MiB = 1048576;
/** Starts a restore or drill and waits for its end, with a progress bar on a terminal; Ctrl-C cancels it, leaving the target as it was. */
function restoreToEnd(core, start, progress) {
	return followToEnd(core, {
		noun: "restore",
		finished: "restore:finished",
		finishedId: (r) => r.id,
		progress: "restore:progress",
		progressId: (p) => p.restoreId,
		start: async () => (await start()).restoreId,
		cancel: (id) => void core.invoke("restore:cancel", { id }),
		bar: progress ? {
			format: " {stage} {database} [{bar}] {read} of {total} MiB",
			initial: {
				stage: "check",
				database: "",
				read: "0.0",
				total: "0.0"
			},
			at: (p) => ({
				value: p.bytesRead,
				total: p.totalBytes,
				fields: {
					stage: p.stage.padEnd(8),
					database: p.database ?? "",
					read: (p.bytesRead / MiB).toFixed(1),
					total: (p.totalBytes / MiB).toFixed(1)
				}
			})
		} : null
	});
}
/**
* A restore that ended otherwise says its message once, on stderr after its code: the message
* already holds the error and what state each database was left in.
*/
function printRestore(r) {
	if (r.status === "succeeded") process.stdout.write(`${r.message}\n`);
	printTables(r);
	for (const d of r.databases) for (const n of d.notes) if (!r.message.includes(n)) process.stderr.write(`note: ${n}\n`);
	if (r.status !== "succeeded") process.stderr.write(`vaultdesk: error [${r.error?.code ?? "RESTORE_FAILED"}]: ${r.message}\n`);
}
/** Each restored database's tables with their rows, and a drill's differences. */
function printTables(r) {
	for (const d of r.databases) {
		if (d.kind === "globals" || !d.tables || d.tables.length === 0) continue;
		const title = r.kind === "drill" ? `${d.fromDatabase}, as restored from the backup` : `${d.database}${d.keptAs ? ` (the old file is kept as ${d.keptAs})` : ""}`;
		process.stdout.write(`\n${title}\n`);
		printTable(["TABLE", "ROWS"], d.tables.map((t) => [t.schema ? `${t.schema}.${t.table}` : t.table, t.rows]));
	}
	if (r.drill && r.drill.differences.length > 0) {
		process.stdout.write("\n");
		printTable([
			"TABLE",
			"IN BACKUP",
			"IN SOURCE NOW",
			"DIFFERENCE"
		], r.drill.differences.map((d) => [
			d.schema ? `${d.schema}.${d.table}` : d.table,
			d.inBackup ?? "missing",
			d.inSourceNow ?? "missing",
			d.difference === null ? "-" : d.difference > 0 ? `+${d.difference}` : d.difference
		]));
	}
}
function registerRestoreCommands(program) {
	program.command("restore").description("restore a stored backup into a source (its own, or another of the same engine), under its own or a new database name; a database that already holds tables, views, functions or other objects is replaced only with --force, and only once the restored copy is complete").argument("<backup>", "backup id (vaultdesk backup list), or its first characters").option("--target <source>", "the source to restore into, by name or id (default: the backup's own source)").option("--database <name>", "the database to restore into (created when missing; default: the name in the backup); for SQLite, a file path").option("--force", "replace a database that already holds tables or other objects (views, functions, sequences, routines, events)").option("--all-databases", "restore every database of the run that made this backup (an \"all databases\" job)").option("--only <db>", "restore only this database of that run").option("--with-globals", "PostgreSQL: also restore the run's roles (globals)").option("--jobs <n>", "into a database the restore creates, how many restore tools load the streamed dump at once (default 2). PostgreSQL custom format: pg_restore processes (1: one pg_restore, one transaction); asked for, a dump that cannot be loaded in parts (large objects) is decrypted to a temporary file in the data dir, as big as the dump, for pg_restore --jobs N. MySQL/MariaDB: mariadb/mysql clients, the INSERTs dealt out", parseInteger("--jobs")).option("--drill", "restore into a scratch database, compare every table's row count with the source now, and drop it; exits 1 when counts differ").option("--compare <source>", "drill: the source to compare with (default: the backup's own source)").option("--json", "print the restore record as JSON").action(action(async (core, ref, o) => {
		refuseMixedOptions(o);
		const id = await backupId(core, ref);
		const targetSourceId = o.target ? await sourceId(core, o.target) : void 0;
		const progress = !o.json && process.stderr.isTTY === true;
		const restore = o.drill ? await restoreToEnd(core, async () => core.call("restore:drill", {
			backupId: id,
			targetSourceId,
			compareSourceId: o.compare ? await sourceId(core, o.compare) : void 0
		}), progress) : await restoreToEnd(core, async () => {
			const started = await core.call("restore:start", {
				backupId: id,
				targetSourceId,
				database: o.database,
				force: o.force === true,
				allDatabases: o.allDatabases === true,
				only: o.only,
				withGlobals: o.withGlobals === true,
				jobs: o.jobs
			});
			for (const warning of started.warnings) process.stderr.write(`note: ${warning}\n`);
			return started;
		}, progress);
		emit(o.json, restore, () => printRestore(restore));
		if (restore.status !== "succeeded") process.exitCode = 1;
		else if (restore.drill && !restore.drill.ok) process.exitCode = 1;
	}));
	program.command("restores").description("the restore history: who restored what, where, when, and how it went; with a restore id, that one in full, its tables and a drill's differences").argument("[restore]", "a restore id (the first column of the list)").option("--backup <backup>", "only this backup's restores and drills").option("--limit <n>", "how many", parseInteger("--limit"), 20).option("--json", "print JSON").action(action(async (core, ref, o) => {
		if (ref !== void 0) {
			if (o.backup !== void 0) throw new AppError("VALIDATION_FAILED", "--backup lists a backup's restores: it does not go with a restore id.", { field: "backup" });
			const restore = await core.call("restore:get", { id: restoreId(ref) });
			emit(o.json, restore, () => printRestoreRecord(restore));
			return;
		}
		const list = await historyOf(core, o.backup, o.limit);
		emit(o.json, list, () => printTable([
			"RESTORE",
			"KIND",
			"STATUS",
			"STARTED",
			"BY",
			"BACKUP",
			"INTO",
			"RESULT"
		], list.map((r) => [
			r.id,
			r.kind,
			r.status,
			r.startedAt,
			r.requestedBy,
			r.key,
			`${r.targetSource}: ${r.databases.map((d) => d.database).join(", ")}`,
			r.error ? `[${r.error.code}] ${r.error.message}` : r.message
		])));
	}));
}
/** One restore or drill of the history: who, what, where, when, then what it restored as after a restore. */
function printRestoreRecord(r) {
	printRecord({
		restore: r.id,
		kind: r.kind,
		status: r.status,
		backup: `${r.key} at "${r.destination}" (${r.backupId})`,
		into: `${r.targetSource}: ${r.databases.map((d) => d.database).join(", ") || "-"}`,
		by: r.requestedBy,
		started: r.startedAt,
		finished: r.finishedAt,
		read: `${formatBytes(r.bytesRead)} of ${formatBytes(r.totalBytes)}`,
		result: r.error ? `[${r.error.code}] ${r.message}` : r.message,
		notes: r.databases.flatMap((d) => d.notes.filter((n) => !r.message.includes(n))).join(" ") || "-"
	});
	printTables(r);
}
/**
* The history `restores` prints; with `--backup`, that backup's. A deleted backup is no longer on any destination but
* its restores are still in the history: the first characters of its id are looked for there first,
* then on the destinations (whose words say when one could not be listed).
*/
async function historyOf(core, ref, limit) {
	if (ref === void 0) return core.call("restore:list", { limit });
	const wanted = ref.trim().toLowerCase();
	if (/^[0-9a-f-]{4,64}$/.test(wanted)) {
		const found = await core.call("restore:list", {
			backupIdPrefix: wanted,
			limit
		});
		if (found.length > 0) return found;
	}
	return core.call("restore:list", {
		backupId: await backupId(core, ref),
		limit
	});
}
/** Options of a restore that a drill would leave unused, and the drill's own without one: refused, never dropped in silence. */
var RESTORE_ONLY = [
	["database", "--database"],
	["force", "--force"],
	["allDatabases", "--all-databases"],
	["only", "--only"],
	["withGlobals", "--with-globals"],
	["jobs", "--jobs"]
];
function refuseMixedOptions(o) {
	if (!o.drill) {
		if (o.compare !== void 0) throw new AppError("VALIDATION_FAILED", "--compare names the source a drill compares with: it goes with --drill.", { field: "compare" });
		return;
	}
	const given = RESTORE_ONLY.filter(([key]) => o[key] !== void 0 && o[key] !== false).map(([, flag]) => flag);
	if (given.length === 0) return;
	const which = given.join(" and ");
	const oneOfRun = given.includes("--only") || given.includes("--all-databases") ? " To drill one database of an \"all databases\" run, drill its own backup (vaultdesk backup list --database DB)." : "";
	throw new AppError("VALIDATION_FAILED", `A drill restores the one backup it is given into a scratch database of its own and drops it after: ${which} ${given.length > 1 ? "do" : "does"} not go with --drill.${oneOfRun}`, { field: given[0].slice(2) });
}
// src/main/cli/schedule-commands.ts
var when = (iso) => iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
/** "Tue 1 Dec 02:00 Europe/Berlin": a slot as the job's schedule reads it. */
function local(iso, timezone) {
	const zone = timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
	return `${new Intl.DateTimeFormat("en-GB", {
		weekday: "short",
		day: "numeric",
		month: "short",
		hour: "2-digit",
		minute: "2-digit",
		hourCycle: "h23",
		timeZone: zone
	}).format(new Date(iso)).replace(",", "")} ${zone}`;
}
function printScheduleStatus(s) {
	process.stdout.write(`Schedules: ${s.paused ? "PAUSED (resume with: vaultdesk schedule resume)" : "active"}; at most ${s.maxConcurrentRuns} scheduled run(s) at once.\n`);
	process.stdout.write(s.holder ? `Run by ${s.holder.self ? "this process" : s.holder.who} since ${when(s.holder.since)}.\n` : "Nothing runs them now: schedules run while the Vaultdesk app or vaultdesk daemon is open on this data dir.\n");
	process.stdout.write("\n");
	printTable([
		"JOB",
		"SCHEDULE",
		"NEXT",
		"LAST RUN"
	], s.jobs.map((j) => [
		j.name,
		`${j.words}${j.enabled ? "" : " (job disabled)"}`,
		j.next[0] ? local(j.next[0], j.timezone) : "-",
		j.lastRun ? `${j.lastRun.status} ${when(j.lastRun.startedAt)} (${j.lastRun.trigger})` : "never"
	]));
}
function registerScheduleCommands(program) {
	const schedule = program.command("schedule").description("the scheduler: who runs the schedules of this data dir, pause and resume them");
	schedule.command("status").description("who runs the schedules, whether they are paused, and every scheduled job's next run").option("--json", "print JSON").action(action(async (core, o) => {
		const s = await core.call("schedules:status", {});
		emit(o.json, s, () => printScheduleStatus(s));
	}));
	for (const [name, channel, words] of [[
		"pause",
		"schedules:pause",
		"pause every schedule (runs started by hand still work); stays paused across restarts"
	], [
		"resume",
		"schedules:resume",
		"resume the schedules (a slot missed while paused is not caught up)"
	]]) schedule.command(name).description(words).option("--json", "print JSON").action(action(async (core, o) => {
		const s = await core.call(channel, {});
		emit(o.json, s, () => process.stdout.write(`Schedules ${s.paused ? "paused" : "resumed"}.\n`));
	}));
	schedule.command("concurrency").description("how many scheduled runs may run at once over every process on this data dir (default 2)").argument("<n>", "runs at once", parseInteger("The number of runs at once")).action(action(async (core, n) => {
		const s = await core.call("schedules:setConcurrency", { limit: n });
		process.stdout.write(`At most ${s.maxConcurrentRuns} scheduled run(s) at once.\n`);
	}));
}
// src/main/cli/settings-commands.ts
function registerSettingsCommands(program) {
	const settings = program.command("settings").description("app-wide settings");
	settings.command("show").description("the app-wide settings").option("--json", "print JSON").action(action(async (core, o) => {
		const s = await core.call("settings:get", {});
		emit(o.json, s, () => {
			printTable(["TOOL", "PATH"], TOOL_NAMES.map((t) => [t, s.toolPaths[t] ?? "(searched on PATH and in the usual install folders)"]));
			process.stdout.write(`\nglobal webhook: ${s.hasWebhook ? `${s.webhookHost} (${s.webhookFormat})` : "none"}\n`);
			process.stdout.write(`start at login: ${s.startAtLogin ? "yes" : "no"} (applied by the desktop app)\n`);
		});
	}));
	settings.command("tools").description("where each client tool and 7-Zip is, and its version: the path set with tool-path, or what the search finds").option("--json", "print JSON").action(action(async (core, o) => {
		const tools = await core.call("settings:tools", {});
		emit(o.json, tools, () => printTable([
			"TOOL",
			"PATH",
			"VERSION"
		], tools.map((s) => [
			s.tool,
			`${s.path ?? s.configured ?? "-"}${s.configured ? " (set with tool-path)" : ""}`,
			s.version ?? `not usable: ${s.error}`
		])));
	}));
	settings.command("webhook").description("the global webhook, told when any job fails and when it succeeds again").argument("[url]", "the URL (other users can see it in ps: prefer --env)").option("--env <var>", "read the URL from this environment variable").option("--format <format>", `the body: ${WEBHOOK_FORMATS.join(", ")} (default json: the run record)`, "json").option("--clear", "remove the global webhook").option("--json", "print JSON").action(action(async (core, value, o) => {
		if (!WEBHOOK_FORMATS.includes(o.format)) throw new AppError("VALIDATION_FAILED", `--format is one of ${WEBHOOK_FORMATS.join(", ")}, not "${o.format}".`, { field: "format" });
		if ([
			value !== void 0,
			o.env !== void 0,
			o.clear === true
		].filter(Boolean).length !== 1) throw new AppError("VALIDATION_FAILED", "Give the URL, --env VAR, or --clear (one of them).", { field: "url" });
		const url = o.clear ? null : value ?? await secretFrom("webhook URL", { env: o.env });
		const s = await core.call("settings:setWebhook", {
			url,
			format: o.format
		});
		emit(o.json, s, () => process.stdout.write(s.hasWebhook ? `The global webhook is ${s.webhookHost} (${s.webhookFormat}).\n` : "There is no global webhook.\n"));
	}));
	settings.command("tool-path").description(`where a client tool or 7-Zip is, when the search does not find the right one (${TOOL_NAMES.join(", ")})`).argument("<tool>", "tool name").argument("[path]", "absolute path of the executable").option("--clear", "forget the configured path and search again").action(action(async (core, tool, file, o) => {
		if (!TOOL_NAMES.includes(tool)) throw new AppError("VALIDATION_FAILED", `Unknown tool "${tool}": use one of ${TOOL_NAMES.join(", ")}.`, { field: "tool" });
		if (!o.clear && !file) throw new AppError("VALIDATION_FAILED", "Give the path of the executable, or --clear.", { field: "path" });
		await core.call("settings:setToolPath", {
			tool,
			path: o.clear ? null : path.resolve(file)
		});
		process.stdout.write(o.clear ? `${tool} will be searched for.\n` : `${tool} is ${path.resolve(file)}.\n`);
	}));
}
// src/main/cli/source-commands.ts
function describeSource(s) {
	if (s.engine === "sqlite") return s.path ?? "";
	const db = s.allDatabases ? "(all databases)" : s.database ?? "";
	return `${s.user}@${s.host}:${s.port}/${db}${s.ssh ? ` via ssh ${s.ssh.user}@${s.ssh.host}` : ""}`;
}
function registerSourceCommands(program) {
	const source = program.command("source").description("database connections to back up");
	source.command("add").description("add a source: add postgres|mysql --name N --host H --user U --database D, or add sqlite --name N --path FILE").argument("<engine>", "postgres, mysql (MySQL and MariaDB) or sqlite").requiredOption("--name <name>", "a unique name").option("--host <host>", "database server host").option("--port <port>", "database server port", parseInteger("--port")).option("--user <user>", "database user").option("--database <db>", "the database to back up").option("--all-databases", "back up every database on the server").option("--path <file>", "SQLite database file").option("--environment <env>", "environment name (default: \"default\")").option("--tls <mode>", "disable, prefer, require or verify-full").option("--password-stdin", "read the database password from standard input").option("--password-env <var>", "read the database password from this environment variable").option("--ssh-host <host>", "run the dump through this SSH host").option("--ssh-port <port>", "SSH port", parseInteger("--ssh-port")).option("--ssh-user <user>", "SSH user").option("--ssh-mode <mode>", "exec (run the dump and restore tools on the SSH host) or tunnel (forward the port)", "exec").option("--ssh-key-file <file>", "SSH private key file").option("--ssh-password-env <var>", "SSH password from this environment variable").option("--ssh-passphrase-env <var>", "SSH key passphrase from this environment variable").option("--test", "test the connection first, and save only if it passes").option("--json", "print the created source as JSON").action(action(async (core, engine, o) => {
		const environment = o.environment ? await environmentId(core, o.environment) : void 0;
		let input;
		if (engine === "sqlite") {
			if (!o.path) throw new AppError("VALIDATION_FAILED", "A SQLite source needs --path FILE.", { field: "path" });
			input = {
				engine: "sqlite",
				name: o.name,
				path: path.resolve(o.path),
				environmentId: environment
			};
		} else if (engine === "postgres" || engine === "mysql") {
			if (!o.host || !o.user) throw new AppError("VALIDATION_FAILED", `A ${engine} source needs --host and --user.`, { field: o.host ? "user" : "host" });
			const password = await secretFrom("database password", {
				stdin: o.passwordStdin,
				env: o.passwordEnv
			});
			const ssh = o.sshHost ? {
				mode: o.sshMode ?? "exec",
				host: o.sshHost,
				port: o.sshPort ?? 22,
				user: o.sshUser ?? "",
				privateKey: o.sshKeyFile ? readUserFile(o.sshKeyFile, "SSH key file", "ssh-key-file") : void 0,
				password: await secretFrom("SSH password", { env: o.sshPasswordEnv }),
				passphrase: await secretFrom("SSH key passphrase", { env: o.sshPassphraseEnv })
			} : void 0;
			input = {
				engine,
				name: o.name,
				host: o.host,
				port: o.port,
				user: o.user,
				database: o.database,
				allDatabases: o.allDatabases ?? false,
				tlsMode: o.tls ?? "prefer",
				password,
				ssh,
				environmentId: environment
			};
		} else throw new AppError("VALIDATION_FAILED", `Unknown engine "${engine}": use postgres, mysql or sqlite.`, { field: "engine" });
		const created = await core.call("sources:create", {
			...input,
			test: o.test === true
		});
		emit(o.json, created, () => process.stdout.write(`Added source "${created.name}" (${created.engine}, ${describeSource(created)}); ${created.lastTest ? `its test passed: ${created.lastTest.message.replace(/\.$/, "")}` : `not tested (vaultdesk source test ${created.name})`}.\n`));
	}));
	source.command("list").description("list sources").option("--json", "print JSON").action(action(async (core, o) => {
		const list = await core.call("sources:list", {});
		emit(o.json, list, () => printTable([
			"NAME",
			"ENGINE",
			"CONNECTION",
			"ENVIRONMENT",
			"PASSWORD",
			"LAST TEST",
			"JOBS"
		], list.map((s) => [
			s.name,
			s.engine,
			describeSource(s),
			s.environmentName,
			s.hasPassword ? "stored" : "",
			lastTestCell(s.lastTest),
			s.jobNames.join(", ")
		])));
	}));
	source.command("show").description("one source and its last connection test").argument("<source>", "name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const s = await core.call("sources:get", { id: await sourceId(core, ref) });
		emit(o.json, s, () => printRecord({
			name: s.name,
			id: s.id,
			engine: s.engine,
			connection: describeSource(s),
			environment: s.environmentName,
			tls: s.tlsMode,
			password: s.hasPassword ? "stored" : "none",
			ssh: s.ssh ? `${s.ssh.mode} ${s.ssh.user}@${s.ssh.host}:${s.ssh.port}` : null,
			"host key": s.ssh?.hostKeyFingerprint,
			"last test": lastTestLine(s.lastTest),
			jobs: s.jobNames
		}));
	}));
	source.command("test").description("connect, report the server version, and check the dump tools").argument("<source>", "name or id").option("--json", "print JSON").action(action(async (core, ref, o) => {
		const id = await sourceId(core, ref);
		const r = await core.call("sources:test", { id });
		const databases = r.success ? await core.call("sources:databases", { id }) : [];
		emit(o.json, {
			...r,
			databases
		}, () => process.stdout.write(`${r.success ? "OK" : "PROBLEM"}: ${r.message}\n${databases.length ? `databases: ${databases.join(", ")}\n` : ""}`));
		if (!r.success) process.exitCode = 1;
	}));
	source.command("forget-host-key").description("forget the pinned SSH host key (after a checked, expected key change); the next connection pins the new one").argument("<source>", "name or id").action(action(async (core, ref) => {
		await core.call("sources:update", {
			id: await sourceId(core, ref),
			forgetHostKey: true
		});
		process.stdout.write(`Forgot the SSH host key of "${ref}"; the next connection will pin the key the server presents.\n`);
	}));
	source.command("remove").description("remove a source no job uses").argument("<source>", "name or id").action(action(async (core, ref) => {
		const id = await sourceId(core, ref);
		await core.call("sources:delete", { id });
		process.stdout.write(`Removed source "${ref}".\n`);
	}));
	source.command("set-password").description("replace the stored password (from stdin or an environment variable)").argument("<source>", "name or id").option("--password-stdin", "read the password from standard input").option("--password-env <var>", "read the password from this environment variable").option("--clear", "remove the stored password").action(action(async (core, ref, o) => {
		const password = o.clear ? null : await secretFrom("database password", {
			stdin: o.passwordStdin,
			env: o.passwordEnv
		});
		if (password === void 0) throw new AppError("VALIDATION_FAILED", "Give --password-stdin, --password-env VAR or --clear.");
		await core.call("sources:update", {
			id: await sourceId(core, ref),
			password
		});
		process.stdout.write(o.clear ? `Cleared the password of "${ref}".\n` : `Stored a new password for "${ref}".\n`);
	}));
}
// src/shared/domain/system.ts
/** What a system backup holds, in words: `1 environment, 2 sources, ...`, for the CLI and the Recovery page alike. */
function systemCountsWords(c) {
	const part = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`;
	return [
		part(c.environments, "environment"),
		part(c.sources, "source"),
		part(c.destinations, "destination"),
		part(c.profiles, "encryption profile"),
		part(c.jobs, "job"),
		part(c.pins, "pinned backup")
	].join(", ");
}
// src/main/cli/system-commands.ts
/** From --passphrase-stdin or --passphrase-env, or else standard input: the file is useless without one. */
async function passphraseOf(o) {
	return await secretFrom("system backup passphrase", {
		stdin: o.passphraseStdin,
		env: o.passphraseEnv
	}) ?? readStdinSecret("system backup passphrase");
}
function registerSystemCommands(program) {
	const system = program.command("system").description("system backup: the whole configuration, credentials included, as one passphrase-encrypted file");
	system.command("export").description("write environments, sources, destinations, encryption profiles, jobs, settings and pins, with every secret, to one age file encrypted to a passphrase").requiredOption("-o, --out <file>", "the file to write (created with mode 0600)").option("--passphrase-stdin", "read the passphrase from standard input (the default)").option("--passphrase-env <var>", "read the passphrase from this environment variable").option("--json", "print JSON ({ path, bytes, counts })").action(action(async (core, o) => {
		const passphrase = await passphraseOf(o);
		const r = await core.call("system:export", {
			path: fileToWrite(o.out),
			passphrase
		});
		emit(o.json, r, () => {
			process.stdout.write(`Wrote the system backup ${r.path}: ${systemCountsWords(r.counts)}.\n`);
			process.stdout.write("It holds every stored password, key and identity, encrypted to the passphrase: keep it apart from the backups and the passphrase apart from it. Import it with: vaultdesk system import FILE\n");
		});
	}));
	system.command("import <file>").description("recreate a system backup in this data dir, its secrets sealed under this data dir's master key; an empty data dir only, unless --merge").option("--passphrase-stdin", "read the passphrase from standard input (the default)").option("--passphrase-env <var>", "read the passphrase from this environment variable").option("--merge", "into a data dir that has a configuration: add what is not there, leave out (and list) whatever has a name used here, change nothing").option("--json", "print JSON ({ path, exportedAt, appVersion, merged, counts, skipped, settings })").action(action(async (core, file, o) => {
		const passphrase = await passphraseOf(o);
		const r = await core.call("system:import", {
			path: path.resolve(file),
			passphrase,
			merge: o.merge === true
		});
		emit(o.json, r, () => {
			process.stdout.write(`Imported ${systemCountsWords(r.counts)} from ${r.path} (written ${r.exportedAt} by Vaultdesk ${r.appVersion}).\n`);
			if (r.settings === "imported") process.stdout.write("The global settings (webhook, concurrency, tool paths, paused schedules) were taken from it too.\n");
			for (const s of r.skipped) process.stdout.write(`left out ${s.kind} "${s.name}": ${s.reason}\n`);
			if (r.counts.jobs > 0) process.stdout.write("Test the sources and destinations from this machine (vaultdesk source test, vaultdesk destination test) before the first scheduled run.\n");
		});
	}));
}
// src/main/cli/program.ts
/** Every command of `vaultdesk`, without running one: main.ts parses the command line with it. */
function buildProgram() {
	const program = new Command("vaultdesk").description("Database backups a DBA can trust.").version(VERSION).option("--data-dir <dir>", "configuration folder (default: VAULTDESK_DATA_DIR or the OS app-data folder)").option("--master-key-file <file>", "master key file, for hosts without an OS keychain (or set VAULTDESK_MASTER_KEY)").option("--verbose", "log debug messages to stderr, as JSON lines").addOption(new Option("--log-format <format>", "warnings on stderr as sentences (text) or JSON lines (json)").choices(["text", "json"]).default("text")).showHelpAfterError().exitOverride();
	registerEnvCommands(program);
	registerSourceCommands(program);
	registerDestinationCommands(program);
	registerProfileCommands(program);
	registerJobCommands(program);
	registerBackupCommands(program);
	registerRestoreCommands(program);
	registerRetentionCommands(program);
	registerDecryptCommand(program);
	registerKitCommands(program);
	registerKeyCommands(program);
	registerSystemCommands(program);
	registerSettingsCommands(program);
	registerScheduleCommands(program);
	registerDaemonCommand(program);
	registerNotifyCommands(program);
	registerQuickstartCommand(program);
	registerServeCommand(program);
	return program;
}
// src/main/cli/main.ts
for (const stream of [process.stdout, process.stderr]) stream.on("error", (error) => {
	if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
	throw error;
});
try {
	await buildProgram().parseAsync(process.argv);
} catch (error) {
	if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
	else if (error instanceof AppError) reportError(error, process.argv.includes("--json"));
	else throw error;
}
export {};
