import { Modal, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import type { ProfileDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { FormFooter } from '../../components/FormFooter';
import { topLevelField } from '../../lib/form-errors';
import { useFormSubmit } from '../../lib/use-form-submit';
import { profileChanges, profileEditValues, type ProfileEditValues } from './profile-edit';

const fieldFor = topLevelField('name', 'extraRecipients');

/**
 * A profile's name and, for age, its extra recipients. Its key cannot be changed here: backups
 * find their profile by recipient, so a new key would be a new profile.
 */
export function EditProfileModal({ profile, opened, onClose }: { profile: ProfileDto | null; opened: boolean; onClose: () => void }): ReactElement {
  return (
    // lg: an age recipient (62 characters) fits whole in its tag; md cut off its end, which the profiles table shows.
    <Modal opened={opened} onClose={onClose} title="Edit encryption profile" size="lg">
      {profile && opened && <EditProfileForm key={profile.id} profile={profile} onClose={onClose} />}
    </Modal>
  );
}

function EditProfileForm({ profile, onClose }: { profile: ProfileDto; onClose: () => void }): ReactElement {
  const form = useForm<ProfileEditValues>({ mode: 'controlled', initialValues: profileEditValues(profile) });
  const { onSubmit, busy, general } = useFormSubmit(
    form,
    fieldFor,
    (v) => {
      const change = profileChanges(profile, v);
      return change ? api.profiles.update(change) : Promise.resolve(null);
    },
    (saved) => {
      if (saved) notifications.show({ color: 'teal', title: 'Profile saved', message: `Profile "${saved.name}" is saved.` });
      onClose();
    },
  );
  const age = profile.kind === 'age';
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Text size="sm">
          Renaming changes only the label Vaultdesk shows: the {age ? 'key' : 'passphrase'} that encrypts stays the same, and backups already made stay decryptable
          with the same {age ? 'identity' : 'passphrase'}.
        </Text>
        <TextInput label="Name" data-autofocus {...form.getInputProps('name')} />
        {age && (
          <TagsInput
            label="Extra recipients"
            description="Other age public keys (age1...) that can also decrypt. A change applies to backups made from now on."
            {...form.getInputProps('extraRecipients')}
          />
        )}
      </Stack>
      <FormFooter general={general} busy={busy} submitLabel="Save changes" onCancel={onClose} />
    </form>
  );
}
