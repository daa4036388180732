import type { Compression, DestinationDto, HookCommand, JobDto, ProfileDto, RetentionPolicy, WebhookFormat } from '../../../../shared/domain/dto';
import { describeHook, hookCommandFromLine } from '../../../../shared/domain/hook-command';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import { optionalText } from '../../lib/form-errors';

/** A number field: '' while blank. */
export type Count = number | '';

export interface RetentionValues {
  keepLast: Count;
  daily: Count;
  weekly: Count;
  monthly: Count;
  yearly: Count;
  minimum: Count;
}

export interface JobFormValues {
  name: string;
  sourceId: string;
  databases: string[];
  allDatabases: boolean;
  destinationIds: string[];
  format: 'custom' | 'plain';
  compression: Compression;
  compressionLevel: Count;
  encryption: 'none' | 'age' | '7z';
  profileId: string;
  schedule: string;
  /** '' reads the schedule in the time zone of the machine that runs it. */
  timezone: string;
  catchUp: boolean;
  enabled: boolean;
  retention: RetentionValues;
  preHook: string;
  preHookShell: boolean;
  postHook: string;
  postHookShell: boolean;
  hookTimeoutSeconds: Count;
  /** Write-only: blank keeps the stored URL. */
  webhookUrl: string;
  removeWebhook: boolean;
  webhookFormat: WebhookFormat;
  healthchecksUrl: string;
  removeHealthchecks: boolean;
  timeoutMinutes: Count;
  prefix: string;
}

export const COMPRESSIONS: { value: Compression; label: string }[] = [
  { value: 'zstd', label: 'zstd (recommended)' },
  { value: 'gzip', label: 'gzip' },
  { value: 'none', label: 'none' },
];

export const ENCRYPTIONS: { value: JobFormValues['encryption']; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'age', label: 'age, to an encryption profile' },
  { value: '7z', label: '7-Zip AES-256, with a profile passphrase' },
];

export const HOOK_TIMEOUT_DEFAULT_S = 300;
/** How a form's user asks for a shell, in the words the hook parser puts in its refusals. */
export const USE_SHELL = 'turn on "Run with a shell"';

const NO_RETENTION: RetentionValues = { keepLast: '', daily: '', weekly: '', monthly: '', yearly: '', minimum: 1 };

/** The encryption a new job starts with: an existing profile rather than None, so a DBA must choose to go without. */
export function defaultEncryption(profiles: readonly ProfileDto[]): EncryptionChoice {
  const usable = profiles.filter((p) => p.hasSecret);
  const kind = usable.some((p) => p.kind === 'age') ? 'age' : usable.some((p) => p.kind === '7z') ? '7z' : null;
  if (!kind) return { encryption: 'none', profileId: '' };
  return { encryption: kind, profileId: soleProfile(usable, kind) };
}

type EncryptionChoice = Pick<JobFormValues, 'encryption' | 'profileId'>;

/** What a new job's form pre-fills from the lists: the default destination, and the profile when there is one. */
export type ListDefaults = Pick<JobFormValues, 'destinationIds' | 'encryption' | 'profileId'>;

export function listDefaults(destinations: readonly DestinationDto[], profiles: readonly ProfileDto[]): ListDefaults {
  const destination = destinations.find((d) => d.isDefault)?.id;
  return { destinationIds: destination ? [destination] : [], ...defaultEncryption(profiles) };
}

const FOLLOWED: (keyof ListDefaults)[][] = [['destinationIds'], ['encryption', 'profileId']];

/**
 * A new job's form when the lists change while it is open (a profile or a default destination made
 * in another window, or a list catching up with one just made): each of the destinations and the
 * encryption follows the new default while the form still shows the default it was given, so a
 * choice the DBA made is never overwritten. Null: nothing to change.
 */
export function followedDefaults(shown: ListDefaults, given: ListDefaults, next: ListDefaults): Partial<ListDefaults> | null {
  const same = (a: ListDefaults, b: ListDefaults, keys: (keyof ListDefaults)[]): boolean => keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
  const changes: Partial<ListDefaults> = {};
  for (const keys of FOLLOWED) {
    if (!same(shown, given, keys) || same(shown, next, keys)) continue;
    for (const k of keys) Object.assign(changes, { [k]: next[k] });
  }
  return Object.keys(changes).length > 0 ? changes : null;
}

