import { Text, Tooltip, type MantineColor, type MantineSize } from '@mantine/core';
import { useRef, useState, type ReactElement } from 'react';

export interface LongTextProps {
  children: string;
  /** Lines shown before the rest is cut with an ellipsis. */
  lines?: number;
  mono?: boolean;
  size?: MantineSize;
  c?: MantineColor;
  fw?: number;
  'data-testid'?: string;
}

/**
 * A value of any length (a host name, a path, a list of jobs) in a table cell: it wraps anywhere
 * rather than widening the table, and past `lines` lines it is cut, with the whole value in a
 * tooltip when the pointer is on it. Screen readers read the whole value either way.
 */
export function LongText({ children, lines = 2, mono = false, size = 'sm', c, fw, 'data-testid': testId }: LongTextProps): ReactElement {
  const ref = useRef<HTMLParagraphElement>(null);
  const [open, setOpen] = useState(false);
  const cut = (): boolean => {
    const el = ref.current;
    return el !== null && el.scrollHeight > el.clientHeight + 1;
  };
  return (
    <Tooltip label={children} opened={open} multiline maw={520} style={{ overflowWrap: 'anywhere' }} position="bottom-start">
      <Text
        ref={ref}
        size={size}
        c={c}
        fw={fw}
        ff={mono ? 'monospace' : undefined}
        lineClamp={lines}
        style={{ overflowWrap: 'anywhere' }}
        onMouseEnter={() => setOpen(cut())}
        onMouseLeave={() => setOpen(false)}
        data-testid={testId}
      >
        {children}
      </Text>
    </Tooltip>
  );
}
