import { Alert, Code, List, Modal, Text } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';
import type { ProfileDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { HostFileForm } from '../../components/HostFileForm';

/** What each kind's secret is called, and how the file it goes to is used without Vaultdesk. */
interface SecretWords {
  /** "identity" or "passphrase", in titles and buttons. */
  secret: string;
  intro: ReactNode;
  use: string;
  placeholder: string;
}

function wordsFor(profile: ProfileDto): SecretWords {
  if (profile.kind === '7z') {
    return {
      secret: 'passphrase',
      intro: (
        <>
          The file holds the passphrase of 7-Zip profile <b>{profile.name}</b>, alone on its last line, after a few lines saying how to use it. With it, anyone who has
          7-Zip can open every backup (.7z archive) made with this profile, without Vaultdesk: open the archive and paste the passphrase when 7-Zip asks for the password,
          or on a command line:
        </>
      ),
      use: '7z x BACKUP.7z        (then paste the passphrase at "Enter password")',
      placeholder: `/media/usb/vaultdesk-passphrase-${profile.name}.txt`,
    };
  }
  return {
    secret: 'identity',
    intro: (
      <>
        The file holds the private key (age identity) of profile <b>{profile.name}</b>, as <Code>AGE-SECRET-KEY-1…</Code>. With it, anyone can decrypt every backup
        encrypted to this profile, without Vaultdesk:
      </>
    ),
    use: 'age -d -i identity.txt BACKUP.age | zstd -d > restored',
    placeholder: `/media/usb/vaultdesk-identity-${profile.name}.txt`,
  };
}

/**
 * Writes a profile's secret (an age identity, a 7-Zip passphrase) to a file, after saying what
 * that file is. Vaultdesk writes it on the machine it runs on (with owner-only permissions) rather
 * than handing it to the page: the contract never lets a secret out, so a stolen `serve` token
 * cannot download every key, and the page says where the file went so a browser user on another
 * machine can fetch it from there.
 */
export function SaveIdentityModal({ profile, opened, onClose }: { profile: ProfileDto | null; opened: boolean; onClose: () => void }): ReactElement {
  const secret = profile?.kind === '7z' ? 'passphrase' : 'identity';
  return (
    <Modal opened={opened} onClose={onClose} title={`Save the ${secret} of ${profile?.name ?? ''}`} size="lg">
      {profile && opened && <SaveIdentity key={profile.id} profile={profile} onClose={onClose} />}
    </Modal>
  );
}

function SaveIdentity({ profile, onClose }: { profile: ProfileDto; onClose: () => void }): ReactElement {
  const words = wordsFor(profile);
  return (
    <HostFileForm
      intro={
        <>
          <Text size="sm">{words.intro}</Text>
          <Code block>{words.use}</Code>
          <List size="sm" spacing={4}>
            <List.Item>Keep it apart from the backups, and offline if you can: whoever has both can read your data.</List.Item>
            <List.Item>Without it (or another copy), these backups cannot be opened if this data folder or its master key is lost.</List.Item>
            <List.Item>
              Vaultdesk writes the file on the machine it runs on, with permissions for its user only. In a browser connected to <Code>vaultdesk serve</Code> on
              another machine, that is the server: copy it from there.
            </List.Item>
          </List>
        </>
      }
      description="Absolute path on the machine Vaultdesk runs on; missing folders are created"
      placeholder={words.placeholder}
      submitLabel={`Write the ${words.secret} file`}
      write={async (path) => (await api.profiles.exportIdentity({ id: profile.id, path })).path}
      written={(path) => (
        <Alert color="teal" title={words.secret === 'passphrase' ? 'Passphrase saved' : 'Identity saved'} role="status">
          Written to <Code data-testid="identity-file">{path}</Code> on the machine Vaultdesk runs on, readable by its user only. Move it to where you keep keys
          offline (a password manager, a USB stick in a safe), apart from the backups, and delete it from there.
        </Alert>
      )}
      onClose={onClose}
    />
  );
}
