import { Alert, Button, Center, Code, Group, Loader, Stack, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { BackupDto, BackupVerifyDto } from '../../../../shared/domain/backups';
import { api } from '../../api';
import { errorHeadline } from '../../lib/error-words';
import { formatBytes } from '../../lib/format';
import { useCall } from '../../lib/use-call';
import { BackupDialog, type BackupDialogTarget } from './BackupDialog';

const AGE_WORDS: Record<BackupVerifyDto['age'], string> = {
  authenticated: 'the whole age payload authenticated with an identity of this data folder',
  failed: 'the age payload did not authenticate',
  'not-checked': 'not checked: no profile here holds an identity that opens it',
  'not-encrypted': 'not encrypted',
};

/** Reads the backup back at its destination and shows the verdict; the core keeps it as the backup's last verification. */
export function VerifyBackupModal(props: BackupDialogTarget): ReactElement {
  return (
    <BackupDialog {...props} title="Verify backup" size="lg">
      {(backup, name) => <Verify backup={backup} name={name} onClose={props.onClose} />}
    </BackupDialog>
  );
}

function Verify({ backup, name, onClose }: { backup: BackupDto; name: string; onClose: () => void }): ReactElement {
  const verdict = useCall(() => api.backups.verify({ id: backup.id }));
  const v = verdict.data;
  return (
    <Stack gap="md">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {name}
      </Text>
      {verdict.loading && (
        <Center py="md">
          <Group gap="xs" role="status">
            <Loader size="sm" />
            <Text size="sm">Reading the whole object back from {backup.destination} and hashing it…</Text>
          </Group>
        </Center>
      )}
      {verdict.error && (
        <Alert color="red" title={`Could not verify: ${errorHeadline(verdict.error.code)}`} role="alert">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {verdict.error.message}
          </Text>
        </Alert>
      )}
      {v && (
        <>
          <Alert color={v.ok ? 'teal' : 'red'} title={v.ok ? 'Backup verified' : 'Verification failed'} role={v.ok ? 'status' : 'alert'} data-testid="verify-verdict">
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {v.message}
            </Text>
          </Alert>
          <Table layout="fixed" verticalSpacing={4} aria-label="What was checked">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={140}>Bytes read</Table.Th>
                <Table.Td>{formatBytes(v.bytesRead)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>sha256</Table.Th>
                <Table.Td>
                  <Text size="sm" c={v.sha256.ok ? undefined : 'red'}>
                    {v.sha256.ok ? 'matches the manifest' : 'does not match the manifest'}
                  </Text>
                  <Code style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>{v.sha256.actual ?? '—'}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Encryption</Table.Th>
                <Table.Td>{AGE_WORDS[v.age]}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </>
      )}
      <Group justify="flex-end">
        {!verdict.loading && (
          <Button variant="default" onClick={verdict.retry}>
            Verify again
          </Button>
        )}
        <Button onClick={onClose}>Close</Button>
      </Group>
    </Stack>
  );
}
