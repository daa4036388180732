import { cpSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupDto } from '../../../shared/domain/backups';
import type { InvokeInput } from '../../../shared/ipc/contract';
import type { Core } from '../create-core';
import { LocalDestination } from '../destinations/local-destination';
import type { DestinationDriver } from '../destinations/destination';
import { recipientFingerprint } from '../pipeline/manifest';
import { makeBackups, type BackupMaker } from '../testing/backup-fixtures';
import { tempCore, tempDir } from '../testing/temp-dir';
import { backupIdOf } from './backup-id';
import { scanDestination } from './destination-scan';

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

describe('the storage explorer on a local folder', () => {
  const t = tempDir('vaultdesk-explorer-');
  const folder = path.join(t.dir, 'shared-disk');
  let a: BackupMaker;
  /** Another install (its own data dir and master key) whose destination is the same folder. */
  let b: Core;
  let found: string;

  beforeAll(async () => {
    a = await makeBackups(path.join(t.dir, 'a'), { kind: 'local', name: 'disk', path: folder }, DAYS);
    b = await tempCore(path.join(t.dir, 'b'));
    found = (await b.call('destinations:create', { kind: 'local', name: 'found', path: folder })).id;
  });
  afterAll(() => {
    a?.core.close();
    b?.close();
    t.cleanup();
  });

  const keys = (): string[] => a.runs.map((r) => r.objects[0]!.key);

  it('another data dir finds the backups on the destination, with what their manifests say; the run history adds the trigger where it knows the run', async () => {
    const listed = await b.call('backups:list', {});
    expect(listed.problems).toEqual([]);
    expect(listed.total).toBe(3);
    // Newest first.
    expect(listed.backups.map((x) => x.key)).toEqual(keys().reverse());
    const recipient = a.core.profiles.get(a.profileId).recipient!;
    const newest = listed.backups[0]!;
    expect(newest).toMatchObject({
      id: backupIdOf(found, keys()[2]!),
      status: 'complete',
      complete: true,
      problem: null,
      destination: 'found',
      destinationKind: 'local',
      location: path.join(folder, keys()[2]!),
      job: 'app-nightly',
      jobId: a.jobId,
      source: 'app',
      engine: 'sqlite',
      database: 'app',
      kind: 'database',
      format: 'sqlite',
      // The job left the level to the default: the manifest says which it was.
      compression: { algorithm: 'zstd', level: 1 },
      // B holds no identity for it: no profile of B's opens it.
      encryption: { kind: 'age', recipients: [{ recipient, fingerprint: recipientFingerprint(recipient), profile: null }] },
      appVersion: '0.0.0',
      runId: a.runs[2]!.id,
      trigger: null,
      pinned: false,
      pinnedUntil: null,
      lastVerified: null,
      lastDrill: null,
      // Only a MySQL/MariaDB manifest says what its dump holds beside the tables.
      holds: null,
    });
    // The manifest's own time: when the object was committed.
    expect(Date.parse(newest.createdAt)).toBeGreaterThan(Date.parse(listed.backups[1]!.createdAt));
    expect(newest.size).toBe(a.runs[2]!.objects[0]!.size);
    expect(newest.sha256).toBe(a.runs[2]!.objects[0]!.sha256);

    // The install that made them knows its runs and holds the identity.
    const own = await a.core.call('backups:list', {});
    expect(own.backups.map((x) => [x.key, x.trigger, x.encryption?.kind === 'age' ? x.encryption.recipients[0]!.profile : null])).toEqual(keys().reverse().map((k) => [k, 'manual', 'team']));
  });

  it('gives a backup the same id in every listing and every process sharing the data dir, and the run history\'s record the same id', async () => {
    const first = (await a.core.call('backups:list', {})).backups.map((x) => x.id);
    const again = (await a.core.call('backups:list', { refresh: true })).backups.map((x) => x.id);
    const other = await tempCore(path.join(t.dir, 'a'));
    try {
      expect((await other.call('backups:list', {})).backups.map((x) => x.id)).toEqual(first);
    } finally {
      other.close();
    }
    expect(again).toEqual(first);
    expect(first).toEqual(keys().reverse().map((k) => backupIdOf(a.destinationId, k)));
    const rows = a.core.db.prepare('SELECT id FROM backups ORDER BY created_at DESC').all() as { id: string }[];
    expect(rows.map((r) => r.id)).toEqual(first);
    // Looked at one by one, in a fresh process that never listed, by the same id.
    const fresh = await tempCore(path.join(t.dir, 'b'));
    try {
      const shown = await fresh.call('backups:get', { id: backupIdOf(found, keys()[0]!) });
      expect(shown).toMatchObject({ key: keys()[0], status: 'complete', database: 'app' });
    } finally {
      fresh.close();
    }
  });

  it('flags an object without a manifest as incomplete, a manifest without its object as broken, and damaged or newer manifests as unreadable, each on its own', async () => {
    const copy = path.join(t.dir, 'copy');
    cpSync(folder, copy, { recursive: true });
    const dest = (await b.call('destinations:create', { kind: 'local', name: 'copy', path: copy })).id;
    const put = (key: string, text: string): void => {
      mkdirSync(path.dirname(path.join(copy, key)), { recursive: true });
      writeFileSync(path.join(copy, key), text);
    };
    put('other/tool.bin', 'somebody else\'s file');
    rmSync(path.join(copy, keys()[0]!));
    put('later/x.dump', 'x');
    put('later/x.dump.manifest.json', JSON.stringify({ formatVersion: 2, anything: true }));
    put('damaged/y.dump', 'y');
    put('damaged/y.dump.manifest.json', '{"formatVersion": 1, "app": ');
    put('foreign/z.dump', 'z');
    put('foreign/z.dump.manifest.json', JSON.stringify({ formatVersion: 1, app: { name: 'vaultdesk', version: '1' } }));
    const listed = await b.call('backups:list', { destinationId: dest });
    const byKey = new Map(listed.backups.map((x) => [x.key, x]));
    expect(listed.total).toBe(7);
    expect(byKey.get('other/tool.bin')).toMatchObject({
      status: 'incomplete',
      complete: false,
      job: null,
      database: null,
      size: 20,
      problem: 'No manifest beside it, so it is not a complete backup: an upload that never finished, or a file Vaultdesk did not write.',
    });
    expect(byKey.get(keys()[0]!)).toMatchObject({ status: 'broken', complete: false, job: 'app-nightly', database: 'app', size: a.runs[0]!.objects[0]!.size });
    expect(byKey.get(keys()[0]!)!.problem).toMatch(/^Its object is missing: the manifest describes [\d.]+ KiB that are not at the destination/);
    expect(byKey.get('later/x.dump')).toMatchObject({
      status: 'unreadable',
      problem: 'Its manifest has format version 2, written by a newer Vaultdesk; this one reads version 1: update Vaultdesk to use it.',
    });
    expect(byKey.get('damaged/y.dump')).toMatchObject({ status: 'unreadable', problem: 'Its manifest is damaged: it is not valid JSON.' });
    expect(byKey.get('foreign/z.dump')).toMatchObject({ status: 'unreadable', problem: 'Its manifest is not a valid Vaultdesk manifest (runId: expected string).' });
    expect(listed.backups.filter((x) => x.complete).map((x) => x.key).sort()).toEqual(keys().slice(1).sort());
    // A byte count that disagrees with the manifest is no complete backup either.
    writeFileSync(path.join(copy, keys()[1]!), 'short');
    const cut = await b.call('backups:get', { id: backupIdOf(dest, keys()[1]!) });
    expect(cut).toMatchObject({ status: 'broken', size: 5 });
    expect(cut.problem).toBe(`Its object is 5 bytes but its manifest says ${a.runs[1]!.objects[0]!.size}: it was cut short or changed after it was stored.`);
    expect((await b.call('backups:list', { destinationId: dest, status: 'complete', refresh: true })).backups.map((x) => x.key)).toEqual([keys()[2]]);
  });

  it('filters by destination, job, database, run and time, and pages with the total', async () => {
    const list = (filter: InvokeInput<'backups:list'>): Promise<BackupDto[]> => b.call('backups:list', { destinationId: found, ...filter }).then((l) => l.backups);
    expect((await list({ job: 'APP-NIGHTLY' })).length).toBe(3);
    expect((await list({ job: a.jobId })).length).toBe(3);
    expect(await list({ job: 'other' })).toEqual([]);
    expect((await list({ database: 'app' })).length).toBe(3);
    expect(await list({ database: 'App' })).toEqual([]);
    // The Backups page's filter box: part of a name, in any case.
    expect((await list({ databaseContains: 'P' })).map((x) => x.database)).toEqual(['app', 'app', 'app']);
    expect(await list({ databaseContains: 'apps' })).toEqual([]);
    // One run's backups, found by the run id its manifests record (the restore wizard's "every database of its run").
    expect((await list({ runId: a.runs[1]!.id })).map((x) => [x.key, x.runId])).toEqual([[keys()[1], a.runs[1]!.id]]);
    expect(await list({ runId: 'a-run-no-manifest-names' })).toEqual([]);
    // Times are the manifests' (when each object was committed): from is inclusive, to exclusive.
    const times = (await list({})).map((x) => x.createdAt).reverse();
    expect((await list({ from: times[1], to: times[2] })).map((x) => x.key)).toEqual([keys()[1]]);
    expect((await list({ from: times[1] })).map((x) => x.key)).toEqual([keys()[2], keys()[1]]);
    // An instant with another offset is the same instant.
    expect((await list({ from: '2099-01-01T01:00:00+01:00' })).length).toBe(0);
    expect((await list({ to: '2099-01-01T01:00:00+01:00' })).length).toBe(3);
    const page = await b.call('backups:list', { destinationId: found, offset: 1, limit: 1 });
    expect([page.total, page.offset, page.limit, page.backups.map((x) => x.key)]).toEqual([3, 1, 1, [keys()[1]]]);
    const empty = await b.call('backups:list', { destinationId: found, from: '2026-11-03T00:00:00Z', to: '2026-11-02T00:00:00Z' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(empty).toMatchObject({ code: 'VALIDATION_FAILED', message: 'The time range is empty: "from" (2026-11-03T00:00:00Z) must be before "to" (2026-11-02T00:00:00Z).' });
  });

  it('reads each manifest once: a listing again reads none, a rewritten one is read again, and objects are never read', async () => {
    const reads: string[] = [];
    const local = new LocalDestination({ path: folder });
    const counting = new Proxy(local, {
      get(target, property, receiver) {
        if (property === 'get') return (key: string, options?: { signal?: AbortSignal }) => (reads.push(key), target.get(key, options));
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    }) as DestinationDriver;
    const dto = b.destinations.get(found);
    // A destination of its own, so what B's earlier listings cached does not count.
    b.db.prepare('DELETE FROM manifest_cache WHERE destination_id = ?').run(found);
    const first = await scanDestination(counting, dto, b.backupState);
    expect(first.map((e) => e.manifest?.reading.ok)).toEqual([true, true, true]);
    expect(reads.sort()).toEqual(keys().map((k) => `${k}.manifest.json`).sort());
    reads.length = 0;
    await scanDestination(counting, dto, b.backupState);
    expect(reads).toEqual([]);
    const manifestFile = path.join(folder, `${keys()[1]}.manifest.json`);
    writeFileSync(manifestFile, `${readFileSync(manifestFile, 'utf8')}\n`);
    const third = await scanDestination(counting, dto, b.backupState);
    expect(reads).toEqual([`${keys()[1]}.manifest.json`]);
    expect(third.every((e) => e.manifest?.reading.ok)).toBe(true);
  });

  it('opens several backups of one destination through one driver, in the order asked, and refuses backups of two destinations', async () => {
    const ids = keys().map((k) => backupIdOf(found, k));
    const seen = await b.explorer.openMany([ids[2]!, ids[0]!], async (located) => located.map((l) => [l.backup.key, l.driver === located[0]!.driver]));
    expect(seen).toEqual([
      [keys()[2], true],
      [keys()[0], true],
    ]);
    const again = (await b.call('destinations:create', { kind: 'local', name: 'found-again', path: folder })).id;
    await b.call('backups:list', { destinationId: again });
    const mixed = [ids[0]!, backupIdOf(again, keys()[1]!)];
    await expect(b.explorer.openMany(mixed, async () => 'opened')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('only from one destination') });
    await b.call('destinations:delete', { id: again });
  });

  it('names a destination it cannot read and lists the others', async () => {
    const gone = (await b.call('destinations:create', { kind: 'local', name: 'unplugged', path: path.join(t.dir, 'no-such-disk') })).id;
    rmdirSync(path.join(t.dir, 'no-such-disk'));
    const listed = await b.call('backups:list', { job: 'app-nightly' });
    expect(listed.problems).toEqual([
      { destinationId: gone, destination: 'unplugged', code: 'DESTINATION_UNREACHABLE', message: `The folder ${path.join(t.dir, 'no-such-disk')} of destination "unplugged" does not exist. If it is on a disk or share that is not mounted, mount it; Vaultdesk does not create it at backup time, so that backups never land on the disk underneath.` },
    ]);
    expect(listed.backups.filter((x) => x.destination === 'found').length).toBe(3);
    await b.call('destinations:delete', { id: gone });
  });
});
