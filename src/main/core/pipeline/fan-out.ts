import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

/**
 * A sink that copies every chunk to several readables (one per destination) and moves at the
 * pace of the slowest: it calls back only once every branch has room again. `beforeEnd` runs
 * before the branches are ended, so a branch is never completed (and its object committed)
 * until the caller says the input was good (e.g. the dump tool exited 0).
 */
export function createFanOut(count: number, beforeEnd: () => Promise<void>, highWaterMark = 4 * 1024 * 1024): { sink: Writable; branches: PassThrough[] } {
  const branches = Array.from({ length: count }, () => new PassThrough({ highWaterMark }));
  // A branch's error is its destination's put's to report. A branch no put reads yet (a local put
  // still making its folders, or none started: the dump's check failed first) is destroyed with
  // the stream's error all the same, and with no listener that error crashed the worker.
  for (const branch of branches) branch.on('error', () => {});
  // Whichever comes first, the other wait's listeners go with it: left behind, every full
  // branch added a 'close' and an 'error' listener for the rest of the run.
  const roomIn = async (branch: PassThrough): Promise<void> => {
    if (branch.destroyed) return;
    const waits = new AbortController();
    try {
      await Promise.race([once(branch, 'drain', { signal: waits.signal }), once(branch, 'close', { signal: waits.signal })]);
    } finally {
      waits.abort();
    }
  };
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      const waits: Promise<unknown>[] = [];
      for (const branch of branches) {
        if (!branch.destroyed && !branch.write(chunk)) waits.push(roomIn(branch));
      }
      if (waits.length === 0) callback();
      else Promise.all(waits).then(() => callback(), callback);
    },
    final(callback) {
      beforeEnd().then(
        () => {
          for (const branch of branches) branch.end();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
    destroy(error, callback) {
      for (const branch of branches) if (!branch.writableEnded) branch.destroy(error ?? new Error('The backup stream was stopped.'));
      callback(error);
    },
  });
  return { sink, branches };
}
