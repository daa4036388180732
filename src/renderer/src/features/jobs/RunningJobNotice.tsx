import { Alert, Button, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { RunDto } from '../../../../shared/domain/runs';
import { api, asAppError } from '../../api';
import { formatDateTime } from '../../lib/format';

/**
 * What deleting a job means while one of its runs is in progress: Vaultdesk refuses it (the run's
 * retention, post-run hook and notifications belong to the job), so the dialog says so and offers
 * to cancel the run; once it has ended, the job can be deleted.
 */
export function RunningJobNotice({ run }: { run: RunDto }): ReactElement {
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async (): Promise<void> => {
    setCancelling(true);
    setError(null);
    try {
      await api.runs.cancel({ id: run.id });
    } catch (err) {
      setError(asAppError(err).message);
      setCancelling(false);
    }
  };
  return (
    <Alert color="orange" title="A backup of this job is running" data-testid="job-running-notice">
      <Text size="sm">
        It started {formatDateTime(run.startedAt)}. A job cannot be deleted while it runs: cancel the run (nothing of it is kept) or let it finish, then delete the job.
        Backups it already stored stay where they are.
      </Text>
      {error && (
        <Text size="sm" c="red" mt="xs">
          {error}
        </Text>
      )}
      <Button mt="xs" size="compact-sm" variant="default" loading={cancelling} onClick={() => void cancel()}>
        Cancel the run
      </Button>
    </Alert>
  );
}
