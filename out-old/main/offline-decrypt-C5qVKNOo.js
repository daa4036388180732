import { t as AppError } from "./result-9C-V9fjg.js";
import { a as findHeaderEnd, o as headerOpener, t as AGE_MAGIC } from "./age-header-BcK9wPf-.js";
import { n as MANIFEST_SUFFIX, o as recipientFingerprint } from "./manifest-DCk0zh61.js";
import { t as findSevenZip } from "./seven-zip-tool-QevYVTu1.js";
import { a as refuseExisting, i as placeNewOrRefuse, o as ensureFolder } from "./place-new-BwBVQRdf.js";
import { i as fsAppError } from "./fs-errors-QegibJ8D.js";
import { o as parseIdentityFile } from "./age-keys-D2ex8Gsc.js";
import { t as createAgeDecryptStream } from "./age-stream-C-V3jTUu.js";
import { n as createDecompressStream } from "./compress-BBuJE7Cp.js";
import { t as extractSevenZip } from "./seven-zip-extract-IaBoWdN4.js";
import { n as resolveKeyFiles } from "./decrypt-keys-lJIpFMsR.js";
import path from "node:path";
import { rm } from "node:fs/promises";
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline as pipeline$1 } from "node:stream/promises";
// src/main/core/recovery/decrypt-file.ts
/** `.dump.zst.age` -> zstd; the name is all there is when no manifest is at hand. */
function compressionFromName(file) {
	const name = file.replace(/\.age$/, "");
	if (name.endsWith(".zst")) return "zstd";
	if (name.endsWith(".gz")) return "gzip";
	return "none";
}
var Sha256Meter = class extends Transform {
	onProgress;
	hash = createHash("sha256");
	bytes = 0;
	constructor(onProgress) {
		super();
		this.onProgress = onProgress;
	}
	_transform(chunk, _e, cb) {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		this.onProgress?.(this.bytes);
		cb(null, chunk);
	}
};
/**
* Where the output is written until it is complete: a hidden name of its own in the output's
* folder (so the rename is atomic), never a name a user's file may already have.
*/
function partialName(outPath) {
	return path.join(path.dirname(outPath), `.${path.basename(outPath)}.${randomBytes(6).toString("hex")}.vaultdesk-partial`);
}
/**
* Decrypts (and decompresses) a downloaded backup with no data dir: what a DBA runs when the
* app or its configuration is gone. If the manifest is beside the file, the stored bytes are
* checked against its sha256 too; a mismatch fails and the output is not kept. Written to a
* partial name and renamed only once every byte authenticated, decompressed and was written.
*/
async function decryptBackupFile(file, output, options) {
	if (!existsSync(file)) throw new AppError("OBJECT_NOT_FOUND", `${file} does not exist.`);
	const manifest = options.manifest === void 0 ? readManifestBeside(file) : options.manifest;
	const sevenZip = "sevenZip" in options.keys ? options.keys.sevenZip : null;
	const compression = sevenZip ? "none" : manifest?.compression?.algorithm ?? compressionFromName(file);
	if (sevenZip && manifest) await checkWholeFile(file, manifest);
	const meter = new Sha256Meter(options.onProgress);
	let out = 0;
	const counter = new Transform({ transform(chunk, _e, cb) {
		out += chunk.length;
		cb(null, chunk);
	} });
	const outPath = "path" in output ? output.path : null;
	const target = outPath === null ? null : partialName(outPath);
	const writeFailure = (error) => fsAppError(error, "FILE_WRITE_FAILED", `Could not write ${outPath}`, {
		path: outPath,
		device: path.dirname(outPath)
	});
	if (outPath !== null) refuseExisting(outPath, "decrypted");
	if (outPath !== null) await ensureFolder(path.dirname(outPath)).catch((error) => Promise.reject(writeFailure(error)));
	let first = null;
	const watch = (stream, side) => stream.once("error", (error) => first ??= {
		side,
		error
	});
	let head;
	if ("sevenZip" in options.keys) head = [watch(await extractSevenZip(file, options.keys.sevenZip), "decrypt")];
	else {
		const keys = "passphrase" in options.keys ? { passphrase: options.keys.passphrase } : { identities: options.keys.identityText.flatMap((t) => parseIdentityFile(t)) };
		const decrypt = createAgeDecryptStream(keys);
		head = [
			watch(createReadStream(file), "read"),
			meter,
			watch(decrypt, "decrypt")
		];
	}
	const stages = [...options.decompress ? [createDecompressStream(compression)] : [], counter].map((stage) => watch(stage, "decrypt"));
	const sink = target ? watch(createWriteStream(target, {
		mode: 384,
		flags: "wx"
	}), "write") : output.stream;
	try {
		await pipeline$1([
			...head,
			...stages,
			sink
		], { signal: options.signal });
		let verified = sevenZip !== null && manifest !== null;
		if (!sevenZip && manifest) {
			const digest = meter.hash.digest("hex");
			if (manifest.object.sha256 !== digest) throw integrityFailed(file, digest, manifest.object.sha256);
			verified = true;
		}
		if (target && outPath !== null) placeNewOrRefuse(target, outPath, "decrypted", writeFailure);
		return {
			bytesIn: sevenZip ? statSync(file).size : meter.bytes,
			bytesOut: out,
			verifiedAgainstManifest: verified,
			compression
		};
	} catch (error) {
		if (target) await rm(target, { force: true }).catch(() => void 0);
		if (options.signal?.aborted) throw new AppError("CANCELLED", outPath === null ? "The decryption was cancelled." : `The decryption was cancelled; nothing was written at ${outPath}.`);
		const failed = first;
		if (failed?.side === "write" && target) throw writeFailure(failed.error);
		if (failed?.side === "read" && !(failed.error instanceof AppError)) throw fsAppError(failed.error, "DECRYPT_FAILED", `Could not read ${file}`, { path: file });
		throw error;
	}
}
function integrityFailed(file, digest, expected) {
	return new AppError("INTEGRITY_FAILED", `${file} does not match its manifest: sha256 ${digest}, expected ${expected}. The file was changed or damaged after it was stored.`, { reason: "manifest-mismatch" });
}
/** A 7-Zip archive is hashed in a pass of its own before 7-Zip reads it: 7-Zip is handed the file, not a stream. */
async function checkWholeFile(file, manifest) {
	const hash = createHash("sha256");
	try {
		for await (const chunk of createReadStream(file)) hash.update(chunk);
	} catch (error) {
		throw fsAppError(error, "DECRYPT_FAILED", `Could not read ${file}`, { path: file });
	}
	const digest = hash.digest("hex");
	if (digest !== manifest.object.sha256) throw integrityFailed(file, digest, manifest.object.sha256);
}
/** The manifest beside a backup, or null; one that cannot be read or is damaged is said so, not decrypted around. */
function readManifestBeside(file) {
	const manifestFile = `${file}${MANIFEST_SUFFIX}`;
	if (!existsSync(manifestFile)) return null;
	let text;
	try {
		text = readFileSync(manifestFile, "utf8");
	} catch (error) {
		throw fsAppError(error, "INTEGRITY_FAILED", `Could not read the manifest beside the backup`, { path: manifestFile });
	}
	let manifest;
	try {
		manifest = JSON.parse(text);
	} catch {
		manifest = null;
	}
	if (!manifest || typeof manifest.object?.sha256 !== "string") throw new AppError("INTEGRITY_FAILED", `The manifest beside the backup, ${manifestFile}, is damaged (it is not a Vaultdesk manifest), so the backup's checksum cannot be checked. Move it away to decrypt without that check.`, {
		path: manifestFile,
		reason: "manifest-damaged"
	});
	return manifest;
}
// src/main/core/recovery/offline-decrypt.ts
var SEVEN_ZIP_MAGIC = Buffer.from([
	55,
	122,
	188,
	175,
	39,
	28
]);
/** The kind of a failure `decryptOffline` threw, or null for the others (a missing file, a full disk, bad input). */
function decryptFailureKind(error) {
	const failure = error instanceof AppError ? error.details?.failure : void 0;
	return typeof failure === "string" ? failure : null;
}
function classified(error, failure, message = error.message) {
	return new AppError(error.code, message, {
		...error.details,
		failure
	});
}
/**
* `vaultdesk decrypt`: a backup file opened with what a DBA has when Vaultdesk is gone (an
* identity file, a wrapped identity, a recovery kit, or a passphrase), with no data dir and no
* keychain. The output is written only once the whole file authenticated and decompressed;
* every failure of the file or the keys carries a DecryptFailureKind and leaves no output.
*/
async function decryptOffline(request) {
	const { file } = request;
	const start = fileStart(file);
	const manifest = readManifestBeside(file);
	if (start.subarray(0, SEVEN_ZIP_MAGIC.length).equals(SEVEN_ZIP_MAGIC)) return decryptSevenZip(request, manifest);
	let keys;
	let resolved = null;
	if (request.keyFiles.length === 0) {
		if (request.passphrase === void 0) throw new AppError("VALIDATION_FAILED", "Give an identity file or recovery kit (-i FILE), or the passphrase the file was encrypted to.", { field: "identity" });
		keys = { passphrase: request.passphrase };
	} else {
		const wanted = manifest?.encryption?.kind === "age" && Array.isArray(manifest.encryption.recipients) ? manifest.encryption.recipients.map((r) => recipientFingerprintOf(r)) : null;
		try {
			resolved = await resolveKeyFiles(request.keyFiles, request.passphrase, wanted);
		} catch (error) {
			if (error instanceof AppError && error.details?.reason === "kit-passphrase") throw classified(error, "kit-passphrase");
			if (error instanceof AppError && error.details?.reason === "kit-no-match") throw classified(error, "kit-no-match");
			throw error;
		}
		const opener = resolved.identities.length > 1 ? await identityThatOpens(file, resolved.identities) : null;
		if (opener) resolved = { identities: [opener] };
		keys = { identityText: resolved.identities.map((i) => i.text) };
	}
	try {
		return {
			...await decryptBackupFile(file, request.output, {
				keys,
				decompress: request.decompress,
				manifest,
				onProgress: request.onProgress,
				signal: request.signal
			}),
			openedWith: resolved ? openedWith(resolved) : "the passphrase",
			format: "age"
		};
	} catch (error) {
		throw classify(error, file, resolved, manifest);
	}
}
/** The first bytes, to tell a 7-Zip archive from an age file; a file that cannot be opened is said so here. */
function fileStart(file) {
	let fd;
	try {
		fd = openSync(file, "r");
	} catch (error) {
		const code = error.code;
		if (code === "ENOENT") throw new AppError("OBJECT_NOT_FOUND", `${file} does not exist.`, { path: file });
		if (code === "EISDIR") throw new AppError("VALIDATION_FAILED", `${file} is a folder, not a backup file.`, {
			path: file,
			field: "file"
		});
		throw new AppError("DECRYPT_FAILED", `Could not read ${file}: ${error.message}.`, { path: file });
	}
	try {
		const buffer = Buffer.alloc(AGE_MAGIC.length);
		const n = readSync(fd, buffer, 0, buffer.length, 0);
		return buffer.subarray(0, n);
	} catch (error) {
		if (error.code === "EISDIR") throw new AppError("VALIDATION_FAILED", `${file} is a folder, not a backup file.`, {
			path: file,
			field: "file"
		});
		throw new AppError("DECRYPT_FAILED", `Could not read ${file}: ${error.message}.`, { path: file });
	} finally {
		closeSync(fd);
	}
}
/**
* Of several identities (a whole kit, without a manifest to narrow it), the one whose stanza the
* header opens, so the output can say which profile it was. Opening a header is cheap once the
* identities are unwrapped. Null when none does or the header cannot be read: the decryption
* itself then fails in words.
*/
async function identityThatOpens(file, identities) {
	let head;
	try {
		const fd = openSync(file, "r");
		try {
			const buffer = Buffer.alloc(65536);
			head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
		} finally {
			closeSync(fd);
		}
	} catch {
		return null;
	}
	const end = findHeaderEnd(head);
	if (end < 0) return null;
	for (const identity of identities) try {
		await headerOpener({ identities: [identity.text] }).open(head.subarray(0, end));
		return identity;
	} catch {}
	return null;
}
/** A manifest is read from storage nobody vouches for: a recipient entry that is not one is skipped. */
function recipientFingerprintOf(entry) {
	const r = entry;
	if (r && typeof r.fingerprint === "string") return r.fingerprint;
	if (r && typeof r.recipient === "string") return recipientFingerprint(r.recipient);
	return "";
}
function openedWith(resolved) {
	const used = resolved.identities;
	if (used.length === 1) return used[0].origin;
	return `one of ${used.length} identities (${used.map((u) => u.origin).join("; ")})`;
}
function classify(error, file, resolved, manifest) {
	if (!(error instanceof AppError)) return error;
	if (error.code === "INTEGRITY_FAILED" && error.details?.reason === "manifest-mismatch") return classified(error, "tampered");
	if (error.code !== "DECRYPT_FAILED") return error;
	switch (error.details?.reason) {
		case "not-age":
		case "armored": return classified(error, "not-age", `${file}: ${error.message}`);
		case "truncated": return endDamaged(error, file, manifest);
		case "malformed-header":
		case "header-mac":
		case "modified":
		case "appended": return classified(error, "tampered", `${file}: ${error.message}`);
		case "no-match": return noMatch(error, file, resolved);
		default: return error;
	}
}
/**
* A last chunk that does not authenticate reads the same whether the file was cut short or its
* end was modified. The manifest's size tells them apart when it is beside the file.
*/
function endDamaged(error, file, manifest) {
	const expected = manifest?.object?.size;
	let size = null;
	try {
		size = statSync(file).size;
	} catch {}
	if (typeof expected !== "number" || size === null) return classified(error, "truncated", `${file}: ${error.message}`);
	if (size < expected) return classified(error, "truncated", `${file} is truncated: it has ${size} of the ${expected} bytes its manifest gives. Use a complete copy of this backup.`);
	if (size === expected) return classified(error, "tampered", `${file} was modified: it has the size its manifest gives, but its last chunk does not authenticate. Use another copy of this backup.`);
	return classified(error, "tampered", `${file} was modified: it has ${size} bytes, more than the ${expected} its manifest gives. Use another copy of this backup.`);
}
/** "Nothing opened it", said for what was tried: a kit's profiles, identity files, or a passphrase. */
function noMatch(error, file, resolved) {
	if (resolved === null || error.details?.passphraseFile === true) return classified(error, "wrong-key", `${file}: ${error.message}`);
	const n = typeof error.details?.recipients === "number" ? error.details.recipients : 0;
	const to = `it was encrypted to ${n} recipient${n === 1 ? "" : "s"}`;
	if (resolved.identities.every((i) => i.kit !== null)) {
		const kits = [...new Set(resolved.identities.map((i) => i.kit))];
		const profiles = resolved.identities.map((i) => JSON.stringify(i.profile)).join(", ");
		return classified(error, "kit-no-match", `No identity in the recovery kit${kits.length === 1 ? ` ${kits[0]}` : `s ${kits.join(", ")}`} opens ${file} (tried profile${resolved.identities.length === 1 ? "" : "s"} ${profiles}; ${to}). It was made with a profile this kit does not hold: use a kit or identity file of that profile.`);
	}
	return classified(error, "wrong-key", `Wrong key: none of the identities given (${resolved.identities.map((i) => i.origin).join("; ")}) opens ${file}; ${to}. Use the identity of the profile that made the backup.`);
}
async function decryptSevenZip(request, manifest) {
	if (request.keyFiles.length > 0) throw new AppError("VALIDATION_FAILED", `${request.file} is a 7-Zip archive: it opens with its profile's passphrase, not with an age identity or a recovery kit. Give the passphrase alone.`, { field: "identity" });
	if (request.passphrase === void 0) throw new AppError("VALIDATION_FAILED", `${request.file} is a 7-Zip archive: give the passphrase of the 7-Zip profile that made it.`, { field: "passphrase" });
	const tool = await findSevenZip(request.toolEnv, request.sevenZipPath, request.sevenZipSetting);
	try {
		return {
			...await decryptBackupFile(request.file, request.output, {
				keys: { sevenZip: {
					tool,
					passphrase: request.passphrase
				} },
				decompress: false,
				manifest,
				signal: request.signal
			}),
			openedWith: "the 7-Zip passphrase",
			format: "7z"
		};
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		if (error.code === "INTEGRITY_FAILED" && error.details?.reason === "manifest-mismatch") {
			const expected = manifest?.object?.size;
			const size = statSync(request.file).size;
			if (typeof expected === "number" && size < expected) return Promise.reject(classified(error, "truncated", `${request.file} is truncated: it has ${size} of the ${expected} bytes its manifest gives. Use a complete copy of this backup.`));
		}
		if (error.code === "INTEGRITY_FAILED") return Promise.reject(classified(error, "tampered"));
		if (error.code === "DECRYPT_FAILED" && /wrong passphrase/i.test(error.message)) return Promise.reject(classified(error, "wrong-key"));
		if (error.code === "DECRYPT_FAILED" && /Unexpected end of archive/i.test(error.message)) return Promise.reject(classified(error, "truncated", `${request.file} is truncated: 7-Zip finds the archive cut short ("Unexpected end of archive"). Use a complete copy of this backup.`));
		throw error;
	}
}
export { decryptFailureKind, decryptOffline };
