import { Alert, Group, Loader, Text } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { errorHeadline } from '../lib/error-words';
import { CodeSpans } from './CodeSpans';

export interface TestOutcomeProps {
  loading: boolean;
  /** What is being tried, for the waiting line: "Connecting to crm…". */
  pending: string;
  /** The call itself failed: the core's error, in words. */
  error: AppError | null;
  /** The call answered: did the test pass, and what did it find. */
  result: { success: boolean; title: string; message: string } | null;
  children?: ReactNode;
}

/** The outcome of a connection test: waiting, passed, failed (with the core's reason). */
export function TestOutcome({ loading, pending, error, result, children }: TestOutcomeProps): ReactElement | null {
  if (loading) {
    return (
      <Group gap="xs" py="sm">
        <Loader size="xs" />
        <Text size="sm">{pending}</Text>
      </Group>
    );
  }
  if (error) {
    return (
      <Alert color="red" title={errorHeadline(error.code)} role="alert">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <CodeSpans text={error.message} />
        </Text>
        <Text size="xs" c="dimmed" mt={4} ff="monospace">
          {error.code}
        </Text>
      </Alert>
    );
  }
  if (!result) return null;
  return (
    <Alert color={result.success ? 'teal' : 'red'} title={result.title} role="status">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        <CodeSpans text={result.message} />
      </Text>
      {children}
    </Alert>
  );
}
