import { t as AppError } from "./result-9C-V9fjg.js";
import { t as exportSecretFile } from "./export-file-BjPN3P-2.js";
import { n as ageEncryptBuffer } from "./age-buffer-CkwBVS_2.js";
import { n as systemDocument, t as SYSTEM_FORMAT } from "./system-document-D-15X2Cu.js";
// src/main/core/system/system-export.ts
/**
* Writes the whole configuration, every secret opened with this data dir's master key, as one
* age file encrypted to `passphrase` (scrypt), created 0600 under a temporary name and renamed.
* The document is checked against the import schema first: a file import would refuse is not
* written. Run history and connection test results stay behind: they describe this machine.
*/
async function exportSystem(deps, request) {
	deps.keys.box();
	const document = checked(collectSystemDocument(deps));
	const plaintext = Buffer.from(JSON.stringify(document), "utf8");
	const bytes = await ageEncryptBuffer({
		passphrase: request.passphrase,
		scryptWorkFactor: deps.scryptWorkFactor
	}, plaintext);
	plaintext.fill(0);
	exportSecretFile(request.path, bytes);
	return {
		path: request.path,
		bytes: bytes.byteLength,
		counts: countsOf(document)
	};
}
function countsOf(document) {
	return {
		environments: document.environments.length,
		sources: document.sources.length,
		destinations: document.destinations.length,
		profiles: document.profiles.length,
		jobs: document.jobs.length,
		pins: document.pins.length
	};
}
function checked(document) {
	const parsed = systemDocument.safeParse(document);
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	throw new AppError("INTERNAL", `The configuration could not be exported: ${issue.path.join(".")} ${issue.message}. Nothing was written.`);
}
/**
* The configuration as the document holds it, read straight from the store's rows so ids, names
* and times are kept; unchecked until `checked` runs the document schema over it.
*/
function collectSystemDocument(deps) {
	const { db } = deps;
	const all = (sql) => db.prepare(sql).all();
	const config = (text) => JSON.parse(text);
	const allowed = /* @__PURE__ */ new Map();
	for (const r of all("SELECT environment_id, destination_id FROM environment_destinations ORDER BY destination_id")) allowed.set(r.environment_id, [...allowed.get(r.environment_id) ?? [], r.destination_id]);
	const jobDestinations = /* @__PURE__ */ new Map();
	for (const r of all("SELECT job_id, destination_id FROM job_destinations ORDER BY job_id, position")) jobDestinations.set(r.job_id, [...jobDestinations.get(r.job_id) ?? [], r.destination_id]);
	const settings = deps.settings.get();
	const webhookUrl = deps.settings.webhookUrl();
	return {
		format: SYSTEM_FORMAT,
		formatVersion: 1,
		app: {
			name: "vaultdesk",
			version: deps.version
		},
		exportedAt: deps.now().toISOString(),
		environments: all("SELECT * FROM environments ORDER BY created_at, id").map((r) => ({
			id: r.id,
			name: r.name,
			description: r.description,
			allowAllDestinations: r.allow_all_destinations === 1,
			allowedDestinationIds: allowed.get(r.id) ?? [],
			createdAt: r.created_at
		})),
		destinations: all("SELECT * FROM destinations ORDER BY created_at, id").map((r) => ({
			id: r.id,
			name: r.name,
			kind: r.kind,
			config: config(r.config),
			secrets: deps.destinations.secrets(r.id),
			locked: r.locked === 1,
			isDefault: r.is_default === 1,
			createdAt: r.created_at,
			updatedAt: r.updated_at
		})),
		sources: all("SELECT * FROM sources ORDER BY created_at, id").map((r) => ({
			id: r.id,
			name: r.name,
			engine: r.engine,
			environmentId: r.environment_id,
			config: config(r.config),
			secrets: deps.sources.secrets(r.id),
			createdAt: r.created_at,
			updatedAt: r.updated_at
		})),
		profiles: all("SELECT * FROM profiles ORDER BY created_at, id").map((r) => ({
			id: r.id,
			name: r.name,
			kind: r.kind,
			recipient: r.recipient,
			extraRecipients: config(r.extra_recipients),
			secrets: deps.profiles.secrets(r.id),
			identityExportedAt: r.identity_exported_at,
			identityImported: r.identity_imported === 1,
			createdAt: r.created_at
		})),
		jobs: all("SELECT * FROM jobs ORDER BY created_at, id").map((r) => ({
			id: r.id,
			name: r.name,
			sourceId: r.source_id,
			profileId: r.profile_id,
			destinationIds: jobDestinations.get(r.id) ?? [],
			enabled: r.enabled === 1,
			config: config(r.config),
			secrets: deps.jobs.secrets(r.id),
			createdAt: r.created_at,
			updatedAt: r.updated_at
		})),
		settings: {
			toolPaths: settings.toolPaths,
			maxConcurrentRuns: settings.maxConcurrentRuns,
			schedulesPaused: settings.schedulesPaused,
			webhook: webhookUrl === null ? null : {
				url: webhookUrl,
				format: settings.webhookFormat
			}
		},
		pins: all("SELECT destination_id, object_key, pinned_until FROM backup_state WHERE pinned = 1 ORDER BY destination_id, object_key").filter((r) => r.pinned_until === null || Date.parse(r.pinned_until) > deps.now().getTime()).map((r) => ({
			destinationId: r.destination_id,
			objectKey: r.object_key,
			pinnedUntil: r.pinned_until
		})),
		backups: all("SELECT id, job_id, destination_id, object_key, database_name, size, sha256, manifest, created_at FROM backups WHERE job_id IS NOT NULL ORDER BY created_at").map((r) => ({
			id: r.id,
			jobId: r.job_id,
			destinationId: r.destination_id,
			objectKey: r.object_key,
			database: r.database_name,
			size: r.size,
			sha256: r.sha256,
			manifest: r.manifest,
			createdAt: r.created_at
		}))
	};
}
export { exportSystem };
