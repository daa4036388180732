import { Alert, Button, Group, Stack } from '@mantine/core';
import type { ReactElement } from 'react';

/** Cancel / submit, with the error that belongs to no single field above them. */
export function FormFooter({ general, busy, submitLabel, onCancel }: { general: string | null; busy: boolean; submitLabel: string; onCancel: () => void }): ReactElement {
  return (
    <Stack gap="sm" mt="md">
      {general && (
        <Alert color="red" title="Not saved" role="alert">
          {general}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" loading={busy}>
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}
