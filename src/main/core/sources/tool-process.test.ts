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
    const dump = await spawnDump({ tool, args: ['bad\0argument'], env: {}, gate });
    await expect(dump.done).rejects.toMatchObject({ code: 'DUMP_FAILED', message: 'pg_dump was stopped because its check failed: connection refused' });
    await expect(dump.checked).resolves.toBe(false);
  });
});
