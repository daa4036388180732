import { n as TOOL_NAMES, r as WEBHOOK_FORMATS } from "./dto-DE1A35sA.js";
import { n as jobCreate } from "./schemas-BoD2yQ7S.js";
import { z } from "zod";
// src/main/core/system/system-document.ts
/**
* The plaintext of a system backup: the whole configuration with every secret in clear, as one
* JSON document. It is read back from a file Vaultdesk did not keep, so on import it is untrusted
* input: every field is checked here before anything is written. Exports are checked against the
* same schema before they are written, so a file that import would refuse is never made.
*/
var SYSTEM_FORMAT = "vaultdesk-system-backup";
/** Bound on every list: a configuration is a few hundred rows, not millions. */
var MAX_ROWS = 1e4;
var MAX_PATH = 4096;
var id = z.uuid();
var time = z.iso.datetime({ offset: true });
/** Text that can be stored and given to a tool as it is: no lone surrogates, no NUL. */
var text = (min, max) => z.string().min(min).max(max).refine((s) => !/\p{Cs}/u.test(s) && !s.includes("\0"), "must be valid text without NUL");
var name = text(1, 64);
var port = z.number().int().min(1).max(65535);
var secret = text(1, 65536);
var fingerprint = text(1, 256).nullable();
var environment = z.strictObject({
	id,
	name,
	description: text(0, 500),
	allowAllDestinations: z.boolean(),
	allowedDestinationIds: z.array(id).max(MAX_ROWS),
	createdAt: time
});
var sshConfig = z.strictObject({
	mode: z.enum(["exec", "tunnel"]),
	host: text(1, 255),
	port,
	user: text(1, 128),
	hostKeyFingerprint: fingerprint
});
var sourceConfig = z.strictObject({
	host: text(1, 255).nullable(),
	port: port.nullable(),
	user: text(1, 128).nullable(),
	database: text(1, 128).nullable(),
	path: text(1, MAX_PATH).nullable(),
	allDatabases: z.boolean(),
	tlsMode: z.enum([
		"disable",
		"prefer",
		"require",
		"verify-full"
	]),
	ssh: sshConfig.nullable()
});
var source = z.strictObject({
	id,
	name,
	engine: z.enum([
		"postgres",
		"mysql",
		"sqlite"
	]),
	environmentId: id,
	config: sourceConfig,
	secrets: z.strictObject({
		password: secret.optional(),
		sshPassword: secret.optional(),
		sshPrivateKey: secret.optional(),
		sshPassphrase: secret.optional()
	}),
	createdAt: time,
	updatedAt: time
}).refine((s) => s.engine === "sqlite" === (s.config.path !== null), "a SQLite source has a file path, and only a SQLite source has one").refine((s) => s.engine === "sqlite" || s.config.host !== null, "a server source has a host").refine((s) => s.engine === "sqlite" || s.config.database !== null || s.config.allDatabases, "a server source names its database, or all of them").refine((s) => !s.config.ssh || s.secrets.sshPassword !== void 0 || s.secrets.sshPrivateKey !== void 0, "SSH needs a password or a private key").refine((s) => s.engine !== "sqlite" || Object.keys(s.secrets).length === 0, "a SQLite source has no credentials");
var destinationCommon = {
	id,
	name: text(3, 30),
	locked: z.boolean(),
	isDefault: z.boolean(),
	createdAt: time,
	updatedAt: time
};
var destination = z.discriminatedUnion("kind", [
	z.strictObject({
		kind: z.literal("local"),
		...destinationCommon,
		config: z.strictObject({ path: text(1, MAX_PATH) }),
		secrets: z.strictObject({})
	}),
	z.strictObject({
		kind: z.literal("s3"),
		...destinationCommon,
		config: z.strictObject({
			provider: z.enum([
				"aws",
				"minio",
				"r2",
				"b2",
				"wasabi",
				"spaces",
				"custom"
			]),
			bucket: text(3, 63),
			region: text(0, 64),
			endpoint: z.url().max(2048).nullable(),
			publicEndpoint: z.url().max(2048).nullable(),
			pathStyle: z.boolean(),
			accessKeyId: text(1, 256).nullable(),
			prefix: text(0, 512),
			partSizeMiB: z.number().int().min(5).max(5120),
			buckets: z.array(text(3, 63)).max(100).default([]),
			account: text(0, 64).nullable().default(null)
		}),
		secrets: z.strictObject({ secretAccessKey: secret.optional() })
	}),
	z.strictObject({
		kind: z.literal("sftp"),
		...destinationCommon,
		config: z.strictObject({
			host: text(1, 255),
			port,
			user: text(1, 128),
			path: text(1, MAX_PATH),
			hostKeyFingerprint: fingerprint
		}),
		secrets: z.strictObject({
			password: secret.optional(),
			privateKey: secret.optional(),
			passphrase: secret.optional()
		})
	})
]);
var profileCommon = {
	id,
	name,
	identityExportedAt: time.nullable(),
	identityImported: z.boolean(),
	createdAt: time
};
var ageRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, "must be an age X25519 recipient (age1...)");
var profile = z.discriminatedUnion("kind", [z.strictObject({
	kind: z.literal("age"),
	...profileCommon,
	recipient: ageRecipient,
	extraRecipients: z.array(ageRecipient).max(100),
	secrets: z.strictObject({ identity: z.string().regex(/^AGE-SECRET-KEY-1[0-9A-Z]+$/).max(256).optional() })
}), z.strictObject({
	kind: z.literal("7z"),
	...profileCommon,
	recipient: z.null(),
	extraRecipients: z.array(z.never()).max(0),
	secrets: z.strictObject({ passphrase: text(1, 1024).optional() })
})]);
/** A job's stored configuration is its create input without the references and secrets, plus the redacted hosts of its URLs. */
var jobConfig = jobCreate.omit({
	name: true,
	sourceId: true,
	destinationIds: true,
	profileId: true,
	enabled: true,
	webhookUrl: true,
	healthchecksUrl: true
}).extend({
	webhookHost: text(0, 2048).nullable().optional(),
	healthchecksHost: text(0, 2048).nullable().optional()
});
var job = z.strictObject({
	id,
	name: jobCreate.shape.name,
	sourceId: id,
	profileId: id.nullable(),
	destinationIds: z.array(id).min(1).max(100),
	enabled: z.boolean(),
	config: jobConfig,
	secrets: z.strictObject({
		webhookUrl: jobCreate.shape.webhookUrl,
		healthchecksUrl: jobCreate.shape.healthchecksUrl
	}),
	createdAt: time,
	updatedAt: time
});
var settings = z.strictObject({
	toolPaths: z.partialRecord(z.enum(TOOL_NAMES), text(1, MAX_PATH)),
	maxConcurrentRuns: z.number().int().min(1).max(16),
	schedulesPaused: z.boolean(),
	webhook: z.strictObject({
		url: z.url({ protocol: /^https?$/ }).max(2048),
		format: z.enum(WEBHOOK_FORMATS)
	}).nullable()
});
var pin = z.strictObject({
	destinationId: id,
	objectKey: text(1, MAX_PATH),
	pinnedUntil: time.nullable()
});
/** A backup a job's runs stored (the `backups` table): what its retention counts as the job's own. */
var storedBackup = z.strictObject({
	id,
	jobId: id,
	destinationId: id,
	objectKey: text(1, MAX_PATH),
	database: text(1, 1e3),
	size: z.number().int().min(0),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	manifest: text(1, 1e6),
	createdAt: time
});
var systemDocument = z.strictObject({
	format: z.literal(SYSTEM_FORMAT),
	formatVersion: z.literal(1),
	app: z.strictObject({
		name: z.literal("vaultdesk"),
		version: text(1, 64)
	}),
	exportedAt: time,
	environments: z.array(environment).max(MAX_ROWS),
	destinations: z.array(destination).max(MAX_ROWS),
	sources: z.array(source).max(MAX_ROWS),
	profiles: z.array(profile).max(MAX_ROWS),
	jobs: z.array(job).max(MAX_ROWS),
	settings,
	pins: z.array(pin).max(MAX_ROWS * 10),
	backups: z.array(storedBackup).max(1e6).default([])
});
/** Read first, alone: a file from a newer Vaultdesk is told apart from a damaged one by these fields. */
var systemDocumentHeader = z.looseObject({
	format: z.literal(SYSTEM_FORMAT),
	formatVersion: z.number().int().min(1),
	app: z.looseObject({ version: z.string().max(64).optional() }).optional()
});
export { systemDocument as n, systemDocumentHeader as r, SYSTEM_FORMAT as t };
