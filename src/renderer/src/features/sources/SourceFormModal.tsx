import { Checkbox, Group, Modal, NumberInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReactElement } from 'react';
import type { EnvironmentDto, SourceDto } from '../../../../shared/domain/dto';
import { api } from '../../api';
import { FormFooter } from '../../components/FormFooter';
import { SecretInput } from '../../components/SecretInput';
import { useTestedSubmit } from '../../lib/use-tested-submit';
import { DEFAULT_PORTS, emptySourceValues, ENGINES, sourceFieldFor, sourceValues, toCreateInput, toUpdateInput, type SourceFormValues } from './source-form';
import { SshFields } from './SshFields';

export interface SourceFormModalProps {
  opened: boolean;
  /** null: add a new source. */
  source: SourceDto | null;
  environments: EnvironmentDto[];
  onClose: () => void;
}

export function SourceFormModal({ opened, source, environments, onClose }: SourceFormModalProps): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title={source ? `Edit source ${source.name}` : 'Add source'}>
      <SourceForm key={source?.id ?? 'new'} source={source} environments={environments} onClose={onClose} />
    </Modal>
  );
}

const TLS_MODES = [
  { value: 'disable', label: 'Disable' },
  { value: 'prefer', label: 'Prefer (use TLS when offered)' },
  { value: 'require', label: 'Require' },
  { value: 'verify-full', label: 'Require and verify the certificate' },
];

function SourceForm({ source, environments, onClose }: Omit<SourceFormModalProps, 'opened'>): ReactElement {
  const form = useForm<SourceFormValues>({ mode: 'controlled', initialValues: source ? sourceValues(source) : emptySourceValues() });
  const { onSubmit, busy, general, testFailure, saveAnyway } = useTestedSubmit(
    form,
    sourceFieldFor,
    (v, test) => (source ? api.sources.update({ ...toUpdateInput(source, v), test }) : api.sources.create({ ...toCreateInput(v), test })),
    (saved, tested) => {
      notifications.show(
        tested
          ? { color: 'teal', title: source ? 'Source saved' : 'Source added', message: `Source "${saved.name}" was tested and saved: ${saved.lastTest?.message ?? ''}` }
          : { color: 'orange', title: source ? 'Source saved, not tested' : 'Source added, not tested', message: `Source "${saved.name}" was saved without a passing test; it is marked not tested.` },
      );
      onClose();
    },
  );
  const v = form.values;
  const server = v.engine !== 'sqlite';
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Select
          label="Engine"
          data={ENGINES}
          allowDeselect={false}
          disabled={source !== null}
          description={source ? 'The engine of a source cannot change.' : undefined}
          {...form.getInputProps('engine')}
        />
        <TextInput label="Name" description="How jobs and the backup list refer to it" data-autofocus {...form.getInputProps('name')} />
        <Select
          label="Environment"
          placeholder="default (created automatically)"
          data={environments.map((e) => ({ value: e.id, label: e.name }))}
          clearable
          {...form.getInputProps('environmentId')}
          value={v.environmentId || null}
          onChange={(value) => form.setFieldValue('environmentId', value ?? '')}
        />
        {!server && <TextInput label="Database file" description="Absolute path of the SQLite file" placeholder="/var/lib/app/app.db" {...form.getInputProps('path')} />}
        {server && (
          <>
            <Group grow align="flex-start" wrap="nowrap">
              <TextInput label="Host" {...form.getInputProps('host')} />
              <NumberInput label="Port" placeholder={String(DEFAULT_PORTS[v.engine as 'postgres' | 'mysql'])} min={1} max={65535} allowDecimal={false} maw={130} clampBehavior="none" {...form.getInputProps('port')} />
            </Group>
            <TextInput label="User" autoComplete="off" {...form.getInputProps('user')} />
            <SecretInput
              label="Password"
              stored={source?.hasPassword ?? false}
              value={v.password}
              onChange={(value) => form.setFieldValue('password', value)}
              cleared={v.clearPassword}
              onClearedChange={(c) => form.setFieldValue('clearPassword', c)}
              error={form.errors.password}
            />
            <TextInput label="Database" disabled={v.allDatabases} {...form.getInputProps('database')} />
            <Checkbox
              label="All databases on this server (including ones created later)"
              {...form.getInputProps('allDatabases', { type: 'checkbox' })}
            />
            <Select label="TLS" data={TLS_MODES} allowDeselect={false} {...form.getInputProps('tlsMode')} />
            <Switch label="Connect through SSH" {...form.getInputProps('useSsh', { type: 'checkbox' })} />
            {v.useSsh && (
              <SshFields
                form={form}
                stored={{
                  sshPassword: source?.ssh?.hasPassword ?? false,
                  sshPrivateKey: source?.ssh?.hasPrivateKey ?? false,
                  sshPassphrase: source?.ssh?.hasPassphrase ?? false,
                }}
              />
            )}
          </>
        )}
      </Stack>
      <FormFooter
        general={general}
        busy={busy}
        busyText={server ? 'Connecting to test the source before saving…' : 'Checking the file before saving…'}
        testFailure={testFailure}
        onSaveAnyway={saveAnyway}
        submitLabel={source ? 'Save changes' : 'Add source'}
        onCancel={onClose}
      />
    </form>
  );
}
