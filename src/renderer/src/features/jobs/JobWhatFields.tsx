import { Alert, Checkbox, Group, MultiSelect, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactElement } from 'react';
import type { DestinationDto, ProfileDto, SourceDto } from '../../../../shared/domain/dto';
import { COMPRESSIONS, ENCRYPTIONS, soleProfile, type JobFormValues } from './job-form';

export interface JobWhatFieldsProps {
  form: UseFormReturnType<JobFormValues>;
  sources: SourceDto[];
  destinations: DestinationDto[];
  profiles: ProfileDto[];
}

/** What a job backs up, where it stores it, and how the stored file is compressed and protected. */
export function JobWhatFields({ form, sources, destinations, profiles }: JobWhatFieldsProps): ReactElement {
  const v = form.values;
  const source = sources.find((s) => s.id === v.sourceId);
  const matchingProfiles = profiles.filter((p) => p.kind === v.encryption);
  return (
    <Stack gap="sm">
      <TextInput label="Name" description="Letters, digits, dot, dash, underscore; it becomes part of object names" data-autofocus {...form.getInputProps('name')} />
      <Select
        label="Source"
        placeholder={sources.length ? 'Pick a source' : 'Add a source first'}
        data={sources.map((s) => ({ value: s.id, label: `${s.name} (${s.environmentName})` }))}
        searchable
        {...form.getInputProps('sourceId')}
        value={v.sourceId || null}
        onChange={(value) => form.setFieldValue('sourceId', value ?? '')}
      />
      {source && source.engine !== 'sqlite' && (
        <Group grow align="flex-start">
          <TagsInput
            label="Databases"
            description={source.allDatabases ? 'The source backs up every database' : `Blank: the source's database (${source.database ?? 'none set'})`}
            disabled={v.allDatabases}
            {...form.getInputProps('databases')}
          />
          <Checkbox label="All databases on the server" mt={28} {...form.getInputProps('allDatabases', { type: 'checkbox' })} />
        </Group>
      )}
      {source?.engine === 'postgres' && (
        <Select
          label="Dump format"
          data={[
            { value: 'custom', label: 'Custom (pg_restore, parallel restore)' },
            { value: 'plain', label: 'Plain SQL (psql)' },
          ]}
          allowDeselect={false}
          {...form.getInputProps('format')}
        />
      )}
      <MultiSelect
        label="Destinations"
        placeholder={destinations.length ? undefined : 'Add a destination first'}
        data={destinations.map((d) => ({ value: d.id, label: d.locked ? `${d.name} (locked)` : d.name }))}
        {...form.getInputProps('destinationIds')}
      />
      <Group grow align="flex-start">
        <Select
          label="Compression"
          data={COMPRESSIONS}
          allowDeselect={false}
          {...form.getInputProps('compression')}
          // 7-Zip compresses inside its own archive: this setting would never be used.
          disabled={v.encryption === '7z'}
          description={v.encryption === '7z' ? "7-Zip's own, inside its archive" : undefined}
        />
        <Select
          label="Encryption"
          data={ENCRYPTIONS}
          allowDeselect={false}
          {...form.getInputProps('encryption')}
          onChange={(value) => value && form.setValues({ encryption: value as JobFormValues['encryption'], profileId: soleProfile(profiles, value as JobFormValues['encryption']) })}
        />
      </Group>
      {v.encryption !== 'none' ? (
        <Select
          label="Encryption profile"
          data={matchingProfiles.map((p) => ({ value: p.id, label: p.hasSecret ? p.name : `${p.name} (secret lost in a key reset)`, disabled: !p.hasSecret }))}
          placeholder={matchingProfiles.length ? 'Pick a profile' : 'No profile of this kind: create one in Settings'}
          // Picking the pre-selected profile again must not clear it; going without is Encryption: None.
          allowDeselect={false}
          {...form.getInputProps('profileId')}
          value={v.profileId || null}
          onChange={(value) => form.setFieldValue('profileId', value ?? '')}
        />
      ) : (
        <Alert color="orange" title="Not encrypted" role="note" py="xs">
          Anyone who gets hold of a backup file (from the folder, the bucket, a copy of either) can read the whole database.
          {profiles.length === 0 ? ' To encrypt, create an encryption profile in Settings first.' : ' Choose age or 7-Zip above to encrypt it.'}
        </Alert>
      )}
    </Stack>
  );
}
