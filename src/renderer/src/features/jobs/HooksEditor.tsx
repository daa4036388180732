import { Code, Divider, Group, NumberInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactElement, ReactNode } from 'react';
import type { JobDto } from '../../../../shared/domain/dto';
import type { JobFormValues } from './job-form';
import { NotificationTest } from './NotificationTest';
import { WriteOnlyUrl } from './WriteOnlyUrl';

const WEBHOOK_FORMATS = [
  { value: 'json', label: 'JSON (the run record)' },
  { value: 'slack', label: 'Slack' },
  { value: 'discord', label: 'Discord' },
];

/** Commands around each run, and who is told about runs (webhook, Healthchecks), with a test. */
export function HooksEditor({ form, job }: { form: UseFormReturnType<JobFormValues>; job: JobDto | null }): ReactElement {
  const v = form.values;
  const addressesChanged = v.webhookUrl.trim() !== '' || v.removeWebhook || v.healthchecksUrl.trim() !== '' || v.removeHealthchecks || (job !== null && v.webhookFormat !== job.webhookFormat);
  return (
    <Stack gap="sm">
      <Title order={4} size="h5">
        Hooks
      </Title>
      <HookField
        form={form}
        field="preHook"
        shellField="preHookShell"
        label="Before each run"
        description={
          <>
            If it fails or runs out of time, the run fails and nothing is dumped. It gets <Code>VAULTDESK_RUN_ID</Code>, <Code>VAULTDESK_JOB</Code> and{' '}
            <Code>VAULTDESK_TRIGGER</Code>.
          </>
        }
      />
      <HookField
        form={form}
        field="postHook"
        shellField="postHookShell"
        label="After each run"
        description={
          <>
            Runs whatever the outcome, with <Code>VAULTDESK_STATUS</Code> and <Code>VAULTDESK_ERROR</Code> too. If it fails, that is recorded; the run keeps its status.
          </>
        }
      />
      <NumberInput label="Hook time limit (seconds)" description="A hook still running after this is stopped" min={1} max={86400} allowDecimal={false} maw={260} {...form.getInputProps('hookTimeoutSeconds')} />
      <Divider />
      <Title order={4} size="h5">
        Notifications
      </Title>
      <Text size="sm">The webhook is told when a run fails, and when the job succeeds again after a failure. Delivery is retried and never holds up a run.</Text>
      <Group grow align="flex-start">
        <WriteOnlyUrl
          label="Webhook URL"
          description="Stored encrypted; only its host is shown afterwards"
          stored={job?.hasWebhook ?? false}
          host={job?.webhookHost ?? null}
          value={v.webhookUrl}
          onChange={(value) => form.setFieldValue('webhookUrl', value)}
          remove={v.removeWebhook}
          onRemoveChange={(remove) => form.setFieldValue('removeWebhook', remove)}
          error={form.errors.webhookUrl}
        />
        <Select label="Webhook format" description="The body it receives" data={WEBHOOK_FORMATS} allowDeselect={false} maw={220} {...form.getInputProps('webhookFormat')} />
      </Group>
      <WriteOnlyUrl
        label="Healthchecks URL"
        description="Pinged at the start of every run, then on its success or failure (e.g. https://hc-ping.com/…)"
        stored={job?.hasHealthchecks ?? false}
        host={job?.healthchecksHost ?? null}
        value={v.healthchecksUrl}
        onChange={(value) => form.setFieldValue('healthchecksUrl', value)}
        remove={v.removeHealthchecks}
        onRemoveChange={(remove) => form.setFieldValue('removeHealthchecks', remove)}
        error={form.errors.healthchecksUrl}
      />
      <NotificationTest jobId={job?.id ?? null} unsaved={addressesChanged} />
    </Stack>
  );
}

interface HookFieldProps {
  form: UseFormReturnType<JobFormValues>;
  field: 'preHook' | 'postHook';
  shellField: 'preHookShell' | 'postHookShell';
  label: string;
  description: ReactNode;
}

function HookField({ form, field, shellField, label, description }: HookFieldProps): ReactElement {
  const shell = form.values[shellField];
  return (
    <Stack gap={6} role="group" aria-label={`${label} hook`}>
      <TextInput
        label={label}
        description={description}
        placeholder={shell ? 'pg_isready -q && /usr/local/bin/notify-start' : '/usr/local/bin/notify-start --job shop'}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        spellCheck={false}
        autoComplete="off"
        {...form.getInputProps(field)}
      />
      <Switch
        size="xs"
        label="Run with a shell"
        description={shell ? 'sh -c (cmd on Windows): pipes, && and $VARIABLES work.' : 'Off: the line is split into a program and its arguments, as a shell would, but nothing runs in a shell.'}
        checked={shell}
        onChange={(event) => {
          form.setFieldValue(shellField, event.currentTarget.checked);
          // A line refused without a shell may be fine with one: the mark under it no longer holds.
          form.clearFieldError(field);
        }}
      />
    </Stack>
  );
}
