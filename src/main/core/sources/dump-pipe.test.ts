import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { FRAME_BYTES, isPooledFrame } from '../pipeline/frame-pool';
import { tempDir } from '../testing/temp-dir';
import { openDumpPipe, RAW_FDS_UNTRACKED, type DumpPipe } from './dump-pipe';

/** A tool writing `bytes` of a known pattern to the pipe, in the 4 KiB writes dump tools make. */
function tool(pipe: DumpPipe, bytes: number): ChildProcess {
  const child = spawn('sh', ['-c', `yes 'row 42, some text, 3.14' | head -c ${bytes}`], { stdio: ['ignore', pipe.writeFd, 'inherit'] });
  closeSync(pipe.writeFd);
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
    const pipe = openDumpPipe(t.dir)!;
    expect(pipe).not.toBeNull();
    // The FIFO's name is gone as soon as both ends are open.
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
    const pipe = openDumpPipe(t.dir)!;
    const child = tool(pipe, 0);
    const chunks: Buffer[] = [];
    for await (const chunk of pipe.reader) chunks.push(chunk as Buffer);
    await once(child, 'close');
    expect(chunks).toEqual([]);
  });

  it('stops reading while the consumer is full, so the tool waits on the pipe; nothing is lost', async () => {
    const bytes = 16 * FRAME_BYTES;
    const pipe = openDumpPipe(t.dir)!;
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
    const pipe = openDumpPipe(t.dir)!;
    const child = spawn('sh', ['-c', 'yes dump-line'], { stdio: ['ignore', pipe.writeFd, 'ignore'] });
    closeSync(pipe.writeFd);
    const [first] = (await once(pipe.reader, 'data')) as [Buffer];
    expect(first.length).toBe(FRAME_BYTES);
    pipe.reader.destroy();
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    // `yes` dies of SIGPIPE (or exits on EPIPE): either way it stopped on its own.
    expect(signal === 'SIGPIPE' || code !== 0).toBe(true);
  });
  it('is not used in a worker that closes tracked fds when it exits (it would close a reused fd number)', async () => {
    const probe = path.join(t.dir, 'probe.mts');
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dump-pipe.ts');
    writeFileSync(
      probe,
      `import { parentPort } from 'node:worker_threads';\nimport { openDumpPipe } from ${JSON.stringify(module)};\n` +
        `const pipe = openDumpPipe(${JSON.stringify(t.dir)});\nif (pipe) pipe.reader.destroy();\nparentPort.postMessage(pipe !== null);\n`,
    );
    const opened = async (options: ConstructorParameters<typeof Worker>[1]): Promise<boolean> => {
      const worker = new Worker(probe, { execArgv: ['--import', 'tsx'], ...options });
      try {
        return ((await once(worker, 'message')) as [boolean])[0];
      } finally {
        await worker.terminate();
      }
    };
    expect(await opened({})).toBe(false);
    expect(await opened({ trackUnmanagedFds: false, workerData: { [RAW_FDS_UNTRACKED]: true } })).toBe(true);
  });
});
