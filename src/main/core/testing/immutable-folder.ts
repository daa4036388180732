import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A folder nothing can be removed from, not even by root: how a test makes a removal fail for
 * real. Setting the immutable flag needs root and a file system that has it (ext4, tmpfs, ...);
 * elsewhere the tests that need it skip, through shouldSkip, with the reason this returns.
 */
export function immutableUnavailable(): string | null {
  if (process.platform !== 'linux') return `chattr is Linux's (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'making a folder immutable needs root (the tests run as an ordinary user here)';
  const probe = mkdtempSync(path.join(tmpdir(), 'vaultdesk-immutable-probe-'));
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'pipe' });
    execFileSync('chattr', ['-i', probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `chattr +i failed: ${stderr || (error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export function freeze(folder: string): void {
  execFileSync('chattr', ['+i', folder], { stdio: 'pipe' });
}

export function thaw(folder: string): void {
  execFileSync('chattr', ['-i', folder], { stdio: 'pipe' });
}
