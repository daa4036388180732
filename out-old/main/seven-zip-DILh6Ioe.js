import { t as AppError } from "./result-9C-V9fjg.js";
import { i as fsAppError } from "./fs-errors-QegibJ8D.js";
import { a as killSevenZip, i as collectStderr, n as listSevenZip, o as sevenZipFailed, r as assertUsablePassphrase, s as spawnFailed } from "./seven-zip-extract-IaBoWdN4.js";
import { t as findSevenZip } from "./seven-zip-tool-QevYVTu1.js";
import { t as spawnBound } from "./bound-child-CECf761t.js";
import path from "node:path";
import { chmod, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { Transform } from "node:stream";
// src/main/core/pipeline/seven-zip.ts
/** 7-Zip's own default. Pass 0 (store) when the input is already compressed: LZMA2 gains nothing on zstd output. */
var DEFAULT_LEVEL = 5;
/** 7-Zip asks at once; the margin is for a loaded machine slow to start it. */
var PROMPT_TIMEOUT_MS = 6e4;
/**
* Reads `input` (the dump stream) and writes a 7z archive with ONE entry named `entryName`,
* AES-256, encrypted headers (-mhe=on, so not even the entry name shows without the
* passphrase), into a new file in `tempDir` (mode 0600). Resolves with the archive path and size
* once 7-Zip exited 0 and the archive, opened with the passphrase, holds every byte it was given;
* on any failure or abort, kills 7-Zip, removes the file and rejects (ENCRYPT_FAILED / CANCELLED
* with 7-Zip's stderr; an input that fails with an AppError rejects with that error). The input
* is destroyed on failure so upstream stages stop.
*
* The passphrase reaches 7-Zip on its standard input, never in its argv or environment: `-p`
* without a value makes 7-Zip ask for it and read one line from stdin, the stdin that then
* carries the data (`-si`). See runArchiver for how the two are kept apart.
*
* 7-Zip is spawned directly rather than through `node-7z`: node-7z neither exposes the child's
* stdin (needed for `-si`) nor passes back-pressure, and it parses stdout as text lines.
*/
async function createSevenZipArchive(input, options) {
	const level = options.level ?? DEFAULT_LEVEL;
	try {
		assertUsablePassphrase(options.passphrase, "ENCRYPT_FAILED");
		assertEntryName(options.entryName);
		if (!Number.isInteger(level) || level < 0 || level > 9) throw new AppError("ENCRYPT_FAILED", `The 7-Zip compression level must be a whole number from 0 to 9, not ${level}.`);
		if (options.signal?.aborted) throw cancelled();
	} catch (error) {
		input.destroy();
		throw error;
	}
	let workDir;
	try {
		workDir = await mkdtemp(path.join(options.tempDir, "vaultdesk-7z-"));
	} catch (error) {
		input.destroy();
		throw new AppError("ENCRYPT_FAILED", `7-Zip needs a temporary file, but none could be created in ${options.tempDir}: ${error.message}. Check that the folder exists and has free space.`, { tempDir: options.tempDir });
	}
	const staging = path.join(workDir, "archive.7z");
	const file = `${workDir}.7z`;
	try {
		await assertWholeEntry(staging, await runArchiver(input, staging, level, options), options);
		await chmod(staging, 384);
		await rename(staging, file);
		return {
			file,
			size: (await stat(file)).size
		};
	} catch (error) {
		await rm(file, { force: true });
		if (!input.readableEnded) input.destroy();
		throw error;
	} finally {
		await rm(workDir, {
			recursive: true,
			force: true
		});
	}
}
/**
* Runs `7zz a -p -si...` and resolves with the number of data bytes handed to it.
*
* 7-Zip reads the passphrase line through C stdio, whose first read takes whatever the pipe holds
* at that moment (up to a buffer, 4 KiB here), and the data with plain reads of the same fd:
* data bytes that arrive with the passphrase line would be swallowed by that buffer. So stdin
* holds only the passphrase line until 7-Zip prints the line break that ends its password prompt,
* which it does only once it has read the line; the data follows from then on.
*/
function runArchiver(input, archive, level, options) {
	const { tool, passphrase, signal } = options;
	const args = [
		"a",
		"-t7z",
		`-mx=${level}`,
		"-mhe=on",
		`-si${options.entryName}`,
		"-y",
		"-bso1",
		"-bsp0",
		"-sccUTF-8",
		"-p",
		"--",
		archive
	];
	let child;
	try {
		child = spawnBound(tool.path, args, {
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
		return Promise.reject(spawnFailed("ENCRYPT_FAILED", tool.path, error, passphrase));
	}
	const stdin = child.stdin;
	const stderr = collectStderr(child, passphrase);
	let inputError = null;
	let aborted = false;
	let neverAsked = false;
	let given = 0;
	stdin.on("error", () => {});
	input.on("error", () => {});
	const onInputError = (error) => {
		inputError ??= error;
		killSevenZip(child);
	};
	const onAbort = () => {
		aborted = true;
		killSevenZip(child);
	};
	const counter = new Transform({ transform(chunk, _encoding, callback) {
		given += chunk.length;
		callback(null, chunk);
	} });
	const promptTimeoutMs = options.promptTimeoutMs ?? PROMPT_TIMEOUT_MS;
	const promptTimer = setTimeout(() => {
		neverAsked = true;
		killSevenZip(child);
	}, promptTimeoutMs);
	input.on("error", onInputError);
	signal?.addEventListener("abort", onAbort, { once: true });
	if (signal?.aborted) onAbort();
	stdin.write(`${passphrase}\n`);
	whenPassphraseRead(child.stdout, () => {
		clearTimeout(promptTimer);
		if (aborted || inputError !== null || child.exitCode !== null || child.signalCode !== null) return;
		input.pipe(counter).pipe(stdin);
	});
	return new Promise((resolve, reject) => {
		let spawnError = null;
		child.on("error", (error) => {
			spawnError = error;
		});
		child.on("close", (code, exitSignal) => {
			clearTimeout(promptTimer);
			signal?.removeEventListener("abort", onAbort);
			input.removeListener("error", onInputError);
			input.unpipe(counter);
			counter.unpipe(stdin);
			counter.destroy();
			if (aborted) return reject(cancelled());
			if (spawnError) return reject(spawnFailed("ENCRYPT_FAILED", tool.path, spawnError, passphrase));
			if (inputError) return reject(inputFailure(inputError));
			if (neverAsked) return reject(notAsked(tool, promptTimeoutMs));
			if (code !== 0) {
				const said = stderr();
				if (/errno=28\b|No space left on device/i.test(said)) return reject(fsAppError(Object.assign(new Error(said), { code: "ENOSPC" }), "ENCRYPT_FAILED", `Encrypting with 7-Zip failed: its archive could not be written in ${options.tempDir}`, {
					path: options.tempDir,
					device: options.tempDir
				}));
				return reject(sevenZipFailed("ENCRYPT_FAILED", "Encrypting with 7-Zip failed", code, exitSignal, said));
			}
			resolve(given);
		});
	});
}
/** What 7-Zip prints to ask for the password, then the line break it adds once it has read it. */
var PASSPHRASE_READ = /Enter password[^\n]*\n/;
function whenPassphraseRead(stdout, then) {
	let seen = "";
	let done = false;
	stdout.setEncoding("utf8");
	stdout.on("data", (text) => {
		if (done) return;
		seen = (seen + text).slice(-1024);
		if (!PASSPHRASE_READ.test(seen)) return;
		done = true;
		then();
	});
}
/**
* The archive must open with the passphrase and hold exactly the bytes 7-Zip was given: a 7-Zip
* that took part of the data along with its passphrase line would otherwise store a short dump.
*/
async function assertWholeEntry(archive, given, options) {
	const { tool, passphrase, signal } = options;
	let listing;
	try {
		listing = await listSevenZip(archive, {
			tool,
			passphrase,
			signal
		});
	} catch (error) {
		if (signal?.aborted) throw cancelled();
		const why = error instanceof AppError ? error.message : String(error);
		throw new AppError("ENCRYPT_FAILED", `The archive 7-Zip ${tool.version} (${tool.path}) made could not be checked with the profile's passphrase, so it was removed: ${why}`, { tool: "7z" });
	}
	const entry = listing.entries.length === 1 ? listing.entries[0] : null;
	if (entry && entry.name === options.entryName && entry.size === given) return;
	const held = listing.entries.map((e) => `${e.name} (${e.size ?? "unknown"} bytes)`).join(", ") || "nothing";
	throw new AppError("ENCRYPT_FAILED", `7-Zip ${tool.version} (${tool.path}) was given ${given} bytes as ${options.entryName} but its archive holds ${held}, so the archive was removed rather than kept incomplete. This 7-Zip does not keep the passphrase line apart from the data on its standard input; use 7-Zip 22 or newer from 7-zip.org (7zz) or set its path in Settings.`, {
		tool: "7z",
		path: tool.path,
		given,
		entries: listing.entries
	});
}
/** One plain file name: 7-Zip would turn separators into folders inside the archive. */
function assertEntryName(name) {
	if (name.length === 0 || name.length > 255 || name === "." || name === ".." || /[/\\*?\u0000-\u001f]/.test(name)) throw new AppError("ENCRYPT_FAILED", `"${name}" cannot be the name of the file inside the 7-Zip archive: use a plain file name without / \\ * ? or control characters.`);
}
function notAsked(tool, timeoutMs) {
	return new AppError("ENCRYPT_FAILED", `7-Zip ${tool.version} (${tool.path}) did not ask for the passphrase on its standard input within ${Math.round(timeoutMs / 1e3)} s, so it was given no data and stopped. Vaultdesk needs 7-Zip 22 or newer from 7-zip.org (7zz), which reads the passphrase from standard input when -p has no value; check the 7-Zip path in Settings.`, {
		tool: "7z",
		path: tool.path
	});
}
function cancelled() {
	return new AppError("CANCELLED", "Encrypting with 7-Zip was cancelled; the partial archive was removed.", { tool: "7z" });
}
function inputFailure(error) {
	if (error instanceof AppError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new AppError("ENCRYPT_FAILED", `Encrypting with 7-Zip stopped because reading the data failed: ${message}`, { tool: "7z" });
}
export { createSevenZipArchive, findSevenZip };
