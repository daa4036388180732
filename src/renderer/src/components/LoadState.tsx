import { Alert, Button, Center, Loader, Paper, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { AppError } from '../../../shared/ipc/result';
import { errorHeadline } from '../lib/error-words';

/** What a list shows while it has nothing to show: loading, an error it could not load, or empty (with `next`, a link to the page where that changes). */
export function LoadState({
  loading,
  error,
  empty,
  onRetry,
  next,
}: {
  loading: boolean;
  error: AppError | null;
  empty: string;
  onRetry: () => void;
  next?: { label: string; href: string } | undefined;
}): ReactElement {
  if (error) {
    return (
      <Alert color="red" title={`Could not load: ${errorHeadline(error.code)}`} role="alert">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {error.message}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" mb="xs">
          {error.code}
        </Text>
        <Button size="xs" variant="light" color="red" onClick={onRetry}>
          Try again
        </Button>
      </Alert>
    );
  }
  if (loading) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Loading" />
      </Center>
    );
  }
  return (
    <Paper withBorder p="xl" ta="center">
      <Text c="dimmed">{empty}</Text>
      {next && (
        <Button component="a" href={next.href} size="xs" mt="md">
          {next.label}
        </Button>
      )}
    </Paper>
  );
}
