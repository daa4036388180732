import { z } from 'zod';
import { BACKUP_STATUSES } from '../domain/backups';
import { blockedPortWords, fetchBlockedPort } from '../domain/fetch-blocked-ports';
import { MIN_NEW_PASSPHRASE } from '../domain/recovery';
import { TOOL_NAMES, WEBHOOK_FORMATS } from '../domain/dto';
import { RUN_STATUSES } from '../domain/runs';

/**
 * Input schemas for every contract channel. Objects are strict: an unknown key is an error,
 * so a typo in a script fails loudly instead of being ignored.
 */

/**
 * Every text field: a lone UTF-16 surrogate cannot be stored or passed to a tool as given (it
 * becomes U+FFFD), so what was accepted would not be what is kept; nor can a NUL, which a system
 * export (system-document.ts) refuses to write, so what was accepted could not be exported.
 */
function text(): z.ZodString {
  return z
    .string()
    .refine((s) => !/\p{Cs}/u.test(s), 'must be valid Unicode text (it holds a lone surrogate)')
    .refine((s) => !s.includes('\0'), 'must not contain a NUL character');
}

export const id = z.string().uuid({ message: 'must be an id (UUID)' });
const name = text().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
/** Job names appear in object keys, so they are limited to path-safe characters. */
const jobName = text()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1-64 letters, digits, dot, dash or underscore, starting with a letter or digit');
export const destinationName = text()
  .trim()
  .min(3, 'must be 3-30 characters')
  .max(30, 'must be 3-30 characters');
const host = text().trim().min(1, 'must not be empty').max(255);
const port = z.number().int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535');
const secret = text().min(1, 'must not be empty').max(65536);
/** Update semantics for secrets: absent keeps the stored value, null clears it, a string replaces it. */
const secretUpdate = secret.nullable().optional();
/** Linux's PATH_MAX; a bound for every path field. */
const MAX_PATH = 4_096;
/** Bound on lists (databases, ids, buckets): a store row and a contract answer stay small. */
const MAX_LIST = 1_000;

/** POSIX `/...`, Windows `C:\...` or `\\server\share`: the renderer cannot know which OS the core runs on. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
/**
 * A passphrase that will protect identities or credentials from now on (a 7-Zip profile, a kit, a system backup):
 * at least 12 characters, typed without control characters so that any terminal can give it back.
 */
const newPassphrase = text()
  .min(MIN_NEW_PASSPHRASE, `must be at least ${MIN_NEW_PASSPHRASE} characters`)
  .max(1024)
  .refine((p) => !/\p{Cc}/u.test(p), 'must not contain line breaks or control characters');

const noNul = (p: string): boolean => !p.includes('\0');
const absolutePath = text()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_PATH)
  .refine(isAbsolutePath, 'must be an absolute path')
  .refine(noNul, 'must not contain a NUL character');
const remotePath = text().trim().min(1, 'must not be empty').max(MAX_PATH).refine(noNul, 'must not contain a NUL character');
const url = z.url({ message: 'must be a URL' }).max(2048);
const ageRecipient = text().trim().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'must be an age X25519 recipient (age1...)');

export const empty = z.strictObject({});
export const byId = z.strictObject({ id });

export const environmentCreate = z.strictObject({
  name,
  description: text().max(500).default(''),
  allowAllDestinations: z.boolean().default(true),
  allowedDestinationIds: z.array(id).max(MAX_LIST).default([]),
});
export const environmentUpdate = z.strictObject({
  id,
  name: name.optional(),
  description: text().max(500).optional(),
  allowAllDestinations: z.boolean().optional(),
  allowedDestinationIds: z.array(id).max(MAX_LIST).optional(),
});

const sshInput = z.strictObject({
  mode: z.enum(['exec', 'tunnel']),
  host,
  port: port.default(22),
  user: text().trim().min(1).max(128),
  password: secretUpdate,
  privateKey: secretUpdate,
  passphrase: secretUpdate,
});

const serverFields = {
  host,
  port: port.optional(),
  user: text().trim().min(1, 'must not be empty').max(128),
  database: text().trim().min(1).max(128).nullable().optional(),
  allDatabases: z.boolean().default(false),
  tlsMode: z.enum(['disable', 'prefer', 'require', 'verify-full']).default('prefer'),
  password: secretUpdate,
  ssh: sshInput.nullable().optional(),
};

