import type { z } from 'zod';
import type {
  AppInfoDto,
  DestinationCleanupDto,
  DestinationDto,
  DestinationSavedDto,
  EnvironmentDto,
  JobDto,
  KeyStatusDto,
  NotificationAlertDto,
  NotificationOutcomeDto,
  ProfileDto,
  ProfileSecretExportDto,
  SchedulePreviewDto,
  ScheduleStatusDto,
  SettingsDto,
  SourceDto,
  ToolStatusDto,
} from '../domain/dto';
import type { BackupDownloadDto, BackupDto, BackupListDto, BackupUrlDto, BackupVerifyDto } from '../domain/backups';
import type { KitContentsDto, KitExportDto, KitImportDto, RecoveryDecryptDto, RecoveryDecryptProgressDto } from '../domain/recovery';
import type { RestoreDto, RestoreProgressDto, RestoreTargetDto } from '../domain/restores';
import type { RetentionPreviewDto } from '../domain/retention';
import type { RunDto, RunProgressDto } from '../domain/runs';
import type { SystemExportDto, SystemImportDto } from '../domain/system';
import type { Result } from './result';
import type * as schemas from './schemas';

declare const carried: unique symbol;
/** A type the map carries for the compiler only: at run time it is one shared empty object. */
export interface Phantom<T> {
  readonly [carried]: T;
}
const PHANTOM = Object.freeze({});
/** Marks a channel's result type (or an event's payload type) in the contract map. */
export function resultType<T>(): Phantom<T> {
  return PHANTOM as Phantom<T>;
}
/** The same marker, for an event's payload. */
export const payloadType: <T>() => Phantom<T> = resultType;

