import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { ensureFolder, ensureFolderSync } from './ensure-folder';
import { describeFsError, FolderNotCreatableError } from './fs-errors';

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe.each([
  ['ensureFolder', (dir: string, mode?: number) => ensureFolder(dir, { mode })],
  ['ensureFolderSync', (dir: string, mode?: number) => ensureFolderSync(dir, { mode })],
] as const)('%s', (_name, ensure) => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('vaultdesk-ensure-')));
  afterEach(() => cleanup());

  it('creates every missing folder, with the mode asked for, and accepts one that exists', async () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    await ensure(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o700);
    await ensure(deep);
    await ensure(dir);
  });

  it('a file in the way is named as such', async () => {
    writeFileSync(path.join(dir, 'file'), '');
    const target = path.join(dir, 'file', 'sub', 'deeper');
    const error = await failure(() => ensure(target));
    expect(describeFsError(error, { path: target }).words).toBe(`part of ${target} is a file where a folder should be`);
    const onFile = await failure(() => ensure(path.join(dir, 'file')));
    expect((onFile as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  });

  it('/proc/x fails at once with FolderNotCreatableError instead of looping', async () => {
    const error = await failure(() => ensure('/proc/x/y'));
    expect(error).toBeInstanceOf(FolderNotCreatableError);
    expect(error).toMatchObject({ path: '/proc/x', parent: '/proc', code: 'ENOENT' });
  });

  it('a folder made by someone else between the check and the mkdir is fine', async () => {
    // Two callers at once: both see it missing, one makes it first.
    const target = path.join(dir, 'race', 'x');
    await Promise.all([ensure(target), ensure(target), Promise.resolve(mkdirSync(path.join(dir, 'race'), { recursive: true }))]);
    expect(statSync(target).isDirectory()).toBe(true);
  });
});

it('ensureFolder within a folder that must exist makes the folders below it, and never it: its absence is ENOENT naming it, with nothing made', async () => {
  const t = tempDir('vaultdesk-ensure-within-');
  try {
    const root = path.join(t.dir, 'nas');
    const error = await failure(() => ensureFolder(path.join(root, 'prod', 'shop'), { within: root }));
    expect(error).toMatchObject({ code: 'ENOENT', path: root });
    expect(readdirSync(t.dir)).toEqual([]);
    mkdirSync(root);
    expect(await ensureFolder(path.join(root, 'prod', 'shop'), { within: root })).toEqual([path.join(root, 'prod'), path.join(root, 'prod', 'shop')]);
  } finally {
    t.cleanup();
  }
});
