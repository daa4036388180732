// src/main/core/logger.ts
var silentLogger = {
	debug() {},
	info() {},
	warn() {},
	error() {}
};
/** JSON lines on a writable (stderr for the CLI and serve), at or above `level`. */
function jsonLogger(write, level = "info") {
	const order = [
		"debug",
		"info",
		"warn",
		"error"
	];
	const at = (l) => (message, fields) => {
		if (order.indexOf(l) < order.indexOf(level)) return;
		const { time: _time, level: _level, message: _message, ...rest } = fields ?? {};
		write(`${JSON.stringify({
			time: (/* @__PURE__ */ new Date()).toISOString(),
			level: l,
			message,
			...rest
		})}\n`);
	};
	return {
		debug: at("debug"),
		info: at("info"),
		warn: at("warn"),
		error: at("error")
	};
}
/** Remembered lines of a sentence logger; beyond this a long-running host forgets the oldest. */
var REMEMBERED = 500;
/**
* Warnings and errors for a person at a terminal, as sentences: "warning: A run was interrupted
* when its process stopped (run id 5f0..., job shop, pid 4242)." Each distinct line is printed
* once, however often the core logs it; JSON lines are for log files and --log-format json.
*/
function sentenceLogger(write, level = "warn") {
	const said = /* @__PURE__ */ new Set();
	const at = (l) => (message, fields) => {
		if (l === "warn" && level === "error") return;
		const line = `${l === "error" ? "error" : "warning"}: ${asSentence(message, fields)}\n`;
		if (said.has(line)) return;
		if (said.size >= REMEMBERED) said.delete(said.values().next().value);
		said.add(line);
		write(line);
	};
	return {
		debug() {},
		info() {},
		warn: at("warn"),
		error: at("error")
	};
}
/** "could not remove a file", { path: '/x' } -> "Could not remove a file (path: /x)." */
function asSentence(message, fields = {}) {
	const text = message.trim().replace(/[.:]$/, "");
	const details = Object.entries(fields).filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean").map(([k, v]) => [k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(), String(v).split("\n")[0].trim()]).filter(([, v]) => v !== "" && !text.includes(v)).map(([k, v]) => `${k}: ${v}`);
	return `${text.charAt(0).toUpperCase()}${text.slice(1)}${details.length ? ` (${details.join(", ")})` : ""}.`;
}
/** Every line to each of `loggers` (stderr and the log file), each keeping its own level. */
function teeLogger(...loggers) {
	const each = (level) => (message, fields) => {
		for (const l of loggers) l[level](message, fields);
	};
	return {
		debug: each("debug"),
		info: each("info"),
		warn: each("warn"),
		error: each("error")
	};
}
/** The same logger with `fields` added to every line (a run's id, say). */
function withFields(log, fields) {
	return {
		debug: (m, f) => log.debug(m, {
			...fields,
			...f
		}),
		info: (m, f) => log.info(m, {
			...fields,
			...f
		}),
		warn: (m, f) => log.warn(m, {
			...fields,
			...f
		}),
		error: (m, f) => log.error(m, {
			...fields,
			...f
		})
	};
}
export { teeLogger as a, silentLogger as i, jsonLogger as n, withFields as o, sentenceLogger as r, asSentence as t };
