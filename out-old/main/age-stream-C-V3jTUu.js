import { a as findHeaderEnd, i as decryptFailed, o as headerOpener, r as checkMagic } from "./age-header-BcK9wPf-.js";
import { n as asAppError, t as HIGH_WATER_MARK } from "./age-encrypt-stream-CzwatCTS.js";
import { d as derivePayloadKey, f as selectChunkCipher, l as SEALED_CHUNK_SIZE, u as StreamNonce } from "./age-keys-D2ex8Gsc.js";
import { Transform } from "node:stream";
// src/main/core/pipeline/age-stream.ts
/**
* An age v1 file in, plaintext out. Only authenticated chunks are pushed, and at most one
* sealed chunk is buffered. A stream that ends without an authenticated final chunk errors,
* so a consumer must treat an error as "everything released so far is incomplete".
*/
var AgeDecryptTransform = class extends Transform {
	#opener;
	#cipher;
	#nonce = new StreamNonce();
	#staging = Buffer.allocUnsafe(SEALED_CHUNK_SIZE);
	#phase = "header";
	#preamble = Buffer.alloc(0);
	#fileKey = null;
	#key = null;
	#used = 0;
	/** A chunk flagged final was released: nothing may follow it. */
	#done = false;
	constructor(opener, cipher) {
		super({
			readableHighWaterMark: HIGH_WATER_MARK,
			writableHighWaterMark: HIGH_WATER_MARK
		});
		this.#opener = opener;
		this.#cipher = cipher;
	}
	_transform(chunk, _encoding, callback) {
		if (this.#phase === "payload") {
			try {
				this.#consumePayload(chunk);
				callback();
			} catch (error) {
				callback(asAppError(error, "DECRYPT_FAILED"));
			}
			return;
		}
		this.#consumePreamble(chunk).then(() => callback(), (error) => callback(asAppError(error, "DECRYPT_FAILED")));
	}
	async #consumePreamble(chunk) {
		this.#preamble = this.#preamble.length === 0 ? chunk : Buffer.concat([this.#preamble, chunk]);
		if (this.#phase === "header") {
			if (!checkMagic(this.#preamble, false)) return;
			const end = findHeaderEnd(this.#preamble);
			if (end < 0) {
				if (this.#preamble.length > 1048576) throw decryptFailed("malformed-header", "The age header is damaged: no end of header in the first 1 MiB.");
				return;
			}
			this.#fileKey = await this.#opener.open(this.#preamble.subarray(0, end));
			this.#preamble = this.#preamble.subarray(end);
			this.#phase = "nonce";
		}
		if (this.#preamble.length < 16 || this.#fileKey === null) return;
		this.#key = derivePayloadKey(this.#fileKey, this.#preamble.subarray(0, 16));
		this.#fileKey = null;
		const rest = this.#preamble.subarray(16);
		this.#preamble = Buffer.alloc(0);
		this.#phase = "payload";
		this.#consumePayload(rest);
	}
	#consumePayload(chunk) {
		let offset = 0;
		while (offset < chunk.length) {
			if (this.#done) throw decryptFailed("appended", "The file has data appended after the end of its encrypted payload: it was modified.");
			if (this.#used === 0 && chunk.length - offset >= 65552) {
				this.#openFull(chunk.subarray(offset, offset + SEALED_CHUNK_SIZE));
				offset += SEALED_CHUNK_SIZE;
				continue;
			}
			const n = Math.min(SEALED_CHUNK_SIZE - this.#used, chunk.length - offset);
			chunk.copy(this.#staging, this.#used, offset, offset + n);
			this.#used += n;
			offset += n;
			if (this.#used === 65552) {
				this.#openFull(this.#staging);
				this.#used = 0;
			}
		}
	}
	#open(sealed, last) {
		return this.#cipher.open(this.#key, this.#nonce.setLast(last), sealed);
	}
	/**
	* A full-size chunk is released as soon as it authenticates, as age does: as a middle chunk,
	* or else as a full final chunk, after which any further byte is an error.
	*/
	#openFull(sealed) {
		let plaintext = this.#open(sealed, false);
		if (plaintext === null) {
			plaintext = this.#open(sealed, true);
			if (plaintext === null) throw decryptFailed("modified", `The file was modified (authentication failed at payload chunk ${this.#nonce.counter + 1}).`);
			this.#done = true;
		}
		this.push(plaintext);
		this.#nonce.advance();
	}
	/** At end of input: what is left is a short final chunk, or nothing after a full final one. */
	#finish() {
		if (this.#done) return;
		if (this.#used === 0) throw decryptFailed("truncated", this.#nonce.counter === 0 ? "The file is truncated: it ends before its encrypted payload." : "The file is truncated: its final chunk is missing.");
		const plaintext = this.#used < 16 ? null : this.#open(this.#staging.subarray(0, this.#used), true);
		if (plaintext === null) throw decryptFailed("truncated", "The end of the file is damaged: it was truncated, has data appended, or its last chunk was modified (the final chunk does not authenticate).");
		if (plaintext.length === 0 && this.#nonce.counter > 0) throw decryptFailed("modified", "The file ends with an empty chunk, which age never writes: it was modified.");
		this.push(plaintext);
	}
	_flush(callback) {
		try {
			if (this.#phase === "header") {
				if (this.#preamble.length === 0) throw decryptFailed("truncated", "The file is empty.");
				checkMagic(this.#preamble, true);
				throw decryptFailed("truncated", "The file is truncated: it ends inside the age header.");
			}
			if (this.#phase === "nonce") throw decryptFailed("truncated", "The file is truncated: it ends right after the age header.");
			this.#finish();
			callback();
		} catch (error) {
			callback(asAppError(error, "DECRYPT_FAILED"));
		}
	}
};
/**
* A Transform that decrypts an age v1 binary file with identities (`AGE-SECRET-KEY-1...` or
* identity-file text; hybrid `AGE-SECRET-KEY-PQ-1...` too) or a passphrase. Invalid keys throw
* VALIDATION_FAILED here; every failure of the file itself is emitted as an AppError with code
* DECRYPT_FAILED and `details.reason` (see DecryptFailure). ASCII-armored files are refused.
*/
function createAgeDecryptStream(keys, options = {}) {
	return new AgeDecryptTransform(headerOpener(keys), selectChunkCipher(options.payloadCipher));
}
export { createAgeDecryptStream as t };
