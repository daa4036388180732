import { Badge, Tooltip, UnstyledButton } from '@mantine/core';
import type { ReactElement } from 'react';
import { api } from '../api';
import { useLiveQuery } from '../lib/use-live-query';

/** Always visible: a DBA should notice at once when the master key does not open the store. */
export function KeyStatusBadge({ onOpenSettings }: { onOpenSettings: () => void }): ReactElement | null {
  const { data } = useLiveQuery(() => api.keys.status({}));
  if (!data) return null;
  const ok = data.state === 'ok';
  return (
    <Tooltip label={data.message} multiline w={320}>
      <UnstyledButton onClick={onOpenSettings} aria-label={`Master key: ${ok ? 'OK' : data.state}. Open settings`}>
        <Badge color={ok ? 'teal' : 'red'} variant={ok ? 'light' : 'filled'}>
          {ok ? 'Master key OK' : data.state === 'missing' ? 'Master key missing' : 'Master key does not match'}
        </Badge>
      </UnstyledButton>
    </Tooltip>
  );
}
