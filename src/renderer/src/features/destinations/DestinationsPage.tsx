import { Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import type { DestinationDto } from '../../../../shared/domain/dto';
import { api, asAppError } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { LastTestBadge } from '../../components/LastTestBadge';
import { LoadState } from '../../components/LoadState';
import { LongText } from '../../components/LongText';
import { PageHeader } from '../../components/PageHeader';
import { RowActions } from '../../components/RowActions';
import { useDialog } from '../../lib/use-dialog';
import { useLiveQuery } from '../../lib/use-live-query';
import { destinationLocation, kindLabel, secretLabel } from './destination-form';
import { DestinationFormModal } from './DestinationFormModal';
import { DestinationTestModal } from './DestinationTestModal';

async function act(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    notifications.show({ color: 'red', title: `Could not ${what}`, message: asAppError(error).message, autoClose: false });
  }
}

export function DestinationsPage(): ReactElement {
  const destinations = useLiveQuery(() => api.destinations.list({}));
  const editing = useDialog<DestinationDto | null>();
  const deleting = useDialog<DestinationDto>();
  const testing = useDialog<DestinationDto>();
  const list = destinations.data ?? [];
  return (
    <>
      <PageHeader
        title="Destinations"
        description="Where backups are stored. A locked destination is kept out of every run; the default one is pre-selected for new jobs."
        action={<Button onClick={() => editing.open(null)}>Add destination</Button>}
      />
      {list.length === 0 ? (
        <LoadState loading={destinations.loading} error={destinations.error} empty="No destinations yet. Add a folder, a bucket or an SFTP server." onRetry={destinations.reload} />
      ) : (
        <Table striped highlightOnHover verticalSpacing="sm" layout="fixed" aria-label="Destinations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="18%">Name</Table.Th>
              <Table.Th>Location</Table.Th>
              <Table.Th w={160}>Status</Table.Th>
              <Table.Th w={150}>Used by</Table.Th>
              <Table.Th w={96}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((d) => (
              <Table.Tr key={d.id} data-testid={`destination-row-${d.name}`}>
                <Table.Td fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {d.name}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {kindLabel(d.kind)}
                  </Text>
                  <LongText mono size="xs" lines={4}>
                    {destinationLocation(d)}
                  </LongText>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {d.isDefault && (
                      <Badge color="indigo" variant="light">
                        default
                      </Badge>
                    )}
                    {d.locked && (
                      <Badge color="orange" variant="light">
                        locked
                      </Badge>
                    )}
                    {d.hasSecret && (
                      <Badge color="teal" variant="light">
                        {secretLabel(d)}
                      </Badge>
                    )}
                    <LastTestBadge test={d.lastTest} what={`Destination ${d.name}`} />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <LongText lines={3} c={d.jobNames.length ? undefined : 'dimmed'}>
                    {d.jobNames.length ? d.jobNames.join(', ') : 'no jobs'}
                  </LongText>
                </Table.Td>
                <Table.Td>
                  <RowActions
                    what={`destination ${d.name}`}
                    primary={{ label: 'Test', ariaLabel: `Test destination ${d.name}`, onClick: () => testing.open(d) }}
                    more={[
                      { label: 'Edit', onClick: () => editing.open(d) },
                      {
                        label: d.locked ? 'Unlock' : 'Lock',
                        onClick: () => void act(d.locked ? 'unlock' : 'lock', () => (d.locked ? api.destinations.unlock({ id: d.id }) : api.destinations.lock({ id: d.id }))),
                      },
                      { label: 'Make default', disabled: d.isDefault, onClick: () => void act('set the default', () => api.destinations.setDefault({ id: d.id })) },
                      { label: 'Delete', danger: true, onClick: () => deleting.open(d) },
                    ]}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <DestinationTestModal opened={testing.opened} destination={testing.target} onClose={testing.close} />
      <DestinationFormModal opened={editing.opened} destination={editing.target} onClose={editing.close} />
      <ConfirmDeleteModal
        opened={deleting.opened}
        what={`destination "${deleting.target?.name ?? ''}"`}
        onConfirm={() => api.destinations.delete({ id: deleting.target!.id })}
        onClose={deleting.close}
      >
        <Text size="sm">
          The destination's settings and stored credentials are removed from Vaultdesk. Backups already stored there are not touched.
        </Text>
      </ConfirmDeleteModal>
    </>
  );
}