type Deleted = { id: string };
/** The schemas of schemas.ts, by export name. */
export type SchemaName = { [K in keyof typeof schemas]: (typeof schemas)[K] extends z.ZodType ? K : never }[keyof typeof schemas];

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
export const contract = {
  'app:info': { input: 'empty', result: resultType<AppInfoDto>() },
  'environments:list': { input: 'empty', result: resultType<EnvironmentDto[]>() },
  'environments:create': { input: 'environmentCreate', result: resultType<EnvironmentDto>() },
  'environments:update': { input: 'environmentUpdate', result: resultType<EnvironmentDto>() },
  'environments:delete': { input: 'byId', result: resultType<Deleted>() },
  'sources:list': { input: 'empty', result: resultType<SourceDto[]>() },
  'sources:get': { input: 'byId', result: resultType<SourceDto>() },
  'sources:create': { input: 'sourceCreate', result: resultType<SourceDto>() },
  'sources:update': { input: 'sourceUpdate', result: resultType<SourceDto>() },
  'sources:delete': { input: 'byId', result: resultType<Deleted>() },
  /** Connects and reports the server version; `success: false` says why a dump would not work. */
  'sources:test': { input: 'byId', result: resultType<{ success: boolean; serverVersion: string; message: string }>() },
  'sources:databases': { input: 'byId', result: resultType<string[]>() },
  'destinations:list': { input: 'empty', result: resultType<DestinationDto[]>() },
  'destinations:get': { input: 'byId', result: resultType<DestinationDto>() },
  /** A local folder that is missing is made when its parent exists (`createdFolder`); a run never makes it. */
  'destinations:create': { input: 'destinationCreate', result: resultType<DestinationSavedDto>() },
  /** As create, for a local destination whose path changes. */
  'destinations:update': { input: 'destinationUpdate', result: resultType<DestinationSavedDto>() },
  'destinations:delete': { input: 'byId', result: resultType<Deleted>() },
  'destinations:lock': { input: 'byId', result: resultType<DestinationDto>() },
  'destinations:unlock': { input: 'byId', result: resultType<DestinationDto>() },
  'destinations:setDefault': { input: 'byId', result: resultType<DestinationDto>() },
  /** S3: `scopedKey` when the key cannot list buckets; `buckets` that were reachable. */
  'destinations:test': { input: 'byId', result: resultType<{ success: boolean; message: string; buckets?: string[]; scopedKey?: boolean }>() },
  /** Unfinished uploads no running run accounts for (`.partial` files, S3 multipart uploads), and what was done with each. */
  'destinations:cleanup': { input: 'destinationCleanup', result: resultType<DestinationCleanupDto>() },
  'profiles:list': { input: 'empty', result: resultType<ProfileDto[]>() },
  'profiles:create': { input: 'profileCreate', result: resultType<ProfileDto>() },
  'profiles:update': { input: 'profileUpdate', result: resultType<ProfileDto>() },
  /**
   * Refused while a job uses it (IN_USE), and for a profile whose identity or generated
   * passphrase exists only here (`identityOnlyInVaultdesk`) unless `discardUnsavedIdentity` (VALIDATION_FAILED, reason
   * `identity-not-saved`): its backups would never decrypt again.
   */
  'profiles:delete': { input: 'profileDelete', result: resultType<Deleted>() },
  /**
   * Writes a profile's secret to a file created with mode 0600 and marks it saved outside
   * Vaultdesk: an age profile's identity (age-keygen's layout, for `age -d -i`), or a 7-Zip
   * profile's passphrase (alone on the file's last line, after comments on opening a backup with
   * 7-Zip). The secret itself never crosses the contract; `recipient` is null for 7-Zip.
   */
  'profiles:exportIdentity': { input: 'identityExport', result: resultType<ProfileSecretExportDto>() },
  /**
   * Writes a recovery kit zip (0600) on the host: the chosen age profiles' identities (wrapped
   * with age's scrypt when a passphrase is given), keys.json and a README. The kit is read back
   * and proven with a canary per profile before it is written (INTEGRITY_FAILED otherwise), and
   * its profiles are then marked as saved outside Vaultdesk. No identity crosses the contract.
   */
  'recovery:exportKit': { input: 'kitExport', result: resultType<KitExportDto>() },
  /**
   * Makes an age profile of each identity in a recovery kit on the host (unwrapped with the
   * passphrase when it has one), under the kit's names, so that this install opens the backups
   * those profiles made. A profile here with the same recipient is kept as it is; a name used
   * here by another profile is left out and named; nothing is replaced. All or nothing.
   */
  'recovery:importKit': { input: 'kitImport', result: resultType<KitImportDto>() },
  /**
   * Reads a recovery kit on the host without importing anything: its profiles (names and public
   * keys, from keys.json) and where each stands against the profiles here, so a person sees what
   * an import would make, keep and leave out, and picks, before giving the passphrase.
   */
  'recovery:inspectKit': { input: 'kitInspect', result: resultType<KitContentsDto>() },
  /**
   * Decrypts (and decompresses) a backup file of the host with an identity file, a wrapped
   * identity, a recovery kit or a passphrase, as `vaultdesk decrypt` does, without the data dir's
   * profiles; progress as `recovery:decryptProgress`. The output is written under a temporary name
   * and renamed once complete: a failure leaves nothing at `out`, and an existing file is refused.
   */
  'recovery:decrypt': { input: 'recoveryDecrypt', result: resultType<RecoveryDecryptDto>() },
  'jobs:list': { input: 'empty', result: resultType<JobDto[]>() },
  'jobs:get': { input: 'byId', result: resultType<JobDto>() },
  'jobs:create': { input: 'jobCreate', result: resultType<JobDto>() },
  'jobs:update': { input: 'jobUpdate', result: resultType<JobDto>() },
  'jobs:delete': { input: 'byId', result: resultType<Deleted>() },
  /**
   * Dry run of the job's retention policy: per destination and database, every complete backup
   * with keep or delete and the rules that keep it. Nothing is deleted. With `retention`, that
   * policy instead of the saved one (a form previews a change before it is saved; null: none).
   */
  'jobs:retentionPreview': { input: 'retentionPreview', result: resultType<RetentionPreviewDto>() },
  /** Starts a run and returns at once; follow it with `runs:progress` / `runs:finished`. */
  'jobs:run': { input: 'jobRun', result: resultType<{ runId: string }>() },
  'runs:list': { input: 'runsList', result: resultType<RunDto[]>() },
  'runs:get': { input: 'byId', result: resultType<RunDto>() },
  'runs:cancel': { input: 'byId', result: resultType<RunDto>() },
  /**
   * The storage explorer: what the destinations hold (every manifest paired with its object,
   * objects without one as incomplete, manifests without their object as broken), whoever made
   * it, newest first, one page at a time. A destination that cannot be read is named in
   * `problems`; the others are still listed.
   */
  'backups:list': { input: 'backupsList', result: resultType<BackupListDto>() },
  /** One backup (or incomplete object), looked at now at its destination. */
  'backups:get': { input: 'byId', result: resultType<BackupDto>() },
  /**
   * Reads the object back and checks its size and sha256 against the manifest, and the whole age
   * payload when a profile here holds the identity; the verdict (`ok`) is kept as last verified.
   */
  'backups:verify': { input: 'byId', result: resultType<BackupVerifyDto>() },
  /** A local copy and its manifest, written under temporary names and renamed once checked; never replaces a file. */
  'backups:download': { input: 'backupDownload', result: resultType<BackupDownloadDto>() },
  /** S3 only: a presigned GET URL, through the destination's public endpoint when it has one. */
  'backups:url': { input: 'backupUrl', result: resultType<BackupUrlDto>() },
  /** Retention keeps a pinned backup and delete refuses it, until it is unpinned or `until` has passed. */
  'backups:pin': { input: 'backupPin', result: resultType<BackupDto>() },
  'backups:unpin': { input: 'byId', result: resultType<BackupDto>() },
  /** Manifest first, then the object; refused (BACKUP_PINNED, DESTINATION_LOCKED) with nothing touched. */
  'backups:delete': { input: 'byId', result: resultType<Deleted>() },
  /**
   * Starts a restore and returns at once; follow it with `restore:progress` / `restore:finished`
   * or `restore:get`. Into an existing database it restores a fresh copy beside it and swaps it in
   * at the end, so a failure leaves the target as it was; a target that holds tables or other objects is refused
   * (RESTORE_TARGET_NOT_EMPTY) unless `force`. `warnings`: what may stop it later, said as it starts (a
   * PostgreSQL target with sessions connected).
   */
  'restore:start': { input: 'restoreStart', result: resultType<{ restoreId: string; warnings: string[] }>() },
  /** Restores into a scratch database, compares row counts with the source now, drops it; kept with the backup as its last drill. */
  'restore:drill': { input: 'restoreDrill', result: resultType<{ restoreId: string }>() },
  'restore:get': { input: 'byId', result: resultType<RestoreDto>() },
  /** The restore history, newest first: who, what, where, when, how it went. */
  'restore:list': { input: 'restoresList', result: resultType<RestoreDto[]>() },
  /** Cancels a running restore (of any process sharing the data dir); the target is left as it was. */
  'restore:cancel': { input: 'byId', result: resultType<RestoreDto>() },
  /**
   * Whether a database exists on a source and how many tables it holds: the wizard warns before
   * replacing one. A name `restore:start` would refuse whatever the target holds (too long, a
   * template or system schema) is refused here too, VALIDATION_FAILED with field `database`.
   */
  'restore:inspectTarget': { input: 'restoreTarget', result: resultType<RestoreTargetDto>() },
  'settings:get': { input: 'empty', result: resultType<SettingsDto>() },
  /** Where each tool is now, and its version: the path set in Settings or what the search finds on this host. */
  'settings:tools': { input: 'empty', result: resultType<ToolStatusDto[]>() },
  /** Sets (or with `path: null` clears) where a client tool is. */
  'settings:setToolPath': { input: 'toolPathSet', result: resultType<SettingsDto>() },
  /**
   * Whether the desktop app starts, in the tray, when the user logs in. Stored for the data dir
   * by any host; only the desktop app applies it (`app:info`'s `host` says which one answers).
   */
  'settings:setStartAtLogin': { input: 'startAtLoginSet', result: resultType<SettingsDto>() },
  /** Who runs the schedules of this data dir, whether they are paused, each scheduled job's next runs. */
  'schedules:status': { input: 'empty', result: resultType<ScheduleStatusDto>() },
  /** Pauses every schedule (persisted; runs started by hand still work). */
  'schedules:pause': { input: 'empty', result: resultType<ScheduleStatusDto>() },
  'schedules:resume': { input: 'empty', result: resultType<ScheduleStatusDto>() },
  /** Scheduled runs at once over every process sharing the data dir; the rest wait in slot order. */
  'schedules:setConcurrency': { input: 'concurrencySet', result: resultType<ScheduleStatusDto>() },
  /** A cron expression read back in words with its next runs, or VALIDATION_FAILED saying what a schedule is. */
  'schedules:preview': { input: 'schedulePreview', result: resultType<SchedulePreviewDto>() },
  /** Sets (or with `url: null` removes) the global webhook; the URL is stored sealed and never returned. */
  'settings:setWebhook': { input: 'settingsWebhook', result: resultType<SettingsDto>() },
  /**
   * Sends a test notification through each configured channel (a job's webhook and Healthchecks
   * URL when `jobId` is given, the global webhook, the desktop) once, and says how each went.
   */
  'notifications:test': { input: 'notificationTest', result: resultType<NotificationOutcomeDto[]>() },
  'keys:status': { input: 'empty', result: resultType<KeyStatusDto>() },
  /** The key itself never crosses the contract: it is written to a 0600 file. */
  'keys:export': { input: 'keyExport', result: resultType<{ path: string; fingerprint: string }>() },
  'keys:rotate': { input: 'empty', result: resultType<{ fingerprint: string; secretsReencrypted: number }>() },
  /**
   * Puts back an exported key (its text; secrets go in, never out). MASTER_KEY_MISMATCH, with
   * nothing changed, when it is not the key this data folder's secrets were sealed with.
   */
  'keys:import': { input: 'keyImport', result: resultType<{ fingerprint: string }>() },
  /**
   * Gives up on a lost key: a new key, and every stored secret (passwords, keys, identities,
   * passphrases) dropped, to be re-entered. Needs `confirm: 'RESET'`.
   */
  'keys:reset': { input: 'keyReset', result: resultType<{ fingerprint: string; secretsCleared: number }>() },
  /**
   * Writes the whole configuration (environments, sources, destinations, profiles, jobs, settings,
   * pins) with every secret as one age file encrypted to the passphrase (0600); only counts come back.
   */
  'system:export': { input: 'systemExport', result: resultType<SystemExportDto>() },
  /**
   * Recreates a system backup's configuration, its secrets sealed under this data dir's master key,
   * in one transaction. DATA_DIR_NOT_EMPTY unless the data dir is empty or `merge` is set; a merge
   * leaves out (and lists) whatever has a name already used here and changes nothing here.
   */
  'system:import': { input: 'systemImport', result: resultType<SystemImportDto>() },
} as const satisfies Record<`${string}:${string}`, { input: SchemaName; result: Phantom<unknown> }>;

