import { Checkbox, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import type { DestinationDto, DestinationKind, DestinationSavedDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { FormFooter } from '../../components/FormFooter';
import { useTestedSubmit } from '../../lib/use-tested-submit';
import { destinationFieldFor, destinationValues, emptyDestinationValues, KINDS, toCreateInput, toUpdateInput, type DestinationFormValues } from './destination-form';
import { S3Fields } from './S3Fields';
import { SftpFields } from './SftpFields';

export interface DestinationFormModalProps {
  opened: boolean;
  /** null: add a new destination. */
  destination: DestinationDto | null;
  onClose: () => void;
}

export function DestinationFormModal({ opened, destination, onClose }: DestinationFormModalProps): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title={destination ? `Edit destination ${destination.name}` : 'Add destination'}>
      <DestinationForm key={destination?.id ?? 'new'} destination={destination} onClose={onClose} />
    </Modal>
  );
}

function DestinationForm({ destination, onClose }: Omit<DestinationFormModalProps, 'opened'>): ReactElement {
  const form = useForm<DestinationFormValues>({ mode: 'controlled', initialValues: destination ? destinationValues(destination) : emptyDestinationValues() });
  const { onSubmit, busy, general, testFailure, saveAnyway } = useTestedSubmit(
    form,
    destinationFieldFor,
    (v, test) => (destination ? api.destinations.update({ ...toUpdateInput(destination, v), test }) : api.destinations.create({ ...toCreateInput(v), test })),
    (saved, tested) => {
      notifications.show(
        tested
          ? { color: 'teal', title: destination ? 'Destination saved' : 'Destination added', message: `Destination "${saved.name}" was tested and saved: ${saved.lastTest?.message ?? ''}${createdNote(saved)}` }
          : { color: 'orange', title: destination ? 'Destination saved, not tested' : 'Destination added, not tested', message: `Destination "${saved.name}" was saved without a passing test; it is marked not tested.${createdNote(saved)}` },
      );
      onClose();
    },
  );
  const kind = form.values.kind;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Select
          label="Kind"
          data={KINDS}
          allowDeselect={false}
          disabled={destination !== null}
          description={destination ? 'The kind of a destination cannot change.' : undefined}
          {...form.getInputProps('kind')}
          onChange={(value) => value && form.setFieldValue('kind', value as DestinationKind)}
        />
        <TextInput label="Name" description="3 to 30 characters, unique" data-autofocus {...form.getInputProps('name')} />
        {kind === 'local' && <TextInput label="Folder" placeholder="/var/backups/vaultdesk" description="Absolute path. A missing last folder is created on save; backups never create it" {...form.getInputProps('path')} />}
        {kind === 's3' && <S3Fields form={form} secretStored={destination?.hasSecret ?? false} />}
        {kind === 'sftp' && (
          <SftpFields
            form={form}
            stored={{ password: destination?.hasPassword ?? false, privateKey: destination?.hasPrivateKey ?? false, passphrase: destination?.hasPassphrase ?? false }}
          />
        )}
        {!destination && <Checkbox label="Default destination for new jobs" {...form.getInputProps('isDefault', { type: 'checkbox' })} />}
      </Stack>
      <FormFooter
        general={general}
        busy={busy}
        busyText={kind === 'local' ? 'Checking the folder before saving…' : 'Testing the destination before saving…'}
        testFailure={testFailure}
        onSaveAnyway={saveAnyway}
        submitLabel={destination ? 'Save changes' : 'Add destination'}
        onCancel={onClose}
      />
    </form>
  );
}

/** The folder a save made, said once: runs never make it, so the DBA should know it is new. */
function createdNote(saved: DestinationSavedDto): string {
  return saved.createdFolder ? ` Created the folder ${saved.createdFolder}.` : '';
}
