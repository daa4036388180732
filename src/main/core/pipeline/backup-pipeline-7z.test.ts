import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunning } from '../testing/child-processes';
import { seedSqliteFile } from '../testing/db-fixtures';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { toolWrapper } from '../testing/tool-wrapper';
import { runBackupPlan } from './backup-pipeline';

const skip = shouldSkip('7-Zip (7zz)', probeCommand('7zz', ['i']));

describe.skipIf(skip)('a 7-Zip backup plan that fails', () => {
  const t = tempDir('vaultdesk-plan-7z-');
  afterAll(() => t.cleanup());

  it('returns only once its 7-Zip has exited and its temporary archive is removed', async () => {
    const bin = path.join(t.dir, 'bin');
    const work = path.join(t.dir, 'work');
    mkdirSync(bin);
    mkdirSync(work);
    const file = path.join(t.dir, 'big.db');
    seedSqliteFile(file, 30_000);
    // The real 7zz, its pid noted. A helper it leaves behind holds its stderr open for 3 s, so
    // that 7-Zip's streams close (and its temporary files go) that long after it was killed.
    toolWrapper(path.join(bin, '7zz'), '7zz', `if [ "$1" = "a" ]; then\n  echo $$ > "${t.dir}/pid"\n  sleep 3 >/dev/null </dev/null &\nfi\nexec REAL "$@"`);
    // The DTOs as the store makes them; the plan itself is built here, as the run service would.
    const core = await tempCore(t.dir);
    const source = await core.call('sources:create', { engine: 'sqlite', name: 'big', path: file });
    const destination = await core.call('destinations:create', { kind: 'local', name: 'disk', path: path.join(t.dir, 'backups') });
    core.close();

    const controller = new AbortController();
    const pidFile = path.join(t.dir, 'pid');
    const outcome = runBackupPlan(
      {
        runId: 'run-7z-cancelled',
        appVersion: '0.0.0-test',
        job: { id: 'job', name: 'big-7z' },
        source: { dto: source, secrets: {} },
        destinations: [{ dto: destination, secrets: {} }],
        objects: [{ key: 'big-7z/big/20261204T000000Z.sqlite.7z', database: null, label: 'big', kind: 'database' }],
        format: 'custom',
        compression: 'none',
        compressionLevel: null,
        encryption: { kind: '7z', passphrase: 'cancelled 7z' },
        sourceContext: { tempDir: work, env: { PATH: `${bin}:${process.env.PATH}` } },
        startedAt: new Date().toISOString(),
      },
      { signal: controller.signal },
    );
    for (let i = 0; !existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === ''; i++) {
      if (i > 600) throw new Error('7-Zip did not start within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    controller.abort();
    const { error, objects } = await outcome;
    expect(error?.code).toBe('CANCELLED');
    expect(objects[0]?.status).toBe('cancelled');
    // A worker is stopped as soon as its plan returns: what 7-Zip left must be gone by then.
    expect(processRunning(pid)).toBe(false);
    expect(readdirSync(work)).toEqual([]);
    // The destination's folder, made when it was saved, holds nothing of the cancelled run.
    expect(readdirSync(path.join(t.dir, 'backups'))).toEqual([]);
  });
});
