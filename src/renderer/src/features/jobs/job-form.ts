import type { Compression, JobDto } from '../../../../shared/domain/dto';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import { optionalText } from '../../lib/form-errors';

export interface JobFormValues {
  name: string;
  sourceId: string;
  databases: string[];
  allDatabases: boolean;
  destinationIds: string[];
  format: 'custom' | 'plain';
  compression: Compression;
  encryption: 'none' | 'age' | '7z';
  profileId: string;
  schedule: string;
  timezone: string;
  timeoutMinutes: number | '';
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

/** New jobs go to the default destination unless the DBA picks others. */
export function emptyJobValues(defaultDestinationId: string | null, timezone: string): JobFormValues {
  return {
    name: '',
    sourceId: '',
    databases: [],
    allDatabases: false,
    destinationIds: defaultDestinationId ? [defaultDestinationId] : [],
    format: 'custom',
    compression: 'zstd',
    encryption: 'none',
    profileId: '',
    schedule: '',
    timezone,
    timeoutMinutes: '',
  };
}

export function toCreateInput(v: JobFormValues): InvokeInput<'jobs:create'> {
  const schedule = optionalText(v.schedule) ?? null;
  return {
    name: v.name,
    sourceId: v.sourceId,
    destinationIds: v.destinationIds,
    databases: v.allDatabases ? [] : v.databases.map((d) => d.trim()).filter(Boolean),
    allDatabases: v.allDatabases,
    format: v.format,
    compression: v.compression,
    encryption: v.encryption,
    profileId: v.encryption === 'none' ? null : v.profileId || null,
    schedule,
    // A time zone only means something for a schedule; the core refuses one without.
    timezone: schedule ? optionalText(v.timezone) ?? null : null,
    timeoutMinutes: v.timeoutMinutes === '' ? null : v.timeoutMinutes,
  };
}

const FIELDS = new Set(Object.keys(emptyJobValues(null, 'UTC')));

export function jobFieldFor(path: string): string | null {
  const head = path.split('.')[0] ?? '';
  return FIELDS.has(head) ? head : null;
}

export function describeSchedule(job: JobDto): string {
  if (!job.schedule) return 'manual only';
  return job.timezone ? `${job.schedule} (${job.timezone})` : job.schedule;
}

export function describeEncryption(job: JobDto): string {
  if (job.encryption === 'none') return 'none';
  const kind = job.encryption === 'age' ? 'age' : '7-Zip';
  return job.profileName ? `${kind} · ${job.profileName}` : kind;
}

/** The zone names the browser knows, with the local one first. */
export function timeZones(local: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([local, 'UTC', ...all])];
}
