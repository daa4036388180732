import { t as AppError } from "./result-9C-V9fjg.js";
import { createCipheriv, createDecipheriv, getCiphers, hkdfSync, scrypt } from "node:crypto";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
// src/main/core/pipeline/age-payload.ts
/** age v1 STREAM parameters (C2SP age spec, "Payload"). */
var CHUNK_SIZE = 65536;
var SEALED_CHUNK_SIZE = 65552;
var AEAD = "chacha20-poly1305";
var nodeCipher = {
	name: "node",
	seal(key, nonce, plaintext) {
		const cipher = createCipheriv(AEAD, key, nonce, { authTagLength: 16 });
		const body = cipher.update(plaintext);
		cipher.final();
		return [body, cipher.getAuthTag()];
	},
	open(key, nonce, sealed) {
		if (sealed.length < 16) return null;
		const split = sealed.length - 16;
		const decipher = createDecipheriv(AEAD, key, nonce, { authTagLength: 16 });
		decipher.setAuthTag(sealed.subarray(split));
		const plaintext = decipher.update(sealed.subarray(0, split));
		try {
			decipher.final();
		} catch {
			return null;
		}
		return plaintext;
	}
};
var nobleCipher = {
	name: "noble",
	seal(key, nonce, plaintext) {
		const sealed = chacha20poly1305(key, nonce).encrypt(plaintext);
		return [Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)];
	},
	open(key, nonce, sealed) {
		if (sealed.length < 16) return null;
		try {
			const plaintext = chacha20poly1305(key, nonce).decrypt(sealed);
			return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
		} catch {
			return null;
		}
	}
};
var nodeHasAead;
/** node:crypto when its OpenSSL offers ChaCha20-Poly1305, else the pure-JS fallback. */
function selectChunkCipher(choice = "auto") {
	if (choice === "noble") return nobleCipher;
	nodeHasAead ??= getCiphers().includes(AEAD);
	if (choice === "node" && !nodeHasAead) throw new Error(`node:crypto does not offer ${AEAD} in this runtime`);
	return nodeHasAead ? nodeCipher : nobleCipher;
}
/** payload key = HKDF-SHA256(ikm = file key, salt = payload nonce, info = "payload"). */
function derivePayloadKey(fileKey, payloadNonce) {
	return Buffer.from(hkdfSync("sha256", fileKey, payloadNonce, "payload", 32));
}
/** Largest counter we write: 2^48 chunks of 64 KiB is 16 EiB, far beyond any dump. */
var MAX_COUNTER = 2 ** 48 - 1;
/**
* The 12-byte STREAM nonce: an 11-byte big-endian chunk counter and a last-chunk flag byte.
* The top 5 counter bytes stay zero (see MAX_COUNTER).
*/
var StreamNonce = class {
	bytes = Buffer.alloc(12);
	#counter = 0;
	get counter() {
		return this.#counter;
	}
	setLast(last) {
		this.bytes[11] = last ? 1 : 0;
		return this.bytes;
	}
	advance() {
		if (this.#counter >= MAX_COUNTER) throw new Error("age STREAM chunk counter overflow");
		this.#counter += 1;
		this.bytes.writeUIntBE(this.#counter, 5, 6);
	}
};
var X25519_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
var X25519_IDENTITY = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;
var HYBRID_IDENTITY = /^AGE-SECRET-KEY-PQ-1[02-9AC-HJ-NP-Z]+$/;
/**
* Trimmed, de-duplicated X25519 recipients. Post-quantum, tag, plugin and SSH recipients are
* refused: the promise is that any standard `age` (1.1+) or `rage` decrypts what we write.
*/
function normalizeRecipients(recipients) {
	const out = [...new Set(recipients.map((r) => r.trim()).filter((r) => r.length > 0))];
	if (out.length === 0) throw new AppError("VALIDATION_FAILED", "Encryption needs at least one age recipient (age1...).");
	for (const [index, r] of out.entries()) {
		if (X25519_RECIPIENT.test(r)) continue;
		if (/^age-secret-key-/i.test(r)) throw new AppError("VALIDATION_FAILED", "A secret key was given where a recipient (public key, age1...) is expected; use `age-keygen -y` to get its recipient.");
		const kind = /^age1(pq|tag|tagpq)1/.test(r) ? "a post-quantum or tag recipient, which age 1.1 cannot decrypt" : r.startsWith("ssh-") ? "an SSH key" : /^age1[a-z0-9]+1/.test(r) ? "a plugin recipient" : "not a valid X25519 recipient";
		const shown = /^(age1|ssh-)/.test(r) ? ` "${r.length > 80 ? `${r.slice(0, 77)}...` : r}"` : "";
		throw new AppError("VALIDATION_FAILED", `Recipient ${index + 1}${shown} is ${kind}. Vaultdesk encrypts to X25519 age recipients (age1 followed by 58 characters).`);
	}
	return out;
}
/**
* The identities in an age identity file (or a single key): one per line, `#` comments and
* blank lines ignored. Secrets are never quoted in errors, only line numbers.
*/
function parseIdentityFile(text) {
	const identities = [];
	const lines = text.split(/\r?\n/);
	for (const [index, raw] of lines.entries()) {
		const line = raw.trim();
		if (line === "" || line.startsWith("#")) continue;
		if (X25519_IDENTITY.test(line) || HYBRID_IDENTITY.test(line)) {
			identities.push(line);
			continue;
		}
		const what = line.startsWith("age1") ? "is a recipient (public key); decryption needs the secret key (AGE-SECRET-KEY-1...)" : line.startsWith("AGE-PLUGIN-") ? "is an age plugin identity, which Vaultdesk does not support" : line.startsWith("-----BEGIN") ? "is a PEM/SSH key, which Vaultdesk does not support" : "is not an age identity (AGE-SECRET-KEY-1...)";
		throw new AppError("VALIDATION_FAILED", `Identity line ${index + 1} ${what}.`);
	}
	if (identities.length === 0) throw new AppError("VALIDATION_FAILED", "No age identity (AGE-SECRET-KEY-1...) was found in the identity text.");
	return identities;
}
function checkScryptWorkFactor(logN) {
	if (!Number.isInteger(logN) || logN < 10 || logN > 20) throw new AppError("VALIDATION_FAILED", `The scrypt work factor must be a whole number from 10 to 20 (got ${String(logN)}).`);
	return logN;
}
var SCRYPT_LABEL = "age-encryption.org/v1/scrypt";
function base64NoPad(bytes) {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64").replace(/=+$/, "");
}
function scryptAsync(passphrase, salt, logN) {
	const N = 2 ** logN;
	const maxmem = 128 * N * 8 + 16777216;
	return new Promise((resolve, reject) => {
		scrypt(passphrase, salt, 32, {
			N,
			r: 8,
			p: 1,
			maxmem
		}, (error, key) => error ? reject(error) : resolve(key));
	});
}
/** Canonical unpadded base64, as age writes it; anything else is refused, as age-encryption does. */
function strictBase64NoPad(text) {
	if (!/^[A-Za-z0-9+/]*$/.test(text)) return null;
	const bytes = Buffer.from(text, "base64");
	return base64NoPad(bytes) === text ? bytes : null;
}
/**
* The age scrypt identity, as the library's own (the same checks, in the same order), but with
* scrypt on libuv's pool: the library's pure-JS scrypt holds the event loop for a second or more
* at age's default work factor, which in the app's main process or `serve` freezes every window.
*/
var NodeScryptIdentity = class {
	#passphrase;
	#cipher;
	constructor(passphrase, cipher) {
		if (passphrase.length === 0) throw new AppError("VALIDATION_FAILED", "The passphrase must not be empty.");
		this.#passphrase = passphrase;
		this.#cipher = cipher;
	}
	async unwrapFileKey(stanzas) {
		for (const s of stanzas) {
			if (s.args.length < 1 || s.args[0] !== "scrypt") continue;
			if (stanzas.length !== 1) throw new Error("scrypt recipient is not the only one in the header");
			if (s.args.length !== 3 || !/^[1-9][0-9]*$/.test(s.args[2])) throw new Error("invalid scrypt stanza");
			const salt = strictBase64NoPad(s.args[1]);
			if (salt === null || salt.length !== 16) throw new Error("invalid scrypt stanza");
			const logN = Number(s.args[2]);
			if (logN > 20) throw new Error("scrypt work factor is too high");
			if (s.body.length !== 32) throw new Error("invalid stanza");
			const key = await scryptAsync(this.#passphrase, Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]), logN);
			const fileKey = this.#cipher.open(key, Buffer.alloc(12), s.body);
			if (fileKey !== null) return fileKey;
		}
		return null;
	}
};
export { normalizeRecipients as a, CHUNK_SIZE as c, derivePayloadKey as d, selectChunkCipher as f, checkScryptWorkFactor as i, SEALED_CHUNK_SIZE as l, SCRYPT_LABEL as n, parseIdentityFile as o, base64NoPad as r, scryptAsync as s, NodeScryptIdentity as t, StreamNonce as u };