/** The profile to pre-select for an encryption kind: the only one of that kind, else none (the DBA picks). */
export function soleProfile(profiles: readonly ProfileDto[], kind: JobFormValues['encryption']): string {
  const ofKind = profiles.filter((p) => p.kind === kind && p.hasSecret);
  return ofKind.length === 1 ? ofKind[0]!.id : '';
}

/** A new job: the default destination, the local time zone, catch-up on, and a profile when there is one. */
export function emptyJobValues(defaultDestinationId: string | null, timezone: string, profiles: readonly ProfileDto[] = []): JobFormValues {
  return {
    name: '',
    sourceId: '',
    databases: [],
    allDatabases: false,
    destinationIds: defaultDestinationId ? [defaultDestinationId] : [],
    format: 'custom',
    compression: 'zstd',
    compressionLevel: '',
    ...defaultEncryption(profiles),
    schedule: '',
    timezone,
    catchUp: true,
    enabled: true,
    retention: { ...NO_RETENTION },
    preHook: '',
    preHookShell: false,
    postHook: '',
    postHookShell: false,
    hookTimeoutSeconds: HOOK_TIMEOUT_DEFAULT_S,
    webhookUrl: '',
    removeWebhook: false,
    webhookFormat: 'json',
    healthchecksUrl: '',
    removeHealthchecks: false,
    timeoutMinutes: '',
    prefix: '',
  };
}

/** A saved job as the form shows it (URLs stay write-only: the fields start blank). */
export function jobValues(job: JobDto): JobFormValues {
  const r = job.retention;
  return {
    name: job.name,
    sourceId: job.sourceId,
    databases: job.databases,
    allDatabases: job.allDatabases,
    destinationIds: job.destinationIds,
    format: job.format,
    compression: job.compression,
    compressionLevel: job.compressionLevel ?? '',
    encryption: job.encryption,
    profileId: job.profileId ?? '',
    schedule: job.schedule ?? '',
    timezone: job.timezone ?? '',
    catchUp: job.catchUp,
    enabled: job.enabled,
    retention: r ? { keepLast: r.keepLast ?? '', daily: r.daily ?? '', weekly: r.weekly ?? '', monthly: r.monthly ?? '', yearly: r.yearly ?? '', minimum: r.minimum } : { ...NO_RETENTION },
    preHook: job.preHook ? describeHook(job.preHook) : '',
    preHookShell: job.preHook?.shell ?? false,
    postHook: job.postHook ? describeHook(job.postHook) : '',
    postHookShell: job.postHook?.shell ?? false,
    hookTimeoutSeconds: job.hookTimeoutSeconds,
    webhookUrl: '',
    removeWebhook: false,
    webhookFormat: job.webhookFormat,
    healthchecksUrl: '',
    removeHealthchecks: false,
    timeoutMinutes: job.timeoutMinutes ?? '',
    prefix: job.prefix ?? '',
  };
}

const orNull = (n: Count): number | null => (n === '' ? null : n);

/** The policy the retention fields describe; null when no keep rule is set (every backup is kept). */
export function toRetention(r: RetentionValues): RetentionPolicy | null {
  const policy: RetentionPolicy = {
    keepLast: orNull(r.keepLast),
    daily: orNull(r.daily),
    weekly: orNull(r.weekly),
    monthly: orNull(r.monthly),
    yearly: orNull(r.yearly),
    minimum: r.minimum === '' ? 1 : r.minimum,
  };
  const rules = [policy.keepLast, policy.daily, policy.weekly, policy.monthly, policy.yearly];
  return rules.some((n) => n !== null) ? policy : null;
}

/** A hook line as the command to store: null when blank; the parser's reason when it cannot be one without a shell. */
export function hookFrom(line: string, shell: boolean): { command: HookCommand | null } | { error: string; needsShell: boolean } {
  if (!line.trim()) return { command: null };
  return hookCommandFromLine(line, shell, USE_SHELL);
}

