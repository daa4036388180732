import { describe, expect, it } from 'vitest';
import type { BackupDto } from '../../../shared/domain/backups';
import type { DrillDifferenceDto, RestoredDatabaseDto } from '../../../shared/domain/restores';
import type { RestoreItem } from './restore-plan';
import { AppError } from '../../../shared/ipc/result';
import type { PreparedRestore } from './restore-service';
import { drillWords, failureWords, notRolledBack, scratchNotDropped, successWords } from './restore-words';

describe('drill words', () => {
  it('say one table in the singular and several in the plural', () => {
    const drill = { ok: true, comparedWith: 'shop on "pg"', differences: [], scratchDropped: true };
    expect(drillWords({ ...drill, tables: 1 }, [])).toBe('Drill passed: the table has the same row counts in the backup as in shop on "pg" now; the scratch database was dropped.');
    expect(drillWords({ ...drill, tables: 3 }, [])).toBe('Drill passed: all 3 tables have the same row counts in the backup as in shop on "pg" now; the scratch database was dropped.');
    expect(drillWords({ ...drill, tables: 3 }, [], 'file')).toBe('Drill passed: all 3 tables have the same row counts in the backup as in shop on "pg" now; the scratch file was removed.');
  });

  it('count the tables made in the source since the backup apart from those the backup has', () => {
    const diff = (table: string, inBackup: number | null, inSourceNow: number | null): DrillDifferenceDto => ({ schema: 'public', table, inBackup, inSourceNow, difference: inBackup !== null && inSourceNow !== null ? inSourceNow - inBackup : null });
    const drill = { ok: false, comparedWith: 'shop on "pg"', tables: 2, scratchDropped: true };
    expect(drillWords({ ...drill, differences: [diff('orders', 10, 5), diff('new_a', null, 1), diff('new_b', null, 0)] }, [])).toBe(
      'Drill found 3 tables whose row counts differ between the backup and shop on "pg" now (1 of the 2 tables in the backup and 2 tables not in it); the scratch database was dropped.',
    );
    expect(drillWords({ ...drill, differences: [diff('new_a', null, 1)] }, [])).toContain('(1 table not in it)');
  });

  it('end by naming a scratch database the server would not drop, and what to do with it', () => {
    const left = scratchNotDropped('the scratch database shop_vddrill_1 on "pg"');
    expect(left).toBe('The scratch database shop_vddrill_1 on "pg" could not be dropped: drop it by hand.');
    const scratch = { kind: 'database', notes: ['Roles that already existed kept their place.', left] } as unknown as RestoredDatabaseDto;
    expect(drillWords({ ok: false, comparedWith: 'shop on "pg"', tables: 2, differences: [{ schema: 'public', table: 't', inBackup: 1, inSourceNow: 2, difference: 1 }], scratchDropped: false }, [scratch])).toBe(
      `Drill found 1 table whose row counts differ between the backup and shop on "pg" now (1 of the 2 tables in the backup); the scratch database was not dropped. ${left}`,
    );
  });
});

describe('success words', () => {
  const backup = (key: string): BackupDto => ({ key, destination: 'nas' }) as BackupDto;
  const restored = (from: string, rows: number): RestoredDatabaseDto =>
    ({ kind: 'database', fromDatabase: from, database: from, tables: [{ schema: 'public', table: 't', rows }], replaced: false, keptAs: null, notes: [] }) as unknown as RestoredDatabaseDto;
  const source = { name: 'pg' } as Parameters<typeof successWords>[0]['source'];

  it('name the one backup a single database came from', () => {
    const opened = backup('shop/nightly/20261126T030000Z-shop.dump.zst.age');
    expect(successWords({ source, backup: opened, items: [{ backup: opened } as RestoreItem] }, [restored('shop', 3)])).toBe(
      'Restored shop into shop (1 table, 3 rows) on "pg" from shop/nightly/20261126T030000Z-shop.dump.zst.age at "nas".',
    );
  });

  it('name every backup of a whole run, not only the one it was opened from', () => {
    const shop = backup('all/nightly/20261126T030000Z-shop.dump.zst.age');
    const crm = backup('all/nightly/20261126T030000Z-crm.dump.zst.age');
    const words = successWords({ source, backup: shop, items: [{ backup: shop } as RestoreItem, { backup: crm } as RestoreItem] }, [restored('shop', 3), restored('crm', 1)]);
    expect(words).toBe(
      'Restored shop into shop (1 table, 3 rows); crm into crm (1 table, 1 row) on "pg" from all/nightly/20261126T030000Z-shop.dump.zst.age, all/nightly/20261126T030000Z-crm.dump.zst.age at "nas".',
    );
  });

  it('end with what is left to do by hand, and only that of the notes', () => {
    const opened = backup('shop/nightly/20261126T030000Z-shop.dump.zst.age');
    const left = 'The database it replaced was left as shop_vdnew_1_old on "pg" (it could not be dropped: in use): drop it by hand once you no longer need it.';
    const shop = { ...restored('shop', 3), replaced: true, notes: ['Roles that already existed kept their place.', left] };
    expect(successWords({ source, backup: opened, items: [{ backup: opened } as RestoreItem] }, [shop])).toBe(
      `Restored shop into shop (1 table, 3 rows), replacing the database that was there on "pg" from shop/nightly/20261126T030000Z-shop.dump.zst.age at "nas". ${left}`,
    );
  });
});

