let electron = require("electron");
// src/shared/ipc/contract.ts
var PHANTOM = Object.freeze({});
/** Marks a channel's result type (or an event's payload type) in the contract map. */
function resultType() {
	return PHANTOM;
}
/** The same marker, for an event's payload. */
var payloadType = resultType;
/**
* The contract, written once: every invoke channel (`domain:action`) with the schema its input
* must pass (named, from schemas.ts) and the type of its result. The channel list, the input
* schemas, the result types, the handlers' type and `window.vaultdesk` are all derived from
* this map, so a new channel is one entry here plus its handler. Results never carry a secret
* value. The order of the entries is the order of INVOKE_CHANNELS.
*
* Schemas are named rather than referenced so that this module holds no zod at run time: the
* sandboxed preload builds `window.vaultdesk` from this map and stays a few kilobytes.
*/
var contract = {
	"app:info": {
		input: "empty",
		result: resultType()
	},
	"environments:list": {
		input: "empty",
		result: resultType()
	},
	"environments:create": {
		input: "environmentCreate",
		result: resultType()
	},
	"environments:update": {
		input: "environmentUpdate",
		result: resultType()
	},
	"environments:delete": {
		input: "byId",
		result: resultType()
	},
	"sources:list": {
		input: "empty",
		result: resultType()
	},
	"sources:get": {
		input: "byId",
		result: resultType()
	},
	"sources:create": {
		input: "sourceCreate",
		result: resultType()
	},
	"sources:update": {
		input: "sourceUpdate",
		result: resultType()
	},
	"sources:delete": {
		input: "byId",
		result: resultType()
	},
	/** Connects and reports the server version; `success: false` says why a dump would not work. */
	"sources:test": {
		input: "byId",
		result: resultType()
	},
	"sources:databases": {
		input: "byId",
		result: resultType()
	},
	"destinations:list": {
		input: "empty",
		result: resultType()
	},
	"destinations:get": {
		input: "byId",
		result: resultType()
	},
	"destinations:create": {
		input: "destinationCreate",
		result: resultType()
	},
	"destinations:update": {
		input: "destinationUpdate",
		result: resultType()
	},
	"destinations:delete": {
		input: "byId",
		result: resultType()
	},
	"destinations:lock": {
		input: "byId",
		result: resultType()
	},
	"destinations:unlock": {
		input: "byId",
		result: resultType()
	},
	"destinations:setDefault": {
		input: "byId",
		result: resultType()
	},
	/** S3: `scopedKey` when the key cannot list buckets; `buckets` that were reachable. */
	"destinations:test": {
		input: "byId",
		result: resultType()
	},
	/** Unfinished uploads no running run accounts for (`.partial` files, S3 multipart uploads), and what was done with each. */
	"destinations:cleanup": {
		input: "destinationCleanup",
		result: resultType()
	},
	"profiles:list": {
		input: "empty",
		result: resultType()
	},
	"profiles:create": {
		input: "profileCreate",
		result: resultType()
	},
	"profiles:update": {
		input: "profileUpdate",
		result: resultType()
	},
	"profiles:delete": {
		input: "byId",
		result: resultType()
	},
	/**
	* Writes an age profile's identity to a file created with mode 0600, for decrypting backups
	* with the `age` tool; the identity itself never crosses the contract.
	*/
	"profiles:exportIdentity": {
		input: "identityExport",
		result: resultType()
	},
	/**
	* Writes a recovery kit zip (0600) on the host: the chosen age profiles' identities (wrapped
	* with age's scrypt when a passphrase is given), keys.json and a README. The kit is read back
	* and proven with a canary per profile before it is written (INTEGRITY_FAILED otherwise), and
	* its profiles are then marked as saved outside Vaultdesk. No identity crosses the contract.
	*/
	"recovery:exportKit": {
		input: "kitExport",
		result: resultType()
	},
	/**
	* Decrypts (and decompresses) a backup file of the host with an identity file, a wrapped
	* identity, a recovery kit or a passphrase, as `vaultdesk decrypt` does, without the data dir's
	* profiles; progress as `recovery:decryptProgress`. The output is written under a temporary name
	* and renamed once complete: a failure leaves nothing at `out`, and an existing file is refused.
	*/
	"recovery:decrypt": {
		input: "recoveryDecrypt",
		result: resultType()
	},
	"jobs:list": {
		input: "empty",
		result: resultType()
	},
	"jobs:get": {
		input: "byId",
		result: resultType()
	},
	"jobs:create": {
		input: "jobCreate",
		result: resultType()
	},
	"jobs:update": {
		input: "jobUpdate",
		result: resultType()
	},
	"jobs:delete": {
		input: "byId",
		result: resultType()
	},
	/**
	* Dry run of the job's retention policy: per destination and database, every complete backup
	* with keep or delete and the rules that keep it. Nothing is deleted. With `retention`, that
	* policy instead of the saved one (a form previews a change before it is saved; null: none).
	*/
	"jobs:retentionPreview": {
		input: "retentionPreview",
		result: resultType()
	},
	/** Starts a run and returns at once; follow it with `runs:progress` / `runs:finished`. */
	"jobs:run": {
		input: "jobRun",
		result: resultType()
	},
	"runs:list": {
		input: "runsList",
		result: resultType()
	},
	"runs:get": {
		input: "byId",
		result: resultType()
	},
	"runs:cancel": {
		input: "byId",
		result: resultType()
	},
	/**
	* The storage explorer: what the destinations hold (every manifest paired with its object,
	* objects without one as incomplete, manifests without their object as broken), whoever made
	* it, newest first, one page at a time. A destination that cannot be read is named in
	* `problems`; the others are still listed.
	*/
	"backups:list": {
		input: "backupsList",
		result: resultType()
	},
	/** One backup (or incomplete object), looked at now at its destination. */
	"backups:get": {
		input: "byId",
		result: resultType()
	},
	/**
	* Reads the object back and checks its size and sha256 against the manifest, and the whole age
	* payload when a profile here holds the identity; the verdict (`ok`) is kept as last verified.
	*/
	"backups:verify": {
		input: "byId",
		result: resultType()
	},
	/** A local copy and its manifest, written under temporary names and renamed once checked; never replaces a file. */
	"backups:download": {
		input: "backupDownload",
		result: resultType()
	},
	/** S3 only: a presigned GET URL, through the destination's public endpoint when it has one. */
	"backups:url": {
		input: "backupUrl",
		result: resultType()
	},
	/** Retention keeps a pinned backup and delete refuses it, until it is unpinned or `until` has passed. */
	"backups:pin": {
		input: "backupPin",
		result: resultType()
	},
	"backups:unpin": {
		input: "byId",
		result: resultType()
	},
	/** Manifest first, then the object; refused (BACKUP_PINNED, DESTINATION_LOCKED) with nothing touched. */
	"backups:delete": {
		input: "byId",
		result: resultType()
	},
	/**
	* Starts a restore and returns at once; follow it with `restore:progress` / `restore:finished`
	* or `restore:get`. Into an existing database it restores a fresh copy beside it and swaps it in
	* at the end, so a failure leaves the target as it was; a target that holds tables or other objects is refused
	* (RESTORE_TARGET_NOT_EMPTY) unless `force`. `warnings`: what may stop it later, said as it starts (a
	* PostgreSQL target with sessions connected).
	*/
	"restore:start": {
		input: "restoreStart",
		result: resultType()
	},
	/** Restores into a scratch database, compares row counts with the source now, drops it; kept with the backup as its last drill. */
	"restore:drill": {
		input: "restoreDrill",
		result: resultType()
	},
	"restore:get": {
		input: "byId",
		result: resultType()
	},
	/** The restore history, newest first: who, what, where, when, how it went. */
	"restore:list": {
		input: "restoresList",
		result: resultType()
	},
	/** Cancels a running restore (of any process sharing the data dir); the target is left as it was. */
	"restore:cancel": {
		input: "byId",
		result: resultType()
	},
	/** Whether a database exists on a source and how many tables it holds: the wizard warns before replacing one. */
	"restore:inspectTarget": {
		input: "restoreTarget",
		result: resultType()
	},
	"settings:get": {
		input: "empty",
		result: resultType()
	},
	/** Where each tool is now, and its version: the path set in Settings or what the search finds on this host. */
	"settings:tools": {
		input: "empty",
		result: resultType()
	},
	/** Sets (or with `path: null` clears) where a client tool is. */
	"settings:setToolPath": {
		input: "toolPathSet",
		result: resultType()
	},
	/**
	* Whether the desktop app starts, in the tray, when the user logs in. Stored for the data dir
	* by any host; only the desktop app applies it (`app:info`'s `host` says which one answers).
	*/
	"settings:setStartAtLogin": {
		input: "startAtLoginSet",
		result: resultType()
	},
	/** Who runs the schedules of this data dir, whether they are paused, each scheduled job's next runs. */
	"schedules:status": {
		input: "empty",
		result: resultType()
	},
	/** Pauses every schedule (persisted; runs started by hand still work). */
	"schedules:pause": {
		input: "empty",
		result: resultType()
	},
	"schedules:resume": {
		input: "empty",
		result: resultType()
	},
	/** Scheduled runs at once over every process sharing the data dir; the rest wait in slot order. */
	"schedules:setConcurrency": {
		input: "concurrencySet",
		result: resultType()
	},
	/** A cron expression read back in words with its next runs, or VALIDATION_FAILED saying what a schedule is. */
	"schedules:preview": {
		input: "schedulePreview",
		result: resultType()
	},
	/** Sets (or with `url: null` removes) the global webhook; the URL is stored sealed and never returned. */
	"settings:setWebhook": {
		input: "settingsWebhook",
		result: resultType()
	},
	/**
	* Sends a test notification through each configured channel (a job's webhook and Healthchecks
	* URL when `jobId` is given, the global webhook, the desktop) once, and says how each went.
	*/
	"notifications:test": {
		input: "notificationTest",
		result: resultType()
	},
	"keys:status": {
		input: "empty",
		result: resultType()
	},
	/** The key itself never crosses the contract: it is written to a 0600 file. */
	"keys:export": {
		input: "keyExport",
		result: resultType()
	},
	"keys:rotate": {
		input: "empty",
		result: resultType()
	},
	/**
	* Puts back an exported key (its text; secrets go in, never out). MASTER_KEY_MISMATCH, with
	* nothing changed, when it is not the key this data folder's secrets were sealed with.
	*/
	"keys:import": {
		input: "keyImport",
		result: resultType()
	},
	/**
	* Gives up on a lost key: a new key, and every stored secret (passwords, keys, identities,
	* passphrases) dropped, to be re-entered. Needs `confirm: 'RESET'`.
	*/
	"keys:reset": {
		input: "keyReset",
		result: resultType()
	},
	/**
	* Writes the whole configuration (environments, sources, destinations, profiles, jobs, settings,
	* pins) with every secret as one age file encrypted to the passphrase (0600); only counts come back.
	*/
	"system:export": {
		input: "systemExport",
		result: resultType()
	},
	/**
	* Recreates a system backup's configuration, its secrets sealed under this data dir's master key,
	* in one transaction. DATA_DIR_NOT_EMPTY unless the data dir is empty or `merge` is set; a merge
	* leaves out (and lists) whatever has a name already used here and changes nothing here.
	*/
	"system:import": {
		input: "systemImport",
		result: resultType()
	}
};
/** Events pushed from the core to every connected window, with the type of their payload. */
var eventContract = {
	"config:changed": payloadType(),
	"runs:progress": payloadType(),
	"runs:finished": payloadType(),
	"restore:progress": payloadType(),
	"restore:finished": payloadType(),
	/** This process started or stopped running the schedules (took or let go of the lease). */
	"schedules:changed": payloadType(),
	/** A run failed, or a job succeeded again after a failure: the desktop app shows it as an OS notification. */
	"notifications:alert": payloadType(),
	"recovery:decryptProgress": payloadType()
};
// src/shared/ipc/channels.ts
/** Every invoke channel, derived from the contract map in its order (object keys keep insertion order). */
var INVOKE_CHANNELS = Object.freeze(Object.keys(contract));
/** Events pushed from the core to every connected window, derived from the event map. */
var EVENT_CHANNELS = Object.freeze(Object.keys(eventContract));
// src/shared/ipc/client.ts
/** Builds `window.vaultdesk` from the channel list, so no channel is wired by hand. */
function buildApi(transport) {
	const api = {};
	for (const channel of INVOKE_CHANNELS) {
		const [domain, action] = channel.split(":");
		api[domain] ??= {};
		api[domain][action] = (input) => transport.invoke(channel, input ?? {});
	}
	const on = (event, listener) => {
		if (!EVENT_CHANNELS.includes(event)) throw new Error(`Unknown event ${event}`);
		return transport.subscribe(event, listener);
	};
	return Object.assign(api, { on });
}
// src/preload/index.ts
electron.contextBridge.exposeInMainWorld("vaultdesk", buildApi({
	invoke: (channel, input) => electron.ipcRenderer.invoke(channel, input).catch((error) => ({
		ok: false,
		error: {
			code: "INTERNAL",
			message: `The call ${channel} did not reach the app: ${String(error)}`
		}
	})),
	subscribe: (event, listener) => {
		const handler = (_event, payload) => listener(payload);
		electron.ipcRenderer.on(event, handler);
		return () => {
			electron.ipcRenderer.removeListener(event, handler);
		};
	}
}));
electron.contextBridge.exposeInMainWorld("vaultdeskFiles", { pathOf: (file) => electron.webUtils.getPathForFile(file) });
