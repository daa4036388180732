import { Alert, Button, Checkbox, Code, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { systemCountsWords } from '../../../../shared/domain/system';
import { MIN_NEW_PASSPHRASE } from '../../../../shared/domain/recovery';
import { api, asAppError } from '../../api';
import { Section } from '../../components/Section';
import { errorHeadline } from '../../lib/error-words';


type Outcome = { ok: true; text: string; path: string; testId: string } | { ok: false; title: string; text: string } | null;

function OutcomeAlert({ outcome }: { outcome: Outcome }): ReactElement | null {
  if (!outcome) return null;
  if (!outcome.ok) {
    return (
      <Alert color="red" title={outcome.title} role="alert">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {outcome.text}
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="teal" role="status" data-testid={outcome.testId}>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        <Code>{outcome.path}</Code>: {outcome.text}
      </Text>
    </Alert>
  );
}

/**
 * The whole configuration (sources, destinations, jobs, profiles, every secret) as one age file
 * to a passphrase, and its import into a new install: what a reinstall needs besides the backups.
 */
export function SystemBackupPanel(): ReactElement {
  return (
    <Section
      title="System backup"
      description="The whole configuration with every credential and identity, as one file encrypted to a passphrase, written and read on the machine Vaultdesk runs on. Anyone with the file and the passphrase has every credential: keep them apart."
    >
      <SimpleGrid cols={2} spacing="xl">
        <SystemExport />
        <SystemImport />
      </SimpleGrid>
    </Section>
  );
}

function SystemExport(): ReactElement {
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const mismatch = again !== '' && again !== passphrase;
  const tooShort = passphrase !== '' && passphrase.length < MIN_NEW_PASSPHRASE;
  const exportSystem = async (): Promise<void> => {
    setBusy(true);
    setOutcome(null);
    try {
      const r = await api.system.export({ path: path.trim(), passphrase });
      setOutcome({ ok: true, path: r.path, text: `written (${systemCountsWords(r.counts)}).`, testId: 'system-exported' });
    } catch (err) {
      const e = asAppError(err);
      setOutcome({ ok: false, title: `Not exported: ${errorHeadline(e.code)}`, text: e.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="sm" h="100%">
      <Title order={4} size="h5">
        Export
      </Title>
      <TextInput label="File to write" placeholder="/media/usb/vaultdesk-system.age" value={path} onChange={(e) => setPath(e.currentTarget.value)} />
      <PasswordInput
        label="Passphrase"
        description={`At least ${MIN_NEW_PASSPHRASE} characters; it is all that protects every credential in the file`}
        value={passphrase}
        onChange={(e) => setPassphrase(e.currentTarget.value)}
        error={tooShort ? `At least ${MIN_NEW_PASSPHRASE} characters` : null}
        autoComplete="new-password"
      />
      <PasswordInput
        label="Passphrase again"
        value={again}
        onChange={(e) => setAgain(e.currentTarget.value)}
        error={mismatch ? 'The two passphrases differ' : null}
        autoComplete="new-password"
      />
      <OutcomeAlert outcome={outcome} />
      <Group justify="flex-end" mt="auto">
        <Button onClick={() => void exportSystem()} loading={busy} disabled={!path.trim() || passphrase.length < MIN_NEW_PASSPHRASE || passphrase !== again}>
          Export configuration
        </Button>
      </Group>
    </Stack>
  );
}

function SystemImport(): ReactElement {
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [merge, setMerge] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const importSystem = async (): Promise<void> => {
    setBusy(true);
    setOutcome(null);
    try {
      const r = await api.system.import({ path: path.trim(), passphrase, merge });
      const skipped = r.skipped.length ? ` Left out: ${r.skipped.map((s) => `${s.kind} ${s.name} (${s.reason})`).join('; ')}.` : '';
      setOutcome({ ok: true, path: r.path, text: `imported ${systemCountsWords(r.counts)}; global settings ${r.settings}.${skipped}`, testId: 'system-imported' });
    } catch (err) {
      const e = asAppError(err);
      setOutcome({ ok: false, title: `Not imported: ${errorHeadline(e.code)}`, text: e.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="sm" h="100%">
      <Title order={4} size="h5">
        Import
      </Title>
      <TextInput label="System backup file" placeholder="/media/usb/vaultdesk-system.age" value={path} onChange={(e) => setPath(e.currentTarget.value)} />
      <PasswordInput label="Its passphrase" description="The one it was exported with" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} autoComplete="off" />
      <Checkbox
        label="Merge into this configuration"
        description="Without it, only an empty install takes an import. A merge leaves out whatever has a name already used here."
        checked={merge}
        onChange={(e) => setMerge(e.currentTarget.checked)}
      />
      <OutcomeAlert outcome={outcome} />
      <Group justify="flex-end" mt="auto">
        <Button onClick={() => void importSystem()} loading={busy} disabled={!path.trim() || !passphrase}>
          Import configuration
        </Button>
      </Group>
    </Stack>
  );
}
