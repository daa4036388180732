import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Real full disks and read-only file systems for tests: a small tmpfs, or a read-only bind
 * mount of a folder. Mounting needs root on Linux (CI runs as root); elsewhere the tests that
 * need it skip, through shouldSkip, with the reason this returns.
 *
 *   describe.skipIf(shouldSkip('mounting a tmpfs', mountUnavailable()))('...', () => { ... });
 */
export function mountUnavailable(): string | null {
  if (process.platform !== 'linux') return `mounting test file systems is only done on Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root (the tests run as an ordinary user here)';
  const probe = mkdtempSync(path.join(tmpdir(), 'vaultdesk-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `mount -t tmpfs failed: ${stderr || (error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export interface Mounted {
  dir: string;
  /** Unmounts (lazily if something still holds it open); safe to call twice. */
  unmount(): void;
}

export interface MountedTmpfs extends Mounted {
  /** Gives the same file system a new size, keeping its files: a full disk that got space. */
  resize(size: string): void;
}

/** A tmpfs of `size` (mount's syntax: 4m, 512k) on `dir`, which is created if missing. */
export function mountTmpfs(dir: string, size: string): MountedTmpfs {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  return {
    dir,
    unmount: once(() => unmount(dir)),
    resize: (to) => execFileSync('mount', ['-o', `remount,size=${to}`, dir], { stdio: 'pipe' }),
  };
}

/** Writes `file` until its file system says no: every block taken, a full disk. */
export function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** `target` shows `source`'s files, read-only: writes there fail with EROFS. */
export function bindReadOnly(source: string, target: string): Mounted {
  mkdirSync(target, { recursive: true });
  execFileSync('mount', ['--bind', source, target], { stdio: 'pipe' });
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', target], { stdio: 'pipe' });
  } catch (error) {
    unmount(target);
    throw error;
  }
  return { dir: target, unmount: once(() => unmount(target)) };
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    // Busy (a stream not closed yet): detach it now, the kernel frees it when the last user goes.
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
