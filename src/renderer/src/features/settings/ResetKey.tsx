import { Alert, Button, Code, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { KeyStatusDto } from '../../../../shared/domain/dto';
import type { AppError } from '../../../../shared/ipc/result';
import { api, asAppError } from '../../api';

/** The last resort when the key is lost: a new key, and every stored credential dropped. */
export function ResetKey({ status }: { status: KeyStatusDto }): ReactElement {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [result, setResult] = useState<{ fingerprint: string; secretsCleared: number } | null>(null);
  const reset = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.keys.reset({ confirm: 'RESET' }));
      setConfirming(false);
    } catch (err) {
      setError(asAppError(err));
    } finally {
      setBusy(false);
    }
  };
  const close = (): void => {
    setConfirming(false);
    setError(null);
  };
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="outline" color="red" onClick={() => setConfirming(true)} disabled={!status.writable}>
          Reset master key
        </Button>
        <Text size="xs" c="dimmed">
          Only when the key is lost and no export of it is left.
        </Text>
      </Group>
      {result && (
        <Alert color="orange" title="Master key reset" role="status">
          New fingerprint <Code data-testid="reset-fingerprint">{result.fingerprint}</Code>; {result.secretsCleared}{' '}
          {result.secretsCleared === 1 ? 'stored credential was' : 'stored credentials were'} dropped. Re-enter the passwords and keys of your sources and
          destinations; an encryption profile needs its identity or passphrase imported into a new profile.
        </Alert>
      )}
      <Modal opened={confirming} onClose={close} title="Reset the master key?" size="md">
        <Stack>
          <Text size="sm">A new master key is made, and every stored credential is dropped and must be re-entered:</Text>
          <List size="sm">
            <List.Item>database and SSH passwords, SSH private keys</List.Item>
            <List.Item>S3 secret keys, SFTP passwords and keys</List.Item>
            <List.Item>age identities and 7-Zip passphrases of encryption profiles</List.Item>
          </List>
          <Text size="sm">
            Until then, backups that need them fail. Backups already made are not touched, but those encrypted to a profile open only with a copy of its
            identity or passphrase kept elsewhere. If you have an export of the current key, import it instead.
          </Text>
          {error && (
            <Alert color="red" title="Not reset" role="alert">
              {error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void reset()} loading={busy}>
              Reset and drop every credential
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