describe('failure words', () => {
  const p = { kind: 'restore', items: [{ backup: { id: 'b1' }, existed: true }] } as unknown as PreparedRestore;
  const shop = { kind: 'database', backupId: 'b1', database: 'shop', status: 'failed', notes: [] } as unknown as RestoredDatabaseDto;

  it('say the target was left as it was, except after a lost swap that could not be checked, whose words say how to tell', () => {
    const refused = new AppError('RESTORE_FAILED', 'Database shop is in use.', { database: 'shop' });
    expect(failureWords(p, [shop], 'swap', refused)).toBe('The restore failed during its swap stage: Database shop is in use. shop was left as it was.');
    const unknown = new AppError('RESTORE_FAILED', 'The connection was lost ..., and whether it happened could not be checked. If x exists, shop holds the backup; otherwise shop is as it was.', {
      database: 'shop',
      reason: 'swap-unknown',
    });
    expect(failureWords(p, [shop], 'swap', unknown)).toBe(`The restore failed during its swap stage: ${unknown.message}`);
  });

  it('of a restore straight into an empty database say it was left as it was, unless it holds something now, which the note names as left to do', () => {
    const into = { kind: 'restore', items: [{ backup: { id: 'b1' }, existed: true, mode: 'into' }] } as unknown as PreparedRestore;
    const failed = new AppError('RESTORE_FAILED', 'pg_restore exited with code 1: pg_restore: error: could not read from input file: end of file');
    expect(failureWords(into, [shop], 'restore', failed)).toBe(`The restore failed during its restore stage: ${failed.message}. shop was left as it was.`);
    const left = notRolledBack('shop', '2 tables');
    expect(left).toBe("shop was empty before the restore and now holds 2 tables, which the failed restore's transaction did not take back: drop what it holds by hand.");
    expect(failureWords(into, [{ ...shop, notes: [left] }], 'restore', failed)).toBe(`The restore failed during its restore stage: ${failed.message}. ${left}`);
    const unchecked = notRolledBack('shop', null, 'connection refused');
    expect(unchecked).toBe('shop was empty before the restore, which ran in one transaction; whether it is empty again could not be checked (connection refused): look at it by hand.');
    expect(failureWords(into, [{ ...shop, notes: [unchecked] }], 'restore', failed)).toBe(`The restore failed during its restore stage: ${failed.message}. ${unchecked}`);
    // MySQL/MariaDB commit each CREATE at once: no transaction is said to have run.
    expect(notRolledBack('shop', null, 'near PACKAGE', 'mysql')).toBe(
      'shop was empty before the restore, and what the failed restore made in it was to be dropped (MySQL/MariaDB cannot take back the statements that make tables); whether it is empty again could not be checked (near PACKAGE): look at it by hand.',
    );
    expect(notRolledBack('shop', '1 routine', '', 'mysql')).toBe('shop was empty before the restore and now holds 1 routine, which could not be dropped after the failed restore: drop what it holds by hand.');
  });

  it('of a drill end with a scratch database it left behind, as a passed drill\'s do', () => {
    const drill = { ...p, kind: 'drill' } as PreparedRestore;
    const left = scratchNotDropped('the scratch database shop_vddrill_1 on "pg"');
    const failed = new AppError('RESTORE_FAILED', 'pg_restore: error: out of disk space.');
    expect(failureWords(drill, [{ ...shop, notes: ['Roles that already existed kept their place.', left] }], 'restore', failed)).toBe(
      `The drill failed during its restore stage: pg_restore: error: out of disk space. The source database was not touched. ${left}`,
    );
    expect(failureWords(drill, [shop], 'restore', failed)).toBe('The drill failed during its restore stage: pg_restore: error: out of disk space. The source database was not touched.');
  });
});
