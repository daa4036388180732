import { Button, Group, Input, PasswordInput, Text } from '@mantine/core';
import { useState, type ReactElement, type ReactNode } from 'react';

export interface WriteOnlyUrlProps {
  label: string;
  description: string;
  /** A URL is stored; only its host is known here. */
  stored: boolean;
  host: string | null;
  value: string;
  onChange: (value: string) => void;
  remove: boolean;
  onRemoveChange: (remove: boolean) => void;
  error?: ReactNode;
}

/**
 * A URL that carries its credential (a Slack webhook, a Healthchecks ping): it never comes back
 * from the core. A stored one shows as its host, with Replace and Remove; a new one is typed.
 */
export function WriteOnlyUrl(props: WriteOnlyUrlProps): ReactElement {
  const { label, description, stored, host, value, remove, error } = props;
  const [replacing, setReplacing] = useState(false);
  const input = (
    <PasswordInput
      label={label}
      description={description}
      placeholder="https://…"
      autoComplete="off"
      spellCheck={false}
      value={value}
      error={error}
      onChange={(event) => props.onChange(event.currentTarget.value)}
    />
  );
  if (!stored) return input;
  if (replacing) {
    return (
      <div>
        {input}
        <Button
          variant="subtle"
          size="compact-xs"
          mt={4}
          onClick={() => {
            props.onChange('');
            setReplacing(false);
          }}
        >
          Keep the stored URL
        </Button>
      </div>
    );
  }
  return (
    <Input.Wrapper label={label} description={description} error={error}>
      <Group gap="sm" mt={4} wrap="nowrap">
        <Text size="sm" data-testid={`${label} state`} style={{ overflowWrap: 'anywhere' }}>
          {remove ? 'will be removed when you save' : `set (${host ?? 'host unknown'})`}
        </Text>
        {remove ? (
          <Button variant="default" size="compact-sm" onClick={() => props.onRemoveChange(false)}>
            Keep it
          </Button>
        ) : (
          <>
            <Button variant="default" size="compact-sm" onClick={() => setReplacing(true)} aria-label={`Replace ${label}`}>
              Replace
            </Button>
            <Button variant="default" color="red" size="compact-sm" onClick={() => props.onRemoveChange(true)} aria-label={`Remove ${label}`}>
              Remove
            </Button>
          </>
        )}
      </Group>
    </Input.Wrapper>
  );
}
