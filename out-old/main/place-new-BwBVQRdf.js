import { t as AppError } from "./result-9C-V9fjg.js";
import { r as errnoOf, t as FolderNotCreatableError } from "./fs-errors-QegibJ8D.js";
import path from "node:path";
import { link, lstat, mkdir, rename, rm, stat } from "node:fs/promises";
import { existsSync, linkSync, lstatSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
// src/main/core/files/ensure-folder.ts
/**
* `mkdir -p` for paths a user typed, instead of `mkdir(dir, { recursive: true })`: Node's
* recursive mkdir never returns for a path such as /proc/x (mkdir answers ENOENT although
* /proc exists, so it makes the parent and retries, forever, inside a libuv thread that no
* timeout can stop). Here each missing folder, from the nearest existing ancestor down, is
* created once: a folder whose parent exists but which still cannot be made is an error
* (FolderNotCreatableError), and every other failure is the system's error for that folder.
* Errors carry an errno `code`, for describeFsError.
*/
async function ensureFolder(dir, options = {}) {
	const missing = [];
	for (let current = path.resolve(dir);; current = path.dirname(current)) {
		const kind = await kindOf(current);
		if (kind === "folder") break;
		if (kind === "file") throw notAFolder(current);
		missing.unshift(current);
		if (path.dirname(current) === current) throw noRoot(current);
	}
	for (const folder of missing) try {
		await mkdir(folder, { mode: options.mode });
	} catch (error) {
		if (errnoOf(error) === "EEXIST" && await kindOf(folder) === "folder") continue;
		throw creationFailure(error, folder);
	}
}
/** ensureFolder for the few callers that must stay synchronous (host start-up, CLI set-up). */
function ensureFolderSync(dir, options = {}) {
	const missing = [];
	for (let current = path.resolve(dir);; current = path.dirname(current)) {
		const kind = kindOfSync(current);
		if (kind === "folder") break;
		if (kind === "file") throw notAFolder(current);
		missing.unshift(current);
		if (path.dirname(current) === current) throw noRoot(current);
	}
	for (const folder of missing) try {
		mkdirSync(folder, { mode: options.mode });
	} catch (error) {
		if (errnoOf(error) === "EEXIST" && kindOfSync(folder) === "folder") continue;
		throw creationFailure(error, folder);
	}
}
async function kindOf(p) {
	try {
		return (await stat(p)).isDirectory() ? "folder" : "file";
	} catch (error) {
		return missingOrThrow(error);
	}
}
function kindOfSync(p) {
	try {
		return statSync(p).isDirectory() ? "folder" : "file";
	} catch (error) {
		return missingOrThrow(error);
	}
}
function missingOrThrow(error) {
	const code = errnoOf(error);
	if (code === "ENOENT" || code === "ENOTDIR") return "missing";
	throw error;
}
function creationFailure(error, folder) {
	return errnoOf(error) === "ENOENT" ? new FolderNotCreatableError(folder, path.dirname(folder)) : error;
}
function notAFolder(p) {
	return Object.assign(/* @__PURE__ */ new Error(`${p} is not a folder`), {
		code: "ENOTDIR",
		path: p
	});
}
function noRoot(p) {
	return Object.assign(/* @__PURE__ */ new Error(`${p} does not exist`), {
		code: "ENOENT",
		path: p
	});
}
// src/main/core/files/place-new.ts
/** What link() answers on a file system without hard links (FAT, exFAT, some shares). */
var NO_LINKS = [
	"EPERM",
	"ENOTSUP",
	"EOPNOTSUPP",
	"ENOSYS"
];
/**
* What Vaultdesk writes for a person (an export, a decrypted dump, a downloaded backup) never
* replaces a file: a second kit written over the first (for fewer profiles) or a decrypted dump over
* the backup it came from would lose what was there. VALIDATION_FAILED on the `path` field, in the
* words every such refusal has. `done`: what did not happen (`written`, `decrypted`, `downloaded`).
*/
function refuseExisting(file, done) {
	let found;
	try {
		found = lstatSync(file);
	} catch {
		return;
	}
	if (found.isDirectory()) return;
	throw existsRefusal(file, done);
}
/**
* Puts the finished `tmp` at `file` unless something is there (EEXIST): a hard link fails on an
* existing name where a rename would replace it, so a file made there after the caller looked is
* kept too. A file system without links (FAT, exFAT: a USB stick for a recovery kit) gets a look
* first, then the rename.
*/
function placeNew(tmp, file) {
	try {
		linkSync(tmp, file);
		rmSync(tmp, { force: true });
		return;
	} catch (error) {
		const code = error.code ?? "";
		if (code === "EEXIST" && isFolder(file)) throw Object.assign(/* @__PURE__ */ new Error(`${file} is a folder`), { code: "EISDIR" });
		if (!NO_LINKS.includes(code)) throw error;
	}
	if (existsSync(file)) throw Object.assign(/* @__PURE__ */ new Error(`${file} already exists`), { code: "EEXIST" });
	renameSync(tmp, file);
}
/** placeNew with the promise API, for callers that bound each call's time (a destination on a share that may hang). */
async function placeNewAsync(tmp, file) {
	try {
		await link(tmp, file);
		await rm(tmp, { force: true });
		return;
	} catch (error) {
		const code = error.code ?? "";
		if (code === "EEXIST" && await lstat(file).then((s) => s.isDirectory(), () => false)) throw Object.assign(/* @__PURE__ */ new Error(`${file} is a folder`), { code: "EISDIR" });
		if (!NO_LINKS.includes(code)) throw error;
	}
	if (await lstat(file).then(() => true, () => false)) throw Object.assign(/* @__PURE__ */ new Error(`${file} already exists`), { code: "EEXIST" });
	await rename(tmp, file);
}
/**
* placeNew, with a file found at `file` refused in refuseExisting's words and any other failure
* given to `failure` for the caller's words (which file could not be written, on which device).
*/
function placeNewOrRefuse(tmp, file, done, failure) {
	try {
		placeNew(tmp, file);
	} catch (error) {
		if (error.code === "EEXIST") throw existsRefusal(file, done);
		throw failure(error);
	}
}
/** Whether a path as typed ends with a folder separator (`out/`), which path.resolve would drop. */
function namesFolder(given) {
	return /[\\/]$/.test(given);
}
function existsRefusal(file, done) {
	return new AppError("VALIDATION_FAILED", `${file} already exists: choose another path, or remove it first. Nothing was ${done}.`, {
		field: "path",
		path: file
	});
}
function isFolder(file) {
	try {
		return lstatSync(file).isDirectory();
	} catch {
		return false;
	}
}
export { refuseExisting as a, placeNewOrRefuse as i, placeNew as n, ensureFolder as o, placeNewAsync as r, ensureFolderSync as s, namesFolder as t };
