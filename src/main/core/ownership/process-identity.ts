import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Which kind of host a process is; shown when a run or a lease is held by another process. */
export type HostKind = 'app' | 'cli' | 'serve' | 'daemon' | 'test';

/**
 * Who a process is, as other processes sharing the data dir see it. `startId` is random per
 * start: a pid can be reused once its process is gone, a start id never is.
 */
export interface ProcessIdentity {
  startId: string;
  pid: number;
  hostname: string;
  /** The OS's own record of when `pid` started, where it can be read (Linux); null elsewhere. */
  procStart: string | null;
  kind: HostKind;
  /** What this process is, in the words it describes itself with ("vaultdesk run list"); its kind's words when absent. Not stored. */
  label?: string;
}

export function currentProcessIdentity(kind: HostKind, pid: number = process.pid): ProcessIdentity {
  return { startId: randomUUID(), pid, hostname: hostname(), procStart: processStartTime(pid), kind };
}

/**
 * Linux: field 22 of /proc/PID/stat, the start time in clock ticks since boot. It changes when
 * the pid is reused, so a live pid with another start time is another process. The command
 * name (field 2) may hold spaces and parentheses, so the fields are counted after its last ')'.
 */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

/** Whether a process with this pid exists on this machine (EPERM: it does, but is not ours). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
