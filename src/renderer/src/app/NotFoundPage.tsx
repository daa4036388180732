import { Anchor, Code, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import { CodeSpans } from '../components/CodeSpans';
import type { NavItem } from './routes';
import { hashFor } from './routes';

/**
 * What an address that opens no page shows (a mistyped or old link, a page not available yet):
 * said plainly, with the way home, instead of another page that looks like the one asked for.
 */
export function NotFoundPage({ hash, unavailable }: { hash: string; unavailable: NavItem | null }): ReactElement {
  return (
    <Paper withBorder p="xl" maw={640} data-testid="not-found">
      <Stack gap="sm">
        <Title order={2}>{unavailable ? `${unavailable.label} is not available yet` : 'Page not found'}</Title>
        {unavailable ? (
          <Text>
            <CodeSpans text={`${unavailable.unavailable ?? ''}.`} />
          </Text>
        ) : (
          <Text style={{ overflowWrap: 'anywhere' }}>
            Vaultdesk has no page at <Code>{hash}</Code>. The link may be mistyped, or from another version of Vaultdesk.
          </Text>
        )}
        <Text>
          <Anchor href={hashFor('home')}>Go to the home page</Anchor>, or pick a page on the left.
        </Text>
      </Stack>
    </Paper>
  );
}
