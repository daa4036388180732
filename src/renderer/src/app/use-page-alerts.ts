import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { api, onEvent } from '../api';

/**
 * Shows a test alert in the page where no desktop app shows it (a browser on `vaultdesk serve`
 * or the daemon's), so "Send a test notification" has something to show. The desktop app shows
 * alerts as OS notifications from its main process, and a run's failure or recovery is already
 * told by the run's own toast in every page.
 */
export function usePageAlerts(): void {
  useEffect(() => {
    let off: (() => void) | null = null;
    let gone = false;
    api.app.info({}).then(
      (info) => {
        if (gone || info.host === 'app') return;
        off = onEvent('notifications:alert', (alert) => {
          if (alert.kind === 'test') notifications.show({ color: 'blue', title: alert.title, message: alert.body });
        });
      },
      // Without the core there is nothing to be told; the pages say it cannot be reached.
      () => undefined,
    );
    return () => {
      gone = true;
      off?.();
    };
  }, []);
}
