import { t as AppError } from "./result-9C-V9fjg.js";
import { t as spawnBound } from "./bound-child-CECf761t.js";
import { stat } from "node:fs/promises";
import { PassThrough } from "node:stream";
// src/main/core/pipeline/seven-zip-process.ts
/** Raw stderr kept for the message; 7-Zip's errors are a few lines, its stderr is otherwise near silent. */
var STDERR_CAPTURE = 65536;
var STDERR_SHOWN = 2048;
/** What 7-Zip prints when it reads the password from stdin: noise in an error message. */
var PROMPT = /^\s*Enter password(?: \(will not be echoed\))?\s*:?\s*$/gim;
/**
* 7-Zip reads the password from `-p<password>` or, when `-p` has no value (or, opening an
* encrypted archive, is absent), from a line on stdin after its prompt. Vaultdesk always answers on stdin (when creating too, see
* createSevenZipArchive), so the passphrase is never in 7-Zip's argv, where any local user could
* read it. A line break cannot be typed at the prompt (nor in 7-Zip's GUI), so such passphrases
* are refused up front rather than failing later in a way nobody can open.
*/
function assertUsablePassphrase(passphrase, code) {
	if (passphrase.length === 0) throw new AppError(code, "The 7-Zip profile has an empty passphrase. Set a passphrase on the profile.");
	if (/[\u0000-\u001f\u007f]/.test(passphrase)) throw new AppError(code, "The 7-Zip passphrase contains a line break or another control character, which 7-Zip cannot take. Give the profile a passphrase without them.");
}
/**
* Keeps the start of stderr (where 7-Zip puts the error that matters) and drains the rest.
* The text handed out never contains the passphrase, even partly: it is scrubbed before being
* cut, and a capture cut short loses its last passphrase-length characters first.
*/
function collectStderr(child, passphrase) {
	const parts = [];
	let kept = 0;
	let overflow = false;
	child.stderr?.on("data", (chunk) => {
		if (kept >= STDERR_CAPTURE) {
			overflow = true;
			return;
		}
		const take = chunk.subarray(0, STDERR_CAPTURE - kept);
		if (take.length < chunk.length) overflow = true;
		parts.push(take);
		kept += take.length;
	});
	return () => {
		let text = Buffer.concat(parts).toString("utf8");
		if (overflow) text = text.slice(0, Math.max(0, text.length - passphrase.length));
		text = scrub(text, passphrase).replace(PROMPT, "").replace(/\n{3,}/g, "\n\n").trim();
		return text.length > STDERR_SHOWN ? `${text.slice(0, STDERR_SHOWN)}...` : text;
	};
}
function scrub(text, passphrase) {
	return passphrase.length > 0 ? text.split(passphrase).join("[passphrase]") : text;
}
/** The failure of a 7-Zip run that exited on its own, in words, with its (scrubbed) stderr. */
function sevenZipFailed(code, what, exitCode, signal, stderr) {
	const how = exitCode !== null ? `7-Zip exited with code ${exitCode}${EXIT_MEANINGS[exitCode] ? ` (${EXIT_MEANINGS[exitCode]})` : ""}` : `7-Zip was killed by ${signal ?? "a signal"}`;
	return new AppError(code, stderr ? `${what}: ${how}: ${stderr}` : `${what}: ${how} without an error message.`, {
		tool: "7z",
		exitCode,
		signal,
		stderr
	});
}
/** 7-Zip's documented exit codes. */
var EXIT_MEANINGS = {
	1: "warning",
	2: "fatal error",
	7: "command line error",
	8: "not enough memory",
	255: "stopped"
};
/** A spawn failure in words, without Node's error object and its internals; scrubbed all the same. */
function spawnFailed(code, toolPath, error, passphrase) {
	const err = error;
	if (err.code === "ENOENT" || err.code === "EACCES") return new AppError("CLIENT_TOOL_MISSING", `7-Zip could not be started from ${toolPath} (${err.code}): it was there when Vaultdesk looked for it; check that it is still there and executable.`, {
		tool: "7z",
		path: toolPath
	});
	return new AppError(code, `7-Zip could not be started from ${toolPath}: ${scrub(err.message ?? String(error), passphrase)}`, {
		tool: "7z",
		path: toolPath
	});
}
/**
* Stops 7-Zip at once. SIGTERM only sets its break flag, which it checks between blocks, so a
* 7-Zip blocked reading a stalled stdin would linger; and nothing it holds is worth a clean
* exit: a partial archive is deleted anyway.
*/
function killSevenZip(child) {
	if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
// src/main/core/pipeline/seven-zip-extract.ts
/**
* For restore/verify and tests: extracts the archive's single entry to a stream. Resolves once
* the passphrase has opened the archive (a wrong one rejects with DECRYPT_FAILED here, not
* halfway through a restore); the stream ends only after 7-Zip exited 0 (so CRC checks passed)
* and errors otherwise: INTEGRITY_FAILED for damaged data, CANCELLED, or DECRYPT_FAILED. Destroying the stream stops 7-Zip.
*
* Stdin is free when extracting, so the passphrase answers 7-Zip's password prompt there and
* never appears in argv. 7-Zip is spawned directly: node-7z parses stdout as text lines, so it
* cannot hand on the entry's bytes from `-so`.
*/
async function extractSevenZip(file, options) {
	const listing = await listSevenZip(file, options);
	if (listing.entries.length !== 1) throw new AppError("DECRYPT_FAILED", `${file} holds ${listing.entries.length} files; a Vaultdesk 7-Zip backup holds exactly one. Open it with 7-Zip to see what it is.`, { entries: listing.entries.map((e) => e.name) });
	if (options.signal?.aborted) throw cancelled(file);
	return spawnExtract(file, options);
}
/**
* Opens the archive with the passphrase and lists it. 7-Zip is spawned here and `node-7z`
* parses its listing (attached with `$defer` + `$childProcess`, so stdin stays ours for the
* passphrase). With encrypted headers a wrong passphrase cannot even list the archive.
*/
async function listSevenZip(file, options) {
	const { tool, passphrase, signal } = options;
	assertUsablePassphrase(passphrase, "DECRYPT_FAILED");
	if (signal?.aborted) throw cancelled(file);
	await assertFile(file);
	const { default: Seven } = await import("node-7z");
	let child;
	try {
		child = spawnBound(tool.path, [
			"l",
			"-y",
			"-sccUTF-8",
			"--",
			file
		], {
			shell: false,
			env: tool.env ?? {},
			stdio: [
				"pipe",
				"pipe",
				"pipe"
			],
			windowsHide: true
		});
	} catch (error) {
		throw spawnFailed("DECRYPT_FAILED", tool.path, error, passphrase);
	}
	const stderr = collectStderr(child, passphrase);
	answerPrompt(child, passphrase);
	const entries = [];
	const stream = Seven.list(file, {
		$defer: true,
		$childProcess: child
	});
	stream.on("data", (data) => entries.push({
		name: data.file,
		size: data.size ?? null
	}));
	stream.on("error", () => {});
	Seven.listen(stream);
	let aborted = false;
	const onAbort = () => {
		aborted = true;
		killSevenZip(child);
	};
	signal?.addEventListener("abort", onAbort, { once: true });
	if (signal?.aborted) onAbort();
	const { code, exitSignal, spawnError } = await exited(child);
	signal?.removeEventListener("abort", onAbort);
	if (aborted) throw cancelled(file);
	if (spawnError) throw spawnFailed("DECRYPT_FAILED", tool.path, spawnError, passphrase);
	if (code !== 0) throw openFailed(file, code, exitSignal, stderr());
	return {
		entries,
		method: stream.info.get("Method") ?? null
	};
}
function spawnExtract(file, options) {
	const { tool, passphrase, signal } = options;
	const output = new PassThrough();
	output.on("error", () => {});
	let child;
	try {
		child = spawnBound(tool.path, [
			"x",
			"-so",
			"-y",
			"-bso0",
			"-bsp0",
			"-sccUTF-8",
			"--",
			file
		], {
			shell: false,
			env: tool.env ?? {},
			stdio: [
				"pipe",
				"pipe",
				"pipe"
			],
			windowsHide: true
		});
	} catch (error) {
		output.destroy(spawnFailed("DECRYPT_FAILED", tool.path, error, passphrase));
		return output;
	}
	const stderr = collectStderr(child, passphrase);
	answerPrompt(child, passphrase);
	const stdout = child.stdout;
	stdout.pipe(output, { end: false });
	let stopped = null;
	let exitedYet = false;
	const stop = (reason) => {
		if (exitedYet || stopped) return;
		stopped = reason;
		stdout.unpipe(output);
		stdout.destroy();
		killSevenZip(child);
	};
	const onAbort = () => stop(cancelled(file));
	signal?.addEventListener("abort", onAbort, { once: true });
	output.on("close", () => stop(new AppError("CANCELLED", `Extracting ${file} was stopped because its output was closed before the end.`, { tool: "7z" })));
	exited(child).then(({ code, exitSignal, spawnError }) => {
		exitedYet = true;
		signal?.removeEventListener("abort", onAbort);
		const failure = stopped ?? (spawnError ? spawnFailed("DECRYPT_FAILED", tool.path, spawnError, passphrase) : code === 0 ? null : extractFailed(file, code, exitSignal, stderr()));
		if (failure) output.destroy(failure);
		else output.end();
	});
	if (signal?.aborted) onAbort();
	return output;
}
/** 7-Zip asks once per archive; one line answers it. Archives without a password never ask. */
function answerPrompt(child, passphrase) {
	child.stdin?.on("error", () => {});
	child.stdin?.end(`${passphrase}\n`);
}
function exited(child) {
	return new Promise((resolve) => {
		let spawnError = null;
		child.on("error", (error) => {
			spawnError = error;
		});
		child.on("close", (code, exitSignal) => resolve({
			code,
			exitSignal,
			spawnError
		}));
	});
}
function openFailed(file, code, exitSignal, stderr) {
	if (/wrong password/i.test(stderr)) return new AppError("DECRYPT_FAILED", `The 7-Zip passphrase does not open ${file}: wrong passphrase (or the archive is damaged). Use the passphrase of the profile that made this backup.`, {
		tool: "7z",
		exitCode: code,
		stderr
	});
	return sevenZipFailed("DECRYPT_FAILED", `Opening ${file} with 7-Zip failed`, code, exitSignal, stderr);
}
/**
* The listing already proved the passphrase, so 7-Zip's "CRC Failed in encrypted file. Wrong
* password?" here means the data was altered or cut short, not a wrong passphrase.
*/
function extractFailed(file, code, exitSignal, stderr) {
	if (/CRC Failed|Data Error|Unexpected end|Headers Error/i.test(stderr)) return new AppError("INTEGRITY_FAILED", `The 7-Zip archive ${file} is damaged: the passphrase opens it but its contents fail 7-Zip's checks (${stderr.split("\n")[0]}). Use another copy of this backup.`, {
		tool: "7z",
		exitCode: code,
		stderr
	});
	return sevenZipFailed("DECRYPT_FAILED", `Extracting ${file} with 7-Zip failed`, code, exitSignal, stderr);
}
async function assertFile(file) {
	try {
		if ((await stat(file)).isFile()) return;
	} catch {}
	throw new AppError("OBJECT_NOT_FOUND", `The 7-Zip archive ${file} does not exist or is not a file.`, { path: file });
}
function cancelled(file) {
	return new AppError("CANCELLED", `Extracting ${file} with 7-Zip was cancelled.`, { tool: "7z" });
}
export { killSevenZip as a, collectStderr as i, listSevenZip as n, sevenZipFailed as o, assertUsablePassphrase as r, spawnFailed as s, extractSevenZip as t };
