import { r as createAgeEncryptStream } from "./age-encrypt-stream-CzwatCTS.js";
import { t as createAgeDecryptStream } from "./age-stream-C-V3jTUu.js";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
// src/main/core/recovery/age-buffer.ts
/** A small age file (a canary, a wrapped identity) made in memory with the same code as backups. */
async function ageEncryptBuffer(target, plaintext) {
	return buffer(Readable.from([Buffer.from(plaintext)]).pipe(await createAgeEncryptStream(target)));
}
/** The plaintext of a small age file, authenticated to its end; failures are the stream's AppErrors. */
async function ageDecryptBuffer(keys, file) {
	const decrypt = createAgeDecryptStream(keys);
	const source = Readable.from([Buffer.from(file)]);
	source.on("error", (error) => decrypt.destroy(error));
	return buffer(source.pipe(decrypt));
}
export { ageEncryptBuffer as n, ageDecryptBuffer as t };
