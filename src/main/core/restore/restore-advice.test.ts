import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { withRestoreAdvice } from './restore-advice';

const failed = (message: string): AppError => new AppError('RESTORE_FAILED', message, { database: 'shop' });

describe('withRestoreAdvice', () => {
  it('names a collation or character set the server lacks, the server the backup was made on, and what to restore into', () => {
    const collation = withRestoreAdvice(failed("ERROR 1273 (HY000) at line 26: Unknown collation: 'utf8mb4_0900_ai_ci'"), 'MySQL 8.0.36') as AppError;
    expect(collation.message).toBe(
      "ERROR 1273 (HY000) at line 26: Unknown collation: 'utf8mb4_0900_ai_ci'. The backup was made on MySQL 8.0.36, and this server does not have its collation utf8mb4_0900_ai_ci, MySQL 8's default, which MariaDB has only from 11.4.5 on: restore it into a server of that kind and release, or a newer one.",
    );
    expect(collation.details).toEqual({ database: 'shop', madeOn: 'MySQL 8.0.36' });
    expect((withRestoreAdvice(failed("Unknown collation: 'utf8mb4_0900_as_cs'"), 'MySQL 8.0.36') as AppError).message).toContain(
      "does not have its collation utf8mb4_0900_as_cs, one of MySQL 8's, which MariaDB has only from 11.4.5 on:",
    );
    const other = withRestoreAdvice(failed("Unknown collation: 'uca1400_ai_ci'"), null) as AppError;
    expect(other.message).toBe("Unknown collation: 'uca1400_ai_ci'. The backup was made on another server, and this server does not have its collation uca1400_ai_ci: restore it into a server of that kind and release, or a newer one.");
    const charset = withRestoreAdvice(failed("ERROR 1115 (42000) at line 9: Unknown character set: 'utf8mb5'"), 'MariaDB 11.8.2') as AppError;
    expect(charset.message).toContain("'utf8mb5'. The backup was made on MariaDB 11.8.2, and this server does not have its character set utf8mb5: restore it");
  });

  it('says a setting a newer pg_dump wrote into a plain dump is why, and that custom format does not meet it', () => {
    const set = withRestoreAdvice(failed('psql:<stdin>:7: ERROR:  unrecognized configuration parameter "transaction_timeout"'), 'PostgreSQL 17.2') as AppError;
    expect(set.message).toBe(
      'psql:<stdin>:7: ERROR:  unrecognized configuration parameter "transaction_timeout". The dump sets transaction_timeout, which this server does not know: it was written by a pg_dump of a newer release than this server (the backup was made on PostgreSQL 17.2). Restore it into a server of that release or a newer one. Backups in custom format do not meet this: pg_restore sets only what the server it restores into knows.',
    );
  });

  it('says a definer the restoring user may not set takes the SET USER privilege, naming the definer when the statement shows it', () => {
    const refused = "ERROR 1227 (42000) at line 269: Access denied; you need (at least one of) the SUPER, SET USER privilege(s) for this operation (in the statement /*!50003 CREATE*/ /*!50017 DEFINER=`app``s`@`%`*/ /*!50003 TRIGGER `t` ...)";
    expect((withRestoreAdvice(failed(refused), 'MariaDB 10.11.19') as AppError).message).toBe(
      `${refused}. The dump gives its views, triggers, routines and events the definer they had on the source (here \`app\`\`s\`@\`%\`), and only a user with the SET USER privilege (SUPER on MySQL and older MariaDB) may create an object for another user: restore as a user that has it, such as the server's administrator.`,
    );
    expect((withRestoreAdvice(failed('ERROR 1227 (42000) at line 9: Access denied; you need (at least one of) the SUPER privilege(s) for this operation'), null) as AppError).message).toContain('on the source (DEFINER=...)');
  });

  it('names an extension the server does not have, in the words of PostgreSQL 15 and of older releases', () => {
    const now = 'pg_restore: error: could not execute query: ERROR:  extension "postgis" is not available\nDETAIL:  Could not open extension control file "/usr/share/postgresql/15/extension/postgis.control": No such file or directory.';
    const advice = "The backup uses the extension postgis, which is not installed on this server: install it there (its package for the server's PostgreSQL release), then restore again.";
    expect((withRestoreAdvice(failed(now), 'PostgreSQL 15.19') as AppError).message).toBe(`${now} ${advice}`);
    const older = 'psql:<stdin>:12: ERROR:  could not open extension control file "/usr/share/postgresql/12/extension/postgis.control": No such file or directory';
    expect((withRestoreAdvice(failed(older), 'PostgreSQL 12.1') as AppError).message).toBe(`${older}. ${advice}`);
  });

  it("says a backup holding system-versioned tables' history needs MariaDB 10.11 or later to take it back", () => {
    const history = withRestoreAdvice(failed("ERROR 1054 (42S22) at line 23: Unknown column 'row_start' in 'INSERT INTO'"), 'MariaDB 10.11.19') as AppError;
    expect(history.message).toBe(
      "ERROR 1054 (42S22) at line 23: Unknown column 'row_start' in 'INSERT INTO'. The backup holds the history of its system-versioned tables (every version of their rows, with the time each was current; it was made on MariaDB 10.11.19), which MariaDB takes back from 10.11 on: restore it into a MariaDB 10.11 or later.",
    );
  });

  it('leaves other failures, and other codes, as they were', () => {
    const other = failed('ERROR 1062 (23000) at line 40: Duplicate entry');
    expect(withRestoreAdvice(other, 'MariaDB 10.11.19')).toBe(other);
    const cancelled = new AppError('CANCELLED', "Unknown collation: 'x'");
    expect(withRestoreAdvice(cancelled, 'MariaDB 10.11.19')).toBe(cancelled);
  });
});
