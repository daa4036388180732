import { Alert, Badge, Button, Code, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { ScheduleStatusDto } from '../../../../shared/domain/dto';
import { api, asAppError, onEvent } from '../../api';
import { LoadState } from '../../components/LoadState';
import { Section } from '../../components/Section';
import { formatAge, formatDateTime } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { useNow } from '../../lib/use-now';

/** Another process may take or drop the schedules without an event reaching this window. */
const REFRESH_MS = 15_000;

/** Pause and resume every schedule, the limit on runs at once, and who runs the schedules of this data folder. */
export function SchedulesPanel(): ReactElement {
  const status = useLiveQuery(() => api.schedules.status({}));
  const { reload } = status;
  useEffect(() => {
    const off = onEvent('schedules:changed', () => reload());
    const timer = setInterval(reload, REFRESH_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [reload]);
  return (
    <Section title="Schedules" description="Jobs with a schedule run by themselves while a Vaultdesk process runs the schedules of this data folder.">
      {status.data ? <ScheduleSettings status={status.data} onChange={reload} /> : <LoadState loading={status.loading} error={status.error} empty="" onRetry={reload} />}
    </Section>
  );
}

function ScheduleSettings({ status, onChange }: { status: ScheduleStatusDto; onChange: () => void }): ReactElement {
  const now = useNow(15_000);
  const [busy, setBusy] = useState<'pause' | 'concurrency' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [limit, setLimit] = useState<number | string>(status.maxConcurrentRuns);
  useEffect(() => setLimit(status.maxConcurrentRuns), [status.maxConcurrentRuns]);
  const act = async (what: 'pause' | 'concurrency', call: () => Promise<unknown>): Promise<void> => {
    setBusy(what);
    setError(null);
    try {
      await call();
    } catch (err) {
      setError(asAppError(err).message);
    } finally {
      setBusy(null);
      onChange();
    }
  };
  const { holder } = status;
  return (
    <Stack gap="md">
      <Row label="Run by">
        {holder ? (
          <Stack gap={0} data-testid="schedule-holder">
            <Text size="sm">
              {holder.who}
              {holder.self ? ' (the process showing this page)' : ''}
            </Text>
            <Text size="xs" c="dimmed">
              since {formatDateTime(holder.since)}, last heard from {formatAge(holder.heartbeatAt, now)}
            </Text>
          </Stack>
        ) : (
          <Text size="sm" data-testid="schedule-holder">
            Nothing: no Vaultdesk app or <Code>vaultdesk daemon</Code> is open on this data folder, so no schedule runs now.
          </Text>
        )}
      </Row>
      <Row label="Schedules">
        <Group gap="sm">
          <Badge color={status.paused ? 'orange' : 'teal'} variant="light" data-testid="schedules-state">
            {status.paused ? 'paused' : 'active'}
          </Badge>
          <Button
            size="compact-sm"
            variant="light"
            loading={busy === 'pause'}
            onClick={() => void act('pause', () => (status.paused ? api.schedules.resume({}) : api.schedules.pause({})))}
          >
            {status.paused ? 'Resume all schedules' : 'Pause all schedules'}
          </Button>
          <Text size="xs" c="dimmed" data-testid="schedules-words">
            {status.paused ? 'No job runs by itself; runs started by hand still work.' : scheduledWords(status.jobs.length)}
          </Text>
        </Group>
      </Row>
      <Row label="Runs at once">
        <Group gap="sm" align="flex-start">
          <NumberInput aria-label="Scheduled runs at once" value={limit} onChange={setLimit} min={1} max={16} step={1} allowDecimal={false} clampBehavior="none" w={90} />
          <Button
            size="sm"
            variant="light"
            loading={busy === 'concurrency'}
            disabled={Number(limit) === status.maxConcurrentRuns}
            onClick={() => void act('concurrency', () => api.schedules.setConcurrency({ limit: Number(limit) }))}
          >
            Save limit
          </Button>
          <Text size="xs" c="dimmed" maw={360}>
            Scheduled runs at once, over every process sharing this data folder; the rest wait in slot order.
          </Text>
        </Group>
      </Row>
      {status.queued.length > 0 && (
        <Row label="Waiting">
          <Text size="sm">{status.queued.length} scheduled run(s) wait for a free slot.</Text>
        </Row>
      )}
      {error && (
        <Alert color="red" role="alert" title="Could not change the schedules">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

function scheduledWords(count: number): string {
  if (count === 0) return 'No job has a schedule yet.';
  return count === 1 ? 'One job has a schedule.' : `${count} jobs have a schedule.`;
}

function Row({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <Text size="sm" w={110} c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0 }}>{children}</div>
    </Group>
  );
}
