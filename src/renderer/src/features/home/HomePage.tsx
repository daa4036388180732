import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useState, type ReactElement } from 'react';
import { api, asAppError } from '../../api';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useNow } from '../../lib/use-now';
import { jobHealth, lastSuccessOf, STATE_COLORS, STATE_LABELS, type JobHealth, type JobState } from './job-health';
import { JobCard } from './JobCard';
import { nextSteps } from './next-steps';
import { NextSteps } from './NextSteps';
import { useHomeData, type HomeData } from './use-home-data';

const STATE_ORDER: JobState[] = ['failing', 'running', 'stale', 'paused', 'new', 'ok'];

/** The first page: every job's state at a glance, and what to do next. */
export function HomePage(): ReactElement {
  const home = useHomeData();
  const now = useNow(15_000);
  const { starting, runNow } = useRunNow(home.reload);
  const [resuming, setResuming] = useState(false);
  const resume = async (): Promise<void> => {
    setResuming(true);
    try {
      await api.schedules.resume({});
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not resume the schedules', message: asAppError(error).message });
    } finally {
      setResuming(false);
      home.reload();
    }
  };
  const data = home.data;
  return (
    <>
      <PageHeader title="Home" description="How each backup job is doing, and what to do next." />
      {!data ? (
        <LoadState loading={home.loading} error={home.error} empty="" onRetry={home.reload} />
      ) : (
        <Stack gap="lg">
          <NextSteps steps={stepsFor(data)} starting={starting} onRun={(job) => void runNow(job)} resuming={resuming} onResume={() => void resume()} />
          <JobCards data={data} now={now} starting={starting} onRun={(job) => void runNow(job)} />
        </Stack>
      )}
    </>
  );
}

function JobCards({ data, now, starting, onRun }: { data: HomeData; now: Date; starting: ReadonlySet<string>; onRun: (job: { id: string; name: string }) => void }): ReactElement | null {
  if (data.jobs.length === 0) return null;
  const healths = data.jobs.map((item) => healthOf(item, data, now));
  const counts = STATE_ORDER.map((state) => [state, healths.filter((h) => h.state === state).length] as const).filter(([, n]) => n > 0);
  return (
    <section aria-label="Jobs">
      <Group gap="xs" mb="sm" data-testid="state-summary">
        <Text size="sm" fw={500}>
          {data.jobs.length === 1 ? '1 job:' : `${data.jobs.length} jobs:`}
        </Text>
        {counts.map(([state, n]) => (
          <Badge key={state} color={STATE_COLORS[state]} variant="light">
            {n} {STATE_LABELS[state]}
          </Badge>
        ))}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
        {data.jobs.map((item, i) => (
          <JobCard key={item.job.id} item={item} health={healths[i]!} schedulesPaused={data.status.paused} now={now} starting={starting.has(item.job.id)} onRun={() => onRun(item.job)} />
        ))}
      </SimpleGrid>
    </section>
  );
}

function healthOf(item: HomeData['jobs'][number], data: HomeData, now: Date): JobHealth {
  return jobHealth({
    now,
    recentRuns: item.recentRuns,
    lastSuccessAt: lastSuccessOf(item)?.at ?? null,
    scheduled: item.job.schedule !== null,
    enabled: item.job.enabled,
    schedulesPaused: data.status.paused,
    intervalMs: item.intervalMs,
  });
}

function stepsFor(data: HomeData): ReturnType<typeof nextSteps> {
  return nextSteps({
    sources: data.sources,
    destinations: data.destinations,
    jobs: data.jobs.map((j) => ({ id: j.job.id, name: j.job.name, scheduled: j.job.schedule !== null, enabled: j.job.enabled, hasRuns: j.recentRuns.length > 0 || j.job.lastBackupAt !== null })),
    schedulesPaused: data.status.paused,
    schedulerRunning: data.status.holder !== null,
  });
}

/** Starts a run from the home page; the page reloads so the job shows as running at once. */
function useRunNow(reload: () => void): { starting: ReadonlySet<string>; runNow: (job: { id: string; name: string }) => Promise<void> } {
  const [starting, setStarting] = useState<ReadonlySet<string>>(new Set());
  const runNow = useCallback(
    async (job: { id: string; name: string }) => {
      setStarting((s) => new Set(s).add(job.id));
      try {
        await api.jobs.run({ id: job.id });
      } catch (error) {
        notifications.show({ color: 'red', title: `Could not start "${job.name}"`, message: asAppError(error).message, autoClose: false });
      } finally {
        setStarting((s) => {
          const next = new Set(s);
          next.delete(job.id);
          return next;
        });
        reload();
      }
    },
    [reload],
  );
  return { starting, runNow };
}
