import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';
import { executable, exitsZero, startToolsWithOtherPolicy } from './bound-child';

/** `nice`'s own default: under contention a thread at 10 gets about a tenth of what one at 0 gets. */
export const BACKGROUND_NICE = 10;

/** libuv's name for its threadpool threads (uv_thread_setname, libuv 1.47 and later). */
const THREADPOOL_NAME = 'libuv-worker';

/** Linux's SCHED_BATCH, as /proc/TID/stat gives a thread's policy. */
const SCHED_BATCH = 3;

const CHRT_PLACES = ['/usr/bin/chrt', '/bin/chrt'];

/**
 * Lowers the CPU priority of libuv's threadpool threads, where a backup compresses its frames
 * and writes its files. Where the database runs on this machine, its server and the dump tool
 * (started from another thread, at the usual priority) then go first, and the compressor takes
 * the CPU they leave: the dump, which holds the server's snapshot open, is not slowed by the
 * backup's own work, and the server's other clients neither. With CPU to spare, nothing changes.
 *
 * Two steps. A nice value of BACKGROUND_NICE gives the pool a tenth of the CPU the others get
 * when all want it. And SCHED_BATCH (set through util-linux's chrt, as Node has no call for it):
 * the scheduler (EEVDF, Linux 6.6 and later) let a compressor thread that woke for a new frame
 * take the CPU from the server or the tool, and a thread that has the CPU keeps it for a slice
 * (a few ms) before a woken one gets it, whatever their nice values: the server and pg_dump
 * waited for it thousands of times a dump. A batch thread does not take the CPU on waking. Its
 * share stays its nice value's: a machine kept busy by others still compresses, slowly, where
 * SCHED_IDLE would stop it. Figures: README, Performance.
 *
 * With `andThisThread`, the calling thread (the pipeline worker's, which reads the dump, hashes
 * and encrypts) goes under SCHED_BATCH too, its nice value kept: it too woke for every read of
 * the dump and took the CPU from the server or the tool. The tools it starts afterwards go back
 * to the usual policy (spawnBound, through `chrt --other`). Figures: README, Performance.
 *
 * Linux only: a thread's id is a pid there, which setpriority takes; elsewhere this does
 * nothing. A thread cannot be given its priority back without privileges, so the pool stays
 * lowered for the life of the process (the app's own calls on it are file reads and writes,
 * which wait on the disk, not on the CPU). Returns how many threads are at that priority; the
 * policy, where chrt is missing or refused, stays as it was.
 */
export async function lowerThreadpoolPriority(nice: number = BACKGROUND_NICE, options: { andThisThread?: boolean } = {}): Promise<number> {
  if (process.platform !== 'linux') return 0;
  let lowered = 0;
  const unbatched: number[] = [];
  let tasks: string[];
  try {
    // libuv starts every thread of its pool on the first call that needs one, such as this
    // readdir, before that call runs: the listing holds them all.
    tasks = await readdir('/proc/self/task');
  } catch {
    return 0;
  }
  for (const task of tasks) {
    const tid = Number(task);
    try {
      // Read at once: a read per thread through the threadpool waited on an event loop busy
      // with the backup's start (loading the database client) for up to 160 ms.
      if (readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() !== THREADPOOL_NAME) continue;
      if (getPriority(tid) < nice) setPriority(tid, nice);
      lowered++;
      if (policyOf(readFileSync(`/proc/self/task/${task}/stat`, 'utf8')) !== SCHED_BATCH) unbatched.push(tid);
    } catch {
      // A thread that ended meanwhile, or a system that refuses: it keeps its priority.
    }
  }
  const self = options.andThisThread ? thisThreadUnbatched() : null;
  if (unbatched.length > 0 || self !== null) await batchPolicy(unbatched, self);
  return lowered;
}

/** This thread's id, where it is not under SCHED_BATCH yet; null otherwise. */
function thisThreadUnbatched(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    return policyOf(stat) === SCHED_BATCH ? null : Number(stat.slice(0, stat.indexOf(' ')));
  } catch {
    return null;
  }
}

/** A /proc stat line's scheduling policy (its 41st field; the name in parentheses may hold spaces). */
export function policyOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]);
}

/**
 * Sets SCHED_BATCH on `tids`, keeping their nice value, and on `self` (the calling thread, the
 * pipeline worker's) once the way back is known to work: a tool this thread starts would inherit
 * the policy, so spawnBound starts it through `chrt --other` (bound-child.ts), and a system
 * where an unprivileged `chrt` cannot go back from SCHED_BATCH leaves the thread as it was. One
 * spawn of a shell that runs chrt for each (a spawn from this large process costs more than the
 * shell's own). Resolves whatever happens.
 */
function batchPolicy(tids: number[], self: number | null): Promise<void> {
  const chrt = CHRT_PLACES.find(executable);
  if (!chrt) return Promise.resolve();
  // Set first: a tool started while the shell runs goes through chrt --other, which from the
  // usual policy changes nothing, and from SCHED_BATCH brings it back.
  if (self !== null) startToolsWithOtherPolicy(chrt);
  const script = [
    'self=$1; shift',
    'for tid do "$0" --batch --pid 0 "$tid" || exit 1; done',
    '[ -n "$self" ] || exit 0',
    '"$0" --batch 0 "$0" --other 0 /bin/sh -c "exit 0" || exit 3',
    'exec "$0" --batch --pid 0 "$self"',
  ].join('\n');
  return exitsZero('/bin/sh', ['-c', script, chrt, self === null ? '' : String(self), ...tids.map(String)]).then(() => {
    // Whatever the shell said, the thread's own policy is the answer.
    if (self !== null && thisThreadUnbatched() === self) startToolsWithOtherPolicy(null);
  });
}
