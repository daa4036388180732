import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { DestinationDto } from '../../../shared/domain/dto';
import type { AppError } from '../../../shared/ipc/result';
import { bindReadOnly, fillUp, mountTmpfs, mountUnavailable } from '../testing/mounts';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { createDestinationDriver } from './destination';

const MiB = 1024 * 1024;
const BARE_ERRNO = /\bE[A-Z]{3,}\b/;

function localDto(dir: string): DestinationDto {
  const now = new Date().toISOString();
  return { id: 'd1', name: 'local-test', kind: 'local', config: { kind: 'local', path: dir }, locked: false, isDefault: false, hasSecret: false, hasPassphrase: false, hasPassword: false, hasPrivateKey: false, jobNames: [], lastTest: null, createdAt: now, updatedAt: now };
}

/** Every entry under `dir` (files and folders), relative, so a test can say "nothing else is there". */
function entriesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function randomStream(total: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const chunk = randomBytes(Math.min(256 * 1024, total - sent));
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the promise to fail');
}

/** Generous: the point is "returns", not "is fast"; a hang would run into the test timeout. */
const PROMPT_MS = 20_000;

describe('local destination on a path where mkdir cannot succeed', () => {
  it('/proc/x: test() and put() fail promptly, in words', async () => {
    // Saving it is refused in words of its own (local-root.test.ts); a run or a test finds no folder.
    const driver = createDestinationDriver(localDto('/proc/x'), {});
    const started = Date.now();
    const result = await driver.test();
    expect(result.success).toBe(false);
    expect(result.message).toMatch(/^The folder \/proc\/x of destination "local-test" does not exist\./);
    const error = await rejection(driver.put('prod/a.dump', Readable.from([Buffer.from('x')])));
    expect(error.code).toBe('DESTINATION_UNREACHABLE');
    expect(error.message).toBe(result.message);
    expect(error.message).not.toMatch(BARE_ERRNO);
    expect((await rejection(driver.list(''))).code).toBe('DESTINATION_UNREACHABLE');
    expect(await driver.stat('prod/a.dump')).toBeNull();
    await driver.delete('prod/a.dump');
    expect((await rejection(driver.get('prod/a.dump'))).code).toBe('OBJECT_NOT_FOUND');
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
  });

  it('a FIFO left where the .partial goes is replaced, not opened (which would wait for a reader forever)', async () => {
    const t = tempDir('vaultdesk-fifo-');
    try {
      const root = path.join(t.dir, 'backups');
      mkdirSync(path.join(root, 'prod'), { recursive: true });
      execFileSync('mkfifo', [path.join(root, 'prod', 'a.dump.partial')]);
      const driver = createDestinationDriver(localDto(root), {});
      expect(await driver.put('prod/a.dump', Readable.from([Buffer.from('fifo-safe')]))).toEqual({ size: 9 });
      expect(readFileSync(path.join(root, 'prod', 'a.dump'), 'utf8')).toBe('fifo-safe');
      expect(entriesUnder(root)).toEqual(['prod', path.join('prod', 'a.dump')]);
    } finally {
      t.cleanup();
    }
  });
});

describe.skipIf(shouldSkip('mounting test file systems', mountUnavailable()))('local destination on a full or read-only file system', () => {
  const t = tempDir('vaultdesk-local-mounts-');
  const undo: (() => void)[] = [];
  afterAll(() => {
    // Unmount even when a test failed, before the temp folder goes.
    for (const u of undo.reverse()) u();
    t.cleanup();
  });

  it('a disk that fills up mid-write: DESTINATION_WRITE_FAILED naming the folder, the .partial removed, and the next put succeeds', async () => {
    const disk = mountTmpfs(path.join(t.dir, 'small'), '4m');
    undo.push(disk.unmount);
    const root = path.join(disk.dir, 'backups');
    mkdirSync(root);
    const driver = createDestinationDriver(localDto(root), {});
    const progress: number[] = [];
    const error = await rejection(driver.put('prod/big.dump', randomStream(8 * MiB), { onProgress: (n) => progress.push(n) }));
    expect(error.code).toBe('DESTINATION_WRITE_FAILED');
    expect(error.message).toBe(`Could not write prod/big.dump to folder ${root}: no space left on the device holding ${root}.`);
    expect(error.details).toMatchObject({ problem: 'full', errno: 'ENOSPC' });
    // It did fill up mid-write: bytes went in before the disk said no.
    expect(progress.at(-1)).toBeGreaterThan(MiB);
    expect(entriesUnder(root)).toEqual(['prod']);
    expect(await driver.stat('prod/big.dump')).toBeNull();

    const small = randomBytes(MiB);
    expect(await driver.put('prod/small.dump', Readable.from([small]))).toEqual({ size: MiB });
    expect(readFileSync(path.join(root, 'prod', 'small.dump')).equals(small)).toBe(true);
    expect(entriesUnder(root)).toEqual(['prod', path.join('prod', 'small.dump')]);
  });

  it('test() on a full disk says so instead of claiming the folder is writable', async () => {
    const disk = mountTmpfs(path.join(t.dir, 'full'), '256k');
    undo.push(disk.unmount);
    // Fill every block: the probe file then cannot be written.
    fillUp(path.join(disk.dir, 'filler'));
    const result = await createDestinationDriver(localDto(disk.dir), {}).test();
    expect(result).toEqual({ success: false, message: `Folder ${disk.dir} cannot be used: no space left on the device holding ${disk.dir}.` });
    expect(entriesUnder(disk.dir)).toEqual(['filler']);
  });

  it('a read-only bind mount: test() and put() say "read-only file system" and leave nothing', async () => {
    const source = path.join(t.dir, 'rw');
    mkdirSync(path.join(source, 'prod'), { recursive: true });
    const ro = bindReadOnly(source, path.join(t.dir, 'ro'));
    undo.push(ro.unmount);
    const driver = createDestinationDriver(localDto(ro.dir), {});
    expect(await driver.test()).toEqual({ success: false, message: `Folder ${ro.dir} cannot be used: ${ro.dir} is on a read-only file system.` });
    // Into an existing folder (open fails) and into a new one (mkdir fails).
    for (const key of ['prod/a.dump', 'staging/b.dump']) {
      const error = await rejection(driver.put(key, randomStream(MiB)));
      expect(error.code).toBe('DESTINATION_WRITE_FAILED');
      expect(error.message).toBe(`Could not write ${key} to folder ${ro.dir}: ${ro.dir} is on a read-only file system.`);
    }
    expect(entriesUnder(source)).toEqual(['prod']);
    expect(await driver.list('')).toEqual([]);
  });
});
