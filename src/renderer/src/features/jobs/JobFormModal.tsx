import { Checkbox, Group, Modal, MultiSelect, NumberInput, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMemo, type ReactElement } from 'react';
import type { DestinationDto, ProfileDto, SourceDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { FormFooter } from '../../components/FormFooter';
import { useFormSubmit } from '../../lib/use-form-submit';
import { COMPRESSIONS, emptyJobValues, ENCRYPTIONS, jobFieldFor, timeZones, toCreateInput, type JobFormValues } from './job-form';

export interface JobFormModalProps {
  opened: boolean;
  sources: SourceDto[];
  destinations: DestinationDto[];
  profiles: ProfileDto[];
  onClose: () => void;
}

export function JobFormModal(props: JobFormModalProps): ReactElement {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Add job">
      <JobForm {...props} />
    </Modal>
  );
}

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function JobForm({ sources, destinations, profiles, onClose }: Omit<JobFormModalProps, 'opened'>): ReactElement {
  const defaultDestination = destinations.find((d) => d.isDefault)?.id ?? null;
  const form = useForm<JobFormValues>({ mode: 'controlled', initialValues: emptyJobValues(defaultDestination, LOCAL_ZONE) });
  const { onSubmit, busy, general } = useFormSubmit(form, jobFieldFor, (v) => api.jobs.create(toCreateInput(v)), (job) => {
    notifications.show({ color: 'teal', title: 'Job added', message: `Job "${job.name}" is saved.` });
    onClose();
  });
  const zones = useMemo(() => timeZones(LOCAL_ZONE), []);
  const v = form.values;
  const source = sources.find((s) => s.id === v.sourceId);
  const matchingProfiles = profiles.filter((p) => p.kind === v.encryption);
  return (
    <form onSubmit={onSubmit} noValidate>
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
          <>
            <TagsInput
              label="Databases"
              description={source.allDatabases ? 'The source backs up every database' : `Blank: the source's database (${source.database ?? 'none set'})`}
              disabled={v.allDatabases}
              {...form.getInputProps('databases')}
            />
            <Checkbox label="All databases on the server" {...form.getInputProps('allDatabases', { type: 'checkbox' })} />
          </>
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
          <Select label="Compression" data={COMPRESSIONS} allowDeselect={false} {...form.getInputProps('compression')} />
          <Select
            label="Encryption"
            data={ENCRYPTIONS}
            allowDeselect={false}
            {...form.getInputProps('encryption')}
            onChange={(value) => value && form.setValues({ encryption: value as JobFormValues['encryption'], profileId: '' })}
          />
        </Group>
        {v.encryption !== 'none' && (
          <Select
            label="Encryption profile"
            data={matchingProfiles.map((p) => ({ value: p.id, label: p.name }))}
            placeholder={matchingProfiles.length ? 'Pick a profile' : 'No profile of this kind: create one in Settings'}
            {...form.getInputProps('profileId')}
            value={v.profileId || null}
            onChange={(value) => form.setFieldValue('profileId', value ?? '')}
          />
        )}
        <Group grow align="flex-start">
          <TextInput label="Schedule (cron)" placeholder="0 3 * * *" description="Stored with the job; this version has no scheduler yet, so runs start with Run now or `vaultdesk backup run` (e.g. from cron)" {...form.getInputProps('schedule')} />
          <Select label="Time zone" data={zones} searchable disabled={!v.schedule.trim()} allowDeselect={false} {...form.getInputProps('timezone')} />
        </Group>
        <NumberInput label="Timeout (minutes)" placeholder="no limit" min={1} allowDecimal={false} maw={200} {...form.getInputProps('timeoutMinutes')} />
      </Stack>
      <FormFooter general={general} busy={busy} submitLabel="Add job" onCancel={onClose} />
    </form>
  );
}
