import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { RunDto } from '../../../../shared/domain/runs';
import { hashFor } from '../../app/routes';
import { RunErrorText } from '../runs/RunErrorText';
import { RunProgress } from '../runs/RunProgress';
import { useRunActivity } from '../runs/RunActivityProvider';
import { runAge, STATUS_COLORS } from '../runs/run-status';

/** A job's latest run: live progress while it runs, else its outcome and age (and why it failed). */
export function LastRun({ jobName, run, now }: { jobName: string; run: RunDto | null; now: Date }): ReactElement {
  const { progress } = useRunActivity();
  if (!run) {
    return (
      <Text size="sm" c="dimmed">
        never run
      </Text>
    );
  }
  if (run.status === 'running') return <RunProgress runId={run.id} jobName={jobName} progress={progress.get(run.id) ?? null} />;
  return (
    <Stack gap={4} data-testid="last-run">
      <Group gap={6} wrap="nowrap">
        <Badge color={STATUS_COLORS[run.status]} variant={run.status === 'failed' ? 'filled' : 'light'}>
          {run.status}
        </Badge>
        <Anchor href={hashFor('runs', run.id)} size="sm" c="dimmed" title={`Open the last run of ${jobName}`}>
          {runAge(run, now)}
        </Anchor>
      </Group>
      {run.error && run.status === 'failed' && <RunErrorText error={run.error} size="xs" />}
    </Stack>
  );
}
