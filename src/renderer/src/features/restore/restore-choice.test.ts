import { describe, expect, it } from 'vitest';
import type { BackupDto } from '../../../../shared/domain/backups';
import { nameList, nonEmpty, restorePlan, restoreRequest, runMembers, targetsToInspect, type RestoreChoice } from './restore-choice';

const RUN = 'run-1';

function backup(database: string, over: Partial<BackupDto> = {}): BackupDto {
  return {
    id: `id-${database}`,
    status: 'complete',
    complete: true,
    destinationId: 'dest',
    jobId: 'job',
    runId: RUN,
    engine: 'postgres',
    database,
    kind: database === '_globals' ? 'globals' : 'database',
    format: database === '_globals' ? 'plain' : 'custom',
    dumpBytes: 1000,
    ...over,
  } as BackupDto;
}

const ONE: RestoreChoice = { scope: 'one', withGlobals: false };
const target = { sourceId: 'src', database: ' shop_copy ', jobs: 4, force: false };

describe('what the restore wizard offers and sends', () => {
  const shop = backup('shop', { dumpBytes: 5000 });
  const listed = [backup('_globals'), backup('crm'), shop, backup('older', { runId: 'run-0' }), backup('other-job', { jobId: 'job-2' }), backup('cut', { complete: false, status: 'broken' })];
  const members = runMembers(shop, listed);

  it('keeps the complete backups of the same run and job, databases by name, roles apart', () => {
    expect(members.databases.map((b) => b.database)).toEqual(['crm', 'shop']);
    expect(members.globals?.database).toBe('_globals');
  });

  it('restores one database under the typed name, with the parallel jobs asked for', () => {
    const plan = restorePlan(shop, members, ONE);
    expect(plan).toMatchObject({ offersScope: true, offersGlobals: true, offersParallel: true, asksName: true, largestDump: 5000 });
    expect(targetsToInspect(plan, target.database, shop.database)).toEqual([{ database: 'shop_copy', fromDatabase: 'shop' }]);
    expect(restoreRequest(shop, plan, target)).toEqual({ backupId: shop.id, targetSourceId: 'src', database: 'shop_copy', withGlobals: false, force: false, jobs: 4 });
  });

  it('restores every database of the run under its own name, with the roles when ticked', () => {
    const plan = restorePlan(shop, members, { scope: 'run', withGlobals: true });
    expect(plan).toMatchObject({ asksName: false, withGlobals: true });
    // Each database of the run, whichever backup of it the wizard was opened on.
    expect(targetsToInspect(plan, target.database, shop.database)).toEqual(members.databases.map((b) => ({ database: b.database })));
    expect(members.databases.map((b) => b.database)).toEqual(['crm', 'shop']);
    expect(restoreRequest(shop, plan, { ...target, force: true })).toEqual({ backupId: shop.id, targetSourceId: 'src', allDatabases: true, withGlobals: true, force: true, jobs: 4 });
  });

  it('offers neither choice for a run of one database, and no parallel restore for plain dumps', () => {
    const alone = backup('solo', { format: 'plain', runId: 'run-9' });
    const plan = restorePlan(alone, runMembers(alone, [alone]), { scope: 'run', withGlobals: true });
    expect(plan).toMatchObject({ offersScope: false, offersGlobals: false, offersParallel: false, scope: 'one', withGlobals: false });
    expect(restoreRequest(alone, plan, target)).toMatchObject({ database: 'shop_copy', withGlobals: false });
    expect(restoreRequest(alone, plan, target)).not.toHaveProperty('jobs');
    // Left empty in the wizard: the core chooses.
    expect(restoreRequest(shop, restorePlan(shop, members, ONE), { ...target, jobs: null })).not.toHaveProperty('jobs');
  });

  it('offers the parallel restore for a MySQL/MariaDB dump (clients at once), not for an SQLite file', () => {
    const maria = backup('maria', { engine: 'mysql', format: 'plain', runId: 'run-7' });
    const plan = restorePlan(maria, runMembers(maria, [maria]), ONE);
    expect(plan.offersParallel).toBe(true);
    expect(restoreRequest(maria, plan, target)).toMatchObject({ jobs: 4 });
    const file = backup('lite', { engine: 'sqlite', format: 'plain', runId: 'run-8' });
    expect(restorePlan(file, runMembers(file, [file]), ONE).offersParallel).toBe(false);
  });

  it('restores a roles backup as roles, alone or with every database of its run, never under a typed name', () => {
    const roles = members.globals!;
    const alone = restorePlan(roles, members, ONE);
    expect(alone).toMatchObject({ offersScope: true, offersGlobals: false, offersParallel: false, withGlobals: true, asksName: false });
    expect(targetsToInspect(alone, target.database, null)).toEqual([]);
    expect(restoreRequest(roles, alone, target)).toEqual({ backupId: roles.id, targetSourceId: 'src', withGlobals: true, force: false });
    const all = restorePlan(roles, members, { scope: 'run', withGlobals: false });
    expect(restoreRequest(roles, all, target)).toEqual({ backupId: roles.id, targetSourceId: 'src', allDatabases: true, withGlobals: true, force: false, jobs: 4 });
  });

  it('asks before replacing a target that holds tables, or views, routines or events without tables', () => {
    const target = (database: string, exists: boolean, tables: number, others: string[] = []) => ({ sourceId: 's', database, exists, tables, others, sessions: null });
    const targets = [target('new', false, 0), target('empty', true, 0), target('full', true, 2), target('code', true, 0, ['1 routine'])];
    expect(nonEmpty(targets).map((t) => t.database)).toEqual(['full', 'code']);
  });

  it('names a few databases and counts the rest', () => {
    expect(nameList(['a', 'b'])).toBe('a, b');
    expect(nameList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
  });
});
