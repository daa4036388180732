import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { FRAME_BYTES, isPooledFrame } from '../pipeline/frame-pool';
import { tempDir } from '../testing/temp-dir';
import { openDumpPipe, type DumpPipe } from './dump-pipe';

/** A tool writing `bytes` of a known pattern to the pipe, in the 4 KiB writes dump tools make. */
function tool(pipe: DumpPipe, bytes: number): ChildProcess {
  const child = spawn('sh', ['-c', `yes 'row 42, some text, 3.14' | head -c ${bytes}`], { stdio: ['ignore', pipe.writer, 'inherit'] });
  pipe.writer.destroy();
  return child;
}

function expected(bytes: number): Buffer {
  const line = Buffer.from('row 42, some text, 3.14\n');
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / line.length) }, () => line)).subarray(0, bytes);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(process.platform === 'win32')('openDumpPipe', () => {
  const t = tempDir('vaultdesk-dump-pipe-');
  afterAll(() => t.cleanup());

  it("hands over a tool's output in whole pooled frames, the last one shorter, byte for byte", async () => {
    const bytes = 2 * FRAME_BYTES + 300_001;
    const pipe = (await openDumpPipe(t.dir))!;
    expect(pipe).not.toBeNull();
    // The socket's name and folder are gone as soon as both ends are connected.
    expect(readdirSync(t.dir)).toEqual([]);
    const child = tool(pipe, bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of pipe.reader) chunks.push(chunk as Buffer);
    expect((await once(child, 'close'))[0]).toBe(0);
    expect(chunks.map((c) => c.length)).toEqual([FRAME_BYTES, FRAME_BYTES, 300_001]);
    expect(chunks.slice(0, 2).every(isPooledFrame)).toBe(true);
    expect(isPooledFrame(chunks[2]!)).toBe(false);
    expect(sha(Buffer.concat(chunks))).toBe(sha(expected(bytes)));
  });

  it('ends with nothing when the tool writes nothing', async () => {
    const pipe = (await openDumpPipe(t.dir))!;
    const child = tool(pipe, 0);
    const chunks: Buffer[] = [];
    for await (const chunk of pipe.reader) chunks.push(chunk as Buffer);
    await once(child, 'close');
    expect(chunks).toEqual([]);
  });

  it('stops reading while the consumer is full, so the tool waits on the pipe; nothing is lost', async () => {
    const bytes = 16 * FRAME_BYTES;
    const pipe = (await openDumpPipe(t.dir))!;
    const child = tool(pipe, bytes);
    let exited = false;
    child.once('exit', () => (exited = true));
    // Nobody reads for a while: the reader fills its buffer (one frame) and stops.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pipe.reader.readableLength).toBeLessThanOrEqual(2 * FRAME_BYTES);
    expect(exited).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of pipe.reader) chunks.push(chunk as Buffer);
    expect((await once(child, 'close'))[0]).toBe(0);
    expect(sha(Buffer.concat(chunks))).toBe(sha(expected(bytes)));
  });


  it('destroyed halfway, it closes the pipe: the tool gets EPIPE and ends instead of blocking', async () => {
    const pipe = (await openDumpPipe(t.dir))!;
    const child = spawn('sh', ['-c', 'yes dump-line'], { stdio: ['ignore', pipe.writer, 'ignore'] });
    pipe.writer.destroy();
    const [first] = (await once(pipe.reader, 'data')) as [Buffer];
    expect(first.length).toBe(FRAME_BYTES);
    pipe.reader.destroy();
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    // `yes` dies of SIGPIPE (or exits on EPIPE): either way it stopped on its own.
    expect(signal === 'SIGPIPE' || code !== 0).toBe(true);
  });

  it('holds more than a pipe while its reader waits, so a busy worker holds the tool up less', async () => {
    const pipe = (await openDumpPipe(t.dir))!;
    const child = spawn('dd', ['if=/dev/zero', 'bs=4096', 'count=100000'], { stdio: ['ignore', pipe.writer, 'pipe'] });
    pipe.writer.destroy();
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Nobody consumes the reader: it takes one frame and stops; the tool blocks once the socket is
    // full. dd says how much it wrote on SIGUSR1: asked until the count stops growing (a loaded
    // machine may not have run it far yet).
    const writtenNow = async (): Promise<number> => {
      const before = stderr.length;
      child.kill('SIGUSR1');
      await expect.poll(() => /(\d+)\+\d+ records out/.exec(stderr.slice(before))).not.toBeNull();
      return Number(/(\d+)\+\d+ records out/.exec(stderr.slice(before))![1]) * 4096;
    };
    // Its handler is in place well before this (an early SIGUSR1 would end dd).
    await new Promise((resolve) => setTimeout(resolve, 500));
    let written = -1;
    for (let seen = await writtenNow(); seen !== written; seen = await writtenNow()) {
      written = seen;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(pipe.reader.readableLength).toBe(FRAME_BYTES);
    // Beyond the reader's frame, what the socket holds: a pipe holds 64 KiB.
    expect(written - FRAME_BYTES).toBeGreaterThan(96 * 1024);
    pipe.reader.destroy();
    await once(child, 'close');
  });
});
