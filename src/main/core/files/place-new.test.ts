import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { tempDir } from '../testing/temp-dir';
import { namesFolder, placeNew, placeNewOrRefuse, refuseExisting } from './place-new';

describe('placeNew', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('vaultdesk-place-')));
  afterEach(() => cleanup());
  const failure = (error: unknown): AppError => new AppError('FILE_WRITE_FAILED', `could not: ${(error as NodeJS.ErrnoException).code}`);

  it('puts the finished file in place when the name is free', () => {
    const [tmp, file] = [path.join(dir, '.out.partial'), path.join(dir, 'out.sql')];
    writeFileSync(tmp, 'ours');
    placeNew(tmp, file);
    expect(readFileSync(file, 'utf8')).toBe('ours');
    expect(existsSync(tmp)).toBe(false);
  });

  it('never replaces a file that is there when it places, however late it came (a rename would)', () => {
    const [tmp, file] = [path.join(dir, '.out.partial'), path.join(dir, 'out.sql')];
    writeFileSync(tmp, 'ours');
    writeFileSync(file, 'theirs');
    expect(() => placeNew(tmp, file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('theirs');
    // The caller removes its own temporary file, as after any failure.
    expect(readFileSync(tmp, 'utf8')).toBe('ours');
    const refused = (() => {
      try {
        placeNewOrRefuse(tmp, file, 'decrypted', failure);
      } catch (error) {
        return error as AppError;
      }
      return null;
    })();
    expect(refused?.toPayload()).toMatchObject({ code: 'VALIDATION_FAILED', message: `${file} already exists: choose another path, or remove it first. Nothing was decrypted.`, details: { field: 'path', path: file } });
    expect(readFileSync(file, 'utf8')).toBe('theirs');
  });

  it('a folder at the name is told as a folder, and other failures in the caller\'s words', () => {
    const tmp = path.join(dir, '.out.partial');
    writeFileSync(tmp, 'ours');
    mkdirSync(path.join(dir, 'out'));
    expect(() => placeNew(tmp, path.join(dir, 'out'))).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(() => placeNewOrRefuse(tmp, path.join(dir, 'out'), 'written', failure)).toThrow('could not: EISDIR');
    expect(() => placeNewOrRefuse(tmp, path.join(dir, 'no', 'such', 'out'), 'written', failure)).toThrow('could not: ENOENT');
    expect(() => refuseExisting(path.join(dir, 'out'), 'written')).not.toThrow();
  });

  it('a path typed with a trailing separator names a folder', () => {
    expect([namesFolder('out/'), namesFolder('out\\'), namesFolder('out'), namesFolder('/')]).toEqual([true, true, false, true]);
  });
});
