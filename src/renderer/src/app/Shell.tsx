import { AppShell, Badge, Group, NavLink, Text, Title, Tooltip } from '@mantine/core';
import type { ReactElement } from 'react';
import { BackupsPage } from '../features/backups/BackupsPage';
import { DestinationsPage } from '../features/destinations/DestinationsPage';
import { RecoveryPage } from '../features/recovery/RecoveryPage';
import { HomePage } from '../features/home/HomePage';
import { JobsPage } from '../features/jobs/JobsPage';
import { RunsPage } from '../features/runs/RunsPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SourcesPage } from '../features/sources/SourcesPage';
import { CodeSpans } from '../components/CodeSpans';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { KeyStatusBadge } from './KeyStatusBadge';
import { NotFoundPage } from './NotFoundPage';
import { NAV_ITEMS, type AppLocation, type RouteId } from './routes';
import { useHashRoute } from './use-hash-route';

const PAGES: Partial<Record<RouteId, () => ReactElement>> = {
  home: HomePage,
  sources: SourcesPage,
  destinations: DestinationsPage,
  jobs: JobsPage,
  runs: RunsPage,
  backups: BackupsPage,
  recovery: RecoveryPage,
  settings: SettingsPage,
};

function PageAt({ location }: { location: AppLocation }): ReactElement {
  const Page = location.page === 'not-found' ? undefined : PAGES[location.page];
  if (Page) return <Page />;
  return location.page === 'not-found' ? <NotFoundPage hash={location.hash} unavailable={location.unavailable} /> : <NotFoundPage hash={`#/${location.page}`} unavailable={null} />;
}

export function Shell(): ReactElement {
  const [location, go] = useHashRoute();
  const route = location.page;
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 230, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs" align="center">
            <img src="./favicon.svg" alt="" width={24} height={24} />
            <Title order={1} size="h4">
              Vaultdesk
            </Title>
            <Text size="xs" c="dimmed">
              database backups
            </Text>
          </Group>
          <KeyStatusBadge onOpenSettings={() => go('settings')} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {NAV_ITEMS.map((item) =>
          item.unavailable ? (
            <Tooltip key={item.id} label={<CodeSpans text={item.unavailable} />} position="right" multiline w={280} events={{ hover: true, focus: true, touch: true }}>
              {/*
                Not `disabled`: Mantine fades a disabled entry to 40 % (unreadable, and out of the tab
                order, so a keyboard user never hears why). aria-disabled keeps it readable and focusable.
              */}
              <NavLink
                component="button"
                type="button"
                label={item.label}
                description={item.description}
                aria-disabled="true"
                c="dimmed"
                style={{ cursor: 'not-allowed' }}
                rightSection={
                  <Badge size="xs" variant="outline" color="gray">
                    later
                  </Badge>
                }
                onClick={(event) => event.preventDefault()}
              />
            </Tooltip>
          ) : (
            <NavLink
              key={item.id}
              href={`#/${item.id}`}
              label={item.label}
              description={item.description}
              active={route === item.id}
              aria-current={route === item.id ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                go(item.id);
              }}
            />
          ),
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <ErrorBoundary resetKey={route}>
          <PageAt location={location} />
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
