import { t as AppError } from "./result-9C-V9fjg.js";
import { t as AGE_MAGIC } from "./age-header-BcK9wPf-.js";
import { o as parseIdentityFile } from "./age-keys-D2ex8Gsc.js";
import "./age-stream-C-V3jTUu.js";
import { t as ageDecryptBuffer } from "./age-buffer-CkwBVS_2.js";
import { s as safeSegment } from "./manifest-DCk0zh61.js";
import { z } from "zod";
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";
// src/main/core/recovery/kit-format.ts
/** What a recovery kit zip holds, by name. The layout is documented in the kit's README.txt. */
var KIT_README = "README.txt";
var KIT_INDEX = "keys.json";
var KIT_IDENTITY_FOLDER = "identities";
var KIT_FORMAT = "vaultdesk-recovery-kit";
/** Far above a real kit (a few KiB per profile): a file this big is not a kit, and is not read. */
var MAX_KIT_BYTES = 8388608;
var MAX_KIT_KEYS = 1e3;
var ageRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/);
var kitPath = z.string().max(300).regex(/^identities\/[^/\\]+$/, "must be a file in identities/");
/** keys.json: read from a file Vaultdesk does not control, so it is checked like contract input. */
var kitIndexSchema = z.object({
	format: z.literal(KIT_FORMAT),
	formatVersion: z.literal(1),
	createdAt: z.string(),
	app: z.object({
		name: z.string(),
		version: z.string()
	}),
	passphraseProtected: z.boolean(),
	keys: z.array(z.object({
		profile: z.string().max(200),
		recipient: ageRecipient,
		fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
		created: z.string(),
		identityFile: kitPath
	})).min(1).max(MAX_KIT_KEYS)
});
/**
* `identities/team.txt`, or `team.age` when wrapped: one file per profile, named after it so a
* person picks the right one. Names that clean up alike get `-2`, `-3`.
*/
function identityFileNames(profiles, wrapped) {
	const taken = /* @__PURE__ */ new Set();
	return profiles.map((profile) => {
		const base = safeSegment(profile);
		let name = base;
		for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
		taken.add(name.toLowerCase());
		return `${KIT_IDENTITY_FOLDER}/${name}.${wrapped ? "age" : "txt"}`;
	});
}
/** The layout age-keygen writes, so `age -d -i FILE` and people read it alike. */
function identityFileText(profile, recipient, created, identity) {
	return `# Vaultdesk encryption profile ${JSON.stringify(profile)}\n# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
}
// src/main/core/recovery/kit-read.ts
var ZIP_MAGIC = Buffer.from([
	80,
	75,
	3,
	4
]);
function looksLikeZip(bytes) {
	return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4)).equals(ZIP_MAGIC);
}
function notAKit(source, why) {
	return new AppError("VALIDATION_FAILED", `${source} is not a Vaultdesk recovery kit: ${why}.`, { field: "identity" });
}
/**
* The kit's files, inflated a slice at a time so that an entry inflating past its limit (a zip
* bomb) is stopped there rather than after it has filled memory. Only keys.json and files under
* identities/ are kept; README.txt and anything else are skipped unread.
*/
function unzipKit(bytes, source) {
	if (bytes.byteLength > 8388608) throw notAKit(source, `it is ${bytes.byteLength} bytes, far more than a kit holds`);
	const files = /* @__PURE__ */ new Map();
	let problem = null;
	const unzip = new Unzip((file) => {
		if (problem !== null) return;
		if (file.name !== "keys.json" && !file.name.startsWith("identities/")) return;
		if (files.size > 1001) {
			problem = "it holds too many files";
			return;
		}
		const parts = [];
		let size = 0;
		file.ondata = (error, chunk, final) => {
			if (problem !== null) return;
			if (error) {
				problem = `${file.name} cannot be read (${error.message})`;
				return;
			}
			size += chunk.byteLength;
			if (size > 1048576) {
				problem = `${file.name} is larger than any kit file`;
				file.terminate();
				return;
			}
			parts.push(chunk);
			if (final) files.set(file.name, Buffer.concat(parts));
		};
		file.start();
	});
	unzip.register(UnzipInflate);
	unzip.register(UnzipPassThrough);
	const SLICE = 16384;
	try {
		for (let offset = 0; offset < bytes.byteLength && problem === null; offset += SLICE) unzip.push(bytes.subarray(offset, offset + SLICE), offset + SLICE >= bytes.byteLength);
	} catch (error) {
		problem ??= `the zip is damaged (${error instanceof Error ? error.message : String(error)})`;
	}
	if (problem !== null) throw notAKit(source, problem);
	return files;
}
/**
* Reads a recovery kit zip: keys.json checked against its schema, and each key's identity file.
* Nothing is unwrapped here: a passphrase costs a scrypt per identity, so only the identities
* needed are unwrapped, by `kitIdentities`.
*/
function readRecoveryKit(bytes, source) {
	const files = unzipKit(bytes, source);
	const indexBytes = files.get(KIT_INDEX);
	if (!indexBytes) throw notAKit(source, `it has no ${KIT_INDEX}`);
	let json;
	try {
		json = JSON.parse(indexBytes.toString("utf8"));
	} catch {
		throw notAKit(source, `its ${KIT_INDEX} is not JSON`);
	}
	const parsed = kitIndexSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw notAKit(source, `its ${KIT_INDEX} is not a kit index (${issue.path.join(".") || "top level"}: ${issue.message})`);
	}
	const index = parsed.data;
	return {
		source,
		index,
		entries: index.keys.map((key) => {
			const file = files.get(key.identityFile);
			if (!file) throw notAKit(source, `${KIT_INDEX} names ${key.identityFile}, which is not in the zip`);
			const wrapped = file.subarray(0, AGE_MAGIC.length).equals(AGE_MAGIC);
			if (wrapped !== index.passphraseProtected) throw notAKit(source, `${key.identityFile} is ${wrapped ? "passphrase-protected" : "not passphrase-protected"}, unlike what ${KIT_INDEX} says`);
			return {
				key,
				file
			};
		})
	};
}
/**
* The identity text of the given entries, unwrapped with the passphrase when the kit has one.
* A passphrase that does not open the first one is a wrong passphrase (`kit-passphrase`):
* every identity of a kit is wrapped with the same one.
*/
async function kitIdentities(kit, entries, passphrase) {
	if (!kit.index.passphraseProtected) {
		if (passphrase !== void 0) throw new AppError("VALIDATION_FAILED", `The recovery kit ${kit.source} is not protected by a passphrase, but one was given: leave it out.`, { field: "passphrase" });
		return entries.map((e) => checkedIdentity(kit, e.key, e.file.toString("utf8")));
	}
	if (passphrase === void 0) throw new AppError("VALIDATION_FAILED", `The recovery kit ${kit.source} is protected by a passphrase: give its passphrase (the Passphrase field on the Recovery page, or --passphrase-stdin for vaultdesk decrypt).`, { field: "passphrase" });
	const out = [];
	for (const entry of entries) {
		let text;
		try {
			text = await ageDecryptBuffer({ passphrase }, entry.file);
		} catch (error) {
			if (error instanceof AppError && error.details?.reason === "no-match") throw new AppError("DECRYPT_FAILED", `Wrong passphrase for the recovery kit ${kit.source}: it does not unwrap the identity of profile ${JSON.stringify(entry.key.profile)}.`, { reason: "kit-passphrase" });
			throw notAKit(kit.source, `${entry.key.identityFile} cannot be unwrapped (${error instanceof Error ? error.message : String(error)})`);
		}
		out.push(checkedIdentity(kit, entry.key, text.toString("utf8")));
	}
	return out;
}
function checkedIdentity(kit, key, text) {
	try {
		parseIdentityFile(text);
	} catch (error) {
		throw notAKit(kit.source, `${key.identityFile} does not hold an age identity (${error instanceof Error ? error.message : String(error)})`);
	}
	return text;
}
export { KIT_INDEX as a, identityFileNames as c, KIT_FORMAT as i, identityFileText as l, looksLikeZip as n, KIT_README as o, readRecoveryKit as r, MAX_KIT_BYTES as s, kitIdentities as t };
