import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DestinationDto } from '../../../shared/domain/dto';
import type { AppError } from '../../../shared/ipc/result';
import { hungMountUnavailable, mountHung, type HungMount } from '../testing/hung-mount';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { createDestinationDriver } from './destination';

function localDto(dir: string): DestinationDto {
  const now = new Date().toISOString();
  return { id: 'd1', name: 'local-hung', kind: 'local', config: { kind: 'local', path: dir }, locked: false, isDefault: false, hasSecret: false, hasPassphrase: false, hasPassword: false, hasPrivateKey: false, jobNames: [], lastTest: null, createdAt: now, updatedAt: now };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the promise to fail');
}

/** Generous: a hang runs into the test timeout; this only says "ended by the 1 s call deadline". */
const PROMPT_MS = 15_000;

async function promptly<T>(work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  expect(Date.now() - started).toBeLessThan(PROMPT_MS);
  return result;
}

const silence = (root: string, doing: string): string =>
  `Folder ${root} did not answer within 1 s (${doing}): the disk or network share holding it has stopped responding. Check that it is still mounted and reachable; the operation was given up.`;

/**
 * A real FUSE mount that stops answering (testing/hung-mount.ts): what a hung NFS share does
 * to every call under it. Each operation must come back on its own, in words.
 */
describe.skipIf(shouldSkip('a FUSE test mount', hungMountUnavailable()))('local destination on a share that stops answering', () => {
  const t = tempDir('vaultdesk-hung-');
  let mount: HungMount | null = null;
  afterEach(async () => {
    // Kills the server first: that fails every call still waiting and frees the threads they hold.
    await mount?.release();
    mount = null;
  });
  afterAll(() => t.cleanup());

  it('nothing answers: test, put, list, stat, get and delete each fail with DESTINATION_UNREACHABLE', async () => {
    mount = await mountHung(path.join(t.dir, 'silent'), 'silent');
    const root = path.join(mount.dir, 'backups');
    const driver = createDestinationDriver(localDto(root), {}, { requestTimeoutMs: 1000 });
    // Each first looks at the root (it is never made at run time), which is what hangs first.
    expect(await promptly(() => driver.test())).toEqual({ success: false, message: silence(root, `reading ${root}`) });
    const calls: [string, () => Promise<unknown>, string][] = [
      ['put', () => driver.put('prod/a.dump', Readable.from([Buffer.from('x')])), `reading ${root}`],
      ['list', () => driver.list(''), `reading ${root}`],
      ['stat', () => driver.stat('prod/a.dump'), `reading ${path.join(root, 'prod', 'a.dump')}`],
      ['get', () => driver.get('prod/a.dump'), `opening ${path.join(root, 'prod', 'a.dump')}`],
      ['delete', () => driver.delete('prod/a.dump'), `removing ${path.join(root, 'prod', 'a.dump')}`],
    ];
    for (const [name, call, doing] of calls) {
      const error = await promptly(() => rejection(call()));
      expect(error.code, name).toBe('DESTINATION_UNREACHABLE');
      expect(error.message, name).toBe(silence(root, doing));
    }
  });

  it('writes never acknowledged: put() fails once the disk has owed an answer for the deadline', async () => {
    mount = await mountHung(path.join(t.dir, 'no-writes'), 'writes-hang');
    const root = path.join(mount.dir, 'backups');
    mkdirSync(root);
    const driver = createDestinationDriver(localDto(root), {}, { requestTimeoutMs: 1000 });
    const progress: number[] = [];
    const error = await promptly(() => rejection(driver.put('prod/a.dump', Readable.from([Buffer.alloc(256 * 1024, 7)]), { onProgress: (n) => progress.push(n) })));
    expect(error.code).toBe('DESTINATION_UNREACHABLE');
    expect(error.message).toBe(silence(root, `writing ${path.join(root, 'prod', 'a.dump.partial')}`));
    // The folder and the .partial were made (the share answered those); the bytes were handed over.
    expect(progress.at(-1)).toBe(256 * 1024);
  });
});
