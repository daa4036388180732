import { Button, Group, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { JobDto } from '../../../../shared/domain/dto';
import { describeRetention } from '../../../../shared/domain/retention';
import { api } from '../../api';
import { toRetention, type JobFormValues, type RetentionValues } from './job-form';
import { RetentionPreviewTable } from './RetentionPreviewTable';
import { useDebouncedCall } from '../../lib/use-debounced-call';

const RULES: { field: keyof RetentionValues; label: string; description: string }[] = [
  { field: 'keepLast', label: 'Keep last', description: 'The newest N backups' },
  { field: 'daily', label: 'Daily', description: 'The newest backup of each of the last N days that have one' },
  { field: 'weekly', label: 'Weekly', description: 'The newest of each of the last N weeks (Monday to Sunday)' },
  { field: 'monthly', label: 'Monthly', description: 'The newest of each of the last N months' },
  { field: 'yearly', label: 'Yearly', description: 'The newest of each of the last N years' },
  { field: 'minimum', label: 'Never fewer than', description: 'The newest N stay, whatever the rules above say' },
];

/** The job's retention policy, in words, with what it would keep and delete among the backups stored now. */
export function RetentionEditor({ form, job }: { form: UseFormReturnType<JobFormValues>; job: JobDto | null }): ReactElement {
  const policy = toRetention(form.values.retention);
  const [previewing, setPreviewing] = useState(false);
  const preview = useDebouncedCall(previewing && job ? { id: job.id, retention: policy } : null, (key) => api.jobs.retentionPreview(key));
  const unsaved = job !== null && JSON.stringify(policy) !== JSON.stringify(job.retention);
  const table = useRef<HTMLDivElement>(null);
  const shown = preview.data !== null || preview.error !== null;
  // Once, when the first answer arrives: the table opens below the fold of a long section.
  useEffect(() => {
    if (shown) table.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  return (
    <Stack gap="sm">
      <Text size="sm">
        After each successful run, the backups of this job that no rule keeps are deleted from each destination, with their manifests. Pinned backups are always
        kept and do not count. Leave every rule blank to keep every backup.
      </Text>
      <SimpleGrid cols={3} spacing="sm" verticalSpacing="xs">
        {RULES.map((r) => (
          <NumberInput
            key={r.field}
            label={r.label}
            description={r.description}
            placeholder={r.field === 'minimum' ? '1' : 'not used'}
            min={r.field === 'minimum' ? 0 : 1}
            max={10000}
            allowDecimal={false}
            allowNegative={false}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.getInputProps(`retention.${r.field}`)}
          />
        ))}
      </SimpleGrid>
      <Text size="sm" data-testid="retention-words">
        <Text span fw={600}>
          Policy:{' '}
        </Text>
        {describeRetention(policy)}.
      </Text>
      {job ? (
        <Stack gap="xs">
          <Group gap="sm">
            <Button variant="light" size="xs" onClick={() => setPreviewing(true)} disabled={previewing}>
              {previewing ? 'Preview follows your changes' : 'Preview'}
            </Button>
            <Text size="xs" c="dimmed">
              {unsaved ? 'The preview uses the rules above, not saved yet: nothing is deleted until a run after you save.' : 'Nothing is deleted by a preview.'}
            </Text>
          </Group>
          <div ref={table} style={{ scrollMarginBottom: 100 }}>
            {previewing && <RetentionPreviewTable preview={preview.data} loading={preview.loading} error={preview.error} />}
          </div>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Once the job is saved and has run, Preview shows which of its backups this policy keeps and which it deletes, and why.
        </Text>
      )}
    </Stack>
  );
}
