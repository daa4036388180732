import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../shared/domain/backups';
import type { RestoreDto } from '../../shared/domain/restores';
import type { RunDto } from '../../shared/domain/runs';
import { cliRunner, VAULTDESK_BIN } from '../core/testing/cli-runner';
import { createPgDatabase, dropMysqlDatabase, dropPgDatabase, probeMysql, probePostgres, scratchName, withMysql, withPg } from '../core/testing/db-fixtures';
import { restoreToolWrapper } from '../core/testing/restore-fixtures';
import { mysqlEnv, pgEnv, probeCommand, shouldSkip } from '../core/testing/services';
import { tempDir } from '../core/testing/temp-dir';

const skip = shouldSkip('PostgreSQL and pg_restore', (await probePostgres()) ?? probeCommand('pg_restore'));

describe.skipIf(skip)('vaultdesk restore and vaultdesk restores', { timeout: 180_000 }, () => {
  const t = tempDir('vaultdesk-restore-cli-');
  const src = scratchName('rc_src');
  const copy = scratchName('rc_copy');
  const interrupted = scratchName('rc_int');

  const vaultdesk = cliRunner(t.dir);
  const json = <T>(args: string[]): T => {
    const r = vaultdesk([...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  const rows = (database: string): Promise<number> => withPg(database, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM items')).rows[0]!.n));

  beforeAll(async () => {
    await createPgDatabase(src);
    await withPg(src, (c) => c.query('CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 250) g'));
  });
  afterAll(async () => {
    await Promise.allSettled([dropPgDatabase(src), dropPgDatabase(copy), dropPgDatabase(interrupted)]);
    t.cleanup();
  });

  it('restores a backup by the start of its id into a new database and prints each table with its rows; refuses the source itself; drills and exits 1 on differences; lists the history', async () => {
    expect(vaultdesk(['source', 'add', 'postgres', '--name', 'pg', '--host', pgEnv.host, '--port', String(pgEnv.port), '--user', pgEnv.user, '--database', src]).code).toBe(0);
    expect(vaultdesk(['destination', 'add', 'local', '--name', 'disk', '--path', path.join(t.dir, 'backups'), '--default']).code).toBe(0);
    expect(vaultdesk(['profile', 'create', '--name', 'team']).code).toBe(0);
    expect(vaultdesk(['job', 'add', '--name', 'shop', '--source', 'pg', '--encryption', 'team']).code).toBe(0);
    expect(json<RunDto>(['backup', 'run', 'shop']).status).toBe('succeeded');
    const [backup] = json<BackupDto[]>(['backup', 'list']);
    // The database's encoding and locale, which a restore gives the database it creates.
    const dumped = await withPg('postgres', async (c) => (await c.query<{ e: string; l: string }>("SELECT pg_encoding_to_char(encoding) AS e, datcollate AS l FROM pg_database WHERE datname = $1", [src])).rows[0]!);
    expect(vaultdesk(['backup', 'show', backup!.id]).stdout).toMatch(new RegExp(`^locale +encoding ${dumped.e}, locale ${dumped.l.replace(/[.]/g, '\\.')}$`, 'm'));

    const restored = vaultdesk(['restore', backup!.id.slice(0, 10), '--database', copy]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`Restored ${src} into ${copy} (1 table, 250 rows) on "pg"`);
    expect(restored.stdout).toMatch(/^TABLE +ROWS\npublic\.items +250$/m);
    expect(await rows(copy)).toBe(250);

    const refused = vaultdesk(['restore', backup!.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`vaultdesk: error [RESTORE_TARGET_NOT_EMPTY]: Database ${src} on "pg" already holds 1 table. Restore under another name (--database NAME), or replace it (--force): the restored copy is put in its place only once it is complete.\n`);

    await withPg(src, (c) => c.query("INSERT INTO items VALUES (1000, 'new')"));
    const drill = vaultdesk(['restore', backup!.id, '--drill']);
    expect(drill.code).toBe(1);
    expect(drill.stdout).toMatch(/^TABLE +IN BACKUP +IN SOURCE NOW +DIFFERENCE\npublic\.items +250 +251 +\+1$/m);
    // A restore's options would be left unused by a drill (it drilled the backup given, whatever --only said): refused, nothing run.
    const mixed = vaultdesk(['restore', backup!.id, '--drill', '--only', src, '--force']);
    expect([mixed.code, mixed.stderr]).toEqual([
      2,
      `vaultdesk: error [VALIDATION_FAILED]: A drill restores the one backup it is given into a scratch database of its own and drops it after: --force and --only do not go with --drill. To drill one database of an "all databases" run, drill its own backup (vaultdesk backup list --database DB).\n`,
    ]);
    const compareAlone = vaultdesk(['restore', backup!.id, '--database', copy, '--compare', 'pg']);
    expect([compareAlone.code, compareAlone.stderr]).toEqual([2, 'vaultdesk: error [VALIDATION_FAILED]: --compare names the source a drill compares with: it goes with --drill.\n']);

    const forced = json<RestoreDto>(['restore', backup!.id, '--database', copy, '--force']);
    expect(forced).toMatchObject({ status: 'succeeded', databases: [{ database: copy, replaced: true, tables: [{ schema: 'public', table: 'items', rows: 250 }] }] });
    // A session on it would stop the swap: --end-sessions ends it there.
    const session = new pg.Client({ host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, database: copy });
    await session.connect();
    const sessionEnded = new Promise<Error>((resolve) => session.on('error', resolve));
    const ended = vaultdesk(['restore', backup!.id, '--database', copy, '--force', '--end-sessions']);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).toContain(`note: Ended 1 other session connected to ${copy} before replacing it.`);
    expect((await sessionEnded).message).toMatch(/terminat/);
    await session.end().catch(() => undefined);

    const history = json<RestoreDto[]>(['restores']);
    expect(history.map((r) => [r.kind, r.status])).toEqual([
      ['restore', 'succeeded'],
      ['restore', 'succeeded'],
      ['drill', 'succeeded'],
      ['restore', 'succeeded'],
    ]);
    expect(json<BackupDto>(['backup', 'show', backup!.id]).lastDrill).toMatchObject({ ok: false, restored: true, restoreId: history[2]!.id });
    expect(vaultdesk(['backup', 'show', backup!.id]).stdout).toMatch(
      new RegExp(`^last drilled +restored, row counts differ \\S+: Drill found 1 table whose row counts differ .*\\(restore ${history[2]!.id}\\)$`, 'm'),
    );
    // That drill from the history, whole: who, what, where, and its table of differences.
    const drilled = vaultdesk(['restores', history[2]!.id]);
    expect([drilled.code, drilled.stderr]).toEqual([0, '']);
    // As backups are named: the first characters of its id are enough.
    expect(vaultdesk(['restores', history[2]!.id.slice(0, 8)]).stdout).toBe(drilled.stdout);
    const none = vaultdesk(['restores', 'ffff0000']);
    expect([none.code, none.stderr]).toEqual([1, 'vaultdesk: error [NOT_FOUND]: No restore id starts with ffff0000 (vaultdesk restores lists them).\n']);
    expect(drilled.stdout).toMatch(new RegExp(`^restore +${history[2]!.id}\nkind +drill\nstatus +succeeded\n`));
    expect(drilled.stdout).toMatch(/^result +Drill found 1 table whose row counts differ/m);
    expect(drilled.stdout).toMatch(/^TABLE +IN BACKUP +IN SOURCE NOW +DIFFERENCE\npublic\.items +250 +251 +\+1$/m);
    expect(json<RestoreDto>(['restores', history[2]!.id]).drill).toMatchObject({ ok: false, differences: [{ table: 'items', inBackup: 250, inSourceNow: 251, difference: 1 }] });
    const unknown = vaultdesk(['restores', 'items']);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'vaultdesk: error [NOT_FOUND]: No restore with the id "items": a restore id looks like 5f0c2a9e-8d1b-4c3a-9e7f-2b6d4a1c0e93 (vaultdesk restores lists them).\n']);

    // An application still connected to the database to replace: said as the restore starts, while it can still be closed.
    const application = new pg.Client({ host: pgEnv.host, port: pgEnv.port, user: pgEnv.user, password: pgEnv.password, database: copy });
    await application.connect();
    try {
      const inUse = vaultdesk(['restore', backup!.id, '--database', copy, '--force']);
      expect(inUse.code).toBe(1);
      expect(inUse.stderr.split('\n')[0]).toBe(
        `note: ${copy} has 1 other session connected now. PostgreSQL cannot replace a database while any session is connected to it: close it (or stop the application using it) before the restore finishes, or it will stop at the swap, leaving ${copy} as it was.`,
      );
      // Said once, with the stage and the state it left, on stderr only.
      const said = inUse.stderr.split('\n').filter((line) => line.startsWith('vaultdesk: error'));
      expect(said).toEqual([expect.stringMatching(new RegExp(`^vaultdesk: error \\[RESTORE_FAILED\\]: The restore failed during its \\w+ stage: Database ${copy} on .* ${copy} was left as it was\\.`))]);
      expect(inUse.stderr.split(`Database ${copy} on `).length).toBe(2);
      expect(inUse.stdout).toBe('');
      expect(await rows(copy)).toBe(250);
    } finally {
      await application.end();
    }
  });

  it('a second Ctrl-C while a restore cancels does not end the command halfway: the new database is dropped and the restore recorded as cancelled', async () => {
    const [backup] = json<BackupDto[]>(['backup', 'list']);
    // pg_restore that says it started, then waits: the restore is mid-stream when the signals come. Stopped
    // (Ctrl-C reaches it too, as a terminal's does), it takes a second to end, as a real one cancelling its
    // server's statements may: the second Ctrl-C comes while the restore cancels, however late this
    // process's timer fires on a loaded machine, not once it has ended (seen in CI: the command, its
    // work done, then ended by the signal it no longer handled).
    const started = path.join(t.dir, 'pg_restore.started');
    const slowTools = path.dirname(
      restoreToolWrapper(path.join(t.dir, 'bin-slow'), 'pg_restore', `touch ${started}\nsleep 60 &\ntrap 'trap "" INT TERM; kill $! 2>/dev/null; sleep 1; exit 130' INT TERM\nwait`),
    );
    const child = spawn(process.execPath, [VAULTDESK_BIN, '--data-dir', path.join(t.dir, 'data'), '--master-key-file', path.join(t.dir, 'master.key'), 'restore', backup!.id, '--database', interrupted], {
      env: { PATH: `${slowTools}:${process.env.PATH}`, HOME: t.dir },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let waited = 0; !existsSync(started); waited += 50) {
      if (waited > 60_000) throw new Error(`pg_restore was not started: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Ctrl-C twice, to the whole process group, as a terminal sends it.
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    process.kill(-child.pid!, 'SIGINT');
    // As Ctrl-C of decrypt, and as scripts tell an interrupt from a failure.
    expect(await exited).toBe(130);
    expect(output).toContain('Cancelling the restore...');
    expect(output).toContain('Still cancelling the restore: it is cleaning up what it started, and ends on its own.');
    expect(output).toContain(`The restore was cancelled during its restore stage. ${interrupted} did not exist before the restore and is not left behind.`);
    const exists = await withPg('postgres', (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [interrupted]));
    expect(exists.rowCount).toBe(0);
    expect(json<RestoreDto[]>(['restores'])[0]).toMatchObject({ status: 'cancelled', databases: [{ database: interrupted, status: 'cancelled' }] });
  });

  it("a deleted backup's restores are still found by the first characters of its id; a prefix found nowhere is NOT_FOUND", () => {
    const [backup] = json<BackupDto[]>(['backup', 'list']);
    const before = json<RestoreDto[]>(['restores', '--backup', backup!.id.slice(0, 8)]);
    expect(before.length).toBeGreaterThan(0);
    expect(vaultdesk(['backup', 'delete', backup!.id, '--yes']).code).toBe(0);
    expect(json<BackupDto[]>(['backup', 'list'])).toEqual([]);
    const after = json<RestoreDto[]>(['restores', '--backup', backup!.id.slice(0, 8)]);
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after.every((r) => r.backupId === backup!.id)).toBe(true);
    const nowhere = vaultdesk(['restores', '--backup', 'ffff0000']);
    expect([nowhere.code, nowhere.stderr]).toEqual([1, 'vaultdesk: error [NOT_FOUND]: No backup id starts with ffff0000 (vaultdesk backup list shows them).\n']);
  });
});

describe.skipIf(shouldSkip('MariaDB', await probeMysql()))('vaultdesk backup show of a MySQL/MariaDB backup', { timeout: 120_000 }, () => {
  const t = tempDir('vaultdesk-show-mysql-cli-');
  const legacy = scratchName('rc_latin');

  afterAll(async () => {
    await dropMysqlDatabase(legacy);
    t.cleanup();
  });

  it("says the database's default character set and collation, which a restore gives the database it creates, and its view, made again in the database it replaces", async () => {
    await withMysql(undefined, (c) => c.query(`CREATE DATABASE ${legacy} CHARACTER SET latin1 COLLATE latin1_german1_ci`));
    await withMysql(legacy, (c) => c.query('CREATE TABLE names (id INT PRIMARY KEY); CREATE VIEW recent AS SELECT id FROM names'));
    const run = cliRunner(t.dir);
    expect(run(['source', 'add', 'mysql', '--name', 'maria', '--host', mysqlEnv.host, '--port', String(mysqlEnv.port), '--user', mysqlEnv.user, '--database', legacy]).code).toBe(0);
    expect(run(['destination', 'add', 'local', '--name', 'disk', '--path', path.join(t.dir, 'backups'), '--default']).code).toBe(0);
    expect(run(['job', 'add', '--name', 'latin', '--source', 'maria', '--encryption', 'none']).code).toBe(0);
    const backedUp = run(['backup', 'run', 'latin']);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const [backup] = JSON.parse(run(['backup', 'list', '--json']).stdout) as BackupDto[];
    expect(backup!.holds).toEqual(['1 view']);
    const shown = run(['backup', 'show', backup!.id]);
    expect(shown.stdout).toMatch(/^charset +character set latin1, collation latin1_german1_ci$/m);
    expect(shown.stdout).not.toMatch(/^locale /m);
    expect(shown.stdout).toMatch(/^also holds +1 view \(replacing a database, made again once the tables are swapped in\)$/m);
    // Over the database it was made of, the view is made again once the tables are in.
    await withMysql(legacy, (c) => c.query('INSERT INTO names VALUES (1)'));
    const replaced = run(['restore', backup!.id, '--force']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stderr).toContain(`note: MySQL/MariaDB cannot move views, triggers, routines or events between databases: ${legacy}'s own (1 view) were dropped, and the backup's (1 view) made in ${legacy} right after its tables were swapped in.`);
    const [rows] = await withMysql(legacy, (c) => c.query("SELECT (SELECT COUNT(*) FROM names) AS n, (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()) AS v"));
    expect(rows).toEqual([{ n: 0, v: 1 }]);
  });
});
