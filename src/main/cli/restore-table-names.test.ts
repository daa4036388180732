import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../shared/domain/backups';
import { createMysqlDatabase, createPgDatabase, dropMysqlDatabase, dropPgDatabase, probeMysql, probePostgres, scratchName, withMysql, withPg } from '../core/testing/db-fixtures';
import { cliRunner, type CliResult } from '../core/testing/cli-runner';
import { mysqlEnv, pgEnv, probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const noPg = shouldSkip('PostgreSQL and pg_restore', (await probePostgres()) ?? probeCommand('pg_restore'));
const noMysql = shouldSkip('MariaDB/MySQL', await probeMysql());

/** A data dir with one source, a local folder and a job; `backup` runs it and gives the backup's id. */
function cliFor(label: string): { vaultdesk: (args: string[]) => CliResult; backup: (source: string[]) => string; cleanup: () => void } {
  const t = tempDir(`vaultdesk-${label}-`);
  const vaultdesk = cliRunner(t.dir);
  const backup = (source: string[]): string => {
    for (const step of [source, ['destination', 'add', 'local', '--name', 'disk', '--path', path.join(t.dir, 'backups'), '--default'], ['job', 'add', '--name', 'nightly', '--source', 'db', '--encryption', 'none'], ['backup', 'run', 'nightly']]) {
      const r = vaultdesk(step);
      expect(r.code, `${step.join(' ')}: ${r.stderr}`).toBe(0);
    }
    return (JSON.parse(vaultdesk(['backup', 'list', '--json']).stdout) as BackupDto[])[0]!.id;
  };
  return { vaultdesk, backup, cleanup: t.cleanup };
}

describe.skipIf(noPg)('restore and drill row counts name PostgreSQL tables as SQL would', { timeout: 180_000 }, () => {
  const cli = cliFor('pg-names');
  const source = scratchName('clipolish_names_src');
  const copy = scratchName('clipolish_names_copy');
  afterAll(async () => {
    await Promise.allSettled([dropPgDatabase(source), dropPgDatabase(copy)]);
    cli.cleanup();
  });

  it('a table "T.dot" in schema "Schéma X" is "Schéma X"."T.dot", one named order public."order", a plain one as it is', async () => {
    await createPgDatabase(source);
    await withPg(source, (c) => c.query(`CREATE SCHEMA "Schéma X"; CREATE TABLE "Schéma X"."T.dot" (id int); INSERT INTO "Schéma X"."T.dot" SELECT generate_series(1, 3); CREATE TABLE public.items (id int); INSERT INTO public.items VALUES (1); CREATE TABLE public."order" (id int); INSERT INTO public."order" VALUES (1), (2)`));
    const id = cli.backup(['source', 'add', 'postgres', '--name', 'db', '--host', pgEnv.host, '--port', String(pgEnv.port), '--user', pgEnv.user, '--database', source]);

    const restored = cli.vaultdesk(['restore', id, '--database', copy]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^TABLE +ROWS\n"Schéma X"\."T\.dot" +3\npublic\.items +1\npublic\."order" +2$/m);

    await withPg(source, (c) => c.query(`INSERT INTO "Schéma X"."T.dot" VALUES (4)`));
    const drill = cli.vaultdesk(['restore', id, '--drill']);
    expect(drill.code).toBe(1);
    expect(drill.stdout).toMatch(/^TABLE +IN BACKUP +IN SOURCE NOW +DIFFERENCE\n"Schéma X"\."T\.dot" +3 +4 +\+1$/m);
    // The history shows the same restore the same way.
    const [drilled] = JSON.parse(cli.vaultdesk(['restores', '--json']).stdout) as { id: string }[];
    expect(cli.vaultdesk(['restores', drilled!.id]).stdout).toContain('"Schéma X"."T.dot"');
  });
});

describe.skipIf(noMysql)('restore row counts name MySQL/MariaDB tables as SQL would', { timeout: 180_000 }, () => {
  const cli = cliFor('mysql-names');
  const source = scratchName('clipolish_names_src');
  const copy = scratchName('clipolish_names_copy');
  afterAll(async () => {
    await Promise.allSettled([dropMysqlDatabase(source), dropMysqlDatabase(copy)]);
    cli.cleanup();
  });

  it('a table `T.dot` is in backticks, and one named order, a plain one as it is', async () => {
    await createMysqlDatabase(source);
    await withMysql(source, async (c) => {
      await c.query('CREATE TABLE `T.dot` (id int)');
      await c.query('INSERT INTO `T.dot` VALUES (1), (2)');
      await c.query('CREATE TABLE orders (id int)');
      await c.query('INSERT INTO orders VALUES (1)');
      await c.query('CREATE TABLE `order` (id int)');
      await c.query('INSERT INTO `order` VALUES (1), (2), (3)');
    });
    const id = cli.backup(['source', 'add', 'mysql', '--name', 'db', '--host', mysqlEnv.host, '--port', String(mysqlEnv.port), '--user', mysqlEnv.user, '--database', source]);
    const restored = cli.vaultdesk(['restore', id, '--database', copy]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^TABLE +ROWS\n`order` +3\norders +1\n`T\.dot` +2$/m);
  });
});
