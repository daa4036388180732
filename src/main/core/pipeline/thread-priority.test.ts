import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnBound } from './bound-child';
import { BACKGROUND_NICE, lowerThreadpoolPriority, policyOf } from './thread-priority';

/** A /proc stat line's nice value (its 19th field; the name in parentheses may hold spaces). */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** Linux's scheduling policies, as /proc/TID/stat gives them. */
const SCHED_OTHER = 0;
const SCHED_BATCH = 3;

function threads(): { tid: string; name: string; nice: number; policy: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return { tid, name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: niceOf(stat), policy: policyOf(stat) };
  });
}

describe.runIf(process.platform === 'linux')('lowerThreadpoolPriority', () => {
  it("lowers libuv's threadpool threads only: this thread, and a tool it starts, keep their priority", async () => {
    const lowered = await lowerThreadpoolPriority();
    const pool = threads().filter((t) => t.name === 'libuv-worker');
    expect(pool.length).toBeGreaterThan(0);
    expect(lowered).toBe(pool.length);
    expect(pool.map((t) => t.nice)).toEqual(pool.map(() => BACKGROUND_NICE));
    // And batch: a pool thread that wakes does not take the CPU from the server or the tool.
    expect(pool.map((t) => t.policy)).toEqual(pool.map(() => SCHED_BATCH));
    const self = threads().find((t) => t.tid === String(process.pid))!;
    expect([self.nice, self.policy]).toEqual([0, SCHED_OTHER]);
    // A dump tool is started from the worker's own thread: it runs at that thread's priority.
    const tool = execFileSync('cat', ['/proc/self/stat'], { encoding: 'utf8' });
    expect([niceOf(tool), policyOf(tool)]).toEqual([0, SCHED_OTHER]);
    // Again: nothing changes, and the pool is counted as lowered.
    expect(await lowerThreadpoolPriority()).toBe(lowered);
    expect(threads().filter((t) => t.name === 'libuv-worker').every((t) => t.nice === BACKGROUND_NICE && t.policy === SCHED_BATCH)).toBe(true);
  });

  // Last: it leaves this thread under SCHED_BATCH.
  it('with andThisThread, this thread goes under SCHED_BATCH, its nice kept; a tool started through spawnBound goes back to the usual policy', async () => {
    await lowerThreadpoolPriority(BACKGROUND_NICE, { andThisThread: true });
    const self = threads().find((t) => t.tid === readlinkSync('/proc/thread-self').split('/').pop())!;
    expect([self.nice, self.policy]).toEqual([0, SCHED_BATCH]);
    // A child inherits its thread's policy...
    expect(policyOf(execFileSync('cat', ['/proc/self/stat'], { encoding: 'utf8' }))).toBe(SCHED_BATCH);
    // ...so a dump tool is started through chrt --other, which execs it: the usual policy, the usual nice.
    const child = spawnBound('/bin/cat', ['/proc/self/stat'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    const stat = Buffer.concat(chunks).toString();
    expect([niceOf(stat), policyOf(stat)]).toEqual([0, SCHED_OTHER]);
    // The same pid: chrt (and setpriv) exec the tool.
    expect(Number(stat.split(' ')[0])).toBe(child.pid);
  });
});
