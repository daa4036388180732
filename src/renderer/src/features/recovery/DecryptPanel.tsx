import { Alert, Button, Checkbox, Code, Group, PasswordInput, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { RecoveryDecryptDto } from '../../../../shared/domain/recovery';
import { api, asAppError, onEvent } from '../../api';
import { Section } from '../../components/Section';
import { errorHeadline } from '../../lib/error-words';
import { placeErrors } from '../../lib/form-errors';
import { formatBytes, formatMiB } from '../../lib/format';
import { decryptFailureHeadline, decryptField, suggestedOutput } from './decrypt-words';
import { canDropFiles } from './dropped-path';
import { FilePathInput } from './FilePathInput';

interface Failure {
  headline: string;
  message: string;
}

/**
 * Offline decryption, as `vaultdesk decrypt` does it: a backup file, an identity file or recovery
 * kit (or a passphrase), and where to write the result, all on the machine Vaultdesk runs on.
 * It uses none of this install's profiles, so it also proves a kit works before it is needed.
 */
export function DecryptPanel(): ReactElement {
  const [file, setFile] = useState('');
  const [identity, setIdentity] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [out, setOut] = useState('');
  const [decompress, setDecompress] = useState(true);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ bytes: number; total: number } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<RecoveryDecryptDto | null>(null);

  useEffect(() => {
    if (!busy) return;
    const wanted = file.trim();
    return onEvent('recovery:decryptProgress', (p) => {
      if (p.file === wanted) setProgress({ bytes: p.bytes, total: p.total });
    });
  }, [busy, file]);

  const decrypt = async (): Promise<void> => {
    setBusy(true);
    setFields({});
    setFailure(null);
    setDone(null);
    setProgress(null);
    try {
      setDone(
        await api.recovery.decrypt({
          file: file.trim(),
          identity: identity.trim() || undefined,
          passphrase: passphrase || undefined,
          out: out.trim() || suggestedOutput(file, decompress),
          decompress,
        }),
      );
    } catch (err) {
      const error = asAppError(err);
      const kind = decryptFailureHeadline(error.details?.failure);
      const placed = kind ? { fields: {}, general: error.message } : placeErrors(error, decryptField);
      setFields(placed.fields);
      if (placed.general) setFailure({ headline: kind ?? errorHeadline(error.code), message: placed.general });
    } finally {
      setBusy(false);
    }
  };
  const percent = progress && progress.total > 0 ? Math.min(100, (progress.bytes / progress.total) * 100) : 0;
  return (
    <Section
      title="Decrypt a backup file"
      description="Opens a downloaded backup with a recovery kit, an identity file or a passphrase, without this install's profiles: what you would do after losing this machine. The files are on the machine Vaultdesk runs on."
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void decrypt();
        }}
      >
        <Stack gap="sm">
          <FilePathInput
            label="Backup file"
            description={`Absolute path of the .age (or .7z) file; a manifest beside it is checked too${canDropFiles() ? '. Or drop the file here.' : ''}`}
            placeholder="/srv/backups/shop/shop/20261130T020000Z.dump.zst.age"
            value={file}
            onPath={setFile}
            error={fields.file}
          />
          <FilePathInput
            label="Recovery kit or identity file"
            description="A kit (.zip; for a .7z file, each of its 7-Zip passphrases is tried), an identity file (AGE-SECRET-KEY-1…) or a passphrase-protected identity (.age); empty for a file encrypted to a passphrase"
            placeholder="/media/usb/vaultdesk-recovery-kit.zip"
            value={identity}
            onPath={setIdentity}
            error={fields.identity}
          />
          <PasswordInput
            label="Passphrase (optional)"
            description="Of the kit or identity above, or, without one, of the file itself (age or 7-Zip)"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            error={fields.passphrase}
            autoComplete="off"
          />
          <TextInput
            label="Write the result to"
            description="Absolute path; written only once the whole file decrypted, and never over an existing file"
            placeholder={file.trim() ? suggestedOutput(file, decompress) : '/srv/restore/shop.dump'}
            value={out}
            onChange={(e) => setOut(e.currentTarget.value)}
            error={fields.out}
          />
          <Checkbox label="Decompress (zstd or gzip) after decrypting" checked={decompress} onChange={(e) => setDecompress(e.currentTarget.checked)} />
          {busy && (
            <Stack gap={4} role="status">
              <Progress value={percent} aria-label="Decrypted so far" animated={!progress} />
              <Text size="xs" c="dimmed">
                {progress ? `${formatMiB(progress.bytes)} of ${formatMiB(progress.total)} read` : 'Opening the keys…'}
              </Text>
            </Stack>
          )}
          {failure && (
            <Alert color="red" title={`Not decrypted: ${failure.headline}`} role="alert" data-testid="decrypt-failure">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {failure.message}
              </Text>
              <Text size="sm" mt={4}>
                Nothing was written.
              </Text>
            </Alert>
          )}
          {done && (
            <Alert color="teal" title="Decrypted" role="status" data-testid="decrypt-done">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {formatBytes(done.bytes)} written to <Code data-testid="decrypted-path">{done.path}</Code>
                {done.decompressed !== 'none' ? ` (${done.decompressed} decompressed)` : ''}, opened with {done.openedWith}.{' '}
                {done.verifiedAgainstManifest ? 'Its sha256 matches the manifest beside it.' : 'No manifest beside it: only the encryption’s own authentication was checked.'}
              </Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={!file.trim()}>
              Decrypt
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
