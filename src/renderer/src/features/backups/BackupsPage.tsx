import { Alert, Button, Group, List, Pagination, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { sameProblems } from '../../../../shared/domain/destination-problems';
import { api, asAppError } from '../../api';
import { hashFor } from '../../app/routes';
import { ConfirmDeleteModal } from '../../components/ConfirmDeleteModal';
import { LoadState } from '../../components/LoadState';
import { PageHeader } from '../../components/PageHeader';
import { useDialog } from '../../lib/use-dialog';
import { useLiveQuery } from '../../lib/use-live-query';
import { NARROW_TABLE_MIN_WIDTH, useNarrowTables, WIDE_TABLE_MIN_WIDTH } from '../../lib/use-narrow-tables';
import { useRunActivity } from '../runs/RunActivityProvider';
import { useReloadOn } from '../runs/use-runs-query';
import { BackupFilters, isFiltered, NO_FILTER, type BackupFilter } from './BackupFilters';
import { BackupRow, type BackupAction } from './BackupRow';
import { BackupUrlModal } from './BackupUrlModal';
import { backupName, rowNames } from './backup-words';
import { DownloadBackupModal } from './DownloadBackupModal';
import { PinBackupModal } from './PinBackupModal';
import { VerifyBackupModal } from './VerifyBackupModal';
import { DrillModal } from '../restore/DrillModal';
import { RestoreWizard } from '../restore/RestoreWizard';

/** A page of the listing: the core pages it, so ten thousand backups cost one page each. */
const PAGE_SIZE = 50;

/** The storage explorer: what the destinations hold, whoever made it, newest first, a page at a time. */
export function BackupsPage(): ReactElement {
  const [filter, setFilter] = useState<BackupFilter>(NO_FILTER);
  const [database] = useDebouncedValue(filter.database.trim(), 300);
  const [page, setPage] = useState(1);
  const query = { ...filter, database };
  // The core reuses a listing of the last few seconds (paging is cheap); what just changed (a run
  // ended, a backup was deleted, Refresh) reads the destinations again.
  const fresh = useRef(true);
  const backups = useLiveQuery(() => {
    const refresh = fresh.current;
    fresh.current = false;
    return api.backups.list({
      destinationId: query.destinationId ?? undefined,
      job: query.jobId ?? undefined,
      databaseContains: query.database || undefined,
      status: query.status ?? undefined,
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
      refresh,
    });
  });
  const reload = backups.reload;
  const refresh = useCallback(() => {
    fresh.current = true;
    reload();
  }, [reload]);
  const { version } = useRunActivity();
  useEffect(() => {
    if (version > 0) refresh();
  }, [version, refresh]);
  const destinations = useLiveQuery(() => api.destinations.list({}));
  const jobs = useLiveQuery(() => api.jobs.list({}));
  useReloadOn(`${query.destinationId}|${query.jobId}|${query.database}|${query.status}|${page}`, backups.reload);
  // A new filter starts at its first page.
  useEffect(() => setPage(1), [query.destinationId, query.jobId, query.database, query.status]);

  const verifying = useDialog<BackupDto>();
  const downloading = useDialog<BackupDto>();
  const linking = useDialog<BackupDto>();
  const pinning = useDialog<BackupDto>();
  const deleting = useDialog<BackupDto>();
  const restoring = useDialog<BackupDto>();
  const drilling = useDialog<BackupDto>();
  // Narrow: the destination goes under the database and job, the checks under the status, so the rows fit a 960 px window with Restore in view.
  const narrow = useNarrowTables();

  const onAction = (action: BackupAction, b: BackupDto): void => {
    if (action === 'verify') verifying.open(b);
    else if (action === 'download') downloading.open(b);
    else if (action === 'url') linking.open(b);
    else if (action === 'pin') pinning.open(b);
    else if (action === 'delete') deleting.open(b);
    else if (action === 'unpin') void unpin(b);
    else if (action === 'restore') restoring.open(b);
    else if (action === 'drill') drilling.open(b);
  };
  const unpin = async (b: BackupDto): Promise<void> => {
    try {
      await api.backups.unpin({ id: b.id });
      refresh();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not unpin', message: asAppError(error).message, autoClose: false });
    }
  };

  const data = backups.data;
  const list = data?.backups ?? [];
  const names = rowNames(list);
  // A dialog names its backup as its row does; a target no longer listed (the list moved on) gets its plain name.
  const nameOf = (b: BackupDto | null): string | undefined => (b ? (names.get(b.id) ?? backupName(b)) : undefined);
  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // A page past the end (its last backup deleted, or pruned by another process) moves to the last page there is.
  useEffect(() => {
    if (data && page > pages) setPage(pages);
  }, [data, page, pages]);
  const noDestinations = destinations.data !== undefined && destinations.data.length === 0;
  const empty = isFiltered(query)
    ? 'No backups match these filters.'
    : noDestinations
      ? 'No destinations yet. Add a folder, a bucket or an SFTP server on the Destinations page, then a job that stores its backups there.'
      : 'No backups at these destinations yet. Run a job ("Run now" on the Home or Jobs page) and its backups show here; backups other installs stored at the same destinations show too.';
  const next = isFiltered(query) ? undefined : noDestinations ? { label: 'Add a destination', href: hashFor('destinations') } : { label: 'Go to Jobs', href: hashFor('jobs') };
  return (
    <>
      <PageHeader
        title="Backups"
        description="What the destinations hold, read from the manifests beside each object, newest first: verify, download, pin, restore."
        action={
          <Button variant="default" onClick={refresh} loading={backups.loading && data !== undefined}>
            Refresh
          </Button>
        }
      />
      <BackupFilters value={filter} onChange={setFilter} destinations={destinations.data ?? []} jobs={jobs.data ?? []} />
      {data && data.problems.length > 0 && (
        <Alert color="orange" title="Some destinations could not be read: their backups are missing below" mb="md" role="alert">
          <List size="sm">
            {/* A wrong master key fails every destination with a stored credential in one sentence: said once, after their names. */}
            {sameProblems(data.problems).map((p) => (
              <List.Item key={p.destinations.join('\n')} style={{ overflowWrap: 'anywhere' }}>
                <b>{p.destinations.join(', ')}</b>: {p.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {list.length === 0 ? (
        <LoadState loading={backups.loading && !data} error={backups.error} empty={empty} onRetry={refresh} next={next} />
      ) : (
        <>
          {/* Below its width (a narrow window) the table scrolls on its own rather than squeeze the names to a letter a line; positioned, so the visually hidden headers inside it do not widen the page. */}
          <Table.ScrollContainer minWidth={narrow ? NARROW_TABLE_MIN_WIDTH : WIDE_TABLE_MIN_WIDTH} type="native" style={{ position: 'relative' }}>
            <Table striped highlightOnHover verticalSpacing="sm" layout="fixed" aria-label="Backups">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={118}>Made</Table.Th>
                  <Table.Th>{narrow ? 'Database, job → destination' : 'Database and job'}</Table.Th>
                  {!narrow && <Table.Th w="15%">Destination</Table.Th>}
                  <Table.Th w={84} ta="right">
                    Size
                  </Table.Th>
                  {narrow ? <Table.Th w={150}>Status and checks</Table.Th> : <Table.Th w="15%">Status</Table.Th>}
                  {!narrow && <Table.Th w={176}>Checks</Table.Th>}
                  <Table.Th w={110}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((b) => (
                  <BackupRow key={b.id} backup={b} name={names.get(b.id)!} onAction={onAction} narrow={narrow} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between" mt="md">
            <Text size="sm" c="dimmed" data-testid="backups-range">
              {data!.offset + 1}–{data!.offset + list.length} of {total.toLocaleString()}
            </Text>
            {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} aria-label="Pages of backups" />}
          </Group>
        </>
      )}
      <VerifyBackupModal backup={verifying.target} name={nameOf(verifying.target)} opened={verifying.opened} onClose={() => (verifying.close(), refresh())} />
      <DownloadBackupModal backup={downloading.target} name={nameOf(downloading.target)} opened={downloading.opened} onClose={downloading.close} />
      <BackupUrlModal backup={linking.target} name={nameOf(linking.target)} opened={linking.opened} onClose={linking.close} />
      <RestoreWizard backup={restoring.target} name={nameOf(restoring.target)} opened={restoring.opened} onClose={restoring.close} />
      <DrillModal backup={drilling.target} name={nameOf(drilling.target)} opened={drilling.opened} onClose={() => (drilling.close(), refresh())} />
      <PinBackupModal backup={pinning.target} name={nameOf(pinning.target)} opened={pinning.opened} onClose={pinning.close} onDone={refresh} />
      <ConfirmDeleteModal
        opened={deleting.opened}
        what={`backup ${nameOf(deleting.target) ?? ''}`}
        onConfirm={async () => {
          await api.backups.delete({ id: deleting.target!.id });
          refresh();
        }}
        onClose={deleting.close}
      >
        <Text size="sm">
          The object and its manifest are removed from the destination {deleting.target?.destination}. This cannot be undone. A pinned backup is refused: unpin it
          first.
        </Text>
      </ConfirmDeleteModal>
    </>
  );
}
