import { Code, Group, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import { api } from '../../api';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { Section } from '../../components/Section';
import { useLiveQuery } from '../../lib/use-live-query';
import { EnvironmentsPanel } from './EnvironmentsPanel';
import { KeyPanel } from './KeyPanel';
import { ProfilesPanel } from './ProfilesPanel';
import { StartAtLoginPanel } from './StartAtLoginPanel';
import { SchedulesPanel } from './SchedulesPanel';
import { ToolsPanel } from './ToolsPanel';
import { WebhookPanel } from './WebhookPanel';

export function SettingsPage(): ReactElement {
  const info = useLiveQuery(() => api.app.info({}));
  return (
    <>
      <PageHeader title="Settings" description="Schedules and notifications, the master key that protects every stored credential, environments, encryption profiles, the client tools backups use and the desktop app's start at login." />
      {!info.data ? (
        <LoadState loading={info.loading} error={info.error} empty="" onRetry={info.reload} />
      ) : (
        <Stack gap="lg">
          <Section title="About">
            <Stack gap={4}>
              <Group gap="xs">
                <Text size="sm" w={110} c="dimmed">
                  Version
                </Text>
                <Text size="sm" data-testid="app-version">
                  {info.data.version}
                </Text>
              </Group>
              <Group gap="xs">
                <Text size="sm" w={110} c="dimmed">
                  Data folder
                </Text>
                <Code data-testid="data-dir">{info.data.dataDir}</Code>
              </Group>
              <Group gap="xs">
                <Text size="sm" w={110} c="dimmed">
                  Log file
                </Text>
                {info.data.logFile ? (
                  <Code data-testid="log-file">{info.data.logFile}</Code>
                ) : (
                  <Text size="sm" data-testid="log-file">
                    None: this host logs to its standard error only.
                  </Text>
                )}
              </Group>
            </Stack>
          </Section>
          <SchedulesPanel />
          <WebhookPanel />
          <StartAtLoginPanel host={info.data.host} />
          <KeyPanel status={info.data.key} />
          <EnvironmentsPanel />
          <ProfilesPanel />
          <ToolsPanel />
        </Stack>
      )}
    </>
  );
}
