import { Alert, Badge, Button, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, type ReactElement } from 'react';
import type { JobDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { LoadState } from '../../components/LoadState';
import { LongText } from '../../components/LongText';
import { PageHeader } from '../../components/PageHeader';
import { RowActions } from '../../components/RowActions';
import { useDialog } from '../../lib/use-dialog';
import { useLiveQuery } from '../../lib/use-live-query';
import { NARROW_TABLE_MIN_WIDTH, useNarrowTables, WIDE_TABLE_MIN_WIDTH } from '../../lib/use-narrow-tables';
import { useNow } from '../../lib/use-now';
import { useRunsQuery } from '../runs/use-runs-query';
import { JobStorage } from './JobStorage';
import { JobFormModal } from './JobFormModal';
import { JobScheduleCell } from './JobScheduleCell';
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
  const schedules = useRunsQuery(() => api.schedules.status({}));
  // null: add a job; a job: edit it.
  const editing = useDialog<JobDto | null>();
  const deleting = useDialog<JobDto>();
  const list = jobs.data ?? [];
  const scheduled = new Map((schedules.data?.jobs ?? []).map((s) => [s.id, s]));
  const anyScheduled = list.some(({ job }) => job.schedule !== null && job.enabled);
  const deletingRun = list.find((entry) => entry.job.id === deleting.target?.id)?.lastRun;
  // Narrow: compression and encryption go under the destinations, and the cells give up some width and padding (their words wrap), so the rows fit a 960 px window with Run now in view.
  const narrow = useNarrowTables();
  return (
    <>
      <PageHeader
        title="Jobs"
        description="A job backs up one source to one or more destinations, compressed and encrypted, when you press Run now or on its schedule."
        action={<Button onClick={() => editing.open(null)}>Add job</Button>}
      />
      {anyScheduled && schedules.data && (schedules.data.paused || !schedules.data.holder) && (
        <Alert color="orange" mb="md" role="status" title={schedules.data.paused ? 'Schedules are paused' : 'Nothing is running the schedules now'}>
          {schedules.data.paused ? (
            'Scheduled jobs do not start by themselves until schedules are resumed (Settings).'
          ) : (
            <>
              Schedules run while the Vaultdesk desktop app or <Code>vaultdesk daemon</Code> is open on this data folder. Neither is, so scheduled jobs will not start by
              themselves; Run now still works.
            </>
          )}
        </Alert>
      )}
      {list.length === 0 ? (
        <LoadState loading={jobs.loading} error={jobs.error} empty="No jobs yet. A job needs a source and a destination." onRetry={jobs.reload} />
      ) : (
        // Below its width (a narrow window) the table scrolls on its own rather than squeeze the names to a letter a line; positioned, so the visually hidden headers inside it do not widen the page.
        <Table.ScrollContainer minWidth={narrow ? NARROW_TABLE_MIN_WIDTH : WIDE_TABLE_MIN_WIDTH} type="native" style={{ position: 'relative' }}>
          <Table striped highlightOnHover verticalSpacing="sm" horizontalSpacing={narrow ? 8 : 'xs'} layout="fixed" aria-label="Jobs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th w="16%">Source → destinations</Table.Th>
                {!narrow && <Table.Th w={136}>Compression · encryption</Table.Th>}
                <Table.Th w={narrow ? 132 : 158}>Schedule</Table.Th>
                <Table.Th w={narrow ? 150 : 206}>Last run</Table.Th>
                <Table.Th w={narrow ? 130 : 132}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map(({ job: j, lastRun }) => {
                const running = lastRun?.status === 'running' || jobs.starting.has(j.id);
                return (
                  <Table.Tr key={j.id} data-testid={`job-row-${j.name}`}>
                    <Table.Td fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {j.name}
                      {!j.enabled && (
                        <Badge size="xs" color="gray" ml={6}>
                          paused
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <LongText lines={2}>{j.sourceName}</LongText>
                      <LongText lines={2} size="xs" c="dimmed">
                        {`→ ${j.destinationNames.join(', ')}`}
                      </LongText>
                      {narrow && <JobStorage job={j} narrow />}
                    </Table.Td>
                    {!narrow && (
                      <Table.Td>
                        <JobStorage job={j} />
                      </Table.Td>
                    )}
                    <Table.Td>
                      <JobScheduleCell job={j} scheduled={scheduled.get(j.id) ?? null} />
                    </Table.Td>
                    {/* Named, so tests find the cell by what it holds, not by its place among columns the narrow layout changes. */}
                    <Table.Td data-testid="job-last-run">
                      <LastRun jobName={j.name} run={lastRun} now={now} />
                    </Table.Td>
                    <Table.Td>
                      <RowActions
                        what={`job ${j.name}`}
                        primary={{ label: 'Run now', ariaLabel: `Run now: ${j.name}`, disabled: running, loading: jobs.starting.has(j.id), onClick: () => void jobs.runNow(j) }}
                        more={[
                          { label: 'Edit', onClick: () => editing.open(j) },
                          { label: 'Delete', danger: true, onClick: () => deleting.open(j) },
                        ]}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <JobFormModal
        opened={editing.opened}
        job={editing.target}
        sources={sources.data ?? []}
        destinations={destinations.data ?? []}
        profiles={profiles.data ?? []}
        loading={[sources, destinations, profiles].some((q) => q.data === undefined && q.error === null)}
        onClose={editing.close}
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
