import { mkdirSync, openSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { describeFsError, fsAppError } from './fs-errors';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('describeFsError', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('vaultdesk-fserr-')));
  afterEach(() => cleanup());

  it('turns real errors from the file system into words that name the path', () => {
    const missing = path.join(dir, 'missing.txt');
    const folder = path.join(dir, 'folder');
    mkdirSync(path.join(folder, 'inside'), { recursive: true });
    writeFileSync(path.join(dir, 'file'), 'x');
    const cases: [unknown, string, string][] = [
      [thrown(() => readFileSync(missing)), missing, `${missing} does not exist`],
      [thrown(() => readFileSync(folder)), folder, `${folder} is a folder where a file should be`],
      [thrown(() => openSync(path.join(dir, 'file', 'x'), 'w')), path.join(dir, 'file', 'x'), `part of ${path.join(dir, 'file', 'x')} is a file where a folder should be`],
      [thrown(() => mkdirSync(folder)), folder, `${folder} already exists`],
      [thrown(() => rmdirSync(folder)), folder, `${folder} is a folder that is not empty`],
      [thrown(() => renameSync(path.join(dir, 'file'), folder)), folder, `${folder} is a folder where a file should be`],
    ];
    for (const [error, at, words] of cases) {
      const d = describeFsError(error, { path: at });
      expect(d.words).toBe(words);
      expect(d.errno).toMatch(/^E[A-Z]+$/);
      expect(d.words).not.toContain(d.errno);
    }
  });

  it('a file that could not be created is told by its folder: missing, not a folder, or one that takes no new files (/proc)', () => {
    writeFileSync(path.join(dir, 'file'), 'x');
    const create = (file: string): ReturnType<typeof describeFsError> => describeFsError(thrown(() => openSync(file, 'wx')), { path: file, creating: true });
    expect(create('/proc/vaultdesk-test.db')).toMatchObject({
      problem: 'not-creatable',
      words: '/proc/vaultdesk-test.db cannot be created: folder /proc exists but does not accept new files (a system folder such as /proc or /sys, or a mount point that is not a normal disk)',
    });
    expect(create(path.join(dir, 'missing', 'x.db'))).toMatchObject({ problem: 'missing', words: `folder ${path.join(dir, 'missing')} does not exist` });
    // Read, the same ENOENT is the file's own absence.
    expect(describeFsError(thrown(() => readFileSync('/proc/vaultdesk-test.db')), { path: '/proc/vaultdesk-test.db' }).words).toBe('/proc/vaultdesk-test.db does not exist');
  });

  it('device-wide problems name the place the user knows, not the file', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    expect(describeFsError(enospc, { path: '/mnt/usb/backups/prod/x.partial', device: '/mnt/usb/backups' }).words).toBe('no space left on the device holding /mnt/usb/backups');
    const erofs = Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS', errno: -30 });
    expect(describeFsError(erofs, { path: '/ro/x' }).words).toBe('/ro/x is on a read-only file system');
  });

  it('an errno with no sentence of its own gets the system description, not the bare code', () => {
    const exdev = Object.assign(new Error("EXDEV: cross-device link not permitted, rename '/a' -> '/b'"), { code: 'EXDEV', errno: -18 });
    const d = describeFsError(exdev, { path: '/a' });
    expect(d.problem).toBe('other');
    expect(d.words).toMatch(/^\/a: [a-z][a-z -]+ \(EXDEV\)$/);
  });

  it('fsAppError gives a stable code and keeps the errno in details only', () => {
    const error = fsAppError(Object.assign(new Error('EACCES'), { code: 'EACCES' }), 'DESTINATION_WRITE_FAILED', 'Could not write x', { path: '/srv/x' });
    expect(error.toPayload()).toEqual({
      code: 'DESTINATION_WRITE_FAILED',
      message: 'Could not write x: permission denied on /srv/x: the user running Vaultdesk is not allowed to use it.',
      details: { path: '/srv/x', problem: 'denied', errno: 'EACCES' },
    });
  });
});
