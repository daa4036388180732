import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunDto } from '../../../shared/domain/runs';
import type { Core } from '../create-core';
import { currentProcessIdentity } from '../ownership/process-identity';
import { processExists, processRunning } from '../testing/child-processes';
import { createMysqlDatabase, dropMysqlDatabase, probeMysql, scratchName, withMysql } from '../testing/db-fixtures';
import { backUp, backupIdOfRun, mysqlDatabases, mysqlRowCounts, restoreAndWait, restoreToolWrapper } from '../testing/restore-fixtures';
import { mysqlEnv, probeCommand, shouldSkip } from '../testing/services';
import { blockUntil } from '../testing/block-thread';
import { tempCore, tempDir } from '../testing/temp-dir';

const skip = shouldSkip('MariaDB and age', (await probeMysql()) ?? probeCommand('age'));

/** About a megabyte of SQL: far more than a pipe holds, so a tool cannot get it all without someone writing it in. */
const EXPECTED = { big: 3000 };

async function until(what: string, check: () => boolean, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip)('a restore streams in the pipeline worker (MariaDB)', () => {
  const t = tempDir('vaultdesk-restore-worker-');
  const source = scratchName('rwork_src');
  const fresh = scratchName('rwork_new');
  let core: Core;
  let run: RunDto;
  let destinationId: string;

  beforeAll(async () => {
    await createMysqlDatabase(source);
    await withMysql(source, async (c) => {
      await c.query('CREATE TABLE big (id INT PRIMARY KEY, body TEXT) ENGINE=InnoDB');
      await c.query('INSERT INTO big VALUES ?', [Array.from({ length: EXPECTED.big }, (_, i) => [i, `row ${i} `.padEnd(300, 'x')])]);
    });
    core = await tempCore(t.dir);
    const profile = await core.call('profiles:create', { kind: 'age', name: 'team' });
    const maria = await core.call('sources:create', { engine: 'mysql', name: 'maria', host: mysqlEnv.host, port: mysqlEnv.port, user: mysqlEnv.user, database: source });
    destinationId = (await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') })).id;
    const job = await core.call('jobs:create', { name: 'sealed', sourceId: maria.id, destinationIds: [destinationId], compression: 'zstd', encryption: 'age', profileId: profile.id });
    run = await backUp(core, job.id);
  });

  afterEach(async () => {
    await core.call('settings:setToolPath', { tool: 'mysql', path: null });
    await dropMysqlDatabase(fresh);
  });

  afterAll(async () => {
    core?.close();
    await Promise.allSettled([dropMysqlDatabase(source), dropMysqlDatabase(fresh)]);
    t.cleanup();
  });

  it('goes on to its end while the host main thread is blocked: the bytes are read, decrypted and fed to the tool elsewhere', async () => {
    // The tool waits for GO before it reads anything, so nothing but the pipe's own buffer is in flight when the host blocks.
    const [started, go, done] = ['started', 'go', 'done'].map((f) => path.join(t.dir, f)) as [string, string, string];
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-gated'), 'mariadb', `touch ${started}\nwhile [ ! -e ${go} ]; do sleep 0.05; done\nREAL "$@"\nstatus=$?\ntouch ${done}\nexit $status`);
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    const { restoreId } = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), database: fresh });
    await until('the restore tool to start', () => existsSync(started));
    writeFileSync(go, '');
    // Were the stream on this thread, the tool would get at most a pipe's worth of the dump and wait for the rest until the block ends.
    const finishedWhileBlocked = blockUntil(() => existsSync(done), 30_000);
    expect(finishedWhileBlocked).toBe(true);
    const record = await core.restoreService.wait(restoreId);
    expect(record.status).toBe('succeeded');
    expect(record.bytesRead).toBe(run.objects[0]!.size);
    expect(await mysqlRowCounts(fresh)).toEqual(EXPECTED);
  });

  it('restore:cancel while the tool runs in the worker: cancelled, the tool stopped, the new database dropped again', async () => {
    const [started, pidFile] = ['cancel-started', 'cancel-pid'].map((f) => path.join(t.dir, f)) as [string, string];
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-slow'), 'mariadb', `echo $$ > ${pidFile}\nhead -c 300000 | REAL "$@"\ntouch ${started}\nexec sleep 60`);
    await core.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
    const { restoreId } = await core.call('restore:start', { backupId: backupIdOfRun(run, destinationId), database: fresh });
    await until('the restore tool to have taken part of the backup', () => existsSync(started));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(processRunning(pid)).toBe(true);
    const done = await core.call('restore:cancel', { id: restoreId });
    expect(done).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(done.message).toContain(`${fresh} did not exist before the restore and is not left behind.`);
    expect(processRunning(pid)).toBe(false);
    expect(await mysqlDatabases()).not.toContain(fresh);
  });

  it('a tool that ignores SIGTERM: the worker is stopped outright after the grace period, the tool killed, and the host drops the database the worker created', async () => {
    const [started, pidFile] = ['stubborn-started', 'stubborn-pid'].map((f) => path.join(t.dir, f)) as [string, string];
    // An ignored signal stays ignored across exec: the sleep that holds the restore open ignores SIGTERM too.
    const wrapper = restoreToolWrapper(path.join(t.dir, 'bin-stubborn'), 'mariadb', `trap '' TERM\necho $$ > ${pidFile}\nhead -c 300000 | REAL "$@"\ntouch ${started}\nexec sleep 60`);
    const impatient = await tempCore(t.dir, undefined, { owner: currentProcessIdentity('cli'), cancelGraceMs: 300 });
    try {
      await impatient.call('settings:setToolPath', { tool: 'mysql', path: wrapper });
      const { restoreId } = await impatient.call('restore:start', { backupId: backupIdOfRun(run, destinationId), database: fresh });
      await until('the restore tool to have taken part of the backup', () => existsSync(started));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(await mysqlDatabases()).toContain(fresh);
      const stopping = Date.now();
      const done = await impatient.call('restore:cancel', { id: restoreId });
      // Sooner than the worker's own SIGTERM-then-SIGKILL of the tool (5 s): the host's grace period ended it.
      expect(Date.now() - stopping).toBeLessThan(4_000);
      expect(done).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
      expect(processRunning(pid)).toBe(false);
      // Reaped by the worker before it was stopped, not left a zombie of this process (the host) for as long as it runs.
      expect(processExists(pid)).toBe(false);
      expect(await mysqlDatabases()).not.toContain(fresh);
    } finally {
      impatient.close();
    }
  });

  it('a pipeline worker that is not built: INTERNAL naming the missing file, and the target left untouched (no database created, none replaced)', async () => {
    const missing = path.join(t.dir, 'checkout', 'out', 'main', 'pipeline-worker.js');
    const unbuilt = await tempCore(t.dir, undefined, { owner: currentProcessIdentity('cli'), workerFile: pathToFileURL(missing) });
    try {
      const into = await restoreAndWait(unbuilt, { backupId: backupIdOfRun(run, destinationId), database: fresh });
      expect(into).toMatchObject({ status: 'failed', stage: 'restore', error: { code: 'INTERNAL' } });
      expect(into.error?.message).toBe(`The restore worker is not built (${missing} is missing): run npm run build.`);
      expect(into.message).toContain(`${fresh} did not exist before the restore and is not left behind.`);
      expect(await mysqlDatabases()).not.toContain(fresh);

      const over = await restoreAndWait(unbuilt, { backupId: backupIdOfRun(run, destinationId), force: true });
      expect(over).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
      expect(over.databases[0]).toMatchObject({ status: 'failed', replaced: false });
      expect(over.message).toContain(`${source} was left as it was.`);
      expect(await mysqlRowCounts(source)).toEqual(EXPECTED);
      expect((await mysqlDatabases()).filter((d) => d.startsWith(source))).toEqual([source]);
    } finally {
      unbuilt.close();
    }
  });
});
