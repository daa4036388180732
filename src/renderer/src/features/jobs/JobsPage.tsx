import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, type ReactElement } from 'react';
import type { JobDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useDialog } from '../../lib/use-dialog';
import { useLiveQuery } from '../../lib/use-live-query';
import { useNow } from '../../lib/use-now';
import { describeEncryption, describeSchedule } from './job-form';
import { JobFormModal } from './JobFormModal';
import { LastRun } from './LastRun';
import { RunningJobNotice } from './RunningJobNotice';
import { useJobsWithRuns } from './use-jobs-with-runs';

export function JobsPage(): ReactElement {
  const onRunError = useCallback((job: JobDto, message: string) => {
    notifications.show({ color: 'red', title: `Could not start "${job.name}"`, message, autoClose: false });
  }, []);
  const jobs = useJobsWithRuns(onRunError);
  const sources = useLiveQuery(() => api.sources.list({}));
  const destinations = useLiveQuery(() => api.destinations.list({}));
  const profiles = useLiveQuery(() => api.profiles.list({}));
  const now = useNow(15_000);
  const adding = useDialog<true>();
  const deleting = useDialog<JobDto>();
  const list = jobs.data ?? [];
  const deletingRun = list.find((entry) => entry.job.id === deleting.target?.id)?.lastRun;
  return (
    <>
      <PageHeader
        title="Jobs"
        description="A job backs up one source to one or more destinations, compressed and optionally encrypted, on a schedule."
        action={<Button onClick={() => adding.open(true)}>Add job</Button>}
      />
      {list.length === 0 ? (
        <LoadState loading={jobs.loading} error={jobs.error} empty="No jobs yet. A job needs a source and a destination." onRetry={jobs.reload} />
      ) : (
        <Table striped highlightOnHover verticalSpacing="sm" aria-label="Jobs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Destinations</Table.Th>
              <Table.Th>Compression · encryption</Table.Th>
              <Table.Th>Schedule</Table.Th>
              <Table.Th w={340}>Last run</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map(({ job: j, lastRun }) => {
              const running = lastRun?.status === 'running' || jobs.starting.has(j.id);
              return (
                <Table.Tr key={j.id} data-testid={`job-row-${j.name}`}>
                  <Table.Td fw={500} style={{ whiteSpace: 'nowrap' }}>
                    <Group gap={6}>
                      {j.name}
                      {!j.enabled && (
                        <Badge size="xs" color="gray">
                          paused
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{j.sourceName}</Table.Td>
                  <Table.Td>{j.destinationNames.join(', ')}</Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm">{j.compression === 'none' ? 'no compression' : j.compression}</Text>
                      <Text size="sm" c={j.encryption === 'none' ? 'dimmed' : undefined}>
                        {j.encryption === 'none' ? 'not encrypted' : describeEncryption(j)}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff={j.schedule ? 'monospace' : undefined} c={j.schedule ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                      {describeSchedule(j)}
                    </Text>
                    {j.schedule && (
                      <Text size="xs" c="orange.8">
                        not run automatically yet: no scheduler
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <LastRun jobName={j.name} run={lastRun} now={now} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="compact-sm" variant="light" disabled={running} loading={jobs.starting.has(j.id)} onClick={() => void jobs.runNow(j)} aria-label={`Run ${j.name} now`}>
                        Run now
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => deleting.open(j)} aria-label={`Delete job ${j.name}`}>
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <JobFormModal
        opened={adding.opened}
        sources={sources.data ?? []}
        destinations={destinations.data ?? []}
        profiles={profiles.data ?? []}
        onClose={adding.close}
      />
      <ConfirmDeleteModal opened={deleting.opened} what={`job "${deleting.target?.name ?? ''}"`} onConfirm={() => api.jobs.delete({ id: deleting.target!.id })} onClose={deleting.close}>
        {deletingRun?.status === 'running' ? (
          <RunningJobNotice run={deletingRun} />
        ) : (
          <Text size="sm">The job's schedule stops. Backups it already stored stay where they are.</Text>
        )}
      </ConfirmDeleteModal>
    </>
  );
}
