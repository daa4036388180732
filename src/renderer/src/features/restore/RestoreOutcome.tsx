import { Alert, Badge, Button, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { DrillResultDto, RestoreDto, RestoredDatabaseDto } from '../../../../shared/domain/restores';
import type { Engine } from '../../../../shared/domain/dto';
import { tableName } from '../../../../shared/domain/sql-names';
import { api, asAppError } from '../../api';
import { errorHeadline } from '../../lib/error-words';
import { formatMiB } from '../../lib/format';
import { counted, drillDifferenceWords, tableWords } from '../../../../shared/domain/counted';
import { ToDoLine } from './ToDoLine';
import { formatCount, formatDifference, messageWithoutToDo, RESTORE_STAGE_WORDS, RESTORE_STATUS_COLORS, restorePercent } from './restore-words';

const NUMBERS = { fontVariantNumeric: 'tabular-nums' } as const;

/** A restore or drill as it goes and as it ended: progress with Cancel, then tables and row counts, or what failed. */
export function RestoreOutcome({ restore: r }: { restore: RestoreDto }): ReactElement {
  return (
    <Stack gap="md" data-testid="restore-outcome">
      <Group gap="xs">
        <Badge color={RESTORE_STATUS_COLORS[r.status]} variant={r.status === 'failed' ? 'filled' : 'light'} data-testid="restore-status">
          {r.status}
        </Badge>
        <Text size="sm" c="dimmed">
          {r.kind === 'drill' ? 'Drill' : 'Restore'} into {r.targetSource}
        </Text>
      </Group>
      {r.status === 'running' ? <RestoreRunning restore={r} /> : <Ended restore={r} />}
      {r.status !== 'running' && <ToDo lines={r.toDo} />}
      {r.drill && <DrillTable drill={r.drill} tables={r.databases[0]?.tables ?? null} engine={r.engine} />}
      {r.kind === 'restore' && r.databases.filter((d) => d.status === 'restored').map((d) => <DatabaseTables key={`${d.backupId}-${d.database}`} database={d} toDo={r.toDo} engine={r.engine} />)}
    </Stack>
  );
}

/** A running restore's stage, progress and Cancel: in its window, and on its row of the history (started elsewhere, or its window closed). */
export function RestoreRunning({ restore: r }: { restore: RestoreDto }): ReactElement {
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async (): Promise<void> => {
    setCancelling(true);
    try {
      await api.restore.cancel({ id: r.id });
    } catch (err) {
      setError(asAppError(err).message);
      setCancelling(false);
    }
  };
  return (
    <Stack gap={6} role="status" aria-label="Restore progress">
      <Text size="sm" fw={500}>
        {RESTORE_STAGE_WORDS[r.stage]}…
      </Text>
      <Progress value={restorePercent(r)} aria-label="Backup read" animated />
      <Group justify="space-between">
        <Text size="xs" c="dimmed" style={NUMBERS}>
          {formatMiB(r.bytesRead)} of {formatMiB(r.totalBytes)} read
        </Text>
        <Button size="compact-sm" variant="default" color="red" onClick={() => void cancel()} loading={cancelling}>
          Cancel
        </Button>
      </Group>
      {error && (
        <Text size="sm" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function Ended({ restore: r }: { restore: RestoreDto }): ReactElement {
  const ok = r.status === 'succeeded' && (r.drill?.ok ?? true);
  const title = r.error ? errorHeadline(r.error.code) : r.kind === 'drill' ? (r.drill?.ok ? 'Drill passed' : 'Drill found differences') : 'Restored';
  return (
    <Alert color={ok ? 'teal' : r.status === 'cancelled' ? 'gray' : 'red'} title={title} role={ok ? 'status' : 'alert'} data-testid="restore-message">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {messageWithoutToDo(r)}
      </Text>
    </Alert>
  );
}

/**
 * What is left for the DBA to do (a database the server would not drop, a scratch copy left behind):
 * said once, whole and in the warning colour, under the message it was taken from, whether the
 * restore succeeded, failed or was a drill.
 */
function ToDo({ lines }: { lines: string[] }): ReactElement | null {
  if (lines.length === 0) return null;
  return (
    <Stack component="section" gap={4} aria-label="Left to do by hand">
      {lines.map((line) => (
        <ToDoLine key={line} sentence={line} />
      ))}
    </Stack>
  );
}

/** `toDo`: the restore's notes that ask a person to act, left out here: they are shown above, once. */
function DatabaseTables({ database: d, toDo, engine }: { database: RestoredDatabaseDto; toDo: string[]; engine: Engine }): ReactElement {
  const tables = d.tables ?? [];
  return (
    <section aria-label={d.kind === 'globals' ? `Roles restored on ${d.database}` : `Tables of ${d.database}`}>
      <Title order={3} size="h5" mb={4} style={{ overflowWrap: 'anywhere' }}>
        {d.kind === 'globals' ? 'Roles (globals)' : `${d.database}: ${tableWords(d.tables)}`}
      </Title>
      {/* Not dimmed: a note may say the database differs from the original (a locale or character set the server lacks). */}
      {d.notes
        .filter((n) => !toDo.includes(n))
        .map((n) => (
          <Text key={n} size="sm" mb={4}>
            {n}
          </Text>
        ))}
      {tables.length > 0 && (
        <Table striped layout="fixed" verticalSpacing={4} aria-label={`Row counts of ${d.database}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Table</Table.Th>
              <Table.Th w={140} ta="right">
                Rows
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tables.map((t) => (
              <Table.Tr key={`${t.schema ?? ''}.${t.table}`}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{tableName(engine, t.schema, t.table)}</Table.Td>
                <Table.Td ta="right" style={NUMBERS}>
                  {formatCount(t.rows)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}

/** A drill's verdict: the tables that differ, or, when none does, each table with the rows it has in both. */
function DrillTable({ drill, tables, engine }: { drill: DrillResultDto; tables: RestoredDatabaseDto['tables']; engine: Engine }): ReactElement {
  return (
    <section aria-label="Drill differences">
      <Title order={3} size="h5" mb={4}>
        {drill.ok ? `${drill.tables === 1 ? 'The table matches' : `All ${drill.tables} tables match`} ${drill.comparedWith}` : `${counted(drill.differences.length, 'table')} ${drill.differences.length === 1 ? 'differs' : 'differ'} from ${drill.comparedWith}: ${drillDifferenceWords(drill)}`}
      </Title>
      {drill.ok && tables && tables.length > 0 && (
        <Table striped layout="fixed" verticalSpacing={4} aria-label="Row counts compared">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Table</Table.Th>
              <Table.Th w={220} ta="right">
                Rows, in the backup and now
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tables.map((t) => (
              <Table.Tr key={`${t.schema ?? ''}.${t.table}`}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{tableName(engine, t.schema, t.table)}</Table.Td>
                <Table.Td ta="right" style={NUMBERS}>
                  {formatCount(t.rows)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {drill.differences.length > 0 && (
        <Table striped layout="fixed" verticalSpacing={4} aria-label="Row count differences">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Table</Table.Th>
              <Table.Th w={120} ta="right">
                In backup
              </Table.Th>
              <Table.Th w={130} ta="right">
                In source now
              </Table.Th>
              <Table.Th w={110} ta="right">
                Difference
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {drill.differences.map((d) => (
              <Table.Tr key={`${d.schema ?? ''}.${d.table}`}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{tableName(engine, d.schema, d.table)}</Table.Td>
                <Table.Td ta="right" style={NUMBERS}>
                  {formatCount(d.inBackup)}
                </Table.Td>
                <Table.Td ta="right" style={NUMBERS}>
                  {formatCount(d.inSourceNow)}
                </Table.Td>
                <Table.Td ta="right" style={NUMBERS}>
                  {formatDifference(d.difference)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
