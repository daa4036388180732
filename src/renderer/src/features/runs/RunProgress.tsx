import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactElement } from 'react';
import type { RunProgressDto } from '../../../../shared/domain/runs';
import { api, asAppError } from '../../api';
import { formatMiB } from '../../lib/format';
import { progressPercent, progressWords } from './run-status';

/**
 * A running run: what it is doing now and how much has gone through, with a way to stop it.
 * `progress` is null until a report arrives (just started, or this window opened mid-run).
 */
export function RunProgress({ runId, jobName, progress }: { runId: string; jobName: string; progress: RunProgressDto | null }): ReactElement {
  const [cancelling, setCancelling] = useState(false);
  const cancel = async (): Promise<void> => {
    setCancelling(true);
    try {
      await api.runs.cancel({ id: runId });
    } catch (error) {
      setCancelling(false);
      notifications.show({ color: 'red', title: `Could not cancel "${jobName}"`, message: asAppError(error).message });
    }
  };
  return (
    <Stack gap={4} data-testid="run-progress" aria-label={`Progress of ${jobName}`} role="group">
      <Group gap="xs" justify="space-between" wrap="nowrap">
        {/* The words give way (wrapping) in a narrow cell; the button never does, so it is never clipped. */}
        <Text size="sm" fw={500} c="blue" miw={0} style={{ overflowWrap: 'anywhere' }}>
          {progress ? progressWords(progress) : 'running, waiting for a progress report…'}
        </Text>
        <Button size="compact-xs" variant="light" color="red" loading={cancelling} onClick={() => void cancel()} aria-label={`Cancel run of ${jobName}`} style={{ flexShrink: 0 }}>
          Cancel
        </Button>
      </Group>
      <Progress value={progress ? progressPercent(progress) : 0} animated striped size="sm" aria-hidden />
      {progress && progress.stage !== 'pre-hook' && (
        <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatMiB(progress.bytesDumped)} dumped · {formatMiB(progress.bytesStored)} stored
        </Text>
      )}
    </Stack>
  );
}
