import { t as AppError } from "./result-9C-V9fjg.js";
import { f as selectChunkCipher, o as parseIdentityFile, t as NodeScryptIdentity } from "./age-keys-D2ex8Gsc.js";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { Decrypter, Encrypter } from "age-encryption";
// src/main/core/pipeline/age-header.ts
var AGE_MAGIC = Buffer.from("age-encryption.org/v1\n");
var ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
/** Far above any real header (a post-quantum stanza is ~1.6 KB); stops a non-age input early. */
var MAX_HEADER_SIZE = 1048576;
var MAC_LINE = Buffer.from("\n---");
function decryptFailed(reason, message, more = {}) {
	return new AppError("DECRYPT_FAILED", message, {
		reason,
		...more
	});
}
/**
* The header for X25519 recipients with age-encryption's Encrypter (its stanzas, encoding and
* MAC), where node:crypto has no X25519 (age-seal.ts writes it otherwise). The file key is read
* through the public Recipient interface by a recipient that adds no stanza; the Encrypter's own
* payload (an empty file) is dropped, since ours is streamed by the chunk cipher.
*/
async function sealHeaderWithLibrary(recipients) {
	const encrypter = new Encrypter();
	for (const recipient of recipients) try {
		encrypter.addRecipient(recipient);
	} catch {
		throw new AppError("VALIDATION_FAILED", `Recipient "${recipient}" is not a valid age recipient: its checksum is wrong (a typo or a truncated copy?).`);
	}
	let fileKey = null;
	encrypter.addRecipient({ wrapFileKey(key) {
		fileKey = Buffer.from(key);
		return [];
	} });
	const sample = Buffer.from(await encrypter.encrypt(/* @__PURE__ */ new Uint8Array(0)));
	const end = findHeaderEnd(sample);
	if (fileKey === null || end < 0 || sample.length !== end + 16 + 16 || !macMatches(sample.subarray(0, end), fileKey)) throw new AppError("ENCRYPT_FAILED", "The age library produced an unexpected header; refusing to encrypt with it.");
	return {
		header: sample.subarray(0, end),
		fileKey
	};
}
/** header MAC = HMAC-SHA256(HKDF-SHA256(file key, salt = empty, info = "header"), header up to "---"). */
function macMatches(header, fileKey) {
	const macLine = header.lastIndexOf(MAC_LINE) + 1;
	const hmacKey = Buffer.from(hkdfSync("sha256", fileKey, Buffer.alloc(0), "header", 32));
	const mac = createHmac("sha256", hmacKey).update(header.subarray(0, macLine + 3)).digest();
	const written = Buffer.from(header.toString("latin1", macLine + 4, header.length - 1), "base64");
	return written.length === mac.length && timingSafeEqual(written, mac);
}
/** Index just past the header's MAC line (`--- ...\n`), or -1 when it is not complete yet. */
function findHeaderEnd(buffer) {
	const mac = buffer.indexOf(MAC_LINE);
	if (mac < 0) return -1;
	const newline = buffer.indexOf(10, mac + MAC_LINE.length);
	return newline < 0 ? -1 : newline + 1;
}
/** Bytes enough to tell an armored or foreign file from a binary age file. */
var SNIFF_SIZE = 80;
/**
* Fails fast on input that cannot be an age v1 binary file, from its first bytes. With fewer
* than SNIFF_SIZE bytes and more to come it waits. True once the whole magic line is there.
*/
function checkMagic(start, complete) {
	const n = Math.min(start.length, AGE_MAGIC.length);
	if (start.subarray(0, n).equals(AGE_MAGIC.subarray(0, n))) return n === AGE_MAGIC.length;
	if (!complete && start.length < SNIFF_SIZE) return false;
	const text = start.subarray(0, SNIFF_SIZE).toString("latin1");
	if (text.trimStart().startsWith(ARMOR_BEGIN)) throw decryptFailed("armored", "This is an ASCII-armored (PEM) age file. Vaultdesk reads binary age files only: convert it with `age -d` or re-encrypt without `-a`.");
	if (text.startsWith("age-encryption.org/")) throw decryptFailed("not-age", "This age file uses a format version other than v1, which is not supported.");
	throw decryptFailed("not-age", "This is not an age encrypted file (it does not start with \"age-encryption.org/v1\").");
}
/**
* A Decrypter with the caller's keys between two probes that never match: the first sees the
* parsed stanzas, the last is reached only when no real identity matched. That tells "wrong key"
* from "damaged header" without parsing error strings.
*/
function keyedDecrypter(keys, probe) {
	const decrypter = new Decrypter();
	const first = { unwrapFileKey(stanzas) {
		probe.parsed = true;
		probe.types = stanzas.map((s) => s.args[0] ?? "");
		if (probe.types.includes("scrypt") && stanzas.length !== 1) throw decryptFailed("malformed-header", "The age header mixes a passphrase (scrypt) stanza with other recipients, which age forbids.");
		return null;
	} };
	const last = { unwrapFileKey() {
		probe.noMatch = true;
		return null;
	} };
	decrypter.addIdentity(first);
	if ("passphrase" in keys) {
		if (keys.passphrase.length === 0) throw new AppError("VALIDATION_FAILED", "The passphrase must not be empty.");
		decrypter.addIdentity(new NodeScryptIdentity(keys.passphrase, selectChunkCipher()));
	} else {
		const identities = keys.identities.flatMap((text) => parseIdentityFile(text));
		if (identities.length === 0) throw new AppError("VALIDATION_FAILED", "Decryption needs at least one age identity (AGE-SECRET-KEY-1...).");
		for (const [index, identity] of identities.entries()) try {
			decrypter.addIdentity(identity);
		} catch {
			throw new AppError("VALIDATION_FAILED", `Identity ${index + 1} is not a valid age secret key (its checksum or length is wrong).`);
		}
	}
	decrypter.addIdentity(last);
	return decrypter;
}
/** Validates the keys now (so bad input fails before any byte flows) and opens a header later. */
function headerOpener(keys) {
	const probe = {
		parsed: false,
		noMatch: false,
		types: []
	};
	const decrypter = keyedDecrypter(keys, probe);
	return { async open(header) {
		checkMacLine(header);
		try {
			return Buffer.from(await decrypter.decryptHeader(header));
		} catch (error) {
			throw describeHeaderFailure(error, probe, "passphrase" in keys);
		}
	} };
}
/** The MAC is 32 bytes in canonical unpadded base64; age-encryption accepts other lengths as a plain mismatch. */
var MAC_LINE_SYNTAX = /^--- [A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/;
function checkMacLine(header) {
	const line = header.subarray(header.lastIndexOf(10, header.length - 2) + 1, header.length - 1).toString("latin1");
	if (!MAC_LINE_SYNTAX.test(line)) throw decryptFailed("malformed-header", "The age header is damaged: its MAC line is malformed.");
}
function describeHeaderFailure(error, probe, byPassphrase) {
	if (error instanceof AppError) return error;
	const detail = error instanceof Error ? error.message : String(error);
	if (!probe.parsed) return decryptFailed("malformed-header", `The age header is damaged or invalid (${detail}).`);
	if (probe.noMatch) {
		const scrypt = probe.types.includes("scrypt");
		const n = probe.types.length;
		const to = {
			passphraseFile: scrypt,
			recipients: scrypt ? 0 : n
		};
		if (byPassphrase) return scrypt ? decryptFailed("no-match", "Wrong passphrase: it does not open this file.", to) : decryptFailed("no-match", "This file was encrypted to age keys, not to a passphrase: decrypt it with an identity.", to);
		if (scrypt) return decryptFailed("no-match", "This file is protected by a passphrase, not by an age key: decrypt it with the passphrase.", to);
		return decryptFailed("no-match", `Wrong identity: none of the given identities can open this file (it was encrypted to ${n} recipient${n === 1 ? "" : "s"}).`, to);
	}
	if (detail === "invalid header HMAC") return decryptFailed("header-mac", "The file header was modified (its MAC does not match): the file is damaged or was tampered with.");
	return decryptFailed("malformed-header", `The age header has an invalid recipient stanza (${detail}).`);
}
export { findHeaderEnd as a, decryptFailed as i, MAX_HEADER_SIZE as n, headerOpener as o, checkMagic as r, sealHeaderWithLibrary as s, AGE_MAGIC as t };