/** Events pushed from the core to every connected window, with the type of their payload. */
export const eventContract = {
  'config:changed': payloadType<{ entity: 'environment' | 'source' | 'destination' | 'profile' | 'job' | 'key' | 'settings'; id: string | null }>(),
  'runs:progress': payloadType<RunProgressDto>(),
  'runs:finished': payloadType<RunDto>(),
  'restore:progress': payloadType<RestoreProgressDto>(),
  'restore:finished': payloadType<RestoreDto>(),
  /** This process started or stopped running the schedules (took or let go of the lease). */
  'schedules:changed': payloadType<{ holding: boolean }>(),
  /** A run failed, or a job succeeded again after a failure: the desktop app shows it as an OS notification. */
  'notifications:alert': payloadType<NotificationAlertDto>(),
  'recovery:decryptProgress': payloadType<RecoveryDecryptProgressDto>(),
} as const satisfies Record<`${string}:${string}`, Phantom<unknown>>;

type Contract = typeof contract;
export type InvokeChannel = keyof Contract;
export type EventChannel = keyof typeof eventContract;
type Carried<P> = P extends Phantom<infer T> ? T : never;
/** The zod schema a channel's input must pass. */
export type InputSchema<C extends InvokeChannel> = (typeof schemas)[Contract[C]['input']];

/** Input as the caller writes it (defaults may be left out). */
export type InvokeInput<C extends InvokeChannel> = z.input<InputSchema<C>>;
/** Input after validation, as handlers receive it. */
export type ParsedInput<C extends InvokeChannel> = z.output<InputSchema<C>>;
export type InvokeResult<C extends InvokeChannel> = Carried<Contract[C]['result']>;
export type InvokeResults = { [C in InvokeChannel]: InvokeResult<C> };
export type EventPayload<E extends EventChannel> = Carried<(typeof eventContract)[E]>;
export type EventPayloads = { [E in EventChannel]: EventPayload<E> };

/** `sources:list` -> `sources`, `list`: the shape of `window.vaultdesk`. */
type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never;
type Action<C extends string, D extends string> = C extends `${D}:${infer A}` ? A : never;

export type VaultdeskApi = {
  [D in Domain<InvokeChannel>]: {
    [A in Action<InvokeChannel, D>]: `${D}:${A}` extends infer C extends InvokeChannel ? (input: InvokeInput<C>) => Promise<Result<InvokeResult<C>>> : never;
  };
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