/**
 * Test the settings before saving them: they are saved (with the test's outcome as the entry's
 * last test) only when it passes; otherwise TEST_FAILED, with the test's words, and nothing is saved.
 */
const testOnSave = { test: z.boolean().optional() };

export const sourceCreate = z.discriminatedUnion('engine', [
  z.strictObject({ engine: z.literal('postgres'), name, environmentId: id.optional(), ...serverFields, ...testOnSave }),
  z.strictObject({ engine: z.literal('mysql'), name, environmentId: id.optional(), ...serverFields, ...testOnSave }),
  z.strictObject({ engine: z.literal('sqlite'), name, environmentId: id.optional(), path: absolutePath, ...testOnSave }),
]);

export const sourceUpdate = z.strictObject({
  id,
  name: name.optional(),
  environmentId: id.optional(),
  host: host.optional(),
  port: port.nullable().optional(),
  user: text().trim().min(1).max(128).optional(),
  database: text().trim().min(1).max(128).nullable().optional(),
  allDatabases: z.boolean().optional(),
  tlsMode: z.enum(['disable', 'prefer', 'require', 'verify-full']).optional(),
  path: absolutePath.optional(),
  password: secretUpdate,
  ssh: sshInput.nullable().optional(),
  /** Forget the pinned SSH host key; the next connection pins the key the server presents. */
  forgetHostKey: z.literal(true).optional(),
  ...testOnSave,
});

const s3Fields = {
  provider: z.enum(['aws', 'minio', 'r2', 'b2', 'wasabi', 'spaces', 'custom']).default('aws'),
  bucket: text().trim().min(3).max(63),
  region: text().trim().max(64).optional(),
  endpoint: url.nullable().optional(),
  publicEndpoint: url.nullable().optional(),
  pathStyle: z.boolean().optional(),
  accessKeyId: text().trim().min(1).max(256).nullable().optional(),
  secretAccessKey: secretUpdate,
  prefix: text().trim().max(512).regex(/^[^\\]*$/, 'must not contain backslashes').default(''),
  partSizeMiB: z.number().int().min(5).max(5120).default(16),
  buckets: z.array(text().trim().min(3).max(63)).max(100).default([]),
  account: text().trim().max(64).nullable().optional(),
};

const sftpFields = {
  host,
  port: port.default(22),
  user: text().trim().min(1).max(128),
  path: remotePath,
  password: secretUpdate,
  privateKey: secretUpdate,
  passphrase: secretUpdate,
};

export const destinationCreate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local'), name: destinationName, path: absolutePath, isDefault: z.boolean().default(false), ...testOnSave }),
  z.strictObject({ kind: z.literal('s3'), name: destinationName, isDefault: z.boolean().default(false), ...s3Fields, ...testOnSave }),
  z.strictObject({ kind: z.literal('sftp'), name: destinationName, isDefault: z.boolean().default(false), ...sftpFields, ...testOnSave }),
]);

/** Updates keep the kind; fields that do not belong to the destination's kind are refused. */
export const destinationUpdate = z.strictObject({
  id,
  name: destinationName.optional(),
  path: remotePath.optional(),
  provider: s3Fields.provider.unwrap().optional(),
  bucket: s3Fields.bucket.optional(),
  region: s3Fields.region,
  endpoint: s3Fields.endpoint,
  publicEndpoint: s3Fields.publicEndpoint,
  pathStyle: s3Fields.pathStyle,
  accessKeyId: s3Fields.accessKeyId,
  secretAccessKey: secretUpdate,
  prefix: text().trim().max(512).optional(),
  partSizeMiB: z.number().int().min(5).max(5120).optional(),
  buckets: z.array(text().trim().min(3).max(63)).max(100).optional(),
  account: s3Fields.account,
  host: host.optional(),
  port: port.optional(),
  user: text().trim().min(1).max(128).optional(),
  password: secretUpdate,
  privateKey: secretUpdate,
  passphrase: secretUpdate,
  /** SFTP: forget the pinned host key; the next connection pins the key the server presents. */
  forgetHostKey: z.literal(true).optional(),
  ...testOnSave,
});

