import { Alert, Badge, Button, Code, Group, List, PasswordInput, Select, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState, type ReactElement } from 'react';
import { WEBHOOK_FORMATS, type NotificationOutcomeDto, type SettingsDto, type WebhookFormat } from '../../../../shared/domain/dto';
import { api, asAppError } from '../../api';
import { LoadState } from '../../components/LoadState';
import { Section } from '../../components/Section';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useLiveQuery } from '../../lib/use-live-query';

const FORMAT_LABELS: Record<WebhookFormat, string> = {
  json: 'JSON (the run record)',
  slack: 'Slack incoming webhook',
  discord: 'Discord webhook',
};

/**
 * The global webhook, told about every job's failures and its first success after one. Its URL
 * is a credential: it can be set or removed here but is never shown again, only its host.
 */
export function WebhookPanel(): ReactElement {
  const settings = useLiveQuery(() => api.settings.get({}));
  return (
    <Section title="Notifications" description="A webhook told about every job's failed runs, and about the first success after a failure.">
      {settings.data ? <Webhook settings={settings.data} onChange={settings.reload} /> : <LoadState loading={settings.loading} error={settings.error} empty="" onRetry={settings.reload} />}
    </Section>
  );
}

function Webhook({ settings, onChange }: { settings: SettingsDto; onChange: () => void }): ReactElement {
  const form = useForm<{ url: string; format: WebhookFormat }>({ initialValues: { url: '', format: settings.webhookFormat } });
  const submit = useFormSubmit(
    form,
    (path) => (path === 'url' || path === 'format' ? path : null),
    (values) => api.settings.setWebhook({ url: values.url.trim(), format: values.format }),
    () => {
      form.reset();
      onChange();
    },
  );
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const remove = async (): Promise<void> => {
    setRemoving(true);
    setRemoveError(null);
    try {
      await api.settings.setWebhook({ url: null });
      onChange();
    } catch (error) {
      setRemoveError(asAppError(error).message);
    } finally {
      setRemoving(false);
    }
  };
  return (
    <Stack gap="md">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Text size="sm" w={110} c="dimmed" style={{ flexShrink: 0 }}>
          Webhook
        </Text>
        {settings.hasWebhook ? (
          <Group gap="sm" data-testid="webhook-current">
            <Code>{settings.webhookHost}</Code>
            <Badge variant="light">{settings.webhookFormat}</Badge>
            <Button size="compact-sm" variant="subtle" color="red" loading={removing} onClick={() => void remove()} aria-label="Remove the global webhook">
              Remove
            </Button>
          </Group>
        ) : (
          <Text size="sm" data-testid="webhook-current">
            None set.
          </Text>
        )}
      </Group>
      {removeError && (
        <Alert color="red" role="alert" title="Could not remove the webhook">
          {removeError}
        </Alert>
      )}
      <form onSubmit={submit.onSubmit} aria-label="Set the global webhook">
        <Group gap="sm" align="flex-start">
          <PasswordInput
            label={settings.hasWebhook ? 'Replace with URL' : 'Webhook URL'}
            description="Kept encrypted and never shown again: it works as a password."
            placeholder="https://hooks.slack.com/services/…"
            autoComplete="off"
            w={420}
            {...form.getInputProps('url')}
          />
          <Select label="Format" data={WEBHOOK_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))} allowDeselect={false} w={230} {...form.getInputProps('format')} />
          <Button type="submit" mt={24} loading={submit.busy} disabled={form.values.url.trim() === ''}>
            Save webhook
          </Button>
        </Group>
        {submit.general && (
          <Alert color="red" role="alert" mt="sm" title="Could not save the webhook">
            {submit.general}
          </Alert>
        )}
      </form>
      <TestNotification />
    </Stack>
  );
}

/** Sends one test notification through the global webhook (and the desktop's, in the app), and says how each went. */
function TestNotification(): ReactElement {
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<NotificationOutcomeDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setOutcomes(null);
    try {
      setOutcomes(await api.notifications.test({}));
    } catch (err) {
      setError(asAppError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Group>
        <Button size="compact-sm" variant="light" loading={busy} onClick={() => void send()}>
          Send a test notification
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" title="Could not send">
          {error}
        </Alert>
      )}
      {outcomes && (
        <List size="sm" spacing={4} data-testid="notification-outcomes">
          {outcomes.length === 0 && <List.Item>Nothing to send to: no webhook is set.</List.Item>}
          {outcomes.map((o) => (
            <List.Item key={`${o.channel}-${o.target}`}>
              <Text span size="sm" fw={600} c={o.ok ? 'teal' : 'red'}>
                {o.ok ? 'Sent' : 'Failed'}
              </Text>{' '}
              via {o.channel} ({o.target}): {o.message}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
