import { Badge, Button, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ReactElement } from 'react';
import type { SourceDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { LastTestBadge } from '../../components/LastTestBadge';
import { LoadState } from '../../components/LoadState';
import { LongText } from '../../components/LongText';
import { PageHeader } from '../../components/PageHeader';
import { RowActions } from '../../components/RowActions';
import { useDialog } from '../../lib/use-dialog';
import { useLiveQuery } from '../../lib/use-live-query';
import { engineLabel, sourceLocation } from './source-form';
import { SourceFormModal } from './SourceFormModal';
import { SourceTestModal } from './SourceTestModal';

export function SourcesPage(): ReactElement {
  const sources = useLiveQuery(() => api.sources.list({}));
  const environments = useLiveQuery(() => api.environments.list({}));
  const editing = useDialog<SourceDto | null>();
  const deleting = useDialog<SourceDto>();
  const testing = useDialog<SourceDto>();
  const list = sources.data ?? [];
  return (
    <>
      <PageHeader
        title="Sources"
        description="The databases Vaultdesk backs up. Passwords are stored encrypted and never shown again."
        action={<Button onClick={() => editing.open(null)}>Add source</Button>}
      />
      {list.length === 0 ? (
        <LoadState loading={sources.loading} error={sources.error} empty="No sources yet. Add the first database to back up." onRetry={sources.reload} />
      ) : (
        <Table striped highlightOnHover verticalSpacing="sm" layout="fixed" aria-label="Sources">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="17%">Name</Table.Th>
              <Table.Th>Location</Table.Th>
              <Table.Th w={120}>Environment</Table.Th>
              <Table.Th w={160}>Status</Table.Th>
              <Table.Th w={130}>Used by</Table.Th>
              <Table.Th w={96}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((s) => (
              <Table.Tr key={s.id} data-testid={`source-row-${s.name}`}>
                <Table.Td fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {s.name}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {engineLabel(s.engine)}
                  </Text>
                  <LongText mono size="xs" lines={4}>
                    {sourceLocation(s)}
                  </LongText>
                </Table.Td>
                <Table.Td>
                  <LongText>{s.environmentName}</LongText>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    {s.engine === 'sqlite' ? null : s.hasPassword ? (
                      <Badge color="teal" variant="light">
                        password stored
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light">
                        no password
                      </Badge>
                    )}
                    <LastTestBadge test={s.lastTest} what={`Source ${s.name}`} />
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <LongText lines={3} c={s.jobNames.length ? undefined : 'dimmed'}>
                    {s.jobNames.length ? s.jobNames.join(', ') : 'no jobs'}
                  </LongText>
                </Table.Td>
                <Table.Td>
                  <RowActions
                    what={`source ${s.name}`}
                    primary={{ label: 'Test', ariaLabel: `Test connection to source ${s.name}`, onClick: () => testing.open(s) }}
                    more={[
                      { label: 'Edit', onClick: () => editing.open(s) },
                      { label: 'Delete', danger: true, onClick: () => deleting.open(s) },
                    ]}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <SourceTestModal opened={testing.opened} source={testing.target} onClose={testing.close} />
      <SourceFormModal opened={editing.opened} source={editing.target} environments={environments.data ?? []} onClose={editing.close} />
      <ConfirmDeleteModal
        opened={deleting.opened}
        what={`source "${deleting.target?.name ?? ''}"`}
        onConfirm={() => api.sources.delete({ id: deleting.target!.id })}
        onClose={deleting.close}
      />
    </>
  );
}
