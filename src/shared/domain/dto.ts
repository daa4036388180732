/**
 * What the renderer and CLI may see of the configuration. No type here carries a secret
 * value: secrets are reported as `has*` flags only.
 */
export type Engine = 'postgres' | 'mysql' | 'sqlite';
export type DestinationKind = 'local' | 's3' | 'sftp';
export type Compression = 'zstd' | 'gzip' | 'none';
export type S3Provider = 'aws' | 'minio' | 'r2' | 'b2' | 'wasabi' | 'spaces' | 'custom';
export type TlsMode = 'disable' | 'prefer' | 'require' | 'verify-full';

/** The database client tools, searched for by name on the PATH and in their install folders. */
export const CLIENT_TOOL_NAMES = ['pg_dump', 'pg_dumpall', 'pg_restore', 'psql', 'mysqldump', 'mysql'] as const;
export type ClientToolName = (typeof CLIENT_TOOL_NAMES)[number];
/** Tools whose location can be set by hand (Settings), for installs the search does not find: the clients and 7-Zip. */
export const TOOL_NAMES = [...CLIENT_TOOL_NAMES, '7z'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Which binary a tool resolves to now: the path set in Settings, or what the search finds. */
export interface ToolStatusDto {
  tool: ToolName;
  /** The path set in Settings; null: searched for. */
  configured: string | null;
  /** The binary found; null when none was (`error` says why). */
  path: string | null;
  /** Its version, as it reports it (`pg_dump (PostgreSQL) 17.2`, `7-Zip 26.02`). */
  version: string | null;
  /** Why none is usable: not found, not executable, too old, or not answering `--version`. */
  error: string | null;
}

export interface SettingsDto {
  /** Configured client tool paths; tools not listed are searched for. */
  toolPaths: Partial<Record<ToolName, string>>;
  /** Every schedule paused (runs by hand still work). */
  schedulesPaused: boolean;
  /** The desktop app starts (in the tray) when the user logs in; only the desktop app applies it. */
  startAtLogin: boolean;
  /** Scheduled runs at once, over every process sharing the data dir; the rest wait in slot order. */
  maxConcurrentRuns: number;
  /** The global webhook, told about every job's failures: its URL is a credential, so only its host is shown. */
  hasWebhook: boolean;
  webhookHost: string | null;
  webhookFormat: WebhookFormat;
}

/** The body a webhook gets: the run record as JSON, or Slack's or Discord's incoming-webhook shape. */
export const WEBHOOK_FORMATS = ['json', 'slack', 'discord'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * A hook command: a program and its arguments run without a shell, or (`shell: true`) a script
 * run by `sh -c` (`cmd /c` on Windows).
 */
export type HookCommand = { shell: false; argv: string[] } | { shell: true; script: string };

export interface EnvironmentDto {
  id: string;
  name: string;
  description: string;
  /** True: every destination may be used. False: only `allowedDestinationIds`. */
  allowAllDestinations: boolean;
  allowedDestinationIds: string[];
  sourceCount: number;
  createdAt: string;
}

export interface SshDto {
  mode: 'exec' | 'tunnel';
  host: string;
  port: number;
  user: string;
  /** Pinned host key fingerprint (SHA256:...), set on first use. */
  hostKeyFingerprint: string | null;
  hasPassword: boolean;
  hasPrivateKey: boolean;
  hasPassphrase: boolean;
}

export interface SourceDto {
  id: string;
  name: string;
  engine: Engine;
  environmentId: string;
  environmentName: string;
  host: string | null;
  port: number | null;
  user: string | null;
  database: string | null;
  path: string | null;
  allDatabases: boolean;
  tlsMode: TlsMode;
  ssh: SshDto | null;
  hasPassword: boolean;
  jobNames: string[];
  /** The last connection test with the current settings; null: not tested since they were saved. */
  lastTest: ConnectionTestDto | null;
  createdAt: string;
  updatedAt: string;
}

/** How a connection test of a source or destination went, as the lists show it. */
export interface ConnectionTestDto {
  at: string;
  success: boolean;
  message: string;
}

export interface LocalDestinationConfig {
  path: string;
}

export interface S3DestinationConfig {
  provider: S3Provider;
  bucket: string;
  region: string;
  endpoint: string | null;
  publicEndpoint: string | null;
  pathStyle: boolean;
  accessKeyId: string | null;
  prefix: string;
  partSizeMiB: number;
  /** For bucket-scoped keys: the buckets a connection test should check. */
  buckets: string[];
  account: string | null;
}

export interface SftpDestinationConfig {
  host: string;
  port: number;
  user: string;
  path: string;
  hostKeyFingerprint: string | null;
}

export type DestinationConfig =
  | ({ kind: 'local' } & LocalDestinationConfig)
  | ({ kind: 's3' } & S3DestinationConfig)
  | ({ kind: 'sftp' } & SftpDestinationConfig);

export interface DestinationDto {
  id: string;
  name: string;
  kind: DestinationKind;
  config: DestinationConfig;
  locked: boolean;
  isDefault: boolean;
  /** S3 secret access key, SFTP password or private key. */
  hasSecret: boolean;
  hasPassphrase: boolean;
  /** SFTP: which of its secrets is stored (a password, or a private key). */
  hasPassword: boolean;
  hasPrivateKey: boolean;
  jobNames: string[];
  /** The last connection test with the current settings; null: not tested since they were saved. */
  lastTest: ConnectionTestDto | null;
  createdAt: string;
  updatedAt: string;
}

/** What saving a destination answers: the destination, and the folder the save made, if any. */
export interface DestinationSavedDto extends DestinationDto {
  /** A local destination's folder that did not exist and that this save made (its parent existed). Runs never make it. */
  createdFolder?: string;
}

export interface ProfileDto {
  id: string;
  name: string;
  kind: 'age' | '7z';
  /** The profile's own age recipient (age1...), null for 7z profiles. */
  recipient: string | null;
  extraRecipients: string[];
  /** False after a key reset: the identity or passphrase is gone and must be imported again. */
  hasSecret: boolean;
  /**
   * When the age identity or 7-Zip passphrase was last written out of Vaultdesk (export-identity,
   * Save identity, Save passphrase, a recovery kit); null: never.
   */
  identityExportedAt: string | null;
  /**
   * An age identity or 7-Zip passphrase Vaultdesk generated and that was never exported: the only
   * copy of the key to every backup of this profile ("not yet saved outside Vaultdesk"). A secret
   * the user brought (an imported identity, a typed passphrase) is not flagged.
   */
  identityOnlyInVaultdesk: boolean;
  jobNames: string[];
  createdAt: string;
}

/** Where `profiles:exportIdentity` wrote a profile's secret; never the secret. */
export interface ProfileSecretExportDto {
  path: string;
  kind: 'age' | '7z';
  /** The age profile's public key; null for a 7-Zip profile. */
  recipient: string | null;
}

export interface RetentionPolicy {
  keepLast: number | null;
  daily: number | null;
  weekly: number | null;
  monthly: number | null;
  yearly: number | null;
  minimum: number;
}

export interface JobDto {
  id: string;
  name: string;
  sourceId: string;
  sourceName: string;
  /** Empty with allDatabases false: the source's own database. */
  databases: string[];
  allDatabases: boolean;
  destinationIds: string[];
  destinationNames: string[];
  format: 'custom' | 'plain';
  compression: Compression;
  compressionLevel: number | null;
  encryption: 'none' | 'age' | '7z';
  profileId: string | null;
  profileName: string | null;
  schedule: string | null;
  timezone: string | null;
  timeoutMinutes: number | null;
  prefix: string | null;
  retention: RetentionPolicy | null;
  /** A slot missed while Vaultdesk was closed or the machine asleep is run once on start or wake-up. */
  catchUp: boolean;
  /** Run before the backup; a failure fails the run at stage `pre-hook` and nothing is dumped. */
  preHook: HookCommand | null;
  /** Run once the run is recorded, whatever its outcome; a failure is logged, the run's status stays. */
  postHook: HookCommand | null;
  /** Each hook is stopped after this long. */
  hookTimeoutSeconds: number;
  /** Webhook and Healthchecks URLs carry credentials: only whether one is set and its host ("hooks.slack.com/…") are shown. */
  hasWebhook: boolean;
  webhookHost: string | null;
  webhookFormat: WebhookFormat;
  hasHealthchecks: boolean;
  healthchecksHost: string | null;
  /**
   * When the newest backup of this job that this data dir knows of was made: its runs' and those
   * a system import brought with the job (whose runs stayed behind on the old install). Null if none.
   */
  lastBackupAt: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export type KeyState = 'ok' | 'mismatch' | 'missing';

export interface KeyStatusDto {
  state: KeyState;
  /** Where the master key came from: the OS keychain, the environment or a key file. */
  source: 'keychain' | 'env' | 'file' | 'none';
  /** Where the key is, in words ("OS keychain (service \"vaultdesk\")", "key file /etc/vaultdesk/master.key"). */
  location: string;
  /** The key file Vaultdesk made beside the data dir because no keychain could be reached, or null. */
  fallbackFile: string | null;
  fingerprint: string | null;
  writable: boolean;
  message: string;
}

/** The process answering: the desktop app, `vaultdesk serve`, a CLI command or `vaultdesk daemon`. */
export type AppHost = 'app' | 'serve' | 'cli' | 'daemon';

export interface AppInfoDto {
  version: string;
  dataDir: string;
  /** The host's rotating log file (the app's, or serve's), or null when it keeps none (CLI commands). */
  logFile: string | null;
  key: KeyStatusDto;
  /** Desktop-only settings (start at login) apply only when this is 'app'. */
  host: AppHost;
}

/** What sending a test notification through one channel did. */
export interface NotificationOutcomeDto {
  channel: 'job webhook' | 'global webhook' | 'healthchecks' | 'desktop';
  /** Where it went, without the URL's secret part ("hooks.slack.com/…"). */
  target: string;
  ok: boolean;
  message: string;
}

/** An OS notification for the desktop app to show. */
export interface NotificationAlertDto {
  kind: 'failed' | 'recovered' | 'test';
  title: string;
  body: string;
  runId: string | null;
  jobId: string | null;
}

/** One unfinished upload found at a destination by `destinations:cleanup`. */
export interface StrayUploadDto {
  /** The object it was meant to become. */
  key: string;
  kind: 'partial-file' | 'multipart-upload';
  uploadId: string | null;
  /** Last write to the partial file, or when the multipart upload was started. */
  since: string;
  size: number | null;
  action: 'removed' | 'would-remove' | 'kept' | 'failed';
  /** Why it was kept, or why removing it failed. */
  reason: string | null;
}

export interface DestinationCleanupDto {
  destination: string;
  dryRun: boolean;
  items: StrayUploadDto[];
  /** Leftovers recorded by runs that did not finish, removed now (not in `items` unless found above). */
  recordedRemoved: number;
}

/** A scheduled job as the schedule page and `vaultdesk schedule status` show it. */
export interface ScheduledJobDto {
  id: string;
  name: string;
  schedule: string;
  timezone: string | null;
  /** "At 02:00 (Europe/Berlin)" */
  words: string;
  /** The next runs, ISO instants. */
  next: string[];
  catchUp: boolean;
  enabled: boolean;
  lastRun: { id: string; status: string; trigger: string; startedAt: string } | null;
}

export interface ScheduleStatusDto {
  paused: boolean;
  maxConcurrentRuns: number;
  /** The process that runs the schedules of this data dir, or null when none does (no app or daemon open). */
  holder: { who: string; since: string; heartbeatAt: string; self: boolean } | null;
  /** Runs waiting for the concurrency limit, in the order they will start. */
  queued: { jobId: string; slot: string; trigger: string }[];
  jobs: ScheduledJobDto[];
}

/** A schedule read back in words, with its next runs: what a form shows while the user types. */
export interface SchedulePreviewDto {
  words: string;
  next: string[];
  /** "At 02:00 (Europe/Berlin); next: Tue 1 Dec 02:00, ..." */
  summary: string;
}
