import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { SourceContext } from './source-driver';

/** Shared by the source tests only. */
export function testContext(tempDir: string, extra: Partial<SourceContext> = {}): SourceContext {
  return { tempDir, env: { ...process.env }, ...extra };
}

export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An executable shell script standing in for a client tool. */
export function writeScript(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Running processes whose argv contains `needle`, with their argv (Linux /proc). */
export function processesWith(needle: string): { pid: number; argv: string[] }[] {
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((a) => a.includes(needle))) found.push({ pid: Number(entry), argv });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `bytes` up to `at`, then nothing until `gate` opens, then the rest: time for a test to act halfway through a restore. */
function held(bytes: Buffer, at: number, gate: Promise<void>): Readable {
  return Readable.from(
    (async function* () {
      yield bytes.subarray(0, at);
      await gate;
      yield bytes.subarray(at);
    })(),
  );
}

/**
 * A parallel restore of `dump`, held halfway until its `loaders` tools (those with `marker` in
 * their argv and `target` among it) all run; then `act` kills one or cancels the restore.
 * Resolves with what the restore failed with, once the rest of the dump was let through.
 */
export async function interruptedHalfway(
  restore: (input: Readable, signal: AbortSignal) => Promise<unknown>,
  dump: Buffer,
  target: string,
  marker: string,
  loaders: number,
  act: (tools: { pid: number }[], stop: AbortController) => void,
): Promise<unknown> {
  const stop = new AbortController();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const restoring = restore(held(dump, Math.floor(dump.length / 2), gate), stop.signal).then(
    () => null,
    (e: unknown) => e,
  );
  const tools = await waitFor(() => {
    const found = processesWith(target).filter((p) => p.argv.includes(marker));
    return found.length === loaders && found;
  });
  act(tools, stop);
  const error = await restoring;
  open();
  return error;
}
