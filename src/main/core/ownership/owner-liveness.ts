import { pidExists, processStartTime } from './process-identity';

/** How often a process that owns something says it is alive. */
export const HEARTBEAT_MS = 10_000;
/** A process on another machine (a data dir on a share) is gone when its heartbeat is this old. */
const REMOTE_STALE_MS = 60_000;
/**
 * Where the OS start time cannot be read (macOS, Windows), a live pid whose heartbeat is this old
 * is taken for a reused pid. Generous, because a machine waking from sleep sees every heartbeat
 * old at once, and its processes need a moment to beat again.
 */
const UNVERIFIABLE_STALE_MS = 15 * 60_000;

export interface OwnerRecord {
  pid: number;
  hostname: string;
  procStart: string | null;
  heartbeatAt: string;
}

export interface LivenessProbe {
  hostname: string;
  now: Date;
  pidExists(pid: number): boolean;
  processStartTime(pid: number): string | null;
}

export function systemProbe(hostname: string, now: Date): LivenessProbe {
  return { hostname, now, pidExists, processStartTime };
}

/**
 * Whether the process that recorded `owner` still runs. On this machine the pid must exist and,
 * where the OS tells, have started when the owner did; on another machine only the heartbeat
 * can tell.
 */
export function ownerAlive(owner: OwnerRecord | null, probe: LivenessProbe): boolean {
  if (!owner) return false;
  const age = probe.now.getTime() - Date.parse(owner.heartbeatAt);
  if (owner.hostname !== probe.hostname) return age < REMOTE_STALE_MS;
  if (!probe.pidExists(owner.pid)) return false;
  if (owner.procStart !== null) {
    const current = probe.processStartTime(owner.pid);
    if (current !== null) return current === owner.procStart;
  }
  return age < UNVERIFIABLE_STALE_MS;
}
