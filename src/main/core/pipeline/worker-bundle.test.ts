import { existsSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceWorkerBundle } from './worker-bundle';

const entry = new URL('./worker.ts', import.meta.url);

describe('sourceWorkerBundle', () => {
  it('builds the worker once per state of the sources, and again after a source changes', async () => {
    const first = await sourceWorkerBundle(entry);
    expect(first).not.toBeNull();
    const file = fileURLToPath(first!);
    expect(file).toMatch(/node_modules\/\.cache\/vaultdesk\/pipeline-worker-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(file)).toBe(true);
    expect((await sourceWorkerBundle(entry))!.href).toBe(first!.href);

    // A source the worker is made of changes (its mtime here): a new bundle. The old one stays for
    // an hour, as another process may be starting a worker from it.
    const source = fileURLToPath(new URL('./fan-out.ts', import.meta.url));
    const { atime, mtime } = statSync(source);
    try {
      utimesSync(source, atime, new Date(mtime.getTime() + 5000));
      const second = await sourceWorkerBundle(entry);
      expect(second!.href).not.toBe(first!.href);
      expect(existsSync(fileURLToPath(second!))).toBe(true);
      expect(existsSync(file)).toBe(true);
    } finally {
      utimesSync(source, atime, mtime);
    }
  });
});
