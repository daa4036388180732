import { TextInput, type TextInputProps } from '@mantine/core';
import type { ReactElement } from 'react';
import { droppedPath } from './dropped-path';

type Props = Omit<TextInputProps, 'value' | 'onChange' | 'onDrop' | 'onDragOver'> & {
  value: string;
  /** Called with what is typed, or with the path of a file dropped on the field (desktop app only). */
  onPath: (path: string) => void;
};

/** A path on the machine Vaultdesk runs on, typed, or filled in by a file dropped on it where the host can tell its path (dropped-path.ts). */
export function FilePathInput({ onPath, ...props }: Props): ReactElement {
  return (
    <TextInput
      {...props}
      onChange={(e) => onPath(e.currentTarget.value)}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const dropped = droppedPath(e);
        if (!dropped) return;
        e.preventDefault();
        onPath(dropped);
      }}
    />
  );
}
