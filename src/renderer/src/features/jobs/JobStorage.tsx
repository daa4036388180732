import { Badge, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { JobDto } from '../../../../shared/domain/dto';
import { LongText } from '../../components/LongText';
import { describeEncryption } from './job-words';

const NOT_ENCRYPTED_WHY = 'Anyone who gets the backup file can read it';

/**
 * How a job stores its backups: compression, then encryption (a job that does not encrypt says
 * so in orange). `narrow`: one small line under its destinations, for the Jobs table's narrow layout.
 */
export function JobStorage({ job, narrow = false }: { job: JobDto; narrow?: boolean }): ReactElement {
  const compression = job.compression === 'none' ? 'no compression' : job.compression;
  if (narrow) {
    return (
      <Stack gap={2} mt={2} align="flex-start">
        <LongText size="xs" c="dimmed" lines={1}>
          {job.encryption === 'none' ? compression : `${compression} · ${describeEncryption(job)}`}
        </LongText>
        {/* Words, not a badge: a badge does not wrap, and at 960 px it was wider than the cell. */}
        {job.encryption === 'none' && (
          <Text size="xs" c="orange" fw={600} title={NOT_ENCRYPTED_WHY}>
            not encrypted
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap={0}>
      <Text size="sm">{compression}</Text>
      {job.encryption === 'none' ? (
        <Badge color="orange" variant="light" w="fit-content" title={NOT_ENCRYPTED_WHY}>
          not encrypted
        </Badge>
      ) : (
        <LongText lines={2}>{describeEncryption(job)}</LongText>
      )}
    </Stack>
  );
}
