import { Group, Paper, Text, Title } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';

/** A titled block of a page, exposed to assistive tech as a labelled region. */
export function Section({ title, description, children, action }: { title: string; description?: string; children: ReactNode; action?: ReactNode }): ReactElement {
  return (
    <Paper withBorder p="lg" component="section" aria-label={title}>
      <Group justify="space-between" align="flex-start" mb="md" wrap="nowrap">
        <div>
          <Title order={3} size="h4">
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        {action}
      </Group>
      {children}
    </Paper>
  );
}
