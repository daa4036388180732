import { Alert, Box, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import { CodeSpans } from './CodeSpans';

export interface FormFooterProps {
  general: string | null;
  busy: boolean;
  submitLabel: string;
  onCancel: () => void;
  /** What the form is doing while busy ("Testing the connection before saving…"). */
  busyText?: string;
  /** A test on save failed: what it said. With `onSaveAnyway`, the form offers to save untested. */
  testFailure?: string | null;
  onSaveAnyway?: () => void;
}

/**
 * Stuck to the bottom of the dialog, which scrolls under it: however long the form (a source
 * over SSH, an S3 bucket, a job's sections), its buttons are in view at 1280x800 without scrolling.
 */
const STICKY = {
  position: 'sticky',
  bottom: 0,
  zIndex: 2,
  background: 'var(--mantine-color-body)',
  borderTop: '1px solid var(--mantine-color-default-border)',
  marginTop: 'var(--mantine-spacing-md)',
  paddingTop: 'var(--mantine-spacing-sm)',
  paddingBottom: 'var(--mantine-spacing-md)',
  marginBottom: 'calc(var(--mantine-spacing-md) * -1)',
} as const;

/** Cancel / submit, with the error that belongs to no single field above them. */
export function FormFooter({ general, busy, submitLabel, onCancel, busyText, testFailure, onSaveAnyway }: FormFooterProps): ReactElement {
  return (
    <Box style={STICKY} data-testid="form-footer">
      <Stack gap="sm">
        {general && (
          <Alert color="red" title="Not saved" role="alert">
            {general}
          </Alert>
        )}
        {testFailure && (
          <Alert color="red" title="Not saved: the test failed" role="alert" data-testid="test-on-save-failure">
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              <CodeSpans text={testFailure} />
            </Text>
            <Text size="sm" mt="xs">
              Fix the settings and save again, or save them as they are if you know why (a server down for maintenance): the entry is then marked not tested until a
              test passes.
            </Text>
            {onSaveAnyway && (
              <Button mt="xs" size="compact-sm" variant="default" onClick={onSaveAnyway} disabled={busy}>
                Save anyway
              </Button>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          {busy && busyText && (
            <Group gap="xs" mr="auto" role="status">
              <Loader size="xs" />
              <Text size="sm">{busyText}</Text>
            </Group>
          )}
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </Box>
  );
}
