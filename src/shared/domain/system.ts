/** How many of each kind a system backup holds, or an import added. */
export interface SystemCountsDto {
  environments: number;
  sources: number;
  destinations: number;
  profiles: number;
  jobs: number;
  /** Pinned backups (by destination and object key). */
  pins: number;
}

/** What `system:export` wrote: counts only; every secret stays inside the encrypted file. */
export interface SystemExportDto {
  path: string;
  bytes: number;
  counts: SystemCountsDto;
}

export type SystemEntityKind = 'environment' | 'source' | 'destination' | 'profile' | 'job' | 'pin';

/** Something a merge left out, with why in words (a name already taken here, or what it depends on was left out). */
export interface SystemSkipDto {
  kind: SystemEntityKind;
  name: string;
  reason: string;
}

export interface SystemImportDto {
  path: string;
  /** When and by which version the file was written. */
  exportedAt: string;
  appVersion: string;
  merged: boolean;
  /** What was added. */
  counts: SystemCountsDto;
  /** Merge only: what was left out, nothing here was changed. */
  skipped: SystemSkipDto[];
  /** Global settings (webhook, concurrency, tool paths, paused schedules) are taken into an empty data dir only. */
  settings: 'imported' | 'kept';
}

/** What a system backup holds, in words: `1 environment, 2 sources, ...`, for the CLI and the Recovery page alike. */
export function systemCountsWords(c: SystemCountsDto): string {
  const part = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  return [
    part(c.environments, 'environment'),
    part(c.sources, 'source'),
    part(c.destinations, 'destination'),
    part(c.profiles, 'encryption profile'),
    part(c.jobs, 'job'),
    part(c.pins, 'pinned backup'),
  ].join(', ');
}
