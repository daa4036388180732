import type { BackupDto } from '../../../../shared/domain/backups';
import { holdingWords } from '../../../../shared/domain/counted';
import type { RestoreTargetDto } from '../../../../shared/domain/restores';
import type { InvokeInput } from '../../../../shared/ipc/contract';

/** What restoring roles does to the roles a server has, said wherever the roles are offered or reviewed. */
export const ROLES_WORDS = 'Roles that already exist on the server keep existing and get the backup’s attributes and passwords; other roles there are left alone.';

/** The backups made by the same run as the wizard's backup, at its destination. */
export interface RunMembers {
  /** Database backups, by name: the order the restore takes them in. */
  databases: BackupDto[];
  /** The run's PostgreSQL roles, when it dumped them. */
  globals: BackupDto | null;
}

/** `one`: the backup opened (for a roles backup, the roles alone); `run`: every database of its run. */
export type RestoreScope = 'one' | 'run';

export interface RestoreChoice {
  scope: RestoreScope;
  /** Asked for with the checkbox; a roles backup restores its roles whatever this says. */
  withGlobals: boolean;
}

/** What the Target step offers for this backup and run, and what the choice comes to. */
export interface RestorePlan {
  /** The choice between this database and every database of its run. */
  offersScope: boolean;
  /** The "also restore the roles" checkbox. */
  offersGlobals: boolean;
  /** The parallel restore field: PostgreSQL custom-format and MySQL/MariaDB dumps. */
  offersParallel: boolean;
  scope: RestoreScope;
  withGlobals: boolean;
  /** The name field: one database, which may take a new name. */
  asksName: boolean;
  /** The databases restored, each under its own name, with the backup of it (empty for one database under the typed name, or roles alone). */
  own: InspectedTarget[];
  /** The largest dump restored, in bytes (a parallel restore decrypts one at a time to a file of that size); null when unknown. */
  largestDump: number | null;
}

/** The complete backups of the backup's own run and job, from a listing filtered by its run. */
export function runMembers(backup: BackupDto, listed: BackupDto[]): RunMembers {
  const same = listed.filter((b) => b.complete && b.runId !== null && b.runId === backup.runId && b.jobId === backup.jobId && b.destinationId === backup.destinationId);
  const databases = same.filter((b) => b.kind === 'database').sort((a, b) => (a.database ?? '').localeCompare(b.database ?? ''));
  return { databases, globals: same.find((b) => b.kind === 'globals') ?? null };
}

export function restorePlan(backup: BackupDto, members: RunMembers, choice: RestoreChoice): RestorePlan {
  const roles = backup.kind === 'globals';
  // One database beside the roles: "every database" would be the same one.
  const offersScope = roles ? members.databases.length > 0 : members.databases.length > 1;
  const scope = offersScope ? choice.scope : 'one';
  const offersGlobals = !roles && members.globals !== null;
  const restored = scope === 'run' ? members.databases : roles ? [] : [backup];
  return {
    offersScope,
    offersGlobals,
    offersParallel: restored.length > 0 && (backup.engine === 'mysql' || (backup.engine === 'postgres' && restored.every((b) => b.format === 'custom'))),
    scope,
    withGlobals: roles || (offersGlobals && choice.withGlobals),
    asksName: !roles && scope === 'one',
    own: scope === 'run' ? members.databases.map((b) => ({ database: b.database ?? '' })) : [],
    largestDump: restored.length > 0 && restored.every((b) => b.dumpBytes !== null) ? Math.max(...restored.map((b) => b.dumpBytes ?? 0)) : null,
  };
}

/** "a, b, c" or, past `shown` names, "a, b, c, d, e and 7 more". */
export function nameList(names: string[], shown = 5): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/** A database the Review step inspects. */
export interface InspectedTarget {
  database: string;
  /** The database the backup holds, under another name than `database`: the core refuses the server's maintenance database for it. */
  fromDatabase?: string;
}

/** The databases whose target the Review step inspects before the restore; `from` is the database the backup holds (BackupDto.database). */
export function targetsToInspect(plan: RestorePlan, typed: string, from: string | null): InspectedTarget[] {
  if (plan.scope === 'run') return plan.own;
  return plan.asksName ? [{ database: typed.trim(), ...(from !== null ? { fromDatabase: from } : {}) }] : [];
}

/** Targets that hold tables (or views, routines, events): a restore replaces them only when asked in so many words. */
export function nonEmpty(targets: RestoreTargetDto[]): RestoreTargetDto[] {
  return targets.filter((t) => t.exists && holdingWords(t) !== '');
}

/** The `restore:start` request for the plan. */
export function restoreRequest(backup: BackupDto, plan: RestorePlan, input: { sourceId: string; database: string; jobs: number | null; force: boolean; endSessions?: boolean }): InvokeInput<'restore:start'> {
  return {
    backupId: backup.id,
    targetSourceId: input.sourceId,
    ...(plan.scope === 'run' ? { allDatabases: true } : plan.asksName ? { database: input.database.trim() } : {}),
    withGlobals: plan.withGlobals,
    force: input.force,
    ...(input.endSessions ? { endSessions: true } : {}),
    // Not asked for: the core's default.
    ...(plan.offersParallel && input.jobs !== null ? { jobs: input.jobs } : {}),
  };
}
