import { Alert, Stack, Switch } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { AppHost } from '../../../../shared/domain/dto';
import { api, asAppError } from '../../api';
import { Section } from '../../components/Section';
import { useLiveQuery } from '../../lib/use-live-query';

/**
 * Start at login: a setting of the data dir that only the desktop app can carry out, so a page
 * served by `vaultdesk serve` shows it without letting it be changed.
 */
export function StartAtLoginPanel({ host }: { host: AppHost }): ReactElement {
  const settings = useLiveQuery(() => api.settings.get({}));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const desktop = host === 'app';
  const set = async (enabled: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.settings.setStartAtLogin({ enabled });
      settings.reload();
    } catch (err) {
      setError(asAppError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Desktop app" description="Closing the window keeps Vaultdesk running in the tray, where scheduled backups go on; Quit is in the tray icon's menu.">
      <Stack gap="sm">
        <Switch
          label="Start Vaultdesk when I log in"
          description={
            desktop
              ? 'It starts in the tray, without a window, and runs the schedules.'
              : 'Desktop app only: this page is served by vaultdesk serve, which starts nothing at login. Change it in the Vaultdesk app.'
          }
          checked={settings.data?.startAtLogin ?? false}
          disabled={!desktop || busy || !settings.data}
          onChange={(event) => void set(event.currentTarget.checked)}
          data-testid="start-at-login"
        />
        {(error ?? settings.error) && (
          <Alert color="red" role="alert">
            {error ?? settings.error?.message}
          </Alert>
        )}
      </Stack>
    </Section>
  );
}
