import { Badge, Button, Code, CopyButton, Group, Modal, PasswordInput, Select, Stack, Table, TagsInput, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import type { ProfileDto } from '../../../../shared/domain/dto';
import type { InvokeInput } from '../../../../shared/ipc/contract';
import { api } from '../../api';
import { FormFooter } from '../../components/FormFooter';
import { LongText } from '../../components/LongText';
import { RowActions } from '../../components/RowActions';
import { Section } from '../../components/Section';
import { optionalText, topLevelField } from '../../lib/form-errors';
import { useDialog } from '../../lib/use-dialog';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useLiveQuery } from '../../lib/use-live-query';
import { DeleteProfileModal } from './DeleteProfileModal';
import { EditProfileModal } from './EditProfileModal';
import { SaveIdentityModal } from './SaveIdentityModal';

interface ProfileValues {
  kind: 'age' | '7z';
  name: string;
  extraRecipients: string[];
  identity: string;
  passphrase: string;
  passphraseAgain: string;
}

const fieldFor = topLevelField('kind', 'name', 'extraRecipients', 'identity', 'passphrase');
const DIFFER = 'The two passphrases differ';

function toInput(v: ProfileValues): InvokeInput<'profiles:create'> {
  if (v.kind === '7z') return { kind: '7z', name: v.name, passphrase: v.passphrase || undefined };
  return { kind: 'age', name: v.name, extraRecipients: v.extraRecipients, identity: optionalText(v.identity) };
}

