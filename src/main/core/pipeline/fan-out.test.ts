import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createFanOut } from './fan-out';

/** A consumer that takes each chunk only after a turn of the event loop, so its branch fills up. */
function slowSink(received: Buffer[]): Writable {
  return new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      setImmediate(callback);
    },
  });
}

describe('createFanOut', () => {
  it('gives every branch every byte, and a branch that filled up 500 times keeps no listeners of its waits', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): number => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const { sink, branches } = createFanOut(2, async () => undefined, 1024);
      const listeners = (): number[] => branches.flatMap((b) => [b.listenerCount('close'), b.listenerCount('error'), b.listenerCount('drain')]);
      const before = listeners();
      const received: Buffer[][] = [[], []];
      const chunks = Array.from({ length: 500 }, (_, i) => Buffer.alloc(2048, i % 251));
      const reading = branches.map((b, i) => pipeline(b, slowSink(received[i]!)));
      const peaks: number[] = [];
      const writing = pipeline(
        Readable.from(
          (function* () {
            for (const c of chunks) {
              peaks.push(Math.max(...listeners()));
              yield c;
            }
          })(),
        ),
        sink,
      );
      await Promise.all([writing, ...reading]);
      const expected = Buffer.concat(chunks);
      for (const r of received) expect(Buffer.concat(r).equals(expected)).toBe(true);
      // The pipeline to each slow sink adds its own listeners once; the waits add none that stay.
      expect(Math.max(...peaks)).toBeLessThanOrEqual(Math.max(...before) + 3);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a sink destroyed with an error before any branch is read does not throw that error', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): number => uncaught.push(error);
    // Vitest reports uncaught errors itself; listening here makes the test say which.
    process.prependListener('uncaughtException', onUncaught);
    try {
      const { sink, branches } = createFanOut(2, async () => undefined, 1024);
      // The sink's own error is the pipeline's, which listens to it.
      sink.on('error', () => {});
      sink.destroy(new Error('the dump failed'));
      await Promise.all(branches.map((b) => new Promise((resolve) => b.once('close', resolve))));
      expect(branches.every((b) => b.destroyed && b.errored?.message === 'the dump failed')).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('a branch closed while the sink waits for it lets the others go on', async () => {
    const { sink, branches } = createFanOut(2, async () => undefined, 1024);
    const received: Buffer[] = [];
    const reading = pipeline(branches[1]!, slowSink(received));
    const chunk = Buffer.alloc(4096, 7);
    // Branch 0 has nobody reading it and is full; closing it must free the sink's wait.
    const written = new Promise<void>((resolve, reject) => sink.write(chunk, (e) => (e ? reject(e) : resolve())));
    await new Promise((resolve) => setImmediate(resolve));
    branches[0]!.destroy();
    await written;
    await new Promise<void>((resolve, reject) => sink.write(chunk, (e) => (e ? reject(e) : resolve())));
    sink.end();
    await reading;
    expect(Buffer.concat(received).length).toBe(2 * chunk.length);
  });
});
