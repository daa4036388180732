import { t as AppError } from "./result-9C-V9fjg.js";
import { n as describeFsError } from "./fs-errors-QegibJ8D.js";
import { o as parseIdentityFile } from "./age-keys-D2ex8Gsc.js";
import { t as AGE_MAGIC } from "./age-header-BcK9wPf-.js";
import "./age-stream-C-V3jTUu.js";
import { t as ageDecryptBuffer } from "./age-buffer-CkwBVS_2.js";
import { n as looksLikeZip, r as readRecoveryKit, t as kitIdentities } from "./kit-read-CmavIe7h.js";
import { readFileSync, statSync } from "node:fs";
import { armor } from "age-encryption";
// src/main/core/recovery/decrypt-keys.ts
/**
* Reads a file named with `-i`. A file far bigger than any kit is refused unread: it is most
* likely the backup itself given in the wrong place.
*/
function readKeyFile(path) {
	const unreadable = (error) => new AppError("VALIDATION_FAILED", `Cannot read the identity file or kit ${path}: ${describeFsError(error, { path }).words}.`, { field: "identity" });
	let size;
	try {
		const stat = statSync(path);
		if (stat.isDirectory()) throw new AppError("VALIDATION_FAILED", `${path} is a folder, not an identity file or a recovery kit.`, { field: "identity" });
		size = stat.size;
	} catch (error) {
		if (error instanceof AppError) throw error;
		throw unreadable(error);
	}
	if (size > 8388608) throw new AppError("VALIDATION_FAILED", `${path} is ${size} bytes, far more than an identity file or a recovery kit: is it the backup itself? The backup comes first, the key after -i.`, { field: "identity" });
	try {
		return {
			path,
			bytes: readFileSync(path)
		};
	} catch (error) {
		throw unreadable(error);
	}
}
var ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
function classifyKeyFile(file) {
	if (looksLikeZip(file.bytes)) return {
		kind: "kit",
		path: file.path,
		kit: readRecoveryKit(file.bytes, file.path)
	};
	if (file.bytes.subarray(0, AGE_MAGIC.length).equals(AGE_MAGIC)) return {
		kind: "wrapped",
		path: file.path,
		bytes: file.bytes
	};
	const text = file.bytes.toString("utf8");
	if (text.trimStart().startsWith(ARMOR_BEGIN)) try {
		return {
			kind: "wrapped",
			path: file.path,
			bytes: Buffer.from(armor.decode(text))
		};
	} catch {
		throw new AppError("VALIDATION_FAILED", `The identity file ${file.path} looks like an ASCII-armored age file but its armor is damaged.`, { field: "identity" });
	}
	return {
		kind: "plain",
		path: file.path,
		text: checkedText(file.path, text)
	};
}
function checkedText(source, text) {
	try {
		parseIdentityFile(text);
	} catch (error) {
		throw new AppError("VALIDATION_FAILED", `${source} is not an identity file, a passphrase-protected identity or a recovery kit: ${error instanceof Error ? error.message : String(error)}`, { field: "identity" });
	}
	return text;
}
/**
* Turns what `-i` named into identities. Kits are narrowed to the profiles the backup's manifest
* names (`wanted`: recipient fingerprints), so a passphrase-protected kit costs one scrypt per
* identity actually needed; without a manifest every identity in it is unwrapped and tried.
*/
async function resolveKeyFiles(files, passphrase, wanted) {
	const classified = files.map(classifyKeyFile);
	const protectedOnes = classified.filter((c) => c.kind === "wrapped" || c.kind === "kit" && c.kit.index.passphraseProtected);
	if (passphrase !== void 0 && protectedOnes.length === 0) throw new AppError("VALIDATION_FAILED", "A passphrase was given, but no identity file or kit given with -i is protected by one. Leave the passphrase out, or leave out -i if the backup itself was encrypted to a passphrase.", { field: "passphrase" });
	if (passphrase === void 0 && protectedOnes.length > 0) {
		const what = protectedOnes[0].kind === "kit" ? "The recovery kit" : "The identity file";
		throw new AppError("VALIDATION_FAILED", `${what} ${protectedOnes[0].path} is protected by a passphrase: give its passphrase (the Passphrase field on the Recovery page, or --passphrase-stdin for vaultdesk decrypt).`, { field: "passphrase" });
	}
	const identities = [];
	const unmatchedKits = [];
	for (const c of classified) if (c.kind === "plain") identities.push({
		text: c.text,
		origin: `identity file ${c.path}`,
		kit: null,
		profile: null
	});
	else if (c.kind === "wrapped") identities.push({
		text: await unwrapIdentityFile(c.path, c.bytes, passphrase),
		origin: `identity file ${c.path}`,
		kit: null,
		profile: null
	});
	else {
		const entries = wanted ? c.kit.entries.filter((e) => wanted.includes(e.key.fingerprint)) : c.kit.entries;
		if (entries.length === 0) {
			unmatchedKits.push(c.kit);
			continue;
		}
		const texts = await kitIdentities(c.kit, entries, c.kit.index.passphraseProtected ? passphrase : void 0);
		entries.forEach((e, i) => identities.push({
			text: texts[i],
			origin: `profile ${JSON.stringify(e.key.profile)} of recovery kit ${c.path}`,
			kit: c.path,
			profile: e.key.profile
		}));
	}
	if (identities.length === 0) {
		const held = unmatchedKits.flatMap((k) => k.entries.map((e) => `${JSON.stringify(e.key.profile)} (${e.key.fingerprint})`));
		throw new AppError("DECRYPT_FAILED", `No identity in the recovery kit${unmatchedKits.length === 1 ? ` ${unmatchedKits[0].source}` : "s given"} opens this backup: its manifest says it was encrypted to the key${wanted.length === 1 ? "" : "s"} with fingerprint ${wanted.join(", ")}, and the kit holds ${held.join(", ")}. Use a kit or identity file of the profile that made it.`, { reason: "kit-no-match" });
	}
	return { identities };
}
async function unwrapIdentityFile(path, bytes, passphrase) {
	let text;
	try {
		text = await ageDecryptBuffer({ passphrase }, bytes);
	} catch (error) {
		if (error instanceof AppError && error.details?.reason === "no-match") {
			if (error.details.passphraseFile === false) throw new AppError("VALIDATION_FAILED", `${path} is an age file encrypted to age keys, not a passphrase-protected identity: give an identity file or a recovery kit with -i.`, { field: "identity" });
			throw new AppError("DECRYPT_FAILED", `Wrong passphrase for the identity file ${path}: it does not unwrap it.`, { reason: "kit-passphrase" });
		}
		throw new AppError("VALIDATION_FAILED", `The passphrase-protected identity file ${path} cannot be unwrapped: ${error instanceof Error ? error.message : String(error)}`, { field: "identity" });
	}
	return checkedText(`The identity unwrapped from ${path}`, text.toString("utf8"));
}
export { resolveKeyFiles as n, readKeyFile as t };