/** Encryption profiles: an age identity (kept encrypted) or a 7-Zip passphrase, chosen per job. */
export function ProfilesPanel(): ReactElement {
  const profiles = useLiveQuery(() => api.profiles.list({}));
  const adding = useDialog<true>();
  const deleting = useDialog<ProfileDto>();
  const saving = useDialog<ProfileDto>();
  const editing = useDialog<ProfileDto>();
  const list = profiles.data ?? [];
  return (
    <Section
      title="Encryption profiles"
      description="Backups encrypted with age can be decrypted offline with the standard age tool and the profile's identity."
      action={
        <Button variant="default" onClick={() => adding.open(true)}>
          Add profile
        </Button>
      }
    >
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {profiles.error ? profiles.error.message : 'None yet.'}
        </Text>
      ) : (
        <Table verticalSpacing="xs" layout="fixed" aria-label="Encryption profiles">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th w={70}>Kind</Table.Th>
              <Table.Th w={270}>Recipient</Table.Th>
              <Table.Th w={150}>Used by</Table.Th>
              <Table.Th w={160}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {p.name}
                  {!p.hasSecret && (
                    <Badge color="red" size="xs" ml={6}>
                      secret missing
                    </Badge>
                  )}
                  {p.identityOnlyInVaultdesk && (
                    <Tooltip
                      label={
                        p.kind === '7z'
                          ? 'Its passphrase was generated and exists only inside Vaultdesk: no one can open its backups with 7-Zip, and no one at all if this data folder or its master key is lost. Save a copy.'
                          : "Its identity exists only inside Vaultdesk: if this data folder or its master key is lost, no one can decrypt this profile's backups. Save a copy."
                      }
                      multiline
                      w={300}
                      withArrow
                    >
                      <Badge color="orange" size="xs" display="block" w="fit-content" mt={4} data-testid="identity-not-saved">
                        not yet saved outside Vaultdesk
                      </Badge>
                    </Tooltip>
                  )}
                </Table.Td>
                <Table.Td>{p.kind === 'age' ? 'age' : '7-Zip'}</Table.Td>
                <Table.Td>
                  {p.recipient ? (
                    <Group gap={4} wrap="nowrap">
                      <Code style={{ whiteSpace: 'nowrap' }} title={p.recipient}>{`${p.recipient.slice(0, 10)}…${p.recipient.slice(-6)}`}</Code>
                      <CopyButton value={p.recipient}>
                        {({ copied, copy }) => (
                          <Button size="compact-xs" variant="subtle" onClick={copy} aria-label={`Copy recipient of ${p.name}`} style={{ flexShrink: 0 }}>
                            {copied ? 'Copied' : 'Copy'}
                          </Button>
                        )}
                      </CopyButton>
                      {p.extraRecipients.length > 0 && (
                        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{`+${p.extraRecipients.length} more`}</Text>
                      )}
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">
                      passphrase
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <LongText lines={3} c={p.jobNames.length ? undefined : 'dimmed'}>
                    {p.jobNames.length ? p.jobNames.join(', ') : 'no jobs'}
                  </LongText>
                </Table.Td>
                <Table.Td>
                  <RowActions
                    what={`profile ${p.name}`}
                    primary={p.hasSecret ? saveAction(p, () => saving.open(p)) : undefined}
                    more={[
                      { label: 'Edit…', ariaLabel: `Edit profile ${p.name}…`, onClick: () => editing.open(p) },
                      { label: 'Delete', danger: true, onClick: () => deleting.open(p) },
                    ]}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {/* lg, as Edit: an extra recipient (62 characters) shows whole in its tag. */}
      <Modal opened={adding.opened} onClose={adding.close} title="Add encryption profile" size="lg">
        <ProfileForm onClose={adding.close} />
      </Modal>
      <SaveIdentityModal profile={saving.target} opened={saving.opened} onClose={saving.close} />
      <EditProfileModal profile={editing.target} opened={editing.opened} onClose={editing.close} />
      <DeleteProfileModal profile={deleting.target} opened={deleting.opened} onClose={deleting.close} />
    </Section>
  );
}

/** The row's main action: saving the secret that opens the profile's backups, named for its kind. */
function saveAction(p: ProfileDto, onClick: () => void): { label: string; ariaLabel: string; onClick: () => void } {
  const secret = p.kind === '7z' ? 'passphrase' : 'identity';
  return { label: `Save ${secret}…`, ariaLabel: `Save ${secret} of ${p.name}…`, onClick };
}

/** The persistent notice a new profile whose secret only Vaultdesk holds gets; a plain toast otherwise. */
function addedNotice(saved: ProfileDto): Parameters<typeof notifications.show>[0] {
  if (!saved.identityOnlyInVaultdesk) return { color: 'teal', title: 'Profile added', message: `Profile "${saved.name}" is ready.` };
  if (saved.kind === '7z') {
    return {
      color: 'orange',
      title: 'Profile added: save its passphrase',
      message: `The generated passphrase of "${saved.name}" is not yet saved outside Vaultdesk. Whoever opens its backups with 7-Zip needs it, and without a copy they cannot be opened if this data folder is lost: use Save passphrase in its row.`,
      autoClose: false,
    };
  }
  return {
    color: 'orange',
    title: 'Profile added: save its identity',
    message: `The identity of "${saved.name}" is not yet saved outside Vaultdesk. Without a copy, its backups cannot be decrypted if this data folder is lost: use Save identity in its row.`,
    autoClose: false,
  };
}

function ProfileForm({ onClose }: { onClose: () => void }): ReactElement {
  const form = useForm<ProfileValues>({
    mode: 'controlled',
    initialValues: { kind: 'age', name: '', extraRecipients: [], identity: '', passphrase: '', passphraseAgain: '' },
    // Typed twice, as for a kit: a typo would leave the user with a wrong idea of the passphrase every 7-Zip open needs.
    validate: {
      passphraseAgain: (again, v) => {
        if (v.kind !== '7z' || v.passphrase === '' || again === v.passphrase) return null;
        return again === '' ? 'Type the passphrase again' : DIFFER;
      },
    },
  });
  const { onSubmit, busy, general } = useFormSubmit(form, fieldFor, (v) => api.profiles.create(toInput(v)), (saved) => {
    notifications.show(addedNotice(saved));
    onClose();
  });
  const age = form.values.kind === 'age';
  const mismatch = !age && form.values.passphraseAgain !== '' && form.values.passphraseAgain !== form.values.passphrase;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Select
          label="Kind"
          data={[
            { value: 'age', label: 'age (X25519 identity)' },
            { value: '7z', label: '7-Zip (AES-256 passphrase)' },
          ]}
          allowDeselect={false}
          {...form.getInputProps('kind')}
        />
        <TextInput label="Name" data-autofocus {...form.getInputProps('name')} />
        {age ? (
          <>
            <TagsInput
              label="Extra recipients"
              description="Other age public keys (age1...) that can also decrypt, e.g. an offline break-glass key"
              {...form.getInputProps('extraRecipients')}
            />
            <PasswordInput
              label="Import identity"
              description="Blank generates a new identity; or paste an existing AGE-SECRET-KEY-1..."
              autoComplete="new-password"
              {...form.getInputProps('identity')}
            />
          </>
        ) : (
          <Group grow align="flex-start">
            <PasswordInput label="Passphrase" description="Blank generates a strong one; at least 12 characters" autoComplete="new-password" {...form.getInputProps('passphrase')} />
            <PasswordInput
              label="Passphrase again"
              description="Typed twice: a mistyped passphrase would not open the backups in 7-Zip"
              autoComplete="new-password"
              {...form.getInputProps('passphraseAgain')}
              error={mismatch ? DIFFER : form.errors.passphraseAgain}
            />
          </Group>
        )}
      </Stack>
      <FormFooter general={general} busy={busy} submitLabel="Add profile" onCancel={onClose} />
    </form>
  );
}
