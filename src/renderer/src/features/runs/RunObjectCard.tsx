import { Badge, Button, CopyButton, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { RunObjectDto } from '../../../../shared/domain/runs';
import { formatBytes } from '../../lib/format';
import { STATUS_COLORS } from './run-status';

/** One dumped database (or the server's globals): its size, hash, and where each destination put it. */
export function RunObjectCard({ object: o }: { object: RunObjectDto }): ReactElement {
  return (
    <Paper withBorder p="sm" component="article" aria-label={`Object ${o.database}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text fw={600}>{o.kind === 'globals' ? `${o.database} (roles and grants)` : o.database}</Text>
            <Badge size="sm" color={STATUS_COLORS[o.status]} variant="light">
              {o.status}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {o.status === 'succeeded' ? `${formatBytes(o.bytesIn)} dumped → ${formatBytes(o.size)} stored` : `${formatBytes(o.bytesIn)} dumped, nothing kept`}
          </Text>
        </Group>
        {o.sha256 && (
          <Group gap={6} wrap="nowrap">
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              SHA-256
            </Text>
            <Text size="xs" ff="monospace" data-testid="object-sha256" style={{ overflowWrap: 'anywhere' }}>
              {o.sha256}
            </Text>
            <CopyButton value={o.sha256}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy the SHA-256">
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
        )}
        <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="xs" aria-label={`Destinations of ${o.database}`}>
          <Table.Tbody>
            {o.destinations.map((d) => (
              <Table.Tr key={d.destinationId}>
                <Table.Td w={1} style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm" fw={500} c={d.ok ? undefined : 'red'}>
                    {d.ok ? '✓' : '✗'} {d.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {d.ok && d.location ? (
                    <Text size="xs" ff="monospace" data-testid="object-location" style={{ overflowWrap: 'anywhere' }}>
                      {d.location}
                    </Text>
                  ) : (
                    <Text size="xs" c={d.error ? 'red' : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
                      {d.error ?? 'not stored'}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
