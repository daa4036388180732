import { Badge, Stack, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { LongText } from '../../components/LongText';
import { RowActions, type RowAction } from '../../components/RowActions';
import { formatBytes, formatDateTime } from '../../lib/format';
import { BACKUP_STATUS_COLORS, drillWords, originWords, pinnedWords, verifiedWords } from './backup-words';

export type BackupAction = 'restore' | 'drill' | 'verify' | 'download' | 'url' | 'pin' | 'unpin' | 'delete';

const NUMBERS = { fontVariantNumeric: 'tabular-nums' } as const;

/**
 * One stored backup: what, when, where, its state, and what can be done with it. `name`: the
 * backup's name on this page, unique among its rows (see rowNames). `narrow`: the table's narrow
 * layout, where the destination goes under the job and the checks under the status.
 */
export function BackupRow({ backup: b, name, onAction, narrow = false }: { backup: BackupDto; name: string; onAction: (action: BackupAction, backup: BackupDto) => void; narrow?: boolean }): ReactElement {
  const canRestore = b.complete && b.engine !== null;
  const origin = originWords(b);
  const more: RowAction[] = [
    ...(canRestore ? [{ label: 'Restore drill', onClick: () => onAction('drill', b) }] : []),
    { label: 'Verify', onClick: () => onAction('verify', b) },
    { label: 'Download to a file…', onClick: () => onAction('download', b), disabled: b.status === 'broken' },
    ...(b.destinationKind === 's3' ? [{ label: 'Copy download link…', onClick: () => onAction('url', b) }] : []),
    b.pinned ? { label: 'Unpin', onClick: () => onAction('unpin', b) } : { label: 'Pin…', onClick: () => onAction('pin', b) },
    { label: 'Delete', danger: true, onClick: () => onAction('delete', b) },
  ];
  return (
    <Table.Tr data-testid={`backup-row-${b.id}`}>
      <Table.Td>
        <Text size="sm" style={NUMBERS}>
          {formatDateTime(b.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <LongText fw={500}>{b.database ?? b.key}</LongText>
        <LongText size="xs" c="dimmed" lines={1}>
          {b.job ? `job ${b.job}` : 'no manifest: job unknown'}
        </LongText>
        {narrow && (
          <LongText size="xs" c="dimmed" lines={1} data-testid="backup-destination">
            {`→ ${b.destination}`}
          </LongText>
        )}
        {origin && (
          <LongText size="xs" c="dimmed" lines={2} data-testid="backup-origin">
            {origin}
          </LongText>
        )}
      </Table.Td>
      {!narrow && (
        <Table.Td>
          <LongText>{b.destination}</LongText>
        </Table.Td>
      )}
      <Table.Td ta="right" style={NUMBERS}>
        {formatBytes(b.size)}
      </Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <Badge color={BACKUP_STATUS_COLORS[b.status]} variant={b.complete ? 'light' : 'filled'}>
            {b.status}
          </Badge>
          {b.problem && (
            <LongText size="xs" c="red" lines={3} data-testid="backup-problem">
              {b.problem}
            </LongText>
          )}
          {narrow && <BackupChecks backup={b} />}
        </Stack>
      </Table.Td>
      {!narrow && (
        <Table.Td>
          <BackupChecks backup={b} />
        </Table.Td>
      )}
      <Table.Td>
        <RowActions
          what={`backup ${name}`}
          primary={canRestore ? { label: 'Restore', ariaLabel: `Restore backup ${name}`, onClick: () => onAction('restore', b) } : undefined}
          more={more}
        />
      </Table.Td>
    </Table.Tr>
  );
}

/** Whether and when it was verified and drilled, and how long it is pinned for. */
function BackupChecks({ backup: b }: { backup: BackupDto }): ReactElement {
  const drill = drillWords(b);
  const verified = verifiedWords(b);
  const pinned = pinnedWords(b);
  return (
    <Stack gap={2}>
      <Text size="xs" c={verified.color} data-testid="backup-verified">
        {verified.text}
      </Text>
      {drill && (
        <Text size="xs" c={drill.color} data-testid="backup-drill">
          {drill.text}
        </Text>
      )}
      {pinned && (
        <Text size="xs" c="indigo" data-testid="backup-pinned">
          {pinned}
        </Text>
      )}
    </Stack>
  );
}
