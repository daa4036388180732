import { Stack } from '@mantine/core';
import type { ReactElement } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { DecryptPanel } from './DecryptPanel';
import { KitExportPanel } from './KitExportPanel';

/** What brings backups back without this install: the recovery kit, and decrypting a file with it. */
export function RecoveryPage(): ReactElement {
  return (
    <>
      <PageHeader title="Recovery" description="Keep the keys to your backups outside Vaultdesk, and check that they open a backup file." />
      <Stack gap="lg">
        <KitExportPanel />
        <DecryptPanel />
      </Stack>
    </>
  );
}
