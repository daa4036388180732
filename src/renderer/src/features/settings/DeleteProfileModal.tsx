import { Alert, Checkbox, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { ProfileDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';

/**
 * Deleting a profile. One whose identity exists only here takes the last key to its backups with
 * it, so Delete waits for an explicit tick (the core refuses it without `discardUnsavedIdentity`).
 */
export function DeleteProfileModal({ profile, opened, onClose }: { profile: ProfileDto | null; opened: boolean; onClose: () => void }): ReactElement {
  const [discard, setDiscard] = useState(false);
  const unsaved = profile?.identityOnlyInVaultdesk === true;
  const close = (): void => {
    setDiscard(false);
    onClose();
  };
  return (
    <ConfirmDeleteModal
      opened={opened}
      what={`profile "${profile?.name ?? ''}"`}
      confirmDisabled={unsaved && !discard}
      onConfirm={() => api.profiles.delete({ id: profile!.id, discardUnsavedIdentity: unsaved && discard })}
      onClose={close}
    >
      {unsaved ? (
        <Stack gap="sm">
          <Alert color="red" title="Its identity exists only in Vaultdesk">
            <Text size="sm">
              The identity of this profile was never saved outside Vaultdesk: no identity file, no recovery kit. Once the profile is deleted, no backup encrypted to it can be decrypted again. Cancel, then use Save identity… here or export a recovery kit on the
              Recovery page first.
            </Text>
          </Alert>
          <Checkbox label="Delete it anyway: the backups encrypted to it may be lost" checked={discard} onChange={(e) => setDiscard(e.currentTarget.checked)} />
        </Stack>
      ) : (
        <Text size="sm">Backups encrypted to this profile can only be decrypted with a copy of its identity or passphrase (for example a recovery kit).</Text>
      )}
    </ConfirmDeleteModal>
  );
}
