import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { withArchiveVersionAdvice, withPsqlRestrictAdvice } from './postgres-restore-errors';

describe('withArchiveVersionAdvice', () => {
  const refused = new AppError('RESTORE_FAILED', 'pg_restore exited with code 1: pg_restore: error: unsupported version (1.16) in file header', { database: 'shop' });

  it('says which tools read the backup, here or on the SSH host that restores it', () => {
    const here = withArchiveVersionAdvice(refused, '/usr/lib/postgresql/15/bin/pg_restore') as AppError;
    expect(here.message).toBe(
      `${refused.message}. The backup was written by a newer pg_dump than /usr/lib/postgresql/15/bin/pg_restore, which cannot read its archive format 1.16. Restore it with the PostgreSQL client tools of the release that made it or a newer one: install them, and if Vaultdesk does not find them on its own, set pg_restore's path in Settings. Nothing was kept.`,
    );
    expect(here.details).toEqual({ database: 'shop', archiveVersion: '1.16', tool: '/usr/lib/postgresql/15/bin/pg_restore' });
    const there = withArchiveVersionAdvice(refused, '/usr/bin/pg_restore', 'dba@db1:22') as AppError;
    expect(there.message).toContain('than /usr/bin/pg_restore on dba@db1:22, which cannot read its archive format 1.16.');
    expect(there.message).toContain('install them on dba@db1:22, first on its PATH. Nothing was kept.');
  });

  it('leaves every other failure as it was', () => {
    const other = new AppError('RESTORE_FAILED', 'pg_restore: error: could not execute query: ERROR:  out of shared memory');
    expect(withArchiveVersionAdvice(other, 'pg_restore')).toBe(other);
    const cancelled = new AppError('CANCELLED', 'unsupported version (1.16) in file header');
    expect(withArchiveVersionAdvice(cancelled, 'pg_restore')).toBe(cancelled);
  });
});

describe('withPsqlRestrictAdvice', () => {
  it('says which psql is too old for the dump, here or on the SSH host, for the roles too, and leaves other failures alone', () => {
    const refused = new AppError('RESTORE_FAILED', 'psql exited with code 3: psql:<stdin>:5: error: invalid command \\restrict', { database: 'shop' });
    const there = withPsqlRestrictAdvice(refused, '/usr/bin/psql', 'dba@db1:22') as AppError;
    expect(there.message).toBe(
      `${refused.message}. The dump opens with \\restrict, which pg_dump and pg_dumpall write into plain dumps from their releases of August 2025 on (17.6, 16.10, 15.14, 14.19, 13.22 and later), and /usr/bin/psql on dba@db1:22 is older than those: update the PostgreSQL client tools on dba@db1:22. Nothing was kept.`,
    );
    expect(there.details).toEqual({ database: 'shop', tool: '/usr/bin/psql' });
    const closing = new AppError('RESTORE_FAILED', 'psql exited with code 3: psql:<stdin>:40: error: invalid command \\unrestrict');
    expect((withPsqlRestrictAdvice(closing, 'psql') as AppError).message).toContain('or set psql\'s path in Settings to a newer one. Nothing was kept.');
    const other = new AppError('RESTORE_FAILED', 'psql exited with code 3: psql:<stdin>:5: error: invalid command \\restricted');
    expect(withPsqlRestrictAdvice(other, 'psql')).toBe(other);
    const cancelled = new AppError('CANCELLED', 'invalid command \\restrict');
    expect(withPsqlRestrictAdvice(cancelled, 'psql')).toBe(cancelled);
  });
});
