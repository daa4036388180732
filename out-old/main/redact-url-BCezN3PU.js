import { t as AppError } from "./result-9C-V9fjg.js";
import { randomUUID } from "node:crypto";
// src/main/core/store/names.ts
/** Friendly NAME_TAKEN before the UNIQUE constraint would fire (names compare case-insensitively). */
function assertNameFree(db, table, label, name, exceptId) {
	const row = db.prepare(`SELECT id FROM ${table} WHERE name = ? COLLATE NOCASE`).get(name);
	if (row && row.id !== exceptId) throw new AppError("NAME_TAKEN", `A ${label} named "${name}" already exists. Choose another name.`, { field: "name" });
}
function notFound(label, id) {
	return new AppError("NOT_FOUND", `No ${label} with id ${id}.`, { id });
}
// src/main/core/store/row-secrets.ts
/** One sealed JSON object per row; the row's table and id are the associated data. */
function sealSecrets(box, table, id, secrets) {
	const names = Object.keys(secrets).sort();
	if (names.length === 0) return {
		sealed: null,
		names
	};
	return {
		sealed: box.seal(JSON.stringify(secrets), `${table}:${id}`),
		names
	};
}
function openSecrets(box, table, id, sealed) {
	if (sealed === null) return {};
	return JSON.parse(box.open(sealed, `${table}:${id}`));
}
function hasChanges(changes) {
	return Object.values(changes).some((v) => v !== void 0);
}
function applyChanges(current, changes) {
	const next = { ...current };
	for (const [name, value] of Object.entries(changes)) {
		if (value === void 0) continue;
		if (value === null) delete next[name];
		else next[name] = value;
	}
	return next;
}
/** Keeps only the secret keys of an input object, dropping those left out. */
function pickSecrets(input, names) {
	const out = {};
	for (const n of names) {
		const v = input[n];
		if (v === null || typeof v === "string") out[n] = v;
	}
	return out;
}
// src/main/core/store/environments-repository.ts
var DEFAULT_ENVIRONMENT = "default";
var EnvironmentsRepository = class {
	db;
	now;
	constructor(db, now) {
		this.db = db;
		this.now = now;
	}
	list() {
		return this.db.prepare("SELECT * FROM environments ORDER BY name COLLATE NOCASE").all().map((r) => this.#toDto(r));
	}
	get(id) {
		const row = this.db.prepare("SELECT * FROM environments WHERE id = ?").get(id);
		if (!row) throw notFound("environment", id);
		return this.#toDto(row);
	}
	findByName(name) {
		const row = this.db.prepare("SELECT * FROM environments WHERE name = ? COLLATE NOCASE").get(name);
		return row ? this.#toDto(row) : null;
	}
	/** Sources without an explicit environment go to `default`, created on first need. */
	ensureDefault() {
		return this.findByName("default") ?? this.create({
			name: "default",
			description: "Created automatically",
			allowAllDestinations: true,
			allowedDestinationIds: []
		});
	}
	create(input) {
		const id = randomUUID();
		this.db.transaction(() => {
			assertNameFree(this.db, "environments", "environment", input.name);
			this.db.prepare("INSERT INTO environments (id, name, description, allow_all_destinations, created_at) VALUES (?, ?, ?, ?, ?)").run(id, input.name, input.description, input.allowAllDestinations ? 1 : 0, this.now().toISOString());
			this.#setAllowed(id, input.allowedDestinationIds);
		})();
		return this.get(id);
	}
	update(input) {
		const current = this.get(input.id);
		this.db.transaction(() => {
			if (input.name !== void 0) assertNameFree(this.db, "environments", "environment", input.name, input.id);
			this.db.prepare("UPDATE environments SET name = ?, description = ?, allow_all_destinations = ? WHERE id = ?").run(input.name ?? current.name, input.description ?? current.description, input.allowAllDestinations ?? current.allowAllDestinations ? 1 : 0, input.id);
			if (input.allowedDestinationIds) this.#setAllowed(input.id, input.allowedDestinationIds);
		})();
		return this.get(input.id);
	}
	delete(id) {
		const env = this.get(id);
		const sources = this.db.prepare("SELECT name FROM sources WHERE environment_id = ? ORDER BY name").all(id);
		if (sources.length > 0) {
			const names = sources.map((s) => s.name);
			throw new AppError("IN_USE", `Environment "${env.name}" still has sources: ${names.join(", ")}. Move or delete them first.`, { sources: names });
		}
		this.db.prepare("DELETE FROM environments WHERE id = ?").run(id);
	}
	#setAllowed(id, destinationIds) {
		this.db.prepare("DELETE FROM environment_destinations WHERE environment_id = ?").run(id);
		const insert = this.db.prepare("INSERT INTO environment_destinations (environment_id, destination_id) VALUES (?, ?)");
		for (const d of new Set(destinationIds)) {
			if (!this.db.prepare("SELECT 1 FROM destinations WHERE id = ?").get(d)) throw new AppError("NOT_FOUND", `No destination with id ${d}.`, {
				field: "allowedDestinationIds",
				id: d
			});
			insert.run(id, d);
		}
	}
	#toDto(r) {
		const allowed = this.db.prepare("SELECT destination_id FROM environment_destinations WHERE environment_id = ?").all(r.id);
		const count = this.db.prepare("SELECT COUNT(*) AS n FROM sources WHERE environment_id = ?").get(r.id);
		return {
			id: r.id,
			name: r.name,
			description: r.description,
			allowAllDestinations: r.allow_all_destinations === 1,
			allowedDestinationIds: allowed.map((a) => a.destination_id),
			sourceCount: count.n,
			createdAt: r.created_at
		};
	}
};
// src/main/core/notifications/redact-url.ts
/**
* What may be shown of a webhook or Healthchecks URL: its host. The path and query are where
* such URLs keep their token (hooks.slack.com/services/T../B../secret), so they are never shown.
*/
function redactUrl(url) {
	try {
		return `${new URL(url).host}/…`;
	} catch {
		return "(not a URL)";
	}
}
export { hasChanges as a, sealSecrets as c, applyChanges as i, assertNameFree as l, DEFAULT_ENVIRONMENT as n, openSecrets as o, EnvironmentsRepository as r, pickSecrets as s, redactUrl as t, notFound as u };
