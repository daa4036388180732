import { existsSync, readdirSync, readFileSync, writeFileSync, type Stats } from 'node:fs';
import { lstat, open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { openPartial, Writeback } from './local-files';

const MiB = 1024 * 1024;

/** `count` MiB, each MiB filled with its own index, so a file that lost or reordered one shows it. */
function mebibytes(count: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent === count) return void this.push(null);
      this.push(Buffer.alloc(MiB, sent++ % 251));
    },
  });
}

/**
 * A real file's handle whose datasync answers only when the test says so (or fails as told):
 * the disk's timing is the one thing a test cannot make slow or failing on a real disk.
 */
function heldSyncs(handle: FileHandle): { handle: FileHandle; calls: number; maxInFlight: number; answer: (error?: Error) => void } {
  let inFlight = 0;
  // Answers given before the sync asked for one wait for it, in order.
  const waiting: ((error?: Error) => void)[] = [];
  const given: (Error | undefined)[] = [];
  const state = {
    handle: Object.assign(Object.create(handle) as FileHandle, {
      datasync: async (): Promise<void> => {
        state.calls++;
        state.maxInFlight = Math.max(state.maxInFlight, ++inFlight);
        await handle.datasync();
        const error = given.length > 0 ? given.shift() : await new Promise<Error | undefined>((resolve) => waiting.push(resolve));
        inFlight--;
        if (error) throw error;
      },
    }),
    calls: 0,
    maxInFlight: 0,
    answer: (error?: Error) => {
      const waiter = waiting.shift();
      if (waiter) waiter(error);
      else given.push(error);
    },
  };
  return state;
}

describe('Writeback', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  async function file(): Promise<{ file: string; handle: FileHandle }> {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const name = path.join(t.dir, 'object.partial');
    return { file: name, handle: await open(name, 'wx') };
  }

  it('goes on writing while a sync runs, keeps one in flight, and ends only once the last one answered', async () => {
    const { file: name, handle } = await file();
    const syncs = heldSyncs(handle);
    const sink = handle.createWriteStream({ flush: true });
    const writeback = new Writeback(syncs.handle);
    let ended = false;
    const flowing = pipeline(mebibytes(200), writeback, sink).then(() => (ended = true));
    // The first sync, at 64 MiB, is held: the next 64 MiB are written meanwhile.
    await until(() => syncs.calls === 1 && sink.bytesWritten >= 127 * MiB);
    expect(writeback.syncing).toBe(true);
    // At 128 MiB the second sync waits for the first, and so does the stream.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(syncs.calls).toBe(1);
    expect(sink.bytesWritten).toBeLessThan(130 * MiB);
    syncs.answer();
    await until(() => syncs.calls === 2);
    syncs.answer();
    await until(() => syncs.calls === 3);
    // The stream's end waits for the third sync's answer too.
    await until(() => sink.bytesWritten === 200 * MiB);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ended).toBe(false);
    syncs.answer();
    await flowing;
    expect(syncs.maxInFlight).toBe(1);
    const written = readFileSync(name);
    expect(written.length).toBe(200 * MiB);
    for (let i = 0; i < 200; i++) expect(written[i * MiB + MiB - 1]).toBe(i % 251);
  });

  it('fails the stream with a sync that failed, even one that answers after the last byte', async () => {
    const { handle } = await file();
    const syncs = heldSyncs(handle);
    const sink = handle.createWriteStream({ flush: true });
    const flowing = pipeline(mebibytes(100), new Writeback(syncs.handle), sink);
    flowing.catch(() => undefined);
    await until(() => syncs.calls === 1 && sink.bytesWritten === 100 * MiB);
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    syncs.answer(eio);
    await expect(flowing).rejects.toBe(eio);
  });
});

async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('openPartial', () => {
  let t: ReturnType<typeof tempDir> | null = null;
  afterEach(() => t?.cleanup());

  it('another run committing its partial file of the same name right under our feet: refused as taken, its backup untouched', async () => {
    t = tempDir('vaultdesk-partial-');
    const target = path.join(t.dir, 'nightly.dump.zst');
    const partial = `${target}.partial`;
    writeFileSync(partial, 'the other run');
    // Between our open, which found the name taken, and our look at it, the other run renames its file.
    const committing = async (file: string): Promise<Stats> => {
      await rename(file, target);
      return lstat(file);
    };
    await expect(openPartial(partial, Date.now(), committing)).rejects.toMatchObject({ code: 'EEXIST', message: `${partial} is being written` });
    expect(readdirSync(t.dir)).toEqual(['nightly.dump.zst']);
    expect(readFileSync(target, 'utf8')).toBe('the other run');
  });

  it('a partial file left long ago is replaced; one written lately is another run\'s and is refused', async () => {
    t = tempDir('vaultdesk-partial-');
    const partial = path.join(t.dir, 'nightly.dump.zst.partial');
    writeFileSync(partial, 'left by a crash');
    await expect(openPartial(partial, Date.now())).rejects.toMatchObject({ code: 'EEXIST' });
    const handle = await openPartial(partial, Date.now() + 24 * 3600 * 1000);
    await handle.close();
    expect(existsSync(partial) && readFileSync(partial, 'utf8')).toBe('');
  });
});
