import { Alert, Code, List, Modal, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ProfileDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { HostFileForm } from '../../components/HostFileForm';

/**
 * Writes an age profile's identity to a file, after saying what that file is. Vaultdesk writes it
 * on the machine it runs on (with owner-only permissions) rather than handing it to the page: the
 * contract never lets a secret out, so a stolen `serve` token cannot download every identity, and
 * the page says where the file went so a browser user on another machine can fetch it from there.
 */
export function SaveIdentityModal({ profile, opened, onClose }: { profile: ProfileDto | null; opened: boolean; onClose: () => void }): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title={`Save the identity of ${profile?.name ?? ''}`} size="lg">
      {profile && opened && <SaveIdentity key={profile.id} profile={profile} onClose={onClose} />}
    </Modal>
  );
}

function SaveIdentity({ profile, onClose }: { profile: ProfileDto; onClose: () => void }): ReactElement {
  return (
    <HostFileForm
      intro={
        <>
          <Text size="sm">
            The file holds the private key (age identity) of profile <b>{profile.name}</b>, as <Code>AGE-SECRET-KEY-1…</Code>. With it, anyone can decrypt every
            backup encrypted to this profile, without Vaultdesk:
          </Text>
          <Code block>{'age -d -i identity.txt BACKUP.age | zstd -d > restored'}</Code>
          <List size="sm" spacing={4}>
            <List.Item>Keep it apart from the backups, and offline if you can: whoever has both can read your data.</List.Item>
            <List.Item>Without it (or another copy), these backups cannot be decrypted if this data folder or its master key is lost.</List.Item>
            <List.Item>
              Vaultdesk writes the file on the machine it runs on, with permissions for its user only. In a browser connected to <Code>vaultdesk serve</Code> on
              another machine, that is the server: copy it from there.
            </List.Item>
          </List>
        </>
      }
      description="Absolute path on the machine Vaultdesk runs on; missing folders are created"
      placeholder={`/media/usb/vaultdesk-identity-${profile.name}.txt`}
      submitLabel="Write the identity file"
      write={async (path) => (await api.profiles.exportIdentity({ id: profile.id, path })).path}
      written={(path) => (
        <Alert color="teal" title="Identity saved" role="status">
          Written to <Code data-testid="identity-file">{path}</Code> on the machine Vaultdesk runs on, readable by its user only. Move it to where you keep keys
          offline (a password manager, a USB stick in a safe), apart from the backups, and delete it from there.
        </Alert>
      )}
      onClose={onClose}
    />
  );
}