export const profileCreate = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('age'),
    name,
    extraRecipients: z.array(ageRecipient).max(100).default([]),
    /** Import an existing identity instead of generating one. */
    identity: text().trim().max(256).regex(/^AGE-SECRET-KEY-1[0-9A-Z]+$/, 'must be an age identity (AGE-SECRET-KEY-1...)').optional(),
  }),
  z.strictObject({
    kind: z.literal('7z'),
    name,
    /** Generated when absent. */
    passphrase: newPassphrase.optional(),
  }),
]);
export const profileUpdate = z.strictObject({ id, name: name.optional(), extraRecipients: z.array(ageRecipient).max(100).optional() });

const count = z.number().int().min(1).max(10000).nullable();
const retention = z.strictObject({
  keepLast: count.default(null),
  daily: count.default(null),
  weekly: count.default(null),
  monthly: count.default(null),
  yearly: count.default(null),
  minimum: z.number().int().min(0).max(10000).default(1),
});

/** Control characters other than tab would let a hook's argument hide what it does from whoever reads the job. */
const hookArg = z.string().max(4096).refine((a) => !/[\0\r\n]/.test(a), 'must not contain NUL or line breaks');
const hookCommand = z.discriminatedUnion('shell', [
  z.strictObject({ shell: z.literal(false), argv: z.array(hookArg).min(1, 'must name the program to run').max(256).refine((argv) => (argv[0] ?? '').trim() !== '', 'must name the program to run') }),
  z.strictObject({ shell: z.literal(true), script: z.string().trim().min(1, 'must not be empty').max(16384).refine((s) => !s.includes('\0'), 'must not contain NUL') }),
]);
/** Webhook and Healthchecks URLs are credentials: stored sealed, never returned. */
const notifyUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
  .max(2048)
  .refine((url) => fetchBlockedPort(url) === null, { error: (issue) => blockedPortWords(fetchBlockedPort(String(issue.input)) ?? 0) });
const webhookFormat = z.enum(WEBHOOK_FORMATS);
export const HOOK_TIMEOUT_DEFAULT_S = 300;

/** Job fields without defaults: create adds the defaults, update leaves absent fields alone. */
const jobFields = {
  sourceId: id,
  databases: z.array(text().trim().min(1).max(128)).max(MAX_LIST),
  allDatabases: z.boolean(),
  destinationIds: z.array(id).min(1, 'a job needs at least one destination').max(100),
  format: z.enum(['custom', 'plain']),
  compression: z.enum(['zstd', 'gzip', 'none']),
  // Its range depends on the compression: the store checks it and says which (LEVEL_RANGE).
  compressionLevel: z.number().int('a compression level is a whole number').nullable(),
  encryption: z.enum(['none', 'age', '7z']),
  profileId: id.nullable(),
  schedule: text().trim().min(1).max(128).nullable(),
  timezone: text().trim().min(1).max(64).nullable(),
  timeoutMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable(),
  prefix: text().trim().max(512).nullable(),
  retention: retention.nullable(),
  /** Run once on start or wake-up when the last scheduled slot passed without a run. */
  catchUp: z.boolean(),
  /** Run before the dump; a failure fails the run at stage `pre-hook`. */
  preHook: hookCommand.nullable(),
  /** Run after the run is recorded, with its status and error in the environment. */
  postHook: hookCommand.nullable(),
  hookTimeoutSeconds: z.number().int().min(1).max(24 * 3600),
  webhookFormat,
  enabled: z.boolean(),
};

