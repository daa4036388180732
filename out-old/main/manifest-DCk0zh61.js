import { createHash } from "node:crypto";
// src/main/core/pipeline/manifest.ts
var MANIFEST_SUFFIX = ".manifest.json";
/** A short, stable fingerprint of an age recipient, so a manifest says who can open a file. */
function recipientFingerprint(recipient) {
	return createHash("sha256").update(recipient).digest("hex").slice(0, 16);
}
function manifestKey(objectKey) {
	return `${objectKey}${MANIFEST_SUFFIX}`;
}
/** `20261126T053000Z`: sorts by time, one name per second. */
function isManifestKey(key) {
	return key.endsWith(MANIFEST_SUFFIX);
}
function timestampName(date) {
	return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}
var DEFAULT_PREFIX = "{environment}/{database}/";
/** Path segments come from names a user typed: anything that is not path-safe becomes `_`. */
function safeSegment(value) {
	const cleaned = value.normalize("NFC").replace(/[^\p{L}\p{N}._-]+/gu, "_").replace(/^[._]+/, "");
	return cleaned.length > 0 ? cleaned.slice(0, 100) : "_";
}
/** `{prefix}{job}/{timestamp}.{dump|sql}.{zst|gz}.age`, with the prefix expanded. */
function objectName(p) {
	const values = {
		environment: p.environment,
		database: p.database,
		job: p.job,
		source: p.source
	};
	const prefix = p.prefix.replace(/\{(environment|database|job|source)\}/g, (_, name) => safeSegment(values[name])).split("/").filter((s) => s.length > 0 && s !== "." && s !== "..").join("/");
	const ext = [p.extension];
	if (p.encrypted === "7z") ext.push("7z");
	else {
		if (p.compression === "zstd") ext.push("zst");
		if (p.compression === "gzip") ext.push("gz");
		if (p.encrypted === "age") ext.push("age");
	}
	const stamp = `${timestampName(p.time)}${p.sequence && p.sequence > 1 ? `-${p.sequence}` : ""}`;
	return `${prefix ? `${prefix}/` : ""}${safeSegment(p.job)}/${stamp}.${ext.join(".")}`;
}
export { objectName as a, manifestKey as i, MANIFEST_SUFFIX as n, recipientFingerprint as o, isManifestKey as r, safeSegment as s, DEFAULT_PREFIX as t };
