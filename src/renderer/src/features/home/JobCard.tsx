import { Anchor, Badge, Box, Button, Group, Paper, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { Sparkline } from '@mantine/charts';
import type { ReactElement, ReactNode } from 'react';
import { hashFor } from '../../app/routes';
import { LongText } from '../../components/LongText';
import { formatAge, formatBytes, formatDateTime } from '../../lib/format';
import { useRunActivity } from '../runs/RunActivityProvider';
import { RunErrorText } from '../runs/RunErrorText';
import { RunProgress } from '../runs/RunProgress';
import { backupSize } from '../runs/run-charts';
import { lastSuccessOf, STATE_COLORS, STATE_LABELS, type JobHealth } from './job-health';
import type { HomeJob } from './use-home-data';
import { formatIn, formatSlot } from './when';

export interface JobCardProps {
  item: HomeJob;
  health: JobHealth;
  schedulesPaused: boolean;
  now: Date;
  starting: boolean;
  onRun: () => void;
}

/** One job at a glance: its state and why, its last success, its next run, and how big its backups have been. */
export function JobCard({ item, health, schedulesPaused, now, starting, onRun }: JobCardProps): ReactElement {
  const { job, recentRuns, successes, schedule } = item;
  const { progress } = useRunActivity();
  const running = recentRuns.find((r) => r.status === 'running') ?? null;
  const lastSuccess = lastSuccessOf(item);
  const failed = health.state === 'failing' ? recentRuns.find((r) => r.status === 'failed' || r.status === 'interrupted') : undefined;
  return (
    <Paper withBorder p="md" component="article" aria-label={`Job ${job.name}`} data-testid={`job-card-${job.name}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={0} miw={0}>
            <LongText lines={1} size="md" fw={600}>
              {job.name}
            </LongText>
            <LongText lines={1} size="xs" c="dimmed">
              {`${job.sourceName} → ${job.destinationNames.join(', ')}`}
            </LongText>
          </Stack>
          <Badge color={STATE_COLORS[health.state]} variant={health.state === 'failing' ? 'filled' : 'light'} data-testid="job-state" style={{ flexShrink: 0 }}>
            {STATE_LABELS[health.state]}
          </Badge>
        </Group>
        <Text size="sm" data-testid="job-state-reason">
          {capitalize(health.reason)}.
        </Text>
        {failed?.error && <RunErrorText error={failed.error} size="xs" />}
        {running && <RunProgress runId={running.id} jobName={job.name} progress={progress.get(running.id) ?? running.progress ?? null} />}
        <SimpleGrid cols={2} spacing="sm">
          <Fact label="Last success">
            {lastSuccess ? (
              <Tooltip label={lastSuccess.runId ? formatDateTime(lastSuccess.at) : `${formatDateTime(lastSuccess.at)}: a backup made before this install's runs (brought by a system import)`}>
                <Anchor href={lastSuccess.runId ? hashFor('runs', lastSuccess.runId) : hashFor('backups')} size="sm" data-testid="last-success">
                  {formatAge(lastSuccess.at, now)}
                </Anchor>
              </Tooltip>
            ) : (
              <Text size="sm" data-testid="last-success">
                never
              </Text>
            )}
          </Fact>
          <Fact label="Next run">
            <NextRun schedule={schedule} enabled={job.enabled} schedulesPaused={schedulesPaused} now={now} />
          </Fact>
        </SimpleGrid>
        <Fact label="Backup size">
          <SizeTrend sizes={successes.map(backupSize).reverse()} />
        </Fact>
        <Group gap="xs">
          <Button size="compact-sm" variant="light" onClick={onRun} loading={starting} disabled={running !== null} aria-label={`Run now: ${job.name}`}>
            Run now
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function NextRun({ schedule, enabled, schedulesPaused, now }: { schedule: HomeJob['schedule']; enabled: boolean; schedulesPaused: boolean; now: Date }): ReactElement {
  if (!schedule) {
    return (
      <Text size="sm" data-testid="next-run">
        none: no schedule, it runs only when started
      </Text>
    );
  }
  const next = schedule.next[0];
  const off = !enabled ? 'schedule switched off' : schedulesPaused ? 'schedules paused' : null;
  return (
    <Stack gap={0} data-testid="next-run">
      <Text size="sm">{off ?? (next ? `${formatIn(next, now)}, ${formatSlot(next)}` : 'no coming run')}</Text>
      <Text size="xs" c="dimmed" title={schedule.schedule}>
        {schedule.words}
      </Text>
    </Stack>
  );
}

/** The last few backups' sizes, oldest to newest, as a sparkline beside the latest. */
function SizeTrend({ sizes }: { sizes: number[] }): ReactElement {
  const latest = sizes.at(-1);
  if (latest === undefined) {
    return (
      <Text size="sm" data-testid="size-trend">
        no backup yet
      </Text>
    );
  }
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  const words = sizes.length > 1 ? `last ${sizes.length} backups from ${formatBytes(smallest)} to ${formatBytes(largest)}` : 'one backup so far';
  return (
    <Group gap="sm" wrap="nowrap" data-testid="size-trend" aria-label={`Backup size: ${formatBytes(latest)}, ${words}`}>
      <Text size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
        {formatBytes(latest)}
      </Text>
      {sizes.length > 1 && (
        // The words beside it say the same; recharts makes its drawing a tab stop, which `inert` takes out.
        <Box inert>
          <Sparkline data={sizes} w={160} h={28} curveType="linear" color="blue" fillOpacity={0.3} strokeWidth={1.5} />
        </Box>
      )}
      <Text size="xs" c="dimmed" lineClamp={1}>
        {words}
      </Text>
    </Group>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <Stack gap={2} miw={0}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