export const jobCreate = z.strictObject({
  name: jobName,
  sourceId: jobFields.sourceId,
  destinationIds: jobFields.destinationIds,
  databases: jobFields.databases.default([]),
  allDatabases: jobFields.allDatabases.default(false),
  format: jobFields.format.default('custom'),
  compression: jobFields.compression.default('zstd'),
  compressionLevel: jobFields.compressionLevel.default(null),
  encryption: jobFields.encryption.default('none'),
  profileId: jobFields.profileId.default(null),
  schedule: jobFields.schedule.default(null),
  timezone: jobFields.timezone.default(null),
  timeoutMinutes: jobFields.timeoutMinutes.default(null),
  prefix: jobFields.prefix.default(null),
  retention: jobFields.retention.default(null),
  catchUp: jobFields.catchUp.default(true),
  preHook: jobFields.preHook.default(null),
  postHook: jobFields.postHook.default(null),
  hookTimeoutSeconds: jobFields.hookTimeoutSeconds.default(HOOK_TIMEOUT_DEFAULT_S),
  webhookFormat: jobFields.webhookFormat.default('json'),
  /** Told when a run fails, and on the first success after a failure. */
  webhookUrl: notifyUrl.optional(),
  /** Healthchecks-style ping URL: `/start`, then the URL itself on success or `/fail` on failure, every run. */
  healthchecksUrl: notifyUrl.optional(),
  enabled: jobFields.enabled.default(true),
});
/** Secrets: absent keeps the stored URL, null clears it, a string replaces it. */
export const jobUpdate = z
  .strictObject({ id, name: jobName.optional(), ...jobFields, webhookUrl: notifyUrl.nullable(), healthchecksUrl: notifyUrl.nullable() })
  .partial()
  .required({ id: true });

/** The global webhook (`url: null` removes it). */
export const settingsWebhook = z.strictObject({ url: notifyUrl.nullable(), format: webhookFormat.default('json') });

/** A job's retention dry run; `retention` previews that policy instead of the saved one (absent: the saved one). */
export const retentionPreview = z.strictObject({ id, retention: retention.nullable().optional() });

/** Without a job: the global webhook and the desktop; with one, its own webhook and Healthchecks URL too. */
export const notificationTest = z.strictObject({ jobId: id.optional() });

export const startAtLoginSet = z.strictObject({ enabled: z.boolean() });

export const toolPathSet = z.strictObject({ tool: z.enum(TOOL_NAMES), path: absolutePath.nullable() });

export const runsList = z.strictObject({ jobId: id.optional(), status: z.enum(RUN_STATUSES).optional(), limit: z.number().int().min(1).max(500).default(50) });

export const keyExport = z.strictObject({ path: absolutePath });

/**
 * The key as text (the base64 line `keys:export` writes), not a path: a path would let any
 * caller of the contract make the core read a file of its choosing, and a browser on another
 * machine than `serve` has the key in hand, not on the server's disk. Comment lines and blank
 * lines around it are allowed, so a key file can be pasted whole.
 */
export const keyImport = z.strictObject({
  key: z
    .string()
    .max(4096, 'must be the contents of a key file, not something larger')
    .refine((text) => masterKeyLine(text) !== null, 'must be a master key: the base64 of 32 bytes, as an exported key file holds it'),
});

/** The first line of `text` that is the base64 of exactly 32 bytes (43 characters and an optional `=`). */
export function masterKeyLine(text: string): string | null {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => /^[A-Za-z0-9+/]{43}=?$/.test(l)) ?? null;
}

/** A reset drops every stored secret: the caller must say so in words, so a stray call does nothing. */
export const keyReset = z.strictObject({
  confirm: z.literal('RESET', { message: 'must be "RESET": a reset drops every stored password, key and identity' }),
});

export const identityExport = z.strictObject({ id, path: absolutePath });

/**
 * Deleting an age profile whose identity was never saved outside Vaultdesk (no export, no kit,
 * not imported) destroys the only key to its backups: the caller must say so.
 */
export const profileDelete = z.strictObject({ id, discardUnsavedIdentity: z.boolean().optional() });

/** Absent `profileIds`: every age profile with an identity. The passphrase goes in; no identity comes out. */
export const kitExport = z.strictObject({
  path: absolutePath,
  profileIds: z.array(id).min(1, 'name at least one profile, or leave the list out for all').max(MAX_LIST).optional(),
  passphrase: newPassphrase.optional(),
});

/** `profiles`: the kit's profiles to import, by their names in it; every one when absent. The passphrase goes in; no identity comes out. */
export const kitImport = z.strictObject({
  path: absolutePath,
  passphrase: text().min(1, 'must not be empty').max(1024).optional(),
  profiles: z.array(text().trim().min(1, 'must not be empty').max(200)).min(1, 'name at least one profile, or leave the list out for all').max(MAX_LIST).optional(),
});

