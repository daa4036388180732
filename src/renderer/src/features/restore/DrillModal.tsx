import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { api, asAppError } from '../../api';
import { errorHeadline } from '../../lib/error-words';
import { useLiveQuery } from '../../lib/use-live-query';
import { BackupDialog, type BackupDialogTarget } from '../backups/BackupDialog';
import { RestoreOutcome } from './RestoreOutcome';
import { useRestore } from './use-restore';

/** A restore drill: the backup restored into a scratch database, its row counts compared with the source now, the scratch dropped. */
export function DrillModal(props: BackupDialogTarget): ReactElement {
  return (
    <BackupDialog {...props} title="Restore drill" size="xl" closeOnClickOutside={false}>
      {(backup, name) => <Drill backup={backup} name={name} onClose={props.onClose} />}
    </BackupDialog>
  );
}

function Drill({ backup, name, onClose }: { backup: BackupDto; name: string; onClose: () => void }): ReactElement {
  const sources = useLiveQuery(() => api.sources.list({}));
  const candidates = (sources.data ?? []).filter((s) => s.engine === backup.engine);
  const own = candidates.find((s) => s.name === backup.source)?.id ?? null;
  const [sourceId, setSourceId] = useState<string | null>(null);
  const chosen = sourceId ?? own ?? candidates[0]?.id ?? null;
  // No default when the backup's own source is not set up here: a drill compared with some other server would mislead.
  const [compareId, setCompareId] = useState<string | null>(null);
  const compare = compareId ?? own;
  const sqlite = backup.engine === 'sqlite';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  const [restoreId, setRestoreId] = useState<string | null>(null);
  const followed = useRestore(restoreId);
  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setRestoreId((await api.restore.drill({ backupId: backup.id, targetSourceId: chosen ?? undefined, compareSourceId: compare ?? undefined })).restoreId);
    } catch (err) {
      const e = asAppError(err);
      setError({ title: `Not started: ${errorHeadline(e.code)}`, message: e.message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="md">
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {name}
      </Text>
      {!restoreId && (
        <>
          <Text size="sm">
            Proves the backup restores: it is restored into a scratch database, each table's row count is compared with the source database as it is now, and the
            scratch database is dropped. The source database is not touched. Rows written since the backup show as differences.
          </Text>
          <Select
            label="Scratch database on source"
            description={own ? 'Default: the source the backup was made from' : 'The backup’s own source is not set up here: pick a server of the same engine'}
            data={candidates.map((s) => ({ value: s.id, label: s.name }))}
            value={chosen}
            onChange={setSourceId}
            allowDeselect={false}
          />
          <Select
            label="Compare with source"
            description={`The drill compares each table’s row count with ${sqlite ? 'this source’s file' : `the database ${backup.database ?? ''} on this source`} as it is now. ${own ? 'Default: the source the backup was made from.' : 'The backup’s own source is not set up here: pick the server that holds that database now.'}`}
            placeholder="Pick a source"
            data={candidates.map((s) => ({ value: s.id, label: s.name }))}
            value={compare}
            onChange={setCompareId}
            allowDeselect={false}
          />
        </>
      )}
      {followed.restore && <RestoreOutcome restore={followed.restore} />}
      {(error ?? followed.error) && (
        <Alert color="red" title={error?.title ?? 'Could not follow the drill'} role="alert">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {error?.message ?? followed.error?.message}
          </Text>
        </Alert>
      )}
      <Group justify="flex-end">
        {!restoreId ? (
          <>
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button onClick={() => void start()} loading={busy} disabled={!chosen || !compare}>
              Start drill
            </Button>
          </>
        ) : (
          <Button onClick={onClose}>{followed.restore?.status === 'running' ? 'Close (it goes on)' : 'Close'}</Button>
        )}
      </Group>
    </Stack>
  );
}
