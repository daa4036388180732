import { t as AppError } from "./result-9C-V9fjg.js";
import path from "node:path";
import { accessSync, constants, statSync } from "node:fs";
import { execFile } from "node:child_process";
/** `7zz` is upstream 7-Zip; `7z`/`7za` are p7zip on older systems, upstream 7-Zip on newer ones and on Windows. */
var EXECUTABLES = [
	"7zz",
	"7z",
	"7za"
];
/**
* After PATH: apps started from the macOS Finder get a PATH without Homebrew, and the Windows
* installer does not add 7-Zip to PATH. Linux desktops put /usr/bin on PATH already.
*/
function installDirs(platform, env) {
	if (platform === "darwin") return ["/opt/homebrew/bin", "/usr/local/bin"];
	if (platform === "win32") {
		const programFiles = [
			env.ProgramFiles ?? env.PROGRAMFILES,
			env["ProgramFiles(x86)"],
			"C:\\Program Files",
			"C:\\Program Files (x86)"
		];
		return [...new Set(programFiles.filter((d) => !!d))].map((d) => path.win32.join(d, "7-Zip"));
	}
	return [];
}
var INSTALL = "Install 7-Zip 22 or newer (Debian/Ubuntu: apt install 7zip, which provides 7zz; Fedora: dnf install 7zip; macOS: brew install sevenzip; Windows: the installer from 7-zip.org)";
var SETTING_WORDS = {
	settings: {
		given: "the path set in Settings",
		correct: "Correct the path or clear it to search the PATH.",
		set: "or set its path in Settings."
	},
	"decrypt-option": {
		given: "given with --7z",
		correct: "Correct the path, or leave --7z out to search the PATH.",
		set: "or give its path with --7z PATH."
	}
};
function installHint(setting) {
	return `${INSTALL} ${SETTING_WORDS[setting].set}`;
}
/**
* Finds 7-Zip: the configured path if any (and only it), else `7zz`, `7z`, `7za` on the PATH of
* `env` and in the usual install folders. A binary older than 22 is passed over for a newer one
* found later; when there is none, CLIENT_TOO_OLD names the old one and its version.
*/
async function findSevenZip(env, configuredPath, setting = "settings") {
	const platform = currentPlatform();
	const childEnv = definedOnly(env);
	if (configuredPath) {
		if (!isExecutable(configuredPath, platform)) throw new AppError("CLIENT_TOOL_MISSING", `7-Zip was not found at ${configuredPath} (${SETTING_WORDS[setting].given}). ${SETTING_WORDS[setting].correct} ${installHint(setting)}`, {
			tool: "7z",
			path: configuredPath
		});
		const version = await sevenZipVersion(configuredPath, childEnv, setting);
		assertRecent(configuredPath, version, setting);
		return {
			path: configuredPath,
			version: version.text,
			env: childEnv
		};
	}
	let tooOld = null;
	for (const file of candidates(env, platform)) {
		let version;
		try {
			version = await sevenZipVersion(file, childEnv, setting);
		} catch {
			continue;
		}
		if (version.major >= 22) return {
			path: file,
			version: version.text,
			env: childEnv
		};
		tooOld ??= {
			file,
			version
		};
	}
	if (tooOld) assertRecent(tooOld.file, tooOld.version, setting);
	throw new AppError("CLIENT_TOOL_MISSING", `7-Zip (7zz, 7z or 7za) was not found. ${installHint(setting)}`, { tool: "7z" });
}
/**
* Reads the banner every 7-Zip flavour prints first:
* `7-Zip (z) 26.02 (x64) : Copyright ...` (7zz), `7-Zip 24.08 (x64) : ...` (Windows),
* `7-Zip (a) 22.01 ...` (7za), `7-Zip [64] 16.02 : ...` (p7zip).
*/
function parseSevenZipVersion(output) {
	const m = /7-Zip\s+(?:\([a-z]+\)\s+)?(?:\[\d+\]\s+)?(\d+)\.(\d+)/i.exec(output);
	if (!m) return null;
	return {
		major: Number(m[1]),
		minor: Number(m[2]),
		text: `${m[1]}.${m[2]}`
	};
}
/** Runs the binary without arguments (it prints its banner and usage; there is no --version). */
function sevenZipVersion(file, env, setting) {
	return new Promise((resolve, reject) => {
		execFile(file, [], {
			env,
			timeout: 15e3,
			windowsHide: true,
			shell: false,
			maxBuffer: 1048576
		}, (error, stdout) => {
			const parsed = parseSevenZipVersion(String(stdout));
			if (parsed) return resolve(parsed);
			const why = error ? `: ${error.code ?? error.message.split("\n")[0]}` : "";
			reject(new AppError("CLIENT_TOOL_MISSING", `${file} did not report a 7-Zip version${why}. Check that it is a working 7-Zip binary. ${installHint(setting)}`, {
				tool: "7z",
				path: file
			}));
		});
	});
}
function assertRecent(file, version, setting) {
	if (version.major >= 22) return;
	const p7zip = version.major <= 16 ? " (p7zip, unmaintained since 2016, with known security flaws)" : "";
	throw new AppError("CLIENT_TOO_OLD", `7-Zip ${version.text} at ${file} is too old${p7zip}: Vaultdesk needs 7-Zip 22 or newer. ${installHint(setting)}`, {
		tool: "7z",
		path: file,
		clientVersion: version.text,
		minimumVersion: `22.00`
	});
}
function candidates(env, platform) {
	const pathApi = platform === "win32" ? path.win32 : path.posix;
	const dirs = [...pathDirs(env, platform), ...installDirs(platform, env)];
	const found = [];
	for (const executable of EXECUTABLES) for (const dir of dirs) {
		const file = pathApi.join(dir, platform === "win32" ? `${executable}.exe` : executable);
		if (!found.includes(file) && isExecutable(file, platform)) found.push(file);
	}
	return found;
}
function pathDirs(env, platform) {
	const key = platform === "win32" ? Object.keys(env).find((k) => k.toUpperCase() === "PATH") : "PATH";
	return ((key ? env[key] : void 0) ?? "").split(platform === "win32" ? ";" : ":").filter((d) => d.length > 0);
}
function isExecutable(file, platform) {
	try {
		if (!statSync(file).isFile()) return false;
		if (platform !== "win32") accessSync(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}
function definedOnly(env) {
	const out = {};
	for (const [key, value] of Object.entries(env)) if (value !== void 0) out[key] = value;
	return out;
}
function currentPlatform() {
	return process.platform === "win32" || process.platform === "darwin" ? process.platform : "linux";
}
export { parseSevenZipVersion as n, findSevenZip as t };
