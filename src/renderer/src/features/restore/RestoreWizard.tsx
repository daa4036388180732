import { Alert, Button, Center, Checkbox, Group, Loader, Modal, Select, Stack, Stepper, Table, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import type { RestoreTargetDto } from '../../../../shared/domain/restores';
import { api, asAppError } from '../../api';
import { errorHeadline } from '../../lib/error-words';
import { formatBytes } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { backupName } from '../backups/backup-words';
import { RestoreOutcome } from './RestoreOutcome';
import { useRestore } from './use-restore';

/** Restore a backup: pick where, check it, confirm a replacement, then follow it to its row counts. */
export function RestoreWizard({ backup, opened, onClose }: { backup: BackupDto | null; opened: boolean; onClose: () => void }): ReactElement {
  return (
    <Modal opened={opened} onClose={onClose} title="Restore backup" size="xl" closeOnClickOutside={false}>
      {backup && opened && <Wizard key={backup.id} backup={backup} onClose={onClose} />}
    </Modal>
  );
}

function Wizard({ backup, onClose }: { backup: BackupDto; onClose: () => void }): ReactElement {
  const sources = useLiveQuery(() => api.sources.list({}));
  const candidates = (sources.data ?? []).filter((s) => s.engine === backup.engine);
  const [step, setStep] = useState(0);
  const [sourceId, setSourceId] = useState<string | null>(null);
  // Untouched: the backup's own database (for SQLite, the chosen source's file).
  const [typed, setTyped] = useState<string | null>(null);
  const [target, setTarget] = useState<RestoreTargetDto | null>(null);
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  const [restoreId, setRestoreId] = useState<string | null>(null);
  const followed = useRestore(restoreId);
  // The backup's own source when this install has it: restoring where it came from is the common case.
  const chosen = sourceId ?? candidates.find((s) => s.name === backup.source)?.id ?? candidates[0]?.id ?? null;
  const source = candidates.find((s) => s.id === chosen) ?? null;
  const sqlite = backup.engine === 'sqlite';
  const database = typed ?? (sqlite ? (source?.path ?? '') : (backup.database ?? ''));
  const needsConfirm = target !== null && target.exists && target.tables > 0;

  const run = async (what: string, action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      const e = asAppError(err);
      setError({ title: `${what}: ${errorHeadline(e.code)}`, message: e.message });
    } finally {
      setBusy(false);
    }
  };
  const check = (): Promise<void> =>
    run('Could not check the target', async () => {
      setTarget(await api.restore.inspectTarget({ sourceId: chosen!, database: database.trim() }));
      setReplace(false);
      setStep(1);
    });
  const start = (): Promise<void> =>
    run('Not started', async () => {
      const { restoreId: id } = await api.restore.start({ backupId: backup.id, targetSourceId: chosen!, database: database.trim(), force: needsConfirm && replace });
      setRestoreId(id);
      setStep(2);
    });

  return (
    <Stack gap="md">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {backupName(backup)}, {formatBytes(backup.size)}
      </Text>
      <Stepper active={step} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Target" description="Where to restore">
          <Stack gap="sm" mt="md">
            {sources.data && candidates.length === 0 ? (
              <Alert color="orange" title="No source to restore into" role="alert">
                This backup is of a {backup.engine ?? 'unknown'} database, and no {backup.engine ?? ''} source is set up here. Add one on the Sources page (the server to restore
                into), then come back.
              </Alert>
            ) : (
              <Select
                label="Restore into source"
                description={`Sources of the same engine (${backup.engine ?? 'unknown'})`}
                data={candidates.map((s) => ({ value: s.id, label: s.name }))}
                value={chosen}
                onChange={setSourceId}
                allowDeselect={false}
              />
            )}
            <TextInput
              label={sqlite ? 'Database file' : 'Database name'}
              description={sqlite ? 'Absolute path of the SQLite file on the machine Vaultdesk runs on; default: the source’s own file (the file there is kept beside it)' : `Default: the backup's own database, ${backup.database ?? ''}; a new name restores a copy beside it`}
              value={database}
              onChange={(e) => setTyped(e.currentTarget.value)}
            />
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Review" description="Check and confirm">
          {target && source && (
            <Stack gap="sm" mt="md">
              <Table layout="fixed" verticalSpacing={4} aria-label="What will be restored">
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Th w={140}>Backup</Table.Th>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{backupName(backup)}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Into</Table.Th>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {target.database} on {source.name}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
              {!target.exists && <Text size="sm">{target.database} does not exist yet: it is created{sqlite ? ' (in a folder that exists)' : ''}.</Text>}
              {target.exists && target.tables === 0 && <Text size="sm">{target.database} exists and holds no tables: the backup is restored into it.</Text>}
              {needsConfirm && (
                <Alert color="orange" title={`${target.database} exists and holds ${target.tables} tables`} role="alert" data-testid="replace-warning">
                  <Text size="sm">
                    The restore is made into a fresh copy beside it and swapped in at the end: if it fails, {target.database} is left as it was. If it succeeds, what{' '}
                    {target.database} holds now is replaced.
                  </Text>
                  <Checkbox mt="sm" label={`Replace ${target.database} on ${source.name}`} checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
                </Alert>
              )}
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label="Restore" description="Progress and result">
          <Stack mt="md">
            {followed.error && (
              <Alert color="red" title="Could not follow the restore" role="alert">
                {followed.error.message}
              </Alert>
            )}
            {followed.restore ? (
              <RestoreOutcome restore={followed.restore} />
            ) : (
              !followed.error && (
                <Center py="md">
                  <Loader size="sm" aria-label="Starting" />
                </Center>
              )
            )}
          </Stack>
        </Stepper.Step>
      </Stepper>
      {error && (
        <Alert color="red" title={error.title} role="alert">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {error.message}
          </Text>
        </Alert>
      )}
      <Group justify="flex-end">
        {step === 1 && (
          <Button variant="default" onClick={() => setStep(0)} disabled={busy}>
            Back
          </Button>
        )}
        {step < 2 && (
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
        )}
        {step === 0 && (
          <Button onClick={() => void check()} loading={busy} disabled={!chosen || !database.trim()}>
            Check target
          </Button>
        )}
        {step === 1 && (
          <Button onClick={() => void start()} loading={busy} disabled={needsConfirm && !replace} color={needsConfirm ? 'red' : undefined}>
            {needsConfirm ? 'Replace and restore' : 'Start restore'}
          </Button>
        )}
        {step === 2 && <Button onClick={onClose}>{followed.restore?.status === 'running' ? 'Close (it goes on)' : 'Close'}</Button>}
      </Group>
    </Stack>
  );
}
