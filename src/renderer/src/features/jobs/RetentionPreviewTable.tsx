import { Alert, Badge, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import type { RetentionPreviewDto } from '../../../../shared/domain/retention';
import type { AppError } from '../../../../shared/ipc/result';
import { formatDateTime } from '../../lib/format';

export interface RetentionPreviewTableProps {
  preview: RetentionPreviewDto | null;
  loading: boolean;
  error: AppError | null;
}

/** Per destination and database, each stored backup: kept (and by which rule) or deleted. */
export function RetentionPreviewTable({ preview, loading, error }: RetentionPreviewTableProps): ReactElement {
  if (error) {
    return (
      <Alert color="red" title="No preview" role="alert">
        {error.message}
      </Alert>
    );
  }
  if (!preview) {
    return (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">Reading the stored backups…</Text>
      </Group>
    );
  }
  const all = preview.destinations.flatMap((d) => d.databases.flatMap((db) => db.backups));
  const deleted = all.filter((b) => b.action === 'delete').length;
  return (
    <Stack gap="xs" aria-label="Retention preview" role="region" aria-busy={loading}>
      <Text size="sm" data-testid="retention-summary">
        {all.length === 0
          ? 'No backups of this job are stored yet: run it, then preview again.'
          : `${all.length - deleted} kept, ${deleted} would be deleted. Days, weeks, months and years are counted in ${preview.timeZone}.`}
      </Text>
      {preview.destinations.map((dest) =>
        dest.pinsNotRead ? (
          <Alert key={`${dest.destinationId}/pins`} color="yellow" title={`Pins on ${dest.destination} not read`}>
            {dest.pinsNotRead}
          </Alert>
        ) : null,
      )}
      {preview.destinations.map((dest) =>
        dest.databases.map((db) => (
          <div key={`${dest.destinationId}/${db.database}`}>
            <Title order={4} size="h6" mb={4}>
              {`On ${dest.destination}${dest.databases.length > 1 ? `, database ${db.database}` : ''}`}
            </Title>
            <Table striped verticalSpacing={4} fz="sm" aria-label={`Backups on ${dest.destination}: ${db.database}`} style={{ tableLayout: 'fixed' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Backup</Table.Th>
                  <Table.Th w={190}>Created</Table.Th>
                  <Table.Th w={80}>Action</Table.Th>
                  <Table.Th w={170}>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {db.backups.map((b) => (
                  <Table.Tr key={b.id} data-testid="retention-row">
                    <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {b.key}
                    </Table.Td>
                    <Table.Td>{formatDateTime(b.createdAt)}</Table.Td>
                    <Table.Td>
                      <Badge color={b.action === 'keep' ? 'teal' : 'red'} variant={b.action === 'keep' ? 'light' : 'filled'}>
                        {b.action}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{b.reasons.length > 0 ? b.reasons.join(', ') : 'no rule keeps it'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )),
      )}
    </Stack>
  );
}
