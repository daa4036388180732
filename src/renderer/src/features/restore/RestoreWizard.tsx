import { Alert, Button, Center, Group, Loader, Select, Stack, Stepper, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import type { RestoreTargetDto } from '../../../../shared/domain/restores';
import { api, asAppError } from '../../api';
import { errorHeadline } from '../../lib/error-words';
import { placeErrors, topLevelField } from '../../lib/form-errors';
import { formatBytes } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { BackupDialog, type BackupDialogTarget } from '../backups/BackupDialog';
import { nonEmpty, restorePlan, restoreRequest, runMembers, targetsToInspect, type RestoreChoice } from './restore-choice';
import { RestoreOutcome } from './RestoreOutcome';
import { RestoreReview } from './RestoreReview';
import { RunChoice } from './RunChoice';
import { useRestore } from './use-restore';

/**
 * Restore a backup: pick where (and, for a run of several databases, which of them and its
 * roles), check each target, confirm a replacement, then follow it to its row counts.
 */
export function RestoreWizard(props: BackupDialogTarget): ReactElement {
  return (
    <BackupDialog {...props} title="Restore backup" size="xl" closeOnClickOutside={false}>
      {(backup, name) => <Wizard backup={backup} name={name} onClose={props.onClose} />}
    </BackupDialog>
  );
}

function Wizard({ backup, name, onClose }: { backup: BackupDto; name: string; onClose: () => void }): ReactElement {
  const sources = useLiveQuery(() => api.sources.list({}));
  const candidates = (sources.data ?? []).filter((s) => s.engine === backup.engine);
  const [step, setStep] = useState(0);
  const [sourceId, setSourceId] = useState<string | null>(null);
  // Untouched: the backup's own database (for SQLite, the chosen source's file).
  const [typed, setTyped] = useState<string | null>(null);
  const [choice, setChoice] = useState<RestoreChoice>({ scope: 'one', withGlobals: false });
  // Empty: the core's default (two pg_restore at once where a dump can be loaded in parts).
  const [jobs, setJobs] = useState<number | string>('');
  const [targets, setTargets] = useState<RestoreTargetDto[] | null>(null);
  const [replace, setReplace] = useState(false);
  const [endSessions, setEndSessions] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  // Errors the core names a field of the Target step for (details.field): shown under that field, not in the alert.
  const [fields, setFields] = useState<Record<string, string>>({});
  const [restoreId, setRestoreId] = useState<string | null>(null);
  const followed = useRestore(restoreId);
  // The other backups of its run at its destination: what "every database of its run" and "the roles" mean.
  const runBackups = useLiveQuery(async () => (backup.runId ? api.backups.list({ destinationId: backup.destinationId, runId: backup.runId, status: 'complete', limit: 1000 }) : null));
  const members = runMembers(backup, runBackups.data?.backups ?? []);
  const plan = restorePlan(backup, members, choice);
  const jobCount = typeof jobs === 'number' && jobs >= 1 ? jobs : null;
  // The backup's own source when this install has it: restoring where it came from is the common case.
  const chosen = sourceId ?? candidates.find((s) => s.name === backup.source)?.id ?? candidates[0]?.id ?? null;
  const source = candidates.find((s) => s.id === chosen) ?? null;
  const sqlite = backup.engine === 'sqlite';
  const database = typed ?? (sqlite ? (source?.path ?? '') : (backup.database ?? ''));
  const needsConfirm = targets !== null && nonEmpty(targets).length > 0;
  // The Target step's fields on screen: an error about one that is not (the name, for a whole run) stays in the alert.
  const fieldFor = topLevelField('sourceId', 'targetSourceId', ...(plan.asksName ? ['database'] : []), ...(plan.offersParallel ? ['jobs'] : []));

  const run = async (what: string, action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await action();
    } catch (err) {
      const e = asAppError(err);
      const placed = placeErrors(e, fieldFor);
      setFields(placed.fields);
      // Refused at the start for what the Target step holds: back there, to the field it is about.
      if (Object.keys(placed.fields).length > 0) setStep(0);
      if (placed.general) setError({ title: `${what}: ${errorHeadline(e.code)}`, message: placed.general });
    } finally {
      setBusy(false);
    }
  };
  const inspect = async (): Promise<void> => {
    // One call per database, one after another: a run of many databases must not open as many connections at once.
    const found: RestoreTargetDto[] = [];
    for (const t of targetsToInspect(plan, database, backup.database)) found.push(await api.restore.inspectTarget({ sourceId: chosen!, ...t }));
    setTargets(found);
    setReplace(false);
    setEndSessions(false);
  };
  const check = (): Promise<void> =>
    run('Could not check the target', async () => {
      await inspect();
      setStep(1);
    });
  const start = (): Promise<void> =>
    run('Not started', async () => {
      try {
        const { restoreId: id } = await api.restore.start(restoreRequest(backup, plan, { sourceId: chosen!, database, jobs: jobCount, force: needsConfirm && replace, endSessions: needsConfirm && replace && endSessions }));
        setRestoreId(id);
        setStep(2);
      } catch (err) {
        if (asAppError(err).code !== 'RESTORE_TARGET_NOT_EMPTY') throw err;
        // Filled since it was checked (another session made tables there): checked again, so the review shows what it holds now.
        await inspect();
        setError({
          title: 'Not started: the target changed',
          message: 'Since it was checked, the target came to hold tables or other objects: what it holds now is shown below. Tick Replace to restore over it, or go back and choose another name.',
        });
      }
    });

  return (
    <Stack gap="md">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {name}, {formatBytes(backup.size)}
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
                onChange={(id) => (setSourceId(id), setFields({}))}
                allowDeselect={false}
                error={fields.sourceId ?? fields.targetSourceId}
              />
            )}
            <RunChoice
              backup={backup}
              members={members}
              plan={plan}
              choice={choice}
              jobs={jobs}
              onChoice={setChoice}
              onJobs={(n) => (setJobs(n), setFields(({ jobs: _, ...rest }) => rest))}
              jobsError={fields.jobs}
              nameField={
                <TextInput
                  label={sqlite ? 'Database file' : 'Database name'}
                  description={sqlite ? 'Absolute path of the SQLite file on the machine Vaultdesk runs on; default: the source’s own file (the file there is kept beside it)' : `Default: the backup's own database, ${backup.database ?? ''}; a new name restores a copy beside it`}
                  value={database}
                  onChange={(e) => (setTyped(e.currentTarget.value), setFields(({ database: _, ...rest }) => rest))}
                  error={fields.database}
                />
              }
            />
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Review" description="Check and confirm">
          {targets && source && <RestoreReview backup={backup} name={name} source={source} plan={plan} targets={targets} jobs={jobCount} replace={replace} onReplace={setReplace} endSessions={endSessions} onEndSessions={setEndSessions} />}
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
          <Button onClick={() => void check()} loading={busy} disabled={!chosen || (plan.asksName && !database.trim())}>
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
