import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { tempDir } from '../testing/temp-dir';
import { createDestinationDriver, type DestinationDriver } from './destination';

function localDto(dir: string): DestinationDto {
  const now = new Date().toISOString();
  return { id: 'd1', name: 'local-test', kind: 'local', config: { kind: 'local', path: dir }, locked: false, isDefault: false, hasSecret: false, hasPassphrase: false, hasPassword: false, hasPrivateKey: false, jobNames: [], lastTest: null, createdAt: now, updatedAt: now };
}

/** Every file under `dir`, relative, so a test can say "nothing else is there". */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Emits `chunks` then either ends, fails, or stalls (so the test can abort it mid-stream). */
function source(chunks: Buffer[], end: 'end' | 'fail' | 'stall'): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else if (end === 'end') this.push(null);
      else if (end === 'fail') this.destroy(new Error('pg_dump exited with code 1'));
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError | Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to fail');
}

describe('local destination', () => {
  let dir: string;
  let cleanup: () => void;
  let driver: DestinationDriver;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('vaultdesk-local-'));
    // The root exists, as a saved destination's does (local-root.ts); the folders below it are the driver's.
    mkdirSync(path.join(dir, 'backups'));
    driver = createDestinationDriver(localDto(path.join(dir, 'backups')), {});
  });
  afterEach(async () => {
    await driver.close();
    cleanup();
  });

  it('stores a stream and reads back the same bytes, creating the folders', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const progress: number[] = [];
    const key = 'prod/nightly/shop/20261126T053000Z.dump.zst.age';
    const result = await driver.put(key, Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { onProgress: (n) => progress.push(n) });
    expect(result.size).toBe(data.length);
    expect(progress.at(-1)).toBe(data.length);
    expect(readFileSync(path.join(dir, 'backups', 'prod', 'nightly', 'shop', '20261126T053000Z.dump.zst.age')).equals(data)).toBe(true);
    expect((await buffer(await driver.get(key))).equals(data)).toBe(true);
    expect(filesUnder(path.join(dir, 'backups'))).toEqual([path.join('prod', 'nightly', 'shop', '20261126T053000Z.dump.zst.age')]);
    // Its owner's only, whatever the umask: a dump may be unencrypted.
    expect(statSync(path.join(dir, 'backups', 'prod', 'nightly', 'shop', '20261126T053000Z.dump.zst.age')).mode & 0o777).toBe(0o600);
    for (const folder of ['prod', 'prod/nightly', 'prod/nightly/shop']) expect(statSync(path.join(dir, 'backups', folder)).mode & 0o777).toBe(0o700);
  });

  it('lists recursively by prefix, stats and deletes', async () => {
    await driver.put('prod/a/1.dump', Readable.from([Buffer.from('one')]));
    await driver.put('prod/b/2.dump', Readable.from([Buffer.from('two!')]));
    await driver.put('staging/3.dump', Readable.from([Buffer.from('three')]));
    writeFileSync(path.join(dir, 'backups', 'prod', 'a', '9.dump.partial'), 'in progress');

    expect((await driver.list('')).map((o) => o.key)).toEqual(['prod/a/1.dump', 'prod/b/2.dump', 'staging/3.dump']);
    expect((await driver.list('prod/')).map((o) => [o.key, o.size])).toEqual([['prod/a/1.dump', 3], ['prod/b/2.dump', 4]]);
    expect((await driver.list('prod/b')).map((o) => o.key)).toEqual(['prod/b/2.dump']);
    expect(await driver.list('nothing/here/')).toEqual([]);

    const st = await driver.stat('prod/b/2.dump');
    expect(st?.size).toBe(4);
    expect(st?.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await driver.stat('prod/b/missing.dump')).toBeNull();

    await driver.delete('prod/b/2.dump');
    await driver.delete('prod/b/2.dump');
    expect(await driver.stat('prod/b/2.dump')).toBeNull();
    expect((await rejection(driver.get('prod/b/2.dump')) as AppError).code).toBe('OBJECT_NOT_FOUND');
  });

  it('an abort mid-stream leaves nothing behind and reports CANCELLED', async () => {
    const controller = new AbortController();
    const body = source([randomBytes(256 * 1024), randomBytes(256 * 1024)], 'stall');
    const seen: number[] = [];
    const put = driver.put('prod/x.dump', body, {
      signal: controller.signal,
      onProgress: (n) => {
        seen.push(n);
        if (n >= 512 * 1024) controller.abort();
      },
    });
    const error = (await rejection(put)) as AppError;
    expect(error.code).toBe('CANCELLED');
    expect(seen.at(-1)).toBe(512 * 1024);
    expect(filesUnder(path.join(dir, 'backups'))).toEqual([]);
  });

  it('a read stopped through its signal ends with CANCELLED, not a bare AbortError', async () => {
    await driver.put('prod/r.dump', Readable.from([randomBytes(4 * 1024 * 1024)]));
    const controller = new AbortController();
    const stream = await driver.get('prod/r.dump', { signal: controller.signal });
    controller.abort();
    const error = (await rejection(buffer(stream))) as AppError;
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe(`Reading prod/r.dump from folder ${path.join(dir, 'backups')} was cancelled.`);
  });

  it('a failing input stream leaves nothing and its own error comes back unchanged', async () => {
    const error = await rejection(driver.put('prod/y.dump', source([randomBytes(100_000)], 'fail')));
    expect(error.message).toBe('pg_dump exited with code 1');
    expect(filesUnder(path.join(dir, 'backups'))).toEqual([]);
    expect(await driver.stat('prod/y.dump')).toBeNull();
  });

  it('a failure on the destination side is DESTINATION_WRITE_FAILED and commits nothing', async () => {
    // Something that is not ours sits where the .partial file must go.
    const blocker = path.join(dir, 'backups', 'prod', 'z.dump.partial');
    mkdirSync(blocker, { recursive: true });
    const error = (await rejection(driver.put('prod/z.dump', source([randomBytes(100_000)], 'end')))) as AppError;
    expect(error.code).toBe('DESTINATION_WRITE_FAILED');
    expect(error.message).toContain('prod/z.dump');
    expect(await driver.stat('prod/z.dump')).toBeNull();
    expect(existsSync(blocker)).toBe(true);
  });

  it('refuses keys that would escape the folder, before writing anything', async () => {
    const outside = path.join(dir, 'escaped');
    for (const key of ['../escaped', 'a/../../escaped', '/etc/passwd', 'a\\..\\..\\escaped', 'C:/x', 'a//b', './a', '', 'a/', 'x.partial']) {
      const error = (await rejection(driver.put(key, Readable.from([Buffer.from('x')])))) as AppError;
      expect(error.code, key).toBe('VALIDATION_FAILED');
      expect((await rejection(driver.get(key))) as AppError).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((await rejection(driver.delete(key))) as AppError).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect((await rejection(driver.list('../'))) as AppError).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(existsSync(outside)).toBe(false);
    expect(filesUnder(dir)).toEqual([]);
  });

  it('test() reports a writable folder, and a folder it may not write in', async () => {
    const ok = await driver.test();
    expect(ok.success).toBe(true);
    expect(ok.message).toMatch(/backups is writable \(.* free\)/);
    expect(filesUnder(path.join(dir, 'backups'))).toEqual([]);

    // A regular file where the folder should be is refused by every user, root included.
    writeFileSync(path.join(dir, 'not-a-folder'), '');
    chmodSync(path.join(dir, 'not-a-folder'), 0o400);
    const bad = createDestinationDriver(localDto(path.join(dir, 'not-a-folder', 'sub')), {});
    const result = await bad.test();
    expect(result.success).toBe(false);
    expect(result.message).toContain('not-a-folder');
    expect((await rejection(bad.list(''))) as AppError).toMatchObject({ code: 'DESTINATION_UNREACHABLE' });
  });

  it('a root that is gone (a share not mounted) fails put, test and list in the same words, and is not made', async () => {
    const root = path.join(dir, 'mnt', 'nas', 'backups');
    mkdirSync(path.dirname(root), { recursive: true });
    const nas = createDestinationDriver({ ...localDto(root), name: 'nas' }, {});
    const words = `The folder ${root} of destination "nas" does not exist. If it is on a disk or share that is not mounted, mount it; Vaultdesk does not create it at backup time, so that backups never land on the disk underneath.`;
    const error = (await rejection(nas.put('prod/shop/x.dump', source([randomBytes(1000)], 'end')))) as AppError;
    expect(error).toMatchObject({ code: 'DESTINATION_UNREACHABLE', message: words, details: { reason: 'root-missing', path: root, destination: 'nas' } });
    expect(await nas.test()).toEqual({ success: false, message: words });
    expect((await rejection(nas.list('prod/'))) as AppError).toMatchObject({ code: 'DESTINATION_UNREACHABLE', message: words });
    // Nothing made on the disk underneath: the mount point stays empty.
    expect(existsSync(root)).toBe(false);
    expect(readdirSync(path.dirname(root))).toEqual([]);

    // Mounted again: the job's folders below the root are made as before.
    mkdirSync(root);
    await nas.put('prod/shop/x.dump', Readable.from([Buffer.from('dump')]));
    expect(filesUnder(root)).toEqual(['prod/shop/x.dump']);
  });
});
