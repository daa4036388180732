import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freeze, immutableUnavailable, thaw } from '../testing/immutable-folder';
import { shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { unlinkIfThere } from './unlink-if-there';

describe('unlinkIfThere', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('vaultdesk-unlink-')));
  afterEach(() => cleanup());

  it('removes a file, and a file already gone is no error', async () => {
    const file = path.join(dir, 'scratch.sqlite');
    writeFileSync(file, 'x');
    await unlinkIfThere(file);
    expect(existsSync(file)).toBe(false);
    await expect(unlinkIfThere(file)).resolves.toBeUndefined();
  });

  it.skipIf(shouldSkip('an immutable folder', immutableUnavailable()))('a file it may not remove fails with the unlink refused, naming the file', async () => {
    // Even root may not remove a file from an immutable folder.
    const folder = path.join(dir, 'frozen');
    mkdirSync(folder);
    const file = path.join(folder, 'scratch.sqlite');
    writeFileSync(file, 'x');
    freeze(folder);
    try {
      await expect(unlinkIfThere(file)).rejects.toThrow(`EPERM: operation not permitted, unlink '${file}'`);
    } finally {
      thaw(folder);
    }
    expect(existsSync(file)).toBe(true);
  });
});
