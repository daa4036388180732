import { Anchor, Badge, Group, Select, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { RUN_STATUSES, type RunDto, type RunStatus } from '../../../../shared/domain/runs';
import { hashFor } from '../../app/routes';
import { useRouteParam } from '../../app/use-hash-route';
import { api } from '../../api';
import { LoadState } from '../../components/LoadState';
import { LongText } from '../../components/LongText';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { useNow } from '../../lib/use-now';
import { useRunActivity } from './RunActivityProvider';
import { RunCharts } from './RunCharts';
import { RunDetailModal } from './RunDetailModal';
import { RunProgress } from './RunProgress';
import { describeRunOutcome, runDuration, STATUS_COLORS, TRIGGER_LABELS } from './run-status';
import { useReloadOn, useRunsQuery } from './use-runs-query';

const LIMIT = 100;
const NUMBERS = { fontVariantNumeric: 'tabular-nums' } as const;

/** Recent runs of every job (or one, or of one status), newest first, with charts over time; a run opens in detail at `#/runs/<id>`. */
export function RunsPage(): ReactElement {
  const [jobId, setJobId] = useState<string | null>(null);
  const [status, setStatus] = useState<RunStatus | null>(null);
  const runs = useRunsQuery(() => api.runs.list({ jobId: jobId ?? undefined, status: status ?? undefined, limit: LIMIT }));
  const jobs = useLiveQuery(() => api.jobs.list({}));
  useReloadOn(`${jobId ?? ''}|${status ?? ''}`, runs.reload);
  const openId = useRouteParam();
  const list = runs.data ?? [];
  // Only a running run's duration moves by the second.
  const now = useNow(list.some((r) => r.status === 'running') ? 1_000 : 30_000);
  const filtered = jobId !== null || status !== null;
  return (
    <>
      <PageHeader
        title="Runs"
        description={`The last ${LIMIT} runs, newest first: what was dumped, where it was stored, and why a run failed or was skipped.`}
        action={
          <Group gap="xs">
            <Select
              aria-label="Show runs of"
              placeholder="All jobs"
              data={(jobs.data ?? []).map((j) => ({ value: j.id, label: j.name }))}
              value={jobId}
              onChange={setJobId}
              clearable
              w={200}
            />
            <Select
              aria-label="Show runs that"
              placeholder="Any status"
              data={RUN_STATUSES.map((s) => ({ value: s, label: s }))}
              value={status}
              onChange={(v) => setStatus(v as RunStatus | null)}
              clearable
              w={160}
            />
          </Group>
        }
      />
      <RunCharts jobId={jobId} />
      {list.length === 0 ? (
        <LoadState
          loading={runs.loading}
          error={runs.error}
          empty={
            filtered
              ? 'No runs match these filters.'
              : 'No runs yet. Start one with "Run now" on the Home or Jobs page; jobs with a schedule run by themselves while the Vaultdesk app or vaultdesk daemon is open.'
          }
          onRetry={runs.reload}
        />
      ) : (
        <Table striped highlightOnHover verticalSpacing="sm" layout="fixed" aria-label="Runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="17%">Job</Table.Th>
              <Table.Th w={112}>Status</Table.Th>
              <Table.Th w={92}>Trigger</Table.Th>
              <Table.Th w={116}>Started</Table.Th>
              <Table.Th w={80}>Duration</Table.Th>
              <Table.Th w={112} ta="right">
                Dumped → stored
              </Table.Th>
              <Table.Th>What happened</Table.Th>
              <Table.Th w={72}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((r) => (
              <RunRow key={r.id} run={r} now={now} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <RunDetailModal runId={openId} onClose={() => (window.location.hash = hashFor('runs'))} />
    </>
  );
}

function RunRow({ run: r, now }: { run: RunDto; now: Date }): ReactElement {
  const { progress } = useRunActivity();
  const outcome = describeRunOutcome(r);
  return (
    <Table.Tr data-testid={`run-row-${r.id}`}>
      <Table.Td>
        <LongText fw={500}>{r.jobName}</LongText>
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLORS[r.status]} variant={r.status === 'failed' ? 'filled' : 'light'}>
          {r.status}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="run-trigger">
          {TRIGGER_LABELS[r.trigger]}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(r.startedAt)}</Text>
      </Table.Td>
      <Table.Td style={NUMBERS}>{runDuration(r, now)}</Table.Td>
      <Table.Td ta="right" style={NUMBERS}>
        {r.status === 'skipped' ? '—' : `${formatBytes(r.bytesIn)} → ${formatBytes(r.bytesOut)}`}
      </Table.Td>
      <Table.Td>
        {r.status === 'running' ? (
          <RunProgress runId={r.id} jobName={r.jobName} progress={progress.get(r.id) ?? r.progress ?? null} />
        ) : outcome ? (
          <Text size="sm" c={r.status === 'cancelled' || r.status === 'skipped' ? 'dimmed' : 'red'} lineClamp={3} title={outcome.message} data-testid="run-outcome">
            <Text span fw={600} inherit>
              {outcome.headline}:
            </Text>{' '}
            {outcome.message}
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
}
