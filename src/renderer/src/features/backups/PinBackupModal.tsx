import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { api, asAppError } from '../../api';
import { BackupDialog, type BackupDialogTarget } from './BackupDialog';
import { pinUntilInstant } from './backup-words';

/** Pins a backup, for good or until a day: retention keeps it and delete refuses it meanwhile. */
export function PinBackupModal({ onDone, ...props }: BackupDialogTarget & { onDone: () => void }): ReactElement {
  return (
    <BackupDialog {...props} title="Pin backup" size="md">
      {(backup, name) => <Pin backup={backup} name={name} onClose={props.onClose} onDone={onDone} />}
    </BackupDialog>
  );
}

function Pin({ backup, name, onClose, onDone }: { backup: BackupDto; name: string; onClose: () => void; onDone: () => void }): ReactElement {
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const until = date.trim() ? pinUntilInstant(date) : null;
  const invalid = date.trim() !== '' && until === null;
  const pin = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.backups.pin({ id: backup.id, until });
      notifications.show({ color: 'teal', title: 'Pinned', message: `${name} is kept${until ? ` until ${date}` : ''}.` });
      onDone();
      onClose();
    } catch (err) {
      setError(asAppError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="md">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {name}
      </Text>
      <Text size="sm">Retention keeps a pinned backup, and it cannot be deleted, until it is unpinned or its pin ends.</Text>
      <TextInput
        type="date"
        label="Pinned until (optional)"
        description="Kept through the end of this day; leave it empty to keep it until you unpin it"
        value={date}
        onChange={(e) => setDate(e.currentTarget.value)}
        error={invalid ? 'Not a date' : null}
      />
      {error && (
        <Alert color="red" title="Not pinned" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button onClick={() => void pin()} loading={busy} disabled={invalid}>
          Pin
        </Button>
      </Group>
    </Stack>
  );
}
