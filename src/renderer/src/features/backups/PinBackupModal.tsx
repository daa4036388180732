import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { api, asAppError } from '../../api';
import { backupName, pinUntilInstant } from './backup-words';

/** Pins a backup, for good or until a day: retention keeps it and delete refuses it meanwhile. */
export function PinBackupModal({ backup, opened, onClose, onDone }: { backup: BackupDto | null; opened: boolean; onClose: () => void; onDone: () => void }): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title="Pin backup" size="md">
      {backup && opened && <Pin key={backup.id} backup={backup} onClose={onClose} onDone={onDone} />}
    </Modal>
  );
}

function Pin({ backup, onClose, onDone }: { backup: BackupDto; onClose: () => void; onDone: () => void }): ReactElement {
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
      notifications.show({ color: 'teal', title: 'Pinned', message: `${backupName(backup)} is kept${until ? ` until ${date}` : ''}.` });
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
        {backupName(backup)}
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
