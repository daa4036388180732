import { Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { JobDto, ScheduledJobDto } from '../../../../shared/domain/dto';
import { describeSchedule } from './job-words';
import { formatSlot } from './schedule-presets';

/** A job's schedule in the list: in words, with its next run, or "manual only". */
export function JobScheduleCell({ job, scheduled }: { job: JobDto; scheduled: ScheduledJobDto | null }): ReactElement {
  if (!job.schedule) {
    return (
      <Text size="sm" c="dimmed">
        manual only
      </Text>
    );
  }
  const next = scheduled?.next[0];
  return (
    <Stack gap={0} data-testid="job-schedule" style={{ overflowWrap: 'anywhere' }}>
      <Text size="sm">{scheduled?.words ?? describeSchedule(job)}</Text>
      <Text size="xs" ff="monospace">
        {job.schedule}
      </Text>
      {!job.enabled ? (
        <Text size="xs" c="orange">
          schedule off: runs only when started by hand
        </Text>
      ) : (
        next && <Text size="xs">next: {formatSlot(next, job.timezone)}</Text>
      )}
    </Stack>
  );
}
