import { Checkbox, Group, NumberInput, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactElement } from 'react';
import type { S3Provider } from '../../../../shared/domain/dto';
import { SecretInput } from '../../components/SecretInput';
import type { DestinationFormValues } from './destination-form';
import { presetEndpoint, providerInfo, S3_PROVIDERS } from './s3-providers';

/** The fields each S3 provider needs; the preset fills in the rest (endpoint, region, addressing). */
export function S3Fields({ form, secretStored }: { form: UseFormReturnType<DestinationFormValues>; secretStored: boolean }): ReactElement {
  const v = form.values;
  const info = providerInfo(v.provider);
  const derived = presetEndpoint(v.provider, v.region, v.account);
  return (
    <Stack gap="sm">
      <Select
        label="Provider"
        data={S3_PROVIDERS.map((p) => ({ value: p.value, label: p.label }))}
        allowDeselect={false}
        {...form.getInputProps('provider')}
        onChange={(value) => {
          if (!value) return;
          const next = providerInfo(value as S3Provider);
          form.setValues({ provider: next.value, pathStyle: next.pathStyle });
        }}
      />
      {info.endpoint === 'required' && (
        <TextInput label="Endpoint" placeholder="http://127.0.0.1:9000" description="URL of the S3 API" {...form.getInputProps('endpoint')} />
      )}
      {info.account && (
        <TextInput label="Account ID" description="The first part of {account}.r2.cloudflarestorage.com" {...form.getInputProps('account')} />
      )}
      {info.region !== 'none' && (
        <TextInput
          label="Region"
          placeholder={info.regionPlaceholder}
          description={derived ? `Endpoint: ${derived}` : info.region === 'required' ? 'Required for this provider' : undefined}
          {...form.getInputProps('region')}
        />
      )}
      {info.region === 'none' && derived && <TextInput label="Endpoint" value={derived} readOnly variant="filled" />}
      <Group grow align="flex-start">
        <TextInput label="Bucket" {...form.getInputProps('bucket')} />
        <TextInput label="Prefix" placeholder="backups/" description="Folder inside the bucket (optional)" {...form.getInputProps('prefix')} />
      </Group>
      <TextInput label="Access key ID" description="Leave blank to use the AWS default credential chain" autoComplete="off" {...form.getInputProps('accessKeyId')} />
      <SecretInput
        label="Secret access key"
        stored={secretStored}
        value={v.secretAccessKey}
        onChange={(value) => form.setFieldValue('secretAccessKey', value)}
        cleared={v.clearSecret}
        onClearedChange={(c) => form.setFieldValue('clearSecret', c)}
        error={form.errors.secretAccessKey}
      />
      <TextInput
        label="Public endpoint"
        placeholder="https://files.example.com"
        description="Used for download links, when the bucket is reached under another address (optional)"
        {...form.getInputProps('publicEndpoint')}
      />
      <TagsInput
        label="Buckets to check"
        description="For bucket-scoped keys that cannot list buckets: the connection test checks these (optional)"
        {...form.getInputProps('buckets')}
      />
      <Group grow align="flex-end">
        <NumberInput label="Part size (MiB)" min={5} max={5120} allowDecimal={false} maw={180} {...form.getInputProps('partSizeMiB')} />
        <Checkbox label="Path-style addressing" description="endpoint/bucket/key instead of bucket.endpoint/key" {...form.getInputProps('pathStyle', { type: 'checkbox' })} />
      </Group>
    </Stack>
  );
}
