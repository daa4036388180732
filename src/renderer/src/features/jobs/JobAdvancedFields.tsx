import { Code, NumberInput, Stack, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactElement } from 'react';
import { describeLevels, LEVEL_RANGE } from '../../../../shared/domain/compression-levels';
import type { JobFormValues } from './job-form';

const LEVELS = {
  zstd: `${describeLevels('zstd')}: 1 is the fastest, ${LEVEL_RANGE.zstd[1]} the smallest`,
  gzip: describeLevels('gzip'),
  none: 'No compression: no level',
} as const;

/** What most jobs never change: the time limit, where objects go inside a destination, the compression level. */
export function JobAdvancedFields({ form }: { form: UseFormReturnType<JobFormValues> }): ReactElement {
  const compression = form.values.compression;
  const range = compression === 'none' ? null : LEVEL_RANGE[compression];
  return (
    <Stack gap="sm">
      <NumberInput
        label="Time limit (minutes)"
        description="A run still going after this is cancelled, and what it stored is cleaned up"
        placeholder="no limit"
        min={1}
        max={7 * 24 * 60}
        allowDecimal={false}
        maw={320}
        {...form.getInputProps('timeoutMinutes')}
      />
      <TextInput
        label="Object name prefix"
        description={
          <>
            The folder inside each destination; <Code>{'{environment}'}</Code>, <Code>{'{database}'}</Code>, <Code>{'{job}'}</Code> and <Code>{'{source}'}</Code> are
            filled in, and the job's name and the time follow.
          </>
        }
        placeholder="{environment}/{database}/"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        spellCheck={false}
        autoComplete="off"
        {...form.getInputProps('prefix')}
      />
      <NumberInput
        label="Compression level"
        description={form.values.encryption === '7z' ? "7-Zip compresses inside its archive: no level here" : LEVELS[compression]}
        placeholder="default"
        min={range?.[0]}
        max={range?.[1]}
        allowDecimal={false}
        disabled={compression === 'none' || form.values.encryption === '7z'}
        maw={320}
        {...form.getInputProps('compressionLevel')}
      />
    </Stack>
  );
}
