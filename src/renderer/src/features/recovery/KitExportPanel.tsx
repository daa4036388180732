import { Alert, Button, Code, Group, List, MultiSelect, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { MIN_NEW_PASSPHRASE, type KitExportDto } from '../../../../shared/domain/recovery';
import { api, asAppError } from '../../api';
import { Section } from '../../components/Section';
import { placeErrors, topLevelField } from '../../lib/form-errors';
import { useLiveQuery } from '../../lib/use-live-query';
import { kindWord } from './kit-words';

/**
 * The recovery kit: the age profiles' identities and the 7-Zip profiles' passphrases in one zip,
 * with a README for the standard tools, written on the host. A passphrase (typed twice: a typo
 * here locks the kit for good) wraps them with age's scrypt.
 */
export function KitExportPanel(): ReactElement {
  const profiles = useLiveQuery(() => api.profiles.list({}));
  const stored = (profiles.data ?? []).filter((p) => p.hasSecret);
  // Said before anything is typed: the export would only refuse it.
  const none = profiles.data !== undefined && stored.length === 0;
  const [chosen, setChosen] = useState<string[]>([]);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ fields: Record<string, string>; general: string | null }>({ fields: {}, general: null });
  const [done, setDone] = useState<KitExportDto | null>(null);
  const mismatch = again !== '' && passphrase !== again;
  const tooShort = passphrase !== '' && passphrase.length < MIN_NEW_PASSPHRASE;
  const exportKit = async (): Promise<void> => {
    setBusy(true);
    setErrors({ fields: {}, general: null });
    setDone(null);
    try {
      setDone(await api.recovery.exportKit({ path: path.trim(), profileIds: chosen.length ? chosen : undefined, passphrase: passphrase || undefined }));
    } catch (err) {
      setErrors(placeErrors(asAppError(err), topLevelField('path', 'passphrase', 'profileIds')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section
      title="Recovery kit"
      description="A zip with the identities of your age profiles and the passphrases of your 7-Zip profiles, an index and a README showing how to decrypt with age, 7-Zip or vaultdesk decrypt: what you need when this machine or its data folder is gone. It is proven on a test file before it is written."
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void exportKit();
        }}
      >
        <Stack gap="sm">
          {none && (
            <Alert color="gray" data-testid="kit-no-profile">
              No encryption profile with its identity or passphrase yet, so there is nothing to put in a kit. Add one in Settings, under Encryption profiles, and use it in your jobs: every backup encrypted with it can then be opened with the kit.
            </Alert>
          )}
          <MultiSelect
            label="Profiles"
            description="Leave empty for every profile, age and 7-Zip"
            placeholder={chosen.length ? undefined : 'Every profile'}
            data={stored.map((p) => ({ value: p.id, label: `${p.name} (${kindWord(p.kind)})` }))}
            value={chosen}
            onChange={setChosen}
            error={errors.fields.profileIds}
            clearable
          />
          <Group grow align="flex-start">
            <PasswordInput
              label="Passphrase (optional)"
              description={`Wraps the identities and 7-Zip passphrases; at least ${MIN_NEW_PASSPHRASE} characters. Keep it apart from the kit.`}
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              error={tooShort ? `At least ${MIN_NEW_PASSPHRASE} characters` : errors.fields.passphrase}
              autoComplete="new-password"
            />
            <PasswordInput
              label="Passphrase again"
              description="Typed twice: a kit with a mistyped passphrase cannot be opened"
              value={again}
              onChange={(e) => setAgain(e.currentTarget.value)}
              error={mismatch ? 'The two passphrases differ' : null}
              autoComplete="new-password"
            />
          </Group>
          <TextInput
            label="Kit file to write"
            description="Absolute path on the machine Vaultdesk runs on (written readable by its user only)"
            placeholder="/media/usb/vaultdesk-recovery-kit.zip"
            value={path}
            onChange={(e) => setPath(e.currentTarget.value)}
            error={errors.fields.path}
          />
          {errors.general && (
            <Alert color="red" title="No kit written" role="alert">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {errors.general}
              </Text>
            </Alert>
          )}
          {done && (
            <Alert color="teal" title="Recovery kit written" role="status" data-testid="kit-written">
              <Text size="sm">
                <Code data-testid="kit-path">{done.path}</Code>, {done.passphraseProtected ? 'protected by the passphrase' : 'not passphrase-protected'}, on the machine
                Vaultdesk runs on. Keep it offline and apart from the backups.
              </Text>
              <List size="sm" mt="xs">
                {done.profiles.map((p) => (
                  <List.Item key={p.id}>
                    {p.name} {p.recipient ? <Code>{p.recipient}</Code> : '(7-Zip passphrase)'}
                  </List.Item>
                ))}
              </List>
              {done.profiles.some((p) => p.kind === '7z') && (
                <Text size="sm" mt="xs" data-testid="kit-7z-proof">
                  {done.sevenZipTestedWith
                    ? `Each 7-Zip passphrase opened a test archive made by ${done.sevenZipTestedWith}.`
                    : 'No 7-Zip was found here: each 7-Zip passphrase was read back from the kit and compared with the stored one, but not tried on a test archive.'}
                </Text>
              )}
              {done.skipped.length > 0 && (
                <Text size="sm" mt="xs" c="red">
                  Left out (their identity or passphrase is no longer stored): {done.skipped.map((p) => p.name).join(', ')}.
                </Text>
              )}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={busy} disabled={none || !path.trim() || mismatch || tooShort || (passphrase !== '' && again === '')}>
              Export kit
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
