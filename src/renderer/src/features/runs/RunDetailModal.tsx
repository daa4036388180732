import { Alert, Badge, Center, Group, Loader, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import { keptNothing, type RunDto, type RunStage } from '../../../../shared/domain/runs';
import type { AppError } from '../../../../shared/ipc/result';
import { api, asAppError } from '../../api';
import { CodeSpans } from '../../components/CodeSpans';
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useRunActivity } from './RunActivityProvider';
import { RunObjectCard } from './RunObjectCard';
import { RunProgress } from './RunProgress';
import { describeRunError, runDuration, STAGE_LABELS, STATUS_COLORS, TRIGGER_LABELS } from './run-status';

/** One run in full: its numbers, each stored object and where it went, and the run's log. */
export function RunDetailModal({ runId, onClose }: { runId: string | null; onClose: () => void }): ReactElement {
  const { run, error } = useRun(runId);
  const title = run ? `Run of ${run.jobName}` : 'Run';
  return (
    <Modal opened={runId !== null} onClose={onClose} title={title} size="xl">
      {error ? (
        <Alert color="red" title="Could not load the run" role="alert">
          {error.message}
        </Alert>
      ) : run ? (
        <RunDetail run={run} />
      ) : (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading" />
        </Center>
      )}
    </Modal>
  );
}

/** Loads the run, and again whenever a run finishes (this one may be it). */
function useRun(runId: string | null): { run: RunDto | null; error: AppError | null } {
  const { version } = useRunActivity();
  const [state, setState] = useState<{ id: string | null; run: RunDto | null; error: AppError | null }>({ id: null, run: null, error: null });
  useEffect(() => {
    if (!runId) return;
    let current = true;
    api.runs.get({ id: runId }).then(
      (run) => current && setState({ id: runId, run, error: null }),
      (err: unknown) => current && setState({ id: runId, run: null, error: asAppError(err) }),
    );
    return () => {
      current = false;
    };
  }, [runId, version]);
  // A previous run's record must not flash while the next one loads.
  return state.id === runId ? { run: state.run, error: state.error } : { run: null, error: null };
}

function RunDetail({ run }: { run: RunDto }): ReactElement {
  const now = useNow(1_000);
  const { progress } = useRunActivity();
  const stages = (Object.keys(STAGE_LABELS) as RunStage[]).filter((s) => run.stageMs[s] !== undefined);
  const error = run.error && run.status !== 'succeeded' ? describeRunError(run.error) : null;
  return (
    <Stack gap="md" data-testid="run-detail">
      <Group gap="xl" align="flex-start">
        <Fact label="Status">
          <Badge color={STATUS_COLORS[run.status]} variant={run.status === 'failed' ? 'filled' : 'light'}>
            {run.status}
          </Badge>
        </Fact>
        <Fact label="Started">
          {formatDateTime(run.startedAt)}
          <Text size="xs" c="dimmed">
            {TRIGGER_LABELS[run.trigger]}
          </Text>
        </Fact>
        <Fact label="Duration">{runDuration(run, now)}</Fact>
        <Fact label="Dumped">{formatBytes(run.bytesIn)}</Fact>
        <Fact label="Stored">{keptNothing(run) ? 'nothing kept' : formatBytes(run.bytesOut)}</Fact>
      </Group>
      {stages.length > 0 && (
        <Text size="xs" c="dimmed">
          Time per stage: {stages.map((s) => `${STAGE_LABELS[s]} ${formatDuration(run.stageMs[s]!)}`).join(' · ')}
        </Text>
      )}
      {run.status === 'running' && <RunProgress runId={run.id} jobName={run.jobName} progress={progress.get(run.id) ?? run.progress ?? null} />}
      {error && (
        <Alert color={run.status === 'cancelled' ? 'gray' : 'red'} title={error.headline} role="alert">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {error.message}
          </Text>
        </Alert>
      )}
      <section aria-label="Objects">
        <Title order={3} size="h5" mb="xs">
          Objects
        </Title>
        {run.objects.length === 0 ? (
          <Text size="sm" c="dimmed">
            {run.status === 'running' ? 'Nothing stored yet.' : 'Nothing was dumped.'}
          </Text>
        ) : (
          <Stack gap="xs">
            {run.objects.map((o) => (
              <RunObjectCard key={o.key} object={o} />
            ))}
          </Stack>
        )}
      </section>
      <section aria-label="Log">
        <Title order={3} size="h5" mb="xs">
          Log
        </Title>
        <Paper withBorder p="xs" bg="gray.0" mah={220} style={{ overflowY: 'auto' }}>
          {run.log.length === 0 ? (
            <Text size="xs" c="dimmed">
              The log is written when the run ends.
            </Text>
          ) : (
            run.log.map((line, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start" data-testid="run-log-line">
                <Text size="xs" ff="monospace" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {new Date(line.time).toLocaleTimeString()}
                </Text>
                <Text size="xs" ff="monospace" fw={line.level === 'info' ? undefined : 600} c={line.level === 'error' ? 'red' : line.level === 'warn' ? 'orange' : undefined} style={{ overflowWrap: 'anywhere' }}>
                  <CodeSpans text={line.message} />
                </Text>
              </Group>
            ))
          )}
        </Paper>
      </section>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div style={{ whiteSpace: 'nowrap' }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}
