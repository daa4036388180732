import { t as AppError } from "./result-9C-V9fjg.js";
import { r as runInWorker } from "./worker-client-RyjwWvHf.js";
import { t as readKeyFile } from "./decrypt-keys-lJIpFMsR.js";
import { existsSync, statSync } from "node:fs";
// src/main/core/recovery/decrypt-on-host.ts
/** A report at most this often: a window redraws a bar, it does not need every 64 KiB chunk. */
var PROGRESS_EVERY_MS = 250;
/**
* `recovery:decrypt`: what `vaultdesk decrypt` does, for a window. The file, the key material and
* the output are all on the machine Vaultdesk runs on; none of the data dir's profiles is used, so
* this proves a kit or identity file works as it would after a reinstall. Every failure of the
* file or the keys keeps its kind (`details.failure`) and leaves nothing at `out`. The file is
* read, decrypted and written in the pipeline worker: a large backup would otherwise hold the
* host's event loop (the window's bridge, the scheduler) for its whole decryption.
*/
async function decryptOnHost(input, deps) {
	if (!input.identity && input.passphrase === void 0) throw new AppError("VALIDATION_FAILED", "Give an identity file or recovery kit, or the passphrase the file was encrypted to.", { field: "identity" });
	if (existsSync(input.out)) throw new AppError("VALIDATION_FAILED", `${input.out} already exists: Vaultdesk never replaces a file. Choose another name, or move that file away first.`, { field: "out" });
	const keyFiles = input.identity ? [readKeyFile(input.identity)] : [];
	let total = 0;
	try {
		total = statSync(input.file).size;
	} catch {}
	let last = 0;
	const result = await decryptInWorker({
		file: input.file,
		output: { path: input.out },
		keyFiles,
		passphrase: input.passphrase,
		decompress: input.decompress,
		toolEnv: deps.toolEnv,
		sevenZipPath: deps.sevenZipPath
	}, deps, (bytes) => {
		const now = deps.now();
		if (now - last < PROGRESS_EVERY_MS && bytes < total) return;
		last = now;
		deps.onProgress({
			file: input.file,
			bytes,
			total
		});
	});
	return {
		path: input.out,
		bytes: result.bytesOut,
		bytesIn: result.bytesIn,
		openedWith: result.openedWith,
		format: result.format,
		decompressed: input.decompress ? result.compression : "none",
		verifiedAgainstManifest: result.verifiedAgainstManifest
	};
}
/** decryptOffline, in the pipeline worker; its errors are thrown here with their code, message and details (the failure's kind). */
async function decryptInWorker(request, { workerFile, log }, onBytes) {
	const result = await runInWorker({
		kind: "decrypt",
		request
	}, {
		signal: new AbortController().signal,
		cancelGraceMs: 0,
		file: workerFile,
		role: "decryption",
		log,
		cancelMessage: "The decryption was cancelled.",
		onMessage: (message) => {
			if (message.type === "bytes") onBytes(message.bytesRead);
			else if (message.type === "finished") {
				const { result } = message;
				if (!result.ok) return { outcome: AppError.fromPayload(result.error) };
				return { outcome: result.data.kind === "decrypted" ? result.data.outcome : new AppError("INTERNAL", "The worker answered a decryption with a restore.") };
			}
		},
		failed: ({ code, message }) => new AppError(code, message)
	});
	if (result instanceof AppError) throw result;
	return result;
}
export { decryptOnHost };
