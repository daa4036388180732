import { t as AppError } from "./result-9C-V9fjg.js";
import { a as normalizeRecipients, c as CHUNK_SIZE, d as derivePayloadKey, f as selectChunkCipher, i as checkScryptWorkFactor, l as SEALED_CHUNK_SIZE, n as SCRYPT_LABEL, r as base64NoPad, s as scryptAsync, u as StreamNonce } from "./age-keys-D2ex8Gsc.js";
import { createHmac, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from "node:crypto";
import { Transform } from "node:stream";
import { bech32 } from "@scure/base";
// src/main/core/pipeline/age-seal.ts
var FILE_KEY_SIZE = 16;
var X25519_LABEL = "age-encryption.org/v1/X25519";
/** Stanza bodies are sealed once under a key of their own: the nonce is all zero (age spec). */
var ZERO_NONCE = Buffer.alloc(12);
/**
* A new file key and the age v1 header that wraps it (C2SP age spec, "Header"), written here with
* node:crypto. age-encryption's module, with the curves and post-quantum code it carries, takes
* a fresh pipeline worker longer to load, and its first X25519 in JavaScript longer to run, than
* the dump tool takes to fill its pipe: the tool then waited (README, Performance). The library
* still reads every header (age-header.ts) and writes X25519 stanzas where node:crypto has no
* X25519.
*/
async function sealHeader(target, cipher, x25519 = "auto") {
	if ("passphrase" in target) {
		if (target.passphrase.length === 0) throw new AppError("VALIDATION_FAILED", "The passphrase must not be empty.");
		const logN = checkScryptWorkFactor(target.scryptWorkFactor ?? 18);
		const fileKey = randomBytes(FILE_KEY_SIZE);
		const salt = randomBytes(16);
		const key = await scryptAsync(target.passphrase, Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), logN);
		return {
			header: headerOf([{
				args: [
					"scrypt",
					base64NoPad(salt),
					String(logN)
				],
				body: sealed(cipher, key, fileKey)
			}], fileKey),
			fileKey
		};
	}
	const recipients = normalizeRecipients(target.recipients);
	if (x25519 === "library" || x25519 === "auto" && !nodeHasX25519()) return (await import("./age-header-Y_6Sotoo.js")).sealHeaderWithLibrary(recipients);
	if (!nodeHasX25519()) throw new Error("node:crypto does not offer X25519 in this runtime");
	const keys = recipients.map((recipient) => ({
		recipient,
		key: recipientKey(recipient)
	}));
	const fileKey = randomBytes(FILE_KEY_SIZE);
	return {
		header: headerOf(keys.map(({ recipient, key }) => x25519Stanza(recipient, key, fileKey, cipher)), fileKey),
		fileKey
	};
}
function sealed(cipher, key, fileKey) {
	return Buffer.concat(cipher.seal(key, ZERO_NONCE, fileKey));
}
/** The recipient's 32-byte public key, from its bech32 text (normalizeRecipients checked the shape). */
function recipientKey(recipient) {
	try {
		const { prefix, bytes } = bech32.decodeToBytes(recipient);
		if (prefix === "age" && bytes.length === 32) return Buffer.from(bytes);
	} catch {}
	throw new AppError("VALIDATION_FAILED", `Recipient "${recipient}" is not a valid age recipient: its checksum is wrong (a typo or a truncated copy?).`);
}
/** age's X25519 recipient stanza: an ephemeral share, and the file key sealed under HKDF(shared secret). */
function x25519Stanza(recipient, theirs, fileKey, cipher) {
	const ephemeral = generateKeyPairSync("x25519");
	const share = rawPublicKey(ephemeral.publicKey);
	let secret = null;
	try {
		secret = diffieHellman({
			privateKey: ephemeral.privateKey,
			publicKey: publicKeyOf(theirs)
		});
	} catch {}
	if (secret === null || secret.every((byte) => byte === 0)) throw new AppError("VALIDATION_FAILED", `Recipient "${recipient}" is not a usable X25519 public key (a low-order point): nobody could decrypt a file encrypted to it.`);
	const wrapKey = Buffer.from(hkdfSync("sha256", secret, Buffer.concat([share, theirs]), X25519_LABEL, 32));
	return {
		args: ["X25519", base64NoPad(share)],
		body: sealed(cipher, wrapKey, fileKey)
	};
}
function publicKeyOf(raw) {
	return createPublicKey({
		key: {
			kty: "OKP",
			crv: "X25519",
			x: raw.toString("base64url")
		},
		format: "jwk"
	});
}
function rawPublicKey(key) {
	return Buffer.from(key.export({ format: "jwk" }).x, "base64url");
}
/**
* The header's text: the version line, each stanza (`-> args`, then its body in unpadded base64
* wrapped at 64 columns, the last line always shorter), and the MAC line: HMAC-SHA256 under
* HKDF(file key, info "header") of everything up to and including "---".
*/
function headerOf(stanzas, fileKey) {
	let text = "age-encryption.org/v1\n";
	for (const stanza of stanzas) {
		const body = base64NoPad(stanza.body);
		const lines = [];
		for (let at = 0; at <= body.length; at += 64) lines.push(body.slice(at, at + 64));
		text += `-> ${stanza.args.join(" ")}\n${lines.join("\n")}\n`;
	}
	text += "---";
	const macKey = Buffer.from(hkdfSync("sha256", fileKey, Buffer.alloc(0), "header", 32));
	const mac = createHmac("sha256", macKey).update(text, "latin1").digest();
	return Buffer.from(`${text} ${base64NoPad(mac)}\n`, "latin1");
}
var x25519Available;
/** Electron's BoringSSL, or an OpenSSL built without it, may lack what this needs: the library then writes the stanzas. */
function nodeHasX25519() {
	if (x25519Available === void 0) try {
		const [a, b] = [generateKeyPairSync("x25519"), generateKeyPairSync("x25519")];
		x25519Available = diffieHellman({
			privateKey: a.privateKey,
			publicKey: publicKeyOf(rawPublicKey(b.publicKey))
		}).length === 32;
	} catch {
		x25519Available = false;
	}
	return x25519Available;
}
// src/main/core/pipeline/age-encrypt-stream.ts
/** Enough buffering for a couple of sealed chunks each side, so the cipher never waits on I/O. */
var HIGH_WATER_MARK = 2 * SEALED_CHUNK_SIZE;
function asAppError(error, code) {
	if (error instanceof AppError) return error;
	return new AppError(code, `${code === "ENCRYPT_FAILED" ? "Encryption" : "Decryption"} failed: ${error instanceof Error ? error.message : String(error)}`);
}
/**
* Plaintext in, a complete age v1 file out (header, payload nonce, STREAM chunks). Holds at
* most one 64 KiB chunk: a full chunk is sealed as non-final only once more input arrives,
* so an input that ends on a chunk boundary ends with a full final chunk, as the spec requires.
*/
var AgeEncryptTransform = class extends Transform {
	#cipher;
	#key;
	#nonce = new StreamNonce();
	#staging = Buffer.allocUnsafe(CHUNK_SIZE);
	#used = 0;
	#preamble;
	constructor(header, payloadNonce, key, cipher) {
		super({
			readableHighWaterMark: HIGH_WATER_MARK,
			writableHighWaterMark: HIGH_WATER_MARK
		});
		this.#preamble = Buffer.concat([header, payloadNonce]);
		this.#key = key;
		this.#cipher = cipher;
	}
	/** Sealed chunks (and the preamble) of the current write, pushed as one buffer by #release. */
	#out = [];
	#outBytes = 0;
	#add(part) {
		this.#out.push(part);
		this.#outBytes += part.length;
	}
	#seal(plaintext, last) {
		for (const part of this.#cipher.seal(this.#key, this.#nonce.setLast(last), plaintext)) this.#add(part);
		this.#nonce.advance();
	}
	#pushPreamble() {
		if (this.#preamble === null) return;
		this.#add(this.#preamble);
		this.#preamble = null;
	}
	/**
	* One push per write rather than two per 64 KiB chunk (body and tag): every push is a trip
	* through each later stage and, at a file, a write of its own when the writer is idle.
	*/
	#release() {
		if (this.#out.length === 0) return;
		this.push(this.#out.length === 1 ? this.#out[0] : Buffer.concat(this.#out, this.#outBytes));
		this.#out = [];
		this.#outBytes = 0;
	}
	_transform(chunk, _encoding, callback) {
		try {
			this.#pushPreamble();
			let offset = 0;
			while (offset < chunk.length) {
				if (this.#used === 65536) {
					this.#seal(this.#staging, false);
					this.#used = 0;
				}
				if (this.#used === 0 && chunk.length - offset > 65536) {
					this.#seal(chunk.subarray(offset, offset + CHUNK_SIZE), false);
					offset += CHUNK_SIZE;
					continue;
				}
				const n = Math.min(CHUNK_SIZE - this.#used, chunk.length - offset);
				chunk.copy(this.#staging, this.#used, offset, offset + n);
				this.#used += n;
				offset += n;
			}
			this.#release();
			callback();
		} catch (error) {
			callback(asAppError(error, "ENCRYPT_FAILED"));
		}
	}
	_flush(callback) {
		try {
			this.#pushPreamble();
			this.#seal(this.#staging.subarray(0, this.#used), true);
			this.#release();
			callback();
		} catch (error) {
			callback(asAppError(error, "ENCRYPT_FAILED"));
		}
	}
};
/**
* A Transform that encrypts to X25519 recipients (one or more `age1...`) or to one passphrase
* (scrypt, alone as the spec requires). Async because wrapping the file key is. Errors are
* AppError: VALIDATION_FAILED for bad recipients or passphrase, ENCRYPT_FAILED otherwise.
*/
async function createAgeEncryptStream(target, options = {}) {
	const cipher = selectChunkCipher(options.payloadCipher);
	const { header, fileKey } = await sealHeader(target, cipher, options.x25519);
	const payloadNonce = randomBytes(16);
	return new AgeEncryptTransform(header, payloadNonce, derivePayloadKey(fileKey, payloadNonce), cipher);
}
export { asAppError as n, createAgeEncryptStream as r, HIGH_WATER_MARK as t };
