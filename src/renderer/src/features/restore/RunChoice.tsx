import { Checkbox, NumberInput, Radio, Stack, Text } from '@mantine/core';
import type { ReactElement, ReactNode } from 'react';
import type { BackupDto } from '../../../../shared/domain/backups';
import { DEFAULT_RESTORE_JOBS } from '../../../../shared/domain/restores';
import { formatBytes } from '../../lib/format';
import { nameList, ROLES_WORDS, type RestoreChoice, type RestorePlan, type RunMembers } from './restore-choice';

/**
 * The Target step below the source: this database (under the name field) or every database of
 * its run, the run's roles, and a parallel restore for PostgreSQL custom-format dumps.
 */
export function RunChoice({
  backup,
  members,
  plan,
  choice,
  jobs,
  onChoice,
  onJobs,
  jobsError,
  nameField,
}: {
  backup: BackupDto;
  members: RunMembers;
  plan: RestorePlan;
  choice: RestoreChoice;
  jobs: number | string;
  onChoice: (choice: RestoreChoice) => void;
  onJobs: (jobs: number | string) => void;
  /** The core's refusal of the number asked for (details.field `jobs`). */
  jobsError?: string;
  /** Shown when one database is restored: under a name that may be new. */
  nameField: ReactNode;
}): ReactElement {
  const roles = backup.kind === 'globals';
  const names = members.databases.map((b) => b.database ?? '');
  const every = `Every database of its run (${names.length}: ${nameList(names)})`;
  return (
    <Stack gap="sm">
      {roles && (
        <Text size="sm">
          This backup holds the PostgreSQL roles (globals) of its run: they are restored into the server of the source chosen. {ROLES_WORDS}
        </Text>
      )}
      {plan.offersScope && (
        <Radio.Group label="What to restore" value={plan.scope} onChange={(scope) => onChoice({ ...choice, scope: scope === 'run' ? 'run' : 'one' })}>
          <Stack gap="xs" mt={6}>
            <Radio value="one" label={roles ? 'The roles alone' : `This database (${backup.database ?? ''})`} description={roles ? undefined : 'Under the name below: its own, or a new one for a copy beside it'} />
            <Radio
              value="run"
              label={roles ? `The roles, then ${every.charAt(0).toLowerCase()}${every.slice(1)}` : every}
              description="Each is restored under its own name, one after another"
              styles={{ label: { overflowWrap: 'anywhere' } }}
            />
          </Stack>
        </Radio.Group>
      )}
      {plan.asksName && nameField}
      {plan.offersGlobals && (
        <Checkbox
          label="Also restore the roles (globals)"
          description={`The run’s PostgreSQL roles with their attributes and passwords, restored first. Its databases then get their owners and grants as the backup has them (a plain-format dump needs the roles for those; a custom-format one is otherwise restored without them). ${ROLES_WORDS}`}
          checked={choice.withGlobals}
          onChange={(e) => onChoice({ ...choice, withGlobals: e.currentTarget.checked })}
        />
      )}
      {plan.offersParallel && (
        <NumberInput
          label="Parallel restore"
          description={
            backup.engine === 'mysql'
              ? `mysql clients loading the rows at once (${DEFAULT_RESTORE_JOBS} when left empty); 1 loads them through one client.`
              : `pg_restore processes loading the rows at once (${DEFAULT_RESTORE_JOBS} when left empty); 1 loads everything in one transaction. With 2 or more, a backup holding large objects is first decrypted to a temporary file in this data folder, which needs ${plan.largestDump === null ? 'the dump’s size' : `about ${formatBytes(plan.largestDump)} (the ${plan.scope === 'run' ? 'largest ' : ''}dump’s size)`} of free disk.`
          }
          placeholder={String(DEFAULT_RESTORE_JOBS)}
          min={1}
          max={32}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="strict"
          value={jobs}
          onChange={onJobs}
          error={jobsError}
        />
      )}
    </Stack>
  );
}