function hookOrNull(line: string, shell: boolean): HookCommand | null {
  const parsed = hookFrom(line, shell);
  // validateJobValues refuses such a line before anything is sent; sent as typed, the core would refuse it too.
  return 'command' in parsed ? parsed.command : { shell: false, argv: [line] };
}

/** The fields create and update share, as the contract takes them. */
function commonInput(v: JobFormValues): Omit<InvokeInput<'jobs:create'>, 'name' | 'webhookUrl' | 'healthchecksUrl'> {
  const schedule = optionalText(v.schedule) ?? null;
  return {
    sourceId: v.sourceId,
    destinationIds: v.destinationIds,
    databases: v.allDatabases ? [] : v.databases.map((d) => d.trim()).filter(Boolean),
    allDatabases: v.allDatabases,
    format: v.format,
    compression: v.compression,
    compressionLevel: v.compression === 'none' ? null : orNull(v.compressionLevel),
    encryption: v.encryption,
    profileId: v.encryption === 'none' ? null : v.profileId || null,
    schedule,
    // A time zone only means something for a schedule; the core refuses one without.
    timezone: schedule ? (optionalText(v.timezone) ?? null) : null,
    catchUp: v.catchUp,
    enabled: v.enabled,
    timeoutMinutes: orNull(v.timeoutMinutes),
    prefix: optionalText(v.prefix) ?? null,
    retention: toRetention(v.retention),
    preHook: hookOrNull(v.preHook, v.preHookShell),
    postHook: hookOrNull(v.postHook, v.postHookShell),
    hookTimeoutSeconds: v.hookTimeoutSeconds === '' ? HOOK_TIMEOUT_DEFAULT_S : v.hookTimeoutSeconds,
    webhookFormat: v.webhookFormat,
  };
}

export function toCreateInput(v: JobFormValues): InvokeInput<'jobs:create'> {
  const input: InvokeInput<'jobs:create'> = { name: v.name, ...commonInput(v) };
  const webhook = optionalText(v.webhookUrl);
  const healthchecks = optionalText(v.healthchecksUrl);
  if (webhook) input.webhookUrl = webhook;
  if (healthchecks) input.healthchecksUrl = healthchecks;
  return input;
}

/** Write-only URLs: removed, replaced by what was typed, or (blank) left as stored. */
function urlChange(typed: string, remove: boolean): string | null | undefined {
  if (remove) return null;
  return optionalText(typed);
}

export function toUpdateInput(job: JobDto, v: JobFormValues): InvokeInput<'jobs:update'> {
  const input: InvokeInput<'jobs:update'> = { id: job.id, name: v.name, ...commonInput(v) };
  const webhook = urlChange(v.webhookUrl, v.removeWebhook);
  const healthchecks = urlChange(v.healthchecksUrl, v.removeHealthchecks);
  if (webhook !== undefined) input.webhookUrl = webhook;
  if (healthchecks !== undefined) input.healthchecksUrl = healthchecks;
  return input;
}

/**
 * What the form can tell before asking the core, in the words a DBA expects ("Choose a source",
 * not the contract's "must be an id"). Everything else (names, cron, URLs) the core checks.
 */
export function validateJobValues(v: JobFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.name.trim()) errors.name = 'Give the job a name: letters, digits, dot, dash or underscore';
  if (!v.sourceId) errors.sourceId = 'Choose a source';
  if (v.destinationIds.length === 0) errors.destinationIds = 'Choose at least one destination';
  if (v.encryption !== 'none' && !v.profileId) errors.profileId = 'Choose an encryption profile, or set Encryption to None';
  for (const [field, shellField] of [
    ['preHook', 'preHookShell'],
    ['postHook', 'postHookShell'],
  ] as const) {
    const parsed = hookFrom(v[field], v[shellField]);
    if ('error' in parsed) errors[field] = `This command ${parsed.needsShell ? 'cannot run without a shell' : 'cannot be run as written'}: ${parsed.error}.`;
  }
  return errors;
}
