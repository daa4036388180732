import { Alert, Checkbox, Stack, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import type { SourceDto } from '../../../../shared/domain/dto';
import { DEFAULT_RESTORE_JOBS, type RestoreTargetDto } from '../../../../shared/domain/restores';
import { holdingWords, referencedWarningWords, restoringWarningWords, sessionsWarningWords } from '../../../../shared/domain/counted';
import { nameList, nonEmpty, ROLES_WORDS, type RestorePlan } from './restore-choice';

/** The Review step: what goes where, each target as it is now, and the replace confirmation when one holds tables or other objects. */
export function RestoreReview({
  backup,
  name,
  source,
  plan,
  targets,
  jobs,
  replace,
  onReplace,
  endSessions,
  onEndSessions,
}: {
  backup: BackupDto;
  /** The backup's name on the page, unique among its rows. */
  name: string;
  source: SourceDto;
  plan: RestorePlan;
  targets: RestoreTargetDto[];
  /** null: the core's default. */
  jobs: number | null;
  replace: boolean;
  onReplace: (replace: boolean) => void;
  /** restoreStart.endSessions: offered with the replacement, for a server's databases. */
  endSessions: boolean;
  onEndSessions: (endSessions: boolean) => void;
}): ReactElement {
  const sqlite = backup.engine === 'sqlite';
  const full = nonEmpty(targets);
  const into = plan.scope === 'run' ? `${targets.length} databases on ${source.name}, each under its own name` : targets[0] ? `${targets[0].database} on ${source.name}` : `the server of ${source.name}`;
  return (
    <Stack gap="sm" mt="md">
      <Table layout="fixed" verticalSpacing={4} aria-label="What will be restored">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={140}>Backup</Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{name}</Table.Td>
          </Table.Tr>
          {plan.withGlobals && (
            <Table.Tr>
              <Table.Th>Roles</Table.Th>
              <Table.Td>
                The run’s roles (globals), restored {plan.scope === 'run' || targets.length > 0 ? 'first, ' : ''}into the server of {source.name}. {ROLES_WORDS}
              </Table.Td>
            </Table.Tr>
          )}
          {(plan.scope === 'run' || targets.length > 0) && (
            <Table.Tr>
              <Table.Th>Into</Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{into}</Table.Td>
            </Table.Tr>
          )}
          {plan.scope === 'one' && !sqlite && backup.locale && targets.length > 0 && (
            <Table.Tr>
              <Table.Th>Created with</Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{backup.locale}, as the backed-up database had them (a server that lacks them gives its own default, and the result says so)</Table.Td>
            </Table.Tr>
          )}
          {plan.offersParallel && (
            <Table.Tr>
              <Table.Th>Parallel</Table.Th>
              <Table.Td>{backup.engine === 'mysql' ? mysqlParallelWords(jobs) : parallelWords(jobs)}</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {plan.scope === 'run' ? <TargetTable targets={targets} /> : targets[0] && <OneTarget target={targets[0]} sqlite={sqlite} />}
      {targets
        .filter((t) => t.restoring)
        .map((t) => (
          <Alert key={`${t.database} restoring`} color="red" title={`${t.database} is being restored now`} role="alert" data-testid="restoring-warning">
            <Text size="sm">{restoringWarningWords(t.database, t.restoring!)}</Text>
          </Alert>
        ))}
      {full.length > 0 && (
          <Alert color="orange" title={replaceTitle(full)} role="alert" data-testid="replace-warning">
            <Text size="sm">
              {plan.scope === 'one'
                ? `The restore is made into a fresh copy beside it and swapped in at the end: if it fails, ${full[0]!.database} is left as it was. If it succeeds, what ${full[0]!.database} holds now is replaced.`
                : 'Each is restored into a fresh copy beside it and swapped in once that copy is complete: one whose restore fails is left as it was, and those restored before it stay restored. What they hold now is replaced.'}
              {source.engine === 'postgres' && ' The database keeps its owner, privileges, settings, connection limit and comment, and stays a template if it is one; its copy is made in its tablespace.'}
              {source.engine === 'mysql' &&
                (full.some((t) => t.others.length > 0) || (backup.holds?.length ?? 0) > 0) &&
                " Views, triggers, routines and events, which MySQL/MariaDB cannot move between databases, are dropped and the backup's made again right after the tables are swapped in."}
            </Text>
            {full
              .filter((t) => (t.sessions ?? 0) > 0)
              .map((t) => (
                <Text size="sm" mt="xs" fw={500} key={t.database} data-testid="sessions-warning">
                  {sessionsWarningWords(t.database, t.sessions!, source.engine === 'sqlite' ? 'sqlite' : 'postgres')}
                </Text>
              ))}
            {full
              .filter((t) => (t.referencedBy?.length ?? 0) > 0)
              .map((t) => (
                <Text size="sm" mt="xs" fw={500} key={`${t.database} keys`} data-testid="referenced-warning">
                  {referencedWarningWords(t.database, t.referencedBy!)}
                </Text>
              ))}
            <Checkbox mt="sm" label={`Replace ${full.map((t) => t.database).join(', ')} on ${source.name}`} checked={replace} onChange={(e) => onReplace(e.currentTarget.checked)} styles={{ label: { overflowWrap: 'anywhere' } }} />
            {!sqlite && (
              <Checkbox
                mt="xs"
                label={full.length === 1 ? 'End its sessions at the swap' : 'End their sessions at the swap'}
                description={
                  source.engine === 'postgres'
                    ? 'Rather than stop there while an application is still connected: new connections are refused, then the other sessions are ended.'
                    : 'Rather than stop there while an application holds its tables: the connections using it are killed.'
                }
                checked={replace && endSessions}
                disabled={!replace}
                onChange={(e) => onEndSessions(e.currentTarget.checked)}
              />
            )}
          </Alert>
      )}
    </Stack>
  );
}

function replaceTitle(full: RestoreTargetDto[]): string {
  if (full.length === 1) return `${full[0]!.database} exists and holds ${holdingWords(full[0]!)}`;
  return `${nameList(full.map((t) => t.database))} exist and ${full.every((t) => t.tables > 0) ? 'hold tables' : 'are not empty'}`;
}

function OneTarget({ target, sqlite }: { target: RestoreTargetDto; sqlite: boolean }): ReactElement | null {
  if (!target.exists) return <Text size="sm">{target.database} does not exist yet: it is created{sqlite ? ' (in a folder that exists)' : ''}.</Text>;
  if (holdingWords(target) === '') return <Text size="sm">{target.database} exists and holds no tables: the restored copy takes its place.</Text>;
  return null;
}

function TargetTable({ targets }: { targets: RestoreTargetDto[] }): ReactElement {
  return (
    <Table striped layout="fixed" verticalSpacing={4} aria-label="Target databases">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Database</Table.Th>
          <Table.Th>Now</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {targets.map((t) => (
          <Table.Tr key={t.database}>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{t.database}</Table.Td>
            <Table.Td>{targetNow(t)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function targetNow(t: RestoreTargetDto): string {
  if (!t.exists) return 'Does not exist yet: it is created';
  const holds = holdingWords(t);
  return holds === '' ? 'Exists and holds no tables: the restored copy takes its place' : `Holds ${holds}: replaced`;
}

/** How a MySQL/MariaDB dump will be loaded, for the number of clients asked for (null: the default). */
function mysqlParallelWords(jobs: number | null): string {
  if (jobs === 1) return 'One mysql client';
  const n = jobs ?? DEFAULT_RESTORE_JOBS;
  return `${n} mysql clients loading the rows at once into the database the restore creates (or the copy of the one it replaces). One client where it restores straight into an existing empty database, as for a user who may not create databases.`;
}

/** How a PostgreSQL custom-format dump will be loaded, for the number of pg_restore asked for (null: the default). */
function parallelWords(jobs: number | null): string {
  if (jobs === 1) return 'One pg_restore, in one transaction';
  const n = jobs ?? DEFAULT_RESTORE_JOBS;
  const unsplit =
    jobs === null
      ? 'A backup holding large objects goes through one pg_restore instead.'
      : `A backup holding large objects is first decrypted to a temporary file in this data folder, for pg_restore --jobs ${n}, and the file removed afterwards.`;
  return `${n} pg_restore processes loading the rows at once into the database the restore creates (or the copy of the one it replaces). ${unsplit}`;
}
