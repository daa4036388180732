import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import { RunActivityProvider } from '../features/runs/RunActivityProvider';
import { Shell } from './Shell';
import { theme } from './theme';

export function App(): ReactElement {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-right" limit={4} />
      <RunActivityProvider>
        <Shell />
      </RunActivityProvider>
    </MantineProvider>
  );
}
