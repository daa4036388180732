import { Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { RunErrorDto } from '../../../../shared/domain/runs';
import { CodeSpans } from '../../components/CodeSpans';
import { describeRunError } from './run-status';

/**
 * A run's error in words: the kind of problem, where it happened, and the core's advice.
 * A cancel is the DBA's own doing, so it is not shown as an alarm.
 */
export function RunErrorText({ error, size = 'sm' }: { error: RunErrorDto; size?: 'xs' | 'sm' }): ReactElement {
  const text = describeRunError(error);
  const color = error.code === 'CANCELLED' ? 'dimmed' : 'red';
  return (
    <Stack gap={0} data-testid="run-error">
      <Text size={size} fw={600} c={color}>
        {text.headline}
      </Text>
      <Text size={size} c={color} style={{ overflowWrap: 'anywhere' }}>
        <CodeSpans text={text.message} />
      </Text>
    </Stack>
  );
}
