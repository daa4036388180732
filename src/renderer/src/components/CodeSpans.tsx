import { Code } from '@mantine/core';
import { Fragment, type ReactElement } from 'react';

/**
 * Text from the core in which a command is set off with backticks, as a terminal shows it
 * ("The pre-run hook `mount-nas --wait 30` exited with code 1"): the command is shown as code
 * and the marks are dropped. An odd backtick is left as it is.
 */
export function CodeSpans({ text }: { text: string }): ReactElement {
  const parts = text.split(/`([^`\n]+)`/);
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <Code key={i}>{part}</Code> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}