/** A kit to read before importing it: no passphrase, since keys.json is not wrapped. */
export const kitInspect = z.strictObject({ path: absolutePath });

/**
 * Offline decryption on the host: `identity` is an identity file, a passphrase-protected identity
 * (.age) or a recovery kit (.zip); `passphrase` unwraps it, or without `identity` is the passphrase
 * the file itself was encrypted to (age or 7-Zip).
 */
export const recoveryDecrypt = z.strictObject({
  file: absolutePath,
  identity: absolutePath.optional(),
  passphrase: text().min(1, 'must not be empty').max(1024).optional(),
  out: absolutePath,
  decompress: z.boolean().default(true),
});

/**
 * The passphrase goes in; no secret comes out. Everything the file holds (every credential) is
 * only as safe as the passphrase, so it is held to the kit's rule.
 */
export const systemExport = z.strictObject({ path: absolutePath, passphrase: newPassphrase });

/**
 * `merge`: into a data dir that has a configuration already, leaving out whatever has a name used
 * there. Any passphrase a file was made with opens it, short ones included.
 */
export const systemImport = z.strictObject({ path: absolutePath, passphrase: text().min(1, 'must not be empty').max(1024), merge: z.boolean().default(false) });

/** `quickstart` marks its demo run; the scheduler's triggers are not for callers to claim. */
export const jobRun = z.strictObject({ id, trigger: z.enum(['manual', 'quickstart']).default('manual') });

export type KitExport = z.infer<typeof kitExport>;
export type KitImport = z.infer<typeof kitImport>;
export type RecoveryDecrypt = z.infer<typeof recoveryDecrypt>;
export type EnvironmentCreate = z.infer<typeof environmentCreate>;
export type EnvironmentUpdate = z.infer<typeof environmentUpdate>;
export type SourceCreate = z.infer<typeof sourceCreate>;
export type SourceUpdate = z.infer<typeof sourceUpdate>;
export type SshInput = z.infer<typeof sshInput>;
export type DestinationCreate = z.infer<typeof destinationCreate>;
export type DestinationUpdate = z.infer<typeof destinationUpdate>;
export type ProfileCreate = z.infer<typeof profileCreate>;
export type ProfileUpdate = z.infer<typeof profileUpdate>;
export type JobCreate = z.infer<typeof jobCreate>;
export type JobUpdate = z.infer<typeof jobUpdate>;
export type HookCommandInput = z.infer<typeof hookCommand>;

export const destinationCleanup = z.strictObject({
  id,
  /** Only unfinished uploads older than this are strays: a younger one may still be in progress elsewhere. */
  olderThanHours: z.number().min(0).max(24 * 365).default(24),
  dryRun: z.boolean().default(false),
});

export const concurrencySet = z.strictObject({ limit: z.number().int().min(1, 'at least one run at a time').max(16, 'at most 16 runs at a time') });

export const schedulePreview = z.strictObject({
  schedule: z.string().trim().min(1, 'must not be empty').max(128),
  timezone: z.string().trim().min(1).max(64).nullable().default(null),
  count: z.number().int().min(1).max(20).default(5),
});

/** An instant with its offset (`2026-11-26T03:00:00Z`, `2026-11-26T04:00:00+01:00`). */
const instant = z.iso.datetime({ offset: true, message: 'must be a date and time with its offset, such as 2026-11-26T03:00:00Z' });

/** The storage explorer's listing: newest first, one page of the backups matching every filter given. */
export const backupsList = z.strictObject({
  destinationId: id.optional(),
  /** A job's name (any case) or id, as the manifests record it: jobs deleted since, or of another install, match too. */
  job: text().trim().min(1, 'must not be empty').max(200).optional(),
  database: text().min(1, 'must not be empty').max(1000).optional(),
  /** Part of the database's name, in any case: what a DBA types into a filter box ("shop" finds shop_eu and Shop). */
  databaseContains: text().trim().min(1, 'must not be empty').max(1000).optional(),
  /** The run that made them, as the manifests record it: one run's databases and its roles (globals). */
  runId: text().trim().min(1, 'must not be empty').max(100).optional(),
  /** Made at or after this instant. */
  from: instant.optional(),
  /** Made before this instant. */
  to: instant.optional(),
  status: z.enum(BACKUP_STATUSES).optional(),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(10_000).default(100),
  /** Read the destinations again even if a listing of the last few seconds could be reused. */
  refresh: z.boolean().default(false),
});

