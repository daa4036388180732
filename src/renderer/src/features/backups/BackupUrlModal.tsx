import { Alert, Button, Center, CopyButton, Group, Loader, Stack, Text, Textarea } from '@mantine/core';
import type { ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { api } from '../../api';
import { errorHeadline } from '../../lib/error-words';
import { formatDateTime } from '../../lib/format';
import { useCall } from '../../lib/use-call';
import { BackupDialog, type BackupDialogTarget } from './BackupDialog';

/** A presigned GET URL of an S3 backup, valid one hour, to fetch it with a browser or curl from anywhere. */
export function BackupUrlModal(props: BackupDialogTarget): ReactElement {
  return (
    <BackupDialog {...props} title="Download link" size="lg">
      {(backup, name) => <Url backup={backup} name={name} onClose={props.onClose} />}
    </BackupDialog>
  );
}

function Url({ backup, name, onClose }: { backup: BackupDto; name: string; onClose: () => void }): ReactElement {
  const link = useCall(() => api.backups.url({ id: backup.id }));
  return (
    <Stack gap="md">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {name}
      </Text>
      {link.loading && (
        <Center py="md">
          <Loader size="sm" aria-label="Signing the link" />
        </Center>
      )}
      {link.error && (
        <Alert color="red" title={`No link: ${errorHeadline(link.error.code)}`} role="alert">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {link.error.message}
          </Text>
        </Alert>
      )}
      {link.data && (
        <>
          <Textarea label="Presigned URL" readOnly autosize minRows={2} maxRows={6} value={link.data.url} styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} />
          <Text size="sm">
            Anyone with this link can download the (encrypted) object until {formatDateTime(link.data.expiresAt)}. Decrypt it with the recovery kit or the profile's
            identity.
          </Text>
        </>
      )}
      <Group justify="flex-end">
        {link.data && (
          <CopyButton value={link.data.url}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy link'}
              </Button>
            )}
          </CopyButton>
        )}
        <Button onClick={onClose}>Close</Button>
      </Group>
    </Stack>
  );
}
