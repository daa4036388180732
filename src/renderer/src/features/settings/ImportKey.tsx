import { Alert, Button, Code, Group, PasswordInput, Stack } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { KeyStatusDto } from '../../../../shared/domain/dto';
import { api, asAppError } from '../../api';
import { placeErrors } from '../../lib/form-errors';

/** Puts back an exported key: pasted, so it works from a browser on another machine than `vaultdesk serve`. */
export function ImportKey({ status }: { status: KeyStatusDto }): ReactElement {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<string | null>(null);
  const importKey = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      const result = await api.keys.import({ key });
      setKey('');
      setImported(result.fingerprint);
    } catch (err) {
      const placed = placeErrors(asAppError(err), (p) => (p === 'key' ? 'key' : null));
      setError(placed.fields.key ?? placed.general);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="sm">
        <PasswordInput
          label="Import a key"
          description="Paste the key from an exported key file (one base64 line). It must be the key this data folder's credentials were encrypted with."
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={error}
          disabled={!status.writable}
          autoComplete="off"
          style={{ flex: 1 }}
        />
        <Button variant="default" onClick={() => void importKey()} loading={busy} disabled={!key.trim() || !status.writable}>
          Import master key
        </Button>
      </Group>
      {imported && (
        <Alert color="teal" title="Master key imported" role="status">
          The key <Code data-testid="imported-fingerprint">{imported}</Code> is back in the {status.source === 'file' ? 'key file' : 'key store'}; stored credentials can be read
          again.
        </Alert>
      )}
    </Stack>
  );
}
