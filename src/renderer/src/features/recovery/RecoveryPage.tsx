import { Stack } from '@mantine/core';
import type { ReactElement } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { RestoreHistory } from '../restore/RestoreHistory';
import { DecryptPanel } from './DecryptPanel';
import { KitExportPanel } from './KitExportPanel';
import { KitImportPanel } from './KitImportPanel';
import { SystemBackupPanel } from './SystemBackupPanel';

/** What brings backups back without this install: the recovery kit (written here, or imported into a new install), and decrypting a file with it. */
export function RecoveryPage(): ReactElement {
  return (
    <>
      <PageHeader title="Recovery" description="What was restored, and the keys to your backups kept outside Vaultdesk, checked against a backup file." />
      <Stack gap="lg">
        <RestoreHistory />
        <KitExportPanel />
        <KitImportPanel />
        <DecryptPanel />
        <SystemBackupPanel />
      </Stack>
    </>
  );
}