export const backupDownload = z.strictObject({ id, path: absolutePath });

/** A presigned GET URL; one hour unless asked, at most the seven days S3 allows. */
export const backupUrl = z.strictObject({ id, expiresInSeconds: z.number().int().min(1, 'at least 1 second').max(7 * 24 * 3600, 'at most 7 days, the longest S3 allows').default(3600) });

/** `until`: the pin ends then; null or absent: pinned until unpinned. */
export const backupPin = z.strictObject({ id, until: instant.nullable().default(null) });

/** A database name on a server, or for a SQLite target an absolute file path (checked by the restore). */
const targetDatabase = text().trim().min(1, 'must not be empty').max(MAX_PATH).refine(noNul, 'must not contain a NUL character');

/**
 * Restores a backup. `targetSourceId` absent: the source the backup's job names, when this data
 * dir has it. `database` absent: the name the backup holds. A backup of an "all databases" run:
 * `allDatabases` restores every database of that run at its destination (under their own names),
 * `only` picks one of them by name; `withGlobals` also restores the run's PostgreSQL roles.
 */
export const restoreStart = z.strictObject({
  backupId: id,
  targetSourceId: id.optional(),
  database: targetDatabase.optional(),
  force: z.boolean().default(false),
  allDatabases: z.boolean().default(false),
  only: text().trim().min(1, 'must not be empty').max(1000).optional(),
  withGlobals: z.boolean().default(false),
  /**
   * Replacing a database (`force`): at the swap, end the other sessions connected to it rather than
   * fail because it is in use. PostgreSQL: new connections are refused first, then the sessions are
   * ended (pg_terminate_backend); MySQL/MariaDB: the connections using it as their database are
   * killed. Not for SQLite, whose file is opened by programs, not sessions.
   */
  endSessions: z.boolean().default(false),
  /**
   * Into a database the restore creates: the restore tools loading the streamed dump at once, its
   * rows dealt out to them (absent: two; 1: one). PostgreSQL custom format: pg_restore processes (1:
   * one, in one transaction); asked for explicitly, a backup that cannot be loaded in parts (large
   * objects) is decrypted to a temporary file in the data dir for `pg_restore --jobs N`, which needs
   * to seek. MySQL/MariaDB: clients, the dump's INSERT statements dealt out.
   */
  jobs: z.number().int('must be a whole number').min(1, 'must be at least 1').max(32, 'must be at most 32').optional(),
});

/** A drill: into a scratch database on `targetSourceId` (default: the backup's own source), compared with `compareSourceId` (default: the backup's source). */
export const restoreDrill = z.strictObject({ backupId: id, targetSourceId: id.optional(), compareSourceId: id.optional() });

export const restoresList = z
  .strictObject({
    backupId: id.optional(),
    /** The first characters of a backup's id (at least 4), for a backup the destinations may no longer list: one that was deleted is still in the history. */
    backupIdPrefix: z.string().regex(/^[0-9a-f-]{4,64}$/, 'the first characters of a backup id: at least 4 of 0-9, a-f and -').optional(),
    /** The first characters of a restore's own id (at least 4), as `vaultdesk restores ID` takes them. */
    idPrefix: z.string().regex(/^[0-9a-f-]{4,64}$/, 'the first characters of a restore id: at least 4 of 0-9, a-f and -').optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .refine((v) => !(v.backupId && v.backupIdPrefix), { message: 'give backupId or backupIdPrefix, not both', path: ['backupIdPrefix'] })
  .refine((v) => !(v.idPrefix && (v.backupId || v.backupIdPrefix)), { message: "idPrefix finds restores by their own id: it does not go with a backup's", path: ['idPrefix'] });

/**
 * A restore's target, checked before it starts. `fromDatabase`: the database the backup holds,
 * when known, so that the maintenance database is refused for another database's backup, as
 * `restore:start` refuses it.
 */
export const restoreTarget = z.strictObject({ sourceId: id, database: targetDatabase, fromDatabase: targetDatabase.optional() });
