import { Alert, Button, Code, Group, List, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { KitImportDto } from '../../../../shared/domain/recovery';
import { api, asAppError } from '../../api';
import { Section } from '../../components/Section';
import { placeErrors, topLevelField } from '../../lib/form-errors';
import { canDropFiles } from './dropped-path';
import { FilePathInput } from './FilePathInput';

/**
 * A recovery kit brought into a new install (machine rebuilt, data folder lost): each identity
 * becomes an age profile under the kit's name, so Vaultdesk itself restores, verifies and drills
 * the backups it made. The profile lists elsewhere follow through `config:changed`.
 */
export function KitImportPanel(): ReactElement {
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<KitImportDto | null>(null);
  const importKit = async (): Promise<void> => {
    setBusy(true);
    setFields({});
    setFailure(null);
    setDone(null);
    try {
      setDone(await api.recovery.importKit({ path: path.trim(), passphrase: passphrase || undefined }));
    } catch (err) {
      const error = asAppError(err);
      // Only the input check's issues go under the fields; the core's refusals (a wrong passphrase,
      // not a kit) concern the whole kit, and the alert says that nothing was imported.
      const placed = Array.isArray(error.details?.issues) ? placeErrors(error, topLevelField('path', 'passphrase')) : { fields: {}, general: error.message };
      setFields(placed.fields);
      setFailure(placed.general);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section
      title="Import a recovery kit"
      description="Makes an encryption profile of each identity in the kit, so this install restores, verifies and drills the backups they made. Nothing here is replaced."
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void importKit();
        }}
      >
        <Stack gap="sm">
          <FilePathInput
            label="Recovery kit"
            description={`Absolute path of the kit (.zip) on the machine Vaultdesk runs on${canDropFiles() ? '. Or drop the file here.' : ''}`}
            placeholder="/media/usb/vaultdesk-recovery-kit.zip"
            value={path}
            onPath={setPath}
            error={fields.path}
          />
          <PasswordInput
            label="Passphrase (optional)"
            description="The one the kit was exported with; empty for a kit without one"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            error={fields.passphrase}
            autoComplete="off"
          />
          {failure && (
            <Alert color="red" title="Kit not imported" role="alert" data-testid="kit-import-failure">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {failure}
              </Text>
              <Text size="sm" mt={4}>
                Nothing was imported.
              </Text>
            </Alert>
          )}
          {done && <KitImported done={done} />}
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={!path.trim()}>
              Import kit
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function KitImported({ done }: { done: KitImportDto }): ReactElement {
  return (
    <Alert color={done.clashes.length > 0 ? 'yellow' : 'teal'} title={done.created.length > 0 ? 'Recovery kit imported' : 'Nothing imported from the kit'} role="status" data-testid="kit-imported">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        <Code>{done.path}</Code>, {done.passphraseProtected ? 'protected by a passphrase' : 'not passphrase-protected'}.{' '}
        {done.created.length > 0 ? 'Imported as encryption profiles:' : 'No profile was made from it.'}
      </Text>
      {done.created.length > 0 && (
        <List size="sm" mt={4}>
          {done.created.map((p) => (
            <List.Item key={p.id} style={{ overflowWrap: 'anywhere' }}>
              {p.name} <Code>{p.recipient}</Code>
            </List.Item>
          ))}
        </List>
      )}
      {done.present.length > 0 && (
        <Text size="sm" mt="xs" style={{ overflowWrap: 'anywhere' }}>
          Already here, kept as they are:{' '}
          {done.present.map((p) => (p.profile === p.name ? `"${p.name}"` : `"${p.name}" (as profile "${p.profile}")`)).join(', ')}.
        </Text>
      )}
      {done.clashes.length > 0 && (
        <Text size="sm" mt="xs" style={{ overflowWrap: 'anywhere' }}>
          Left out, because a profile here with another recipient has the name:{' '}
          {done.clashes.map((p) => (p.profile === p.name ? `"${p.name}"` : `"${p.name}" (here: "${p.profile}")`)).join(', ')}. Rename that profile in Settings →
          Encryption profiles (its Edit… action) or with <Code>vaultdesk profile rename</Code>, then import the kit again.
        </Text>
      )}
    </Alert>
  );
}
