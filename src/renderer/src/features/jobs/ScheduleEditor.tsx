import { Chip, Code, Group, Input, List, Loader, Paper, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useMemo, useRef, type ReactElement } from 'react';
import { api } from '../../api';
import type { JobFormValues } from './job-form';
import { CUSTOM_SCHEDULE, formatSlot, presetFor, SCHEDULE_PRESETS, timeZones } from './schedule-presets';
import { useDebouncedCall } from '../../lib/use-debounced-call';

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** When a job runs: presets or a cron expression, its time zone, read back in words with the next runs as the DBA types. */
export function ScheduleEditor({ form }: { form: UseFormReturnType<JobFormValues> }): ReactElement {
  const v = form.values;
  const cronInput = useRef<HTMLInputElement>(null);
  const zones = useMemo(() => timeZones(LOCAL_ZONE), []);
  const schedule = v.schedule.trim();
  const zone = v.timezone || null;
  const preview = useDebouncedCall(schedule ? { schedule, timezone: zone } : null, (key) => api.schedules.preview({ ...key, count: 5 }));
  const previewField = preview.error?.details?.field === 'timezone' ? 'timezone' : 'schedule';
  const previewError = preview.error && !preview.loading ? preview.error.message : null;
  const choosePreset = (id: string): void => {
    const preset = SCHEDULE_PRESETS.find((p) => p.id === id);
    if (preset) form.setFieldValue('schedule', preset.cron);
    else cronInput.current?.focus();
  };
  return (
    <Stack gap="sm">
      <Input.Wrapper label="How often" description="Pick one, or write your own cron expression below">
        <Chip.Group value={presetFor(v.schedule)} onChange={choosePreset}>
          <Group gap={6} mt={6}>
            {SCHEDULE_PRESETS.map((p) => (
              <Chip key={p.id} value={p.id} size="sm" type="radio">
                {p.label}
              </Chip>
            ))}
            <Chip value={CUSTOM_SCHEDULE} size="sm" type="radio">
              Custom
            </Chip>
          </Group>
        </Chip.Group>
      </Input.Wrapper>
      <Group grow align="flex-start">
        <TextInput
          ref={cronInput}
          label="Schedule (cron)"
          placeholder="blank: manual only"
          description="minute hour day-of-month month day-of-week, e.g. 0 2 * * * (every day at 02:00)"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          spellCheck={false}
          autoComplete="off"
          {...form.getInputProps('schedule')}
          error={form.errors.schedule ?? (previewField === 'schedule' ? previewError : null)}
        />
        <Select
          label="Time zone"
          description="The schedule's clock, and the calendar retention counts days on"
          placeholder={`The zone of the machine that runs it (here: ${LOCAL_ZONE})`}
          data={zones}
          searchable
          clearable
          disabled={!schedule}
          {...form.getInputProps('timezone')}
          value={v.timezone || null}
          onChange={(value) => form.setFieldValue('timezone', value ?? '')}
          error={form.errors.timezone ?? (previewField === 'timezone' ? previewError : null)}
        />
      </Group>
      <SchedulePreview schedule={schedule} zone={zone} words={preview.data?.words ?? null} next={preview.data?.next ?? []} loading={preview.loading} failed={previewError !== null} />
      <Switch
        label="Catch up missed runs"
        description="If Vaultdesk was closed or the machine asleep when a run was due, run once when it starts or wakes (once, not once per missed run)."
        disabled={!schedule}
        {...form.getInputProps('catchUp', { type: 'checkbox' })}
      />
      <Switch
        label="Run on this schedule"
        description="Off: the schedule is kept, but the job runs only when started by hand."
        disabled={!schedule}
        {...form.getInputProps('enabled', { type: 'checkbox' })}
      />
    </Stack>
  );
}

interface SchedulePreviewProps {
  schedule: string;
  zone: string | null;
  words: string | null;
  next: string[];
  loading: boolean;
  failed: boolean;
}

/** The schedule read back: in words and as the next five runs, or what "manual" means. */
function SchedulePreview({ schedule, zone, words, next, loading, failed }: SchedulePreviewProps): ReactElement {
  if (!schedule) {
    return (
      <Paper withBorder p="sm" role="status" aria-label="Schedule in words">
        <Text size="sm">
          Manual only: the job runs when you press Run now, or when something else starts <Code>vaultdesk backup run</Code> (cron, a systemd timer).
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder p="sm" role="status" aria-label="Schedule in words" aria-busy={loading}>
      {failed ? (
        <Text size="sm">No runs to show until the schedule reads as a cron expression (see the message under the field).</Text>
      ) : words === null ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Reading the schedule…</Text>
        </Group>
      ) : (
        <Stack gap={4}>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" fw={600} data-testid="schedule-words">
              {words}
            </Text>
            {loading && <Loader size="xs" aria-label="Updating" />}
          </Group>
          <Text size="sm">Next runs{zone ? '' : ' (in your local time)'}:</Text>
          <List size="sm" aria-label="Next runs" spacing={0}>
            {next.map((iso) => (
              <List.Item key={iso}>{formatSlot(iso, zone)}</List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Paper>
  );
}
