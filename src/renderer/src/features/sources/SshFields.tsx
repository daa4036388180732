import { Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactElement } from 'react';
import { SecretInput } from '../../components/SecretInput';
import type { SourceFormValues } from './source-form';

type SecretKey = 'sshPassword' | 'sshPrivateKey' | 'sshPassphrase';
const CLEAR: Record<SecretKey, 'clearSshPassword' | 'clearSshPrivateKey' | 'clearSshPassphrase'> = {
  sshPassword: 'clearSshPassword',
  sshPrivateKey: 'clearSshPrivateKey',
  sshPassphrase: 'clearSshPassphrase',
};

/** SSH for a source: tunnel the database port through a bastion, or run the dump on the host. */
export function SshFields({ form, stored }: { form: UseFormReturnType<SourceFormValues>; stored: { sshPassword: boolean; sshPrivateKey: boolean; sshPassphrase: boolean } }): ReactElement {
  const secret = (key: SecretKey, label: string, multiline = false): ReactElement => (
    <SecretInput
      label={label}
      stored={stored[key]}
      value={form.values[key]}
      onChange={(v) => form.setFieldValue(key, v)}
      cleared={form.values[CLEAR[key]]}
      onClearedChange={(c) => form.setFieldValue(CLEAR[key], c)}
      error={form.errors[key]}
      multiline={multiline}
    />
  );
  return (
    <Stack gap="sm" pl="md" style={{ borderLeft: '2px solid var(--mantine-color-gray-3)' }}>
      <Select
        label="SSH mode"
        data={[
          { value: 'tunnel', label: 'Tunnel the database port through SSH' },
          { value: 'exec', label: 'Run the database tools on the SSH host (dumps and restores)' },
        ]}
        allowDeselect={false}
        {...form.getInputProps('sshMode')}
      />
      <Group grow align="flex-start">
        <TextInput label="SSH host" {...form.getInputProps('sshHost')} />
        <NumberInput label="SSH port" min={1} max={65535} allowDecimal={false} maw={130} clampBehavior="none" {...form.getInputProps('sshPort')} />
      </Group>
      <TextInput label="SSH user" {...form.getInputProps('sshUser')} />
      {secret('sshPassword', 'SSH password')}
      {secret('sshPrivateKey', 'SSH private key', true)}
      {secret('sshPassphrase', 'Key passphrase')}
    </Stack>
  );
}
