import { Alert, Code, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { api } from '../../api';
import { HostFileForm } from '../../components/HostFileForm';
import { formatBytes } from '../../lib/format';
import { BackupDialog, type BackupDialogTarget } from './BackupDialog';

/**
 * Copies a backup and its manifest to a folder of the machine Vaultdesk runs on. The core writes
 * the file (a browser on another machine never receives the bytes), so the dialog says where.
 */
export function DownloadBackupModal(props: BackupDialogTarget): ReactElement {
  return (
    <BackupDialog {...props} title="Download backup" size="lg">
      {(backup, name) => <Download backup={backup} name={name} onClose={props.onClose} />}
    </BackupDialog>
  );
}

function fileName(key: string): string {
  return key.split('/').pop() ?? key;
}

function Download({ backup, name, onClose }: { backup: BackupDto; name: string; onClose: () => void }): ReactElement {
  return (
    <HostFileForm
      intro={
        <>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {name}, {formatBytes(backup.size)}.
          </Text>
          <Text size="sm">
            Vaultdesk writes the copy on the machine it runs on, not in this browser: in a browser connected to <Code>vaultdesk serve</Code> on another machine, that
            is the server. An existing file is never replaced. The copy stays encrypted; open it on the Recovery page or with <Code>vaultdesk decrypt</Code>.
          </Text>
        </>
      }
      description="Absolute path on the machine Vaultdesk runs on; the manifest is written beside it"
      placeholder={`/home/dba/restore/${fileName(backup.key)}`}
      submitLabel="Download"
      write={(path) => api.backups.download({ id: backup.id, path })}
      written={(done) => (
        <Alert color="teal" title="Downloaded" role="status">
          <Text size="sm">
            {formatBytes(done.size)} written to <Code data-testid="download-path">{done.path}</Code>, with its manifest beside it, on the machine Vaultdesk runs on. Its
            sha256 matched the manifest.
          </Text>
        </Alert>
      )}
      onClose={onClose}
    />
  );
}
