import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/ipc/result';
import { probeCommand, shouldSkip } from '../testing/services';
import { tempDir } from '../testing/temp-dir';
import { findSevenZip, parseSevenZipVersion } from './seven-zip-tool';

const skip = shouldSkip('7-Zip (7zz, Debian package 7zip)', probeCommand('7zz', []));

const P7ZIP_BANNER = `
7-Zip [64] 16.02 : Copyright (c) 1999-2016 Igor Pavlov : 2016-05-21
p7zip Version 16.02 (locale=C.UTF-8,Utf16=on,HugeFiles=on,64 bits,2 CPUs x64)

Usage: 7z <command> [<switches>...] <archive_name> [<file_names>...]
`;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('parseSevenZipVersion', () => {
  it.each([
    ['7-Zip (z) 26.02 (x64) : Copyright (c) 1999-2026 Igor Pavlov : 2026-06-25', '26.02', 26],
    ['7-Zip (a) 22.01 (x64) : Copyright (c) 1999-2022 Igor Pavlov : 2022-07-15', '22.01', 22],
    ['7-Zip 24.08 (x64) : Copyright (c) 1999-2024 Igor Pavlov : 2024-08-11', '24.08', 24],
    [P7ZIP_BANNER, '16.02', 16],
  ])('reads %j', (banner, text, major) => {
    expect(parseSevenZipVersion(banner)).toEqual({ major, minor: Number(text.split('.')[1]), text });
  });

  it('reads nothing from an unrelated program', () => {
    expect(parseSevenZipVersion('Usage: zip [-options] [-b path]')).toBeNull();
  });
});

describe.skipIf(skip)('findSevenZip (real 7zz, fake old 7z wrappers)', () => {
  let t: ReturnType<typeof tempDir>;
  let oldDir: string;
  let newDir: string;
  let emptyDir: string;
  let real: string;

  beforeAll(async () => {
    t = tempDir('vaultdesk-7z-tool-');
    real = (await findSevenZip({ PATH: process.env.PATH })).path;
    oldDir = path.join(t.dir, 'old');
    newDir = path.join(t.dir, 'new');
    emptyDir = path.join(t.dir, 'empty');
    for (const dir of [oldDir, newDir, emptyDir]) mkdirSync(dir);
    for (const name of ['7z', '7zz']) {
      const file = path.join(oldDir, name);
      // printf is a shell builtin: the wrapper must work with a PATH that holds only its own folder.
      writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' ${P7ZIP_BANNER.split('\n').map((l) => `'${l}'`).join(' ')}\n`);
      chmodSync(file, 0o755);
    }
    symlinkSync(real, path.join(newDir, '7z'));
    const broken = path.join(t.dir, 'not-7zip');
    writeFileSync(broken, '#!/bin/sh\necho "Usage: zip [-options]"\n');
    chmodSync(broken, 0o755);
  });
  afterAll(() => t?.cleanup());

  it('finds the system 7-Zip on PATH, version 22 or newer', async () => {
    const tool = await findSevenZip({ PATH: process.env.PATH });
    expect(path.basename(tool.path)).toMatch(/^7z[za]?$/);
    expect(Number(tool.version.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('refuses an old p7zip `7z` with CLIENT_TOO_OLD, its version and how to install a current one', async () => {
    const error = await failure(findSevenZip({ PATH: path.join(t.dir, 'old') }));
    expect(error.code).toBe('CLIENT_TOO_OLD');
    expect(error.message).toContain('16.02');
    expect(error.message).toContain(path.join(oldDir, '7zz'));
    expect(error.message).toMatch(/apt install 7zip/);
    expect(error.message).toMatch(/brew install sevenzip/);
    expect(error.message).toMatch(/7-zip\.org/);
    expect(error.details).toMatchObject({ clientVersion: '16.02', minimumVersion: '22.00' });
  });

  it('passes over an old 7-Zip found first for a current one found later', async () => {
    const tool = await findSevenZip({ PATH: `${oldDir}:${newDir}` });
    expect(tool.path).toBe(path.join(newDir, '7z'));
    expect(Number(tool.version.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('a configured path is the only one tried: old -> CLIENT_TOO_OLD, missing -> CLIENT_TOOL_MISSING, current -> used', async () => {
    expect((await failure(findSevenZip({ PATH: process.env.PATH }, path.join(oldDir, '7z')))).code).toBe('CLIENT_TOO_OLD');
    const missing = await failure(findSevenZip({ PATH: process.env.PATH }, path.join(emptyDir, '7zz')));
    expect(missing.code).toBe('CLIENT_TOOL_MISSING');
    expect(missing.message).toContain(path.join(emptyDir, '7zz'));
    expect(missing.message).toContain('Settings');
    const notSevenZip = await failure(findSevenZip({ PATH: process.env.PATH }, path.join(t.dir, 'not-7zip')));
    expect(notSevenZip.code).toBe('CLIENT_TOOL_MISSING');
    expect(notSevenZip.message).toMatch(/did not report a 7-Zip version/);
    expect((await findSevenZip({ PATH: emptyDir }, real)).path).toBe(real);
  });

  it('no 7-Zip on PATH: CLIENT_TOOL_MISSING naming the packages that provide it', async () => {
    const error = await failure(findSevenZip({ PATH: emptyDir }));
    expect(error.code).toBe('CLIENT_TOOL_MISSING');
    expect(error.message).toMatch(/7zz, 7z or 7za/);
    expect(error.message).toMatch(/apt install 7zip/);
    expect(error.message).toMatch(/brew install sevenzip/);
  });
});
