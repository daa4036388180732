import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMinuteWords } from '../../../shared/domain/time-words';
import { AppError } from '../../../shared/ipc/result';
import type { Core } from '../create-core';
import { filesUnder, flipByte, makeBackups, reseal, sha256Of, type BackupMaker } from '../testing/backup-fixtures';
import { fillUp, mountTmpfs, mountUnavailable } from '../testing/mounts';
import { recordRunningRestore } from '../testing/restore-fixtures';
import { shouldSkip } from '../testing/services';
import { tempCore, tempDir } from '../testing/temp-dir';
import { backupIdOf } from './backup-id';

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];

const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe('verify, download, pin and delete through the explorer', () => {
  const t = tempDir('vaultdesk-explorer-actions-');
  const folder = path.join(t.dir, 'disk');
  let a: BackupMaker;
  /** Another install on a copy of the same backups: it holds no identity, and its run history knows none of them. */
  let b: Core;
  let bClock = new Date('2026-12-01T00:00:00Z');
  let copy: string;
  let copyId: string;

  beforeAll(async () => {
    a = await makeBackups(path.join(t.dir, 'a'), { kind: 'local', name: 'disk', path: folder }, DAYS);
    copy = path.join(t.dir, 'copy');
    cpSync(folder, copy, { recursive: true });
    b = await tempCore(path.join(t.dir, 'b'), undefined, { clock: () => bClock });
    copyId = (await b.call('destinations:create', { kind: 'local', name: 'copy', path: copy })).id;
  });
  afterAll(() => {
    a?.core.close();
    b?.close();
    t.cleanup();
  });

  const key = (i: number): string => a.runs[i]!.objects[0]!.key;
  const idA = (i: number): string => backupIdOf(a.destinationId, key(i));
  const idB = (i: number): string => backupIdOf(copyId, key(i));

  it('verify reads every byte back: a sound backup passes (with its age payload authenticated where the identity is at hand) and the verdict is kept', async () => {
    a.setClock(new Date('2026-11-05T10:00:00Z'));
    const own = await a.core.call('backups:verify', { id: idA(3) });
    expect(own).toMatchObject({ ok: true, age: 'authenticated', bytesRead: a.runs[3]!.objects[0]!.size, sha256: { ok: true, expected: a.runs[3]!.objects[0]!.sha256, actual: a.runs[3]!.objects[0]!.sha256 } });
    expect(own.message).toMatch(/^Read all [\d.]+ KiB back: the sha256 matches the manifest\. The whole age payload authenticated with the identity of profile "team"\.$/);
    expect(own.backup.lastVerified).toEqual({ at: '2026-11-05T10:00:00.000Z', ok: true, message: own.message });
    const listed = (await a.core.call('backups:list', {})).backups.find((x) => x.id === idA(3))!;
    expect(listed.lastVerified).toEqual({ at: '2026-11-05T10:00:00.000Z', ok: true, message: own.message });

    const other = await b.call('backups:verify', { id: idB(3) });
    expect(other).toMatchObject({ ok: true, age: 'not-checked' });
    expect(other.message).toContain('The age payload was not authenticated: no encryption profile here holds the identity of its recipients (fingerprints ');
  });

  it('verify catches a flipped byte, and says so in the listing', async () => {
    flipByte(path.join(copy, key(2)), -100);
    bClock = new Date('2026-12-01T01:00:00Z');
    const v = await b.call('backups:verify', { id: idB(2) });
    expect(v.ok).toBe(false);
    expect(v.sha256.ok).toBe(false);
    expect(v.sha256.actual).toBe(sha256Of(path.join(copy, key(2))));
    expect(v.message).toBe(
      `The stored bytes do not match the manifest: sha256 ${v.sha256.actual}, expected ${a.runs[2]!.objects[0]!.sha256}. The object (or the manifest beside it) was changed or damaged after it was stored. The age payload was not authenticated: no encryption profile here holds the identity of its recipients (fingerprints ${v.backup.encryption?.kind === 'age' ? v.backup.encryption.recipients[0]!.fingerprint : ''}).`,
    );
    const listed = (await b.call('backups:list', { destinationId: copyId })).backups.find((x) => x.id === idB(2))!;
    expect(listed.lastVerified).toEqual({ at: '2026-12-01T01:00:00.000Z', ok: false, message: v.message });
  });

  it('with the identity at hand, a sha256 mismatch on a payload that authenticates whole is laid at the manifest, not the object', async () => {
    const manifestFile = path.join(folder, `${key(0)}.manifest.json`);
    const original = readFileSync(manifestFile, 'utf8');
    const manifest = JSON.parse(original) as { object: { sha256: string } };
    manifest.object.sha256 = 'f'.repeat(64);
    writeFileSync(manifestFile, JSON.stringify(manifest));
    try {
      const v = await a.core.call('backups:verify', { id: idA(0) });
      expect(v).toMatchObject({ ok: false, age: 'authenticated', sha256: { ok: false } });
      expect(v.message).toContain('The whole age payload authenticated, so the object is as it was encrypted: the manifest beside it was changed or damaged, or belongs to another object. It authenticated with the identity of profile "team".');
    } finally {
      writeFileSync(manifestFile, original);
    }
  });

  it('with the identity at hand, verify catches a tampered age payload even when the manifest was rewritten to match it', async () => {
    // Someone who can write the storage changes the payload and the manifest's checksum alike.
    const file = path.join(folder, key(1));
    flipByte(file, -200);
    reseal(file);
    const v = await a.core.call('backups:verify', { id: idA(1) });
    expect(v).toMatchObject({ ok: false, age: 'failed', sha256: { ok: true } });
    expect(v.message).toMatch(/^Read all [\d.]+ KiB back: the sha256 matches the manifest\. The age payload failed authentication with the identity of profile "team": /);
    // Without the identity, only the checksum can be checked, and it matches.
    cpSync(file, path.join(copy, key(1)));
    cpSync(`${file}.manifest.json`, path.join(copy, `${key(1)}.manifest.json`));
    expect(await b.call('backups:verify', { id: idB(1) })).toMatchObject({ ok: true, age: 'not-checked' });
  });

  it('download writes the whole file and its manifest beside it, checked against the manifest, and never replaces a file', async () => {
    const out = path.join(t.dir, 'downloads', 'one');
    const d = await b.call('backups:download', { id: idB(3), path: path.join(out, 'restore-me.age') });
    expect(d).toEqual({ path: path.join(out, 'restore-me.age'), manifestPath: path.join(out, 'restore-me.age.manifest.json'), size: a.runs[3]!.objects[0]!.size, sha256: a.runs[3]!.objects[0]!.sha256 });
    expect(readFileSync(d.path).equals(readFileSync(path.join(copy, key(3))))).toBe(true);
    expect(readFileSync(d.manifestPath, 'utf8')).toBe(readFileSync(path.join(copy, `${key(3)}.manifest.json`), 'utf8'));
    expect(filesUnder(out)).toEqual(['restore-me.age', 'restore-me.age.manifest.json']);
    // Into a folder: under the object's own name.
    const intoFolder = await b.call('backups:download', { id: idB(3), path: path.join(t.dir, 'downloads') });
    expect(intoFolder.path).toBe(path.join(t.dir, 'downloads', path.basename(key(3))));
    // Never over an existing file.
    const again = await failure(b.call('backups:download', { id: idB(3), path: d.path }));
    expect(again.code).toBe('VALIDATION_FAILED');
    expect(again.message).toBe(`${d.path} already exists: choose another path, or remove it first. Nothing was downloaded.`);
    expect(filesUnder(out)).toEqual(['restore-me.age', 'restore-me.age.manifest.json']);
  });

  it('a download that does not match the manifest leaves nothing behind, not even a temporary file or the folders made for it', async () => {
    const out = path.join(t.dir, 'downloads', 'damaged');
    mkdirSync(out, { recursive: true });
    const error = await failure(b.call('backups:download', { id: idB(2), path: path.join(out, 'x.age') }));
    expect(error.code).toBe('INTEGRITY_FAILED');
    expect(error.message).toContain(`The stored copy of ${key(2)} on destination "copy" does not match its manifest (`);
    expect(filesUnder(out)).toEqual([]);
    // Into folders that do not exist yet (a file path, or a folder path ending in /): they are made
    // for the copy and go with it; the folder that was there before stays.
    for (const target of [path.join(out, 'new', 'deeper', 'x.age'), `${path.join(out, 'new', 'folder')}${path.sep}`]) {
      const deep = await failure(b.call('backups:download', { id: idB(2), path: target }));
      expect([deep.code, deep.message], target).toEqual(['INTEGRITY_FAILED', error.message]);
      expect(readdirSync(out), target).toEqual([]);
    }
    // A place that cannot hold the copy (its folder is a file): said in words, nothing left.
    const blocker = path.join(out, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const refused = await failure(b.call('backups:download', { id: idB(3), path: path.join(blocker, 'x.age') }));
    expect(refused.code).toBe('FILE_WRITE_FAILED');
    expect(refused.message).toBe(`Could not write the copy of ${key(3)} to ${path.join(blocker, 'x.age')}: part of ${path.join(blocker, 'x.age')} is a file where a folder should be.`);
    expect(filesUnder(out)).toEqual(['not-a-folder']);
  });

  it.skipIf(shouldSkip('mounting test file systems', mountUnavailable()))('a download onto a full disk says so, and leaves neither the copy, its manifest nor a temporary file', async () => {
    const disk = mountTmpfs(path.join(t.dir, 'full'), '64k');
    try {
      fillUp(path.join(disk.dir, 'filler'));
      const target = path.join(disk.dir, 'x.age');
      const error = await failure(b.call('backups:download', { id: idB(3), path: target }));
      expect(error.code).toBe('FILE_WRITE_FAILED');
      expect(error.message).toBe(`Could not write the copy of ${key(3)} to ${target}: no space left on the device holding ${disk.dir}.`);
      expect(readdirSync(disk.dir)).toEqual(['filler']);
    } finally {
      disk.unmount();
    }
  });

  it('pin keeps a backup found only on the destination until unpinned or its end; delete refuses it and touches nothing, then removes manifest and object', async () => {
    const file = path.join(copy, key(0));
    const pinned = await b.call('backups:pin', { id: idB(0), until: '2026-12-31T00:00:00Z' });
    expect([pinned.pinned, pinned.pinnedUntil]).toEqual([true, '2026-12-31T00:00:00.000Z']);
    const refused = await failure(b.call('backups:delete', { id: idB(0) }));
    expect(refused.code).toBe('BACKUP_PINNED');
    expect(refused.message).toBe(`Backup ${key(0)} on destination "copy" is pinned, so it is kept. Unpin it first to delete it.`);
    expect([existsSync(file), existsSync(`${file}.manifest.json`)]).toEqual([true, true]);
    // The pin ends by itself.
    bClock = new Date('2027-01-01T00:00:00Z');
    expect((await b.call('backups:get', { id: idB(0) })).pinned).toBe(false);
    await b.call('backups:pin', { id: idB(0) });
    expect(await b.call('backups:get', { id: idB(0) })).toMatchObject({ pinned: true, pinnedUntil: null });
    const past = await failure(b.call('backups:pin', { id: idB(0), until: '2026-01-01T00:00:00Z' }));
    expect(past.message).toBe(`A pin must end in the future: ${localMinuteWords('2026-01-01T00:00:00Z')} has passed.`);
    expect(past.message).toMatch(/: 20(26-01-01|25-12-31) \d\d:\d\d \(UTC[^)]*\) has passed\.$/);

    await b.call('destinations:lock', { id: copyId });
    await b.call('backups:unpin', { id: idB(0) });
    const locked = await failure(b.call('backups:delete', { id: idB(0) }));
    expect(locked.code).toBe('DESTINATION_LOCKED');
    expect([existsSync(file), existsSync(`${file}.manifest.json`)]).toEqual([true, true]);
    await b.call('destinations:unlock', { id: copyId });

    expect(await b.call('backups:delete', { id: idB(0) })).toEqual({ id: idB(0) });
    expect([existsSync(file), existsSync(`${file}.manifest.json`)]).toEqual([false, false]);
    expect((await b.call('backups:list', { destinationId: copyId })).backups.map((x) => x.key)).not.toContain(key(0));
    const gone = await failure(b.call('backups:get', { id: idB(0) }));
    expect(gone.code).toBe('NOT_FOUND');
  });

  it('a pin is kept at the destination too: another install sharing it sees it, and its delete and retention keep the backup until it is unpinned', async () => {
    const other = await tempCore(path.join(t.dir, 'other'));
    try {
      const shared = (await other.call('destinations:create', { kind: 'local', name: 'same-disk', path: folder })).id;
      const idO = backupIdOf(shared, key(2));
      await a.core.call('backups:pin', { id: idA(2), until: '2099-06-30T12:00:00Z' });
      // Beside the backup, named for its end, with a sentence for a person browsing the folder.
      const marker = path.join(folder, `${key(2)}.vaultdesk-pin-until-20990630T120000Z`);
      expect(readFileSync(marker, 'utf8')).toMatch(new RegExp(`^${key(2).replace(/[.]/g, '\\.')} was pinned with Vaultdesk by \\S+ at \\S+: retention and delete keep it until 2099-06-30T12:00:00.000Z, in every Vaultdesk that uses this destination\\.`));
      // Not a backup of its own, nor an incomplete object.
      const listed = (await other.call('backups:list', { destinationId: shared, refresh: true })).backups;
      expect(listed.map((x) => x.key).sort()).toEqual([key(0), key(1), key(2), key(3)].sort());
      expect(listed.find((x) => x.key === key(2))).toMatchObject({ pinned: true, pinnedUntil: '2099-06-30T12:00:00.000Z' });
      const refused = await failure(other.call('backups:delete', { id: idO }));
      expect(refused.code).toBe('BACKUP_PINNED');
      expect(refused.message).toBe(
        `Backup ${key(2)} on destination "same-disk" is pinned at the destination until ${localMinuteWords('2099-06-30T12:00:00.000Z')} (by this or another Vaultdesk that uses it), so it is kept. Unpin it first to delete it.`,
      );
      expect(existsSync(path.join(folder, key(2)))).toBe(true);
      // A pin for good replaces the first: one marker, and the pin holds throughout.
      await a.core.call('backups:pin', { id: idA(2) });
      expect(readdirSync(path.dirname(marker)).filter((f) => f.includes('.vaultdesk-pin'))).toEqual([`${path.basename(key(2))}.vaultdesk-pin`]);
      expect(await other.call('backups:get', { id: idO })).toMatchObject({ pinned: true, pinnedUntil: null });
      // Unpinned where it was pinned: the other install may delete it, and nothing of the pin is left.
      await a.core.call('backups:unpin', { id: idA(2) });
      expect(await other.call('backups:get', { id: idO })).toMatchObject({ pinned: false });
      await other.call('backups:delete', { id: idO });
      expect(readdirSync(path.dirname(marker)).filter((f) => f.startsWith(path.basename(key(2))))).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('an explorer pin is the one retention honours, and an object without a manifest can be deleted but not pinned', async () => {
    await a.core.call('backups:pin', { id: idA(0) });
    const preview = await a.core.call('jobs:retentionPreview', { id: a.jobId, retention: { keepLast: 1, minimum: 0 } });
    expect(preview.destinations[0]!.databases[0]!.backups.find((x) => x.key === key(0))).toMatchObject({ pinned: true, action: 'keep', reasons: ['pinned'] });

    const stray = path.join(copy, 'stray', 'left.bin');
    mkdirSync(path.dirname(stray), { recursive: true });
    writeFileSync(stray, 'x');
    const id = backupIdOf(copyId, 'stray/left.bin');
    const refused = await failure(b.call('backups:pin', { id }));
    expect(refused.message).toBe('stray/left.bin on destination "copy" cannot be pinned: no manifest beside it, so it is not a complete backup: an upload that never finished, or a file Vaultdesk did not write.');
    expect((await failure(b.call('backups:verify', { id }))).code).toBe('VALIDATION_FAILED');
    await b.call('backups:delete', { id });
    expect(existsSync(stray)).toBe(false);
  });

  it('download links are for S3 only: a local folder says what to do instead', async () => {
    const error = await failure(b.call('backups:url', { id: idB(3) }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(`Destination "copy" is a local folder: download links exist for S3 destinations only. Use vaultdesk backup download ${idB(3)} -o PATH instead.`);
  });

  it('a backup a restore reads now is not deleted under it: delete says which restore, and works once it has ended', async () => {
    a.core.host.ensureRegistered();
    const restoreId = recordRunningRestore(a.core, {
      backupId: idA(1),
      destinationId: a.destinationId,
      key: key(1),
      engine: 'sqlite',
      targetSourceId: a.core.sources.list()[0]!.id,
      requestedBy: 'dba@here (cli)',
      owner: { startId: a.core.host.identity.startId, pid: process.pid },
    });
    const refused = await failure(a.core.call('backups:delete', { id: idA(1) }));
    expect(refused.toPayload()).toMatchObject({
      code: 'IN_USE',
      message: `Backup ${key(1)} on destination "disk" is being read by a restore now (restore ${restoreId}, by dba@here (cli)), so it is kept: delete it once that has ended.`,
    });
    expect(existsSync(path.join(folder, key(1)))).toBe(true);
    a.core.restores.finish(restoreId, { status: 'succeeded', stage: 'count', finishedAt: new Date().toISOString(), bytesRead: 1, databases: [], drill: null, error: null, message: 'Restored.' });
    await a.core.call('backups:delete', { id: idA(1) });
    expect(existsSync(path.join(folder, key(1)))).toBe(false);
  });

  it("a verify that passed is not shown once the backup lost its manifest: it said nothing of what is there now", async () => {
    const manifest = path.join(folder, `${key(3)}.manifest.json`);
    expect((await a.core.call('backups:get', { id: idA(3) })).lastVerified).toMatchObject({ ok: true });
    const kept = readFileSync(manifest);
    rmSync(manifest);
    try {
      const listed = (await a.core.call('backups:list', { refresh: true })).backups.find((x) => x.id === idA(3))!;
      expect(listed).toMatchObject({ status: 'incomplete', complete: false, lastVerified: null });
    } finally {
      writeFileSync(manifest, kept);
    }
    // Back beside its object, the backup is complete again, and the verdict that was kept is shown again.
    expect((await a.core.call('backups:list', { refresh: true })).backups.find((x) => x.id === idA(3))).toMatchObject({ status: 'complete', lastVerified: { ok: true } });
  });
});
