import { Group, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactElement } from 'react';
import { SecretInput } from '../../components/SecretInput';
import type { DestinationFormValues } from './destination-form';

export interface SftpStored {
  password: boolean;
  privateKey: boolean;
  passphrase: boolean;
}

/**
 * An SFTP destination holds a password or a private key. The form opens on the method that is
 * stored, and says so when the DBA switches to the other one, because saving it replaces it.
 */
export function SftpFields({ form, stored }: { form: UseFormReturnType<DestinationFormValues>; stored: SftpStored }): ReactElement {
  const v = form.values;
  const clearSecret = (c: boolean): void => form.setFieldValue('clearSecret', c);
  return (
    <Stack gap="sm">
      <Group grow align="flex-start" wrap="nowrap">
        <TextInput label="Host" {...form.getInputProps('host')} />
        <NumberInput label="Port" min={1} max={65535} allowDecimal={false} maw={130} clampBehavior="none" {...form.getInputProps('port')} />
      </Group>
      <TextInput label="User" autoComplete="off" {...form.getInputProps('user')} />
      <TextInput label="Remote folder" placeholder="/srv/backups" {...form.getInputProps('path')} />
      <div>
        <Text size="sm" fw={500} mb={4} id="sftp-auth-label">
          Authentication
        </Text>
        <SegmentedControl
          aria-labelledby="sftp-auth-label"
          data={[
            { value: 'password', label: 'With a password' },
            { value: 'key', label: 'With a private key' },
          ]}
          {...form.getInputProps('sftpAuth')}
        />
      </div>
      {v.sftpAuth === 'password' ? (
        <SecretInput
          label="Password"
          stored={stored.password}
          value={v.password}
          onChange={(value) => form.setFieldValue('password', value)}
          cleared={v.clearSecret}
          onClearedChange={clearSecret}
          error={form.errors.password}
          description={stored.privateKey ? 'A private key is stored; a password entered here replaces it' : undefined}
        />
      ) : (
        <>
          <SecretInput
            label="Private key"
            stored={stored.privateKey}
            value={v.privateKey}
            onChange={(value) => form.setFieldValue('privateKey', value)}
            cleared={v.clearSecret}
            onClearedChange={clearSecret}
            error={form.errors.privateKey}
            storedWhat="private key"
            description={
              stored.password ? 'A password is stored; a key entered here replaces it (OpenSSH or PEM format)' : 'OpenSSH or PEM format; a new key replaces what is stored'
            }
            multiline
          />
          <SecretInput
            label="Key passphrase"
            stored={stored.passphrase}
            value={v.passphrase}
            onChange={(value) => form.setFieldValue('passphrase', value)}
            cleared={v.clearPassphrase || v.clearSecret}
            onClearedChange={(c) => form.setFieldValue('clearPassphrase', c)}
            error={form.errors.passphrase}
          />
        </>
      )}
      <Text size="xs" c="dimmed">
        The server's host key is pinned on first connection; a changed key is refused.
      </Text>
    </Stack>
  );
}
