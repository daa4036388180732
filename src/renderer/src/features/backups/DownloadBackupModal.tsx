import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { BackupDownloadDto, BackupDto } from '../../../../shared/domain/backups';
import { api, asAppError } from '../../api';
import { placeErrors } from '../../lib/form-errors';
import { formatBytes } from '../../lib/format';
import { backupName } from './backup-words';

/**
 * Copies a backup and its manifest to a folder of the machine Vaultdesk runs on. The core writes
 * the file (a browser on another machine never receives the bytes), so the dialog says where.
 */
export function DownloadBackupModal({ backup, opened, onClose }: { backup: BackupDto | null; opened: boolean; onClose: () => void }): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title="Download backup" size="lg">
      {backup && opened && <Download key={backup.id} backup={backup} onClose={onClose} />}
    </Modal>
  );
}

function fileName(key: string): string {
  return key.split('/').pop() ?? key;
}

function Download({ backup, onClose }: { backup: BackupDto; onClose: () => void }): ReactElement {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<BackupDownloadDto | null>(null);
  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setDone(await api.backups.download({ id: backup.id, path: path.trim() }));
    } catch (err) {
      const placed = placeErrors(asAppError(err), (p) => (p === 'path' ? 'path' : null));
      setError(placed.fields.path ?? placed.general);
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <Stack gap="md">
        <Alert color="teal" title="Downloaded" role="status">
          <Text size="sm">
            {formatBytes(done.size)} written to <Code data-testid="download-path">{done.path}</Code>, with its manifest beside it, on the machine Vaultdesk runs on. Its
            sha256 matched the manifest.
          </Text>
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {backupName(backup)}, {formatBytes(backup.size)}.
      </Text>
      <Text size="sm">
        Vaultdesk writes the copy on the machine it runs on, not in this browser: in a browser connected to <Code>vaultdesk serve</Code> on another machine, that is
        the server. An existing file is never replaced. The copy stays encrypted; open it on the Recovery page or with <Code>vaultdesk decrypt</Code>.
      </Text>
      <TextInput
        label="File to write"
        description="Absolute path on the machine Vaultdesk runs on; the manifest is written beside it"
        placeholder={`/home/dba/restore/${fileName(backup.key)}`}
        value={path}
        onChange={(e) => setPath(e.currentTarget.value)}
        error={error}
        data-autofocus
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button onClick={() => void save()} loading={busy} disabled={!path.trim()}>
          Download
        </Button>
      </Group>
    </Stack>
  );
}
