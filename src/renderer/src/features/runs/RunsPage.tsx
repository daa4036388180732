import { Anchor, Badge, Group, Select, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { hashFor } from '../../app/routes';
import { useRouteParam } from '../../app/use-hash-route';
import { api } from '../../api';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { useNow } from '../../lib/use-now';
import { describeRunError, runDuration, STATUS_COLORS, TRIGGER_LABELS } from './run-status';
import { RunDetailModal } from './RunDetailModal';
import { useRunsQuery } from './use-runs-query';

const LIMIT = 100;

/** Recent runs of every job (or one), newest first; a run opens in detail at `#/runs/<id>`. */
export function RunsPage(): ReactElement {
  const [jobId, setJobId] = useState<string | null>(null);
  const runs = useRunsQuery(() => api.runs.list({ jobId: jobId ?? undefined, limit: LIMIT }));
  const jobs = useLiveQuery(() => api.jobs.list({}));
  const { reload } = runs;
  const openId = useRouteParam();
  const list = runs.data ?? [];
  // Only a running run's duration moves by the second.
  const now = useNow(list.some((r) => r.status === 'running') ? 1_000 : 30_000);
  // The live query keeps its latest loader; reload once the new filter is in it.
  const shownJob = useRef(jobId);
  useEffect(() => {
    if (shownJob.current === jobId) return;
    shownJob.current = jobId;
    reload();
  }, [jobId, reload]);
  return (
    <>
      <PageHeader
        title="Runs"
        description={`The last ${LIMIT} runs, newest first: what was dumped, where it was stored, and why a run failed.`}
        action={
          <Select
            aria-label="Show runs of"
            placeholder="All jobs"
            data={(jobs.data ?? []).map((j) => ({ value: j.id, label: j.name }))}
            value={jobId}
            onChange={setJobId}
            clearable
            w={220}
          />
        }
      />
      {list.length === 0 ? (
        <LoadState loading={runs.loading} error={runs.error} empty={jobId ? 'This job has not run yet.' : 'No runs yet. Use "Run now" on the Jobs page, or wait for a schedule.'} onRetry={reload} />
      ) : (
        <Table striped highlightOnHover verticalSpacing="sm" aria-label="Runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Job</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th ta="right">Dumped</Table.Th>
              <Table.Th ta="right">Stored</Table.Th>
              <Table.Th>Error</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((r) => {
              const error = r.error && r.status !== 'succeeded' ? describeRunError(r.error) : null;
              return (
                <Table.Tr key={r.id} data-testid={`run-row-${r.id}`}>
                  <Table.Td fw={500} style={{ whiteSpace: 'nowrap' }}>
                    {r.jobName}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[r.status]} variant={r.status === 'failed' ? 'filled' : 'light'}>
                      {r.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatDateTime(r.startedAt)}</Text>
                    <Text size="xs" c="dimmed">
                      {TRIGGER_LABELS[r.trigger]}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{runDuration(r, now)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {formatBytes(r.bytesIn)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {formatBytes(r.bytesOut)}
                  </Table.Td>
                  <Table.Td maw={420}>
                    {error ? (
                      <Text size="sm" c={r.status === 'cancelled' ? 'dimmed' : 'red.8'} lineClamp={2} title={error.message}>
                        <Text span fw={600} inherit>
                          {error.headline}:
                        </Text>{' '}
                        {error.message}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <Anchor href={hashFor('runs', r.id)} size="sm" aria-label={`Details of the ${r.jobName} run started ${formatDateTime(r.startedAt)}`}>
                        Details
                      </Anchor>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <RunDetailModal runId={openId} onClose={() => (window.location.hash = hashFor('runs'))} />
    </>
  );
}
