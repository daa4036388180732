import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownerAlive, type LivenessProbe } from './owner-liveness';
import { pidExists, processStartTime } from './process-identity';

const now = new Date('2026-11-30T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();

function probe(pids: Record<number, string | null>): LivenessProbe {
  return { hostname: 'ws1', now, pidExists: (pid) => pid in pids, processStartTime: (pid) => pids[pid] ?? null };
}

describe('ownerAlive', () => {
  it('on this machine: a live pid with the recorded start time is alive, a reused pid or a gone one is not', () => {
    const owner = { pid: 100, hostname: 'ws1', procStart: '5000', heartbeatAt: ago(3_600_000) };
    expect(ownerAlive(owner, probe({ 100: '5000' }))).toBe(true);
    expect(ownerAlive(owner, probe({ 100: '9999' }))).toBe(false);
    expect(ownerAlive(owner, probe({}))).toBe(false);
    expect(ownerAlive(null, probe({ 100: '5000' }))).toBe(false);
  });

  it('where the start time cannot be read, a live pid counts until its heartbeat is long stale', () => {
    const fresh = { pid: 100, hostname: 'ws1', procStart: null, heartbeatAt: ago(60_000) };
    const stale = { ...fresh, heartbeatAt: ago(60 * 60_000) };
    expect(ownerAlive(fresh, probe({ 100: null }))).toBe(true);
    expect(ownerAlive(stale, probe({ 100: null }))).toBe(false);
  });

  it('on another machine only the heartbeat tells', () => {
    const remote = { pid: 100, hostname: 'ws2', procStart: '5000', heartbeatAt: ago(20_000) };
    expect(ownerAlive(remote, probe({}))).toBe(true);
    expect(ownerAlive({ ...remote, heartbeatAt: ago(5 * 60_000) }, probe({ 100: '5000' }))).toBe(false);
  });
});

describe.skipIf(process.platform !== 'linux')('process identity on Linux', () => {
  it('reads a start time for this process and tells a finished process from a live one', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(pidExists(process.pid)).toBe(true);
    const gone = spawnSync('true').pid!;
    expect(pidExists(gone)).toBe(false);
    expect(processStartTime(gone)).toBeNull();
  });
});
