import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactElement, type ReactNode } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { asAppError } from '../api';

export interface ConfirmDeleteModalProps {
  opened: boolean;
  /** e.g. `destination "nightly-s3"` */
  what: string;
  children?: ReactNode;
  /** Delete stays disabled while true: for a confirmation the children ask for (a tick). */
  confirmDisabled?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

/**
 * Asks before deleting. When the core refuses (in use, locked), the modal stays open and says
 * why, naming the jobs involved: nothing was deleted, and the DBA sees what to change.
 */
export function ConfirmDeleteModal({ opened, what, children, confirmDisabled = false, onConfirm, onClose }: ConfirmDeleteModalProps): ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const close = (): void => {
    setError(null);
    onClose();
  };
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      notifications.show({ color: 'teal', title: 'Deleted', message: `The ${what} was deleted.` });
      close();
    } catch (err) {
      setError(asAppError(err));
    } finally {
      setBusy(false);
    }
  };
  const jobs = Array.isArray(error?.details?.jobs) ? (error.details.jobs as string[]) : [];
  return (
    <Modal opened={opened} onClose={close} title={`Delete ${what}?`} size="md">
      <Stack gap="md">
        {children ?? <Text size="sm">This cannot be undone.</Text>}
        {error && (
          <Alert color="red" title="Not deleted" role="alert">
            <Text size="sm">{error.message}</Text>
            {jobs.length > 0 && (
              <List size="sm" mt="xs" aria-label="Jobs that use it">
                {jobs.map((job) => (
                  <List.Item key={job}>{job}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {error ? 'Close' : 'Cancel'}
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={busy} disabled={error !== null || confirmDisabled}>
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
