import { t as AppError } from "./result-9C-V9fjg.js";
import { a as refuseExisting, n as placeNew, s as ensureFolderSync } from "./place-new-BwBVQRdf.js";
import { i as fsAppError, n as describeFsError } from "./fs-errors-QegibJ8D.js";
import path from "node:path";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
// src/main/core/keys/key-store.ts
var HOW_TO_PROVIDE_KEY = "Give the master key with --master-key-file FILE or the VAULTDESK_MASTER_KEY environment variable: the base64 of 32 random bytes, which head -c 32 /dev/urandom | base64 prints.";
/** Decodes a base64 master key and insists on 32 bytes, so a truncated paste is caught early. */
function decodeMasterKey(text) {
	const trimmed = text.trim();
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
	const key = Buffer.from(trimmed, "base64");
	return key.length === 32 ? key : null;
}
// src/main/core/keys/env-key.ts
/** A key given by the host's environment (VAULTDESK_MASTER_KEY). Read-only by nature. */
function createEnvKeyStore(value, variable = "VAULTDESK_MASTER_KEY") {
	const key = decodeMasterKey(value);
	if (!key) throw new AppError("MASTER_KEY_UNAVAILABLE", `${variable} must be the base64 encoding of exactly 32 bytes.`);
	const readonly = async () => {
		throw new AppError("KEY_STORE_READONLY", `The master key comes from ${variable}, which Vaultdesk cannot change. Use --master-key-file FILE or the OS keychain to rotate or import keys.`);
	};
	return {
		kind: "env",
		writable: false,
		describe: () => `environment variable ${variable}`,
		load: async () => key,
		save: readonly,
		loadPending: async () => null,
		savePending: readonly,
		clearPending: async () => void 0
	};
}
/**
* Writes the file under a temporary name and renames it, so a crash leaves the old key or the
* new one, and a failed write (a full disk) leaves no half-written copy of the secret. With
* `createFolder`, missing folders above it are made (mode 0700). Fails with FILE_WRITE_FAILED
* saying what went wrong with which path. `noReplace`: a file already at `file` is kept and the
* write fails (EEXIST).
*/
function writeSecretFile(file, content, options = {}) {
	const tmp = `${file}.tmp-${process.pid}`;
	let created = false;
	try {
		if (options.createFolder) ensureFolderSync(path.dirname(file), { mode: 448 });
		const fd = openSync(tmp, "w", 384);
		created = true;
		try {
			writeFileSync(fd, content);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		if (options.noReplace) placeNew(tmp, file);
		else renameSync(tmp, file);
	} catch (error) {
		if (created) try {
			rmSync(tmp, { force: true });
		} catch {}
		throw fsAppError(error, "FILE_WRITE_FAILED", `Could not write ${file}`, {
			path: file,
			device: path.dirname(file)
		});
	}
}
function readKeyFile(file, required) {
	let text;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		if (!required && error.code === "ENOENT") return null;
		throw new AppError("MASTER_KEY_UNAVAILABLE", `Cannot read the master key file ${file}: ${describeFsError(error, { path: file }).words}.`);
	}
	const key = decodeMasterKey(text);
	if (!key) throw new AppError("MASTER_KEY_UNAVAILABLE", `The master key file ${file} must hold the base64 encoding of exactly 32 bytes.`);
	return key;
}
/**
* A key file given with --master-key-file: created on first start if missing, rotated in place.
* With `createFolder`, a missing folder above it is made (mode 0700), as for the key file kept
* beside the data dir.
*/
function createFileKeyStore(file, options = {}) {
	const pending = `${file}.pending`;
	return {
		kind: "file",
		writable: true,
		describe: () => `key file ${file}`,
		load: async () => readKeyFile(file, false),
		save: async (_account, key) => writeSecretFile(file, `${key.toString("base64")}\n`, options),
		loadPending: async () => readKeyFile(pending, false),
		savePending: async (_account, key) => writeSecretFile(pending, `${key.toString("base64")}\n`, options),
		clearPending: async () => rmSync(pending, { force: true })
	};
}
// src/main/core/keys/export-file.ts
/**
* Writes a secret the user asked to export into a file only its owner can read, making missing
* folders (0700). A path that cannot be written is the caller's to fix: the error (in words,
* FILE_WRITE_FAILED) is reported against the `path` field so a form shows it there.
*/
function exportSecretFile(file, content) {
	refuseExisting(file, "written");
	try {
		writeSecretFile(file, content, {
			createFolder: true,
			noReplace: true
		});
	} catch (error) {
		if (error instanceof AppError) throw new AppError(error.code, error.message, {
			...error.details,
			field: "path"
		});
		throw error;
	}
}
export { decodeMasterKey as a, HOW_TO_PROVIDE_KEY as i, createEnvKeyStore as n, createFileKeyStore as r, exportSecretFile as t };
