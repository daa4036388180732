import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { KeyStatusDto } from '../../../../shared/domain/dto';
import type { AppError } from '../../../../shared/ipc/result';
import { api, asAppError } from '../../api';
import { placeErrors } from '../../lib/form-errors';
import { Section } from '../../components/Section';
import { ImportKey } from './ImportKey';
import { ResetKey } from './ResetKey';

export function KeyPanel({ status }: { status: KeyStatusDto }): ReactElement {
  return (
    <Section title="Master key" description="Every password and key Vaultdesk stores is encrypted with this key. Without it, stored credentials cannot be read.">
      <Stack gap="md">
        <Group gap="xs">
          <Text size="sm" w={110} c="dimmed">
            State
          </Text>
          <Badge color={status.state === 'ok' ? 'teal' : 'red'} variant="light" data-testid="key-state">
            {status.state === 'ok' ? 'OK' : status.state}
          </Badge>
        </Group>
        <Group gap="xs">
          <Text size="sm" w={110} c="dimmed">
            Kept in
          </Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere', flex: 1 }} data-testid="key-location">
            {status.location}
          </Text>
        </Group>
        {status.fallbackFile && status.state === 'ok' && (
          <Alert color="yellow" title="Kept in a file, not a keychain" data-testid="key-file-fallback">
            No OS keychain could be reached when this data folder was made, so its master key is in <Code>{status.fallbackFile}</Code>, readable by its user only. It
            protects the stored credentials only as well as that file is protected. Once a keychain is available, move the key into it with{' '}
            <Code>vaultdesk key move-to-keychain</Code>.
          </Alert>
        )}
        <Group gap="xs">
          <Text size="sm" w={110} c="dimmed">
            Fingerprint
          </Text>
          {status.fingerprint ? (
            <Group gap={6}>
              <Code data-testid="key-fingerprint">{status.fingerprint}</Code>
              <CopyButton value={status.fingerprint}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="subtle" onClick={copy}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              none
            </Text>
          )}
        </Group>
        {status.state !== 'ok' && (
          <Alert color="red" title="The master key is not usable" role="alert">
            {status.message}
          </Alert>
        )}
        <ExportKey />
        <RotateKey status={status} />
        <ImportKey status={status} />
        <ResetKey status={status} />
      </Stack>
    </Section>
  );
}

function ExportKey(): ReactElement {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ path: string; fingerprint: string } | null>(null);
  const exportKey = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await api.keys.export({ path }));
    } catch (err) {
      const placed = placeErrors(asAppError(err), (p) => (p === 'path' ? 'path' : null));
      setError(placed.fields.path ?? placed.general);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Export to file"
          description="Absolute path on this machine; the file is written with owner-only permissions"
          placeholder="/media/usb/vaultdesk-master-key.txt"
          value={path}
          onChange={(e) => setPath(e.currentTarget.value)}
          error={error}
          style={{ flex: 1 }}
        />
        <Button variant="default" onClick={() => void exportKey()} loading={busy} disabled={!path.trim()}>
          Export master key
        </Button>
      </Group>
      {done && (
        <Alert color="teal" title="Master key exported">
          Written to <Code>{done.path}</Code> (fingerprint <Code data-testid="exported-fingerprint">{done.fingerprint}</Code>). Keep it offline: with this
          file and a copy of the data folder, anyone can read every stored credential.
        </Alert>
      )}
    </Stack>
  );
}

function RotateKey({ status }: { status: KeyStatusDto }): ReactElement {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [result, setResult] = useState<{ fingerprint: string; secretsReencrypted: number } | null>(null);
  const rotate = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.keys.rotate({}));
      setConfirming(false);
    } catch (err) {
      setError(asAppError(err));
    } finally {
      setBusy(false);
    }
  };
  const canRotate = status.state === 'ok' && status.writable;
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" color="red" onClick={() => setConfirming(true)} disabled={!canRotate}>
          Rotate master key
        </Button>
        {!status.writable && (
          <Text size="xs" c="dimmed">
            The key comes from outside Vaultdesk; rotate it with the OS keychain or --master-key-file.
          </Text>
        )}
      </Group>
      {result && (
        <Alert color="teal" title="Master key rotated" role="status">
          New fingerprint <Code data-testid="rotated-fingerprint">{result.fingerprint}</Code>; {result.secretsReencrypted}{' '}
          {result.secretsReencrypted === 1 ? 'secret' : 'secrets'} re-encrypted. Export the new key: old exports no longer open this data folder.
        </Alert>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Rotate the master key?" size="md">
        <Stack>
          <Text size="sm">
            A new key is generated and every stored secret is re-encrypted with it in one transaction. Exports of the current key stop working for this data
            folder.
          </Text>
          {error && (
            <Alert color="red" title="Not rotated" role="alert">
              {error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void rotate()} loading={busy}>
              Rotate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
