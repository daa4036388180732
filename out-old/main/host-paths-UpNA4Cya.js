import { homedir } from "node:os";
import path from "node:path";
import { parse, quote } from "shell-quote";
// src/shared/domain/time-words.ts
var two = (n) => String(n).padStart(2, "0");
/**
* An instant as this machine's clock shows it, to the minute, with its offset: "2027-01-01 00:00
* (UTC+01:00)", "2026-12-03 16:40 (UTC)". What a person typed as `--until 2027-01-01` comes back
* in the same terms, not as an ISO instant in UTC.
*/
function localMinuteWords(iso) {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	const offset = -d.getTimezoneOffset();
	const zone = offset === 0 ? "UTC" : `UTC${offset > 0 ? "+" : "-"}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
	return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())} (${zone})`;
}
// src/shared/domain/retention.ts
/** The policy in words: "keep the last 3, 7 daily, 4 weekly; never fewer than the newest 1; pinned backups are always kept". */
function describeRetention(policy) {
	if (!policy) return "none: every backup is kept";
	const rules = [
		policy.keepLast ? `the last ${policy.keepLast}` : null,
		policy.daily ? `${policy.daily} daily` : null,
		policy.weekly ? `${policy.weekly} weekly` : null,
		policy.monthly ? `${policy.monthly} monthly` : null,
		policy.yearly ? `${policy.yearly} yearly` : null
	].filter((r) => r !== null);
	if (rules.length === 0) return "no keep rules: every backup is kept";
	const floor = policy.minimum > 0 ? `; never fewer than the newest ${policy.minimum}` : "";
	return `keep ${rules.join(", ")}${floor}; pinned backups are always kept`;
}
// src/shared/domain/hook-command.ts
/**
* A hook as the user typed it, as a command to store. Without a shell the line is split into a
* program and its arguments the way a POSIX shell would split it (quotes and backslashes), and
* anything only a shell can do (pipes, `&&`, redirections, `$VAR`, globs) is refused with the
* way out named, rather than passed to the program as literal text it would not expect.
* Returns the command, or the reason it cannot be one; `useShell` is how this host's user asks
* for a shell (a CLI flag, a form's switch).
*/
function hookCommandFromLine(line, shell, useShell = "add --hook-shell to run it with a shell") {
	const text = line.trim();
	if (!text) return { error: "the command is empty" };
	if (shell) return { command: {
		shell: true,
		script: text
	} };
	const variables = [];
	const parts = parse(text, (name) => {
		variables.push(name);
		return `$${name}`;
	});
	if (variables.length > 0) return { error: `it uses the shell variable $${variables[0]}: ${useShell}, or write the value out` };
	const argv = [];
	for (const part of parts) if (typeof part === "string") argv.push(part);
	else if ("comment" in part) break;
	else if (part.op === "glob") return { error: `it uses the wildcard ${part.pattern}: ${useShell}` };
	else return { error: `it uses the shell operator ${part.op}: ${useShell}, or put it in a script` };
	if (argv.length === 0 || !argv[0]) return { error: "the command is empty" };
	return { command: {
		shell: false,
		argv
	} };
}
/** The command as a line that can be pasted into a shell (a shell hook is its script). */
function describeHook(command) {
	return command.shell ? command.script : quote(command.argv);
}
// src/main/core/paths.ts
/**
* The OS app-data folder, as Electron's `app.getPath('userData')` would give it, so the CLI,
* `serve` and the desktop app share one data dir by default.
*/
function defaultDataDir(platform, env, home) {
	if (env.VAULTDESK_DATA_DIR) return path.resolve(env.VAULTDESK_DATA_DIR);
	const p = platform === "win32" ? path.win32 : path.posix;
	if (platform === "win32") return p.join(absoluteOr(p, env.APPDATA, p.join(home, "AppData", "Roaming")), "Vaultdesk");
	if (platform === "darwin") return p.join(home, "Library", "Application Support", "Vaultdesk");
	return p.join(absoluteOr(p, env.XDG_CONFIG_HOME, p.join(home, ".config")), "Vaultdesk");
}
function absoluteOr(p, value, fallback) {
	return value && p.isAbsolute(value) ? value : fallback;
}
/**
* What of the host's environment the dump tools may see: everything but Vaultdesk's own
* variables, so the master key given in VAULTDESK_MASTER_KEY never reaches a child process.
*/
function toolEnvFrom(env) {
	return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("VAULTDESK_")));
}
// src/main/host/host-paths.ts
/** Where a host's data dir is: --data-dir, else VAULTDESK_DATA_DIR, else the OS app-data folder. */
function hostDataDir(start) {
	return start.dataDir ? path.resolve(start.dataDir) : defaultDataDir(start.platform ?? process.platform, start.env, start.home ?? homedir());
}
/** What dump tools see: the host's environment minus Vaultdesk's own variables, with a PATH. */
function hostToolEnv(env, platform = process.platform) {
	const toolEnv = toolEnvFrom(env);
	const pathKey = Object.keys(toolEnv).find((k) => k.toUpperCase() === "PATH");
	if (!pathKey || !toolEnv[pathKey]) toolEnv.PATH = platform === "win32" ? "C:\\Windows\\System32;C:\\Windows" : "/usr/local/bin:/usr/bin:/bin";
	return toolEnv;
}
/**
* Where the master key is kept when no OS keychain can be reached and none was given: a folder
* of its own beside the data dir, named after it (`~/.config/Vaultdesk-key/master.key` for
* `~/.config/Vaultdesk`). Beside, not inside: a copy of the data dir (a sync, a backup of the
* home folder, a support bundle) does not carry the key that opens its secrets, and the folder
* keeps its own owner-only mode whatever the data dir's is. Derived from the data dir alone, so
* two data dirs keep two keys and every host (app, serve, daemon, each command) finds the same one.
*/
function hostKeyFile(dataDir) {
	return path.join(path.dirname(dataDir), `${path.basename(dataDir)}-key`, "master.key");
}
export { hookCommandFromLine as a, describeHook as i, hostKeyFile as n, describeRetention as o, hostToolEnv as r, localMinuteWords as s, hostDataDir as t };
