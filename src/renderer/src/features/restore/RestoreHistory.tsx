import { Badge, Button, Modal, Stack, Table, Text } from '@mantine/core';
import { useEffect, type ReactElement } from 'react';
import type { RestoreDto } from '../../../../shared/domain/restores';
import { api, onEvent } from '../../api';
import { LongText } from '../../components/LongText';
import { Section } from '../../components/Section';
import { formatDateTime } from '../../lib/format';
import { useDialog } from '../../lib/use-dialog';
import { useLiveQuery } from '../../lib/use-live-query';
import { RestoreOutcome, RestoreRunning } from './RestoreOutcome';
import { messageWithoutToDo, RESTORE_STATUS_COLORS } from './restore-words';
import { ToDoLine } from './ToDoLine';

const LIMIT = 20;
const POLL_MS = 5_000;

/** The latest restores and drills of this data folder: who, what, where, when, how it went. */
export function RestoreHistory(): ReactElement {
  const restores = useLiveQuery(() => api.restore.list({ limit: LIMIT }));
  const { reload } = restores;
  useEffect(() => onEvent('restore:finished', () => reload()), [reload]);
  // Restores another process runs (the CLI, the daemon) announce nothing here: their records are read again.
  useEffect(() => {
    const timer = setInterval(() => reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const list = restores.data ?? [];
  const details = useDialog<RestoreDto>();
  return (
    <Section title="Restore history" description={`The last ${LIMIT} restores and drills, newest first. Start one from a backup on the Backups page.`}>
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {restores.error ? restores.error.message : restores.loading ? 'Loading…' : 'No restores yet.'}
        </Text>
      ) : (
        <Table verticalSpacing="xs" layout="fixed" aria-label="Restores">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={118}>Started</Table.Th>
              <Table.Th w={70}>Kind</Table.Th>
              <Table.Th w={104}>Status</Table.Th>
              <Table.Th w="22%">Into</Table.Th>
              <Table.Th>What happened</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((r) => (
              <Table.Tr key={r.id} data-testid={`restore-row-${r.id}`}>
                <Table.Td>
                  <Text size="sm">{formatDateTime(r.startedAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.kind}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={RESTORE_STATUS_COLORS[r.status]} variant={r.status === 'failed' ? 'filled' : 'light'}>
                    {r.status}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <LongText>{intoWords(r)}</LongText>
                </Table.Td>
                <Table.Td>
                  {r.status === 'running' && <RestoreRunning restore={r} />}
                  <LongText lines={3} c={r.status === 'failed' ? 'red' : undefined}>
                    {messageWithoutToDo(r)}
                  </LongText>
                  {/* What a person must still do is never cut off, whatever the message's length. */}
                  {r.toDo.map((sentence) => (
                    <ToDoLine key={sentence} sentence={sentence} />
                  ))}
                  <Text size="xs" c="dimmed">
                    by {r.requestedBy}
                  </Text>
                  {r.status !== 'running' && (
                    <Button size="compact-xs" variant="subtle" px={0} onClick={() => details.open(r)} aria-label={`${detailsWords(r)} of the ${r.kind} of ${formatDateTime(r.startedAt)}`}>
                      {detailsWords(r)}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={details.opened} onClose={details.close} title={details.target ? `${details.target.kind === 'drill' ? 'Drill' : 'Restore'} of ${formatDateTime(details.target.startedAt)}` : ''} size="lg">
        {details.target && <RestoreDetails restore={details.target} />}
      </Modal>
    </Section>
  );
}

/** What a row's details show: its label names it, the accessible name adds which row (and starts with the label, as read). */
function detailsWords(r: RestoreDto): string {
  return r.kind === 'drill' ? 'Tables and differences' : 'Tables and rows';
}

/** One restore or drill of the history, as its window showed it when it ended: which backup, who, and its tables. */
function RestoreDetails({ restore: r }: { restore: RestoreDto }): ReactElement {
  return (
    <Stack gap="sm">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {r.key} at {r.destination}, by {r.requestedBy}
      </Text>
      <RestoreOutcome restore={r} />
    </Stack>
  );
}

/** Where a restore went; a drill's scratch copy by what it was, not by its generated name (a copy left behind is named in what is left to do). */
function intoWords(r: RestoreDto): string {
  if (r.kind === 'drill') return `a scratch copy on ${r.targetSource}${r.drill?.scratchDropped ? ', dropped' : ''}`;
  return `${r.databases.map((d) => d.database).join(', ') || '—'} on ${r.targetSource}`;
}
