import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type ReactElement, type ReactNode } from 'react';
import { asAppError } from '../api';
import { placeErrors } from '../lib/form-errors';

interface HostFileFormProps<T> {
  /** What the file will be and where it goes, above the path. */
  intro: ReactNode;
  description: string;
  placeholder: string;
  submitLabel: string;
  /** Asks the core to write the file at the path typed; its error is shown under the path. */
  write: (path: string) => Promise<T>;
  /** What was written, once it was. */
  written: (result: T) => ReactNode;
  onClose: () => void;
}

/**
 * A file the core writes on the machine it runs on (a backup copy, an identity): the page only
 * names the path, so nothing secret or large passes through a browser that may be elsewhere.
 */
export function HostFileForm<T>({ intro, description, placeholder, submitLabel, write, written, onClose }: HostFileFormProps<T>): ReactElement {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ value: T } | null>(null);
  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setResult({ value: await write(path.trim()) });
    } catch (err) {
      const placed = placeErrors(asAppError(err), (p) => (p === 'path' ? 'path' : null));
      setError(placed.fields.path ?? placed.general);
    } finally {
      setBusy(false);
    }
  };
  if (result) {
    return (
      <Stack gap="md">
        {written(result.value)}
        <Group justify="flex-end">
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      {intro}
      <TextInput label="File to write" description={description} placeholder={placeholder} value={path} onChange={(e) => setPath(e.currentTarget.value)} error={error} data-autofocus />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button onClick={() => void save()} loading={busy} disabled={!path.trim()}>
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}
