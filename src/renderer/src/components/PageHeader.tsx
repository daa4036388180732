import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';

export function PageHeader({ title, description, action }: { title: string; description: string; action?: ReactNode }): ReactElement {
  return (
    // The action stays at the top right however long the description: the text wraps beside it.
    <Group justify="space-between" align="flex-end" mb="lg" wrap="nowrap">
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Title order={2}>{title}</Title>
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      </Stack>
      {action ? <div style={{ flexShrink: 0 }}>{action}</div> : null}
    </Group>
  );
}
