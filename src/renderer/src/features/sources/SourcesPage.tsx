import { Badge, Button, Group, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { SourceDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { LastTestBadge } from '../../components/LastTestBadge';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
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
        <Table striped highlightOnHover verticalSpacing="sm" aria-label="Sources">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Engine</Table.Th>
              <Table.Th>Location</Table.Th>
              <Table.Th>Environment</Table.Th>
              <Table.Th>Credentials</Table.Th>
              <Table.Th>Last test</Table.Th>
              <Table.Th>Used by</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((s) => (
              <Table.Tr key={s.id} data-testid={`source-row-${s.name}`}>
                <Table.Td fw={500} style={{ whiteSpace: 'nowrap' }}>{s.name}</Table.Td>
                <Table.Td>{engineLabel(s.engine)}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {sourceLocation(s)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline" color="gray">
                    {s.environmentName}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {s.engine === 'sqlite' ? (
                    <Text size="sm" c="dimmed">
                      file
                    </Text>
                  ) : s.hasPassword ? (
                    <Badge color="teal" variant="light">
                      password stored
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light">
                      no password
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <LastTestBadge test={s.lastTest} what={`Source ${s.name}`} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={s.jobNames.length ? undefined : 'dimmed'}>
                    {s.jobNames.length ? s.jobNames.join(', ') : 'no jobs'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="compact-sm" variant="subtle" onClick={() => testing.open(s)} aria-label={`Test connection to source ${s.name}`}>
                      Test connection
                    </Button>
                    <Button size="compact-sm" variant="subtle" onClick={() => editing.open(s)} aria-label={`Edit source ${s.name}`}>
                      Edit
                    </Button>
                    <Button size="compact-sm" variant="subtle" color="red" onClick={() => deleting.open(s)} aria-label={`Delete source ${s.name}`}>
                      Delete
                    </Button>
                  </Group>
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
