import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnDump } from './tool-process';

const tool = { name: 'pg_dump' as const, executable: 'pg_dump', path: '/bin/true' };

describe('spawnDump, a tool that cannot be started at all', () => {
  it('says so on done and on the stream, and its dump is never checked, so nothing is written anywhere', async () => {
    // A NUL byte in an argument makes spawn throw at once, as no missing binary does (ENOENT comes as an event).
    const dump = await spawnDump({ tool, args: ['bad\0argument'], env: {} });
    const streamError = new Promise((resolve) => dump.stream.once('error', resolve));
    await expect(dump.done).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('pg_dump could not be started') });
    await expect(streamError).resolves.toMatchObject({ code: 'INTERNAL' });
    await expect(dump.checked).resolves.toBe(false);
  });

  it('with a check beside it that failed, says the check first', async () => {
    const refusal = new Error('connection refused');
    const gate = Promise.reject(refusal);
    gate.catch(() => undefined);
    const dump = await spawnDump({ tool, args: ['bad\0argument'], env: {}, gate: () => gate });
    await expect(dump.done).rejects.toMatchObject({ code: 'DUMP_FAILED', message: 'pg_dump was stopped because its check failed: connection refused' });
    await expect(dump.checked).resolves.toBe(false);
  });
});

/** Whether a process runs whose command line holds `marker`: the tool, or a wrapper (setpriv, stdbuf) that is about to exec it. */
function running(marker: string): boolean {
  return readdirSync('/proc').some((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  });
}

describe.skipIf(process.platform !== 'linux')('spawnDump with a check beside the tool', () => {
  it('starts the check once the tool is running, and the dump is whole only once the check passed', async () => {
    // The check's connection and --version used to come first, and held the tool's start back.
    const marker = `vaultdesk-test-${randomUUID()}`;
    let ranFirst!: (seen: boolean) => void;
    const toolRanFirst = new Promise<boolean>((resolve) => (ranFirst = resolve));
    let pass!: () => void;
    const dump = await spawnDump({
      tool: { ...tool, path: '/bin/sh' },
      // It outlives the call to the gate: a tool already gone has an empty /proc cmdline.
      args: ['-c', 'printf dumped; sleep 1', marker],
      env: {},
      // Looked for a little while: between the wrappers' execs (setpriv, stdbuf, the tool) /proc
      // may show an empty command line for an instant, longer on a loaded machine. A gate that
      // held the tool back would still see none, since the tool waits for it.
      gate: async () => {
        const until = Date.now() + 2_000;
        let seen = running(marker);
        while (!seen && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen = running(marker);
        }
        ranFirst(seen);
        return new Promise<void>((resolve) => (pass = resolve));
      },
    });
    expect(await toolRanFirst).toBe(true);
    const chunks: Buffer[] = [];
    dump.stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    let whole = false;
    void dump.done.then(() => (whole = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(whole).toBe(false);
    pass();
    await dump.done;
    await expect(dump.checked).resolves.toBe(true);
    expect(Buffer.concat(chunks).toString()).toBe('dumped');
  });
});
