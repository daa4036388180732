import { Text } from '@mantine/core';
import type { ReactElement } from 'react';

/** A sentence of a restore's `toDo`: what a person must still do, whole and in the warning colour, never cut off. */
export function ToDoLine({ sentence }: { sentence: string }): ReactElement {
  return (
    <Text size="sm" c="orange" fw={500} style={{ overflowWrap: 'anywhere' }} data-testid="restore-to-do">
      {sentence}
    </Text>
  );
}
