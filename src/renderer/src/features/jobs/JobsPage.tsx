import { Badge, Button, Group, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { JobDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useDialog } from '../../lib/use-dialog';
import { useLiveQuery } from '../../lib/use-live-query';
import { describeEncryption, describeSchedule } from './job-form';
import { JobFormModal } from './JobFormModal';

export function JobsPage(): ReactElement {
  const jobs = useLiveQuery(() => api.jobs.list({}));
  const sources = useLiveQuery(() => api.sources.list({}));
  const destinations = useLiveQuery(() => api.destinations.list({}));
  const profiles = useLiveQuery(() => api.profiles.list({}));
  const adding = useDialog<true>();
  const deleting = useDialog<JobDto>();
  const list = jobs.data ?? [];
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
              <Table.Th>Compression</Table.Th>
              <Table.Th>Encryption</Table.Th>
              <Table.Th>Schedule</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((j) => (
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
                <Table.Td>{j.compression}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={j.encryption === 'none' ? 'dimmed' : undefined}>
                    {describeEncryption(j)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff={j.schedule ? 'monospace' : undefined} c={j.schedule ? undefined : 'dimmed'}>
                    {describeSchedule(j)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <Button size="compact-sm" variant="subtle" color="red" onClick={() => deleting.open(j)} aria-label={`Delete job ${j.name}`}>
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
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
        <Text size="sm">The job's schedule stops. Backups it already stored stay where they are.</Text>
      </ConfirmDeleteModal>
    </>
  );
}
