import { Button, Group, PasswordInput, Text, Textarea } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';

export interface SecretInputProps {
  label: string;
  /** A value is already stored: blank keeps it. */
  stored: boolean;
  value: string;
  onChange: (value: string) => void;
  cleared: boolean;
  onClearedChange: (cleared: boolean) => void;
  error?: ReactNode;
  description?: string;
  /** Private keys are pasted as several lines. */
  multiline?: boolean;
  /** What is stored, when it is not simply the label (SFTP keeps a password or a key). */
  storedWhat?: string;
}

/**
 * A write-only secret. The stored value never reaches the page: the field starts empty and
 * says whether something is stored; the DBA can replace it, keep it, or clear it.
 */
export function SecretInput(props: SecretInputProps): ReactElement {
  const { label, stored, value, cleared, error, multiline } = props;
  const what = props.storedWhat ?? label.toLowerCase();
  const placeholder = cleared ? 'will be removed when you save' : stored ? 'stored — leave blank to keep' : undefined;
  const common = {
    label,
    value: cleared ? '' : value,
    disabled: cleared,
    placeholder,
    error,
    description: props.description,
    autoComplete: 'new-password',
    spellCheck: false,
    onChange: (event: { currentTarget: { value: string } }) => props.onChange(event.currentTarget.value),
  };
  return (
    <div>
      {multiline ? <Textarea {...common} autosize minRows={3} maxRows={8} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} /> : <PasswordInput {...common} />}
      {stored && (
        <Group gap={6} mt={4}>
          <Text size="xs" c="dimmed">
            {cleared ? `The stored ${what} will be removed.` : `A ${what} is stored.`}
          </Text>
          {/* A button of 26 px, not a text link: WCAG 2.2 wants 24 px targets, and it acts rather than goes. */}
          <Button
            size="compact-sm"
            variant="subtle"
            color={cleared ? undefined : 'red'}
            onClick={() => {
              props.onClearedChange(!cleared);
              props.onChange('');
            }}
          >
            {cleared ? 'Keep it' : `Clear stored ${what}`}
          </Button>
        </Group>
      )}
    </div>
  );
}
