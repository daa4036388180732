import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

/** `nice`'s own default: under contention a thread at 10 gets about a tenth of what one at 0 gets. */
export const BACKGROUND_NICE = 10;

/** libuv's name for its threadpool threads (uv_thread_setname, libuv 1.47 and later). */
const THREADPOOL_NAME = 'libuv-worker';

/**
 * Lowers the CPU priority of libuv's threadpool threads, where a backup compresses its frames
 * and writes its files, and a restore decompresses. Where the database runs on this machine,
 * its server and the dump or restore tool (started from another thread, at the usual priority)
 * then go first, and the compressor takes the CPU they leave: the dump, which holds the
 * server's snapshot open, is not slowed by the backup's own work, and the server's other
 * clients neither. With CPU to spare, nothing changes.
 *
 * Linux only: a thread's id is a pid there, which setpriority takes; elsewhere this does
 * nothing. A thread cannot be given its priority back without privileges, so the pool stays
 * lowered for the life of the process (the app's own calls on it are file reads and writes,
 * which wait on the disk, not on the CPU). Returns how many threads are at that priority.
 */
export async function lowerThreadpoolPriority(nice: number = BACKGROUND_NICE): Promise<number> {
  if (process.platform !== 'linux') return 0;
  let lowered = 0;
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
    } catch {
      // A thread that ended meanwhile, or a system that refuses: it keeps its priority.
    }
  }
  return lowered;
}
