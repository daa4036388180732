import { Group, Select, TextInput } from '@mantine/core';
import type { ReactElement } from 'react';
import { BACKUP_STATUSES, type BackupStatus } from '../../../../shared/domain/backups';
import type { DestinationDto, JobDto } from '../../../../shared/domain/dto';
import { BACKUP_STATUS_WORDS } from './backup-words';

export interface BackupFilter {
  destinationId: string | null;
  jobId: string | null;
  database: string;
  status: BackupStatus | null;
}

export const NO_FILTER: BackupFilter = { destinationId: null, jobId: null, database: '', status: null };

export function isFiltered(f: BackupFilter): boolean {
  return f.destinationId !== null || f.jobId !== null || f.database.trim() !== '' || f.status !== null;
}

/** Which backups the table shows: by destination, job, database and status. */
export function BackupFilters({
  value,
  onChange,
  destinations,
  jobs,
}: {
  value: BackupFilter;
  onChange: (next: BackupFilter) => void;
  destinations: DestinationDto[];
  jobs: JobDto[];
}): ReactElement {
  return (
    <Group gap="xs" mb="md" wrap="wrap" role="search" aria-label="Filter backups">
      <Select
        aria-label="Destination"
        placeholder="All destinations"
        data={destinations.map((d) => ({ value: d.id, label: d.name }))}
        value={value.destinationId}
        onChange={(v) => onChange({ ...value, destinationId: v })}
        clearable
        w={190}
      />
      <Select
        aria-label="Job"
        placeholder="All jobs"
        data={jobs.map((j) => ({ value: j.id, label: j.name }))}
        value={value.jobId}
        onChange={(v) => onChange({ ...value, jobId: v })}
        clearable
        searchable
        w={190}
      />
      <TextInput aria-label="Database" placeholder="Any database, or part of a name" value={value.database} onChange={(e) => onChange({ ...value, database: e.currentTarget.value })} w={250} />
      <Select
        aria-label="Status"
        placeholder="Any status"
        data={BACKUP_STATUSES.map((s) => ({ value: s, label: BACKUP_STATUS_WORDS[s] }))}
        value={value.status}
        onChange={(v) => onChange({ ...value, status: v as BackupStatus | null })}
        clearable
        w={250}
      />
    </Group>
  );
}
