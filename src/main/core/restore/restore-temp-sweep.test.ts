import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentProcessIdentity } from '../ownership/process-identity';
import { tempCore, tempDir } from '../testing/temp-dir';
import { restoreTempVerdict } from './restore-temp-sweep';

/** What restores leave: a parallel restore's folder with its decrypted dump, a SQLite drill's copy and the files beside it. */
function leftBy(root: string, id: string, drill: string): string[] {
  mkdirSync(path.join(root, `restore-${id}`), { recursive: true });
  writeFileSync(path.join(root, `restore-${id}`, 'b1.dump'), 'PGDMP in clear');
  const files = [drill, `${drill}-wal`, `${drill}-shm`, `.${drill}.vaultdesk-${randomUUID()}.partial`];
  for (const f of files) writeFileSync(path.join(root, f), 'rows in clear');
  return [`restore-${id}`, ...files];
}

describe('restoreTempVerdict', () => {
  it("removes what restores no process runs left, keeps a running restore's own, and says nothing of other entries", () => {
    const root = '/data/tmp';
    const [gone, alive] = [randomUUID(), randomUUID()];
    const [goneDrill, aliveDrill] = [`drill-${randomUUID()}.sqlite`, `drill-${randomUUID()}.sqlite`];
    const verdict = restoreTempVerdict(root, [{ id: alive, targets: [path.join(root, aliveDrill)] }]);
    for (const name of [`restore-${gone}`, goneDrill, `${goneDrill}-wal`, `${goneDrill}-shm`, `.${goneDrill}.vaultdesk-${randomUUID()}.partial`]) expect(verdict(name), name).toBe('remove');
    for (const name of [`restore-${alive}`, aliveDrill, `${aliveDrill}-wal`, `.${aliveDrill}.vaultdesk-${randomUUID()}.partial`]) expect(verdict(name), name).toBe('keep');
    for (const name of [`run-${randomUUID()}`, 'check-123.tmp', 'drill-notes.txt']) expect(verdict(name), name).toBeNull();
    // The store could not be read: nothing of a restore goes.
    expect(restoreTempVerdict(root, null)(`restore-${gone}`)).toBe('keep');
  });
});

describe('the start-up sweep of restores\' temporary files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('vaultdesk-restore-sweep-')));
  afterEach(() => cleanup());

  it('a data dir opened after a restore was killed holds none of its decrypted files, at once, not an hour later', async () => {
    const tmp = path.join(dir, 'data', 'tmp');
    const left = leftBy(tmp, randomUUID(), `drill-${randomUUID()}.sqlite`);
    const core = await tempCore(dir);
    try {
      expect(readdirSync(tmp).filter((f) => left.includes(f))).toEqual([]);
    } finally {
      core.close();
    }
  });

  it("a second process keeps the files of a restore the first runs, however old they are", async () => {
    // Each with a process identity of its own, as two processes on one data dir have.
    const first = await tempCore(dir, undefined, { owner: currentProcessIdentity('test') });
    try {
      const id = randomUUID();
      // As the restore service does before it records a restore.
      first.host.ensureRegistered();
      const drill = path.join(first.tempRoot, `drill-${randomUUID()}.sqlite`);
      first.restores.create({
        id,
        kind: 'restore',
        backupId: 'b1',
        destinationId: 'd1',
        destination: 'disk',
        key: 'k',
        job: 'nightly',
        engine: 'postgres',
        targetSourceId: 's1',
        targetSource: 'pg',
        withGlobals: false,
        force: false,
        requestedBy: 'dba',
        startedAt: new Date().toISOString(),
        totalBytes: 1,
        databases: [{ kind: 'database', database: drill, status: 'pending', notes: [] } as never],
        owner: { startId: first.host.identity.startId, pid: process.pid },
      });
      const kept = leftBy(first.tempRoot, id, path.basename(drill));
      // Older than the hour after which entries nobody owns go.
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
      for (const f of kept) utimesSync(path.join(first.tempRoot, f), twoHoursAgo, twoHoursAgo);
      const second = await tempCore(dir, undefined, { owner: currentProcessIdentity('test') });
      expect(second.restores.get(id).status).toBe('running');
      second.close();
      for (const f of kept) expect(existsSync(path.join(first.tempRoot, f)), f).toBe(true);
    } finally {
      first.close();
    }
  });
});
