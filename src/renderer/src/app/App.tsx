import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import { RunActivityProvider } from '../features/runs/RunActivityProvider';
import { cssVariablesResolver } from './accessible-colors';
import { Shell } from './Shell';
import { usePageAlerts } from './use-page-alerts';
import { theme } from './theme';

export function App(): ReactElement {
  usePageAlerts();
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      {/*
        Under any open dialog (Mantine's modals sit at z-index 200, the shell at 100), so a toast
        never covers a dialog's buttons; bottom right, because top right covers each page's Add
        button, which no scrolling moves away. At most three, each 380 px wide.
      */}
      <Notifications position="bottom-right" limit={3} zIndex={150} containerWidth={380} />
      <RunActivityProvider>
        <Shell />
      </RunActivityProvider>
    </MantineProvider>
  );
}
