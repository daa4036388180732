import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, lowerThreadpoolPriority } from './thread-priority';

/** A /proc stat line's nice value (its 19th field; the name in parentheses may hold spaces). */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function threads(): { tid: string; name: string; nice: number }[] {
  return readdirSync('/proc/self/task').map((tid) => ({
    tid,
    name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
    nice: niceOf(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')),
  }));
}

describe.runIf(process.platform === 'linux')('lowerThreadpoolPriority', () => {
  it("lowers libuv's threadpool threads only: this thread, and a tool it starts, keep their priority", async () => {
    const lowered = await lowerThreadpoolPriority();
    const pool = threads().filter((t) => t.name === 'libuv-worker');
    expect(pool.length).toBeGreaterThan(0);
    expect(lowered).toBe(pool.length);
    expect(pool.map((t) => t.nice)).toEqual(pool.map(() => BACKGROUND_NICE));
    expect(threads().find((t) => t.tid === String(process.pid))!.nice).toBe(0);
    // A dump tool is started from the worker's own thread: it runs at that thread's priority.
    expect(niceOf(execFileSync('cat', ['/proc/self/stat'], { encoding: 'utf8' }))).toBe(0);
    // Again: nothing changes, and the pool is counted as lowered.
    expect(await lowerThreadpoolPriority()).toBe(lowered);
    expect(threads().filter((t) => t.name === 'libuv-worker').every((t) => t.nice === BACKGROUND_NICE)).toBe(true);
  });
});
