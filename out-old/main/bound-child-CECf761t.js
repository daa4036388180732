import { accessSync, constants } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
// src/main/core/pipeline/child-tracker.ts
var listener = null;
/**
* The pipeline worker tells the host which processes it started (dump tools, 7-Zip): a worker
* that has to be stopped outright does not take its children with it, so the host kills them.
*/
function setChildListener(next) {
	listener = next;
}
function trackChild(child) {
	const report = listener;
	if (!report || child.pid === void 0) return;
	const pid = child.pid;
	report({
		pid,
		exited: false
	});
	child.once("exit", () => report({
		pid,
		exited: true
	}));
}
// src/main/core/pipeline/bound-child.ts
var SETPRIV_PLACES = ["/usr/bin/setpriv", "/bin/setpriv"];
var setpriv;
/**
* util-linux's setpriv when it can set a parent-death signal (2.33 and later), null otherwise.
* Asked once per process: the answer does not change while it runs.
*/
function parentDeathWrapper() {
	if (setpriv !== void 0) return setpriv;
	setpriv = null;
	if (process.platform !== "linux") return setpriv;
	for (const place of SETPRIV_PLACES) {
		if (!executable(place)) continue;
		if (spawnSync(place, [
			"--pdeathsig",
			"TERM",
			"--",
			"/bin/sh",
			"-c",
			"exit 0"
		], {
			stdio: "ignore",
			timeout: 5e3
		}).status === 0) setpriv = place;
		break;
	}
	return setpriv;
}
function executable(file) {
	try {
		accessSync(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}
/**
* Starts a dump, restore or archive tool that ends with the process that started it. A host killed
* outright (kill -9, the OOM killer, a crash) runs no handler, and a tool that does not read its
* stdin (pg_restore's index builds from a file, `--jobs` workers) went on writing into the server
* with no one left to report, cancel or clean up after it. On Linux the tool is started through
* setpriv, which sets SIGTERM as its parent-death signal and then execs it: the same pid, so a
* cancel's signal reaches the tool itself, and pg_restore's SIGTERM handler cancels its server
* sessions' statements. The kernel sends it when the thread that started the tool ends, which is
* a pipeline worker's thread: a worker stopped outright takes its tools with it too.
* On Windows libuv's job object already ends children with the process. Elsewhere (macOS), and on
* a Linux without a setpriv that can, the tool is started as it is.
*
* A tool that is not there or not executable is started as it is too, so that its ENOENT or
* EACCES comes from the spawn itself, as the callers' messages expect, not as setpriv's exit code.
*/
function spawnBound(file, args, options) {
	const wrapper = parentDeathWrapper();
	const child = wrapper && executable(file) ? spawn(wrapper, [
		"--pdeathsig",
		"TERM",
		"--",
		file,
		...args
	], options) : spawn(file, [...args], options);
	trackChild(child);
	return child;
}
export { setChildListener as n, spawnBound as t };
