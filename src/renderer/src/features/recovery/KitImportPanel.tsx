import { Alert, Button, Code, Group, List, Loader, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { KitImportDto } from '../../../../shared/domain/recovery';
import { api, asAppError } from '../../api';
import { Section } from '../../components/Section';
import { placeErrors, topLevelField } from '../../lib/form-errors';
import { useDebouncedCall } from '../../lib/use-debounced-call';
import { useLiveQuery } from '../../lib/use-live-query';
import { canDropFiles } from './dropped-path';
import { FilePathInput } from './FilePathInput';
import { importable, KitContents } from './KitContents';

/**
 * A recovery kit brought into a new install (machine rebuilt, data folder lost): each identity
 * becomes an age profile, each 7-Zip passphrase a 7-Zip profile, under the kit's name, so Vaultdesk itself restores, verifies and drills
 * the backups it made. The kit is read as soon as its path is in (keys.json, no passphrase), so
 * the form shows what it holds and asks for a passphrase only when the kit has one. The profile
 * lists elsewhere follow through `config:changed`, and so does this one's reading of the kit.
 */
export function KitImportPanel(): ReactElement {
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [picked, setPicked] = useState<{ path: string; names: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<KitImportDto | null>(null);
  // Read again whenever the profiles here change (an import, a rename elsewhere): each standing follows.
  const here = useLiveQuery(() => api.profiles.list({}), { on: ['profile'] });
  const hereKey = (here.data ?? []).map((p) => `${p.id}:${p.name}`).join(',');
  const inspection = useDebouncedCall(path.trim() ? { path: path.trim(), hereKey } : null, (key) => api.recovery.inspectKit({ path: key.path }), 400);
  const kit = inspection.error ? null : inspection.data;
  const newNames = kit ? kit.profiles.filter(importable).map((p) => p.name) : [];
  const chosen = kit && picked?.path === kit.path ? picked.names.filter((n) => newNames.includes(n)) : newNames;

  const importKit = async (): Promise<void> => {
    if (!kit) return;
    setBusy(true);
    setFields({});
    setFailure(null);
    setDone(null);
    try {
      // Every new one: no list, so the result also names what is here already and what was left out.
      const profiles = chosen.length === newNames.length ? undefined : chosen;
      setDone(await api.recovery.importKit({ path: kit.path, passphrase: kit.passphraseProtected ? passphrase : undefined, profiles }));
      setPassphrase('');
    } catch (err) {
      const error = asAppError(err);
      // Only the input check's issues go under the fields; the core's refusals (a wrong passphrase,
      // a damaged kit) concern the whole kit, and the alert says that nothing was imported.
      const placed = Array.isArray(error.details?.issues) ? placeErrors(error, topLevelField('path', 'passphrase')) : { fields: {}, general: error.message };
      setFields(placed.fields);
      setFailure(placed.general);
    } finally {
      setBusy(false);
    }
  };
  const pathError = fields.path ?? (inspection.error && !inspection.loading ? inspection.error.message : undefined);
  return (
    <Section
      title="Import a recovery kit"
      description="Makes an encryption profile of each identity and 7-Zip passphrase in the kit, so this install restores, verifies and drills the backups they made. Nothing here is replaced."
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
            onPath={(next) => {
              setPath(next);
              setDone(null);
              setFailure(null);
              setFields({});
            }}
            error={pathError}
            rightSection={inspection.loading ? <Loader size="xs" aria-label="Reading the kit" /> : null}
          />
          {kit && <KitContents kit={kit} chosen={chosen} onChosen={(names) => setPicked({ path: kit.path, names })} />}
          {kit && newNames.length === 0 && (
            <Text size="sm" data-testid="kit-nothing-new">
              Nothing to import: each profile of this kit is here already, or a profile here with another key or passphrase has its name.
            </Text>
          )}
          {kit?.passphraseProtected && newNames.length > 0 && (
            <PasswordInput
              label="Kit passphrase"
              description="The one the kit was exported with"
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              error={fields.passphrase}
              autoComplete="off"
            />
          )}
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
            <Button type="submit" loading={busy} disabled={!kit || chosen.length === 0 || (kit.passphraseProtected && !passphrase)}>
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
              {p.name} {p.recipient ? <Code>{p.recipient}</Code> : '(7-Zip passphrase)'}
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
          Left out, because a profile here with another key or passphrase has the name:{' '}
          {done.clashes.map((p) => (p.profile === p.name ? `"${p.name}"` : `"${p.name}" (here: "${p.profile}")`)).join(', ')}. Rename that profile in Settings →
          Encryption profiles (its Edit… action) or with <Code>vaultdesk profile rename</Code>, then import the kit again.
        </Text>
      )}
    </Alert>
  );
}
